//! `<ChangeConsentLink/>`: the link that lets a shopper change their mind.

use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::current_page::current_page;
use crate::{CHANGE_CONSENT_PARAM, use_consent};
#[cfg(feature = "ssr")]
use crate::{
    HIDE_DIALOG_PARAM,
    url::{local_target, split_target, with_query_param, without_query_param},
};

/// A plain link to the current page with `?ChangeCookiePolicyConsent=1`.
///
/// Following it, the [`ConsentLayer`](crate::ConsentLayer) deletes the consent cookie and
/// redirects to the same page with the parameter set to `0`, where the banner shows again.
/// It is a real navigation (`rel="external"`, so the Leptos router does not intercept it)
/// and works without JavaScript. With JavaScript, the page's runtime
/// ([`CookiePolicyScript`](crate::CookiePolicyScript)) points it at the page the shopper is on
/// when it is followed, so it follows client-side navigation too.
///
/// Its text is the locale's "Cookie settings" unless `label` says otherwise. It is one
/// element the browser adopts as the server wrote it (no view code in the WASM); for richer
/// content (an icon, markup), write your own link with [`CHANGE_CONSENT_PARAM`]: it works the
/// same.
///
/// ```
/// # use leptos::prelude::*;
/// use leptos_consent::ChangeConsentLink;
///
/// #[component]
/// fn Footer() -> impl IntoView {
///     view! {
///         <footer>
///             <ChangeConsentLink/>
///             <ChangeConsentLink class="button" label="Change my cookie choices"/>
///         </footer>
///     }
/// }
/// ```
#[component]
pub fn ChangeConsentLink(
    /// Extra classes for the `<a>`, taken when it renders.
    #[prop(optional, into)]
    class: Option<String>,
    /// The link's text; default: the locale's "Cookie settings".
    #[prop(optional, into)]
    label: Option<String>,
) -> impl IntoView {
    let consent = use_consent();
    // The server points it at the page it renders. The browser's copy is only ever built
    // (a route rendered after client-side navigation) with the parameter alone; hydration
    // keeps the server's; the runtime writes the current page into it when it is followed.
    #[cfg(feature = "ssr")]
    let href = {
        let page = current_page(consent);
        let (path, query) = split_target(&page);
        // The banner must show after the reset, also on a `?HideCookieDialog=1` page.
        let query = without_query_param(query.unwrap_or_default(), HIDE_DIALOG_PARAM);
        local_target(
            path,
            Some(&with_query_param(Some(&query), CHANGE_CONSENT_PARAM, "1")),
        )
    };
    #[cfg(not(feature = "ssr"))]
    let href = format!("?{CHANGE_CONSENT_PARAM}=1");
    let label = label.unwrap_or_else(|| consent.text(crate::ConsentTexts::CHANGE_CONSENT));
    super::adopted(
        super::Markup::element("a")
            .attr("href", &href)
            .attr("rel", "external")
            .attr("class", &super::classes("lc-change-consent", class))
            .text(&label),
    )
}
