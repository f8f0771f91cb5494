//! `<ConsentBanner/>`: the consent dialog, rendered by the server when a decision is needed.

use leptos::{form::ActionForm, prelude::*};

use super::current_page::{current_page, split_target};
use crate::{
    Category, ConsentMode, ConsentState, ConsentTexts, HIDE_DIALOG_PARAM, query_param, use_consent,
};

/// The cookie consent banner.
///
/// The server renders it into the first HTML whenever the shopper has no valid decision
/// (and the page is not `?HideCookieDialog=1`): no flash, no layout shift (a fixed overlay,
/// see `style/leptos-consent.css`). Its buttons are a real `<form method="post">` to
/// [`decide_consent`](crate::decide_consent), so it works before the WASM loads and with
/// JavaScript off; after hydration the same buttons decide in place, without a reload.
///
/// - [`ConsentMode::BlockBeforeConsent`]: "Reject all" and "Accept all" side by side in the
///   same style, and "Customize", which opens per-category toggles (none pre-ticked, a
///   native `<details>` that needs no JavaScript either).
/// - [`ConsentMode::PassiveInfo`]: the message and one acknowledgement button.
/// - With `Sec-GPC: 1` it says that marketing cookies stay off unless turned on.
///
/// Accessibility: a labelled region landmark with a described message, native buttons and
/// checkboxes with labels, a polite status message when a choice was saved, and focus moved
/// to the page's `<main>` when the banner closes under the keyboard focus.
///
/// Place it first in `<body>` (inside the `<Router>`, so it follows client-side navigation),
/// after [`provide_consent`](crate::provide_consent):
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
    /// Extra classes for the banner's root element.
    #[prop(optional, into)]
    class: MaybeProp<String>,
) -> impl IntoView {
    let consent = use_consent();
    let state = consent.state();
    let decide = consent.decide_action();
    let texts = consent.texts();
    let page = current_page(consent);
    let hidden_by_query = move || {
        let page = page();
        split_target(&page)
            .1
            .and_then(|query| query_param(query, HIDE_DIALOG_PARAM))
            == Some("1")
    };
    let visible = move || state.with(ConsentState::needs_decision) && !hidden_by_query();
    let saved = move || decide.value().with(|v| matches!(v, Some(Ok(_))));

    #[cfg(not(feature = "ssr"))]
    move_focus_to_main_after_decision(decide);

    let saved_text = texts.saved.clone();
    view! {
        <div class="lc-root">
            <Show when=visible>
                <BannerDialog class=class texts=texts.clone()/>
            </Show>
            <p class="lc-visually-hidden" role="status">
                {move || saved().then(|| saved_text.clone())}
            </p>
        </div>
    }
}

/// The banner itself: a labelled region holding the decision form.
#[component]
fn BannerDialog(class: MaybeProp<String>, texts: ConsentTexts) -> impl IntoView {
    let consent = use_consent();
    let decide = consent.decide_action();
    let failed = move || decide.value().with(|v| matches!(v, Some(Err(_))));
    let (mode, gpc, page, policy_url) = consent
        .state()
        .with_untracked(|s| (s.mode, s.gpc, s.page.clone(), s.policy_url.clone()));
    let message = match mode {
        ConsentMode::BlockBeforeConsent => texts.message.clone(),
        ConsentMode::PassiveInfo => texts.passive_message.clone(),
    };
    let save_failed = texts.save_failed.clone();
    view! {
        <section
            class=move || match class.get() {
                Some(extra) => format!("lc-banner {extra}"),
                None => "lc-banner".to_owned(),
            }
            aria-labelledby="lc-banner-title"
            aria-describedby="lc-banner-message"
            data-mode=mode.as_str()
        >
            <ActionForm action=decide attr:class="lc-banner__form">
                <input type="hidden" name="return_to" value=page/>
                <h2 id="lc-banner-title" class="lc-banner__title">{texts.title.clone()}</h2>
                <p id="lc-banner-message" class="lc-banner__message">
                    {message}
                    {policy_url.map(|url| view! {
                        " "
                        <a class="lc-banner__policy" href=url>{texts.policy_link.clone()}</a>
                    })}
                </p>
                {gpc.then(|| view! { <p class="lc-banner__gpc">{texts.gpc_notice.clone()}</p> })}
                {match mode {
                    ConsentMode::BlockBeforeConsent => choices(&texts).into_any(),
                    ConsentMode::PassiveInfo => view! {
                        <div class="lc-banner__actions">
                            <button type="submit" name="choice" value="acknowledge" class="lc-button lc-button--choice">
                                {texts.acknowledge.clone()}
                            </button>
                        </div>
                    }
                    .into_any(),
                }}
                <Show when=failed>
                    <p class="lc-banner__error" role="alert">{save_failed.clone()}</p>
                </Show>
            </ActionForm>
        </section>
    }
}

