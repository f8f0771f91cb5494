//! The request's tracking ids for the shop's own server calls.
//!
//! A search or recommendation API that personalises must see the same visitor and session
//! ids as tracking, so that the provider can join a search to the clicks after it. The
//! [`ConsentLayer`](crate::ConsentLayer) has read (or created) them before anything runs;
//! these accessors hand them over, only when consent allows events.

use axum::extract::OptionalFromRequestParts;
use http::{Extensions, request::Parts};

use crate::{server::RequestConsent, tracking::TrackingIds};

impl TrackingIds {
    /// The request's ids (`cemv`, `cems`, and `ruid`, `reaid`, `xuid` where there are), as
    /// the layer read or created them, when consent allows events; `None` when the shop
    /// does not track, the request did not pass the layer, or consent does not allow them.
    /// In an axum handler, take `Option<TrackingIds>` as an extractor instead.
    ///
    /// ```
    /// use axum::{Router, routing::get};
    /// use leptos_consent::tracking::TrackingIds;
    ///
    /// /// The shop's search endpoint, calling its search provider with tracking's ids.
    /// async fn search(ids: Option<TrackingIds>) -> String {
    ///     let mut provider = String::from("https://search.example/api?q=coffee");
    ///     if let Some(ids) = ids {
    ///         provider.push_str(&format!("&visitor={}&session={}", ids.visitor, ids.session));
    ///     }
    ///     provider // (the shop would fetch it here)
    /// }
    ///
    /// let app: Router = Router::new().route("/api/search", get(search));
    /// ```
    pub fn of_request(extensions: &Extensions) -> Option<TrackingIds> {
        RequestConsent::of(extensions)?
            .tracking
            .as_ref()?
            .emitted_ids()
            .cloned()
    }

    /// [`of_request`](Self::of_request) for the current request: in server functions and in
    /// components during server-side rendering (from the request `Parts` leptos_axum
    /// provides). `None` outside a request, and in the browser's build there is no such
    /// function: ask a server function.
    ///
    /// ```
    /// use leptos::prelude::*;
    /// use leptos_consent::tracking::TrackingIds;
    ///
    /// #[server]
    /// async fn search(query: String) -> Result<String, ServerFnError> {
    ///     let session = TrackingIds::current().map(|ids| ids.session);
    ///     Ok(format!("{query} for session {session:?}")) // call the search API here
    /// }
    /// ```
    pub fn current() -> Option<TrackingIds> {
        RequestConsent::current()?
            .tracking
            .as_ref()?
            .emitted_ids()
            .cloned()
    }
}

/// `Option<TrackingIds>` in an axum handler: [`TrackingIds::of_request`].
impl<S: Send + Sync> OptionalFromRequestParts<S> for TrackingIds {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        _state: &S,
    ) -> Result<Option<Self>, Self::Rejection> {
        Ok(Self::of_request(&parts.extensions))
    }
}
