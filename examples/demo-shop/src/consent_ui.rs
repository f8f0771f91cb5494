//! The shop's use of leptos-consent, in one place.
//!
//! The `size-baseline` feature swaps every piece for nothing and `size-without-banner` only
//! the banner, so that `cargo xtask sizes` can measure what they add to the browser bundle.
//! A real shop just uses the leptos-consent components directly.

#[cfg(feature = "size-baseline")]
use leptos::prelude::*;

#[cfg(not(feature = "size-baseline"))]
mod real {
    use leptos::prelude::*;
    use leptos_consent::{Category, ChangeConsentLink, provide_consent, use_consent};

    /// Provides the consent context at the root.
    pub fn provide() {
        provide_consent();
    }

    /// The consent banner.
    #[cfg(not(feature = "size-without-banner"))]
    #[component]
    pub fn Banner() -> impl IntoView {
        view! { <leptos_consent::ConsentBanner/> }
    }

    /// Nothing: the baseline for measuring the banner alone.
    #[cfg(feature = "size-without-banner")]
    #[component]
    pub fn Banner() -> impl IntoView {}

    /// The "Cookie settings" link.
    #[component]
    pub fn ChangeLink() -> impl IntoView {
        view! { <ChangeConsentLink/> }
    }

    /// The cookie section of the terms page: the policy text, with the cookie details grid
    /// where it says `[[CookieDetails]]`.
    #[component]
    pub fn CookiePolicy(text: &'static str) -> impl IntoView {
        view! { <leptos_consent::CookiePolicyText text=text/> }
    }

    /// The demo's consent-gated tags, as a shop would add them: a statistics script (it
    /// stands in for an analytics tag and sets `_demo_stats`) through [`GatedScript`], and a
    /// tracking pixel (it sets `_demo_px`) as the shop platforms' gated inline markup. Both
    /// run only once their category is allowed, at once when the shopper allows it. And the
    /// ready-made Google Analytics 4 and Meta pixel tags with placeholder ids, their
    /// libraries served by the demo (`/vendor-*.js` stand in for Google's and Meta's: the
    /// demo has no internet).
    ///
    /// [`GatedScript`]: leptos_consent::GatedScript
    #[component]
    pub fn GatedTags() -> impl IntoView {
        view! {
            <leptos_consent::GoogleAnalytics measurement_id="G-DEMO000000" src="/vendor-gtag.js"/>
            <leptos_consent::MetaPixel pixel_id="100000000000001" src="/vendor-fbevents.js"/>
            <leptos_consent::GatedScript category=Category::Statistics src="/demo-stats.js"/>
            <script
                type="text/plain"
                class="cpc-script-inline-tracking"
                nonce=leptos::nonce::use_nonce()
                inner_html=PIXEL
            ></script>
        }
    }

    /// The tracking pixel's inline script.
    const PIXEL: &str = "window.__demoPixelRuns = (window.__demoPixelRuns || 0) + 1; \
        new Image().src = '/demo-pixel.gif?page=' + encodeURIComponent(location.pathname);";

    /// A video from the roastery, as a shop embeds one from a video platform: it loads only
    /// with marketing consent; until then a placeholder offers to allow it.
    #[component]
    pub fn RoasteryVideo() -> impl IntoView {
        view! {
            <leptos_consent::ConsentGate category=Category::Tracking what="a video from our roastery">
                <iframe class="product__video" src="/demo-video" title="A visit to our roastery"></iframe>
            </leptos_consent::ConsentGate>
        }
    }

    /// Remembers the last product viewed in `nk_last_product` (a functional cookie the demo
    /// deliberately left out of its registry: the grid lists it as unclassified), only while
    /// functional cookies are allowed.
    pub fn remember_last_product(id: u32) {
        let consent = use_consent();
        Effect::new(move || {
            if consent.allows(Category::Functional) {
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
    #[component]
    pub fn DeleteCookies() -> impl IntoView {
        view! { <leptos_consent::DeleteCookiesButton/> }
    }

    /// The shopper's current choice, live: shows that the page knows at once. The words
    /// "on"/"off" come from the stylesheet, keyed on `data-allowed`.
    #[component]
    pub fn ConsentStatus() -> impl IntoView {
        let consent = use_consent();
        let texts = consent.texts();
        let items = Category::ALL
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

#[cfg(not(feature = "size-baseline"))]
pub use real::*;

/// Nothing: the baseline for size measurements.
#[cfg(feature = "size-baseline")]
pub fn provide() {}

/// Nothing: the baseline for size measurements.
#[cfg(feature = "size-baseline")]
#[component]
pub fn Banner() -> impl IntoView {}

/// Nothing: the baseline for size measurements.
#[cfg(feature = "size-baseline")]
#[component]
pub fn ChangeLink() -> impl IntoView {}

/// Nothing: the baseline for size measurements.
#[cfg(feature = "size-baseline")]
#[component]
pub fn ConsentStatus() -> impl IntoView {}

/// The policy text alone: the baseline for size measurements.
#[cfg(feature = "size-baseline")]
#[component]
pub fn CookiePolicy(text: &'static str) -> impl IntoView {
    view! { <p>{text}</p> }
}

/// Nothing: the baseline for size measurements.
#[cfg(feature = "size-baseline")]
#[component]
pub fn GatedTags() -> impl IntoView {}

/// Nothing: the baseline for size measurements.
#[cfg(feature = "size-baseline")]
#[component]
pub fn RoasteryVideo() -> impl IntoView {}

/// Nothing: the baseline for size measurements.
#[cfg(feature = "size-baseline")]
#[component]
pub fn DeleteCookies() -> impl IntoView {}

/// Nothing: the baseline for size measurements.
#[cfg(feature = "size-baseline")]
pub fn remember_last_product(_id: u32) {}
