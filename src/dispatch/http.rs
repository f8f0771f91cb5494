//! The HTTP client of the provided adapters, and what makes an adapter's settings unusable.

use std::time::Duration;

/// A provider's settings that cannot be used (a base URL, a customer id, a header).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct InvalidProvider(pub(super) String);

/// The HTTP client of the provided adapters: rustls, 3 s to connect, 10 s per request.
pub(super) fn client() -> Result<reqwest::Client, InvalidProvider> {
    reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(3))
        .timeout(Duration::from_secs(10))
        .build()
        .map_err(|error| InvalidProvider(format!("HTTP client: {error}")))
}
