//! The words of the cookie details grid, built in for every language, every one
//! overridable.

use super::{Text, built_in};

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
/// # #[cfg(feature = "ssr")] {
/// use leptos_consent::registry::Lifetime;
///
/// assert_eq!(texts.lifetime(Lifetime::seconds(60)), "1 minut");
/// assert_eq!(texts.lifetime(Lifetime::seconds(1200).renewed()), "20 minutter, fornyes");
/// assert_eq!(CookieDetailsTexts::english().lifetime(Lifetime::Permanent), "Permanent");
/// # }
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct CookieDetailsTexts {
    /// The language these texts are in (a BCP 47 tag): it picks the plural forms of
    /// lifetimes ("1 rok", "2 lata", "5 lat").
    pub language: Text,
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
    /// `{n}` seconds.
    pub seconds: PluralText,
    /// `{n}` minutes.
    pub minutes: PluralText,
    /// `{n}` hours.
    pub hours: PluralText,
    /// `{n}` days.
    pub days: PluralText,
    /// `{n}` years.
    pub years: PluralText,
    /// A lifetime counted from the last visit: `{lifetime}` is the lifetime in words.
    pub renewed: Text,
    /// A cookie that does not expire.
    pub permanent: Text,
    /// Shown for what is not known about an unknown cookie.
    pub unknown: Text,
    /// The heading of cookies the registry does not know.
    pub unknown_heading: Text,
    /// Shown when the shop uses no cookies of any category yet.
    pub empty: Text,
}

impl CookieDetailsTexts {
    /// The built-in texts for a BCP 47 locale (`pl`, `pl-PL`, …): its language's, English
    /// for a language the crate has no texts for.
    pub fn for_locale(locale: &str) -> Self {
        built_in::tag_of(locale)
            .and_then(built_in::details_texts)
            .unwrap_or_else(Self::english)
    }

    /// The built-in English texts.
    pub fn english() -> Self {
        built_in::details_texts("en").expect("en.json is the reference language")
    }

    /// The built-in Danish texts.
    pub fn danish() -> Self {
        built_in::details_texts("da").expect("da.json is built in")
    }

    /// A lifetime in words, in the largest unit it is a whole number of (years, days,
    /// hours, minutes, seconds); a session, a permanent one and one counted from the last
    /// visit say so. A number is a lifetime in days (WS8's `expire_days`; 0 is a session).
    #[cfg(feature = "ssr")]
    pub fn lifetime(&self, lifetime: impl Into<crate::registry::Lifetime>) -> String {
        use crate::registry::Lifetime;
        let (secs, renewed) = match lifetime.into() {
            Lifetime::Session => return self.session.to_string(),
            Lifetime::Permanent => return self.permanent.to_string(),
            Lifetime::For { secs, renewed } => (secs, renewed),
        };
        const YEAR: u64 = 365 * 86_400;
        let units = [
            (YEAR, &self.years),
            (86_400, &self.days),
            (3_600, &self.hours),
            (60, &self.minutes),
            (1, &self.seconds),
        ];
        let (unit, count) = units
            .into_iter()
            .find(|(unit, _)| secs % unit == 0)
            .unwrap_or(units[4]);
        let words = count.of(&self.language, secs / unit);
        if renewed {
            super::fill(&self.renewed, &[("lifetime", &words)])
        } else {
            words
        }
    }
}

/// A text with a number `{n}` in it, in each plural form (CLDR's categories) a language
/// has: English has `one` and `other`, Polish `one`, `few`, `many` and `other`. A form left
/// empty falls back to `other`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct PluralText {
    /// For zero, in languages that say it apart (Latvian).
    pub zero: Text,
    /// For one, and the numbers a language treats alike (Latvian 21, French 0).
    pub one: Text,
    /// For two, in languages that say it apart (Slovenian, Irish, Maltese).
    pub two: Text,
    /// For a few (Polish and Czech 2–4).
    pub few: Text,
    /// For many (Polish 5–21, Irish 7–10).
    pub many: Text,
    /// For any other number; never empty.
    pub other: Text,
}

