//! What the server half and the browser half agree on: the paths of the crate's endpoints,
//! the decision endpoint's answer header, the grid's attribute. Shared by both halves, so
//! that neither imports the other (the [`endpoints`](crate::endpoints) check that their
//! generated paths are these). The plain-JS runtime (`components/cookie_policy.js`, `tracker.js`)
//! spells some of them out; a test checks that it spells them as here.

/// `POST`: records a decision ([`decide_consent`](crate::endpoints::decide_consent)).
pub(crate) const DECIDE_PATH: &str = "/_consent/decide";

/// `POST`: "delete all my cookies" ([`forget_cookies`](crate::endpoints::forget_cookies)).
pub(crate) const FORGET_PATH: &str = "/_consent/forget";

/// `POST`: the browser's events ([`collect_events`](crate::endpoints::collect_events)), which
/// the page's tracker (`components/tracker.js`) posts to.
#[cfg_attr(
    not(feature = "ssr"),
    allow(
        dead_code,
        reason = "read by the runtime, whose test checks the spelling"
    )
)]
pub(crate) const COLLECT_PATH: &str = "/_consent/collect";

/// `GET`: a fresh cookie details grid
/// ([`cookie_details_fragment`](crate::endpoints::cookie_details_fragment)), which the
/// runtime asks for.
#[allow(
    dead_code,
    reason = "read by the runtime, whose test checks the spelling"
)]
pub(crate) const COOKIE_DETAILS_PATH: &str = "/_consent/cookie-details";

/// The response header in which the decision endpoint also returns the recorded decision, in
/// the compact form the browser half reads without a JSON parser.
pub(crate) const DECISION_HEADER: &str = "x-consent-decision";

/// The attribute of the grid's content that lists the cookie names it was rendered for,
/// separated by `;` (which no cookie name holds): the browser compares it with
/// `document.cookie` to know when to ask for the grid again.
#[cfg_attr(
    not(feature = "ssr"),
    allow(
        dead_code,
        reason = "read by the runtime, whose test checks the spelling"
    )
)]
pub(crate) const CHECKED_ATTRIBUTE: &str = "data-lc-checked";
