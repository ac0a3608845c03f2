//! Client-side rate budget: per (service, action, access region) and in total, for one
//! account.
//!
//! Tencent counts its published per-API limits per "API + access region + sub-account"
//! (<https://cloud.tencent.com/document/product/1278/109059>, API 频率限制说明): the access
//! region is the API server the request reached (`cvm.ap-guangzhou.tencentcloudapi.com`
//! reaches Guangzhou; `cvm.tencentcloudapi.com` the nearest one), not `X-TC-Region`. The
//! same page says requests are also subject to a main-account and a per-IP limit, but
//! publishes no value for either, so `current` has no total. The caller says which access
//! region a call goes to; a profile that does not count per region (`seed`) ignores it.
//!
//! Calls wait for budget instead of failing. Each limit is a GCRA (the algorithm governor
//! implements) with an explicit reservation step: a call reserves its slot in the
//! per-action limit *and* the total limit atomically, at the earliest instant both allow,
//! then sleeps until that instant. Taking one token and then waiting for the other would
//! let delayed calls bunch up past a limit; reserving both at once cannot.
//!
//! The arithmetic: a GCRA with emission interval `T` and burst `b` admits at most
//! `b + floor(W / T)` calls in any closed window of length `W` (this is governor's trap:
//! `Quota::per_minute(100)` has `b = 100`, `T = 0.6 s` and lets 199 through in a minute).
//! For "at most `N` in any `W`" we take `T` just above `(W + margin) / (N - b + 1)`,
//! where the margin (2 % of the window) absorbs jitter between our clock and the
//! server's arrival times.
//!
//! A call cancelled while it waits (its future dropped before its instant) gives its slot
//! back when nothing has been reserved after it in that limit: the limit's state is rolled
//! back to what it was before the reservation, exactly as if the call had never asked.
//! Cancelled reservations with later ones behind them are given back once all the later
//! ones are cancelled too; once a later one is admitted, they stay spent (giving them back
//! would need the admitted call's slot moved, which may already have been used). Never
//! rolling back past an admitted reservation is what keeps the limit exact.
//!
//! Time is `tokio::time::Instant`, so tests can run budgets on a paused clock.
//!
//! Not governor: its limiters check one quota at a time and cannot reserve a slot in two
//! limits at once or give a reserved slot back, which is what keeps both limits exact here.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::Duration;
use tokio::sync::watch;
use tokio::time::Instant;

/// "At most `count` calls in any `window`", admitted in bursts of up to `burst`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limit {
    pub count: u32,
    pub window: Duration,
    pub burst: u32,
}

impl Limit {
    pub const fn per_second(count: u32, burst: u32) -> Self {
        Self {
            count,
            window: Duration::from_secs(1),
            burst,
        }
    }

    pub const fn per_minute(count: u32, burst: u32) -> Self {
        Self {
            count,
            window: Duration::from_secs(60),
            burst,
        }
    }

    /// GCRA emission interval for this limit, margin included.
    pub fn interval(&self) -> Duration {
        let count = self.count.max(1);
        let burst = self.burst.clamp(1, count);
        let window = self.window + self.window / 50;
        window / (count - burst + 1) + Duration::from_micros(1)
    }

    /// The sustained rate the budget actually allows, in calls per second.
    pub fn effective_rate(&self) -> f64 {
        1.0 / self.interval().as_secs_f64()
    }
}

/// Which limits apply to an account.
#[derive(Clone, Debug, PartialEq)]
pub struct BudgetProfile {
    pub name: String,
    /// Whether the per-action limits count each access region separately (Tencent's
    /// rule today) or all regions together (the seed's rule).
    pub per_region: bool,
    /// Per `(service, action)` overrides.
    pub actions: HashMap<(String, String), Limit>,
    /// For read actions (`Describe*`) without an override.
    pub default_read: Limit,
    /// For every other action without an override.
    pub default_write: Limit,
    /// Across all actions, when the profile has such a limit.
    pub total: Option<Limit>,
}

