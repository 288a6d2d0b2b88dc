//! What keeps other web sites out, over real HTTP: no redirect target can turn into a 500.

mod raw_http;

use esia_testkit::spawn::location;
use esia_testkit::spawn_app;

#[tokio::test]
async fn a_redirect_target_with_cr_lf_is_never_a_500() {
    let app = spawn_app().await;
    for target in [
        "/idp/ext/Logout?client_id=DEMO_IS&redirect_url=http://localhost:8000/cb%0d%0aSet-Cookie:%20x=y",
        "/idp/ext/Logout?client_id=DEMO_IS&redirect_url=http://localhost%0a/cb",
        "/idp/ext/Logout?client_id=DEMO_IS&redirect_url=http://localhost/%00",
    ] {
        let resp = raw_http::send(&app.address, "GET", target, &[], b"").await;
        assert!(resp.status < 500, "{target}: {}", resp.status);
        assert!(
            resp.headers.iter().all(|(n, v)| n != "set-cookie" || !v.starts_with("x=")),
            "{target}: {:?}",
            resp.headers
        );
        if let Some(to) = resp.header("location") {
            assert!(!to.contains('\r') && !to.contains('\n'), "{to:?}");
        }
    }
    // The plain case still redirects.
    let ok = app
        .get("/idp/ext/Logout?client_id=DEMO_IS&redirect_url=http://localhost:8000/bye")
        .await;
    assert_eq!(ok.status(), 302);
    assert_eq!(location(&ok), "http://localhost:8000/bye");
}
