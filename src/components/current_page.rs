//! The page the shopper is on, as a same-origin path and query.

use leptos::prelude::*;

use crate::{ConsentContext, local_target};

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
        consent.state().with(|state| local_target_of(&state.page))
    }
}

/// Splits a target into path and query (for [`local_target`]).
pub(crate) fn split_target(target: &str) -> (&str, Option<&str>) {
    match target.split_once('?') {
        Some((path, query)) => (path, Some(query)),
        None => (target, None),
    }
}

fn local_target_of(page: &str) -> String {
    let (path, query) = split_target(page);
    local_target(path, query)
}
