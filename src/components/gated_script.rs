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
/// In the shell's `<head>` (after [`CookiePolicyScript`](crate::CookiePolicyScript)) the
/// server writes it and the browser's bundle carries none of its code; in a route it is one
/// element the browser adopts, or builds after client-side navigation.
///
/// ```
/// # use leptos::prelude::*;
/// use leptos_consent::{Category, GatedScript};
///
/// #[component]
/// fn Analytics() -> impl IntoView {
///     view! {
///         <GatedScript category=Category::Statistics src="/js/analytics.js"/>
///         // Only while the shopper allows the service "hotjar" (declared by the shop).
///         <GatedScript category=Category::Statistics service="hotjar" src="/js/hotjar.js"/>
///     }
/// }
/// ```
#[component]
pub fn GatedScript(
    /// The category the script needs.
    category: Category,
    /// The script's URL.
    #[prop(into)]
    src: String,
    /// The shop's service (a [`Service`](crate::Service) id) the script belongs to: it then
    /// runs only while the shopper allows that service too.
    #[prop(optional, into)]
    service: Option<String>,
) -> impl IntoView {
    let nonce = super::page_nonce();
    let service = service
        .map(|id| format!(" cpc-service-{id}"))
        .unwrap_or_default();
    super::adopted(
        super::Markup::element("script")
            .attr("type", "text/plain")
            .attr(
                "class",
                &format!("cpc-script-src-{}{service}", category.as_str()),
            )
            .attr("data-cpc-src", &src)
            .attr_if("nonce", nonce.as_deref())
            .html(""),
    )
}
