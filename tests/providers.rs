//! The provided adapters over real HTTP, against a loopback provider: the Raptor-style GET
//! and the JSON webhook, through the outbox, with their refusals dead-lettered; and the
//! outbox's admin endpoints.

mod common;

use std::{
    collections::HashSet,
    sync::{Arc, Mutex},
    time::Duration,
};

use axum::{
    Json, Router,
    extract::{Query, RawQuery, State},
    http::StatusCode,
    routing::{get, post},
};
use leptos_consent::{
    Event, EventKind, Uuid,
    admin::{AdminToken, tracking_outbox_admin},
    dispatch::{Outbox, Provider, RaptorField, RaptorProvider, WebhookProvider},
    tracking::{EventSink, EventSource, TrackedEvent},
};

/// A GET's query parameters, in order.
type QueryPairs = Vec<(String, String)>;

/// What the loopback provider saw: every GET's query, every POST's events.
#[derive(Clone, Default)]
struct Seen {
    gets: Arc<Mutex<Vec<QueryPairs>>>,
    posts: Arc<Mutex<Vec<Vec<Uuid>>>>,
    refuse: Arc<Mutex<HashSet<String>>>,
    /// Event ids answered `503` (a failure that may pass) every time.
    unavailable: Arc<Mutex<HashSet<String>>>,
}

/// The longest query the loopback provider takes, as a proxy in front of a provider might:
/// longer ones get `414 URI Too Long`.
const PROXY_QUERY_LIMIT: usize = 3000;

async fn raptor(
    State(seen): State<Seen>,
    RawQuery(raw): RawQuery,
    Query(query): Query<Vec<(String, String)>>,
) -> StatusCode {
    let id = query
        .iter()
        .find(|(k, _)| k == "p4")
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    seen.gets.lock().unwrap().push(query);
    if raw.is_some_and(|raw| raw.len() > PROXY_QUERY_LIMIT) {
        StatusCode::URI_TOO_LONG
    } else if seen.refuse.lock().unwrap().contains(&id) {
        StatusCode::GONE
    } else if seen.unavailable.lock().unwrap().contains(&id) {
        StatusCode::SERVICE_UNAVAILABLE
    } else {
        StatusCode::NO_CONTENT
    }
}

