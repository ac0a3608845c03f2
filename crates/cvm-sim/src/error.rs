//! Tencent-style API errors: a dotted code and a message, always answered with HTTP 200.

use std::fmt;

/// One `Response.Error`. Codes are Tencent's own strings so clients can branch on them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiError {
    pub code: String,
    pub message: String,
}

pub type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    pub fn new(code: impl Into<String>, message: impl Into<String>) -> Self {
        ApiError {
            code: code.into(),
            message: message.into(),
        }
    }
    pub fn missing(name: &str) -> Self {
        Self::new(
            "MissingParameter",
            format!("The request is missing a required parameter `{name}`."),
        )
    }
    pub fn invalid_type(name: &str, want: &str) -> Self {
        Self::new(
            "InvalidParameter",
            format!("The value type of parameter `{name}` is invalid: expected {want}."),
        )
    }
    pub fn invalid_value(name: &str, detail: impl fmt::Display) -> Self {
        Self::new(
            "InvalidParameterValue",
            format!("The value of parameter `{name}` is invalid: {detail}."),
        )
    }
    pub fn unknown(name: &str) -> Self {
        Self::new(
            "UnknownParameter",
            format!("The parameter `{name}` is not recognized."),
        )
    }
    pub fn limit(name: &str, max: usize) -> Self {
        Self::new(
            "InvalidParameterValue.LimitExceeded",
            format!("The number of values in parameter `{name}` exceeds the limit of {max}."),
        )
    }
    pub fn internal() -> Self {
        Self::new(
            "InternalError",
            "An internal error has occurred. Retry your request.",
        )
    }
    pub fn throttled() -> Self {
        Self::new(
            "RequestLimitExceeded",
            "Your current request times exceeds the limit. Please try again later.",
        )
    }
    /// `UnsupportedOperation.InstanceState<Camel>`: the action does not accept this state.
    pub fn state(camel: &str, id: &str) -> Self {
        Self::new(
            format!("UnsupportedOperation.InstanceState{camel}"),
            format!(
                "The instance `{id}` is in a state that does not support this operation ({camel})."
            ),
        )
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for ApiError {}
