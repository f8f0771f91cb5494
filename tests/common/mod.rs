//! Helpers shared by the integration tests.

#![allow(dead_code, unreachable_pub)] // each test binary uses a different part

use http::HeaderMap;
use leptos_consent::{
    CategorySet, ConsentAction, ConsentConfig, ConsentDecision, ConsentMode, Uuid,
};

/// A configuration with a fixed test secret.
pub fn config() -> ConsentConfig {
    config_with_mode(ConsentMode::BlockBeforeConsent)
}

/// A configuration in `mode`.
pub fn config_with_mode(mode: ConsentMode) -> ConsentConfig {
    ConsentConfig::builder()
        .secret("integration-test-secret-of-32-bytes-or-more")
        .mode(mode)
        .policy_url("/terms?HideCookieDialog=1#cookieconsent")
        .build()
        .expect("a valid test configuration")
}

/// The request as the [`ConsentLayer`](leptos_consent::ConsentLayer) hands it on to the
/// router: its `Parts`, with the request's consent read into the extensions. Pages and
/// server functions see exactly these.
pub fn through_layer(config: &ConsentConfig, request: http::Request<()>) -> http::request::Parts {
    use std::sync::{Arc, Mutex};

    use tower::{Layer, ServiceExt};

    let seen = Arc::new(Mutex::new(None));
    let inner = {
        let seen = seen.clone();
        tower::service_fn(move |request: http::Request<()>| {
            *seen.lock().expect("not poisoned") = Some(request.into_parts().0);
            async {
                Ok::<_, std::convert::Infallible>(http::Response::new(axum::body::Body::empty()))
            }
        })
    };
    let service = leptos_consent::ConsentLayer::new(config.clone()).layer(inner);
    tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("a runtime")
        .block_on(service.oneshot(request))
        .expect("infallible");
    seen.lock()
        .expect("not poisoned")
        .take()
        .expect("the layer passes a page request on")
}

/// Resolves `location` as a browser would (WHATWG URL parsing) and checks the origin.
pub fn assert_stays_on_the_shop(location: &str) {
    let base = url::Url::parse("https://shop.example/some/page?q=1").unwrap();
    let resolved = base
        .join(location)
        .unwrap_or_else(|e| panic!("{location:?}: {e}"));
    assert_eq!(
        resolved.origin(),
        base.origin(),
        "{location:?} resolved to {resolved}"
    );
    assert!(location.starts_with('/'), "{location:?}");
    assert!(
        !location.starts_with("//") && !location.starts_with("/\\"),
        "{location:?}"
    );
    assert!(
        location.bytes().all(|b| b.is_ascii_graphic() && b != b'\\'),
        "{location:?}"
    );
}

/// The `main` of a test without libtest's harness that runs its own binary again as a
/// child process: with `child_flag` first it runs `child` with the arguments after the
/// flag; with `--list` it lists `name`; otherwise it runs `test` and reports as libtest
/// does (`cargo test` reads the closing lines).
pub fn harnessless<C, T>(
    name: &str,
    child_flag: &str,
    child: impl FnOnce(Vec<String>) -> C,
    test: impl FnOnce() -> T,
) where
    C: std::future::Future<Output = ()>,
    T: std::future::Future<Output = ()>,
{
    use std::io::Write;

    let args: Vec<String> = std::env::args().collect();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let mut stdout = std::io::stdout();
    if args.get(1).map(String::as_str) == Some(child_flag) {
        runtime.block_on(child(args[2..].to_vec()));
    } else if args.iter().any(|a| a == "--list") {
        writeln!(stdout, "{name}: test").expect("stdout");
    } else {
        write!(stdout, "test {name} ... ").expect("stdout");
        runtime.block_on(test());
        writeln!(stdout, "ok").expect("stdout");
    }
}

/// Now, in seconds since the Unix epoch.
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("a clock after 1970")
        .as_secs() as i64
}

