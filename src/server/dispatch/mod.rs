//! Where accepted events go: an [`EventSink`] takes them; a dispatcher delivers them to an
//! analytics [`Provider`] (the Raptor-style GET of [`RaptorProvider`], or a shop's own).

mod in_process;
mod provider;
mod raptor;

use std::{future::Future, pin::Pin};

pub use in_process::{DEFAULT_QUEUE_CAPACITY, DispatchStats, InProcessDispatcher};
pub use provider::{DeliveryFailure, PERMANENT_STATUSES, Provider};
pub use raptor::{InvalidProvider, RaptorField, RaptorProvider};

use super::TrackedEvent;

/// A boxed future, as the traits here return them.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Takes accepted events for delivery. An event counts as accepted once `accept` resolved
/// with `Ok`; the sink then delivers it at least once.
pub trait EventSink: Send + Sync + 'static {
    /// Accepts `events`, or refuses all of them.
    fn accept(&self, events: Vec<TrackedEvent>) -> BoxFuture<'_, Result<(), SinkError>>;
}

/// Why a sink refused events.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SinkError {
    /// The sink holds as many events as it can; try again later.
    #[error("the event queue is full")]
    Full,
    /// The sink has stopped (the server is shutting down).
    #[error("the event sink has stopped")]
    Stopped,
    /// The sink could not store them.
    #[error("the events could not be stored: {0}")]
    Storage(String),
}

/// Accepts and forgets: only for unit tests of configuration.
#[cfg(test)]
pub(crate) struct DroppingSink;

#[cfg(test)]
impl EventSink for DroppingSink {
    fn accept(&self, _: Vec<TrackedEvent>) -> BoxFuture<'_, Result<(), SinkError>> {
        Box::pin(async { Ok(()) })
    }
}