impl BudgetProfile {
    /// Today's documented per-action limits (api reference §7: requests per second, per
    /// action and access region). Tencent publishes no account-wide total (see the module
    /// notes), so none is applied.
    pub fn current() -> Self {
        let per_s = |n: u32| Limit::per_second(n, (n / 8).max(1));
        let mut actions = HashMap::new();
        let mut set = |svc: &str, names: &[&str], n: u32| {
            for a in names {
                actions.insert((svc.to_owned(), (*a).to_owned()), per_s(n));
            }
        };
        set(
            "cvm",
            &[
                "DescribeRegions",
                "DescribeZones",
                "DescribeInstancesModification",
            ],
            20,
        );
        set(
            "cvm",
            &[
                "DescribeImages",
                "DescribeInstanceTypeConfigs",
                "DescribeZoneInstanceConfigInfos",
                "DescribeInstances",
                "DescribeInstancesStatus",
            ],
            40,
        );
        set("cvm", &["DescribeKeyPairs", "DescribeInstanceVncUrl"], 10);
        set("vpc", &["DescribeSubnets"], 100);
        set("vpc", &["DescribeAddresses"], 20);
        // Cloud Monitor's FAQ: GetMonitorData is limited to 20 calls per second by default
        // (https://cloud.tencent.com/document/product/248/54788).
        set("monitor", &["GetMonitorData"], 20);
        Self {
            name: "current".into(),
            per_region: true,
            actions,
            default_read: per_s(20),
            default_write: per_s(10),
            total: None,
        }
    }

    /// The original API overview's rule: at most 100 calls per action and 1,000 in total
    /// in any 60 seconds.
    pub fn seed() -> Self {
        Self {
            name: "seed".into(),
            per_region: false,
            actions: HashMap::new(),
            default_read: Limit::per_minute(100, 5),
            default_write: Limit::per_minute(100, 5),
            total: Some(Limit::per_minute(1000, 20)),
        }
    }

    /// Starts from explicit defaults; add overrides with [`BudgetProfile::with_action`].
    pub fn custom(name: impl Into<String>, default: Limit, total: Option<Limit>) -> Self {
        Self {
            name: name.into(),
            per_region: false,
            actions: HashMap::new(),
            default_read: default,
            default_write: default,
            total,
        }
    }

    /// Counts the per-action limits per access region, as `current` does.
    pub fn per_region(mut self, on: bool) -> Self {
        self.per_region = on;
        self
    }

    pub fn with_action(mut self, service: &str, action: &str, limit: Limit) -> Self {
        self.actions
            .insert((service.to_owned(), action.to_owned()), limit);
        self
    }

    pub fn limit_for(&self, service: &str, action: &str) -> Limit {
        if let Some(l) = self.actions.get(&(service.to_owned(), action.to_owned())) {
            *l
        } else if action.starts_with("Describe") {
            self.default_read
        } else {
            self.default_write
        }
    }
}

/// What the UI shows: calls waiting for budget and calls on the wire.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct BudgetSnapshot {
    pub waiting: usize,
    pub in_flight: usize,
    /// Calls admitted since the budget was created.
    pub admitted: u64,
}

#[derive(Clone, Debug)]
struct Gcra {
    interval: Duration,
    tolerance: Duration,
    /// Theoretical arrival time of the next call; `None` before the first.
    tat: Option<Instant>,
    /// Reservations made after the last admitted one, oldest first: the ones that can
    /// still be rolled back.
    pending: VecDeque<Pending>,
}

#[derive(Clone, Copy, Debug)]
struct Pending {
    id: u64,
    /// `tat` just before this reservation was committed.
    tat_before: Option<Instant>,
    cancelled: bool,
}

impl Gcra {
    fn new(limit: Limit) -> Self {
        let interval = limit.interval();
        let burst = limit.burst.clamp(1, limit.count.max(1));
        Self {
            interval,
            tolerance: interval * (burst - 1),
            tat: None,
            pending: VecDeque::new(),
        }
    }

    fn earliest(&self, now: Instant) -> Instant {
        match self.tat {
            None => now,
            Some(tat) => match tat.checked_sub(self.tolerance) {
                Some(t) => t.max(now),
                None => now,
            },
        }
    }

