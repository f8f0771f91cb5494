//! The browser half of the tracker: events queue in memory and go to the shop's own collect
//! endpoint in batches (`fetch` with `keepalive`; `sendBeacon` when the page is hidden).
//! Without consent they are dropped, or with `require_opt_in` held until the shopper opts
//! in; held events die with the page, and with the route: a client-side navigation
//! discards what was held for the page left, as a full page load would.
//!
//! Each event is a small JSON object built with the browser's own `JSON.stringify`, so the
//! bundle carries no JSON serializer.

use std::cell::RefCell;

use js_sys::{JSON, Object, Reflect};
use leptos::prelude::{
    Effect, Owner, RwSignal, With, WithUntracked, document, set_timeout, window,
};
use wasm_bindgen::{JsCast, JsValue, closure::Closure};
use web_sys::{UrlSearchParams, VisibilityState};

use crate::{ConsentState, Event, EventKind, bootstrap::TrackingBootstrap, protocol::COLLECT_PATH};

/// At most this many events go in one request (the endpoint takes up to 50).
const BATCH: usize = 20;
/// Events wait this long for others to join their batch.
const BATCH_WAIT_MS: u64 = 250;

/// The page's tracker state.
#[derive(Default)]
struct Queue {
    /// Set by [`start`]: the page's tracking settings.
    tracking: Option<TrackingBootstrap>,
    /// Events allowed and waiting to be sent (JSON objects).
    outgoing: Vec<String>,
    /// Events waiting for the shopper's opt-in, with the page (path and query) they were
    /// held on.
    held: Vec<(String, String)>,
    /// A send is scheduled.
    scheduled: bool,
    /// The shopper asked to delete every cookie of the shop: this page sends nothing more
    /// (a request still carrying the old ids would bring them back).
    forgotten: bool,
    /// The app's root owner, kept by `provide_consent` until the first event starts the
    /// tracker under it (so that its effect outlives the route that tracked first).
    root: Option<Owner>,
}

thread_local! {
    static QUEUE: RefCell<Queue> = RefCell::default();
}

/// Keeps the app's root owner for [`start`]: called by `provide_consent` when the shop
/// tracks. The tracker itself starts with the first event, so that an app which never
/// calls `use_tracker` does not carry it in its bundle.
pub(crate) fn remember_root() {
    QUEUE.with_borrow_mut(|queue| queue.root = Owner::current());
}

/// Starts the page's tracker once, under the app's root owner: it follows the consent
/// state, and sends what is queued when the page is hidden.
fn start_once(consent: RwSignal<ConsentState>, tracking: TrackingBootstrap) {
    let root = QUEUE.with_borrow_mut(|queue| {
        queue.tracking.is_none().then(|| {
            queue.tracking = Some(tracking);
            queue.root.take()
        })
    });
    match root {
        None => {}
        Some(Some(owner)) => owner.with(|| start(consent, tracking)),
        Some(None) => start(consent, tracking),
    }
}

/// The tracker: follows the consent state, and sends what is queued when the page is hidden.
fn start(consent: RwSignal<ConsentState>, tracking: TrackingBootstrap) {
    Effect::new(move |_| {
        let (allowed, decided) =
            consent.with(|state| (state.allows(tracking.category), state.decision.is_some()));
        let released = QUEUE.with_borrow_mut(|queue| {
            if allowed {
                let page = current_page();
                let held = std::mem::take(&mut queue.held);
                queue.outgoing.extend(
                    held.into_iter()
                        .filter(|(held_on, _)| *held_on == page)
                        .map(|(_, json)| json),
                );
                !queue.outgoing.is_empty()
            } else {
                if decided {
                    // Refused: what was held will never be sent.
                    queue.held.clear();
                }
                queue.outgoing.clear();
                false
            }
        });
        if released {
            send(false);
        }
    });
    let on_hide = Closure::<dyn Fn()>::new(|| {
        if document().visibility_state() == VisibilityState::Hidden {
            send(true);
        }
    });
    let _ = document()
        .add_event_listener_with_callback("visibilitychange", on_hide.as_ref().unchecked_ref());
    on_hide.forget();
    let on_pagehide = Closure::<dyn Fn()>::new(|| send(true));
    let _ =
        window().add_event_listener_with_callback("pagehide", on_pagehide.as_ref().unchecked_ref());
    on_pagehide.forget();
}

/// Queues, holds or drops an event, as the shopper's consent says.
///
/// A page view (or product view) rendered by a client-side navigation is recorded once the
/// navigation completes: the router renders the new page before it puts its URL in the
/// address bar, and the event belongs to the new URL. Other events (a click) belong to the
/// page where they happen, now.
pub(crate) fn record(
    consent: RwSignal<ConsentState>,
    tracking: Option<TrackingBootstrap>,
    event: Event,
    user: Option<String>,
) {
    let Some(tracking) = tracking else {
        return;
    };
    // Once the hydration is over, render-time events are new (a client-side navigation),
    // not the server's.
    let hydrating = super::hydrating();
    if hydrating && tracking.server_emits {
        // The server emitted this page's render-time events already.
        return;
    }
    let shows_page = matches!(event.kind, EventKind::PageView | EventKind::ProductView);
    if shows_page && !hydrating {
        set_timeout(
            move || enqueue(consent, tracking, &event, user.as_deref()),
            std::time::Duration::ZERO,
        );
    } else {
        enqueue(consent, tracking, &event, user.as_deref());
    }
}

