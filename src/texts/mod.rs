//! The words the consent UI shows, built in for every language of [`languages`], every one
//! overridable. The built-in texts are data: one JSON file a language in
//! `src/texts/languages/`, checked and compiled in by the crate's build script.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use crate::Category;

mod built_in;
mod cookie_details;

pub use cookie_details::{CookieDetailsTexts, PluralText};

/// Every built-in language: its BCP 47 tag (`"de"`, `"nb"`, …) and its name in itself
/// (`"Deutsch"`), by tag.
///
/// ```
/// let tags: Vec<&str> = leptos_consent::texts::languages().map(|(tag, _)| tag).collect();
/// assert!(tags.contains(&"de") && tags.contains(&"pl") && tags.contains(&"is"));
/// ```
pub fn languages() -> impl Iterator<Item = (&'static str, &'static str)> {
    built_in::LANGUAGES.iter().copied()
}

/// The built-in language for a BCP 47 locale (`"de-AT"` → `"de"`, `"no"` → `"nb"`), if
/// the crate has one.
pub fn built_in_language(locale: &str) -> Option<&'static str> {
    built_in::tag_of(locale)
}

/// One text of the UI. Built-in texts borrow `'static` strings; overrides own theirs.
pub type Text = Cow<'static, str>;

/// The label and explanation of one [`Category`].
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CategoryText {
    /// Short name shown next to the toggle ("Statistics").
    pub label: Text,
    /// What cookies of this category do, in one or two sentences.
    pub description: Text,
    /// The label as it reads inside a sentence, where `{category}` stands in
    /// [`gate_message`](ConsentTexts::gate_message) and
    /// [`gate_allow`](ConsentTexts::gate_allow) ("statistics" in "Allow statistics
    /// cookies"; a German noun keeps its capital). Empty: the label lowercased, by the server
    /// (the browser never lowercases, which keeps Unicode's case tables out of the WASM).
    #[serde(default)]
    pub in_sentence: Text,
}

/// Every text of the consent UI for one locale.
///
/// Start from a built-in set and override what the shop wants to say differently:
///
/// ```
/// use leptos_consent::texts::ConsentTexts;
///
/// let texts = ConsentTexts::for_locale("da-DK").with_title("Cookies hos Kaffebaren");
/// assert_eq!(texts.accept_all, "Accepter alle");
/// assert_eq!(texts.title, "Cookies hos Kaffebaren");
/// ```
///
/// It is `#[non_exhaustive]`: new texts come with new versions of the crate, with built-in
/// wording in every language, so start from [`ConsentTexts::for_locale`] (or
/// [`english`](Self::english), [`danish`](Self::danish)) and change fields or use the
/// `with_*` setters.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ConsentTexts {
    /// The banner's heading.
    pub title: Text,
    /// The banner's message in [`ConsentMode::BlockBeforeConsent`](crate::ConsentMode).
    pub message: Text,
    /// The banner's message in [`ConsentMode::PassiveInfo`](crate::ConsentMode).
    pub passive_message: Text,
    /// The "Accept all" button.
    pub accept_all: Text,
    /// The "Reject all" button (same weight and style as accept).
    pub reject_all: Text,
    /// The control that opens the per-category toggles.
    pub customize: Text,
    /// The button that saves the per-category toggles.
    pub save_choices: Text,
    /// The single button of the passive-info banner.
    pub acknowledge: Text,
    /// The legend of the per-category toggles.
    pub categories_legend: Text,
    /// Shown instead of a toggle for the always-on category.
    pub always_on: Text,
    /// Said when the browser sends Global Privacy Control (`Sec-GPC: 1`).
    pub gpc_notice: Text,
    /// Announced to assistive technology when a choice was saved.
    pub saved: Text,
    /// Shown when a choice could not be saved.
    pub save_failed: Text,
    /// The label of [`ChangeConsentLink`](crate::ChangeConsentLink).
    pub change_consent: Text,
    /// The label of the banner's link to the cookie policy, when the shop configures one.
    pub policy_link: Text,
    /// What [`ConsentGate`](crate::ConsentGate) says instead of its content; `{what}` and
    /// `{category}` are replaced.
    pub gate_message: Text,
    /// [`ConsentGate`](crate::ConsentGate)'s button; `{category}` is replaced.
    pub gate_allow: Text,
    /// [`DeleteCookiesButton`](crate::DeleteCookiesButton)'s label.
    pub delete_cookies: Text,
    /// The banner's sentence on how long a choice is kept, when a consent and a refusal are
    /// kept alike; `{duration}` is replaced (in words, "1 year").
    pub kept_for: Text,
    /// The banner's sentence on how long a choice is kept, when a refusal is kept longer
    /// than a consent; `{consent}` and `{refusal}` are replaced.
    pub kept_for_each: Text,
    /// Label and description of [`Category::System`].
    pub system: CategoryText,
    /// Label and description of [`Category::Functional`].
    pub functional: CategoryText,
    /// Label and description of [`Category::Statistics`].
    pub statistics: CategoryText,
    /// Label and description of [`Category::Tracking`].
    pub tracking: CategoryText,
}

