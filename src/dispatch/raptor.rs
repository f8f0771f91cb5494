//! The Raptor-style server-side tracking GET:
//! `{base}/{customer}.rsa?p1=…&p2=…&coid={visitor}&sid={session}&ruid={user}&am={module}`.

use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};

use super::{DeliveryFailure, InvalidProvider, Provider, event_names::EventNames};
use crate::{
    EventKind,
    tracking::{BoxFuture, TrackedEvent},
};

/// What a numbered parameter (`p1` … `p999`) carries. The map differs from customer to
/// customer (the provider's control panel lists it).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum RaptorField {
    /// The event type (`itemclick`).
    EventType,
    /// The product id.
    Product,
    /// The page (path and query).
    Page,
    /// The event id, for deduplication.
    EventId,
    /// A property of the event, by name.
    Property(String),
    /// The shopper's user id (`ruid`: base64, once the shopper identified), for customers
    /// whose map asks for it in a numbered parameter too (Raptor's `p7`).
    User,
}

/// Sends each event as one GET to `{base}/{customer}.rsa`, every parameter URL-encoded:
/// the numbered parameters of [`params`](Self::params) (default `p1` event type, `p2`
/// product, `p3` page, `p4` event id), then `coid` (visitor), `sid` (session), `ruid`
/// (user), `reaid`, `xuid` and `am` (the recommendation module of an item click) when
/// present. Timeouts: 3 s to connect, 10 s in all.
///
/// ```
/// use leptos_consent::dispatch::{RaptorField, RaptorProvider};
///
/// let raptor = RaptorProvider::new("https://t.raptorsmartadvisor.com", "1234")?
///     .params([("p1", RaptorField::EventType), ("p2", RaptorField::Product), ("p7", RaptorField::Property("user".into()))]);
/// # Ok::<(), leptos_consent::dispatch::InvalidProvider>(())
/// ```
#[derive(Clone, Debug)]
pub struct RaptorProvider {
    client: reqwest::Client,
    concurrency: usize,
    endpoint: String,
    params: Vec<(String, RaptorField)>,
    /// The customer's own names of event kinds; the rest keep the crate's.
    event_names: EventNames,
}

impl RaptorProvider {
    /// A provider for `customer` at `base` (`https://t.raptorsmartadvisor.com`).
    pub fn new(base: &str, customer: &str) -> Result<Self, InvalidProvider> {
        let base = base.trim_end_matches('/');
        let url = reqwest::Url::parse(base)
            .map_err(|error| InvalidProvider(format!("base URL {base:?}: {error}")))?;
        if !matches!(url.scheme(), "http" | "https") || url.query().is_some() {
            return Err(InvalidProvider(format!(
                "base URL {base:?}: use http(s)://host[/path] without a query"
            )));
        }
        if customer.is_empty()
            || customer.len() > 64
            || !customer
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        {
            return Err(InvalidProvider(format!(
                "customer id {customer:?}: use 1 to 64 letters, digits, '-' or '_'"
            )));
        }
        Ok(RaptorProvider {
            client: super::http::client()?,
            concurrency: 16,
            endpoint: format!("{base}/{customer}.rsa"),
            params: vec![
                ("p1".into(), RaptorField::EventType),
                ("p2".into(), RaptorField::Product),
                ("p3".into(), RaptorField::Page),
                ("p4".into(), RaptorField::EventId),
            ],
            event_names: EventNames::default(),
        })
    }

    /// Replaces the numbered parameters' map.
    #[must_use]
    pub fn params<I, S>(mut self, params: I) -> Self
    where
        I: IntoIterator<Item = (S, RaptorField)>,
        S: Into<String>,
    {
        self.params = params.into_iter().map(|(p, f)| (p.into(), f)).collect();
        self
    }

