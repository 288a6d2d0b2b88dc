//! The cabinet's wording over real HTTP: every page a demo person reaches spells «учётная»,
//! «откреплённая», «подтверждённая» with ё (no «учетн» beside «учётн»), and EsiaTest008's two
//! seeded vehicles have different names.

use super::profile_pages::{login, page};
use esia_testkit::spawn::spawn_app;
use esia_testkit::upgrade::html_unescape;

/// The texts of every element with `data-testid="<testid>"`.
fn texts(html: &str, testid: &str) -> Vec<String> {
    let marker = format!("data-testid=\"{testid}\">");
    html.match_indices(&marker)
        .map(|(at, _)| {
            let start = at + marker.len();
            let end = html[start..].find('<').expect("closing tag") + start;
            html_unescape(&html[start..end])
        })
        .collect()
}

#[tokio::test]
async fn the_two_seeded_vehicles_of_esiatest008_have_different_names() {
    let app = spawn_app().await;
    login(&app, 8).await;
    let html = page(&app, "/profile").await;
    let names = texts(&html, "profile-vehicle-title");
    assert_eq!(names.len(), 2, "{html}");
    assert_ne!(names[0], names[1], "{names:?}");
}

#[tokio::test]
async fn no_cabinet_page_spells_yo_words_with_e() {
    let app = spawn_app().await;
    let pages = [
        "/profile",
        "/profile/personal-data",
        "/profile/personal-data?edit=1",
        "/profile/contacts",
        "/profile/consents",
        "/profile/confirm",
        "/profile/delete",
        "/profile/documents/new",
        "/profile/addresses/new",
        "/profile/kids/new",
        "/profile/vehicles/new",
        "/profile/orgs/create",
        "/login/signature",
    ];
    // Simplified, standard (the confirmation page's ways) and confirmed (organisations).
    for n in [1, 4, 9] {
        login(&app, n).await;
        for path in pages {
            let resp = app.get(path).await;
            let status = resp.status().as_u16();
            // A page a level may not open answers with a message page: its text counts too.
            assert!(status < 500, "{path}: {status}");
            let text = resp.text().await.unwrap().to_lowercase();
            for wrong in ["учетн", "откреплен", "разрешенн", "подтвержденн"]
            {
                assert!(
                    !text.contains(wrong),
                    "EsiaTest{n:03} {path} contains «{wrong}»"
                );
            }
        }
    }
}
