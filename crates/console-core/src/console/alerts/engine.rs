//! The alert watcher: every minute (Cloud Monitor's finest CVM period) it lists the
//! instances the enabled rules target, fetches CPU for the RUNNING ones a CPU rule
//! watches, and compares with what it saw before. An alert fires when its condition
//! becomes true and clears when it stops being true; in between nothing is repeated.
//!
//! Calls a tick makes, per (profile, region) a rule reaches: ⌈instances / 100⌉
//! DescribeInstances (100 a page), and with a CPU rule ⌈RUNNING instances watched / 10⌉
//! GetMonitorData (10 instances a call, `tencent_api::models::monitor::MAX_INSTANCES`).
//! Every call goes through the profile's client, so its rate budget spaces them like any
//! other call; a tick that fails for one (profile, region) keeps that place's alerts as
//! they were and tries again next minute.

use super::{AlertCondition, AlertKind, AlertRule, AlertStore, Watch, parse_tag_filter};
use crate::console::activity::{AppEvent, EventNote};
use crate::console::instances::{InstanceView, list_instances, list_regions};
use crate::console::settings::ConsoleSettings;
use crate::locks::lock;
use crate::profiles::{Profile, ProfileKind};
use crate::state::AppState;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tencent_api::models::monitor::{self, GetMonitorDataRequest};

/// Cloud Monitor's finest period for CVM, and the watcher's pace.
pub const TICK: Duration = Duration::from_secs(60);
const PERIOD: u32 = 60;
/// Cloud Monitor publishes a minute's point a little later: the window reaches this many
/// minutes further back, and the newest point may be this old.
pub const LAG_MINUTES: i64 = 3;
/// A state change within this long of an action the app sent to the instance is the
/// user's doing, not a surprise.
pub const ACTION_WINDOW_S: i64 = 15 * 60;
/// The regions an account sees (when no rule names them) are asked again after this long.
const REGIONS_TTL: Duration = Duration::from_secs(3600);

/// One alert that is firing now.
#[derive(Clone, Debug, PartialEq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ActiveAlert {
    pub rule_id: String,
    pub kind: AlertKind,
    pub profile_id: String,
    pub profile_name: String,
    pub region: String,
    pub instance_id: String,
    pub instance_name: String,
    /// CPU: the lowest value of the window (%); expiry: days left.
    pub value: Option<f64>,
    /// The instance's state when it fired (None: gone).
    pub state: Option<String>,
    /// Leaving RUNNING: the operation that did it (LatestOperation, e.g. RebootInstances)
    /// when DescribeInstances tells; it may be over already (a reboot between two ticks).
    pub operation: Option<String>,
    /// When it fired, RFC 3339 (UTC, the app's clock).
    pub since: String,
}

impl ActiveAlert {
    /// The instance as named in texts: "name (id)", or the id.
    pub fn display_name(&self) -> String {
        if self.instance_name.is_empty() {
            self.instance_id.clone()
        } else {
            format!("{} ({})", self.instance_name, self.instance_id)
        }
    }

    /// The activity log's note: which sentence (`activity.note.<code>` in the UI's
    /// catalogs) and its values, numbers as the English sentence shows them.
    pub fn note(&self, rule: Option<&AlertCondition>, cleared: bool) -> EventNote {
        let mut params = BTreeMap::new();
        params.insert("instance".to_owned(), self.display_name());
        let code = match (self.kind, rule) {
            (AlertKind::CpuAbove, Some(AlertCondition::CpuAbove { threshold, minutes })) => {
                params.insert("threshold".into(), threshold.to_string());
                params.insert("minutes".into(), minutes.to_string());
                params.insert(
                    "lowest".into(),
                    format!("{:.1}", self.value.unwrap_or_default()),
                );
                "cpuAbove"
            }
            (AlertKind::CpuAbove, _) => "cpuAboveAny",
            (AlertKind::LeftRunning, _) => match (&self.state, &self.operation) {
                (Some(s), Some(op)) => {
                    params.insert("state".into(), s.clone());
                    params.insert("operation".into(), op.clone());
                    "leftRunningOperation"
                }
                (Some(s), None) => {
                    params.insert("state".into(), s.clone());
                    "leftRunning"
                }
                (None, _) => "leftRunningGone",
            },
            (AlertKind::Expiring, _) => {
                params.insert(
                    "days".into(),
                    format!("{:.1}", self.value.unwrap_or_default()),
                );
                "expiring"
            }
        };
        EventNote {
            code: format!(
                "{}.{code}",
                if cleared {
                    "alertCleared"
                } else {
                    "alertFired"
                }
            ),
            params,
        }
    }

