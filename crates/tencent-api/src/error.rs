//! The one error type of the crate, and the small category the UI branches on.
//!
//! Errors carry no secret and are not `Serialize`: the app maps them to its IPC shape
//! `{ kind, code, message, requestId }` through the accessors. A RequestId that came back
//! is never dropped: it is what Tencent support asks for.

use std::fmt;

/// What kind of failure an error is: the client decides retries by it, and the app's IPC
/// error carries it for the UI to branch on. Tencent's own `code` stays available for
/// display. One enum for both, so a kind the client adds reaches the UI without a second
/// mapping to keep in step.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "kebab-case")]
pub enum ErrorKind {
    /// Bad, expired or unknown credentials; signature problems.
    Auth,
    /// The credentials are fine but CAM (or an IP rule, or MFA) denies the action.
    Permission,
    NotFound,
    InvalidInput,
    /// The resource is in a state (or has a configuration) that does not allow the action.
    StateConflict,
    Quota,
    /// Insufficient balance or unpaid orders.
    Balance,
    /// No stock for the type, zone, disk or IP.
    SoldOut,
    Throttled,
    /// The request may not have reached Tencent (or its answer did not reach us).
    Network,
    /// Tencent-side failure or an answer we could not read.
    Server,
    /// The OS keyring could not give or keep a credential. Never set by this client.
    Keyring,
    /// A local failure of the app (a file, a task, a dialog). Never set by this client.
    Internal,
}

impl ErrorKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Auth => "auth",
            Self::Permission => "permission",
            Self::NotFound => "not-found",
            Self::InvalidInput => "invalid-input",
            Self::StateConflict => "state-conflict",
            Self::Quota => "quota",
            Self::Balance => "balance",
            Self::SoldOut => "sold-out",
            Self::Throttled => "throttled",
            Self::Network => "network",
            Self::Server => "server",
            Self::Keyring => "keyring",
            Self::Internal => "internal",
        }
    }

    /// Maps a Tencent error code. Order matters: `InvalidParameterValue.LimitExceeded` is
    /// bad input, not a quota; `InvalidAccount.InsufficientBalance` is balance.
    pub fn from_code(code: &str) -> Self {
        let starts = |p: &str| code.starts_with(p);
        let has = |p: &str| code.contains(p);
        if starts("RequestLimitExceeded") {
            Self::Throttled
        } else if starts("AuthFailure.UnauthorizedOperation")
            || starts("UnauthorizedOperation")
            || starts("AuthFailure.MFAFailure")
            || starts("IpInBlacklist")
            || starts("IpNotInWhitelist")
            || starts("AccountQualificationRestrictions")
            || starts("InvalidPermission")
        {
            Self::Permission
        } else if starts("AuthFailure") {
            Self::Auth
        } else if starts("InvalidAccount.InsufficientBalance")
            || starts("InvalidAccount.UnpaidOrder")
            || starts("FailedOperation.BalanceInsufficient")
            || starts("OperationDenied.AddressInArrears")
        {
            Self::Balance
        } else if starts("ResourcesSoldOut") || starts("ResourceInsufficient") {
            Self::SoldOut
        } else if starts("InternalError")
            || starts("InternalServerError")
            || starts("ServiceUnavailable")
            || starts("FailedOperation")
        {
            Self::Server
        } else if code.ends_with(".NotFound") || starts("ResourceNotFound") {
            Self::NotFound
        } else if starts("LimitExceeded") || has("Quota") || code == "InvalidKeyPair.LimitExceeded"
        {
            Self::Quota
        } else if starts("UnsupportedOperation.InstanceState")
            || starts("OperationDenied")
            || starts("MutexOperation")
            || starts("ResourceInUse")
            || starts("ResourceUnavailable")
            || starts("InvalidInstanceNotSupportedPrepaidInstance")
            || starts("InvalidAddressState")
            || starts("InvalidAddressIdStatus")
            || has("AlreadyBindEip")
            || starts("UnsupportedOperation")
        {
            Self::StateConflict
        } else if starts("InvalidParameter")
            || starts("MissingParameter")
            || starts("UnknownParameter")
            || starts("InvalidAction")
            || starts("NoSuchVersion")
            || starts("NoSuchProduct")
            || starts("UnsupportedRegion")
            || starts("UnsupportedProtocol")
            || starts("RequestSizeLimitExceeded")
            || starts("DryRunOperation")
            || starts("Invalid")
        {
            Self::InvalidInput
        } else {
            Self::Server
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How a request failed below the API layer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TransportKind {
    /// No answer within the total timeout: the request may or may not have been executed.
    Timeout,
    /// TCP connect (or DNS) failed: nothing was sent.
    Connect,
    /// TLS handshake or certificate failure: nothing was sent.
    Tls,
    /// The connection broke after the request was written: outcome unknown.
    Reset,
    /// A non-200 HTTP status (Tencent answers API errors with 200). Redirects (3xx) are
    /// never followed and end here too.
    Status(u16),
    /// An answer over [`crate::transport::MAX_RESPONSE_BYTES`]: the request was delivered
    /// (and may have been executed), the answer was not read.
    TooLarge,
    Other,
}

impl TransportKind {
    /// Whether the request may have reached the server and been acted on.
    pub fn maybe_delivered(self) -> bool {
        match self {
            Self::Connect | Self::Tls => false,
            Self::Status(s) => s >= 500,
            Self::Timeout | Self::Reset | Self::TooLarge | Self::Other => true,
        }
    }
}

impl fmt::Display for TransportKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Timeout => f.write_str("timeout"),
            Self::Connect => f.write_str("connect"),
            Self::Tls => f.write_str("tls"),
            Self::Reset => f.write_str("connection reset"),
            Self::Status(s) => write!(f, "HTTP {s}"),
            Self::TooLarge => f.write_str("answer too large"),
            Self::Other => f.write_str("transport"),
        }
    }
}

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Tencent answered with `Response.Error`.
    #[error("{action}: {code}: {message} (RequestId {request_id})")]
    Api {
        action: String,
        code: String,
        message: String,
        request_id: String,
    },
    /// The call did not complete at the HTTP level. `outcome_unknown` is set when a
    /// mutation may have been executed and was not retried: the caller must re-check state.
    #[error("{action}: network error ({kind}): {detail}{}", if *.outcome_unknown { "; outcome unknown, re-check the resource state" } else { "" })]
    Transport {
        action: String,
        kind: TransportKind,
        detail: String,
        outcome_unknown: bool,
    },
    /// A 200 answer that is not a valid envelope or does not fit the model. For a
    /// mutation that did not say it failed, `outcome_unknown` is set: it may have worked.
    #[error("{action}: could not read the response: {detail}{}{}", .request_id.as_deref().map(|r| format!(" (RequestId {r})")).unwrap_or_default(), if *.outcome_unknown { "; outcome unknown, re-check the resource state" } else { "" })]
    Decode {
        action: String,
        detail: String,
        request_id: Option<String>,
        outcome_unknown: bool,
    },
    /// Rejected before any network call.
    #[error("invalid input: {field}: {reason}")]
    InvalidInput { field: String, reason: String },
}

