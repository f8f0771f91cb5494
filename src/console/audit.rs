//! The console's audit trail: who did what, when, to how many rows. Every sign-in (and
//! refused sign-in), sign-out, search, export, erasure, purge, change to the cookie
//! registry and to the outbox's dead letters is written here, in the shop's store, and
//! shown on the console's audit page a hundred entries at a time.
//!
//! Nothing goes unwritten: a change is written before it is made (and not made when the
//! trail cannot be written), and what a search or an export read is shown only once the
//! trail has it.

use std::sync::Arc;

use axum::{extract::State, http::StatusCode, response::Response};
use leptos::prelude::*;
use time::OffsetDateTime;

use super::{
    Console,
    access::SignedIn,
    page,
    texts::{fill, texts},
};
use crate::store::{Store, StoreError, with_pool};

/// How many entries an audit page shows, newest first.
const SHOWN: i64 = 100;

/// The audit trail in the store.
pub(crate) struct AuditTrail {
    store: Store,
}

/// One audited action.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct AuditEntry {
    /// Its place in the trail: later entries have greater numbers.
    pub seq: i64,
    /// When (Unix seconds, UTC).
    pub at: i64,
    /// Who: the staff member's name, `admin token` for the built-in login, `(unknown)` for a
    /// refused sign-in.
    pub staff: String,
    /// What: `login`, `login_refused`, `logout`, `search`, `export`, `erase`, `purge`,
    /// `add_cookie`, `edit_cookie`, `delete_cookie`, `translate_cookie`,
    /// `delete_translation`, `requeue_dead_letters`, `discard_dead_letters`.
    pub action: String,
    /// About what: the person or the date.
    pub detail: String,
    /// How many rows it read or changed; negative while a change has not reported it.
    pub affected: i64,
}

impl AuditTrail {
    pub(crate) fn new(store: Store) -> Self {
        AuditTrail { store }
    }

    /// Writes an entry for something that has happened (a sign-in, a search). A failure is
    /// logged and returned: a caller about to show what was read refuses instead.
    pub(crate) async fn record(
        &self,
        staff: &str,
        action: &str,
        detail: &str,
        affected: u64,
    ) -> Result<(), StoreError> {
        let affected = i64::try_from(affected).unwrap_or(i64::MAX);
        self.insert(staff, action, detail, affected).await.map(drop)
    }

    /// Makes `change`, written to the trail first: when the trail cannot be written, the
    /// change is not made (the store's error). Its entry then gets the rows it changed,
    /// `affected` of its outcome (`0` when it failed); until then the count shows as unknown.
    pub(crate) async fn change<T, E>(
        &self,
        staff: &str,
        action: &str,
        detail: &str,
        change: impl Future<Output = Result<T, E>>,
        affected: impl FnOnce(&T) -> u64,
    ) -> Result<Result<T, E>, StoreError> {
        let seq = self.insert(staff, action, detail, UNFINISHED).await?;
        let outcome = change.await;
        let affected = outcome.as_ref().map_or(0, affected);
        let affected = i64::try_from(affected).unwrap_or(i64::MAX);
        let counted: Result<(), StoreError> = async {
            with_pool!(self.store, pool => {
                sqlx::query("UPDATE console_audit SET affected = $1 WHERE seq = $2")
                    .bind(affected)
                    .bind(seq)
                    .execute(pool)
                    .await?;
            });
            Ok(())
        }
        .await;
        if let Err(error) = counted {
            tracing::error!(%error, seq, action, "the console's audit trail lost a count");
        }
        Ok(outcome)
    }

