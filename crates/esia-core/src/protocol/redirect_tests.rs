//! The matcher's table (every hostile shape of issue 10 item 2 and the legitimate ones next to
//! them) and the property that an allowed URI always lands on the registered origin.

use proptest::prelude::*;

use super::*;

fn reg(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

#[test]
fn the_table() {
    let demo = reg(&["http://localhost", "http://127.0.0.1"]);
    let cb = reg(&["http://localhost/cb"]);
    let pinned = reg(&["http://localhost:9999/cb"]);
    let tls = reg(&["https://app.test/esia/"]);
    #[rustfmt::skip]
    let table: &[(&[String], &str, Result<(), Refusal>)] = &[
        // Legitimate.
        (&demo, "http://localhost", Ok(())),
        (&demo, "http://localhost/", Ok(())),
        (&demo, "http://localhost:8000/callback", Ok(())),
        (&demo, "http://localhost:8000/callback?x=1&y=%0D%0A", Ok(())),
        (&demo, "http://127.0.0.1:3000/cb", Ok(())),
        (&demo, "HTTP://LOCALHOST:8000/cb", Ok(())),
        (&cb, "http://localhost/cb", Ok(())),
        (&cb, "http://localhost/cb/x", Ok(())),
        (&cb, "http://localhost/cb?next=1", Ok(())),
        (&cb, "http://LOCALHOST/cb", Ok(())),
        (&cb, "http://localhost/cb/x/../y", Ok(())),
        (&pinned, "http://localhost:9999/cb", Ok(())),
        (&tls, "https://app.test/esia/callback", Ok(())),
        (&reg(&["http://localhost:80/cb"]), "http://localhost/cb", Ok(())),
        (&reg(&["http://[::1]:8000/"]), "http://[::1]:8000/cb", Ok(())),
        // User info: the browser goes to the host after `@`.
        (&demo, "http://localhost:@evil.example/cb", Err(Refusal::UserInfo)),
        (&demo, "http://localhost:8000@evil.example/cb", Err(Refusal::UserInfo)),
        (&demo, "http://127.0.0.1:x@evil.example/cb", Err(Refusal::UserInfo)),
        (&demo, "http://localhost:garbage@evil.example/cb", Err(Refusal::UserInfo)),
        (&demo, "http://@localhost/cb", Err(Refusal::UserInfo)),
        (&demo, "http://evil.example@localhost/cb", Err(Refusal::UserInfo)),
        // Backslashes and missing slashes.
        (&demo, "http://localhost\\@evil.example/cb", Err(Refusal::Backslash)),
        (&demo, "http:/\\evil.example/cb", Err(Refusal::Backslash)),
        (&demo, "http:\\\\evil.example/cb", Err(Refusal::Backslash)),
        (&demo, "http:/evil.example/cb", Err(Refusal::Scheme)),
        (&demo, "http:evil.example", Err(Refusal::Scheme)),
        (&demo, "//evil.example/cb", Err(Refusal::Scheme)),
        (&demo, "javascript:alert(1)", Err(Refusal::Scheme)),
        (&demo, "ftp://localhost/cb", Err(Refusal::Scheme)),
        (&demo, "http:///evil.example/cb", Err(Refusal::Host)),
        // Control characters (browsers drop TAB/CR/LF, so `local\thost` is `localhost`).
        (&demo, "http://local\thost/cb", Err(Refusal::Control)),
        (&demo, "http://localhost/cb\r\nSet-Cookie: x=1", Err(Refusal::Control)),
        (&demo, "http://localhost/c\nb", Err(Refusal::Control)),
        (&demo, "http://localhost\t@evil.example/", Err(Refusal::Control)),
        (&demo, " http://localhost/cb", Err(Refusal::Control)),
        (&demo, "http://localhost/cb\0", Err(Refusal::Control)),
        // Fragments.
        (&demo, "http://localhost/cb#x", Err(Refusal::Fragment)),
        (&demo, "http://localhost/cb#", Err(Refusal::Fragment)),
        // Hosts the parser rewrites.
        (&demo, "http://127.1/cb", Err(Refusal::Host)),
        (&demo, "http://0x7f.0.0.1/cb", Err(Refusal::Host)),
        (&demo, "http://2130706433/cb", Err(Refusal::Host)),
        (&demo, "http://%6cocalhost/cb", Err(Refusal::Host)),
        (&demo, "http://ｌｏｃａｌｈｏｓｔ/cb", Err(Refusal::Host)),
        (&demo, "http://localhost./cb", Err(Refusal::Host)),
        (&reg(&["http://[::1]/"]), "http://[0:0::1]/cb", Err(Refusal::Host)),
        // Ports.
        (&demo, "http://localhost:/cb", Err(Refusal::Port)),
        (&demo, "http://localhost:08000/cb", Err(Refusal::Port)),
        (&demo, "http://localhost:+80/cb", Err(Refusal::Unparsable)),
        (&pinned, "http://localhost:9998/cb", Err(Refusal::NotRegistered)),
        // A host that is not loopback, registered without a port: only its scheme's port.
        (&tls, "https://app.test:8443/esia/callback", Err(Refusal::NotRegistered)),
        (&tls, "https://app.test:443/esia/callback", Ok(())),
        (&reg(&["http://rp.example/cb"]), "http://rp.example:8080/cb", Err(Refusal::NotRegistered)),
        (&pinned, "http://localhost/cb", Err(Refusal::NotRegistered)),
        // Other hosts, schemes and paths.
        (&demo, "http://localhost.evil.test/cb", Err(Refusal::NotRegistered)),
        (&demo, "http://evil.example/localhost", Err(Refusal::NotRegistered)),
        (&demo, "https://localhost/cb", Err(Refusal::NotRegistered)),
        (&tls, "http://app.test/esia/callback", Err(Refusal::NotRegistered)),
        (&cb, "http://localhost/cbevil", Err(Refusal::NotRegistered)),
        (&cb, "http://localhost/cb/../evil", Err(Refusal::NotRegistered)),
        (&cb, "http://localhost/cb/%2e%2e/evil", Err(Refusal::NotRegistered)),
        (&cb, "http://localhost/cb%2F..%2Fevil", Err(Refusal::NotRegistered)),
        (&cb, "http://localhost/", Err(Refusal::NotRegistered)),
        (&tls, "https://app.test/esia", Err(Refusal::NotRegistered)),
        // A malformed registered URI allows nothing.
        (&reg(&["http://x@localhost"]), "http://localhost/", Err(Refusal::NotRegistered)),
    ];
    for (registered, uri, want) in table {
        let got = check(registered, uri).map(|_| ());
        assert_eq!(&got, want, "{uri:?} against {registered:?}");
    }
}

#[test]
fn the_redirect_target_is_the_parsed_url() {
    let u = check(
        &reg(&["http://localhost/cb"]),
        "HTTP://LocalHost/cb/x/../y?q=1",
    )
    .unwrap();
    assert_eq!(u.as_str(), "http://localhost/cb/y?q=1");
}

/// Pieces that hostile URIs are made of.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("http://".to_string()),
        Just("https://".to_string()),
        Just("http:".to_string()),
        Just("localhost".to_string()),
        Just("LOCALHOST".to_string()),
        Just("127.0.0.1".to_string()),
        Just("127.1".to_string()),
        Just("evil.example".to_string()),
        Just("[::1]".to_string()),
        Just(":".to_string()),
        Just(":8000".to_string()),
        Just(":80".to_string()),
        Just("@".to_string()),
        Just("/".to_string()),
        Just("\\".to_string()),
        Just("/cb".to_string()),
        Just("..".to_string()),
        Just("%2e".to_string()),
        Just("%40".to_string()),
        Just("?".to_string()),
        Just("#".to_string()),
        Just(".".to_string()),
        Just("\t".to_string()),
        Just("\r\n".to_string()),
        "[a-z0-9.:@/%-]{1,6}",
        any::<char>().prop_map(String::from),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4000))]

    /// Whenever the matcher allows a URI, the browser's view of it (the WHATWG parse of the raw
    /// text) has the registered scheme and host, and the registered port when one is named.
    #[test]
    fn allowed_uris_land_on_the_registered_origin(
        prefix in prop_oneof![
            Just("http://localhost"), Just("http://localhost:8000/cb"), Just("https://[::1]"),
            Just("HTTP://LocalHost"), Just("http://"), Just(""),
        ],
        parts in proptest::collection::vec(piece(), 0..8),
        which in 0usize..3,
    ) {
        let registered = ["http://localhost", "http://localhost:8000/cb", "https://[::1]/"];
        let r = registered[which];
        let uri = format!("{prefix}{}", parts.concat());
        if let Ok(target) = check(&[r.to_string()], &uri) {
            let want = Url::parse(r).unwrap();
            let seen = Url::parse(&uri).unwrap();
            prop_assert_eq!(seen.scheme(), want.scheme());
            prop_assert_eq!(seen.host_str(), want.host_str());
            prop_assert!(seen.username().is_empty() && seen.password().is_none());
            if r.contains(":8000") {
                prop_assert_eq!(seen.port_or_known_default(), want.port_or_known_default());
            }
            prop_assert_eq!(target.as_str(), seen.as_str());
        }
    }

    /// Arbitrary text never panics and is never allowed with user info or a fragment.
    #[test]
    fn arbitrary_text_is_refused_or_plain(uri in "\\PC{0,60}") {
        if let Ok(u) = check(&["http://localhost".to_string()], &uri) {
            prop_assert_eq!(u.host_str(), Some("localhost"));
            prop_assert!(u.fragment().is_none());
        }
    }
}
