//! The GDPR consent log: proof of every decision (GDPR Art. 7(1)).
//!
//! Every decision (first choice, change, withdrawal, passive-info acknowledgement, the
//! `?ChangeCookiePolicyConsent=1` reset) is appended before the shopper's response is sent.
//! Appends go through one writer task that commits them in groups, so that many shoppers
//! deciding at once cost one transaction, not one each.
//!
//! **If the database cannot take a record**, it is appended to the fallback journal (a local
//! file, flushed to disk) and [`ConsentLog::replay_journal`] moves it into the database
//! later; the retention task does that on every run. If the journal cannot be written
//! either, the whole record is logged at error level. The shopper's decision takes effect in
//! every case: a database outage never breaks the page.
//!
//! Retention deletes entries older than five years (configurable); data-subject requests
//! find, export and erase one person's entries by IP address, visitor id or consent id.

mod analytics;
mod erasures;
mod journal;
mod record;
mod recorder;

use std::{collections::HashMap, num::NonZeroU32, path::PathBuf, sync::Arc, time::Duration};

pub use analytics::DailyCount;
use record::stored_forms;
pub use record::{ConsentRecord, IpRecording, LogAction, Subject};
use time::OffsetDateTime;

use self::journal::{Journal, ReplayError};
use crate::{
    rate_limit::ClientLimiter,
    store::{Backend, Store, StoreError, group_commit::GroupCommit, with_pool},
    tracking::VisitorId,
};

/// The most records one transaction commits.
const MAX_BATCH: usize = 256;

const INSERT_COLUMNS: &str = "INSERT INTO consent_log \
    (id, consent_id, visitor_id, recorded_at, action, granted, denied, policy_fingerprint, \
     locale, ui_source, gpc, dnt, user_agent, ip, services) ";

const SELECT: &str = "SELECT id, consent_id, visitor_id, recorded_at, action, granted, denied, \
    policy_fingerprint, locale, ui_source, gpc, dnt, user_agent, ip, services FROM consent_log";

/// The consent log of a shop. Cheap to clone; must be created inside a Tokio runtime (it
/// starts its writer task).
///
/// ```no_run
/// use leptos_consent::{log::{ConsentLog, IpRecording, Subject}, store::Store};
///
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// let store = Store::connect("sqlite://data/shop.db").await?;
/// let log = ConsentLog::builder(store)
///     .journal("data/consent-journal.jsonl")
///     .ip_recording(IpRecording::Truncated)
///     .build();
/// log.spawn_retention(std::time::Duration::from_secs(6 * 3600));
/// let entries = log.find(Subject::Ip("203.0.113.7".parse()?)).await?;
/// # Ok(()) }
/// ```
#[derive(Clone, Debug)]
pub struct ConsentLog {
    inner: Arc<Inner>,
}

impl ConsentLog {
    /// The default retention: five years (1,826 days, leap days included).
    pub const DEFAULT_RETENTION_DAYS: u32 = 1826;
    /// The default limit on decisions (and resets) per client IP address and minute.
    pub const DEFAULT_DECISIONS_PER_MINUTE: u32 = 30;
}

#[derive(Debug)]
struct Inner {
    store: Store,
    writer: GroupCommit<ConsentRecord>,
    journal: Option<Journal>,
    ip_recording: IpRecording,
    retention: Duration,
    limiter: Option<ClientLimiter>,
}

/// Where an appended record ended up.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Recorded {
    /// Committed to the database.
    Database,
    /// The database failed; the record is in the fallback journal, to be replayed.
    Journal,
}

/// A record that could not be kept anywhere (it has been logged at error level in full).
#[derive(Debug, thiserror::Error)]
#[error("consent record {id} could not be stored ({database}) nor journaled ({journal})")]
pub struct NotRecorded {
    /// The record's id.
    pub id: uuid::Uuid,
    /// Why the database did not take it.
    pub database: String,
    /// Why the journal did not take it (or that there is none).
    pub journal: String,
}

