//! The tracking context: [`use_tracker`] gives pages a [`Tracker`] that emits events
//! server-side during SSR and from the browser (through the shop's own collect endpoint)
//! after hydration, always within the shopper's consent.

mod event;

pub use event::{Event, EventKind, InvalidEvent, MAX_FIELD_LEN, MAX_PROPERTIES, UnknownEventKind};

use crate::Category;
#[cfg(not(feature = "ssr"))]
use crate::{ConsentContext, use_consent};

/// What the browser half knows about the shop's tracking, from the page's HTML.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct TrackingBootstrap {
    /// The category events need.
    pub(crate) category: Category,
    /// Whether events wait in the page for the shopper's opt-in.
    pub(crate) require_opt_in: bool,
    /// Whether the server emitted this page's render-time events (then the browser does not
    /// emit them again when it hydrates).
    pub(crate) server_emits: bool,
}

impl TrackingBootstrap {
    /// The compact form in the page's hydration state: category initial, opt-in and
    /// server-emits flags (`t10`).
    pub(crate) fn encode(self) -> String {
        let category = match self.category {
            Category::Statistics => 's',
            _ => 't',
        };
        let flag = |on: bool| if on { '1' } else { '0' };
        [category, flag(self.require_opt_in), flag(self.server_emits)]
            .into_iter()
            .collect()
    }

    /// Reads [`encode`](Self::encode)'s form; `None` for anything else (no tracking).
    pub(crate) fn decode(compact: &str) -> Option<Self> {
        let bytes = compact.as_bytes();
        let [category, opt_in, emits] = bytes else {
            return None;
        };
        Some(TrackingBootstrap {
            category: match category {
                b's' => Category::Statistics,
                b't' => Category::Tracking,
                _ => return None,
            },
            require_opt_in: *opt_in == b'1',
            server_emits: *emits == b'1',
        })
    }
}

/// Emits the shop's events: `Copy`, get it with [`use_tracker`].
///
/// - During server-side rendering (and in server functions), events are emitted on the
///   server with the request's ids, when the shopper's consent allows.
/// - In the browser, events go to the shop's own collect endpoint
///   ([`collect_events`](crate::endpoints::collect_events)), batched, with `sendBeacon` when the page is
///   hidden. Events called while the page hydrates are not sent again when the server
///   already emitted them.
/// - Without consent nothing is sent; with
///   [`require_opt_in`](crate::TrackingConfigBuilder::require_opt_in) the browser holds a
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
    #[cfg(not(feature = "ssr"))]
    consent: ConsentContext,
}

/// The page's [`Tracker`]. On the server it reads the request (no context needed, so it
/// works in server functions too); in the browser it follows the page's
/// [`ConsentContext`](crate::ConsentContext).
pub fn use_tracker() -> Tracker {
    Tracker {
        #[cfg(not(feature = "ssr"))]
        consent: use_consent(),
    }
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
    /// address, see [`user_id_of`](crate::user_id_of)), set by the server, and an `identify`
    /// event goes out. Only with consent (or ids declared essential).
    pub fn identify(&self, user: impl Into<String>) {
        self.emit(Event::new(EventKind::Identify), Some(user.into()));
    }

    /// Any event. Events outside the limits ([`Event::check`]) are dropped with a warning.
    pub fn track(&self, event: Event) {
        self.emit(event, None);
    }

    fn emit(&self, event: Event, user: Option<String>) {
        if let Err(invalid) = event.check() {
            leptos::logging::warn!("leptos-consent: event dropped: {invalid}");
            return;
        }
        #[cfg(feature = "ssr")]
        crate::server::emit_server_event(event, user.as_deref());
        #[cfg(not(feature = "ssr"))]
        crate::client::tracking::record(self.consent, event, user);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bootstrap_round_trips() {
        for category in [Category::Tracking, Category::Statistics] {
            for (require_opt_in, server_emits) in [(true, false), (false, true)] {
                let bootstrap = TrackingBootstrap {
                    category,
                    require_opt_in,
                    server_emits,
                };
                assert_eq!(
                    TrackingBootstrap::decode(&bootstrap.encode()),
                    Some(bootstrap)
                );
            }
        }
        assert_eq!(TrackingBootstrap::decode(""), None);
        assert_eq!(TrackingBootstrap::decode("x11"), None);
    }
}