impl Error {
    pub(crate) fn invalid(field: impl Into<String>, reason: impl Into<String>) -> Self {
        Self::InvalidInput {
            field: field.into(),
            reason: reason.into(),
        }
    }

    pub fn kind(&self) -> ErrorKind {
        match self {
            Self::Api { code, .. } => ErrorKind::from_code(code),
            Self::Transport {
                kind: TransportKind::Status(s),
                ..
            } if *s >= 500 => ErrorKind::Server,
            Self::Transport {
                kind: TransportKind::TooLarge,
                ..
            } => ErrorKind::Server,
            Self::Transport { .. } => ErrorKind::Network,
            Self::Decode { .. } => ErrorKind::Server,
            Self::InvalidInput { .. } => ErrorKind::InvalidInput,
        }
    }

    /// Tencent's code for API errors; a stable code of ours otherwise.
    pub fn code(&self) -> &str {
        match self {
            Self::Api { code, .. } => code,
            Self::Transport { kind, .. } => match kind {
                TransportKind::Timeout => "ClientNetworkError.Timeout",
                TransportKind::Connect => "ClientNetworkError.Connect",
                TransportKind::Tls => "ClientNetworkError.Tls",
                TransportKind::Reset => "ClientNetworkError.Reset",
                TransportKind::Status(_) => "ServerNetworkError",
                TransportKind::TooLarge => "ClientError.ResponseTooLarge",
                TransportKind::Other => "ClientNetworkError",
            },
            Self::Decode { .. } => "ClientError.Decode",
            Self::InvalidInput { .. } => "ClientError.InvalidInput",
        }
    }

    pub fn message(&self) -> String {
        match self {
            Self::Api { message, .. } => message.clone(),
            Self::Transport { kind, detail, .. } => format!("{kind}: {detail}"),
            Self::Decode { detail, .. } => detail.clone(),
            Self::InvalidInput { field, reason } => format!("{field}: {reason}"),
        }
    }

