//! How the `redirect_uri` a token request sends compares with the one its `ac` request parked
//! (RFC 6749 §4.1.3 asks for the same value). One known client deviates: a Ruby OmniAuth
//! strategy builds `redirect_uri` from OmniAuth's `callback_url`, which carries the callback's
//! own query, so it sends `<registered URI>?code=…&state=…`. This module only names what it
//! sees; whether a lenient client may pass is the token endpoint's decision. Pure.

/// The journal's and the diagnostics' name of the OmniAuth variant.
pub const OMNIAUTH_VARIANT: &str = "omniauth-callback-query";

/// What the sent `redirect_uri` is, measured against the parked one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RedirectMatch {
    /// Byte for byte the `ac` request's.
    Same,
    /// The `ac` request's plus exactly the callback's `code` and `state`, nothing else.
    CallbackQuery,
    Differs,
}

/// Compares `sent` with `parked`; `code` is the code being exchanged and `ac_state` the `state`
/// of its `ac` request (None for codes issued before it was kept: never the variant then).
pub fn compare(sent: &str, parked: &str, code: &str, ac_state: Option<&str>) -> RedirectMatch {
    if sent == parked {
        return RedirectMatch::Same;
    }
    let Some(ac_state) = ac_state else {
        return RedirectMatch::Differs;
    };
    let joiner = if parked.contains('?') { '&' } else { '?' };
    let Some(query) = sent
        .strip_prefix(parked)
        .and_then(|rest| rest.strip_prefix(joiner))
    else {
        return RedirectMatch::Differs;
    };
    let mut pairs: Vec<(String, String)> = url::form_urlencoded::parse(query.as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    pairs.sort();
    let expected = [
        ("code".to_string(), code.to_string()),
        ("state".to_string(), ac_state.to_string()),
    ];
    if pairs == expected {
        RedirectMatch::CallbackQuery
    } else {
        RedirectMatch::Differs
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use RedirectMatch::*;

    const CB: &str = "https://rp.example/auth/esia/callback";

    #[test]
    fn the_callback_query_is_named_and_nothing_else() {
        assert_eq!(compare(CB, CB, "C1", Some("S1")), Same);
        let omni = format!("{CB}?code=C1&state=S1");
        assert_eq!(compare(&omni, CB, "C1", Some("S1")), CallbackQuery);
        let reordered = format!("{CB}?state=S1&code=C1");
        assert_eq!(compare(&reordered, CB, "C1", Some("S1")), CallbackQuery);
        // Another code, another state, an extra parameter, a missing one, an old row.
        assert_eq!(compare(&omni, CB, "C2", Some("S1")), Differs);
        assert_eq!(compare(&omni, CB, "C1", Some("S2")), Differs);
        let extra = format!("{CB}?code=C1&state=S1&x=1");
        assert_eq!(compare(&extra, CB, "C1", Some("S1")), Differs);
        let only_code = format!("{CB}?code=C1");
        assert_eq!(compare(&only_code, CB, "C1", Some("S1")), Differs);
        assert_eq!(compare(&omni, CB, "C1", None), Differs);
        // Another path that merely starts like the registered one.
        let longer = format!("{CB}x?code=C1&state=S1");
        assert_eq!(compare(&longer, CB, "C1", Some("S1")), Differs);
    }

    #[test]
    fn a_registered_query_is_extended_with_an_ampersand() {
        let parked = "https://rp.example/cb?site=1";
        let sent = format!("{parked}&code=C1&state=S1");
        assert_eq!(compare(&sent, parked, "C1", Some("S1")), CallbackQuery);
        let wrong = format!("{parked}?code=C1&state=S1");
        assert_eq!(compare(&wrong, parked, "C1", Some("S1")), Differs);
    }
}
