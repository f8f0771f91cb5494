//! The tracking outbox endpoints: its status and its dead letters.

use axum::{
    Json, Router,
    extract::{Query, State, rejection::QueryRejection},
    http::StatusCode,
    middleware,
    response::{IntoResponse, Response},
    routing::get,
};
use serde::Deserialize;

use super::{AdminToken, failure, require_token, store_failure};
use crate::dispatch::Outbox;

/// The most dead letters one request lists.
const MAX_DEAD_LETTERS: usize = 500;

/// The tracking outbox endpoints for the shop's staff, behind `token` (nest them under
/// `/admin` next to [`consent_log_admin`](super::consent_log_admin)):
///
/// | Request | Answer |
/// |---|---|
/// | `GET /tracking/status` | `200` an [`OutboxStatus`](crate::dispatch::OutboxStatus): queue depth (`pending`), `retrying`, `oldest_pending_age_secs`, `delivered_kept`, `dead_letters`, and this instance's `accepted`, `delivered`, `retried`, `dead_lettered` |
/// | `GET /tracking/dead-letters?limit=50` | `200` the newest dead letters ([`DeadLetter`](crate::dispatch::DeadLetter)), at most 500 |
///
/// Without `Authorization: Bearer <token>`: `401`. A bad `limit`: `400`. The database
/// unreachable: `503`.
///
/// ```no_run
/// # use leptos_consent::{admin::{AdminToken, tracking_outbox_admin}, dispatch::Outbox};
/// # fn mount(app: axum::Router, outbox: Outbox, token: AdminToken) -> axum::Router {
/// app.nest("/admin", tracking_outbox_admin(outbox, token))
/// # }
/// ```
pub fn tracking_outbox_admin(outbox: Outbox, token: AdminToken) -> Router {
    Router::new()
        .route("/tracking/status", get(status))
        .route("/tracking/dead-letters", get(dead_letters))
        .with_state(outbox)
        .layer(middleware::from_fn_with_state(token, require_token))
}

async fn status(State(outbox): State<Outbox>) -> Response {
    match outbox.status().await {
        Ok(status) => Json(status).into_response(),
        Err(error) => store_failure(&error),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Limit {
    limit: Option<usize>,
}

async fn dead_letters(
    State(outbox): State<Outbox>,
    query: Result<Query<Limit>, QueryRejection>,
) -> Response {
    let limit = match query {
        Ok(Query(Limit { limit: None })) => 50,
        Ok(Query(Limit { limit: Some(n) })) if (1..=MAX_DEAD_LETTERS).contains(&n) => n,
        _ => {
            return failure(
                StatusCode::BAD_REQUEST,
                &format!("limit must be a number from 1 to {MAX_DEAD_LETTERS}"),
            );
        }
    };
    match outbox.dead_letters(limit).await {
        Ok(letters) => Json(letters).into_response(),
        Err(error) => store_failure(&error),
    }
}
