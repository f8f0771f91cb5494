//! The demo's server side: settings from the environment and the axum router.

use std::{
    fs,
    io::{self, Write},
    path::{Path, PathBuf},
};

use axum::Router;
use leptos::prelude::*;
use leptos_axum::{LeptosRoutes, generate_route_list};
use leptos_consent::{ConfigError, ConsentConfig, ConsentLayer, ConsentMode};

use crate::app::{App, shell};

/// Where the demo keeps its data (the generated signing secret, later its database):
/// `DEMO_DATA_DIR`, default `target/demo-shop`.
pub fn data_dir() -> PathBuf {
    std::env::var_os("DEMO_DATA_DIR")
        .map_or_else(|| PathBuf::from("target/demo-shop"), PathBuf::from)
}

/// Why the demo could not start.
#[derive(Debug)]
pub enum StartupError {
    /// A consent setting was refused.
    Consent(ConfigError),
    /// An environment variable holds something the demo cannot use.
    Setting(String),
    /// The data directory or the secret file could not be used.
    Io(PathBuf, io::Error),
}

impl std::fmt::Display for StartupError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StartupError::Consent(error) => write!(f, "consent configuration: {error}"),
            StartupError::Setting(message) => f.write_str(message),
            StartupError::Io(path, error) => write!(f, "{}: {error}", path.display()),
        }
    }
}

impl std::error::Error for StartupError {}

/// The consent configuration, from the environment:
///
/// | Variable | Meaning | Default |
/// |---|---|---|
/// | `CONSENT_SECRET` | signing secret, 32+ bytes | generated once into `<data dir>/consent-secret` |
/// | `CONSENT_MODE` | `block` or `passive` | `block` |
/// | `CONSENT_LOCALE` | site locale, `en` or `da` | `en` |
/// | `CONSENT_INSECURE_COOKIES` | `1`: no `Secure` flag, for plain http on a LAN address | off |
pub fn consent_config(data_dir: &Path) -> Result<ConsentConfig, StartupError> {
    let secret = match std::env::var("CONSENT_SECRET") {
        Ok(secret) => secret,
        Err(_) => stored_secret(&data_dir.join("consent-secret"))?,
    };
    let mode = match std::env::var("CONSENT_MODE").as_deref() {
        Ok("block") | Err(_) => ConsentMode::BlockBeforeConsent,
        Ok("passive") => ConsentMode::PassiveInfo,
        Ok(other) => {
            return Err(StartupError::Setting(format!(
                "CONSENT_MODE={other:?}: use \"block\" or \"passive\""
            )));
        }
    };
    ConsentConfig::builder()
        .secret(secret)
        .mode(mode)
        .locale(std::env::var("CONSENT_LOCALE").unwrap_or_else(|_| "en".to_owned()))
        .secure(std::env::var("CONSENT_INSECURE_COOKIES").as_deref() != Ok("1"))
        .policy_url("/terms?HideCookieDialog=1#cookieconsent")
        .build()
        .map_err(StartupError::Consent)
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

/// The shop's router: the Leptos pages, the server functions, the static files, and the
/// [`ConsentLayer`] around all of them (left out only to measure what it costs).
pub fn router(options: LeptosOptions, consent: Option<ConsentConfig>) -> Router {
    let routes = generate_route_list(App);
    let router = Router::new()
        .leptos_routes(&options, routes, {
            let options = options.clone();
            move || shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler(shell))
        .with_state(options);
    match consent {
        Some(consent) => router.layer(ConsentLayer::new(consent)),
        None => router,
    }
}
