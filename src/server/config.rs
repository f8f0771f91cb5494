//! The shop's consent settings and the signing key, checked once at start-up.

use std::{
    collections::BTreeMap,
    fmt,
    sync::{Arc, Mutex},
};

use http::{Extensions, HeaderMap, header};
use uuid::Uuid;

use cookie::Key;

use super::{
    ClientIp,
    banner_forms::BannerForms,
    cookies::{NamePrefix, is_cookie_domain, is_cookie_name},
    fingerprint::PolicyFingerprint,
    hooks::{DecisionNotice, DecisionRecorder, TrackingHook},
    locale::Locales,
    request,
    request_consent::RequestConsent,
    signing::Signer,
};
use crate::{
    CategorySet, ConsentAction, ConsentDecision, ConsentMode, Service, ServiceSet,
    registry::{CookieRegistry, consent_cookie_entry},
    texts::{ConsentTexts, CookieDetailsTexts, primary_language},
    tracking::VisitorId,
};

/// The shop's consent settings: mode, texts, cookie attributes and the key that signs the
/// consent cookie. Cheap to clone (one `Arc`).
///
/// Build it once at start-up and hand it to [`ConsentLayer`](crate::ConsentLayer):
///
/// ```
/// use leptos_consent::{ConsentConfig, ConsentMode};
///
/// let config = ConsentConfig::builder()
///     .secret("a long random secret from the environment, 32+ bytes")
///     .mode(ConsentMode::BlockBeforeConsent)
///     .locale("da-DK")
///     .policy_url("/terms?HideCookieDialog=1#cookieconsent")
///     .build()?;
/// assert_eq!(config.texts().accept_all, "Accepter alle");
/// # Ok::<(), leptos_consent::ConfigError>(())
/// ```
#[derive(Clone)]
pub struct ConsentConfig {
    inner: Arc<Inner>,
}

struct Inner {
    signer: Signer,
    cookie_name: String,
    cookie_domain: Option<String>,
    secure: bool,
    lifetime_secs: i64,
    refusal_lifetime_secs: i64,
    mode: ConsentMode,
    locales: Locales,
    services: Arc<[Service]>,
    texts: BTreeMap<String, Arc<ConsentTexts>>,
    policy_url: Option<String>,
    google_consent_mode: bool,
    clear_site_data: bool,
    honour_do_not_track: bool,
    site_id: i32,
    details_texts: BTreeMap<String, CookieDetailsTexts>,
    registry: CookieRegistry,
    /// The fingerprint of mode and texts, which the registry's extends.
    policy: PolicyFingerprint,
    /// The whole fingerprint for the registry snapshot of that generation.
    fingerprint: Mutex<(u64, PolicyFingerprint)>,
    /// The banner forms rendered for this config (see [`BannerForms`]).
    banner_forms: BannerForms,
    recorder: Option<Arc<dyn DecisionRecorder>>,
    client_ip: ClientIp,
    /// Whether a request without a client address was reported.
    no_address: std::sync::Once,
    tracking: Option<Arc<dyn TrackingHook>>,
}

impl std::fmt::Debug for ConsentConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print the key.
        f.debug_struct("ConsentConfig")
            .field("cookie_name", &self.inner.cookie_name)
            .field("cookie_domain", &self.inner.cookie_domain)
            .field("secure", &self.inner.secure)
            .field("lifetime_secs", &self.inner.lifetime_secs)
            .field("refusal_lifetime_secs", &self.inner.refusal_lifetime_secs)
            .field("mode", &self.inner.mode)
            .field("locales", &self.inner.locales.all())
            .field("policy_url", &self.inner.policy_url)
            .field("site_id", &self.inner.site_id)
            .field("fingerprint", &self.fingerprint())
            .field("log", &self.inner.recorder.is_some())
            .field("tracking", &self.inner.tracking.is_some())
            .field("client_ip", &self.inner.client_ip)
            .finish_non_exhaustive()
    }
}

impl ConsentConfig {
    /// The longest consent lifetime the builder accepts, in days: 13 months, as European
    /// regulators (CNIL, the Danish DPA) accept at most.
    pub const MAX_LIFETIME_DAYS: u32 = 395;

    /// The default consent lifetime, in days: 12 months.
    pub const DEFAULT_LIFETIME_DAYS: u32 = 365;

    /// The default name of the consent cookie when it is `Secure` and host-only (the
    /// defaults): the `__Host-` prefix makes browsers refuse a cookie of this name from a
    /// sibling subdomain, over plain http, with a `Domain` or on a narrower path, so no
    /// related site can shadow the shopper's decision with its own.
    pub const DEFAULT_COOKIE_NAME: &'static str = "__Host-lc_consent";

    /// The default name of the consent cookie when a `__Host-` name is not possible: with
    /// a [`cookie_domain`](ConsentConfigBuilder::cookie_domain) or with `secure(false)`.
    pub const PLAIN_COOKIE_NAME: &'static str = "lc_consent";

    /// The shortest signing secret the builder accepts, in bytes.
    pub const MIN_SECRET_LEN: usize = 32;

