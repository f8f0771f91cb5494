//! The body of [`collect_events`](crate::endpoints::collect_events): checks a batch of browser events,
//! adds the shopper's ids and consent, and hands them to the sink.

use http::{HeaderValue, StatusCode, header};
use leptos::prelude::ServerFnError;
use serde::Deserialize;
use uuid::Uuid;

use super::{TrackedEvent, TrackingConfig, event::now_ms, identify};
use crate::{
    Event, EventKind,
    server::endpoints::Endpoint,
    tracking::{EventSource, SinkError},
    url::local_target_from_str,
};

/// The longest page (path and query), in bytes.
const MAX_PAGE_LEN: usize = 2048;
/// A browser's clock may be off; its times are kept within this window before now.
const MAX_EVENT_AGE_MS: i64 = 24 * 3600 * 1000;

/// One event as the browser sends it.
#[derive(Deserialize)]
struct BrowserEvent {
    id: Uuid,
    at: i64,
    page: String,
    #[serde(flatten)]
    event: Event,
    #[serde(default)]
    user: Option<String>,
}

/// Checks `batch`; with consent, hands its events to the sink.
pub(crate) async fn collect_browser_events(batch: &str) -> Result<(), ServerFnError> {
    let endpoint = Endpoint::current("events collected")?;
    endpoint.refuse_cross_site("events are only collected from the shop's own pages")?;
    let (parts, response, config) = (&endpoint.parts, &endpoint.response, endpoint.config());
    response.insert_header(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    let Some(tracking) = config.tracking() else {
        return endpoint.fail(StatusCode::NOT_FOUND, "this shop does not track");
    };
    if let Some(wait) = tracking.limiter().and_then(|limiter| {
        limiter.retry_after(config.client_address(&parts.headers, &parts.extensions))
    }) {
        response.insert_header(header::RETRY_AFTER, HeaderValue::from(wait));
        return endpoint.fail(
            StatusCode::TOO_MANY_REQUESTS,
            "too many events from this address",
        );
    }
    let events = match parse_batch(batch) {
        Ok(events) => events,
        Err(message) => return endpoint.fail(StatusCode::BAD_REQUEST, message),
    };
    // A browser cannot invent events for the provider: custom ones must be the shop's.
    if let Some((i, browser)) = events
        .iter()
        .enumerate()
        .find(|(_, browser)| !tracking.takes(&browser.event))
    {
        return endpoint.fail(
            StatusCode::BAD_REQUEST,
            format!(
                "event {i}: {:?} is not an event of this shop (TrackingConfigBuilder::custom_events)",
                browser.event.kind.as_str()
            ),
        );
    }
    let Some((request, mut ids)) = endpoint
        .consent
        .tracking
        .as_ref()
        .and_then(|request| Some((request, request.emitted_ids()?.clone())))
    else {
        // No consent (or no ids): the events go nowhere, and that is the expected answer.
        tracing::debug!(
            count = events.len(),
            "browser events dropped: no tracking consent"
        );
        response.set_status(StatusCode::NO_CONTENT);
        return Ok(());
    };
    let now = now_ms();
    let mut accepted = Vec::with_capacity(events.len());
    for browser in events {
        if let Some(user) = browser.user.as_deref() {
            endpoint.set_cookies(identify(
                config.secure(),
                tracking,
                &parts.headers,
                request.allowed,
                user,
                Some(&mut ids),
            ));
        }
        accepted.push(TrackedEvent {
            event_id: browser.id,
            occurred_at_ms: browser.at.clamp(now - MAX_EVENT_AGE_MS, now),
            event: browser.event,
            ids: ids.clone(),
            page: browser.page,
            consent: request.granted,
            source: EventSource::Browser,
        });
    }
    match tracking.sink().accept(accepted).await {
        Ok(()) => {
            response.set_status(StatusCode::NO_CONTENT);
            Ok(())
        }
        Err(error) => {
            tracing::warn!(%error, "browser events refused by the sink");
            if matches!(error, SinkError::Full) {
                response.insert_header(header::RETRY_AFTER, HeaderValue::from_static("5"));
            }
            // The database's own words stay in the server's log.
            let message = match error {
                SinkError::Storage(_) => "the events could not be stored; try again".to_owned(),
                other => other.to_string(),
            };
            endpoint.fail(StatusCode::SERVICE_UNAVAILABLE, message)
        }
    }
}

/// The batch's events, or why it is refused (as a whole).
fn parse_batch(batch: &str) -> Result<Vec<BrowserEvent>, String> {
    if batch.len() > TrackingConfig::MAX_BATCH_BYTES {
        return Err(format!(
            "a batch is at most {max_batch_bytes} bytes",
            max_batch_bytes = TrackingConfig::MAX_BATCH_BYTES
        ));
    }
    let mut events: Vec<BrowserEvent> =
        serde_json::from_str(batch).map_err(|error| format!("batch: {error}"))?;
    if !(1..=TrackingConfig::MAX_BATCH_EVENTS).contains(&events.len()) {
        return Err(format!(
            "a batch holds 1 to {max_batch_events} events",
            max_batch_events = TrackingConfig::MAX_BATCH_EVENTS
        ));
    }
    for (i, browser) in events.iter_mut().enumerate() {
        let fail = |what: String| Err(format!("event {i}: {what}"));
        if !matches!(browser.id.get_version_num(), 4 | 7) {
            return fail("the id is not a uuid v4 or v7".into());
        }
        if browser.page.len() > MAX_PAGE_LEN
            || !browser.page.starts_with('/')
            || browser.page.starts_with("//")
            || browser.page.chars().any(char::is_control)
        {
            return fail("the page is a path on the shop of at most 2048 bytes".into());
        }
        // What reaches a provider as the shop's page is a same-origin path, encoded as a
        // redirect target is: no `/\host`, no markup, no whitespace.
        browser.page = local_target_from_str(&browser.page);
        if let Err(invalid) = browser.event.check() {
            return fail(invalid.to_string());
        }
        match (&browser.user, &browser.event.kind) {
            (None, _) => {}
            (Some(user), EventKind::Identify)
                if !user.trim().is_empty() && user.len() <= Event::MAX_FIELD_LEN => {}
            (Some(_), EventKind::Identify) => return fail("the user is 1 to 256 bytes".into()),
            (Some(_), _) => return fail("only identify events carry a user".into()),
        }
    }
    Ok(events)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "0b8e3c52-7a43-4d1e-9a57-0f7c4a1c2d3e";

    #[test]
    fn a_good_batch_parses() {
        let batch = format!(
            r#"[{{"id":"{ID}","at":1,"page":"/p?x=1","type":"itemclick","product":"7","module":"GetSimilarItems"}},
               {{"id":"{ID}","at":2,"page":"/checkout","type":"identify","user":"ada@example.com"}}]"#
        );
        let events = parse_batch(&batch).unwrap();
        assert_eq!(events[0].event.module.as_deref(), Some("GetSimilarItems"));
        assert_eq!(events[1].user.as_deref(), Some("ada@example.com"));
    }

    #[test]
    fn pages_reach_the_provider_as_same_origin_paths() {
        let batch = format!(
            r#"[{{"id":"{ID}","at":1,"page":"/\\evil.example/x","type":"pageview"}},
               {{"id":"{ID}","at":1,"page":"/<b>x</b>?q=a b","type":"pageview"}},
               {{"id":"{ID}","at":1,"page":"/products/7?color=red","type":"pageview"}}]"#
        );
        let pages: Vec<String> = parse_batch(&batch)
            .unwrap()
            .into_iter()
            .map(|event| event.page)
            .collect();
        assert_eq!(
            pages,
            [
                "/evil.example/x",
                "/%3Cb%3Ex%3C/b%3E?q=a%20b",
                "/products/7?color=red"
            ]
        );
    }

    #[test]
    fn bad_batches_are_refused_whole() {
        let one = |fields: &str| format!(r#"[{{"id":"{ID}","at":1,"page":"/",{fields}}}]"#);
        for bad in [
            String::new(),
            "[]".to_owned(),
            "{}".to_owned(),
            one(r#""type":"click bait""#),
            one(r#""type":"pageview","product":7"#),
            one(r#""type":"pageview","user":"someone""#),
            one(r#""type":"identify","user":" ""#),
            format!(r#"[{{"id":"{ID}","at":1,"page":"https://evil.example/","type":"pageview"}}]"#),
            format!(r#"[{{"id":"{ID}","at":1,"page":"//evil.example/","type":"pageview"}}]"#),
            r#"[{"id":"00000000-0000-1000-8000-000000000000","at":1,"page":"/","type":"pageview"}]"#
                .to_owned(),
            r#"[{"id":"not-a-uuid","at":1,"page":"/","type":"pageview"}]"#.to_owned(),
            format!("[{}]", vec![one(r#""type":"pageview""#).trim_matches(['[', ']']).to_owned(); 51].join(",")),
            one(&format!(r#""type":"search","properties":{{"q":"{}"}}"#, "x".repeat(40_000))),
        ] {
            assert!(parse_batch(&bad).is_err(), "accepted {bad:.80}");
        }
    }
}
