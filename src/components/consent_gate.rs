//! `<ConsentGate/>`: content that loads only with consent (embeds, videos, maps).

use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::protocol::DECIDE_PATH;
use crate::{Category, texts::fill, use_consent};

/// Renders its children only while `category` is allowed; otherwise a placeholder that says
/// what would load and offers to allow that category.
///
/// The offer is a real form to [`decide_consent`](crate::endpoints::decide_consent): with JavaScript
/// the page's runtime ([`CookiePolicyScript`](crate::CookiePolicyScript)) posts it in place
/// and the children appear at once; without, the browser posts it and comes back to the page
/// with the children rendered by the server. It keeps the categories the shopper already
/// allowed and adds this one. A gate the browser renders (after client-side navigation)
/// carries its two texts, and the page's runtime builds the same placeholder from them.
///
/// The placeholder is always in the page, `hidden` while the category is allowed: the
/// runtime shows it again when the shopper withdraws the category in the page.
///
/// ```
/// # use leptos::prelude::*;
/// use leptos_consent::{Category, ConsentGate};
///
/// #[component]
/// fn Video() -> impl IntoView {
///     view! {
///         <ConsentGate category=Category::Tracking what="a video from YouTube">
///             <iframe src="https://www.youtube-nocookie.com/embed/…" title="Our roastery"></iframe>
///         </ConsentGate>
///     }
/// }
/// ```
#[component]
pub fn ConsentGate(
    /// The category the content needs.
    category: Category,
    /// What would load, for the placeholder ("a video from YouTube").
    #[prop(into)]
    what: String,
    /// The content.
    children: ChildrenFn,
) -> impl IntoView {
    let consent = use_consent();
    #[cfg(feature = "ssr")]
    let page = super::current_page::current_page(consent);
    // The placeholder is static markup, like the banner's form, always there and hidden
    // while the category is allowed: the page's runtime shows and hides it at every decision
    // in the page, so the only reactive part is the children. The server writes it; in the
    // browser (a route rendered after client-side navigation) the page's runtime builds it
    // from the two texts the element carries, so the WASM builds no markup.
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
    let placeholder = super::adopted(
        super::Markup::element("div")
            .attr("class", "lc-gate")
            .attr("data-category", category.as_str())
            .attr_if("data-lc-message", message.as_deref())
            .attr_if("data-lc-allow", allow.as_deref())
            .attr_if("hidden", consent.allows(category).then_some(""))
            .html(&markup),
    );
    (placeholder, move || {
        consent.allows(category).then(|| children())
    })
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
