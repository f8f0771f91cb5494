//! The server killed with SIGKILL in the middle of deliveries, then restarted: every event
//! it had accepted reaches the provider at least once.
//!
//! The test runs this binary twice more as the "server" (`--server <db> <provider> <port>`):
//! a process with the outbox on a SQLite file, delivering with the Raptor-style GET, and an
//! HTTP endpoint that accepts events into it (`POST /events`, `204` once committed). The
//! test itself is the shop's traffic and the analytics provider (a loopback server that
//! answers slowly, so that the kill lands while deliveries are under way).

#![allow(clippy::print_stdout)] // a test without the libtest harness reports by printing

mod common;

use std::{
    collections::{HashMap, HashSet},
    net::SocketAddr,
    process::{Child, Command},
    sync::{Arc, Mutex},
    time::Duration,
};

use axum::{
    Json, Router,
    extract::{Query, State},
    http::StatusCode,
    routing::{get, post},
};
use leptos_consent::{
    EventKind,
    dispatch::{Backoff, Outbox, RaptorProvider},
    store::Store,
    tracking::{EventSink, TrackedEvent},
};

const EVENTS: usize = 2000;
const PER_POST: usize = 50;

fn main() {
    common::harnessless(
        "sigkill_mid_delivery_loses_no_accepted_event",
        "--server",
        |args| async move { server(&args[0], &args[1], &args[2]).await },
        sigkill_mid_delivery_loses_no_accepted_event,
    );
}

/// The "server": an outbox on `db` delivering to `provider`, accepting on `port`.
async fn server(db: &str, provider: &str, port: &str) {
    let store = Store::connect(&format!("sqlite://{db}"))
        .await
        .expect("the store");
    let raptor = RaptorProvider::new(provider, "crash-test")
        .expect("the provider")
        .concurrency(4);
    let outbox = Outbox::builder(store, Arc::new(raptor))
        .lease(Duration::from_secs(2))
        .batch_size(20)
        .poll_interval(Duration::from_millis(50))
        .retry(Backoff::new(
            Duration::from_millis(50),
            Duration::from_millis(500),
        ))
        .start();
    let app = Router::new()
        .route(
            "/events",
            post(
                |State(outbox): State<Outbox>, Json(events): Json<Vec<TrackedEvent>>| async move {
                    match outbox.accept(events).await {
                        Ok(()) => StatusCode::NO_CONTENT,
                        Err(_) => StatusCode::SERVICE_UNAVAILABLE,
                    }
                },
            ),
        )
        .with_state(outbox);
    let listener = tokio::net::TcpListener::bind(format!("127.0.0.1:{port}"))
        .await
        .expect("the server's port");
    axum::serve(listener, app).await.expect("serving");
}

/// Event ids the provider received, with how often.
#[derive(Clone, Default)]
struct Received(Arc<Mutex<HashMap<String, usize>>>);

impl Received {
    fn distinct(&self) -> HashSet<String> {
        self.0.lock().unwrap().keys().cloned().collect()
    }
}

/// The provider: records `p4` (the event id), answers after 20 ms.
async fn provider(received: Received) -> String {
    let app =
        Router::new()
            .route(
                "/{file}",
                get(
                    |State(received): State<Received>,
                     Query(query): Query<HashMap<String, String>>| async move {
                        tokio::time::sleep(Duration::from_millis(20)).await;
                        if let Some(id) = query.get("p4") {
                            *received.0.lock().unwrap().entry(id.clone()).or_default() += 1;
                        }
                        StatusCode::NO_CONTENT
                    },
                ),
            )
            .with_state(received);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    format!("http://{address}")
}

fn start_server(db: &str, provider: &str, port: u16) -> Child {
    Command::new(std::env::current_exe().expect("this test binary"))
        .args(["--server", db, provider, &port.to_string()])
        .spawn()
        .expect("the server process")
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a: SocketAddr| a.port())
        .expect("a free port")
}

async fn sigkill_mid_delivery_loses_no_accepted_event() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("shop.db").display().to_string();
    let received = Received::default();
    let provider = provider(received.clone()).await;
    let port = free_port();
    let mut server = start_server(&db, &provider, port);
    let client = reqwest::Client::new();
    let url = format!("http://127.0.0.1:{port}/events");

    // The shop's traffic: only what the server answered 204 to counts as accepted.
    let mut accepted = HashSet::new();
    let events: Vec<TrackedEvent> = (0..EVENTS)
        .map(|_| common::tracked_event(EventKind::PageView, common::now_ms()))
        .collect();
    for batch in events.chunks(PER_POST) {
        let body = serde_json::to_vec(batch).unwrap();
        let mut answer = None;
        for _ in 0..200 {
            let request = client
                .post(&url)
                .header("content-type", "application/json")
                .body(body.clone());
            match request.send().await {
                Ok(response) => {
                    answer = Some(response.status());
                    break;
                }
                // Not listening yet.
                Err(_) => tokio::time::sleep(Duration::from_millis(25)).await,
            }
        }
        if answer == Some(reqwest::StatusCode::NO_CONTENT) {
            accepted.extend(batch.iter().map(|e| e.event_id.to_string()));
        }
    }
    assert_eq!(accepted.len(), EVENTS, "the server accepted every post");

    common::eventually(Duration::from_secs(60), "deliveries are under way", || {
        received.distinct().len() >= 110 // mid-batch: 20 a claim
    })
    .await;
    server.kill().expect("SIGKILL"); // std sends SIGKILL on Unix
    server.wait().expect("the killed server");
    let at_kill = received.distinct().len();
    assert!(
        at_kill < EVENTS,
        "the kill came after every delivery ({at_kill}): it proves nothing"
    );

    let mut restarted = start_server(&db, &provider, port);
    // Not a panicking wait: the restarted server must be stopped whatever happens.
    let arrived = tokio::time::timeout(Duration::from_secs(120), async {
        while !received.distinct().is_superset(&accepted) {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await;
    restarted.kill().expect("stopping the restarted server");
    let _ = restarted.wait();
    arrived.expect("every accepted event arrived within 120 s");
    let counts = received.0.lock().unwrap().clone();
    let repeated = counts.values().filter(|&&n| n > 1).count();
    println!(
        "\n  {} accepted, {at_kill} delivered before SIGKILL, all {} delivered after the \
         restart; {repeated} delivered more than once (same event id: the provider drops them)",
        accepted.len(),
        counts.len()
    );
}
