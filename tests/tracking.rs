//! The tracking context as a shop serves it: ids written by the layer, events emitted while
//! a page renders, the decision endpoint starting the ids, and the collect endpoint.

mod common;

use std::sync::{Arc, Mutex};

use axum::{
    Router,
    body::Body,
    routing::{get, post},
};
use http::{Request, StatusCode, header, request::Parts};
use http_body_util::BodyExt;
use leptos::prelude::*;
use leptos_consent::{
    CategorySet, ConsentConfig, ConsentLayer, Event, EventKind, Uuid,
    tracking::{
        BoxFuture, EventSink, EventSource, SinkError, TrackedEvent, TrackingConfig,
        TrackingConfigBuilder,
    },
    use_tracker,
};
use tower::ServiceExt;

/// Keeps what it accepts, or refuses everything as full.
#[derive(Clone, Default)]
struct Recorder {
    events: Arc<Mutex<Vec<TrackedEvent>>>,
    full: bool,
}

impl EventSink for Recorder {
    fn accept(&self, events: Vec<TrackedEvent>) -> BoxFuture<'_, Result<(), SinkError>> {
        let result = if self.full {
            Err(SinkError::Full)
        } else {
            self.events.lock().unwrap().extend(events);
            Ok(())
        };
        Box::pin(async move { result })
    }
}

impl Recorder {
    fn events(&self) -> Vec<TrackedEvent> {
        self.events.lock().unwrap().clone()
    }

    /// Waits (briefly) for `count` events: pages hand theirs over in a task.
    async fn wait_for(&self, count: usize) -> Vec<TrackedEvent> {
        for _ in 0..200 {
            if self.events.lock().unwrap().len() >= count {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        }
        self.events()
    }
}

fn config(sink: Recorder, collects_per_minute: u32) -> ConsentConfig {
    config_with(TrackingConfig::builder(sink).collects_per_minute(collects_per_minute))
}

fn config_with(tracking: TrackingConfigBuilder) -> ConsentConfig {
    ConsentConfig::builder()
        .secret("integration-test-secret-of-32-bytes-or-more")
        .tracking(tracking.build().unwrap())
        .build()
        .unwrap()
}

/// A page that emits a page view and a product view while it renders.
async fn product_page(parts: Parts) -> &'static str {
    let owner = Owner::new();
    owner.with(|| {
        provide_context(parts);
        let tracker = use_tracker();
        tracker.page_view();
        tracker.product_view("7");
    });
    "a product"
}

fn app(config: ConsentConfig) -> Router {
    Router::new()
        .route("/products/7", get(product_page))
        .route("/_consent/collect", post(leptos_axum::handle_server_fns))
        .route("/_consent/decide", post(leptos_axum::handle_server_fns))
        .layer(ConsentLayer::new(config))
}

/// Sends `request` as `axum::serve` with connect info would: from a client address (a
/// default one unless the test set its own).
async fn send(
    router: &Router,
    mut request: Request<Body>,
) -> (StatusCode, http::HeaderMap, String) {
    let peer = std::net::SocketAddr::from(([198, 51, 100, 1], 40_000));
    let extensions = request.extensions_mut();
    if extensions
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .is_none()
    {
        extensions.insert(axum::extract::ConnectInfo(peer));
    }
    let response = router.clone().oneshot(request).await.unwrap();
    let (parts, body) = response.into_parts();
    let bytes = body.collect().await.unwrap().to_bytes();
    (
        parts.status,
        parts.headers,
        String::from_utf8(bytes.to_vec()).unwrap(),
    )
}

fn page_request(cookie: &str) -> Request<Body> {
    Request::get("/products/7?reaid=nl-1")
        .header(header::ACCEPT, "text/html")
        .header("sec-fetch-dest", "document")
        .header(header::HOST, "www.shop.co.uk")
        .header(header::COOKIE, cookie)
        .body(Body::empty())
        .unwrap()
}

