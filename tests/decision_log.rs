//! Decisions and resets land in the consent log before the response; the endpoints that
//! write it are rate limited per client.

mod common;

use std::{net::SocketAddr, num::NonZeroU32};

use axum::{Router, body::Body, extract::ConnectInfo, routing::post};
use http::{Request, Response, StatusCode, header};
use http_body_util::BodyExt;
use leptos_consent::{
    Category, CategorySet, ConsentConfig, ConsentDecision, ConsentLayer, Service,
    log::{
        ConsentLog, ConsentLogBuilder, ConsentRecord, IpRecording, LogAction, Recorded, Subject,
    },
    store::Store,
};
use tower::ServiceExt;

both_backends!(
    decisions_and_resets_are_recorded_with_their_context,
    do_not_track_is_recorded_beside_gpc,
    each_decision_records_the_locale_it_was_shown_in,
);

/// The log `builder` makes, limited to `per_minute` decisions per client (or not at all),
/// and a configuration that records in it.
fn config_with(builder: ConsentLogBuilder, per_minute: Option<u32>) -> (ConsentLog, ConsentConfig) {
    let log = match per_minute.and_then(NonZeroU32::new) {
        Some(limit) => builder.decisions_per_minute(limit),
        None => builder.no_rate_limit(),
    }
    .build();
    let config = ConsentConfig::builder()
        .secret("integration-test-secret-of-32-bytes-or-more")
        .locale("da-DK")
        .locales(["pl", "de"])
        .service(Service::new(
            "ga4",
            "Google Analytics 4",
            Category::Statistics,
        ))
        .service(Service::new("hotjar", "Hotjar", Category::Statistics))
        .log(log.clone())
        .build()
        .unwrap();
    (log, config)
}

fn app(config: ConsentConfig) -> Router {
    Router::new()
        .route("/_consent/decide", post(leptos_axum::handle_server_fns))
        .route(
            "/products/{id}",
            axum::routing::get(|| async { "a product" }),
        )
        .layer(ConsentLayer::new(config))
}

fn from(peer: &str, request: http::request::Builder) -> http::request::Builder {
    request.extension(ConnectInfo(peer.parse::<SocketAddr>().unwrap()))
}

async fn decide(
    router: &Router,
    peer: &str,
    form: &str,
    headers: &[(&str, &str)],
) -> Response<Body> {
    let mut request = from(peer, Request::post("/_consent/decide"))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "application/json")
        .header(header::USER_AGENT, "Mozilla/5.0 (Test) Chromium/156");
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    router
        .clone()
        .oneshot(request.body(Body::from(form.to_owned())).unwrap())
        .await
        .unwrap()
}

async fn decision_of(response: Response<Body>) -> ConsentDecision {
    let body = response.into_body().collect().await.unwrap().to_bytes();
    serde_json::from_slice(&body).unwrap()
}

/// The log's records of the decision a successful `response` answered.
async fn records_of(log: &ConsentLog, response: Response<Body>) -> Vec<ConsentRecord> {
    assert_eq!(response.status(), StatusCode::OK);
    let decision = decision_of(response).await;
    log.find(Subject::ConsentId(decision.consent_id))
        .await
        .unwrap()
}