fn enqueue(
    consent: RwSignal<ConsentState>,
    tracking: TrackingBootstrap,
    event: &Event,
    user: Option<&str>,
) {
    start_once(consent, tracking);
    let (allowed, decided) =
        consent.with_untracked(|state| (state.allows(tracking.category), state.decision.is_some()));
    let hold = !allowed && tracking.require_opt_in && !decided;
    if !allowed && !hold {
        return;
    }
    let Some(json) = to_json(event, user) else {
        return;
    };
    let send_now = QUEUE.with_borrow_mut(|queue| {
        if queue.forgotten {
            return None;
        }
        if hold {
            // Held events die with their route, as with a full page load.
            let page = current_page();
            queue.held.retain(|(held_on, _)| *held_on == page);
            queue.held.push((page, json));
            return None;
        }
        queue.outgoing.push(json);
        if queue.outgoing.len() >= BATCH {
            Some(true)
        } else if !queue.scheduled {
            queue.scheduled = true;
            Some(false)
        } else {
            None
        }
    });
    match send_now {
        Some(true) => send(false),
        Some(false) => set_timeout(
            || {
                QUEUE.with_borrow_mut(|queue| queue.scheduled = false);
                send(false);
            },
            std::time::Duration::from_millis(BATCH_WAIT_MS),
        ),
        None => {}
    }
}

/// The shopper is deleting every cookie of the shop (the form of
/// [`DeleteCookiesButton`](crate::DeleteCookiesButton) is being submitted): what waits is
/// dropped, and this page sends nothing more, not even on `pagehide`, so that no request
/// with the old ids races the deletion and sets them again.
pub(crate) fn forget() {
    QUEUE.with_borrow_mut(|queue| {
        queue.forgotten = true;
        queue.outgoing.clear();
        queue.held.clear();
    });
}

/// The page as the router sees it: path and query (a `#fragment` is not another page).
fn current_page() -> String {
    let location = window().location();
    let path = location.pathname().unwrap_or_default();
    let query = location.search().unwrap_or_default();
    path + &query
}

/// A uuid v7 (the time in milliseconds, then 74 random bits from the browser's
/// cryptographic generator): time-ordered ids keep the server's dedupe index growing at
/// its end, several times cheaper to insert into than random v4 ids.
fn time_ordered_id() -> Option<String> {
    let mut random = [0u8; 10];
    window()
        .crypto()
        .ok()?
        .get_random_values_with_u8_array(&mut random)
        .ok()?;
    let millis = js_sys::Date::now() as u64;
    Some(
        uuid::Builder::from_unix_timestamp_millis(millis, &random)
            .into_uuid()
            .to_string(),
    )
}

/// The event as the collect endpoint reads it: id, time, page, type and its fields.
fn to_json(event: &Event, user: Option<&str>) -> Option<String> {
    let object = Object::new();
    let set = |key: &str, value: &JsValue| Reflect::set(&object, &key.into(), value).ok();
    let id = time_ordered_id()?;
    let location = window().location();
    let page = format!(
        "{}{}",
        location.pathname().ok()?,
        location.search().unwrap_or_default()
    );
    set("id", &id.into())?;
    set("at", &js_sys::Date::now().into())?;
    set("page", &page.into())?;
    set("type", &event.kind.as_str().into())?;
    if let Some(product) = &event.product {
        set("product", &product.into())?;
    }
    if let Some(module) = &event.module {
        set("module", &module.into())?;
    }
    if !event.properties.is_empty() {
        let properties = Object::new();
        for (name, value) in &event.properties {
            Reflect::set(&properties, &name.into(), &value.into()).ok()?;
        }
        set("properties", &properties.into())?;
    }
    if let Some(user) = user {
        set("user", &user.into())?;
    }
    JSON::stringify(&object).ok()?.as_string()
}

/// Sends what is queued, in batches: with `sendBeacon` when the page is going away (it
/// outlives the page), else with `fetch` and `keepalive`.
fn send(leaving: bool) {
    loop {
        let batch: Vec<String> = QUEUE.with_borrow_mut(|queue| {
            let take = queue.outgoing.len().min(BATCH);
            queue.outgoing.drain(..take).collect()
        });
        if batch.is_empty() {
            return;
        }
        let Ok(body) = UrlSearchParams::new() else {
            return;
        };
        body.append("batch", &format!("[{}]", batch.join(",")));
        if leaving {
            let _ = window()
                .navigator()
                .send_beacon_with_opt_url_search_params(COLLECT_PATH, Some(&body));
        } else {
            let init = super::keepalive_post(&body);
            // Fire and forget: a refused batch (consent changed meanwhile, a full queue) is
            // the server's to log.
            let _ = window().fetch_with_str_and_init(COLLECT_PATH, &init);
        }
    }
}
