//! The ESIA error catalogue (esia-protocol §9, §7.7): every `ESIA-NNNNNN` code the emulator raises,
//! with the OAuth `error` value, the `error_description` text clients parse, the Russian text of
//! the methodological recommendations, the channel it belongs to and a suggested HTTP status.
//! Owns the strings only; rendering (redirect, JSON) is esia-web's job.
//!
//! Texts marked *observed* were seen from the real ESIA; the others follow RFC 6749 wording or a
//! plain English description of the MR text.

use std::fmt;
use std::str::FromStr;

/// Where an error is raised (an allocation by the emulator, see §9 "Channels").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorChannel {
    /// Only on `ac` (302 to `redirect_uri` with `error`, `error_description`, `state`).
    Authorize,
    /// Only on `te` (HTTP 400 JSON `{error, error_description, state}`).
    Token,
    /// On `ac` and `te`.
    AuthorizeOrToken,
    /// Anywhere (internal error, unavailability).
    Any,
    /// The REST API (`/rs`): 401/403 JSON `{code, message}`.
    Rest,
    /// Not raised by the emulator today (kept for completeness).
    Unused,
}

impl ErrorChannel {
    /// `ac`, `te`, `ac/te`, `any`, `rest`, `unused`.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorChannel::Authorize => "ac",
            ErrorChannel::Token => "te",
            ErrorChannel::AuthorizeOrToken => "ac/te",
            ErrorChannel::Any => "any",
            ErrorChannel::Rest => "rest",
            ErrorChannel::Unused => "unused",
        }
    }
}

macro_rules! catalogue {
    ($( $v:ident = $num:literal, $err:literal, $http:literal, $chan:ident, $desc:literal, $ru:literal; )*) => {
        /// An ESIA error code.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[allow(missing_docs)]
        pub enum EsiaErrorCode { $( $v, )* }

        impl EsiaErrorCode {
            const ALL: &'static [EsiaErrorCode] = &[ $( EsiaErrorCode::$v, )* ];

            /// Every code, in catalogue order.
            pub fn all() -> &'static [EsiaErrorCode] {
                Self::ALL
            }

            /// `ESIA-007053`.
            pub fn code(self) -> &'static str {
                match self { $( EsiaErrorCode::$v => concat!("ESIA-", $num), )* }
            }

            /// The OAuth `error` value (`access_denied`, `invalid_grant`, …); for REST codes the
            /// RFC 6750 value.
            pub fn oauth_error(self) -> &'static str {
                match self { $( EsiaErrorCode::$v => $err, )* }
            }

            /// The description after `ESIA-NNNNNN: ` in `error_description` (or the REST
            /// `message`).
            pub fn description(self) -> &'static str {
                match self { $( EsiaErrorCode::$v => $desc, )* }
            }

            /// The Russian text of the methodological recommendations, for pages and logs.
            pub fn message_ru(self) -> &'static str {
                match self { $( EsiaErrorCode::$v => $ru, )* }
            }

            /// Where the emulator raises it.
            pub fn channel(self) -> ErrorChannel {
                match self { $( EsiaErrorCode::$v => ErrorChannel::$chan, )* }
            }

            /// Suggested HTTP status when answered as JSON (`te` or REST). On `ac` errors are a
            /// 302 redirect regardless.
            pub fn http_status(self) -> u16 {
                match self { $( EsiaErrorCode::$v => $http, )* }
            }
        }
    };
}