async fn decisions_and_resets_are_recorded_with_their_context(store: Store, _url: String) {
    let (log, config) = config_with(ConsentLog::builder(store), None);
    let router = app(config.clone());

    let response = decide(
        &router,
        "203.0.113.9:41000",
        "choice=accept_all",
        &[("sec-gpc", "1")],
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    let cookie = common::cookie_pair(&common::set_cookies(response.headers())[0]);
    let decision = decision_of(response).await;

    let records = log
        .find(Subject::ConsentId(decision.consent_id))
        .await
        .unwrap();
    assert_eq!(records.len(), 1, "recorded before the response was sent");
    let record = &records[0];
    assert_eq!(record.action, LogAction::AcceptAll);
    assert_eq!(record.granted, CategorySet::all());
    assert_eq!(record.denied, CategorySet::empty());
    assert_eq!(record.policy_fingerprint, config.fingerprint().to_string());
    assert_eq!(record.locale, "da-DK");
    assert_eq!(
        record.services,
        ["ga4", "hotjar"],
        "accept all allows every service"
    );
    assert_eq!(record.ui_source, "banner");
    assert!(record.gpc);
    assert!(!record.dnt);
    assert_eq!(
        record.user_agent.as_deref(),
        Some("Mozilla/5.0 (Test) Chromium/156")
    );
    assert_eq!(record.ip.as_deref(), Some("203.0.113.9"));
    assert_eq!(record.recorded_at.unix_timestamp(), decision.decided_at);

    // A change of mind keeps the consent id: the history of one browser.
    let response = decide(
        &router,
        "203.0.113.9:41000",
        "choice=reject_all",
        &[("cookie", &cookie)],
    )
    .await;
    let cookie = common::cookie_pair(&common::set_cookies(response.headers())[0]);
    let again = decision_of(response).await;
    assert_eq!(again.consent_id, decision.consent_id);

    // The reset link withdraws it: recorded as a reset, granting only the necessary.
    let reset = from(
        "203.0.113.9:41000",
        Request::get("/products/2?ChangeCookiePolicyConsent=1"),
    )
    .header(header::COOKIE, &cookie)
    .body(Body::empty())
    .unwrap();
    let response = router.clone().oneshot(reset).await.unwrap();
    assert_eq!(response.status(), StatusCode::FOUND);
    let history = log
        .find(Subject::ConsentId(decision.consent_id))
        .await
        .unwrap();
    let actions: Vec<_> = history.iter().map(|r| r.action).collect();
    assert_eq!(
        actions,
        [LogAction::AcceptAll, LogAction::RejectAll, LogAction::Reset]
    );
    assert_eq!(history[2].granted, CategorySet::essential());
    assert_eq!(history[2].ui_source, "change-link");

    // A reset without a decision withdraws nothing and records nothing.
    let fresh = from(
        "203.0.113.10:41000",
        Request::get("/?ChangeCookiePolicyConsent=1"),
    )
    .body(Body::empty())
    .unwrap();
    router.clone().oneshot(fresh).await.unwrap();
    assert!(
        log.find(Subject::Ip("203.0.113.10".parse().unwrap()))
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn without_javascript_the_source_says_so_and_addresses_can_be_truncated() {
    let (store, _dir) = common::sqlite_store().await;
    let (log, config) = config_with(
        ConsentLog::builder(store).ip_recording(IpRecording::Truncated),
        None,
    );
    let router = app(config);
    let request = from(
        "[2001:db8:85a3:8d3::7]:443",
        Request::post("/_consent/decide"),
    )
    .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
    .header(header::ACCEPT, "text/html")
    .body(Body::from("choice=custom&statistics=true&return_to=%2F"))
    .unwrap();
    let response = router.oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let found = log
        .find(Subject::Ip("2001:db8:85a3:8d3::7".parse().unwrap()))
        .await
        .unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].ui_source, "banner-form");
    assert_eq!(found[0].ip.as_deref(), Some("2001:db8:85a3::"));
    assert_eq!(found[0].user_agent, None);
}

#[tokio::test]
async fn a_decision_over_a_dual_stack_listener_is_found_by_the_ipv4_address() {
    let (store, _dir) = common::sqlite_store().await;
    let (log, config) = config_with(ConsentLog::builder(store), None);
    let router = app(config);
    let response = decide(
        &router,
        "[::ffff:203.0.113.7]:5000",
        "choice=reject_all",
        &[],
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    let ip = "203.0.113.7".parse().unwrap();
    let found = log.find(Subject::Ip(ip)).await.unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].ip.as_deref(), Some("203.0.113.7"));
    assert_eq!(log.erase(Subject::Ip(ip)).await.unwrap(), 1);
}

