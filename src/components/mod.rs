//! The Leptos components: one file each.

mod banner_markup;
mod change_consent_link;
mod consent_banner;
mod current_page;

pub use change_consent_link::*;
pub use consent_banner::*;
