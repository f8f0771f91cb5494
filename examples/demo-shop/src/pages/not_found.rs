//! The page for unknown paths and products.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

/// "Not found", with status 404 on the server.
#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(axum::http::StatusCode::NOT_FOUND);
    }
    view! {
        <Title text="Not found"/>
        <section class="not-found">
            <h1>"We could not find that page"</h1>
            <p><A href="/">"Back to the shop"</A></p>
        </section>
    }
}
