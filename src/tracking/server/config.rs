//! How a shop tracks: [`TrackingConfig`] and its builder, and what the core asks of it.

use std::{any::Any, collections::BTreeSet, fmt, num::NonZeroU32, sync::Arc};

use http::{HeaderMap, HeaderValue, Uri};

use super::{CookieDomain, EventSink};
use crate::{
    Category, CategorySet, ConsentConfig, ConsentConfigBuilder, Event, EventKind,
    rate_limit::ClientLimiter,
    registry::{CookieEntry, Lifetime, own_entry},
    server::RequestTracking,
    server::TrackingHook,
    server::cookies::{is_cookie_domain, is_cookie_name},
    tracking::TrackerSettings,
    tracking::{EventName, InvalidEventName, VisitorId},
};

/// The names of the id cookies.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct CookieNames {
    pub(crate) visitor: String,
    pub(crate) session: String,
    pub(crate) user: String,
    pub(crate) reaid: String,
    pub(crate) xuid: String,
}

impl CookieNames {
    /// Every name: visitor, session, user, reaid, xuid.
    pub(crate) fn all(&self) -> [&str; 5] {
        [
            &self.visitor,
            &self.session,
            &self.user,
            &self.reaid,
            &self.xuid,
        ]
    }
}

/// How a shop tracks: its id cookies, the consent they need, where events go. Build it
/// with [`TrackingConfig::builder`] and hand it to
/// [`ConsentConfigBuilder::tracking`](crate::ConsentConfigBuilder::tracking). Cheap to clone.
///
/// ```
/// use std::sync::Arc;
/// use leptos_consent::{Category, ConsentConfig, dispatch::{Outbox, RaptorProvider}, store::Store, tracking::TrackingConfig};
///
/// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let dir = tempfile::tempdir()?;
/// # let url = format!("sqlite://{}", dir.path().join("shop.db").display());
/// let store = Store::connect(&url).await?;
/// let provider = RaptorProvider::new("https://t.raptorsmartadvisor.com", "1234")?;
/// let outbox = Outbox::builder(store, Arc::new(provider)).start();
/// let tracking = TrackingConfig::builder(outbox)
///     .consent_category(Category::Statistics)
///     .shop_domains(["nordlys.example"])
///     .require_opt_in(true)
///     .build()?;
/// let config = ConsentConfig::builder().secret([7; 32]).tracking(tracking).build()?;
/// assert!(config.tracking().is_some());
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct TrackingConfig {
    inner: Arc<Inner>,
}

impl TrackingConfig {
    /// The default name of the visitor id cookie (12 months, renewed on every visit).
    pub const DEFAULT_VISITOR_COOKIE: &'static str = "cemv";
    /// The default name of the session id cookie (20 minutes, renewed on every visit).
    pub const DEFAULT_SESSION_COOKIE: &'static str = "cems";
    /// The default name of the user id cookie (`ruid`, set on identify).
    pub const DEFAULT_USER_COOKIE: &'static str = "ruid";
    /// The default name of the e-mail campaign id cookie (from `?reaid=`).
    pub const DEFAULT_REAID_COOKIE: &'static str = "reaid";
    /// The default name of the external user id cookie (from `?xuid=`).
    pub const DEFAULT_XUID_COOKIE: &'static str = "xuid";
    /// How long the visitor, user and campaign cookies live: 12 months.
    pub const ID_LIFETIME_DAYS: u32 = 365;
    /// The default sliding session: 20 minutes from the last visit.
    pub const DEFAULT_SESSION_MINUTES: u32 = 20;
    /// The default limit of collect requests per client IP address and minute.
    pub const DEFAULT_COLLECTS_PER_MINUTE: u32 = 120;
    /// The largest batch, in bytes of JSON.
    pub const MAX_BATCH_BYTES: usize = 32 * 1024;
    /// The most events in one batch.
    pub const MAX_BATCH_EVENTS: usize = 50;
    /// The longest id a cookie or the query string may hold, in bytes.
    pub const MAX_ID_LEN: usize = crate::tracking::ids::MAX_ID_LEN;
}

struct Inner {
    names: CookieNames,
    write_cookies: bool,
    category: Category,
    essential_ids: bool,
    domain: CookieDomain,
    shop_domains: Vec<String>,
    require_opt_in: bool,
    http_only: bool,
    session_minutes: u32,
    sink: Arc<dyn EventSink>,
    limiter: Option<ClientLimiter>,
    custom_events: BTreeSet<EventName>,
}

