//! The server half's core (feature `ssr`): configuration, the signed consent cookie, the
//! middleware, the one read of each request, the endpoints' bodies and the grid. The
//! subsystems (consent log, shop-local registry, tracking) plug in through [`hooks`].

pub(crate) mod banner_forms;
mod client_ip;
mod config;
mod consent_cookie;
pub(crate) mod cookie_cleanup;
pub(crate) mod cookie_details;
pub(crate) mod cookies;
pub(crate) mod endpoints;
mod fingerprint;
pub(crate) mod hooks;
mod locale;
pub mod middleware;
pub(crate) mod origin;
mod page;
pub(crate) mod request;
mod request_consent;
pub(crate) mod runtime_file;
pub(crate) mod signing;

pub use client_ip::ClientIp;
pub use config::{ConfigError, ConsentConfig, ConsentConfigBuilder};
pub use consent_cookie::CookieRejection;
pub(crate) use cookie_details::cookie_details_for_page;
pub use fingerprint::PolicyFingerprint;
#[cfg(feature = "tracking")]
pub(crate) use hooks::RequestTracking;
#[cfg(feature = "tracking")]
pub(crate) use hooks::TrackingHook;
#[cfg(feature = "log")]
pub(crate) use hooks::{DecisionNotice, DecisionRecorder};
#[cfg(feature = "console")]
pub(crate) use locale::Locales;
pub use locale::PageLocale;
pub use middleware::ConsentLayer;
pub(crate) use page::{RuntimeDelivery, bootstrap, cookie_policy_inputs};
pub(crate) use request_consent::RequestConsent;
