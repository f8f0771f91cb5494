//! One person across the crate's stores: the consent log records the visitor id tracking
//! keeps (when the decision lets it be kept), and an erasure by visitor id, or by the user
//! id tracking sends, reaches the tracking outbox and its dead letters too.

mod common;

use std::{
    net::SocketAddr,
    sync::{Arc, Mutex},
    time::Duration,
};

use axum::{Router, body::Body, extract::ConnectInfo, routing::post};
use http::{Method, Request, Response, StatusCode, header};
use leptos_consent::{
    ConsentConfig, ConsentLayer, EventKind, Uuid,
    admin::{AdminToken, consent_log_admin, data_subject_admin},
    dispatch::{DeliveryFailure, Provider},
    log::{ConsentLog, LogAction, Subject},
    store::Store,
    tracking::{
        BoxFuture, EventSink, TrackedEvent, TrackingConfig, TrackingConfigBuilder, VisitorId,
    },
};
use tower::ServiceExt;

both_backends!(an_erasure_by_visitor_or_user_id_reaches_the_outbox_and_its_dead_letters);

const TOKEN: &str = "admin-token-for-the-data-subject-tests";

/// Delivers every event but those on `/dead` (refused for good) and `/pending` (the
/// provider is down for them, so they stay pending).
#[derive(Default)]
struct ThreeWays {
    delivered: Mutex<Vec<Uuid>>,
}

impl Provider for ThreeWays {
    fn name(&self) -> &str {
        "three-ways"
    }

    fn deliver<'a>(
        &'a self,
        events: &'a [TrackedEvent],
    ) -> BoxFuture<'a, Result<(), DeliveryFailure>> {
        Box::pin(async move {
            for (i, event) in events.iter().enumerate() {
                match event.page.as_str() {
                    "/dead" => return Err(DeliveryFailure::permanent(i, "refused")),
                    "/pending" => return Err(DeliveryFailure::transient(i, "down")),
                    _ => self.delivered.lock().unwrap().push(event.event_id),
                }
            }
            Ok(())
        })
    }
}

/// A consent configuration keeping its log in `log` and tracking as `tracking` says.
fn config(log: &ConsentLog, tracking: TrackingConfigBuilder) -> ConsentConfig {
    ConsentConfig::builder()
        .secret("integration-test-secret-of-32-bytes-or-more")
        .log(log.clone())
        .tracking(tracking.build().unwrap())
        .build()
        .unwrap()
}

fn app(config: ConsentConfig) -> Router {
    Router::new()
        .route("/_consent/decide", post(leptos_axum::handle_server_fns))
        .route("/", axum::routing::get(|| async { "the shop" }))
        .layer(ConsentLayer::new(config))
}

/// A decision posted from `peer` with the browser's `cookies`.
async fn decide(router: &Router, peer: &str, choice: &str, cookies: &str) -> Response<Body> {
    let mut request = Request::post("/_consent/decide")
        .extension(ConnectInfo(peer.parse::<SocketAddr>().unwrap()))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "application/json");
    if !cookies.is_empty() {
        request = request.header(header::COOKIE, cookies);
    }
    let response = router
        .clone()
        .oneshot(
            request
                .body(Body::from(format!("choice={choice}")))
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK, "{choice}");
    response
}

/// The value the response sets for cookie `name`, if it sets one (and does not expire it).
fn set_value(response: &Response<Body>, name: &str) -> Option<String> {
    common::set_cookies(response.headers())
        .iter()
        .map(|set| common::cookie_pair(set))
        .find_map(|pair| {
            let value = pair.strip_prefix(&format!("{name}="))?;
            (!value.is_empty()).then(|| value.to_owned())
        })
}

/// The log's visitor ids of every record about the browser from `peer`.
async fn logged_visitors(log: &ConsentLog, peer: &str) -> Vec<(LogAction, Option<VisitorId>)> {
    let ip = peer.parse::<SocketAddr>().unwrap().ip();
    log.find(Subject::Ip(ip))
        .await
        .unwrap()
        .into_iter()
        .map(|record| (record.action, record.visitor_id))
        .collect()
}

