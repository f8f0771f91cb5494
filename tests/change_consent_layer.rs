//! The `ConsentLayer`: the `?ChangeCookiePolicyConsent=1` reset and what it passes on.

mod common;

use std::convert::Infallible;

use axum::body::Body;
use http::{Method, Request, Response, StatusCode, header};
use leptos_consent::{ConsentConfig, ConsentLayer, ConsentState};
use proptest::prelude::*;
use tower::{ServiceBuilder, ServiceExt, service_fn};

/// The inner service: answers 200 and says whether the layer handed it the request's consent.
async fn inner(request: Request<Body>) -> Result<Response<Body>, Infallible> {
    let configured = ConsentState::of_request(request.extensions()).is_some();
    Ok(Response::new(Body::from(format!(
        "inner configured={configured}"
    ))))
}

async fn call(method: Method, target: &str) -> Response<Body> {
    let service = ServiceBuilder::new()
        .layer(ConsentLayer::new(common::config()))
        .service(service_fn(inner));
    let request = Request::builder()
        .method(method)
        .uri(target)
        .body(Body::empty())
        .expect("a valid request");
    service.oneshot(request).await.expect("infallible")
}

fn location(response: &Response<Body>) -> &str {
    response.headers()[header::LOCATION]
        .to_str()
        .expect("ASCII")
}

#[tokio::test]
async fn resets_and_redirects_to_the_same_page() {
    let response = call(
        Method::GET,
        "/products/7?color=red&ChangeCookiePolicyConsent=1&x=2",
    )
    .await;
    assert_eq!(response.status(), StatusCode::FOUND);
    assert_eq!(
        location(&response),
        "/products/7?color=red&ChangeCookiePolicyConsent=0&x=2"
    );
    assert_eq!(response.headers()[header::CACHE_CONTROL], "no-store");
    let cookies = common::set_cookies(response.headers());
    assert_eq!(cookies.len(), 1, "{cookies:?}");
    let removal = &cookies[0];
    assert!(removal.starts_with("__Host-lc_consent=;"), "{removal}");
    for attribute in ["Max-Age=0", "Path=/", "HttpOnly", "Secure", "SameSite=Lax"] {
        assert!(
            removal.contains(attribute),
            "{attribute} missing from {removal}"
        );
    }
}

#[tokio::test]
async fn the_reset_drops_hide_cookie_dialog_so_the_banner_shows() {
    let response = call(
        Method::GET,
        "/terms?HideCookieDialog=1&ChangeCookiePolicyConsent=1",
    )
    .await;
    assert_eq!(location(&response), "/terms?ChangeCookiePolicyConsent=0");
}

#[tokio::test]
async fn head_requests_reset_too() {
    let response = call(Method::HEAD, "/?ChangeCookiePolicyConsent=1").await;
    assert_eq!(response.status(), StatusCode::FOUND);
    assert_eq!(location(&response), "/?ChangeCookiePolicyConsent=0");
}

#[tokio::test]
async fn everything_else_passes_through_with_the_configuration() {
    for (method, target) in [
        (Method::GET, "/"),
        (Method::GET, "/?ChangeCookiePolicyConsent=0"),
        (Method::GET, "/?ChangeCookiePolicyConsent=true"),
        (Method::GET, "/?XChangeCookiePolicyConsent=1"),
        (Method::POST, "/checkout?ChangeCookiePolicyConsent=1"),
    ] {
        let response = call(method.clone(), target).await;
        assert_eq!(response.status(), StatusCode::OK, "{method} {target}");
        assert!(response.headers().get(header::SET_COOKIE).is_none());
        let body = http_body_util::BodyExt::collect(response.into_body())
            .await
            .unwrap()
            .to_bytes();
        assert_eq!(&body[..], b"inner configured=true");
    }
}

#[tokio::test]
async fn a_configured_cookie_domain_is_deleted_on_that_domain() {
    let config = ConsentConfig::builder()
        .secret([1u8; 32])
        .cookie_domain("shop.example")
        .cookie_name("consent")
        .build()
        .unwrap();
    let service = ServiceBuilder::new()
        .layer(ConsentLayer::new(config))
        .service(service_fn(inner));
    let request = Request::get("/?ChangeCookiePolicyConsent=1")
        .body(Body::empty())
        .unwrap();
    let response = service.oneshot(request).await.unwrap();
    let removal = &common::set_cookies(response.headers())[0];
    assert!(
        removal.starts_with("consent=;") && removal.contains("Domain=shop.example"),
        "{removal}"
    );
}

