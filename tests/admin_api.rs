//! The consent log's admin endpoints: bearer token, clear 400/401 answers, find, export,
//! erase.

mod common;

use axum::{Router, body::Body};
use http::{Method, Request, StatusCode, header};
use leptos_consent::{
    CategorySet, Uuid,
    admin::{AdminToken, consent_log_admin},
    log::{ConsentLog, ConsentRecord, LogAction},
    store::Store,
};

use time::{Duration, OffsetDateTime};
use tower::ServiceExt;

const TOKEN: &str = "test-admin-token-0123456789abcdef";

both_backends!(staff_find_export_and_erase_a_persons_entries);

fn admin(log: ConsentLog) -> Router {
    Router::new().nest(
        "/admin",
        consent_log_admin(log, AdminToken::new(TOKEN).unwrap()),
    )
}

fn record(consent_id: Uuid, ip: &str, days_ago: i64) -> ConsentRecord {
    ConsentRecord {
        id: Uuid::new_v4(),
        consent_id,
        visitor_id: None,
        recorded_at: (OffsetDateTime::now_utc() - Duration::days(days_ago))
            .replace_nanosecond(0)
            .unwrap(),
        action: LogAction::AcceptAll,
        granted: CategorySet::all(),
        denied: CategorySet::empty(),
        policy_fingerprint: "0123456789abcdef".to_owned(),
        locale: "en".to_owned(),
        ui_source: "banner".to_owned(),
        gpc: false,
        dnt: false,
        user_agent: None,
        ip: Some(ip.to_owned()),
        services: Vec::new(),
    }
}

