//! The request parameters of `ac` and `te` (query string and form body) as one ordered list,
//! with every repetition kept so the use cases can refuse it (ESIA-007003, «обязательный
//! параметр… повторяется», §9). Pure functions over bytes, callable from fuzz targets
//! (`esia_core::protocol::params::parse`); this module does not decide what is an error.

/// The `ac` parameters that may appear once (§2.2); a repeated one is ESIA-007003.
pub const AC_SINGLE: &[&str] = &[
    "client_id",
    "client_secret",
    "redirect_uri",
    "scope",
    "scope_org",
    "state",
    "timestamp",
    "response_type",
    "access_type",
    "client_certificate_hash",
    "code_challenge",
    "code_challenge_method",
    "person_filter",
];

/// The `te` parameters that may appear once (§4.2); a repeated one is ESIA-007003.
pub const TE_SINGLE: &[&str] = &[
    "client_id",
    "client_secret",
    "client_certificate_hash",
    "grant_type",
    "code",
    "refresh_token",
    "code_verifier",
    "redirect_uri",
    "scope",
    "scope_org",
    "state",
    "timestamp",
    "token_type",
];

/// Request parameters as received: the form body's pairs, then the query string's, in order.
#[derive(Debug, Clone, Default)]
pub struct Params(pub Vec<(String, String)>);

/// Parses a query string and an optional `application/x-www-form-urlencoded` body (invalid
/// UTF-8 is replaced, never refused). Every pair is kept, except that a query pair equal to a
/// body pair (same name, same value) is dropped once: a form posted back to the URL it came
/// from says each value once, it does not repeat it. A name given with two different values,
/// or twice in one part, stays repeated.
pub fn parse(query: &[u8], body: Option<&[u8]>) -> Params {
    let pairs = |bytes: &[u8]| -> Vec<(String, String)> {
        url::form_urlencoded::parse(bytes)
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect()
    };
    let mut all = body.map(pairs).unwrap_or_default();
    let mut echoed = vec![false; all.len()];
    for pair in pairs(query) {
        let twin = all
            .iter()
            .zip(echoed.iter())
            .position(|(b, used)| !*used && *b == pair);
        match twin {
            Some(i) => echoed[i] = true,
            None => all.push(pair),
        }
    }
    Params(all)
}

impl Params {
    /// The value of a parameter (the first one when repeated, so the body's over the query's).
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The value, with an empty string treated as absent.
    pub fn non_empty(&self, name: &str) -> Option<&str> {
        self.get(name).filter(|v| !v.trim().is_empty())
    }

    /// The first of `names` that is given more than once (with equal or different values).
    pub fn repeated(&self, names: &[&'static str]) -> Option<&'static str> {
        names
            .iter()
            .copied()
            .find(|n| self.0.iter().filter(|(k, _)| k == n).nth(1).is_some())
    }

    /// Appends pairs whose names are not present yet (HTTP Basic credentials, which only fill
    /// in what the parameters lack).
    pub fn merge_missing(&mut self, other: Vec<(String, String)>) {
        for (k, v) in other {
            if self.get(&k).is_none() {
                self.0.push((k, v));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(p: &Params) -> Vec<String> {
        p.0.iter().map(|(k, v)| format!("{k}={v}")).collect()
    }

    #[test]
    fn repeated_parameters_are_found_equal_or_not() {
        let p = parse(b"a=1&a=2&b=1&b=1&c=3", None);
        assert_eq!(p.repeated(&["c", "b", "a"]), Some("b"));
        assert_eq!(p.repeated(&["a"]), Some("a"));
        assert_eq!(p.repeated(&["c", "d"]), None);
        assert_eq!(p.get("a"), Some("1"));
    }

    #[test]
    fn body_wins_and_an_echoed_query_pair_is_not_a_repeat() {
        let p = parse(b"x=q&y=1", Some(b"x=b&y=1"));
        assert_eq!(p.get("x"), Some("b"));
        assert_eq!(p.repeated(&["y"]), None);
        assert_eq!(p.repeated(&["x"]), Some("x"));
        assert_eq!(names(&p), ["x=b", "y=1", "x=q"]);
        // Twice in the query against once in the body: still a repeat.
        let p = parse(b"y=1&y=1", Some(b"y=1"));
        assert_eq!(p.repeated(&["y"]), Some("y"));
        let p = parse(b"y=1", Some(b"y=1&y=1"));
        assert_eq!(p.repeated(&["y"]), Some("y"));
    }

    #[test]
    fn bytes_that_are_not_utf8_do_not_fail() {
        let p = parse(b"a=%FF%FE&%C3=1", Some(&[0xff, b'=', 0xfe]));
        assert_eq!(p.0.len(), 3);
    }
}