impl ConsentTexts {
    /// The built-in texts for a BCP 47 locale (`de`, `de-AT`, …): its language's, English
    /// for a language the crate has no texts for.
    pub fn for_locale(locale: &str) -> Self {
        built_in::tag_of(locale)
            .and_then(built_in::consent_texts)
            .unwrap_or_else(Self::english)
    }

    /// The label and description of one category.
    pub fn category(&self, category: Category) -> &CategoryText {
        match category {
            Category::System => &self.system,
            Category::Functional => &self.functional,
            Category::Statistics => &self.statistics,
            Category::Tracking => &self.tracking,
        }
    }

    /// Fills every category's empty [`in_sentence`](CategoryText::in_sentence) with its
    /// label lowercased: on the server, so that the browser never needs Unicode's case tables.
    #[cfg(feature = "ssr")]
    pub(crate) fn fill_in_sentences(&mut self) {
        for text in [
            &mut self.system,
            &mut self.functional,
            &mut self.statistics,
            &mut self.tracking,
        ] {
            text.fill_in_sentence();
        }
    }

    /// How many texts [`fields`](Self::fields) has.
    pub(crate) const FIELDS: usize = 32;
    /// Where [`change_consent`](Self::change_consent) is in [`fields`](Self::fields).
    pub(crate) const CHANGE_CONSENT: usize = 13;
    /// Where [`gate_message`](Self::gate_message) is in [`fields`](Self::fields).
    #[cfg_attr(
        feature = "ssr",
        allow(dead_code, reason = "the browser's gate reads them")
    )]
    pub(crate) const GATE_MESSAGE: usize = 15;
    /// Where [`gate_allow`](Self::gate_allow) is in [`fields`](Self::fields).
    #[cfg_attr(
        feature = "ssr",
        allow(dead_code, reason = "the browser's gate reads them")
    )]
    pub(crate) const GATE_ALLOW: usize = 16;
    /// Where [`delete_cookies`](Self::delete_cookies) is in [`fields`](Self::fields).
    pub(crate) const DELETE_COOKIES: usize = 17;

    /// Where `category`'s label for use in a sentence is in [`fields`](Self::fields) (filled
    /// in by the server when the shop's texts leave it empty).
    #[cfg_attr(
        feature = "ssr",
        allow(dead_code, reason = "the browser's gate reads them")
    )]
    pub(crate) fn in_sentence_at(category: Category) -> usize {
        26 + match category {
            Category::System => 0,
            Category::Functional => 1,
            Category::Statistics => 2,
            Category::Tracking => 3,
        }
    }

    /// Every text, in a fixed order (for compact encodings).
    pub(crate) fn fields_mut(&mut self) -> [&mut Text; Self::FIELDS] {
        [
            &mut self.title,
            &mut self.message,
            &mut self.passive_message,
            &mut self.accept_all,
            &mut self.reject_all,
            &mut self.customize,
            &mut self.save_choices,
            &mut self.acknowledge,
            &mut self.categories_legend,
            &mut self.always_on,
            &mut self.gpc_notice,
            &mut self.saved,
            &mut self.save_failed,
            &mut self.change_consent,
            &mut self.policy_link,
            &mut self.gate_message,
            &mut self.gate_allow,
            &mut self.delete_cookies,
            &mut self.system.label,
            &mut self.system.description,
            &mut self.functional.label,
            &mut self.functional.description,
            &mut self.statistics.label,
            &mut self.statistics.description,
            &mut self.tracking.label,
            &mut self.tracking.description,
            &mut self.system.in_sentence,
            &mut self.functional.in_sentence,
            &mut self.statistics.in_sentence,
            &mut self.tracking.in_sentence,
            &mut self.kept_for,
            &mut self.kept_for_each,
        ]
    }

    /// Every text, in the order of [`fields_mut`](Self::fields_mut).
    #[cfg_attr(not(feature = "ssr"), allow(dead_code))]
    pub(crate) fn fields(&self) -> [&Text; Self::FIELDS] {
        [
            &self.title,
            &self.message,
            &self.passive_message,
            &self.accept_all,
            &self.reject_all,
            &self.customize,
            &self.save_choices,
            &self.acknowledge,
            &self.categories_legend,
            &self.always_on,
            &self.gpc_notice,
            &self.saved,
            &self.save_failed,
            &self.change_consent,
            &self.policy_link,
            &self.gate_message,
            &self.gate_allow,
            &self.delete_cookies,
            &self.system.label,
            &self.system.description,
            &self.functional.label,
            &self.functional.description,
            &self.statistics.label,
            &self.statistics.description,
            &self.tracking.label,
            &self.tracking.description,
            &self.system.in_sentence,
            &self.functional.in_sentence,
            &self.statistics.in_sentence,
            &self.tracking.in_sentence,
            &self.kept_for,
            &self.kept_for_each,
        ]
    }

    /// The built-in English texts.
    pub fn english() -> Self {
        built_in::consent_texts("en").expect("en.json is the reference language")
    }

    /// The built-in Danish texts.
    pub fn danish() -> Self {
        built_in::consent_texts("da").expect("da.json is built in")
    }
}

