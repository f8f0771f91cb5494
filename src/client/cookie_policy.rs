//! Keeping `window.CookiePolicy` current after a decision in the page, and telling the
//! page's scripts (the `cookiepolicychange` event, which also activates gated scripts).

use leptos::prelude::{document, window};
use wasm_bindgen::JsValue;
use web_sys::{CustomEvent, CustomEventInit};

use crate::{Category, ConsentMode, ConsentState};

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
    if !state.services.is_empty() {
        let services = js_sys::Object::new();
        for service in state.services.iter() {
            let allowed = state.allows_service(&service.id);
            let _ = js_sys::Reflect::set(&services, &service.id.as_str().into(), &allowed.into());
        }
        let _ = js_sys::Reflect::set(&policy, &"services".into(), &services);
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

    let element = document().get_element_by_id("lc-cookie-policy")?;
    let nonce = element.dyn_into::<web_sys::HtmlElement>().ok()?.nonce();
    (!nonce.is_empty()).then_some(nonce)
}
