//! Where accepted events go (feature `tracking`): an
//! [`EventSink`](crate::tracking::EventSink) takes them (the durable `Outbox` in the store,
//! feature `outbox`, or the [`InProcessDispatcher`] for shops without a database); a
//! dispatcher delivers them to an analytics [`Provider`] (the Raptor-style GET of
//! `RaptorProvider`, feature `raptor`; the JSON `WebhookProvider`, feature `webhook`; or a
//! shop's own).

#[cfg(any(feature = "raptor", feature = "webhook"))]
mod event_names;
#[cfg(any(feature = "raptor", feature = "webhook"))]
mod http;
mod in_process;
#[cfg(feature = "outbox")]
mod outbox;
mod provider;
#[cfg(feature = "raptor")]
mod raptor;
mod retry;
#[cfg(feature = "webhook")]
mod webhook;

#[cfg(any(feature = "raptor", feature = "webhook"))]
pub use http::InvalidProvider;
pub use in_process::{DispatchStats, InProcessDispatcher};
#[cfg(feature = "outbox")]
pub use outbox::{
    DeadLetter, ErasedEvents, InstanceStatus, Outbox, OutboxBuilder, OutboxCounters, OutboxStatus,
    TrackedShopper,
};
pub use provider::{DeliveryFailure, Provider};
#[cfg(feature = "raptor")]
pub use raptor::{RaptorField, RaptorProvider};
pub use retry::Backoff;
#[cfg(feature = "webhook")]
pub use webhook::WebhookProvider;