    /// A sentence for the activity log and the notification (English; the UI shows the
    /// history through its own catalogs where it can).
    pub fn describe(&self, rule: Option<&AlertCondition>) -> String {
        match (self.kind, rule) {
            (AlertKind::CpuAbove, Some(AlertCondition::CpuAbove { threshold, minutes })) => {
                format!(
                    "CPU above {threshold} % for {minutes} min (lowest {:.1} %)",
                    self.value.unwrap_or_default()
                )
            }
            (AlertKind::CpuAbove, _) => "CPU above the threshold".into(),
            (AlertKind::LeftRunning, _) => match (&self.state, &self.operation) {
                (Some(s), Some(op)) => {
                    format!("left RUNNING ({op}): now {s}, not by an action of this app")
                }
                (Some(s), None) => format!("left RUNNING: now {s}, not by an action of this app"),
                (None, _) => {
                    "left RUNNING: the instance is gone, not by an action of this app".into()
                }
            },
            (AlertKind::Expiring, _) => format!(
                "prepaid, expires in {:.1} days",
                self.value.unwrap_or_default()
            ),
        }
    }
}

/// The instance a notification's click opens.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct AlertOpen {
    pub profile_id: String,
    pub region: String,
    pub instance_id: String,
}

/// The desktop notification's title and body for a fired alert, in the UI's language.
pub fn notice(a: &ActiveAlert, rule: Option<&AlertCondition>, zh: bool) -> (String, String) {
    let name = a.display_name();
    if !zh {
        return (
            format!("CVM Console alert: {name}"),
            format!(
                "{}. {} · {}",
                capitalise(&a.describe(rule)),
                a.profile_name,
                a.region
            ),
        );
    }
    let what = match (a.kind, rule) {
        (AlertKind::CpuAbove, Some(AlertCondition::CpuAbove { threshold, minutes })) => format!(
            "CPU 连续 {minutes} 分钟高于 {threshold}%（最低 {:.1}%）",
            a.value.unwrap_or_default()
        ),
        (AlertKind::CpuAbove, _) => "CPU 高于阈值".into(),
        (AlertKind::LeftRunning, _) => match (&a.state, &a.operation) {
            (Some(s), Some(op)) => format!("已离开运行中状态（{op}）：现为 {s}，并非本应用的操作"),
            (Some(s), None) => format!("已离开运行中状态：现为 {s}，并非本应用的操作"),
            (None, _) => "已离开运行中状态：实例已不存在，并非本应用的操作".into(),
        },
        (AlertKind::Expiring, _) => format!(
            "包年包月实例将在 {:.1} 天后到期",
            a.value.unwrap_or_default()
        ),
    };
    (
        format!("CVM Console 告警：{name}"),
        format!("{what}。{} · {}", a.profile_name, a.region),
    )
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

#[derive(Clone, Debug, PartialEq)]
pub enum AlertEvent {
    Fired(ActiveAlert),
    Cleared(ActiveAlert),
}

/// Operations that take a RUNNING instance out of RUNNING on their way (a reboot, a
/// stop, a start — only a stopped instance starts —, a reinstall, a type change, a key
/// pair or password change with a forced stop, an image made with a forced shutdown).
/// A new one of these between two ticks is a departure from RUNNING even when the
/// instance is RUNNING again at the second.
const INTERRUPTING: &[&str] = &[
    "RebootInstances",
    "StopInstances",
    "StartInstances",
    "TerminateInstances",
    "ResetInstance",
    "ResetInstancesType",
    "ResetInstancesPassword",
    "AssociateInstancesKeyPairs",
    "DisassociateInstancesKeyPairs",
    "CreateImage",
    "ResizeInstanceDisks",
];

/// What an instance looked like at the last tick.
#[derive(Clone, Debug, Default)]
struct Seen {
    state: String,
    operation_request: Option<String>,
}

/// An operation on an instance that DescribeInstances reports as new since the last tick.
#[derive(Clone, Copy, Debug)]
pub struct Cause<'a> {
    /// LatestOperationRequestId.
    pub request_id: &'a str,
    /// LatestOperation, e.g. RebootInstances.
    pub action: &'a str,
}