fn collect_request(cookie: &str, batch: &str) -> Request<Body> {
    let body = format!(
        "batch={}",
        url::form_urlencoded::byte_serialize(batch.as_bytes()).collect::<String>()
    );
    Request::post("/_consent/collect")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::HOST, "www.shop.co.uk")
        .header(header::COOKIE, cookie)
        .body(Body::from(body))
        .unwrap()
}

fn batch(kinds: &[&str]) -> String {
    let events: Vec<String> = kinds
        .iter()
        .map(|kind| {
            format!(
                r#"{{"id":"{}","at":{},"page":"/products/7","type":"{kind}","product":"8","module":"GetSimilarItems"}}"#,
                Uuid::new_v4(),
                time::OffsetDateTime::now_utc().unix_timestamp() * 1000,
            )
        })
        .collect();
    format!("[{}]", events.join(","))
}

#[tokio::test]
async fn without_consent_a_page_sets_no_id_and_emits_nothing() {
    let sink = Recorder::default();
    let config = config(sink.clone(), 100);
    let router = app(config.clone());
    let (status, headers, _) = send(&router, page_request("")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(common::set_cookies(&headers).is_empty());
    let refused = common::consent_cookie(&config, CategorySet::essential());
    let (_, headers, _) = send(
        &router,
        page_request(&format!("{refused}; cemv=old; cems=old")),
    )
    .await;
    // Ids the browser still holds after a refusal are expired.
    let cookies = common::set_cookies(&headers);
    assert!(
        cookies.iter().all(|c| c.contains("Max-Age=0")),
        "{cookies:?}"
    );
    assert!(
        cookies.iter().any(|c| c.starts_with("cemv=;")),
        "{cookies:?}"
    );
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    assert!(sink.events().is_empty());
}

#[tokio::test]
async fn with_consent_the_page_emits_with_the_ids_it_sets() {
    let sink = Recorder::default();
    let config = config(sink.clone(), 100);
    let router = app(config.clone());
    let consent = common::consent_cookie(&config, CategorySet::all());
    let (_, headers, _) = send(&router, page_request(&consent)).await;
    let cookies = common::set_cookies(&headers);
    let value_of = |name: &str| {
        cookies
            .iter()
            .find_map(|c| c.strip_prefix(&format!("{name}=")))
            .map(|rest| rest.split(';').next().unwrap().to_owned())
            .unwrap_or_else(|| panic!("{name} in {cookies:?}"))
    };
    let (visitor, session) = (value_of("cemv"), value_of("cems"));
    assert_eq!(value_of("reaid"), "nl-1");
    assert!(
        cookies.iter().all(|c| c.contains("Domain=shop.co.uk")),
        "{cookies:?}"
    );
    let events = sink.wait_for(2).await;
    assert_eq!(events.len(), 2);
    assert_eq!(events[0].event.kind, EventKind::PageView);
    assert_eq!(events[1].event.kind, EventKind::ProductView);
    assert_eq!(events[1].event.product.as_deref(), Some("7"));
    for event in &events {
        assert_eq!(event.ids.visitor, visitor.as_str());
        assert_eq!(event.ids.session, session);
        assert_eq!(event.ids.reaid.as_deref(), Some("nl-1"));
        assert_eq!(event.page, "/products/7?reaid=nl-1");
        assert_eq!(event.source, EventSource::Server);
        assert_eq!(event.consent, CategorySet::all());
        assert_eq!(event.event_id.get_version_num(), 7, "time-ordered");
    }
    assert_ne!(events[0].event_id, events[1].event_id);
}

#[tokio::test]
async fn accepting_starts_the_ids_and_rejecting_does_not() {
    let config = config(Recorder::default(), 100);
    let router = app(config);
    for (choice, expected) in [("accept_all", true), ("reject_all", false)] {
        let request = Request::post("/_consent/decide")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::HOST, "www.shop.co.uk")
            .body(Body::from(format!("choice={choice}")))
            .unwrap();
        let (status, headers, body) = send(&router, request).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let cookies = common::set_cookies(&headers);
        for name in ["cemv=", "cems="] {
            assert_eq!(
                cookies
                    .iter()
                    .any(|c| c.starts_with(name) && !c.contains("Max-Age=0")),
                expected,
                "{choice}: {cookies:?}"
            );
        }
    }
}

