//! The shop's use of leptos-consent, in one place.
//!
//! For measurements only, features swap pieces for stand-ins that render nothing:
//! `baseline` every piece (the shop without leptos-consent, which `cargo xtask sizes` and
//! `cargo xtask load` compare against), `size-without-<piece>` one of them (`banner`,
//! `link`, `details`, `gate`, `tags`, `delete`, `tracker`, and `status`: the demo's own
//! panel and cookie that read the context), so that `cargo xtask sizes` can
//! measure what each adds to the browser bundle. A real shop just uses the leptos-consent
//! components directly.

#[cfg(any(
    feature = "baseline",
    feature = "size-without-banner",
    feature = "size-without-link",
    feature = "size-without-details",
    feature = "size-without-gate",
    feature = "size-without-tags",
    feature = "size-without-delete",
    feature = "size-without-status",
))]
use leptos::prelude::*;

#[cfg(not(feature = "baseline"))]
mod real {
    use leptos::prelude::*;
    // Paths in full below: each measuring variant leaves out some of the pieces.
    use leptos_consent::provide_consent;

    /// Provides the consent context at the root.
    pub fn provide() {
        provide_consent();
    }

    /// `window.CookiePolicy` and the gated scripts' activation, first in `<head>`.
    #[component]
    pub fn PolicyScript() -> impl IntoView {
        view! { <leptos_consent::CookiePolicyScript/> }
    }

    /// The consent banner.
    #[cfg(not(feature = "size-without-banner"))]
    #[component]
    pub fn Banner() -> impl IntoView {
        view! { <leptos_consent::ConsentBanner/> }
    }

    /// The "Cookie settings" link.
    #[cfg(not(feature = "size-without-link"))]
    #[component]
    pub fn ChangeLink() -> impl IntoView {
        view! { <leptos_consent::ChangeConsentLink/> }
    }

    /// The cookie section of the terms page: the policy text, with the cookie details grid
    /// where it says `[[CookieDetails]]`.
    #[cfg(not(feature = "size-without-details"))]
    #[component]
    pub fn CookiePolicy(text: &'static str) -> impl IntoView {
        view! { <leptos_consent::CookiePolicyText text=text/> }
    }

    /// The demo's consent-gated tags, as a shop would add them: a statistics script (it
    /// stands in for an analytics tag and sets `_demo_stats`) through [`GatedScript`], a
    /// heatmap script that also needs its service, "heatmap", and a
    /// tracking pixel (it sets `_demo_px`) as the shop platforms' gated inline markup. All
    /// run only once their category is allowed, at once when the shopper allows it. And the
    /// ready-made Google Analytics 4 and Meta pixel tags with placeholder ids, their
    /// libraries served by the demo (`/vendor-*.js` stand in for Google's and Meta's: the
    /// demo has no internet).
    ///
    /// [`GatedScript`]: leptos_consent::GatedScript
    #[cfg(not(feature = "size-without-tags"))]
    #[component]
    pub fn GatedTags() -> impl IntoView {
        view! {
            <leptos_consent::GoogleAnalytics measurement_id="G-DEMO000000" src="/vendor-gtag.js"/>
            <leptos_consent::MetaPixel pixel_id="100000000000001" src="/vendor-fbevents.js"/>
            <leptos_consent::GatedScript category=leptos_consent::Category::Statistics src="/demo-stats.js"/>
            // Only while the shopper allows the "heatmap" service (not just statistics).
            <leptos_consent::GatedScript category=leptos_consent::Category::Statistics service="heatmap" src="/demo-heatmap.js"/>
            <script
                type="text/plain"
                class="cpc-script-inline-tracking"
                nonce=leptos::nonce::use_nonce()
                inner_html=PIXEL
            ></script>
        }
    }

    /// The tracking pixel's inline script.
    #[cfg(not(feature = "size-without-tags"))]
    const PIXEL: &str = "window.__demoPixelRuns = (window.__demoPixelRuns || 0) + 1; \
        new Image().src = '/demo-pixel.gif?page=' + encodeURIComponent(location.pathname);";

    /// A video from the roastery, as a shop embeds one from a video platform: it loads only
    /// with marketing consent; until then a placeholder offers to allow it.
    #[cfg(not(feature = "size-without-gate"))]
    #[component]
    pub fn RoasteryVideo() -> impl IntoView {
        view! {
            <leptos_consent::ConsentGate
                category=leptos_consent::Category::Tracking
                what="a video from our roastery"
                embed=r#"<iframe class="product__video" src="/demo-video" title="A visit to our roastery"></iframe>"#
            />
        }
    }

    /// Remembers the last product viewed in `nk_last_product` (a functional cookie the demo
    /// deliberately left out of its registry: the grid lists it as unclassified), only while
    /// functional cookies are allowed.
    #[cfg(not(feature = "size-without-status"))]
    pub fn remember_last_product(id: u32) {
        let consent = leptos_consent::use_consent();
        Effect::new(move || {
            if consent.allows(leptos_consent::Category::Functional) {
                #[cfg(feature = "hydrate")]
                {
                    use wasm_bindgen::JsCast;
                    if let Ok(document) = document().dyn_into::<web_sys::HtmlDocument>() {
                        let _ = document.set_cookie(&format!(
                            "nk_last_product={id}; path=/; max-age=2592000; samesite=lax"
                        ));
                    }
                }
                #[cfg(not(feature = "hydrate"))]
                let _ = id;
            }
        });
    }