/// What one (profile, region) looked like at a tick.
#[derive(Clone, Debug, Default)]
pub struct Observation {
    pub profile_id: String,
    pub profile_name: String,
    pub region: String,
    /// Every instance of the region; None when the listing failed (nothing is concluded).
    pub instances: Option<Vec<InstanceView>>,
    /// CPUUsage points `(unix time, %)` per instance; an instance missing here was not
    /// asked or its batch failed (unknown: its CPU alerts stay as they were).
    pub cpu: HashMap<String, Vec<(i64, f64)>>,
    /// The clock the rules are evaluated on (the Sandbox's own world clock for it).
    pub now: i64,
}

type Key = (String, String, String); // rule, profile, instance

fn key(rule: &AlertRule, o: &Observation, id: &str) -> Key {
    (rule.id.clone(), o.profile_id.clone(), id.to_owned())
}

/// An enabled rule with its target resolved for this tick.
#[derive(Clone, Debug)]
pub struct Armed {
    pub rule: AlertRule,
    pub watch: Watch,
}

impl std::ops::Deref for Armed {
    type Target = AlertRule;
    fn deref(&self) -> &AlertRule {
        &self.rule
    }
}

/// Whether the rule's target covers this (profile, region).
fn targets_place(rule: &Armed, profile_id: &str, region: &str, enabled: &[String]) -> bool {
    rule.watch
        .accounts()
        .is_none_or(|a| a.iter().any(|p| p == profile_id))
        && match rule.watch.regions() {
            Some(r) => r.iter().any(|x| x == region),
            None => enabled.iter().any(|x| x == region),
        }
}

/// Whether a view rule's filters keep the instance (a profile rule keeps every one).
pub fn matches(watch: &Watch, i: &InstanceView) -> bool {
    let Watch::View(view) = watch else {
        return true;
    };
    let conditions = parse_tag_filter(&view.tags).unwrap_or_default();
    let tags_ok = conditions.iter().all(|(k, v)| {
        i.tags
            .iter()
            .any(|t| &t.key == k && v.as_ref().is_none_or(|v| &t.value == v))
    });
    let text = view.text.to_lowercase();
    let text_ok = text.is_empty()
        || i.id.to_lowercase().contains(&text)
        || i.name.to_lowercase().contains(&text)
        || i.private_ips
            .iter()
            .chain(&i.public_ips)
            .any(|ip| ip.contains(&text));
    tags_ok && text_ok && (view.state.is_empty() || i.state == view.state)
}

/// The CPU condition over a series: at least `minutes` one-minute points, the newest no
/// older than the lag allows, covering `minutes` consecutive minutes, every one above the
/// threshold. Returns the lowest of them when it holds.
pub fn cpu_holds(points: &[(i64, f64)], threshold: f64, minutes: u32, now: i64) -> Option<f64> {
    let n = minutes as usize;
    let p = i64::from(PERIOD);
    if points.len() < n {
        return None;
    }
    let recent = &points[points.len() - n..];
    let (first, last) = (recent[0].0, recent[n - 1].0);
    if last < now - (LAG_MINUTES + 1) * p || last - first > (n as i64 - 1) * p {
        return None;
    }
    recent
        .iter()
        .all(|(_, v)| *v > threshold)
        .then(|| recent.iter().map(|(_, v)| *v).fold(f64::INFINITY, f64::min))
}

fn interrupting(i: &InstanceView) -> bool {
    i.latest_operation
        .as_deref()
        .is_some_and(|op| INTERRUPTING.contains(&op))
}

/// Days until a prepaid instance expires, when fewer than `days`.
pub fn expiring_within(i: &InstanceView, days: u32, now: i64) -> Option<f64> {
    if i.charge_type != "PREPAID" {
        return None;
    }
    let at = time::OffsetDateTime::parse(
        i.expired_time.as_deref()?,
        &time::format_description::well_known::Rfc3339,
    )
    .ok()?
    .unix_timestamp();
    let left = (at - now) as f64 / 86_400.0;
    (left < f64::from(days)).then_some(left)
}

