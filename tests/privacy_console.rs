//! The privacy console on SQLite and PostgreSQL, as a browser without JavaScript uses it:
//! sign in with the admin token, search, export, erase and purge records, sign out; and what
//! it refuses: no session, a wrong token, a missing or foreign CSRF token, a replayed
//! session cookie after sign-out, markup in stored values.

mod common;

use axum::{Router, body::Body};
use http::{HeaderMap, Method, Request, StatusCode, header};
use http_body_util::BodyExt;
use leptos_consent::{
    CategorySet, Uuid,
    admin::AdminToken,
    console::{
        ConsoleError, PrivacyConsole,
        access::{CSRF_COOKIE, SESSION_COOKIE, SIGN_INS_PER_MINUTE, Staff},
    },
    log::{ConsentLog, ConsentRecord, LogAction},
    store::Store,
};
use time::{Duration, OffsetDateTime};
use tower::ServiceExt;

both_backends!(
    a_staff_member_finds_exports_erases_and_purges_records,
    the_console_refuses_whoever_is_not_signed_in_or_forges,
    dead_letters_are_listed_requeued_and_discarded,
    unknown_cookies_seen_in_traffic_are_described_from_the_console,
);

const TOKEN: &str = "console-token-for-the-console-tests";
const BASE: &str = "/admin/privacy";

fn console(log: ConsentLog) -> Router {
    PrivacyConsole::builder(BASE, log)
        .secret([5u8; 32])
        .token(AdminToken::new(TOKEN).unwrap())
        .secure(false)
        .build()
        .unwrap()
        .router()
}

/// A browser without JavaScript: it keeps the cookies the console sets. It connects from
/// `peer`.
struct Browser {
    router: Router,
    cookies: Vec<(String, String)>,
    peer: std::net::SocketAddr,
}

struct Page {
    status: StatusCode,
    headers: HeaderMap,
    body: String,
}

impl Page {
    /// The value of the hidden `csrf` field of the page's first form.
    fn csrf(&self) -> String {
        let start = self.body.find(r#"name="csrf" value=""#).expect("a form") + 19;
        let end = self.body[start..].find('"').unwrap() + start;
        self.body[start..end].to_owned()
    }

    fn location(&self) -> &str {
        self.headers[header::LOCATION].to_str().unwrap()
    }
}

impl Browser {
    fn new(router: Router) -> Self {
        Browser {
            router,
            cookies: Vec::new(),
            peer: ([192, 0, 2, 10], 40000).into(),
        }
    }

    async fn send(&mut self, method: Method, uri: &str, form: Option<&str>) -> Page {
        let mut request = Request::builder()
            .method(method)
            .uri(uri)
            .extension(axum::extract::ConnectInfo(self.peer));
        if !self.cookies.is_empty() {
            let cookie = self
                .cookies
                .iter()
                .map(|(name, value)| format!("{name}={value}"))
                .collect::<Vec<_>>()
                .join("; ");
            request = request.header(header::COOKIE, cookie);
        }
        if form.is_some() {
            request = request.header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        }
        let request = request
            .body(Body::from(form.unwrap_or_default().to_owned()))
            .unwrap();
        let response = self.router.clone().oneshot(request).await.unwrap();
        let (parts, body) = response.into_parts();
        for set in parts.headers.get_all(header::SET_COOKIE) {
            let set = set.to_str().unwrap();
            assert!(
                set.contains("HttpOnly") && set.contains("SameSite=Strict"),
                "{set}"
            );
            assert!(set.contains(&format!("Path={BASE}")), "{set}");
            let (pair, _) = set.split_once(';').unwrap();
            let (name, value) = pair.split_once('=').unwrap();
            self.cookies.retain(|(kept, _)| kept != name);
            if !set.contains("Max-Age=0") {
                self.cookies.push((name.to_owned(), value.to_owned()));
            }
        }
        let body = String::from_utf8(body.collect().await.unwrap().to_bytes().to_vec()).unwrap();
        Page {
            status: parts.status,
            headers: parts.headers,
            body,
        }
    }

    async fn get(&mut self, uri: &str) -> Page {
        self.send(Method::GET, uri, None).await
    }

    async fn post(&mut self, uri: &str, form: &str) -> Page {
        self.send(Method::POST, uri, Some(form)).await
    }

    async fn sign_in(&mut self) {
        let login = self.get(&format!("{BASE}/login")).await;
        assert_eq!(login.status, StatusCode::OK);
        let form = format!("csrf={}&token={TOKEN}", encode(&login.csrf()));
        let signed_in = self.post(&format!("{BASE}/login"), &form).await;
        assert_eq!(
            signed_in.status,
            StatusCode::SEE_OTHER,
            "{}",
            signed_in.body
        );
        assert_eq!(signed_in.location(), format!("{BASE}/overview"));
    }