impl CategoryText {
    /// A category's label and description (in a sentence: the label lowercased).
    pub fn new(label: impl Into<Text>, description: impl Into<Text>) -> Self {
        CategoryText {
            label: label.into(),
            description: description.into(),
            in_sentence: Text::Borrowed(""),
        }
    }

    /// With the label as it reads inside a sentence.
    pub fn with_in_sentence(mut self, text: impl Into<Text>) -> Self {
        self.in_sentence = text.into();
        self
    }

    /// The label as it reads inside a sentence: [`in_sentence`](Self::in_sentence), or the
    /// label when that is empty (the server fills it in before texts reach the browser).
    pub fn label_in_sentence(&self) -> &str {
        if self.in_sentence.is_empty() {
            &self.label
        } else {
            &self.in_sentence
        }
    }

    /// Fills an empty [`in_sentence`](Self::in_sentence) with the label lowercased.
    #[cfg(feature = "ssr")]
    fn fill_in_sentence(&mut self) {
        if self.in_sentence.is_empty() {
            self.in_sentence = self.label.to_lowercase().into();
        }
    }
}

/// The `with_*` setters of [`ConsentTexts`], one per text.
impl ConsentTexts {
    /// Replaces [`title`](Self::title).
    pub fn with_title(mut self, text: impl Into<Text>) -> Self {
        self.title = text.into();
        self
    }

    /// Replaces [`message`](Self::message).
    pub fn with_message(mut self, text: impl Into<Text>) -> Self {
        self.message = text.into();
        self
    }

    /// Replaces [`passive_message`](Self::passive_message).
    pub fn with_passive_message(mut self, text: impl Into<Text>) -> Self {
        self.passive_message = text.into();
        self
    }

    /// Replaces [`accept_all`](Self::accept_all).
    pub fn with_accept_all(mut self, text: impl Into<Text>) -> Self {
        self.accept_all = text.into();
        self
    }

    /// Replaces [`reject_all`](Self::reject_all).
    pub fn with_reject_all(mut self, text: impl Into<Text>) -> Self {
        self.reject_all = text.into();
        self
    }

    /// Replaces [`customize`](Self::customize).
    pub fn with_customize(mut self, text: impl Into<Text>) -> Self {
        self.customize = text.into();
        self
    }

    /// Replaces [`save_choices`](Self::save_choices).
    pub fn with_save_choices(mut self, text: impl Into<Text>) -> Self {
        self.save_choices = text.into();
        self
    }

    /// Replaces [`acknowledge`](Self::acknowledge).
    pub fn with_acknowledge(mut self, text: impl Into<Text>) -> Self {
        self.acknowledge = text.into();
        self
    }

    /// Replaces [`categories_legend`](Self::categories_legend).
    pub fn with_categories_legend(mut self, text: impl Into<Text>) -> Self {
        self.categories_legend = text.into();
        self
    }

    /// Replaces [`always_on`](Self::always_on).
    pub fn with_always_on(mut self, text: impl Into<Text>) -> Self {
        self.always_on = text.into();
        self
    }

