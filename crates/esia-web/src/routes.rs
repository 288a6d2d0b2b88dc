//! The table of every route the router serves: `(method, pattern)` exactly as registered by the
//! `configure` functions (patterns with `{param}` placeholders). Tests walk it (the hostile-input
//! walker in `tests/hostile_input.rs`); this module's own tests keep it equal to the real router in
//! both directions, so a route added without a table line (or a stale line) fails the build's
//! tests. It must not be used for routing or authorisation decisions: the router is the truth.

pub use actix_web::http::Method;

/// Every `(method, pattern)` the router serves, grouped by the module that registers it.
pub const ALL: &[(Method, &str)] = &[
    // admin_auth.rs
    (Method::GET, "/emulator/login"),
    (Method::POST, "/emulator/login"),
    // api/clients.rs
    (Method::GET, "/emulator/api/clients"),
    (Method::POST, "/emulator/api/clients"),
    (Method::GET, "/emulator/api/clients/{mnemonic}"),
    (Method::DELETE, "/emulator/api/clients/{mnemonic}"),
    (Method::POST, "/emulator/api/debug/verify-secret"),
    // api/clock.rs
    (Method::GET, "/emulator/api/clock"),
    (Method::POST, "/emulator/api/clock"),
    (Method::DELETE, "/emulator/api/clock"),
    // api/docs.rs
    (Method::GET, "/emulator/api/openapi.json"),
    (Method::GET, "/emulator/api/docs"),
    // api/faults.rs
    (Method::GET, "/emulator/api/faults"),
    (Method::POST, "/emulator/api/faults"),
    (Method::DELETE, "/emulator/api/faults"),
    (Method::GET, "/emulator/api/faults/{id}"),
    (Method::DELETE, "/emulator/api/faults/{id}"),
    // api/journal.rs
    (Method::GET, "/emulator/api/journal"),
    (Method::DELETE, "/emulator/api/journal"),
    // api/mod.rs
    (Method::GET, "/emulator/health"),
    (Method::GET, "/emulator/ready"),
    (Method::GET, "/emulator/api/outbox"),
    // api/personas.rs
    (Method::POST, "/emulator/api/personas"),
    (Method::GET, "/emulator/api/personas"),
    (Method::GET, "/emulator/api/personas/{oid}"),
    (Method::PATCH, "/emulator/api/personas/{oid}"),
    (Method::DELETE, "/emulator/api/personas/{oid}"),
    // api/rules.rs
    (Method::GET, "/emulator/api/verification-rules"),
    (Method::POST, "/emulator/api/verification-rules"),
    (Method::DELETE, "/emulator/api/verification-rules"),
    (Method::DELETE, "/emulator/api/verification-rules/{id}"),
    // api/state.rs
    (Method::POST, "/emulator/api/reset"),
    (Method::GET, "/emulator/api/snapshot"),
    (Method::POST, "/emulator/api/snapshot"),
    // api/zero_click.rs
    (Method::GET, "/emulator/api/clients/{mnemonic}/zero-click"),
    (Method::PUT, "/emulator/api/clients/{mnemonic}/zero-click"),
    (Method::POST, "/emulator/api/clients/{mnemonic}/next-login"),
    // esia/aas.rs
    (Method::GET, "/aas/oauth2/ac"),
    (Method::POST, "/aas/oauth2/ac"),
    (Method::GET, "/aas/oauth2/v2/ac"),
    (Method::POST, "/aas/oauth2/v2/ac"),
    (Method::GET, "/aas/oauth2/continue"),
    (Method::POST, "/aas/oauth2/consent"),
    (Method::POST, "/aas/oauth2/te"),
    (Method::POST, "/aas/oauth2/v3/te"),
    // esia/idp.rs
    (Method::GET, "/idp/ext/Logout"),
    // esia/public.rs
    (Method::GET, "/public/esia.zip"),
    (Method::GET, "/public/esia-rsa.pem"),
    (Method::GET, "/public/esia-gost.pem"),
    (Method::GET, "/.well-known/openid-configuration"),
    (Method::GET, "/.well-known/jwks.json"),
    // esia/roles.rs
    (Method::POST, "/aas/oauth2/role"),
    // metrics.rs
    (Method::GET, "/emulator/metrics"),
    // pages/admin/clock.rs
    (Method::GET, "/emulator/clock"),
    (Method::POST, "/emulator/clock"),
    // pages/admin/faults.rs
    (Method::GET, "/emulator/faults"),
    (Method::POST, "/emulator/faults"),
    (Method::POST, "/emulator/faults/{id}/delete"),
    (Method::POST, "/emulator/faults/clear"),
    // pages/admin/jobs.rs
    (Method::GET, "/emulator/jobs"),
    (Method::POST, "/emulator/jobs/{id}/retry"),
    // pages/admin/journal.rs
    (Method::GET, "/emulator/journal"),
    (Method::POST, "/emulator/journal/decode"),
    (Method::POST, "/emulator/journal/clear"),
    // pages/admin/outbox.rs
    (Method::GET, "/emulator/outbox"),
    // pages/admin/personas.rs
    (Method::GET, "/emulator/personas"),
    (Method::POST, "/emulator/personas"),
    (Method::POST, "/emulator/personas/{oid}/level"),
    (Method::POST, "/emulator/personas/{oid}/block"),
    (Method::POST, "/emulator/personas/{oid}/delete"),
    // pages/admin/reset.rs
    (Method::GET, "/emulator/reset"),
    (Method::POST, "/emulator/reset"),
    // pages/bank.rs
    (Method::GET, "/emulator/bank/{bank}"),
    (Method::POST, "/emulator/bank/{bank}/login"),
    (Method::POST, "/emulator/bank/{bank}/agree"),
    // pages/bank_register.rs
    (Method::GET, "/emulator/bank/{bank}/register"),
    (Method::POST, "/emulator/bank/{bank}/register"),
    // pages/clients.rs
    (Method::GET, "/emulator/clients"),
    (Method::POST, "/emulator/clients"),
    // pages/confirm.rs
    (Method::GET, "/profile/confirm"),
    (Method::POST, "/profile/confirm/post"),
    (Method::POST, "/profile/confirm/post/code"),
    (Method::POST, "/profile/confirm/signature"),
    // pages/emulator_home.rs
    (Method::GET, "/emulator"),
    // pages/assets.rs
    (Method::GET, "/assets/password.js"),
    // pages/login.rs
    (Method::GET, "/"),
    (Method::GET, "/login"),
    (Method::POST, "/login"),
    (Method::POST, "/logout"),
    // pages/login_signature.rs
    (Method::GET, "/login/signature"),
    (Method::POST, "/login/signature"),
    // pages/operator.rs
    (Method::GET, "/emulator/operator"),
    (Method::POST, "/emulator/operator/confirm"),
    (Method::POST, "/emulator/operator/register"),
    // pages/orgs.rs
    (Method::GET, "/profile/orgs/create"),
    (Method::POST, "/profile/orgs/create"),
    // pages/personal_data.rs
    (Method::GET, "/profile/personal-data"),
    (Method::POST, "/profile/personal-data"),
    // pages/profile.rs
    (Method::GET, "/profile"),
    // pages/profile_account.rs
    (Method::GET, "/profile/delete"),
    (Method::POST, "/profile/delete"),
    // pages/profile_consents.rs
    (Method::GET, "/profile/consents"),
    (Method::POST, "/profile/consents/{mnemonic}/revoke"),
    // pages/profile_contacts.rs
    (Method::GET, "/profile/contacts"),
    (Method::POST, "/profile/contacts/{kind}/change"),
    (Method::POST, "/profile/contacts/{kind}/confirm"),
    (Method::POST, "/profile/contacts/{kind}/cancel"),
    // pages/profile_security.rs
    (Method::GET, "/profile/security"),
    // pages/profile_items.rs
    (Method::GET, "/profile/{kind}/new"),
    (Method::POST, "/profile/{kind}/new"),
    (Method::GET, "/profile/{kind}/{id}/edit"),
    (Method::POST, "/profile/{kind}/{id}/edit"),
    (Method::POST, "/profile/{kind}/{id}/delete"),
    // pages/recovery.rs
    (Method::GET, "/recovery"),
    (Method::POST, "/recovery"),
    (Method::GET, "/recovery/code"),
    (Method::POST, "/recovery/code"),
    (Method::GET, "/recovery/password/{token}"),
    (Method::POST, "/recovery/password/{token}"),
    // pages/registration.rs
    (Method::GET, "/registration"),
    (Method::POST, "/registration"),
    (Method::GET, "/registration/code"),
    (Method::POST, "/registration/code"),
    (Method::POST, "/registration/code/resend"),
    (Method::GET, "/registration/email-sent"),
    (Method::GET, "/registration/email/{token}"),
    (Method::GET, "/registration/password"),
    (Method::POST, "/registration/password"),
    // rs/mod.rs
    (Method::GET, "/rs/prns/{oid}"),
    (Method::GET, "/rs/prns/{oid}/kids/{kid}/docs"),
    (Method::GET, "/rs/prns/{oid}/kids/{kid}/docs/{doc}"),
    (Method::GET, "/rs/prns/{oid}/{coll}"),
    (Method::GET, "/rs/prns/{oid}/{coll}/{id}"),
    (Method::GET, "/rs/orgs/{org}"),
    (Method::GET, esia_core::person::userinfo::USERINFO_PATH),
];

