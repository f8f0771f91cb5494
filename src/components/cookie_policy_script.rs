//! `<CookiePolicyScript/>`: `window.CookiePolicy` and the activation of consent-gated
//! scripts, rendered by the server into the page's `<head>`.

use leptos::prelude::*;

/// `window.CookiePolicy` for the shop's and apps' scripts, and the code that runs
/// consent-gated scripts. Place it first in the `<head>` of your shell, before any script
/// of the shop:
///
/// ```
/// # use leptos::prelude::*;
/// use leptos_consent::CookiePolicyScript;
///
/// fn shell() -> impl IntoView {
///     view! {
///         <!DOCTYPE html>
///         <html lang="en">
///             <head>
///                 <meta charset="utf-8"/>
///                 <CookiePolicyScript/>
///                 // … the shop's scripts, HydrationScripts, MetaTags
///             </head>
///             <body>"…"</body>
///         </html>
///     }
/// }
/// ```
///
/// `window.CookiePolicy` holds `cookiesRequireConsent`, `allowFunctionalCookies`,
/// `allowStatisticsCookies`, `allowTrackingCookies`, and `allowStatisdicsCookies` (the
/// spelling scripts written for the original shop platform read). When the shopper decides
/// in the page, it is updated and a `cookiepolicychange` event (its `detail` is
/// `window.CookiePolicy`) is dispatched on `document`; it bubbles to `window`.
///
/// Gated scripts run once, in document order, as soon as their category is allowed, with
/// the page's CSP nonce: markup such as `<script type="text/plain"
/// class="cpc-script-inline-statistics">…</script>` or `<script data-cpc-src="/tag.js"
/// class="cpc-script-src-tracking"></script>`, and [`GatedScript`](crate::GatedScript).
/// A script cannot be unloaded: when the shopper withdraws a category whose scripts ran on
/// the page, the page reloads.
///
/// It is plain JavaScript in the first HTML (carrying the response's nonce, see
/// `leptos::nonce`), so it works before the WASM loads; it renders nothing in the browser.
#[component]
pub fn CookiePolicyScript() -> impl IntoView {
    #[cfg(feature = "ssr")]
    let (code, nonce) = (
        script_for(&crate::server::bootstrap().state),
        leptos::nonce::use_nonce(),
    );
    #[cfg(not(feature = "ssr"))]
    let (code, nonce) = (String::new(), None::<leptos::nonce::Nonce>);
    view! { <script id="lc-cookie-policy" nonce=nonce inner_html=code></script> }
}

/// `window.CookiePolicy = {…};` followed by the activation code.
#[cfg(feature = "ssr")]
pub(crate) fn script_for(state: &crate::ConsentState) -> String {
    use crate::{Category, ConsentMode};
    format!(
        "window.CookiePolicy={{\"cookiesRequireConsent\":{},\"allowFunctionalCookies\":{},\
         \"allowStatisticsCookies\":{},\"allowTrackingCookies\":{}}};\n{}",
        state.mode == ConsentMode::BlockBeforeConsent,
        state.allows(Category::Functional),
        state.allows(Category::Statistics),
        state.allows(Category::Tracking),
        include_str!("cookie_policy.js"),
    )
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;
    use crate::{CategorySet, ConsentAction, ConsentDecision, ConsentMode, ConsentState};

    #[test]
    fn the_policy_object_follows_the_state() {
        let undecided = script_for(&ConsentState::default());
        assert!(undecided.starts_with(
            "window.CookiePolicy={\"cookiesRequireConsent\":true,\"allowFunctionalCookies\":false,\
             \"allowStatisticsCookies\":false,\"allowTrackingCookies\":false};"
        ));
        assert!(
            undecided.contains("allowStatisdicsCookies"),
            "the platform's alias"
        );
        assert!(undecided.contains("cookiepolicychange"));

        let decided = ConsentState {
            decision: Some(ConsentDecision {
                consent_id: uuid::Uuid::nil(),
                granted: CategorySet::essential().with(crate::Category::Statistics),
                action: ConsentAction::Custom,
                decided_at: 0,
            }),
            ..ConsentState::default()
        };
        assert!(script_for(&decided).contains(
            "\"allowFunctionalCookies\":false,\"allowStatisticsCookies\":true,\
             \"allowTrackingCookies\":false"
        ));
        let passive = ConsentState {
            mode: ConsentMode::PassiveInfo,
            ..ConsentState::default()
        };
        assert!(
            script_for(&passive)
                .starts_with("window.CookiePolicy={\"cookiesRequireConsent\":false")
        );
    }

    #[test]
    fn the_script_cannot_be_closed_early() {
        // It is written into a <script> element as is: it must never hold a closing tag.
        assert!(
            !script_for(&ConsentState::default())
                .to_ascii_lowercase()
                .contains("</script")
        );
    }
}
