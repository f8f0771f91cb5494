//! `<ConsentStyles/>`: the crate's stylesheet inlined into the page, with the CSP nonce.

use leptos::prelude::*;

/// The crate's stylesheet ([`style::STYLESHEET`](crate::style::STYLESHEET)) as a `<style>`
/// element carrying the response's CSP nonce. Place it once, in the shell's `<head>`
/// (before the shop's own stylesheet, so the shop's theme wins):
///
/// ```
/// use leptos::prelude::*;
/// use leptos_consent::{ConsentStyles, CookiePolicyScript};
///
/// #[component]
/// fn Head() -> impl IntoView {
///     view! { <CookiePolicyScript/> <ConsentStyles/> }
/// }
/// ```
///
/// It is rendered by the server only: hydration adopts it as it is, and the WASM bundle
/// does not carry the stylesheet. A shop that prefers a cached file serves
/// [`style::serve`](crate::style) instead.
#[component]
pub fn ConsentStyles() -> impl IntoView {
    #[cfg(feature = "ssr")]
    let (css, nonce) = (crate::style::STYLESHEET, leptos::nonce::use_nonce());
    #[cfg(not(feature = "ssr"))]
    let (css, nonce) = ("", None::<leptos::nonce::Nonce>);
    view! { <style id="lc-styles" nonce=nonce inner_html=css></style> }
}
