//! A stand-in for the analytics provider, inside the demo: it answers the Raptor-style
//! tracking GET (`/stand-in-provider/{customer}.rsa?p1=…&coid=…`) and the search API the
//! shop's search calls (`/stand-in-provider/search?q=…`), and records every hit, so
//! that the end-to-end tests can see what arrived. `GET /stand-in-provider/hits` lists them
//! (filter with `?coid=<visitor id>`) to staff only: the hits hold every shopper's ids, so
//! the list needs the admin token (`Authorization: Bearer …`) and is not mounted without
//! one. It keeps the newest [`MAX_HITS`] hits.

use std::{
    collections::{BTreeMap, VecDeque},
    sync::{Arc, Mutex},
};

use axum::{
    Json, Router,
    extract::{Path, Query, State},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
    routing::get,
};
use leptos_consent::admin::AdminToken;

/// One hit: its query parameters, decoded.
pub type Hit = BTreeMap<String, String>;

/// How many hits the stand-in keeps: a bounded ring, the oldest dropped.
pub const MAX_HITS: usize = 10_000;

/// The hits received since the demo started (the newest [`MAX_HITS`]).
#[derive(Clone, Default)]
pub struct StandInProvider {
    hits: Arc<Mutex<VecDeque<Hit>>>,
}

impl StandInProvider {
    /// The routes under `/stand-in-provider`; the hits' list only with `token`.
    pub fn router(&self, token: Option<AdminToken>) -> Router {
        let mut router = Router::new()
            .route("/stand-in-provider/search", get(search))
            .route("/stand-in-provider/{file}", get(track))
            .with_state(self.clone());
        if let Some(token) = token {
            router = router.route(
                "/stand-in-provider/hits",
                get(hits).with_state((self.clone(), token)),
            );
        }
        router
    }

    /// Records a hit, dropping the oldest when full.
    fn record(&self, hit: Hit) {
        let mut hits = self
            .hits
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if hits.len() == MAX_HITS {
            hits.pop_front();
        }
        hits.push_back(hit);
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
    provider.record(hit);
    StatusCode::NO_CONTENT
}

/// `GET /stand-in-provider/search?q=…[&coid=…&sid=…]`: the provider's search API, as the
/// shop's search calls it (with tracking's ids when consent allows them); recorded as a
/// hit with `p1=search-api`. It answers no results: the demo searches its own catalog.
async fn search(State(provider): State<StandInProvider>, Query(params): Query<Hit>) -> StatusCode {
    if !params.contains_key("q") {
        return StatusCode::BAD_REQUEST;
    }
    let mut hit = params;
    hit.insert("p1".to_owned(), "search-api".to_owned());
    provider.record(hit);
    StatusCode::NO_CONTENT
}

/// `GET /stand-in-provider/hits[?coid=…]`: the hits, oldest first; `401` without the token.
async fn hits(
    State((provider, token)): State<(StandInProvider, AdminToken)>,
    headers: HeaderMap,
    Query(filter): Query<BTreeMap<String, String>>,
) -> Response {
    if !token.authorizes(&headers) {
        return StatusCode::UNAUTHORIZED.into_response();
    }
    let hits = provider
        .hits
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let matching: Vec<Hit> = hits
        .iter()
        .filter(|hit| {
            filter
                .iter()
                .all(|(key, value)| hit.get(key) == Some(value))
        })
        .cloned()
        .collect();
    Json(matching).into_response()
}

#[cfg(test)]
mod tests {
    use axum::body::Body;
    use axum::http::{Request, header};
    use tower::ServiceExt;

    use super::*;

    const TOKEN: &str = "stand-in-test-token-0123456789";

    async fn status(router: &Router, uri: &str, token: Option<&str>) -> StatusCode {
        let mut request = Request::get(uri);
        if let Some(token) = token {
            request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
        }
        let request = request.body(Body::empty()).unwrap();
        router.clone().oneshot(request).await.unwrap().status()
    }

    #[tokio::test]
    async fn the_hits_are_for_staff_only() {
        let provider = StandInProvider::default();
        let router = provider.router(Some(AdminToken::new(TOKEN).unwrap()));
        let hit = "/stand-in-provider/nordlys.rsa?p1=pageview&coid=v&sid=s";
        assert_eq!(status(&router, hit, None).await, StatusCode::NO_CONTENT);
        assert_eq!(
            status(&router, "/stand-in-provider/hits", None).await,
            StatusCode::UNAUTHORIZED
        );
        assert_eq!(
            status(
                &router,
                "/stand-in-provider/hits",
                Some("a-wrong-token-of-enough-length")
            )
            .await,
            StatusCode::UNAUTHORIZED
        );
        assert_eq!(
            status(&router, "/stand-in-provider/hits", Some(TOKEN)).await,
            StatusCode::OK
        );
        // Without a token the list is not there at all.
        let closed = provider.router(None);
        assert_eq!(
            status(&closed, "/stand-in-provider/hits", Some(TOKEN)).await,
            StatusCode::NOT_FOUND
        );
    }

    #[test]
    fn it_keeps_the_newest_hits_only() {
        let provider = StandInProvider::default();
        for i in 0..MAX_HITS + 5 {
            provider.record(Hit::from([("n".to_owned(), i.to_string())]));
        }
        let hits = provider.hits.lock().unwrap();
        assert_eq!(hits.len(), MAX_HITS);
        assert_eq!(hits.front().unwrap()["n"], "5");
        assert_eq!(hits.back().unwrap()["n"], (MAX_HITS + 4).to_string());
    }
}