    /// Starts a configuration with safe defaults: block before consent, English, 12 months,
    /// `Secure` cookie. A secret is required.
    pub fn builder() -> ConsentConfigBuilder {
        ConsentConfigBuilder::default()
    }

    /// The consent mode.
    pub fn mode(&self) -> ConsentMode {
        self.inner.mode
    }

    /// The site's locale (BCP 47): the texts of whoever matches none of the others.
    pub fn locale(&self) -> &str {
        self.inner.locales.site()
    }

    /// The services the shop declared, in its order (empty: none).
    pub fn services(&self) -> &Arc<[Service]> {
        &self.inner.services
    }

    /// Every locale the shop offers, the site's first.
    pub fn locales(&self) -> impl Iterator<Item = &str> {
        self.inner.locales.all().iter().map(|tag| &**tag)
    }

    /// The locale a request gets: the shop's [`PageLocale`](crate::PageLocale) when it set
    /// one, else the offered locale that best matches `Accept-Language`, else the site's.
    pub fn locale_for(&self, headers: &HeaderMap, extensions: &Extensions) -> Arc<str> {
        self.inner.locales.for_request(headers, extensions)
    }

    /// The texts of the site's locale.
    pub fn texts(&self) -> &ConsentTexts {
        self.texts_for(self.locale())
    }

    /// The texts for a locale: the shop's override or built-in set for its language, else
    /// the site locale's.
    pub fn texts_for(&self, locale: &str) -> &ConsentTexts {
        self.shared_texts(locale)
    }

    /// The texts for a locale, shared (for the page's hydration state).
    pub(crate) fn shared_texts(&self, locale: &str) -> &Arc<ConsentTexts> {
        self.for_language(&self.inner.texts, locale)
    }

