//! What a shop tracks: an [`Event`] of a known [`EventKind`], with the product, the
//! recommendation module and a few properties it concerns.

use std::{collections::BTreeMap, fmt, str::FromStr};

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The kinds of events a shop tracks: the built-in ones, whose names are the providers'
/// (`p1=itemclick` in the Raptor format, lowercase), and the shop's own
/// ([`EventKind::Custom`]).
///
/// ```
/// use leptos_consent::EventKind;
///
/// assert_eq!("itemclick".parse::<EventKind>(), Ok(EventKind::ItemClick));
/// assert_eq!("wishlist_add".parse::<EventKind>(), Ok(EventKind::custom("wishlist_add")?));
/// assert!("two words".parse::<EventKind>().is_err());
/// # Ok::<(), leptos_consent::tracking::InvalidEventName>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
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
    /// An event of the shop's own, by its name (`wishlist_add`, `newsletter_signup`). The
    /// collect endpoint and server-side tracking take only the names the shop declared with
    /// [`TrackingConfigBuilder::custom_events`](crate::tracking::TrackingConfigBuilder::custom_events).
    Custom(EventName),
}

impl EventKind {
    /// Every built-in kind.
    pub const ALL: [EventKind; 7] = [
        EventKind::PageView,
        EventKind::ProductView,
        EventKind::ItemClick,
        EventKind::AddToCart,
        EventKind::Purchase,
        EventKind::Search,
        EventKind::Identify,
    ];

    /// The shop's own event `name` (see [`EventName::new`]).
    pub fn custom(name: impl Into<String>) -> Result<Self, InvalidEventName> {
        EventName::new(name).map(EventKind::Custom)
    }

    /// The name: lowercase for the built-in kinds, the shop's for its own.
    pub fn as_str(&self) -> &str {
        match self {
            EventKind::PageView => "pageview",
            EventKind::ProductView => "productview",
            EventKind::ItemClick => "itemclick",
            EventKind::AddToCart => "addtocart",
            EventKind::Purchase => "purchase",
            EventKind::Search => "search",
            EventKind::Identify => "identify",
            EventKind::Custom(name) => name.as_str(),
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

    /// A built-in kind by its name, or else the shop's own by a valid name.
    fn from_str(s: &str) -> Result<Self, UnknownEventKind> {
        EventKind::ALL
            .into_iter()
            .find(|kind| kind.as_str() == s)
            .map_or_else(|| EventKind::custom(s), Ok)
            .map_err(|_| UnknownEventKind(s.chars().take(32).collect()))
    }
}

impl TryFrom<String> for EventKind {
    type Error = UnknownEventKind;

    fn try_from(name: String) -> Result<Self, UnknownEventKind> {
        name.parse()
    }
}

impl From<EventKind> for String {
    fn from(kind: EventKind) -> String {
        match kind {
            EventKind::Custom(name) => name.0,
            built_in => built_in.as_str().to_owned(),
        }
    }
}

/// A name that is neither a built-in [`EventKind`] nor a valid [`EventName`].
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "event type {0:?} is neither pageview, productview, itemclick, addtocart, purchase, search, \
     identify nor a name of the shop's own (a letter, then up to 63 letters, digits, _ - or .)"
)]
pub struct UnknownEventKind(pub String);

/// The name of an event of the shop's own: a letter, then up to 63 ASCII letters, digits,
/// `_`, `-` or `.`; never a built-in kind's name. Case matters (`Signup` ≠ `signup`).
///
/// ```
/// use leptos_consent::tracking::EventName;
///
/// assert!(EventName::new("newsletter_signup").is_ok());
/// assert!(EventName::new("pageview").is_err(), "a built-in kind's name");
/// assert!(EventName::new("1st").is_err());
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EventName(String);

impl EventName {
    /// The longest name, in bytes.
    pub const MAX_LEN: usize = 64;

