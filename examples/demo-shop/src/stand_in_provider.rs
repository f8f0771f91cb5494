//! A stand-in for the analytics provider, inside the demo: it answers the Raptor-style
//! tracking GET (`/stand-in-provider/{customer}.rsa?p1=…&coid=…`) and records every hit, so
//! that the end-to-end tests can see what arrived. `GET /stand-in-provider/hits` lists them
//! (filter with `?coid=<visitor id>`).

use std::{
    collections::BTreeMap,
    sync::{Arc, Mutex},
};

use axum::{
    Json, Router,
    extract::{Path, Query, State},
    http::StatusCode,
    routing::get,
};

/// One hit: its query parameters, decoded.
pub type Hit = BTreeMap<String, String>;

/// The hits received since the demo started (at most [`MAX_HITS`], oldest dropped).
#[derive(Clone, Default)]
pub struct StandInProvider {
    hits: Arc<Mutex<Vec<Hit>>>,
}

/// How many hits the stand-in keeps.
pub const MAX_HITS: usize = 100_000;

impl StandInProvider {
    /// The routes under `/stand-in-provider`.
    pub fn router(&self) -> Router {
        Router::new()
            .route("/stand-in-provider/hits", get(hits))
            .route("/stand-in-provider/{file}", get(track))
            .with_state(self.clone())
    }
}

/// `GET /stand-in-provider/{customer}.rsa?…`: records the hit.
async fn track(
    State(provider): State<StandInProvider>,
    Path(file): Path<String>,
    Query(params): Query<Hit>,
) -> StatusCode {
    let Some(customer) = file.strip_suffix(".rsa") else {
        return StatusCode::NOT_FOUND;
    };
    if !params.contains_key("coid") || !params.contains_key("sid") || !params.contains_key("p1") {
        return StatusCode::BAD_REQUEST;
    }
    let mut hit = params;
    hit.insert("customer".to_owned(), customer.to_owned());
    let mut hits = provider
        .hits
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if hits.len() == MAX_HITS {
        hits.remove(0);
    }
    hits.push(hit);
    StatusCode::NO_CONTENT
}

/// `GET /stand-in-provider/hits[?coid=…]`: the hits, oldest first.
async fn hits(
    State(provider): State<StandInProvider>,
    Query(filter): Query<BTreeMap<String, String>>,
) -> Json<Vec<Hit>> {
    let hits = provider
        .hits
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    Json(
        hits.iter()
            .filter(|hit| {
                filter
                    .iter()
                    .all(|(key, value)| hit.get(key) == Some(value))
            })
            .cloned()
            .collect(),
    )
}