    /// A locale's entry of texts kept per language: its language's, else the site locale's,
    /// else English (which the builder always inserts).
    fn for_language<'a, T>(&self, texts: &'a BTreeMap<String, T>, locale: &str) -> &'a T {
        texts
            .get(&primary_language(locale))
            .or_else(|| texts.get(&primary_language(self.locale())))
            .or_else(|| texts.get("en"))
            .expect("the builder always inserts English texts")
    }

    /// The shop's cookie policy page, if configured.
    pub fn policy_url(&self) -> Option<&str> {
        self.inner.policy_url.as_deref()
    }

    /// The fingerprint of the policy shoppers agree to, cookie registry included. A
    /// decision made under another fingerprint is stale: the shopper is asked again.
    pub fn fingerprint(&self) -> PolicyFingerprint {
        let snapshot = self.inner.registry.snapshot();
        let mut cached = self
            .inner
            .fingerprint
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        if cached.0 != snapshot.generation() {
            *cached = (
                snapshot.generation(),
                self.inner.policy.with_registry(snapshot.fingerprint()),
            );
        }
        cached.1
    }

    /// The banner forms rendered for this config, kept for the requests they fit.
    pub(crate) fn banner_forms(&self) -> &BannerForms {
        &self.inner.banner_forms
    }

    /// Whether "delete all my cookies" also sends `Clear-Site-Data: "cookies"`.
    pub(crate) fn clears_site_data(&self) -> bool {
        self.inner.clear_site_data
    }

    /// Whether pages set Google Consent Mode v2 (see
    /// [`CookiePolicyScript`](crate::CookiePolicyScript)).
    pub fn google_consent_mode(&self) -> bool {
        self.inner.google_consent_mode
    }

    /// The site this configuration serves (picks the shop-local cookie texts).
    pub fn site_id(&self) -> i32 {
        self.inner.site_id
    }

    /// The cookie registry the grid shows and the fingerprint covers.
    pub fn cookie_registry(&self) -> &CookieRegistry {
        &self.inner.registry
    }

    /// The cookie details grid's texts for the site's locale.
    pub fn cookie_details_texts(&self) -> &CookieDetailsTexts {
        self.cookie_details_texts_for(self.locale())
    }

    /// The cookie details grid's texts for a locale, else the site locale's, else English.
    pub fn cookie_details_texts_for(&self, locale: &str) -> &CookieDetailsTexts {
        self.for_language(&self.inner.details_texts, locale)
    }

    /// The consent cookie's name.
    pub fn cookie_name(&self) -> &str {
        &self.inner.cookie_name
    }

    /// How long a consent (a decision that allows more than the necessary) is remembered,
    /// in seconds.
    pub fn lifetime_secs(&self) -> i64 {
        self.inner.lifetime_secs
    }

    /// How long a refusal (nothing but the necessary allowed) is remembered, in seconds: at
    /// least as long as a consent.
    pub fn refusal_lifetime_secs(&self) -> i64 {
        self.inner.refusal_lifetime_secs
    }

    /// How long `decision` is remembered, in seconds: a refusal's lifetime or a consent's.
    /// After it the shopper is asked again.
    pub fn lifetime_of(&self, decision: &ConsentDecision) -> i64 {
        if decision.granted == CategorySet::essential() {
            self.inner.refusal_lifetime_secs
        } else {
            self.inner.lifetime_secs
        }
    }

    /// Where the client's IP address is read from.
    pub fn client_ip(&self) -> ClientIp {
        self.inner.client_ip
    }

    /// The client's address for the consent log and the rate limits. When the request
    /// tells none (no `ConnectInfo`, no trusted header), the first such request logs an
    /// error naming the fix, once: without an address the log has no IP and nobody is
    /// rate limited.
    pub(crate) fn client_address(
        &self,
        headers: &http::HeaderMap,
        extensions: &http::Extensions,
    ) -> Option<std::net::IpAddr> {
        let address = self.inner.client_ip.of(headers, extensions);
        if address.is_none() {
            self.inner.no_address.call_once(|| {
                tracing::error!(client_ip = ?self.inner.client_ip, "{MISSING_CLIENT_ADDRESS}");
            });
        }
        address
    }

    /// Whether a request without a client address misses something: the consent log
    /// records addresses or limits decisions per client, or tracking limits collect posts.
    pub(crate) fn needs_client_address(&self) -> bool {
        self.recorder().is_some_and(|r| r.needs_client_address())
            || self
                .tracking_hook()
                .is_some_and(|t| t.needs_client_address())
    }

    /// Where decisions are recorded, when the shop keeps a log.
    pub(crate) fn recorder(&self) -> Option<&Arc<dyn DecisionRecorder>> {
        self.inner.recorder.as_ref()
    }

    /// The tracking context, when the shop tracks.
    pub(crate) fn tracking_hook(&self) -> Option<&Arc<dyn TrackingHook>> {
        self.inner.tracking.as_ref()
    }

    /// The visitor id the request with `headers` carries, when the shop tracks and
    /// `granted` lets the id be kept.
    pub(crate) fn visitor_kept(
        &self,
        headers: &HeaderMap,
        granted: CategorySet,
    ) -> Option<VisitorId> {
        self.tracking_hook()?.visitor_kept(headers, granted)
    }

    /// The notice, for the consent log, of a decision taken by the request with `headers`
    /// and `extensions`, by the visitor `visitor` (when the decision lets its id be kept).
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn decision_notice(
        &self,
        headers: &HeaderMap,
        extensions: &Extensions,
        consent_id: Uuid,
        visitor: Option<VisitorId>,
        action: Option<ConsentAction>,
        granted: CategorySet,
        refused_services: ServiceSet,
        ui_source: &'static str,
    ) -> DecisionNotice {
        DecisionNotice {
            consent_id,
            visitor,
            action,
            granted,
            services: self
                .services()
                .iter()
                .enumerate()
                .filter(|(index, service)| {
                    granted.contains(service.category) && !refused_services.contains(*index)
                })
                .map(|(_, service)| service.id.clone())
                .collect(),
            ui_source,
            fingerprint: self.fingerprint(),
            locale: RequestConsent::of(extensions)
                .map_or_else(|| self.locale().to_owned(), |read| read.locale.to_string()),
            gpc: request::sends_gpc(headers),
            dnt: request::sends_dnt(headers),
            user_agent: headers
                .get(header::USER_AGENT)
                .and_then(|ua| ua.to_str().ok())
                .map(str::to_owned),
            ip: self.client_address(headers, extensions),
            at: request::unix_now(),
        }
    }

    /// Whether the browser asks not to be tracked: `Sec-GPC: 1`, or `DNT: 1` unless the
    /// shop turned that off.
    pub(crate) fn opts_out(&self, headers: &HeaderMap) -> bool {
        request::sends_gpc(headers)
            || (self.inner.honour_do_not_track && request::sends_dnt(headers))
    }

    /// Whether the crate's cookies carry `Secure`.
    pub(crate) fn secure(&self) -> bool {
        self.inner.secure
    }

    /// The consent cookie's `Domain`, if the shop set one.
    pub(crate) fn cookie_domain(&self) -> Option<&str> {
        self.inner.cookie_domain.as_deref()
    }

    pub(crate) fn signer(&self) -> &Signer {
        &self.inner.signer
    }
}

/// Builds a [`ConsentConfig`]; [`ConsentConfigBuilder::build`] checks every setting.
///
/// ```
/// use leptos_consent::{ConfigError, ConsentConfig, ConsentMode};
///
/// let config = ConsentConfig::builder()
///     .secret("a long random secret from the environment, 32+ bytes")
///     .mode(ConsentMode::PassiveInfo)
///     .lifetime_days(180)
///     .build()?;
/// assert_eq!(config.lifetime_secs(), 180 * 86_400);
/// assert_eq!(ConsentConfig::builder().build().unwrap_err(), ConfigError::MissingSecret);
/// # Ok::<(), ConfigError>(())
/// ```
#[derive(Clone)]
#[must_use]
pub struct ConsentConfigBuilder {
    secret: Option<Vec<u8>>,
    cookie_name: Option<String>,
    cookie_domain: Option<String>,
    secure: bool,
    lifetime_days: u32,
    refusal_lifetime_days: Option<u32>,
    mode: ConsentMode,
    locale: String,
    locales: Vec<String>,
    services: Vec<Service>,
    texts: BTreeMap<String, ConsentTexts>,
    policy_url: Option<String>,
    google_consent_mode: bool,
    clear_site_data: bool,
    honour_do_not_track: bool,
    site_id: i32,
    details_texts: BTreeMap<String, CookieDetailsTexts>,
    registry: Option<CookieRegistry>,
    recorder: Option<Arc<dyn DecisionRecorder>>,
    client_ip: ClientIp,
    tracking: Option<Arc<dyn TrackingHook>>,
}