    /// `name`, when it is a valid name of the shop's own.
    pub fn new(name: impl Into<String>) -> Result<Self, InvalidEventName> {
        let name = name.into();
        let valid = name.len() <= EventName::MAX_LEN
            && name.bytes().next().is_some_and(|b| b.is_ascii_alphabetic())
            && name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'));
        if !valid {
            // Its first 32 bytes (whole characters) for the message: cut in place, without
            // the char iteration that would cost the browser bundle.
            let mut shown = name;
            let mut end = shown.len().min(32);
            while !shown.is_char_boundary(end) {
                end -= 1;
            }
            shown.truncate(end);
            return Err(InvalidEventName::Malformed(shown));
        }
        if EventKind::ALL.iter().any(|kind| kind.as_str() == name) {
            return Err(InvalidEventName::BuiltIn(name));
        }
        Ok(EventName(name))
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for EventName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A name [`EventName::new`] refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum InvalidEventName {
    /// Not a letter followed by up to 63 letters, digits, `_`, `-` or `.` (the name's first
    /// 32 bytes, cut at a character's boundary).
    #[error("event name {0:?}: a letter, then up to 63 ASCII letters, digits, _ - or .")]
    Malformed(String),
    /// The name of a built-in kind: use [`EventKind`]'s variant.
    #[error("event name {0:?} is a built-in kind's: use EventKind's variant")]
    BuiltIn(String),
}

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
    #[serde(default, skip_serializing_if = "Properties::is_empty")]
    pub properties: Properties,
}

/// An [`Event`]'s further properties: names mapped to values, each name once, in name
/// order; a JSON object on the wire.
///
/// A sorted list rather than a `BTreeMap`: events are built in the browser too, where a
/// map's code would weigh more than the rest of the tracker (see `cargo xtask sizes`).
///
/// ```
/// use leptos_consent::{Event, EventKind};
///
/// let event = Event::new(EventKind::Search).property("q", "boots").property("page", "2");
/// assert_eq!(event.properties.get("q"), Some("boots"));
/// let names: Vec<&str> = event.properties.iter().map(|(name, _)| name).collect();
/// assert_eq!(names, ["page", "q"]);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Properties(Vec<(String, String)>);

impl Properties {
    /// The value of `name`, if set.
    pub fn get(&self, name: &str) -> Option<&str> {
        let at = self.position(name).ok()?;
        Some(&self.0[at].1)
    }

    /// Sets `name` to `value`, replacing what it had.
    pub fn insert(&mut self, name: String, value: String) {
        match self.position(&name) {
            Ok(at) => self.0[at].1 = value,
            Err(at) => self.0.insert(at, (name, value)),
        }
    }

    /// The properties, in name order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0
            .iter()
            .map(|(name, value)| (name.as_str(), value.as_str()))
    }

    /// How many there are.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    fn position(&self, name: &str) -> Result<usize, usize> {
        self.0.binary_search_by(|(held, _)| held.as_str().cmp(name))
    }
}

impl Serialize for Properties {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.iter())
    }
}

impl<'de> Deserialize<'de> for Properties {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let map = BTreeMap::<String, String>::deserialize(deserializer)?;
        Ok(Properties(map.into_iter().collect()))
    }
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

    /// An event of the shop's own, named `name` (see [`EventName::new`]).
    ///
    /// ```
    /// use leptos_consent::Event;
    ///
    /// let event = Event::custom("wishlist_add")?.product("42");
    /// assert_eq!(event.kind.as_str(), "wishlist_add");
    /// # Ok::<(), leptos_consent::tracking::InvalidEventName>(())
    /// ```
    pub fn custom(name: impl Into<String>) -> Result<Self, InvalidEventName> {
        EventKind::custom(name).map(Event::new)
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
        .chain(self.properties.iter());
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
    fn custom_names_are_checked() {
        for good in ["signup", "wishlist_add", "Checkout.Step-2", &"a".repeat(64)] {
            assert!(EventName::new(good).is_ok(), "{good}");
        }
        for bad in ["", "_x", "1st", "two words", "a/b", "ä", &"a".repeat(65)] {
            assert!(
                matches!(EventName::new(bad), Err(InvalidEventName::Malformed(_))),
                "{bad}"
            );
        }
        // The message shows the first 32 bytes, never half a character.
        let long = format!("{}é{}", "a".repeat(31), "b".repeat(40));
        assert_eq!(
            EventName::new(long),
            Err(InvalidEventName::Malformed("a".repeat(31)))
        );
        assert_eq!(
            EventName::new("search"),
            Err(InvalidEventName::BuiltIn("search".into()))
        );
        // A built-in name parses as the built-in kind, never as a custom one.
        assert_eq!("search".parse(), Ok(EventKind::Search));
    }

    #[test]
    fn kinds_round_trip_through_their_names_and_serde() {
        for kind in EventKind::ALL {
            assert_eq!(kind.as_str().parse(), Ok(kind.clone()));
            assert_eq!(
                serde_json::to_string(&kind).unwrap(),
                format!("\"{}\"", kind.as_str())
            );
        }
        let custom = Event::custom("wishlist_add").unwrap().product("9");
        let json = serde_json::to_string(&custom).unwrap();
        assert_eq!(json, r#"{"type":"wishlist_add","product":"9"}"#);
        assert_eq!(serde_json::from_str::<Event>(&json).unwrap(), custom);
        assert!(serde_json::from_str::<Event>(r#"{"type":"two words"}"#).is_err());
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
