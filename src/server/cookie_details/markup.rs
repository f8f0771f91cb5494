//! The grid's HTML, as one escaped string (like the banner's form: static markup the
//! browser adopts at hydration, no reactive view). Everything from the registry, the shop's
//! texts and the request's cookie names goes through `html-escape`.

use std::fmt::Write;

use html_escape::{encode_double_quoted_attribute as attribute, encode_text as text};

use super::grid::GridRows;
use crate::{
    Category,
    protocol::CHECKED_ATTRIBUTE,
    registry::CookieEntry,
    registry::EntrySource,
    texts::{ConsentTexts, CookieDetailsTexts},
};

/// What a rendering needs besides the rows.
pub(crate) struct GridLanguage<'t> {
    pub(crate) site_id: i32,
    pub(crate) locale: &'t str,
    pub(crate) consent: &'t ConsentTexts,
    pub(crate) details: &'t CookieDetailsTexts,
}

/// The grid's inner markup.
pub(crate) fn grid_html(
    rows: &GridRows<'_, '_>,
    checked: &[&str],
    language: &GridLanguage<'_>,
) -> String {
    let mut html =
        String::with_capacity(512 + 400 * rows.known.iter().map(Vec::len).sum::<usize>());
    // Writing to a String cannot fail.
    let _ = write_grid(&mut html, rows, checked, language);
    html
}

fn write_grid(
    html: &mut String,
    rows: &GridRows<'_, '_>,
    checked: &[&str],
    language: &GridLanguage<'_>,
) -> std::fmt::Result {
    html.push_str(r#"<div class="lc-cookie-details__content" "#);
    html.push_str(CHECKED_ATTRIBUTE);
    html.push_str(r#"=""#);
    for (i, name) in checked.iter().enumerate() {
        if i > 0 {
            html.push(';');
        }
        html.push_str(&attribute(name));
    }
    html.push_str(r#"">"#);
    let mut any = false;
    for (category, entries) in Category::ALL.iter().zip(&rows.known) {
        if entries.is_empty() {
            continue;
        }
        any = true;
        write_group_start(
            html,
            category.as_str(),
            &language.consent.category(*category).label,
            entries.len(),
            language.details,
        )?;
        for entry in entries {
            write_entry(html, entry, language)?;
        }
        html.push_str("</tbody></table></section>");
    }
    if !rows.unknown.is_empty() {
        any = true;
        let details = language.details;
        write_group_start(
            html,
            "unknown",
            &details.unknown_heading,
            rows.unknown.len(),
            details,
        )?;
        for name in &rows.unknown {
            let unknown = text(&details.unknown);
            write!(
                html,
                r#"<tr data-source="unknown"><th scope="row" class="lc-cookie-details__name">{}</th><td data-label="{}">{unknown}</td><td data-label="{}">{unknown}</td><td data-label="{}">{unknown}</td></tr>"#,
                text(name),
                attribute(&details.provider),
                attribute(&details.purpose),
                attribute(&details.expiry),
            )?;
        }
        html.push_str("</tbody></table></section>");
    }
    if !any {
        write!(
            html,
            r#"<p class="lc-cookie-details__empty">{}</p>"#,
            text(&language.details.empty)
        )?;
    }
    html.push_str("</div>");
    Ok(())
}

fn write_group_start(
    html: &mut String,
    key: &str,
    heading: &str,
    count: usize,
    details: &CookieDetailsTexts,
) -> std::fmt::Result {
    write!(
        html,
        r#"<section class="lc-cookie-details__group" data-category="{key}"><h3 class="lc-cookie-details__heading">{} <span class="lc-cookie-details__count">({count})</span></h3><table class="lc-cookie-details__table"><thead><tr><th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th></tr></thead><tbody>"#,
        text(heading),
        text(&details.name),
        text(&details.provider),
        text(&details.purpose),
        text(&details.expiry),
    )
}

fn write_entry(
    html: &mut String,
    entry: &CookieEntry,
    language: &GridLanguage<'_>,
) -> std::fmt::Result {
    let details = language.details;
    let source = match entry.source {
        EntrySource::Native => "native",
        EntrySource::Local { .. } => "local",
    };
    let entry_text = entry.text_for(language.site_id, language.locale);
    let provider = if entry.is_third_party {
        &*entry.third_party_author
    } else {
        &details.this_shop
    };
    write!(
        html,
        r#"<tr data-source="{source}"><th scope="row" class="lc-cookie-details__name">{}</th><td data-label="{}">{}</td><td data-label="{}">{}"#,
        text(&entry.name),
        attribute(&details.provider),
        text(provider),
        attribute(&details.purpose),
        text(entry_text.map_or(&*details.unknown, |t| &t.description)),
    )?;
    if let Some(about) = entry_text
        .map(|t| &t.third_party_author_description)
        .filter(|about| entry.is_third_party && !about.is_empty())
    {
        write!(
            html,
            r#"<span class="lc-cookie-details__author">{}</span>"#,
            text(about)
        )?;
    }
    let expiry = match entry_text.map(|t| &t.expire_text).filter(|t| !t.is_empty()) {
        Some(expire_text) => text(expire_text).into_owned(),
        None => text(&details.lifetime(entry.lifetime)).into_owned(),
    };
    write!(
        html,
        r#"</td><td data-label="{}">{expiry}</td></tr>"#,
        attribute(&details.expiry),
    )
}
