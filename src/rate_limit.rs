//! Per-client limits on requests that write to the consent log, so that a flood of fake
//! decisions cannot fill it.

use std::{
    net::IpAddr,
    num::NonZeroU32,
    sync::atomic::{AtomicU32, Ordering},
    time::Duration,
};

use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter, clock::Clock};
use http::{Extensions, HeaderMap};

use super::ClientIp;

/// How often the limiter forgets clients that have been quiet long enough.
const SWEEP_EVERY: u32 = 4096;

/// A token bucket per client IP address: `per_minute` decisions, refilled evenly.
#[derive(Debug)]
pub(crate) struct DecisionLimiter {
    limiter: DefaultKeyedRateLimiter<IpAddr>,
    checks: AtomicU32,
}

impl DecisionLimiter {
    pub(crate) fn new(per_minute: NonZeroU32) -> Self {
        DecisionLimiter {
            limiter: RateLimiter::keyed(Quota::per_minute(per_minute)),
            checks: AtomicU32::new(0),
        }
    }

    /// How many seconds (at least 1) the request's client must wait, if it is over the
    /// limit. Requests whose address is unknown are not limited.
    #[cfg_attr(not(feature = "tracking"), allow(dead_code))]
    pub(crate) fn retry_after(
        &self,
        client_ip: ClientIp,
        headers: &HeaderMap,
        extensions: &Extensions,
    ) -> Option<u64> {
        let ip = client_ip.of(headers, extensions)?;
        self.check(ip).err().map(|wait| wait.as_secs().max(1))
    }

    /// `Ok` when `ip` may write now; otherwise how long until it may.
    pub(crate) fn check(&self, ip: IpAddr) -> Result<(), Duration> {
        if self.checks.fetch_add(1, Ordering::Relaxed) % SWEEP_EVERY == SWEEP_EVERY - 1 {
            self.limiter.retain_recent();
        }
        self.limiter
            .check_key(&ip)
            .map_err(|not_until| not_until.wait_time_from(self.limiter.clock().now()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_address_has_its_own_bucket() {
        let limiter = DecisionLimiter::new(NonZeroU32::new(3).unwrap());
        let a: IpAddr = "203.0.113.1".parse().unwrap();
        let b: IpAddr = "203.0.113.2".parse().unwrap();
        for _ in 0..3 {
            assert!(limiter.check(a).is_ok());
        }
        let wait = limiter.check(a).unwrap_err();
        assert!(
            wait > Duration::ZERO && wait <= Duration::from_secs(20),
            "{wait:?}"
        );
        assert!(limiter.check(b).is_ok(), "another client is not affected");
    }
}
