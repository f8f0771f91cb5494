//! The durable outbox: accepted events are committed to the store before they count as
//! accepted, and a dispatcher task in every shop instance delivers them from there.
//!
//! - **At least once.** An event leaves the outbox only when the provider took it or refused
//!   it for good. Every event keeps its id, so the provider drops a repeated one; the same
//!   event id accepted twice is stored once (delivered events are kept for the maximum event
//!   age to recognise it).
//! - **Retries** with capped exponential backoff and full jitter ([`Backoff`]), per event,
//!   until the event is older than the maximum event age (the provider's window). While the
//!   provider fails, the dispatcher also pauses between claims, so that a backlog does not
//!   hammer it.
//! - **Dead letters.** A permanent answer (a 4xx but 408 and 429, see [`DeliveryFailure::is_permanent_status`]),
//!   an event past the maximum age, or an unreadable row moves the event to the
//!   `tracking_dead_letters` table with the reason.
//! - **Several instances.** Dispatchers claim a batch with a lease: on PostgreSQL
//!   `FOR UPDATE SKIP LOCKED`, so two instances never claim the same event at once; a claim
//!   not finished when its lease ends (the instance crashed) is claimed again by any
//!   instance.

mod dispatcher;
mod hand_off;
mod status;
mod table;

use std::{
    fmt,
    sync::{Arc, Mutex},
    time::Duration,
};

use tokio::sync::{Notify, watch};

use self::hand_off::{HandOff, Handed};
pub use self::status::{DeadLetter, InstanceStatus, OutboxCounters, OutboxStatus};
use self::table::{Claimed, ClaimedBy, NewRow};
use super::{Backoff, Provider};
use crate::store::group_commit::GroupCommit;
use crate::store::{Store, StoreError};
use crate::tracking::TrackedEvent;
use crate::tracking::now_ms;
use crate::tracking::{BoxFuture, EventSink, SinkError, VisitorId};

/// The most accept calls committed in one transaction.
const MAX_GROUP: usize = 512;
/// The most events waiting in the hand-off to this instance's dispatcher, in batches.
const HAND_OFF_BATCHES: usize = 20;

/// A durable outbox for tracking events, in the shop's [`Store`], with a dispatcher that
/// delivers them to a [`Provider`]. It is the [`EventSink`] to give
/// [`TrackingConfig::builder`](crate::tracking::TrackingConfig::builder). Cheap to clone.
///
/// Start one per instance, every instance with the same provider: the instances share the
/// store's outbox table, and any of them delivers any event. (To feed two providers, give
/// one outbox a [`Provider`] that delivers to both.)
///
/// ```no_run
/// use std::{sync::Arc, time::Duration};
/// use leptos_consent::{dispatch::{Outbox, RaptorProvider}, store::Store, tracking::TrackingConfig};
///
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// let store = Store::connect("sqlite://data/shop.db").await?;
/// let provider = RaptorProvider::new("https://t.raptorsmartadvisor.com", "1234")?;
/// let outbox = Outbox::builder(store, Arc::new(provider))
///     .max_event_age(Duration::from_secs(24 * 3600))
///     .start();
/// let tracking = TrackingConfig::builder(outbox.clone()).build()?;
/// # Ok(()) }
/// ```
#[derive(Clone, Debug)]
pub struct Outbox {
    inner: Arc<Inner>,
}

impl Outbox {
    /// The default maximum event age: events older than two days are not delivered.
    pub const DEFAULT_MAX_EVENT_AGE: Duration = Duration::from_secs(48 * 3600);
}

struct Inner {
    store: Store,
    writer: GroupCommit<Vec<NewRow>>,
    provider_name: String,
    settings: Settings,
    counters: Arc<OutboxCounters>,
    hand_off: Arc<HandOff>,
    stop: watch::Sender<bool>,
    dispatcher: Mutex<Option<tokio::task::JoinHandle<()>>>,
}

impl std::fmt::Debug for Inner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Outbox")
            .field("provider", &self.provider_name)
            .field("settings", &self.settings)
            .finish_non_exhaustive()
    }
}

/// How the dispatcher works; see [`OutboxBuilder`].
#[derive(Clone, Debug)]
pub(super) struct Settings {
    instance: String,
    batch_size: usize,
    linger: Duration,
    lease: Duration,
    poll_interval: Duration,
    retry: Backoff,
    max_attempts: u32,
    max_event_age: Duration,
    dead_letter_retention: Duration,
    report_every: Duration,
}