/// The `name=value` of a consent cookie `config` signed for a decision granting `granted`,
/// taken at `decided_at` (seconds since the epoch).
pub fn consent_cookie_at(config: &ConsentConfig, granted: CategorySet, decided_at: i64) -> String {
    let decision = ConsentDecision {
        consent_id: Uuid::new_v4(),
        granted,
        action: ConsentAction::Custom,
        decided_at,
        refused_services: Default::default(),
    };
    format!(
        "{}={}",
        config.cookie_name(),
        config.encode_decision(&decision)
    )
}

/// The `name=value` of a consent cookie for a decision granting `granted`, taken now.
pub fn consent_cookie(config: &ConsentConfig, granted: CategorySet) -> String {
    consent_cookie_at(config, granted, now())
}

/// Every `Set-Cookie` header of a response.
pub fn set_cookies(headers: &HeaderMap) -> Vec<String> {
    headers
        .get_all(http::header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().expect("ASCII").to_owned())
        .collect()
}

/// The `name=value` part of a `Set-Cookie` header, ready for a `Cookie` header.
pub fn cookie_pair(set_cookie: &str) -> String {
    set_cookie.split(';').next().unwrap_or_default().to_owned()
}

/// The environment variable naming the PostgreSQL database the tests may use, e.g.
/// `postgres://postgres:postgres@127.0.0.1:5432/leptos_consent_test`.
pub const POSTGRES_ENV: &str = "LEPTOS_CONSENT_TEST_POSTGRES";

#[cfg(feature = "sqlite")]
/// A fresh SQLite store in a temporary directory (kept alive by the returned guard).
pub async fn sqlite_store() -> (leptos_consent::store::Store, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let url = format!("sqlite://{}", dir.path().join("consent.db").display());
    let store = leptos_consent::store::Store::connect(&url)
        .await
        .expect("a SQLite store");
    (store, dir)
}

#[cfg(feature = "postgres")]
/// A PostgreSQL store in a schema of its own, or `None` (with a note) when no database is
/// configured. Under CI (`CI` set) a missing database fails the test instead.
pub async fn postgres_store() -> Option<(leptos_consent::store::Store, String)> {
    let Ok(base) = std::env::var(POSTGRES_ENV) else {
        if std::env::var_os("CI").is_some() {
            panic!("{POSTGRES_ENV} is not set: CI must run the PostgreSQL tests");
        }
        eprintln!("skipped: set {POSTGRES_ENV} to run the PostgreSQL tests");
        return None;
    };
    let schema = format!("test_{}", uuid::Uuid::new_v4().simple());
    let admin = sqlx::PgPool::connect(&base)
        .await
        .expect("PostgreSQL from {POSTGRES_ENV}");
    sqlx::query(&format!("CREATE SCHEMA {schema}"))
        .execute(&admin)
        .await
        .expect("a test schema");
    admin.close().await;
    let separator = if base.contains('?') { '&' } else { '?' };
    let url = format!("{base}{separator}options[search_path]={schema}");
    let store = leptos_consent::store::Store::connect(&url)
        .await
        .expect("a PostgreSQL store");
    Some((store, url))
}

#[cfg(all(feature = "sqlite", feature = "postgres"))]
/// Runs `sql` on the test database at `url` (from [`both_backends!`]) behind the store's
/// back, to break it on purpose.
pub async fn execute(url: &str, sql: &str) {
    if url.starts_with("sqlite:") {
        let pool = sqlx::SqlitePool::connect(url)
            .await
            .expect("the test's SQLite");
        sqlx::query(sql).execute(&pool).await.expect(sql);
        pool.close().await;
    } else {
        let pool = sqlx::PgPool::connect(url)
            .await
            .expect("the test's PostgreSQL");
        sqlx::query(sql).execute(&pool).await.expect(sql);
        pool.close().await;
    }
}

