//! The outbox's SQL: the same statements on SQLite and PostgreSQL, except that PostgreSQL
//! claims with `FOR UPDATE SKIP LOCKED` (SQLite has one writer at a time anyway).

use sqlx::QueryBuilder;

use super::TrackedShopper;
use crate::store::{Backend, Store, StoreError, with_pool};
use crate::tracking::TrackedEvent;

/// An event on its way into the outbox.
pub(super) struct NewRow {
    pub(super) event_id: String,
    pub(super) occurred_at_ms: i64,
    pub(super) accepted_at_ms: i64,
    pub(super) payload: String,
    /// The event itself, for the hand-off to this instance's dispatcher.
    pub(super) event: TrackedEvent,
}

/// Rows committed already claimed: by `instance` until `lease_until`, the attempt counted
/// (see [`super::hand_off`]).
#[derive(Clone, Copy)]
pub(super) struct ClaimedBy<'a> {
    pub(super) instance: &'a str,
    pub(super) lease_until: i64,
}

/// A pending event a dispatcher claimed.
#[derive(Clone, Debug, sqlx::FromRow)]
pub(super) struct Claimed {
    pub(super) seq: i64,
    pub(super) event_id: String,
    pub(super) occurred_at_ms: i64,
    pub(super) accepted_at_ms: i64,
    pub(super) payload: String,
    /// Deliveries started, this one included.
    pub(super) attempts: i64,
}

/// Rows per `INSERT` statement: 7 parameters each stays well under both databases' limits.
const ROWS_PER_STATEMENT: usize = 200;

/// Inserts `rows` in one transaction, due at `now` or `claimed`; an event id already in
/// the outbox is skipped. Returns `(seq, event_id)` of the rows inserted claimed.
pub(super) async fn insert(
    store: &Store,
    rows: &[NewRow],
    now: i64,
    claimed: Option<ClaimedBy<'_>>,
) -> Result<Vec<(i64, String)>, StoreError> {
    let (due, attempts, instance) = match claimed {
        Some(claim) => (claim.lease_until, 1_i64, Some(claim.instance)),
        None => (now, 0_i64, None),
    };
    let mut inserted = Vec::new();
    let _turn = store.write_turn().await;
    with_pool!(store, pool => {
        let mut transaction = pool.begin().await?;
        for chunk in rows.chunks(ROWS_PER_STATEMENT) {
            let mut statement = QueryBuilder::new(
                "INSERT INTO tracking_outbox (event_id, occurred_at_ms, accepted_at_ms, payload, \
                 next_attempt_at_ms, attempts, claimed_by) ",
            );
            statement.push_values(chunk, |mut row, new| {
                row.push_bind(&new.event_id)
                    .push_bind(new.occurred_at_ms)
                    .push_bind(new.accepted_at_ms)
                    .push_bind(&new.payload)
                    .push_bind(due)
                    .push_bind(attempts)
                    .push_bind(instance);
            });
            statement.push(" ON CONFLICT (event_id) DO NOTHING");
            if claimed.is_some() {
                statement.push(" RETURNING seq, event_id");
                inserted.extend(
                    statement
                        .build_query_as::<(i64, String)>()
                        .fetch_all(&mut *transaction)
                        .await?,
                );
            } else {
                statement.build().execute(&mut *transaction).await?;
            }
        }
        transaction.commit().await?;
    });
    Ok(inserted)
}

