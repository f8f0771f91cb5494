//! The banner form's inner markup, as one escaped HTML string.
//!
//! Nothing inside the form changes while the page lives (the shopper ticks native
//! checkboxes, opens a native `<details>`, presses native submit buttons), so it is rendered
//! as a string that the server sends and the browser adopts at hydration untouched, instead
//! of a reactive view: every distinct element of a Leptos view costs its own hydrate, build
//! and rebuild code in the WASM bundle, about 30 kB gzip for this form. Every text and URL
//! is escaped with `html-escape`, so nothing a shop types can break out of its element.

use std::fmt::Write;

use html_escape::{encode_double_quoted_attribute as attribute, encode_text as text};

use crate::{Category, ConsentMode, ConsentState, ConsentTexts, Service};

/// The cookie details the banner can show: the toggle's label and the grid's markup (made
/// and escaped by the server).
struct BannerCookieDetails {
    toggle: String,
    grid: String,
}

/// The markup inside the banner's `<form>` for the request being rendered: the page to come
/// back to, then the rest, which is the same for every request in the locale with the same
/// cookies (and Global Privacy Control or not): rendered once and kept by the config (see
/// [`BannerForms`](crate::server::banner_forms::BannerForms)). Without the layer, the form
/// without the grid and the sentence on how long a choice is kept.
pub(crate) fn banner_form(state: &ConsentState, texts: &ConsentTexts) -> String {
    use http::request::Parts;

    use crate::server::{RequestConsent, banner_forms::FormKey, request::request_cookie_names};

    let shared = leptos::reactive::owner::with_context::<Parts, _>(|parts| {
        let consent = RequestConsent::of_parts(parts)?;
        let config = &consent.config;
        let names = request_cookie_names(&parts.headers);
        let key = FormKey {
            locale: consent.locale.clone(),
            gpc: state.gpc,
            cookie_names: names.join(";"),
        };
        let generation = config.cookie_registry().snapshot().generation();
        Some(config.banner_forms().get_or_render(generation, key, || {
            let details = BannerCookieDetails {
                toggle: config
                    .cookie_details_texts_for(&consent.locale)
                    .toggle
                    .to_string(),
                grid: consent.cookie_details_html(&names),
            };
            form_body(state, texts, Some(&consent.kept_for()), Some(&details))
        }))
    })
    .flatten();
    let mut html = super::hidden_field("return_to", &state.page);
    match shared {
        Some(shared) => html.push_str(&shared),
        None => html.push_str(&form_body(state, texts, None, None)),
    }
    html
}

/// The markup inside the banner's `<form>` after the page to come back to; `kept_for` says
/// how long a choice is kept.
fn form_body(
    state: &ConsentState,
    texts: &ConsentTexts,
    kept_for: Option<&str>,
    cookie_details: Option<&BannerCookieDetails>,
) -> String {
    let mut html = String::with_capacity(3000);
    // Writing to a String cannot fail.
    let _ = write_form_body(&mut html, state, texts, kept_for, cookie_details);
    html
}

