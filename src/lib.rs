//! # leptos-consent
//!
//! Cookie consent for Leptos storefronts, decided on the server.
//!
//! - The banner is in the first HTML when a decision is needed, and works before the WASM
//!   loads and with JavaScript off (a real form post); after hydration it decides in place.
//! - The decision lives in a small signed cookie written by the server (`Set-Cookie`,
//!   `HttpOnly`), so it survives the 7-day cap browsers put on script-written cookies and
//!   cannot be forged.
//! - A changed policy (mode, category texts, the cookie registry) changes its
//!   [fingerprint](PolicyFingerprint) and asks shoppers again, with no revision number to
//!   bump.
//! - [`<CookieDetails/>`](CookieDetails) lists, by category, the cookies the shopper's
//!   browser holds from the shop, every cookie the shop registered, and anything unknown
//!   (in the banner behind a toggle, and wherever a policy text says `[[CookieDetails]]`);
//!   shops and apps add their cookies through a bearer-token API (`/v2/cookies`).
//! - [`<CookiePolicyScript/>`](CookiePolicyScript) gives shop scripts `window.CookiePolicy`
//!   and runs consent-gated scripts ([`GatedScript`], the platforms' `cpc-script-*` markup)
//!   once their category is allowed, under a strict CSP; [`ConsentGate`] holds back embeds;
//!   Google Consent Mode v2 on request.
//! - `?ChangeCookiePolicyConsent=1` on any URL resets the decision (tower middleware, safe
//!   same-origin redirect), and `?HideCookieDialog=1` hides the banner on one page.
//! - Global Privacy Control (`Sec-GPC: 1`) keeps marketing off unless the shopper turns it
//!   on. English and Danish texts are built in; every text can be replaced.
//! - [`use_tracker`] emits the shop's events within the shopper's consent: server-side
//!   during SSR with the ids the layer keeps (`cemv`, `cems`, `ruid`, `reaid`, `xuid`, on the
//!   registrable domain), and from the browser through the shop's own collect endpoint after
//!   hydration (held until opt-in on request); providers get them with a deduplicable id.
//!
//! ## Usage
//!
//! Server (feature `ssr`): build a [`ConsentConfig`] once and put the [`ConsentLayer`]
//! around the whole router (pages and server functions). The layer reads each request's
//! consent once, before anything renders.
//!
//! ```
//! use axum::{Router, routing::get};
//! use leptos_consent::{ConfigError, ConsentConfig, ConsentLayer, ConsentMode};
//!
//! fn router(secret: &str) -> Result<Router, ConfigError> {
//!     let consent = ConsentConfig::builder()
//!         .secret(secret) // 32+ random bytes, the same on every instance
//!         .mode(ConsentMode::BlockBeforeConsent)
//!         .locale("da")
//!         .policy_url("/terms?HideCookieDialog=1#cookieconsent")
//!         .build()?; // every setting is checked here
//!     Ok(Router::new()
//!         .route("/", get(|| async { "the shop's pages, from leptos_routes" }))
//!         .layer(ConsentLayer::new(consent)))
//! }
//! # router(&"x".repeat(32)).unwrap();
//! ```
//!
//! App (both halves): provide the context at the root and place the components.
//!
//! ```
//! # use leptos::prelude::*;
//! use leptos_consent::{Category, ChangeConsentLink, ConsentBanner, provide_consent};
//!
//! #[component]
//! fn App() -> impl IntoView {
//!     let consent = provide_consent();
//!     view! {
//!         <ConsentBanner/>
//!         <main>
//!             {move || consent.allows(Category::Statistics).then(|| "Statistics allowed")}
//!         </main>
//!         <footer><ChangeConsentLink/></footer>
//!     }
//! }
//! ```
//!
//! Style: [`<ConsentStyles/>`](ConsentStyles) in the shell's `<head>` inlines the
//! stylesheet with the CSP nonce (or serve it as a file, see [`style`]); it is themed
//! through CSS custom properties (`--lc-*`). The README is the guide: a quick start from
//! the start-axum template (`examples/start-axum`), the consent log, the cookie registry,
//! gated scripts, tracking and its delivery.
//!
//! ## Features
//!
//! Enable the server features **only** from your app's own `ssr` feature
//! (`ssr = ["leptos-consent/ssr", …]`), so that none of them reaches the WASM bundle. The
//! browser build is the crate without features; there is no `hydrate` feature.
//!
//! | Feature | What it adds | Pulls in |
//! |---|---|---|
//! | `ssr` | The core of the server half: [`ConsentConfig`], the signed consent cookie, [`ConsentLayer`], the [`endpoints`]' bodies, the banner, the grid from the native [`registry`] | axum, tower, cookie, hmac/sha2, psl |
//! | `log` | The GDPR consent [`log`], its fallback journal, retention, the per-client limit on decisions | the store, governor |
//! | `registry` | Shop-local [`registry`] entries in the store, cached per process | the store |
//! | `admin` | The bearer-token [`admin`] endpoints of the log, the registry (with its OpenAPI document) and the outbox | utoipa |
//! | `console` | The privacy [`console`]: web pages for privacy staff (records of consent, audit trail) | csv |
//! | `tracking` | The server half of [`tracking`]: ids, server-side events, the collect endpoint, the in-process [`dispatch`]er | governor |
//! | `outbox` | The durable tracking outbox in the store | the store |
//! | `raptor`, `webhook` | The Raptor-style GET and the JSON webhook providers | reqwest (rustls) |
//! | `sqlite`, `postgres` | The [`store`]'s backends; the log, the registry and the outbox need one | sqlx |
//! | `full` | All of the above | |
//!
//! ## Where things are
//!
//! What a shop uses every day is at the root: the components, [`provide_consent`] and
//! [`use_consent`], the consent model ([`Category`], [`ConsentState`], …), [`use_tracker`],
//! and on the server [`ConsentConfig`] and [`ConsentLayer`]. The rest lives in modules named
//! after what they are: [`texts`], [`style`], [`tracking`], [`endpoints`], [`middleware`], and with
//! their features [`log`], [`registry`], [`admin`], [`dispatch`], [`store`].

