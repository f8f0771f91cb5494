//! The decision endpoint (`decide_consent`), served the way a shop serves it: an axum router
//! with leptos_axum's server-function handler, behind the `ConsentLayer`.

mod common;

use axum::{Router, body::Body, routing::post};
use http::{Request, Response, StatusCode, header};
use http_body_util::BodyExt;
use leptos_consent::{
    Category, CategorySet, ConsentAction, ConsentConfig, ConsentDecision, ConsentLayer,
    ConsentMode, Service, ServiceSet,
};
use tower::ServiceExt;

const ENDPOINT: &str = "/_consent/decide";

fn app(config: Option<ConsentConfig>) -> Router {
    let router = Router::new().route(ENDPOINT, post(leptos_axum::handle_server_fns));
    match config {
        Some(config) => router.layer(ConsentLayer::new(config)),
        None => router,
    }
}

/// Posts a form like the banner does; `javascript` picks the server-function client's
/// `Accept` over a plain browser form post's.
async fn post_form(
    router: Router,
    form: &str,
    javascript: bool,
    extra_headers: &[(&str, &str)],
) -> Response<Body> {
    let mut request = Request::post(ENDPOINT)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::HOST, "shop.example")
        .header(
            header::ACCEPT,
            if javascript {
                "application/json"
            } else {
                "text/html,application/xhtml+xml"
            },
        );
    for (name, value) in extra_headers {
        request = request.header(*name, *value);
    }
    let request = request.body(Body::from(form.to_owned())).unwrap();
    router.oneshot(request).await.expect("infallible")
}

/// Where a plain form post (no JavaScript) with `return_to` is sent back to.
async fn sent_back_to(return_to: &str) -> String {
    let form = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("choice", "reject_all")
        .append_pair("return_to", return_to)
        .finish();
    let response = post_form(app(Some(common::config())), &form, false, &[]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "{return_to:?}");
    response.headers()[header::LOCATION]
        .to_str()
        .expect("ASCII")
        .to_owned()
}

/// A tab, CR or LF cannot be in an `http::Uri`, but `return_to` is form input; there it
/// must be encoded (browsers strip raw tabs and newlines from URLs, which would turn
/// `/\t/evil.com` into `//evil.com`).
#[tokio::test]
async fn raw_whitespace_in_form_targets_is_encoded() {
    for target in [
        "/\t/evil.com",
        "/\n/evil.com",
        "\r\n//evil.com",
        "/ \t\\evil.com",
        "/a\tb",
    ] {
        let location = sent_back_to(target).await;
        assert!(
            !location.bytes().any(|b| b.is_ascii_whitespace()),
            "{target:?} → {location:?}"
        );
        common::assert_stays_on_the_shop(&location);
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]

    /// Any string a form could post as `return_to`: the shopper is sent back on the shop.
    #[test]
    fn any_form_target_stays_on_the_shop(target in ".{0,60}") {
        let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
        common::assert_stays_on_the_shop(&runtime.block_on(sent_back_to(&target)));
    }
}

async fn body_text(response: Response<Body>) -> String {
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    String::from_utf8(bytes.to_vec()).unwrap()
}

async fn decision_of(response: Response<Body>) -> ConsentDecision {
    serde_json::from_str(&body_text(response).await).expect("a decision as JSON")
}

#[tokio::test]
async fn with_javascript_the_decision_comes_back_and_the_cookie_is_set() {
    let config = common::config();
    let response = post_form(app(Some(config.clone())), "choice=accept_all", true, &[]).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.headers().get(header::LOCATION).is_none());
    assert_eq!(response.headers()[header::CACHE_CONTROL], "no-store");
    let cookies = common::set_cookies(response.headers());
    assert_eq!(cookies.len(), 1);
    let cookie = &cookies[0];
    for attribute in [
        "HttpOnly",
        "Secure",
        "SameSite=Lax",
        "Path=/",
        "Max-Age=31536000",
    ] {
        assert!(
            cookie.contains(attribute),
            "{attribute} missing from {cookie}"
        );
    }
    assert!(cookie.len() < 200, "{} bytes", cookie.len());

    let decision = decision_of(response).await;
    assert_eq!(decision.granted, CategorySet::all());
    assert_eq!(decision.action, ConsentAction::AcceptAll);
    assert_eq!(decision.consent_id.get_version_num(), 4);

    // The cookie the server wrote is the decision a page will read.
    let mut headers = http::HeaderMap::new();
    headers.insert(header::COOKIE, common::cookie_pair(cookie).parse().unwrap());
    assert_eq!(config.decision_from_headers(&headers), Some(decision));
}

