//! Telling the page's scripts about a decision taken in the page: the plain-JS runtime
//! updates `window.CookiePolicy` from it, then the shop's listeners of `cookiepolicychange`
//! (which also activates gated scripts) run.

use leptos::prelude::{document, window};
use web_sys::{CustomEvent, CustomEventInit};

/// `<CookiePolicyScript/>`'s element.
const SCRIPT_ID: &str = "lc-cookie-policy";

/// Hands a decision recorded in the page to the plain-JS runtime of
/// `<CookiePolicyScript/>`: writes its compact form into the script element's
/// `data-decision`. The runtime brings `window.CookiePolicy` up to date from it when
/// [`announce`] dispatches the event (so the WASM carries none of the policy's names).
pub(crate) fn record(compact: &str) {
    if let Some(script) = document().get_element_by_id(SCRIPT_ID) {
        let _ = script.set_attribute("data-decision", compact);
    }
}

/// The decision recorded in the page (the script element's `data-decision`), if any.
pub(crate) fn recorded() -> Option<crate::ConsentDecision> {
    let compact = document()
        .get_element_by_id(SCRIPT_ID)?
        .get_attribute("data-decision")?;
    crate::ConsentDecision::decode_compact(&compact)
}

/// Dispatches `cookiepolicychange` on `document` (bubbling to `window`), with
/// `window.CookiePolicy` as `detail`: the runtime, listening first, updates it in place
/// before the shop's listeners see it.
pub(crate) fn announce() {
    let init = CustomEventInit::new();
    init.set_bubbles(true);
    if let Ok(policy) = js_sys::Reflect::get(&window(), &"CookiePolicy".into()) {
        init.set_detail(&policy);
    }
    if let Ok(event) = CustomEvent::new_with_event_init_dict("cookiepolicychange", &init) {
        let _ = document().dispatch_event(&event);
    }
}

/// The CSP nonce the page was served with (on `<CookiePolicyScript/>`'s element), for gated
/// markup the browser renders itself: without it the activator leaves the markup alone.
pub(crate) fn page_nonce() -> Option<String> {
    use wasm_bindgen::JsCast;

    let element = document().get_element_by_id(SCRIPT_ID)?;
    let nonce = element.dyn_into::<web_sys::HtmlElement>().ok()?.nonce();
    (!nonce.is_empty()).then_some(nonce)
}
