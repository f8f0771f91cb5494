//! The analytics provider a dispatcher delivers to.

use crate::tracking::BoxFuture;
use crate::tracking::TrackedEvent;

/// Delivers events to an analytics provider. Implement it for a provider of your own.
///
/// Deliveries are at least once: a provider may see an event again (after a timeout whose
/// request did arrive, after a restart) and drops the copy by its
/// [`event_id`](TrackedEvent::event_id).
pub trait Provider: Send + Sync + 'static {
    /// A short name for logs (`raptor`).
    fn name(&self) -> &str;

    /// Delivers `events` in order. On failure, says how many of the first ones did arrive.
    fn deliver<'a>(
        &'a self,
        events: &'a [TrackedEvent],
    ) -> BoxFuture<'a, Result<(), DeliveryFailure>>;
}

impl std::fmt::Debug for dyn Provider {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Provider({})", self.name())
    }
}

/// A delivery that did not (fully) arrive.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{delivered} delivered, then {reason}{}", if *.permanent { " (permanent)" } else { "" })]
pub struct DeliveryFailure {
    /// How many of the events, from the first, arrived.
    pub delivered: usize,
    /// Whether the next event can never be delivered as it is (a 4xx answer but 408 and
    /// 429, see [`DeliveryFailure::is_permanent_status`]); otherwise it is retried.
    pub permanent: bool,
    /// What went wrong.
    pub reason: String,
}

impl DeliveryFailure {
    /// Whether an HTTP answer will not change on a retry, so the event goes to the dead
    /// letters: every 4xx (a request too large, 413/414/431, included) but 408 (timeout)
    /// and 429 (too many requests), which pass.
    ///
    /// ```
    /// use leptos_consent::dispatch::DeliveryFailure;
    ///
    /// assert!(DeliveryFailure::is_permanent_status(414));
    /// assert!(!DeliveryFailure::is_permanent_status(429));
    /// assert!(!DeliveryFailure::is_permanent_status(503));
    /// ```
    pub fn is_permanent_status(status: u16) -> bool {
        (400..500).contains(&status) && status != 408 && status != 429
    }

    /// The failure for an HTTP `status` after `delivered` events.
    pub fn from_status(delivered: usize, status: u16) -> Self {
        DeliveryFailure {
            delivered,
            permanent: DeliveryFailure::is_permanent_status(status),
            reason: format!("the provider answered {status}"),
        }
    }

    /// A failure no retry can mend (the event is refused as it is) after `delivered`
    /// events: the event goes to the dead letters with `reason`.
    pub fn permanent(delivered: usize, reason: impl Into<String>) -> Self {
        DeliveryFailure {
            delivered,
            permanent: true,
            reason: reason.into(),
        }
    }

    /// A failure worth retrying (timeout, connection refused) after `delivered` events.
    pub fn transient(delivered: usize, reason: impl Into<String>) -> Self {
        DeliveryFailure {
            delivered,
            permanent: false,
            reason: reason.into(),
        }
    }
}