#[tokio::test]
async fn without_javascript_the_browser_is_sent_back_to_the_page() {
    let form = "return_to=%2Fproducts%2F2%3Fcolor%3Dred&choice=reject_all";
    let response = post_form(app(Some(common::config())), form, false, &[]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        response.headers()[header::LOCATION],
        "/products/2?color=red"
    );
    assert_eq!(common::set_cookies(response.headers()).len(), 1);

    for (return_to, expected) in [
        ("%2F%2Fevil.com", "/evil.com"),
        ("https%3A%2F%2Fevil.com%2F", "/https://evil.com/"),
        ("%2F%5Cevil.com", "/evil.com"),
        ("%2F%09%2Fevil.com", "/evil.com"),
        ("", "/"),
    ] {
        let form = format!("choice=reject_all&return_to={return_to}");
        let response = post_form(app(Some(common::config())), &form, false, &[]).await;
        assert_eq!(
            response.headers()[header::LOCATION],
            expected,
            "{return_to}"
        );
    }
}

#[tokio::test]
async fn custom_choices_grant_only_what_was_ticked() {
    let form = "choice=custom&statistics=true&tracking=on&functional=false";
    let decision = decision_of(post_form(app(Some(common::config())), form, true, &[]).await).await;
    assert_eq!(
        decision.granted,
        CategorySet::essential()
            .with(leptos_consent::Category::Statistics)
            .with(leptos_consent::Category::Tracking)
    );
    let nothing =
        decision_of(post_form(app(Some(common::config())), "choice=custom", true, &[]).await).await;
    assert_eq!(nothing.granted, CategorySet::essential());
}

/// A shop with services: two under statistics, one under marketing.
fn config_with_services() -> ConsentConfig {
    ConsentConfig::builder()
        .secret([4u8; 32])
        .service(
            Service::new("ga4", "Google Analytics 4", Category::Statistics)
                .with_cookies(["_ga", "_ga_*"]),
        )
        .service(
            Service::new("hotjar", "Hotjar", Category::Statistics).with_cookies(["_hjSession_*"]),
        )
        .service(Service::new("meta", "Meta pixel", Category::Tracking))
        .build()
        .unwrap()
}

#[tokio::test]
async fn services_ticked_on_their_own_grant_their_category_with_only_them() {
    for javascript in [true, false] {
        let router = app(Some(config_with_services()));
        // Only Hotjar ticked (as the form posts it, brackets encoded), by a browser that
        // holds both services' cookies.
        let response = post_form(
            router.clone(),
            "choice=custom&services%5B%5D=hotjar",
            javascript,
            &[("cookie", "_ga=GA1.1; _ga_K4Z2=GS1; _hjSession_42=x")],
        )
        .await;
        // Google Analytics' cookies are expired with it; Hotjar's stay.
        let set = common::set_cookies(response.headers());
        let expired: Vec<&str> = set
            .iter()
            .filter(|c| c.contains("Max-Age=0"))
            .map(|c| c.split('=').next().unwrap())
            .collect();
        assert!(
            expired.contains(&"_ga") && expired.contains(&"_ga_K4Z2"),
            "{set:?}"
        );
        assert!(!expired.contains(&"_hjSession_42"), "{set:?}");
        // What the consent cookie carries, with JavaScript or without.
        let cookie = common::cookie_pair(&common::set_cookies(response.headers())[0]);
        let (_, value) = cookie.split_once('=').unwrap();
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs() as i64;
        let decision = config_with_services().decode_decision(value, now).unwrap();
        if javascript {
            assert_eq!(decision_of(response).await, decision);
        }
        assert_eq!(
            decision.granted,
            CategorySet::essential().with(Category::Statistics)
        );
        assert_eq!(decision.refused_services, ServiceSet::empty().with(0));
    }
    // The category ticked: all of its services, whatever else is ticked.
    let all = post_form(
        app(Some(config_with_services())),
        "choice=custom&statistics=true&services%5B%5D=hotjar",
        true,
        &[],
    )
    .await;
    let all = decision_of(all).await;
    assert_eq!(all.refused_services, ServiceSet::empty());
    // Accept all refuses nothing; an unknown service is a clear 400.
    let accepted = decision_of(
        post_form(
            app(Some(config_with_services())),
            "choice=accept_all",
            true,
            &[],
        )
        .await,
    )
    .await;
    assert_eq!(accepted.refused_services, ServiceSet::empty());
    let unknown = post_form(
        app(Some(config_with_services())),
        "choice=custom&services%5B%5D=tiktok",
        true,
        &[],
    )
    .await;
    assert_eq!(unknown.status(), StatusCode::BAD_REQUEST);
    assert!(common::set_cookies(unknown.headers()).is_empty());
    assert!(
        body_text(unknown)
            .await
            .contains("unknown service \"tiktok\"")
    );
}

