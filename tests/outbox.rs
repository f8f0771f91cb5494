//! The durable tracking outbox on SQLite and PostgreSQL: committed before accepted, stored
//! once per event id, retried while the provider is down, dead letters for permanent
//! refusals and for events past the provider's window, crashed claims taken over, the
//! hand-off of an instance's own events to its dispatcher, and two dispatchers sharing one
//! PostgreSQL outbox.

mod common;

use std::{
    collections::{HashMap, HashSet},
    sync::{
        Arc, Mutex,
        atomic::{AtomicBool, Ordering},
    },
    time::Duration,
};

use leptos_consent::{
    EventKind, Uuid,
    dispatch::{DeliveryFailure, Outbox, Provider},
    store::Store,
    tracking::{BoxFuture, EventSink, TrackedEvent},
};

both_backends!(
    accepted_events_are_delivered_and_a_repeated_id_is_stored_once,
    a_provider_down_for_a_while_gets_everything_once_it_is_back,
    permanent_refusals_and_events_past_the_window_go_to_the_dead_letters,
    a_crashed_instances_claims_expire_and_are_delivered,
    events_beyond_the_hand_off_wait_in_the_table_and_all_arrive_once,
    a_stopped_dispatcher_puts_back_what_it_was_handed,
);

/// A provider in memory: down while `down` is set (503), refuses the ids in `refuse` (422),
/// and records what it received, in order.
#[derive(Default)]
struct Recorder {
    down: AtomicBool,
    refuse: Mutex<HashSet<Uuid>>,
    received: Mutex<Vec<Uuid>>,
    calls: Mutex<u32>,
    delay: Duration,
}

impl Recorder {
    fn received(&self) -> Vec<Uuid> {
        self.received.lock().unwrap().clone()
    }

    fn counts(&self) -> HashMap<Uuid, usize> {
        let mut counts = HashMap::new();
        for id in self.received() {
            *counts.entry(id).or_default() += 1;
        }
        counts
    }
}

impl Provider for Recorder {
    fn name(&self) -> &str {
        "recorder"
    }

    fn deliver<'a>(
        &'a self,
        events: &'a [TrackedEvent],
    ) -> BoxFuture<'a, Result<(), DeliveryFailure>> {
        Box::pin(async move {
            *self.calls.lock().unwrap() += 1;
            if !self.delay.is_zero() {
                tokio::time::sleep(self.delay).await;
            }
            if self.down.load(Ordering::SeqCst) {
                return Err(DeliveryFailure::from_status(0, 503));
            }
            for (i, event) in events.iter().enumerate() {
                if self.refuse.lock().unwrap().contains(&event.event_id) {
                    return Err(DeliveryFailure::from_status(i, 422));
                }
                self.received.lock().unwrap().push(event.event_id);
            }
            Ok(())
        })
    }
}

fn event() -> TrackedEvent {
    common::tracked_event(EventKind::ProductView, common::now_ms())
}

/// An outbox that retries and polls quickly, for tests.
fn outbox(store: Store, provider: Arc<Recorder>, instance: &str) -> Outbox {
    common::quick_outbox(store, provider)
        .instance(instance)
        .batch_size(50)
        .lease(Duration::from_secs(2))
        .start()
}

/// Waits (up to 30 s) until `done` holds.
async fn eventually(what: &str, done: impl FnMut() -> bool) {
    common::eventually(Duration::from_secs(30), what, done).await;
}

/// Waits until `outbox` has delivered as many events as `events`, then checks that
/// `provider` received each of them once and nothing is pending.
async fn all_delivered_once(outbox: &Outbox, provider: &Recorder, events: &[TrackedEvent]) {
    eventually("everything is delivered", || {
        outbox.counters().delivered() >= events.len() as u64
    })
    .await;
    let counts = provider.counts();
    let expected: HashSet<Uuid> = events.iter().map(|e| e.event_id).collect();
    assert_eq!(counts.keys().copied().collect::<HashSet<_>>(), expected);
    assert!(counts.values().all(|&n| n == 1), "none twice: {counts:?}");
    assert_eq!(outbox.status().await.unwrap().pending, 0);
}

async fn accepted_events_are_delivered_and_a_repeated_id_is_stored_once(store: Store, _: String) {
    let provider = Arc::new(Recorder::default());
    let outbox = outbox(store, provider.clone(), "one");
    let events: Vec<TrackedEvent> = (0..120).map(|_| event()).collect();
    outbox.accept(events[..60].to_vec()).await.unwrap();
    for event in &events[60..] {
        outbox.accept(vec![event.clone()]).await.unwrap();
    }
    // The counter moves once the store has marked them delivered (after the provider saw them).
    eventually("all are delivered", || outbox.counters().delivered() >= 120).await;
    // The same ids again (a browser's retried post): stored once, not delivered again.
    outbox.accept(events[..10].to_vec()).await.unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;

    let expected: Vec<Uuid> = events.iter().map(|e| e.event_id).collect();
    assert_eq!(provider.received(), expected, "in order, each once");
    let status = outbox.status().await.unwrap();
    assert_eq!(status.pending, 0);
    assert_eq!(status.delivered_kept, 120);
    assert_eq!(status.instance.accepted, 130);
    assert_eq!(status.instance.delivered, 120);
    assert_eq!(status.oldest_pending_age_secs, None);
    outbox.stop().await;
}