/// Reject all, Accept all (same layer, same style) and the per-category customization.
fn choices(texts: &ConsentTexts) -> impl IntoView + use<> {
    let categories = Category::ALL
        .into_iter()
        .map(|category| {
            let text = texts.category(category);
            let id = format!("lc-category-{category}");
            let description_id = format!("lc-category-{category}-description");
            let essential = category.is_essential();
            view! {
                <div class="lc-category" data-category=category.as_str()>
                    <input
                        type="checkbox"
                        class="lc-category__toggle"
                        id=id.clone()
                        name=category.as_str()
                        value="true"
                        checked=essential
                        disabled=essential
                        aria-describedby=description_id.clone()
                    />
                    <label class="lc-category__label" for=id>
                        {text.label.clone()}
                        {essential.then(|| view! {
                            " " <span class="lc-category__always">{texts.always_on.clone()}</span>
                        })}
                    </label>
                    <p class="lc-category__description" id=description_id>
                        {text.description.clone()}
                    </p>
                </div>
            }
        })
        .collect_view();
    view! {
        <details class="lc-banner__customize">
            <summary class="lc-banner__customize-toggle">{texts.customize.clone()}</summary>
            <fieldset class="lc-banner__categories">
                <legend class="lc-banner__legend">{texts.categories_legend.clone()}</legend>
                {categories}
            </fieldset>
            <button type="submit" name="choice" value="custom" class="lc-button lc-button--choice">
                {texts.save_choices.clone()}
            </button>
        </details>
        <div class="lc-banner__actions">
            <button type="submit" name="choice" value="reject_all" class="lc-button lc-button--choice">
                {texts.reject_all.clone()}
            </button>
            <button type="submit" name="choice" value="accept_all" class="lc-button lc-button--choice">
                {texts.accept_all.clone()}
            </button>
        </div>
    }
}

/// When a decision closes the banner, the focused button disappears with it; keyboard and
/// screen-reader users continue at the page's `<main>` instead of the top of the document.
#[cfg(not(feature = "ssr"))]
fn move_focus_to_main_after_decision(decide: ServerAction<crate::DecideConsent>) {
    use wasm_bindgen::JsCast;

    Effect::new(move |_| {
        if !decide.value().with(|v| matches!(v, Some(Ok(_)))) {
            return;
        }
        // Decided now: is the focus in the banner (about to be removed) or already lost?
        let document = document();
        let in_banner_or_lost = match document.active_element() {
            None => true,
            Some(active) => {
                document.body().is_some_and(|body| *body == active)
                    || active.closest(".lc-root").ok().flatten().is_some()
            }
        };
        if !in_banner_or_lost {
            return;
        }
        // After the banner has left the DOM.
        request_animation_frame(move || {
            let main = document
                .query_selector("main")
                .ok()
                .flatten()
                .and_then(|main| main.dyn_into::<web_sys::HtmlElement>().ok());
            if let Some(main) = main {
                if !main.has_attribute("tabindex") {
                    let _ = main.set_attribute("tabindex", "-1");
                }
                let _ = main.focus();
            }
        });
    });
}
