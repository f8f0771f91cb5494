//! The ids an event carries, the same on the server and in the browser.

use serde::{Deserialize, Serialize};

/// The ids an event carries. `reaid`/`user` and `xuid` exclude each other: the latest set
/// wins.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrackingIds {
    /// The visitor (browser) id, `coid` in the Raptor format.
    pub visitor: String,
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
