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
            "lc_consent=x; cart=3; _ga=1; session_id=abc",
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
        cookies.iter().any(|c| c.starts_with("lc_consent=;")
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
        .header(header::COOKIE, "lc_consent=x; cart=3")
        .body(Body::from("return_to=%2F"))
        .unwrap();
    let response = app().oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert!(common::set_cookies(response.headers()).is_empty());
}
