//! The privacy console (feature `console`): web pages for the shop's privacy staff, mounted
//! under a path of the shop's choice. Server-rendered HTML with plain forms: it works without
//! JavaScript and adds nothing to the shop's WASM bundle. A small script of its own
//! (`in_place.js`, 6 kB, served by the console) updates its pages in place
//! and previews a cookie entry in the grid as staff type.
//!
//! - [`access`]: who may use it, the shop's own staff login (a hook) or the built-in login
//!   with the admin token; the session cookie; the CSRF token of every form.
//! - [`audit`]: every action, who took it, when, on how many rows.
//! - `overview`: consent analytics from the log's daily counts, charts drawn on the server
//!   (`charts`).
//! - `records`: records of consent: search, show, export, erase, purge.
//! - `cookies`: the registry, the shop's entries, and what the [`scanner`] saw that no entry
//!   describes.
//! - `tracking`: the outbox's status and dead letters (with the `outbox` feature).
//! - `page`: the layout every page shares.
//! - `texts`: its words in the staff member's language (the banner's 26 languages).
//!
//! ```no_run
//! # use leptos_consent::{admin::AdminToken, console::PrivacyConsole, log::ConsentLog};
//! # fn mount(app: axum::Router, log: ConsentLog, token: AdminToken) -> axum::Router {
//! let console = PrivacyConsole::builder("/admin/privacy", log)
//!     .secret(std::env::var("CONSENT_SECRET").unwrap())
//!     .token(token)
//!     .build()
//!     .expect("a console setting");
//! app.merge(console.router())
//! # }
//! ```

pub mod access;
pub mod audit;
mod charts;
mod cookies;
mod overview;
mod page;
mod records;
pub mod scanner;
mod texts;
#[cfg(feature = "outbox")]
mod tracking;

use std::sync::Arc;

use axum::{
    Router,
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Redirect, Response},
    routing::get,
};

use self::scanner::CookieScanner;
use self::{
    access::{Access, Authorize, Staff},
    audit::AuditTrail,
};
use crate::{
    admin::AdminToken,
    log::ConsentLog,
    registry::CookieRegistry,
    server::{ClientIp, signing::Signer},
};

/// The privacy console, ready to mount with [`router`](Self::router). Cheap to clone.
#[derive(Clone)]
pub struct PrivacyConsole {
    inner: Arc<Console>,
}

/// What every console handler works with.
pub(crate) struct Console {
    /// Where the shop mounted it, e.g. `/admin/privacy` (no trailing slash).
    pub(crate) base: String,
    pub(crate) access: Access,
    pub(crate) audit: AuditTrail,
    pub(crate) log: ConsentLog,
    pub(crate) registry: Option<CookieRegistry>,
    pub(crate) scanner: Option<CookieScanner>,
    #[cfg(feature = "outbox")]
    pub(crate) outbox: Option<crate::dispatch::Outbox>,
}

impl Console {
    /// The console path of `page` (`""` for the console's start).
    pub(crate) fn path(&self, page: &str) -> String {
        format!("{}{page}", self.base)
    }

    /// Whether it shows the tracking outbox.
    pub(crate) fn has_tracking(&self) -> bool {
        #[cfg(feature = "outbox")]
        return self.outbox.is_some();
        #[cfg(not(feature = "outbox"))]
        false
    }
}

/// What [`PrivacyConsoleBuilder::build`] refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ConsoleError {
    /// Neither a token nor a staff login hook: nobody could use it (mount nothing instead).
    #[error("the privacy console needs a way in: an admin token, a staff login hook, or both")]
    NoAccess,
    /// No signing secret, or one shorter than 32 bytes.
    #[error(
        "the privacy console needs a signing secret of at least 32 bytes (the consent secret serves)"
    )]
    Secret,
    /// The mount path is not an absolute path without a trailing slash, query or fragment.
    #[error("the console's path {0:?} must start with '/', not end with one, and hold only a path")]
    Path(String),
}

/// Sets up a [`PrivacyConsole`].
pub struct PrivacyConsoleBuilder {
    base: String,
    log: ConsentLog,
    secret: Option<Vec<u8>>,
    token: Option<AdminToken>,
    authorize: Option<Authorize>,
    secure: bool,
    client_ip: ClientIp,
    registry: Option<CookieRegistry>,
    scanner: Option<CookieScanner>,
    #[cfg(feature = "outbox")]
    outbox: Option<crate::dispatch::Outbox>,
}

