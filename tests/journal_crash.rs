//! The server killed with SIGKILL in the middle of a consent-journal replay, then restarted
//! and replayed again: every journaled record is in the consent log, once.
//!
//! The test writes a journal of many records (what the log kept while its database was
//! down), then runs this binary as the "server" (`--replay <db> <journal>`), which replays
//! it into a SQLite log and is killed while the replay's transaction is under way. A second
//! replay, in this process, must finish the job.

#![allow(clippy::print_stdout)] // a test without the libtest harness reports by printing

mod common;

use std::{
    io::{BufRead, BufReader, Write},
    process::{Command, Stdio},
    time::Duration,
};

use leptos_consent::{
    CategorySet, Uuid,
    log::{ConsentLog, ConsentRecord, LogAction, Subject},
    store::Store,
};

const RECORDS: usize = 60_000;

fn main() {
    common::harnessless(
        "sigkill_mid_replay_loses_and_doubles_no_record",
        "--replay",
        |args| async move { replay(&args[0], &args[1]).await },
        sigkill_mid_replay_loses_and_doubles_no_record,
    );
}

async fn log(db: &str, journal: &str) -> ConsentLog {
    let store = Store::connect(&format!("sqlite://{db}"))
        .await
        .expect("the store");
    ConsentLog::builder(store).journal(journal).build()
}

/// The "server": replays `journal` into the log on `db`, saying when it starts.
async fn replay(db: &str, journal: &str) {
    let log = log(db, journal).await;
    println!("replaying");
    std::io::stdout().flush().expect("stdout");
    let moved = log.replay_journal().await.expect("the replay");
    println!("replayed {moved}");
}

fn record(consent_id: Uuid) -> ConsentRecord {
    ConsentRecord {
        id: Uuid::new_v4(),
        consent_id,
        visitor_id: None,
        recorded_at: time::OffsetDateTime::now_utc()
            .replace_nanosecond(0)
            .unwrap(),
        action: LogAction::AcceptAll,
        granted: CategorySet::all(),
        denied: CategorySet::all().denied(),
        policy_fingerprint: "0123456789abcdef".to_owned(),
        locale: "en".to_owned(),
        ui_source: "banner".to_owned(),
        gpc: false,
        dnt: false,
        user_agent: Some("Mozilla/5.0 (crash test)".to_owned()),
        ip: Some("203.0.113.9".to_owned()),
        services: Vec::new(),
    }
}

async fn sigkill_mid_replay_loses_and_doubles_no_record() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let db = dir.path().join("consent.db");
    let journal = dir.path().join("consent-journal.jsonl");
    let (db, journal) = (db.to_str().unwrap(), journal.to_str().unwrap());
    // The database exists (migrated) before the server starts.
    drop(log(db, journal).await);
    let consent_id = Uuid::new_v4();
    let records: Vec<ConsentRecord> = (0..RECORDS).map(|_| record(consent_id)).collect();
    let mut lines = Vec::new();
    for record in &records {
        lines.extend(serde_json::to_vec(record).unwrap());
        lines.push(b'\n');
    }
    std::fs::write(journal, lines).expect("the journal");

    let mut server = Command::new(std::env::current_exe().expect("this binary"))
        .args(["--replay", db, journal])
        .stdout(Stdio::piped())
        .spawn()
        .expect("the server");
    let mut out = BufReader::new(server.stdout.take().unwrap());
    let mut line = String::new();
    out.read_line(&mut line).expect("the server's first line");
    assert_eq!(line.trim(), "replaying");
    // Inside the replay: once the journal has left its place (renamed for the replay, or,
    // before, read and deleted), the insert is under way; kill it there.
    let started = std::time::Instant::now();
    while std::path::Path::new(journal).exists() {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the replay never started"
        );
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    tokio::time::sleep(Duration::from_millis(30)).await;
    server.kill().expect("SIGKILL");
    let status = server.wait().expect("the server's end");
    let mut rest = String::new();
    let _ = std::io::Read::read_to_string(&mut out, &mut rest);
    assert!(
        !rest.contains("replayed"),
        "the replay finished before the kill ({status}): {rest:?}"
    );

    // The restarted server replays again: everything, once.
    let log = log(db, journal).await;
    let moved = log.replay_journal().await.expect("the second replay");
    let stored = log
        .find(Subject::ConsentId(consent_id))
        .await
        .expect("the log");
    let mut ids: Vec<Uuid> = stored.iter().map(|r| r.id).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), stored.len(), "no record twice");
    let mut expected: Vec<Uuid> = records.iter().map(|r| r.id).collect();
    expected.sort();
    assert_eq!(ids.len(), RECORDS, "every journaled record is in the log");
    assert!(
        ids == expected,
        "the log holds exactly the journaled records"
    );
    assert_eq!(
        log.replay_journal().await.unwrap(),
        0,
        "nothing left to replay"
    );
    print!(
        "\n  {RECORDS} journaled, killed mid-replay, {moved} replayed after the restart, all {RECORDS} in the log once\n"
    );
}