async fn a_provider_down_for_a_while_gets_everything_once_it_is_back(store: Store, _: String) {
    let provider = Arc::new(Recorder::default());
    provider.down.store(true, Ordering::SeqCst);
    let outbox = outbox(store, provider.clone(), "one");
    let events: Vec<TrackedEvent> = (0..200).map(|_| event()).collect();
    for chunk in events.chunks(40) {
        outbox.accept(chunk.to_vec()).await.unwrap();
    }
    eventually("deliveries have failed several times", || {
        outbox.counters().retried() >= 400
    })
    .await;
    assert!(provider.received().is_empty());
    let status = outbox.status().await.unwrap();
    assert_eq!(status.pending, 200, "nothing is lost while it is down");
    assert!(status.retrying > 0);

    provider.down.store(false, Ordering::SeqCst);
    all_delivered_once(&outbox, &provider, &events).await;
    outbox.stop().await;
}

async fn permanent_refusals_and_events_past_the_window_go_to_the_dead_letters(
    store: Store,
    _: String,
) {
    let provider = Arc::new(Recorder::default());
    let mut events: Vec<TrackedEvent> = (0..30).map(|_| event()).collect();
    let refused = [events[3].event_id, events[17].event_id];
    provider.refuse.lock().unwrap().extend(refused);
    // Three days old: past the default window of two days.
    let stale = common::tracked_event(EventKind::ProductView, common::now_ms() - 3 * 86_400_000);
    events.push(stale.clone());
    let outbox = outbox(store, provider.clone(), "one");
    outbox.accept(events.clone()).await.unwrap();
    eventually("every event is settled", || {
        outbox.counters().delivered() + outbox.counters().dead_lettered() >= 31
    })
    .await;

    let delivered: HashSet<Uuid> = provider.received().into_iter().collect();
    assert_eq!(delivered.len(), 28);
    assert!(refused.iter().all(|id| !delivered.contains(id)));
    assert!(!delivered.contains(&stale.event_id));
    let letters = outbox.dead_letters(10).await.unwrap();
    let reasons: HashMap<String, String> = letters
        .iter()
        .map(|l| (l.event_id.clone(), l.reason.clone()))
        .collect();
    assert_eq!(reasons.len(), 3);
    for id in refused {
        assert_eq!(reasons[&id.to_string()], "the provider answered 422");
    }
    assert!(
        reasons[&stale.event_id.to_string()].starts_with("older than the maximum event age"),
        "{reasons:?}"
    );
    let letter = letters
        .iter()
        .find(|l| l.event_id == refused[0].to_string())
        .unwrap();
    assert_eq!(
        letter.event["type"], "productview",
        "the event is kept whole"
    );
    assert_eq!(letter.provider, "recorder");
    let status = outbox.status().await.unwrap();
    assert_eq!((status.pending, status.dead_letters), (0, 3));
    let per_minute = outbox.delivered_per_minute(5).await.unwrap();
    assert_eq!(per_minute.len(), 5);
    assert_eq!(per_minute.iter().sum::<u64>(), 28, "{per_minute:?}");

    // Staff fix the cause and re-queue one refusal; they discard the stale event. An id
    // that is no dead letter changes nothing.
    provider.refuse.lock().unwrap().clear();
    let first = refused[0].to_string();
    let requeued = outbox
        .requeue_dead_letters(&[first.clone(), Uuid::new_v4().to_string()])
        .await
        .unwrap();
    assert_eq!(requeued, 1);
    assert_eq!(
        outbox
            .discard_dead_letters(&[stale.event_id.to_string()])
            .await
            .unwrap(),
        1
    );
    eventually("the re-queued event is delivered", || {
        provider.received().contains(&refused[0])
    })
    .await;
    let left: Vec<String> = outbox
        .dead_letters(10)
        .await
        .unwrap()
        .into_iter()
        .map(|l| l.event_id)
        .collect();
    assert_eq!(left, [refused[1].to_string()]);
    outbox.stop().await;
}

