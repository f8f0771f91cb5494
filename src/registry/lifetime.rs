//! How long a cookie lives in the browser: a session, a number of seconds (perhaps counted
//! from the last visit), or for good.

use std::fmt;

use serde::Serialize;

/// How long a cookie lives, as the grid states it: "Session", "1 minute", "36 hours",
/// "20 minutes, renewed", "2 years", "Permanent".
///
/// ```
/// use leptos_consent::registry::Lifetime;
///
/// assert_eq!(Lifetime::days(0), Lifetime::Session);
/// assert_eq!(Lifetime::days(2).expire_days(), 2);
/// assert_eq!(Lifetime::seconds(60).expire_days(), 1, "a day at least, for WS8's field");
/// let session_id = Lifetime::seconds(20 * 60).renewed();
/// assert_eq!(session_id, Lifetime::For { secs: 1200, renewed: true });
/// assert!(Lifetime::Permanent > Lifetime::days(36_500));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Lifetime {
    /// Until the browser closes.
    Session,
    /// For `secs` seconds; `renewed`: counted from the last visit (each visit writes it
    /// again).
    For {
        /// The seconds (at least 1).
        secs: u64,
        /// Whether each visit starts it again.
        renewed: bool,
    },
    /// For good (no expiry the shop controls).
    Permanent,
}

impl Lifetime {
    /// The longest lifetime in seconds an entry may declare (100 years); longer ones are
    /// [`Lifetime::Permanent`].
    pub const MAX_SECS: u64 = 36_500 * 86_400;

    /// `days` days; 0 is a session cookie (WS8's `ExpireDays`).
    pub const fn days(days: u32) -> Self {
        Lifetime::seconds(days as u64 * 86_400)
    }

    /// `secs` seconds; 0 is a session cookie.
    pub const fn seconds(secs: u64) -> Self {
        if secs == 0 {
            Lifetime::Session
        } else {
            Lifetime::For {
                secs,
                renewed: false,
            }
        }
    }

    /// The same, counted from the last visit (no change to a session or a permanent one).
    #[must_use]
    pub const fn renewed(self) -> Self {
        match self {
            Lifetime::For { secs, .. } => Lifetime::For {
                secs,
                renewed: true,
            },
            other => other,
        }
    }

    /// The lifetime in whole days, rounded up, as WS8's `expire_days` had it: 0 for a
    /// session cookie, at least 1 otherwise, 36,500 for a permanent one.
    pub const fn expire_days(self) -> u32 {
        let max_days = (Lifetime::MAX_SECS / 86_400) as u32;
        match self {
            Lifetime::Session => 0,
            Lifetime::For { secs, .. } => {
                let days = secs.div_ceil(86_400);
                if days > max_days as u64 {
                    max_days
                } else {
                    days as u32
                }
            }
            Lifetime::Permanent => max_days,
        }
    }

    /// How long it lasts at most, in seconds, for comparing lifetimes: 0 for a session
    /// cookie, `u64::MAX` for a permanent one.
    pub const fn as_secs(self) -> u64 {
        match self {
            Lifetime::Session => 0,
            Lifetime::For { secs, .. } => secs,
            Lifetime::Permanent => u64::MAX,
        }
    }
}

/// Session < shorter < longer < permanent; a renewed one after the same plain one.
impl Ord for Lifetime {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        let key = |lifetime: &Lifetime| {
            (
                lifetime.as_secs(),
                matches!(lifetime, Lifetime::For { renewed: true, .. }),
            )
        };
        key(self).cmp(&key(other))
    }
}

impl PartialOrd for Lifetime {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

/// WS8's `expire_days`: 0 is a session cookie.
impl From<u32> for Lifetime {
    fn from(days: u32) -> Self {
        Lifetime::days(days)
    }
}

/// The form the policy fingerprint states it in: whole days as the number of days (as before
/// lifetimes had seconds, so that an upgrade asks nobody again), anything else in seconds.
impl fmt::Display for Lifetime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Lifetime::Session => f.write_str("0"),
            Lifetime::Permanent => f.write_str("permanent"),
            Lifetime::For { secs, renewed } => {
                if secs % 86_400 == 0 {
                    write!(f, "{}", secs / 86_400)?;
                } else {
                    write!(f, "{secs}s")?;
                }
                if renewed {
                    f.write_str("+renewed")?;
                }
                Ok(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lifetimes_order_and_round_to_days() {
        let mut lifetimes = [
            Lifetime::Permanent,
            Lifetime::days(730),
            Lifetime::seconds(60),
            Lifetime::Session,
            Lifetime::seconds(60).renewed(),
        ];
        lifetimes.sort();
        assert_eq!(
            lifetimes,
            [
                Lifetime::Session,
                Lifetime::seconds(60),
                Lifetime::seconds(60).renewed(),
                Lifetime::days(730),
                Lifetime::Permanent,
            ]
        );
        assert_eq!(Lifetime::seconds(36 * 3600).expire_days(), 2);
        assert_eq!(Lifetime::Permanent.expire_days(), 36_500);
        assert_eq!(Lifetime::Session.renewed(), Lifetime::Session);
        assert_eq!(Lifetime::days(365).to_string(), "365");
        assert_eq!(
            Lifetime::seconds(1200).renewed().to_string(),
            "1200s+renewed"
        );
    }
}
