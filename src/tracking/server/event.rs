//! An event as it leaves the tracking context: what happened, to whom, where, under which
//! consent.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::tracking::TrackingIds;
use crate::{CategorySet, Event};

/// Where an event was emitted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EventSource {
    /// During server-side rendering (or in a server function).
    Server,
    /// In the browser, through the collect endpoint.
    Browser,
}

/// An event accepted for delivery to the analytics provider.
///
/// `event_id` is a uuid made where the event happened (v7, time-ordered, by this crate; v4
/// is accepted from other senders): a provider that receives the same
/// event twice (deliveries are at least once) drops the copy by it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrackedEvent {
    /// The event's id, for deduplication.
    pub event_id: Uuid,
    /// When it happened, in milliseconds since the Unix epoch.
    pub occurred_at_ms: i64,
    /// What happened.
    #[serde(flatten)]
    pub event: Event,
    /// The shopper's ids.
    pub ids: TrackingIds,
    /// The page: path and query on the shop (never another origin).
    pub page: String,
    /// The categories the shopper allowed when it happened.
    pub consent: CategorySet,
    /// Where it was emitted.
    pub source: EventSource,
}

/// Now, in milliseconds since the Unix epoch.
pub(crate) fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |since| {
            i64::try_from(since.as_millis()).unwrap_or(i64::MAX)
        })
}

#[cfg(test)]
impl TrackedEvent {
    /// `event` as a test sees it leave: on `/`, visitor `v`, session `s`, every category
    /// allowed, emitted on the server.
    pub(crate) fn for_test(event: Event) -> Self {
        TrackedEvent {
            event_id: Uuid::new_v4(),
            occurred_at_ms: 0,
            event,
            ids: TrackingIds {
                visitor: "v".parse().expect("a valid id"),
                session: "s".into(),
                user: None,
                reaid: None,
                xuid: None,
            },
            page: "/".into(),
            consent: CategorySet::all(),
            source: EventSource::Server,
        }
    }
}