/// Builds an [`Outbox`]; [`start`](Self::start) starts its tasks.
#[derive(Debug)]
#[must_use]
pub struct OutboxBuilder {
    store: Store,
    provider: Arc<dyn Provider>,
    settings: Settings,
}

impl OutboxBuilder {
    /// The name this instance's claims carry (default: the host name and the process id).
    pub fn instance(mut self, name: impl Into<String>) -> Self {
        self.settings.instance = name.into();
        self
    }

    /// The most events claimed and handed to the provider at once (default 100, 1 to 1,000).
    pub fn batch_size(mut self, events: usize) -> Self {
        self.settings.batch_size = events.clamp(1, 1000);
        self
    }

    /// How long a batch smaller than [`batch_size`](Self::batch_size) waits for more of
    /// this instance's events before it goes (default 100 ms, at most 1 s), counted from its
    /// oldest event's acceptance: a steady flow of page views then reaches the provider in full
    /// batches rather than a request (and a database write) for every few events. Zero sends
    /// what there is at once.
    pub fn linger(mut self, linger: Duration) -> Self {
        self.settings.linger = linger.min(Duration::from_secs(1));
        self
    }

    /// How long a claim lasts (default 60 s, at least 1 s): a delivery not finished by then
    /// is abandoned, and the events of an instance that died are claimed again after it.
    pub fn lease(mut self, lease: Duration) -> Self {
        self.settings.lease = lease.max(Duration::from_secs(1));
        self
    }

    /// How often an idle dispatcher looks for events that other instances accepted or that
    /// are due for a retry (default 1 s). Events this instance accepts wake it at once.
    pub fn poll_interval(mut self, every: Duration) -> Self {
        self.settings.poll_interval = every.max(Duration::from_millis(10));
        self
    }

    /// The waits between an event's attempts (default up to 1 s, doubling up to 5 min).
    pub fn retry(mut self, backoff: Backoff) -> Self {
        self.settings.retry = backoff;
        self
    }

    /// How many deliveries an event gets before it goes to the dead letters (default 30,
    /// at least 1): a failure that keeps coming back for one event is not worth the
    /// provider's window.
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.settings.max_attempts = attempts.max(1);
        self
    }

    /// The provider's window: events older than this (from when they happened) go to the
    /// dead letters instead of being delivered (default [`Outbox::DEFAULT_MAX_EVENT_AGE`]). Delivered
    /// events are kept as long, to store a repeated event id once.
    pub fn max_event_age(mut self, age: Duration) -> Self {
        self.settings.max_event_age = age.max(Duration::from_secs(60));
        self
    }

    /// How long dead letters are kept (default 30 days).
    pub fn dead_letter_retention(mut self, retention: Duration) -> Self {
        self.settings.dead_letter_retention = retention;
        self
    }

    /// How often the outbox's figures are logged (`tracing`, info level) and finished rows
    /// pruned (default 60 s).
    pub fn report_every(mut self, every: Duration) -> Self {
        self.settings.report_every = every.max(Duration::from_secs(1));
        self
    }

    /// Starts the writer and the dispatcher tasks.
    ///
    /// # Panics
    ///
    /// Outside a Tokio runtime.
    pub fn start(self) -> Outbox {
        let OutboxBuilder {
            store,
            provider,
            settings,
        } = self;
        let hand_off = Arc::new(HandOff::new(HAND_OFF_BATCHES * settings.batch_size));
        // Open from the start: the dispatcher's task takes the events when it first runs.
        hand_off.set_open(true);
        let wake = Arc::new(Notify::new());
        let writer = GroupCommit::spawn(MAX_GROUP, {
            let (store, hand_off, wake) = (store.clone(), hand_off.clone(), wake.clone());
            let (instance, lease) = (settings.instance.clone(), settings.lease);
            Box::new(move |groups: Vec<Vec<NewRow>>| {
                let (store, hand_off, wake) = (store.clone(), hand_off.clone(), wake.clone());
                let instance = instance.clone();
                Box::pin(async move {
                    let rows: Vec<NewRow> = groups.into_iter().flatten().collect();
                    let now = now_ms();
                    // Claimed for this instance's dispatcher when it has room for them.
                    let claim = hand_off.has_room(rows.len()).then(|| ClaimedBy {
                        instance: &instance,
                        lease_until: now.saturating_add(dispatcher::millis(lease)),
                    });
                    let inserted = table::insert(&store, &rows, now, claim)
                        .await
                        .map_err(|error| error.to_string())?;
                    if let Some(claim) = claim {
                        hand_off.push(handed(rows, inserted, claim.lease_until));
                    }
                    // Once a group, however many callers it committed for.
                    wake.notify_one();
                    Ok(())
                })
            })
        });
        let counters = Arc::new(OutboxCounters::default());
        let (stop, stopped) = watch::channel(false);
        let provider_name = provider.name().to_owned();
        let dispatcher = tokio::spawn(dispatcher::run(dispatcher::Dispatcher {
            store: store.clone(),
            provider,
            settings: settings.clone(),
            counters: counters.clone(),
            wake,
            hand_off: hand_off.clone(),
            stopped,
        }));
        Outbox {
            inner: Arc::new(Inner {
                store,
                writer,
                provider_name,
                settings,
                counters,
                hand_off,
                stop,
                dispatcher: Mutex::new(Some(dispatcher)),
            }),
        }
    }
}

