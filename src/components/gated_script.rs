//! `<GatedScript/>`: an external script that runs only with consent.

use leptos::prelude::*;

use crate::Category;

/// An external script that runs only while `category` is allowed: as soon as the shopper
/// allows it (without a reload), once, in document order with the other gated scripts, and
/// with the page's CSP nonce. Before that it is inert markup
/// (`<script type="text/plain" data-cpc-src="…" class="cpc-script-src-…">`), which
/// [`CookiePolicyScript`](crate::CookiePolicyScript) activates; with JavaScript off it
/// never runs. It carries the page's CSP nonce, without which the activator leaves gated
/// markup alone.
///
/// ```
/// # use leptos::prelude::*;
/// use leptos_consent::{Category, GatedScript};
///
/// #[component]
/// fn Analytics() -> impl IntoView {
///     view! { <GatedScript category=Category::Statistics src="/js/analytics.js"/> }
/// }
/// ```
#[component]
pub fn GatedScript(
    /// The category the script needs.
    category: Category,
    /// The script's URL.
    #[prop(into)]
    src: String,
) -> impl IntoView {
    let nonce = super::page_nonce();
    view! {
        <script
            type="text/plain"
            class=format!("cpc-script-src-{}", category.as_str())
            data-cpc-src=src
            nonce=nonce
        ></script>
    }
}
