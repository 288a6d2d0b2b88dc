//! End to end: a client system gets an access token through the real v2/ac → login → consent →
//! v3/te flow and reads `/rs/prns/{oid}` with it, as every ESIA client does after login.

use esia_testkit::persons;
use esia_testkit::protocol::*;

#[tokio::test]
async fn token_from_the_real_flow_reads_the_person() {
    let app = esia_testkit::spawn_app().await;
    let client = app.new_client();
    let scope = "openid fullname snils id_doc mobile";
    let state = new_state();
    let params = v2_ac_params(scope, &state, &timestamp(0), &[], own_sign);
    let first = ac(&app, &client, "/aas/oauth2/v2/ac", &params).await;
    let callback = browse_to_callback(&app, &client, first, "EsiaTest006@yandex.ru").await;
    let qp = query_of(&callback);
    let code = q(&qp, "code").expect("code").to_string();
    let params = v3_code_params(&code, scope, &new_state(), &timestamp(0), own_sign);
    let (status, body) = te(&app, "/aas/oauth2/v3/te", &params).await;
    assert_eq!(status, 200, "{body}");
    let access = body["access_token"].as_str().unwrap();
    let o = jwt_part(access, 1)["urn:esia:sbj_id"].as_i64().unwrap();
    assert_eq!(o, persons::oid(6));
    let (s, p) = persons::rs(
        &app,
        access,
        &format!("/rs/prns/{o}?embed=(contacts.elements,documents.elements)"),
    )
    .await;
    assert_eq!(s, 200, "{p}");
    assert!(p["firstName"].is_string() && p["snils"].is_string() && p["rIdDoc"].is_number());
    assert!(p.get("birthDate").is_none(), "birthdate was not granted");
    assert_eq!(p["contacts"]["size"], 1);
    let (s, _) = persons::rs(&app, access, &format!("/rs/prns/{o}/addrs")).await;
    assert_eq!(s, 403);
}