impl fmt::Debug for ConsentConfigBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Never print the secret.
        f.debug_struct("ConsentConfigBuilder")
            .field("cookie_name", &self.cookie_name)
            .field("mode", &self.mode)
            .field("locale", &self.locale)
            .finish_non_exhaustive()
    }
}

impl Default for ConsentConfigBuilder {
    fn default() -> Self {
        ConsentConfigBuilder {
            secret: None,
            cookie_name: None,
            cookie_domain: None,
            secure: true,
            lifetime_days: ConsentConfig::DEFAULT_LIFETIME_DAYS,
            refusal_lifetime_days: None,
            mode: ConsentMode::default(),
            locale: "en".to_owned(),
            locales: Vec::new(),
            services: Vec::new(),
            texts: BTreeMap::new(),
            policy_url: None,
            google_consent_mode: false,
            clear_site_data: false,
            honour_do_not_track: true,
            site_id: 1,
            details_texts: BTreeMap::new(),
            registry: None,
            recorder: None,
            client_ip: ClientIp::default(),
            tracking: None,
        }
    }
}

impl ConsentConfigBuilder {
    /// The secret the consent cookie is signed with: at least 32 random bytes, the same on
    /// every instance of the shop and across restarts (a new secret asks every shopper
    /// again). Read it from the environment or a secrets store, never from source code.
    pub fn secret(mut self, secret: impl AsRef<[u8]>) -> Self {
        self.secret = Some(secret.as_ref().to_vec());
        self
    }

    /// The consent mode (default [`ConsentMode::BlockBeforeConsent`]).
    pub fn mode(mut self, mode: ConsentMode) -> Self {
        self.mode = mode;
        self
    }

    /// The site's locale (BCP 47, default `"en"`): its texts are shown to whoever matches
    /// none of [`locales`](Self::locales), and built in for every language of
    /// [`texts::languages`](crate::texts::languages).
    pub fn locale(mut self, locale: impl Into<String>) -> Self {
        self.locale = locale.into();
        self
    }

    /// The other locales the shop offers (BCP 47): each request gets the one that best
    /// matches its `Accept-Language` (or the shop's [`PageLocale`](crate::PageLocale)),
    /// else the site's [`locale`](Self::locale). Each needs texts: built in, or the shop's
    /// own through [`texts`](Self::texts) and
    /// [`cookie_details_texts`](Self::cookie_details_texts).
    ///
    /// ```
    /// use http::{Extensions, HeaderMap, HeaderValue};
    /// use leptos_consent::ConsentConfig;
    ///
    /// let config = ConsentConfig::builder()
    ///     .secret([7; 32])
    ///     .locale("en")
    ///     .locales(["de", "pl", "da"])
    ///     .build()?;
    /// let mut headers = HeaderMap::new();
    /// headers.insert("accept-language", HeaderValue::from_static("de-AT,de;q=0.9,en;q=0.5"));
    /// let locale = config.locale_for(&headers, &Extensions::new());
    /// assert_eq!(&*locale, "de");
    /// assert_eq!(config.texts_for(&locale).reject_all, "Alle ablehnen");
    /// # Ok::<(), leptos_consent::ConfigError>(())
    /// ```
    pub fn locales<L: Into<String>>(mut self, locales: impl IntoIterator<Item = L>) -> Self {
        self.locales = locales.into_iter().map(Into::into).collect();
        self
    }

    /// Declares a service: a tool the shop runs under a category, which shoppers may allow
    /// on its own in the customize panel (a category's toggle sets all of its services).
    /// Gate its scripts with `<GatedScript service="…">` or the `cpc-service-<id>` class.
    /// At most [`ServiceSet::MAX`] services, each id once.
    ///
    /// ```
    /// use leptos_consent::{Category, ConsentConfig, Service};
    ///
    /// let config = ConsentConfig::builder()
    ///     .secret([7; 32])
    ///     .service(Service::new("ga4", "Google Analytics 4", Category::Statistics).with_cookies(["_ga", "_ga_*"]))
    ///     .service(Service::new("meta", "Meta pixel", Category::Tracking).with_cookies(["_fbp", "_fbc"]))
    ///     .build()?;
    /// assert_eq!(config.services().len(), 2);
    /// # Ok::<(), leptos_consent::ConfigError>(())
    /// ```
    pub fn service(mut self, service: Service) -> Self {
        self.services.push(service);
        self
    }

    /// Replaces the texts for a locale's language (`"da"`, `"en"`, `"de"`, …).
    ///
    /// ```
    /// use leptos_consent::{ConsentConfig, texts::ConsentTexts};
    ///
    /// let mut texts = ConsentTexts::english();
    /// texts.title = "Cookies at Bean There".into();
    /// let config = ConsentConfig::builder().secret([7; 32]).texts("en", texts).build()?;
    /// assert_eq!(config.texts().title, "Cookies at Bean There");
    /// # Ok::<(), leptos_consent::ConfigError>(())
    /// ```
    pub fn texts(mut self, locale: &str, texts: ConsentTexts) -> Self {
        self.texts.insert(primary_language(locale), texts);
        self
    }