    /// Takes the slot at `at`; with an `id`, the slot can be given back until admitted.
    fn commit(&mut self, at: Instant, id: Option<u64>) {
        let tat_before = self.tat;
        let base = self.tat.map_or(at, |t| t.max(at));
        self.tat = Some(base + self.interval);
        match id {
            Some(id) => self.pending.push_back(Pending {
                id,
                tat_before,
                cancelled: false,
            }),
            // A permanent reservation: nothing before it can be rolled back any more.
            None => self.pending.clear(),
        }
    }

    /// The call went out: its slot, and every slot reserved before it, stay spent.
    fn admit(&mut self, id: u64) {
        if let Some(i) = self.pending.iter().position(|p| p.id == id) {
            self.pending.drain(..=i);
        }
    }

    /// The call was dropped before going out: roll back every cancelled reservation at the
    /// end of the queue, this one included when nothing live follows it.
    fn cancel(&mut self, id: u64) {
        if let Some(p) = self.pending.iter_mut().find(|p| p.id == id) {
            p.cancelled = true;
        }
        while let Some(p) = self.pending.back().copied()
            && p.cancelled
        {
            self.tat = p.tat_before;
            self.pending.pop_back();
        }
    }
}

/// `(service, action, access region)`; the region is empty when the profile counts all
/// regions together or the call goes to the nearest access point.
type Key = (String, String, String);

struct Limiters {
    actions: HashMap<Key, Gcra>,
    total: Option<Gcra>,
    next_id: u64,
}

/// One account's budget. Share it (`Arc`) between clients of the same account.
pub struct Budget {
    profile: BudgetProfile,
    limiters: Mutex<Limiters>,
    waiting: AtomicUsize,
    in_flight: AtomicUsize,
    admitted: AtomicU64,
    snapshot: watch::Sender<BudgetSnapshot>,
}

impl std::fmt::Debug for Budget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Budget")
            .field("profile", &self.profile.name)
            .field("snapshot", &self.snapshot())
            .finish()
    }
}

impl Budget {
    pub fn new(profile: BudgetProfile) -> Self {
        let total = profile.total.map(Gcra::new);
        Self {
            profile,
            limiters: Mutex::new(Limiters {
                actions: HashMap::new(),
                total,
                next_id: 0,
            }),
            waiting: AtomicUsize::new(0),
            in_flight: AtomicUsize::new(0),
            admitted: AtomicU64::new(0),
            snapshot: watch::channel(BudgetSnapshot::default()).0,
        }
    }

    pub fn profile(&self) -> &BudgetProfile {
        &self.profile
    }

    pub fn snapshot(&self) -> BudgetSnapshot {
        BudgetSnapshot {
            waiting: self.waiting.load(Ordering::Relaxed),
            in_flight: self.in_flight.load(Ordering::Relaxed),
            admitted: self.admitted.load(Ordering::Relaxed),
        }
    }

    /// Changes of queue depth and in-flight count, for a UI indicator.
    pub fn subscribe(&self) -> watch::Receiver<BudgetSnapshot> {
        self.snapshot.subscribe()
    }

    fn publish(&self) {
        self.snapshot.send_replace(self.snapshot());
    }

    /// Reserves the earliest slot that both the action's and the total limit allow, for
    /// good.
    #[cfg(test)]
    pub(crate) fn reserve(&self, service: &str, action: &str, now: Instant) -> Instant {
        let key = self.key(service, action, None);
        self.reserve_at(key, now, false).0
    }

    #[cfg(test)]
    pub(crate) fn reserve_in(
        &self,
        service: &str,
        action: &str,
        region: &str,
        now: Instant,
    ) -> Instant {
        let key = self.key(service, action, Some(region));
        self.reserve_at(key, now, false).0
    }

    fn key(&self, service: &str, action: &str, access_region: Option<&str>) -> Key {
        let region = match access_region {
            Some(r) if self.profile.per_region => r,
            _ => "",
        };
        (service.to_owned(), action.to_owned(), region.to_owned())
    }

