//! The crate's HTTP endpoints, as Leptos server functions: the only shared code that names
//! the server half (their bodies live there, behind the `ssr` feature).
//!
//! Leptos registers them by itself; the shop mounts nothing. The
//! [`ConsentLayer`](crate::ConsentLayer) must wrap the router that serves them, since
//! they read the request's consent from it.

mod collect;
mod cookie_details;
mod decide;
mod forget;

pub use collect::{CollectEvents, collect_events};
pub use cookie_details::{CookieDetailsFragment, cookie_details_fragment};
pub use decide::{DecideConsent, decide_consent};
pub use forget::{ForgetCookies, forget_cookies};

#[cfg(test)]
mod tests {
    use leptos::server_fn::ServerFn;

    use super::*;
    use crate::protocol;

    #[test]
    fn the_generated_paths_are_the_shared_ones() {
        assert_eq!(DecideConsent::PATH, protocol::DECIDE_PATH);
        assert_eq!(ForgetCookies::PATH, protocol::FORGET_PATH);
        assert_eq!(CollectEvents::PATH, protocol::COLLECT_PATH);
        assert_eq!(CookieDetailsFragment::PATH, protocol::COOKIE_DETAILS_PATH);
    }
}
