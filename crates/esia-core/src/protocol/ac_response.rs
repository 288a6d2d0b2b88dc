//! What an `ac`-family request answers the browser, as data: a redirect, a refusal on a page,
//! the consent page or the role page. The protocol use cases build these values; esia-web's
//! protocol channel alone turns them into statuses, words and markup. Holds no rules.

/// What the browser gets from an `ac`-family request.
#[derive(Debug, Clone)]
pub enum AcResponse {
    /// 302 to this absolute URL (login page, client callback with a code or an error).
    Redirect(String),
    /// Refused on a page, not a redirect (the redirect URI is unknown or not allowed, or the
    /// request is gone): what happened, never how it looks — esia-web's protocol channel
    /// chooses the status and the words.
    Refused(AcRefusal),
    /// The consent page «Предоставление прав доступа».
    Consent(ConsentView),
    /// The role page «Выберите роль» (see `roles.rs`).
    RoleChoice(RoleChoiceView),
}

/// Why an `ac`-family request ends on an error page instead of a redirect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AcRefusal {
    /// The request names no trusted client or redirect URI (or the database failed before they
    /// were checked), so the error cannot go back as a redirect: the ESIA code on a page.
    Request(super::EsiaErrorCode),
    /// A fault rule's ESIA error for a request whose client or URI is not valid.
    Fault(super::EsiaErrorCode),
    /// The parked request is unknown, expired or already answered.
    Gone,
    /// The role page was answered without a valid role.
    NoRole,
    /// The database is away (the cause was logged where it happened).
    Unavailable,
    /// An unexpected failure (the cause was logged where it happened).
    Internal,
}

/// What the consent page shows.
#[derive(Debug, Clone)]
pub struct ConsentView {
    pub request_id: String,
    pub client_name: String,
    /// Human words for the requested data (from the scope catalogue).
    pub lines: Vec<&'static str>,
}

/// What the role page shows.
#[derive(Clone)]
pub struct RoleChoiceView {
    pub request_id: String,
    pub client_name: String,
    /// «Фамилия Имя Отчество» of the person (shown to them only; redacted in Debug).
    pub person_name: String,
    pub options: Vec<RoleOption>,
}

impl std::fmt::Debug for RoleChoiceView {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RoleChoiceView")
            .field("request_id", &self.request_id)
            .field("client_name", &self.client_name)
            .field("person_name", &"[redacted]")
            .field("options", &self.options)
            .finish()
    }
}

/// One organisation the person may act for.
#[derive(Debug, Clone)]
pub struct RoleOption {
    pub org_oid: i64,
    pub name: String,
    /// «Руководитель», «Администратор» or «Сотрудник».
    pub position: &'static str,
}
