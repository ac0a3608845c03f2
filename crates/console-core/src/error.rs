//! The one error shape that crosses IPC: `{ kind, code, message, requestId }`.
//!
//! `kind` is ours and small (the UI branches on it); `code` is Tencent's own string when
//! the error came from the API, so users can search for it; `requestId` is what Tencent
//! support asks for. Messages never contain secrets.

use serde::Serialize;

/// The kind the UI branches on is the client's own: the API's failures keep theirs, and
/// the app's local errors use `Keyring` and `Internal` (see `tencent_api::ErrorKind`).
pub use tencent_api::ErrorKind;

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

/// Declares `AppCode` with the wire spelling of each code and the list of them all.
macro_rules! app_codes {
    ($($variant:ident = $wire:literal,)*) => {
        /// The app's own error codes (`App.*`); Tencent's codes pass through as they are.
        /// The UI translates each from its catalogs (a test checks every one is there).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, specta::Type)]
        pub enum AppCode {
            $(#[serde(rename = $wire)] $variant,)*
        }

        impl AppCode {
            pub const ALL: &'static [AppCode] = &[$(AppCode::$variant,)*];

            pub const fn as_str(self) -> &'static str {
                match self {
                    $(AppCode::$variant => $wire,)*
                }
            }
        }
    };
}

app_codes! {
    AddressBound = "App.AddressBound",
    AlertRuleNotFound = "App.AlertRuleNotFound",
    Alerts = "App.Alerts",
    AgentUnavailable = "App.AgentUnavailable",
    BandwidthUnsupported = "App.BandwidthUnsupported",
    Cache = "App.Cache",
    Clipboard = "App.Clipboard",
    ConsentRequired = "App.ConsentRequired",
    Dialog = "App.Dialog",
    Encode = "App.Encode",
    Export = "App.Export",
    HostUnreachable = "App.HostUnreachable",
    InstanceBusy = "App.InstanceBusy",
    InstanceNotSteady = "App.InstanceNotSteady",
    InvalidInput = "App.InvalidInput",
    Io = "App.Io",
    Journal = "App.Journal",
    JumpHostRefused = "App.JumpHostRefused",
    KeyFileFormat = "App.KeyFileFormat",
    KeyFileUnreadable = "App.KeyFileUnreadable",
    KeyPairInUse = "App.KeyPairInUse",
    Keyring = "App.Keyring",
    KeyringAccessDenied = "App.Keyring.AccessDenied",
    KeyringBadEntry = "App.Keyring.BadEntry",
    KeyringFailure = "App.Keyring.Failure",
    KeyringLocked = "App.Keyring.Locked",
    KeyringNoDefaultCollection = "App.Keyring.NoDefaultCollection",
    KeyringNoEntry = "App.Keyring.NoEntry",
    KeyringNoService = "App.Keyring.NoService",
    KeySaveFailed = "App.KeySaveFailed",
    LastSecurityGroup = "App.LastSecurityGroup",
    LaunchDropped = "App.LaunchDropped",
    LaunchInFlight = "App.LaunchInFlight",
    LaunchNotFound = "App.LaunchNotFound",
    LaunchSettled = "App.LaunchSettled",
    Listing = "App.Listing",
    ListingSuperseded = "App.ListingSuperseded",
    LoginRefused = "App.LoginRefused",
    NoExpiry = "App.NoExpiry",
    NoGroupId = "App.NoGroupId",
    NoImageId = "App.NoImageId",
    NoKeyId = "App.NoKeyId",
    NoKeyPair = "App.NoKeyPair",
    NoPrivateKey = "App.NoPrivateKey",
    NoPublicIp = "App.NoPublicIp",
    NotBound = "App.NotBound",
    PassphraseNeeded = "App.PassphraseNeeded",
    PathUnavailable = "App.PathUnavailable",
    PriceChanged = "App.PriceChanged",
    ProfileNotFound = "App.ProfileNotFound",
    ProfileReadOnly = "App.ProfileReadOnly",
    RoleCredentialsFailed = "App.RoleCredentialsFailed",
    Sandbox = "App.Sandbox",
    Settings = "App.Settings",
    SoldOut = "App.SoldOut",
    StopFailed = "App.StopFailed",
    StopRequired = "App.StopRequired",
    StopTimeout = "App.StopTimeout",
    TccliFileChanged = "App.TccliFileChanged",
    TerminationProtected = "App.TerminationProtected",
    Unexpected = "App.Unexpected",
    UnknownRegion = "App.UnknownRegion",
    ViewNotFound = "App.ViewNotFound",
    Views = "App.Views",
    VncUnavailable = "App.VncUnavailable",
    WindowsNoSsh = "App.WindowsNoSsh",
    WrongPassphrase = "App.WrongPassphrase",
}

