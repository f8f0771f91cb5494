//! Per-client limits: on requests that write to the consent log or the outbox, so that a
//! flood of fake decisions or events cannot fill them, and on the privacy console's
//! sign-in attempts.
//!
//! A client is an IPv4 address, or an IPv6 /64: one subscriber usually holds a whole /64,
//! so per-/128 buckets would let anyone with one write as fast as they can pick addresses.

use std::{
    net::{IpAddr, Ipv6Addr},
    num::NonZeroU32,
    sync::atomic::{AtomicU32, Ordering},
    time::Duration,
};

use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter, clock::Clock};

/// How often the limiter forgets clients that have been quiet long enough.
const SWEEP_EVERY: u32 = 4096;

/// A token bucket per client IP address: `per_minute` requests, refilled evenly.
#[derive(Debug)]
pub(crate) struct ClientLimiter {
    limiter: DefaultKeyedRateLimiter<IpAddr>,
    checks: AtomicU32,
}

impl ClientLimiter {
    pub(crate) fn new(per_minute: NonZeroU32) -> Self {
        ClientLimiter {
            limiter: RateLimiter::keyed(Quota::per_minute(per_minute)),
            checks: AtomicU32::new(0),
        }
    }

    /// How many seconds (at least 1) the client at `ip` must wait, if it is over the limit.
    /// Requests whose address is unknown are not limited.
    pub(crate) fn retry_after(&self, ip: Option<IpAddr>) -> Option<u64> {
        self.check(ip?).err().map(|wait| wait.as_secs().max(1))
    }

    /// `Ok` when `ip` may write now; otherwise how long until it may.
    pub(crate) fn check(&self, ip: IpAddr) -> Result<(), Duration> {
        if self.checks.fetch_add(1, Ordering::Relaxed) % SWEEP_EVERY == SWEEP_EVERY - 1 {
            self.limiter.retain_recent();
        }
        self.limiter
            .check_key(&client_of(ip))
            .map_err(|not_until| not_until.wait_time_from(self.limiter.clock().now()))
    }
}

/// The bucket an address counts against: IPv4 (an IPv4-mapped IPv6 address as IPv4), or
/// the /64 of an IPv6 address.
fn client_of(ip: IpAddr) -> IpAddr {
    match ip.to_canonical() {
        IpAddr::V6(v6) => {
            let network = u128::from(v6) & !((1u128 << 64) - 1);
            IpAddr::V6(Ipv6Addr::from(network))
        }
        v4 => v4,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_address_has_its_own_bucket() {
        let limiter = ClientLimiter::new(NonZeroU32::new(3).unwrap());
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

    #[test]
    fn an_ipv6_64_is_one_client_and_mapped_ipv4_is_ipv4() {
        let limiter = ClientLimiter::new(NonZeroU32::new(2).unwrap());
        let ip = |text: &str| text.parse::<IpAddr>().unwrap();
        assert!(limiter.check(ip("2001:db8:1:2::1")).is_ok());
        assert!(limiter.check(ip("2001:db8:1:2:ffff::9")).is_ok());
        assert!(
            limiter.check(ip("2001:db8:1:2:abcd::77")).is_err(),
            "a third address of the same /64 shares its bucket"
        );
        assert!(
            limiter.check(ip("2001:db8:1:3::1")).is_ok(),
            "the next /64 does not"
        );
        assert!(limiter.check(ip("203.0.113.9")).is_ok());
        assert!(limiter.check(ip("::ffff:203.0.113.9")).is_ok());
        assert!(
            limiter.check(ip("203.0.113.9")).is_err(),
            "an IPv4-mapped address counts as the IPv4 one"
        );
    }
}
