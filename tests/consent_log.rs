//! The consent log on SQLite and PostgreSQL: the same behaviour on both.

mod common;

use std::net::IpAddr;

use leptos_consent::{
    CategorySet, Uuid,
    log::{ConsentLog, ConsentRecord, IpRecording, LogAction, Recorded, Subject},
    store::Store,
    tracking::VisitorId,
};
use time::{Duration, OffsetDateTime};

both_backends!(
    appends_and_finds_by_every_subject,
    erases_one_person_and_nobody_else,
    erases_everything_before_a_date,
    retention_deletes_only_what_is_past_it,
    the_log_is_append_only,
    concurrent_appends_are_all_committed,
    a_failed_database_sends_records_to_the_journal_and_replay_moves_them,
    erasure_reaches_the_journal_too,
    an_erasure_through_another_instance_reaches_this_instances_journal,
    an_ipv4_mapped_address_is_found_and_erased_by_its_ipv4_form,
    searches_by_person_and_period_and_counts_before_a_date,
    counts_decisions_per_day_and_keeps_the_counts_of_days_that_are_over,
);

fn record(consent_id: Uuid, ip: &str, recorded_at: OffsetDateTime) -> ConsentRecord {
    ConsentRecord {
        id: Uuid::new_v4(),
        consent_id,
        visitor_id: None,
        recorded_at: recorded_at.replace_nanosecond(0).unwrap(),
        action: LogAction::Custom,
        granted: CategorySet::essential().with(leptos_consent::Category::Statistics),
        denied: CategorySet::essential()
            .with(leptos_consent::Category::Statistics)
            .denied(),
        policy_fingerprint: "0123456789abcdef".to_owned(),
        locale: "da".to_owned(),
        ui_source: "banner".to_owned(),
        gpc: true,
        dnt: true,
        user_agent: Some("Mozilla/5.0 (X11; Linux x86_64)".to_owned()),
        ip: Some(ip.to_owned()),
        services: Vec::new(),
    }
}

fn now() -> OffsetDateTime {
    OffsetDateTime::now_utc()
}

async fn appends_and_finds_by_every_subject(store: Store, _url: String) {
    let log = ConsentLog::builder(store).build();
    let alice = Uuid::new_v4();
    let visitor = VisitorId::from(Uuid::new_v4());
    let first = record(alice, "203.0.113.5", now() - Duration::minutes(5));
    let mut second = record(alice, "203.0.113.5", now());
    second.action = LogAction::Reset;
    second.visitor_id = Some(visitor.clone());
    let bob = record(Uuid::new_v4(), "198.51.100.7", now());
    for r in [&first, &second, &bob] {
        assert_eq!(log.append(r.clone()).await.unwrap(), Recorded::Database);
    }
    assert_eq!(
        log.find(Subject::ConsentId(alice)).await.unwrap(),
        [first.clone(), second.clone()]
    );
    assert_eq!(
        log.find(Subject::VisitorId(visitor)).await.unwrap(),
        [second.clone()]
    );
    let ip: IpAddr = "203.0.113.5".parse().unwrap();
    assert_eq!(log.find(Subject::Ip(ip)).await.unwrap(), [first, second]);
    assert!(
        log.find(Subject::ConsentId(Uuid::new_v4()))
            .await
            .unwrap()
            .is_empty()
    );
}

/// A dual-stack listener reports an IPv4 client as `::ffff:203.0.113.7`: entries stored
/// that way (as older versions did) are found and erased by the address the shopper knows,
/// and the IPv4 form finds nobody else.
async fn an_ipv4_mapped_address_is_found_and_erased_by_its_ipv4_form(store: Store, _url: String) {
    let log = ConsentLog::builder(store).build();
    let mapped = record(Uuid::new_v4(), "::ffff:203.0.113.7", now());
    let other = record(Uuid::new_v4(), "203.0.113.8", now());
    for r in [&mapped, &other] {
        log.append(r.clone()).await.unwrap();
    }
    let ip: IpAddr = "203.0.113.7".parse().unwrap();
    assert_eq!(
        log.find(Subject::Ip(ip)).await.unwrap(),
        std::slice::from_ref(&mapped)
    );
    let as_mapped: IpAddr = "::ffff:203.0.113.7".parse().unwrap();
    assert_eq!(log.find(Subject::Ip(as_mapped)).await.unwrap(), [mapped]);
    assert_eq!(log.erase(Subject::Ip(ip)).await.unwrap(), 1);
    assert!(log.find(Subject::Ip(ip)).await.unwrap().is_empty());
    assert_eq!(
        log.find(Subject::ConsentId(other.consent_id))
            .await
            .unwrap(),
        [other]
    );
    // What is recorded from now on is the canonical address.
    assert_eq!(
        IpRecording::Full.record(as_mapped).as_deref(),
        Some("203.0.113.7")
    );
    assert_eq!(
        IpRecording::Truncated.record(as_mapped).as_deref(),
        Some("203.0.113.0")
    );
}

