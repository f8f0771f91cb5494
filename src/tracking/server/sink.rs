//! Where the tracking context hands its events: an [`EventSink`] (the durable outbox and the
//! in-process dispatcher of [`dispatch`](crate::dispatch) implement it, and so can a
//! shop's own).

use std::{future::Future, pin::Pin};

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
