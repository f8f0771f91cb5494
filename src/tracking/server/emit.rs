//! Server-side events: the body of [`Tracker`](crate::Tracker) during SSR and in server
//! functions.

use http::{header, request::Parts};
use leptos::prelude::use_context;
use leptos_axum::ResponseOptions;
use uuid::Uuid;

use super::{EventSource, TrackedEvent, event::now_ms, identify};
use crate::server::RequestConsent;

/// With consent and ids, `event` leaves for the sink with the request's ids; `user` (on
/// identify) sets the `ruid` cookie on the response being built.
pub(crate) fn emit_server_event(event: crate::Event, user: Option<&str>) {
    let Some((consent, page)) = leptos::reactive::owner::with_context::<Parts, _>(|parts| {
        Some((RequestConsent::of_parts(parts)?, page_of(parts)))
    })
    .flatten() else {
        return;
    };
    let (Some(tracking), Some(request)) = (consent.config.tracking(), consent.tracking.as_ref())
    else {
        return;
    };
    if !tracking.takes(&event) {
        tracing::warn!(
            event = %event.kind,
            "event dropped: declare the shop's own events with TrackingConfigBuilder::custom_events"
        );
        return;
    }
    let mut ids = request.ids.clone();
    if let Some(user) = user {
        let cookies = leptos::reactive::owner::with_context::<Parts, _>(|parts| {
            identify(
                consent.config.secure(),
                tracking,
                &parts.headers,
                request.allowed,
                user,
                ids.as_mut(),
            )
        })
        .unwrap_or_default();
        if let Some(response) = use_context::<ResponseOptions>() {
            for cookie in cookies {
                response.append_header(header::SET_COOKIE, cookie);
            }
        }
    }
    let (true, Some(ids)) = (request.allowed, ids) else {
        return;
    };
    let tracked = TrackedEvent {
        event_id: Uuid::now_v7(),
        occurred_at_ms: now_ms(),
        event,
        ids,
        page,
        consent: request.granted,
        source: EventSource::Server,
    };
    let sink = tracking.sink().clone();
    tokio::spawn(async move {
        if let Err(error) = sink.accept(vec![tracked]).await {
            tracing::warn!(%error, "server-side tracking event refused by the sink");
        }
    });
}

/// The page an event belongs to: the request's path and query; for a form post or a server
/// function, the page it came from (`Referer`, reduced to its path and query).
fn page_of(parts: &Parts) -> String {
    let from_referer = (parts.method != http::Method::GET)
        .then(|| {
            parts
                .headers
                .get(header::REFERER)?
                .to_str()
                .ok()?
                .parse::<http::Uri>()
                .ok()
        })
        .flatten();
    let uri = from_referer.as_ref().unwrap_or(&parts.uri);
    crate::url::local_target(uri.path(), uri.query())
}