/// A gate's offer (`add=true`): the category joins the current decision, whose other
/// categories and refused services stay as they were.
#[tokio::test]
async fn an_added_category_keeps_the_rest_of_the_decision() {
    let router = app(Some(config_with_services()));
    // Statistics with Hotjar only (Google Analytics refused).
    let first = post_form(
        router.clone(),
        "choice=custom&services%5B%5D=hotjar",
        true,
        &[],
    )
    .await;
    let cookie = common::cookie_pair(&common::set_cookies(first.headers())[0]);
    let first = decision_of(first).await;
    for javascript in [true, false] {
        let added = post_form(
            router.clone(),
            "choice=custom&add=true&tracking=true&return_to=%2Fproducts%2F1",
            javascript,
            &[("cookie", &cookie)],
        )
        .await;
        if !javascript {
            assert_eq!(added.headers()[header::LOCATION], "/products/1");
            continue;
        }
        let added = decision_of(added).await;
        assert_eq!(added.consent_id, first.consent_id);
        assert_eq!(
            added.granted,
            CategorySet::essential()
                .with(Category::Statistics)
                .with(Category::Tracking)
        );
        assert_eq!(added.refused_services, ServiceSet::empty().with(0));
    }
    // Without a decision yet, only what was added (and what is essential).
    let fresh = decision_of(
        post_form(
            router.clone(),
            "choice=custom&add=true&tracking=true",
            true,
            &[],
        )
        .await,
    )
    .await;
    assert_eq!(
        fresh.granted,
        CategorySet::essential().with(Category::Tracking)
    );
    // `add` belongs to a custom choice, and says yes or no like a category.
    for form in [
        "choice=accept_all&add=true",
        "choice=custom&add=maybe&tracking=true",
    ] {
        let response = post_form(router.clone(), form, true, &[("cookie", &cookie)]).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{form}");
        assert!(common::set_cookies(response.headers()).is_empty(), "{form}");
        assert!(body_text(response).await.contains("add"), "{form}");
    }
}

#[tokio::test]
async fn a_changed_mind_keeps_the_consent_id() {
    let router = app(Some(common::config()));
    let first = post_form(router.clone(), "choice=accept_all", true, &[]).await;
    let cookie = common::cookie_pair(&common::set_cookies(first.headers())[0]);
    let first = decision_of(first).await;
    let second = post_form(router, "choice=reject_all", true, &[("cookie", &cookie)]).await;
    let second = decision_of(second).await;
    assert_eq!(second.consent_id, first.consent_id);
    assert_eq!(second.granted, CategorySet::essential());
}

#[tokio::test]
async fn bad_input_gets_a_clear_400_and_no_cookie() {
    for form in [
        "choice=bogus",
        "",
        "choice=custom&statistics=yes",
        "choice=acknowledge", // not offered in block-before-consent mode
    ] {
        let response = post_form(app(Some(common::config())), form, true, &[]).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{form:?}");
        assert!(
            response.headers().get(header::SET_COOKIE).is_none(),
            "{form:?}"
        );
        let message = body_text(response).await;
        assert!(
            message.contains("choice") || message.contains("statistics"),
            "{form:?}: {message}"
        );
    }
}

/// Posts a decision to `target` with exactly these headers and HTTP version (no `Host`
/// added): what an HTTP/1.0 client or an HTTP/2 connection (authority in the URI) sends.
async fn post_raw(
    target: &str,
    version: http::Version,
    headers: &[(&str, &str)],
) -> Response<Body> {
    let mut request = Request::post(target)
        .version(version)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "application/json");
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let request = request.body(Body::from("choice=accept_all")).unwrap();
    app(Some(common::config())).oneshot(request).await.unwrap()
}

#[tokio::test]
async fn an_origin_with_nothing_to_compare_it_to_is_refused() {
    // HTTP/1.0 may leave out Host: a page elsewhere must not decide for the shopper.
    let response = post_raw(
        ENDPOINT,
        http::Version::HTTP_10,
        &[("origin", "https://evil.example")],
    )
    .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert!(response.headers().get(header::SET_COOKIE).is_none());
    // HTTP/2 carries the authority in the URI: it is what the origin is compared with.
    let h2_target = "https://shop.example/_consent/decide";
    for (origin, status) in [
        ("https://shop.example", StatusCode::OK),
        ("https://evil.example", StatusCode::FORBIDDEN),
        ("https://blog.shop.example", StatusCode::FORBIDDEN),
    ] {
        let response = post_raw(
            h2_target,
            http::Version::HTTP_2,
            &[("origin", origin), ("sec-fetch-site", "same-site")],
        )
        .await;
        assert_eq!(response.status(), status, "{origin}");
    }
}

