//! Nordlys Kaffe, the demo shop of leptos-consent: a small Leptos + axum storefront that
//! uses the crate the way its README tells shop developers to.
//!
//! The same crate builds the server (`ssr`, the `demo-shop` binary) and the browser bundle
//! (`hydrate`, this library as WASM). `cargo xtask demo` builds both and serves the shop.

pub mod app;
pub mod cart;
pub mod catalog;
mod consent_ui;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod server;
#[cfg(feature = "ssr")]
pub mod stand_in_provider;

/// The browser entry point: hydrates the server-rendered page.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::App);
}