impl fmt::Debug for TrackingConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &self.inner;
        f.debug_struct("TrackingConfig")
            .field("names", &inner.names)
            .field("write_cookies", &inner.write_cookies)
            .field("category", &inner.category)
            .field("essential_ids", &inner.essential_ids)
            .field("domain", &inner.domain)
            .field("shop_domains", &inner.shop_domains)
            .field("require_opt_in", &inner.require_opt_in)
            .field("custom_events", &inner.custom_events)
            .finish_non_exhaustive()
    }
}

impl TrackingConfig {
    /// A builder whose events go to `sink`: an [`Outbox`](crate::dispatch::Outbox) (durable),
    /// or an [`InProcessDispatcher`](crate::dispatch::InProcessDispatcher) (memory only).
    pub fn builder(sink: impl EventSink) -> TrackingConfigBuilder {
        TrackingConfigBuilder {
            names: CookieNames {
                visitor: TrackingConfig::DEFAULT_VISITOR_COOKIE.to_owned(),
                session: TrackingConfig::DEFAULT_SESSION_COOKIE.to_owned(),
                user: TrackingConfig::DEFAULT_USER_COOKIE.to_owned(),
                reaid: TrackingConfig::DEFAULT_REAID_COOKIE.to_owned(),
                xuid: TrackingConfig::DEFAULT_XUID_COOKIE.to_owned(),
            },
            write_cookies: true,
            category: Category::Tracking,
            essential_ids: false,
            domain: CookieDomain::Registrable,
            shop_domains: Vec::new(),
            require_opt_in: false,
            http_only: true,
            session_minutes: TrackingConfig::DEFAULT_SESSION_MINUTES,
            sink: Arc::new(sink),
            collects_per_minute: Some(TrackingConfig::DEFAULT_COLLECTS_PER_MINUTE),
            custom_events: Vec::new(),
        }
    }

    /// The category whose consent ids and events need.
    pub fn consent_category(&self) -> Category {
        self.inner.category
    }

    /// Whether the crate writes the id cookies (`false`: it reads the shop's own).
    pub fn writes_cookies(&self) -> bool {
        self.inner.write_cookies
    }

    /// Whether events of this kind are taken: every built-in kind, and the custom events the
    /// shop declared ([`TrackingConfigBuilder::custom_events`]).
    pub fn takes(&self, event: &Event) -> bool {
        match &event.kind {
            EventKind::Custom(name) => self.inner.custom_events.contains(name),
            _ => true,
        }
    }

    /// Whether the ids are written without consent (the shop declared them essential).
    pub fn ids_are_essential(&self) -> bool {
        self.inner.essential_ids
    }

    /// Whether the browser holds a page's events until the shopper opts in.
    pub fn requires_opt_in(&self) -> bool {
        self.inner.require_opt_in
    }

    /// Where accepted events go.
    pub fn sink(&self) -> &Arc<dyn EventSink> {
        &self.inner.sink
    }

    pub(crate) fn names(&self) -> &CookieNames {
        &self.inner.names
    }

    pub(crate) fn session_secs(&self) -> i64 {
        i64::from(self.inner.session_minutes) * 60
    }

    pub(crate) fn http_only(&self) -> bool {
        self.inner.http_only
    }

    pub(crate) fn domain(&self) -> &CookieDomain {
        &self.inner.domain
    }

    pub(crate) fn shop_domains(&self) -> &[String] {
        &self.inner.shop_domains
    }

    pub(crate) fn limiter(&self) -> Option<&ClientLimiter> {
        self.inner.limiter.as_ref()
    }

