//! The admin HTTP API (feature `admin`): bearer-token protected JSON endpoints for privacy
//! staff (`consent_log_admin`, with the `log` feature), for the shop's cookie registry
//! (`cookie_registry_admin` and its OpenAPI document, with `registry`) and for the tracking
//! outbox (`tracking_outbox_admin`, with `outbox`).

// With none of the subsystems, the token is all there is.
#![cfg_attr(
    not(any(feature = "log", feature = "registry", feature = "outbox")),
    allow(dead_code)
)]

#[cfg(feature = "log")]
pub(crate) mod consent_log;
#[cfg(feature = "registry")]
mod cookies;
#[cfg(feature = "outbox")]
mod tracking;

use std::{fmt, sync::Arc};

use axum::{
    Json,
    extract::{Request, State},
    http::{HeaderValue, StatusCode, header},
    middleware::Next,
    response::{IntoResponse, Response},
};
#[cfg(feature = "log")]
pub use consent_log::consent_log_admin;
#[cfg(all(feature = "log", feature = "outbox"))]
pub use consent_log::data_subject_admin;
#[cfg(feature = "registry")]
pub use cookies::{NoRegistryStore, REASKS_SHOPPERS, cookie_registry_admin};
use serde::Serialize;
use subtle::ConstantTimeEq;
#[cfg(feature = "outbox")]
pub use tracking::tracking_outbox_admin;

/// The secret staff send as `Authorization: Bearer <token>`. Compared in constant time.
#[derive(Clone)]
pub struct AdminToken(Arc<str>);

impl AdminToken {
    /// The shortest admin token accepted.
    pub const MIN_LEN: usize = 24;
}

impl fmt::Debug for AdminToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AdminToken(…)")
    }
}

/// A token [`AdminToken::new`] refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "the admin token must be at least {min} visible ASCII characters (it is \
     sent in an HTTP header); generate a random one",
    min = AdminToken::MIN_LEN
)]
pub struct InvalidAdminToken;

impl AdminToken {
    /// A token of at least [`AdminToken::MIN_LEN`] visible ASCII characters.
    pub fn new(token: impl Into<String>) -> Result<Self, InvalidAdminToken> {
        let token = token.into();
        if token.len() >= AdminToken::MIN_LEN && token.bytes().all(|b| b.is_ascii_graphic()) {
            Ok(AdminToken(token.into()))
        } else {
            Err(InvalidAdminToken)
        }
    }

    /// Whether a request with `headers` carries this token as
    /// `Authorization: Bearer <token>` (compared in constant time), for a shop that guards
    /// its own routes with it.
    ///
    /// ```
    /// use http::{HeaderMap, HeaderValue, header};
    /// use leptos_consent::admin::AdminToken;
    ///
    /// let token = AdminToken::new("a-long-random-token-of-24-or-more")?;
    /// let mut headers = HeaderMap::new();
    /// assert!(!token.authorizes(&headers));
    /// headers.insert(header::AUTHORIZATION, HeaderValue::from_static("Bearer a-long-random-token-of-24-or-more"));
    /// assert!(token.authorizes(&headers));
    /// # Ok::<(), leptos_consent::admin::InvalidAdminToken>(())
    /// ```
    pub fn authorizes(&self, headers: &http::HeaderMap) -> bool {
        let presented = headers
            .get(header::AUTHORIZATION)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.strip_prefix("Bearer "))
            .unwrap_or_default();
        self.matches(presented)
    }

    /// Whether `presented` is this token (compared in constant time): for a login form.
    pub fn matches(&self, presented: &str) -> bool {
        presented.as_bytes().ct_eq(self.0.as_bytes()).into()
    }
}

/// Lets a request through only with `Authorization: Bearer <token>`; otherwise `401`.
pub(super) async fn require_token(
    State(token): State<AdminToken>,
    request: Request,
    next: Next,
) -> Response {
    if token.authorizes(request.headers()) {
        next.run(request).await
    } else {
        let mut response = failure(
            StatusCode::UNAUTHORIZED,
            "send the admin token as `Authorization: Bearer <token>`",
        );
        response.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static(r#"Bearer realm="leptos-consent admin""#),
        );
        response
    }
}

/// The body of every refusal: what went wrong, in a sentence.
#[derive(Serialize, utoipa::ToSchema)]
pub(super) struct Failure {
    /// What went wrong and how to fix it.
    error: String,
}

/// A JSON refusal.
pub(super) fn failure(status: StatusCode, message: &str) -> Response {
    (
        status,
        Json(Failure {
            error: message.to_owned(),
        }),
    )
        .into_response()
}

/// A `503` for a database that failed (the cause goes to the server's log, not the client).
#[cfg(any(feature = "log", feature = "outbox"))]
pub(super) fn store_failure(error: &crate::store::StoreError) -> Response {
    tracing::error!(%error, "admin request failed in the database");
    failure(
        StatusCode::SERVICE_UNAVAILABLE,
        "the consent database is not available; try again",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_long_visible_ascii() {
        assert_eq!(AdminToken::new("short").unwrap_err(), InvalidAdminToken);
        assert!(AdminToken::new("a token with spaces in it, long enough").is_err());
        assert!(AdminToken::new("x".repeat(24)).is_ok());
        assert_eq!(
            format!("{:?}", AdminToken::new("y".repeat(30)).unwrap()),
            "AdminToken(…)"
        );
    }

    #[test]
    fn bearer_tokens_must_match_exactly() {
        let token = AdminToken::new("s3cret-token-for-the-admin-api").unwrap();
        let header = |v: &'static str| {
            let mut headers = http::HeaderMap::new();
            headers.insert(header::AUTHORIZATION, HeaderValue::from_static(v));
            headers
        };
        assert!(token.authorizes(&header("Bearer s3cret-token-for-the-admin-api")));
        assert!(!token.authorizes(&header("Bearer s3cret-token-for-the-admin-ap")));
        assert!(!token.authorizes(&header("bearer s3cret-token-for-the-admin-api")));
        assert!(!token.authorizes(&header("s3cret-token-for-the-admin-api")));
        assert!(!token.authorizes(&http::HeaderMap::new()));
    }
}