fn rfc3339_now() -> String {
    time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

/// The transitions: what fired and cleared, from the observations of one tick. Pure
/// except for its memory of the last tick, so it is tested without a network.
#[derive(Default)]
pub struct Engine {
    firing: BTreeMap<Key, ActiveAlert>,
    /// (profile, region) → instance → state and latest operation, as last listed.
    states: HashMap<(String, String), HashMap<String, Seen>>,
}

impl Engine {
    pub fn firing(&self) -> Vec<ActiveAlert> {
        self.firing.values().cloned().collect()
    }

    /// `enabled(profile)` gives the regions a rule without its own list covers;
    /// `acted_on(profile, instance, cause)` says whether leaving RUNNING was the app's
    /// doing: with `cause` (an operation new since the last tick, by its RequestId and
    /// action), whether that request was the app's; without, whether the app sent the
    /// instance an action lately.
    pub fn evaluate(
        &mut self,
        rules: &[Armed],
        observations: &[Observation],
        enabled: &dyn Fn(&str) -> Vec<String>,
        acted_on: &dyn Fn(&str, &str, Option<Cause<'_>>) -> bool,
    ) -> Vec<AlertEvent> {
        let mut events = Vec::new();
        let live: BTreeSet<&str> = rules
            .iter()
            .filter(|r| r.enabled)
            .map(|r| r.id.as_str())
            .collect();
        // A removed or disabled rule's alerts end quietly.
        self.firing.retain(|(r, _, _), _| live.contains(r.as_str()));
        // States remembered from places no rule watches any more are stale: a rule added
        // there later starts afresh instead of comparing with an old listing.
        let watched: BTreeSet<(String, String)> = observations
            .iter()
            .map(|o| (o.profile_id.clone(), o.region.clone()))
            .collect();
        self.states.retain(|place, _| watched.contains(place));
        for o in observations {
            let Some(instances) = &o.instances else {
                continue;
            };
            let place = (o.profile_id.clone(), o.region.clone());
            let before = self.states.remove(&place).unwrap_or_default();
            let enabled_regions = enabled(&o.profile_id);
            for rule in rules.iter().filter(|r| r.enabled) {
                if !targets_place(rule, &o.profile_id, &o.region, &enabled_regions) {
                    continue;
                }
                let kind = match rule.condition {
                    AlertCondition::CpuAbove { .. } => AlertKind::CpuAbove,
                    AlertCondition::LeftRunning => AlertKind::LeftRunning,
                    AlertCondition::Expiring { .. } => AlertKind::Expiring,
                };
                let alert = |i: Option<&InstanceView>,
                             id: &str,
                             value: Option<f64>,
                             operation: Option<String>| ActiveAlert {
                    rule_id: rule.id.clone(),
                    kind,
                    profile_id: o.profile_id.clone(),
                    profile_name: o.profile_name.clone(),
                    region: o.region.clone(),
                    instance_id: id.to_owned(),
                    instance_name: i.map(|i| i.name.clone()).unwrap_or_default(),
                    value,
                    state: i.map(|i| i.state.clone()),
                    operation,
                    since: rfc3339_now(),
                };
                // Each instance: Some(holds) when known, None when unknown this tick.
                let mut verdicts: Vec<(String, Option<ActiveAlert>)> = Vec::new();
                for i in instances.iter().filter(|i| matches(&rule.watch, i)) {
                    let k = key(rule, o, &i.id);
                    match &rule.condition {
                        AlertCondition::CpuAbove { threshold, minutes } => {
                            if i.state != "RUNNING" {
                                verdicts.push((i.id.clone(), None));
                                continue;
                            }
                            let Some(points) = o.cpu.get(&i.id) else {
                                // Unknown: keep whatever holds.
                                if let Some(a) = self.firing.get(&k) {
                                    verdicts.push((i.id.clone(), Some(a.clone())));
                                }
                                continue;
                            };
                            let v = cpu_holds(points, *threshold, *minutes, o.now);
                            verdicts.push((
                                i.id.clone(),
                                v.map(|v| alert(Some(i), &i.id, Some(v), None)),
                            ));
                        }
                        AlertCondition::LeftRunning => {
                            let was = before.get(&i.id);
                            // An operation since the last tick (a changed RequestId).
                            let new_op = i.latest_operation_request_id.as_deref().filter(|r| {
                                was.is_some_and(|w| w.operation_request.as_deref() != Some(*r))
                            });
                            let firing = self.firing.get(&k);
                            let holds = match firing {
                                // Back in RUNNING ends it, unless a newer interruption
                                // came in between (then it is still the same alert).
                                Some(_) => i.state != "RUNNING",
                                None => {
                                    let left = i.state != "RUNNING"
                                        || (new_op.is_some()
                                            && interrupting(i)
                                            && i.latest_operation_state.as_deref()
                                                != Some("FAILED"));
                                    // Only an interrupting operation explains the
                                    // departure (a rename does not stop an instance).
                                    let cause = new_op.filter(|_| interrupting(i)).map(|r| Cause {
                                        request_id: r,
                                        action: i.latest_operation.as_deref().unwrap_or(""),
                                    });
                                    was.is_some_and(|w| w.state == "RUNNING")
                                        && left
                                        && !acted_on(&o.profile_id, &i.id, cause)
                                }
                            };
                            let operation = new_op
                                .filter(|_| interrupting(i))
                                .and(i.latest_operation.clone());
                            verdicts.push((
                                i.id.clone(),
                                holds.then(|| alert(Some(i), &i.id, None, operation)),
                            ));
                        }
                        AlertCondition::Expiring { days } => {
                            let v = expiring_within(i, *days, o.now);
                            verdicts.push((
                                i.id.clone(),
                                v.map(|v| alert(Some(i), &i.id, Some(v), None)),
                            ));
                        }
                    }
                }
                if matches!(rule.condition, AlertCondition::LeftRunning) {
                    // Gone since the last listing: it left RUNNING for good.
                    for (id, seen) in &before {
                        if seen.state == "RUNNING"
                            && !instances.iter().any(|i| &i.id == id)
                            && !acted_on(&o.profile_id, id, None)
                            && !self.firing.contains_key(&key(rule, o, id))
                        {
                            verdicts.push((id.clone(), Some(alert(None, id, None, None))));
                        }
                    }
                }
                // Alerts of this rule here whose instance no verdict mentions (gone, or
                // filtered out by the view now) end.
                let seen: BTreeSet<&str> = verdicts.iter().map(|(id, _)| id.as_str()).collect();
                let stale: Vec<Key> = self
                    .firing
                    .keys()
                    .filter(|(r, p, id)| {
                        r == &rule.id
                            && p == &o.profile_id
                            && !seen.contains(id.as_str())
                            && self.firing[&(r.clone(), p.clone(), id.clone())].region == o.region
                    })
                    .cloned()
                    .collect();
                for k in stale {
                    if let Some(a) = self.firing.remove(&k) {
                        events.push(AlertEvent::Cleared(a));
                    }
                }
                for (id, verdict) in verdicts {
                    let k = key(rule, o, &id);
                    match (verdict, self.firing.contains_key(&k)) {
                        (Some(a), false) => {
                            self.firing.insert(k, a.clone());
                            events.push(AlertEvent::Fired(a));
                        }
                        (None, true) => {
                            if let Some(a) = self.firing.remove(&k) {
                                events.push(AlertEvent::Cleared(a));
                            }
                        }
                        _ => {}
                    }
                }
            }
            self.states.insert(
                place,
                instances
                    .iter()
                    .map(|i| {
                        let seen = Seen {
                            state: i.state.clone(),
                            operation_request: i.latest_operation_request_id.clone(),
                        };
                        (i.id.clone(), seen)
                    })
                    .collect(),
            );
        }
        events
    }
}

/// What the app provides to raise a notification for a fired alert (the desktop's
/// notification service; a click opens the instance).
pub trait AlertNotifier: Send + Sync {
    fn notify(&self, open: AlertOpen, title: &str, body: &str);
}

/// The watcher's state, shared by the background task and the commands.
pub struct Alerts {
    pub store: AlertStore,
    engine: tokio::sync::Mutex<Engine>,
    firing: Mutex<Vec<ActiveAlert>>,
    wake: tokio::sync::Notify,
    regions: Mutex<HashMap<String, (std::time::Instant, Vec<String>)>>,
    notifier: std::sync::OnceLock<Arc<dyn AlertNotifier>>,
    clock: std::sync::OnceLock<ProfileClock>,
}

/// A profile's clock (Unix seconds), when it is not real time (an emulator's).
pub type ProfileClock = Arc<dyn Fn(&Profile) -> Option<i64> + Send + Sync>;

/// What a tick did: the calls it made and the transitions it found.
#[derive(Debug, Default)]
pub struct TickReport {
    pub describe_calls: u32,
    pub monitor_calls: u32,
    pub events: Vec<AlertEvent>,
}

fn system_now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

impl Alerts {
    pub fn new(config_dir: &std::path::Path) -> Alerts {
        Alerts {
            store: AlertStore::new(config_dir),
            engine: tokio::sync::Mutex::new(Engine::default()),
            firing: Mutex::new(Vec::new()),
            wake: tokio::sync::Notify::new(),
            regions: Mutex::new(HashMap::new()),
            notifier: std::sync::OnceLock::new(),
            clock: std::sync::OnceLock::new(),
        }
    }

    /// Evaluates the profiles this clock answers for on it (an emulator's world clock).
    pub fn set_clock(&self, clock: ProfileClock) {
        let _ = self.clock.set(clock);
    }

    /// Installed once by the app at start-up.
    pub fn set_notifier(&self, n: Arc<dyn AlertNotifier>) {
        let _ = self.notifier.set(n);
    }

    /// The alerts firing now.
    pub fn firing(&self) -> Vec<ActiveAlert> {
        lock(&self.firing).clone()
    }

    /// Runs a tick soon (the rules changed).
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    /// The background loop: a tick now, then one a minute (or sooner when woken).
    pub async fn run(self: Arc<Self>, state: Arc<AppState>) {
        loop {
            let report = self.tick(&state).await;
            if !report.events.is_empty() {
                tracing::info!(
                    events = report.events.len(),
                    describe = report.describe_calls,
                    monitor = report.monitor_calls,
                    "alerts tick"
                );
            }
            tokio::select! {
                () = tokio::time::sleep(TICK) => {}
                () = self.wake.notified() => {}
            }
        }
    }

    /// The regions a rule without its own list covers for this profile: those enabled
    /// in the console's settings, or every available region the account sees (asked at
    /// most hourly).
    async fn enabled_regions(&self, state: &AppState, profile: &Profile) -> Vec<String> {
        if let Some(r) = ConsoleSettings::new(&state.config_dir).enabled_regions(&profile.id) {
            return r;
        }
        if let Some((at, r)) = lock(&self.regions).get(&profile.id)
            && at.elapsed() < REGIONS_TTL
        {
            return r.clone();
        }
        let Ok(client) = state.client(profile).await else {
            return Vec::new();
        };
        match list_regions(&client).await {
            Ok(list) => {
                let ids: Vec<String> = list
                    .into_iter()
                    .filter(|r| r.available)
                    .map(|r| r.id)
                    .collect();
                lock(&self.regions)
                    .insert(profile.id.clone(), (std::time::Instant::now(), ids.clone()));
                ids
            }
            Err(e) => {
                tracing::warn!(code = %e.code, "alerts: regions of {}: {}", profile.id, e.message);
                Vec::new()
            }
        }
    }

    /// One pass over every enabled rule.
    pub async fn tick(&self, state: &AppState) -> TickReport {
        let mut report = TickReport::default();
        let profiles: Vec<Profile> = lock(&state.profiles).profiles.clone();
        let ids: Vec<String> = profiles.iter().map(|p| p.id.clone()).collect();
        if let Err(e) = self.store.migrate_copies(&state.views, &ids) {
            tracing::warn!("alerts: {}", e.message);
        }
        let views = match state.views.views() {
            Ok(v) => v,
            Err(e) => {
                tracing::warn!("alerts: {}", e.message);
                Vec::new()
            }
        };
        // A rule whose view was deleted runs on nothing (the Alerts page says so).
        let rules: Vec<Armed> = match self.store.rules() {
            Ok(r) => r
                .into_iter()
                .filter(|r| r.enabled)
                .filter_map(|rule| {
                    Watch::of(&rule.target, &views).map(|watch| Armed { rule, watch })
                })
                .collect(),
            Err(e) => {
                tracing::warn!("alerts: {}", e.message);
                return report;
            }
        };
        let mut engine = self.engine.lock().await;
        let mut enabled: HashMap<String, Vec<String>> = HashMap::new();
        let mut observations = Vec::new();
        for profile in &profiles {
            let mine: Vec<&Armed> = rules
                .iter()
                .filter(|r| r.watch.accounts().is_none_or(|a| a.contains(&profile.id)))
                .collect();
            if mine.is_empty() {
                continue;
            }
            let needs_default = mine.iter().any(|r| r.watch.regions().is_none());
            let defaults = if needs_default {
                self.enabled_regions(state, profile).await
            } else {
                Vec::new()
            };
            let mut regions: BTreeSet<String> = defaults.iter().cloned().collect();
            for r in &mine {
                if let Some(list) = r.watch.regions() {
                    regions.extend(list.iter().cloned());
                }
            }
            enabled.insert(profile.id.clone(), defaults.clone());
            for region in regions {
                let o = self
                    .observe(state, profile, &region, &mine, &defaults, &mut report)
                    .await;
                observations.push(o);
            }
        }
        let activity = state.activity.clone();
        let acted_on = |profile: &str, id: &str, cause: Option<Cause<'_>>| match cause {
            Some(c) => {
                activity.has_request(c.request_id)
                    || sent_unanswered(&activity, profile, id, c.action, system_now())
            }
            None => acted_lately(&activity, profile, id),
        };
        let events = engine.evaluate(
            &rules,
            &observations,
            &|p| enabled.get(p).cloned().unwrap_or_default(),
            &acted_on,
        );
        *lock(&self.firing) = engine.firing();
        drop(engine);
        for ev in &events {
            self.record(state, &rules, ev);
        }
        report.events = events;
        report
    }

    fn record(&self, state: &AppState, rules: &[Armed], ev: &AlertEvent) {
        let (a, action) = match ev {
            AlertEvent::Fired(a) => (a, "AlertFired"),
            AlertEvent::Cleared(a) => (a, "AlertCleared"),
        };
        let rule = rules
            .iter()
            .find(|r| r.id == a.rule_id)
            .map(|r| &r.condition);
        let what = a.describe(rule);
        let name = a.display_name();
        let cleared = matches!(ev, AlertEvent::Cleared(_));
        let detail = if cleared {
            format!("{name}: recovered ({what})")
        } else {
            format!("{name}: {what}")
        };
        state.activity.record_event(
            &a.profile_id,
            &a.profile_name,
            &a.region,
            AppEvent {
                action,
                targets: vec![a.instance_id.clone()],
                detail,
                note: a.note(rule, cleared),
            },
        );
        if let (AlertEvent::Fired(a), Some(n)) = (ev, self.notifier.get()) {
            let (title, body) = notice(a, rule, crate::console::watch::ui_zh());
            let open = AlertOpen {
                profile_id: a.profile_id.clone(),
                region: a.region.clone(),
                instance_id: a.instance_id.clone(),
            };
            n.notify(open, &title, &body);
        }
    }

    async fn observe(
        &self,
        state: &AppState,
        profile: &Profile,
        region: &str,
        rules: &[&Armed],
        defaults: &[String],
        report: &mut TickReport,
    ) -> Observation {
        let mut o = Observation {
            profile_id: profile.id.clone(),
            profile_name: profile.name.clone(),
            region: region.to_owned(),
            now: self
                .clock
                .get()
                .and_then(|c| c(profile))
                .unwrap_or_else(|| clock(state, profile)),
            ..Default::default()
        };
        let client = match state.client(profile).await {
            Ok(c) => c,
            Err(e) => {
                tracing::warn!(code = %e.code, "alerts: client of {}: {}", profile.id, e.message);
                return o;
            }
        };
        let mut instances = Vec::new();
        let listed = list_instances(&client, region, None, |page| {
            report.describe_calls += 1;
            instances.extend(page.instances);
        })
        .await;
        if let Err(e) = listed {
            tracing::warn!(code = %e.code, "alerts: listing {} {region}: {}", profile.id, e.message);
            return o;
        }
        // RUNNING instances some CPU rule here watches, and the longest window asked.
        let mut watched: Vec<String> = Vec::new();
        let mut longest = 0u32;
        for r in rules {
            let AlertCondition::CpuAbove { minutes, .. } = r.condition else {
                continue;
            };
            if !targets_place(r, &profile.id, region, defaults) {
                continue;
            }
            longest = longest.max(minutes);
            for i in instances
                .iter()
                .filter(|i| i.state == "RUNNING" && matches(&r.watch, i))
            {
                if !watched.contains(&i.id) {
                    watched.push(i.id.clone());
                }
            }
        }
        if !watched.is_empty() {
            let p = i64::from(PERIOD);
            let end = o.now.div_euclid(p) * p;
            let start = end - (i64::from(longest) + LAG_MINUTES) * p;
            for batch in watched.chunks(monitor::MAX_INSTANCES) {
                report.monitor_calls += 1;
                // The batch's ids go into the activity log as the call's targets.
                let got = crate::console::activity::with_targets(batch.to_vec(), async {
                    let req = GetMonitorDataRequest::cvm("CPUUsage", PERIOD, batch, start, end)?;
                    Ok::<_, crate::error::AppError>(client.get_monitor_data(region, &req).await?)
                })
                .await;
                match got {
                    Ok(resp) => {
                        for id in batch {
                            let points = resp
                                .data_points
                                .iter()
                                .find(|d| d.instance_id() == Some(id.as_str()))
                                .map(|d| {
                                    d.timestamps
                                        .iter()
                                        .zip(&d.values)
                                        .map(|(t, v)| (*t as i64, *v))
                                        .collect()
                                })
                                .unwrap_or_default();
                            o.cpu.insert(id.clone(), points);
                        }
                    }
                    Err(e) => {
                        tracing::warn!(code = %e.code, "alerts: CPU of {} {region}: {}", profile.id, e.message);
                    }
                }
            }
        }
        o.instances = Some(instances);
        o
    }
}

/// The clock rules are evaluated on: the Sandbox's world clock for profiles that reach
/// it (it runs ahead once advanced), real time otherwise.
fn clock(state: &AppState, profile: &Profile) -> i64 {
    let on_sandbox = profile.kind == ProfileKind::Sandbox
        || profile.role.as_ref().is_some_and(|r| {
            state
                .profile(&r.base_profile_id)
                .is_ok_and(|b| b.kind == ProfileKind::Sandbox)
        });
    match (on_sandbox, state.sandbox.get()) {
        (true, Some(sb)) => sb.now_unix(),
        _ => system_now(),
    }
}

/// The app's calls of `profile` on `id` within [`ACTION_WINDOW_S`] of `now`, by the
/// activity log (its own events left out).
fn recent_calls(
    activity: &crate::console::activity::ActivityLog,
    profile: &str,
    id: &str,
    now: i64,
) -> Vec<crate::console::activity::ActivityEntry> {
    let since = now - ACTION_WINDOW_S;
    activity
        .query(&crate::console::activity::ActivityFilter {
            profile_id: Some(profile.to_owned()),
            text: Some(id.to_owned()),
            limit: Some(1000),
            ..Default::default()
        })
        .into_iter()
        .filter(|e| e.detail.is_none() && e.targets.iter().any(|t| t == id))
        .filter(|e| {
            time::OffsetDateTime::parse(&e.time, &time::format_description::well_known::Rfc3339)
                .is_ok_and(|t| t.unix_timestamp() >= since)
        })
        .collect()
}

/// Whether the app sent `id` an action (anything but a read) lately.
fn acted_lately(activity: &crate::console::activity::ActivityLog, profile: &str, id: &str) -> bool {
    recent_calls(activity, profile, id, system_now())
        .iter()
        .any(|e| !is_read(&e.action))
}

/// Whether the app sent `id` this action lately and no answer arrived (a timeout, a
/// dropped connection: no RequestId came back, so the operation's cannot be matched, yet
/// Tencent may have applied it). A call that was answered carries its RequestId, and a
/// different one on the instance's operation is someone else's.
fn sent_unanswered(
    activity: &crate::console::activity::ActivityLog,
    profile: &str,
    id: &str,
    action: &str,
    now: i64,
) -> bool {
    recent_calls(activity, profile, id, now)
        .iter()
        .any(|e| e.action == action && e.request_id.is_none())
}

fn is_read(action: &str) -> bool {
    ["Describe", "Inquiry", "Inquire", "Get"]
        .iter()
        .any(|p| action.starts_with(p))
}
