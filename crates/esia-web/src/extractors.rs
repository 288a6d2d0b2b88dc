//! The handler prologue as extractors, so a page handler is its use case and nothing else:
//! [`CsrfForm`] (the urlencoded form, refused with the CSRF page unless its token matches the
//! cookie), [`SessionPerson`] (the logged-in person, or the login redirect), [`PersonForm`]
//! (both, in that order) and [`PathKind`] (a path segment that must name a known kind). Each
//! refusal is the page the handlers answered with before they ran; the handler never runs
//! after one. Holds no rules of the use cases and renders no page of its own.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::error::InternalError;
use actix_web::{web, FromRequest, HttpRequest, HttpResponse};
use esia_core::CoreError;
use serde::de::DeserializeOwned;

use crate::cookies;
use crate::respond::{core_error_page, csrf_failed, redirect};
use crate::state::AppState;

type Extracted<T> = Pin<Box<dyn Future<Output = Result<T, actix_web::Error>>>>;

/// A refusal answered with `resp` as it is (status, body, cookies).
fn refuse(why: &'static str, resp: HttpResponse) -> actix_web::Error {
    InternalError::from_response(why, resp).into()
}

fn app_state(req: &HttpRequest) -> Result<web::Data<AppState>, actix_web::Error> {
    req.app_data::<web::Data<AppState>>()
        .cloned()
        .ok_or_else(|| {
            refuse(
                "no state",
                core_error_page(&CoreError::Internal("no state".into())),
            )
        })
}

/// A form that carries the double-submit CSRF token (see [`cookies::csrf_ok`]).
pub(crate) trait CsrfField {
    /// The token the form submitted ("" when absent).
    fn csrf(&self) -> &str;
}

/// Implements [`CsrfField`] for form structs with a `csrf: String` field.
macro_rules! csrf_field {
    ($($form:ty),+ $(,)?) => {
        $(impl $crate::extractors::CsrfField for $form {
            fn csrf(&self) -> &str {
                &self.csrf
            }
        })+
    };
}
pub(crate) use csrf_field;

/// The generic item form of the cabinet keeps every field, the token included.
impl CsrfField for std::collections::HashMap<String, String> {
    fn csrf(&self) -> &str {
        self.get("csrf").map(String::as_str).unwrap_or("")
    }
}

/// A urlencoded form whose CSRF token matched the cookie. A malformed body is the 400 page of
/// `error::form_error` (through the app's `FormConfig`, as `web::Form`); a token that does not
/// match is `pages::csrf_failed`.
pub(crate) struct CsrfForm<T>(pub T);

impl<T> CsrfForm<T> {
    pub(crate) fn into_inner(self) -> T {
        self.0
    }
}

impl<T> std::ops::Deref for CsrfForm<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T: DeserializeOwned + CsrfField + 'static> FromRequest for CsrfForm<T> {
    type Error = actix_web::Error;
    type Future = Extracted<Self>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let form = web::Form::<T>::from_request(req, payload);
        let req = req.clone();
        Box::pin(async move {
            let web::Form(form) = form.await?;
            if !cookies::csrf_ok(&req, form.csrf()) {
                return Err(refuse("csrf token mismatch", csrf_failed()));
            }
            Ok(CsrfForm(form))
        })
    }
}

/// The cabinet pages, by the route pattern of the page or of the forms it posts; the login
/// page comes back to the page (every other `/profile/…` route comes back to `/profile`).
const CABINET_PAGES: [&str; 5] = [
    "/profile/personal-data",
    "/profile/confirm",
    "/profile/contacts",
    "/profile/delete",
    "/profile/orgs/create",
];

/// Where the login page sends the person back to after a login from this route: the page the
/// route belongs to (the route pattern, so no spelling of the path changes it).
fn return_path(pattern: &str) -> &'static str {
    CABINET_PAGES
        .into_iter()
        .find(|p| {
            pattern
                .strip_prefix(p)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
        })
        .unwrap_or("/profile")
}

