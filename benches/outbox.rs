//! How fast the tracking outbox takes and delivers events:
//!
//! - **accepted/s**: events committed to the outbox (the sink's `accept` returned), from 64
//!   concurrent callers with one event each ("single", server-side events during SSR) and
//!   from 8 concurrent callers with 50 each ("batched", the collect endpoint's largest
//!   post), with the time-ordered ids (uuid v7) the crate gives events, and once with
//!   random v4 ids (what a foreign sender may post: each one lands on another page of the
//!   dedupe index), on SQLite (a file, write-ahead log) and, when `LEPTOS_CONSENT_TEST_POSTGRES`
//!   names a database, on PostgreSQL;
//! - **delivered/s**: a backlog delivered by one dispatcher to a loopback provider (a local
//!   HTTP server answering `204`), through the Raptor-style GET (one request per event, 16
//!   at a time) and the JSON webhook (100 events per POST), until every event is marked
//!   delivered in the store;
//! - **live**: events accepted by 64 concurrent callers, one each, while the outbox's own
//!   dispatcher delivers them to the webhook (a shop under load: they are handed to it in
//!   memory), from the first accept until the last is marked delivered.
//!
//! Run: `cargo bench -p leptos-consent --features full --bench outbox`
//! (under `cargo test` it runs once with a few events, as a smoke test).

#![allow(clippy::print_stdout)] // a benchmark prints its figures

use std::{
    sync::Arc,
    time::{Duration, Instant},
};

use axum::{
    Router,
    http::StatusCode,
    routing::{get, post},
};
use leptos_consent::{
    CategorySet, Event, EventKind, Uuid,
    dispatch::{Outbox, Provider, RaptorProvider, WebhookProvider},
    store::Store,
    tracking::{EventSink, EventSource, TrackedEvent, TrackingIds},
};