/// Builds a [`ConsentLog`].
#[derive(Debug)]
#[must_use]
pub struct ConsentLogBuilder {
    store: Store,
    journal: Option<PathBuf>,
    ip_recording: IpRecording,
    retention_days: u32,
    decisions_per_minute: Option<NonZeroU32>,
}

impl ConsentLogBuilder {
    /// The fallback journal's file (recommended: a local path that survives restarts).
    /// Without one, a record the database refuses is only written to the error log.
    pub fn journal(mut self, path: impl Into<PathBuf>) -> Self {
        self.journal = Some(path.into());
        self
    }

    /// How much of the client's IP address is kept (default: all of it).
    pub fn ip_recording(mut self, recording: IpRecording) -> Self {
        self.ip_recording = recording;
        self
    }

    /// How long entries are kept, in days (default [`ConsentLog::DEFAULT_RETENTION_DAYS`], five years;
    /// at least one day).
    pub fn retention_days(mut self, days: u32) -> Self {
        self.retention_days = days.max(1);
        self
    }

    /// The most decisions (and resets, and "delete my cookies") one client IP address may
    /// record per minute (default [`ConsentLog::DEFAULT_DECISIONS_PER_MINUTE`]); more get `429 Too Many
    /// Requests` from the [`ConsentLayer`](crate::ConsentLayer), so that nobody can fill
    /// the log with fake decisions. The address comes from
    /// [`ClientIp`](crate::ClientIp).
    pub fn decisions_per_minute(mut self, limit: NonZeroU32) -> Self {
        self.decisions_per_minute = Some(limit);
        self
    }

    /// No limit on decisions per client.
    ///
    /// ⚠️ Anyone can then fill the consent log with fake decisions as fast as the server
    /// accepts requests; keep a limit unless something in front of the shop limits them.
    pub fn no_rate_limit(mut self) -> Self {
        self.decisions_per_minute = None;
        self
    }

    /// Starts the log's writer task.
    ///
    /// # Panics
    ///
    /// Outside a Tokio runtime.
    pub fn build(self) -> ConsentLog {
        let store = self.store.clone();
        let writer = GroupCommit::spawn(
            MAX_BATCH,
            Box::new(move |records: Vec<ConsentRecord>| {
                let store = store.clone();
                Box::pin(async move {
                    insert(&store, &records, Erasures::Ignore)
                        .await
                        .map(drop)
                        .map_err(|e| e.to_string())
                })
            }),
        );
        ConsentLog {
            inner: Arc::new(Inner {
                store: self.store,
                writer,
                journal: self.journal.map(Journal::new),
                ip_recording: self.ip_recording,
                retention: Duration::from_secs(u64::from(self.retention_days) * 86_400),
                limiter: self.decisions_per_minute.map(ClientLimiter::new),
            }),
        }
    }
}

impl ConsentLog {
    /// Starts a log on `store`: no journal, full IP addresses, five years' retention.
    pub fn builder(store: Store) -> ConsentLogBuilder {
        ConsentLogBuilder {
            store,
            journal: None,
            ip_recording: IpRecording::default(),
            retention_days: ConsentLog::DEFAULT_RETENTION_DAYS,
            decisions_per_minute: NonZeroU32::new(ConsentLog::DEFAULT_DECISIONS_PER_MINUTE),
        }
    }

    /// How much of the client's IP address this log keeps.
    pub fn ip_recording(&self) -> IpRecording {
        self.inner.ip_recording
    }

    /// The store the log lives in.
    pub fn store(&self) -> &Store {
        &self.inner.store
    }

