//! Keeping `window.CookiePolicy` current after a decision in the page, and telling the
//! page's scripts (the `cookiepolicychange` event, which also activates gated scripts).

use leptos::prelude::{document, window};
use wasm_bindgen::JsValue;
use web_sys::{CustomEvent, CustomEventInit};

use crate::{Category, ConsentMode, ConsentState};

/// `<CookiePolicyScript/>`'s element.
const SCRIPT_ID: &str = "lc-cookie-policy";

/// Writes `state` into `window.CookiePolicy` and dispatches `cookiepolicychange` on
/// `document` (bubbling to `window`) with it as `detail`.
pub(crate) fn publish(state: &ConsentState) {
    let window = window();
    let policy = js_sys::Reflect::get(&window, &"CookiePolicy".into())
        .ok()
        .filter(JsValue::is_object)
        .unwrap_or_else(|| js_sys::Object::new().into());
    let fields = [
        (
            "cookiesRequireConsent",
            state.mode == ConsentMode::BlockBeforeConsent,
        ),
        ("allowFunctionalCookies", state.allows(Category::Functional)),
        ("allowStatisticsCookies", state.allows(Category::Statistics)),
        ("allowStatisdicsCookies", state.allows(Category::Statistics)),
        ("allowTrackingCookies", state.allows(Category::Tracking)),
    ];
    for (name, value) in fields {
        let _ = js_sys::Reflect::set(&policy, &name.into(), &value.into());
    }
    // The services refused within allowed categories, for the plain-JS runtime, which
    // writes `CookiePolicy.services` from them when the event reaches it.
    if let Some(script) = document().get_element_by_id(SCRIPT_ID) {
        let refused = state
            .decision
            .as_ref()
            .map_or(0, |decision| decision.refused_services.bits());
        let _ = script.set_attribute("data-refused-services", &format!("{refused:x}"));
    }
    let _ = js_sys::Reflect::set(&window, &"CookiePolicy".into(), &policy);
    let init = CustomEventInit::new();
    init.set_bubbles(true);
    init.set_detail(&policy);
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