/// Claims up to `limit` due events for `instance` until `lease_until` (a crashed claimer's
/// events are due again then), counting the attempt. Oldest first.
pub(super) async fn claim(
    store: &Store,
    instance: &str,
    now: i64,
    lease_until: i64,
    limit: usize,
) -> Result<Vec<Claimed>, StoreError> {
    let lock = match store.backend() {
        Backend::Postgres => " FOR UPDATE SKIP LOCKED",
        Backend::Sqlite => "",
    };
    let sql = format!(
        "UPDATE tracking_outbox \
         SET attempts = attempts + 1, next_attempt_at_ms = $1, claimed_by = $2 \
         WHERE seq IN (SELECT seq FROM tracking_outbox \
             WHERE finished_at_ms IS NULL AND next_attempt_at_ms <= $3 \
             ORDER BY next_attempt_at_ms, seq LIMIT $4{lock}) \
         RETURNING seq, event_id, occurred_at_ms, accepted_at_ms, payload, attempts"
    );
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    let _turn = store.write_turn().await;
    let mut claimed: Vec<Claimed> = with_pool!(store, pool => {
        sqlx::query_as(&sql)
            .bind(lease_until)
            .bind(instance)
            .bind(now)
            .bind(limit)
            .fetch_all(pool)
            .await?
    });
    claimed.sort_by_key(|row| row.seq);
    Ok(claimed)
}

/// Marks events delivered. They stay (finished) until [`prune`] so that the same event id
/// accepted again is not stored twice.
pub(super) async fn mark_delivered(
    store: &Store,
    seqs: &[i64],
    now: i64,
) -> Result<(), StoreError> {
    if seqs.is_empty() {
        return Ok(());
    }
    let _turn = store.write_turn().await;
    with_pool!(store, pool => {
        let mut statement = QueryBuilder::new("UPDATE tracking_outbox SET finished_at_ms = ");
        statement
            .push_bind(now)
            .push(", outcome = 'delivered', last_error = NULL WHERE seq IN (");
        let mut list = statement.separated(", ");
        for seq in seqs {
            list.push_bind(*seq);
        }
        statement.push(")");
        statement.build().execute(pool).await?;
    });
    Ok(())
}

/// Puts claimed events back, each `(seq, due)` due again at its time, with the failure that
/// sent them back; in one transaction. `attempted: false` for events the dispatcher did not
/// get to (their attempt is not counted).
pub(super) async fn reschedule(
    store: &Store,
    rows: &[(i64, i64)],
    error: Option<&str>,
    attempted: bool,
) -> Result<(), StoreError> {
    if rows.is_empty() {
        return Ok(());
    }
    let sql = format!(
        "UPDATE tracking_outbox SET next_attempt_at_ms = $1, last_error = COALESCE($2, last_error){} \
         WHERE seq = $3 AND finished_at_ms IS NULL",
        if attempted {
            ""
        } else {
            ", attempts = attempts - 1"
        }
    );
    let _turn = store.write_turn().await;
    with_pool!(store, pool => {
        let mut transaction = pool.begin().await?;
        for (seq, due) in rows {
            sqlx::query(&sql)
                .bind(*due)
                .bind(error)
                .bind(*seq)
                .execute(&mut *transaction)
                .await?;
        }
        transaction.commit().await?;
    });
    Ok(())
}

/// Moves an event to the dead letters with `reason`, in one transaction.
pub(super) async fn dead_letter(
    store: &Store,
    row: &Claimed,
    provider: &str,
    reason: &str,
    now: i64,
) -> Result<(), StoreError> {
    let _turn = store.write_turn().await;
    with_pool!(store, pool => {
        let mut transaction = pool.begin().await?;
        sqlx::query(
            "INSERT INTO tracking_dead_letters \
             (event_id, occurred_at_ms, accepted_at_ms, payload, attempts, provider, reason, dead_at_ms) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (event_id) DO NOTHING",
        )
        .bind(&row.event_id)
        .bind(row.occurred_at_ms)
        .bind(row.accepted_at_ms)
        .bind(&row.payload)
        .bind(row.attempts)
        .bind(provider)
        .bind(reason)
        .bind(now)
        .execute(&mut *transaction)
        .await?;
        sqlx::query(
            "UPDATE tracking_outbox SET finished_at_ms = $1, outcome = 'dead', last_error = $2 \
             WHERE seq = $3",
        )
        .bind(now)
        .bind(reason)
        .bind(row.seq)
        .execute(&mut *transaction)
        .await?;
        transaction.commit().await?;
    });
    Ok(())
}

