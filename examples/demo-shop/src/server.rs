//! The demo's server side: settings from the environment and the axum router.

use std::{
    fs,
    io::{self, Write},
    net::SocketAddr,
    path::{Path, PathBuf},
    sync::Arc,
};

use axum::{Router, http::HeaderValue};
use leptos::prelude::*;
use leptos_axum::{LeptosRoutes, generate_route_list};
use leptos_consent::{
    Category, ConfigError, ConsentConfig, ConsentLayer, ConsentMode, EventKind, Service,
    admin::{AdminToken, cookie_registry_admin, data_subject_admin, tracking_outbox_admin},
    console::{PrivacyConsole, scanner::CookieScanner},
    dispatch::{InvalidProvider, Outbox, Provider, RaptorProvider, WebhookProvider},
    log::{ConsentLog, IpRecording},
    registry::{CookieRegistry, CookieTranslation, NewCookie, RegistryError},
    store::{Store, StoreError},
    tracking::TrackingConfig,
};

use crate::{
    app::{App, shell},
    catalog::PRODUCTS,
    pages::WISHLIST_EVENT,
    stand_in_provider::StandInProvider,
};

/// Where the demo keeps its data (the generated signing secret, the SQLite database, the
/// consent log's fallback journal): `DEMO_DATA_DIR`, default `target/demo-shop`.
pub fn data_dir() -> PathBuf {
    std::env::var_os("DEMO_DATA_DIR")
        .map_or_else(|| PathBuf::from("target/demo-shop"), PathBuf::from)
}

/// Why the demo could not start.
#[derive(Debug)]
pub enum StartupError {
    /// A consent setting was refused.
    Consent(ConfigError),
    /// The database could not be opened or migrated.
    Store(StoreError),
    /// The demo's own cookies could not be registered.
    Registry(RegistryError),
    /// An environment variable holds something the demo cannot use.
    Setting(String),
    /// The data directory or the secret file could not be used.
    Io(PathBuf, io::Error),
}

impl std::fmt::Display for StartupError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StartupError::Consent(error) => write!(f, "consent configuration: {error}"),
            StartupError::Store(error) => write!(f, "database: {error}"),
            StartupError::Registry(error) => write!(f, "cookie registry: {error}"),
            StartupError::Setting(message) => f.write_str(message),
            StartupError::Io(path, error) => write!(f, "{}: {error}", path.display()),
        }
    }
}

impl std::error::Error for StartupError {}

/// The shop's database: `DATABASE_URL` (`sqlite://…` or `postgres://…`), default
/// `sqlite://<data dir>/shop.db`, created and migrated on first start.
pub async fn store(data_dir: &Path) -> Result<Store, StartupError> {
    let url = std::env::var("DATABASE_URL")
        .unwrap_or_else(|_| format!("sqlite://{}", data_dir.join("shop.db").display()));
    Store::connect(&url).await.map_err(StartupError::Store)
}

/// The consent log in `store`, from the environment:
///
/// | Variable | Meaning | Default |
/// |---|---|---|
/// | `CONSENT_LOG_IP` | `full`, `truncated` or `off` | `full` |
/// | `CONSENT_LOG_RETENTION_DAYS` | days the log keeps an entry | 1826 (five years) |
/// | `CONSENT_DECISIONS_PER_MINUTE` | decisions per client IP address and minute | 30 |
///
/// Its fallback journal is `<data dir>/consent-journal.jsonl`.
pub fn consent_log(store: Store, data_dir: &Path) -> Result<ConsentLog, StartupError> {
    let ip_recording = match std::env::var("CONSENT_LOG_IP").as_deref() {
        Ok("full") | Err(_) => IpRecording::Full,
        Ok("truncated") => IpRecording::Truncated,
        Ok("off") => IpRecording::Off,
        Ok(other) => {
            return Err(StartupError::Setting(format!(
                "CONSENT_LOG_IP={other:?}: use \"full\", \"truncated\" or \"off\""
            )));
        }
    };
    let retention_days = match number_from_env("CONSENT_LOG_RETENTION_DAYS")? {
        Some(0) => {
            return Err(StartupError::Setting(
                "CONSENT_LOG_RETENTION_DAYS=0: keep entries at least one day".to_owned(),
            ));
        }
        Some(days) => days,
        None => ConsentLog::DEFAULT_RETENTION_DAYS,
    };
    let mut builder = ConsentLog::builder(store)
        .journal(data_dir.join("consent-journal.jsonl"))
        .ip_recording(ip_recording)
        .retention_days(retention_days);
    if let Some(limit) = number_from_env("CONSENT_DECISIONS_PER_MINUTE")? {
        let limit = std::num::NonZeroU32::new(limit).ok_or_else(|| {
            StartupError::Setting(
                "CONSENT_DECISIONS_PER_MINUTE=0 refuses every decision; use at least 1".to_owned(),
            )
        })?;
        builder = builder.decisions_per_minute(limit);
    }
    Ok(builder.build())
}

