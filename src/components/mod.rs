//! The Leptos components: one file each.

#[cfg(feature = "ssr")]
mod banner_markup;
mod change_consent_link;
mod consent_banner;
mod consent_gate;
mod consent_styles;
mod cookie_details;
mod cookie_policy_script;
mod cookie_policy_text;
#[cfg(feature = "ssr")]
mod current_page;
mod delete_cookies_button;
mod gated_script;
mod tags;

pub use change_consent_link::*;
pub use consent_banner::*;
pub use consent_gate::*;
pub use consent_styles::*;
pub use cookie_details::*;
pub use cookie_policy_script::*;
pub use cookie_policy_text::*;
pub use delete_cookies_button::*;
pub use gated_script::*;
pub use tags::*;

/// A component's class attribute: its own class, then the shop's extra classes. Set once,
/// when it renders: a reactive class would cost every shop's bundle its bindings.
fn classes(own: &'static str, extra: Option<String>) -> String {
    match extra {
        Some(extra) => format!("{own} {extra}"),
        None => own.to_owned(),
    }
}

/// The page's CSP nonce for gated markup: the server's for this response; in the browser (a
/// client-side navigation) the one the page was served with, which the activator asks for.
fn page_nonce() -> Option<String> {
    #[cfg(feature = "ssr")]
    return leptos::nonce::use_nonce().map(|nonce| nonce.to_string());
    #[cfg(not(feature = "ssr"))]
    return crate::client::cookie_policy::page_nonce();
}
