//! "Delete all my cookies for this shop": `POST /_consent/forget`, as a shop serves it.

mod common;

use axum::{Router, body::Body, routing::post};
use http::{Request, StatusCode, header};
use leptos_consent::ConsentLayer;
use tower::ServiceExt;

fn app() -> Router {
    Router::new()
        .route("/_consent/forget", post(leptos_axum::handle_server_fns))
        .layer(ConsentLayer::new(common::config()))
}

#[tokio::test]
async fn every_cookie_goes_and_the_browser_comes_back() {
    let request = Request::post("/_consent/forget")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "text/html")
        .header(header::HOST, "www.shop.co.uk")
        .header(
            header::COOKIE,
            "__Host-lc_consent=x; cart=3; _ga=1; session_id=abc",
        )
        .body(Body::from("return_to=%2Fprivacy"))
        .unwrap();
    let response = app().oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(response.headers()[header::LOCATION], "/privacy");
    assert_eq!(response.headers()[header::CACHE_CONTROL], "no-store");
    let cookies = common::set_cookies(response.headers());
    for name in ["cart", "_ga", "session_id"] {
        for domain in [false, true] {
            assert!(
                cookies.iter().any(|c| c.starts_with(&format!("{name}=;"))
                    && c.contains("Max-Age=0")
                    && c.contains("Domain=shop.co.uk") == domain),
                "{name} (domain {domain}) in {cookies:?}"
            );
        }
    }
    assert!(
        cookies.iter().any(|c| c.starts_with("__Host-lc_consent=;")
            && c.contains("Max-Age=0")
            && c.contains("HttpOnly")),
        "{cookies:?}"
    );
}

#[tokio::test]
async fn another_site_cannot_delete_the_shoppers_cookies() {
    let request = Request::post("/_consent/forget")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::HOST, "shop.example")
        .header("sec-fetch-site", "cross-site")
        .header(header::COOKIE, "__Host-lc_consent=x; cart=3")
        .body(Body::from("return_to=%2F"))
        .unwrap();
    let response = app().oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert!(common::set_cookies(response.headers()).is_empty());
}

/// A forget post from `host` with `cookie`, answered by a shop built with `config`.
async fn forget(
    config: leptos_consent::ConsentConfig,
    host: &str,
    cookie: &str,
) -> http::Response<Body> {
    let request = Request::post("/_consent/forget")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "text/html")
        .header(header::HOST, host)
        .header(header::COOKIE, cookie)
        .body(Body::from("return_to=%2Fprivacy"))
        .unwrap();
    Router::new()
        .route("/_consent/forget", post(leptos_axum::handle_server_fns))
        .layer(ConsentLayer::new(config))
        .oneshot(request)
        .await
        .unwrap()
}

#[tokio::test]
async fn every_variant_a_browser_could_hold_goes() {
    let response = forget(common::config(), "a.b.shop.co.uk", "_ga=1; __Host-sid=2").await;
    let cookies = common::set_cookies(response.headers());
    // Host-only, and with Domain set to the host and each parent down to the registrable
    // domain; on `/` and every ancestor of the request's path; with Secure, as the shop's
    // cookies are, so `__Secure-` and `__Host-` ones can go too.
    for domain in [
        "",
        "; Domain=a.b.shop.co.uk",
        "; Domain=b.shop.co.uk",
        "; Domain=shop.co.uk",
    ] {
        for path in ["/", "/_consent", "/_consent/forget"] {
            let expiry = format!(
                "_ga=; SameSite=Lax; Secure; Path={path}{domain}; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT"
            );
            assert!(cookies.contains(&expiry), "{expiry} in {cookies:#?}");
        }
    }
    let host_only: Vec<&String> = cookies
        .iter()
        .filter(|c| c.starts_with("__Host-sid="))
        .collect();
    assert_eq!(
        host_only,
        [
            "__Host-sid=; SameSite=Lax; Secure; Path=/; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT"
        ]
    );
    assert!(
        !cookies.iter().any(|c| c.contains("Domain=co.uk")),
        "never the public suffix"
    );
}

#[tokio::test]
async fn planted_names_cannot_hide_a_known_cookie() {
    // 250 junk names first, the tracking cookie last.
    let mut cookie: Vec<String> = (0..250).map(|i| format!("junk{i}=x")).collect();
    cookie.push("_fbp=fb.1".to_owned());
    let response = forget(common::config(), "shop.example", &cookie.join("; ")).await;
    let cookies = common::set_cookies(response.headers());
    assert!(
        cookies.iter().any(|c| c.starts_with("_fbp=;")),
        "{} cookies",
        cookies.len()
    );
}

#[tokio::test]
async fn clear_site_data_on_request() {
    let response = forget(common::config(), "shop.example", "cart=3").await;
    assert!(
        response.headers().get("clear-site-data").is_none(),
        "off by default"
    );
    let config = leptos_consent::ConsentConfig::builder()
        .secret("integration-test-secret-of-32-bytes-or-more")
        .clear_site_data(true)
        .build()
        .unwrap();
    let response = forget(config, "shop.example", "cart=3").await;
    assert_eq!(response.headers()["clear-site-data"], "\"cookies\"");
}