/// The cookie registry in `store`, cached for `CONSENT_REGISTRY_CACHE_SECS` seconds (default
/// 120), with the demo's own statistics and ad-pixel cookies registered (once) as a shop
/// would register them through the admin API.
pub async fn cookie_registry(store: Store) -> Result<CookieRegistry, StartupError> {
    let cache_for = match number_from_env("CONSENT_REGISTRY_CACHE_SECS")? {
        Some(secs) => std::time::Duration::from_secs(secs.into()),
        None => CookieRegistry::DEFAULT_CACHE,
    };
    let registry = CookieRegistry::load(store, cache_for)
        .await
        .map_err(StartupError::Store)?;
    let registered = registry
        .local_cookies()
        .await
        .map_err(StartupError::Registry)?;
    let demo_cookies = [
        (
            "_demo_stats",
            Category::Statistics,
            30,
            "",
            [
                "Demo statistics: a random id that counts repeat visits.",
                "Demo-statistik: et tilfældigt id, der tæller gentagne besøg.",
            ],
        ),
        (
            "_demo_px",
            Category::Tracking,
            90,
            "Nordlys Ads (demo)",
            [
                "Demo ad pixel: recognises the browser to measure campaigns.",
                "Demo-annoncepixel: genkender browseren for at måle kampagner.",
            ],
        ),
    ];
    for (name, category, expire_days, author, [english, danish]) in demo_cookies {
        if registered.iter().any(|c| c.cookie.name == name) {
            continue;
        }
        let id = registry
            .create_local_cookie(&NewCookie {
                name: name.to_owned(),
                category,
                expire_days,
                is_third_party: !author.is_empty(),
                third_party_author: author.to_owned(),
                description: String::new(),
                description_da: String::new(),
                expire_secs: None,
                renewed: false,
                permanent: false,
            })
            .await
            .map_err(StartupError::Registry)?;
        for (site_id, locale, description) in [(1, "en", english), (2, "da", danish)] {
            let translation = CookieTranslation {
                locale: locale.to_owned(),
                description: description.to_owned(),
                third_party_author_description: String::new(),
                expire_text: String::new(),
            };
            registry
                .put_translation(id, site_id, &translation)
                .await
                .map_err(StartupError::Registry)?;
        }
    }
    Ok(registry)
}

