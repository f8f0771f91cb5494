//! What a page renders with on the server, from the request's consent as the layer read it.

use crate::{ConsentState, ConsentTexts, bootstrap::ConsentBootstrap, server::RequestConsent};

/// The page's consent state, texts and tracking settings (for the context and the
/// hydration state). Without a request (or without the layer): no decision, English texts.
pub(crate) fn bootstrap() -> ConsentBootstrap {
    match RequestConsent::current() {
        Some(consent) => consent.bootstrap(),
        None => ConsentBootstrap {
            state: ConsentState::default(),
            texts: std::sync::Arc::new(ConsentTexts::english()),
            tracking: None,
        },
    }
}

/// What `<CookiePolicyScript/>` renders from: the request's consent state, and whether the
/// shop wants Google Consent Mode.
pub(crate) fn cookie_policy_inputs() -> (ConsentState, bool) {
    match RequestConsent::current() {
        Some(consent) => (consent.state.clone(), consent.config.google_consent_mode()),
        None => (ConsentState::default(), false),
    }
}
