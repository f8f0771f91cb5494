//! A generic JSON webhook: batches of events POSTed as JSON to a URL of the shop's choosing.

use reqwest::header::{CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue};

use super::{DeliveryFailure, InvalidProvider, Provider, event_names::EventNames};
use crate::EventKind;
use crate::tracking::BoxFuture;
use crate::tracking::TrackedEvent;

/// POSTs events to `url` as `{"events": [...]}` (each event as [`TrackedEvent`] serializes:
/// `event_id`, `occurred_at_ms`, `type`, `product`, `module`, `properties`, `ids`, `page`,
/// `consent`, `source`), up to [`max_batch`](Self::max_batch) events a request. Any `2xx`
/// takes the batch. When a batch is refused with a permanent status, the events are sent
/// one at a time, so that only the one the receiver refuses goes to the dead letters.
/// Timeouts: 3 s to connect, 10 s in all.
///
/// The receiver deduplicates by `event_id`: deliveries are at least once.
///
/// ```
/// use leptos_consent::dispatch::WebhookProvider;
///
/// let webhook = WebhookProvider::new("https://collector.example/events")?
///     .header("authorization", "Bearer 0123456789abcdef")?;
/// # Ok::<(), leptos_consent::dispatch::InvalidProvider>(())
/// ```
#[derive(Clone, Debug)]
pub struct WebhookProvider {
    client: reqwest::Client,
    url: reqwest::Url,
    headers: HeaderMap,
    max_batch: usize,
    /// The receiver's names of event kinds; the rest keep the crate's.
    event_names: EventNames,
}

impl WebhookProvider {
    /// A webhook posting to `url` (http or https).
    pub fn new(url: &str) -> Result<Self, InvalidProvider> {
        let parsed = reqwest::Url::parse(url)
            .map_err(|error| InvalidProvider(format!("webhook URL {url:?}: {error}")))?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(InvalidProvider(format!(
                "webhook URL {url:?}: use http(s)://…"
            )));
        }
        Ok(WebhookProvider {
            client: super::http::client()?,
            url: parsed,
            headers: HeaderMap::new(),
            max_batch: 100,
            event_names: EventNames::default(),
        })
    }

    /// Sends `name: value` with every request (an `Authorization` token, say).
    pub fn header(mut self, name: &str, value: &str) -> Result<Self, InvalidProvider> {
        let name = HeaderName::try_from(name)
            .map_err(|error| InvalidProvider(format!("header name {name:?}: {error}")))?;
        let mut value = HeaderValue::try_from(value)
            .map_err(|error| InvalidProvider(format!("header value for {name}: {error}")))?;
        value.set_sensitive(true);
        self.headers.insert(name, value);
        Ok(self)
    }

    /// The most events in one request (default 100, at least 1).
    #[must_use]
    pub fn max_batch(mut self, events: usize) -> Self {
        self.max_batch = events.max(1);
        self
    }

    /// The receiver's names for event kinds, where they differ from the crate's (the
    /// `type` of the events it receives), the shop's own events included.
    ///
    /// ```
    /// use leptos_consent::{EventKind, dispatch::WebhookProvider};
    ///
    /// let webhook = WebhookProvider::new("https://collector.example/events")?
    ///     .event_names([(EventKind::PageView, "page_view"), (EventKind::AddToCart, "add_to_cart")]);
    /// # Ok::<(), leptos_consent::dispatch::InvalidProvider>(())
    /// ```
    #[must_use]
    pub fn event_names<I, S>(mut self, names: I) -> Self
    where
        I: IntoIterator<Item = (EventKind, S)>,
        S: Into<String>,
    {
        self.event_names = EventNames::new(names);
        self
    }

    /// The JSON body of a batch: `{"events": [...]}`, each `type` as the receiver names it.
    /// An event whose kind keeps the crate's name is written as it is; only a renamed one
    /// goes through a JSON value.
    pub fn body_for(&self, events: &[TrackedEvent]) -> serde_json::Result<Vec<u8>> {
        /// An event as the receiver gets it.
        #[derive(serde::Serialize)]
        #[serde(untagged)]
        enum Sent<'a> {
            AsIs(&'a TrackedEvent),
            Renamed(serde_json::Value),
        }
        #[derive(serde::Serialize)]
        struct Body<'a> {
            events: Vec<Sent<'a>>,
        }
        let mut sent = Vec::with_capacity(events.len());
        for event in events {
            sent.push(match self.event_names.renamed(&event.event.kind) {
                None => Sent::AsIs(event),
                Some(name) => {
                    let mut value = serde_json::to_value(event)?;
                    value["type"] = name.into();
                    Sent::Renamed(value)
                }
            });
        }
        serde_json::to_vec(&Body { events: sent })
    }

    /// POSTs one batch: `Ok` on 2xx; the failure otherwise, counting none delivered.
    async fn post(&self, events: &[TrackedEvent]) -> Result<(), DeliveryFailure> {
        let body = self
            .body_for(events)
            .map_err(|error| DeliveryFailure::transient(0, error.to_string()))?;
        let response = self
            .client
            .post(self.url.clone())
            .headers(self.headers.clone())
            .header(CONTENT_TYPE, "application/json")
            .body(body)
            .send()
            .await
            .map_err(|error| DeliveryFailure::transient(0, error.to_string()))?;
        let status = response.status();
        if status.is_success() {
            Ok(())
        } else {
            Err(DeliveryFailure::from_status(0, status.as_u16()))
        }
    }
}