/// The tracking context, from the environment:
///
/// | Variable | Meaning | Default |
/// |---|---|---|
/// | `TRACKING_PROVIDER_URL` | the Raptor-style provider's base URL | the demo's own stand-in, `http://<site addr>/stand-in-provider` |
/// | `TRACKING_CUSTOMER` | the customer id in `{base}/{customer}.rsa` | `nordlys` |
/// | `TRACKING_REQUIRE_OPT_IN` | `1`: the browser holds events until opt-in; `0`: drops them | `1` |
/// | `TRACKING_WEBHOOK_URL` | deliver to this JSON webhook instead of the Raptor-style GET | unset |
/// | `TRACKING_OUTBOX_LEASE_SECS` | how long an instance's claim on a batch lasts: a crashed instance's batch is delivered by another after it | 60 |
///
/// Ids need tracking consent; events go through the durable outbox in the shop's store,
/// whose dispatcher delivers them (it is returned for the admin's status endpoint).
pub fn tracking(
    site_addr: SocketAddr,
    store: Store,
) -> Result<(TrackingConfig, Outbox), StartupError> {
    let base = std::env::var("TRACKING_PROVIDER_URL")
        .unwrap_or_else(|_| format!("http://{site_addr}/stand-in-provider"));
    let customer = std::env::var("TRACKING_CUSTOMER").unwrap_or_else(|_| "nordlys".to_owned());
    let require_opt_in = match std::env::var("TRACKING_REQUIRE_OPT_IN").as_deref() {
        Ok("1") | Err(_) => true,
        Ok("0") => false,
        Ok(other) => {
            return Err(StartupError::Setting(format!(
                "TRACKING_REQUIRE_OPT_IN={other:?}: use \"1\" or \"0\""
            )));
        }
    };
    let setting =
        |error: InvalidProvider| StartupError::Setting(format!("tracking provider: {error}"));
    // The shop's own event, under the name the provider knows it by.
    let wishlist = EventKind::custom(WISHLIST_EVENT)
        .map_err(|error| StartupError::Setting(error.to_string()))?;
    let names = [(wishlist, "wishlist")];
    let provider: Arc<dyn Provider> = match std::env::var("TRACKING_WEBHOOK_URL") {
        Ok(url) => Arc::new(
            WebhookProvider::new(&url)
                .map_err(setting)?
                .event_names(names),
        ),
        Err(_) => Arc::new(
            RaptorProvider::new(&base, &customer)
                .map_err(setting)?
                .event_names(names),
        ),
    };
    let mut outbox = Outbox::builder(store, provider);
    if let Some(secs) = number_from_env("TRACKING_OUTBOX_LEASE_SECS")? {
        outbox = outbox.lease(std::time::Duration::from_secs(secs.into()));
    }
    let outbox = outbox.start();
    let config = TrackingConfig::builder(outbox.clone())
        .custom_events([WISHLIST_EVENT])
        .require_opt_in(require_opt_in)
        .build()
        .map_err(|error| StartupError::Setting(format!("tracking: {error}")))?;
    Ok((config, outbox))
}

/// The consent configuration, from the environment:
///
/// | Variable | Meaning | Default |
/// |---|---|---|
/// | `CONSENT_SECRET` | signing secret, 32+ bytes | generated once into `<data dir>/consent-secret` |
/// | `CONSENT_MODE` | `block` or `passive` | `block` |
/// | `CONSENT_LOCALE` | site locale, `en` (site 1) or `da` (site 2) | `en` |
/// | `CONSENT_LOCALES` | the other locales offered, comma-separated | every built-in language on site 1, none on site 2 |
/// | `CONSENT_INSECURE_COOKIES` | `1`: no `Secure` flag, for plain http on a LAN address | off |
pub fn consent_config(
    data_dir: &Path,
    log: ConsentLog,
    registry: CookieRegistry,
    tracking: Option<TrackingConfig>,
) -> Result<ConsentConfig, StartupError> {
    let secret = consent_secret(data_dir)?;
    let mode = match std::env::var("CONSENT_MODE").as_deref() {
        Ok("block") | Err(_) => ConsentMode::BlockBeforeConsent,
        Ok("passive") => ConsentMode::PassiveInfo,
        Ok(other) => {
            return Err(StartupError::Setting(format!(
                "CONSENT_MODE={other:?}: use \"block\" or \"passive\""
            )));
        }
    };
    // The demo has two sites: 1 in English, 2 in Danish. Site 1 also speaks every language
    // the crate has texts for, picked by the shopper's Accept-Language.
    let locale = std::env::var("CONSENT_LOCALE").unwrap_or_else(|_| "en".to_owned());
    let locales: Vec<String> = match std::env::var("CONSENT_LOCALES") {
        Ok(list) => list.split(',').map(|tag| tag.trim().to_owned()).collect(),
        Err(_) if locale.starts_with("da") => Vec::new(),
        Err(_) => leptos_consent::texts::languages()
            .map(|(tag, _)| tag.to_owned())
            .collect(),
    };
    let mut builder = ConsentConfig::builder()
        .secret(secret)
        .mode(mode)
        .secure(secure_cookies())
        .policy_url("/terms?HideCookieDialog=1#cookieconsent")
        .google_consent_mode(true)
        .site_id(if locale.starts_with("da") { 2 } else { 1 })
        .locale(locale)
        .locales(locales)
        // Consent per service: shoppers may allow the heatmap without the visit counter.
        .service(
            Service::new("visit-counter", "Visit counter", Category::Statistics)
                .with_cookies(["_demo_stats"]),
        )
        .service(Service::new("heatmap", "Heatmap", Category::Statistics))
        .service(
            Service::new("ads-pixel", "Nordlys Ads pixel", Category::Tracking)
                .with_cookies(["_demo_px"]),
        )
        .cookie_registry(registry)
        .log(log);
    if let Some(tracking) = tracking {
        builder = builder.tracking(tracking);
    }
    builder.build().map_err(StartupError::Consent)
}

