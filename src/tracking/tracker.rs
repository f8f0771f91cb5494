//! [`use_tracker`] and the [`Tracker`] it gives pages.

use super::{Event, EventKind};

/// Emits the shop's events: `Copy`, get it with [`use_tracker`].
///
/// - During server-side rendering (and in server functions), events are emitted on the
///   server with the request's ids, when the shopper's consent allows.
/// - In the browser, events go to the shop's own collect endpoint
///   ([`collect_events`](crate::endpoints::collect_events)), batched, with `sendBeacon` when the page is
///   hidden, through the page's plain-JS runtime ([`CookiePolicyScript`](crate::CookiePolicyScript)
///   carries it when the shop tracks). Events called while the page hydrates are not sent
///   again when the server already emitted them.
/// - Without consent nothing is sent; with
///   [`require_opt_in`](crate::tracking::TrackingConfigBuilder::require_opt_in) the browser holds a
///   page's events until the shopper opts in, and drops them if the page is left first.
///
/// Without tracking configured on the server (no
/// [`ConsentConfigBuilder::tracking`](crate::ConsentConfigBuilder::tracking)) every call
/// does nothing.
///
/// ```
/// # use leptos::prelude::*;
/// use leptos_consent::use_tracker;
///
/// #[component]
/// fn ProductPage(id: u32) -> impl IntoView {
///     let tracker = use_tracker();
///     tracker.product_view(id.to_string());
///     view! {
///         <a href="/products/8" on:click=move |_| tracker.item_click("8", "GetSimilarItems")>
///             "Similar"
///         </a>
///     }
/// }
/// ```
///
/// In a server function (a checkout, a newsletter sign-up) it works the same: the events
/// carry the ids of the request, and `identify` sets the cookie on its response.
#[derive(Clone, Copy)]
pub struct Tracker {
    _private: (),
}

/// The page's [`Tracker`]. On the server it reads the request (no context needed, so it
/// works in server functions too); in the browser it hands events to the page's runtime,
/// which follows the shopper's consent as `window.CookiePolicy` has it.
pub fn use_tracker() -> Tracker {
    Tracker { _private: () }
}

impl Tracker {
    /// A page view of the current page.
    pub fn page_view(&self) {
        self.track(Event::new(EventKind::PageView));
    }

    /// A product page view.
    pub fn product_view(&self, product: impl Into<String>) {
        self.track(Event::new(EventKind::ProductView).product(product));
    }

    /// A click on a recommended product, with the recommendation module's name
    /// (`GetSimilarItems`): the provider attributes revenue to the module by it.
    pub fn item_click(&self, product: impl Into<String>, module: impl Into<String>) {
        self.track(
            Event::new(EventKind::ItemClick)
                .product(product)
                .module(module),
        );
    }

    /// The shopper identified (newsletter sign-up, checkout) with `user`, an e-mail address
    /// or the shop's customer id: the `ruid` cookie gets base64 of it (of its SHA-256 for an
    /// address, see [`user_id_of`](crate::tracking::user_id_of)), set by the server, and an `identify`
    /// event goes out. Only with consent (or ids declared essential).
    pub fn identify(&self, user: impl Into<String>) {
        self.emit(Event::new(EventKind::Identify), Some(user.into()));
    }

    /// Any event. Events outside the limits ([`Event::check`]) are dropped with a warning.
    pub fn track(&self, event: Event) {
        self.emit(event, None);
    }

    fn emit(&self, event: Event, user: Option<String>) {
        // In the browser the page's tracker applies the same limits (it is where events are
        // batched: one event outside them would have the endpoint refuse its whole batch).
        #[cfg(feature = "ssr")]
        if let Err(invalid) = event.check() {
            leptos::logging::warn!("leptos-consent: event dropped: {invalid}");
            return;
        }
        #[cfg(all(feature = "ssr", feature = "tracking"))]
        super::server::emit_server_event(event, user.as_deref());
        // Without the `tracking` feature the server has nowhere to send events.
        #[cfg(all(feature = "ssr", not(feature = "tracking")))]
        let _ = (event, user);
        #[cfg(not(feature = "ssr"))]
        crate::client::tracking::record(event, user);
    }
}