#[tokio::test]
async fn the_collect_endpoint_takes_good_batches_with_consent_only() {
    let sink = Recorder::default();
    let config = config(sink.clone(), 100);
    let router = app(config.clone());
    let consent = common::consent_cookie(&config, CategorySet::all());
    let cookie = format!("{consent}; cemv=v-1; cems=s-1; xuid=x-1");

    let (status, headers, body) = send(
        &router,
        collect_request(&cookie, &batch(&["itemclick", "search"])),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    assert!(body.is_empty() && headers.get(header::CONTENT_LENGTH).is_none_or(|l| l == "0"));
    let events = sink.events();
    assert_eq!(events.len(), 2);
    assert_eq!(events[0].event.module.as_deref(), Some("GetSimilarItems"));
    assert_eq!(
        (
            events[0].ids.visitor.as_str(),
            events[0].ids.session.as_str()
        ),
        ("v-1", "s-1")
    );
    assert_eq!(events[0].ids.xuid.as_deref(), Some("x-1"));
    assert_eq!(events[0].source, EventSource::Browser);
    // The session slides with the shopper's activity.
    assert!(
        common::set_cookies(&headers)
            .iter()
            .any(|c| c.starts_with("cems=s-1;"))
    );

    // Bad input: 400, nothing kept.
    for bad in ["", "[]", "nonsense", &batch(&["clickbait"])] {
        let (status, _, _) = send(&router, collect_request(&cookie, bad)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}");
    }
    // Without consent for tracking: taken, and dropped.
    let statistics_only = common::consent_cookie(
        &config,
        CategorySet::essential().with(leptos_consent::Category::Statistics),
    );
    let (status, _, _) = send(
        &router,
        collect_request(
            &format!("{statistics_only}; cemv=v-1; cems=s-1"),
            &batch(&["pageview"]),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    // From another site: refused.
    let mut cross = collect_request(&cookie, &batch(&["pageview"]));
    cross
        .headers_mut()
        .insert("sec-fetch-site", "cross-site".parse().unwrap());
    assert_eq!(send(&router, cross).await.0, StatusCode::FORBIDDEN);
    assert_eq!(sink.events().len(), 2);
}

/// A page that emits the shop's own events while it renders: one declared, one not.
async fn wishlist_page(parts: Parts) -> &'static str {
    let owner = Owner::new();
    owner.with(|| {
        provide_context(parts);
        let tracker = use_tracker();
        tracker.track(Event::custom("wishlist_add").unwrap().product("7"));
        tracker.track(Event::custom("made_up").unwrap());
    });
    "a wishlist"
}

#[tokio::test]
async fn the_shops_own_events_are_taken_when_declared_from_the_browser_and_the_server() {
    let sink = Recorder::default();
    let config = config_with(TrackingConfig::builder(sink.clone()).custom_events(["wishlist_add"]));
    let router = app(config.clone()).merge(
        Router::new()
            .route("/wishlist", get(wishlist_page))
            .layer(ConsentLayer::new(config.clone())),
    );
    let consent = common::consent_cookie(&config, CategorySet::all());
    let cookie = format!("{consent}; cemv=v-1; cems=s-1");

    let (status, _, body) = send(
        &router,
        collect_request(&cookie, &batch(&["wishlist_add", "pageview"])),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    let events = sink.events();
    assert_eq!(
        events[0].event.kind,
        EventKind::custom("wishlist_add").unwrap()
    );
    assert_eq!(events[0].event.product.as_deref(), Some("8"));
    // An event the shop never declared: 400 naming the fix, nothing of the batch kept.
    let (status, _, body) = send(
        &router,
        collect_request(&cookie, &batch(&["pageview", "made_up"])),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        body.contains("made_up") && body.contains("custom_events"),
        "{body}"
    );
    assert_eq!(sink.events().len(), 2);

    // During server-side rendering: the declared one leaves, the other is dropped.
    let page = Request::get("/wishlist")
        .header(header::ACCEPT, "text/html")
        .header(header::COOKIE, &cookie)
        .body(Body::empty())
        .unwrap();
    assert_eq!(send(&router, page).await.0, StatusCode::OK);
    let events = sink.wait_for(3).await;
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    let kinds: Vec<String> = sink
        .events()
        .iter()
        .map(|event| event.event.kind.to_string())
        .collect();
    assert_eq!(
        kinds,
        ["wishlist_add", "pageview", "wishlist_add"],
        "{events:?}"
    );
    assert_eq!(sink.events()[2].source, EventSource::Server);
}

#[tokio::test]
async fn identify_from_the_browser_sets_a_hashed_user_id() {
    let sink = Recorder::default();
    let config = config(sink.clone(), 100);
    let router = app(config.clone());
    let consent = common::consent_cookie(&config, CategorySet::all());
    let id = Uuid::new_v4();
    let batch = format!(
        r#"[{{"id":"{id}","at":1,"page":"/checkout","type":"identify","user":"ada@example.com"}}]"#
    );
    let (status, headers, _) = send(
        &router,
        collect_request(&format!("{consent}; cemv=v; cems=s; xuid=x"), &batch),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let cookies = common::set_cookies(&headers);
    let ruid = cookies
        .iter()
        .find(|c| c.starts_with("ruid="))
        .expect("ruid");
    assert!(!ruid.contains("ada") && !ruid.contains("example"), "{ruid}");
    assert!(
        cookies.iter().any(|c| c.starts_with("xuid=;")),
        "xuid excluded: {cookies:?}"
    );
    let event = &sink.events()[0];
    assert_eq!(event.event_id, id);
    assert_eq!(
        event.ids.user.as_deref(),
        Some(ruid[5..].split(';').next().unwrap())
    );
    assert_eq!(event.ids.xuid, None);
}

#[tokio::test]
async fn the_collect_endpoint_is_rate_limited_and_says_when_the_queue_is_full() {
    let config = config(Recorder::default(), 2);
    let router = app(config.clone());
    let cookie = format!(
        "{}; cemv=v; cems=s",
        common::consent_cookie(&config, CategorySet::all())
    );
    let with_ip =
        |mut request: Request<Body>| {
            request.extensions_mut().insert(axum::extract::ConnectInfo(
                std::net::SocketAddr::from(([203, 0, 113, 9], 4000)),
            ));
            request
        };
    for _ in 0..2 {
        let status = send(
            &router,
            with_ip(collect_request(&cookie, &batch(&["pageview"]))),
        )
        .await
        .0;
        assert_eq!(status, StatusCode::NO_CONTENT);
    }
    let (status, headers, _) = send(
        &router,
        with_ip(collect_request(&cookie, &batch(&["pageview"]))),
    )
    .await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert!(headers.contains_key(header::RETRY_AFTER));

    let full = Recorder {
        full: true,
        ..Recorder::default()
    };
    let config = self::config(full, 100);
    let router = app(config.clone());
    let cookie = format!(
        "{}; cemv=v; cems=s",
        common::consent_cookie(&config, CategorySet::all())
    );
    let status = send(&router, collect_request(&cookie, &batch(&["pageview"])))
        .await
        .0;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
}

#[tokio::test]
async fn the_outbox_commits_browser_events_and_a_database_outage_answers_503_without_details() {
    use leptos_consent::dispatch::{Outbox, RaptorProvider};

    let (store, _dir) = common::sqlite_store().await;
    let nowhere = RaptorProvider::new("http://127.0.0.1:9", "c").unwrap();
    let outbox = Outbox::builder(store.clone(), Arc::new(nowhere)).start();
    let config = config_with(TrackingConfig::builder(outbox.clone()));
    let router = app(config.clone());
    let cookie = format!(
        "{}; cemv=v; cems=s",
        common::consent_cookie(&config, CategorySet::all())
    );
    let status = send(
        &router,
        collect_request(&cookie, &batch(&["pageview", "addtocart"])),
    )
    .await
    .0;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let stored = outbox.status().await.unwrap();
    assert_eq!(stored.instance.accepted, 2, "committed before the 204");
    // In the table: pending (the provider at port 9 never answers), not lost.
    assert_eq!(stored.pending, 2);

    store.close().await;
    let (status, _, body) = send(&router, collect_request(&cookie, &batch(&["pageview"]))).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(body.contains("could not be stored; try again"), "{body}");
    assert!(!body.contains("pool"), "no database details: {body}");
}

/// The tracking ids are in the native registry too (for shops that set them from their own
/// code); with tracking on, the configuration's entry is the one: each name once in the
/// registry and the grid, in the category the tracking configuration gives it.
#[test]
fn the_registry_lists_each_cookie_name_once() {
    use std::collections::HashMap;

    let config = config(Recorder::default(), 60);
    let snapshot = config.cookie_registry().snapshot();
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for entry in snapshot.entries() {
        *seen.entry(entry.name.as_str()).or_default() += 1;
    }
    let twice: Vec<_> = seen.iter().filter(|(_, n)| **n > 1).collect();
    assert!(twice.is_empty(), "listed more than once: {twice:?}");
    for id in ["cemv", "cems", "ruid", "reaid", "xuid"] {
        let entries: Vec<_> = snapshot.lookup(id).collect();
        assert_eq!(entries.len(), 1, "{id}");
        assert_eq!(
            entries[0].category,
            leptos_consent::Category::Tracking,
            "{id}"
        );
    }
    let grid = config.cookie_details_html(&["cemv", "cems"]);
    assert_eq!(grid.matches(">cemv<").count(), 1, "{grid}");
}

/// Ids a shop declares essential are not the native registry's statistics cookies of the
/// same name: withdrawing consent leaves them, and expires the optional cookies it knows.
#[tokio::test]
async fn a_withdrawal_keeps_ids_declared_essential() {
    let config = config_with(TrackingConfig::builder(Recorder::default()).essential_ids(true));
    let request = Request::get("/products/7?ChangeCookiePolicyConsent=1")
        .header(header::COOKIE, "cemv=v; cems=s; _ga=GA1.1")
        .body(Body::empty())
        .unwrap();
    let (status, headers, _) = send(&app(config), request).await;
    assert_eq!(status, StatusCode::FOUND);
    let expired = common::set_cookies(&headers);
    assert!(
        !expired
            .iter()
            .any(|c| c.starts_with("cemv=") || c.starts_with("cems=")),
        "{expired:?}"
    );
    assert!(expired.iter().any(|c| c.starts_with("_ga=")), "{expired:?}");
}

/// The shop's own search endpoint gets the same ids tracking uses, as an axum extractor
/// and in server-side code, only with consent.
#[tokio::test]
async fn the_shop_reads_the_requests_ids_for_its_own_api_calls() {
    use leptos_consent::tracking::TrackingIds;

    async fn search(ids: Option<TrackingIds>, parts: Parts) -> String {
        // The same from the request's Parts, as server functions and SSR see them.
        let owner = Owner::new();
        let current = owner.with(|| {
            provide_context(parts);
            TrackingIds::current()
        });
        assert_eq!(current, ids);
        match ids {
            Some(ids) => format!("visitor={} session={}", ids.visitor, ids.session),
            None => "anonymous".to_owned(),
        }
    }
    let config = config(Recorder::default(), 60);
    let router = Router::new()
        .route("/api/search", get(search))
        .layer(ConsentLayer::new(config.clone()));
    let ask = |cookie: String| {
        Request::get("/api/search?q=coffee")
            .header(header::COOKIE, cookie)
            .body(Body::empty())
            .unwrap()
    };
    let allowed = format!(
        "{}; cemv=v-1; cems=s-1",
        common::consent_cookie(&config, CategorySet::all())
    );
    let (_, _, body) = send(&router, ask(allowed)).await;
    assert_eq!(body, "visitor=v-1 session=s-1");
    let refused = format!(
        "{}; cemv=v-1; cems=s-1",
        common::consent_cookie(&config, CategorySet::essential())
    );
    let (_, _, body) = send(&router, ask(refused)).await;
    assert_eq!(body, "anonymous");
}