/// The signing secret: `CONSENT_SECRET`, else one generated once into the data directory.
fn consent_secret(data_dir: &Path) -> Result<String, StartupError> {
    match std::env::var("CONSENT_SECRET") {
        Ok(secret) => Ok(secret),
        Err(_) => stored_secret(&data_dir.join("consent-secret")),
    }
}

/// Whether cookies are `Secure` (not with `CONSENT_INSECURE_COOKIES=1`).
fn secure_cookies() -> bool {
    std::env::var("CONSENT_INSECURE_COOKIES").as_deref() != Ok("1")
}

/// The privacy console at `/admin/privacy`: staff sign in with the admin token; erasures
/// reach the tracking outbox too.
pub fn privacy_console(
    data_dir: &Path,
    log: ConsentLog,
    registry: CookieRegistry,
    outbox: Outbox,
    token: AdminToken,
) -> Result<(PrivacyConsole, CookieScanner), StartupError> {
    // ANCHOR: privacy_console
    // Counts the cookie names shoppers' browsers send that no registry entry describes
    // (added to the router as a middleware, see `router`).
    let scanner = CookieScanner::start(registry.clone(), log.store().clone());
    let console = PrivacyConsole::builder("/admin/privacy", log)
        .secret(consent_secret(data_dir)?) // 32+ bytes: the consent secret serves
        .token(token) // the built-in login; and/or .authorize(the shop's staff login)
        .registry(registry) // the cookies page
        .scanner(scanner.clone())
        .outbox(outbox) // the tracking page; erasures reach the tracked events too
        .secure(secure_cookies())
        .build()
        .map_err(|error| StartupError::Setting(error.to_string()))?;
    // ANCHOR_END: privacy_console
    Ok((console, scanner))
}

/// The admin token from `ADMIN_TOKEN`; without one the admin endpoints are not mounted
/// (they answer 404).
pub fn admin_token() -> Result<Option<AdminToken>, StartupError> {
    match std::env::var("ADMIN_TOKEN") {
        Err(_) => Ok(None),
        Ok(token) => AdminToken::new(token)
            .map(Some)
            .map_err(|error| StartupError::Setting(format!("ADMIN_TOKEN: {error}"))),
    }
}

fn number_from_env(name: &str) -> Result<Option<u32>, StartupError> {
    match std::env::var(name) {
        Err(_) => Ok(None),
        Ok(value) => value.parse().map(Some).map_err(|_| {
            StartupError::Setting(format!("{name}={value:?}: expected a whole number"))
        }),
    }
}

/// The secret kept in `path`, created (random, owner-only) on first start, so that a
/// restarted demo still recognises its shoppers' decisions.
fn stored_secret(path: &Path) -> Result<String, StartupError> {
    let io_error = |error| StartupError::Io(path.to_owned(), error);
    match fs::read_to_string(path) {
        Ok(secret) => Ok(secret.trim().to_owned()),
        Err(error) if error.kind() == io::ErrorKind::NotFound => {
            if let Some(dir) = path.parent() {
                fs::create_dir_all(dir).map_err(io_error)?;
            }
            let mut bytes = [0u8; 32];
            getrandom::fill(&mut bytes)
                .map_err(|error| io_error(io::Error::other(error.to_string())))?;
            let secret: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
            let mut file = fs::OpenOptions::new();
            file.write(true).create_new(true);
            #[cfg(unix)]
            std::os::unix::fs::OpenOptionsExt::mode(&mut file, 0o600);
            file.open(path)
                .and_then(|mut file| file.write_all(secret.as_bytes()))
                .map_err(io_error)?;
            Ok(secret)
        }
        Err(error) => Err(io_error(error)),
    }
}

