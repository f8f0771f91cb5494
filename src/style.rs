//! The crate's stylesheet, for the two ways a shop can serve it.
//!
//! - **Inline** (no file to copy, works with any build tool): `<ConsentStyles/>` in the
//!   shell's `<head>` writes it into the page once, as a `<style>` carrying the response's
//!   CSP nonce. It costs the page 5.7 kB of HTML (about 1.6 kB gzipped: it ships without
//!   its comments and indentation) and the WASM bundle nothing.
//! - **As a file** (cached across pages): mount [`serve`] at [`PATH`] and link it.
//!
//! ```
//! use leptos_consent::style;
//!
//! assert!(style::STYLESHEET.contains(".lc-banner"));
//! assert!(style::PATH.starts_with("/_consent/leptos-consent-"));
//! ```
//!
//! With cargo-leptos, the shop's own `style-file` stays as it is: cargo-leptos takes one
//! stylesheet, and the crate's does not need to be part of it.
//!
//! Every class is prefixed `lc-`; theme it with the custom properties at its top
//! (`--lc-accent`, `--lc-background`, `--lc-radius`, …), set on `.lc-root` in the shop's
//! own stylesheet.

/// The stylesheet of the banner, the details grid, the gates and the links: `style/leptos-consent.css`
/// without its comments and indentation (written by `build.rs`), as pages get it.
pub const STYLESHEET: &str = include_str!(concat!(env!("OUT_DIR"), "/leptos-consent.css"));

/// Where [`serve`] is meant to be mounted: the crate's version is in the name, so the file
/// can be cached for a year and an upgrade still reaches every browser.
pub const PATH: &str = concat!(
    "/_consent/leptos-consent-",
    env!("CARGO_PKG_VERSION"),
    ".css"
);

/// An axum handler answering [`STYLESHEET`] as `text/css`, cacheable for a year.
///
/// ```
/// use axum::{Router, routing::get};
/// use leptos_consent::style;
///
/// let router: Router = Router::new().route(style::PATH, get(style::serve));
/// // In the shell's <head>: <link rel="stylesheet" href=leptos_consent::style::PATH/>
/// ```
#[cfg(feature = "ssr")]
#[cfg_attr(docsrs, doc(cfg(feature = "ssr")))]
pub async fn serve() -> impl axum::response::IntoResponse {
    use http::header::{CACHE_CONTROL, CONTENT_TYPE};
    (
        [
            (CONTENT_TYPE, "text/css; charset=utf-8"),
            (CACHE_CONTROL, "public, max-age=31536000, immutable"),
        ],
        STYLESHEET,
    )
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use axum::response::IntoResponse;

    use super::*;

    #[tokio::test]
    async fn the_file_is_css_and_long_cached() {
        let response = serve().await.into_response();
        assert_eq!(
            response.headers()["content-type"],
            "text/css; charset=utf-8"
        );
        assert!(
            response.headers()["cache-control"]
                .to_str()
                .unwrap()
                .contains("immutable")
        );
        let body = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap();
        assert_eq!(body, STYLESHEET.as_bytes());
    }

    #[test]
    fn the_stylesheet_ships_every_rule_without_its_comments() {
        let source = include_str!("../style/leptos-consent.css");
        assert!(source.contains("/*") && !STYLESHEET.contains("/*"));
        assert!(
            STYLESHEET
                .lines()
                .all(|line| line == line.trim() && !line.is_empty())
        );
        // Comments hold no braces: every rule survives, and every line is one of the source's.
        for mark in ['{', '}'] {
            let count = |css: &str| css.matches(mark).count();
            assert_eq!(count(STYLESHEET), count(source), "{mark}");
        }
        let source_lines: Vec<&str> = source.lines().map(str::trim).collect();
        assert!(STYLESHEET.lines().all(|line| source_lines.contains(&line)));
        assert!(STYLESHEET.lines().any(|line| line == ".lc-banner {"));
        assert!(STYLESHEET.len() * 10 < source.len() * 9);
    }
}