impl Provider for WebhookProvider {
    fn name(&self) -> &str {
        "webhook"
    }

    fn deliver<'a>(
        &'a self,
        events: &'a [TrackedEvent],
    ) -> BoxFuture<'a, Result<(), DeliveryFailure>> {
        Box::pin(async move {
            let mut delivered = 0;
            for batch in events.chunks(self.max_batch) {
                match self.post(batch).await {
                    Ok(()) => delivered += batch.len(),
                    Err(failure) if failure.permanent && batch.len() > 1 => {
                        // Find the event the receiver refuses: the ones before it arrive.
                        for event in batch {
                            self.post(std::slice::from_ref(event))
                                .await
                                .map_err(|f| DeliveryFailure { delivered, ..f })?;
                            delivered += 1;
                        }
                    }
                    Err(failure) => {
                        return Err(DeliveryFailure {
                            delivered,
                            ..failure
                        });
                    }
                }
            }
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Event;

    #[test]
    fn events_take_the_receivers_names() {
        let webhook = WebhookProvider::new("https://collector.example/e")
            .unwrap()
            .event_names([
                (EventKind::AddToCart, "add_to_cart"),
                (EventKind::custom("wishlist_add").unwrap(), "wishlist"),
            ]);
        let event = TrackedEvent::for_test;
        let body = webhook
            .body_for(&[
                event(Event::new(EventKind::AddToCart)),
                event(Event::custom("wishlist_add").unwrap().product("9")),
                event(Event::new(EventKind::PageView)),
            ])
            .unwrap();
        let body: serde_json::Value = serde_json::from_slice(&body).unwrap();
        let types: Vec<&str> = body["events"]
            .as_array()
            .unwrap()
            .iter()
            .map(|event| event["type"].as_str().unwrap())
            .collect();
        assert_eq!(types, ["add_to_cart", "wishlist", "pageview"]);
        assert_eq!(body["events"][1]["product"], "9");
    }

    #[test]
    fn bad_settings_are_refused() {
        assert!(WebhookProvider::new("ftp://collector.example").is_err());
        assert!(WebhookProvider::new("not a url").is_err());
        let webhook = WebhookProvider::new("https://collector.example/e").unwrap();
        assert!(webhook.clone().header("bad name", "x").is_err());
        assert!(webhook.header("x-token", "line\nbreak").is_err());
    }
}
