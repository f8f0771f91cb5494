//! The response future of [`ConsentService`](super::ConsentService).

use std::{
    future::Future,
    pin::Pin,
    task::{Context, Poll, ready},
};

use http::Response;
use pin_project_lite::pin_project;

/// Work that must finish before the layer's own response goes out (a consent-log append).
pub(super) type BeforeResponse = Pin<Box<dyn Future<Output = ()> + Send>>;

pin_project! {
    /// The inner service's response, or the layer's own (the change-consent redirect, a
    /// `429`), sent after any work it waits for.
    pub struct ResponseFuture<F, B> {
        #[pin]
        kind: Kind<F, B>,
    }
}

pin_project! {
    #[project = KindProj]
    enum Kind<F, B> {
        Inner { #[pin] future: F },
        Respond { before: Option<BeforeResponse>, response: Option<Response<B>> },
    }
}

impl<F, B> ResponseFuture<F, B> {
    pub(super) fn inner(future: F) -> Self {
        ResponseFuture {
            kind: Kind::Inner { future },
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
{
    type Output = Result<Response<B>, E>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match self.project().kind.project() {
            KindProj::Inner { future } => future.poll(cx),
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
