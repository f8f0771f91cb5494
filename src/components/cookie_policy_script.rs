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
/// Its element (`#lc-cookie-policy`) carries `data-lc-decision`: how the shopper decided
/// (`accept_all`, `reject_all`, `custom`, `acknowledge`; absent while undecided), kept
/// current after a decision in the page, for privacy tools and tests (see the README's
/// "Privacy tools"). `data-decision` (the decision's compact form) and `data-services` are
/// for the script itself.
///
/// `window.CookiePolicy` holds `cookiesRequireConsent`, `allowFunctionalCookies`,
/// `allowStatisticsCookies`, `allowTrackingCookies`, and `allowStatisdicsCookies` (the
/// spelling scripts written for the original shop platform read), and, when the shop
/// declares [`Service`](crate::Service)s, `services`: each service's id mapped to whether it
/// may run (`{"ga4": true, "hotjar": false}`). When the shopper decides
/// in the page, it is updated and a `cookiepolicychange` event (its `detail` is
/// `window.CookiePolicy`) is dispatched on `document`; it bubbles to `window`.
///
/// Gated scripts run once, in document order, as soon as their category is allowed, with
/// the page's CSP nonce: markup such as `<script type="text/plain" nonce="…"
/// class="cpc-script-inline-statistics">…</script>` or `<script type="text/plain"
/// nonce="…" data-cpc-src="/tag.js" class="cpc-script-src-tracking"></script>`, and
/// [`GatedScript`](crate::GatedScript). On a page served with a nonce, only markup that
/// carries it runs (write `nonce=leptos::nonce::use_nonce()`), and `data-cpc-src` must be an
/// `http(s)` URL: injected markup never becomes script execution.
/// A script cannot be unloaded: when the shopper withdraws a category whose scripts ran on
/// the page, the page reloads.
///
/// It is plain JavaScript, so it works before the WASM loads, and renders nothing in the
/// browser. Pages of a visit carry only the request's part (`window.CookiePolicy`, the
/// element's data); the runtime itself is a file the [`ConsentLayer`](crate::ConsentLayer)
/// serves from a path named by its content, cacheable for a year, which the element loads
/// at once (not `async`, not `defer`: it runs before the scripts that follow it). The first
/// page of a visit (`Sec-Fetch-Site` other than `same-origin`: typed in, bookmarked, from
/// another site) carries the runtime in the element instead, so it waits for no second
/// request, and has the browser fetch the file while idle (`<link rel="prefetch">`) for the
/// pages that follow. The elements carry the response's nonce (see `leptos::nonce`).
///
/// With [`google_consent_mode`](crate::ConsentConfigBuilder::google_consent_mode) on, it
/// also sets Google Consent Mode v2's defaults before any tag (`gtag('consent', 'default',
/// …)` for `ad_storage`, `ad_user_data`, `ad_personalization` from the tracking category and
/// `analytics_storage` from statistics, as the server knows them, Global Privacy Control
/// included), and sends `gtag('consent', 'update', …)` after every decision in the page.
#[component]
pub fn CookiePolicyScript() -> impl IntoView {
    #[cfg(feature = "ssr")]
    let (policy, (src, code, prefetch), consent_mode, nonce, services, decision, tracking) = {
        use crate::server::{RuntimeDelivery, runtime_file};
        let inputs = crate::server::cookie_policy_inputs();
        let state = &inputs.state;
        let tracks = inputs.tracking.is_some();
        let (path, code) = (runtime_file::path(tracks), runtime_file::code(tracks));
        (
            policy_for(state, inputs.google_consent_mode),
            match inputs.runtime {
                RuntimeDelivery::File => (Some(path), "", None),
                RuntimeDelivery::InlineAndPrefetch => (None, code, Some(path)),
                RuntimeDelivery::Inline => (None, code, None),
            },
            inputs.google_consent_mode.then_some(""),
            leptos::nonce::use_nonce(),
            declared_services(state),
            state
                .decision
                .as_ref()
                .map(|decision| (decision.encode_compact(), decision.action.as_str())),
            inputs
                .tracking
                .map(crate::tracking::TrackerSettings::encode),
        )
    };
    #[cfg(not(feature = "ssr"))]
    let (policy, (src, code, prefetch), consent_mode, nonce, services, decision, tracking) = (
        String::new(),
        (None::<&str>, "", None::<&str>),
        None::<&str>,
        None::<leptos::nonce::Nonce>,
        None::<String>,
        None::<(String, &str)>,
        None::<String>,
    );
    // The decision twice: compact for the runtime, and by name for privacy tools.
    let (compact, action) = decision.unzip();
    view! {
        <script nonce=nonce.clone() inner_html=policy></script>
        <script
            id="lc-cookie-policy"
            nonce=nonce
            src=src
            data-google-consent-mode=consent_mode
            data-services=services
            data-decision=compact
            data-lc-decision=action
            data-tracking=tracking
            inner_html=code
        ></script>
        {prefetch.map(|href| view! { <link rel="prefetch" href=href/> })}
    }
}

