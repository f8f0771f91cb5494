//! One entry of the cookie registry, what it says in each language, and the rules a
//! shop-typed entry must follow.

use serde::Serialize;

use super::Lifetime;
use crate::Category;

/// Where an entry comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case", tag = "source")]
pub enum EntrySource {
    /// Shipped with the crate (or the crate's own consent cookie).
    Native,
    /// The shop's own registry in the database, with its row id.
    Local {
        /// The id the admin API answers with.
        id: i64,
    },
}

/// What an entry says in one language, on one site (shop-local entries) or on every site
/// (native entries).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize)]
pub struct CookieText {
    /// The site it is written for; `None` for every site.
    pub site_id: Option<i32>,
    /// The language (BCP 47, e.g. `en`, `da-DK`).
    pub locale: String,
    /// What the cookie is for.
    pub description: String,
    /// More about the third party (shop-local entries only).
    pub third_party_author_description: String,
    /// The lifetime in words, replacing the one derived from the entry's [`Lifetime`] when
    /// not empty.
    pub expire_text: String,
}

/// A cookie the shop may set or cause to be set: what the grid shows about it.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct CookieEntry {
    /// Native or shop-local.
    #[serde(flatten)]
    pub source: EntrySource,
    /// The cookie's name, exact or with `*` for a random part (`_ga_*`, `dwac_*`).
    pub name: String,
    /// The category it belongs to.
    pub category: Category,
    /// How long it lives in the browser.
    pub lifetime: Lifetime,
    /// Whether a third party sets or reads it.
    pub is_third_party: bool,
    /// Who that third party is ("Google LLC"); empty for the shop's own cookies.
    pub third_party_author: String,
    /// What it says, per language (and site).
    pub texts: Vec<CookieText>,
}

impl CookieEntry {
    /// The longest cookie name (or pattern) an entry may have.
    pub const MAX_NAME_LEN: usize = 128;
    /// The longest third-party author.
    pub const MAX_AUTHOR_LEN: usize = 200;
    /// The longest description or author description.
    pub const MAX_DESCRIPTION_LEN: usize = 2000;
    /// The longest expiry text ("Until you log out", "13 months").
    pub const MAX_EXPIRE_TEXT_LEN: usize = 200;
    /// The longest locale tag.
    pub const MAX_LOCALE_LEN: usize = 35;
    /// The longest lifetime an entry may declare, in days (100 years).
    pub const MAX_EXPIRE_DAYS: u32 = 36_500;

    /// The lifetime in whole days, rounded up (WS8's `expire_days`; 0 for a session cookie).
    pub fn expire_days(&self) -> u32 {
        self.lifetime.expire_days()
    }

    /// The text to show on `site_id` in `locale`: the site's own, else one in the same
    /// language, else one in English, else any; at each step a text for every site before
    /// another site's own. `None` when the entry has no text at all.
    ///
    /// ```
    /// # use leptos_consent::{Category, registry::{CookieEntry, CookieText, EntrySource, Lifetime}};
    /// let text = |site_id, locale: &str, description: &str| CookieText {
    ///     site_id,
    ///     locale: locale.into(),
    ///     description: description.into(),
    ///     ..Default::default()
    /// };
    /// let entry = CookieEntry {
    ///     source: EntrySource::Native,
    ///     name: "_ga".into(),
    ///     category: Category::Statistics,
    ///     lifetime: Lifetime::days(730),
    ///     is_third_party: true,
    ///     third_party_author: "Google LLC".into(),
    ///     texts: vec![text(None, "en", "Tells visitors apart"), text(None, "da", "Skelner besøgende")],
    /// };
    /// assert_eq!(entry.text_for(1, "da-DK").unwrap().description, "Skelner besøgende");
    /// assert_eq!(entry.text_for(1, "de").unwrap().description, "Tells visitors apart");
    /// // Site 3's own English text: first for site 3, after the text for every site elsewhere.
    /// let mut entry = entry;
    /// entry.texts.insert(0, text(Some(3), "en", "Site three's words"));
    /// assert_eq!(entry.text_for(3, "da").unwrap().description, "Site three's words");
    /// assert_eq!(entry.text_for(2, "de").unwrap().description, "Tells visitors apart");
    /// ```
    pub fn text_for(&self, site_id: i32, locale: &str) -> Option<&CookieText> {
        // A text for every site before another site's own, at each step.
        let first = |fits: &dyn Fn(&CookieText) -> bool| {
            (self.texts.iter())
                .find(|text| text.site_id.is_none() && fits(text))
                .or_else(|| self.texts.iter().find(|text| fits(text)))
        };
        self.texts
            .iter()
            .find(|text| text.site_id == Some(site_id))
            .or_else(|| first(&|text| same_language(&text.locale, locale)))
            .or_else(|| first(&|text| same_language(&text.locale, "en")))
            .or_else(|| first(&|_| true))
    }
}

