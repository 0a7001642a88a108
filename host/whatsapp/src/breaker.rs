//! Circuit breaker around the upstream: after `threshold` consecutive failures
//! it opens for `cooldown`, then lets one probe through (half-open); the
//! probe's outcome closes or re-opens it.

use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The breaker's phase.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Closed,
    Open { until: Instant },
    HalfOpen { probe_in_flight: bool },
}

#[derive(Debug)]
struct State {
    phase: Phase,
    consecutive_failures: u32,
}

/// A thread-safe circuit breaker.
#[derive(Debug)]
pub struct Breaker {
    state: Mutex<State>,
    threshold: u32,
    cooldown: Duration,
}

impl Breaker {
    /// A closed breaker that opens after `threshold` (at least 1) consecutive failures.
    pub fn new(threshold: u32, cooldown: Duration) -> Self {
        Self {
            state: Mutex::new(State {
                phase: Phase::Closed,
                consecutive_failures: 0,
            }),
            threshold: threshold.max(1),
            cooldown,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// `"closed"`, `"open"` or `"half_open"` (for metrics and logs).
    pub fn state_name(&self) -> &'static str {
        match self.lock().phase {
            Phase::Closed => "closed",
            Phase::Open { until } if Instant::now() < until => "open",
            Phase::Open { .. } | Phase::HalfOpen { .. } => "half_open",
        }
    }

    /// True while the breaker refuses calls (open and still cooling down, or a
    /// half-open probe is in flight). Once the cooldown is over this is false,
    /// so new work can be queued to serve as the probe.
    pub fn is_open(&self) -> bool {
        match self.lock().phase {
            Phase::Closed => false,
            Phase::Open { until } => Instant::now() < until,
            Phase::HalfOpen { probe_in_flight } => probe_in_flight,
        }
    }

    /// How long until a call could be let through (`None`: now).
    pub fn wait_time(&self) -> Option<Duration> {
        match self.lock().phase {
            Phase::Open { until } => until.checked_duration_since(Instant::now()),
            Phase::HalfOpen {
                probe_in_flight: true,
            } => Some(Duration::from_millis(100)),
            _ => None,
        }
    }

    /// Asks to make one upstream call. In the half-open phase only one caller
    /// (the probe) gets `true`; it must report back with [`Self::on_success`]
    /// or [`Self::on_failure`].
    pub fn try_acquire(&self) -> bool {
        let mut state = self.lock();
        match state.phase {
            Phase::Closed => true,
            Phase::Open { until } if Instant::now() < until => false,
            Phase::Open { .. }
            | Phase::HalfOpen {
                probe_in_flight: false,
            } => {
                state.phase = Phase::HalfOpen {
                    probe_in_flight: true,
                };
                true
            }
            Phase::HalfOpen {
                probe_in_flight: true,
            } => false,
        }
    }

    /// Records a successful call: the breaker closes.
    pub fn on_success(&self) {
        let mut state = self.lock();
        state.phase = Phase::Closed;
        state.consecutive_failures = 0;
    }

    /// Records a failed call: a failed probe, or the `threshold`-th consecutive
    /// failure, opens the breaker for the cooldown.
    pub fn on_failure(&self) {
        let mut state = self.lock();
        state.consecutive_failures = state.consecutive_failures.saturating_add(1);
        let probe_failed = matches!(state.phase, Phase::HalfOpen { .. } | Phase::Open { .. });
        if probe_failed || state.consecutive_failures >= self.threshold {
            state.phase = Phase::Open {
                until: Instant::now() + self.cooldown,
            };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opens_after_threshold_and_half_opens_after_cooldown() {
        let breaker = Breaker::new(2, Duration::from_millis(30));
        assert!(breaker.try_acquire());
        breaker.on_failure();
        assert!(!breaker.is_open());
        assert!(breaker.try_acquire());
        breaker.on_failure();
        assert!(breaker.is_open());
        assert!(!breaker.try_acquire());
        std::thread::sleep(Duration::from_millis(40));
        assert!(!breaker.is_open());
        assert!(breaker.try_acquire(), "probe after cooldown");
        assert!(!breaker.try_acquire(), "only one probe at a time");
        breaker.on_failure();
        assert!(breaker.is_open(), "failed probe re-opens");
        std::thread::sleep(Duration::from_millis(40));
        assert!(breaker.try_acquire());
        breaker.on_success();
        assert_eq!(breaker.state_name(), "closed");
        assert!(breaker.try_acquire() && breaker.try_acquire());
    }
}