/// Sets the response's Content-Security-Policy with the nonce leptos_axum made for it:
/// scripts need the nonce (or a script that has it loading them), WASM may compile, and
/// everything else comes from the shop itself.
pub fn content_security_policy() {
    let (Some(nonce), Some(response)) = (
        leptos::nonce::use_nonce(),
        use_context::<leptos_axum::ResponseOptions>(),
    ) else {
        return;
    };
    let policy = format!(
        "default-src 'self'; script-src 'nonce-{nonce}' 'strict-dynamic' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-src 'self'; \
         object-src 'none'; base-uri 'none'; form-action 'self'"
    );
    if let Ok(value) = axum::http::HeaderValue::from_str(&policy) {
        response.insert_header(axum::http::header::CONTENT_SECURITY_POLICY, value);
    }
}

/// `GET /demo-pixel.gif`: the demo's tracking pixel (it stands in for an ad network's): a
/// transparent 1×1 GIF that sets the `_demo_px` cookie. The page loads it only with
/// tracking consent.
async fn tracking_pixel() -> impl axum::response::IntoResponse {
    const GIF: &[u8] = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;";
    let mut id = [0u8; 8];
    let _ = getrandom::fill(&mut id);
    let id: String = id.iter().map(|b| format!("{b:02x}")).collect();
    (
        [
            (axum::http::header::CONTENT_TYPE, "image/gif".to_owned()),
            (axum::http::header::CACHE_CONTROL, "no-store".to_owned()),
            (
                axum::http::header::SET_COOKIE,
                format!("_demo_px={id}; Path=/; Max-Age=7776000; SameSite=Lax"),
            ),
        ],
        GIF,
    )
}

/// `GET /demo-video`: stands in for a video platform's player page, which the product pages
/// embed behind a consent gate.
async fn video_player() -> axum::response::Html<&'static str> {
    axum::response::Html(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Video</title></head>\
         <body style=\"margin:0;display:grid;place-items:center;height:100vh;background:#1d2321;\
         color:#fff;font:1rem system-ui\"><p>&#9654; A visit to our roastery (demo video)</p></body></html>",
    )
}

/// What the admin endpoints work on, and the token that opens them.
pub struct Admin {
    /// The consent log (`/admin/consent-log`).
    pub log: ConsentLog,
    /// The cookie registry (`/v2/cookies`).
    pub registry: CookieRegistry,
    /// The tracking outbox (`/admin/tracking/status`, `/admin/tracking/dead-letters`).
    pub outbox: Outbox,
    /// The bearer token.
    pub token: AdminToken,
    /// The privacy console (`/admin/privacy`), opened with the same token.
    pub console: PrivacyConsole,
    /// Its cookie scanner, which sees every request.
    pub scanner: CookieScanner,
}