/// What the page itself carries of the runtime: Google Consent Mode's defaults when asked
/// for, then `window.CookiePolicy = {…};`. The runtime (and the tracker's half, when the
/// shop tracks) follows as a file ([`runtime_file`](crate::server::runtime_file)).
#[cfg(feature = "ssr")]
pub(crate) fn policy_for(state: &crate::ConsentState, google_consent_mode: bool) -> String {
    use crate::{Category, ConsentMode};
    let granted = |category| {
        if state.allows(category) {
            "granted"
        } else {
            "denied"
        }
    };
    let consent_mode = if google_consent_mode {
        let ads = granted(Category::Tracking);
        format!(
            "window.dataLayer=window.dataLayer||[];function gtag(){{dataLayer.push(arguments);}}\
             gtag(\"consent\",\"default\",{{\"ad_storage\":\"{ads}\",\"ad_user_data\":\"{ads}\",\
             \"ad_personalization\":\"{ads}\",\"analytics_storage\":\"{}\"}});\n",
            granted(Category::Statistics)
        )
    } else {
        String::new()
    };
    format!(
        "{consent_mode}window.CookiePolicy={{\"cookiesRequireConsent\":{},\
         \"allowFunctionalCookies\":{},\"allowStatisticsCookies\":{},\"allowTrackingCookies\":{}}};",
        state.mode == ConsentMode::BlockBeforeConsent,
        state.allows(Category::Functional),
        state.allows(Category::Statistics),
        state.allows(Category::Tracking),
    )
}

