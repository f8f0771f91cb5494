//! What a page renders with on the server, from the request's consent as the layer read it.

use http::request::Parts;

use crate::{
    ConsentState, ConsentTexts, bootstrap::ConsentBootstrap, server::RequestConsent,
    tracking::TrackerSettings,
};

/// The page's consent state and texts (for the context and the hydration state). Without a request (or without the layer): no decision, English texts.
pub(crate) fn bootstrap() -> ConsentBootstrap {
    match RequestConsent::current() {
        Some(consent) => consent.bootstrap(),
        None => ConsentBootstrap {
            state: ConsentState::default(),
            texts: std::sync::Arc::new(ConsentTexts::english()),
        },
    }
}

/// What `<CookiePolicyScript/>` renders from.
#[derive(Default)]
pub(crate) struct PolicyInputs {
    /// The request's consent state.
    pub(crate) state: ConsentState,
    /// Whether the shop wants Google Consent Mode.
    pub(crate) google_consent_mode: bool,
    /// The shop's tracking settings for the page's tracker, when it tracks.
    pub(crate) tracking: Option<TrackerSettings>,
    /// How the page gets the runtime.
    pub(crate) runtime: RuntimeDelivery,
}

/// How a page gets the runtime.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) enum RuntimeDelivery {
    /// In the page: without the layer, which serves the file.
    #[default]
    Inline,
    /// In the page, and the browser fetches the file while idle: the first page of a visit.
    InlineAndPrefetch,
    /// From the file, which the browser has in its cache once the shopper is in the shop.
    File,
}

/// What `<CookiePolicyScript/>` renders from, for this request (without the layer: no
/// decision, no Google Consent Mode, no tracking).
pub(crate) fn cookie_policy_inputs() -> PolicyInputs {
    leptos::reactive::owner::with_context::<Parts, _>(|parts| {
        let consent = RequestConsent::of_parts(parts)?;
        Some(PolicyInputs {
            state: consent.state.clone(),
            google_consent_mode: consent.config.google_consent_mode(),
            tracking: consent.tracking_settings(),
            runtime: if comes_from_elsewhere(&parts.headers) {
                RuntimeDelivery::InlineAndPrefetch
            } else {
                RuntimeDelivery::File
            },
        })
    })
    .flatten()
    .unwrap_or_default()
}

/// Whether the browser says this page view starts here: typed in, bookmarked, or followed
/// from another site (`Sec-Fetch-Site` other than `same-origin`). Such a page carries the
/// runtime, so the first page a shopper sees waits for no second request, and has the
/// browser fetch the file while idle for the pages that follow, which come from the shop's
/// own pages (`same-origin`) and find it in the cache. Without the header (a client that
/// does not send it), the page loads the file.
fn comes_from_elsewhere(headers: &http::HeaderMap) -> bool {
    headers
        .get("sec-fetch-site")
        .is_some_and(|site| site != "same-origin")
}