/// The pattern with every `{param}` replaced by `value` (which is inserted as is: percent-encode
/// it first if it must stay one segment).
pub fn fill(pattern: &str, value: &str) -> String {
    let mut out = String::with_capacity(pattern.len() + value.len());
    let mut rest = pattern;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        match rest[start..].find('}') {
            Some(end) => {
                out.push_str(value);
                rest = &rest[start + end + 1..];
            }
            None => {
                rest = &rest[start..];
                break;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use actix_web::body::MessageBody;
    use actix_web::dev::{ServiceRequest, ServiceResponse};
    use actix_web::http::header::{self, HeaderName, HeaderValue};
    use actix_web::http::StatusCode;
    use actix_web::middleware::{from_fn, Next};
    use actix_web::{test as actix_test, web, App, Error, HttpRequest, HttpResponse};

    use super::{fill, Method, ALL};

    /// The marker status of the test app's default service ("no route matched").
    const UNROUTED: u16 = 418;
    const MATCHED: &str = "x-matched-pattern";

    async fn unrouted(req: HttpRequest) -> HttpResponse {
        // The resource map's `Debug` is the only public view of every registered pattern.
        HttpResponse::ImATeapot().body(format!("{:#?}", req.resource_map()))
    }

    /// Records which registered pattern served the request (after routing).
    async fn record_pattern(
        req: ServiceRequest,
        next: Next<impl MessageBody + 'static>,
    ) -> Result<ServiceResponse<impl MessageBody>, Error> {
        let mut res = next.call(req).await?;
        if let Some(p) = res.request().match_pattern() {
            if let Ok(v) = HeaderValue::from_str(&p) {
                res.headers_mut()
                    .insert(HeaderName::from_static(MATCHED), v);
            }
        }
        Ok(res)
    }

    /// Full patterns of the leaves of a pretty-printed `ResourceMap` (scopes concatenated).
    fn leaf_patterns(debug: &str) -> BTreeSet<String> {
        // (indent of `ResourceMap {`, its own pattern)
        let mut stack: Vec<(usize, String)> = Vec::new();
        let mut leaves = BTreeSet::new();
        let mut lines = debug.lines();
        while let Some(line) = lines.next() {
            let indent = line.len() - line.trim_start().len();
            let t = line.trim();
            if t.ends_with("ResourceMap {") {
                stack.retain(|(i, _)| *i < indent);
                stack.push((indent, String::new()));
            } else if t == "patterns: Single(" {
                let value = lines.next().unwrap_or_default().trim();
                let value = value.trim_end_matches(',').trim_matches('"').to_string();
                if let Some(top) = stack.last_mut() {
                    top.1 = value;
                }
            } else if t.starts_with("patterns: List(") {
                panic!("multi-pattern resources are not supported by the route table test");
            } else if t == "nodes: None," {
                let full: String = stack.iter().map(|(_, p)| p.as_str()).collect();
                leaves.insert(full);
            }
        }
        leaves
    }

    macro_rules! test_app {
        () => {
            actix_test::init_service(
                App::new()
                    .wrap(from_fn(record_pattern))
                    .configure(crate::configure)
                    .default_service(web::to(unrouted)),
            )
            .await
        };
    }

    #[actix_web::test]
    async fn the_table_lists_every_registered_pattern_and_nothing_else() {
        let app = test_app!();
        let req = actix_test::TestRequest::get()
            .uri("/__no_such_route__")
            .to_request();
        let res = actix_test::call_service(&app, req).await;
        assert_eq!(res.status().as_u16(), UNROUTED);
        let body = actix_test::read_body(res).await;
        let registered = leaf_patterns(std::str::from_utf8(&body).unwrap());
        assert!(
            registered.len() > 50,
            "the resource map did not parse: {registered:?}"
        );
        let table: BTreeSet<String> = ALL.iter().map(|(_, p)| p.to_string()).collect();
        let missing: Vec<_> = registered.difference(&table).collect();
        let stale: Vec<_> = table.difference(&registered).collect();
        assert!(
            missing.is_empty(),
            "registered but not in routes::ALL: {missing:?}"
        );
        assert!(
            stale.is_empty(),
            "in routes::ALL but not registered: {stale:?}"
        );
    }

    #[actix_web::test]
    async fn every_table_route_is_served_with_its_method_and_no_other() {
        let app = test_app!();
        let methods = [
            Method::GET,
            Method::POST,
            Method::PUT,
            Method::PATCH,
            Method::DELETE,
        ];
        let patterns: BTreeSet<&str> = ALL.iter().map(|(_, p)| *p).collect();
        for pattern in patterns {
            for method in &methods {
                let listed = ALL.iter().any(|(m, p)| m == method && *p == pattern);
                let req = actix_test::TestRequest::default()
                    .method(method.clone())
                    .uri(&fill(pattern, "x1"))
                    .to_request();
                let res = actix_test::call_service(&app, req).await;
                let matched = res
                    .headers()
                    .get(MATCHED)
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_string);
                // A `web::resource` with several routes answers 405 for a method it lacks.
                let routed = !matches!(res.status().as_u16(), UNROUTED | 405);
                // The admin guards wrap the `/emulator` scopes and answer (303 to the login
                // page, 401 on the API) before the scope routes by method, so for a method a
                // guarded pattern lacks their answer says nothing; the resource-map test above
                // still catches a pattern missing from the table.
                let guard_answered = res.status() == StatusCode::SEE_OTHER
                    && res
                        .headers()
                        .get(header::LOCATION)
                        .and_then(|v| v.to_str().ok())
                        .is_some_and(|l| l.starts_with("/emulator/login"))
                    || res.status() == StatusCode::UNAUTHORIZED
                        && (pattern.starts_with("/emulator/api") || pattern == "/emulator/metrics");
                if listed {
                    assert!(routed, "{method} {pattern} is in the table but not routed");
                    assert_eq!(matched.as_deref(), Some(pattern), "{method} {pattern}");
                } else {
                    assert!(
                        !routed || guard_answered || matched.as_deref() != Some(pattern),
                        "{method} {pattern} is routed but not in routes::ALL (answered {})",
                        res.status()
                    );
                }
            }
        }
    }

    #[test]
    fn fill_replaces_every_placeholder() {
        assert_eq!(fill("/rs/prns/{oid}/{coll}/{id}", "7"), "/rs/prns/7/7/7");
        assert_eq!(fill("/login", "7"), "/login");
        assert_eq!(fill("/a/{b", "7"), "/a/{b");
    }
}
