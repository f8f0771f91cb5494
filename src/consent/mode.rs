//! How strictly the shop asks for consent.

use serde::{Deserialize, Serialize};

/// How the banner behaves, after the shop platforms' two cookie policy modes.
///
/// ```
/// use leptos_consent::{Category, ConsentMode, ConsentState};
///
/// let undecided = |mode| ConsentState { mode, ..Default::default() };
/// assert!(!undecided(ConsentMode::BlockBeforeConsent).allows(Category::Statistics));
/// assert!(undecided(ConsentMode::PassiveInfo).allows(Category::Statistics));
/// assert_eq!(ConsentMode::default(), ConsentMode::BlockBeforeConsent);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsentMode {
    /// The banner only informs: it is shown once, hides when acknowledged and blocks nothing
    /// (except tracking when the browser sends Global Privacy Control).
    PassiveInfo,
    /// The banner shows on every page until the shopper chooses; nothing non-essential runs
    /// or is set before that. The default, and what GDPR requires for non-essential cookies.
    #[default]
    BlockBeforeConsent,
}

impl ConsentMode {
    /// The snake_case name, also used as the banner's `data-mode` attribute.
    pub const fn as_str(self) -> &'static str {
        match self {
            ConsentMode::PassiveInfo => "passive_info",
            ConsentMode::BlockBeforeConsent => "block_before_consent",
        }
    }
}