    fn cookie(&self, name: &str) -> Option<String> {
        self.cookies
            .iter()
            .find(|(kept, _)| kept == name)
            .map(|(_, value)| value.clone())
    }
}

fn encode(value: &str) -> String {
    form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

fn record(consent_id: Uuid, ip: &str, recorded_at: OffsetDateTime) -> ConsentRecord {
    ConsentRecord {
        id: Uuid::new_v4(),
        consent_id,
        visitor_id: None,
        recorded_at: recorded_at.replace_nanosecond(0).unwrap(),
        action: LogAction::AcceptAll,
        granted: CategorySet::all(),
        denied: CategorySet::all().denied(),
        policy_fingerprint: "0123456789abcdef".to_owned(),
        locale: "en".to_owned(),
        ui_source: "banner".to_owned(),
        gpc: false,
        dnt: false,
        user_agent: Some("<script>alert('ua')</script>".to_owned()),
        ip: Some(ip.to_owned()),
        services: Vec::new(),
    }
}

async fn a_staff_member_finds_exports_erases_and_purges_records(store: Store, url: String) {
    let log = ConsentLog::builder(store).no_rate_limit().build();
    let alice = Uuid::new_v4();
    let old = record(
        Uuid::new_v4(),
        "198.51.100.20",
        OffsetDateTime::now_utc() - Duration::days(400),
    );
    for r in [
        record(
            alice,
            "203.0.113.20",
            OffsetDateTime::now_utc() - Duration::days(1),
        ),
        record(alice, "203.0.113.20", OffsetDateTime::now_utc()),
        old.clone(),
    ] {
        log.append(r).await.unwrap();
    }
    let mut browser = Browser::new(console(log.clone()));
    browser.sign_in().await;

    // The overview counts the last 7 days' decisions: Alice's two, not the old one.
    let overview = browser.get(&format!("{BASE}/overview?days=7")).await;
    assert_eq!(overview.status, StatusCode::OK);
    assert!(
        overview.body.contains("<dt>All decisions</dt><dd>2</dd>"),
        "{}",
        overview.body
    );
    assert!(overview.body.contains("<svg"));

    // Search by IP address: both of Alice's records, in full, markup shown as text.
    let found = browser
        .get(&format!(
            "{BASE}/records?ip=203.0.113.20&visitor_id=&consent_id=&from=&until="
        ))
        .await;
    assert_eq!(found.status, StatusCode::OK);
    assert!(
        found
            .body
            .contains("Records about IP address 203.0.113.20: 2."),
        "{}",
        found.body
    );
    assert!(found.body.contains(&alice.to_string()));
    assert!(!found.body.contains("<script>alert"));
    assert!(found.body.contains("&lt;script&gt;alert"));
    assert_eq!(
        found.headers[header::CONTENT_SECURITY_POLICY]
            .to_str()
            .unwrap()
            .split("; ")
            .next(),
        Some("default-src 'none'")
    );
    // A malformed field is named next to it, and nothing is searched.
    let wrong = browser.get(&format!("{BASE}/records?ip=not-an-ip")).await;
    assert_eq!(wrong.status, StatusCode::BAD_REQUEST);
    assert!(wrong.body.contains(r#"id="ip-error""#), "{}", wrong.body);
    assert!(wrong.body.contains(r#"aria-invalid="true""#));

    // Export: JSON and CSV of the person's records.
    let json = browser
        .get(&format!(
            "{BASE}/records/export?consent_id={alice}&format=json"
        ))
        .await;
    assert_eq!(json.status, StatusCode::OK);
    let exported: serde_json::Value = serde_json::from_str(&json.body).unwrap();
    assert_eq!(exported["count"], 2);
    let csv = browser
        .get(&format!(
            "{BASE}/records/export?consent_id={alice}&format=csv"
        ))
        .await;
    assert_eq!(csv.headers[header::CONTENT_TYPE], "text/csv; charset=utf-8");
    assert_eq!(csv.body.lines().count(), 3, "{}", csv.body);
    assert!(
        csv.body
            .starts_with("id,consent_id,visitor_id,recorded_at,action")
    );

    // Erase: a confirmation with the count, then the erasure.
    let confirm = browser
        .get(&format!("{BASE}/records/erase?consent_id={alice}"))
        .await;
    assert!(
        confirm.body.contains("Erase 2 record(s)"),
        "{}",
        confirm.body
    );
    let erased = browser
        .post(
            &format!("{BASE}/records/erase"),
            &format!(
                "csrf={}&ip=&visitor_id=&consent_id={alice}",
                encode(&confirm.csrf())
            ),
        )
        .await;
    assert_eq!(erased.status, StatusCode::OK, "{}", erased.body);
    assert!(
        erased.body.contains("Erased 2 record(s)"),
        "{}",
        erased.body
    );
    assert!(
        log.find(leptos_consent::log::Subject::ConsentId(alice))
            .await
            .unwrap()
            .is_empty()
    );

    // Purge: a preview with the count, then the purge.
    let before = (OffsetDateTime::now_utc() - Duration::days(30)).date();
    let preview = browser
        .get(&format!("{BASE}/records/purge?before={before}"))
        .await;
    assert!(
        preview.body.contains("Purge 1 record(s)"),
        "{}",
        preview.body
    );
    let purged = browser
        .post(
            &format!("{BASE}/records/purge"),
            &format!("csrf={}&before={before}", encode(&preview.csrf())),
        )
        .await;
    assert!(
        purged.body.contains("Erased 1 record(s)"),
        "{}",
        purged.body
    );
    assert!(
        log.find(leptos_consent::log::Subject::ConsentId(old.consent_id))
            .await
            .unwrap()
            .is_empty()
    );

    // The audit trail names each action and how many rows it touched.
    let audit = browser.get(&format!("{BASE}/audit")).await;
    for line in ["login", "search", "export", "erase", "purge"] {
        assert!(
            audit.body.contains(&format!("<td>{line}</td>")),
            "{line}: {}",
            audit.body
        );
    }
    assert!(!audit.body.contains("Older entries"));
    // A page at a time: after a hundred searches more, the sign-in is on an older page.
    for _ in 0..100 {
        let search = browser
            .get(&format!("{BASE}/records?ip=203.0.113.20"))
            .await;
        assert_eq!(search.status, StatusCode::OK);
    }
    let newest = browser.get(&format!("{BASE}/audit")).await;
    assert!(!newest.body.contains("<td>login</td>"));
    let start = newest
        .body
        .find("/audit?before=")
        .expect("a link to older entries");
    let end = start + newest.body[start..].find('"').unwrap();
    let older = browser
        .get(&format!("{BASE}{}", &newest.body[start..end]))
        .await;
    assert_eq!(older.status, StatusCode::OK);
    assert!(older.body.contains("<td>login</td>"), "{}", older.body);
    assert!(older.body.contains("Newest entries"));
    assert!(!older.body.contains("Older entries"));

    // Without its audit trail the console changes nothing and shows nothing.
    log.append(old.clone()).await.unwrap();
    common::execute(
        &url,
        "ALTER TABLE console_audit RENAME TO console_audit_gone",
    )
    .await;
    let csrf = encode(&older.csrf());
    let purge = browser
        .post(
            &format!("{BASE}/records/purge"),
            &format!("csrf={csrf}&before={before}"),
        )
        .await;
    assert_eq!(purge.status, StatusCode::SERVICE_UNAVAILABLE);
    let search = browser
        .get(&format!("{BASE}/records?ip=198.51.100.20"))
        .await;
    assert_eq!(search.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(!search.body.contains("198.51.100.20"));
    assert_eq!(
        log.find(leptos_consent::log::Subject::ConsentId(old.consent_id))
            .await
            .unwrap()
            .len(),
        1,
        "nothing purged"
    );
}

async fn the_console_refuses_whoever_is_not_signed_in_or_forges(store: Store, _url: String) {
    let log = ConsentLog::builder(store).build();
    let router = console(log.clone());
    let mut stranger = Browser::new(router.clone());
    // Every page sends a stranger to the login; every action is refused.
    for page in [
        "",
        "/records",
        "/records?ip=203.0.113.1",
        "/audit",
        "/records/erase?ip=203.0.113.1",
        "/records/export?ip=203.0.113.1&format=json",
        "/records/purge?before=2020-01-01",
    ] {
        let answer = stranger.get(&format!("{BASE}{page}")).await;
        if page.is_empty() {
            continue; // the start redirects to the records, which redirect to the login
        }
        assert_eq!(answer.status, StatusCode::SEE_OTHER, "{page}");
        assert_eq!(answer.location(), format!("{BASE}/login"), "{page}");
    }
    let login = stranger.get(&format!("{BASE}/login")).await;
    // Its pages run only the console's own script (no inline script, nothing from elsewhere).
    let policy = login.headers[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap();
    assert!(
        policy.contains("script-src 'self';") && !policy.contains("unsafe"),
        "{policy}"
    );
    let script = format!("{BASE}/in-place.js");
    assert!(
        login
            .body
            .contains(&format!(r#"<script src="{script}" defer>"#))
    );
    let served = stranger.get(&script).await;
    assert_eq!(served.status, StatusCode::OK);
    assert!(served.headers[header::CONTENT_TYPE] == "text/javascript; charset=utf-8");
    assert!(served.body.contains("addEventListener('submit'"));
    let csrf = login.csrf();
    for action in ["/records/erase", "/records/purge", "/logout"] {
        let answer = stranger
            .post(
                &format!("{BASE}{action}"),
                &format!("csrf={}&ip=203.0.113.1&before=2030-01-01", encode(&csrf)),
            )
            .await;
        assert_eq!(answer.status, StatusCode::FORBIDDEN, "{action}");
    }
    // A wrong token: 401, and no session.
    let refused = stranger
        .post(
            &format!("{BASE}/login"),
            &format!("csrf={}&token=not-the-token-at-all-no", encode(&csrf)),
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED);
    assert!(refused.body.contains("That is not the admin token."));
    assert!(stranger.cookie(SESSION_COOKIE).is_none());
    // The right token without the form's CSRF token: refused (login CSRF).
    let forged = stranger
        .post(
            &format!("{BASE}/login"),
            &format!("csrf=forged&token={TOKEN}"),
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    assert!(stranger.cookie(SESSION_COOKIE).is_none());

    // Signed in: an action with another browser's CSRF token, or none, is refused.
    let mut staff = Browser::new(router.clone());
    staff.sign_in().await;
    let mut other = Browser::new(router.clone());
    let foreign = other.get(&format!("{BASE}/login")).await.csrf();
    let purge = |csrf: &str| format!("csrf={}&before=2030-01-01", encode(csrf));
    let answer = staff
        .post(&format!("{BASE}/records/purge"), &purge(&foreign))
        .await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN);
    let answer = staff
        .post(&format!("{BASE}/records/purge"), "before=2030-01-01")
        .await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN);
    // A session cookie forged from a valid one is refused.
    let session = staff.cookie(SESSION_COOKIE).unwrap();
    let mut forger = Browser::new(router.clone());
    forger
        .cookies
        .push((SESSION_COOKIE.to_owned(), format!("{session}0")));
    assert_eq!(
        forger.get(&format!("{BASE}/records")).await.status,
        StatusCode::SEE_OTHER
    );

    // Sign out: the old session cookie, replayed, opens nothing.
    let records = staff.get(&format!("{BASE}/records")).await;
    assert_eq!(records.status, StatusCode::OK);
    let out = staff
        .post(
            &format!("{BASE}/logout"),
            &format!("csrf={}", encode(&records.csrf())),
        )
        .await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    assert!(staff.cookie(SESSION_COOKIE).is_none());
    let mut replay = Browser::new(router);
    replay.cookies.push((SESSION_COOKIE.to_owned(), session));
    replay
        .cookies
        .push((CSRF_COOKIE.to_owned(), staff.cookie(CSRF_COOKIE).unwrap()));
    assert_eq!(
        replay.get(&format!("{BASE}/records")).await.status,
        StatusCode::SEE_OTHER
    );

    // Guessing: after SIGN_INS_PER_MINUTE attempts a minute, a client is refused even the
    // right token; another client signs in all the same.
    let mut guesser = Browser::new(replay.router.clone());
    guesser.peer = ([198, 51, 100, 99], 50000).into();
    let csrf = encode(&guesser.get(&format!("{BASE}/login")).await.csrf());
    for guess in 0..SIGN_INS_PER_MINUTE {
        let refused = guesser
            .post(
                &format!("{BASE}/login"),
                &format!("csrf={csrf}&token=guess-number-{guess}-of-many"),
            )
            .await;
        assert_eq!(refused.status, StatusCode::UNAUTHORIZED, "guess {guess}");
    }
    let throttled = guesser
        .post(
            &format!("{BASE}/login"),
            &format!("csrf={csrf}&token={TOKEN}"),
        )
        .await;
    assert_eq!(throttled.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(throttled.body.contains("Too many sign-in attempts"));
    let wait: u64 = throttled.headers[header::RETRY_AFTER]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&wait), "{wait}");
    assert!(guesser.cookie(SESSION_COOKIE).is_none());
    Browser::new(replay.router).sign_in().await;
}

#[tokio::test]
async fn the_shops_own_staff_login_opens_it_and_nothing_else_does() {
    let (store, _dir) = common::sqlite_store().await;
    let log = ConsentLog::builder(store).build();
    let router = PrivacyConsole::builder(BASE, log)
        .secret([6u8; 32])
        .authorize(|headers| {
            let staff = headers
                .get("x-staff")
                .and_then(|value| value.to_str().ok())
                .filter(|name| *name == "dana@shop.example")
                .map(Staff::new);
            async move { staff }
        })
        .build()
        .unwrap()
        .router();
    let mut browser = Browser::new(router.clone());
    let anonymous = browser.get(&format!("{BASE}/records")).await;
    assert_eq!(anonymous.status, StatusCode::FORBIDDEN);
    // No token login: its form is not there.
    assert_eq!(
        browser.get(&format!("{BASE}/login")).await.status,
        StatusCode::NOT_FOUND
    );
    let request = Request::get(format!("{BASE}/records"))
        .header("x-staff", "dana@shop.example")
        .body(Body::empty())
        .unwrap();
    let response = router.oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let body = response.into_body().collect().await.unwrap().to_bytes();
    assert!(String::from_utf8_lossy(&body).contains("Signed in as dana@shop.example"));
}

/// The console answers in the staff member's language: `Accept-Language` matched against
/// the 26 built-in languages, English for any other; `<html lang>` says which.
#[tokio::test]
async fn the_console_speaks_the_staff_members_language() {
    let (store, _dir) = common::sqlite_store().await;
    let log = ConsentLog::builder(store).build();
    let router = PrivacyConsole::builder(BASE, log)
        .secret([6u8; 32])
        .authorize(|_| async { Some(Staff::new("dana@shop.example")) })
        .build()
        .unwrap()
        .router();
    let page = |path: &'static str, language: &'static str| {
        let router = router.clone();
        async move {
            let request = Request::get(format!("{BASE}{path}"))
                .header(header::ACCEPT_LANGUAGE, language)
                .body(Body::empty())
                .unwrap();
            let response = router.oneshot(request).await.unwrap();
            let vary = response.headers().get(header::VARY).cloned();
            assert_eq!(vary.unwrap(), "accept-language");
            let status = response.status();
            let body = response.into_body().collect().await.unwrap().to_bytes();
            (status, String::from_utf8(body.to_vec()).unwrap())
        }
    };

    let (status, german) = page("/records?ip=10.0.0.300", "de-AT,de;q=0.9,en;q=0.5").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    for text in [
        "<html lang=\"de\"",
        "<title>Einwilligungsnachweise · Datenschutz-Konsole</title>",
        "Angemeldet als dana@shop.example",
        "\"10.0.0.300\" ist keine IPv4- oder IPv6-Adresse.",
        ">Abmelden<",
    ] {
        assert!(german.contains(text), "{text} in {german}");
    }
    assert!(!german.contains("Records of consent"), "{german}");

    // Counted in the language's own plural forms.
    let (_, polish) = page("/overview?days=30", "pl").await;
    assert!(polish.contains("<html lang=\"pl\""), "{polish}");
    assert!(polish.contains(">Ostatnie 30 dni<"), "{polish}");
    let (_, czech) = page("/overview?days=7", "cs").await;
    assert!(czech.contains(">Posledních 7 dní<"), "{czech}");

    // Bokmål for a Norwegian reader; English for a language the console does not speak.
    let (_, norwegian) = page("/audit", "no").await;
    assert!(norwegian.contains("<html lang=\"nb\""), "{norwegian}");
    assert!(norwegian.contains(">Revisjonslogg<"), "{norwegian}");
    let (_, klingon) = page("/audit", "tlh").await;
    assert!(klingon.contains("<html lang=\"en\""), "{klingon}");
    assert!(klingon.contains(">Audit trail<"), "{klingon}");
}

/// Merged into the shop's router, the console answers its own paths only: the shop's
/// fallback (its static files, say) still answers everything else.
#[tokio::test]
async fn the_shops_fallback_still_answers_beside_the_console() {
    let (store, _dir) = common::sqlite_store().await;
    // The shop sets its fallback first and merges the console later, as the demo does.
    let app = Router::new()
        .fallback(|| async { "the shop's own" })
        .merge(console(ConsentLog::builder(store).build()));
    let response = app
        .oneshot(Request::get("/favicon.ico").body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let body = response.into_body().collect().await.unwrap().to_bytes();
    assert_eq!(&body[..], b"the shop's own");
}

#[tokio::test]
async fn a_console_nobody_could_open_is_refused() {
    let (store, _dir) = common::sqlite_store().await;
    let log = ConsentLog::builder(store).build();
    let builder = || PrivacyConsole::builder(BASE, log.clone()).secret([1u8; 32]);
    assert_eq!(builder().build().err(), Some(ConsoleError::NoAccess));
    let token = AdminToken::new(TOKEN).unwrap();
    assert_eq!(
        PrivacyConsole::builder(BASE, log.clone())
            .token(token.clone())
            .build()
            .err(),
        Some(ConsoleError::Secret)
    );
    assert!(builder().token(token.clone()).build().is_ok());
    for path in ["admin", "/admin/", "/admin?x=1", "/a b"] {
        assert_eq!(
            PrivacyConsole::builder(path, log.clone())
                .secret([1u8; 32])
                .token(token.clone())
                .build()
                .err(),
            Some(ConsoleError::Path(path.to_owned()))
        );
    }
}

/// Refuses every event for good (422) until `accept` is set.
#[derive(Default)]
struct Refusing {
    accept: std::sync::atomic::AtomicBool,
    received: std::sync::Mutex<Vec<Uuid>>,
}

impl leptos_consent::dispatch::Provider for Refusing {
    fn name(&self) -> &str {
        "refusing"
    }

    fn deliver<'a>(
        &'a self,
        events: &'a [leptos_consent::tracking::TrackedEvent],
    ) -> leptos_consent::tracking::BoxFuture<
        'a,
        Result<(), leptos_consent::dispatch::DeliveryFailure>,
    > {
        Box::pin(async move {
            if !self.accept.load(std::sync::atomic::Ordering::SeqCst) {
                return Err(leptos_consent::dispatch::DeliveryFailure::from_status(
                    0, 422,
                ));
            }
            let mut received = self.received.lock().unwrap();
            received.extend(events.iter().map(|e| e.event_id));
            Ok(())
        })
    }
}

async fn dead_letters_are_listed_requeued_and_discarded(store: Store, _url: String) {
    use std::sync::{Arc, atomic::Ordering};

    use leptos_consent::tracking::EventSink;

    let provider = Arc::new(Refusing::default());
    let outbox = common::quick_outbox(store.clone(), provider.clone()).start();
    let events: Vec<_> = (0..2)
        .map(|_| common::tracked_event(leptos_consent::EventKind::ProductView, common::now_ms()))
        .collect();
    outbox.accept(events.clone()).await.unwrap();
    common::eventually(
        std::time::Duration::from_secs(30),
        "two dead letters",
        || outbox.counters().dead_lettered() >= 2,
    )
    .await;
    let log = ConsentLog::builder(store).build();
    let router = PrivacyConsole::builder(BASE, log)
        .secret([5u8; 32])
        .token(AdminToken::new(TOKEN).unwrap())
        .secure(false)
        .outbox(outbox.clone())
        .build()
        .unwrap()
        .router();
    let mut browser = Browser::new(router);
    browser.sign_in().await;
    let page = browser.get(&format!("{BASE}/tracking")).await;
    assert_eq!(page.status, StatusCode::OK);
    for event in &events {
        assert!(page.body.contains(&event.event_id.to_string()));
    }
    assert!(page.body.contains("the provider answered 422"));
    // Nothing selected: refused, nothing changes.
    let none = browser
        .post(
            &format!("{BASE}/tracking"),
            &format!("csrf={}&action=requeue", encode(&page.csrf())),
        )
        .await;
    assert_eq!(none.status, StatusCode::BAD_REQUEST);
    // The provider is fixed: re-queue the first, discard the second.
    provider.accept.store(true, Ordering::SeqCst);
    let (first, second) = (events[0].event_id, events[1].event_id);
    let requeued = browser
        .post(
            &format!("{BASE}/tracking"),
            &format!(
                "csrf={}&action=requeue&event_id={first}",
                encode(&page.csrf())
            ),
        )
        .await;
    assert!(
        requeued.body.contains("Re-queued 1 dead letter(s)."),
        "{}",
        requeued.body
    );
    let discarded = browser
        .post(
            &format!("{BASE}/tracking"),
            &format!(
                "csrf={}&action=discard&event_id={second}",
                encode(&page.csrf())
            ),
        )
        .await;
    assert!(
        discarded.body.contains("Discarded 1 dead letter(s)."),
        "{}",
        discarded.body
    );
    common::eventually(
        std::time::Duration::from_secs(30),
        "the re-queued event arrives",
        || provider.received.lock().unwrap().contains(&first),
    )
    .await;
    assert!(outbox.dead_letters(10).await.unwrap().is_empty());
    let audit = browser.get(&format!("{BASE}/audit")).await;
    assert!(
        audit.body.contains("requeue_dead_letters") && audit.body.contains("discard_dead_letters")
    );
    outbox.stop().await;
}

async fn unknown_cookies_seen_in_traffic_are_described_from_the_console(
    store: Store,
    _url: String,
) {
    use leptos_consent::{console::scanner::CookieScanner, registry::CookieRegistry};

    let registry = CookieRegistry::load(store.clone(), std::time::Duration::from_secs(60))
        .await
        .unwrap();
    let scanner = CookieScanner::start(registry.clone(), store.clone());
    // Shoppers' requests: a native cookie (_ga), an unknown one with an id in its name, the
    // console's own cookie, and markup that is no cookie name.
    let mut headers = HeaderMap::new();
    headers.insert(
        header::COOKIE,
        "_ga=GA1.1; mystery_1234567=v; lc_console_csrf=x; <b>=1; plain_unknown=2"
            .parse()
            .unwrap(),
    );
    for _ in 0..3 {
        scanner.observe(&headers);
    }
    // What the console reads: this instance's counts written first.
    let seen = scanner.undescribed(30).await.unwrap();
    assert_eq!(seen.iter().map(|s| s.seen).sum::<i64>(), 6, "{seen:?}");
    let log = ConsentLog::builder(store).build();
    let router = PrivacyConsole::builder(BASE, log)
        .secret([5u8; 32])
        .token(AdminToken::new(TOKEN).unwrap())
        .secure(false)
        .registry(registry.clone())
        .scanner(scanner)
        .build()
        .unwrap()
        .router();
    let mut browser = Browser::new(router);
    browser.sign_in().await;
    let cookies = browser.get(&format!("{BASE}/cookies")).await;
    assert_eq!(cookies.status, StatusCode::OK);
    let undescribed = &cookies.body[cookies.body.find("Seen but not described").unwrap()..];
    let undescribed = &undescribed[..undescribed.find("The registry").unwrap()];
    assert!(
        undescribed.contains("<th scope=\"row\">mystery_*</th>"),
        "{undescribed}"
    );
    assert!(undescribed.contains("plain_unknown"));
    assert!(!undescribed.contains("_ga<") && !undescribed.contains("lc_console"));
    assert!(!undescribed.contains("&lt;b&gt;"));

    // "Describe this cookie": the form, its name filled in.
    let form = browser
        .get(&format!("{BASE}/cookies/new?name=mystery_%2A"))
        .await;
    assert!(form.body.contains(r#"value="mystery_*""#), "{}", form.body);
    // A third party without its name: the error is next to that field, nothing is added.
    let csrf = encode(&form.csrf());
    let refused = browser
        .post(
            &format!("{BASE}/cookies/new"),
            &format!(
                "csrf={csrf}&name=mystery_%2A&category=statistics&expire_days=30&is_third_party=on"
            ),
        )
        .await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    assert!(
        refused.body.contains(r#"id="third_party_author-error""#),
        "{}",
        refused.body
    );
    // Markup as a name: refused next to the field, and shown back as text.
    let markup = browser
        .post(
            &format!("{BASE}/cookies/new"),
            &format!(
                "csrf={csrf}&name={}&category=statistics&expire_days=30&intent=preview",
                encode("<script>alert(3)</script>")
            ),
        )
        .await;
    assert_eq!(markup.status, StatusCode::BAD_REQUEST);
    assert!(
        markup.body.contains(r#"id="name-error""#),
        "{}",
        markup.body
    );
    assert!(markup.body.contains("&lt;script&gt;alert(3)"));
    assert!(!markup.body.contains("<script>alert"));
    let added = browser
        .post(
            &format!("{BASE}/cookies/new"),
            &format!(
                "csrf={csrf}&name=mystery_%2A&category=statistics&expire_days=30&description={}",
                encode("<script>alert(1)</script> counts visits")
            ),
        )
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
    let cookies = browser.get(added.location()).await;
    assert!(cookies.body.contains("Added mystery_*."));
    assert!(
        cookies
            .body
            .contains("&lt;script&gt;alert(1)&lt;/script&gt; counts visits")
    );
    assert!(!cookies.body.contains("<script>alert"));
    let undescribed = &cookies.body[cookies.body.find("Seen but not described").unwrap()..];
    let undescribed = &undescribed[..undescribed.find("The registry").unwrap()];
    assert!(
        !undescribed.contains("mystery_*"),
        "described now: {undescribed}"
    );
    assert!(undescribed.contains("plain_unknown"));
    // The filter: statistics, first party.
    let filtered = browser
        .get(&format!("{BASE}/cookies?category=statistics&party=first"))
        .await;
    assert!(filtered.body.contains("mystery_*"));
    assert!(!filtered.body.contains(">_ga<"), "_ga is third party");
    // Edit it: a preview first (the grid as shoppers would see it, nothing saved), then save.
    let id = registry.local_cookies().await.unwrap()[0].id;
    let edit = browser.get(&format!("{BASE}/cookies/{id}")).await;
    assert_eq!(edit.status, StatusCode::OK);
    assert!(edit.body.contains(r#"value="mystery_*""#));
    let author = "<img src=x onerror=alert(2)> Ltd";
    let fields = |intent: &str, description: &str| {
        format!(
            "csrf={csrf}&name=mystery_%2A&category=statistics&expire_days=30&is_third_party=on\
             &third_party_author={}&description={}&intent={intent}",
            encode(author),
            encode(description)
        )
    };
    let preview = browser
        .post(
            &format!("{BASE}/cookies/{id}"),
            &fields("preview", "Counts visits per day"),
        )
        .await;
    assert_eq!(preview.status, StatusCode::OK);
    let grid = &preview.body[preview.body.find("Preview: the grid").unwrap()..];
    assert!(
        grid.contains("lc-cookie-details") && grid.contains("Counts visits per day"),
        "{grid}"
    );
    assert!(!preview.body.contains("<img src=x") && preview.body.contains("&lt;img src=x"));
    assert_eq!(
        registry.local_cookie(id).await.unwrap().cookie.description,
        "<script>alert(1)</script> counts visits",
        "a preview saves nothing"
    );
    let saved = browser
        .post(
            &format!("{BASE}/cookies/{id}"),
            &fields("save", "Counts visits per day"),
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let listed = browser.get(saved.location()).await;
    assert!(listed.body.contains("Saved mystery_*."));
    assert!(
        listed
            .body
            .contains("&lt;img src=x onerror=alert(2)&gt; Ltd")
    );
    assert!(!listed.body.contains("<img src=x"));
    // A text for site 1 wins over the English one, in the preview too; then it goes again.
    let translated = browser
        .post(
            &format!("{BASE}/cookies/{id}/translations"),
            &format!(
                "csrf={csrf}&site_id=1&locale=en&description={}",
                encode("Site one's own words")
            ),
        )
        .await;
    assert_eq!(translated.status, StatusCode::SEE_OTHER);
    let bad_site = browser
        .post(
            &format!("{BASE}/cookies/{id}/translations"),
            &format!("csrf={csrf}&site_id=one&locale=en&description=x"),
        )
        .await;
    assert_eq!(bad_site.status, StatusCode::BAD_REQUEST);
    assert!(bad_site.body.contains(r#"id="site_id-error""#));
    let preview = browser
        .post(
            &format!("{BASE}/cookies/{id}"),
            &fields("preview", "Counts visits per day"),
        )
        .await;
    assert!(
        preview.body.contains("Site one&#x27;s own words")
            || preview.body.contains("Site one's own words")
    );
    // The grid of another site, in Danish: site one's text is not there.
    let elsewhere = browser
        .post(
            &format!("{BASE}/cookies/{id}"),
            &format!(
                "{}&preview_site=2&preview_locale=da-DK",
                fields("preview", "Counts visits per day")
            ),
        )
        .await;
    assert_eq!(elsewhere.status, StatusCode::OK);
    let grid = &elsewhere.body[elsewhere.body.find("Preview: the grid").unwrap()..];
    let grid = &grid[..grid.find("</section>").unwrap()];
    assert!(grid.contains("the grid on site 2, in da-DK"), "{grid}");
    assert!(
        grid.contains("Counts visits per day") && !grid.contains("Site one"),
        "{grid}"
    );
    let nowhere = browser
        .post(
            &format!("{BASE}/cookies/{id}"),
            &format!(
                "{}&preview_site=first&preview_locale=%3Cb%3E",
                fields("preview", "Counts visits per day")
            ),
        )
        .await;
    assert_eq!(nowhere.status, StatusCode::BAD_REQUEST);
    assert!(nowhere.body.contains(r#"id="preview_site-error""#));
    let removed = browser
        .post(
            &format!("{BASE}/cookies/{id}/translations/delete"),
            &format!("csrf={csrf}&site_id=1"),
        )
        .await;
    assert_eq!(removed.status, StatusCode::SEE_OTHER);
    assert!(
        registry
            .local_cookie(id)
            .await
            .unwrap()
            .translations
            .is_empty()
    );

    // Delete the shop's entry again.
    let deleted = browser
        .post(
            &format!("{BASE}/cookies/delete"),
            &format!("csrf={csrf}&id={id}"),
        )
        .await;
    assert_eq!(deleted.status, StatusCode::SEE_OTHER);
    assert!(registry.local_cookies().await.unwrap().is_empty());
}