    async fn insert(
        &self,
        staff: &str,
        action: &str,
        detail: &str,
        affected: i64,
    ) -> Result<i64, StoreError> {
        let at = OffsetDateTime::now_utc().unix_timestamp();
        let written: Result<i64, StoreError> = async {
            Ok(with_pool!(self.store, pool => {
                sqlx::query_scalar(
                    "INSERT INTO console_audit (at, staff, action, detail, affected) \
                     VALUES ($1, $2, $3, $4, $5) RETURNING seq",
                )
                .bind(at)
                .bind(staff)
                .bind(action)
                .bind(detail)
                .bind(affected)
                .fetch_one(pool)
                .await?
            }))
        }
        .await;
        if let Err(error) = &written {
            tracing::error!(%error, staff, action, detail, "the console's audit trail failed");
        }
        written
    }

    /// The page of entries older than `before` (a `seq`; the newest page without it),
    /// newest first, and whether there are older ones still.
    pub(crate) async fn page(
        &self,
        before: Option<i64>,
        limit: i64,
    ) -> Result<(Vec<AuditEntry>, bool), StoreError> {
        let before = before.unwrap_or(i64::MAX);
        let mut entries: Vec<AuditEntry> = with_pool!(self.store, pool => {
            sqlx::query_as(
                "SELECT seq, at, staff, action, detail, affected FROM console_audit \
                 WHERE seq < $1 ORDER BY seq DESC LIMIT $2",
            )
            .bind(before)
            .bind(limit + 1)
            .fetch_all(pool)
            .await?
        });
        let more = entries.len() as i64 > limit;
        entries.truncate(usize::try_from(limit).unwrap_or(0));
        Ok((entries, more))
    }
}

/// The `affected` of an entry whose change has not reported its count (it is under way, or
/// the count could not be written afterwards).
const UNFINISHED: i64 = -1;

/// The audit page's query: `before` a `seq`, for older entries.
#[derive(serde::Deserialize)]
pub(crate) struct Older {
    before: Option<i64>,
}

/// `GET /audit?before=…`: the audit trail, newest first, a page at a time.
pub(crate) async fn page(
    State(console): State<Arc<Console>>,
    signed_in: SignedIn,
    axum::extract::Query(older): axum::extract::Query<Older>,
) -> Response {
    let (entries, more) = match console.audit.page(older.before, SHOWN).await {
        Ok(page) => page,
        Err(error) => return super::store_failure(&error),
    };
    let all = texts();
    let words = &all.audit;
    let oldest = entries.last().map(|entry| entry.seq);
    let rows = entries
        .into_iter()
        .map(|entry| {
            let affected = if entry.affected < 0 {
                words.unknown.to_owned()
            } else {
                entry.affected.to_string()
            };
            view! {
                <tr>
                    <td>{super::records::timestamp(entry.at)}</td>
                    <td>{entry.staff}</td>
                    <td>{entry.action}</td>
                    <td>{entry.detail}</td>
                    <td class="lc-console__number">{affected}</td>
                </tr>
            }
        })
        .collect_view();
    let intro = if older.before.is_some() {
        words.intro_older
    } else {
        words.intro
    };
    let intro = fill(intro, &[("n", &SHOWN)]);
    let pages = {
        let newest = older
            .before
            .is_some()
            .then(|| view! { <li><a href=console.path("/audit")>{words.newest}</a></li> });
        let older = oldest.filter(|_| more).map(|seq| {
            let href = console.path(&format!("/audit?before={seq}"));
            view! { <li><a href=href>{words.older}</a></li> }
        });
        view! {
            <nav aria-label=words.pages>
                <ul class="lc-console__actions">{newest}{older}</ul>
            </nav>
        }
    };
    let body = view! {
        <p>{intro}</p>
        <div class="lc-console__scroll">
            <table class="lc-console__table">
                <caption class="lc-visually-hidden">{all.page.audit}</caption>
                <thead>
                    <tr>
                        <th scope="col">{words.when}</th>
                        <th scope="col">{words.who}</th>
                        <th scope="col">{all.page.action}</th>
                        <th scope="col">{words.about}</th>
                        <th scope="col">{words.rows}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
        {pages}
    }
    .into_any();
    page::for_staff(&console, &signed_in, StatusCode::OK, all.page.audit, body)
}