    /// Replaces [`gpc_notice`](Self::gpc_notice).
    pub fn with_gpc_notice(mut self, text: impl Into<Text>) -> Self {
        self.gpc_notice = text.into();
        self
    }

    /// Replaces [`saved`](Self::saved).
    pub fn with_saved(mut self, text: impl Into<Text>) -> Self {
        self.saved = text.into();
        self
    }

    /// Replaces [`save_failed`](Self::save_failed).
    pub fn with_save_failed(mut self, text: impl Into<Text>) -> Self {
        self.save_failed = text.into();
        self
    }

    /// Replaces [`change_consent`](Self::change_consent).
    pub fn with_change_consent(mut self, text: impl Into<Text>) -> Self {
        self.change_consent = text.into();
        self
    }

    /// Replaces [`policy_link`](Self::policy_link).
    pub fn with_policy_link(mut self, text: impl Into<Text>) -> Self {
        self.policy_link = text.into();
        self
    }

    /// Replaces [`gate_message`](Self::gate_message).
    pub fn with_gate_message(mut self, text: impl Into<Text>) -> Self {
        self.gate_message = text.into();
        self
    }

    /// Replaces [`gate_allow`](Self::gate_allow).
    pub fn with_gate_allow(mut self, text: impl Into<Text>) -> Self {
        self.gate_allow = text.into();
        self
    }

    /// Replaces [`delete_cookies`](Self::delete_cookies).
    pub fn with_delete_cookies(mut self, text: impl Into<Text>) -> Self {
        self.delete_cookies = text.into();
        self
    }

    /// Replaces [`kept_for`](Self::kept_for).
    pub fn with_kept_for(mut self, text: impl Into<Text>) -> Self {
        self.kept_for = text.into();
        self
    }

    /// Replaces [`kept_for_each`](Self::kept_for_each).
    pub fn with_kept_for_each(mut self, text: impl Into<Text>) -> Self {
        self.kept_for_each = text.into();
        self
    }

    /// Replaces the label and description of `category`.
    pub fn with_category(mut self, category: Category, text: CategoryText) -> Self {
        *match category {
            Category::System => &mut self.system,
            Category::Functional => &mut self.functional,
            Category::Statistics => &mut self.statistics,
            Category::Tracking => &mut self.tracking,
        } = text;
        self
    }
}

/// `template` with each `{name}` of `values` replaced by its value; other braces stay as
/// they are. One pass, so that a value is never filled in turn (a `{category}` inside the
/// shop's `what`). The browser's runtime fills a gate's texts the same way (`gateText`).
#[cfg(feature = "ssr")]
pub(crate) fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut parts = template.split('{');
    let mut filled = String::with_capacity(template.len());
    filled.push_str(parts.next().unwrap_or_default());
    'parts: for part in parts {
        for (name, value) in values {
            if let Some(rest) = part.strip_prefix(name).and_then(|r| r.strip_prefix('}')) {
                filled.push_str(value);
                filled.push_str(rest);
                continue 'parts;
            }
        }
        filled.push('{');
        filled.push_str(part);
    }
    filled
}