/// The known open-redirect tricks: the Location must stay on the shop.
#[tokio::test]
async fn never_an_open_redirect() {
    let cases = [
        (
            "//evil.com?ChangeCookiePolicyConsent=1",
            "/evil.com?ChangeCookiePolicyConsent=0",
        ),
        (
            "///evil.com?ChangeCookiePolicyConsent=1",
            "/evil.com?ChangeCookiePolicyConsent=0",
        ),
        (
            "/\\evil.com?ChangeCookiePolicyConsent=1",
            "/evil.com?ChangeCookiePolicyConsent=0",
        ),
        (
            "/%2f%2fevil.com?ChangeCookiePolicyConsent=1",
            "/evil.com?ChangeCookiePolicyConsent=0",
        ),
        (
            "/%5cevil.com?ChangeCookiePolicyConsent=1",
            "/evil.com?ChangeCookiePolicyConsent=0",
        ),
        (
            "/%5C%2Fevil.com?ChangeCookiePolicyConsent=1",
            "/evil.com?ChangeCookiePolicyConsent=0",
        ),
        (
            "/%0d%0a/evil.com?ChangeCookiePolicyConsent=1",
            "/evil.com?ChangeCookiePolicyConsent=0",
        ),
        (
            "/%09/evil.com?ChangeCookiePolicyConsent=1",
            "/evil.com?ChangeCookiePolicyConsent=0",
        ),
        (
            "/x?ChangeCookiePolicyConsent=1&next=%0d%0aSet-Cookie:%20a=b",
            "/x?ChangeCookiePolicyConsent=0&next=%0d%0aSet-Cookie:%20a=b",
        ),
        (
            "http://evil.com/x?ChangeCookiePolicyConsent=1",
            "/x?ChangeCookiePolicyConsent=0",
        ),
        (
            "https://evil.com//evil.com/?ChangeCookiePolicyConsent=1",
            "/evil.com/?ChangeCookiePolicyConsent=0",
        ),
        (
            "http://evil.com?ChangeCookiePolicyConsent=1",
            "/?ChangeCookiePolicyConsent=0",
        ),
    ];
    for (target, expected) in cases {
        let response = call(Method::GET, target).await;
        assert_eq!(response.status(), StatusCode::FOUND, "{target}");
        assert_eq!(location(&response), expected, "{target}");
        common::assert_stays_on_the_shop(location(&response));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// Any request target hyper could hand us: the Location stays on the shop.
    #[test]
    fn any_request_target_redirects_on_the_shop(
        path in r"[/\\%a-zA-Z0-9:@.\-_~!$&'()*+,;=\t ]{0,40}",
        query in r"[a-zA-Z0-9=&%/?\\:]{0,30}",
        absolute in any::<bool>(),
    ) {
        let target = format!(
            "{}{path}?{query}&ChangeCookiePolicyConsent=1",
            if absolute { "http://evil.com" } else { "" }
        );
        // Only what `http::Uri` accepts can reach a service at all.
        if let Ok(uri) = target.parse::<http::Uri>() {
            let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
            let response = runtime.block_on(call(Method::GET, &uri.to_string()));
            prop_assert_eq!(response.status(), StatusCode::FOUND);
            let location = location(&response).to_owned();
            common::assert_stays_on_the_shop(&location);
            prop_assert!(location.contains("ChangeCookiePolicyConsent=0"));
        }
    }
}

#[tokio::test]
async fn the_withdrawal_expires_every_optional_cookie_the_registry_knows() {
    let service = ServiceBuilder::new()
        .layer(ConsentLayer::new(common::config()))
        .service(service_fn(inner));
    let request = Request::get("/?ChangeCookiePolicyConsent=1")
        .header(header::HOST, "www.shop.co.uk")
        .header(
            header::COOKIE,
            "__Host-lc_consent=x; _ga=1; _fbp=2; __stripe_mid=3; cart=4",
        )
        .body(Body::empty())
        .unwrap();
    let response = service.oneshot(request).await.unwrap();
    let cookies = common::set_cookies(response.headers());
    let names: Vec<(&str, bool)> = cookies
        .iter()
        .map(|c| {
            (
                c.split('=').next().unwrap(),
                c.contains("Domain=shop.co.uk"),
            )
        })
        .collect();
    assert_eq!(
        names,
        [
            ("__Host-lc_consent", false),
            ("_ga", false),
            ("_ga", true),
            ("_fbp", false),
            ("_fbp", true),
        ],
        "{cookies:?}"
    );
}

/// Passes a response with `headers` through the layer and returns its headers.
async fn through_the_layer(headers: &[(&'static str, &'static str)]) -> http::HeaderMap {
    let answer: Vec<(&'static str, &'static str)> = headers.to_vec();
    let service = ServiceBuilder::new()
        .layer(ConsentLayer::new(common::config()))
        .service(service_fn(move |_: Request<Body>| {
            let answer = answer.clone();
            async move {
                let mut response = Response::new(Body::empty());
                for (name, value) in answer {
                    response
                        .headers_mut()
                        .append(name, http::HeaderValue::from_static(value));
                }
                Ok::<_, Infallible>(response)
            }
        }));
    let request = Request::get("/products/1").body(Body::empty()).unwrap();
    service.oneshot(request).await.unwrap().headers().clone()
}

#[tokio::test]
async fn pages_and_cookies_stay_out_of_shared_caches() {
    // A page depends on the consent cookie: private, and Vary: Cookie.
    let page = through_the_layer(&[
        ("content-type", "text/html; charset=utf-8"),
        ("cache-control", "public, max-age=600"),
    ])
    .await;
    assert_eq!(page[header::CACHE_CONTROL], "private");
    assert_eq!(page[header::VARY], "Cookie");
    // An answer that sets a cookie is stored by no shared cache, whatever it is.
    let json = through_the_layer(&[
        ("content-type", "application/json"),
        ("cache-control", "max-age=60"),
        ("set-cookie", "cart=3; Path=/"),
    ])
    .await;
    assert_eq!(json[header::CACHE_CONTROL], "private, no-store");
    // What already says so keeps its words, and an existing Vary is extended.
    let kept = through_the_layer(&[
        ("content-type", "text/html"),
        ("cache-control", "no-store"),
        ("vary", "Accept-Encoding"),
    ])
    .await;
    assert_eq!(kept[header::CACHE_CONTROL], "no-store");
    let vary: Vec<_> = kept.get_all(header::VARY).iter().collect();
    assert_eq!(vary, ["Accept-Encoding", "Cookie"]);
    // Assets do not depend on the cookie: untouched.
    let asset = through_the_layer(&[
        ("content-type", "application/wasm"),
        ("cache-control", "public, max-age=31536000, immutable"),
    ])
    .await;
    assert_eq!(
        asset[header::CACHE_CONTROL],
        "public, max-age=31536000, immutable"
    );
    assert!(asset.get(header::VARY).is_none());
}
