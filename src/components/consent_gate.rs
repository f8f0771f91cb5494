//! `<ConsentGate/>`: content that loads only with consent (embeds, videos, maps).

use leptos::prelude::*;

use crate::{Category, use_consent};
#[cfg(feature = "ssr")]
use crate::{protocol::DECIDE_PATH, texts::fill};

/// Shows an embed (a video, a map, a widget) only while `category` is allowed; otherwise a
/// placeholder that says what would load and offers to allow that category.
///
/// The embed is markup, like the embed code a video or map platform gives: the server writes
/// it into the page and the WASM adopts it as it is, so a gate costs the shop's bundle no
/// view code of its own. It goes in unescaped: escape any value you put into it (a product's
/// video id, say). Scripts in it do not run when the runtime lets it in (markup must not
/// become code under the page's CSP): a platform's script goes in a
/// [`GatedScript`](crate::GatedScript) of the same category. Interactive content behind consent (a Leptos view with handlers or
/// signals) is rendered where [`use_consent().allows(category)`](crate::ConsentContext::allows)
/// is true instead.
///
/// While the category is not allowed the embed is kept in a `<template>`, where nothing
/// loads. The page's runtime ([`CookiePolicyScript`](crate::CookiePolicyScript)) puts it in
/// the page the moment the shopper allows the category, also before the WASM has loaded,
/// and takes it out again (a video stops) when the shopper withdraws it.
///
/// The offer is a real form to [`decide_consent`](crate::endpoints::decide_consent): with
/// JavaScript the runtime posts it in place; without, the browser posts it and comes back to
/// the page with the embed. It keeps the categories the shopper already allowed and adds
/// this one. A gate the browser renders (after client-side navigation) carries its two
/// texts, and the runtime builds the same placeholder from them.
///
/// ```
/// # use leptos::prelude::*;
/// use leptos_consent::{Category, ConsentGate};
///
/// #[component]
/// fn Video() -> impl IntoView {
///     view! {
///         <ConsentGate
///             category=Category::Tracking
///             what="a video from YouTube"
///             embed=r#"<iframe src="https://www.youtube-nocookie.com/embed/…" title="Our roastery"></iframe>"#
///         />
///     }
/// }
/// ```
#[component]
pub fn ConsentGate(
    /// The category the embed needs.
    category: Category,
    /// What would load, for the placeholder ("a video from YouTube").
    #[prop(into)]
    what: String,
    /// The embed's markup, put into the page as it is (see above).
    #[prop(into)]
    embed: String,
) -> impl IntoView {
    let consent = use_consent();
    let allowed = consent.allows(category);
    #[cfg(feature = "ssr")]
    let page = super::current_page::current_page(consent);
    // The server writes the placeholder's markup. In the browser (a route rendered after
    // client-side navigation) the page's runtime builds it from what the element carries:
    // the texts of the page's language as they are, `what` and the category's name in a
    // sentence, which the runtime puts in; so the WASM builds and fills no markup.
    #[cfg(feature = "ssr")]
    let markup = placeholder_markup(category, &what, &page, &consent.texts());
    #[cfg(not(feature = "ssr"))]
    let markup = String::new();
    let placeholder = super::Markup::element("div")
        .attr("class", "lc-gate")
        .attr("data-category", category.as_str());
    #[cfg(not(feature = "ssr"))]
    let placeholder = {
        use crate::ConsentTexts;

        placeholder
            .attr("data-lc-message", &consent.text(ConsentTexts::GATE_MESSAGE))
            .attr("data-lc-allow", &consent.text(ConsentTexts::GATE_ALLOW))
            .attr("data-lc-what", &what)
            .attr(
                "data-lc-category",
                &consent.text(ConsentTexts::in_sentence_at(category)),
            )
    };
    let placeholder = placeholder
        .attr_if("hidden", allowed.then_some(""))
        .html(&markup);
    let embed = if allowed {
        embed
    } else {
        super::Markup::element("template").html(&embed)
    };
    super::adopted(
        super::Markup::element("div")
            .attr("class", "lc-gated")
            .html(&(placeholder + &embed)),
    )
}

/// The placeholder's message and its form, which adds `category` to the shopper's decision
/// (`add`: the server keeps what the shopper already allowed and refused). Every text is
/// escaped. The runtime (`cookie_policy.js`, `fillGate`) builds the same in the browser.
#[cfg(feature = "ssr")]
fn placeholder_markup(
    category: Category,
    what: &str,
    page: &str,
    texts: &crate::ConsentTexts,
) -> String {
    use super::{Markup, hidden_field as hidden};

    let values = [
        ("what", what),
        ("category", texts.category(category).label_in_sentence()),
    ];
    let (message, allow) = (
        fill(&texts.gate_message, &values),
        fill(&texts.gate_allow, &values),
    );
    let allow = Markup::element("button")
        .attr("type", "submit")
        .attr("name", "choice")
        .attr("value", "custom")
        .attr("class", "lc-button lc-gate__allow")
        .text(&allow);
    let form = Markup::element("form")
        .attr("class", "lc-gate__form")
        .attr("action", DECIDE_PATH)
        .attr("method", "post")
        .html(
            &[
                hidden("return_to", page),
                hidden("add", "true"),
                hidden(category.as_str(), "true"),
                allow,
            ]
            .concat(),
        );
    Markup::element("p")
        .attr("class", "lc-gate__message")
        .text(&message)
        + &form
}
