//! How fast the consent log records decisions: records per second and the latency of one
//! append (until it is committed) at the 50th and 99th percentile, with 1 and 32 concurrent
//! writers, on SQLite (a file, write-ahead log) and, when `LEPTOS_CONSENT_TEST_POSTGRES`
//! names a database, on PostgreSQL.
//!
//! Run: `cargo bench -p leptos-consent --features full --bench consent_log`
//! (under `cargo test` it runs once with a few records, as a smoke test).

#![allow(clippy::print_stdout)] // a benchmark prints its figures

use std::time::{Duration, Instant};

use leptos_consent::{
    CategorySet, Uuid,
    log::{ConsentLog, ConsentRecord, LogAction},
    store::Store,
};
use time::OffsetDateTime;

fn main() {
    let measure = std::env::args().any(|arg| arg == "--bench");
    let records = if measure { 20_000 } else { 64 };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(async {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let mut backends = vec![(
            "SQLite (WAL)",
            format!("sqlite://{}", dir.path().join("bench.db").display()),
        )];
        match std::env::var("LEPTOS_CONSENT_TEST_POSTGRES") {
            Ok(url) => backends.push(("PostgreSQL", url)),
            Err(_) => {
                println!("(PostgreSQL skipped: set LEPTOS_CONSENT_TEST_POSTGRES to include it)")
            }
        }
        println!(
            "{:<14}{:>9}{:>10}{:>14}{:>12}{:>12}",
            "backend", "writers", "records", "records/s", "p50", "p99"
        );
        for (name, url) in backends {
            let store = Store::connect(&url).await.expect("a store");
            let log = ConsentLog::builder(store).build();
            for writers in [1, 32] {
                let (rate, mut latencies) = run(&log, writers, records).await;
                latencies.sort();
                println!(
                    "{name:<14}{writers:>9}{records:>10}{rate:>14.0}{:>12}{:>12}",
                    format_duration(percentile(&latencies, 0.50)),
                    format_duration(percentile(&latencies, 0.99)),
                );
            }
            log.store().close().await;
        }
    });
}

/// `writers` tasks append `total` records between them; returns records/s and every
/// append's latency.
async fn run(log: &ConsentLog, writers: usize, total: usize) -> (f64, Vec<Duration>) {
    let per_writer = total / writers;
    let start = Instant::now();
    let tasks: Vec<_> = (0..writers)
        .map(|_| {
            let log = log.clone();
            tokio::spawn(async move {
                let mut latencies = Vec::with_capacity(per_writer);
                for _ in 0..per_writer {
                    let record = record();
                    let began = Instant::now();
                    log.append(record).await.expect("recorded");
                    latencies.push(began.elapsed());
                }
                latencies
            })
        })
        .collect();
    let mut latencies = Vec::with_capacity(total);
    for task in tasks {
        latencies.extend(task.await.expect("a writer"));
    }
    let elapsed = start.elapsed().as_secs_f64();
    (latencies.len() as f64 / elapsed, latencies)
}

fn record() -> ConsentRecord {
    ConsentRecord {
        id: Uuid::new_v4(),
        consent_id: Uuid::new_v4(),
        visitor_id: Some(Uuid::new_v4().into()),
        recorded_at: OffsetDateTime::now_utc().replace_nanosecond(0).expect("valid"),
        action: LogAction::Custom,
        granted: CategorySet::essential().with(leptos_consent::Category::Statistics),
        denied: CategorySet::essential().with(leptos_consent::Category::Statistics).denied(),
        policy_fingerprint: "d3ae51c860d01435".to_owned(),
        locale: "da-DK".to_owned(),
        ui_source: "banner".to_owned(),
        gpc: false,
        dnt: false,
        user_agent: Some(
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36"
                .to_owned(),
        ),
        ip: Some("203.0.113.77".to_owned()),
        services: Vec::new(),
    }
}

fn percentile(sorted: &[Duration], q: f64) -> Duration {
    sorted[((sorted.len() - 1) as f64 * q).round() as usize]
}

fn format_duration(duration: Duration) -> String {
    format!("{:.2} ms", duration.as_secs_f64() * 1000.0)
}
