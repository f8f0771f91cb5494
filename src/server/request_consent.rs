//! The one read of a request's consent.
//!
//! The [`ConsentLayer`](crate::ConsentLayer) reads every request once, before anything is
//! rendered: the consent cookie (verified once), Global Privacy Control, the page, and the
//! tracking ids when the shop tracks. It puts the result in the request's extensions, where
//! the context, the policy script, the grid, the crate's endpoints and the server-side
//! events find it through [`RequestConsent::current`]. None of them reads the `Cookie`
//! header for the consent again.

use std::sync::Arc;

use http::{Extensions, HeaderMap, HeaderValue, Uri, request::Parts};
use uuid::Uuid;

use super::{
    ConsentConfig,
    hooks::RequestTracking,
    request::{cookie_values, unix_now},
};
use crate::{
    ConsentDecision, ConsentState, HIDE_DIALOG_PARAM,
    bootstrap::ConsentBootstrap,
    tracking::TrackerSettings,
    url::{local_target, query_param},
};

/// What one request says about the shopper's consent, read once by the layer.
#[derive(Debug)]
pub(crate) struct RequestConsent {
    /// The shop's configuration.
    pub(crate) config: ConsentConfig,
    /// The consent state the page renders with.
    pub(crate) state: ConsentState,
    /// The consent id of any consent cookie we signed, valid or not: a new decision keeps
    /// it, so that one browser keeps one consent id in the log.
    pub(crate) previous_consent_id: Option<Uuid>,
    /// The tracking ids and whether events may leave, when the shop tracks.
    pub(crate) tracking: Option<RequestTracking>,
    /// The shop's locale this request is answered in (its texts, the grid's, the log's).
    pub(crate) locale: Arc<str>,
}

impl ConsentConfig {
    /// The valid decision a request's cookies carry, if any.
    ///
    /// Only the consent cookie is looked at (the `Cookie` header is scanned, not parsed as a
    /// whole); when several cookies share its name, the first valid one wins. Pages and the
    /// crate's endpoints do not call this: the [`ConsentLayer`](crate::ConsentLayer) reads
    /// the cookie once per request for them.
    pub fn decision_from_headers(&self, headers: &HeaderMap) -> Option<ConsentDecision> {
        self.read_consent_cookies(cookie_values(headers, self.cookie_name()), unix_now())
            .decision
    }

    /// The consent state a page for this request renders with.
    pub fn state_for(&self, uri: &Uri, headers: &HeaderMap) -> ConsentState {
        self.state_with(uri, headers, self.decision_from_headers(headers))
    }

    /// The consent state of a request to `uri` with `headers`, whose cookie held `decision`.
    pub(crate) fn state_with(
        &self,
        uri: &Uri,
        headers: &HeaderMap,
        decision: Option<ConsentDecision>,
    ) -> ConsentState {
        let query = uri.query();
        ConsentState {
            mode: self.mode(),
            gpc: self.opts_out(headers),
            decision,
            hide_dialog: query.and_then(|q| query_param(q, HIDE_DIALOG_PARAM)) == Some("1"),
            page: local_target(uri.path(), query),
            policy_url: self.policy_url().map(str::to_owned),
            services: self.services().clone(),
        }
    }
}

impl ConsentState {
    /// The consent state the [`ConsentLayer`](crate::ConsentLayer) read for a request, for
    /// the shop's own handlers and middleware below the layer. `None` when the request did
    /// not pass the layer.
    ///
    /// ```
    /// use axum::{Router, extract::Request, routing::get};
    /// use leptos_consent::{Category, ConsentConfig, ConsentLayer, ConsentState};
    ///
    /// async fn recommendations(request: Request) -> &'static str {
    ///     let personalised = ConsentState::of_request(request.extensions())
    ///         .is_some_and(|consent| consent.allows(Category::Tracking));
    ///     if personalised { "for you" } else { "bestsellers" }
    /// }
    ///
    /// # fn main() -> Result<(), leptos_consent::ConfigError> {
    /// let config = ConsentConfig::builder().secret([7; 32]).build()?;
    /// let app: Router = Router::new()
    ///     .route("/api/recommendations", get(recommendations))
    ///     .layer(ConsentLayer::new(config));
    /// # Ok(()) }
    /// ```
    pub fn of_request(extensions: &Extensions) -> Option<&ConsentState> {
        RequestConsent::in_extensions(extensions).map(|consent| &consent.state)
    }
}