impl PrivacyConsole {
    /// A console mounted at `base` (e.g. `/admin/privacy`) over the consent `log`.
    pub fn builder(base: impl Into<String>, log: ConsentLog) -> PrivacyConsoleBuilder {
        PrivacyConsoleBuilder {
            base: base.into(),
            log,
            secret: None,
            token: None,
            authorize: None,
            secure: true,
            client_ip: ClientIp::default(),
            registry: None,
            scanner: None,
            #[cfg(feature = "outbox")]
            outbox: None,
        }
    }

    /// The console's routes, at their full paths under its base: merge them into the
    /// shop's router (`app.merge(console.router())`).
    pub fn router(&self) -> Router {
        let console = self.inner.clone();
        let path = |page: &str| console.path(page);
        let router = Router::new()
            .route(&path(""), get(start))
            .route(&path("/"), get(start))
            .route(&path("/console.css"), get(stylesheet))
            .route(&path(IN_PLACE_SCRIPT), get(in_place_script))
            .route(&path("/login"), get(access::login_form).post(access::login))
            .route(&path("/logout"), axum::routing::post(access::logout))
            .route(&path(START), get(overview::page))
            .route(&path("/audit"), get(audit::page))
            .merge(records::routes(&console))
            .merge(cookies::routes(&console));
        #[cfg(feature = "outbox")]
        let router = router.merge(tracking::routes(&console));
        router
            .route_layer(axum::middleware::from_fn(texts::in_language))
            .with_state(console.clone())
    }
}

impl PrivacyConsoleBuilder {
    /// The key its cookies are signed with: 32 bytes or more, the same on every instance
    /// (the consent secret serves; the console derives its own key from it).
    pub fn secret(mut self, secret: impl AsRef<[u8]>) -> Self {
        self.secret = Some(secret.as_ref().to_vec());
        self
    }

    /// The built-in login: staff sign in with the admin token and get a signed, `HttpOnly`,
    /// `SameSite=Strict` session cookie for 30 minutes.
    pub fn token(mut self, token: AdminToken) -> Self {
        self.token = Some(token);
        self
    }

    /// The shop's own staff login: `authorize` reads a request's headers (the shop's session
    /// cookie) and names the staff member, or `None` for anybody else. Asked first on every
    /// console request; the token login, when configured too, is the fallback.
    ///
    /// ```no_run
    /// # use leptos_consent::{console::{PrivacyConsole, access::Staff}, log::ConsentLog};
    /// # fn setup(log: ConsentLog) {
    /// let console = PrivacyConsole::builder("/admin/privacy", log)
    ///     .secret([7u8; 32])
    ///     .authorize(|headers| {
    ///         let name = headers
    ///             .get("x-staff-user") // your own staff session's lookup goes here
    ///             .and_then(|v| v.to_str().ok())
    ///             .map(|name| Staff::new(name));
    ///         async move { name }
    ///     })
    ///     .build();
    /// # }
    /// ```
    pub fn authorize<F, Fut>(mut self, authorize: F) -> Self
    where
        F: Fn(&HeaderMap) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Option<Staff>> + Send + 'static,
    {
        self.authorize = Some(Arc::new(move |headers: &HeaderMap| {
            Box::pin(authorize(headers)) as access::StaffFuture
        }));
        self
    }

    /// Whether its cookies are `Secure` (on by default; off only for plain-HTTP
    /// development).
    pub fn secure(mut self, secure: bool) -> Self {
        self.secure = secure;
        self
    }

    /// How it tells who is signing in, to refuse a client that tries more than
    /// [`SIGN_INS_PER_MINUTE`](access::SIGN_INS_PER_MINUTE) tokens a minute: the TCP peer by
    /// default; behind the shop's reverse proxies, the setting the consent layer uses.
    pub fn client_ip(mut self, client_ip: ClientIp) -> Self {
        self.client_ip = client_ip;
        self
    }

    /// The cookie registry: the cookies page lists it and adds and deletes the shop's own
    /// entries.
    pub fn registry(mut self, registry: CookieRegistry) -> Self {
        self.registry = Some(registry);
        self
    }

