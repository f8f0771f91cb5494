//! What the server hands the browser for hydration, in a compact string.
//!
//! The page's consent state and texts travel through Leptos's [`SharedValue`] with its string
//! codec: a few separator-delimited fields, parsed with `split` in the browser. A serde
//! format would pull serde_json's deserializer into the WASM bundle, which costs more than
//! the whole banner (see `cargo xtask sizes`). The browser keeps the texts as they came
//! ([`Texts`]) and reads one when a component asks for it: a shop whose browser half never
//! shows a text carries no code for the whole set.
//!
//! [`SharedValue`]: leptos::prelude::SharedValue

use std::str::FromStr;
#[cfg(feature = "ssr")]
use std::{
    fmt::{self, Write as _},
    sync::Arc,
};

use crate::{ConsentDecision, ConsentMode, ConsentState, texts::ConsentTexts};

/// Separates the fields.
const SEPARATOR: char = '\u{1e}';
/// Stands for `<`: Leptos escapes `<` in serialized values in a way only JSON undoes.
const LESS_THAN: char = '\u{1f}';
const VERSION: &str = "4";
/// The state's fields (the version to the decision), before the texts'.
const STATE_FIELDS: usize = 7;

/// The site's texts: the server's, which it renders with.
#[cfg(feature = "ssr")]
pub(crate) type Texts = Arc<ConsentTexts>;

/// The site's texts: in the browser, none here (the context reads them from the hydration
/// string when asked, with [`text_at`] and [`texts_of`]).
#[cfg(not(feature = "ssr"))]
pub(crate) type Texts = ();

/// The page's consent state and the site's texts.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct ConsentBootstrap {
    pub(crate) state: ConsentState,
    pub(crate) texts: Texts,
}

/// Writes `field` as a bootstrap field: `<` as [`LESS_THAN`], the separators as spaces.
#[cfg(feature = "ssr")]
fn write_field(f: &mut fmt::Formatter<'_>, field: &str) -> fmt::Result {
    // Runs of plain text in one write each: this is written into every page.
    let mut rest = field;
    while let Some(at) = rest.find(['<', SEPARATOR, LESS_THAN]) {
        f.write_str(&rest[..at])?;
        let c = rest[at..].chars().next().unwrap_or(' ');
        f.write_char(if c == '<' { LESS_THAN } else { ' ' })?;
        rest = &rest[at + c.len_utf8()..];
    }
    f.write_str(rest)
}

/// The texts' part of a bootstrap string (empty when it has none).
#[cfg_attr(feature = "ssr", allow(dead_code))]
pub(crate) fn texts_part(bootstrap: &str) -> &str {
    bootstrap
        .splitn(STATE_FIELDS + 1, SEPARATOR)
        .nth(STATE_FIELDS)
        .unwrap_or_default()
}

/// The text at `index` (in [`ConsentTexts::fields`]'s order) of encoded `texts`.
#[cfg_attr(feature = "ssr", allow(dead_code))]
pub(crate) fn text_at(texts: &str, index: usize) -> String {
    texts
        .split(SEPARATOR)
        .nth(index)
        .unwrap_or_default()
        .replace(LESS_THAN, "<")
}

/// All of encoded `texts`.
pub(crate) fn texts_of(texts: &str) -> ConsentTexts {
    let mut parsed = ConsentTexts::default();
    for (text, field) in parsed.fields_mut().into_iter().zip(texts.split(SEPARATOR)) {
        *text = field.replace(LESS_THAN, "<").into();
    }
    parsed
}

/// The server's: the browser reads it, and never writes one.
#[cfg(feature = "ssr")]
impl fmt::Display for ConsentBootstrap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = &self.state;
        let decision = state.decision.as_ref().map(ConsentDecision::encode_compact);
        let mode = match state.mode {
            ConsentMode::PassiveInfo => "p",
            ConsentMode::BlockBeforeConsent => "b",
        };
        let state: [&str; STATE_FIELDS] = [
            VERSION,
            mode,
            flag(state.gpc),
            flag(state.hide_dialog),
            &state.page,
            state.policy_url.as_deref().unwrap_or_default(),
            decision.as_deref().unwrap_or_default(),
        ];
        for (i, field) in state.into_iter().enumerate() {
            if i > 0 {
                f.write_char(SEPARATOR)?;
            }
            write_field(f, field)?;
        }
        for text in self.texts.fields() {
            f.write_char(SEPARATOR)?;
            write_field(f, text)?;
        }
        Ok(())
    }
}

impl FromStr for ConsentBootstrap {
    type Err = InvalidBootstrap;

