//! Request-rate limits, counted the way the two Tencent documents describe them.

use std::collections::{HashMap, VecDeque};
use std::fmt;
use std::str::FromStr;
use std::time::{Duration, Instant};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RateLimit {
    /// Today's documented per-action requests/second, keyed by SecretId + action + region.
    Current,
    /// The original overview's rule: ≤100 calls per action and ≤1,000 in total per SecretId in any 60 s.
    Seed,
    Off,
    /// `N/M`: at most N calls per action and M in total per SecretId in any 60 s.
    PerMinute {
        per_action: u32,
        total: u32,
    },
}

impl FromStr for RateLimit {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "current" => Ok(RateLimit::Current),
            "seed" => Ok(RateLimit::Seed),
            "off" => Ok(RateLimit::Off),
            other => {
                let bad = || {
                    format!(
                        "invalid rate limit `{other}`: expected current, seed, off or N/M (per action / total per minute)"
                    )
                };
                let (n, m) = other.split_once('/').ok_or_else(bad)?;
                let per_action: u32 = n.trim().parse().map_err(|_| bad())?;
                let total: u32 = m.trim().parse().map_err(|_| bad())?;
                if per_action == 0 || total == 0 {
                    return Err(bad());
                }
                Ok(RateLimit::PerMinute { per_action, total })
            }
        }
    }
}

impl fmt::Display for RateLimit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RateLimit::Current => f.write_str("current"),
            RateLimit::Seed => f.write_str("seed"),
            RateLimit::Off => f.write_str("off"),
            RateLimit::PerMinute { per_action, total } => write!(f, "{per_action}/{total}"),
        }
    }
}

/// Documented requests/second per action (reference §7); 10 where the docs are silent,
/// as for the other write actions.
pub fn rps(action: &str) -> usize {
    match action {
        "DescribeRegions"
        | "DescribeZones"
        | "DescribeInstancesModification"
        | "DescribeAddresses" => 20,
        // Cloud Monitor's FAQ (https://cloud.tencent.com/document/product/248/54788).
        "GetMonitorData" => 20,
        "DescribeImages"
        | "DescribeInstanceTypeConfigs"
        | "DescribeZoneInstanceConfigInfos"
        | "DescribeInstances"
        | "DescribeInstancesStatus" => 40,
        "DescribeSubnets"
        | "DescribeVpcs"
        | "DescribeSecurityGroups"
        | "DescribeSecurityGroupPolicies" => 100,
        _ => 10,
    }
}

/// Sliding-window logs of accepted calls: exact "at most N in any window" semantics.
#[derive(Debug, Default)]
pub struct Limiter {
    windows: HashMap<String, VecDeque<Instant>>,
}

impl Limiter {
    fn room(&mut self, key: &str, limit: usize, window: Duration, now: Instant) -> bool {
        let log = self.windows.entry(key.to_owned()).or_default();
        while log
            .front()
            .is_some_and(|t| now.duration_since(*t) >= window)
        {
            log.pop_front();
        }
        log.len() < limit
    }

    fn record(&mut self, key: &str, now: Instant) {
        self.windows
            .entry(key.to_owned())
            .or_default()
            .push_back(now);
    }

    /// True when the call is allowed (and then it is counted).
    pub fn check(
        &mut self,
        mode: &RateLimit,
        secret_id: &str,
        action: &str,
        region: &str,
        now: Instant,
    ) -> bool {
        let minute = Duration::from_secs(60);
        match mode {
            RateLimit::Off => true,
            RateLimit::Current => {
                let key = format!("{secret_id}|{action}|{region}");
                let ok = self.room(&key, rps(action), Duration::from_secs(1), now);
                if ok {
                    self.record(&key, now);
                }
                ok
            }
            RateLimit::Seed | RateLimit::PerMinute { .. } => {
                let (per_action, total) = match mode {
                    RateLimit::PerMinute { per_action, total } => {
                        (*per_action as usize, *total as usize)
                    }
                    _ => (100, 1000),
                };
                let ka = format!("{secret_id}|{action}");
                let kt = secret_id.to_owned();
                let ok =
                    self.room(&ka, per_action, minute, now) && self.room(&kt, total, minute, now);
                if ok {
                    self.record(&ka, now);
                    self.record(&kt, now);
                }
                ok
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_modes() {
        assert_eq!("seed".parse::<RateLimit>(), Ok(RateLimit::Seed));
        assert_eq!(
            "5/20".parse::<RateLimit>(),
            Ok(RateLimit::PerMinute {
                per_action: 5,
                total: 20
            })
        );
        assert!("5".parse::<RateLimit>().is_err());
        assert!("0/1".parse::<RateLimit>().is_err());
    }

    #[test]
    fn seed_rule_is_per_action_and_total_in_any_minute() {
        let mut l = Limiter::default();
        let t0 = Instant::now();
        for _ in 0..100 {
            assert!(l.check(&RateLimit::Seed, "id", "DescribeInstances", "r", t0));
        }
        assert!(!l.check(
            &RateLimit::Seed,
            "id",
            "DescribeInstances",
            "r",
            t0 + Duration::from_secs(59)
        ));
        assert!(l.check(&RateLimit::Seed, "id", "DescribeZones", "r", t0));
        assert!(l.check(&RateLimit::Seed, "other", "DescribeInstances", "r", t0));
        assert!(l.check(
            &RateLimit::Seed,
            "id",
            "DescribeInstances",
            "r",
            t0 + Duration::from_secs(60)
        ));
    }

    #[test]
    fn current_rule_is_per_second_per_region() {
        let mut l = Limiter::default();
        let t0 = Instant::now();
        for _ in 0..10 {
            assert!(l.check(
                &RateLimit::Current,
                "id",
                "RunInstances",
                "ap-guangzhou",
                t0
            ));
        }
        assert!(!l.check(
            &RateLimit::Current,
            "id",
            "RunInstances",
            "ap-guangzhou",
            t0
        ));
        assert!(l.check(&RateLimit::Current, "id", "RunInstances", "ap-shanghai", t0));
        assert!(l.check(
            &RateLimit::Current,
            "id",
            "RunInstances",
            "ap-guangzhou",
            t0 + Duration::from_secs(1)
        ));
    }
}
