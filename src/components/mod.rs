//! The Leptos components: one file each.

mod change_consent_link;
mod consent_banner;

pub use change_consent_link::*;
pub use consent_banner::*;
