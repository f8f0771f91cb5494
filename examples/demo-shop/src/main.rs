//! `demo-shop`: serves the demo shop. Build the browser bundle first (`cargo xtask demo`
//! does both).

use std::{net::SocketAddr, process::ExitCode};

use demo_shop::server;
use leptos::config::get_configuration;
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .init();
    match serve().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!("demo-shop stopped: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn serve() -> Result<(), Box<dyn std::error::Error>> {
    let options = get_configuration(None)?.leptos_options;
    let consent = server::consent_config(&server::data_dir())?;
    let addr = options.site_addr;
    let app = server::router(options, Some(consent));
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
    Ok(())
}