/// The primary language subtag of a BCP 47 locale, lowercased (`"da-DK"` → `"da"`).
pub(crate) fn primary_language(locale: &str) -> String {
    locale
        .split(['-', '_'])
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fill_replaces_the_named_placeholders_only() {
        let values = [("what", "a video"), ("category", "marketing")];
        assert_eq!(
            fill("{what} needs {category} {x} {what}{", &values),
            "a video needs marketing {x} a video{"
        );
        assert_eq!(fill("{{what}}", &values), "{a video}");
        assert_eq!(fill("", &values), "");
    }

    #[test]
    fn the_texts_read_by_position_are_where_their_names_say() {
        let texts = ConsentTexts::english();
        let fields = texts.fields();
        let mut named = vec![
            (ConsentTexts::CHANGE_CONSENT, &texts.change_consent),
            (ConsentTexts::DELETE_COOKIES, &texts.delete_cookies),
            (ConsentTexts::GATE_MESSAGE, &texts.gate_message),
            (ConsentTexts::GATE_ALLOW, &texts.gate_allow),
        ];
        for category in Category::ALL {
            named.push((
                ConsentTexts::in_sentence_at(category),
                &texts.category(category).in_sentence,
            ));
        }
        for (index, text) in named {
            assert!(std::ptr::eq(fields[index], text), "{index}");
        }
    }

    #[test]
    fn locale_selection() {
        assert_eq!(ConsentTexts::for_locale("da").reject_all, "Afvis alle");
        assert_eq!(ConsentTexts::for_locale("DA_dk").reject_all, "Afvis alle");
        assert_eq!(ConsentTexts::for_locale("en-GB").reject_all, "Reject all");
        assert_eq!(
            ConsentTexts::for_locale("de-AT").reject_all,
            "Alle ablehnen"
        );
        assert_eq!(ConsentTexts::for_locale("no").reject_all, "Avvis alle");
        assert_eq!(ConsentTexts::for_locale("tlh").reject_all, "Reject all");
        assert_eq!(ConsentTexts::for_locale("").reject_all, "Reject all");
    }

    /// The `{name}`s in a text, sorted.
    fn placeholders(text: &str) -> Vec<&str> {
        let mut found: Vec<&str> = text
            .match_indices('{')
            .map(|(at, _)| {
                let end = text[at..].find('}').map_or(text.len(), |end| at + end + 1);
                &text[at..end]
            })
            .collect();
        found.sort_unstable();
        found
    }

    /// The 24 official languages of the EU, Norwegian (bokmål) and Icelandic.
    const EXPECTED: [&str; 26] = [
        "bg", "cs", "da", "de", "el", "en", "es", "et", "fi", "fr", "ga", "hr", "hu", "is", "it",
        "lt", "lv", "mt", "nb", "nl", "pl", "pt", "ro", "sk", "sl", "sv",
    ];

    #[test]
    fn every_language_has_every_text_with_its_placeholders() {
        let tags: Vec<&str> = languages().map(|(tag, _)| tag).collect();
        assert_eq!(tags, EXPECTED);
        for (tag, name) in languages() {
            assert!(!name.is_empty());
            let texts = built_in::consent_texts(tag).expect("every language has banner texts");
            for text in texts.fields() {
                assert!(!text.trim().is_empty(), "{tag}: an empty text in {texts:?}");
            }
            // Reject is there, as prominent as Accept: both say something, and not the same.
            assert!(!texts.reject_all.is_empty() && texts.reject_all != texts.accept_all);
            assert_eq!(
                placeholders(&texts.gate_message),
                ["{category}", "{what}"],
                "{tag}"
            );
            assert_eq!(placeholders(&texts.gate_allow), ["{category}"], "{tag}");
            assert_eq!(placeholders(&texts.kept_for), ["{duration}"], "{tag}");
            assert_eq!(
                placeholders(&texts.kept_for_each),
                ["{consent}", "{refusal}"],
                "{tag}"
            );
            for text in texts.fields().into_iter().take(15) {
                assert!(placeholders(text).is_empty(), "{tag}: {text}");
            }
            // The message names the link that changes the choice by its very label.
            assert!(
                texts.message.contains(&*texts.change_consent),
                "{tag}: the message does not name {:?}",
                texts.change_consent
            );
            let details = built_in::details_texts(tag).expect("every language has grid texts");
            assert_eq!(details.language, tag);
            assert_eq!(placeholders(&details.renewed), ["{lifetime}"], "{tag}");
        }
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn every_language_counts_in_every_plural_form_it_has() {
        use intl_pluralrules::{PluralRuleType, PluralRules};
        for (tag, _) in languages() {
            let details = built_in::details_texts(tag).unwrap();
            let rules = PluralRules::create(
                tag.parse::<unic_langid::LanguageIdentifier>().unwrap(),
                PluralRuleType::CARDINAL,
            )
            .unwrap_or_else(|_| panic!("CLDR has plural rules for {tag}"));
            for count in [
                &details.seconds,
                &details.minutes,
                &details.hours,
                &details.days,
                &details.years,
            ] {
                for n in 0..=1_000u64 {
                    let form = count.form(rules.select(n).unwrap());
                    assert!(form.contains("{n}"), "{tag}: no form for {n} in {count:?}");
                    assert!(count.of(tag, n).starts_with(&n.to_string()), "{tag} {n}");
                }
            }
        }
    }

    #[test]
    fn every_builtin_text_is_filled() {
        for texts in languages().filter_map(|(tag, _)| built_in::consent_texts(tag)) {
            // Debug output quotes every field; an empty text shows as `""`.
            let printed = format!("{texts:?}");
            assert!(
                !printed.contains("\"\""),
                "an empty built-in text: {printed}"
            );
        }
    }
}
