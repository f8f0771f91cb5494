//! `demo-shop`: serves the demo shop (build the browser bundle first; `cargo xtask demo`
//! does both).
//!
//! `demo-shop retention` instead applies the consent log's retention once (replaying the
//! fallback journal first) and exits: for a scheduler outside the shop.

use std::{net::SocketAddr, process::ExitCode, time::Duration};

use demo_shop::server;
use leptos::config::get_configuration;
use tracing_subscriber::EnvFilter;

/// How often the running shop applies the consent log's retention.
const RETENTION_EVERY: Duration = Duration::from_secs(6 * 3600);

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .init();
    let outcome = match std::env::args().nth(1).as_deref() {
        None | Some("serve") => serve().await,
        Some("retention") => retention().await,
        Some(other) => {
            Err(format!("unknown command {other:?}: use `serve` (default) or `retention`").into())
        }
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!("demo-shop stopped: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn serve() -> Result<(), Box<dyn std::error::Error>> {
    let options = get_configuration(None)?.leptos_options;
    let data_dir = server::data_dir();
    let store = server::store(&data_dir).await?;
    let log = server::consent_log(store.clone(), &data_dir)?;
    let registry = server::cookie_registry(store.clone()).await?;
    let (tracking, outbox) = server::tracking(options.site_addr, store)?;
    let consent = server::consent_config(&data_dir, log.clone(), registry.clone(), Some(tracking))?;
    let admin = match server::admin_token()? {
        Some(token) => {
            let (console, scanner) = server::privacy_console(
                &data_dir,
                log.clone(),
                registry.clone(),
                outbox.clone(),
                token.clone(),
            )?;
            Some(server::Admin {
                log: log.clone(),
                registry,
                outbox: outbox.clone(),
                token,
                console,
                scanner,
            })
        }
        None => None,
    };
    if admin.is_none() {
        tracing::info!("ADMIN_TOKEN is not set: the admin endpoints are off");
    }
    let _retention = log.spawn_retention(RETENTION_EVERY);
    let addr = options.site_addr;
    // The baseline build (`cargo xtask load`'s shop without leptos-consent) serves no layer.
    let consent = (!cfg!(feature = "baseline")).then_some(consent);
    let app = server::router(options, consent, admin)?;
    let listener = tokio::net::TcpListener::bind(addr).await?;
    tracing::info!("Nordlys Kaffe is open at http://{addr}");
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await?;
    // The delivery under way finishes; what is pending waits in the outbox for the next start.
    outbox.stop().await;
    Ok(())
}

async fn retention() -> Result<(), Box<dyn std::error::Error>> {
    let data_dir = server::data_dir();
    let log = server::consent_log(server::store(&data_dir).await?, &data_dir)?;
    let deleted = log.apply_retention().await?;
    tracing::info!(deleted, "consent log retention applied");
    log.store().close().await;
    Ok(())
}