    /// Appends a record: committed to the database, or, if that fails, to the fallback
    /// journal. Returns once it is durable in one of them.
    pub async fn append(&self, record: ConsentRecord) -> Result<Recorded, NotRecorded> {
        let database_error = match self.inner.writer.commit(record.clone()).await {
            Ok(()) => return Ok(Recorded::Database),
            Err(error) => error,
        };
        let journal_error = match &self.inner.journal {
            Some(journal) => match journal.append(&record).await {
                Ok(()) => {
                    tracing::error!(
                        id = %record.id,
                        error = %database_error,
                        journal = %journal.path().display(),
                        "consent record not stored in the database; kept in the fallback journal"
                    );
                    return Ok(Recorded::Journal);
                }
                Err(error) => error.to_string(),
            },
            None => "no fallback journal is configured".to_owned(),
        };
        tracing::error!(
            record = %serde_json::to_string(&record).unwrap_or_default(),
            database = %database_error,
            journal = %journal_error,
            "consent record lost to both the database and the journal; this log line is its only copy"
        );
        Err(NotRecorded {
            id: record.id,
            database: database_error,
            journal: journal_error,
        })
    }

    /// Moves the fallback journal's records into the database. Returns how many it moved;
    /// on failure they stay in the journal's replay file for the next replay. Crash-safe:
    /// a replay killed at any point loses nothing and stores nothing twice. Records erased
    /// meanwhile, through any instance of the shop, are dropped (see [`erase`](Self::erase)).
    pub async fn replay_journal(&self) -> Result<usize, StoreError> {
        let Some(journal) = &self.inner.journal else {
            return Ok(0);
        };
        let store = self.inner.store.clone();
        match journal
            .replay(|records| async move { insert(&store, &records, Erasures::Honour).await })
            .await
        {
            Ok(0) => Ok(0),
            Ok(count) => {
                tracing::info!(
                    records = count,
                    "consent journal replayed into the database"
                );
                Ok(count)
            }
            Err(ReplayError::Insert(error)) => Err(error),
            Err(ReplayError::Journal(error)) => Err(StoreError::Corrupt {
                table: "journal",
                reason: error.to_string(),
            }),
        }
    }

    /// Every entry about `subject`, oldest first (a GDPR access request).
    pub async fn find(&self, subject: Subject) -> Result<Vec<ConsentRecord>, StoreError> {
        let (condition, [first, second, third]) = subject_condition(&subject);
        let sql = format!("{SELECT} WHERE {condition} ORDER BY recorded_at, seq");
        let rows: Vec<RecordRow> = with_pool!(self.inner.store, pool => {
            sqlx::query_as(&sql).bind(&first).bind(&second).bind(&third).fetch_all(pool).await?
        });
        rows.into_iter().map(RecordRow::into_record).collect()
    }

    /// Entries recorded from `from` (inclusive) until `until` (exclusive), either end open
    /// when `None`, about `subject` when given, at most `limit` of them: a person's oldest
    /// first, otherwise the newest first. What the privacy console's search shows.
    pub async fn search(
        &self,
        subject: Option<&Subject>,
        from: Option<OffsetDateTime>,
        until: Option<OffsetDateTime>,
        limit: u32,
    ) -> Result<Vec<ConsentRecord>, StoreError> {
        let (condition, [first, second, third]) = match subject {
            Some(subject) => subject_condition(subject),
            // Three placeholders that every row matches, so the SQL keeps one shape.
            None => ("($1 = $2 AND $2 = $3)", Default::default()),
        };
        let order = if subject.is_some() { "" } else { " DESC" };
        let sql = format!(
            "{SELECT} WHERE {condition} AND recorded_at >= $4 AND recorded_at < $5 \
             ORDER BY recorded_at{order}, seq{order} LIMIT $6"
        );
        let from = from.map_or(i64::MIN, OffsetDateTime::unix_timestamp);
        let until = until.map_or(i64::MAX, OffsetDateTime::unix_timestamp);
        let rows: Vec<RecordRow> = with_pool!(self.inner.store, pool => {
            sqlx::query_as(&sql)
                .bind(&first)
                .bind(&second)
                .bind(&third)
                .bind(from)
                .bind(until)
                .bind(i64::from(limit))
                .fetch_all(pool)
                .await?
        });
        rows.into_iter().map(RecordRow::into_record).collect()
    }