/// `DELETE /admin/consent-log?{person}`: the status and the answer.
async fn erase(admin: &Router, person: &str) -> (StatusCode, serde_json::Value) {
    common::admin_call(
        admin,
        Method::DELETE,
        &format!("/admin/consent-log?{person}"),
        Some(TOKEN),
        None,
    )
    .await
}

fn event_of(visitor: &VisitorId, user: Option<&str>, page: &str) -> TrackedEvent {
    let mut event = common::tracked_event(EventKind::PageView, common::now_ms());
    event.ids.visitor = visitor.clone();
    event.ids.user = user.map(str::to_owned);
    event.page = page.to_owned();
    event
}

async fn an_erasure_by_visitor_or_user_id_reaches_the_outbox_and_its_dead_letters(
    store: Store,
    _url: String,
) {
    let log = ConsentLog::builder(store.clone()).no_rate_limit().build();
    let provider = Arc::new(ThreeWays::default());
    // The `/pending` events stay pending however slow the machine: with the quick outbox's
    // 20–200 ms backoff the default 30 attempts ran out in a slow CI run (6.5 s) and a
    // fourth event went to the dead letters.
    let outbox = common::quick_outbox(store, provider.clone())
        .max_attempts(u32::MAX)
        .start();
    let router = app(config(&log, TrackingConfig::builder(outbox.clone())));

    // Accepting: the log records the visitor id the response's `cemv` cookie carries.
    let accepted = decide(&router, "203.0.113.1:1000", "accept_all", "").await;
    let visitor: VisitorId = set_value(&accepted, "cemv")
        .expect("ids start with the decision")
        .parse()
        .unwrap();
    assert_eq!(
        logged_visitors(&log, "203.0.113.1:1000").await,
        [(LogAction::AcceptAll, Some(visitor.clone()))]
    );
    // Refusing: no id is kept, so none is recorded.
    let refused = decide(&router, "203.0.113.2:1000", "reject_all", "").await;
    assert_eq!(set_value(&refused, "cemv"), None);
    assert_eq!(
        logged_visitors(&log, "203.0.113.2:1000").await,
        [(LogAction::RejectAll, None)]
    );

    // The visitor's events: one delivered (kept to recognise a repeat), one pending, one
    // dead letter; another shopper's (identified, user id `ruid`) likewise; a third's.
    // The dead ones come before the pending ones: a refusal puts the events after it back
    // due at once, in order, so each round dead-letters one until only the pending are
    // left. (Pending first, a dead one was attempted only when the jittered backoffs left
    // it alone in a round, which once took longer than 5 s.)
    let other: VisitorId = Uuid::new_v4().into();
    let bystander: VisitorId = Uuid::new_v4().into();
    let ruid = leptos_consent::tracking::user_id_of("customer-42");
    let mut events = Vec::new();
    for page in ["/", "/dead", "/pending"] {
        events.push(event_of(&visitor, None, page));
        events.push(event_of(&other, Some(&ruid), page));
        events.push(event_of(&bystander, None, page));
    }
    outbox.accept(events).await.unwrap();
    common::eventually(Duration::from_secs(10), "3 delivered, 3 dead", || {
        provider.delivered.lock().unwrap().len() == 3
    })
    .await;
    for _ in 0..500 {
        if outbox.status().await.unwrap().dead_letters == 3 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(outbox.status().await.unwrap().dead_letters, 3);

    // Without the outbox the log's endpoints cannot erase by user id, and say so.
    let log_only = Router::new().nest(
        "/admin",
        consent_log_admin(log.clone(), AdminToken::new(TOKEN).unwrap()),
    );
    let (status, answer) = erase(&log_only, &format!("ruid={ruid}")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{answer}");
    assert!(answer["error"].as_str().unwrap().contains("no user ids"));

    let admin = Router::new().nest(
        "/admin",
        data_subject_admin(log.clone(), outbox.clone(), AdminToken::new(TOKEN).unwrap()),
    );
    let (status, answer) = erase(&admin, &format!("visitor_id={visitor}")).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(
        answer,
        serde_json::json!({"erased": 1, "tracked_events": 3, "dead_letters": 1}),
        "the decision, the delivered, pending and dead events (the dead one's outbox row too)"
    );
    assert!(
        log.find(Subject::VisitorId(visitor.clone()))
            .await
            .unwrap()
            .is_empty()
    );

    let (status, answer) = erase(&admin, &format!("ruid={ruid}")).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(
        answer,
        serde_json::json!({"erased": 0, "tracked_events": 3, "dead_letters": 1})
    );

    // By IP address (or consent id): the visitor ids the log recorded for it.
    let accepted = decide(&router, "203.0.113.4:1000", "accept_all", "").await;
    let fourth: VisitorId = set_value(&accepted, "cemv").unwrap().parse().unwrap();
    outbox
        .accept(vec![event_of(&fourth, None, "/pending")])
        .await
        .unwrap();
    let (status, answer) = erase(&admin, "ip=203.0.113.4").await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(
        answer,
        serde_json::json!({"erased": 1, "tracked_events": 1, "dead_letters": 0})
    );

    // Only the bystander's events are left.
    let letters = outbox.dead_letters(50).await.unwrap();
    assert_eq!(letters.len(), 1);
    assert_eq!(letters[0].event["ids"]["visitor"], bystander.as_str());
    let status = outbox.status().await.unwrap();
    assert_eq!((status.pending, status.delivered_kept), (1, 1));
    outbox.stop().await;
}

/// A sink that keeps nothing: these tests only look at the ids and the log.
#[derive(Clone)]
struct Nowhere;

impl EventSink for Nowhere {
    fn accept(
        &self,
        _events: Vec<TrackedEvent>,
    ) -> BoxFuture<'_, Result<(), leptos_consent::tracking::SinkError>> {
        Box::pin(async { Ok(()) })
    }
}

#[tokio::test]
async fn ids_the_shop_declares_essential_or_keeps_itself_are_recorded() {
    let (store, _dir) = common::sqlite_store().await;
    let log = ConsentLog::builder(store).no_rate_limit().build();

    // Essential ids are kept whatever the shopper decides: a refusal records them, and so
    // does a withdrawal through the change link.
    let router = app(config(
        &log,
        TrackingConfig::builder(Nowhere).essential_ids(true),
    ));
    let refused = decide(&router, "198.51.100.1:1000", "reject_all", "").await;
    let visitor = set_value(&refused, "cemv").expect("essential ids are written");
    let consent = common::cookie_pair(&common::set_cookies(refused.headers())[0]);
    let reset = Request::get("/?ChangeCookiePolicyConsent=1")
        .extension(ConnectInfo(
            "198.51.100.1:1000".parse::<SocketAddr>().unwrap(),
        ))
        .header(header::COOKIE, format!("{consent}; cemv={visitor}"))
        .body(Body::empty())
        .unwrap();
    assert_eq!(
        router.clone().oneshot(reset).await.unwrap().status(),
        StatusCode::FOUND
    );
    let visitor: VisitorId = visitor.parse().unwrap();
    assert_eq!(
        logged_visitors(&log, "198.51.100.1:1000").await,
        [
            (LogAction::RejectAll, Some(visitor.clone())),
            (LogAction::Reset, Some(visitor)),
        ]
    );

    // The shop's own visitor cookie (tracking writes none): its value, not a uuid.
    let router = app(config(
        &log,
        TrackingConfig::builder(Nowhere)
            .write_cookies(false)
            .visitor_cookie("shop_visitor")
            .session_cookie("shop_session"),
    ));
    let own = "shop_visitor=visitor-17; shop_session=s-9";
    decide(&router, "198.51.100.2:1000", "accept_all", own).await;
    decide(&router, "198.51.100.3:1000", "reject_all", own).await;
    assert_eq!(
        logged_visitors(&log, "198.51.100.2:1000").await,
        [(LogAction::AcceptAll, Some("visitor-17".parse().unwrap()))]
    );
    assert_eq!(
        logged_visitors(&log, "198.51.100.3:1000").await,
        [(LogAction::RejectAll, None)],
        "a refusal keeps no id: none is recorded"
    );
}