/// Whether two BCP 47 locales share their primary language (`da-DK` and `da`), without
/// allocating: the grid asks this for every row it renders.
fn same_language(a: &str, b: &str) -> bool {
    primary_subtag(a).eq_ignore_ascii_case(primary_subtag(b))
}

fn primary_subtag(locale: &str) -> &str {
    let end = locale.find(['-', '_']).unwrap_or(locale.len());
    locale[..end].trim()
}

/// Something a shop typed that the registry does not take. The message says what to fix.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {problem}")]
pub struct InvalidEntry {
    /// The JSON field at fault.
    pub field: &'static str,
    /// What is wrong with it.
    pub problem: String,
}

#[cfg_attr(not(feature = "registry"), allow(dead_code))]
impl InvalidEntry {
    fn new(field: &'static str, problem: impl Into<String>) -> Self {
        InvalidEntry {
            field,
            problem: problem.into(),
        }
    }
}

/// Whether `name` is a cookie name an entry can hold: 1 to [`CookieEntry::MAX_NAME_LEN`] characters of
/// the RFC 6265 token set (letters, digits and ``!#$%&'*+-.^_`|~``), where `*` stands for a
/// random part, and at least one character that is not `*`.
#[cfg_attr(not(feature = "registry"), allow(dead_code))]
pub(crate) fn check_cookie_name(name: &str) -> Result<(), InvalidEntry> {
    if name.is_empty() || name.len() > CookieEntry::MAX_NAME_LEN {
        return Err(InvalidEntry::new(
            "name",
            format!(
                "must have 1 to {max_name_len} characters",
                max_name_len = CookieEntry::MAX_NAME_LEN
            ),
        ));
    }
    if let Some(bad) = name.chars().find(|&c| !is_token_char(c)) {
        return Err(InvalidEntry::new(
            "name",
            format!(
                "{bad:?} is not allowed in a cookie name: use letters, digits and \
                 !#$%&'*+-.^_`|~ (with * for a random part)"
            ),
        ));
    }
    if name.bytes().all(|b| b == b'*') {
        return Err(InvalidEntry::new(
            "name",
            "a name of only `*` would match every cookie",
        ));
    }
    Ok(())
}

/// A `tchar` of RFC 7230, which RFC 6265 uses for cookie names.
#[cfg_attr(not(feature = "registry"), allow(dead_code))]
fn is_token_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c)
}

/// Checks free text: at most `max` characters, no control characters but line breaks and
/// tabs.
#[cfg_attr(not(feature = "registry"), allow(dead_code))]
pub(crate) fn check_text(field: &'static str, value: &str, max: usize) -> Result<(), InvalidEntry> {
    if value.chars().count() > max {
        return Err(InvalidEntry::new(
            field,
            format!("must have at most {max} characters"),
        ));
    }
    if value
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Err(InvalidEntry::new(
            field,
            "must not contain control characters",
        ));
    }
    Ok(())
}

