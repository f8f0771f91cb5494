//! The server half (feature `ssr`): configuration, the signed consent cookie, the tower
//! layer, and what pages and the decision endpoint read from a request.

mod config;
mod consent_cookie;
mod fingerprint;
mod layer;
mod request;
mod signing;

pub use config::{
    ConfigError, ConsentConfig, ConsentConfigBuilder, DEFAULT_CONSENT_LIFETIME_DAYS,
    DEFAULT_COOKIE_NAME, MAX_CONSENT_LIFETIME_DAYS, MIN_SECRET_LEN,
};
pub use consent_cookie::CookieRejection;
pub use fingerprint::PolicyFingerprint;
use http::{HeaderName, HeaderValue, StatusCode, header, request::Parts};
pub use layer::{ConsentLayer, ConsentService, ResponseFuture};
use leptos::prelude::*;
use leptos_axum::ResponseOptions;
use uuid::Uuid;

use crate::{
    Category, CategorySet, ConsentAction, ConsentDecision, ConsentState, ConsentTexts,
    bootstrap::ConsentBootstrap, decide::DECISION_HEADER, local_target_from_str,
};

/// What the page renders with: the request's consent state and the site's texts.
pub(crate) fn bootstrap() -> ConsentBootstrap {
    match use_context::<Parts>() {
        Some(parts) => match parts.extensions.get::<ConsentConfig>() {
            Some(config) => ConsentBootstrap {
                state: config.state_for(&parts.uri, &parts.headers),
                texts: config.texts().clone(),
            },
            // Leptos renders the app once with an empty mock request to list its routes;
            // only a real request (it always has headers) without the layer is a mistake.
            None if parts.headers.is_empty() => fallback_bootstrap(),
            None => {
                tracing::error!(
                    "leptos-consent: no ConsentConfig on the request; add \
                     `.layer(ConsentLayer::new(config))` to the router. Rendering as \
                     \"no decision\"."
                );
                fallback_bootstrap()
            }
        },
        None => fallback_bootstrap(),
    }
}

fn fallback_bootstrap() -> ConsentBootstrap {
    ConsentBootstrap {
        state: ConsentState::default(),
        texts: ConsentTexts::english(),
    }
}

/// The body of [`decide_consent`](crate::decide_consent): checks the form fields and the
/// request, then sets the consent cookie. `ticked` are the fields of
/// [`Category::OPTIONAL`], in order.
pub(crate) fn record_decision(
    choice: &str,
    ticked: [Option<&str>; 3],
    return_to: &str,
) -> Result<ConsentDecision, ServerFnError> {
    let (Some(parts), Some(response)) = (use_context::<Parts>(), use_context::<ResponseOptions>())
    else {
        return Err(ServerFnError::new(
            "leptos-consent: no request context (is leptos_axum serving?)",
        ));
    };
    let fail = |status: StatusCode, message: String| {
        response.set_status(status);
        Err(ServerFnError::new(message))
    };
    let Some(config) = parts.extensions.get::<ConsentConfig>() else {
        tracing::error!("leptos-consent: decision posted, but the ConsentLayer is not installed");
        return fail(
            StatusCode::INTERNAL_SERVER_ERROR,
            "consent is not configured".into(),
        );
    };
    if request::is_cross_site(&parts.headers) {
        return fail(
            StatusCode::FORBIDDEN,
            "consent decisions are only taken from the shop's own pages".into(),
        );
    }
    let choice: ConsentAction = match choice.parse() {
        Ok(choice) => choice,
        Err(unknown) => return fail(StatusCode::BAD_REQUEST, format!("{unknown}")),
    };
    let mut ticked_set = CategorySet::empty();
    for (category, value) in Category::OPTIONAL.into_iter().zip(ticked) {
        match value {
            None | Some("" | "false" | "off" | "0") => {}
            Some("true" | "on" | "1") => ticked_set = ticked_set.with(category),
            Some(other) => {
                return fail(
                    StatusCode::BAD_REQUEST,
                    format!("{category}={other:?}: a ticked category is \"true\" or \"on\""),
                );
            }
        }
    }
    let gpc = request::sends_gpc(&parts.headers);
    let granted = match choice.grants(config.mode(), gpc, ticked_set) {
        Ok(granted) => granted,
        Err(invalid) => return fail(StatusCode::BAD_REQUEST, invalid.to_string()),
    };
    let decision = ConsentDecision {
        consent_id: config
            .previous_consent_id(&parts.headers)
            .unwrap_or_else(Uuid::new_v4),
        granted,
        action: choice,
        decided_at: request::unix_now(),
    };
    let Some(cookie) = config.set_cookie_header(&decision) else {
        return fail(
            StatusCode::INTERNAL_SERVER_ERROR,
            "the consent cookie could not be written".into(),
        );
    };
    response.append_header(header::SET_COOKIE, cookie);
    if let Ok(compact) = HeaderValue::from_str(&decision.encode_compact()) {
        response.insert_header(HeaderName::from_static(DECISION_HEADER), compact);
    }
    response.insert_header(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if request::accepts_html(&parts.headers) {
        // A plain form post (no JavaScript): back to the page it came from.
        let location = local_target_from_str(return_to);
        response.set_status(StatusCode::SEE_OTHER);
        response.insert_header(
            header::LOCATION,
            HeaderValue::from_str(&location).unwrap_or(HeaderValue::from_static("/")),
        );
    }
    Ok(decision)
}
