//! Helpers shared by the integration tests.

#![allow(dead_code, unreachable_pub)] // each test binary uses a different part

use http::HeaderMap;
use leptos_consent::{ConsentConfig, ConsentMode};

/// A configuration with a fixed test secret.
pub fn config() -> ConsentConfig {
    config_with_mode(ConsentMode::BlockBeforeConsent)
}

/// A configuration in `mode`.
pub fn config_with_mode(mode: ConsentMode) -> ConsentConfig {
    ConsentConfig::builder()
        .secret("integration-test-secret-of-32-bytes-or-more")
        .mode(mode)
        .policy_url("/terms?HideCookieDialog=1#cookieconsent")
        .build()
        .expect("a valid test configuration")
}

/// Every `Set-Cookie` header of a response.
pub fn set_cookies(headers: &HeaderMap) -> Vec<String> {
    headers
        .get_all(http::header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().expect("ASCII").to_owned())
        .collect()
}

/// The `name=value` part of a `Set-Cookie` header, ready for a `Cookie` header.
pub fn cookie_pair(set_cookie: &str) -> String {
    set_cookie.split(';').next().unwrap_or_default().to_owned()
}
