//! Seedable fault rules (LocalStack's chaos idea): per action, a probability and the kinds
//! of failure to draw from. One PRNG per rule, drawn once per matching request, so a seed
//! and a sequence of requests always give the same faults.

use crate::rng::Rng;
use std::fmt;
use std::str::FromStr;
use std::time::Duration;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FaultKind {
    /// `InternalError`, nothing changed.
    Internal,
    /// No answer until the connection is dropped after the rule's timeout; nothing changed.
    Timeout,
    /// The connection is dropped before anything happens.
    Reset,
    /// The action is applied, then the connection is dropped: what ClientToken is for.
    LostResponse,
    /// `RequestLimitExceeded`, nothing changed.
    Throttle,
    /// `AuthFailure.UnauthorizedOperation`: CAM denies the caller this action.
    Denied,
    /// Accepted, but the asynchronous operation ends FAILED (RunInstances: LAUNCH_FAILED)
    /// with a LatestOperationErrorMsg (`outcomes.rs`).
    OpFailed,
}

impl FaultKind {
    fn parse(s: &str) -> Result<Self, String> {
        Ok(match s {
            "internal" => FaultKind::Internal,
            "timeout" => FaultKind::Timeout,
            "reset" => FaultKind::Reset,
            "lost-response" => FaultKind::LostResponse,
            "throttle" => FaultKind::Throttle,
            "op-failed" => FaultKind::OpFailed,
            "denied" => FaultKind::Denied,
            _ => {
                return Err(format!(
                    "unknown fault kind `{s}` (internal, timeout, reset, lost-response, throttle, op-failed, denied)"
                ));
            }
        })
    }
    fn as_str(self) -> &'static str {
        match self {
            FaultKind::Internal => "internal",
            FaultKind::Timeout => "timeout",
            FaultKind::Reset => "reset",
            FaultKind::LostResponse => "lost-response",
            FaultKind::Throttle => "throttle",
            FaultKind::OpFailed => "op-failed",
            FaultKind::Denied => "denied",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct FaultRule {
    /// Probability in [0, 1] that a matching request fails.
    pub rate: f64,
    pub kinds: Vec<FaultKind>,
    /// Actions the rule applies to; empty = all.
    pub actions: Vec<String>,
    pub seed: u64,
    /// How long a `timeout` fault holds the connection.
    pub timeout: Duration,
}

/// A list of rules; the first rule that fires decides.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FaultSpec {
    pub rules: Vec<FaultRule>,
}

impl FromStr for FaultSpec {
    type Err = String;
    /// `rate=0.1,kinds=internal+timeout,seed=7[,actions=RunInstances+StopInstances][,timeout-ms=30000]`,
    /// several rules separated by `;`. An empty string means no faults.
    fn from_str(s: &str) -> Result<Self, String> {
        let mut rules = Vec::new();
        for rule in s.split(';').map(str::trim).filter(|r| !r.is_empty()) {
            let mut r = FaultRule {
                rate: 0.0,
                kinds: vec![FaultKind::Internal],
                actions: Vec::new(),
                seed: 0,
                timeout: Duration::from_secs(30),
            };
            let mut have_rate = false;
            for kv in rule.split(',').map(str::trim).filter(|p| !p.is_empty()) {
                let (k, v) = kv
                    .split_once('=')
                    .ok_or_else(|| format!("fault setting `{kv}` is not key=value"))?;
                match k.trim() {
                    "rate" => {
                        r.rate = v
                            .parse()
                            .map_err(|_| format!("fault rate `{v}` is not a number"))?;
                        if !(0.0..=1.0).contains(&r.rate) {
                            return Err(format!("fault rate `{v}` must be between 0 and 1"));
                        }
                        have_rate = true;
                    }
                    "kinds" => {
                        r.kinds = v
                            .split('+')
                            .map(FaultKind::parse)
                            .collect::<Result<_, _>>()?
                    }
                    "seed" => {
                        r.seed = v
                            .parse()
                            .map_err(|_| format!("fault seed `{v}` is not an unsigned integer"))?
                    }
                    "actions" | "action" => {
                        r.actions = v
                            .split('+')
                            .map(|a| a.trim().to_owned())
                            .filter(|a| !a.is_empty())
                            .collect()
                    }
                    "timeout-ms" => {
                        r.timeout = Duration::from_millis(
                            v.parse()
                                .map_err(|_| format!("timeout-ms `{v}` is not an integer"))?,
                        )
                    }
                    other => {
                        return Err(format!(
                            "unknown fault setting `{other}` (rate, kinds, seed, actions, timeout-ms)"
                        ));
                    }
                }
            }
            if !have_rate {
                return Err(format!("fault rule `{rule}` needs rate=…"));
            }
            if r.kinds.is_empty() {
                return Err("fault kinds must not be empty".into());
            }
            rules.push(r);
        }
        Ok(FaultSpec { rules })
    }
}

impl fmt::Display for FaultSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let rules: Vec<String> = self
            .rules
            .iter()
            .map(|r| {
                let kinds: Vec<&str> = r.kinds.iter().map(|k| k.as_str()).collect();
                let mut s = format!("rate={},kinds={},seed={}", r.rate, kinds.join("+"), r.seed);
                if !r.actions.is_empty() {
                    s.push_str(&format!(",actions={}", r.actions.join("+")));
                }
                s
            })
            .collect();
        f.write_str(&rules.join(";"))
    }
}

/// Live rules with their PRNGs.
#[derive(Debug, Default)]
pub struct Faults {
    rules: Vec<(FaultRule, Rng)>,
}

impl Faults {
    pub fn new(spec: &FaultSpec) -> Self {
        Faults {
            rules: spec
                .rules
                .iter()
                .map(|r| (r.clone(), Rng::new(r.seed)))
                .collect(),
        }
    }

    /// Draws for one request; returns the fault and, for timeouts, how long to hold.
    pub fn decide(&mut self, action: &str) -> Option<(FaultKind, Duration)> {
        for (rule, rng) in &mut self.rules {
            if !rule.actions.is_empty() && !rule.actions.iter().any(|a| a == action) {
                continue;
            }
            let u = rng.next_f64();
            let k = rng.below(rule.kinds.len() as u64) as usize;
            if u < rule.rate {
                return Some((rule.kinds[k], rule.timeout));
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_reproduces() {
        let spec: FaultSpec = "rate=0.3,kinds=internal+timeout+reset+lost-response+throttle,seed=7"
            .parse()
            .unwrap();
        let draw = |spec: &FaultSpec| {
            let mut f = Faults::new(spec);
            (0..200)
                .map(|_| f.decide("RunInstances").map(|x| x.0))
                .collect::<Vec<_>>()
        };
        let a = draw(&spec);
        assert_eq!(a, draw(&spec));
        let hits = a.iter().filter(|x| x.is_some()).count();
        assert!((30..90).contains(&hits), "{hits}");
        assert!("rate=2".parse::<FaultSpec>().is_err());
        assert!("kinds=internal".parse::<FaultSpec>().is_err());
        assert!("rate=0.1,kinds=boom".parse::<FaultSpec>().is_err());
        let only: FaultSpec = "rate=1,actions=StopInstances".parse().unwrap();
        let mut f = Faults::new(&only);
        assert_eq!(f.decide("StartInstances"), None);
        assert_eq!(
            f.decide("StopInstances").map(|x| x.0),
            Some(FaultKind::Internal)
        );
        assert_eq!(only.to_string().parse::<FaultSpec>().unwrap(), only);
    }
}