    fn from_str(s: &str) -> Result<Self, InvalidBootstrap> {
        let mut fields = s.splitn(STATE_FIELDS + 1, SEPARATOR);
        let mut next = || fields.next().ok_or(InvalidBootstrap);
        if next()? != VERSION {
            return Err(InvalidBootstrap);
        }
        let mode = match next()? {
            "p" => ConsentMode::PassiveInfo,
            "b" => ConsentMode::BlockBeforeConsent,
            _ => return Err(InvalidBootstrap),
        };
        let gpc = next()? == "1";
        let hide_dialog = next()? == "1";
        let page = next()?.to_owned();
        let policy_url = Some(next()?)
            .filter(|url| !url.is_empty())
            .map(str::to_owned);
        let decision = match next()? {
            "" => None,
            decision => Some(ConsentDecision::decode_compact(decision).ok_or(InvalidBootstrap)?),
        };
        let texts = next()?;
        if texts.split(SEPARATOR).count() != ConsentTexts::FIELDS {
            return Err(InvalidBootstrap);
        }
        #[cfg(feature = "ssr")]
        let texts = Arc::new(texts_of(texts));
        #[cfg(not(feature = "ssr"))]
        let texts = ();
        Ok(ConsentBootstrap {
            state: ConsentState {
                mode,
                gpc,
                decision,
                hide_dialog,
                page,
                policy_url,
                // The services stay on the server (see `ConsentState::services`).
                #[cfg(feature = "ssr")]
                services: Default::default(),
            },
            texts,
        })
    }
}

/// The page's consent state could not be read (a different version of the crate rendered it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct InvalidBootstrap;

#[cfg(feature = "ssr")]
fn flag(on: bool) -> &'static str {
    if on { "1" } else { "0" }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{CategorySet, ConsentAction, Uuid};

    fn sample() -> ConsentBootstrap {
        ConsentBootstrap {
            state: ConsentState {
                mode: ConsentMode::PassiveInfo,
                gpc: true,
                decision: Some(ConsentDecision {
                    consent_id: Uuid::from_u128(0x1234_5678_9abc_4def_8123_4567_89ab_cdef),
                    granted: CategorySet::essential().with(crate::Category::Statistics),
                    action: ConsentAction::Custom,
                    decided_at: 1_790_000_000,
                    refused_services: crate::ServiceSet::empty().with(1),
                }),
                hide_dialog: true,
                page: "/products/2?a=1&b=%3C".to_owned(),
                policy_url: Some("/terms?HideCookieDialog=1#cookieconsent".to_owned()),
                services: Default::default(),
            },
            texts: Arc::new(ConsentTexts::danish()),
        }
    }

    #[test]
    fn round_trips() {
        for bootstrap in [
            sample(),
            ConsentBootstrap {
                texts: Arc::new(ConsentTexts::english()),
                ..Default::default()
            },
        ] {
            let encoded = bootstrap.to_string();
            assert_eq!(encoded.parse::<ConsentBootstrap>(), Ok(bootstrap));
        }
    }

    #[test]
    fn shop_texts_with_markup_survive_without_a_less_than_sign_on_the_wire() {
        let mut bootstrap = sample();
        let texts = Arc::make_mut(&mut bootstrap.texts);
        texts.title = "Cookies <b>&</b> \"you\"</script>".into();
        texts.message = "odd \u{1e} separators \u{1f} here".into();
        let encoded = bootstrap.to_string();
        assert!(!encoded.contains('<'), "{encoded}");
        let decoded: ConsentBootstrap = encoded.parse().unwrap();
        assert_eq!(decoded.texts.title, "Cookies <b>&</b> \"you\"</script>");
        assert_eq!(decoded.texts.message, "odd   separators   here");
    }

    #[test]
    fn the_browser_reads_the_texts_as_the_page_carries_them() {
        let mut bootstrap = sample();
        Arc::make_mut(&mut bootstrap.texts).change_consent = "Cookies <b>&</b> you".into();
        let encoded = bootstrap.to_string();
        // What the browser reads them from: everything after the state's eight fields.
        let texts = texts_part(&encoded);
        assert_eq!(texts_of(texts), *bootstrap.texts);
        assert_eq!(
            text_at(texts, ConsentTexts::CHANGE_CONSENT),
            "Cookies <b>&</b> you"
        );
        assert_eq!(
            text_at(texts, ConsentTexts::DELETE_COOKIES),
            bootstrap.texts.delete_cookies.to_string()
        );
    }

    #[test]
    fn anything_else_is_refused_without_panicking() {
        let encoded = sample().to_string();
        let half = encoded
            .char_indices()
            .nth(encoded.chars().count() / 2)
            .unwrap()
            .0;
        for bad in [
            String::new(),
            VERSION.to_owned(),
            // Another version of the crate rendered it (2: before in-sentence labels).
            encoded.replacen(VERSION, "2", 1),
            format!("{encoded}{SEPARATOR}extra"),
            encoded[..half].to_owned(),
            encoded.replace("p\u{1e}", "x\u{1e}"),
        ] {
            assert_eq!(
                bad.parse::<ConsentBootstrap>(),
                Err(InvalidBootstrap),
                "{bad:?}"
            );
        }
    }
}