    /// Reserves the earliest slot that both the action's and the total limit allow. With
    /// `cancellable`, the reservation's id for [`Budget::admit`] or [`Budget::cancel`].
    fn reserve_at(&self, key: Key, now: Instant, cancellable: bool) -> (Instant, Option<u64>) {
        let mut guard = self.limiters.lock().unwrap_or_else(|p| p.into_inner());
        let l = &mut *guard;
        let id = cancellable.then(|| {
            l.next_id += 1;
            l.next_id
        });
        let limit = self.profile.limit_for(&key.0, &key.1);
        let per = l.actions.entry(key).or_insert_with(|| Gcra::new(limit));
        let mut at = per.earliest(now);
        if let Some(total) = &l.total {
            at = at.max(total.earliest(now));
        }
        per.commit(at, id);
        if let Some(total) = &mut l.total {
            total.commit(at, id);
        }
        (at, id)
    }

    fn settle(&self, r: &Reservation<'_>, admitted: bool) {
        let mut guard = self.limiters.lock().unwrap_or_else(|p| p.into_inner());
        let l = &mut *guard;
        let limiters = l
            .actions
            .get_mut(&r.key)
            .into_iter()
            .chain(l.total.as_mut());
        for g in limiters {
            if admitted {
                g.admit(r.id);
            } else {
                g.cancel(r.id);
            }
        }
    }

    /// Waits for budget for a call reaching `access_region`'s API server (`None`: the
    /// nearest access point). The returned permit counts the call as in flight until
    /// dropped. Dropping the future while it waits gives the slot back (see the module
    /// notes).
    pub async fn acquire(
        &self,
        service: &str,
        action: &str,
        access_region: Option<&str>,
    ) -> Permit<'_> {
        let key = self.key(service, action, access_region);
        let now = Instant::now();
        let (at, id) = self.reserve_at(key.clone(), now, true);
        let mut reservation = Reservation {
            budget: self,
            id: id.unwrap_or_default(),
            key,
            admitted: false,
        };
        if at > Instant::now() {
            self.waiting.fetch_add(1, Ordering::Relaxed);
            self.publish();
            // Decrements even if the caller's future is dropped while sleeping.
            let _waiting = Counter(&self.waiting, self);
            tokio::time::sleep_until(at).await;
        }
        reservation.admitted = true;
        self.settle(&reservation, true);
        self.in_flight.fetch_add(1, Ordering::Relaxed);
        self.admitted.fetch_add(1, Ordering::Relaxed);
        self.publish();
        Permit { budget: self }
    }
}

/// A slot reserved by [`Budget::acquire`]; given back if dropped before admission.
struct Reservation<'a> {
    budget: &'a Budget,
    id: u64,
    key: Key,
    admitted: bool,
}

impl Drop for Reservation<'_> {
    fn drop(&mut self) {
        if !self.admitted {
            self.budget.settle(self, false);
        }
    }
}

struct Counter<'a>(&'a AtomicUsize, &'a Budget);

impl Drop for Counter<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::Relaxed);
        self.1.publish();
    }
}

/// A call admitted by the budget; dropping it ends the in-flight count.
pub struct Permit<'a> {
    budget: &'a Budget,
}