    /// "Delete all my cookies for this shop".
    #[cfg(not(feature = "size-without-delete"))]
    #[component]
    pub fn DeleteCookies() -> impl IntoView {
        view! { <leptos_consent::DeleteCookiesButton/> }
    }

    /// The shopper's current choice, live: shows that the page knows at once. The words
    /// "on"/"off" come from the stylesheet, keyed on `data-allowed`.
    #[cfg(not(feature = "size-without-status"))]
    #[component]
    pub fn ConsentStatus() -> impl IntoView {
        let consent = leptos_consent::use_consent();
        let texts = consent.texts();
        let items = leptos_consent::Category::ALL
            .into_iter()
            .map(|category| {
                let label = texts.category(category).label.clone();
                view! {
                    <li
                        data-category=category.as_str()
                        data-allowed=move || if consent.allows(category) { "true" } else { "false" }
                    >
                        {label}
                    </li>
                }
            })
            .collect_view();
        view! {
            <section class="shop__consent-status" data-testid="consent-status" aria-labelledby="consent-status-title">
                <h2 id="consent-status-title" class="shop__consent-status-title">"Your cookie settings"</h2>
                <ul>{items}</ul>
                // The id the consent log knows this browser by: quote it in a privacy request.
                <p class="shop__consent-id" data-testid="consent-id">
                    {move || consent.decision().map(|d| format!("Consent ID: {}", d.consent_id))}
                </p>
            </section>
        }
    }
}

#[cfg(not(feature = "baseline"))]
pub use real::*;

/// The tracker the pages use.
#[cfg(not(any(feature = "baseline", feature = "size-without-tracker")))]
pub use leptos_consent::{Event, EventKind, use_tracker};
#[cfg(any(feature = "baseline", feature = "size-without-tracker"))]
pub use no_tracker::{Event, EventKind, use_tracker};

/// Stand-ins for the tracker that do nothing, for measuring what it adds (the checkout's
/// `identify` and `Purchase` run in a server function: the browser build never calls them).
#[cfg(any(feature = "baseline", feature = "size-without-tracker"))]
#[allow(dead_code)]
mod no_tracker {
    /// Nothing: what the tracker would send.
    pub struct Event;

    /// Nothing: the kinds the pages name.
    pub enum EventKind {
        AddToCart,
        Purchase,
    }

    impl Event {
        pub fn new(_kind: EventKind) -> Self {
            Event
        }
        pub fn custom(_name: &str) -> Result<Self, ()> {
            Ok(Event)
        }
        pub fn product(self, _product: impl Into<String>) -> Self {
            self
        }
        pub fn property(self, _name: &str, _value: impl Into<String>) -> Self {
            self
        }
    }

    /// Nothing: the tracker.
    #[derive(Clone, Copy)]
    pub struct Tracker;

    impl Tracker {
        pub fn page_view(&self) {}
        pub fn product_view(&self, _product: impl Into<String>) {}
        pub fn item_click(&self, _product: impl Into<String>, _module: impl Into<String>) {}
        pub fn identify(&self, _user: impl Into<String>) {}
        pub fn track(&self, _event: Event) {}
    }

    pub fn use_tracker() -> Tracker {
        Tracker
    }
}

/// Nothing: the baseline for measurements.
#[cfg(feature = "baseline")]
pub fn provide() {}

/// Nothing: the baseline for measurements.
#[cfg(feature = "baseline")]
#[component]
pub fn PolicyScript() -> impl IntoView {}

/// Nothing: the baseline for measurements.
#[cfg(any(feature = "baseline", feature = "size-without-banner"))]
#[component]
pub fn Banner() -> impl IntoView {}

/// Nothing: the baseline for measurements.
#[cfg(any(feature = "baseline", feature = "size-without-link"))]
#[component]
pub fn ChangeLink() -> impl IntoView {}

/// Nothing: the baseline for measurements.
#[cfg(any(feature = "baseline", feature = "size-without-status"))]
#[component]
pub fn ConsentStatus() -> impl IntoView {}

/// The policy text alone: the baseline for measurements.
#[cfg(any(feature = "baseline", feature = "size-without-details"))]
#[component]
pub fn CookiePolicy(text: &'static str) -> impl IntoView {
    view! { <p>{text}</p> }
}

/// Nothing: the baseline for measurements.
#[cfg(any(feature = "baseline", feature = "size-without-tags"))]
#[component]
pub fn GatedTags() -> impl IntoView {}

/// The video as a shop without consent management embeds it: the baseline for measurements
/// (what the gate adds is the gate, not the shop's own content).
#[cfg(any(feature = "baseline", feature = "size-without-gate"))]
#[component]
pub fn RoasteryVideo() -> impl IntoView {
    view! { <iframe class="product__video" src="/demo-video" title="A visit to our roastery"></iframe> }
}

/// Nothing: the baseline for measurements.
#[cfg(any(feature = "baseline", feature = "size-without-delete"))]
#[component]
pub fn DeleteCookies() -> impl IntoView {}

/// Nothing: the baseline for measurements.
#[cfg(any(feature = "baseline", feature = "size-without-status"))]
pub fn remember_last_product(_id: u32) {}
