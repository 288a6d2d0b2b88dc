//! Browser-side steps shared by the browser tests: the ESIA login form (`#login`, `#password`,
//! `button.plain-button_wide`, as existing login bots drive it) and filling a form's fields by
//! their `data-testid`s. What the answer page must show is left to each test; starting and
//! tearing down the browser is `super`'s.

use super::{tid, Browser};

/// Submits the login form of the current page as `login` / `password` and waits for the answer
/// page (the cabinet, the next step of a flow, or the form again with an error).
pub async fn log_in(b: &Browser, login: &str, password: &str) {
    b.fill("#login", login).await.unwrap();
    b.fill("#password", password).await.unwrap();
    b.click_to_new_page("button.plain-button_wide")
        .await
        .unwrap();
}

/// Types each value into the input `data-testid="<prefix>-<id>"`.
pub async fn fill_fields(b: &Browser, prefix: &str, fields: &[(&str, &str)]) {
    for (id, value) in fields {
        b.fill(&tid(&format!("{prefix}-{id}")), value)
            .await
            .unwrap();
    }
}
