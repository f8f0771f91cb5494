//! The built-in texts of every language, written in `src/texts/languages/<tag>.json` (one
//! file a language, English's the reference) and turned into Rust by `build.rs`, which
//! refuses a file that lacks a text or breaks a placeholder.

use super::{CategoryText, ConsentTexts, CookieDetailsTexts, PluralText, Text};

include!(concat!(env!("OUT_DIR"), "/languages.rs"));

/// The built-in language for a BCP 47 `locale` (`de-AT` → `de`; `no` and `nn` → `nb`),
/// if there is one.
pub(crate) fn tag_of(locale: &str) -> Option<&'static str> {
    let primary = super::primary_language(locale);
    let primary = match primary.as_str() {
        "no" | "nn" => "nb",
        other => other,
    };
    LANGUAGES
        .iter()
        .map(|(tag, _)| *tag)
        .find(|tag| *tag == primary)
}
