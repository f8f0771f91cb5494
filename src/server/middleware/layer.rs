//! [`ConsentLayer`]: what the shop puts around its router.

use tower_layer::Layer;

use super::ConsentService;
use crate::server::ConsentConfig;

/// The middleware of leptos-consent. It does three things, before any rendering starts:
///
/// 1. **`?ChangeCookiePolicyConsent=1`** on any `GET`/`HEAD` URL: the withdrawal is appended
///    to the consent log (when the shop keeps one and the browser had decided), the consent
///    cookie is deleted and the browser gets `302 Found` to the same path and query with the
///    parameter set to `0` (a `HideCookieDialog` flag is dropped), `Cache-Control: no-store`.
///    The banner then shows again. The `Location` is always a relative same-origin path,
///    whatever the request target holds. It has to happen here: once Leptos streams a page
///    its headers are gone.
/// 2. **Rate limiting**: decision posts and resets write to the consent log, so each client
///    IP address may make
///    [`decisions_per_minute`](crate::log::ConsentLogBuilder::decisions_per_minute) of them;
///    more get `429 Too Many Requests` with `Retry-After`. The address comes from
///    [`ClientIp`](crate::ClientIp) (the TCP peer by default: serve with
///    `into_make_service_with_connect_info::<SocketAddr>()`).
/// 3. **One read of every other request**: the consent cookie (scanned for, not parsed with
///    the rest, and verified once), Global Privacy Control, the page, and the tracking ids
///    when the shop tracks (created and renewed on page requests, with their `Set-Cookie`
///    headers). Everything below reads that: [`provide_consent`](crate::provide_consent),
///    [`CookiePolicyScript`](crate::CookiePolicyScript), the grid, the crate's
///    [`endpoints`](crate::endpoints), server-side events, and the shop's own handlers
///    through [`ConsentState::of_request`](crate::ConsentState::of_request).
///
/// ```
/// use axum::{Router, routing::get};
/// use leptos_consent::{ConsentConfig, ConsentLayer};
///
/// # fn secret() -> String { "x".repeat(32) }
/// let config = ConsentConfig::builder().secret(secret()).build()?;
/// let app: Router = Router::new()
///     .route("/", get(|| async { "home" }))
///     .layer(ConsentLayer::new(config));
/// # Ok::<(), leptos_consent::ConfigError>(())
/// ```
#[derive(Clone, Debug)]
#[must_use]
pub struct ConsentLayer {
    config: ConsentConfig,
}

impl ConsentLayer {
    /// A layer with this configuration.
    pub fn new(config: ConsentConfig) -> Self {
        ConsentLayer { config }
    }

    /// The configuration.
    pub fn config(&self) -> &ConsentConfig {
        &self.config
    }
}

impl<S> Layer<S> for ConsentLayer {
    type Service = ConsentService<S>;

    fn layer(&self, inner: S) -> Self::Service {
        ConsentService::new(inner, self.config.clone())
    }
}