    /// The cookie scanner: the cookies page lists the names it saw that no entry describes.
    pub fn scanner(mut self, scanner: CookieScanner) -> Self {
        self.scanner = Some(scanner);
        self
    }

    /// The tracking outbox: an erasure then deletes the person's tracked events too.
    #[cfg(feature = "outbox")]
    #[cfg_attr(docsrs, doc(cfg(feature = "outbox")))]
    pub fn outbox(mut self, outbox: crate::dispatch::Outbox) -> Self {
        self.outbox = Some(outbox);
        self
    }

    /// The console, or what is missing.
    pub fn build(self) -> Result<PrivacyConsole, ConsoleError> {
        if self.token.is_none() && self.authorize.is_none() {
            return Err(ConsoleError::NoAccess);
        }
        let secret = self
            .secret
            .filter(|secret| secret.len() >= 32)
            .ok_or(ConsoleError::Secret)?;
        let valid_path = self.base.starts_with('/')
            && !self.base.ends_with('/')
            && !self.base.contains(['?', '#', '"', '<', '>', '\'', ' '])
            && !self.base.contains("//");
        if !valid_path {
            return Err(ConsoleError::Path(self.base));
        }
        let key = crate::server::signing::derive_key(&secret, "leptos-consent privacy console");
        let store = self.log.store().clone();
        warm_up(&self.log);
        Ok(PrivacyConsole {
            inner: Arc::new(Console {
                access: Access::new(
                    self.token,
                    self.authorize,
                    Signer::new(&key),
                    store.clone(),
                    self.secure,
                    self.base.clone(),
                    self.client_ip,
                ),
                audit: AuditTrail::new(store),
                base: self.base,
                log: self.log,
                registry: self.registry,
                scanner: self.scanner,
                #[cfg(feature = "outbox")]
                outbox: self.outbox,
            }),
        })
    }
}

/// Counts the days of the longest overview period in the background, so that the first
/// overview a staff member opens reads kept counts (on a large log, counting 90 days the
/// first time takes seconds). Outside a Tokio runtime it leaves that to the first overview.
fn warm_up(log: &ConsentLog) {
    let Ok(runtime) = tokio::runtime::Handle::try_current() else {
        return;
    };
    let log = log.clone();
    runtime.spawn(async move {
        let today = time::OffsetDateTime::now_utc().date();
        let from = today - time::Duration::days(i64::from(overview::LONGEST_PERIOD) - 1);
        if let Err(error) = log
            .daily_counts(from, today + time::Duration::days(1))
            .await
        {
            tracing::warn!(%error, "the console could not count the consent log's days yet");
        }
    });
}

/// The console's first page: the overview.
pub(crate) const START: &str = "/overview";

/// The console's start: its first page.
async fn start(console: axum::extract::State<Arc<Console>>) -> Redirect {
    Redirect::to(&console.path(START))
}

/// The console's stylesheet (the crate's CSS conventions: `lc-` classes, custom
/// properties), after the crate's own, which the grid's preview uses.
async fn stylesheet() -> impl IntoResponse {
    static BOTH: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
        format!(
            "{}\n{}",
            crate::style::STYLESHEET,
            include_str!("../../style/privacy-console.css")
        )
    });
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "private, max-age=3600"),
        ],
        BOTH.as_str(),
    )
}

/// Where the console serves its script.
pub(crate) const IN_PLACE_SCRIPT: &str = "/in-place.js";

/// The console's script: links and forms answered in place, the entry form's live preview.
async fn in_place_script() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "private, max-age=3600"),
        ],
        include_str!("in_place.js"),
    )
}

/// A `404` page for a section this console does not have.
#[cfg_attr(not(feature = "outbox"), allow(dead_code))]
pub(crate) fn not_found(console: &Console, signed_in: &access::SignedIn) -> Response {
    page::for_staff(
        console,
        signed_in,
        StatusCode::NOT_FOUND,
        texts::texts().page.not_here,
        page::message(texts::texts().page.no_such_page.to_owned(), None),
    )
}

/// A `503` page for a database that failed (the cause goes to the server's log).
pub(crate) fn store_failure(error: &crate::store::StoreError) -> Response {
    tracing::error!(%error, "privacy console request failed in the database");
    (
        StatusCode::SERVICE_UNAVAILABLE,
        texts::texts().page.unavailable,
    )
        .into_response()
}
