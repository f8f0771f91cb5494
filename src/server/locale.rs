//! Which of the shop's locales a request gets: the shop's own choice for the request (a
//! [`PageLocale`] in its extensions, say from a `/de/…` path), else the best match of the
//! browser's `Accept-Language` among the shop's locales, else the site's locale.
//!
//! Matching is Project Fluent's language negotiation (`fluent-langneg`, lookup strategy,
//! with likely subtags: `de-AT` finds `de`, `pt-BR` finds `pt`); the `Accept-Language`
//! list is taken in its quality order, `q=0` entries dropped.

use std::sync::Arc;

use fluent_langneg::{LanguageIdentifier, NegotiationStrategy, negotiate_languages};
use http::{Extensions, HeaderMap, header};

use super::ConfigError;

/// The shop's own choice of locale for a request, which wins over `Accept-Language`: put it
/// in the request's extensions before the [`ConsentLayer`](crate::ConsentLayer) (a
/// middleware that reads the language from the path, a cookie or the signed-in customer).
/// A locale the shop does not offer is matched like an `Accept-Language` entry.
///
/// ```
/// use axum::{extract::Request, middleware::Next, response::Response};
/// use leptos_consent::PageLocale;
///
/// async fn language_from_path(mut request: Request, next: Next) -> Response {
///     let language = request.uri().path().split('/').nth(1).unwrap_or_default().to_owned();
///     if language.len() == 2 {
///         request.extensions_mut().insert(PageLocale(language));
///     }
///     next.run(request).await
/// }
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PageLocale(pub String);

/// The most `Accept-Language` entries looked at (browsers send a handful).
const MOST_ENTRIES: usize = 16;

/// The locales a shop offers, the site's own first.
#[derive(Debug)]
pub(crate) struct Locales {
    tags: Vec<Arc<str>>,
    ids: Vec<LanguageIdentifier>,
}

impl Locales {
    /// The site's `site` locale and the `offered` others (duplicates dropped), or the tag
    /// that is no BCP 47 language tag.
    pub(crate) fn new(site: &str, offered: &[String]) -> Result<Self, ConfigError> {
        let mut locales = Locales {
            tags: Vec::new(),
            ids: Vec::new(),
        };
        for tag in std::iter::once(site).chain(offered.iter().map(String::as_str)) {
            let id: LanguageIdentifier = tag
                .parse()
                .map_err(|_| ConfigError::InvalidLocale(tag.to_owned()))?;
            if !locales.ids.contains(&id) {
                locales.tags.push(tag.into());
                locales.ids.push(id);
            }
        }
        Ok(locales)
    }

    /// The site's locale, for whoever matches none of the others.
    pub(crate) fn site(&self) -> &Arc<str> {
        &self.tags[0]
    }

    /// Every locale offered, the site's first.
    pub(crate) fn all(&self) -> &[Arc<str>] {
        &self.tags
    }

    /// The locale for a request with `headers` and `extensions`.
    pub(crate) fn for_request(&self, headers: &HeaderMap, extensions: &Extensions) -> Arc<str> {
        if self.tags.len() == 1 {
            return self.site().clone();
        }
        let requested = match extensions.get::<PageLocale>() {
            Some(PageLocale(tag)) => tag.parse().into_iter().collect(),
            None => headers
                .get(header::ACCEPT_LANGUAGE)
                .and_then(|value| value.to_str().ok())
                .map(accepted)
                .unwrap_or_default(),
        };
        self.best(&requested).clone()
    }

    /// The offered locale that best matches `requested` (in order of preference).
    fn best(&self, requested: &[LanguageIdentifier]) -> &Arc<str> {
        let chosen = negotiate_languages(
            requested,
            &self.ids,
            Some(&self.ids[0]),
            NegotiationStrategy::Lookup,
        );
        let index = chosen
            .first()
            .and_then(|chosen| self.ids.iter().position(|id| id == *chosen))
            .unwrap_or(0);
        &self.tags[index]
    }
}