/// Runs an async test body against SQLite and PostgreSQL: `both_backends!(name);` makes
/// `name::sqlite` and `name::postgres` from `async fn name(store: Store, url: String)`.
#[macro_export]
macro_rules! both_backends {
    ($($name:ident),+ $(,)?) => {$(
        mod $name {
            #[tokio::test]
            async fn sqlite() {
                let (store, dir) = $crate::common::sqlite_store().await;
                let url = format!("sqlite://{}", dir.path().join("consent.db").display());
                super::$name(store, url).await;
            }

            #[tokio::test]
            async fn postgres() {
                if let Some((store, url)) = $crate::common::postgres_store().await {
                    super::$name(store, url).await;
                }
            }
        }
    )+};
}

/// Sends a request to an admin router (with `Authorization: Bearer <token>` and a JSON
/// body when given) and returns the status and the JSON answer (`Null` when there is none).
pub async fn admin_call(
    router: &axum::Router,
    method: http::Method,
    uri: &str,
    token: Option<&str>,
    body: Option<&str>,
) -> (http::StatusCode, serde_json::Value) {
    let (status, _, value) = admin_call_with_headers(router, method, uri, token, body).await;
    (status, value)
}

/// [`admin_call`], with the answer's headers.
pub async fn admin_call_with_headers(
    router: &axum::Router,
    method: http::Method,
    uri: &str,
    token: Option<&str>,
    body: Option<&str>,
) -> (http::StatusCode, http::HeaderMap, serde_json::Value) {
    use http_body_util::BodyExt;
    use tower::ServiceExt;

    let mut request = http::Request::builder().method(method).uri(uri);
    if let Some(token) = token {
        request = request.header(http::header::AUTHORIZATION, format!("Bearer {token}"));
    }
    if body.is_some() {
        request = request.header(http::header::CONTENT_TYPE, "application/json");
    }
    let request = request
        .body(axum::body::Body::from(body.unwrap_or_default().to_owned()))
        .unwrap();
    let response = router.clone().oneshot(request).await.unwrap();
    let (parts, body) = response.into_parts();
    let bytes = body.collect().await.unwrap().to_bytes();
    (
        parts.status,
        parts.headers,
        serde_json::from_slice(&bytes).unwrap_or(serde_json::Value::Null),
    )
}

/// Now, in milliseconds since the Unix epoch.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|since| since.as_millis() as i64)
        .expect("a clock after 1970")
}

#[cfg(feature = "tracking")]
/// An event of `kind` that happened at `occurred_at_ms` on `/`: a fresh event id (v4, as a
/// foreign sender's) and fresh visitor and session ids, every category allowed.
pub fn tracked_event(
    kind: leptos_consent::EventKind,
    occurred_at_ms: i64,
) -> leptos_consent::tracking::TrackedEvent {
    leptos_consent::tracking::TrackedEvent {
        event_id: Uuid::new_v4(),
        occurred_at_ms,
        event: leptos_consent::Event::new(kind),
        ids: leptos_consent::tracking::TrackingIds {
            visitor: Uuid::new_v4().into(),
            session: Uuid::new_v4().to_string(),
            user: None,
            reaid: None,
            xuid: None,
        },
        page: "/".to_owned(),
        consent: CategorySet::all(),
        source: leptos_consent::tracking::EventSource::Server,
    }
}

/// Waits until `done` holds, looking every 10 ms; fails naming `what` after `limit`.
pub async fn eventually(limit: std::time::Duration, what: &str, mut done: impl FnMut() -> bool) {
    let start = std::time::Instant::now();
    while !done() {
        assert!(start.elapsed() < limit, "timed out waiting until {what}");
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
}

#[cfg(feature = "outbox")]
/// An outbox on `store` that polls every 20 ms and retries after 20 to 200 ms, for tests.
pub fn quick_outbox(
    store: leptos_consent::store::Store,
    provider: std::sync::Arc<dyn leptos_consent::dispatch::Provider>,
) -> leptos_consent::dispatch::OutboxBuilder {
    leptos_consent::dispatch::Outbox::builder(store, provider)
        .poll_interval(std::time::Duration::from_millis(20))
        .retry(leptos_consent::dispatch::Backoff::new(
            std::time::Duration::from_millis(20),
            std::time::Duration::from_millis(200),
        ))
}