    /// How long a consent is remembered, in days: 1 to 395 (13 months, the most European
    /// regulators accept), default 365. CNIL calls 6 months (182 days) good practice. After
    /// it the shopper is asked again; the banner says how long a choice is kept.
    pub fn lifetime_days(mut self, days: u32) -> Self {
        self.lifetime_days = days;
        self
    }

    /// How long a refusal (nothing but the necessary allowed) is remembered, in days: at
    /// least as long as a consent (CNIL: a refusal must not be asked about sooner than a
    /// consent), at most 395. Default: the consent's lifetime.
    ///
    /// ```
    /// use leptos_consent::{ConfigError, ConsentConfig};
    ///
    /// let config = ConsentConfig::builder()
    ///     .secret([7; 32])
    ///     .lifetime_days(182)
    ///     .refusal_lifetime_days(395)
    ///     .build()?;
    /// assert_eq!(config.refusal_lifetime_secs(), 395 * 86_400);
    /// let shorter = ConsentConfig::builder().secret([7; 32]).refusal_lifetime_days(30).build();
    /// assert_eq!(
    ///     shorter.unwrap_err(),
    ///     ConfigError::RefusalShorterThanConsent { refusal: 30, consent: 365 }
    /// );
    /// # Ok::<(), ConfigError>(())
    /// ```
    pub fn refusal_lifetime_days(mut self, days: u32) -> Self {
        self.refusal_lifetime_days = Some(days);
        self
    }

    /// The consent cookie's name. Default: [`ConsentConfig::DEFAULT_COOKIE_NAME`]
    /// (`__Host-lc_consent`) for a `Secure`, host-only cookie, otherwise
    /// [`ConsentConfig::PLAIN_COOKIE_NAME`] (`lc_consent`).
    ///
    /// A `__Host-` name needs `Secure` and no [`cookie_domain`](Self::cookie_domain), a
    /// `__Secure-` name needs `Secure`: browsers drop such cookies otherwise, so the builder
    /// refuses them ([`ConfigError::InvalidCookiePrefix`]). Renaming the cookie asks every
    /// shopper again; a shop upgrading from a version that used `lc_consent` keeps its
    /// shoppers' decisions with `.cookie_name("lc_consent")`.
    pub fn cookie_name(mut self, name: impl Into<String>) -> Self {
        self.cookie_name = Some(name.into());
        self
    }

    /// A `Domain` for the consent cookie, to share one decision across subdomains
    /// (`shop.example` covers `www.shop.example` and `basket.shop.example`). Default: none,
    /// a host-only cookie.
    pub fn cookie_domain(mut self, domain: impl Into<String>) -> Self {
        self.cookie_domain = Some(domain.into());
        self
    }

    /// Whether the consent cookie carries `Secure` (default `true`).
    ///
    /// ⚠️ Turn this off only for development over plain `http://` on a host other than
    /// `localhost`/`127.0.0.1` (Chromium and Firefox keep `Secure` cookies for those; Safari
    /// does not). In production a cookie without `Secure` can be read and replaced on any
    /// plain-http request.
    pub fn secure(mut self, secure: bool) -> Self {
        self.secure = secure;
        self
    }

    /// The shop's cookie policy page, linked from the banner, e.g.
    /// `/terms?HideCookieDialog=1#cookieconsent`. Must be a same-origin path.
    pub fn policy_url(mut self, url: impl Into<String>) -> Self {
        self.policy_url = Some(url.into());
        self
    }

    /// Google Consent Mode v2 (default off): pages set `gtag('consent', 'default', …)` from
    /// the shopper's decision before any tag, and `update` after a decision in the page. Turn
    /// it on when the shop loads Google tags.
    pub fn google_consent_mode(mut self, on: bool) -> Self {
        self.google_consent_mode = on;
        self
    }

    /// "Delete all my cookies for this shop" also answers `Clear-Site-Data: "cookies"`
    /// (default off): the browser then drops every cookie of the site (the registrable
    /// domain), whatever its name, path or domain, which no list of expiries can promise.
    /// It reaches cookies other apps of the same site set too; turn it on when the whole
    /// site is the shop.
    pub fn clear_site_data(mut self, on: bool) -> Self {
        self.clear_site_data = on;
        self
    }

    /// Whether `DNT: 1` (Do Not Track) counts like `Sec-GPC: 1` (default on, as the shop
    /// platforms did): marketing stays off unless the shopper turns it on, and the banner
    /// says why. The consent log records both signals either way.
    pub fn honour_do_not_track(mut self, on: bool) -> Self {
        self.honour_do_not_track = on;
        self
    }

    /// The site this configuration serves, for shops with several sites (languages) in one
    /// database: it picks the shop-local cookie texts written for it (default 1).
    pub fn site_id(mut self, site_id: i32) -> Self {
        self.site_id = site_id;
        self
    }

