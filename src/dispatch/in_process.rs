//! A dispatcher in the server's memory: a bounded queue and one delivery task.

use std::{
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering},
    },
    time::Duration,
};

use tokio::sync::mpsc;

use super::{Backoff, Provider};
use crate::tracking::TrackedEvent;
use crate::tracking::{BoxFuture, EventSink, SinkError};

/// The most events handed to the provider at once.
const BATCH: usize = 100;
/// Attempts per event before it is given up.
const ATTEMPTS: u32 = 8;
/// The first retry waits up to 200 ms; each further one twice as long, up to 30 s.
const BACKOFF: Backoff = Backoff::new(Duration::from_millis(200), Duration::from_secs(30));

/// Counters of an [`InProcessDispatcher`].
#[derive(Debug, Default)]
pub struct DispatchStats {
    accepted: AtomicU64,
    delivered: AtomicU64,
    retried: AtomicU64,
    given_up: AtomicU64,
}

impl DispatchStats {
    /// Events accepted so far.
    pub fn accepted(&self) -> u64 {
        self.accepted.load(Ordering::Relaxed)
    }

    /// Events the provider took.
    pub fn delivered(&self) -> u64 {
        self.delivered.load(Ordering::Relaxed)
    }

    /// Delivery attempts that were repeated.
    pub fn retried(&self) -> u64 {
        self.retried.load(Ordering::Relaxed)
    }

    /// Events given up (a permanent refusal, or every attempt failed); each is logged.
    pub fn given_up(&self) -> u64 {
        self.given_up.load(Ordering::Relaxed)
    }
}

/// Delivers accepted events from a bounded queue in memory, with retries (capped
/// exponential backoff, full jitter) and permanent refusals logged and dropped.
///
/// The queue lives in the process: events still in it when the server stops are lost.
/// It is the sink for shops without a database; the [`Outbox`](super::Outbox) in the store
/// is the sink for those that must not lose an event.
#[derive(Clone)]
pub struct InProcessDispatcher {
    queue: mpsc::Sender<TrackedEvent>,
    stats: Arc<DispatchStats>,
}

impl InProcessDispatcher {
    /// How many events the queue holds by default.
    pub const DEFAULT_QUEUE_CAPACITY: usize = 10_000;

    /// Starts the delivery task on the current Tokio runtime, with a queue of
    /// [`InProcessDispatcher::DEFAULT_QUEUE_CAPACITY`] events.
    pub fn spawn(provider: Arc<dyn Provider>) -> Self {
        Self::with_capacity(provider, InProcessDispatcher::DEFAULT_QUEUE_CAPACITY)
    }

    /// Starts the delivery task with a queue of `capacity` events (at least 1).
    pub fn with_capacity(provider: Arc<dyn Provider>, capacity: usize) -> Self {
        let (queue, receiver) = mpsc::channel(capacity.max(1));
        let stats = Arc::new(DispatchStats::default());
        tokio::spawn(deliver_all(receiver, provider, stats.clone()));
        InProcessDispatcher { queue, stats }
    }

    /// The counters.
    pub fn stats(&self) -> &DispatchStats {
        &self.stats
    }
}

impl EventSink for InProcessDispatcher {
    fn accept(&self, events: Vec<TrackedEvent>) -> BoxFuture<'_, Result<(), SinkError>> {
        let result = (|| {
            // All or nothing: the batch fits, or none of it goes in.
            let mut permits = Vec::with_capacity(events.len());
            for _ in 0..events.len() {
                match self.queue.try_reserve() {
                    Ok(permit) => permits.push(permit),
                    Err(mpsc::error::TrySendError::Full(())) => return Err(SinkError::Full),
                    Err(mpsc::error::TrySendError::Closed(())) => return Err(SinkError::Stopped),
                }
            }
            let count = events.len() as u64;
            for (permit, event) in permits.into_iter().zip(events) {
                permit.send(event);
            }
            self.stats.accepted.fetch_add(count, Ordering::Relaxed);
            Ok(())
        })();
        Box::pin(async move { result })
    }
}

async fn deliver_all(
    mut queue: mpsc::Receiver<TrackedEvent>,
    provider: Arc<dyn Provider>,
    stats: Arc<DispatchStats>,
) {
    let mut batch = Vec::with_capacity(BATCH);
    while queue.recv_many(&mut batch, BATCH).await > 0 {
        deliver_batch(&mut batch, &*provider, &stats).await;
        batch.clear();
    }
}

