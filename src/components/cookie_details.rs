//! `<CookieDetails/>`: the grid of the cookies the shop uses, by category.

use leptos::prelude::*;

/// The cookie details grid: for each category, the cookies the shop uses, who sets them,
/// what for and for how long.
///
/// It shows the registry entries whose cookies the shopper's browser holds, every
/// shop-local entry (set or not: they may live on other domains), and every present cookie
/// the registry does not know, as "unclassified". The server renders it into the first
/// HTML; once the page has loaded, the page's runtime compares it with `document.cookie` and
/// asks the server for it again when a script has set a cookie since. Everything in it is escaped.
///
/// The banner shows the same grid behind a toggle; on a terms page, use it directly or
/// through [`CookiePolicyText`](crate::CookiePolicyText) and its `[[CookieDetails]]`
/// placeholder.
///
/// ```
/// # use leptos::prelude::*;
/// use leptos_consent::CookieDetails;
///
/// #[component]
/// fn CookiePolicy() -> impl IntoView {
///     view! {
///         <h2 id="cookieconsent">"Cookies"</h2>
///         <CookieDetails/>
///     }
/// }
/// ```
#[component]
pub fn CookieDetails(
    /// Extra classes for the grid's `<div>`, taken when it renders.
    #[prop(optional, into)]
    class: Option<String>,
) -> impl IntoView {
    #[cfg(feature = "ssr")]
    let markup = crate::server::cookie_details_for_page();
    // In the browser the server's markup is adopted at hydration untouched (the page's
    // runtime brings it up to date with `document.cookie` once the page has loaded); a grid
    // built after client-side navigation starts empty, and the runtime asks the server for it.
    #[cfg(not(feature = "ssr"))]
    let markup = String::new();
    super::adopted(
        super::Markup::element("div")
            .attr("class", &super::classes("lc-cookie-details", class))
            .html(&markup),
    )
}
