//! `POST /_consent/collect`, the first-party collect endpoint: the browser's tracker posts its events here, and the
//! server forwards them (no request from the browser to a third party).

pub use endpoint::{CollectEvents, collect_events};

/// The server function lives in its own module: the struct the macro generates carries no
/// field docs.
#[allow(missing_docs, unreachable_pub)]
mod endpoint {
    use leptos::prelude::*;

    /// Takes a batch of the browser's events: `batch` is a JSON array of
    /// `{"id": uuid v7 (or v4), "at": ms since the epoch, "page": "/path?query", "type": "pageview",
    /// "product", "module", "properties", "user"}` (the last four optional; `user` only on
    /// `identify`). The server adds the shopper's ids from their cookies and the consent
    /// state; events the shopper's consent does not allow are dropped.
    ///
    /// `POST /_consent/collect`: `204 No Content` when taken (or dropped for consent), `400`
    /// on bad input (nothing of the batch is kept), `403` cross-site, `429` over the per-IP
    /// limit, `503` when the event queue is full.
    #[server(name = CollectEvents, prefix = "/_consent", endpoint = "collect")]
    pub async fn collect_events(#[server(default)] batch: String) -> Result<(), ServerFnError> {
        #[cfg(feature = "tracking")]
        return crate::tracking::collect_browser_events(&batch).await;
        #[cfg(not(feature = "tracking"))]
        return crate::server::endpoints::collect_without_tracking(&batch);
    }
}