/// Deletes finished events that finished before `finished_before`, and dead letters that
/// died before `dead_before`. Returns how many rows went.
pub(super) async fn prune(
    store: &Store,
    finished_before: i64,
    dead_before: i64,
) -> Result<u64, StoreError> {
    let _turn = store.write_turn().await;
    let deleted = with_pool!(store, pool => {
        sqlx::query("DELETE FROM tracking_outbox WHERE finished_at_ms < $1")
            .bind(finished_before)
            .execute(pool)
            .await?
            .rows_affected()
            + sqlx::query("DELETE FROM tracking_dead_letters WHERE dead_at_ms < $1")
                .bind(dead_before)
                .execute(pool)
                .await?
                .rows_affected()
    });
    Ok(deleted)
}

/// The outbox's figures across every instance (`retrying`: pending after a failure).
#[derive(Debug, sqlx::FromRow)]
pub(super) struct Figures {
    pub(super) pending: i64,
    pub(super) retrying: Option<i64>,
    pub(super) oldest_pending_accepted_at_ms: Option<i64>,
    pub(super) delivered: i64,
    pub(super) dead_letters: i64,
}

pub(super) async fn figures(store: &Store) -> Result<Figures, StoreError> {
    Ok(with_pool!(store, pool => {
        sqlx::query_as(
            // One pass over the pending rows (the partial index) for the first three.
            "SELECT pending.*, \
             (SELECT COUNT(*) FROM tracking_outbox WHERE outcome = 'delivered') AS delivered, \
             (SELECT COUNT(*) FROM tracking_dead_letters) AS dead_letters \
             FROM (SELECT COUNT(*) AS pending, \
                 SUM(CASE WHEN last_error IS NULL THEN 0 ELSE 1 END) AS retrying, \
                 MIN(accepted_at_ms) AS oldest_pending_accepted_at_ms \
                 FROM tracking_outbox WHERE finished_at_ms IS NULL) AS pending",
        )
        .fetch_one(pool)
        .await?
    }))
}

/// A dead letter as stored.
#[derive(Debug, sqlx::FromRow)]
pub(super) struct DeadRow {
    pub(super) event_id: String,
    pub(super) payload: String,
    pub(super) attempts: i64,
    pub(super) provider: String,
    pub(super) reason: String,
    pub(super) dead_at_ms: i64,
}

/// The `limit` newest dead letters.
pub(super) async fn dead_letters(store: &Store, limit: usize) -> Result<Vec<DeadRow>, StoreError> {
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    Ok(with_pool!(store, pool => {
        sqlx::query_as(
            "SELECT event_id, payload, attempts, provider, reason, dead_at_ms \
             FROM tracking_dead_letters ORDER BY dead_at_ms DESC, event_id LIMIT $1",
        )
        .bind(limit)
        .fetch_all(pool)
        .await?
    }))
}

/// Deletes every event (pending, delivered or dead) whose payload carries `shopper`'s id
/// (`ids.visitor` or `ids.user`), in one transaction. Returns the rows deleted from the
/// outbox and from the dead letters.
pub(super) async fn erase(
    store: &Store,
    shopper: &TrackedShopper,
) -> Result<(u64, u64), StoreError> {
    let (field, value) = match shopper {
        TrackedShopper::Visitor(visitor) => ("visitor", visitor.as_str()),
        TrackedShopper::User(ruid) => ("user", ruid.as_str()),
    };
    // The payload is the event's JSON text on both backends.
    let matches = match store.backend() {
        Backend::Sqlite => format!("json_extract(payload, '$.ids.{field}') = $1"),
        Backend::Postgres => format!("(payload::jsonb -> 'ids' ->> '{field}') = $1"),
    };
    let _turn = store.write_turn().await;
    let erased = with_pool!(store, pool => {
        let mut transaction = pool.begin().await?;
        let outbox = sqlx::query(&format!("DELETE FROM tracking_outbox WHERE {matches}"))
            .bind(value)
            .execute(&mut *transaction)
            .await?
            .rows_affected();
        let dead = sqlx::query(&format!("DELETE FROM tracking_dead_letters WHERE {matches}"))
            .bind(value)
            .execute(&mut *transaction)
            .await?
            .rows_affected();
        transaction.commit().await?;
        (outbox, dead)
    });
    Ok(erased)
}

