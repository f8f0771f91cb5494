//! When to try again: capped exponential backoff with full jitter.

use std::time::Duration;

use uuid::Uuid;

/// Capped exponential backoff with full jitter: before retry `n` (from 1) wait a random time
/// between zero and `first · 2^(n-1)`, at most `max`. The jitter spreads the retries of many
/// events (and of many instances) so that a provider coming back is not hit by all of them
/// at once.
///
/// ```
/// use std::time::Duration;
/// use leptos_consent::dispatch::Backoff;
///
/// let backoff = Backoff::new(Duration::from_secs(1), Duration::from_secs(300));
/// assert!(backoff.wait(3) <= Duration::from_secs(4));
/// assert!(backoff.wait(30) <= Duration::from_secs(300));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Backoff {
    first: Duration,
    max: Duration,
}

impl Backoff {
    /// Waits up to `first` before the first retry, doubling up to `max`.
    pub const fn new(first: Duration, max: Duration) -> Self {
        Backoff { first, max }
    }

    /// The ceiling before retry `attempt` (from 1): `first · 2^(attempt-1)`, at most `max`.
    pub fn ceiling(&self, attempt: u32) -> Duration {
        self.first
            .saturating_mul(1 << attempt.saturating_sub(1).min(20))
            .min(self.max)
    }

    /// A random wait before retry `attempt` (from 1), between zero and its
    /// [`ceiling`](Self::ceiling).
    pub fn wait(&self, attempt: u32) -> Duration {
        let ceiling = u64::try_from(self.ceiling(attempt).as_millis()).unwrap_or(u64::MAX);
        // A v4 uuid is 122 random bits from the operating system's generator.
        let random = (Uuid::new_v4().as_u128() >> 64) as u64;
        Duration::from_millis(random % ceiling.saturating_add(1))
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    #[test]
    fn doubles_up_to_the_cap_and_jitters_below_it() {
        let backoff = Backoff::new(Duration::from_millis(200), Duration::from_secs(30));
        assert_eq!(backoff.ceiling(1), Duration::from_millis(200));
        assert_eq!(backoff.ceiling(4), Duration::from_millis(1600));
        assert_eq!(backoff.ceiling(9), Duration::from_secs(30));
        assert_eq!(backoff.ceiling(u32::MAX), Duration::from_secs(30));
        for attempt in 1..40 {
            assert!(backoff.wait(attempt) <= backoff.ceiling(attempt));
        }
        let waits: HashSet<Duration> = (0..20).map(|_| backoff.wait(6)).collect();
        assert!(waits.len() > 1, "full jitter draws different waits");
    }
}