    /// The action the failed call was, when it reached the point of being one (a role
    /// client's failure to get credentials is its `AssumeRole`).
    pub fn action(&self) -> Option<&str> {
        match self {
            Self::Api { action, .. }
            | Self::Transport { action, .. }
            | Self::Decode { action, .. } => Some(action),
            Self::InvalidInput { .. } => None,
        }
    }

    pub fn request_id(&self) -> Option<&str> {
        match self {
            Self::Api { request_id, .. } => Some(request_id),
            Self::Decode { request_id, .. } => request_id.as_deref(),
            _ => None,
        }
    }

    /// The offending input field, for invalid-input errors raised by this crate.
    pub fn field(&self) -> Option<&str> {
        match self {
            Self::InvalidInput { field, .. } => Some(field),
            _ => None,
        }
    }

    /// True when a mutation may have taken effect although it reported failure.
    pub fn outcome_unknown(&self) -> bool {
        matches!(
            self,
            Self::Transport {
                outcome_unknown: true,
                ..
            } | Self::Decode {
                outcome_unknown: true,
                ..
            }
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ErrorKind::*;

    #[test]
    fn codes_map_to_categories() {
        for (code, cat) in [
            ("AuthFailure.SignatureFailure", Auth),
            ("AuthFailure.SecretIdNotFound", Auth),
            ("AuthFailure.UnauthorizedOperation", Permission),
            ("UnauthorizedOperation", Permission),
            ("InvalidInstanceId.NotFound", NotFound),
            ("ResourceNotFound", NotFound),
            ("InvalidInstanceId.Malformed", InvalidInput),
            ("InvalidParameterValue.LimitExceeded", InvalidInput),
            ("MissingParameter", InvalidInput),
            ("UnsupportedOperation.InstanceStateRunning", StateConflict),
            ("OperationDenied.InstanceOperationInProgress", StateConflict),
            ("MutexOperation.TaskRunning", StateConflict),
            ("UnsupportedOperation.InstancesProtected", StateConflict),
            ("InstancesQuotaLimitExceeded", Quota),
            ("LimitExceeded.CvmInstanceQuota", Quota),
            ("AddressQuotaLimitExceeded.DailyAllocate", Quota),
            ("InvalidKeyPair.LimitExceeded", Quota),
            ("InvalidFilterValue.LimitExceeded", InvalidInput),
            ("InvalidAccount.InsufficientBalance", Balance),
            ("InvalidAccount.UnpaidOrder", Balance),
            ("ResourcesSoldOut.SpecifiedInstanceType", SoldOut),
            ("ResourceInsufficient.AvailabilityZoneSoldOut", SoldOut),
            ("RequestLimitExceeded", Throttled),
            ("RequestLimitExceeded.UinLimitExceeded", Throttled),
            ("InternalError", Server),
            ("InternalServerError", Server),
            ("InternalError.TradeUnknownError", Server),
            ("SomethingNobodyDocumented", Server),
        ] {
            assert_eq!(ErrorKind::from_code(code), cat, "{code}");
        }
    }

    #[test]
    fn accessors_keep_the_request_id() {
        let e = Error::Api {
            action: "StopInstances".into(),
            code: "InvalidInstanceId.NotFound".into(),
            message: "not found".into(),
            request_id: "ed93f3cb-f35e-473f-b9f3-0d451b8b79c6".into(),
        };
        assert_eq!(e.request_id(), Some("ed93f3cb-f35e-473f-b9f3-0d451b8b79c6"));
        assert_eq!(e.code(), "InvalidInstanceId.NotFound");
        assert_eq!(e.kind(), NotFound);
        assert!(
            e.to_string()
                .contains("ed93f3cb-f35e-473f-b9f3-0d451b8b79c6")
        );
        let d = Error::Decode {
            action: "DescribeInstances".into(),
            detail: "EOF".into(),
            request_id: Some("abc".into()),
            outcome_unknown: false,
        };
        assert_eq!(d.request_id(), Some("abc"));
        assert!(d.to_string().ends_with("(RequestId abc)"));
    }

    #[test]
    fn unknown_outcome_is_flagged_in_the_message() {
        let e = Error::Transport {
            action: "StopInstances".into(),
            kind: TransportKind::Timeout,
            detail: "no answer in 30s".into(),
            outcome_unknown: true,
        };
        assert!(e.outcome_unknown());
        assert_eq!(e.kind(), Network);
        assert!(e.to_string().contains("outcome unknown"));
    }
}
