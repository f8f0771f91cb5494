//! What a shop tracks: an [`Event`] of a known [`EventKind`], with the product, the
//! recommendation module and a few properties it concerns.

use std::{collections::BTreeMap, fmt, str::FromStr};

use serde::{Deserialize, Serialize};

/// The kinds of events a shop tracks. The names are the providers' (`p1=itemclick` in the
/// Raptor format) and serialize in lowercase.
///
/// ```
/// use leptos_consent::EventKind;
///
/// assert_eq!("itemclick".parse::<EventKind>(), Ok(EventKind::ItemClick));
/// assert!("clickbait".parse::<EventKind>().is_err());
/// ```
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum EventKind {
    /// A page was shown.
    #[default]
    PageView,
    /// A product page was shown.
    ProductView,
    /// A recommended product was clicked (with the recommendation module's name).
    ItemClick,
    /// A product went into the cart.
    AddToCart,
    /// An order was placed.
    Purchase,
    /// A search was made.
    Search,
    /// The shopper identified (newsletter sign-up, checkout).
    Identify,
}

impl EventKind {
    /// Every kind.
    pub const ALL: [EventKind; 7] = [
        EventKind::PageView,
        EventKind::ProductView,
        EventKind::ItemClick,
        EventKind::AddToCart,
        EventKind::Purchase,
        EventKind::Search,
        EventKind::Identify,
    ];

    /// The lowercase name.
    pub const fn as_str(self) -> &'static str {
        match self {
            EventKind::PageView => "pageview",
            EventKind::ProductView => "productview",
            EventKind::ItemClick => "itemclick",
            EventKind::AddToCart => "addtocart",
            EventKind::Purchase => "purchase",
            EventKind::Search => "search",
            EventKind::Identify => "identify",
        }
    }
}

impl fmt::Display for EventKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for EventKind {
    type Err = UnknownEventKind;

    fn from_str(s: &str) -> Result<Self, UnknownEventKind> {
        EventKind::ALL
            .into_iter()
            .find(|kind| kind.as_str() == s)
            .ok_or_else(|| UnknownEventKind(s.chars().take(32).collect()))
    }
}

/// A name that is not an [`EventKind`].
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown event type {0:?}: use pageview, productview, itemclick, addtocart, purchase, search or identify"
)]
pub struct UnknownEventKind(pub String);

/// One thing that happened in the shop, as the shop tracks it with
/// [`Tracker::track`](crate::Tracker::track). The tracker adds the event id, the time, the
/// shopper's ids, the page and the consent state.
///
/// ```
/// use leptos_consent::{Event, EventKind};
///
/// let event = Event::new(EventKind::AddToCart).product("42").property("quantity", "2");
/// assert_eq!(event.check(), Ok(()));
/// assert!(Event::new(EventKind::Search).property("q", "x".repeat(300)).check().is_err());
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    /// What happened.
    #[serde(rename = "type")]
    pub kind: EventKind,
    /// The product it concerns, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product: Option<String>,
    /// The recommendation module an item click came from (`GetSimilarItems`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub module: Option<String>,
    /// Further properties (`quantity`, `q`, `revenue`), at most [`Event::MAX_PROPERTIES`].
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub properties: BTreeMap<String, String>,
}

impl Event {
    /// The most properties an event carries.
    pub const MAX_PROPERTIES: usize = 16;
    /// The longest product id, module name, property name or value, in bytes.
    pub const MAX_FIELD_LEN: usize = 256;

    /// An event of `kind` with nothing else.
    pub fn new(kind: EventKind) -> Self {
        Event {
            kind,
            ..Event::default()
        }
    }

    /// With the product it concerns.
    pub fn product(mut self, product: impl Into<String>) -> Self {
        self.product = Some(product.into());
        self
    }

    /// With the recommendation module.
    pub fn module(mut self, module: impl Into<String>) -> Self {
        self.module = Some(module.into());
        self
    }

    /// With a property.
    pub fn property(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.properties.insert(name.into(), value.into());
        self
    }

    /// Whether the event is within the limits: every field at most [`Event::MAX_FIELD_LEN`] bytes
    /// without control characters, property names non-empty, at most [`Event::MAX_PROPERTIES`].
    pub fn check(&self) -> Result<(), InvalidEvent> {
        if self.properties.len() > Event::MAX_PROPERTIES {
            return Err(InvalidEvent::TooManyProperties(self.properties.len()));
        }
        let fields = [
            ("product", self.product.as_deref()),
            ("module", self.module.as_deref()),
        ]
        .into_iter()
        .filter_map(|(name, value)| value.map(|value| (name, value)))
        .chain(
            self.properties
                .iter()
                .map(|(name, value)| (name.as_str(), value.as_str())),
        );
        for (name, value) in fields {
            check_field("property name", name)?;
            if name.is_empty() {
                return Err(InvalidEvent::Field("property name"));
            }
            check_field("value", value)?;
        }
        Ok(())
    }
}

fn check_field(what: &'static str, value: &str) -> Result<(), InvalidEvent> {
    if value.len() > Event::MAX_FIELD_LEN || value.chars().any(char::is_control) {
        return Err(InvalidEvent::Field(what));
    }
    Ok(())
}

/// An [`Event`] outside the limits.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum InvalidEvent {
    /// More than [`Event::MAX_PROPERTIES`] properties.
    #[error("{0} properties; at most {max_properties} are allowed", max_properties = Event::MAX_PROPERTIES)]
    TooManyProperties(usize),
    /// A field is too long, empty where it must not be, or holds control characters.
    #[error("a {0} is empty, longer than {max_field_len} bytes or holds control characters", max_field_len = Event::MAX_FIELD_LEN)]
    Field(&'static str),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip_through_their_names_and_serde() {
        for kind in EventKind::ALL {
            assert_eq!(kind.as_str().parse(), Ok(kind));
        }
        let event = Event::new(EventKind::ItemClick)
            .product("7")
            .module("GetSimilarItems");
        let json = serde_json::to_string(&event).unwrap();
        assert_eq!(
            json,
            r#"{"type":"itemclick","product":"7","module":"GetSimilarItems"}"#
        );
        assert_eq!(serde_json::from_str::<Event>(&json).unwrap(), event);
    }

    #[test]
    fn limits_are_checked() {
        let long = "p".repeat(Event::MAX_FIELD_LEN + 1);
        assert!(
            Event::new(EventKind::PageView)
                .product(long)
                .check()
                .is_err()
        );
        assert!(
            Event::new(EventKind::PageView)
                .module("a\nb")
                .check()
                .is_err()
        );
        assert!(
            Event::new(EventKind::PageView)
                .property("", "x")
                .check()
                .is_err()
        );
        let mut many = Event::new(EventKind::Purchase);
        for i in 0..=Event::MAX_PROPERTIES {
            many = many.property(format!("p{i}"), "1");
        }
        assert_eq!(
            many.check(),
            Err(InvalidEvent::TooManyProperties(Event::MAX_PROPERTIES + 1))
        );
    }
}
