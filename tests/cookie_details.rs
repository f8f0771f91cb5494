//! The cookie details grid as the server renders it: in the banner's toggle, as
//! `<CookieDetails/>`, in place of `[[CookieDetails]]`, and from the refresh endpoint the
//! browser calls with the names in `document.cookie`.

mod common;

use axum::{Router, body::Body, routing::get};
use http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use leptos::prelude::*;
use leptos_consent::{
    ConsentBanner, ConsentConfig, ConsentLayer, CookieDetails, CookiePolicyText, provide_consent,
};
use tower::ServiceExt;

fn render_with_cookies(config: &ConsentConfig, cookie: &str, view: fn() -> AnyView) -> String {
    let owner = Owner::new();
    owner.set();
    let mut request = Request::get("/terms");
    if !cookie.is_empty() {
        request = request.header(header::COOKIE, cookie);
    }
    provide_context(common::through_layer(config, request.body(()).unwrap()));
    provide_consent();
    view().to_html()
}

#[test]
fn the_banner_toggles_the_grid_of_the_requests_cookies() {
    let config = common::config();
    let html = render_with_cookies(&config, "_ga=GA1.1; _gcl_au=1; theme=dark", || {
        view! { <ConsentBanner/> }.into_any()
    });
    let toggle = html
        .find("lc-banner__cookie-details")
        .expect("a toggle in the banner");
    assert!(html[toggle..].contains("Show cookie details"), "{html}");
    assert!(
        html.contains(">_ga<") && html.contains("Google LLC"),
        "{html}"
    );
    assert!(
        html.contains(">_gcl_au<"),
        "tracking cookies are listed too: {html}"
    );
    assert!(
        html.contains(r#"data-category="unknown""#) && html.contains(">theme<"),
        "{html}"
    );
    assert!(
        !html.contains(">_fbp<"),
        "absent native cookies are not listed"
    );
}

#[test]
fn the_policy_text_gets_the_grid_in_place_of_the_placeholder() {
    let config = ConsentConfig::builder()
        .secret([3; 32])
        .locale("da")
        .build()
        .unwrap();
    let html = render_with_cookies(&config, "_ga_K4Z=GS1", || {
        view! {
            <CookiePolicyText text="Vi bruger cookies.\n\n[[CookieDetails]]\n\n<b>Spørgsmål?</b>"/>
        }
        .into_any()
    });
    let grid = html.find("lc-cookie-details").expect("the grid");
    assert!(html.find("Vi bruger cookies.").unwrap() < grid);
    assert!(
        html.find("&lt;b&gt;Spørgsmål?&lt;/b&gt;").unwrap() > grid,
        "{html}"
    );
    assert!(!html.contains("[[CookieDetails]]"));
    assert!(
        html.contains(">_ga_*<") && html.contains("Google Analytics 4: gemmer"),
        "{html}"
    );
    assert!(
        html.contains("Udbyder") && html.contains(">2 år<"),
        "Danish texts: {html}"
    );
}

#[test]
fn without_cookies_the_grid_says_so() {
    let config = common::config();
    let html = render_with_cookies(&config, "", || view! { <CookieDetails/> }.into_any());
    assert!(html.contains("No cookies are in use."), "{html}");
}

fn app(config: ConsentConfig) -> Router {
    Router::new()
        .route(
            "/_consent/cookie-details",
            get(leptos_axum::handle_server_fns),
        )
        .layer(ConsentLayer::new(config))
}

async fn fetch(router: Router, query: &str, cookie: &str) -> (StatusCode, http::HeaderMap, String) {
    let request = Request::get(format!("/_consent/cookie-details{query}"))
        .header(header::COOKIE, cookie)
        .body(Body::empty())
        .unwrap();
    let response = router.oneshot(request).await.unwrap();
    let (parts, body) = response.into_parts();
    let bytes = body.collect().await.unwrap().to_bytes();
    (
        parts.status,
        parts.headers,
        String::from_utf8(bytes.to_vec()).unwrap(),
    )
}

#[tokio::test]
async fn the_browser_gets_the_grid_with_the_cookies_it_reports() {
    let config = common::config();
    // `_fbp` only in document.cookie (say, on a path the request does not cover).
    let (status, headers, body) = fetch(
        app(config.clone()),
        "?present=_ga%3B_fbp%3Bodd%22%3E",
        "_ga=1",
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(headers[header::CACHE_CONTROL], "no-store");
    let html: String = serde_json::from_str(&body).expect("a JSON string");
    assert!(html.contains(">_ga<") && html.contains(">_fbp<"), "{html}");
    assert!(html.contains("Meta Platforms"), "{html}");
    assert!(
        html.contains("odd&quot;&gt;") || html.contains("odd\"&gt;"),
        "escaped: {html}"
    );
    assert!(!html.contains("odd\">"), "{html}");
}

#[tokio::test]
async fn too_many_reported_cookies_get_a_400() {
    // At most 200 names, as the endpoint documents.
    let names = (0..=200)
        .map(|i| format!("c{i}"))
        .collect::<Vec<_>>()
        .join("%3B");
    let (status, _, body) = fetch(app(common::config()), &format!("?present={names}"), "").await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(body.contains("at most"), "{body}");
}
