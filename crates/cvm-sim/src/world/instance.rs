//! Instances: the stored shape, the state machine's states and scheduled steps.

use super::{RETENTION_MS, Tag};
use serde::{Deserialize, Serialize};

/// An enum stored and answered by its wire spelling (the serde rename), so answers and
/// saved worlds read exactly as when these fields were strings.
macro_rules! wire_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $wire:literal,)* }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
        pub enum $name {
            $(#[serde(rename = $wire)] $variant,)*
        }

        impl $name {
            pub const ALL: &[$name] = &[$($name::$variant),*];
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $wire,)*
                }
            }
            /// The value with this wire spelling.
            pub fn parse(s: &str) -> Option<Self> {
                match s {
                    $($wire => Some($name::$variant),)*
                    _ => None,
                }
            }
        }
    };
}

wire_enum! {
    /// `InstanceChargeType`: the billing models an instance can have here.
    ChargeType {
        Prepaid = "PREPAID",
        PostpaidByHour = "POSTPAID_BY_HOUR",
        Spotpaid = "SPOTPAID",
    }
}

wire_enum! {
    /// `RenewFlag` of a prepaid instance.
    RenewFlag {
        NotifyAndAutoRenew = "NOTIFY_AND_AUTO_RENEW",
        NotifyAndManualRenew = "NOTIFY_AND_MANUAL_RENEW",
        DisableNotifyAndManualRenew = "DISABLE_NOTIFY_AND_MANUAL_RENEW",
    }
}

wire_enum! {
    /// `LatestOperationState`.
    OperationState {
        Operating = "OPERATING",
        Success = "SUCCESS",
        Failed = "FAILED",
    }
}

wire_enum! {
    /// `RestrictState`: NORMAL, or EXPIRED once an unpaid prepaid instance is isolated.
    RestrictState {
        Normal = "NORMAL",
        Expired = "EXPIRED",
    }
}

wire_enum! {
    /// `IsolatedSource`: why an instance is isolated (in the recycle bin), if it is.
    IsolatedSource {
        NotIsolated = "NOTISOLATED",
        Expire = "EXPIRE",
        Manmade = "MANMADE",
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum State {
    Pending,
    LaunchFailed,
    Running,
    Stopped,
    Starting,
    Stopping,
    Rebooting,
    Shutdown,
    Terminating,
}

impl State {
    pub fn as_str(self) -> &'static str {
        match self {
            State::Pending => "PENDING",
            State::LaunchFailed => "LAUNCH_FAILED",
            State::Running => "RUNNING",
            State::Stopped => "STOPPED",
            State::Starting => "STARTING",
            State::Stopping => "STOPPING",
            State::Rebooting => "REBOOTING",
            State::Shutdown => "SHUTDOWN",
            State::Terminating => "TERMINATING",
        }
    }
    /// The suffix of `UnsupportedOperation.InstanceState…`.
    pub fn camel(self) -> &'static str {
        match self {
            State::Pending => "Pending",
            State::LaunchFailed => "LaunchFailed",
            State::Running => "Running",
            State::Stopped => "Stopped",
            State::Starting => "Starting",
            State::Stopping => "Stopping",
            State::Rebooting => "Rebooting",
            State::Shutdown => "Shutdown",
            State::Terminating => "Terminating",
        }
    }
    pub const ALL: [State; 9] = [
        State::Pending,
        State::LaunchFailed,
        State::Running,
        State::Stopped,
        State::Starting,
        State::Stopping,
        State::Rebooting,
        State::Shutdown,
        State::Terminating,
    ];
}

/// One scheduled change: at `at_ms` the instance enters `to`, or is destroyed when `to` is None.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Step {
    pub at_ms: i64,
    pub to: Option<State>,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct DataDisk {
    pub disk_type: String,
    pub disk_id: String,
    pub disk_size: i64,
    pub delete_with_instance: bool,
    /// None: not encrypted; Some(key): encrypted with that KMS key ("" for the default one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encryption: Option<String>,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Instance {
    pub id: String,
    pub uuid: String,
    pub name: String,
    pub zone: String,
    pub project_id: i64,
    pub instance_type: String,
    pub family: String,
    pub cpu: i64,
    pub memory: i64,
    pub gpu: i64,
    pub gpu_type: String,
    pub image_id: String,
    pub os_name: String,
    pub windows: bool,
    pub login_user: String,
    pub charge_type: ChargeType,
    pub state: State,
    pub system_disk_type: String,
    pub system_disk_id: String,
    pub system_disk_size: i64,
    /// As `DataDisk::encryption`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub system_disk_encryption: Option<String>,
    pub data_disks: Vec<DataDisk>,
    pub private_ip: String,
    pub public_ip: Option<String>,
    /// The bound EIP's id; its address is `public_ip`.
    pub eip_id: Option<String>,
    pub internet_charge_type: String,
    pub bandwidth: i64,
    pub vpc_id: String,
    pub subnet_id: String,
    pub security_group_ids: Vec<String>,
    pub key_ids: Vec<String>,
    /// The login password's Argon2 hash (PHC string), set at launch or by
    /// ResetInstancesPassword; the password itself is never kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password_hash: Option<String>,
    pub renew_flag: Option<RenewFlag>,
    pub created_ms: i64,
    pub expired_ms: Option<i64>,
    pub tags: Vec<Tag>,
    /// Stopped with `StoppedMode=STOP_CHARGING`.
    pub stop_charging: bool,
    pub latest_op: Option<String>,
    pub latest_op_state: Option<OperationState>,
    pub latest_op_request_id: Option<String>,
    /// LatestOperationErrorMsg of a FAILED operation.
    #[serde(default)]
    pub latest_op_error: Option<String>,
    /// Set by an `op-failed` fault: when the running operation's steps are done, it is
    /// FAILED with this message (see `outcomes.rs`).
    #[serde(default)]
    pub fail_with: Option<String>,
    pub restrict_state: RestrictState,
    pub isolated_source: IsolatedSource,
    pub isolated_ms: Option<i64>,
    pub disable_api_termination: bool,
    pub host_name: String,
    pub spot_max_price: Option<f64>,
    pub cam_role_name: String,
    pub user_data: Option<String>,
    /// ActionTimer: destroyed at this time.
    pub terminate_at: Option<i64>,
    pub steps: Vec<Step>,
    /// When the instance was powered on and off, oldest first (what Cloud Monitor has
    /// data for). Before the first edge it was off. Worlds saved before this was kept
    /// have none: a powered instance there counts as up since its creation.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub power: Vec<PowerEdge>,
}