/// The logged-in person. Without a session cookie: a redirect to
/// `/login?return_to=<the page>`; with an ended one, the same redirect that also removes the
/// cookie; a database outage is the 503 page (never "not logged in").
pub(crate) struct SessionPerson {
    pub person_id: String,
}

impl SessionPerson {
    async fn resolve(req: HttpRequest) -> Result<SessionPerson, actix_web::Error> {
        let state = app_state(&req)?;
        let pattern = req.match_pattern().unwrap_or_default();
        let to_login = || redirect(&format!("/login?return_to={}", return_path(&pattern)));
        let Some(token) = cookies::value(&req, cookies::SESSION) else {
            return Err(refuse("no session", to_login()));
        };
        match state
            .run(move |core| esia_core::session::resolve_session(core, &token))
            .await
        {
            Ok(Some(s)) => Ok(SessionPerson {
                person_id: s.person_id,
            }),
            Ok(None) => {
                let mut resp = to_login();
                let secure = crate::respond::secure(&state);
                let _ = resp.add_cookie(&cookies::removal(cookies::SESSION, secure));
                Err(refuse("session ended", resp))
            }
            Err(e) => Err(refuse("session lookup failed", core_error_page(&e))),
        }
    }
}

impl FromRequest for SessionPerson {
    type Error = actix_web::Error;
    type Future = Extracted<Self>;

    /// Lazy: nothing is looked up before the future is first polled.
    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        Box::pin(SessionPerson::resolve(req.clone()))
    }
}

/// A cabinet form post: the CSRF check first, then the session (one after the other, so a
/// forged post never costs a session lookup and the answer does not depend on timing).
pub(crate) struct PersonForm<T> {
    pub person_id: String,
    pub form: T,
}

impl<T: DeserializeOwned + CsrfField + 'static> FromRequest for PersonForm<T> {
    type Error = actix_web::Error;
    type Future = Extracted<Self>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let form = CsrfForm::<T>::from_request(req, payload);
        let req = req.clone();
        Box::pin(async move {
            let CsrfForm(form) = form.await?;
            let person = SessionPerson::resolve(req).await?;
            Ok(PersonForm {
                person_id: person.person_id,
                form,
            })
        })
    }
}

/// A kind named by the `{kind}` path segment.
pub(crate) trait KindSegment: Sized {
    fn from_segment(segment: &str) -> Option<Self>;
}

/// The `{kind}` of the path, or the «Не найдено» page. Ready at once, so as the first
/// argument of a handler it answers before the form or the session is looked at.
pub(crate) struct PathKind<K>(pub K);

impl<K: KindSegment + 'static> FromRequest for PathKind<K> {
    type Error = actix_web::Error;
    type Future = std::future::Ready<Result<Self, actix_web::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        std::future::ready(
            req.match_info()
                .get("kind")
                .and_then(K::from_segment)
                .map(PathKind)
                .ok_or_else(|| {
                    refuse(
                        "unknown kind",
                        core_error_page(&CoreError::NotFound("page")),
                    )
                }),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::return_path;

    #[test]
    fn the_login_comes_back_to_the_page_of_the_route() {
        assert_eq!(return_path("/profile"), "/profile");
        assert_eq!(return_path("/profile/{kind}/new"), "/profile");
        assert_eq!(return_path("/profile/{kind}/{id}/delete"), "/profile");
        assert_eq!(return_path("/profile/contacts"), "/profile/contacts");
        assert_eq!(
            return_path("/profile/contacts/{kind}/change"),
            "/profile/contacts"
        );
        assert_eq!(
            return_path("/profile/confirm/post/code"),
            "/profile/confirm"
        );
        assert_eq!(return_path("/profile/delete"), "/profile/delete");
        assert_eq!(return_path("/profile/orgs/create"), "/profile/orgs/create");
        assert_eq!(
            return_path("/profile/personal-data"),
            "/profile/personal-data"
        );
    }
}
