//! What a page knows about the shopper's consent: the decision (if any) and its setting.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[cfg(feature = "ssr")]
use std::sync::Arc;

#[cfg(feature = "ssr")]
use crate::Service;
use crate::{Category, CategorySet, ConsentMode, ServiceSet};

/// How a decision was made.
///
/// ```
/// use leptos_consent::{ConsentAction, UnknownAction};
///
/// assert_eq!("reject_all".parse(), Ok(ConsentAction::RejectAll));
/// assert_eq!(ConsentAction::Custom.as_str(), "custom");
/// assert_eq!("maybe".parse::<ConsentAction>(), Err(UnknownAction("maybe".into())));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsentAction {
    /// "Accept all".
    AcceptAll,
    /// "Reject all".
    RejectAll,
    /// "Save my choices" after customizing.
    Custom,
    /// The passive-info banner's acknowledgement.
    Acknowledge,
}

impl std::str::FromStr for ConsentAction {
    type Err = UnknownAction;

    fn from_str(s: &str) -> Result<Self, UnknownAction> {
        [
            ConsentAction::AcceptAll,
            ConsentAction::RejectAll,
            ConsentAction::Custom,
            ConsentAction::Acknowledge,
        ]
        .into_iter()
        .find(|action| action.as_str() == s)
        .ok_or_else(|| UnknownAction(s.to_owned()))
    }
}

/// The error of parsing a [`ConsentAction`] from an unknown name.
///
/// See the example of [`ConsentAction`].
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown choice {0:?}: use accept_all, reject_all, custom or acknowledge")]
pub struct UnknownAction(pub String);

impl ConsentAction {
    /// A one-letter code, for compact encodings (the consent cookie, the page's state).
    #[cfg(feature = "ssr")]
    pub(crate) const fn code(self) -> char {
        match self {
            ConsentAction::AcceptAll => 'a',
            ConsentAction::RejectAll => 'r',
            ConsentAction::Custom => 'c',
            ConsentAction::Acknowledge => 'k',
        }
    }

    /// The action of a [`code`](Self::code).
    pub(crate) fn from_code(code: &str) -> Option<Self> {
        Some(match code {
            "a" => ConsentAction::AcceptAll,
            "r" => ConsentAction::RejectAll,
            "c" => ConsentAction::Custom,
            "k" => ConsentAction::Acknowledge,
            _ => return None,
        })
    }

    /// The snake_case name.
    pub const fn as_str(self) -> &'static str {
        match self {
            ConsentAction::AcceptAll => "accept_all",
            ConsentAction::RejectAll => "reject_all",
            ConsentAction::Custom => "custom",
            ConsentAction::Acknowledge => "acknowledge",
        }
    }
}

impl ConsentAction {
    /// The categories this action grants, given the categories a shopper ticked (only used
    /// by [`ConsentAction::Custom`]).
    ///
    /// An explicit choice wins over Global Privacy Control; only the passive-info
    /// acknowledgement, which asks nothing about tracking, honours it.
    ///
    /// ```
    /// use leptos_consent::{Category, CategorySet, ConsentAction, ConsentMode};
    ///
    /// let ticked = CategorySet::empty().with(Category::Statistics);
    /// let granted = ConsentAction::Custom.grants(ConsentMode::BlockBeforeConsent, false, ticked)?;
    /// assert_eq!(granted, CategorySet::essential().with(Category::Statistics));
    /// assert!(ConsentAction::Acknowledge.grants(ConsentMode::BlockBeforeConsent, false, ticked).is_err());
    /// # Ok::<(), leptos_consent::InvalidChoice>(())
    /// ```
    pub fn grants(
        self,
        mode: ConsentMode,
        gpc: bool,
        ticked: CategorySet,
    ) -> Result<CategorySet, InvalidChoice> {
        match (self, mode) {
            (ConsentAction::AcceptAll, _) => Ok(CategorySet::all()),
            (ConsentAction::RejectAll, _) => Ok(CategorySet::essential()),
            (ConsentAction::Custom, _) => Ok(ticked.with(Category::System)),
            (ConsentAction::Acknowledge, ConsentMode::PassiveInfo) => Ok(passive_defaults(gpc)),
            (ConsentAction::Acknowledge, ConsentMode::BlockBeforeConsent) => Err(InvalidChoice),
        }
    }
}

