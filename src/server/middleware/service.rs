//! The service [`ConsentLayer`](super::ConsentLayer) wraps around the shop's router.

use std::{
    sync::Arc,
    task::{Context, Poll},
};

use http::{HeaderValue, Method, Request, Response, StatusCode, header};
use tower_service::Service;

use super::ResponseFuture;
use crate::{
    CHANGE_CONSENT_PARAM, CategorySet, HIDE_DIALOG_PARAM,
    protocol::{COLLECT_PATH, DECIDE_PATH, FORGET_PATH},
    server::{
        ConsentConfig, RequestConsent,
        config::MISSING_CLIENT_ADDRESS,
        request::{cookie_values, unix_now},
        runtime_file,
    },
    url::{local_target, query_param, with_query_param, without_query_param},
};

/// The middleware service built by [`ConsentLayer`](super::ConsentLayer).
#[derive(Clone, Debug)]
pub struct ConsentService<S> {
    inner: S,
    config: ConsentConfig,
}

impl<S> ConsentService<S> {
    /// Wraps `inner`.
    pub(crate) fn new(inner: S, config: ConsentConfig) -> Self {
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
    ResBody: From<&'static str>,
{
    type Response = Response<ResBody>;
    type Error = S::Error;
    type Future = ResponseFuture<S::Future, ResBody>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut request: Request<ReqBody>) -> Self::Future {
        // The pages' runtime, which they load from here.
        if let Some(response) = runtime_file::response(&request) {
            return ResponseFuture::respond(response);
        }
        // Debug builds only (release builds skip the check on every request): loud where
        // the developer looks first. Release builds log it once, at the first request that
        // needs the address, and go on.
        if cfg!(debug_assertions)
            && self.config.needs_client_address()
            && self
                .config
                .client_address(request.headers(), request.extensions())
                .is_none()
        {
            return ResponseFuture::respond(missing_client_address());
        }
        let resets = asks_to_change_consent(&request);
        if (resets || is_decision_post(&request))
            && let Some(retry_after) = self.rate_limited(&request)
        {
            return ResponseFuture::respond(too_many_decisions(retry_after));
        }
        if resets {
            return self.reset(&request);
        }
        // The one read of the request's consent (and tracking ids), for everything below.
        let (consent, cookies) = RequestConsent::read(
            &self.config,
            request.uri(),
            request.headers(),
            request.extensions(),
            is_visit(&request),
        );
        request.extensions_mut().insert(Arc::new(consent));
        let own_endpoint = request.uri().path() == COLLECT_PATH;
        ResponseFuture::inner(self.inner.call(request), cookies, own_endpoint)
    }
}

impl<S> ConsentService<S> {
    /// How many seconds the client must wait, if it has made too many decisions lately
    /// (the consent log's limit). Requests whose address is unknown are not limited.
    fn rate_limited<B>(&self, request: &Request<B>) -> Option<u64> {
        let recorder = self.config.recorder()?;
        let ip = self
            .config
            .client_address(request.headers(), request.extensions())?;
        recorder.retry_after(ip)
    }

    /// Deletes the cookie and redirects; with a consent log, records the withdrawal first.
    fn reset<ReqBody, ResBody, F>(&self, request: &Request<ReqBody>) -> ResponseFuture<F, ResBody>
    where
        ResBody: From<&'static str>,
    {
        let response = change_consent_response(&self.config, request);
        let previous = self
            .config
            .read_consent_cookies(
                cookie_values(request.headers(), self.config.cookie_name()),
                unix_now(),
            )
            .previous_consent_id;
        match (previous, self.config.recorder()) {
            (Some(consent_id), Some(recorder)) => ResponseFuture::respond_after(
                recorder.record(
                    self.config.decision_notice(
                        request.headers(),
                        request.extensions(),
                        consent_id,
                        // Kept only when the shop declared its ids essential.
                        self.config
                            .visitor_kept(request.headers(), CategorySet::essential()),
                        None,
                        CategorySet::essential(),
                        crate::ServiceSet::empty(),
                        "change-link",
                    ),
                ),
                response,
            ),
            // Nothing was decided, so nothing is withdrawn; or the shop keeps no log.
            _ => ResponseFuture::respond(response),
        }
    }
}

/// `500`, naming the fix: the shop's set-up lacks the client address the log needs.
fn missing_client_address<ResBody: From<&'static str>>() -> Response<ResBody> {
    let mut response = Response::new(ResBody::from(MISSING_CLIENT_ADDRESS));
    *response.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    response
}

fn asks_to_change_consent<B>(request: &Request<B>) -> bool {
    matches!(*request.method(), Method::GET | Method::HEAD)
        && request
            .uri()
            .query()
            .and_then(|query| query_param(query, CHANGE_CONSENT_PARAM))
            == Some("1")
}

/// A page request (what a browser navigates to) or a post of events: these renew the id
/// cookies. Assets, images and server functions only read them.
fn is_visit<B>(request: &Request<B>) -> bool {
    let headers = request.headers();
    match *request.method() {
        Method::GET | Method::HEAD => match headers.get("sec-fetch-dest") {
            Some(dest) => dest == "document",
            None => headers
                .get(header::ACCEPT)
                .and_then(|accept| accept.to_str().ok())
                .is_some_and(|accept| accept.contains("text/html")),
        },
        Method::POST => request.uri().path() == COLLECT_PATH,
        _ => false,
    }
}

/// A decision, or "delete all my cookies": both write to the consent log.
fn is_decision_post<B>(request: &Request<B>) -> bool {
    request.method() == Method::POST && [DECIDE_PATH, FORGET_PATH].contains(&request.uri().path())
}

/// `302 Found` back to the same page with the parameter set to `0` (and without
/// `HideCookieDialog`), deleting the cookie.
fn change_consent_response<ReqBody, ResBody: From<&'static str>>(
    config: &ConsentConfig,
    request: &Request<ReqBody>,
) -> Response<ResBody> {
    let uri = request.uri();
    // The point of the reset is to show the banner: a `HideCookieDialog` flag goes.
    let query = without_query_param(uri.query().unwrap_or_default(), HIDE_DIALOG_PARAM);
    let query = with_query_param(Some(&query), CHANGE_CONSENT_PARAM, "0");
    let location = local_target(uri.path(), Some(&query));
    let mut response = Response::new(ResBody::from(""));
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
    // A withdrawal: until the shopper decides again only the essential category is allowed.
    for expired in config.expire_cookies_outside(request.headers(), CategorySet::essential()) {
        headers.append(header::SET_COOKIE, expired);
    }
    response
}

/// `429 Too Many Requests` with `Retry-After`.
fn too_many_decisions<ResBody: From<&'static str>>(retry_after: u64) -> Response<ResBody> {
    let mut response = Response::new(ResBody::from(
        "Too many cookie consent decisions from this address. Please wait a moment and try again.\n",
    ));
    *response.status_mut() = StatusCode::TOO_MANY_REQUESTS;
    let headers = response.headers_mut();
    headers.insert(header::RETRY_AFTER, HeaderValue::from(retry_after));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    response
}
