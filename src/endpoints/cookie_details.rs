//! `GET /_consent/cookie-details`: the endpoint the browser asks for a fresh cookie details
//! grid.

pub use endpoint::{CookieDetailsFragment, cookie_details_fragment};

/// The server function lives in its own module: the struct the macro generates carries no
/// field docs.
#[allow(missing_docs, unreachable_pub)]
mod endpoint {
    use leptos::{prelude::*, server_fn::codec::GetUrl};

    /// The cookie details grid's HTML for the cookies the request carries plus `present`,
    /// the names the page's `document.cookie` holds (`;`-separated, at most
    /// 200 of at most 256 bytes; more is a 400). Every
    /// text in it is escaped. `GET /_consent/cookie-details?present=…`, never cached.
    #[server(
        name = CookieDetailsFragment,
        prefix = "/_consent",
        endpoint = "cookie-details",
        input = GetUrl
    )]
    pub async fn cookie_details_fragment(
        #[server(default)] present: String,
    ) -> Result<String, ServerFnError> {
        crate::server::endpoints::cookie_details_for_browser(&present)
    }
}
