//! The response future of [`ConsentService`](super::ConsentService).

use std::{
    future::Future,
    pin::Pin,
    task::{Context, Poll, ready},
};

use http::{HeaderMap, HeaderValue, Response, StatusCode, header};
use pin_project_lite::pin_project;

/// Work that must finish before the layer's own response goes out (a consent-log append).
pub(super) type BeforeResponse = Pin<Box<dyn Future<Output = ()> + Send>>;

pin_project! {
    /// The inner service's response (with the id cookies the layer sets), or the layer's
    /// own (the change-consent redirect, a `429`), sent after any work it waits for.
    pub struct ResponseFuture<F, B> {
        #[pin]
        kind: Kind<F, B>,
    }
}

pin_project! {
    #[project = KindProj]
    enum Kind<F, B> {
        Inner { #[pin] future: F, cookies: Vec<HeaderValue>, no_content_body: bool },
        Respond { before: Option<BeforeResponse>, response: Option<Response<B>> },
    }
}

impl<F, B> ResponseFuture<F, B> {
    /// The inner service's response, with `cookies` added as `Set-Cookie` headers. With
    /// `no_content_body` (the crate's own endpoints), a `204 No Content` loses the body the
    /// server-function framework gave it, and its `Content-Length`.
    pub(super) fn inner(future: F, cookies: Vec<HeaderValue>, no_content_body: bool) -> Self {
        ResponseFuture {
            kind: Kind::Inner {
                future,
                cookies,
                no_content_body,
            },
        }
    }

    pub(super) fn respond(response: Response<B>) -> Self {
        ResponseFuture {
            kind: Kind::Respond {
                before: None,
                response: Some(response),
            },
        }
    }

    pub(super) fn respond_after(before: BeforeResponse, response: Response<B>) -> Self {
        ResponseFuture {
            kind: Kind::Respond {
                before: Some(before),
                response: Some(response),
            },
        }
    }
}

/// Pages render from the consent cookie (the banner, `window.CookiePolicy`, what a gate
/// shows), so a page answer is `Vary: Cookie` and `private`: a CDN must not hand one
/// shopper's "everything allowed" page to the next. An answer that sets a cookie is never
/// stored by a shared cache either. Answers that already say `private` or `no-store` keep
/// their `Cache-Control`; assets (no HTML, no `Set-Cookie`) are left alone.
fn keep_out_of_shared_caches(headers: &mut HeaderMap) {
    let is_page = headers
        .get(header::CONTENT_TYPE)
        .is_some_and(|kind| kind.as_bytes().starts_with(b"text/html"));
    let sets_cookies = headers.contains_key(header::SET_COOKIE);
    if !is_page && !sets_cookies {
        return;
    }
    let already_private = lists_any(headers, header::CACHE_CONTROL, &["private", "no-store"]);
    if !already_private {
        headers.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static(if sets_cookies {
                "private, no-store"
            } else {
                "private"
            }),
        );
    }
    if is_page {
        let varies_by_cookie = lists_any(headers, header::VARY, &["*", "cookie"]);
        if !varies_by_cookie {
            headers.append(header::VARY, HeaderValue::from_static("Cookie"));
        }
    }
}

/// Whether a comma-separated header (every line of it) lists one of `items`, ignoring case.
fn lists_any(headers: &HeaderMap, name: header::HeaderName, items: &[&str]) -> bool {
    headers
        .get_all(name)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .any(|item| {
            items
                .iter()
                .any(|wanted| item.trim().eq_ignore_ascii_case(wanted))
        })
}

impl<F, B, E> Future for ResponseFuture<F, B>
where
    F: Future<Output = Result<Response<B>, E>>,
    B: From<&'static str>,
{
    type Output = Result<Response<B>, E>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match self.project().kind.project() {
            KindProj::Inner {
                future,
                cookies,
                no_content_body,
            } => {
                let mut result = ready!(future.poll(cx));
                if let Ok(response) = &mut result {
                    for cookie in cookies.drain(..) {
                        response.headers_mut().append(header::SET_COOKIE, cookie);
                    }
                    keep_out_of_shared_caches(response.headers_mut());
                    if *no_content_body && response.status() == StatusCode::NO_CONTENT {
                        response.headers_mut().remove(header::CONTENT_LENGTH);
                        response.headers_mut().remove(header::CONTENT_TYPE);
                        *response.body_mut() = B::from("");
                    }
                }
                Poll::Ready(result)
            }
            KindProj::Respond { before, response } => {
                if let Some(work) = before {
                    ready!(work.as_mut().poll(cx));
                    *before = None;
                }
                Poll::Ready(Ok(response.take().expect("future polled after completion")))
            }
        }
    }
}