/// A choice that the shop's mode does not offer.
///
/// Returned by [`ConsentAction::grants`], whose example shows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "\"acknowledge\" is only a choice in the passive-info mode; choose accept_all, reject_all or custom"
)]
pub struct InvalidChoice;

/// A shopper's recorded decision, as the consent cookie carries it.
///
/// ```
/// use leptos_consent::{Category, CategorySet, ConsentAction, ConsentDecision, Uuid};
///
/// let decision = ConsentDecision {
///     consent_id: Uuid::new_v4(),
///     granted: CategorySet::essential().with(Category::Statistics),
///     action: ConsentAction::Custom,
///     decided_at: 1_790_000_000,
///     refused_services: Default::default(),
/// };
/// assert!(decision.granted.contains(Category::Statistics));
/// assert!(!decision.granted.contains(Category::Tracking));
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ConsentDecision {
    /// Identifies this browser's consent in the consent log; kept across changes of mind.
    pub consent_id: Uuid,
    /// The allowed categories (always including [`Category::System`]).
    pub granted: CategorySet,
    /// How the decision was made.
    pub action: ConsentAction,
    /// When, in seconds since the Unix epoch (UTC).
    pub decided_at: i64,
    /// The shop's [`Service`]s refused within granted categories (empty when the shop
    /// declares none, or the shopper allowed whole categories).
    #[serde(default)]
    pub refused_services: ServiceSet,
}

impl ConsentDecision {
    /// The decision in a compact, dot-separated form:
    /// `<consent id, 32 hex>.<granted bits, hex>.<action code>.<Unix seconds>`, and
    /// `.<refused services' bits, hex>` when some are refused. The consent cookie, the page's
    /// hydration state and the decision endpoint's answer header all carry it this way.
    #[cfg(feature = "ssr")]
    pub(crate) fn encode_compact(&self) -> String {
        let mut compact = format!(
            "{}.{:x}.{}.{}",
            self.consent_id.simple(),
            self.granted.bits(),
            self.action.code(),
            self.decided_at
        );
        if !self.refused_services.is_empty() {
            compact.push_str(&format!(".{:x}", self.refused_services.bits()));
        }
        compact
    }

    /// Reads [`encode_compact`](Self::encode_compact)'s form, strictly: its four or five
    /// fields written its way, [`Category::System`] granted, a time that is not negative.
    pub(crate) fn decode_compact(compact: &str) -> Option<Self> {
        let mut fields = compact.split('.');
        let (id, bits, action, decided_at) = (
            fields.next()?,
            fields.next()?,
            fields.next()?,
            fields.next()?,
        );
        let refused_services = match fields.next() {
            None => ServiceSet::empty(),
            // One decision, one encoding: an empty set is written as no field at all.
            Some(refused) => ServiceSet::from_bits(
                u32::try_from(number(refused, 16)?)
                    .ok()
                    .filter(|bits| *bits != 0)?,
            ),
        };
        if fields.next().is_some() || id.len() != 32 {
            return None;
        }
        let granted = CategorySet::from_bits(u8::try_from(number(bits, 16)?).ok()?)?;
        if !granted.contains(Category::System) {
            return None;
        }
        Some(ConsentDecision {
            // 32 hex digits, leading zeros included: the id's `simple()` form.
            consent_id: Uuid::from_u128(digits(id, 16)?),
            granted,
            action: ConsentAction::from_code(action)?,
            decided_at: i64::try_from(number(decided_at, 10)?).ok()?,
            refused_services,
        })
    }
}

/// A field of lowercase digits in `radix` (10 or 16), as `format!` writes one: no sign,
/// no case but lower, at most 32 digits (one `u128`).
fn digits(field: &str, radix: u8) -> Option<u128> {
    if field.is_empty() || field.len() > 32 {
        return None;
    }
    field.bytes().try_fold(0u128, |value, b| {
        let digit = match b {
            b'0'..=b'9' => b - b'0',
            b'a'..=b'f' => b - b'a' + 10,
            _ => return None,
        };
        (digit < radix)
            .then(|| value.checked_mul(radix.into())?.checked_add(digit.into()))
            .flatten()
    })
}

/// A number as `format!` writes it: [`digits`] without leading zeros.
fn number(field: &str, radix: u8) -> Option<u128> {
    (field == "0" || !field.starts_with('0'))
        .then(|| digits(field, radix))
        .flatten()
}

