// «Сгенерировать надёжный пароль» on the password page: fills both fields with the generated
// password and shows it. Served from /assets/ because the CSP allows no inline script.
document.getElementById('use-generated').addEventListener('click',function(e){e.preventDefault();var g=document.querySelector('[data-testid=password-generated]').textContent;document.getElementById('password').value=g;document.getElementById('repeat').value=g;document.getElementById('password').type='text';});
