//! `<ConsentGate/>`: content that loads only with consent (embeds, videos, maps).

use leptos::{either::Either, prelude::*};

use super::current_page::current_page;
use crate::{Category, protocol::DECIDE_PATH, use_consent};

/// Renders its children only while `category` is allowed; otherwise a placeholder that says
/// what would load and offers to allow that category.
///
/// The offer is a real form to [`decide_consent`](crate::endpoints::decide_consent): with JavaScript it
/// decides in place and the children appear at once; without, the browser posts it and comes
/// back to the page with the children rendered by the server. It keeps the categories the
/// shopper already allowed and adds this one.
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
    let page = current_page(consent);
    move || {
        if consent.allows(category) {
            return Either::Left(children());
        }
        // Static markup, like the banner's form: nothing in it changes while it shows, and
        // each element of a reactive view would cost the browser bundle its own code.
        let texts = consent.texts();
        let markup = consent
            .state()
            .with(|state| placeholder_markup(category, &what, &page(), state, &texts));
        Either::Right(view! {
            <div
                class="lc-gate"
                data-category=category.as_str()
                on:submit=move |event| allow_in_place(consent, category, event)
                inner_html=markup
            ></div>
        })
    }
}

/// The placeholder's message and its form: the categories the shopper has plus `category`,
/// posted as the banner's form posts them. Every text is escaped.
fn placeholder_markup(
    category: Category,
    what: &str,
    page: &str,
    state: &crate::ConsentState,
    texts: &crate::ConsentTexts,
) -> String {
    use std::fmt::Write;

    use html_escape::{encode_double_quoted_attribute as attribute, encode_text as text};

    let label = texts.category(category).label_in_sentence();
    let message = texts
        .gate_message
        .replace("{what}", what)
        .replace("{category}", label);
    let allow = texts.gate_allow.replace("{category}", label);
    let mut html = String::with_capacity(512);
    let _ = write!(
        html,
        r#"<p class="lc-gate__message">{}</p><form class="lc-gate__form" action="{}" method="post"><input type="hidden" name="return_to" value="{}">"#,
        text(&message),
        DECIDE_PATH,
        attribute(page),
    );
    for granted in Category::OPTIONAL
        .into_iter()
        .filter(|c| *c == category || state.allows(*c))
    {
        // A category allowed with some of its services refused keeps exactly those allowed.
        let services = || state.services.iter().filter(move |s| s.category == granted);
        let partly = granted != category && services().any(|s| !state.allows_service(&s.id));
        if partly {
            for service in services().filter(|s| state.allows_service(&s.id)) {
                let _ = write!(
                    html,
                    r#"<input type="hidden" name="services[]" value="{}">"#,
                    attribute(&service.id)
                );
            }
        } else {
            let _ = write!(
                html,
                r#"<input type="hidden" name="{}" value="true">"#,
                granted.as_str()
            );
        }
    }
    let _ = write!(
        html,
        r#"<button type="submit" name="choice" value="custom" class="lc-button lc-gate__allow">{}</button></form>"#,
        text(&allow)
    );
    html
}

/// With JavaScript, the gate's form decides in place: the children appear without a reload.
fn allow_in_place(
    consent: crate::ConsentContext,
    category: Category,
    event: leptos::ev::SubmitEvent,
) {
    #[cfg(not(feature = "ssr"))]
    {
        let Some((action, ticked, services)) = crate::client::choice_of(&event) else {
            return;
        };
        event.prevent_default();
        let ticked = ticked.with(category);
        leptos::task::spawn_local(async move {
            let _ = consent
                .decide_with_services(action, ticked, &services)
                .await;
        });
    }
    #[cfg(feature = "ssr")]
    let _ = (consent, category, event);
}
