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
    /// Whether the next event can never be delivered as it is (a 4xx in
    /// [`DeliveryFailure::PERMANENT_STATUSES`]); otherwise it is retried.
    pub permanent: bool,
    /// What went wrong.
    pub reason: String,
}

impl DeliveryFailure {
    /// HTTP answers that will not change on a retry: the event goes to the dead letters.
    pub const PERMANENT_STATUSES: [u16; 6] = [400, 401, 403, 404, 410, 422];

    /// The failure for an HTTP `status` after `delivered` events.
    pub fn from_status(delivered: usize, status: u16) -> Self {
        DeliveryFailure {
            delivered,
            permanent: DeliveryFailure::PERMANENT_STATUSES.contains(&status),
            reason: format!("the provider answered {status}"),
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