async fn webhook(State(seen): State<Seen>, Json(body): Json<serde_json::Value>) -> StatusCode {
    let ids: Vec<Uuid> = body["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["event_id"].as_str().unwrap().parse().unwrap())
        .collect();
    let refused = {
        let refuse = seen.refuse.lock().unwrap();
        ids.iter().any(|id| refuse.contains(&id.to_string()))
    };
    seen.posts.lock().unwrap().push(ids);
    if refused {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    }
}

/// Starts the loopback provider; returns its base URL.
async fn loopback(seen: Seen) -> String {
    let app = Router::new()
        .route("/track/{file}", get(raptor))
        .route("/events", post(webhook))
        .with_state(seen);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    format!("http://{address}")
}

/// An event with every field the Raptor GET carries, some needing encoding.
fn event(kind: EventKind) -> TrackedEvent {
    let mut event = common::tracked_event(kind.clone(), common::now_ms());
    event.event = Event::new(kind)
        .product("sku 7/8")
        .module("GetSimilarItems");
    event.ids.visitor = "visitor-1".parse().unwrap();
    event.ids.session = "session-1".into();
    event.ids.user = Some("dXNlcg==".into());
    event.page = "/products/7?color=blå".into();
    event.source = EventSource::Browser;
    event
}

async fn outbox(provider: Arc<dyn Provider>) -> (Outbox, tempfile::TempDir) {
    let (store, dir) = common::sqlite_store().await;
    (common::quick_outbox(store, provider).start(), dir)
}

async fn settled(outbox: &Outbox, total: u64) {
    let counters = outbox.counters();
    common::eventually(Duration::from_secs(10), "every event is settled", || {
        counters.delivered() + counters.dead_lettered() >= total
    })
    .await;
}

/// Whether the loopback provider saw a GET for `event`.
fn got(seen: &Seen, event: &TrackedEvent) -> bool {
    let id = event.event_id.to_string();
    seen.gets
        .lock()
        .unwrap()
        .iter()
        .any(|query| query.iter().any(|(k, v)| k == "p4" && *v == id))
}

#[tokio::test]
async fn oversized_events_are_dead_letters_at_once_and_stall_nothing() {
    let seen = Seen::default();
    let base = loopback(seen.clone()).await;
    // A Raptor map that carries 16 properties as p10..p25.
    let params = [("p1", RaptorField::EventType), ("p4", RaptorField::EventId)]
        .into_iter()
        .map(|(name, field)| (name.to_owned(), field))
        .chain((0..16).map(|i| {
            (
                format!("p{}", 10 + i),
                RaptorField::Property(format!("k{i}")),
            )
        }))
        .collect::<Vec<_>>();
    let raptor = RaptorProvider::new(&format!("{base}/track"), "shop-42")
        .unwrap()
        .params(params);
    let (outbox, _dir) = outbox(Arc::new(raptor)).await;
    let mut events: Vec<TrackedEvent> = (0..20).map(|_| event(EventKind::Search)).collect();
    // Past the proxy's limit, under the provider's cap: the proxy answers 414.
    let mut long = event(EventKind::Search);
    long.event = Event::new(EventKind::Search).property("k0", "é".repeat(128));
    for i in 1..4 {
        long.event = long.event.property(format!("k{i}"), "é".repeat(128));
    }
    // Over the provider's cap on a request line: never sent.
    let mut huge = event(EventKind::Search);
    for i in 0..16 {
        huge.event = huge.event.property(format!("k{i}"), "é".repeat(128));
    }
    assert!(
        RaptorProvider::new("http://x", "c")
            .unwrap()
            .url_for(&huge)
            .len()
            < 8000,
        "only with the long map"
    );
    events.insert(3, long.clone());
    events.insert(11, huge.clone());
    outbox.accept(events.clone()).await.unwrap();
    settled(&outbox, events.len() as u64).await;
    assert_eq!(outbox.counters().delivered(), 20);
    let letters = outbox.dead_letters(10).await.unwrap();
    let reason = |event: &TrackedEvent| {
        letters
            .iter()
            .find(|letter| letter.event_id == event.event_id.to_string())
            .map(|letter| letter.reason.clone())
    };
    assert_eq!(reason(&long).as_deref(), Some("the provider answered 414"));
    assert!(
        reason(&huge)
            .is_some_and(|reason| reason.contains("over the 8000 a request line may have")),
        "{letters:?}"
    );
    assert!(got(&seen, &long) && !got(&seen, &huge));
}

#[tokio::test]
async fn an_event_that_keeps_failing_is_given_up_after_its_attempts() {
    let seen = Seen::default();
    let base = loopback(seen.clone()).await;
    let raptor = RaptorProvider::new(&format!("{base}/track"), "shop-42").unwrap();
    let (store, _dir) = common::sqlite_store().await;
    let outbox = common::quick_outbox(store, Arc::new(raptor))
        .max_attempts(3)
        .start();
    let events: Vec<TrackedEvent> = (0..10).map(|_| event(EventKind::PageView)).collect();
    seen.unavailable
        .lock()
        .unwrap()
        .insert(events[0].event_id.to_string());
    outbox.accept(events.clone()).await.unwrap();
    settled(&outbox, events.len() as u64).await;
    assert_eq!(outbox.counters().delivered(), 9);
    let letters = outbox.dead_letters(10).await.unwrap();
    assert_eq!(letters.len(), 1, "{letters:?}");
    assert_eq!(letters[0].event_id, events[0].event_id.to_string());
    assert_eq!(letters[0].reason, "not delivered in 3 attempts");
    let tries = seen
        .gets
        .lock()
        .unwrap()
        .iter()
        .filter(|query| {
            query
                .iter()
                .any(|(k, v)| k == "p4" && *v == events[0].event_id.to_string())
        })
        .count();
    assert_eq!(tries, 3);
}

#[tokio::test]
async fn raptor_gets_carry_every_parameter_and_a_410_is_a_dead_letter() {
    let seen = Seen::default();
    let base = loopback(seen.clone()).await;
    let raptor = RaptorProvider::new(&format!("{base}/track"), "shop-42").unwrap();
    let (outbox, _dir) = outbox(Arc::new(raptor)).await;
    let events: Vec<TrackedEvent> = (0..40).map(|_| event(EventKind::ItemClick)).collect();
    let refused = events[5].event_id.to_string();
    seen.refuse.lock().unwrap().insert(refused.clone());
    outbox.accept(events.clone()).await.unwrap();
    settled(&outbox, 40).await;

    let gets = seen.gets.lock().unwrap().clone();
    let first = gets
        .iter()
        .find(|q| q.contains(&("p4".into(), events[0].event_id.to_string())))
        .expect("the first event's GET");
    let expected: Vec<(String, String)> = [
        ("p1", "itemclick"),
        ("p2", "sku 7/8"),
        ("p3", "/products/7?color=blå"),
        ("p4", events[0].event_id.to_string().as_str()),
        ("coid", "visitor-1"),
        ("sid", "session-1"),
        ("ruid", "dXNlcg=="),
        ("am", "GetSimilarItems"),
    ]
    .iter()
    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
    .collect();
    assert_eq!(*first, expected, "decoded by the provider as sent");
    let delivered: HashSet<String> = gets
        .iter()
        .filter_map(|q| q.iter().find(|(k, _)| k == "p4").map(|(_, v)| v.clone()))
        .filter(|id| *id != refused)
        .collect();
    assert_eq!(delivered.len(), 39);
    let letters = outbox.dead_letters(10).await.unwrap();
    assert_eq!(letters.len(), 1);
    assert_eq!(letters[0].event_id, refused);
    assert_eq!(letters[0].reason, "the provider answered 410");
    assert_eq!(letters[0].provider, "raptor");
    outbox.stop().await;
}

#[tokio::test]
async fn the_webhook_posts_batches_and_dead_letters_only_the_refused_event() {
    let seen = Seen::default();
    let base = loopback(seen.clone()).await;
    let webhook = WebhookProvider::new(&format!("{base}/events"))
        .unwrap()
        .max_batch(10);
    let (outbox, _dir) = outbox(Arc::new(webhook)).await;
    let events: Vec<TrackedEvent> = (0..30).map(|_| event(EventKind::AddToCart)).collect();
    let refused = events[13].event_id;
    seen.refuse.lock().unwrap().insert(refused.to_string());
    outbox.accept(events.clone()).await.unwrap();
    settled(&outbox, 30).await;

    let posts = seen.posts.lock().unwrap().clone();
    assert!(
        posts.iter().any(|batch| batch.len() == 10),
        "batched: {posts:?}"
    );
    let delivered: HashSet<Uuid> = posts
        .iter()
        .filter(|batch| !batch.contains(&refused))
        .flatten()
        .copied()
        .collect();
    let expected: HashSet<Uuid> = events
        .iter()
        .map(|e| e.event_id)
        .filter(|id| *id != refused)
        .collect();
    assert_eq!(delivered, expected, "every other event arrived");
    let letters = outbox.dead_letters(10).await.unwrap();
    assert_eq!(letters.len(), 1, "only the refused one: {letters:?}");
    assert_eq!(letters[0].event_id, refused.to_string());
    assert_eq!(letters[0].reason, "the provider answered 422");
    outbox.stop().await;
}

#[tokio::test]
async fn an_unreachable_provider_is_retried_not_dead_lettered() {
    // A port nobody listens on: connection refused, a transient failure.
    let closed = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = closed.local_addr().unwrap();
    drop(closed);
    let raptor = RaptorProvider::new(&format!("http://{address}"), "c").unwrap();
    let (outbox, _dir) = outbox(Arc::new(raptor)).await;
    outbox
        .accept(vec![event(EventKind::PageView)])
        .await
        .unwrap();
    common::eventually(Duration::from_secs(5), "three retries", || {
        outbox.counters().retried() >= 3
    })
    .await;
    let status = outbox.status().await.unwrap();
    assert!(status.instance.retried >= 3, "{status:?}");
    assert_eq!(
        (status.pending, status.retrying, status.dead_letters),
        (1, 1, 0)
    );
    outbox.stop().await;
}

#[tokio::test]
async fn staff_read_the_outbox_status_with_the_token() {
    let seen = Seen::default();
    let base = loopback(seen.clone()).await;
    let raptor = RaptorProvider::new(&format!("{base}/track"), "c").unwrap();
    let (outbox, _dir) = outbox(Arc::new(raptor)).await;
    outbox
        .accept((0..3).map(|_| event(EventKind::PageView)).collect())
        .await
        .unwrap();
    settled(&outbox, 3).await;
    let token = "a-token-long-enough-for-the-admin-api";
    let admin = tracking_outbox_admin(outbox.clone(), AdminToken::new(token).unwrap());

    let (status, body) = common::admin_call(
        &admin,
        http::Method::GET,
        "/tracking/status",
        Some(token),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["provider"], "raptor");
    assert_eq!(body["pending"], 0);
    assert_eq!(body["delivered_kept"], 3);
    assert_eq!(body["dead_letters"], 0);
    assert_eq!(body["instance"]["accepted"], 3);
    assert_eq!(body["instance"]["delivered"], 3);
    assert!(body["oldest_pending_age_secs"].is_null());

    let (status, _) =
        common::admin_call(&admin, http::Method::GET, "/tracking/status", None, None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, body) = common::admin_call(
        &admin,
        http::Method::GET,
        "/tracking/dead-letters?limit=0",
        Some(token),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    let (status, body) = common::admin_call(
        &admin,
        http::Method::GET,
        "/tracking/dead-letters",
        Some(token),
        None,
    )
    .await;
    assert_eq!((status, body), (StatusCode::OK, serde_json::json!([])));
    outbox.stop().await;
}