fn main() {
    let measure = std::env::args().any(|arg| arg == "--bench");
    let (accepts, deliveries) = if measure {
        (50_000, 20_000)
    } else {
        (800, 800)
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(async {
        let provider = loopback().await;
        let dir = tempfile::tempdir().expect("a temporary directory");
        // `None`: a fresh SQLite file per measurement; `Some(url)`: PostgreSQL, emptied.
        let mut backends: Vec<(&str, Option<String>)> = vec![("SQLite (WAL)", None)];
        match std::env::var("LEPTOS_CONSENT_TEST_POSTGRES") {
            Ok(url) => backends.push(("PostgreSQL", Some(url))),
            Err(_) => {
                println!("(PostgreSQL skipped: set LEPTOS_CONSENT_TEST_POSTGRES to include it)")
            }
        }
        let url = |postgres: &Option<String>, name: &str| {
            postgres.clone().unwrap_or_else(|| {
                let file = name.replace(|c: char| !c.is_ascii_alphanumeric(), "_");
                format!(
                    "sqlite://{}",
                    dir.path().join(format!("{file}.db")).display()
                )
            })
        };
        println!(
            "{:<14}{:<34}{:>9}{:>14}",
            "backend", "measure", "events", "events/s"
        );
        for (backend, postgres) in &backends {
            for (name, callers, per_call, id) in [
                ("accept, single", 64, 1, Uuid::now_v7 as fn() -> Uuid),
                ("accept, batched", 8, 50, Uuid::now_v7),
                ("accept, batched, v4 ids", 8, 50, Uuid::new_v4),
            ] {
                let store = fresh(&url(postgres, name)).await;
                let outbox = idle_outbox(store.clone()).await;
                let rate = accept(&outbox, callers, per_call, accepts, id).await;
                println!(
                    "{backend:<14}{:<34}{accepts:>9}{rate:>14.0}",
                    format!("{name} ({callers}×{per_call})")
                );
                store.close().await;
            }
            let adapters: [(&str, Arc<dyn Provider>); 2] = [
                (
                    "deliver, Raptor GET (16 at a time)",
                    Arc::new(RaptorProvider::new(&provider, "bench").expect("the provider")),
                ),
                (
                    "deliver, webhook (100 a POST)",
                    Arc::new(
                        WebhookProvider::new(&format!("{provider}/events")).expect("the webhook"),
                    ),
                ),
            ];
            for (name, adapter) in adapters {
                let store = fresh(&url(postgres, name)).await;
                let outbox = idle_outbox(store.clone()).await;
                accept(&outbox, 8, 50, deliveries, Uuid::now_v7).await;
                let rate = deliver(store.clone(), adapter, deliveries).await;
                println!("{backend:<14}{name:<34}{deliveries:>9}{rate:>14.0}");
                store.close().await;
            }
            let name = "accept and deliver, live (64×1)";
            let store = fresh(&url(postgres, name)).await;
            let webhook = WebhookProvider::new(&format!("{provider}/events")).expect("the webhook");
            let (events, rate) =
                accept_and_deliver(store.clone(), Arc::new(webhook), 64, deliveries).await;
            println!("{backend:<14}{name:<34}{events:>9}{rate:>14.0}");
            store.close().await;
        }
    });
}

/// A store with an empty outbox.
async fn fresh(url: &str) -> Store {
    let store = Store::connect(url).await.expect("a store");
    let pool_url = url.to_owned();
    if pool_url.starts_with("postgres") {
        let pool = sqlx::PgPool::connect(&pool_url).await.expect("PostgreSQL");
        sqlx::query("DELETE FROM tracking_outbox")
            .execute(&pool)
            .await
            .expect("emptied");
        pool.close().await;
    }
    store
}

/// An outbox whose dispatcher is stopped: only `accept` is measured.
async fn idle_outbox(store: Store) -> Outbox {
    let nowhere: Arc<dyn Provider> = Arc::new(
        RaptorProvider::new("http://127.0.0.1:9", "idle").expect("a provider that is never used"),
    );
    let outbox = Outbox::builder(store, nowhere).start();
    outbox.stop().await;
    outbox
}

/// `callers` tasks accept `total` events between them, `per_call` at a time, with ids from
/// `id`; events/s.
async fn accept(
    outbox: &Outbox,
    callers: usize,
    per_call: usize,
    total: usize,
    id: fn() -> Uuid,
) -> f64 {
    let calls_per_caller = total / callers / per_call;
    let start = Instant::now();
    let tasks: Vec<_> = (0..callers)
        .map(|_| {
            let outbox = outbox.clone();
            tokio::spawn(async move {
                for _ in 0..calls_per_caller {
                    let events = (0..per_call).map(|_| event(id())).collect();
                    outbox.accept(events).await.expect("accepted");
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.expect("a caller");
    }
    (callers * calls_per_caller * per_call) as f64 / start.elapsed().as_secs_f64()
}

/// Starts a dispatcher on a backlog of `total` events; events/s until all are delivered.
async fn deliver(store: Store, provider: Arc<dyn Provider>, total: usize) -> f64 {
    let start = Instant::now();
    let outbox = Outbox::builder(store, provider)
        .poll_interval(Duration::from_millis(5))
        .start();
    // The counter, not `status()`: its counts would load the database being measured.
    while outbox.counters().delivered() < total as u64 {
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    let elapsed = start.elapsed();
    let status = outbox.status().await.expect("the status");
    assert_eq!(
        (status.pending, status.delivered_kept),
        (0, total as u64),
        "{status:?}"
    );
    let rate = total as f64 / elapsed.as_secs_f64();
    outbox.stop().await;
    rate
}

/// `callers` tasks accept about `total` events, one at a time, while the outbox delivers
/// them to `provider`: the events, and events/s from the first accept until the last is
/// marked delivered.
async fn accept_and_deliver(
    store: Store,
    provider: Arc<dyn Provider>,
    callers: usize,
    total: usize,
) -> (usize, f64) {
    let outbox = Outbox::builder(store, provider).start();
    let events = callers * (total / callers);
    let start = Instant::now();
    accept(&outbox, callers, 1, events, Uuid::now_v7).await;
    while outbox.counters().delivered() < events as u64 {
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    let rate = events as f64 / start.elapsed().as_secs_f64();
    outbox.stop().await;
    (events, rate)
}

/// A provider on loopback that takes everything: `GET /{customer}.rsa`, `POST /events`.
async fn loopback() -> String {
    let app = Router::new()
        .route("/events", post(|| async { StatusCode::OK }))
        .route("/{file}", get(|| async { StatusCode::NO_CONTENT }));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a port");
    let address = listener.local_addr().expect("its address");
    tokio::spawn(async move { axum::serve(listener, app).await });
    format!("http://{address}")
}

fn event(event_id: Uuid) -> TrackedEvent {
    TrackedEvent {
        event_id,
        occurred_at_ms: std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_millis() as i64),
        event: Event::new(EventKind::ProductView).product("sku-12345"),
        ids: TrackingIds {
            visitor: Uuid::new_v4().into(),
            session: Uuid::new_v4().to_string(),
            user: None,
            reaid: None,
            xuid: None,
        },
        page: "/products/sku-12345?color=blue".into(),
        consent: CategorySet::all(),
        source: EventSource::Server,
    }
}
