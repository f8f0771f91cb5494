// ANCHOR: main
#[cfg(feature = "ssr")]
#[tokio::main]
async fn main() {
    use axum::Router;
    use leptos::logging::log;
    use leptos::prelude::*;
    use leptos_axum::{generate_route_list, LeptosRoutes};
    use start_axum::app::*;

    // leptos-consent reports through `tracing` (a database outage, the fallback journal, a
    // missing client address): install a subscriber, or those reports go nowhere.
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .init();

    let conf = get_configuration(None).unwrap();
    let addr = conf.leptos_options.site_addr;
    let leptos_options = conf.leptos_options;
    let routes = generate_route_list(App);
    // leptos-consent's configuration (src/consent.rs).
    let consent = start_axum::consent::config()
        .await
        .expect("leptos-consent configuration");

    let app = Router::new()
        .leptos_routes(&leptos_options, routes, {
            let leptos_options = leptos_options.clone();
            move || shell(leptos_options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler(shell))
        // leptos-consent, around every route (pages and server functions): it reads each
        // request's consent once, before anything renders.
        .layer(leptos_consent::ConsentLayer::new(consent))
        .with_state(leptos_options);

    log!("listening on http://{}", &addr);
    let listener = tokio::net::TcpListener::bind(&addr).await.unwrap();
    // leptos-consent: serve with the client's address, which the consent log records and
    // limits decisions by (without it, debug builds answer 500 naming this fix).
    // Behind a reverse proxy, add `.client_ip(ClientIp::ForwardedFor { trusted_proxies: 1 })`
    // to the `ConsentConfig` (the number of your own proxies).
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .await
    .unwrap();
}
// ANCHOR_END: main

#[cfg(not(feature = "ssr"))]
pub fn main() {
    // The browser half starts in lib.rs (`hydrate`).
}