async fn erases_one_person_and_nobody_else(store: Store, _url: String) {
    let log = ConsentLog::builder(store).build();
    let alice = Uuid::new_v4();
    let bob = Uuid::new_v4();
    for r in [
        record(alice, "203.0.113.5", now()),
        record(alice, "203.0.113.6", now()),
        record(bob, "203.0.113.5", now()),
    ] {
        log.append(r).await.unwrap();
    }
    assert_eq!(log.erase(Subject::ConsentId(alice)).await.unwrap(), 2);
    assert!(
        log.find(Subject::ConsentId(alice))
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(log.find(Subject::ConsentId(bob)).await.unwrap().len(), 1);
    // By address: Bob's entry shares Alice's first address.
    assert_eq!(
        log.erase(Subject::Ip("203.0.113.5".parse().unwrap()))
            .await
            .unwrap(),
        1
    );
    assert!(log.find(Subject::ConsentId(bob)).await.unwrap().is_empty());
}

async fn erases_everything_before_a_date(store: Store, _url: String) {
    let log = ConsentLog::builder(store).build();
    let id = Uuid::new_v4();
    for days_ago in [400, 200, 10, 0] {
        log.append(record(id, "192.0.2.1", now() - Duration::days(days_ago)))
            .await
            .unwrap();
    }
    assert_eq!(
        log.erase_before(now() - Duration::days(100)).await.unwrap(),
        2
    );
    assert_eq!(log.find(Subject::ConsentId(id)).await.unwrap().len(), 2);
}

async fn retention_deletes_only_what_is_past_it(store: Store, _url: String) {
    let log = ConsentLog::builder(store).retention_days(365).build();
    let id = Uuid::new_v4();
    let kept = record(id, "192.0.2.1", now() - Duration::days(364));
    log.append(record(id, "192.0.2.1", now() - Duration::days(366)))
        .await
        .unwrap();
    log.append(record(id, "192.0.2.1", now() - Duration::days(6 * 365)))
        .await
        .unwrap();
    log.append(kept.clone()).await.unwrap();
    assert_eq!(log.apply_retention().await.unwrap(), 2);
    assert_eq!(log.find(Subject::ConsentId(id)).await.unwrap(), [kept]);
}

async fn the_log_is_append_only(store: Store, url: String) {
    let log = ConsentLog::builder(store).build();
    let id = Uuid::new_v4();
    log.append(record(id, "192.0.2.1", now())).await.unwrap();
    // Straight SQL, as any other code in the app could try it.
    let sql = "UPDATE consent_log SET action = 'accept_all'";
    let refused = if url.starts_with("sqlite:") {
        let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
        sqlx::query(sql).execute(&pool).await.unwrap_err()
    } else {
        let pool = sqlx::PgPool::connect(&url).await.unwrap();
        sqlx::query(sql).execute(&pool).await.unwrap_err()
    };
    assert!(refused.to_string().contains("append-only"), "{refused}");
    assert_eq!(
        log.find(Subject::ConsentId(id)).await.unwrap()[0].action,
        LogAction::Custom
    );
}

async fn concurrent_appends_are_all_committed(store: Store, _url: String) {
    let log = ConsentLog::builder(store).build();
    let id = Uuid::new_v4();
    let appends: Vec<_> = (0..200)
        .map(|_| {
            let log = log.clone();
            tokio::spawn(async move { log.append(record(id, "192.0.2.1", now())).await })
        })
        .collect();
    for append in appends {
        assert_eq!(append.await.unwrap().unwrap(), Recorded::Database);
    }
    assert_eq!(log.find(Subject::ConsentId(id)).await.unwrap().len(), 200);
}

async fn a_failed_database_sends_records_to_the_journal_and_replay_moves_them(
    store: Store,
    url: String,
) {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("journal.jsonl");
    let id = Uuid::new_v4();
    let kept = record(id, "192.0.2.1", now());

    // The database goes away (a closed pool refuses every query).
    store.close().await;
    let down = ConsentLog::builder(store).journal(&journal).build();
    assert_eq!(down.append(kept.clone()).await.unwrap(), Recorded::Journal);
    assert_eq!(
        std::fs::read_to_string(&journal).unwrap().lines().count(),
        1
    );
    // Without a journal the record is refused (and logged in full).
    let (closed, _guard) = common::sqlite_store().await;
    closed.close().await;
    let nowhere = ConsentLog::builder(closed).build();
    assert_eq!(nowhere.append(kept.clone()).await.unwrap_err().id, kept.id);

    // Back up: the replay moves the record, once.
    let up = ConsentLog::builder(Store::connect(&url).await.unwrap())
        .journal(&journal)
        .build();
    assert_eq!(up.replay_journal().await.unwrap(), 1);
    assert_eq!(
        up.replay_journal().await.unwrap(),
        0,
        "the journal is empty after a replay"
    );
    assert_eq!(
        up.find(Subject::ConsentId(id)).await.unwrap(),
        std::slice::from_ref(&kept)
    );
    assert!(!journal.exists());

    // A replay interrupted after the insert stores the record once.
    std::fs::write(
        &journal,
        format!("{}\n", serde_json::to_string(&kept).unwrap()),
    )
    .unwrap();
    assert_eq!(up.replay_journal().await.unwrap(), 1);
    assert_eq!(up.find(Subject::ConsentId(id)).await.unwrap().len(), 1);
}

async fn erasure_reaches_the_journal_too(store: Store, url: String) {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("journal.jsonl");
    let alice = Uuid::new_v4();
    let bob = Uuid::new_v4();
    store.close().await;
    let down = ConsentLog::builder(store)
        .journal(&journal)
        .ip_recording(IpRecording::Truncated)
        .build();
    down.append(record(alice, "192.0.2.1", now()))
        .await
        .unwrap();
    down.append(record(bob, "192.0.2.2", now())).await.unwrap();

    let up = ConsentLog::builder(Store::connect(&url).await.unwrap())
        .journal(&journal)
        .build();
    assert_eq!(up.erase(Subject::ConsentId(alice)).await.unwrap(), 1);
    assert_eq!(
        up.replay_journal().await.unwrap(),
        1,
        "only Bob's record is left to replay"
    );
    assert!(up.find(Subject::ConsentId(alice)).await.unwrap().is_empty());
}

/// Two instances of a shop share the database; each has its own journal. While instance A
/// could not reach the database, it journaled decisions; staff then erased a shopper and
/// purged old entries through instance B. A's later replay must not bring them back.
async fn an_erasure_through_another_instance_reaches_this_instances_journal(
    store: Store,
    url: String,
) {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("instance-a.jsonl");
    let visitor = VisitorId::from(Uuid::new_v4());
    let by_ip = record(Uuid::new_v4(), "192.0.2.1", now() - Duration::minutes(1));
    let mut by_visitor = record(Uuid::new_v4(), "192.0.2.9", now() - Duration::minutes(1));
    by_visitor.visitor_id = Some(visitor.clone());
    let old = record(Uuid::new_v4(), "192.0.2.8", now() - Duration::days(40));
    let kept = record(Uuid::new_v4(), "192.0.2.2", now() - Duration::minutes(1));
    // The same address decides again after the erasure: a new consent, kept.
    let later = record(Uuid::new_v4(), "192.0.2.1", now() + Duration::minutes(5));
    let down = ConsentLog::builder(Store::connect(&url).await.unwrap())
        .journal(&journal)
        .build();
    down.store().close().await;
    for r in [&by_ip, &by_visitor, &old, &kept, &later] {
        assert_eq!(down.append(r.clone()).await.unwrap(), Recorded::Journal);
    }

    let instance_b = ConsentLog::builder(store).build();
    // An IPv4-mapped form of the address, as a dual-stack listener reports it.
    let mapped: IpAddr = "::ffff:192.0.2.1".parse().unwrap();
    instance_b.erase(Subject::Ip(mapped)).await.unwrap();
    instance_b
        .erase(Subject::VisitorId(visitor.clone()))
        .await
        .unwrap();
    instance_b
        .erase_before(now() - Duration::days(30))
        .await
        .unwrap();

    let instance_a = ConsentLog::builder(Store::connect(&url).await.unwrap())
        .journal(&journal)
        .build();
    assert_eq!(instance_a.replay_journal().await.unwrap(), 2);
    let found = |subject| {
        let log = instance_b.clone();
        async move { log.find(subject).await.unwrap() }
    };
    assert_eq!(
        found(Subject::Ip("192.0.2.1".parse().unwrap())).await,
        std::slice::from_ref(&later)
    );
    assert!(found(Subject::VisitorId(visitor)).await.is_empty());
    assert!(found(Subject::ConsentId(old.consent_id)).await.is_empty());
    assert_eq!(
        found(Subject::ConsentId(kept.consent_id)).await,
        std::slice::from_ref(&kept)
    );
}

/// Checkpoints run in the background, not in the shoppers' commits: the write-ahead log must
/// still be copied back and emptied, not grow with every record.
#[tokio::test]
async fn the_sqlite_write_ahead_log_stays_bounded() {
    let (store, dir) = common::sqlite_store().await;
    let wal = dir.path().join("consent.db-wal");
    let log = ConsentLog::builder(store).build();
    for round in 0..3 {
        let appends: Vec<_> = (0..1500)
            .map(|_| {
                let log = log.clone();
                tokio::spawn(
                    async move { log.append(record(Uuid::new_v4(), "192.0.2.1", now())).await },
                )
            })
            .collect();
        for append in appends {
            append.await.unwrap().unwrap();
        }
        // 1,500 records write over a megabyte to the log; after the checkpoint interval it
        // is back to (nearly) nothing, round after round.
        tokio::time::sleep(std::time::Duration::from_millis(2500)).await;
        let size = std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0);
        assert!(
            size < 64 * 1024,
            "round {round}: the write-ahead log has {size} bytes"
        );
    }
    assert_eq!(
        log.find(Subject::Ip("192.0.2.1".parse().unwrap()))
            .await
            .unwrap()
            .len(),
        4500
    );
}

