//! The browser half of the tracker, on the WASM side: each event goes to the page's
//! plain-JS tracker (`components/tracker.js`, in the page's runtime when the shop tracks) as
//! an `lc-track` event on `document`. Queueing, holding until opt-in, batching, `sendBeacon`,
//! the event's id and JSON are the runtime's: the WASM bundle carries none of it, and a page
//! whose WASM has not loaded yet tracks the same way.

use leptos::prelude::document;
use wasm_bindgen::JsValue;
use web_sys::{CustomEvent, CustomEventInit};

use crate::Event;

/// Hands `event` (checked) to the page's tracker, with the identified `user` if any: its
/// detail is `[hydrating, type, product, module, user, name, value, …]`, `"1"` or `""` for
/// whether the page is still hydrating (then the tracker drops render-time events the
/// server emitted already), `undefined` for what the event lacks. Without the runtime's
/// tracker in the page (the shop does not track) nobody listens.
pub(crate) fn record(event: Event, user: Option<String>) {
    let text = |value: Option<&str>| value.map_or(JsValue::UNDEFINED, JsValue::from_str);
    let hydrating = if super::hydrating() { "1" } else { "" };
    let fields = js_sys::Array::of5(
        &hydrating.into(),
        &event.kind.as_str().into(),
        &text(event.product.as_deref()),
        &text(event.module.as_deref()),
        &text(user.as_deref()),
    );
    for (name, value) in event.properties.iter() {
        fields.push(&JsValue::from_str(name));
        fields.push(&JsValue::from_str(value));
    }
    let init = CustomEventInit::new();
    init.set_detail(&fields);
    if let Ok(track) = CustomEvent::new_with_event_init_dict("lc-track", &init) {
        let _ = document().dispatch_event(&track);
    }
}