/// Puts dead letters back into the outbox as new pending events (no attempt counted, due
/// now), in one transaction; ids that are not dead letters are skipped. Returns how many
/// went back.
pub(super) async fn requeue(
    store: &Store,
    event_ids: &[String],
    now: i64,
) -> Result<u64, StoreError> {
    let _turn = store.write_turn().await;
    let requeued = with_pool!(store, pool => {
        let mut transaction = pool.begin().await?;
        let mut requeued = 0;
        for event_id in event_ids {
            // The outbox still holds a dead event's row (it recognises repeats) until it is
            // pruned: reopen it, else insert the event again.
            let reopened = sqlx::query(
                "UPDATE tracking_outbox SET finished_at_ms = NULL, outcome = NULL, attempts = 0, \
                 next_attempt_at_ms = $1, claimed_by = NULL, last_error = NULL \
                 WHERE event_id = $2 AND outcome = 'dead' \
                 AND EXISTS (SELECT 1 FROM tracking_dead_letters WHERE event_id = $2)",
            )
            .bind(now)
            .bind(event_id)
            .execute(&mut *transaction)
            .await?
            .rows_affected();
            if reopened == 0 {
                sqlx::query(
                    "INSERT INTO tracking_outbox \
                     (event_id, occurred_at_ms, accepted_at_ms, payload, next_attempt_at_ms) \
                     SELECT event_id, occurred_at_ms, accepted_at_ms, payload, $1 \
                     FROM tracking_dead_letters WHERE event_id = $2 \
                     ON CONFLICT (event_id) DO NOTHING",
                )
                .bind(now)
                .bind(event_id)
                .execute(&mut *transaction)
                .await?;
            }
            requeued += sqlx::query("DELETE FROM tracking_dead_letters WHERE event_id = $1")
                .bind(event_id)
                .execute(&mut *transaction)
                .await?
                .rows_affected();
        }
        transaction.commit().await?;
        requeued
    });
    Ok(requeued)
}

/// Deletes dead letters for good. Returns how many went.
pub(super) async fn discard(store: &Store, event_ids: &[String]) -> Result<u64, StoreError> {
    let _turn = store.write_turn().await;
    let discarded = with_pool!(store, pool => {
        let mut transaction = pool.begin().await?;
        let mut discarded = 0;
        for event_id in event_ids {
            discarded += sqlx::query("DELETE FROM tracking_dead_letters WHERE event_id = $1")
                .bind(event_id)
                .execute(&mut *transaction)
                .await?
                .rows_affected();
        }
        transaction.commit().await?;
        discarded
    });
    Ok(discarded)
}

/// Events delivered per minute since `since_ms` (the minute's number since the epoch, and
/// its count), from the rows the outbox still keeps.
pub(super) async fn delivered_per_minute(
    store: &Store,
    since_ms: i64,
) -> Result<Vec<(i64, i64)>, StoreError> {
    Ok(with_pool!(store, pool => {
        sqlx::query_as(
            "SELECT finished_at_ms / 60000 AS minute, COUNT(*) AS delivered FROM tracking_outbox \
             WHERE finished_at_ms >= $1 AND outcome = 'delivered' \
             GROUP BY finished_at_ms / 60000 ORDER BY 1",
        )
        .bind(since_ms)
        .fetch_all(pool)
        .await?
    }))
}
