//! What a server function of the crate works with: the request, the response being built,
//! and the request's consent as the layer read it.

use std::sync::Arc;

use http::{HeaderValue, StatusCode, header, request::Parts};
use leptos::prelude::*;
use leptos_axum::ResponseOptions;

use crate::{
    server::{ConsentConfig, RequestConsent, origin::is_cross_origin, request},
    url::local_target_from_str,
};

/// The request a crate endpoint answers, with its consent read by the layer.
pub(crate) struct Endpoint {
    pub(crate) parts: Parts,
    pub(crate) response: ResponseOptions,
    pub(crate) consent: Arc<RequestConsent>,
}

impl Endpoint {
    /// The current request's, or the error the endpoint answers with: without leptos_axum's
    /// context, or with `500` without the [`ConsentLayer`](crate::ConsentLayer) (logged;
    /// `what` says which endpoint was called).
    pub(crate) fn current(what: &str) -> Result<Self, ServerFnError> {
        let (Some(parts), Some(response)) =
            (use_context::<Parts>(), use_context::<ResponseOptions>())
        else {
            return Err(ServerFnError::new(
                "leptos-consent: no request context (is leptos_axum serving?)",
            ));
        };
        let Some(consent) = RequestConsent::of(&parts.extensions) else {
            tracing::error!("leptos-consent: {what}, but the ConsentLayer is not installed");
            response.set_status(StatusCode::INTERNAL_SERVER_ERROR);
            return Err(ServerFnError::new("consent is not configured"));
        };
        Ok(Endpoint {
            parts,
            response,
            consent,
        })
    }

    /// The shop's configuration.
    pub(crate) fn config(&self) -> &ConsentConfig {
        &self.consent.config
    }

    /// Answers with `status` and `message`.
    pub(crate) fn fail<T>(
        &self,
        status: StatusCode,
        message: impl Into<String>,
    ) -> Result<T, ServerFnError> {
        self.response.set_status(status);
        Err(ServerFnError::new(message.into()))
    }

    /// Refuses a state-changing post from another origin with `403` (see
    /// [`is_cross_origin`]).
    pub(crate) fn refuse_cross_site(&self, message: &str) -> Result<(), ServerFnError> {
        if is_cross_origin(&self.parts.uri, &self.parts.headers) {
            return self.fail(StatusCode::FORBIDDEN, message);
        }
        Ok(())
    }

    /// Adds `Set-Cookie` headers to the response.
    pub(crate) fn set_cookies(&self, cookies: impl IntoIterator<Item = HeaderValue>) {
        for cookie in cookies {
            self.response.append_header(header::SET_COOKIE, cookie);
        }
    }

    /// Never cached; and a plain form post (no JavaScript) goes back to the page it came
    /// from with `303 See Other` (a same-origin target, see [`local_target_from_str`]).
    pub(crate) fn send_back(&self, return_to: &str) {
        let response = &self.response;
        response.insert_header(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        if request::accepts_html(&self.parts.headers) {
            let location = local_target_from_str(return_to);
            response.set_status(StatusCode::SEE_OTHER);
            response.insert_header(
                header::LOCATION,
                HeaderValue::from_str(&location).unwrap_or(HeaderValue::from_static("/")),
            );
        }
    }
}

/// The collect endpoint of a server built without the `tracking` feature: `404`.
#[cfg(not(feature = "tracking"))]
pub(crate) fn collect_without_tracking(_batch: &str) -> Result<(), ServerFnError> {
    let endpoint = Endpoint::current("events collected")?;
    endpoint.fail(StatusCode::NOT_FOUND, "this shop does not track")
}
