//! `<CookieDetails/>`: the grid of the cookies the shop uses, by category.

use leptos::{html::Div, prelude::*};

/// The cookie details grid: for each category, the cookies the shop uses, who sets them,
/// what for and for how long.
///
/// It shows the registry entries whose cookies the shopper's browser holds, every
/// shop-local entry (set or not: they may live on other domains), and every present cookie
/// the registry does not know, as "unclassified". The server renders it into the first
/// HTML; after hydration the browser compares it with `document.cookie` and asks the server
/// for it again when a script has set a cookie since. Everything in it is escaped.
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
    // In the browser the server's markup is adopted at hydration untouched; a grid built
    // after client-side navigation starts empty and is fetched.
    #[cfg(not(feature = "ssr"))]
    let markup = String::new();
    let grid = NodeRef::<Div>::new();
    refresh_grids_in(grid);
    let class = super::classes("lc-cookie-details", class);
    view! { <div class=class node_ref=grid inner_html=markup></div> }
}

/// Once `container` is in the page (hydrated or built), has the page's runtime bring every
/// grid in it (or the container itself, when it is one) up to date with `document.cookie`:
/// the `lc-refresh-grids` event, which the runtime answers (one implementation, in plain JS,
/// for the banner's grid and these).
pub(crate) fn refresh_grids_in(container: NodeRef<Div>) {
    Effect::new(move || {
        #[cfg(not(feature = "ssr"))]
        if let Some(container) = container.get() {
            let init = web_sys::EventInit::new();
            init.set_bubbles(true);
            if let Ok(event) = web_sys::Event::new_with_event_init_dict("lc-refresh-grids", &init) {
                let _ = container.dispatch_event(&event);
            }
        }
        #[cfg(feature = "ssr")]
        let _ = container;
    });
}
