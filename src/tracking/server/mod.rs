//! The tracking context's server half (feature `tracking`): which ids a shopper has (read
//! and written by the [`ConsentLayer`](crate::ConsentLayer) before any rendering), the
//! events pages emit during SSR, the first-party collect endpoint the browser sends its
//! events to, and the [`EventSink`] they all go to.

mod collect;
mod config;
mod domain;
mod emit;
mod event;
mod ids;
mod request_ids;
mod sink;

pub(crate) use collect::collect_browser_events;
pub use config::{TrackingConfig, TrackingConfigBuilder, TrackingConfigError};
pub use domain::CookieDomain;
pub(crate) use emit::emit_server_event;
#[cfg(feature = "outbox")]
pub(crate) use event::now_ms;
pub use event::{EventSource, TrackedEvent};
pub(crate) use ids::identify;
pub use ids::user_id_of;
#[cfg(test)]
pub(crate) use sink::DroppingSink;
pub use sink::{BoxFuture, EventSink, SinkError};
