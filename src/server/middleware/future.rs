//! The response future of [`ConsentService`](super::ConsentService).

use std::{
    future::Future,
    pin::Pin,
    task::{Context, Poll, ready},
};

use http::{HeaderValue, Response, StatusCode, header};
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
