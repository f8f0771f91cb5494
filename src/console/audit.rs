//! The console's audit trail: who did what, when, to how many rows. Every sign-in (and
//! refused sign-in), sign-out, search, export, erasure and purge is written here, in the
//! shop's store, and shown on the console's audit page.

use std::sync::Arc;

use axum::{extract::State, http::StatusCode, response::Response};
use leptos::prelude::*;
use time::OffsetDateTime;

use super::{Console, access::SignedIn, page};
use crate::store::{Store, StoreError, with_pool};

/// How many entries the audit page shows, newest first.
const SHOWN: i64 = 200;

/// The audit trail in the store.
pub(crate) struct AuditTrail {
    store: Store,
}

/// One audited action.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct AuditEntry {
    /// When (Unix seconds, UTC).
    pub at: i64,
    /// Who: the staff member's name, `admin token` for the built-in login, `(unknown)` for a
    /// refused sign-in.
    pub staff: String,
    /// What: `login`, `login_refused`, `logout`, `search`, `export`, `erase`, `purge`.
    pub action: String,
    /// About what: the person or the date.
    pub detail: String,
    /// How many rows it read or changed.
    pub affected: i64,
}

impl AuditTrail {
    pub(crate) fn new(store: Store) -> Self {
        AuditTrail { store }
    }

    /// Writes an entry. A failure is logged, never shown to the staff member: the action it
    /// describes has already happened.
    pub(crate) async fn record(&self, staff: &str, action: &str, detail: &str, affected: u64) {
        let at = OffsetDateTime::now_utc().unix_timestamp();
        let affected = i64::try_from(affected).unwrap_or(i64::MAX);
        let written: Result<(), StoreError> = async {
            with_pool!(self.store, pool => {
                sqlx::query(
                    "INSERT INTO console_audit (at, staff, action, detail, affected) \
                     VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(at)
                .bind(staff)
                .bind(action)
                .bind(detail)
                .bind(affected)
                .execute(pool)
                .await?;
            });
            Ok(())
        }
        .await;
        if let Err(error) = written {
            tracing::error!(%error, staff, action, detail, "the console's audit trail failed");
        }
    }

    /// The newest `limit` entries, newest first.
    pub(crate) async fn recent(&self, limit: i64) -> Result<Vec<AuditEntry>, StoreError> {
        Ok(with_pool!(self.store, pool => {
            sqlx::query_as(
                "SELECT at, staff, action, detail, affected FROM console_audit \
                 ORDER BY seq DESC LIMIT $1",
            )
            .bind(limit)
            .fetch_all(pool)
            .await?
        }))
    }
}

/// `GET /audit`: the newest entries of the audit trail.
pub(crate) async fn page(State(console): State<Arc<Console>>, signed_in: SignedIn) -> Response {
    let entries = match console.audit.recent(SHOWN).await {
        Ok(entries) => entries,
        Err(error) => return super::store_failure(&error),
    };
    let rows = entries
        .into_iter()
        .map(|entry| {
            view! {
                <tr>
                    <td>{super::records::timestamp(entry.at)}</td>
                    <td>{entry.staff}</td>
                    <td>{entry.action}</td>
                    <td>{entry.detail}</td>
                    <td class="lc-console__number">{entry.affected}</td>
                </tr>
            }
        })
        .collect_view();
    let body = view! {
        <p>{format!("The newest {SHOWN} actions taken in this console, newest first.")}</p>
        <div class="lc-console__scroll">
            <table class="lc-console__table">
                <caption class="lc-visually-hidden">"Audit trail"</caption>
                <thead>
                    <tr>
                        <th scope="col">"When (UTC)"</th>
                        <th scope="col">"Who"</th>
                        <th scope="col">"Action"</th>
                        <th scope="col">"About"</th>
                        <th scope="col">"Rows"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
    .into_any();
    page::for_staff(&console, &signed_in, StatusCode::OK, "Audit trail", body)
}
