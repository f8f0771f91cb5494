//! The ids an event carries, the same on the server and in the browser, and the one type of
//! a visitor id.

use std::{fmt, str::FromStr};

use serde::{Deserialize, Serialize};

/// The longest id accepted, in bytes.
pub(crate) const MAX_ID_LEN: usize = 128;

/// An id that is not 1 to 128 cookie-safe characters.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("an id is 1 to {MAX_ID_LEN} visible ASCII characters without ; , \" \\ or spaces")]
pub struct InvalidTrackingId;

/// Whether `value` can be an id: 1 to 128 characters that a cookie value may hold unquoted
/// (RFC 6265 `cookie-octet`).
///
/// ```
/// use leptos_consent::tracking::check_tracking_id;
///
/// assert!(check_tracking_id("8a6e0804-2bd0-4672-b79d-d97027f9071a").is_ok());
/// assert!(check_tracking_id("a;b").is_err());
/// assert!(check_tracking_id("").is_err());
/// ```
pub fn check_tracking_id(value: &str) -> Result<(), InvalidTrackingId> {
    let cookie_octet =
        |b: u8| matches!(b, 0x21 | 0x23..=0x2B | 0x2D..=0x3A | 0x3C..=0x5B | 0x5D..=0x7E);
    if (1..=MAX_ID_LEN).contains(&value.len()) && value.bytes().all(cookie_octet) {
        Ok(())
    } else {
        Err(InvalidTrackingId)
    }
}

/// A visitor (browser) id: the `cemv` cookie's value, or the shop's own visitor cookie's
/// with [`write_cookies(false)`](crate::tracking::TrackingConfigBuilder::write_cookies).
/// The same type in tracking's ids, in the consent log's records and in an erasure's
/// subject; always 1 to 128 cookie-safe characters (see [`check_tracking_id`]).
///
/// ```
/// use leptos_consent::tracking::VisitorId;
///
/// let id: VisitorId = "8a6e0804-2bd0-4672-b79d-d97027f9071a".parse()?;
/// assert_eq!(id.as_str(), "8a6e0804-2bd0-4672-b79d-d97027f9071a");
/// assert!("two words".parse::<VisitorId>().is_err());
/// # Ok::<(), leptos_consent::tracking::InvalidTrackingId>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct VisitorId(String);

impl VisitorId {
    /// `id`, when it is a valid id.
    pub fn new(id: impl Into<String>) -> Result<Self, InvalidTrackingId> {
        let id = id.into();
        check_tracking_id(&id)?;
        Ok(VisitorId(id))
    }

    /// The id as written in the cookie.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A fresh visitor id is a uuid.
impl From<uuid::Uuid> for VisitorId {
    fn from(id: uuid::Uuid) -> Self {
        VisitorId(id.to_string())
    }
}

impl FromStr for VisitorId {
    type Err = InvalidTrackingId;

    fn from_str(id: &str) -> Result<Self, InvalidTrackingId> {
        VisitorId::new(id)
    }
}

impl TryFrom<String> for VisitorId {
    type Error = InvalidTrackingId;

    fn try_from(id: String) -> Result<Self, InvalidTrackingId> {
        VisitorId::new(id)
    }
}

impl From<VisitorId> for String {
    fn from(id: VisitorId) -> String {
        id.0
    }
}

impl AsRef<str> for VisitorId {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl PartialEq<str> for VisitorId {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<&str> for VisitorId {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

impl fmt::Display for VisitorId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The ids an event carries. `reaid`/`user` and `xuid` exclude each other: the latest set
/// wins.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrackingIds {
    /// The visitor (browser) id, `coid` in the Raptor format.
    pub visitor: VisitorId,
    /// The session id, `sid`.
    pub session: String,
    /// The user id (`ruid`: base64, see `user_id_of`), once the shopper identified.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    /// The e-mail campaign id from `?reaid=`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reaid: Option<String>,
    /// The external user id from `?xuid=`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub xuid: Option<String>,
}
