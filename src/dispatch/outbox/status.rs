//! What the outbox reports: counters of this instance, figures of the whole outbox.

use std::sync::atomic::{AtomicU64, Ordering};

use serde::Serialize;

use super::table;
use crate::store::{Store, StoreError};
use crate::tracking::now_ms;

/// Counters of one instance's outbox since it started.
#[derive(Debug, Default)]
pub struct OutboxCounters {
    pub(super) accepted: AtomicU64,
    pub(super) delivered: AtomicU64,
    pub(super) retried: AtomicU64,
    pub(super) dead_lettered: AtomicU64,
}

impl OutboxCounters {
    /// Events committed to the outbox (an event id already there counts again).
    pub fn accepted(&self) -> u64 {
        self.accepted.load(Ordering::Relaxed)
    }

    /// Events this instance delivered.
    pub fn delivered(&self) -> u64 {
        self.delivered.load(Ordering::Relaxed)
    }

    /// Deliveries that failed for a reason that may pass; each event is tried again later.
    pub fn retried(&self) -> u64 {
        self.retried.load(Ordering::Relaxed)
    }

    /// Events this instance moved to the dead letters.
    pub fn dead_lettered(&self) -> u64 {
        self.dead_lettered.load(Ordering::Relaxed)
    }

    pub(super) fn add(counter: &AtomicU64, n: usize) {
        counter.fetch_add(n as u64, Ordering::Relaxed);
    }
}

/// The state of the outbox: the whole store's figures (every instance) and this instance's
/// counters. The admin's status endpoint answers with it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "admin", derive(utoipa::ToSchema))]
pub struct OutboxStatus {
    /// The provider events go to.
    pub provider: String,
    /// Events waiting for delivery (the queue depth), claimed ones included.
    pub pending: u64,
    /// Of those, the ones whose last delivery failed.
    pub retrying: u64,
    /// How long the oldest pending event has been waiting, in seconds (`null` when none is).
    pub oldest_pending_age_secs: Option<u64>,
    /// Delivered events still kept to recognise a repeated event id (for the maximum event
    /// age).
    pub delivered_kept: u64,
    /// Events in the dead-letter table.
    pub dead_letters: u64,
    /// This instance since it started.
    pub instance: InstanceStatus,
}

impl OutboxStatus {
    /// Reads the store's figures and adds this instance's counters.
    pub(super) async fn read(
        store: &Store,
        provider: &str,
        instance: &str,
        counters: &OutboxCounters,
    ) -> Result<Self, StoreError> {
        let figures = table::figures(store).await?;
        let count = |n: i64| u64::try_from(n).unwrap_or(0);
        Ok(OutboxStatus {
            provider: provider.to_owned(),
            pending: count(figures.pending),
            retrying: count(figures.retrying.unwrap_or(0)),
            oldest_pending_age_secs: figures
                .oldest_pending_accepted_at_ms
                .map(|at| count(now_ms().saturating_sub(at)) / 1000),
            delivered_kept: count(figures.delivered),
            dead_letters: count(figures.dead_letters),
            instance: InstanceStatus {
                name: instance.to_owned(),
                accepted: counters.accepted(),
                delivered: counters.delivered(),
                retried: counters.retried(),
                dead_lettered: counters.dead_lettered(),
            },
        })
    }
}

/// One instance's part of an [`OutboxStatus`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "admin", derive(utoipa::ToSchema))]
pub struct InstanceStatus {
    /// The instance's name (its claims carry it).
    pub name: String,
    /// Events it committed to the outbox.
    pub accepted: u64,
    /// Events it delivered.
    pub delivered: u64,
    /// Deliveries it will retry.
    pub retried: u64,
    /// Events it moved to the dead letters.
    pub dead_lettered: u64,
}

/// An event the provider refused for good, or that grew too old for its window.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "admin", derive(utoipa::ToSchema))]
pub struct DeadLetter {
    /// The event's id.
    pub event_id: String,
    /// Why it is here (`the provider answered 422`, `older than the maximum event age`).
    pub reason: String,
    /// The provider that refused it.
    pub provider: String,
    /// Deliveries started.
    pub attempts: u64,
    /// When it was given up, in milliseconds since the Unix epoch.
    pub dead_at_ms: i64,
    /// The event as it was accepted.
    #[cfg_attr(feature = "admin", schema(value_type = Object))]
    pub event: serde_json::Value,
}