#[tokio::test]
async fn a_flood_of_decisions_from_one_address_gets_429() {
    let (store, _dir) = common::sqlite_store().await;
    let (log, config) = config_with(ConsentLog::builder(store), Some(3));
    let router = app(config);
    for _ in 0..3 {
        let response = decide(&router, "198.51.100.1:1000", "choice=reject_all", &[]).await;
        assert_eq!(response.status(), StatusCode::OK);
    }
    let refused = decide(&router, "198.51.100.1:1000", "choice=reject_all", &[]).await;
    assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry_after: u64 = refused.headers()[header::RETRY_AFTER]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&retry_after), "{retry_after}");
    assert!(refused.headers().get(header::SET_COOKIE).is_none());
    let body = refused.into_body().collect().await.unwrap().to_bytes();
    assert!(String::from_utf8_lossy(&body).contains("Too many"));
    assert_eq!(
        log.find(Subject::Ip("198.51.100.1".parse().unwrap()))
            .await
            .unwrap()
            .len(),
        3,
        "the refused decision is not in the log"
    );
    // Resets count too; other addresses and ordinary pages are not affected.
    let reset = from(
        "198.51.100.1:1000",
        Request::get("/?ChangeCookiePolicyConsent=1"),
    );
    let response = router
        .clone()
        .oneshot(reset.body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    let response = decide(&router, "198.51.100.2:1000", "choice=reject_all", &[]).await;
    assert_eq!(response.status(), StatusCode::OK);
    let page = from("198.51.100.1:1000", Request::get("/products/1"));
    let response = router
        .oneshot(page.body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn with_the_database_down_the_shopper_still_decides_and_the_record_is_journaled() {
    let (store, dir) = common::sqlite_store().await;
    let journal = dir.path().join("journal.jsonl");
    store.close().await;
    let (log, config) = config_with(ConsentLog::builder(store).journal(&journal), None);
    let router = app(config);
    let response = decide(&router, "192.0.2.44:5000", "choice=accept_all", &[]).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        common::set_cookies(response.headers()).len(),
        1,
        "the decision applies"
    );
    let decision = decision_of(response).await;
    let journaled = std::fs::read_to_string(&journal).unwrap();
    assert!(
        journaled.contains(&decision.consent_id.to_string()),
        "{journaled}"
    );
    // And the append said where it went.
    let again = log
        .append(serde_json::from_str(journaled.lines().next().unwrap()).unwrap())
        .await
        .unwrap();
    assert_eq!(again, Recorded::Journal);
}

/// The template's `into_make_service()` gives requests no client address: the log would
/// keep no IP and nobody would be limited. A debug build says so at the first request, with
/// the fix; a shop that keeps no address and no limit is not bothered.
#[tokio::test]
async fn a_missing_client_address_fails_loudly_in_debug_builds() {
    let page = |router: Router, peer: Option<&'static str>| async move {
        let mut request = Request::get("/products/1").header(header::ACCEPT, "text/html");
        if let Some(peer) = peer {
            request = from(peer, request);
        }
        let response = router
            .oneshot(request.body(Body::empty()).unwrap())
            .await
            .unwrap();
        let status = response.status();
        let body = response.into_body().collect().await.unwrap().to_bytes();
        (status, String::from_utf8(body.to_vec()).unwrap())
    };
    let (store, _dir) = common::sqlite_store().await;
    let (_, config) = config_with(ConsentLog::builder(store.clone()), Some(30));
    let (status, body) = page(app(config.clone()), None).await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR, "{body}");
    assert!(
        body.contains("into_make_service_with_connect_info")
            && body.contains("ClientIp::ForwardedFor"),
        "{body}"
    );
    assert_eq!(
        page(app(config), Some("203.0.113.7:4000")).await.0,
        StatusCode::OK
    );

    // No address recorded and no limit: nothing is missing.
    let (_, config) = config_with(
        ConsentLog::builder(store).ip_recording(IpRecording::Off),
        None,
    );
    assert_eq!(page(app(config), None).await.0, StatusCode::OK);
    // Banner only: nothing is missing either.
    assert_eq!(page(app(common::config()), None).await.0, StatusCode::OK);
}

/// `DNT: 1` is a fact of the request the log keeps, like `Sec-GPC: 1` (whether or not the
/// shop honours it); the two are told apart.
async fn do_not_track_is_recorded_beside_gpc(store: Store, _url: String) {
    let (log, config) = config_with(ConsentLog::builder(store), None);
    let router = app(config);
    let response = decide(
        &router,
        "203.0.113.9:41000",
        "choice=reject_all",
        &[("dnt", "1")],
    )
    .await;
    let records = records_of(&log, response).await;
    assert_eq!((records[0].dnt, records[0].gpc), (true, false));
}

async fn each_decision_records_the_locale_it_was_shown_in(store: Store, _url: String) {
    let (log, config) = config_with(ConsentLog::builder(store), None);
    let router = app(config);
    for (accept_language, shown) in [
        ("pl-PL,pl;q=0.9,en;q=0.5", "pl"),
        ("de-CH", "de"),
        ("fr-FR,fr;q=0.9", "da-DK"),
    ] {
        let response = decide(
            &router,
            "203.0.113.10:41000",
            "choice=reject_all",
            &[("accept-language", accept_language)],
        )
        .await;
        let records = records_of(&log, response).await;
        assert_eq!(records[0].locale, shown, "{accept_language}");
        assert!(
            records[0].services.is_empty(),
            "a refusal allows no service"
        );
    }
    // One service ticked on its own: the record names it, and only it.
    let response = decide(
        &router,
        "203.0.113.10:41000",
        "choice=custom&services%5B%5D=hotjar",
        &[],
    )
    .await;
    let records = records_of(&log, response).await;
    assert_eq!(records[0].services, ["hotjar"]);
    assert_eq!(
        records[0].granted,
        CategorySet::essential().with(Category::Statistics)
    );
}