    /// The customer's names for event kinds, where they differ from the crate's
    /// ([`EventKind::as_str`]: `pageview`, `productview`, `itemclick`, `addtocart`, …): each
    /// Raptor customer names its own events.
    ///
    /// ```
    /// use leptos_consent::{EventKind, dispatch::RaptorProvider};
    ///
    /// let raptor = RaptorProvider::new("https://t.raptorsmartadvisor.com", "1234")?
    ///     .event_names([(EventKind::ItemClick, "click"), (EventKind::AddToCart, "basket")]);
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

    /// How many GETs are under way at once (default 16, at least 1).
    #[must_use]
    pub fn concurrency(mut self, requests: usize) -> Self {
        self.concurrency = requests.max(1);
        self
    }

    /// The URL of `event`'s GET.
    pub fn url_for(&self, event: &TrackedEvent) -> String {
        let mut url = format!("{}?", self.endpoint);
        let mut push = |name: &str, value: &str| {
            if !url.ends_with('?') {
                url.push('&');
            }
            url.extend(utf8_percent_encode(name, NON_ALPHANUMERIC));
            url.push('=');
            url.extend(utf8_percent_encode(value, NON_ALPHANUMERIC));
        };
        let event_id = event.event_id.to_string();
        let kind = &event.event.kind;
        for (name, field) in &self.params {
            let value = match field {
                RaptorField::EventType => Some(self.event_names.of(kind)),
                RaptorField::Product => event.event.product.as_deref(),
                RaptorField::Page => Some(event.page.as_str()),
                RaptorField::EventId => Some(event_id.as_str()),
                RaptorField::Property(key) => event.event.properties.get(key),
                RaptorField::User => event.ids.user.as_deref(),
            };
            if let Some(value) = value {
                push(name, value);
            }
        }
        let ids = &event.ids;
        push("coid", ids.visitor.as_str());
        push("sid", &ids.session);
        for (name, value) in [
            ("ruid", &ids.user),
            ("reaid", &ids.reaid),
            ("xuid", &ids.xuid),
            ("am", &event.event.module),
        ] {
            if let Some(value) = value {
                push(name, value);
            }
        }
        url
    }
}

impl RaptorProvider {
    /// The longest GET (the URL, query included) the provider sends, in bytes: proxies and
    /// servers refuse longer request lines (8 KiB is the common limit), so an event whose
    /// GET would be longer goes to the dead letters at once, never sent.
    pub const MAX_URL_LEN: usize = 8000;
}

impl Provider for RaptorProvider {
    fn name(&self) -> &str {
        "raptor"
    }

