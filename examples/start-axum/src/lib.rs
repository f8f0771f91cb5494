//! A fresh Leptos start-axum app with leptos-consent: the README's quick start, as an app.

pub mod app;
#[cfg(feature = "ssr")]
pub mod consent;

/// The browser entry point: hydrates the server-rendered page.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::App);
}
