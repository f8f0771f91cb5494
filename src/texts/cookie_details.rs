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
    /// One second.
    pub second: Text,
    /// `{n}` seconds.
    pub seconds: Text,
    /// One minute.
    pub minute: Text,
    /// `{n}` minutes.
    pub minutes: Text,
    /// One hour.
    pub hour: Text,
    /// `{n}` hours.
    pub hours: Text,
    /// One day.
    pub day: Text,
    /// `{n}` days.
    pub days: Text,
    /// One year.
    pub year: Text,
    /// `{n}` years.
    pub years: Text,
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
            second: "1 second".into(),
            seconds: "{n} seconds".into(),
            minute: "1 minute".into(),
            minutes: "{n} minutes".into(),
            hour: "1 hour".into(),
            hours: "{n} hours".into(),
            day: "1 day".into(),
            days: "{n} days".into(),
            year: "1 year".into(),
            years: "{n} years".into(),
            renewed: "{lifetime}, renewed".into(),
            permanent: "Permanent".into(),
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
            second: "1 sekund".into(),
            seconds: "{n} sekunder".into(),
            minute: "1 minut".into(),
            minutes: "{n} minutter".into(),
            hour: "1 time".into(),
            hours: "{n} timer".into(),
            day: "1 dag".into(),
            days: "{n} dage".into(),
            year: "1 år".into(),
            years: "{n} år".into(),
            renewed: "{lifetime}, fornyes".into(),
            permanent: "Permanent".into(),
            unknown: "Ukendt".into(),
            unknown_heading: "Uklassificerede".into(),
            empty: "Der bruges ingen cookies.".into(),
        }
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
            (YEAR, &self.year, &self.years),
            (86_400, &self.day, &self.days),
            (3_600, &self.hour, &self.hours),
            (60, &self.minute, &self.minutes),
            (1, &self.second, &self.seconds),
        ];
        let (unit, one, many) = units
            .into_iter()
            .find(|(unit, _, _)| secs % unit == 0)
            .unwrap_or(units[4]);
        let words = match secs / unit {
            1 => one.to_string(),
            n => many.replace("{n}", &n.to_string()),
        };
        if renewed {
            self.renewed.replace("{lifetime}", &words)
        } else {
            words
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
