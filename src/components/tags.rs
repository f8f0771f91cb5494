//! Ready-made gated tags: Google Analytics 4, Google Tag Manager and the Meta pixel, each
//! from its id alone, loading nothing before its category is allowed.
//!
//! Each renders inert, nonce-carrying gated markup (like [`GatedScript`](crate::GatedScript))
//! that [`CookiePolicyScript`](crate::CookiePolicyScript) activates once the category is
//! allowed: first the tag's small inline set-up, then its library. With
//! [`google_consent_mode`](crate::ConsentConfigBuilder::google_consent_mode) on, the
//! Google tags also get Consent Mode v2's defaults and updates from the shopper's decision.
//! Their cookies (`_ga`, `_ga_*`, `_gcl_au`, `_fbp`, `_fbc`) are in the native registry.
//!
//! Like [`GatedScript`](crate::GatedScript), best placed in the shell's `<head>` after
//! [`CookiePolicyScript`](crate::CookiePolicyScript): the server writes them and the
//! browser's bundle carries none of their code.
//!
//! An id that is not one of the vendor's (letters, digits, `-`, `_`) renders nothing and is
//! logged: it never reaches a script.

use leptos::prelude::*;

use crate::Category;

/// Google Analytics 4 (`G-…`), under statistics: `gtag('config', id)`, then `gtag.js`.
///
/// ```
/// # use leptos::prelude::*;
/// use leptos_consent::GoogleAnalytics;
///
/// #[component]
/// fn Tags() -> impl IntoView {
///     view! { <GoogleAnalytics measurement_id="G-XXXXXXXXXX"/> }
/// }
/// ```
#[component]
pub fn GoogleAnalytics(
    /// The measurement id, `G-XXXXXXXXXX`.
    #[prop(into)]
    measurement_id: String,
    /// Where `gtag.js` is loaded from (default Google's; a shop that self-hosts or proxies
    /// it gives its own URL).
    #[prop(optional, into)]
    src: Option<String>,
) -> impl IntoView {
    let id = vendor_id("GoogleAnalytics", &measurement_id)?;
    let setup = format!(
        "window.dataLayer=window.dataLayer||[];function gtag(){{dataLayer.push(arguments);}}\
         gtag(\"js\",new Date());gtag(\"config\",\"{id}\");"
    );
    let src = src.unwrap_or_else(|| format!("https://www.googletagmanager.com/gtag/js?id={id}"));
    Some(tag(Category::Statistics, setup, src))
}

/// Google Tag Manager (`GTM-…`): the container loads only while `category` is allowed
/// (default marketing, since containers usually hold marketing tags; give
/// `Category::Statistics` for an analytics-only container).
#[component]
pub fn GoogleTagManager(
    /// The container id, `GTM-XXXXXXX`.
    #[prop(into)]
    container_id: String,
    /// The category the container needs (default [`Category::Tracking`]).
    #[prop(optional)]
    category: Option<Category>,
    /// Where `gtm.js` is loaded from (default Google's).
    #[prop(optional, into)]
    src: Option<String>,
) -> impl IntoView {
    let id = vendor_id("GoogleTagManager", &container_id)?;
    let setup = "window.dataLayer=window.dataLayer||[];\
                 window.dataLayer.push({\"gtm.start\":Date.now(),event:\"gtm.js\"});"
        .to_owned();
    let src = src.unwrap_or_else(|| format!("https://www.googletagmanager.com/gtm.js?id={id}"));
    Some(tag(category.unwrap_or(Category::Tracking), setup, src))
}

/// The Meta (Facebook) pixel, under marketing: `fbq('init', id)` and a page view, then
/// `fbevents.js`.
#[component]
pub fn MetaPixel(
    /// The pixel id (digits).
    #[prop(into)]
    pixel_id: String,
    /// Where `fbevents.js` is loaded from (default Meta's).
    #[prop(optional, into)]
    src: Option<String>,
) -> impl IntoView {
    let id = vendor_id("MetaPixel", &pixel_id)?;
    // A queue that fbevents.js takes over when it loads.
    let setup = format!(
        "(function(w){{if(w.fbq)return;var q=function(){{q.callMethod?\
         q.callMethod.apply(q,arguments):q.queue.push(arguments);}};\
         q.push=q;q.loaded=true;q.version=\"2.0\";q.queue=[];w.fbq=q;if(!w._fbq)w._fbq=q;}})(window);\
         fbq(\"init\",\"{id}\");fbq(\"track\",\"PageView\");"
    );
    let src = src.unwrap_or_else(|| "https://connect.facebook.net/en_US/fbevents.js".to_owned());
    Some(tag(Category::Tracking, setup, src))
}

/// `id` when it is a vendor id (1 to 64 letters, digits, `-` or `_`): safe inside a script
/// and a URL. Otherwise `None`, logged on the server.
fn vendor_id(component: &str, id: &str) -> Option<String> {
    let valid = (1..=64).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if !valid {
        #[cfg(feature = "ssr")]
        tracing::error!(
            component,
            id,
            "leptos-consent: not a vendor id; the tag is left out"
        );
        #[cfg(not(feature = "ssr"))]
        let _ = component;
        return None;
    }
    Some(id.to_owned())
}

/// The inline set-up, then the library, both inert until `category` is allowed.
fn tag(category: Category, setup: String, src: String) -> impl IntoView {
    // `setup` is script text, not markup: its only input is the checked vendor id.
    let setup = super::adopted(
        super::Markup::element("script")
            .attr("type", "text/plain")
            .attr("class", &format!("cpc-script-inline-{}", category.as_str()))
            .attr_if("nonce", super::page_nonce().as_deref())
            .html(&setup),
    );
    view! {
        {setup}
        <crate::GatedScript category src/>
    }
}