/// Whose tracked events an erasure is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TrackedShopper {
    /// Every event with this visitor id (`cemv`).
    Visitor(VisitorId),
    /// Every event with this user id: the `ruid` value, [`user_id_of`] the shop's
    /// identifier of the shopper.
    ///
    /// [`user_id_of`]: crate::tracking::user_id_of
    User(String),
}

impl TrackedShopper {
    /// Whether `event` is this shopper's.
    fn is_of(&self, event: &TrackedEvent) -> bool {
        match self {
            TrackedShopper::Visitor(id) => event.ids.visitor == *id,
            TrackedShopper::User(id) => event.ids.user.as_ref() == Some(id),
        }
    }
}

impl fmt::Display for TrackedShopper {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TrackedShopper::Visitor(id) => write!(f, "visitor id {id}"),
            TrackedShopper::User(id) => write!(f, "user id {id}"),
        }
    }
}

/// What [`Outbox::erase`] deleted.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct ErasedEvents {
    /// Events in the outbox (pending, or kept after delivery).
    pub events: u64,
    /// Dead letters.
    pub dead_letters: u64,
}

impl Outbox {
    /// An outbox in `store` delivering to `provider`, with the default settings.
    pub fn builder(store: Store, provider: Arc<dyn Provider>) -> OutboxBuilder {
        OutboxBuilder {
            store,
            provider,
            settings: Settings {
                instance: default_instance(),
                batch_size: 100,
                linger: Duration::from_millis(100),
                lease: Duration::from_secs(60),
                poll_interval: Duration::from_secs(1),
                retry: Backoff::new(Duration::from_secs(1), Duration::from_secs(300)),
                max_attempts: 30,
                max_event_age: Outbox::DEFAULT_MAX_EVENT_AGE,
                dead_letter_retention: Duration::from_secs(30 * 86_400),
                report_every: Duration::from_secs(60),
            },
        }
    }

    /// This instance's counters.
    pub fn counters(&self) -> &OutboxCounters {
        &self.inner.counters
    }

    /// The store the outbox lives in.
    pub fn store(&self) -> &Store {
        &self.inner.store
    }

    /// The outbox's figures (every instance's events) and this instance's counters.
    pub async fn status(&self) -> Result<OutboxStatus, StoreError> {
        let inner = &self.inner;
        OutboxStatus::read(
            &inner.store,
            &inner.provider_name,
            &inner.settings.instance,
            &inner.counters,
        )
        .await
    }

    /// The `limit` most recent dead letters, newest first.
    pub async fn dead_letters(&self, limit: usize) -> Result<Vec<DeadLetter>, StoreError> {
        let rows = table::dead_letters(&self.inner.store, limit).await?;
        Ok(rows
            .into_iter()
            .map(|row| DeadLetter {
                event: serde_json::from_str(&row.payload)
                    .unwrap_or(serde_json::Value::String(row.payload)),
                event_id: row.event_id,
                reason: row.reason,
                provider: row.provider,
                attempts: u64::try_from(row.attempts).unwrap_or(0),
                dead_at_ms: row.dead_at_ms,
            })
            .collect())
    }

    /// Puts the dead letters `event_ids` back into the outbox, due now and with their
    /// attempts reset (after the cause is fixed: a provider's setting, a refused field).
    /// Returns how many went back; ids that are not dead letters are skipped.
    pub async fn requeue_dead_letters(&self, event_ids: &[String]) -> Result<u64, StoreError> {
        let requeued = table::requeue(&self.inner.store, event_ids, now_ms()).await?;
        tracing::info!(requeued, "dead letters re-queued");
        Ok(requeued)
    }

    /// Deletes the dead letters `event_ids` for good. Returns how many went.
    pub async fn discard_dead_letters(&self, event_ids: &[String]) -> Result<u64, StoreError> {
        let discarded = table::discard(&self.inner.store, event_ids).await?;
        tracing::info!(discarded, "dead letters discarded");
        Ok(discarded)
    }