impl RequestConsent {
    /// Reads a request to `uri` with `headers`. `visit` (a page request or a collect post)
    /// lets the tracking ids be created and renewed; the answer carries the `Set-Cookie`
    /// headers they need.
    pub(crate) fn read(
        config: &ConsentConfig,
        uri: &Uri,
        headers: &HeaderMap,
        extensions: &Extensions,
        visit: bool,
    ) -> (Self, Vec<HeaderValue>) {
        let cookie =
            config.read_consent_cookies(cookie_values(headers, config.cookie_name()), unix_now());
        let state = config.state_with(uri, headers, cookie.decision);
        let (tracking, cookies) = match config.tracking_hook() {
            Some(tracking) => {
                let (request, cookies) =
                    tracking.read(config.secure(), uri, headers, state.allowed(), visit);
                (Some(request), cookies)
            }
            None => (None, Vec::new()),
        };
        let consent = RequestConsent {
            config: config.clone(),
            state,
            previous_consent_id: cookie.previous_consent_id,
            tracking,
            locale: config.locale_for(headers, extensions),
        };
        (consent, cookies)
    }

    /// The read the layer left in a request's extensions.
    fn in_extensions(extensions: &Extensions) -> Option<&Arc<RequestConsent>> {
        extensions.get::<Arc<RequestConsent>>()
    }

    /// The read the layer left in a request's extensions, shared.
    pub(crate) fn of(extensions: &Extensions) -> Option<Arc<RequestConsent>> {
        Self::in_extensions(extensions).cloned()
    }

    /// The current request's, during server-side rendering and in server functions (from
    /// the request `Parts` leptos_axum provides). `None` without a request, and without the
    /// layer: a real request (it has headers) then logs the fix; Leptos's own render of the
    /// routes with an empty request does not.
    pub(crate) fn current() -> Option<Arc<RequestConsent>> {
        leptos::reactive::owner::with_context::<Parts, _>(Self::of_parts).flatten()
    }

    /// The banner's sentence on how long a choice is kept, in the request's locale ("We
    /// keep your choice for 1 year.").
    pub(crate) fn kept_for(&self) -> String {
        let config = &self.config;
        let texts = config.texts_for(&self.locale);
        let words = config.cookie_details_texts_for(&self.locale);
        let in_words = |secs: i64| words.lifetime(u32::try_from(secs / 86_400).unwrap_or(0));
        let (consent, refusal) = (config.lifetime_secs(), config.refusal_lifetime_secs());
        if consent == refusal {
            texts.kept_for.replace("{duration}", &in_words(consent))
        } else {
            texts
                .kept_for_each
                .replace("{consent}", &in_words(consent))
                .replace("{refusal}", &in_words(refusal))
        }
    }

    /// The locale of the request being rendered, when the layer read it.
    pub(crate) fn current_locale() -> Option<Arc<str>> {
        Self::current().map(|consent| consent.locale.clone())
    }

    /// The read in `parts`, or `None` (logged when a real request lacks it).
    pub(crate) fn of_parts(parts: &Parts) -> Option<Arc<RequestConsent>> {
        let found = Self::of(&parts.extensions);
        if found.is_none() && !parts.headers.is_empty() {
            tracing::error!(
                "leptos-consent: the request did not pass the ConsentLayer; add \
                 `.layer(ConsentLayer::new(config))` to the router. Rendering as \
                 \"no decision\"."
            );
        }
        found
    }

    /// What the page hands the browser at hydration: the state and the texts.
    pub(crate) fn bootstrap(&self) -> ConsentBootstrap {
        ConsentBootstrap {
            state: self.state.clone(),
            texts: self.config.shared_texts(&self.locale).clone(),
        }
    }

    /// The shop's tracking settings for the page's tracker, when it tracks.
    pub(crate) fn tracking_settings(&self) -> Option<TrackerSettings> {
        self.config
            .tracking_hook()
            .zip(self.tracking.as_ref())
            .map(|(hook, request)| hook.tracker_settings(request))
    }
}

#[cfg(test)]
mod tests {
    use std::convert::Infallible;

    use axum::body::Body;
    use http::{HeaderMap, Request, Response, Uri, header};
    use leptos::prelude::*;
    use tower::{Layer, ServiceExt, service_fn};
    use uuid::Uuid;

    #[cfg(feature = "tracking")]
    use crate::tracking::{DroppingSink, TrackingConfig};
    use crate::{
        CategorySet, ChangeConsentLink, ConsentAction, ConsentBanner, ConsentConfig,
        ConsentDecision, CookieDetails, CookiePolicyScript, provide_consent,
        server::{ConsentLayer, consent_cookie::verifications, request::unix_now},
        use_tracker,
    };

    /// A page using every part that reads the consent: the context, the policy script, the
    /// banner and its grid, the grid on the page, the change link, a server-side event.
    #[component]
    fn Page() -> impl IntoView {
        provide_consent();
        use_tracker().page_view();
        view! {
            <CookiePolicyScript/>
            <ConsentBanner/>
            <main><CookieDetails/></main>
            <footer><ChangeConsentLink/></footer>
        }
    }

