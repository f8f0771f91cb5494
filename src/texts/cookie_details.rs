//! The words of the cookie details grid, in English and Danish, every one overridable.

use super::{Text, primary_language};

/// Every text of the cookie details grid for one locale. The category headings are the
/// category labels of [`ConsentTexts`](crate::texts::ConsentTexts).
///
/// ```
/// use leptos_consent::texts::CookieDetailsTexts;
///
/// let texts = CookieDetailsTexts::for_locale("da");
/// assert_eq!(texts.lifetime(0), "Session");
/// assert_eq!(texts.lifetime(730), "2 år");
/// assert_eq!(CookieDetailsTexts::english().lifetime(1), "1 day");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct CookieDetailsTexts {
    /// The banner's toggle that shows the grid.
    pub toggle: Text,
    /// The column of cookie names.
    pub name: Text,
    /// The column of who sets the cookie.
    pub provider: Text,
    /// The column of what the cookie is for.
    pub purpose: Text,
    /// The column of how long it lives.
    pub expiry: Text,
    /// The provider of the shop's own cookies.
    pub this_shop: Text,
    /// The lifetime of a session cookie.
    pub session: Text,
    /// One day.
    pub day: Text,
    /// `{n}` days.
    pub days: Text,
    /// One year.
    pub year: Text,
    /// `{n}` years.
    pub years: Text,
    /// Shown for what is not known about an unknown cookie.
    pub unknown: Text,
    /// The heading of cookies the registry does not know.
    pub unknown_heading: Text,
    /// Shown when the shop uses no cookies of any category yet.
    pub empty: Text,
}

impl CookieDetailsTexts {
    /// The built-in texts for a BCP 47 locale: Danish for `da…`, English otherwise.
    pub fn for_locale(locale: &str) -> Self {
        if primary_language(locale) == "da" {
            Self::danish()
        } else {
            Self::english()
        }
    }

    /// The built-in English texts.
    pub fn english() -> Self {
        CookieDetailsTexts {
            toggle: "Show cookie details".into(),
            name: "Cookie".into(),
            provider: "Provider".into(),
            purpose: "Purpose".into(),
            expiry: "Expiry".into(),
            this_shop: "This shop".into(),
            session: "Session".into(),
            day: "1 day".into(),
            days: "{n} days".into(),
            year: "1 year".into(),
            years: "{n} years".into(),
            unknown: "Unknown".into(),
            unknown_heading: "Unclassified".into(),
            empty: "No cookies are in use.".into(),
        }
    }

    /// The built-in Danish texts.
    pub fn danish() -> Self {
        CookieDetailsTexts {
            toggle: "Vis cookiedetaljer".into(),
            name: "Cookie".into(),
            provider: "Udbyder".into(),
            purpose: "Formål".into(),
            expiry: "Udløb".into(),
            this_shop: "Denne butik".into(),
            session: "Session".into(),
            day: "1 dag".into(),
            days: "{n} dage".into(),
            year: "1 år".into(),
            years: "{n} år".into(),
            unknown: "Ukendt".into(),
            unknown_heading: "Uklassificerede".into(),
            empty: "Der bruges ingen cookies.".into(),
        }
    }

    /// A lifetime in days, in words: whole years as years, else days; 0 is a session.
    pub fn lifetime(&self, days: u32) -> String {
        match days {
            0 => self.session.to_string(),
            1 => self.day.to_string(),
            365 => self.year.to_string(),
            d if d % 365 == 0 => self.years.replace("{n}", &(d / 365).to_string()),
            d => self.days.replace("{n}", &d.to_string()),
        }
    }
}
