//! The words the consent UI shows, in English and Danish, every one overridable.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use crate::Category;

mod cookie_details;

pub use cookie_details::CookieDetailsTexts;

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
    /// The built-in texts for a BCP 47 locale: Danish for `da` (`da`, `da-DK`, …), English
    /// for everything else.
    pub fn for_locale(locale: &str) -> Self {
        if primary_language(locale) == "da" {
            Self::danish()
        } else {
            Self::english()
        }
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

    /// Every text, in a fixed order (for compact encodings).
    pub(crate) fn fields_mut(&mut self) -> [&mut Text; 30] {
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
        ]
    }

    /// Every text, in the order of [`fields_mut`](Self::fields_mut).
    pub(crate) fn fields(&self) -> [&Text; 30] {
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
        ]
    }

    /// The built-in English texts.
    pub fn english() -> Self {
        ConsentTexts {
            title: "We use cookies".into(),
            message: "We use necessary cookies to run this shop. With your consent we also use \
                      cookies for extra functions, statistics and marketing. You can change \
                      your choice at any time with the “Cookie settings” link on every page."
                .into(),
            passive_message: "This shop uses cookies to work and to improve your experience."
                .into(),
            accept_all: "Accept all".into(),
            reject_all: "Reject all".into(),
            customize: "Customize".into(),
            save_choices: "Save my choices".into(),
            acknowledge: "OK".into(),
            categories_legend: "Cookie categories".into(),
            always_on: "Always on".into(),
            gpc_notice: "Your browser asks not to be tracked (Global Privacy Control or Do \
                         Not Track), so marketing cookies stay off unless you turn them on."
                .into(),
            saved: "Your cookie choices have been saved.".into(),
            save_failed: "Your choice could not be saved. Please try again.".into(),
            change_consent: "Cookie settings".into(),
            policy_link: "Read our cookie policy".into(),
            gate_message: "Here is {what}. It loads only with your consent to {category} \
                           cookies."
                .into(),
            gate_allow: "Allow {category} cookies".into(),
            delete_cookies: "Delete all my cookies for this shop".into(),
            system: CategoryText {
                label: "Necessary".into(),
                in_sentence: "necessary".into(),
                description: "Needed for the shop to work: your cart, security and \
                              remembering this choice."
                    .into(),
            },
            functional: CategoryText {
                label: "Functional".into(),
                in_sentence: "functional".into(),
                description: "Remember your preferences, such as recently viewed products.".into(),
            },
            statistics: CategoryText {
                label: "Statistics".into(),
                in_sentence: "statistics".into(),
                description: "Help us understand how the shop is used, so we can improve it."
                    .into(),
            },
            tracking: CategoryText {
                label: "Marketing".into(),
                in_sentence: "marketing".into(),
                description: "Show you relevant offers and measure our campaigns, also on \
                              other websites."
                    .into(),
            },
        }
    }

    /// The built-in Danish texts.
    pub fn danish() -> Self {
        ConsentTexts {
            title: "Vi bruger cookies".into(),
            message: "Vi bruger nødvendige cookies for at drive butikken. Med dit samtykke \
                      bruger vi også cookies til ekstra funktioner, statistik og \
                      markedsføring. Du kan altid ændre dit valg via linket \
                      “Cookieindstillinger” på hver side."
                .into(),
            passive_message: "Butikken bruger cookies for at virke og for at give dig en \
                              bedre oplevelse."
                .into(),
            accept_all: "Accepter alle".into(),
            reject_all: "Afvis alle".into(),
            customize: "Tilpas".into(),
            save_choices: "Gem mine valg".into(),
            acknowledge: "OK".into(),
            categories_legend: "Cookiekategorier".into(),
            always_on: "Altid aktiv".into(),
            gpc_notice: "Din browser beder om ikke at blive sporet (Global Privacy Control \
                         eller Do Not Track), så markedsføringscookies forbliver slået fra, \
                         medmindre du slår dem til."
                .into(),
            saved: "Dine cookievalg er gemt.".into(),
            save_failed: "Dit valg kunne ikke gemmes. Prøv igen.".into(),
            change_consent: "Cookieindstillinger".into(),
            policy_link: "Læs vores cookiepolitik".into(),
            gate_message: "Her er {what}. Det vises kun med dit samtykke til cookies til \
                           {category}."
                .into(),
            gate_allow: "Tillad cookies til {category}".into(),
            delete_cookies: "Slet alle mine cookies for denne butik".into(),
            system: CategoryText {
                label: "Nødvendige".into(),
                in_sentence: "nødvendige".into(),
                description: "Nødvendige for at butikken virker: din kurv, sikkerhed og at \
                              huske dette valg."
                    .into(),
            },
            functional: CategoryText {
                label: "Funktionelle".into(),
                in_sentence: "funktionelle".into(),
                description: "Husker dine præferencer, f.eks. senest sete produkter.".into(),
            },
            statistics: CategoryText {
                label: "Statistik".into(),
                in_sentence: "statistik".into(),
                description: "Hjælper os med at forstå, hvordan butikken bruges, så vi kan \
                              forbedre den."
                    .into(),
            },
            tracking: CategoryText {
                label: "Markedsføring".into(),
                in_sentence: "markedsføring".into(),
                description: "Viser dig relevante tilbud og måler vores kampagner, også på \
                              andre websteder."
                    .into(),
            },
        }
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
    fn locale_selection() {
        assert_eq!(ConsentTexts::for_locale("da").reject_all, "Afvis alle");
        assert_eq!(ConsentTexts::for_locale("DA_dk").reject_all, "Afvis alle");
        assert_eq!(ConsentTexts::for_locale("en-GB").reject_all, "Reject all");
        assert_eq!(ConsentTexts::for_locale("de").reject_all, "Reject all");
        assert_eq!(ConsentTexts::for_locale("").reject_all, "Reject all");
    }

    #[test]
    fn every_builtin_text_is_filled() {
        for texts in [ConsentTexts::english(), ConsentTexts::danish()] {
            // Debug output quotes every field; an empty text shows as `""`.
            let printed = format!("{texts:?}");
            assert!(
                !printed.contains("\"\""),
                "an empty built-in text: {printed}"
            );
        }
    }
}
