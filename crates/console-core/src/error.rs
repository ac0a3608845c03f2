//! The one error shape that crosses IPC: `{ kind, code, message, requestId }`.
//!
//! `kind` is ours and small (the UI branches on it); `code` is Tencent's own string when
//! the error came from the API, so users can search for it; `requestId` is what Tencent
//! support asks for. Messages never contain secrets.

use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "kebab-case")]
pub enum ErrorKind {
    Auth,
    Permission,
    NotFound,
    InvalidInput,
    StateConflict,
    Quota,
    Balance,
    SoldOut,
    Throttled,
    Network,
    Server,
    Keyring,
    Internal,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, specta::Type, thiserror::Error)]
#[serde(rename_all = "camelCase")]
#[error("{message}")]
pub struct AppError {
    pub kind: ErrorKind,
    /// Tencent's error code, or one of ours (`App.*`) when the error is local.
    pub code: String,
    pub message: String,
    pub request_id: Option<String>,
    /// The input field at fault, for invalid input.
    pub field: Option<String>,
}

impl AppError {
    pub fn internal(code: &str, message: impl Into<String>) -> Self {
        AppError {
            kind: ErrorKind::Internal,
            code: code.to_owned(),
            message: message.into(),
            request_id: None,
            field: None,
        }
    }
}

/// Maps the client's error onto the IPC shape, keeping Tencent's code and RequestId.
pub fn from_api(e: &tencent_api::Error) -> AppError {
    use tencent_api::ErrorCategory as C;
    let kind = match e.category() {
        C::Auth => ErrorKind::Auth,
        C::Permission => ErrorKind::Permission,
        C::NotFound => ErrorKind::NotFound,
        C::InvalidInput => ErrorKind::InvalidInput,
        C::StateConflict => ErrorKind::StateConflict,
        C::Quota => ErrorKind::Quota,
        C::Balance => ErrorKind::Balance,
        C::SoldOut => ErrorKind::SoldOut,
        C::Throttled => ErrorKind::Throttled,
        C::Network => ErrorKind::Network,
        C::Server => ErrorKind::Server,
    };
    AppError {
        kind,
        code: e.code().to_owned(),
        message: e.message(),
        request_id: e.request_id().map(str::to_owned),
        field: e.field().map(str::to_owned),
    }
}