/// The instance was powered on (`on`) or off at `at_ms`.
#[derive(Clone, Copy, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct PowerEdge {
    pub at_ms: i64,
    pub on: bool,
}

/// Edges kept per instance: months of ordinary use; older ones are dropped.
const MAX_POWER_EDGES: usize = 64;

impl Instance {
    /// Whether the operating system is up in this state (and reports metrics).
    pub fn powered(&self) -> bool {
        matches!(
            self.state,
            State::Running | State::Stopping | State::Rebooting
        )
    }
    /// Records a power edge at `at_ms` if the state's power differs from the last edge.
    pub fn note_power(&mut self, at_ms: i64) {
        let on = self.powered();
        if self.power.last().is_some_and(|e| e.on) != on {
            self.power.push(PowerEdge { at_ms, on });
            if self.power.len() > MAX_POWER_EDGES {
                // Dropping in pairs keeps the first kept edge an "on".
                self.power.drain(..2);
            }
        }
    }
    pub fn stop_charging_mode(&self) -> &'static str {
        match self.state {
            State::Stopped if self.stop_charging => "STOP_CHARGING",
            State::Stopped => "KEEP_CHARGING",
            _ => "NOT_APPLICABLE",
        }
    }
    pub fn busy(&self) -> bool {
        !self.steps.is_empty()
    }
    /// Starts an operation: records it and schedules the given steps (relative ms, already scaled).
    pub fn begin(&mut self, op: &str, request_id: &str, now: i64, steps: &[(i64, Option<State>)]) {
        self.latest_op = Some(op.to_owned());
        self.latest_op_request_id = Some(request_id.to_owned());
        self.latest_op_error = None;
        self.fail_with = None;
        let mut at = now;
        self.steps.clear();
        for (delay, to) in steps {
            at += delay.max(&0);
            self.steps.push(Step { at_ms: at, to: *to });
        }
        self.latest_op_state = Some(if self.steps.is_empty() {
            OperationState::Success
        } else {
            OperationState::Operating
        });
    }
    pub(super) fn next_deadline(&self) -> Option<i64> {
        let mut d = self.steps.first().map(|s| s.at_ms);
        let mut consider = |t: Option<i64>| {
            if let Some(t) = t {
                d = Some(d.map_or(t, |x: i64| x.min(t)));
            }
        };
        consider(self.terminate_at);
        if self.charge_type == ChargeType::Prepaid && self.state != State::Shutdown {
            consider(self.expired_ms);
        }
        if self.isolated_source == IsolatedSource::Expire {
            consider(self.isolated_ms.map(|t| t + RETENTION_MS));
        }
        d
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trips<T>(all: &[T])
    where
        T: Copy + PartialEq + std::fmt::Debug + Serialize + for<'de> Deserialize<'de>,
    {
        for v in all {
            let wire = serde_json::to_string(v).unwrap();
            assert_eq!(serde_json::from_str::<T>(&wire).unwrap(), *v);
        }
    }

    #[test]
    fn states_serialize_as_their_wire_spelling() {
        for c in ChargeType::ALL {
            assert_eq!(serde_json::to_value(c).unwrap(), c.as_str());
            assert_eq!(ChargeType::parse(c.as_str()), Some(*c));
        }
        for f in RenewFlag::ALL {
            assert_eq!(serde_json::to_value(f).unwrap(), f.as_str());
        }
        for s in OperationState::ALL {
            assert_eq!(serde_json::to_value(s).unwrap(), s.as_str());
        }
        for s in RestrictState::ALL {
            assert_eq!(serde_json::to_value(s).unwrap(), s.as_str());
        }
        for s in IsolatedSource::ALL {
            assert_eq!(serde_json::to_value(s).unwrap(), s.as_str());
        }
        round_trips(ChargeType::ALL);
        round_trips(RenewFlag::ALL);
        round_trips(OperationState::ALL);
        round_trips(RestrictState::ALL);
        round_trips(IsolatedSource::ALL);
    }

    #[test]
    fn renew_flags_are_the_catalogs_in_its_order() {
        // The preload picks a flag by index into the catalog's list.
        let ours: Vec<&str> = RenewFlag::ALL.iter().map(|f| f.as_str()).collect();
        assert_eq!(ours, crate::catalog::RENEW_FLAGS);
    }
}