#[tokio::test]
async fn cross_site_posts_are_refused() {
    for headers in [
        [
            ("sec-fetch-site", "cross-site"),
            ("origin", "https://shop.example"),
        ],
        [
            ("sec-fetch-site", "same-site"),
            ("origin", "https://evil.example"),
        ],
    ] {
        let response = post_form(
            app(Some(common::config())),
            "choice=accept_all",
            false,
            &headers,
        )
        .await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{headers:?}");
        assert!(response.headers().get(header::SET_COOKIE).is_none());
    }
    let same_origin = [
        ("sec-fetch-site", "same-origin"),
        ("origin", "https://shop.example"),
    ];
    let response = post_form(
        app(Some(common::config())),
        "choice=accept_all",
        true,
        &same_origin,
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn passive_info_acknowledgement_respects_gpc() {
    let passive = || app(Some(common::config_with_mode(ConsentMode::PassiveInfo)));
    let plain = decision_of(post_form(passive(), "choice=acknowledge", true, &[]).await).await;
    assert_eq!(plain.granted, CategorySet::all());
    assert_eq!(plain.action, ConsentAction::Acknowledge);
    let gpc =
        decision_of(post_form(passive(), "choice=acknowledge", true, &[("sec-gpc", "1")]).await)
            .await;
    assert_eq!(
        gpc.granted,
        CategorySet::all().without(leptos_consent::Category::Tracking)
    );
}

/// Do Not Track counts like GPC (on by default, as the shop platforms did), unless the shop
/// turns that off.
#[tokio::test]
async fn do_not_track_keeps_marketing_off_like_gpc() {
    let acknowledge = |config| async move {
        decision_of(
            post_form(
                app(Some(config)),
                "choice=acknowledge",
                true,
                &[("dnt", "1")],
            )
            .await,
        )
        .await
        .granted
    };
    let passive = || {
        leptos_consent::ConsentConfig::builder()
            .secret("integration-test-secret-of-32-bytes-or-more")
            .mode(ConsentMode::PassiveInfo)
    };
    assert_eq!(
        acknowledge(passive().build().unwrap()).await,
        CategorySet::all().without(leptos_consent::Category::Tracking)
    );
    assert_eq!(
        acknowledge(passive().honour_do_not_track(false).build().unwrap()).await,
        CategorySet::all()
    );
}

#[tokio::test]
async fn an_explicit_accept_wins_over_gpc() {
    let response = post_form(
        app(Some(common::config())),
        "choice=accept_all",
        true,
        &[("sec-gpc", "1")],
    )
    .await;
    assert_eq!(decision_of(response).await.granted, CategorySet::all());
}

#[tokio::test]
async fn without_the_layer_the_endpoint_fails_clearly() {
    let response = post_form(app(None), "choice=accept_all", true, &[]).await;
    assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
    assert!(response.headers().get(header::SET_COOKIE).is_none());
    assert!(body_text(response).await.contains("not configured"));
}

#[tokio::test]
async fn refused_categories_lose_their_cookies_httponly_ones_too() {
    let config = common::config();
    let cookies = "_ga=GA1.1; _fbp=fb.1; _gcl_au=1.1; cart=3; __stripe_mid=x";
    let response = post_form(
        app(Some(config.clone())),
        "choice=custom&statistics=true",
        true,
        &[("cookie", cookies)],
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    let set = common::set_cookies(response.headers());
    let expired: Vec<&str> = set
        .iter()
        .filter(|c| c.contains("Max-Age=0"))
        .map(String::as_str)
        .collect();
    // Marketing (tracking) is refused: _fbp and _gcl_au go, on the host and on the
    // registrable domain, with `Secure` as the shop's cookies have it; statistics (_ga) is granted; the cart is unknown, Stripe essential.
    assert_eq!(
        expired,
        [
            "_fbp=; SameSite=Lax; Secure; Path=/; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT",
            "_fbp=; SameSite=Lax; Secure; Path=/; Domain=shop.example; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT",
            "_gcl_au=; SameSite=Lax; Secure; Path=/; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT",
            "_gcl_au=; SameSite=Lax; Secure; Path=/; Domain=shop.example; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT",
        ],
        "{set:?}"
    );
    assert!(
        set.iter()
            .any(|c| c.starts_with(&format!("{}=", config.cookie_name()))
                && !c.contains("Max-Age=0")),
        "the new decision is set: {set:?}"
    );
}
