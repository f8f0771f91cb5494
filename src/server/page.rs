//! What a page renders with on the server, from the request's consent as the layer read it.

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
}

/// What `<CookiePolicyScript/>` renders from, for this request (without the layer: no
/// decision, no Google Consent Mode, no tracking).
pub(crate) fn cookie_policy_inputs() -> PolicyInputs {
    match RequestConsent::current() {
        Some(consent) => PolicyInputs {
            state: consent.state.clone(),
            google_consent_mode: consent.config.google_consent_mode(),
            tracking: consent.tracking_settings(),
        },
        None => PolicyInputs::default(),
    }
}