/// The consent situation of one page view, decided by the server and handed to the browser
/// at hydration.
///
/// See [`ConsentState::allows`] for what a state allows, and
/// [`ConsentState::of_request`] for reading the request's state in the shop's own handlers.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsentState {
    /// The shop's consent mode.
    pub mode: ConsentMode,
    /// Whether the browser asks not to be tracked: Global Privacy Control (`Sec-GPC: 1`), or
    /// Do Not Track (`DNT: 1`) unless the shop turned that off
    /// (`ConsentConfigBuilder::honour_do_not_track`). Marketing then stays off unless the
    /// shopper turns it on.
    pub gpc: bool,
    /// The valid decision, or `None` when the shopper has not decided (or must decide again).
    pub decision: Option<ConsentDecision>,
    /// `?HideCookieDialog=1` was on the request: the banner stays hidden on this page.
    pub hide_dialog: bool,
    /// The page as a same-origin path and query: where a form post returns to.
    pub page: String,
    /// The shop's cookie policy page, if it configured one.
    pub policy_url: Option<String>,
    /// The services the shop declared (empty when it declares none). Known on the server
    /// only: the browser half posts the banner's and gates' forms as they are and lets the
    /// plain-JS runtime publish `window.CookiePolicy.services`, so the WASM bundle carries
    /// none of them.
    #[cfg(feature = "ssr")]
    #[serde(default)]
    pub services: Arc<[Service]>,
}

impl ConsentState {
    /// Whether `category` may be used now.
    ///
    /// [`Category::System`] is always allowed. With a decision, its granted set rules.
    /// Without one, [`ConsentMode::BlockBeforeConsent`] allows nothing else, and
    /// [`ConsentMode::PassiveInfo`] allows everything but tracking under Global Privacy
    /// Control.
    ///
    /// ```
    /// use leptos_consent::{Category, ConsentMode, ConsentState};
    ///
    /// let undecided = ConsentState { mode: ConsentMode::PassiveInfo, gpc: true, ..Default::default() };
    /// assert!(undecided.allows(Category::Statistics));
    /// assert!(!undecided.allows(Category::Tracking));
    /// ```
    pub fn allows(&self, category: Category) -> bool {
        self.allowed().contains(category)
    }

    /// The set of categories that may be used now (see [`ConsentState::allows`]).
    pub fn allowed(&self) -> CategorySet {
        match &self.decision {
            Some(decision) => decision.granted.with(Category::System),
            None => match self.mode {
                ConsentMode::BlockBeforeConsent => CategorySet::essential(),
                ConsentMode::PassiveInfo => passive_defaults(self.gpc),
            },
        }
    }

    /// Whether the shop's service `id` may run now: its category is allowed and the shopper
    /// did not refuse it. `false` for a service the shop did not declare.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use leptos_consent::{Category, CategorySet, ConsentAction, ConsentDecision, ConsentState, Service, ServiceSet, Uuid};
    ///
    /// let services: Arc<[Service]> = Arc::new([
    ///     Service::new("ga4", "Google Analytics 4", Category::Statistics),
    ///     Service::new("hotjar", "Hotjar", Category::Statistics),
    /// ]);
    /// let state = ConsentState {
    ///     decision: Some(ConsentDecision {
    ///         consent_id: Uuid::nil(),
    ///         granted: CategorySet::essential().with(Category::Statistics),
    ///         action: ConsentAction::Custom,
    ///         decided_at: 0,
    ///         refused_services: ServiceSet::empty().with(1),
    ///     }),
    ///     services,
    ///     ..Default::default()
    /// };
    /// assert!(state.allows_service("ga4"));
    /// assert!(!state.allows_service("hotjar"));
    /// assert!(!state.allows_service("tiktok"));
    /// ```
    #[cfg(feature = "ssr")]
    pub fn allows_service(&self, id: &str) -> bool {
        let Some(index) = self.services.iter().position(|service| service.id == id) else {
            return false;
        };
        let refused = self
            .decision
            .as_ref()
            .is_some_and(|decision| decision.refused_services.contains(index));
        self.allows(self.services[index].category) && !refused
    }

    /// Whether the shopper still has to decide (no valid decision).
    pub fn needs_decision(&self) -> bool {
        self.decision.is_none()
    }

    /// Whether the banner shows on this page: no decision and no `?HideCookieDialog=1`.
    pub fn shows_banner(&self) -> bool {
        self.needs_decision() && !self.hide_dialog
    }
}