/// Delivers `batch`, retrying what failed for a reason that may pass.
async fn deliver_batch(
    batch: &mut Vec<TrackedEvent>,
    provider: &dyn Provider,
    stats: &DispatchStats,
) {
    let mut attempt = 0;
    while !batch.is_empty() {
        let Err(failure) = provider.deliver(batch).await else {
            stats
                .delivered
                .fetch_add(batch.len() as u64, Ordering::Relaxed);
            return;
        };
        let delivered = failure.delivered.min(batch.len());
        stats
            .delivered
            .fetch_add(delivered as u64, Ordering::Relaxed);
        batch.drain(..delivered);
        if delivered > 0 {
            attempt = 0;
        }
        let Some(next) = batch.first() else { return };
        attempt += 1;
        if failure.permanent || attempt >= ATTEMPTS {
            stats.given_up.fetch_add(1, Ordering::Relaxed);
            tracing::error!(
                provider = provider.name(),
                event_id = %next.event_id,
                event = %serde_json::to_string(next).unwrap_or_default(),
                reason = %failure.reason,
                attempts = attempt,
                "tracking event given up"
            );
            batch.remove(0);
            attempt = 0;
            continue;
        }
        stats.retried.fetch_add(1, Ordering::Relaxed);
        tracing::warn!(provider = provider.name(), reason = %failure.reason, attempt, "delivery failed; retrying");
        tokio::time::sleep(BACKOFF.wait(attempt)).await;
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use uuid::Uuid;

    use super::*;
    use crate::{Event, EventKind, dispatch::DeliveryFailure};

    /// A provider that refuses the first `fail` deliveries (transiently), then records.
    struct Flaky {
        fail: Mutex<u32>,
        permanent_for: Option<Uuid>,
        received: Mutex<Vec<Uuid>>,
    }

    impl Provider for Flaky {
        fn name(&self) -> &str {
            "flaky"
        }

        fn deliver<'a>(
            &'a self,
            events: &'a [TrackedEvent],
        ) -> BoxFuture<'a, Result<(), DeliveryFailure>> {
            Box::pin(async move {
                let mut fail = self.fail.lock().unwrap();
                if *fail > 0 {
                    *fail -= 1;
                    return Err(DeliveryFailure::transient(0, "down"));
                }
                let mut received = self.received.lock().unwrap();
                for (i, event) in events.iter().enumerate() {
                    if Some(event.event_id) == self.permanent_for {
                        return Err(DeliveryFailure::from_status(i, 422));
                    }
                    received.push(event.event_id);
                }
                Ok(())
            })
        }
    }

    fn event() -> TrackedEvent {
        TrackedEvent::for_test(Event::new(EventKind::PageView))
    }

    #[tokio::test(start_paused = true)]
    async fn retries_until_the_provider_is_back_and_drops_permanent_refusals() {
        let events: Vec<TrackedEvent> = (0..5).map(|_| event()).collect();
        let provider = Arc::new(Flaky {
            fail: Mutex::new(3),
            permanent_for: Some(events[2].event_id),
            received: Mutex::new(Vec::new()),
        });
        let dispatcher = InProcessDispatcher::with_capacity(provider.clone(), 16);
        dispatcher.accept(events.clone()).await.unwrap();
        while dispatcher.stats().delivered() + dispatcher.stats().given_up() < 5 {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let expected: Vec<Uuid> = events
            .iter()
            .map(|e| e.event_id)
            .filter(|id| *id != events[2].event_id)
            .collect();
        assert_eq!(*provider.received.lock().unwrap(), expected);
        assert_eq!(dispatcher.stats().retried(), 3);
        assert_eq!(dispatcher.stats().given_up(), 1);
    }

    #[tokio::test]
    async fn a_full_queue_refuses_the_whole_batch() {
        let provider = Arc::new(Flaky {
            fail: Mutex::new(u32::MAX),
            permanent_for: None,
            received: Mutex::new(Vec::new()),
        });
        let dispatcher = InProcessDispatcher::with_capacity(provider, 2);
        let refused = dispatcher.accept(vec![event(), event(), event()]).await;
        assert_eq!(refused, Err(SinkError::Full));
        assert_eq!(dispatcher.stats().accepted(), 0);
    }
}