/// The language tags of an `Accept-Language` value, most wanted first: `q=0` dropped,
/// equal qualities in the header's order, tags that do not parse skipped. Norwegian (`no`)
/// and Nynorsk (`nn`) readers are offered bokmål (`nb`) next.
fn accepted(value: &str) -> Vec<LanguageIdentifier> {
    let mut entries: Vec<(u16, &str)> = value
        .split(',')
        .take(MOST_ENTRIES)
        .filter_map(|entry| {
            let mut parts = entry.split(';');
            let tag = parts.next()?.trim();
            let quality = parts
                .filter_map(|param| param.trim().strip_prefix("q="))
                .next()
                .map_or(Some(1000), quality)?;
            (quality > 0 && !tag.is_empty() && tag != "*").then_some((quality, tag))
        })
        .collect();
    entries.sort_by_key(|&(quality, _)| std::cmp::Reverse(quality));
    let mut tags = Vec::with_capacity(entries.len());
    for (_, tag) in entries {
        if let Ok(id) = tag.parse::<LanguageIdentifier>() {
            let norwegian = matches!(id.language.as_str(), "no" | "nn");
            tags.push(id);
            if norwegian && let Ok(bokmal) = "nb".parse() {
                tags.push(bokmal);
            }
        }
    }
    tags
}

/// A quality value (`0` to `1`, up to three decimals) in thousandths; `None` when it is
/// not one.
fn quality(value: &str) -> Option<u16> {
    let value = value.trim();
    let (whole, fraction) = value.split_once('.').unwrap_or((value, ""));
    if fraction.len() > 3 || !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let thousandths = format!("{fraction:0<3}").parse::<u16>().ok()?;
    match whole {
        "0" => Some(thousandths),
        "1" if thousandths == 0 => Some(1000),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use http::HeaderValue;

    use super::*;

    fn offered() -> Locales {
        let others = ["de", "pl", "da-DK", "nb", "pt"].map(str::to_owned);
        Locales::new("en", &others).unwrap()
    }

    fn pick(accept_language: &str) -> String {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::ACCEPT_LANGUAGE,
            HeaderValue::from_str(accept_language).unwrap(),
        );
        offered()
            .for_request(&headers, &Extensions::new())
            .to_string()
    }

    #[test]
    fn the_browsers_languages_pick_the_shops_locale() {
        assert_eq!(pick("de-DE,de;q=0.9,en;q=0.8"), "de");
        assert_eq!(pick("pl"), "pl");
        assert_eq!(pick("da"), "da-DK");
        assert_eq!(pick("pt-BR,pt;q=0.9"), "pt");
        assert_eq!(pick("no"), "nb");
        assert_eq!(pick("nn-NO,en;q=0.5"), "nb");
        // Quality order, not header order; q=0 is "not this".
        assert_eq!(pick("en;q=0.2,de;q=0.8"), "de");
        assert_eq!(pick("de;q=0,pl;q=0.1"), "pl");
        // Nothing offered, nothing sent, nonsense: the site's locale.
        assert_eq!(pick("ja-JP,zh;q=0.5"), "en");
        assert_eq!(pick(""), "en");
        assert_eq!(pick("*"), "en");
        assert_eq!(pick("de;q=2,pl;q=abc,,;;,=="), "en");
    }

    #[test]
    fn the_shops_own_choice_wins() {
        let mut headers = HeaderMap::new();
        headers.insert(header::ACCEPT_LANGUAGE, HeaderValue::from_static("de"));
        let mut extensions = Extensions::new();
        extensions.insert(PageLocale("pl-PL".to_owned()));
        assert_eq!(&*offered().for_request(&headers, &extensions), "pl");
        extensions.insert(PageLocale("xx-not a tag".to_owned()));
        assert_eq!(&*offered().for_request(&headers, &extensions), "en");
    }

    #[test]
    fn a_locale_that_is_no_language_tag_is_refused() {
        assert_eq!(
            Locales::new("en", &["de_DE!".to_owned()]).unwrap_err(),
            ConfigError::InvalidLocale("de_DE!".to_owned())
        );
        let locales = Locales::new("en", &["en".to_owned(), "de".to_owned()]).unwrap();
        assert_eq!(locales.all().len(), 2);
    }
}