#![deny(missing_docs)]
#![forbid(unsafe_code)]
#![warn(unreachable_pub)]
#![cfg_attr(docsrs, feature(doc_cfg))]

#[cfg(all(feature = "store", not(any(feature = "sqlite", feature = "postgres"))))]
compile_error!(
    "leptos-consent: the log, registry and outbox features keep their data in a store; \
     enable `sqlite`, `postgres` or both"
);

#[cfg(feature = "admin")]
#[cfg_attr(docsrs, doc(cfg(feature = "admin")))]
pub mod admin;
mod bootstrap;
#[cfg(not(feature = "ssr"))]
mod client;
mod components;
mod consent;
#[cfg(feature = "console")]
#[cfg_attr(docsrs, doc(cfg(feature = "console")))]
pub mod console;
mod context;
#[cfg(feature = "tracking")]
#[cfg_attr(docsrs, doc(cfg(feature = "tracking")))]
pub mod dispatch;
pub mod endpoints;
#[cfg(feature = "log")]
#[cfg_attr(docsrs, doc(cfg(feature = "log")))]
pub mod log;
mod protocol;
#[cfg(any(feature = "log", feature = "tracking"))]
mod rate_limit;
#[cfg(feature = "ssr")]
#[cfg_attr(docsrs, doc(cfg(feature = "ssr")))]
pub mod registry;
#[cfg(feature = "ssr")]
mod server;
#[cfg(feature = "store")]
#[cfg_attr(docsrs, doc(cfg(feature = "store")))]
pub mod store;
pub mod style;
pub mod texts;
pub mod tracking;
mod url;

pub use components::*;
pub use consent::{
    Category, CategorySet, ConsentAction, ConsentDecision, ConsentMode, ConsentState, DecideError,
    InvalidChoice, Service, ServiceSet, Submission, UnknownAction, UnknownCategory,
};
pub use context::{ConsentContext, provide_consent, use_consent};
#[cfg(feature = "ssr")]
#[cfg_attr(docsrs, doc(cfg(feature = "ssr")))]
pub use server::{
    ClientIp, ConfigError, ConsentConfig, ConsentConfigBuilder, ConsentLayer, CookieRejection,
    PageLocale, PolicyFingerprint, middleware,
};
pub(crate) use texts::ConsentTexts;
pub use tracking::{Event, EventKind, Tracker, use_tracker};

pub use uuid::Uuid;

/// Every Rust snippet of the README compiles (and runs where it can) as a doctest.
#[cfg(all(doctest, feature = "full"))]
#[doc = include_str!("../README.md")]
mod readme {}

/// The query parameter that resets a decision: `?ChangeCookiePolicyConsent=1` on any URL.
///
/// [`ChangeConsentLink`] writes such links; a shop's own link works the same:
///
/// ```
/// use leptos_consent::CHANGE_CONSENT_PARAM;
///
/// let link = format!("/privacy?{CHANGE_CONSENT_PARAM}=1");
/// assert_eq!(link, "/privacy?ChangeCookiePolicyConsent=1");
/// ```
pub const CHANGE_CONSENT_PARAM: &str = "ChangeCookiePolicyConsent";

/// The query parameter that hides the banner on one page: `?HideCookieDialog=1`.
///
/// ```
/// use leptos_consent::{ConsentConfig, HIDE_DIALOG_PARAM};
///
/// // The cookie policy page, linked from the banner, shows no banner over itself.
/// let policy = format!("/terms?{HIDE_DIALOG_PARAM}=1#cookieconsent");
/// let config = ConsentConfig::builder().secret([7; 32]).policy_url(&policy).build()?;
/// assert_eq!(config.policy_url(), Some("/terms?HideCookieDialog=1#cookieconsent"));
/// # Ok::<(), leptos_consent::ConfigError>(())
/// ```
pub const HIDE_DIALOG_PARAM: &str = "HideCookieDialog";
