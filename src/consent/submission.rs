//! Where a decision taken in the page stands, and why one was not recorded.

/// Where a decision taken in the page (with JavaScript) stands.
///
/// Read it with [`ConsentContext::submission`](crate::ConsentContext::submission); the
/// example of [`ConsentContext`](crate::ConsentContext) disables a button while a decision
/// is pending.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Submission {
    /// Nothing was submitted from this page.
    #[default]
    Idle,
    /// On its way to the server.
    Pending,
    /// Recorded: the consent cookie is set and the state updated.
    Saved,
    /// The server did not record it (network error, refused); the state is unchanged.
    Failed,
}

/// Why [`ConsentContext::decide`](crate::ConsentContext::decide) did not record a decision.
///
/// Returned by [`ConsentContext::decide`](crate::ConsentContext::decide); see the example
/// of [`ConsentContext`](crate::ConsentContext).
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DecideError {
    /// The request did not complete (offline, blocked).
    #[error("the request did not complete")]
    Network,
    /// The server refused it with this HTTP status (400 bad input, 403 cross-site, 429 …).
    #[error("the server answered {0}")]
    Refused(u16),
    /// The server answered without a decision.
    #[error("the server's answer holds no decision")]
    NoDecision,
    /// Called on the server, where decisions come in as form posts.
    #[error("decisions are taken in the browser")]
    NotInBrowser,
}
