//! `<DeleteCookiesButton/>`: "delete all my cookies for this shop", for a privacy page.

use leptos::prelude::*;

use crate::{protocol::FORGET_PATH, use_consent};

/// A button that deletes every cookie of the shop the browser sends, HttpOnly ones and the
/// consent cookie included (the shopper is asked again), and records the withdrawal in the
/// consent log. It is a plain form post that comes back to the page, so it works without
/// JavaScript, and the page reloads without any script that ran before.
///
/// Cookies the browser does not send to the shop (other domains, other paths) cannot be
/// reached; the cookie details grid lists what the shop knows of.
///
/// ```
/// # use leptos::prelude::*;
/// use leptos_consent::DeleteCookiesButton;
///
/// #[component]
/// fn Privacy() -> impl IntoView {
///     view! { <h1>"Your privacy"</h1> <DeleteCookiesButton/> }
/// }
/// ```
#[component]
pub fn DeleteCookiesButton(
    /// Extra classes for the `<form>`, taken when it renders.
    #[prop(optional, into)]
    class: Option<String>,
) -> impl IntoView {
    let consent = use_consent();
    // The page to come back to: the server writes the page it renders; in the browser (a
    // route rendered after client-side navigation) the page's runtime writes the page shown
    // when the form is submitted.
    #[cfg(feature = "ssr")]
    let page = super::current_page::current_page(consent);
    #[cfg(not(feature = "ssr"))]
    let page = String::new();
    let label = consent.text(crate::ConsentTexts::DELETE_COOKIES);
    // With JavaScript, the page's tracker (the runtime's) stops when this form is submitted:
    // a batch of events sent while the deletion is under way would carry the old ids.
    let button = super::Markup::element("button")
        .attr("type", "submit")
        .attr("class", "lc-button lc-forget__button")
        .text(&label);
    super::adopted(
        super::Markup::element("form")
            .attr("class", &super::classes("lc-forget", class))
            .attr("action", FORGET_PATH)
            .attr("method", "post")
            .html(&(super::hidden_field("return_to", &page) + &button)),
    )
}
