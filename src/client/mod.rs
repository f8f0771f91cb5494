//! The browser half: posting a decision from the page with the browser's own `fetch`, and
//! refreshing the cookie details grid.
//!
//! The endpoint answers with the recorded decision in a header, in the compact form the
//! page's hydration state uses too, so the WASM bundle carries no JSON parser and no
//! server-function client (see `cargo xtask sizes`).

pub(crate) mod cookie_details;
pub(crate) mod cookie_policy;
pub(crate) mod tracking;

use std::cell::Cell;

use leptos::prelude::{Effect, window};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{FormData, Headers, HtmlFormElement, RequestInit, Response, SubmitEvent};

use crate::{
    Category, CategorySet, ConsentAction, ConsentDecision,
    consent::DecideError,
    protocol::{DECIDE_PATH, DECISION_HEADER},
};

thread_local! {
    /// Whether the page's hydration is over (effects have run once).
    static HYDRATED: Cell<bool> = const { Cell::new(false) };
}

/// Notes when the page's hydration is over: effects first run once the synchronous
/// hydration of the app has finished. Called once, by `provide_consent`.
pub(crate) fn watch_hydration() {
    Effect::new(|_| HYDRATED.set(true));
}

/// Whether the page is still hydrating (what renders now adopts the server's markup).
pub(crate) fn hydrating() -> bool {
    !HYDRATED.get()
}

/// Whether a component that only adopts the server's markup can render now: while the page
/// hydrates. Afterwards (a client-side navigation rendered it) it warns, naming `component`.
pub(crate) fn adopts_server_markup(component: &str) -> bool {
    let hydrating = hydrating();
    if !hydrating {
        leptos::logging::warn!(
            "leptos-consent: {component} is rendered by the server only; place it in the \
             app's root view, not in a route"
        );
    }
    hydrating
}

/// Posts a decision to the decision endpoint with the fields its form posts, and returns
/// the decision the server recorded.
pub(crate) async fn post_decision(
    action: ConsentAction,
    ticked: CategorySet,
    services: &[String],
) -> Result<ConsentDecision, DecideError> {
    let mut body = format!("choice={}", action.as_str());
    for category in Category::OPTIONAL
        .into_iter()
        .filter(|c| ticked.contains(*c))
    {
        body.push('&');
        body.push_str(category.as_str());
        body.push_str("=true");
    }
    // Service ids are a-z, 0-9, '_' and '-': nothing to encode but the brackets.
    for id in services {
        body.push_str("&services%5B%5D=");
        body.push_str(id);
    }
    // A shopper who follows a link right after the click must not lose the decision.
    let init = keepalive_post(&JsValue::from_str(&body));
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
    response
        .headers()
        .get(DECISION_HEADER)
        .ok()
        .flatten()
        .and_then(|compact| ConsentDecision::decode_compact(&compact))
        .ok_or(DecideError::NoDecision)
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

/// The choice of a submitted banner form: the submit button's `value`, the ticked category
/// checkboxes and the ticked services. `None` when the form is not one of ours (then the
/// browser posts it).
pub(crate) fn choice_of(event: &SubmitEvent) -> Option<(ConsentAction, CategorySet, Vec<String>)> {
    let form: HtmlFormElement = event.target()?.dyn_into().ok()?;
    let action = event.submitter()?.get_attribute("value")?.parse().ok()?;
    let data = FormData::new_with_form(&form).ok()?;
    let ticked = Category::OPTIONAL
        .into_iter()
        .filter(|c| data.has(c.as_str()))
        .collect();
    let services = data
        .get_all("services[]")
        .iter()
        .filter_map(|id| id.as_string())
        .collect();
    Some((action, ticked, services))
}

/// Keeps a category's checkbox and its services' in step as the shopper ticks: the
/// category sets all of its services; a service sets the category when all are ticked (and
/// shows it half-ticked when some are).
pub(crate) fn sync_services(event: &web_sys::Event) {
    let Some(input) = event
        .target()
        .and_then(|target| target.dyn_into::<web_sys::HtmlInputElement>().ok())
    else {
        return;
    };
    let Some(form) = input.form() else {
        return;
    };
    let query = |selector: &str| form.query_selector_all(selector).ok();
    let inputs = |list: web_sys::NodeList| {
        (0..list.length())
            .filter_map(move |i| list.item(i))
            .filter_map(|node| node.dyn_into::<web_sys::HtmlInputElement>().ok())
    };
    if input.class_list().contains("lc-category__toggle") {
        let selector = format!(".lc-service__toggle[data-category=\"{}\"]", input.name());
        for service in query(&selector).into_iter().flat_map(inputs) {
            service.set_checked(input.checked());
        }
    } else if input.class_list().contains("lc-service__toggle") {
        let Some(category) = input.get_attribute("data-category") else {
            return;
        };
        let services: Vec<_> = query(&format!(
            ".lc-service__toggle[data-category=\"{category}\"]"
        ))
        .into_iter()
        .flat_map(inputs)
        .collect();
        let ticked = services.iter().filter(|s| s.checked()).count();
        let toggle = form
            .query_selector(&format!("#lc-category-{category}"))
            .ok()
            .flatten()
            .and_then(|toggle| toggle.dyn_into::<web_sys::HtmlInputElement>().ok());
        if let Some(toggle) = toggle {
            toggle.set_checked(ticked == services.len());
            toggle.set_indeterminate(ticked > 0 && ticked < services.len());
        }
    }
}

/// After a decision from the banner: announce it (or show why it failed) in the banner's
/// live regions, and move the keyboard focus from the closed banner to the page's `<main>`
/// (again: a re-render may have taken it). The regions are static markup, so writing their
/// text here needs no reactive view.
pub(crate) fn after_decision(form: &HtmlFormElement, message: &str, saved: bool) {
    let region = if saved {
        form.closest(".lc-root")
            .ok()
            .flatten()
            .and_then(|root| root.query_selector(".lc-root__status").ok().flatten())
    } else {
        form.query_selector(".lc-banner__error").ok().flatten()
    };
    if let Some(region) = region {
        region.set_text_content(Some(message));
    }
    if saved {
        move_focus_to_main();
    }
}

/// Focus the page's `<main>` when the focus is in the consent UI (about to be hidden) or lost.
pub(crate) fn move_focus_to_main() {
    let document = leptos::prelude::document();
    let focus_in_consent_ui_or_lost = match document.active_element() {
        None => true,
        Some(active) => {
            document.body().is_some_and(|body| *body == active)
                || active.closest(".lc-root").ok().flatten().is_some()
        }
    };
    let main = document
        .query_selector("main")
        .ok()
        .flatten()
        .and_then(|main| main.dyn_into::<web_sys::HtmlElement>().ok());
    if let (true, Some(main)) = (focus_in_consent_ui_or_lost, main) {
        if !main.has_attribute("tabindex") {
            let _ = main.set_attribute("tabindex", "-1");
        }
        let _ = main.focus();
    }
}
