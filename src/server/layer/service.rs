//! The service [`ConsentLayer`](super::ConsentLayer) wraps around the shop's router.

use std::task::{Context, Poll};

use http::{HeaderValue, Method, Request, Response, StatusCode, header};
use tower_service::Service;

use super::ResponseFuture;
use crate::server::ConsentConfig;
use crate::{
    CHANGE_CONSENT_PARAM, HIDE_DIALOG_PARAM, local_target, query_param, with_query_param,
    without_query_param,
};

/// The middleware service built by [`ConsentLayer`](super::ConsentLayer).
#[derive(Clone, Debug)]
pub struct ConsentService<S> {
    inner: S,
    config: ConsentConfig,
}

impl<S> ConsentService<S> {
    /// Wraps `inner`.
    pub fn new(inner: S, config: ConsentConfig) -> Self {
        ConsentService { inner, config }
    }

    /// The wrapped service.
    pub fn get_ref(&self) -> &S {
        &self.inner
    }

    /// The wrapped service, mutably.
    pub fn get_mut(&mut self) -> &mut S {
        &mut self.inner
    }

    /// Unwraps the inner service.
    pub fn into_inner(self) -> S {
        self.inner
    }
}

impl<S, ReqBody, ResBody> Service<Request<ReqBody>> for ConsentService<S>
where
    S: Service<Request<ReqBody>, Response = Response<ResBody>>,
    ResBody: Default,
{
    type Response = Response<ResBody>;
    type Error = S::Error;
    type Future = ResponseFuture<S::Future, ResBody>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut request: Request<ReqBody>) -> Self::Future {
        if asks_to_change_consent(&request) {
            return ResponseFuture::respond(change_consent_response(&self.config, &request));
        }
        request.extensions_mut().insert(self.config.clone());
        ResponseFuture::inner(self.inner.call(request))
    }
}

fn asks_to_change_consent<B>(request: &Request<B>) -> bool {
    matches!(*request.method(), Method::GET | Method::HEAD)
        && request
            .uri()
            .query()
            .and_then(|query| query_param(query, CHANGE_CONSENT_PARAM))
            == Some("1")
}

/// `302 Found` back to the same page with the parameter set to `0` (and without
/// `HideCookieDialog`), deleting the cookie.
fn change_consent_response<ReqBody, ResBody: Default>(
    config: &ConsentConfig,
    request: &Request<ReqBody>,
) -> Response<ResBody> {
    let uri = request.uri();
    // The point of the reset is to show the banner: a `HideCookieDialog` flag goes.
    let query = without_query_param(uri.query().unwrap_or_default(), HIDE_DIALOG_PARAM);
    let query = with_query_param(Some(&query), CHANGE_CONSENT_PARAM, "0");
    let location = local_target(uri.path(), Some(&query));
    let mut response = Response::new(ResBody::default());
    *response.status_mut() = StatusCode::FOUND;
    let headers = response.headers_mut();
    headers.insert(
        header::LOCATION,
        // `local_target` only emits visible ASCII; "/" is the never-reached fallback.
        HeaderValue::from_str(&location).unwrap_or(HeaderValue::from_static("/")),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if let Some(removal) = config.removal_header() {
        headers.append(header::SET_COOKIE, removal);
    }
    response
}
