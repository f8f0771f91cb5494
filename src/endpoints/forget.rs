//! `POST /_consent/forget`, the endpoint behind [`DeleteCookiesButton`](crate::DeleteCookiesButton): "delete all my
//! cookies for this shop".

pub use endpoint::{ForgetCookies, forget_cookies};

/// The server function lives in its own module: the struct the macro generates carries no
/// field docs.
#[allow(missing_docs, unreachable_pub)]
mod endpoint {
    use leptos::prelude::*;

    /// Expires every cookie the request carries, on the host and on its registrable domain,
    /// the consent cookie included (so the shopper is asked again), and records the
    /// withdrawal in the consent log. A plain form post (no JavaScript) is sent back to
    /// `return_to` with `303 See Other`; cross-site posts are refused with 403.
    /// `POST /_consent/forget`.
    #[server(name = ForgetCookies, prefix = "/_consent", endpoint = "forget")]
    pub async fn forget_cookies(#[server(default)] return_to: String) -> Result<(), ServerFnError> {
        crate::server::endpoints::forget_all_cookies(&return_to).await
    }
}