fn write_form_body(
    html: &mut String,
    state: &ConsentState,
    texts: &ConsentTexts,
    kept_for: Option<&str>,
    cookie_details: Option<&BannerCookieDetails>,
) -> std::fmt::Result {
    write!(
        html,
        r#"<h2 id="lc-banner-title" class="lc-banner__title">{}</h2><p id="lc-banner-message" class="lc-banner__message">{}"#,
        text(&texts.title),
        text(match state.mode {
            ConsentMode::BlockBeforeConsent => &texts.message,
            ConsentMode::PassiveInfo => &texts.passive_message,
        }),
    )?;
    if let Some(kept_for) = kept_for {
        write!(
            html,
            r#" <span class="lc-banner__kept">{}</span>"#,
            text(kept_for)
        )?;
    }
    if let Some(url) = &state.policy_url {
        write!(
            html,
            r#" <a class="lc-banner__policy" href="{}">{}</a>"#,
            attribute(url),
            text(&texts.policy_link)
        )?;
    }
    html.push_str("</p>");
    if state.gpc {
        write!(
            html,
            r#"<p class="lc-banner__gpc">{}</p>"#,
            text(&texts.gpc_notice)
        )?;
    }
    if let Some(details) = cookie_details {
        // The grid is already escaped markup, rendered by the server.
        write!(
            html,
            r#"<details class="lc-banner__cookie-details"><summary class="lc-banner__cookie-details-toggle">{}</summary><div class="lc-cookie-details" role="region" tabindex="0" aria-label="{}">{}</div></details>"#,
            text(&details.toggle),
            attribute(&details.toggle),
            details.grid,
        )?;
    }
    match state.mode {
        ConsentMode::BlockBeforeConsent => {
            write!(
                html,
                r#"<details class="lc-banner__customize" data-lc-customize><summary class="lc-banner__customize-toggle">{}</summary><fieldset class="lc-banner__categories"><legend class="lc-banner__legend">{}</legend>"#,
                text(&texts.customize),
                text(&texts.categories_legend),
            )?;
            for category in Category::ALL {
                write_category(html, category, texts, &state.services)?;
            }
            html.push_str("</fieldset>");
            write_button(html, "custom", &texts.save_choices)?;
            html.push_str(r#"</details><div class="lc-banner__actions">"#);
            // Reject all and Accept all: the same element, the same class, side by side.
            write_button(html, "reject_all", &texts.reject_all)?;
            write_button(html, "accept_all", &texts.accept_all)?;
        }
        ConsentMode::PassiveInfo => {
            html.push_str(r#"<div class="lc-banner__actions">"#);
            write_button(html, "acknowledge", &texts.acknowledge)?;
        }
    }
    // Filled in by the page when a decision could not be saved; it carries the page's two
    // messages about a decision, which the plain-JS runtime writes (so the WASM carries no
    // texts for them).
    write!(
        html,
        r#"</div><p class="lc-banner__error" role="alert" data-saved="{}" data-save-failed="{}"></p>"#,
        attribute(&texts.saved),
        attribute(&texts.save_failed),
    )?;
    Ok(())
}

/// The attributes of a checkbox in `category`: ticked and disabled for the essential one.
fn always_on(category: Category) -> &'static str {
    if category.is_essential() {
        " checked disabled"
    } else {
        ""
    }
}

/// One category's checkbox (none ticked, the essential one ticked and disabled), label and
/// description, and its services' checkboxes.
fn write_category(
    html: &mut String,
    category: Category,
    texts: &ConsentTexts,
    services: &[Service],
) -> std::fmt::Result {
    let name = category.as_str();
    let label = texts.category(category);
    let essential = always_on(category);
    write!(
        html,
        r#"<div class="lc-category" data-category="{name}"><input type="checkbox" class="lc-category__toggle" id="lc-category-{name}" name="{name}" value="true"{essential} aria-describedby="lc-category-{name}-description"><label class="lc-category__label" for="lc-category-{name}">{}"#,
        text(&label.label),
    )?;
    if category.is_essential() {
        write!(
            html,
            r#" <span class="lc-category__always">{}</span>"#,
            text(&texts.always_on)
        )?;
    }
    write!(
        html,
        r#"</label><p class="lc-category__description" id="lc-category-{name}-description">{}</p>"#,
        text(&label.description),
    )?;
    write_services(html, category, &label.label, services)?;
    html.push_str("</div>");
    Ok(())
}

/// The checkboxes of a category's services, when the shop declares any: none ticked (the
/// essential category's ticked and disabled). A ticked category allows all of its services
/// whatever these say; the page's script keeps both in step.
fn write_services(
    html: &mut String,
    category: Category,
    label: &str,
    services: &[Service],
) -> std::fmt::Result {
    let name = category.as_str();
    let mut of_category = services
        .iter()
        .filter(|s| s.category == category)
        .peekable();
    if of_category.peek().is_none() {
        return Ok(());
    }
    write!(
        html,
        r#"<fieldset class="lc-category__services"><legend class="lc-visually-hidden">{}</legend>"#,
        text(label)
    )?;
    let essential = always_on(category);
    for service in of_category {
        // Ids are checked at configuration: a-z, 0-9, '_' and '-' only.
        let id = &service.id;
        write!(
            html,
            r#"<div class="lc-service"><input type="checkbox" class="lc-service__toggle" id="lc-service-{id}" name="services[]" value="{id}" data-category="{name}"{essential}><label class="lc-service__label" for="lc-service-{id}">{}</label></div>"#,
            text(&service.name)
        )?;
    }
    html.push_str("</fieldset>");
    Ok(())
}

fn write_button(html: &mut String, choice: &str, label: &str) -> std::fmt::Result {
    write!(
        html,
        r#"<button type="submit" name="choice" value="{choice}" data-lc-choice="{choice}" class="lc-button lc-button--choice">{}</button>"#,
        text(label)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shop_texts_cannot_break_out() {
        let mut texts = ConsentTexts::english();
        texts.title = r#""><script>alert(1)</script>"#.into();
        texts.statistics.description = "<img src=x onerror=alert(1)>".into();
        let state = ConsentState {
            page: r#"/x?a="><script>"#.to_owned(),
            policy_url: Some(r#"/terms" onmouseover="alert(1)"#.to_owned()),
            ..Default::default()
        };
        let html = super::super::hidden_field("return_to", &state.page)
            + &form_body(&state, &texts, None, None);
        assert!(!html.contains("<script>"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(!html.contains(r#"" onmouseover"#), "{html}");
        assert!(
            html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "{html}"
        );
    }

    #[test]
    fn only_the_essential_category_is_ticked() {
        let html = form_body(
            &ConsentState::default(),
            &ConsentTexts::english(),
            Some("<b>kept</b>"),
            None,
        );
        assert_eq!(html.matches(" checked").count(), 1);
        assert!(html.contains(r#"name="system" value="true" checked disabled"#));
        // How long the choice is kept, inside the message, as text.
        assert!(html.contains(r#"<span class="lc-banner__kept">&lt;b&gt;kept&lt;/b&gt;</span>"#));
    }
}