    /// How many entries were recorded before `before`: what [`erase_before`](Self::erase_before)
    /// would delete from the database.
    pub async fn count_before(&self, before: OffsetDateTime) -> Result<u64, StoreError> {
        let count: i64 = with_pool!(self.inner.store, pool => {
            sqlx::query_scalar("SELECT COUNT(*) FROM consent_log WHERE recorded_at < $1")
                .bind(before.unix_timestamp())
                .fetch_one(pool)
                .await?
        });
        Ok(u64::try_from(count).unwrap_or_default())
    }

    /// Deletes every entry about `subject`, in the database and this instance's journal (a
    /// GDPR erasure request). Returns how many it deleted.
    ///
    /// Other instances' journals are files this one cannot reach: the erasure is also
    /// remembered in the store (the subject hashed), and every instance's replay drops the
    /// records it covers, those made before the erasure. Records made after it are new
    /// consents and are kept.
    pub async fn erase(&self, subject: Subject) -> Result<u64, StoreError> {
        let covers_before = OffsetDateTime::now_utc().unix_timestamp() + 1;
        self.remember_erasure(erasures::keys_of_subject(&subject), covers_before)
            .await?;
        // Then the journal: it waits for a replay under way, so whatever that replay put
        // into the database is there when the database is cleared next.
        let journaled = match &self.inner.journal {
            Some(journal) => journal
                .erase(subject.clone())
                .await
                .unwrap_or_else(|error| {
                    tracing::error!(%error, %subject, "erasing from the consent journal failed");
                    0
                }),
            None => 0,
        };
        let (condition, [first, second, third]) = subject_condition(&subject);
        let sql = format!("DELETE FROM consent_log WHERE {condition}");
        let deleted = with_pool!(self.inner.store, pool => {
            sqlx::query(&sql).bind(&first).bind(&second).bind(&third).execute(pool).await?.rows_affected()
        });
        tracing::info!(%subject, deleted = deleted + journaled, "consent log entries erased");
        Ok(deleted + journaled)
    }

    /// Deletes every entry recorded before `before`, in the database and the journal; every
    /// instance's later replays drop such entries too.
    pub async fn erase_before(&self, before: OffsetDateTime) -> Result<u64, StoreError> {
        let cutoff = before.unix_timestamp();
        self.remember_erasure(vec![erasures::EVERYONE.to_owned()], cutoff)
            .await?;
        // The journal next, as in `erase`.
        let journaled = match &self.inner.journal {
            Some(journal) => journal.erase_before(cutoff).await.unwrap_or_else(|error| {
                tracing::error!(%error, "erasing from the consent journal failed");
                0
            }),
            None => 0,
        };
        let deleted = with_pool!(self.inner.store, pool => {
            sqlx::query("DELETE FROM consent_log WHERE recorded_at < $1")
                .bind(cutoff)
                .execute(pool)
                .await?
                .rows_affected()
        });
        Ok(deleted + journaled)
    }

    /// Replays the journal, then deletes the entries older than the retention period.
    /// Returns how many it deleted.
    pub async fn apply_retention(&self) -> Result<u64, StoreError> {
        if let Err(error) = self.replay_journal().await {
            tracing::warn!(%error, "the consent journal could not be replayed yet");
        }
        let cutoff = OffsetDateTime::now_utc() - self.inner.retention;
        let deleted = self.erase_before(cutoff).await?;
        // An erasure older than the retention period covers only records retention deletes.
        with_pool!(self.inner.store, pool => {
            sqlx::query(erasures::FORGET_BEFORE)
                .bind(cutoff.unix_timestamp())
                .execute(pool)
                .await?;
        });
        if deleted > 0 {
            tracing::info!(deleted, "consent log entries past retention deleted");
        }
        Ok(deleted)
    }

