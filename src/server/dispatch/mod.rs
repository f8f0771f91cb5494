//! Where accepted events go: an [`EventSink`] takes them (the durable [`Outbox`] in the
//! store, or the [`InProcessDispatcher`] for shops without a database); a dispatcher
//! delivers them to an analytics [`Provider`] (the Raptor-style GET of [`RaptorProvider`],
//! the JSON [`WebhookProvider`], or a shop's own).

mod in_process;
mod outbox;
mod provider;
mod raptor;
mod retry;
mod webhook;

use std::{future::Future, pin::Pin, time::Duration};

pub use in_process::{DEFAULT_QUEUE_CAPACITY, DispatchStats, InProcessDispatcher};
pub use outbox::{
    DEFAULT_MAX_EVENT_AGE, DeadLetter, InstanceStatus, Outbox, OutboxBuilder, OutboxCounters,
    OutboxStatus,
};
pub use provider::{DeliveryFailure, PERMANENT_STATUSES, Provider};
pub use raptor::{InvalidProvider, RaptorField, RaptorProvider};
pub use retry::Backoff;
pub use webhook::WebhookProvider;

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

/// The HTTP client of the provided adapters: rustls, 3 s to connect, 10 s per request.
fn http_client() -> Result<reqwest::Client, InvalidProvider> {
    reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(3))
        .timeout(Duration::from_secs(10))
        .build()
        .map_err(|error| InvalidProvider(format!("HTTP client: {error}")))
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