async fn a_crashed_instances_claims_expire_and_are_delivered(store: Store, url: String) {
    // An instance accepts events and dies before delivering: its dispatcher is stopped
    // (nothing delivered), and its claim is left as a crash leaves it.
    let nobody = Arc::new(Recorder::default());
    nobody.down.store(true, Ordering::SeqCst);
    let crashed = Outbox::builder(store.clone(), nobody)
        .instance("crashed")
        .poll_interval(Duration::from_secs(3600))
        .start();
    crashed.stop().await;
    let events: Vec<TrackedEvent> = (0..20).map(|_| event()).collect();
    crashed.accept(events.clone()).await.unwrap();
    let lease_end = common::now_ms() + 3000;
    let claim =
        "UPDATE tracking_outbox SET claimed_by = 'crashed', attempts = 1, next_attempt_at_ms = $1";
    if url.starts_with("sqlite:") {
        let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
        sqlx::query(claim)
            .bind(lease_end)
            .execute(&pool)
            .await
            .unwrap();
    } else {
        let pool = sqlx::PgPool::connect(&url).await.unwrap();
        sqlx::query(claim)
            .bind(lease_end)
            .execute(&pool)
            .await
            .unwrap();
    }

    let provider = Arc::new(Recorder::default());
    let survivor = outbox(store, provider.clone(), "survivor");
    tokio::time::sleep(Duration::from_millis(1000)).await;
    if common::now_ms() < lease_end - 500 {
        assert!(provider.received().is_empty(), "not while the lease runs");
    }
    eventually("the survivor delivered them", || {
        provider.received().len() >= 20
    })
    .await;
    assert!(
        common::now_ms() >= lease_end,
        "delivered only after the lease ended"
    );
    let expected: HashSet<Uuid> = events.iter().map(|e| e.event_id).collect();
    assert_eq!(
        provider.received().into_iter().collect::<HashSet<_>>(),
        expected
    );
    survivor.stop().await;
}

async fn events_beyond_the_hand_off_wait_in_the_table_and_all_arrive_once(store: Store, _: String) {
    // A slow provider and batches of 2: the hand-off holds 40 events, so most of these are
    // committed unclaimed and claimed from the table, alongside the ones handed over.
    let provider = Arc::new(Recorder {
        delay: Duration::from_millis(10),
        ..Recorder::default()
    });
    let outbox = common::quick_outbox(store, provider.clone())
        .batch_size(2)
        .start();
    let events: Vec<TrackedEvent> = (0..300).map(|_| event()).collect();
    for chunk in events.chunks(15) {
        outbox.accept(chunk.to_vec()).await.unwrap();
    }
    all_delivered_once(&outbox, &provider, &events).await;
    outbox.stop().await;
}

async fn a_stopped_dispatcher_puts_back_what_it_was_handed(store: Store, _: String) {
    // The first instance stops while its dispatcher is busy with the first batch: the events
    // it was handed and did not get to go back, due at once, not when its lease (a minute)
    // ends.
    let slow = Arc::new(Recorder {
        delay: Duration::from_millis(300),
        ..Recorder::default()
    });
    let first = Outbox::builder(store.clone(), slow.clone())
        .instance("first")
        .batch_size(10)
        .start();
    let events: Vec<TrackedEvent> = (0..50).map(|_| event()).collect();
    first.accept(events.clone()).await.unwrap();
    tokio::time::sleep(Duration::from_millis(100)).await;
    first.stop().await;
    let delivered_first = slow.received().len();
    assert!(delivered_first < 50, "it stopped before the end");

    let provider = Arc::new(Recorder::default());
    let second = outbox(store, provider.clone(), "second");
    common::eventually(
        Duration::from_secs(20),
        "the second instance delivers the rest well before the first's lease ends",
        || delivered_first + provider.received().len() >= 50,
    )
    .await;
    let mut all = slow.received();
    all.extend(provider.received());
    let expected: HashSet<Uuid> = events.iter().map(|e| e.event_id).collect();
    assert_eq!(all.iter().copied().collect::<HashSet<_>>(), expected);
    assert_eq!(all.len(), 50, "each once");
    second.stop().await;
}

/// Two instances' dispatchers on one PostgreSQL outbox, each accepting half of the events:
/// every event is delivered, none twice, and both did part of the work.
#[tokio::test]
async fn two_dispatchers_share_one_postgres_outbox() {
    let Some((first_store, url)) = common::postgres_store().await else {
        return;
    };
    let second_store = Store::connect(&url).await.unwrap();
    let provider = Arc::new(Recorder {
        delay: Duration::from_millis(3),
        ..Recorder::default()
    });
    let first = outbox(first_store, provider.clone(), "first");
    let second = outbox(second_store, provider.clone(), "second");
    let events: Vec<TrackedEvent> = (0..2000).map(|_| event()).collect();
    for (i, chunk) in events.chunks(25).enumerate() {
        let outbox = if i % 2 == 0 { &first } else { &second };
        outbox.accept(chunk.to_vec()).await.unwrap();
    }
    eventually("all 2,000 are delivered", || {
        first.counters().delivered() + second.counters().delivered() >= 2000
    })
    .await;
    tokio::time::sleep(Duration::from_millis(300)).await;

    let counts = provider.counts();
    let expected: HashSet<Uuid> = events.iter().map(|e| e.event_id).collect();
    assert_eq!(counts.keys().copied().collect::<HashSet<_>>(), expected);
    let twice = counts.values().filter(|&&n| n > 1).count();
    assert_eq!(twice, 0, "SKIP LOCKED: no event is claimed by both");
    let (a, b) = (first.counters().delivered(), second.counters().delivered());
    assert_eq!(a + b, 2000);
    assert!(a > 0 && b > 0, "both dispatchers delivered: {a} and {b}");
    first.stop().await;
    second.stop().await;
}