    fn deliver<'a>(
        &'a self,
        events: &'a [TrackedEvent],
    ) -> BoxFuture<'a, Result<(), DeliveryFailure>> {
        Box::pin(async move {
            // Up to `concurrency` GETs in flight; after a failure no new one starts, and the
            // delivery reports the first failure in order. GETs after it may have arrived
            // too: they are sent again, and the provider drops them by their event id.
            let mut requests = tokio::task::JoinSet::new();
            let mut next = 0;
            let mut first_failure: Option<(usize, DeliveryFailure)> = None;
            loop {
                while first_failure.is_none()
                    && next < events.len()
                    && requests.len() < self.concurrency
                {
                    let url = self.url_for(&events[next]);
                    if url.len() > RaptorProvider::MAX_URL_LEN {
                        // Proxies answer 414 (or cut it): never sent, and said in the
                        // dead letter.
                        first_failure = Some((
                            next,
                            DeliveryFailure::permanent(
                                0,
                                format!(
                                    "its GET would be {} bytes, over the {} a request line may have",
                                    url.len(),
                                    RaptorProvider::MAX_URL_LEN
                                ),
                            ),
                        ));
                        break;
                    }
                    let request = self.client.get(url).send();
                    let i = next;
                    requests.spawn(async move { (i, request.await) });
                    next += 1;
                }
                let Some(joined) = requests.join_next().await else {
                    break;
                };
                let (i, failure) = match joined {
                    Ok((_, Ok(response))) if response.status().is_success() => continue,
                    Ok((i, Ok(response))) => (
                        i,
                        DeliveryFailure::from_status(0, response.status().as_u16()),
                    ),
                    Ok((i, Err(error))) => (i, DeliveryFailure::transient(0, error.to_string())),
                    // A request task that died: count the whole delivery as failed.
                    Err(error) => (0, DeliveryFailure::transient(0, error.to_string())),
                };
                if first_failure.as_ref().is_none_or(|(first, _)| i < *first) {
                    first_failure = Some((i, failure));
                }
            }
            match first_failure {
                Some((delivered, failure)) => Err(DeliveryFailure {
                    delivered,
                    ..failure
                }),
                None => Ok(()),
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use uuid::Uuid;

    use super::*;
    use crate::{CategorySet, Event, EventKind, tracking::EventSource, tracking::TrackingIds};

    #[test]
    fn every_parameter_is_url_encoded() {
        let raptor = RaptorProvider::new("https://t.example/track/", "c-1").unwrap();
        let event = TrackedEvent {
            event_id: Uuid::nil(),
            occurred_at_ms: 0,
            event: Event::new(EventKind::ItemClick)
                .product("12 & 13")
                .module("GetSimilarItems"),
            ids: TrackingIds {
                visitor: "v-1".parse().unwrap(),
                session: "s-1".into(),
                user: Some("YWJj+/=".into()),
                reaid: None,
                xuid: None,
            },
            page: "/products/1?x=ä".into(),
            consent: CategorySet::all(),
            source: EventSource::Browser,
        };
        assert_eq!(
            raptor.url_for(&event),
            "https://t.example/track/c-1.rsa?p1=itemclick&p2=12%20%26%2013\
             &p3=%2Fproducts%2F1%3Fx%3D%C3%A4&p4=00000000%2D0000%2D0000%2D0000%2D000000000000\
             &coid=v%2D1&sid=s%2D1&ruid=YWJj%2B%2F%3D&am=GetSimilarItems"
        );
    }

    /// Each customer names its events and may want the user id in a numbered parameter.
    #[test]
    fn events_take_the_customers_names_and_the_user_id_its_parameter() {
        let raptor = RaptorProvider::new("https://t.example", "c")
            .unwrap()
            .params([("p1", RaptorField::EventType), ("p7", RaptorField::User)])
            .event_names([(EventKind::ItemClick, "click")]);
        let mut event = TrackedEvent::for_test(Event::new(EventKind::ItemClick));
        event.ids.user = Some("dQ".into());
        assert_eq!(
            raptor.url_for(&event),
            "https://t.example/c.rsa?p1=click&p7=dQ&coid=v&sid=s&ruid=dQ"
        );
        // Kinds without a name of the customer's keep the crate's; no user, no p7.
        event.event = Event::new(EventKind::PageView);
        event.ids.user = None;
        assert_eq!(
            raptor.url_for(&event),
            "https://t.example/c.rsa?p1=pageview&coid=v&sid=s"
        );
        // The shop's own events: by their name, or by the customer's for them.
        event.event = Event::custom("wishlist_add").unwrap();
        assert_eq!(
            raptor.url_for(&event),
            "https://t.example/c.rsa?p1=wishlist%5Fadd&coid=v&sid=s"
        );
        let raptor = raptor.event_names([(EventKind::custom("wishlist_add").unwrap(), "wish")]);
        assert_eq!(
            raptor.url_for(&event),
            "https://t.example/c.rsa?p1=wish&coid=v&sid=s"
        );
    }

    #[test]
    fn bad_settings_are_refused() {
        assert!(RaptorProvider::new("ftp://t.example", "c").is_err());
        assert!(RaptorProvider::new("https://t.example?x=1", "c").is_err());
        assert!(RaptorProvider::new("not a url", "c").is_err());
        assert!(RaptorProvider::new("https://t.example", "a/b").is_err());
    }
}
