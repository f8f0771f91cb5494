//! `<ConsentBanner/>`: the consent dialog, rendered by the server when a decision is needed.

use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::banner_markup::banner_form;
#[cfg(feature = "ssr")]
use crate::{protocol::DECIDE_PATH, use_consent};

/// The cookie consent banner.
///
/// The server renders it into the first HTML whenever the shopper has no valid decision
/// (and the page is not `?HideCookieDialog=1`): no flash, no layout shift (a fixed overlay,
/// see `style/leptos-consent.css`). Its buttons are a real `<form method="post">` to
/// [`decide_consent`](crate::endpoints::decide_consent), so it works with JavaScript off; with
/// JavaScript the page's small runtime ([`CookiePolicyScript`](crate::CookiePolicyScript))
/// posts them in place, before the WASM loads too, and the WASM follows the decision.
///
/// - [`ConsentMode::BlockBeforeConsent`](crate::ConsentMode::BlockBeforeConsent): "Reject all" and "Accept all" side by side in the
///   same style, and "Customize", which opens per-category toggles (none pre-ticked, a
///   native `<details>` that needs no JavaScript either).
/// - [`ConsentMode::PassiveInfo`](crate::ConsentMode::PassiveInfo): the message and one acknowledgement button.
/// - With `Sec-GPC: 1` it says that marketing cookies stay off unless turned on.
///
/// Accessibility: a labelled region landmark with a described message, native buttons and
/// checkboxes with labels, a polite status message when a choice was saved (an alert when
/// it failed), and focus moved to the page's `<main>` when the banner closes under the
/// keyboard focus.
///
/// Place it first in `<body>`, after [`provide_consent`](crate::provide_consent), in the
/// app's root view rather than in a route: the browser adopts the server's banner at
/// hydration as it is and never builds it (which keeps the form's markup and texts out of
/// the WASM bundle), so a banner first rendered by a client-side navigation stays out, with
/// a warning in the console. Whether it shows then follows the page's runtime: it hides at a
/// decision taken in the page (the banner's own, a gate's, or
/// [`ConsentContext::decide`](crate::ConsentContext::decide)'s), and on `?HideCookieDialog=1`
/// pages reached by client-side navigation (through the browser's Navigation API, and
/// `popstate` where the browser lacks it).
///
/// ```
/// # use leptos::prelude::*;
/// use leptos_consent::{ConsentBanner, provide_consent};
///
/// #[component]
/// fn App() -> impl IntoView {
///     provide_consent();
///     view! {
///         <ConsentBanner/>
///         <main>"The shop"</main>
///     }
/// }
/// ```
#[component]
pub fn ConsentBanner(
    /// Extra classes for the banner's `<section>`, taken when it renders.
    #[prop(optional, into)]
    class: Option<String>,
) -> impl IntoView {
    // The server writes all of it; the browser adopts that markup at hydration as it is and
    // never builds it (the form, its texts and the grid stay out of the WASM bundle). Whether
    // it shows follows the page's runtime: hidden at a decision taken in the page, and on
    // `?HideCookieDialog=1` pages reached by client-side navigation.
    #[cfg(feature = "ssr")]
    let markup = banner_markup(use_consent(), class);
    #[cfg(not(feature = "ssr"))]
    let markup = {
        let _ = class;
        crate::client::adopts_server_markup("<ConsentBanner/>");
        ""
    };
    super::adopted(
        super::Markup::element("div")
            .attr("class", "lc-root")
            .html(markup.as_ref()),
    )
}

/// The banner's markup (the region, its form and the status message), rendered when the
/// page starts without a decision; hidden (but there) on a `?HideCookieDialog=1` page.
#[cfg(feature = "ssr")]
fn banner_markup(consent: crate::ConsentContext, class: Option<String>) -> String {
    let banner = consent.rendered_state(|state| {
        state.needs_decision().then(|| {
            let body = banner_form(state, &consent.texts());
            // The language its texts are in: the request's locale.
            let lang =
                crate::server::RequestConsent::current_locale().map(|locale| locale.to_string());
            view! {
                <section
                    data-lc-banner=""
                    class=super::classes("lc-banner", class)
                    lang=lang
                    aria-labelledby="lc-banner-title"
                    aria-describedby="lc-banner-message"
                    data-mode=state.mode.as_str()
                    hidden=!state.shows_banner()
                >
                    <form class="lc-banner__form" action=DECIDE_PATH method="post" inner_html=body></form>
                </section>
            }
        })
    });
    view! {
        {banner}
        <p class="lc-visually-hidden lc-root__status" role="status"></p>
    }
    .to_html()
}
