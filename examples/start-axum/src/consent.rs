//! leptos-consent's server half: the configuration, with the consent log.

// ANCHOR: config
use std::{error::Error, time::Duration};

use leptos_consent::{log::ConsentLog, store::Store, ConsentConfig, ConsentMode};

/// The consent configuration, with a consent log in SQLite (`data/`, git-ignored).
pub async fn config() -> Result<ConsentConfig, Box<dyn Error>> {
    // 32+ random bytes, the same on every instance and across restarts (a new secret asks
    // every shopper again): `export CONSENT_SECRET=$(openssl rand -base64 48)`.
    let secret = std::env::var("CONSENT_SECRET")
        .map_err(|_| "set CONSENT_SECRET to 32+ random bytes: openssl rand -base64 48")?;
    let database =
        std::env::var("CONSENT_DATABASE").unwrap_or_else(|_| "sqlite://data/consent.db".into());
    let log = ConsentLog::builder(Store::connect(&database).await?)
        .journal("data/consent-journal.jsonl") // where records wait if the database is down
        .build();
    log.spawn_retention(Duration::from_secs(6 * 3600)); // deletes entries after five years
    let config = ConsentConfig::builder()
        .secret(secret)
        .mode(ConsentMode::BlockBeforeConsent) // or PassiveInfo
        .policy_url("/?HideCookieDialog=1") // your cookie policy page
        .log(log)
        .build()?; // every setting is checked here
    Ok(config)
}
// ANCHOR_END: config
