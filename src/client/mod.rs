//! The browser half: posting a decision from the page with the browser's own `fetch` (for
//! the gates and [`ConsentContext::decide`](crate::ConsentContext::decide); the banner's is
//! posted by the page's plain-JS runtime, as is the grid's refresh).
//!
//! The endpoint answers with the recorded decision in a header, in the compact form the
//! page's hydration state uses too, so the WASM bundle carries no JSON parser and no
//! server-function client (see `cargo xtask sizes`).

pub(crate) mod cookie_policy;
pub(crate) mod tracking;

use std::cell::Cell;

use leptos::prelude::window;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Headers, RequestInit, Response};

use crate::{
    Category, CategorySet, ConsentAction, ConsentDecision,
    consent::DecideError,
    protocol::{DECIDE_PATH, DECISION_HEADER},
};

thread_local! {
    /// Whether the page's hydration is over (effects have run once).
    static HYDRATED: Cell<bool> = const { Cell::new(false) };
}

/// Notes when the page's hydration is over: a task spawned now first runs once the
/// synchronous hydration of the app has finished (no effect: a shop with only the banner
/// would carry the effect machinery for it alone). Called once, by `provide_consent`.
pub(crate) fn watch_hydration() {
    leptos::task::spawn_local(async { HYDRATED.set(true) });
}

/// Whether the page is still hydrating (what renders now adopts the server's markup).
pub(crate) fn hydrating() -> bool {
    !HYDRATED.get()
}

/// Warns, naming `component`, when a component that only adopts the server's markup renders
/// after the page has hydrated (a client-side navigation rendered it: it stays empty).
pub(crate) fn adopts_server_markup(component: &str) {
    if !hydrating() {
        leptos::logging::warn!(
            "leptos-consent: {component} is rendered by the server only; place it in the \
             app's root view, not in a route"
        );
    }
}

/// The fields that decide for `action` with the categories `ticked`, url-encoded as the
/// banner's form posts them.
pub(crate) fn decision_fields(action: ConsentAction, ticked: CategorySet) -> String {
    let mut body = format!("choice={}", action.as_str());
    for category in Category::OPTIONAL
        .into_iter()
        .filter(|c| ticked.contains(*c))
    {
        body.push('&');
        body.push_str(category.as_str());
        body.push_str("=true");
    }
    body
}

/// Posts a decision's url-encoded form `fields` to the decision endpoint, and returns the
/// decision the server recorded.
pub(crate) async fn post_decision(fields: &str) -> Result<ConsentDecision, DecideError> {
    // A shopper who follows a link right after the click must not lose the decision.
    let init = keepalive_post(&JsValue::from_str(fields));
    if let Ok(headers) = Headers::new() {
        let _ = headers.set("content-type", "application/x-www-form-urlencoded");
        let _ = headers.set("accept", "application/json");
        init.set_headers(&headers);
    }
    let response: Response = JsFuture::from(window().fetch_with_str_and_init(DECIDE_PATH, &init))
        .await
        .map_err(|_| DecideError::Network)?
        .unchecked_into();
    if !response.ok() {
        return Err(DecideError::Refused(response.status()));
    }
    let compact = response
        .headers()
        .get(DECISION_HEADER)
        .ok()
        .flatten()
        .ok_or(DecideError::NoDecision)?;
    let decision = ConsentDecision::decode_compact(&compact).ok_or(DecideError::NoDecision)?;
    cookie_policy::record(&compact);
    Ok(decision)
}

/// A `POST` of `body` that the browser finishes even when the page is left meanwhile
/// (`keepalive`, set by name: this `web_sys` has no setter for it).
pub(crate) fn keepalive_post(body: &JsValue) -> RequestInit {
    let init = RequestInit::new();
    init.set_method("POST");
    init.set_body(body);
    let _ = js_sys::Reflect::set(&init, &"keepalive".into(), &true.into());
    init
}