    /// The cookie registry (default: [`CookieRegistry::native`], without shop-local
    /// entries). A registry serves one configuration.
    pub fn cookie_registry(mut self, registry: CookieRegistry) -> Self {
        self.registry = Some(registry);
        self
    }

    /// Replaces the cookie details grid's texts for a locale's language.
    pub fn cookie_details_texts(mut self, locale: &str, texts: CookieDetailsTexts) -> Self {
        self.details_texts.insert(primary_language(locale), texts);
        self
    }

    /// Where the client's IP address is read from (default: the TCP peer). Behind a
    /// reverse proxy, use [`ClientIp::ForwardedFor`] with the number of the shop's proxies.
    pub fn client_ip(mut self, client_ip: ClientIp) -> Self {
        self.client_ip = client_ip;
        self
    }

    /// The consent log (see `.log(…)`, feature `log`).
    #[cfg_attr(not(feature = "log"), allow(dead_code))]
    pub(crate) fn recorder(mut self, recorder: Arc<dyn DecisionRecorder>) -> Self {
        self.recorder = Some(recorder);
        self
    }

    /// The tracking context (see `.tracking(…)`, feature `tracking`).
    #[cfg_attr(not(feature = "tracking"), allow(dead_code))]
    pub(crate) fn tracking_hook(mut self, tracking: Arc<dyn TrackingHook>) -> Self {
        self.tracking = Some(tracking);
        self
    }

    /// Checks every setting and builds the configuration.
    pub fn build(self) -> Result<ConsentConfig, ConfigError> {
        let secret = self.secret.ok_or(ConfigError::MissingSecret)?;
        if secret.len() < ConsentConfig::MIN_SECRET_LEN {
            return Err(ConfigError::SecretTooShort(secret.len()));
        }
        let refusal_lifetime_days = self.refusal_lifetime_days.unwrap_or(self.lifetime_days);
        for days in [self.lifetime_days, refusal_lifetime_days] {
            if !(1..=ConsentConfig::MAX_LIFETIME_DAYS).contains(&days) {
                return Err(ConfigError::InvalidLifetime(days));
            }
        }
        if refusal_lifetime_days < self.lifetime_days {
            return Err(ConfigError::RefusalShorterThanConsent {
                refusal: refusal_lifetime_days,
                consent: self.lifetime_days,
            });
        }
        if let Some(domain) = self.cookie_domain.as_ref().filter(|d| !is_cookie_domain(d)) {
            return Err(ConfigError::InvalidCookieDomain(domain.clone()));
        }
        let cookie_name = match self.cookie_name {
            Some(name) if !is_cookie_name(&name) => {
                return Err(ConfigError::InvalidCookieName(name));
            }
            Some(name) if !prefix_allows(&name, self.secure, self.cookie_domain.is_some()) => {
                return Err(ConfigError::InvalidCookiePrefix(name));
            }
            Some(name) => name,
            None if self.secure && self.cookie_domain.is_none() => {
                ConsentConfig::DEFAULT_COOKIE_NAME.to_owned()
            }
            None => ConsentConfig::PLAIN_COOKIE_NAME.to_owned(),
        };
        if let Some(url) = self.policy_url.as_ref().filter(|url| !is_local_path(url)) {
            return Err(ConfigError::InvalidPolicyUrl(url.clone()));
        }
        if let ClientIp::ForwardedFor { trusted_proxies: 0 } = self.client_ip {
            return Err(ConfigError::InvalidClientIp);
        }
        let locales = Locales::new(&self.locale, &self.locales)?;
        if self.services.len() > ServiceSet::MAX {
            return Err(ConfigError::InvalidService(format!(
                "{} services declared; at most {}",
                self.services.len(),
                ServiceSet::MAX
            )));
        }
        for (index, service) in self.services.iter().enumerate() {
            service.check().map_err(ConfigError::InvalidService)?;
            if self.services[..index].iter().any(|s| s.id == service.id) {
                return Err(ConfigError::InvalidService(format!(
                    "service id {:?} declared twice",
                    service.id
                )));
            }
        }
        let mut texts = self.texts;
        texts
            .entry("en".to_owned())
            .or_insert_with(ConsentTexts::english);
        texts
            .entry("da".to_owned())
            .or_insert_with(ConsentTexts::danish);
        let mut details_texts = self.details_texts;
        for locale in locales.all() {
            let language = primary_language(locale);
            if !texts.contains_key(&language) {
                let built_in = crate::texts::built_in_language(locale)
                    .ok_or_else(|| ConfigError::NoTexts(locale.to_string()))?;
                texts.insert(language.clone(), ConsentTexts::for_locale(built_in));
                details_texts
                    .entry(language)
                    .or_insert_with(|| CookieDetailsTexts::for_locale(built_in));
            }
        }
        let policy = PolicyFingerprint::of_policy(self.mode, &texts, &self.services);
        let texts = texts
            .into_iter()
            .map(|(locale, mut texts)| {
                texts.fill_in_sentences();
                (locale, Arc::new(texts))
            })
            .collect();
        details_texts
            .entry("en".to_owned())
            .or_insert_with(CookieDetailsTexts::english);
        details_texts
            .entry("da".to_owned())
            .or_insert_with(CookieDetailsTexts::danish);
        let registry = self.registry.unwrap_or_else(CookieRegistry::native);
        // The consent cookie lives as long as the longer of the two (a refusal's).
        let mut own = vec![consent_cookie_entry(&cookie_name, refusal_lifetime_days)];
        if let Some(tracking) = &self.tracking {
            own.extend(tracking.cookie_entries());
        }
        registry.bind(own);
        Ok(ConsentConfig {
            inner: Arc::new(Inner {
                signer: Signer::new(Key::derive_from(&secret).signing()),
                cookie_name,
                cookie_domain: self.cookie_domain,
                secure: self.secure,
                lifetime_secs: i64::from(self.lifetime_days) * 86_400,
                refusal_lifetime_secs: i64::from(refusal_lifetime_days) * 86_400,
                mode: self.mode,
                locales,
                services: self.services.into(),
                texts,
                policy_url: self.policy_url,
                google_consent_mode: self.google_consent_mode,
                clear_site_data: self.clear_site_data,
                honour_do_not_track: self.honour_do_not_track,
                site_id: self.site_id,
                details_texts,
                registry,
                policy,
                fingerprint: Mutex::new((u64::MAX, policy)),
                banner_forms: BannerForms::default(),
                recorder: self.recorder,
                client_ip: self.client_ip,
                no_address: std::sync::Once::new(),
                tracking: self.tracking,
            }),
        })
    }
}