    #[tokio::test(flavor = "current_thread")]
    async fn a_page_request_verifies_the_consent_cookie_once() {
        let builder = ConsentConfig::builder().secret([7; 32]);
        // With tracking on, the layer also reads the ids, from the same verification.
        #[cfg(feature = "tracking")]
        let builder = builder.tracking(TrackingConfig::builder(DroppingSink).build().unwrap());
        let config = builder.build().unwrap();
        // Rendered as leptos_axum renders a page: the request's parts in context.
        let app = ConsentLayer::new(config.clone()).layer(service_fn(
            |request: Request<Body>| async move {
                let owner = Owner::new();
                let html = owner.with(|| {
                    provide_context(request.into_parts().0);
                    view! { <Page/> }.to_html()
                });
                Ok::<_, Infallible>(Response::new(Body::from(html)))
            },
        ));
        let decided = ConsentDecision {
            consent_id: Uuid::new_v4(),
            granted: CategorySet::all(),
            action: ConsentAction::AcceptAll,
            decided_at: unix_now() - 60,
            refused_services: Default::default(),
        };
        let name = config.cookie_name();
        let valid = format!("{name}={}", config.encode_decision(&decided));
        let expired = format!(
            "{name}={}",
            config.encode_decision(&ConsentDecision {
                decided_at: unix_now() - config.lifetime_secs() - 1,
                ..decided.clone()
            })
        );
        for (cookie, banner) in [(valid, false), (expired, true)] {
            let request = Request::get("/products/1")
                .header(header::HOST, "shop.example")
                .header(header::ACCEPT, "text/html")
                .header(
                    header::COOKIE,
                    format!("_ga=GA1.1; {cookie}; cemv=v; cems=s"),
                )
                .extension(axum::extract::ConnectInfo(std::net::SocketAddr::from((
                    [203, 0, 113, 7],
                    50_000,
                ))))
                .body(Body::empty())
                .unwrap();
            let before = verifications::so_far();
            let response = app.clone().oneshot(request).await.unwrap();
            assert_eq!(verifications::so_far() - before, 1, "banner: {banner}");
            let body = axum::body::to_bytes(response.into_body(), usize::MAX)
                .await
                .unwrap();
            let html = String::from_utf8_lossy(&body);
            // The one read is what everything rendered from.
            assert_eq!(html.contains("lc-banner-title"), banner, "{html}");
            assert_eq!(
                html.contains(r#""allowTrackingCookies":true"#),
                !banner,
                "{html}"
            );
            assert!(html.contains("_ga"), "the grid lists the request's cookies");
        }
    }

    /// A sibling subdomain (or a plain-http page of the site) can set a `lc_consent` cookie
    /// with `Domain=` the shop and a narrower path, which the browser sends first. With the
    /// default `__Host-` name it is a different cookie: the shopper's own decision counts.
    #[test]
    fn a_related_domain_cookie_cannot_shadow_the_decision() {
        let config = ConsentConfig::builder().secret([5u8; 32]).build().unwrap();
        let decision = |granted, action| ConsentDecision {
            consent_id: Uuid::new_v4(),
            granted,
            action,
            decided_at: unix_now() - 60,
            refused_services: Default::default(),
        };
        // The planted cookie is a valid one, copied from the attacker's own visit.
        let planted =
            config.encode_decision(&decision(CategorySet::all(), ConsentAction::AcceptAll));
        let own = config.encode_decision(&decision(
            CategorySet::essential(),
            ConsentAction::RejectAll,
        ));
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            format!("lc_consent={planted}; {}={own}", config.cookie_name())
                .parse()
                .unwrap(),
        );
        let state = config.state_for(&"/".parse().unwrap(), &headers);
        let decided = state.decision.expect("the shopper's own decision");
        assert_eq!(decided.action, ConsentAction::RejectAll);
    }

    #[test]
    fn state_reads_hide_dialog_and_page() {
        let config = ConsentConfig::builder().secret([5u8; 32]).build().unwrap();
        let uri: Uri = "/terms?HideCookieDialog=1".parse().unwrap();
        let mut gpc = HeaderMap::new();
        gpc.insert("sec-gpc", http::HeaderValue::from_static("1"));
        let state = config.state_for(&uri, &gpc);
        assert!(state.hide_dialog && state.gpc && state.decision.is_none());
        assert_eq!(state.page, "/terms?HideCookieDialog=1");
        let uri: Uri = "http://evil.com//evil.com/?HideCookieDialog=0"
            .parse()
            .unwrap();
        let state = config.state_for(&uri, &HeaderMap::new());
        assert!(!state.hide_dialog);
        assert_eq!(state.page, "/evil.com/?HideCookieDialog=0");
    }
}