    /// The registry entries of the id cookies the crate writes (none when it reads the
    /// shop's own): in the consent category, or necessary when declared essential.
    pub(crate) fn cookie_entries(&self) -> Vec<CookieEntry> {
        if !self.writes_cookies() {
            return Vec::new();
        }
        let category = if self.ids_are_essential() {
            Category::System
        } else {
            self.consent_category()
        };
        let names = self.names();
        let year = Lifetime::days(TrackingConfig::ID_LIFETIME_DAYS);
        // The session slides: each page starts its minutes again.
        let session = Lifetime::seconds(u64::from(self.inner.session_minutes) * 60).renewed();
        [
            (&names.visitor, year.renewed(), [
                "Recognises your browser on the next visit (a random id, 12 months from the last visit).",
                "Genkender din browser ved næste besøg (et tilfældigt id, 12 måneder fra sidste besøg).",
            ]),
            (&names.session, session, [
                "Groups the pages of one visit (a random id, 20 minutes from the last page).",
                "Samler siderne fra ét besøg (et tilfældigt id, 20 minutter fra sidste side).",
            ]),
            (&names.user, year, [
                "Set when you sign up or check out: a coded customer id (never your e-mail address in clear text).",
                "Sættes, når du tilmelder dig eller handler: et kodet kunde-id (aldrig din e-mailadresse i klar tekst).",
            ]),
            (&names.reaid, year, [
                "Set when you arrive from one of our newsletters: the newsletter's id for you.",
                "Sættes, når du kommer fra et af vores nyhedsbreve: nyhedsbrevets id for dig.",
            ]),
            (&names.xuid, year, [
                "Set when you arrive from a loyalty programme's link: its id for you.",
                "Sættes, når du kommer fra et link i et loyalitetsprogram: dets id for dig.",
            ]),
        ]
        .into_iter()
        .map(|(name, lifetime, texts)| own_entry(name, category, lifetime, texts))
        .collect()
    }
}

impl TrackingHook for TrackingConfig {
    fn read(
        &self,
        secure: bool,
        uri: &Uri,
        headers: &HeaderMap,
        granted: CategorySet,
        visit: bool,
    ) -> (RequestTracking, Vec<HeaderValue>) {
        self.resolve(secure, uri, headers, granted, visit)
    }

    fn after_decision(
        &self,
        secure: bool,
        headers: &HeaderMap,
        granted: CategorySet,
    ) -> (Option<VisitorId>, Vec<HeaderValue>) {
        let (ids, cookies) = self.ids_after_decision(secure, headers, granted);
        (ids.map(|ids| ids.visitor), cookies)
    }

    fn visitor_kept(&self, headers: &HeaderMap, granted: CategorySet) -> Option<VisitorId> {
        TrackingConfig::visitor_kept(self, headers, granted)
    }

    fn tracker_settings(&self, request: &RequestTracking) -> TrackerSettings {
        TrackerSettings {
            category: self.inner.category,
            require_opt_in: self.inner.require_opt_in,
            server_emits: request.emits(),
        }
    }

    fn cookie_entries(&self) -> Vec<CookieEntry> {
        TrackingConfig::cookie_entries(self)
    }