/// Checks a BCP 47 language tag such as `en`, `da-DK` or `pt-BR`.
#[cfg_attr(not(feature = "registry"), allow(dead_code))]
pub(crate) fn check_locale(locale: &str) -> Result<(), InvalidEntry> {
    let mut subtags = locale.split('-');
    let language_ok = subtags
        .next()
        .is_some_and(|l| (2..=3).contains(&l.len()) && l.bytes().all(|b| b.is_ascii_alphabetic()));
    let rest_ok =
        subtags.all(|s| (1..=8).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphanumeric()));
    if language_ok && rest_ok && locale.len() <= CookieEntry::MAX_LOCALE_LEN {
        Ok(())
    } else {
        Err(InvalidEntry::new(
            "locale",
            format!("{locale:?} is not a language tag such as \"en\" or \"da-DK\""),
        ))
    }
}

/// Checks a lifetime in days.
#[cfg_attr(not(feature = "registry"), allow(dead_code))]
pub(crate) fn check_expire_days(days: u32) -> Result<(), InvalidEntry> {
    if days > CookieEntry::MAX_EXPIRE_DAYS {
        Err(InvalidEntry::new(
            "expire_days",
            format!(
                "must be 0 (a session cookie) to {max_expire_days}",
                max_expire_days = CookieEntry::MAX_EXPIRE_DAYS
            ),
        ))
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookie_names_are_tokens_with_patterns() {
        assert!(check_cookie_name("_ga_*").is_ok());
        assert!(check_cookie_name("*").is_err());
        assert!(check_cookie_name("a=b").is_err());
        assert!(check_cookie_name("\"><script>").is_err());
    }

    fn text(site_id: Option<i32>, locale: &str, description: &str) -> CookieText {
        CookieText {
            site_id,
            locale: locale.into(),
            description: description.into(),
            ..Default::default()
        }
    }

    fn entry(texts: Vec<CookieText>) -> CookieEntry {
        CookieEntry {
            source: EntrySource::Local { id: 1 },
            name: "x".into(),
            category: Category::Functional,
            lifetime: Lifetime::Session,
            is_third_party: false,
            third_party_author: String::new(),
            texts,
        }
    }

    #[test]
    fn locale_fallback_prefers_the_site_then_the_language_then_english() {
        let entry = entry(vec![
            text(Some(2), "de", "Seite zwei"),
            text(Some(3), "da", "Side tre"),
            text(Some(4), "en-GB", "Site four"),
        ]);
        assert_eq!(entry.text_for(2, "da").unwrap().description, "Seite zwei");
        assert_eq!(entry.text_for(1, "da-DK").unwrap().description, "Side tre");
        assert_eq!(entry.text_for(1, "sv").unwrap().description, "Site four");
        let german_only = self::entry(vec![text(Some(2), "de", "Nur deutsch")]);
        assert_eq!(
            german_only.text_for(1, "da").unwrap().description,
            "Nur deutsch"
        );
        assert!(self::entry(vec![]).text_for(1, "en").is_none());
    }

    #[test]
    fn names_follow_rfc_6265() {
        for good in [
            "_ga",
            "dwac_*",
            "__Host-id",
            "a.b",
            "x*y*z",
            "A1!#$%&'+-.^_`|~",
        ] {
            assert!(check_cookie_name(good).is_ok(), "{good}");
        }
        let long = "a".repeat(CookieEntry::MAX_NAME_LEN + 1);
        for bad in [
            "", "**", "a b", "a;b", "a=b", "a,b", "\"x\"", "<script>", "ø", "a\u{0}", &long,
        ] {
            assert!(check_cookie_name(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn texts_and_locales() {
        assert!(check_text("description", "Two\nlines\tand a tab", 100).is_ok());
        assert!(check_text("description", "bell\u{7}", 100).is_err());
        assert!(check_text("description", &"é".repeat(101), 100).is_err());
        assert!(check_text("description", &"é".repeat(100), 100).is_ok());
        for good in ["en", "da-DK", "pt-BR", "zh-Hant-TW"] {
            assert!(check_locale(good).is_ok(), "{good}");
        }
        for bad in ["", "e", "english", "da_DK", "da-", "<b>"] {
            assert!(check_locale(bad).is_err(), "{bad}");
        }
        assert!(check_expire_days(CookieEntry::MAX_EXPIRE_DAYS).is_ok());
        assert!(check_expire_days(CookieEntry::MAX_EXPIRE_DAYS + 1).is_err());
    }
}