catalogue! {
    E007002 = "007002", "invalid_client", 400, AuthorizeOrToken,
        "The certificate does not match the client system or no certificate is registered for it",
        "Несоответствие сертификата и мнемоники информационной системы или отсутствие сертификата для данной системы в ЕСИА";
    E007003 = "007003", "invalid_request", 400, AuthorizeOrToken,
        "The request is missing a required parameter, includes an invalid parameter value, includes a parameter more than once, or is otherwise malformed.",
        "В запросе отсутствует обязательный параметр, запрос включает в себя неверное значение параметра или включает параметр несколько раз";
    E007004 = "007004", "access_denied", 400, AuthorizeOrToken,
        "The resource owner or authorization server denied the request.",
        "Владелец ресурса или сервис авторизации отклонил запрос";
    E007005 = "007005", "unauthorized_client", 400, Authorize,
        "The client is not authorized to request an access token using this method.",
        "Система-клиент не имеет права запрашивать получение маркера доступа таким методом";
    E007006 = "007006", "invalid_scope", 400, AuthorizeOrToken,
        "The requested scope is invalid, unknown, or malformed.",
        "Запрошенная область доступа (scope) указана неверно, неизвестно или сформирована некорректно";
    E007007 = "007007", "server_error", 500, Any,
        "The authorization server encountered an unexpected condition that prevented it from fulfilling the request.",
        "Возникла неожиданная ошибка в работе сервиса авторизации, которая привела к невозможности выполнить запрос";
    E007008 = "007008", "temporarily_unavailable", 503, Any,
        "The authorization server is currently unable to handle the request due to a temporary overloading or maintenance of the server.",
        "Сервис авторизации в настоящее время не может выполнить запрос из-за большой нагрузки или технических работ на сервере";
    E007009 = "007009", "unsupported_grant_type", 400, Token,
        "The authorization grant type is not supported by the authorization server.",
        "Сервис авторизации не поддерживает получение маркера доступа этим методом";
    E007011 = "007011", "invalid_grant", 400, Token,
        "The provided authorization grant or refresh token is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.",
        "Авторизационный код или маркер обновления недействителен, просрочен, отозван или не соответствует адресу ресурса, указанному в запросе на авторизацию, или был выдан другой системе-клиенту";
    E007012 = "007012", "unsupported_response_type", 400, AuthorizeOrToken,
        "The authorization server does not support obtaining an authorization code using this method.",
        "Тип авторизационного кода не поддерживается сервисом авторизации";
    E007013 = "007013", "invalid_scope", 400, AuthorizeOrToken,
        "The request does not contain the scope",
        "Запрос не содержит указания на область доступа (scope)";
    E007014 = "007014", "invalid_request", 400, AuthorizeOrToken,
        "The request does not contain the mandatory parameter",
        "Запрос не содержит обязательного параметра";
    E007015 = "007015", "invalid_request", 400, AuthorizeOrToken,
        "The request time (timestamp) is invalid",
        "Неверное время запроса";
    E007019 = "007019", "access_denied", 400, Authorize,
        "OAuthErrorEnum.noGrants",
        "Отсутствует разрешение на доступ";
    E007023 = "007023", "invalid_request", 400, Authorize,
        "The redirect_uri is not among the URIs allowed for the client system",
        "Указанный в запросе redirect_uri отсутствует среди разрешённых для ИС";
    E007038 = "007038", "invalid_request", 400, AuthorizeOrToken,
        "The request parameters cannot be read",
        "Ошибка получения параметров из запроса";
    E007039 = "007039", "invalid_request", 400, Token,
        "The code_challenge parameter was not given in the original request to /v2/ac",
        "В изначальном запросе на /v2/ac параметр code_challenge не был указан";
    E007040 = "007040", "invalid_grant", 400, Token,
        "The code_verifier does not match the code_challenge",
        "Ошибка сравнения исходного и контрольного значений";
    E007046 = "007046", "access_denied", 400, Authorize,
        "The scope requires a one-time password that cannot be sent to the user",
        "Запрос otp невозможен, а в области доступа (scope) указано обязательное прохождение пользователем двухфакторной авторизации";
    E007053 = "007053", "access_denied", 400, AuthorizeOrToken,
        "OAuthErrorEnum.clientSecretWrong",
        "client_secret сформирован некорректно, не соответствует строке-сертификату, информационной системе или используемый сертификат не активен";
    E007055 = "007055", "access_denied", 400, Authorize,
        "Login with an unconfirmed account is not allowed",
        "Вход в систему осуществляется с неподтверждённой учётной записью";
    E007060 = "007060", "invalid_request", 400, Authorize,
        "The roles parameter is invalid",
        "Значение параметра roles в запросе указано неверно";
    E007061 = "007061", "invalid_request", 400, Authorize,
        "The obj_type parameter is invalid",
        "Значение параметра obj_type в запросе указано неверно";
    E007062 = "007062", "invalid_request", 400, Authorize,
        "The user type or role in the request is invalid",
        "Тип или роль пользователя в запросе указана неверно";
    E007194 = "007194", "invalid_scope", 400, AuthorizeOrToken,
        "The organisation scope is requested for an organisation the user is not an employee of",
        "Запрос области доступа для организации, сотрудником которой пользователь не является";
    E008010 = "008010", "invalid_client", 401, Unused,
        "Client system authentication failed",
        "Не удалось произвести аутентификацию системы-клиента";
    E005011 = "005011", "invalid_token", 401, Rest,
        "SecurityErrorEnum.invalidToken",
        "Маркер доступа недействителен";
    E005013 = "005013", "invalid_token", 401, Rest,
        "SecurityErrorEnum.expiredToken",
        "Срок действия маркера доступа истёк";
    E005029 = "005029", "insufficient_scope", 403, Rest,
        "SecurityErrorEnum.scopeNotAllowed",
        "Запрошенные данные не входят в разрешённую область доступа";
}

impl EsiaErrorCode {
    /// `ESIA-007053: OAuthErrorEnum.clientSecretWrong`.
    pub fn error_description(self) -> String {
        format!("{}: {}", self.code(), self.description())
    }

    /// The six digits without the `ESIA-` prefix.
    pub fn number(self) -> &'static str {
        self.code().get(5..).unwrap_or("")
    }
}

impl fmt::Display for EsiaErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// An unknown ESIA error code string.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown ESIA error code: {0}")]
pub struct UnknownEsiaCode(pub String);

impl FromStr for EsiaErrorCode {
    type Err = UnknownEsiaCode;

    /// Accepts `ESIA-007053` (prefix case-insensitive) or `007053`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        let num = match t.get(..5) {
            Some(p) if p.eq_ignore_ascii_case("ESIA-") => t.get(5..).unwrap_or(""),
            _ => t,
        };
        Self::all()
            .iter()
            .copied()
            .find(|c| c.number() == num)
            .ok_or_else(|| UnknownEsiaCode(s.to_owned()))
    }
}

#[cfg(test)]
#[path = "esia_error_tests.rs"]
mod tests;