    fn needs_client_address(&self) -> bool {
        self.inner.limiter.is_some()
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

impl ConsentConfigBuilder {
    /// Tracks the shoppers with these settings (feature `tracking`): the
    /// [`ConsentLayer`](crate::ConsentLayer) then reads and writes the id cookies, and
    /// [`Tracker`](crate::Tracker) emits events.
    pub fn tracking(self, tracking: TrackingConfig) -> Self {
        self.tracking_hook(Arc::new(tracking))
    }
}

impl ConsentConfig {
    /// The tracking context's configuration, when the shop tracks (feature `tracking`).
    pub fn tracking(&self) -> Option<&TrackingConfig> {
        self.tracking_hook()?.as_any().downcast_ref()
    }
}

/// Builds a [`TrackingConfig`]; [`TrackingConfigBuilder::build`] checks every setting.
#[must_use]
pub struct TrackingConfigBuilder {
    names: CookieNames,
    write_cookies: bool,
    category: Category,
    essential_ids: bool,
    domain: CookieDomain,
    shop_domains: Vec<String>,
    require_opt_in: bool,
    http_only: bool,
    session_minutes: u32,
    sink: Arc<dyn EventSink>,
    collects_per_minute: Option<u32>,
    custom_events: Vec<String>,
}

impl TrackingConfigBuilder {
    /// The visitor id cookie's name (default `cemv`).
    pub fn visitor_cookie(mut self, name: impl Into<String>) -> Self {
        self.names.visitor = name.into();
        self
    }

    /// The session id cookie's name (default `cems`).
    pub fn session_cookie(mut self, name: impl Into<String>) -> Self {
        self.names.session = name.into();
        self
    }

    /// The user id cookie's name (default `ruid`).
    pub fn user_cookie(mut self, name: impl Into<String>) -> Self {
        self.names.user = name.into();
        self
    }

    /// The e-mail campaign id cookie's name (default `reaid`).
    pub fn reaid_cookie(mut self, name: impl Into<String>) -> Self {
        self.names.reaid = name.into();
        self
    }

    /// The external user id cookie's name (default `xuid`).
    pub fn xuid_cookie(mut self, name: impl Into<String>) -> Self {
        self.names.xuid = name.into();
        self
    }

    /// `false`: the crate writes no cookie and reads the ids from the shop's own cookies
    /// (named with the setters above), which the shop sets, for instance only after
    /// consent. Requests without both a visitor and a session cookie then emit no events.
    pub fn write_cookies(mut self, write: bool) -> Self {
        self.write_cookies = write;
        self
    }

    /// The category whose consent ids and events need: [`Category::Tracking`] (default)
    /// or [`Category::Statistics`].
    pub fn consent_category(mut self, category: Category) -> Self {
        self.category = category;
        self
    }

    /// The shop declares the id cookies essential for its working: they are written without
    /// consent (and listed as necessary). Events still need the consent category.
    pub fn essential_ids(mut self, essential: bool) -> Self {
        self.essential_ids = essential;
        self
    }

    /// On which domain the id cookies are set (default: the registrable domain).
    pub fn cookie_domain(mut self, domain: CookieDomain) -> Self {
        self.domain = domain;
        self
    }

    /// The shop's domains (`nordlys.example`). The registrable domain is only taken from a
    /// `Host` that is one of them or below one; other hosts get host-only cookies. Without
    /// any, every host is taken as it comes (browsers refuse a `Domain` that is not the
    /// host's own).
    pub fn shop_domains<I, S>(mut self, domains: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.shop_domains = domains
            .into_iter()
            .map(|d| d.into().trim_start_matches('.').to_ascii_lowercase())
            .collect();
        self
    }

    /// Holds the browser's events in memory until the shopper opts in, then sends them;
    /// a page left without opting in never sends its events. Without it (default), events
    /// of a page without consent are dropped at once.
    pub fn require_opt_in(mut self, require: bool) -> Self {
        self.require_opt_in = require;
        self
    }

    /// Whether scripts can read the id cookies (default: they cannot, `HttpOnly`). Turn it
    /// off for a provider's own JavaScript tracker that reads `cemv`/`cems`.
    pub fn http_only(mut self, http_only: bool) -> Self {
        self.http_only = http_only;
        self
    }

    /// The sliding session's length in minutes (default 20).
    pub fn session_minutes(mut self, minutes: u32) -> Self {
        self.session_minutes = minutes;
        self
    }

    /// Collect requests per client IP address and minute (default 120).
    pub fn collects_per_minute(mut self, limit: u32) -> Self {
        self.collects_per_minute = Some(limit);
        self
    }

    /// No limit on collect requests (behind a proxy that limits them).
    pub fn no_collect_limit(mut self) -> Self {
        self.collects_per_minute = None;
        self
    }

    /// The shop's own event names ([`EventKind::Custom`](crate::EventKind::Custom)), added to
    /// those declared before. Only declared names are taken: the collect endpoint answers
    /// `400` to others (a browser cannot invent events for the provider), and server-side
    /// tracking drops them with a warning. Each name is checked by [`build`](Self::build)
    /// (see [`EventName::new`]).
    ///
    /// ```
    /// use leptos_consent::{Event, EventKind, tracking::TrackingConfig};
    /// # use leptos_consent::tracking::{BoxFuture, EventSink, SinkError, TrackedEvent};
    /// # struct Sink;
    /// # impl EventSink for Sink {
    /// #     fn accept(&self, _: Vec<TrackedEvent>) -> BoxFuture<'_, Result<(), SinkError>> {
    /// #         Box::pin(async { Ok(()) })
    /// #     }
    /// # }
    ///
    /// let tracking = TrackingConfig::builder(Sink) // the shop's outbox
    ///     .custom_events(["wishlist_add", "newsletter_signup"])
    ///     .build()?;
    /// assert!(tracking.takes(&Event::custom("wishlist_add")?));
    /// assert!(!tracking.takes(&Event::custom("made_up")?));
    /// assert!(tracking.takes(&Event::new(EventKind::Purchase)));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn custom_events<I, S>(mut self, names: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.custom_events.extend(names.into_iter().map(Into::into));
        self
    }

    /// Checks every setting and builds the configuration.
    pub fn build(self) -> Result<TrackingConfig, TrackingConfigError> {
        let names = &self.names;
        if let Some(bad) = names.all().into_iter().find(|n| !is_cookie_name(n)) {
            return Err(TrackingConfigError::InvalidCookieName(bad.to_owned()));
        }
        let mut unique = names.all();
        unique.sort_unstable();
        if unique.windows(2).any(|pair| pair[0] == pair[1]) {
            return Err(TrackingConfigError::DuplicateCookieName);
        }
        if !matches!(self.category, Category::Tracking | Category::Statistics) {
            return Err(TrackingConfigError::InvalidCategory(self.category));
        }
        if let CookieDomain::Fixed(domain) = &self.domain
            && !is_cookie_domain(domain)
        {
            return Err(TrackingConfigError::InvalidDomain(domain.clone()));
        }
        if let Some(bad) = self.shop_domains.iter().find(|d| !is_cookie_domain(d)) {
            return Err(TrackingConfigError::InvalidDomain(bad.clone()));
        }
        if !(1..=24 * 60).contains(&self.session_minutes) {
            return Err(TrackingConfigError::InvalidSession(self.session_minutes));
        }
        let custom_events = self
            .custom_events
            .into_iter()
            .map(EventName::new)
            .collect::<Result<_, _>>()
            .map_err(TrackingConfigError::InvalidEventName)?;
        let limiter = match self.collects_per_minute {
            None => None,
            Some(limit) => Some(ClientLimiter::new(
                NonZeroU32::new(limit).ok_or(TrackingConfigError::InvalidRateLimit)?,
            )),
        };
        Ok(TrackingConfig {
            inner: Arc::new(Inner {
                names: self.names,
                write_cookies: self.write_cookies,
                category: self.category,
                essential_ids: self.essential_ids,
                domain: self.domain,
                shop_domains: self.shop_domains,
                require_opt_in: self.require_opt_in,
                http_only: self.http_only,
                session_minutes: self.session_minutes,
                sink: self.sink,
                limiter,
                custom_events,
            }),
        })
    }
}

/// A tracking setting [`TrackingConfigBuilder::build`] refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TrackingConfigError {
    /// A cookie name has characters outside `A-Z a-z 0-9 _ -` or is longer than 64.
    #[error("invalid id cookie name {0:?}: use 1 to 64 letters, digits, '_' or '-'")]
    InvalidCookieName(String),
    /// Two id cookies share a name.
    #[error("the visitor, session, user, reaid and xuid cookies need five different names")]
    DuplicateCookieName,
    /// Ids and events need `tracking` or `statistics` consent.
    #[error("tracking consent is \"tracking\" or \"statistics\", not {0:?}")]
    InvalidCategory(Category),
    /// A cookie or shop domain is not a host name.
    #[error("invalid domain {0:?}: use a host name such as shop.example")]
    InvalidDomain(String),
    /// A session of 0 minutes or longer than a day.
    #[error("a session of {0} minutes is not allowed: use 1 to 1440")]
    InvalidSession(u32),
    /// A limit of 0 collect requests.
    #[error(
        "a limit of 0 collect requests per minute drops every event; use no_collect_limit() to turn it off"
    )]
    InvalidRateLimit,
    /// A custom event name [`EventName::new`] refuses.
    #[error("custom events: {0}")]
    InvalidEventName(InvalidEventName),
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tracking::server::DroppingSink;

    #[test]
    fn bad_settings_are_refused() {
        let builder = || TrackingConfig::builder(DroppingSink);
        assert!(builder().build().is_ok());
        assert_eq!(
            builder().visitor_cookie("a b").build().unwrap_err(),
            TrackingConfigError::InvalidCookieName("a b".into())
        );
        assert_eq!(
            builder().session_cookie("cemv").build().unwrap_err(),
            TrackingConfigError::DuplicateCookieName
        );
        assert!(matches!(
            builder().consent_category(Category::Functional).build(),
            Err(TrackingConfigError::InvalidCategory(_))
        ));
        assert!(matches!(
            builder()
                .cookie_domain(CookieDomain::Fixed("a;b".into()))
                .build(),
            Err(TrackingConfigError::InvalidDomain(_))
        ));
        assert!(matches!(
            builder().session_minutes(0).build(),
            Err(TrackingConfigError::InvalidSession(0))
        ));
        assert_eq!(
            builder().collects_per_minute(0).build().unwrap_err(),
            TrackingConfigError::InvalidRateLimit
        );
        assert!(matches!(
            builder().custom_events(["ok", "not ok"]).build(),
            Err(TrackingConfigError::InvalidEventName(
                InvalidEventName::Malformed(_)
            ))
        ));
        assert!(matches!(
            builder().custom_events(["purchase"]).build(),
            Err(TrackingConfigError::InvalidEventName(
                InvalidEventName::BuiltIn(_)
            ))
        ));
    }
}