impl std::fmt::Display for AppCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl From<AppCode> for String {
    fn from(c: AppCode) -> String {
        c.as_str().to_owned()
    }
}

impl PartialEq<AppCode> for String {
    fn eq(&self, other: &AppCode) -> bool {
        self == other.as_str()
    }
}

impl PartialEq<AppCode> for &str {
    fn eq(&self, other: &AppCode) -> bool {
        *self == other.as_str()
    }
}

impl AppError {
    /// One of the app's own errors.
    pub fn app(kind: ErrorKind, code: AppCode, message: impl Into<String>) -> Self {
        AppError {
            kind,
            code: code.into(),
            message: message.into(),
            request_id: None,
            field: None,
        }
    }

    pub fn internal(code: AppCode, message: impl Into<String>) -> Self {
        Self::app(ErrorKind::Internal, code, message)
    }

    /// Input refused before anything is sent, naming the field at fault.
    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        Self::app(ErrorKind::InvalidInput, AppCode::InvalidInput, message).with_field(field)
    }

    /// Something named that does not exist: one of the app's codes, or the code Tencent
    /// gives for the same miss (`InvalidInstanceId.NotFound`) when the app found it out
    /// from a listing rather than from an error.
    pub fn not_found(code: impl Into<String>, message: impl Into<String>) -> Self {
        AppError {
            kind: ErrorKind::NotFound,
            code: code.into(),
            message: message.into(),
            request_id: None,
            field: None,
        }
    }

    /// The OS keyring could not give or keep a credential.
    pub fn keyring(code: AppCode, message: impl Into<String>) -> Self {
        Self::app(ErrorKind::Keyring, code, message)
    }

    /// A local refusal about the state of something (not the input's format): one of the
    /// app's codes, or Tencent's own where the refusal stands in for the API's.
    pub fn conflict(code: impl Into<String>, message: impl Into<String>) -> Self {
        AppError {
            kind: ErrorKind::StateConflict,
            code: code.into(),
            message: message.into(),
            request_id: None,
            field: None,
        }
    }

    /// A change refused because the profile is read-only and locked for this session.
    pub fn read_only() -> Self {
        Self::app(
            ErrorKind::Permission,
            AppCode::ProfileReadOnly,
            "This profile is read-only. Unlock it for this session (Profiles) to change instances.",
        )
        .with_field("profileId")
    }

    pub fn with_field(mut self, field: &str) -> Self {
        self.field = Some(field.to_owned());
        self
    }

    pub fn with_code(mut self, code: AppCode) -> Self {
        self.code = code.into();
        self
    }
}

impl From<tencent_api::Error> for AppError {
    fn from(e: tencent_api::Error) -> Self {
        AppError::from(&e)
    }
}

/// Maps the client's error onto the IPC shape, keeping Tencent's code and RequestId.
impl From<&tencent_api::Error> for AppError {
    fn from(e: &tencent_api::Error) -> Self {
        AppError {
            kind: e.kind(),
            code: e.code().to_owned(),
            message: e.message(),
            request_id: e.request_id().map(str::to_owned),
            field: e.field().map(str::to_owned),
        }
    }
}
