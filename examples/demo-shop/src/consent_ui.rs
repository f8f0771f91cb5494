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
