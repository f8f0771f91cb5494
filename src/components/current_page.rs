//! The page the shopper is on, as a same-origin path and query.

use leptos::prelude::*;

use crate::ConsentContext;
#[cfg(not(feature = "ssr"))]
use crate::url::local_target;

/// The current page (`/path?query`), reactive.
///
/// On the server, and in the browser outside a `<Router>`, it is the page the server
/// rendered. Inside a `<Router>` in the browser it follows client-side navigation (through
/// the router's `BrowserUrl`, the one piece of router state it provides as a context).
pub(crate) fn current_page(consent: ConsentContext) -> impl Fn() -> String + Clone + Send + Sync {
    #[cfg(not(feature = "ssr"))]
    let url = {
        use leptos_router::location::{BrowserUrl, LocationProvider};
        use_context::<BrowserUrl>().map(|browser| browser.as_url().clone())
    };
    move || {
        #[cfg(not(feature = "ssr"))]
        if let Some(url) = &url {
            return url.with(|url| {
                let search = url.search();
                local_target(url.path(), Some(search.strip_prefix('?').unwrap_or(search)))
            });
        }
        // Already a same-origin target: the server made it with `local_target`.
        consent.state().with(|state| state.page.clone())
    }
}