/// What the passive-info mode allows: everything, except tracking under Global Privacy
/// Control.
pub(crate) fn passive_defaults(gpc: bool) -> CategorySet {
    if gpc {
        CategorySet::all().without(Category::Tracking)
    } else {
        CategorySet::all()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compact_decisions_round_trip_and_refuse_anything_else() {
        let decision = ConsentDecision {
            consent_id: Uuid::from_u128(0xabcdef),
            granted: CategorySet::essential().with(Category::Tracking),
            action: ConsentAction::Custom,
            decided_at: 1_790_000_000,
            refused_services: Default::default(),
        };
        let compact = decision.encode_compact();
        assert_eq!(compact, "00000000000000000000000000abcdef.9.c.1790000000");
        assert_eq!(
            ConsentDecision::decode_compact(&compact),
            Some(decision.clone())
        );
        // Services refused within granted categories: a fifth field, only when there are.
        let refusing = ConsentDecision {
            refused_services: ServiceSet::empty().with(0).with(5),
            ..decision
        };
        let compact = refusing.encode_compact();
        assert_eq!(
            compact,
            "00000000000000000000000000abcdef.9.c.1790000000.21"
        );
        assert_eq!(ConsentDecision::decode_compact(&compact), Some(refusing));
        for bad in [
            "",
            "00000000000000000000000000abcdef.9.c",
            "00000000000000000000000000abcdef.8.c.1790000000", // no system bit
            "00000000000000000000000000abcdef.19.c.1790000000",
            "00000000000000000000000000abcdef..c.1790000000",
            "00000000000000000000000000abcdef.9.x.1790000000",
            "00000000000000000000000000abcdef.9.c.-1",
            "00000000000000000000000000abcdef.9.c.+1790000000",
            "00000000000000000000000000abcdef.9.c.01790000000",
            "0000000000000000000000000abcdef.9.c.1790000000",
            "zz000000000000000000000000abcdef.9.c.1790000000",
            "00000000000000000000000000ABCDEF.9.c.1790000000", // upper case
            "+0000000000000000000000000abcdef.9.c.1790000000",
            "00000000000000000000000000abcdef.09.c.1790000000",
            "00000000000000000000000000abcdef.9.c.99999999999999999999",
            "00000000000000000000000000abcdef.9.c.1790000000.0",
            "00000000000000000000000000abcdef.9.c.1790000000.021",
            "00000000000000000000000000abcdef.9.c.1790000000.2A",
            "00000000000000000000000000abcdef.9.c.1790000000.",
            "00000000000000000000000000abcdef.9.c.1790000000.100000000",
            "00000000000000000000000000abcdef.9.c.1790000000.1.1",
        ] {
            assert_eq!(ConsentDecision::decode_compact(bad), None, "{bad}");
        }
    }

    fn decided(granted: CategorySet) -> ConsentDecision {
        ConsentDecision {
            consent_id: Uuid::nil(),
            granted,
            action: ConsentAction::Custom,
            decided_at: 0,
            refused_services: Default::default(),
        }
    }

    #[test]
    fn block_mode_allows_only_system_before_a_decision() {
        let state = ConsentState::default();
        assert_eq!(state.mode, ConsentMode::BlockBeforeConsent);
        assert!(state.allows(Category::System));
        for c in Category::OPTIONAL {
            assert!(!state.allows(c), "{c} allowed before consent");
        }
        assert!(state.shows_banner());
    }

    #[test]
    fn passive_mode_blocks_nothing_but_gpc_tracking() {
        let mut state = ConsentState {
            mode: ConsentMode::PassiveInfo,
            ..Default::default()
        };
        assert_eq!(state.allowed(), CategorySet::all());
        state.gpc = true;
        assert!(!state.allows(Category::Tracking));
        assert!(state.allows(Category::Functional));
    }

    #[test]
    fn a_decision_rules_and_always_keeps_system() {
        let state = ConsentState {
            gpc: true,
            decision: Some(decided(CategorySet::empty().with(Category::Tracking))),
            ..Default::default()
        };
        assert!(state.allows(Category::System));
        assert!(
            state.allows(Category::Tracking),
            "an explicit choice wins over GPC"
        );
        assert!(!state.allows(Category::Statistics));
        assert!(!state.shows_banner());
    }

    #[test]
    fn hide_dialog_hides_the_banner_only() {
        let state = ConsentState {
            hide_dialog: true,
            ..Default::default()
        };
        assert!(state.needs_decision());
        assert!(!state.shows_banner());
    }
}