/// The script element's `data-services`: the declared services as `id:category`, in their
/// order (service `i` is bit `i` of the decision's refused services), from which the runtime
/// writes `window.CookiePolicy.services`; `None` when the shop declares no services (then
/// the object has no `services`).
#[cfg(feature = "ssr")]
fn declared_services(state: &crate::ConsentState) -> Option<String> {
    if state.services.is_empty() {
        return None;
    }
    let declared = state
        .services
        .iter()
        .map(|service| format!("{}:{}", service.id, service.category.as_str()))
        .collect::<Vec<_>>()
        .join(" ");
    Some(declared)
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;
    use crate::{
        CategorySet, ConsentAction, ConsentDecision, ConsentMode, ConsentState,
        server::runtime_file::{RUNTIME, TRACKER},
    };

    #[test]
    fn the_policy_object_follows_the_state() {
        let undecided = policy_for(&ConsentState::default(), false);
        assert_eq!(
            undecided,
            "window.CookiePolicy={\"cookiesRequireConsent\":true,\"allowFunctionalCookies\":false,\
             \"allowStatisticsCookies\":false,\"allowTrackingCookies\":false};"
        );
        // Which the runtime, loaded next, completes.
        assert!(
            RUNTIME.contains("allowStatisdicsCookies"),
            "the platform's alias"
        );
        assert!(RUNTIME.contains("cookiepolicychange"));

        let decided = ConsentState {
            decision: Some(ConsentDecision {
                consent_id: uuid::Uuid::nil(),
                granted: CategorySet::essential().with(crate::Category::Statistics),
                action: ConsentAction::Custom,
                decided_at: 0,
                refused_services: Default::default(),
            }),
            ..ConsentState::default()
        };
        assert!(policy_for(&decided, false).contains(
            "\"allowFunctionalCookies\":false,\"allowStatisticsCookies\":true,\
             \"allowTrackingCookies\":false"
        ));
        let passive = ConsentState {
            mode: ConsentMode::PassiveInfo,
            ..ConsentState::default()
        };
        assert!(
            policy_for(&passive, false)
                .starts_with("window.CookiePolicy={\"cookiesRequireConsent\":false")
        );
    }

    #[test]
    fn google_consent_mode_defaults_come_first_and_follow_the_state() {
        let off = policy_for(&ConsentState::default(), false);
        assert!(!off.contains("gtag(\"consent\",\"default\""));
        let denied = policy_for(&ConsentState::default(), true);
        assert!(denied.starts_with(
            "window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments);}\
             gtag(\"consent\",\"default\",{\"ad_storage\":\"denied\",\"ad_user_data\":\"denied\",\
             \"ad_personalization\":\"denied\",\"analytics_storage\":\"denied\"});"
        ));
        let all = ConsentState {
            decision: Some(ConsentDecision {
                consent_id: uuid::Uuid::nil(),
                granted: CategorySet::all(),
                action: ConsentAction::AcceptAll,
                decided_at: 0,
                refused_services: Default::default(),
            }),
            ..ConsentState::default()
        };
        assert!(policy_for(&all, true).contains("\"ad_storage\":\"granted\""));
        assert!(policy_for(&all, true).contains("\"analytics_storage\":\"granted\""));
    }

    #[test]
    fn services_are_declared_to_the_runtime_in_order() {
        assert_eq!(
            declared_services(&ConsentState::default()),
            None,
            "none declared"
        );
        let services = ConsentState {
            services: std::sync::Arc::new([
                crate::Service::new("ga4", "Google Analytics 4", crate::Category::Statistics),
                crate::Service::new("hotjar", "Hotjar", crate::Category::Statistics),
                crate::Service::new("meta", "Meta pixel", crate::Category::Tracking),
            ]),
            ..ConsentState::default()
        };
        assert_eq!(
            declared_services(&services).as_deref(),
            Some("ga4:statistics hotjar:statistics meta:tracking")
        );
    }

    #[test]
    fn the_runtime_spells_the_protocol_as_the_server_does() {
        use crate::protocol::{
            CHECKED_ATTRIBUTE, COOKIE_DETAILS_PATH, DECIDE_PATH, DECISION_HEADER,
        };
        use crate::{CHANGE_CONSENT_PARAM, HIDE_DIALOG_PARAM};
        for spelled in [
            format!("\"{HIDE_DIALOG_PARAM}\""),
            format!("\"{HIDE_DIALOG_PARAM}=1\""),
            format!("\"{CHANGE_CONSENT_PARAM}\""),
            format!("\"{COOKIE_DETAILS_PATH}?\""),
            format!("\"{DECISION_HEADER}\""),
            // The gate's form, which the runtime builds after client-side navigation.
            format!("\"{DECIDE_PATH}\""),
            format!(
                "\"{}\"",
                super::super::cookie_policy_text::COOKIE_DETAILS_PLACEHOLDER
            ),
            format!("\"[{CHECKED_ATTRIBUTE}]\""),
            format!("\"{CHECKED_ATTRIBUTE}\""),
        ] {
            assert!(RUNTIME.contains(&spelled), "{spelled}");
        }
        // The banner's form posts where the server says (its action), not to a spelled path.
        assert!(RUNTIME.contains(".getAttribute(\"action\")"));
        let collect = crate::protocol::COLLECT_PATH;
        assert!(TRACKER.contains(&format!("\"{collect}\"")), "{collect}");
        // The delete button's form, which stops the tracker.
        assert!(TRACKER.contains("\"lc-forget\""));
        // The kinds of event that show a page, recorded once a client-side navigation is done.
        for kind in [crate::EventKind::PageView, crate::EventKind::ProductView] {
            assert!(
                TRACKER.contains(&format!("\"{}\"", kind.as_str())),
                "{kind}"
            );
        }
    }

    #[test]
    fn the_tracker_is_minified_and_listens_for_events() {
        assert!(!RUNTIME.contains("lc-track"));
        assert!(TRACKER.contains(".addEventListener(\"lc-track\","));
        assert!(TRACKER.trim_end().ends_with("(window,document);"));
        let source = include_str!("tracker.js");
        assert!(TRACKER.len() * 2 < source.len());
    }

    #[test]
    fn pages_get_the_runtime_minified() {
        let source = include_str!("cookie_policy.js");
        assert!(!RUNTIME.contains("\n//") && !RUNTIME.contains("/*"));
        assert!(RUNTIME.contains(".addEventListener(\"cookiepolicychange\","));
        assert!(RUNTIME.trim_end().ends_with("(window,document);"));
        assert!(
            RUNTIME.len() * 2 < source.len(),
            "{} of {} bytes",
            RUNTIME.len(),
            source.len()
        );
    }

    #[test]
    fn the_script_cannot_be_closed_early() {
        // It is written into a <script> element as is: it must never hold a closing tag.
        assert!(
            !policy_for(&ConsentState::default(), true)
                .to_ascii_lowercase()
                .contains("</script")
        );
    }
}