async fn staff_find_export_and_erase_a_persons_entries(store: Store, _url: String) {
    let log = ConsentLog::builder(store).build();
    let router = admin(log.clone());
    let alice = Uuid::new_v4();
    log.append(record(alice, "203.0.113.5", 30)).await.unwrap();
    log.append(record(alice, "203.0.113.5", 1)).await.unwrap();
    log.append(record(Uuid::new_v4(), "198.51.100.1", 900))
        .await
        .unwrap();

    let (status, found) = common::admin_call(
        &router,
        Method::GET,
        &format!("/admin/consent-log?consent_id={alice}"),
        Some(TOKEN),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{found}");
    assert_eq!(found["count"], 2);
    let first = &found["records"][0];
    assert_eq!(first["consent_id"], alice.to_string());
    assert_eq!(first["action"], "accept_all");
    assert_eq!(
        first["granted"],
        serde_json::json!(["system", "functional", "statistics", "tracking"])
    );
    assert!(
        first["recorded_at"].as_str().unwrap().ends_with('Z'),
        "RFC 3339 in UTC: {first}"
    );

    let (status, by_ip) = common::admin_call(
        &router,
        Method::GET,
        "/admin/consent-log?ip=203.0.113.5",
        Some(TOKEN),
        None,
    )
    .await;
    assert_eq!((status, by_ip["count"].as_u64()), (StatusCode::OK, Some(2)));

    let (status, erased) = common::admin_call(
        &router,
        Method::DELETE,
        &format!("/admin/consent-log?consent_id={alice}"),
        Some(TOKEN),
        None,
    )
    .await;
    assert_eq!(
        (status, erased["erased"].as_u64()),
        (StatusCode::OK, Some(2))
    );
    let (_, after) = common::admin_call(
        &router,
        Method::GET,
        "/admin/consent-log?ip=203.0.113.5",
        Some(TOKEN),
        None,
    )
    .await;
    assert_eq!(after["count"], 0);

    let before = (OffsetDateTime::now_utc() - Duration::days(365))
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap();
    let (status, erased) = common::admin_call(
        &router,
        Method::POST,
        "/admin/consent-log/erase-before",
        Some(TOKEN),
        Some(&format!(r#"{{"before": "{before}"}}"#)),
    )
    .await;
    assert_eq!(
        (status, erased["erased"].as_u64()),
        (StatusCode::OK, Some(1))
    );
}

#[tokio::test]
async fn without_the_token_nothing_is_shown_or_changed() {
    let (store, _dir) = common::sqlite_store().await;
    let log = ConsentLog::builder(store).build();
    let alice = Uuid::new_v4();
    log.append(record(alice, "203.0.113.5", 1)).await.unwrap();
    let router = admin(log.clone());
    let uri = format!("/admin/consent-log?consent_id={alice}");
    for token in [None, Some("wrong-token-but-long-enough-0000"), Some("")] {
        for method in [Method::GET, Method::DELETE] {
            let request = Request::builder().method(method.clone()).uri(&uri);
            let request = match token {
                Some(token) => request.header(header::AUTHORIZATION, format!("Bearer {token}")),
                None => request,
            };
            let response = router
                .clone()
                .oneshot(request.body(Body::empty()).unwrap())
                .await
                .unwrap();
            assert_eq!(
                response.status(),
                StatusCode::UNAUTHORIZED,
                "{method} with {token:?}"
            );
            assert!(
                response.headers()[header::WWW_AUTHENTICATE]
                    .to_str()
                    .unwrap()
                    .starts_with("Bearer")
            );
        }
    }
    let (status, _) = common::admin_call(
        &router,
        Method::POST,
        "/admin/consent-log/erase-before",
        None,
        Some(r#"{"before":"2100-01-01T00:00:00Z"}"#),
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        log.find(leptos_consent::log::Subject::ConsentId(alice))
            .await
            .unwrap()
            .len(),
        1,
        "nothing changed"
    );
}

#[tokio::test]
async fn malformed_requests_get_a_clear_400_and_change_nothing() {
    let (store, _dir) = common::sqlite_store().await;
    let log = ConsentLog::builder(store).build();
    log.append(record(Uuid::new_v4(), "203.0.113.5", 1))
        .await
        .unwrap();
    let router = admin(log.clone());
    let id = Uuid::new_v4();
    for (method, uri, body, says) in [
        (
            Method::GET,
            "/admin/consent-log".to_owned(),
            None,
            "exactly one",
        ),
        (
            Method::DELETE,
            "/admin/consent-log".to_owned(),
            None,
            "exactly one",
        ),
        (
            Method::GET,
            format!("/admin/consent-log?ip=203.0.113.5&consent_id={id}"),
            None,
            "exactly one",
        ),
        (
            Method::GET,
            "/admin/consent-log?ip=not-an-ip".to_owned(),
            None,
            "not an IPv4 or IPv6",
        ),
        (
            Method::DELETE,
            "/admin/consent-log?consent_id=42".to_owned(),
            None,
            "not a UUID",
        ),
        (
            Method::GET,
            "/admin/consent-log?email=a@b.c".to_owned(),
            None,
            "email",
        ),
        (
            Method::POST,
            "/admin/consent-log/erase-before".to_owned(),
            Some("{"),
            "JSON",
        ),
        (
            Method::POST,
            "/admin/consent-log/erase-before".to_owned(),
            Some(r#"{"before": "last tuesday"}"#),
            "RFC 3339",
        ),
        (
            Method::POST,
            "/admin/consent-log/erase-before".to_owned(),
            Some(r#"{"after": "2020-01-01T00:00:00Z"}"#),
            "after",
        ),
    ] {
        let (status, answer) =
            common::admin_call(&router, method.clone(), &uri, Some(TOKEN), body).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{method} {uri}: {answer}");
        let message = answer["error"].as_str().unwrap_or_default();
        assert!(
            message.contains(says),
            "{method} {uri}: {message:?} should mention {says:?}"
        );
    }
    let (_, all) = common::admin_call(
        &router,
        Method::GET,
        "/admin/consent-log?ip=203.0.113.5",
        Some(TOKEN),
        None,
    )
    .await;
    assert_eq!(all["count"], 1, "nothing was erased");
}
