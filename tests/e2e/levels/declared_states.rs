//! Upgrade states declared by a seed or the personas API, seen in «Персональные данные» as the
//! same states reached by checks run from the cabinet: EsiaTest012's failed passport check and
//! an API persona whose SNILS was not found show the failed check, its reason and «Исправить
//! данные», and the data can be corrected and checked again.

use chrono::Duration;
use esia_testkit::upgrade::{as_refs, fields, person_form, snils};
use esia_testkit::{spawn_app, TestApp};
use serde_json::json;

async fn login(app: &TestApp, login: &str) {
    let resp = app
        .post_form("/login", &[("login", login), ("password", "11111111")])
        .await;
    assert_eq!(resp.status(), 303, "login");
}

async fn page(app: &TestApp, path: &str) -> String {
    app.get(path).await.text().await.expect("page")
}

#[tokio::test]
async fn the_seeded_failed_passport_check_shows_with_fix_data() {
    let app = spawn_app().await;
    login(&app, "+79000000012").await;
    let html = page(&app, "/profile/personal-data").await;
    assert!(
        html.contains("data-testid=\"personal-data-failed\""),
        "{html}"
    );
    assert!(html.contains("паспорт недействителен"), "{html}");
    assert!(html.contains("Проверка паспорта в МВД России"), "{html}");
    assert!(
        html.contains("data-testid=\"check-passport-status\" data-status=\"failed\""),
        "{html}"
    );
    assert!(html.contains("data-testid=\"personal-data-fix\""), "{html}");
    let form = page(&app, "/profile/personal-data?edit=1").await;
    assert!(
        form.contains("data-testid=\"personal-data-form\""),
        "{form}"
    );

    // Corrected data are checked again and make the account standard.
    let good = fields(&person_form("Соловьёв", &snils("982938649"), "903396"));
    let resp = app
        .post_form("/profile/personal-data", &as_refs(&good))
        .await;
    assert_eq!(resp.status(), 303);
    app.clock.advance(Duration::seconds(10));
    for _ in 0..200 {
        if page(&app, "/profile")
            .await
            .contains("Стандартная учётная запись")
        {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    panic!(
        "never standard: {}",
        page(&app, "/profile/personal-data").await
    );
}

#[tokio::test]
async fn a_failed_check_declared_through_the_api_shows_like_one_run_in_the_cabinet() {
    let app = spawn_app().await;
    let resp = app
        .client
        .post(app.url("/emulator/api/personas"))
        .header("content-type", "application/json")
        .body(
            json!({
                "level": "simplified",
                "verification": "failed",
                "verification_note": "snils:not_found",
                "phone": "+79001230077",
                "password": "11111111",
            })
            .to_string(),
        )
        .send()
        .await
        .expect("create persona");
    assert_eq!(resp.status(), 201);
    login(&app, "+79001230077").await;
    let html = page(&app, "/profile/personal-data").await;
    assert!(
        html.contains("data-testid=\"personal-data-failed\""),
        "{html}"
    );
    assert!(html.contains("не найден"), "{html}");
    assert!(
        html.contains("data-testid=\"check-snils-status\" data-status=\"failed\""),
        "{html}"
    );
    assert!(
        html.contains("data-testid=\"check-passport-status\" data-status=\"passed\""),
        "{html}"
    );
    assert!(html.contains("data-testid=\"personal-data-fix\""), "{html}");
}
