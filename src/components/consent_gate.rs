//! `<ConsentGate/>`: content that loads only with consent (embeds, videos, maps).

use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::protocol::DECIDE_PATH;
use crate::{Category, texts::fill, use_consent};

/// Shows an embed (a video, a map, a widget) only while `category` is allowed; otherwise a
/// placeholder that says what would load and offers to allow that category.
///
/// The embed is markup, like the embed code a video or map platform gives: the server writes
/// it into the page and the WASM adopts it as it is, so a gate costs the shop's bundle no
/// view code of its own. It goes in unescaped: escape any value you put into it (a product's
/// video id, say). Interactive content behind consent (a Leptos view with handlers or
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
    // The server writes the placeholder's markup; in the browser (a route rendered after
    // client-side navigation) the page's runtime builds it from the two texts the element
    // carries, so the WASM builds no markup.
    #[cfg(feature = "ssr")]
    let (markup, texts) = (
        placeholder_markup(category, &what, &page, &consent.texts()),
        None::<(String, String)>,
    );
    #[cfg(not(feature = "ssr"))]
    let (markup, texts) = (
        String::new(),
        Some(placeholder_texts(consent, category, &what)),
    );
    let (message, allow) = texts.unzip();
    let placeholder = super::Markup::element("div")
        .attr("class", "lc-gate")
        .attr("data-category", category.as_str())
        .attr_if("data-lc-message", message.as_deref())
        .attr_if("data-lc-allow", allow.as_deref())
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

/// The placeholder's message and its button's label, in the page's language.
fn gate_texts(what: &str, label: &str, message: &str, allow: &str) -> (String, String) {
    let values = [("what", what), ("category", label)];
    (fill(message, &values), fill(allow, &values))
}

/// [`gate_texts`] from the page's texts, read one by one as the browser's context keeps them.
#[cfg(not(feature = "ssr"))]
fn placeholder_texts(
    consent: crate::ConsentContext,
    category: Category,
    what: &str,
) -> (String, String) {
    use crate::ConsentTexts;

    gate_texts(
        what,
        &consent.text(ConsentTexts::in_sentence_at(category)),
        &consent.text(ConsentTexts::GATE_MESSAGE),
        &consent.text(ConsentTexts::GATE_ALLOW),
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

    let (message, allow) = gate_texts(
        what,
        texts.category(category).label_in_sentence(),
        &texts.gate_message,
        &texts.gate_allow,
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
