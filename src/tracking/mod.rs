//! The tracking context: [`use_tracker`] gives pages a [`Tracker`] that emits the shop's
//! [`Event`]s server-side during SSR and from the browser (through the shop's own collect
//! endpoint) after hydration, always within the shopper's consent.
//!
//! With the `tracking` feature, the server half: [`TrackingConfig`] (the id cookies, the
//! consent they need, where events go), the [`EventSink`] events are handed to, and the
//! events as they leave ([`TrackedEvent`]). Delivery to providers is in
//! [`dispatch`](crate::dispatch).

mod event;
mod ids;
#[cfg(feature = "tracking")]
mod server;
#[cfg(feature = "ssr")]
mod settings;
mod tracker;

pub use event::{
    Event, EventKind, EventName, InvalidEvent, InvalidEventName, Properties, UnknownEventKind,
};
pub use ids::{InvalidTrackingId, TrackingIds, VisitorId, check_tracking_id};
#[cfg(all(test, feature = "tracking"))]
pub(crate) use server::DroppingSink;
#[cfg(feature = "tracking")]
pub(crate) use server::collect_browser_events;
#[cfg(feature = "outbox")]
pub(crate) use server::now_ms;
#[cfg(feature = "tracking")]
pub use server::{
    BoxFuture, CookieDomain, EventSink, EventSource, SinkError, TrackedEvent, TrackingConfig,
    TrackingConfigBuilder, TrackingConfigError, user_id_of,
};
#[cfg(feature = "ssr")]
pub(crate) use settings::TrackerSettings;
pub use tracker::{Tracker, use_tracker};
