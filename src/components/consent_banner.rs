//! `<ConsentBanner/>`: the consent dialog, rendered by the server when a decision is needed.

use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::banner_markup::{BannerCookieDetails, form_body};
use super::current_page::current_page;
use crate::{
    ConsentState, HIDE_DIALOG_PARAM,
    protocol::DECIDE_PATH,
    url::{query_param, split_target},
    use_consent,
};

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
/// Place it first in `<body>` (inside the `<Router>`, so it follows client-side navigation),
/// after [`provide_consent`](crate::provide_consent), in the app's root view rather than in
/// a route: the browser adopts the server's banner at hydration and never builds the form
/// itself (which keeps the form's markup and texts out of the WASM bundle), so a banner
/// first rendered by a client-side navigation stays out, with a warning in the console.
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
    /// Extra classes for the banner's `<section>`.
    #[prop(optional, into)]
    class: MaybeProp<String>,
) -> impl IntoView {
    let consent = use_consent();
    let state = consent.state();
    let page = current_page(consent);
    let visible = move || {
        let page = page();
        let hidden_by_query = split_target(&page)
            .1
            .and_then(|query| query_param(query, HIDE_DIALOG_PARAM))
            == Some("1");
        state.with(ConsentState::needs_decision) && !hidden_by_query
    };

    // Rendered when the page starts without a decision; a decision taken here hides it.
    // Its only reactive part is `hidden`: each reactive binding costs the WASM bundle about
    // a kilobyte. Submitting, its messages and the grid's refresh are the runtime's.
    let needs_decision = state.with_untracked(ConsentState::needs_decision);
    #[cfg(not(feature = "ssr"))]
    let needs_decision = needs_decision && crate::client::adopts_server_markup("<ConsentBanner/>");
    let banner = needs_decision.then(|| {
        // The server writes the form, with the cookie details grid; the browser adopts that
        // markup at hydration as it is and never builds it.
        #[cfg(feature = "ssr")]
        let body = {
            let texts = consent.texts();
            let cookie_details = crate::server::banner_cookie_details()
                .map(|(toggle, grid)| BannerCookieDetails { toggle, grid });
            let kept_for = crate::server::RequestConsent::current().map(|read| read.kept_for());
            state.with_untracked(|s| {
                form_body(s, &texts, kept_for.as_deref(), cookie_details.as_ref())
            })
        };
        #[cfg(not(feature = "ssr"))]
        let body = String::new();
        let mode = state.with_untracked(|s| s.mode);
        let class = super::classes("lc-banner", class);
        // The language its texts are in (the request's locale): on the server, which writes
        // the banner; the browser only adopts it.
        #[cfg(feature = "ssr")]
        let lang = crate::server::RequestConsent::current_locale().map(|locale| locale.to_string());
        #[cfg(not(feature = "ssr"))]
        let lang: Option<String> = None;
        view! {
            <section
                data-lc-banner=""
                class=class
                lang=lang
                aria-labelledby="lc-banner-title"
                aria-describedby="lc-banner-message"
                data-mode=mode.as_str()
                hidden=move || !visible()
            >
                <form class="lc-banner__form" action=DECIDE_PATH method="post" inner_html=body></form>
            </section>
        }
    });

    view! {
        <div class="lc-root">
            {banner}
            <p class="lc-visually-hidden lc-root__status" role="status"></p>
        </div>
    }
}