/// A setting [`ConsentConfigBuilder::build`] refused.
///
/// ```
/// use leptos_consent::{ConfigError, ConsentConfig};
///
/// let refused = ConsentConfig::builder().secret("short").build().unwrap_err();
/// assert_eq!(refused, ConfigError::SecretTooShort(5));
/// assert!(refused.to_string().contains("at least 32"));
/// ```
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// No secret was given.
    #[error(
        "leptos-consent needs a signing secret of at least {} random bytes",
        ConsentConfig::MIN_SECRET_LEN
    )]
    MissingSecret,
    /// The secret is shorter than [`ConsentConfig::MIN_SECRET_LEN`].
    #[error("the signing secret has {0} bytes; at least {min} are required", min = ConsentConfig::MIN_SECRET_LEN)]
    SecretTooShort(usize),
    /// The lifetime is 0 or longer than 13 months.
    #[error("a consent lifetime of {0} days is not allowed: use 1 to {max}", max = ConsentConfig::MAX_LIFETIME_DAYS)]
    InvalidLifetime(u32),
    /// The cookie name has characters outside `A-Z a-z 0-9 _ -` or is longer than 64.
    #[error("invalid cookie name {0:?}: use 1 to 64 letters, digits, '_' or '-'")]
    InvalidCookieName(String),
    /// A `__Host-` cookie name with a cookie domain or without `Secure`, or a `__Secure-`
    /// name without `Secure`: browsers would drop the cookie.
    #[error(
        "cookie name {0:?}: a __Host- name needs Secure and no cookie domain, a __Secure- name needs Secure"
    )]
    InvalidCookiePrefix(String),
    /// The cookie domain is not a host name.
    #[error("invalid cookie domain {0:?}: use a host name such as shop.example")]
    InvalidCookieDomain(String),
    /// The policy URL is not a same-origin path.
    #[error("invalid policy URL {0:?}: use a path on the shop, starting with a single '/'")]
    InvalidPolicyUrl(String),
    /// A refusal kept for a shorter time than a consent: shoppers who refused would be
    /// asked again sooner than those who consented.
    #[error(
        "a refusal kept {refusal} days but a consent {consent}: keep a refusal at least as long"
    )]
    RefusalShorterThanConsent {
        /// The refusal's lifetime, in days.
        refusal: u32,
        /// The consent's lifetime, in days.
        consent: u32,
    },
    /// A service that cannot be declared (its id, its name, twice, too many).
    #[error("{0}")]
    InvalidService(String),
    /// A locale that is no BCP 47 language tag.
    #[error("invalid locale {0:?}: use a BCP 47 language tag such as de, da-DK or pt-BR")]
    InvalidLocale(String),
    /// A locale offered without texts: its language is not built in and the shop gave none.
    #[error(
        "no texts for the locale {0:?}: its language is not built in; give them with .texts(..) and .cookie_details_texts(..)"
    )]
    NoTexts(String),
    /// `ClientIp::ForwardedFor` with 0 trusted proxies.
    #[error(
        "ClientIp::ForwardedFor needs at least 1 trusted proxy; without proxies use ClientIp::Peer"
    )]
    InvalidClientIp,
}

/// What a request without a client address misses, and the fix.
pub(crate) const MISSING_CLIENT_ADDRESS: &str = "leptos-consent: the request carries no client \
    address, so the consent log records no IP and nobody is rate limited. Serve the router with \
    `axum::serve(listener, app.into_make_service_with_connect_info::<std::net::SocketAddr>())`; \
    behind a reverse proxy, configure `.client_ip(ClientIp::ForwardedFor { trusted_proxies: 1 })` \
    (the number of your own proxies). Debug builds answer 500 until then; release builds log \
    this once and go on without an address.";