async fn searches_by_person_and_period_and_counts_before_a_date(store: Store, _url: String) {
    let log = ConsentLog::builder(store).build();
    let alice = Uuid::new_v4();
    let old = record(alice, "203.0.113.9", now() - Duration::days(40));
    let recent = record(alice, "203.0.113.9", now() - Duration::days(2));
    let bob = record(Uuid::new_v4(), "198.51.100.9", now() - Duration::days(1));
    for r in [&old, &recent, &bob] {
        log.append(r.clone()).await.unwrap();
    }
    let alice_id = Subject::ConsentId(alice);
    // A person: oldest first, within the period.
    assert_eq!(
        log.search(Some(&alice_id), None, None, 100).await.unwrap(),
        [old.clone(), recent.clone()]
    );
    let week_ago = now() - Duration::days(7);
    assert_eq!(
        log.search(Some(&alice_id), Some(week_ago), None, 100)
            .await
            .unwrap(),
        std::slice::from_ref(&recent)
    );
    assert_eq!(
        log.search(Some(&alice_id), None, Some(week_ago), 100)
            .await
            .unwrap(),
        std::slice::from_ref(&old)
    );
    // Anyone in a period: the newest first, limited.
    let in_week = log.search(None, Some(week_ago), None, 100).await.unwrap();
    assert_eq!(in_week, [bob.clone(), recent.clone()]);
    assert_eq!(
        log.search(None, Some(week_ago), None, 1).await.unwrap(),
        [bob]
    );
    // The purge's preview counts what a purge deletes.
    let month_ago = now() - Duration::days(30);
    assert_eq!(log.count_before(month_ago).await.unwrap(), 1);
    assert_eq!(log.erase_before(month_ago).await.unwrap(), 1);
    assert_eq!(log.count_before(month_ago).await.unwrap(), 0);
}

