//! Pins every code's strings: clients parse them.

use super::*;
use EsiaErrorCode::*;

#[test]
fn pinned_oauth_errors() {
    let rows: &[(EsiaErrorCode, &str, &str, u16, &str)] = &[
        (E007002, "ESIA-007002", "invalid_client", 400, "ac/te"),
        (E007003, "ESIA-007003", "invalid_request", 400, "ac/te"),
        (E007004, "ESIA-007004", "access_denied", 400, "ac/te"),
        (E007005, "ESIA-007005", "unauthorized_client", 400, "ac"),
        (E007006, "ESIA-007006", "invalid_scope", 400, "ac/te"),
        (E007007, "ESIA-007007", "server_error", 500, "any"),
        (
            E007008,
            "ESIA-007008",
            "temporarily_unavailable",
            503,
            "any",
        ),
        (E007009, "ESIA-007009", "unsupported_grant_type", 400, "te"),
        (E007011, "ESIA-007011", "invalid_grant", 400, "te"),
        (
            E007012,
            "ESIA-007012",
            "unsupported_response_type",
            400,
            "ac/te",
        ),
        (E007013, "ESIA-007013", "invalid_scope", 400, "ac/te"),
        (E007014, "ESIA-007014", "invalid_request", 400, "ac/te"),
        (E007015, "ESIA-007015", "invalid_request", 400, "ac/te"),
        (E007019, "ESIA-007019", "access_denied", 400, "ac"),
        (E007023, "ESIA-007023", "invalid_request", 400, "ac"),
        (E007038, "ESIA-007038", "invalid_request", 400, "ac/te"),
        (E007039, "ESIA-007039", "invalid_request", 400, "te"),
        (E007040, "ESIA-007040", "invalid_grant", 400, "te"),
        (E007046, "ESIA-007046", "access_denied", 400, "ac"),
        (E007053, "ESIA-007053", "access_denied", 400, "ac/te"),
        (E007055, "ESIA-007055", "access_denied", 400, "ac"),
        (E007060, "ESIA-007060", "invalid_request", 400, "ac"),
        (E007061, "ESIA-007061", "invalid_request", 400, "ac"),
        (E007062, "ESIA-007062", "invalid_request", 400, "ac"),
        (E007194, "ESIA-007194", "invalid_scope", 400, "ac/te"),
        (E008010, "ESIA-008010", "invalid_client", 401, "unused"),
        (E005011, "ESIA-005011", "invalid_token", 401, "rest"),
        (E005013, "ESIA-005013", "invalid_token", 401, "rest"),
        (E005029, "ESIA-005029", "insufficient_scope", 403, "rest"),
    ];
    assert_eq!(rows.len(), EsiaErrorCode::all().len());
    for (c, code, err, http, chan) in rows {
        assert_eq!(c.code(), *code);
        assert_eq!(c.oauth_error(), *err, "{code}");
        assert_eq!(c.http_status(), *http, "{code}");
        assert_eq!(c.channel().as_str(), *chan, "{code}");
        assert_eq!(c.to_string(), *code);
        assert_eq!(code.parse::<EsiaErrorCode>(), Ok(*c));
        assert_eq!(c.number().parse::<EsiaErrorCode>(), Ok(*c));
        assert!(!c.description().is_empty());
        assert!(!c.message_ru().is_empty());
        assert_eq!(
            c.error_description(),
            format!("{}: {}", c.code(), c.description())
        );
    }
}

#[test]
fn pinned_descriptions() {
    let rows: &[(EsiaErrorCode, &str)] = &[
        (E007002, "The certificate does not match the client system or no certificate is registered for it"),
        (E007003, "The request is missing a required parameter, includes an invalid parameter value, includes a parameter more than once, or is otherwise malformed."),
        (E007004, "The resource owner or authorization server denied the request."),
        (E007005, "The client is not authorized to request an access token using this method."),
        (E007006, "The requested scope is invalid, unknown, or malformed."),
        (E007007, "The authorization server encountered an unexpected condition that prevented it from fulfilling the request."),
        (E007008, "The authorization server is currently unable to handle the request due to a temporary overloading or maintenance of the server."),
        (E007009, "The authorization grant type is not supported by the authorization server."),
        (E007011, "The provided authorization grant or refresh token is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client."),
        (E007012, "The authorization server does not support obtaining an authorization code using this method."),
        (E007013, "The request does not contain the scope"),
        (E007014, "The request does not contain the mandatory parameter"),
        (E007015, "The request time (timestamp) is invalid"),
        (E007019, "OAuthErrorEnum.noGrants"),
        (E007023, "The redirect_uri is not among the URIs allowed for the client system"),
        (E007038, "The request parameters cannot be read"),
        (E007039, "The code_challenge parameter was not given in the original request to /v2/ac"),
        (E007040, "The code_verifier does not match the code_challenge"),
        (E007046, "The scope requires a one-time password that cannot be sent to the user"),
        (E007053, "OAuthErrorEnum.clientSecretWrong"),
        (E007055, "Login with an unconfirmed account is not allowed"),
        (E007060, "The roles parameter is invalid"),
        (E007061, "The obj_type parameter is invalid"),
        (E007062, "The user type or role in the request is invalid"),
        (E007194, "The organisation scope is requested for an organisation the user is not an employee of"),
        (E008010, "Client system authentication failed"),
        (E005011, "SecurityErrorEnum.invalidToken"),
        (E005013, "SecurityErrorEnum.expiredToken"),
        (E005029, "SecurityErrorEnum.scopeNotAllowed"),
    ];
    assert_eq!(rows.len(), EsiaErrorCode::all().len());
    for (c, d) in rows {
        assert_eq!(c.description(), *d, "{c}");
    }
    assert_eq!(
        E007053.error_description(),
        "ESIA-007053: OAuthErrorEnum.clientSecretWrong"
    );
    assert_eq!(
        E007055.message_ru(),
        "Вход в систему осуществляется с неподтверждённой учётной записью"
    );
}

#[test]
fn parsing() {
    assert_eq!("esia-007011".parse::<EsiaErrorCode>(), Ok(E007011));
    assert_eq!(" 005029 ".parse::<EsiaErrorCode>(), Ok(E005029));
    assert!("ESIA-999999".parse::<EsiaErrorCode>().is_err());
    assert!("".parse::<EsiaErrorCode>().is_err());
    assert!("ESIA-".parse::<EsiaErrorCode>().is_err());
    assert!("ЕСИА-007011".parse::<EsiaErrorCode>().is_err());
    let mut codes: Vec<_> = EsiaErrorCode::all().iter().map(|c| c.code()).collect();
    codes.sort_unstable();
    codes.dedup();
    assert_eq!(codes.len(), EsiaErrorCode::all().len());
}