    /// Runs [`apply_retention`](Self::apply_retention) now and then every `every`, in the
    /// background, for as long as the returned task is not aborted.
    pub fn spawn_retention(&self, every: Duration) -> tokio::task::JoinHandle<()> {
        let log = self.clone();
        tokio::spawn(async move {
            let mut ticks = tokio::time::interval(every);
            ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                ticks.tick().await;
                if let Err(error) = log.apply_retention().await {
                    tracing::error!(%error, "consent log retention failed; retrying on the next run");
                }
            }
        })
    }
}

impl ConsentLog {
    /// Writes the erasure of `keys` (records made before `covers_before`) to the store.
    async fn remember_erasure(
        &self,
        keys: Vec<String>,
        covers_before: i64,
    ) -> Result<(), StoreError> {
        let _turn = self.inner.store.write_turn().await;
        with_pool!(self.inner.store, pool => {
            let mut transaction = pool.begin().await?;
            for key in keys {
                sqlx::query(erasures::REMEMBER)
                    .bind(key)
                    .bind(covers_before)
                    .execute(&mut *transaction)
                    .await?;
            }
            transaction.commit().await?;
        });
        Ok(())
    }
}

/// Whether an insert drops the records an erasure covers.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Erasures {
    /// Fresh records, made just now: no erasure can cover them.
    Ignore,
    /// Records from the journal, perhaps erased through another instance meanwhile.
    Honour,
}

/// Records per `INSERT` statement: 14 parameters each stays well under both databases'
/// parameter limits.
const ROWS_PER_STATEMENT: usize = 64;

/// Inserts records in one transaction, a few multi-row statements; records already there
/// (same id) are skipped. With [`Erasures::Honour`], the records a remembered erasure covers
/// are deleted again before the commit. Returns how many records the log keeps.
async fn insert(
    store: &Store,
    records: &[ConsentRecord],
    mode: Erasures,
) -> Result<usize, StoreError> {
    let mut kept = records.len();
    let _turn = store.write_turn().await;
    with_pool!(store, pool => {
        let mut transaction = pool.begin().await?;
        for chunk in records.chunks(ROWS_PER_STATEMENT) {
            let mut statement = sqlx::QueryBuilder::new(INSERT_COLUMNS);
            statement.push_values(chunk, |mut row, record| {
                row.push_bind(record.id.to_string())
                    .push_bind(record.consent_id.to_string())
                    .push_bind(record.visitor_id.as_ref().map(VisitorId::to_string))
                    .push_bind(record.recorded_at.unix_timestamp())
                    .push_bind(record.action.as_str())
                    .push_bind(record.granted.to_string())
                    .push_bind(record.denied.to_string())
                    .push_bind(record.policy_fingerprint.clone())
                    .push_bind(record.locale.clone())
                    .push_bind(record.ui_source.clone())
                    .push_bind(record.gpc)
                    .push_bind(record.dnt)
                    .push_bind(record.user_agent.clone())
                    .push_bind(record.ip.clone())
                    .push_bind(record.services.join(","));
            });
            statement.push(" ON CONFLICT (id) DO NOTHING");
            statement.build().execute(&mut *transaction).await?;
        }
        if mode == Erasures::Honour {
            // After the insert: on SQLite the transaction now holds the write lock, on
            // PostgreSQL the table lock makes a concurrent erasure wait for this commit.
            if store.backend() == Backend::Postgres {
                sqlx::query(erasures::LOCK_POSTGRES).execute(&mut *transaction).await?;
            }
            let mut covering = HashMap::new();
            for keys in erasures::keys_of_records(records).chunks(ROWS_PER_STATEMENT) {
                let mut query = sqlx::QueryBuilder::new(erasures::SELECT_FOR);
                let mut list = query.separated(", ");
                for key in keys {
                    list.push_bind(key.clone());
                }
                query.push(")");
                let rows: Vec<(String, i64)> =
                    query.build_query_as().fetch_all(&mut *transaction).await?;
                covering.extend(rows);
            }
            let erased: Vec<String> = records
                .iter()
                .filter(|record| erasures::is_erased(record, &covering))
                .map(|record| record.id.to_string())
                .collect();
            for ids in erased.chunks(ROWS_PER_STATEMENT) {
                let mut query = sqlx::QueryBuilder::new("DELETE FROM consent_log WHERE id IN (");
                let mut list = query.separated(", ");
                for id in ids {
                    list.push_bind(id.clone());
                }
                query.push(")");
                query.build().execute(&mut *transaction).await?;
            }
            kept -= erased.len();
            // Days already counted for the console's analytics are counted again.
            let days = analytics::days_of(records.iter().map(|r| r.recorded_at.unix_timestamp()));
            for days in days.chunks(ROWS_PER_STATEMENT) {
                for table in ["consent_daily", "consent_daily_done"] {
                    let mut query =
                        sqlx::QueryBuilder::new(format!("DELETE FROM {table} WHERE day IN ("));
                    let mut list = query.separated(", ");
                    for day in days {
                        list.push_bind(*day);
                    }
                    query.push(")");
                    query.build().execute(&mut *transaction).await?;
                }
            }
        }
        transaction.commit().await?;
    });
    Ok(kept)
}