/// The shop's router: the Leptos pages, the server functions, the static files, the
/// stand-in analytics provider, the admin endpoints when there is a token, the
/// [`ConsentLayer`] around all of them (left out only to measure what it costs), and
/// response compression around everything.
pub fn router(
    options: LeptosOptions,
    consent: Option<ConsentConfig>,
    admin: Option<Admin>,
) -> Result<Router, StartupError> {
    let routes = generate_route_list(App);
    let _ = SEARCH_PROVIDER.set(SearchProvider {
        client: reqwest::Client::new(),
        url: format!("http://{}/stand-in-provider/search", options.site_addr),
    });
    let bundle = bundle_service(&options);
    let mut router = Router::new()
        .nest_service(&format!("/{}", options.site_pkg_dir), bundle)
        // The crate's stylesheet as a cached file (the shell links it).
        .route(
            leptos_consent::style::PATH,
            axum::routing::get(leptos_consent::style::serve),
        )
        .route("/demo-pixel.gif", axum::routing::get(tracking_pixel))
        .route("/demo-video", axum::routing::get(video_player))
        .leptos_routes(&options, routes, {
            let options = options.clone();
            move || shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler(shell))
        .with_state(options)
        .merge(StandInProvider::default().router(admin.as_ref().map(|admin| admin.token.clone())));
    if let Some(Admin {
        log,
        registry,
        outbox,
        token,
        console,
        scanner,
    }) = admin
    {
        let cookies = cookie_registry_admin(registry, token.clone())
            .map_err(|error| StartupError::Setting(error.to_string()))?;
        router = router
            .nest(
                "/admin",
                data_subject_admin(log, outbox.clone(), token.clone())
                    .merge(tracking_outbox_admin(outbox, token)),
            )
            .merge(cookies)
            .merge(console.router());
        // The baseline (the shop without leptos-consent, for `cargo xtask load`) reads no
        // cookie names.
        if !cfg!(feature = "baseline") {
            router = router.layer(axum::middleware::from_fn_with_state(
                scanner,
                CookieScanner::middleware,
            ));
        }
    }
    let router = match consent {
        Some(consent) => router.layer(ConsentLayer::new(consent)),
        None => router,
    };
    // Pages, the WASM and its JS compressed (brotli, else gzip) for browsers that ask: the
    // release WASM goes from 945 to about 320 kB on the wire.
    Ok(router.layer(tower_http::compression::CompressionLayer::new()))
}

/// The bundle's files (`/pkg`: the WASM, its JS, the shop's CSS), sent as the build
/// precompressed them (brotli, else gzip, for browsers that take them). A release build
/// names them by content hash (`LEPTOS_HASH_FILES`), so they are cached for a year; without
/// hashes the browser asks again every time.
fn bundle_service(
    options: &LeptosOptions,
) -> tower_http::set_header::SetResponseHeader<tower_http::services::ServeDir, HeaderValue> {
    let dir = Path::new(options.site_root.as_ref()).join(options.site_pkg_dir.as_ref());
    let files = tower_http::services::ServeDir::new(dir)
        .precompressed_br()
        .precompressed_gzip();
    let cache = if options.hash_files {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    tower_http::set_header::SetResponseHeader::overriding(
        files,
        axum::http::header::CACHE_CONTROL,
        HeaderValue::from_static(cache),
    )
}

/// The bundle's files as the shell names them: `/pkg/demo_shop.{css,js,wasm}`, under their
/// content-hashed names in a release build, read once from the hash file beside the server
/// (leptos_meta's `HashedStylesheet` and Leptos's `HydrationScripts` read that file on every
/// request: 8 % of a page's time under load).
pub struct BundleFiles {
    /// The shop's stylesheet.
    pub css: String,
    /// The module script that hydrates the page when the browser is idle (after at most 2 s):
    /// it imports the JS glue, which loads the WASM. Unlike `HydrationScripts` it adds no
    /// preload hints, so the bundle's download starts after the first paint rather than
    /// competing with it.
    pub hydration_script: String,
}

/// The [`BundleFiles`] of `options`' site, worked out on the first request.
pub fn bundle_files(options: &LeptosOptions) -> &'static BundleFiles {
    static FILES: std::sync::OnceLock<BundleFiles> = std::sync::OnceLock::new();
    FILES.get_or_init(|| {
        let hashes = options
            .hash_files
            .then(|| {
                std::env::current_exe().ok().and_then(|exe| {
                    fs::read_to_string(exe.with_file_name(options.hash_file.as_ref())).ok()
                })
            })
            .flatten()
            .unwrap_or_default();
        let name = |ext: &str| {
            let hash = hashes
                .lines()
                .find_map(|line| line.trim().strip_prefix(ext)?.strip_prefix(':'))
                .map(|hash| format!(".{}", hash.trim()))
                .unwrap_or_default();
            format!(
                "/{}/{}{hash}.{ext}",
                options.site_pkg_dir, options.output_name
            )
        };
        BundleFiles {
            css: name("css"),
            hydration_script: format!(
                "const hydrate = () => import({js:?}).then((glue) => \
                 glue.default({{ module_or_path: {wasm:?} }}).then(() => glue.hydrate())); \
                 if ('requestIdleCallback' in window) requestIdleCallback(hydrate, {{ timeout: 2000 }}); \
                 else hydrate();",
                js = name("js"),
                wasm = name("wasm"),
            ),
        }
    })
}

/// The demo's search provider: the stand-in, on the demo's own address (set when the router
/// is built), and one HTTP client for every search (it keeps its connections).
static SEARCH_PROVIDER: std::sync::OnceLock<SearchProvider> = std::sync::OnceLock::new();

struct SearchProvider {
    client: reqwest::Client,
    url: String,
}

/// The shop's search: the catalog's products whose name or description holds `query`. As a
/// shop with a search provider does, it also sends the query to the provider with the same
/// visitor and session ids as tracking (`TrackingIds::current()`; none without consent), so
/// that the provider can join the search to what the shopper clicks next. The search
/// answers even when the provider does not.
pub async fn search(query: &str) -> Vec<u32> {
    let wanted = query.trim().to_lowercase();
    let found = PRODUCTS
        .iter()
        .filter(|p| {
            !wanted.is_empty()
                && (p.name.to_lowercase().contains(&wanted)
                    || p.description.to_lowercase().contains(&wanted))
        })
        .map(|p| p.id)
        .collect();
    if let Some(provider) = SEARCH_PROVIDER.get() {
        let mut parameters = vec![("q", query.to_owned())];
        if let Some(ids) = leptos_consent::tracking::TrackingIds::current() {
            parameters.push(("coid", ids.visitor.into()));
            parameters.push(("sid", ids.session));
        }
        let asked = provider
            .client
            .get(&provider.url)
            .query(&parameters)
            .timeout(std::time::Duration::from_secs(2))
            .send()
            .await;
        if let Err(error) = asked {
            tracing::warn!(%error, "the search provider did not answer");
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use axum::{
        body::Body,
        http::{Request, StatusCode, header},
    };
    use tower::ServiceExt;

    use super::*;

    /// A site root with a hashed bundle file and its brotli copy, as a release build writes,
    /// served with `hash_files` as given.
    fn release_site(hash_files: bool) -> (PathBuf, LeptosOptions) {
        let root =
            std::env::temp_dir().join(format!("demo-bundle-{}-{hash_files}", std::process::id()));
        fs::create_dir_all(root.join("pkg")).unwrap();
        fs::write(root.join("pkg/demo_shop.0123abcd.wasm"), b"\0asm plain").unwrap();
        fs::write(root.join("pkg/demo_shop.0123abcd.wasm.br"), b"brotli bytes").unwrap();
        let options = LeptosOptions::builder()
            .output_name("demo_shop")
            .site_root(root.display().to_string())
            .hash_files(hash_files)
            .build();
        (root, options)
    }

    #[tokio::test]
    async fn the_bundle_goes_out_precompressed_and_cached_for_a_year_when_hashed() {
        let (root, options) = release_site(true);
        let files = bundle_service(&options);
        let get = |encoding: &'static str| {
            Request::get("/demo_shop.0123abcd.wasm")
                .header(header::ACCEPT_ENCODING, encoding)
                .body(Body::empty())
                .unwrap()
        };
        let brotli = files.clone().oneshot(get("gzip, br")).await.unwrap();
        assert_eq!(brotli.status(), StatusCode::OK);
        assert_eq!(brotli.headers()[header::CONTENT_ENCODING], "br");
        assert_eq!(brotli.headers()[header::CONTENT_TYPE], "application/wasm");
        assert_eq!(
            brotli.headers()[header::CACHE_CONTROL],
            "public, max-age=31536000, immutable"
        );
        // A browser that takes neither gets the file itself.
        let plain = files.clone().oneshot(get("identity")).await.unwrap();
        assert!(plain.headers().get(header::CONTENT_ENCODING).is_none());
        let missing = files
            .oneshot(Request::get("/nothing.js").body(Body::empty()).unwrap())
            .await
            .unwrap();
        assert_eq!(missing.status(), StatusCode::NOT_FOUND);
        let _ = fs::remove_dir_all(root);
    }

    #[tokio::test]
    async fn without_hashes_the_browser_asks_again() {
        let (root, options) = release_site(false);
        let response = bundle_service(&options)
            .oneshot(
                Request::get("/demo_shop.0123abcd.wasm")
                    .body(Body::empty())
                    .unwrap(),
            )
            .await
            .unwrap();
        assert_eq!(response.headers()[header::CACHE_CONTROL], "no-cache");
        let _ = fs::remove_dir_all(root);
    }
}