    /// Events delivered in each of the last `minutes` minutes (every instance's), oldest
    /// first, the current minute last.
    pub async fn delivered_per_minute(&self, minutes: u32) -> Result<Vec<u64>, StoreError> {
        let minutes = i64::from(minutes.max(1));
        let current = now_ms().div_euclid(60_000);
        let first = current - minutes + 1;
        let mut per_minute = vec![0; usize::try_from(minutes).unwrap_or(1)];
        for (minute, delivered) in
            table::delivered_per_minute(&self.inner.store, first * 60_000).await?
        {
            if let Some(slot) = usize::try_from(minute - first)
                .ok()
                .and_then(|i| per_minute.get_mut(i))
            {
                *slot = u64::try_from(delivered).unwrap_or(0);
            }
        }
        Ok(per_minute)
    }

    /// Deletes every event of `shopper` from the outbox, pending, delivered or dead (a GDPR
    /// erasure): none of them reaches the provider afterwards. An event a dispatcher is
    /// delivering at that moment may still arrive once.
    pub async fn erase(&self, shopper: &TrackedShopper) -> Result<ErasedEvents, StoreError> {
        let (events, dead_letters) = table::erase(&self.inner.store, shopper).await?;
        // After the rows: an event committed before them and handed over meanwhile goes too.
        self.inner.hand_off.erase(shopper);
        tracing::info!(%shopper, events, dead_letters, "tracked events erased");
        Ok(ErasedEvents {
            events,
            dead_letters,
        })
    }

    /// Stops the dispatcher once its current delivery has finished and waits for it. Events
    /// still pending stay in the outbox for the next start (or another instance).
    pub async fn stop(&self) {
        let _ = self.inner.stop.send(true);
        let task = self.inner.dispatcher.lock().ok().and_then(|mut t| t.take());
        if let Some(task) = task {
            let _ = task.await;
        }
    }
}

impl EventSink for Outbox {
    /// Commits `events` to the outbox (in one transaction with other callers' events, which
    /// wakes the dispatcher once); an event id already in the outbox is not stored again.
    fn accept(&self, events: Vec<TrackedEvent>) -> BoxFuture<'_, Result<(), SinkError>> {
        Box::pin(async move {
            if events.is_empty() {
                return Ok(());
            }
            let accepted_at_ms = now_ms();
            let count = events.len();
            let rows = events
                .into_iter()
                .map(|event| {
                    Ok(NewRow {
                        event_id: event.event_id.to_string(),
                        occurred_at_ms: event.occurred_at_ms,
                        accepted_at_ms,
                        payload: serde_json::to_string(&event)
                            .map_err(|error| SinkError::Storage(error.to_string()))?,
                        event,
                    })
                })
                .collect::<Result<Vec<_>, SinkError>>()?;
            self.inner
                .writer
                .commit(rows)
                .await
                .map_err(SinkError::Storage)?;
            OutboxCounters::add(&self.inner.counters.accepted, count);
            Ok(())
        })
    }
}

/// The rows the writer `inserted` claimed (`(seq, event_id)`; a repeated id was not),
/// ready for the dispatcher, in commit order.
fn handed(rows: Vec<NewRow>, inserted: Vec<(i64, String)>, lease_until: i64) -> Vec<Handed> {
    let mut seqs: std::collections::HashMap<String, i64> = inserted
        .into_iter()
        .map(|(seq, event_id)| (event_id, seq))
        .collect();
    let mut handed: Vec<Handed> = rows
        .into_iter()
        .filter_map(|row| {
            let seq = seqs.remove(&row.event_id)?;
            Some(Handed {
                row: Claimed {
                    seq,
                    event_id: row.event_id,
                    occurred_at_ms: row.occurred_at_ms,
                    accepted_at_ms: row.accepted_at_ms,
                    payload: row.payload,
                    attempts: 1,
                },
                event: row.event,
                lease_until,
            })
        })
        .collect();
    handed.sort_by_key(|h| h.row.seq);
    handed
}

/// `host-pid`: tells instances apart in the claims and the logs.
fn default_instance() -> String {
    let host = std::env::var("HOSTNAME")
        .ok()
        .filter(|h| !h.is_empty())
        .or_else(|| {
            std::fs::read_to_string("/etc/hostname")
                .ok()
                .map(|h| h.trim().to_owned())
        })
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "localhost".to_owned());
    format!("{host}-{}", std::process::id())
}