/// The `WHERE` condition for a subject and its three parameters (an IP address matches
/// every form it can be stored under, see [`record::stored_forms`]).
fn subject_condition(subject: &Subject) -> (&'static str, [String; 3]) {
    match subject {
        Subject::Ip(ip) => ("(ip = $1 OR ip = $2 OR ip = $3)", stored_forms(*ip)),
        Subject::VisitorId(id) => (
            "(visitor_id = $1 OR visitor_id = $2 OR visitor_id = $3)",
            [id.to_string(), id.to_string(), id.to_string()],
        ),
        Subject::ConsentId(id) => (
            "(consent_id = $1 OR consent_id = $2 OR consent_id = $3)",
            [id.to_string(), id.to_string(), id.to_string()],
        ),
    }
}

/// A `consent_log` row as the database returns it.
#[derive(sqlx::FromRow)]
struct RecordRow {
    id: String,
    consent_id: String,
    visitor_id: Option<String>,
    recorded_at: i64,
    action: String,
    granted: String,
    denied: String,
    policy_fingerprint: String,
    locale: String,
    ui_source: String,
    gpc: bool,
    dnt: bool,
    user_agent: Option<String>,
    ip: Option<String>,
    services: String,
}

impl RecordRow {
    fn into_record(self) -> Result<ConsentRecord, StoreError> {
        let corrupt = |reason: String| StoreError::Corrupt {
            table: "consent_log",
            reason,
        };
        let uuid =
            |text: &str| uuid::Uuid::try_parse(text).map_err(|e| corrupt(format!("{text:?}: {e}")));
        Ok(ConsentRecord {
            id: uuid(&self.id)?,
            consent_id: uuid(&self.consent_id)?,
            visitor_id: self
                .visitor_id
                .map(|id| VisitorId::new(id).map_err(|e| corrupt(e.to_string())))
                .transpose()?,
            recorded_at: OffsetDateTime::from_unix_timestamp(self.recorded_at)
                .map_err(|e| corrupt(e.to_string()))?,
            action: self.action.parse().map_err(corrupt)?,
            granted: self.granted.parse().map_err(|e| corrupt(format!("{e}")))?,
            denied: self.denied.parse().map_err(|e| corrupt(format!("{e}")))?,
            policy_fingerprint: self.policy_fingerprint,
            locale: self.locale,
            ui_source: self.ui_source,
            gpc: self.gpc,
            dnt: self.dnt,
            user_agent: self.user_agent,
            ip: self.ip,
            services: self
                .services
                .split(',')
                .filter(|id| !id.is_empty())
                .map(str::to_owned)
                .collect(),
        })
    }
}