async fn counts_decisions_per_day_and_keeps_the_counts_of_days_that_are_over(
    store: Store,
    _url: String,
) {
    use leptos_consent::log::DailyCount;

    let log = ConsentLog::builder(store).build();
    let today = now().date();
    let three_days_ago = now() - Duration::days(3);
    let mut accepted = record(Uuid::new_v4(), "203.0.113.30", three_days_ago);
    accepted.action = LogAction::AcceptAll;
    accepted.granted = CategorySet::all();
    let mut rejected = record(Uuid::new_v4(), "203.0.113.31", three_days_ago);
    rejected.action = LogAction::RejectAll;
    rejected.granted = CategorySet::essential();
    rejected.gpc = false;
    let custom = record(Uuid::new_v4(), "203.0.113.32", now());
    for r in [&accepted, &rejected, &custom] {
        log.append(r.clone()).await.unwrap();
    }
    let counts = |mut counts: Vec<DailyCount>| {
        counts.sort_by_key(|c| (c.day, c.action.as_str()));
        counts
            .into_iter()
            .map(|c| (c.day, c.action, c.gpc, c.decisions))
            .collect::<Vec<_>>()
    };
    let expected = vec![
        (three_days_ago.date(), LogAction::AcceptAll, true, 1),
        (three_days_ago.date(), LogAction::RejectAll, false, 1),
        (today, LogAction::Custom, true, 1),
    ];
    let week = || log.daily_counts(today - Duration::days(7), today + Duration::days(1));
    assert_eq!(counts(week().await.unwrap()), expected);
    // A day that is over keeps its (anonymous) counts after an erasure; today is live.
    log.erase(Subject::ConsentId(accepted.consent_id))
        .await
        .unwrap();
    assert_eq!(counts(week().await.unwrap()), expected);
    log.erase(Subject::ConsentId(custom.consent_id))
        .await
        .unwrap();
    assert_eq!(counts(week().await.unwrap()), expected[..2]);
    // Another period reads the same kept counts.
    let day = three_days_ago.date();
    assert_eq!(
        counts(
            log.daily_counts(day, day + Duration::days(1))
                .await
                .unwrap()
        ),
        expected[..2]
    );
}