impl PluralText {
    /// A text with a singular and a plural form, as in English (`"{n} day"`, `"{n} days"`).
    pub fn new(one: impl Into<Text>, other: impl Into<Text>) -> Self {
        PluralText {
            one: one.into(),
            other: other.into(),
            ..PluralText::default()
        }
    }

    /// `n` in words in the `language` (a BCP 47 tag): the form its plural rules pick, `{n}`
    /// replaced. A language CLDR does not know counts as English does.
    ///
    /// ```
    /// use leptos_consent::texts::CookieDetailsTexts;
    ///
    /// let years = CookieDetailsTexts::for_locale("pl").years;
    /// # #[cfg(feature = "ssr")] {
    /// assert_eq!(years.of("pl", 1), "1 rok");
    /// assert_eq!(years.of("pl", 2), "2 lata");
    /// assert_eq!(years.of("pl", 5), "5 lat");
    /// # }
    /// ```
    #[cfg(feature = "ssr")]
    pub fn of(&self, language: &str, n: u64) -> String {
        use intl_pluralrules::{PluralCategory, PluralRuleType, PluralRules};
        let category = language
            .parse::<unic_langid::LanguageIdentifier>()
            .ok()
            .and_then(|language| PluralRules::create(language, PluralRuleType::CARDINAL).ok())
            .and_then(|rules| rules.select(n).ok())
            .unwrap_or(if n == 1 {
                PluralCategory::ONE
            } else {
                PluralCategory::OTHER
            });
        let form = self.form(category);
        let form = if form.is_empty() { &self.other } else { form };
        super::fill(form, &[("n", &n.to_string())])
    }

    /// The form for a plural `category` (empty when the language does not have it).
    #[cfg(feature = "ssr")]
    pub(crate) fn form(&self, category: intl_pluralrules::PluralCategory) -> &Text {
        use intl_pluralrules::PluralCategory;
        match category {
            PluralCategory::ZERO => &self.zero,
            PluralCategory::ONE => &self.one,
            PluralCategory::TWO => &self.two,
            PluralCategory::FEW => &self.few,
            PluralCategory::MANY => &self.many,
            PluralCategory::OTHER => &self.other,
        }
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;
    use crate::registry::Lifetime;

    #[test]
    fn lifetimes_read_as_words_in_every_built_in_language() {
        let cases = [
            (Lifetime::Session, "Session", "Session"),
            (Lifetime::seconds(1), "1 second", "1 sekund"),
            (Lifetime::seconds(45), "45 seconds", "45 sekunder"),
            (Lifetime::seconds(60), "1 minute", "1 minut"),
            (
                Lifetime::seconds(1200).renewed(),
                "20 minutes, renewed",
                "20 minutter, fornyes",
            ),
            (Lifetime::seconds(3600), "1 hour", "1 time"),
            (Lifetime::seconds(36 * 3600), "36 hours", "36 timer"),
            (Lifetime::seconds(90), "90 seconds", "90 sekunder"),
            (Lifetime::days(1), "1 day", "1 dag"),
            (Lifetime::days(390), "390 days", "390 dage"),
            (
                Lifetime::days(365).renewed(),
                "1 year, renewed",
                "1 år, fornyes",
            ),
            (Lifetime::days(730), "2 years", "2 år"),
            (Lifetime::Permanent, "Permanent", "Permanent"),
        ];
        let (english, danish) = (CookieDetailsTexts::english(), CookieDetailsTexts::danish());
        for (lifetime, en, da) in cases {
            assert_eq!(english.lifetime(lifetime), en);
            assert_eq!(danish.lifetime(lifetime), da);
        }
        // WS8's days still work: 0 is a session.
        assert_eq!(english.lifetime(0), "Session");
        assert_eq!(danish.lifetime(14), "14 dage");
    }
}