impl Drop for Permit<'_> {
    fn drop(&mut self) {
        self.budget.in_flight.fetch_sub(1, Ordering::Relaxed);
        self.budget.publish();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Largest number of times inside any closed window of `w` (times sorted).
    fn max_in_window(times: &[Instant], w: Duration) -> usize {
        let mut best = 0;
        let mut lo = 0;
        for hi in 0..times.len() {
            while times[hi] - times[lo] > w {
                lo += 1;
            }
            best = best.max(hi - lo + 1);
        }
        best
    }

    #[test]
    fn seed_interval_arithmetic() {
        let l = Limit::per_minute(100, 5);
        // b + floor((W + margin) / T) must stay <= N.
        let w = Duration::from_secs(60) + Duration::from_secs(60) / 50;
        let fits = (w.as_nanos() / l.interval().as_nanos()) as u32;
        assert!(5 + fits <= 100, "{fits}");
        // And not wastefully slow: within 1 % of 100 per minute after the burst.
        assert!(
            l.interval() < Duration::from_millis(640),
            "{:?}",
            l.interval()
        );
    }

    #[test]
    fn seed_never_admits_101_calls_of_one_action_in_60_s() {
        let b = Budget::new(BudgetProfile::seed());
        let t0 = Instant::now();
        // 300 callers arriving at once: everything must be spread, nothing dropped.
        let times: Vec<Instant> = (0..300)
            .map(|_| b.reserve("cvm", "DescribeInstances", t0))
            .collect();
        assert!(max_in_window(&times, Duration::from_secs(60)) <= 100);
        assert_eq!(max_in_window(&times, Duration::from_secs(61)), 100);
        // 100 calls are admitted within the first minute: the budget is not over-strict.
        assert_eq!(
            times
                .iter()
                .filter(|t| **t - t0 < Duration::from_secs(61))
                .count(),
            100
        );
    }

    #[test]
    fn current_spreads_a_burst_at_the_documented_rate() {
        let b = Budget::new(BudgetProfile::current());
        let t0 = Instant::now();
        let times: Vec<Instant> = (0..200)
            .map(|_| b.reserve("cvm", "DescribeInstances", t0))
            .collect();
        assert!(max_in_window(&times, Duration::from_secs(1)) <= 40);
        let writes: Vec<Instant> = (0..50)
            .map(|_| b.reserve("cvm", "StopInstances", t0))
            .collect();
        assert!(max_in_window(&writes, Duration::from_secs(1)) <= 10);
        // Independent actions do not wait for each other when there is no total.
        assert_eq!(writes[0], t0);
        // Cloud Monitor's own limit: 20 a second, not the 10 of an unknown write.
        let monitor: Vec<Instant> = (0..100)
            .map(|_| b.reserve("monitor", "GetMonitorData", t0))
            .collect();
        assert!(max_in_window(&monitor, Duration::from_secs(1)) <= 20);
        assert!(max_in_window(&monitor, Duration::from_secs(1)) > 10);
    }

    #[test]
    fn current_counts_each_access_region_on_its_own() {
        let b = Budget::new(BudgetProfile::current());
        let t0 = Instant::now();
        let regions = ["ap-guangzhou", "ap-shanghai", "ap-beijing"];
        let mut per: HashMap<&str, Vec<Instant>> = HashMap::new();
        for i in 0..300 {
            let r = regions[i % 3];
            per.entry(r)
                .or_default()
                .push(b.reserve_in("cvm", "DescribeInstances", r, t0));
        }
        for times in per.values() {
            assert!(max_in_window(times, Duration::from_secs(1)) <= 40);
            // A region's burst does not wait for the other regions' calls.
            assert_eq!(times[0], t0);
        }
        // Three regions together: three times one region's rate (100 calls each take the
        // same time as 100 in one region).
        let last = per.values().map(|t| *t.last().unwrap()).max().unwrap();
        let one = Budget::new(BudgetProfile::current());
        let alone = (0..100)
            .map(|_| one.reserve_in("cvm", "DescribeInstances", "ap-guangzhou", t0))
            .last()
            .unwrap();
        assert_eq!(last, alone);
        // The nearest access point is one region of its own.
        assert_eq!(b.reserve("cvm", "DescribeInstances", t0), t0);
    }

    #[test]
    fn seed_counts_every_region_together() {
        let b = Budget::new(BudgetProfile::seed());
        let t0 = Instant::now();
        let times: Vec<Instant> = (0..300)
            .map(|i| {
                let r = ["ap-guangzhou", "ap-shanghai", "ap-beijing"][i % 3];
                b.reserve_in("cvm", "DescribeInstances", r, t0)
            })
            .collect();
        assert!(max_in_window(&times, Duration::from_secs(60)) <= 100);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        /// Arbitrary arrival patterns over several actions never exceed the seed rule,
        /// per action or in total.
        #[test]
        fn seed_rule_holds_for_any_arrivals(
            arrivals in proptest::collection::vec((0u64..120_000, 0usize..12), 1..1600)
        ) {
            let b = Budget::new(BudgetProfile::seed());
            let t0 = Instant::now();
            let mut arrivals = arrivals;
            arrivals.sort();
            let mut per: HashMap<usize, Vec<Instant>> = HashMap::new();
            let mut all = Vec::new();
            for (ms, action) in arrivals {
                let now = t0 + Duration::from_millis(ms);
                let at = b.reserve("cvm", &format!("Action{action}"), now);
                prop_assert!(at >= now);
                per.entry(action).or_default().push(at);
                all.push(at);
            }
            for times in per.values_mut() {
                times.sort();
                prop_assert!(max_in_window(times, Duration::from_secs(60)) <= 100);
            }
            all.sort();
            prop_assert!(max_in_window(&all, Duration::from_secs(60)) <= 1000);
        }
    }

    #[tokio::test(start_paused = true)]
    async fn waiting_and_in_flight_are_observable() {
        let b = std::sync::Arc::new(Budget::new(BudgetProfile::custom(
            "t",
            Limit::per_second(1, 1),
            None,
        )));
        let p1 = b.acquire("cvm", "DescribeZones", None).await;
        assert_eq!(b.snapshot().in_flight, 1);
        let b2 = b.clone();
        let waiter = tokio::spawn(async move {
            let _p = b2.acquire("cvm", "DescribeZones", None).await;
        });
        tokio::task::yield_now().await;
        assert_eq!(b.snapshot().waiting, 1);
        drop(p1);
        waiter.await.unwrap();
        let s = b.snapshot();
        assert_eq!((s.waiting, s.in_flight, s.admitted), (0, 0, 2));
    }

    fn one_per_second() -> std::sync::Arc<Budget> {
        std::sync::Arc::new(Budget::new(BudgetProfile::custom(
            "t",
            Limit::per_second(1, 1),
            None,
        )))
    }

    /// Starts a caller that waits for budget; returns once it has reserved its slot.
    async fn waiter(
        b: &std::sync::Arc<Budget>,
        action: &'static str,
    ) -> tokio::task::JoinHandle<()> {
        let b2 = b.clone();
        let before = b.snapshot().waiting;
        let h = tokio::spawn(async move {
            let _p = b2.acquire("cvm", action, None).await;
        });
        while b.snapshot().waiting == before {
            tokio::task::yield_now().await;
        }
        h
    }

    async fn cancel(h: tokio::task::JoinHandle<()>) {
        h.abort();
        assert!(h.await.unwrap_err().is_cancelled());
    }

    #[tokio::test(start_paused = true)]
    async fn a_cancelled_wait_gives_its_slot_back() {
        let b = one_per_second();
        let interval = Limit::per_second(1, 1).interval();
        let t0 = Instant::now();
        drop(b.acquire("cvm", "DescribeZones", None).await);
        // Waits for the second slot, then is cancelled before it comes.
        let ghost = waiter(&b, "DescribeZones").await;
        tokio::time::sleep(Duration::from_millis(100)).await;
        cancel(ghost).await;
        assert_eq!(b.snapshot().waiting, 0);
        // The next caller gets that slot, not the one after it.
        let _p = b.acquire("cvm", "DescribeZones", None).await;
        let waited = Instant::now() - t0;
        assert!(waited >= interval, "{waited:?}");
        assert!(waited < interval + Duration::from_millis(2), "{waited:?}");
        assert_eq!(b.snapshot().admitted, 2);
    }

    #[tokio::test(start_paused = true)]
    async fn cancelled_waits_are_all_given_back_whatever_the_order() {
        // Per action and in total: both limits roll back.
        let b = std::sync::Arc::new(Budget::new(BudgetProfile::custom(
            "t",
            Limit::per_second(1, 1),
            Some(Limit::per_second(2, 1)),
        )));
        let per = Limit::per_second(1, 1).interval();
        let t0 = Instant::now();
        drop(b.acquire("cvm", "DescribeZones", None).await);
        let mut waiters = Vec::new();
        for _ in 0..5 {
            waiters.push(Some(waiter(&b, "DescribeZones").await));
        }
        // One of another action, reserved after them in the total limit and cancelled too.
        waiters.push(Some(waiter(&b, "DescribeRegions").await));
        for i in [2, 0, 5, 4, 1, 3] {
            cancel(waiters[i].take().unwrap()).await;
        }
        assert_eq!(b.snapshot().waiting, 0);
        let _p = b.acquire("cvm", "DescribeZones", None).await;
        let waited = Instant::now() - t0;
        assert!(waited < per + Duration::from_millis(2), "{waited:?}");
    }

    #[tokio::test(start_paused = true)]
    async fn cancelled_slots_behind_a_live_reservation_stay_spent() {
        let b = one_per_second();
        let interval = Limit::per_second(1, 1).interval();
        let t0 = Instant::now();
        drop(b.acquire("cvm", "DescribeZones", None).await);
        let first = waiter(&b, "DescribeZones").await;
        let second = waiter(&b, "DescribeZones").await;
        // Behind a live reservation: cannot be given back yet.
        cancel(first).await;
        let b2 = b.clone();
        let third = tokio::spawn(async move {
            let _p = b2.acquire("cvm", "DescribeZones", None).await;
            Instant::now()
        });
        tokio::task::yield_now().await;
        // The third reserved after the second; cancelling the second does not unwind
        // past the third, which stays where it is (the third slot).
        cancel(second).await;
        let at = third.await.unwrap();
        assert!(at - t0 >= interval * 3, "{:?}", at - t0);
        // With nothing live behind them, cancelled slots before the third are spent;
        // the next caller comes after the third.
        let _p = b.acquire("cvm", "DescribeZones", None).await;
        assert!(Instant::now() - t0 >= interval * 4);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        /// Callers on spawned tasks, arriving at random, some giving up (their future
        /// dropped) while they wait, never exceed the per-action or the total limit in any
        /// window, as admitted on tokio's clock.
        #[test]
        fn concurrent_callers_with_cancellations_never_exceed_a_limit(
            count in 1u32..12,
            burst in 0u32..12,
            window_ms in 1_000u64..4_000,
            total in proptest::option::of((1u32..20, 0u32..20, 1_000u64..4_000)),
            callers in proptest::collection::vec(
                (0u64..6_000, 0usize..3, proptest::option::of(0u64..6_000)),
                1..60,
            ),
        ) {
            let limit = Limit {
                count,
                window: Duration::from_millis(window_ms),
                burst: burst % count + 1,
            };
            let total = total.map(|(n, b, w)| Limit {
                count: n,
                window: Duration::from_millis(w),
                burst: b % n + 1,
            });
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_time()
                .start_paused(true)
                .build()
                .unwrap();
            let admitted = rt.block_on(async {
                let b = std::sync::Arc::new(Budget::new(BudgetProfile::custom("p", limit, total)));
                let log = std::sync::Arc::new(Mutex::new(Vec::new()));
                let t0 = Instant::now();
                let tasks: Vec<_> = callers
                    .iter()
                    .map(|&(arrive, action, give_up)| {
                        let (b, log) = (b.clone(), log.clone());
                        tokio::spawn(async move {
                            tokio::time::sleep_until(t0 + Duration::from_millis(arrive)).await;
                            let name = format!("Action{action}");
                            let call = async {
                                let _p = b.acquire("cvm", &name, None).await;
                                log.lock().unwrap().push((action, Instant::now()));
                            };
                            match give_up {
                                Some(ms) => {
                                    let _ = tokio::time::timeout(Duration::from_millis(ms), call).await;
                                }
                                None => call.await,
                            }
                        })
                    })
                    .collect();
                for t in tasks {
                    t.await.unwrap();
                }
                let snapshot = b.snapshot();
                assert_eq!((snapshot.waiting, snapshot.in_flight), (0, 0));
                std::sync::Arc::try_unwrap(log).unwrap().into_inner().unwrap()
            });
            let mut all: Vec<Instant> = admitted.iter().map(|&(_, t)| t).collect();
            for action in 0..3 {
                let mut times: Vec<Instant> = admitted
                    .iter()
                    .filter(|&&(a, _)| a == action)
                    .map(|&(_, t)| t)
                    .collect();
                times.sort();
                prop_assert!(
                    max_in_window(&times, limit.window) <= count as usize,
                    "action {action}: {times:?}"
                );
            }
            if let Some(total) = total {
                all.sort();
                prop_assert!(max_in_window(&all, total.window) <= total.count as usize);
            }
            // Everyone who did not give up got through.
            let patient = callers.iter().filter(|c| c.2.is_none()).count();
            prop_assert!(admitted.len() >= patient);
        }
    }
}
