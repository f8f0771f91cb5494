//! The console's words in the staff member's language: one JSON file a language in
//! `src/console/languages/` (the banner's 26 languages; English's the reference), turned
//! into Rust by `build.rs`, which refuses a file that lacks a text or breaks a placeholder.
//!
//! The language of a request is its `Accept-Language` matched against the built-in
//! languages (as a shop's locales are matched for the banner), English when none matches.
//! The console's router chooses it once per request ([`in_language`]); everything that
//! renders the request reads it with [`texts`] and [`language`], so no page function has
//! to pass it on.

use std::sync::LazyLock;

use axum::{extract::Request, middleware::Next, response::Response};

use crate::{
    Category,
    server::Locales,
    texts::{ConsentTexts, CookieDetailsTexts, PluralText, Text},
};

/// The generated texts (see `build.rs`).
#[cfg_attr(
    not(feature = "outbox"),
    allow(
        dead_code,
        reason = "the tracking page's texts are read with the outbox feature"
    )
)]
mod generated {
    use crate::texts::{PluralText, Text};

    include!(concat!(env!("OUT_DIR"), "/console_languages.rs"));
}

pub(crate) use generated::ConsoleTexts;
use generated::{EN, console_texts};

/// The language a console request is answered in.
#[derive(Clone, Copy)]
struct Language {
    tag: &'static str,
    texts: &'static ConsoleTexts,
}

const ENGLISH: Language = Language {
    tag: "en",
    texts: &EN,
};

tokio::task_local! {
    static LANGUAGE: Language;
}

/// Every built-in language, English (the fallback) first.
static OFFERED: LazyLock<Locales> = LazyLock::new(|| {
    let others: Vec<String> = crate::texts::languages()
        .map(|(tag, _)| tag.to_owned())
        .filter(|tag| tag != "en")
        .collect();
    Locales::new("en", &others).expect("the built-in languages are language tags")
});

/// Middleware of the console's router: answers the request in the language its
/// `Accept-Language` asks for (among the built-in ones; English otherwise).
pub(crate) async fn in_language(request: Request, next: Next) -> Response {
    let tag = OFFERED.for_request(request.headers(), request.extensions());
    let language = crate::texts::built_in_language(&tag)
        .and_then(|tag| {
            Some(Language {
                tag,
                texts: console_texts(tag)?,
            })
        })
        .unwrap_or(ENGLISH);
    let mut response = LANGUAGE.scope(language, next.run(request)).await;
    response.headers_mut().append(
        axum::http::header::VARY,
        axum::http::HeaderValue::from_static("accept-language"),
    );
    response
}

fn current() -> Language {
    LANGUAGE.try_with(|language| *language).unwrap_or(ENGLISH)
}

/// The console's texts in the current request's language (English outside a request).
pub(crate) fn texts() -> &'static ConsoleTexts {
    current().texts
}

/// The current request's language tag (`en`, `de`, …), for `<html lang>`.
pub(crate) fn language() -> &'static str {
    current().tag
}

/// `text` with each `{name}` of `values` filled in.
pub(crate) fn fill(text: &str, values: &[(&str, &dyn std::fmt::Display)]) -> String {
    values.iter().fold(text.to_owned(), |text, (name, value)| {
        text.replace(&format!("{{{name}}}"), &value.to_string())
    })
}

/// A count in words in the current language (`plural`'s form for `n`).
pub(crate) fn count(plural: &PluralText, n: u64) -> String {
    plural.of(language(), n)
}

/// A category's name as the banner calls it in the current language.
pub(crate) fn category(category: Category) -> Text {
    ConsentTexts::for_locale(language())
        .category(category)
        .label
        .clone()
}

/// Categories in words (`Necessary, Statistics`), or "none".
pub(crate) fn categories(set: crate::CategorySet) -> String {
    let names: Vec<Text> = set.iter().map(category).collect();
    if names.is_empty() {
        texts().page.none.to_owned()
    } else {
        names.join(", ")
    }
}

/// A cookie's lifetime in words, as the grid says it in the current language.
pub(crate) fn lifetime(lifetime: crate::registry::Lifetime) -> String {
    CookieDetailsTexts::for_locale(language()).lifetime(lifetime)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_has_its_own_words() {
        // A file copied from English and left untranslated would pass the build's checks.
        for (tag, _) in crate::texts::languages().filter(|(tag, _)| *tag != "en") {
            let texts = console_texts(tag).expect("a built-in language");
            let same = [
                texts.page.console,
                texts.page.records,
                texts.access.admin_token,
                texts.records.erase_title,
                texts.cookies.undescribed_intro,
                texts.tracking.letters_caption,
                texts.audit.intro,
            ]
            .iter()
            .zip([
                EN.page.console,
                EN.page.records,
                EN.access.admin_token,
                EN.records.erase_title,
                EN.cookies.undescribed_intro,
                EN.tracking.letters_caption,
                EN.audit.intro,
            ])
            .filter(|(text, english)| **text == *english)
            .count();
            assert_eq!(same, 0, "{tag}: console texts still in English");
        }
    }

    #[test]
    fn the_language_follows_accept_language() {
        let mut headers = axum::http::HeaderMap::new();
        headers.insert(
            "accept-language",
            "de-AT,de;q=0.9,en;q=0.5".parse().unwrap(),
        );
        let tag = OFFERED.for_request(&headers, &axum::http::Extensions::new());
        assert_eq!(&*tag, "de");
        headers.insert("accept-language", "tlh".parse().unwrap());
        let tag = OFFERED.for_request(&headers, &axum::http::Extensions::new());
        assert_eq!(&*tag, "en");
    }
}