/// Whether browsers keep a cookie named `name` with these attributes.
fn prefix_allows(name: &str, secure: bool, has_domain: bool) -> bool {
    let prefix = NamePrefix::of(name);
    (secure || !prefix.needs_secure()) && !(has_domain && prefix.host_only())
}

/// A path on the shop itself: one leading `/`, no backslash, whitespace or control character.
fn is_local_path(url: &str) -> bool {
    url.starts_with('/')
        && !url.starts_with("//")
        && !url.contains('\\')
        && !url.bytes().any(|b| b.is_ascii_control() || b == b' ')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn builder() -> ConsentConfigBuilder {
        ConsentConfig::builder().secret([1u8; 32])
    }

    #[test]
    fn refuses_bad_settings_with_clear_errors() {
        assert_eq!(
            ConsentConfig::builder().build().unwrap_err(),
            ConfigError::MissingSecret
        );
        assert_eq!(
            ConsentConfig::builder()
                .secret("short")
                .build()
                .unwrap_err(),
            ConfigError::SecretTooShort(5)
        );
        assert_eq!(
            builder().lifetime_days(0).build().unwrap_err(),
            ConfigError::InvalidLifetime(0)
        );
        assert_eq!(
            builder().lifetime_days(396).build().unwrap_err(),
            ConfigError::InvalidLifetime(396)
        );
        assert!(builder().lifetime_days(395).build().is_ok());
        assert!(matches!(
            builder().cookie_name("a;b").build(),
            Err(ConfigError::InvalidCookieName(_))
        ));
        assert!(matches!(
            builder().cookie_domain("evil.com/x").build(),
            Err(ConfigError::InvalidCookieDomain(_))
        ));
        for url in [
            "https://evil.com/",
            "//evil.com",
            "/\\evil",
            "terms",
            "/a b",
        ] {
            assert!(
                matches!(
                    builder().policy_url(url).build(),
                    Err(ConfigError::InvalidPolicyUrl(_))
                ),
                "{url}"
            );
        }
        assert!(
            builder()
                .policy_url("/terms?HideCookieDialog=1#cookieconsent")
                .build()
                .is_ok()
        );
        assert!(builder().cookie_domain(".shop.co.uk").build().is_ok());
        assert_eq!(
            builder()
                .client_ip(ClientIp::ForwardedFor { trusted_proxies: 0 })
                .build()
                .unwrap_err(),
            ConfigError::InvalidClientIp
        );
    }

    #[test]
    fn the_cookie_is_host_prefixed_whenever_it_can_be() {
        let name = |b: ConsentConfigBuilder| b.build().unwrap().cookie_name().to_owned();
        assert_eq!(name(builder()), "__Host-lc_consent");
        assert_eq!(name(builder().cookie_domain("shop.example")), "lc_consent");
        assert_eq!(name(builder().secure(false)), "lc_consent");
        assert_eq!(name(builder().cookie_name("consent")), "consent");
        assert_eq!(
            name(
                builder()
                    .cookie_name("__Secure-c")
                    .cookie_domain("shop.example")
            ),
            "__Secure-c"
        );
        for refused in [
            builder()
                .cookie_name("__Host-c")
                .cookie_domain("shop.example"),
            builder().cookie_name("__host-c").secure(false),
            builder().cookie_name("__Secure-c").secure(false),
        ] {
            assert!(matches!(
                refused.build(),
                Err(ConfigError::InvalidCookiePrefix(_))
            ));
        }
    }

    #[test]
    fn texts_fall_back_to_the_site_locale() {
        let config = builder().locale("da").build().unwrap();
        assert_eq!(config.texts().reject_all, "Afvis alle");
        assert_eq!(config.texts_for("en-US").reject_all, "Reject all");
        assert_eq!(config.texts_for("sv").reject_all, "Afvis alle");
    }

    #[test]
    fn debug_output_hides_the_key() {
        let printed = format!("{:?}", builder().build().unwrap());
        assert!(!printed.contains("key"), "{printed}");
    }

    #[test]
    fn the_fingerprint_follows_the_policy() {
        let base = builder().build().unwrap().fingerprint();
        assert_eq!(
            base,
            builder().build().unwrap().fingerprint(),
            "deterministic"
        );
        assert_ne!(
            base,
            builder()
                .mode(ConsentMode::PassiveInfo)
                .build()
                .unwrap()
                .fingerprint()
        );
        let mut texts = ConsentTexts::english();
        texts.statistics.description = "We now also measure scroll depth.".into();
        assert_ne!(
            base,
            builder().texts("en", texts).build().unwrap().fingerprint()
        );
        let mut cosmetic = ConsentTexts::english();
        cosmetic.accept_all = "Allow all".into();
        assert_eq!(
            base,
            builder()
                .texts("en", cosmetic)
                .build()
                .unwrap()
                .fingerprint(),
            "button labels are not part of what the shopper agrees to"
        );
        assert_eq!(
            base,
            builder().secret([2u8; 40]).build().unwrap().fingerprint()
        );
    }
}
