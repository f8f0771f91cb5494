//! What the core asks of the subsystems it is given. The core never names a subsystem: the
//! consent log and the tracking context implement these traits, and the shop hands them to
//! [`ConsentConfigBuilder`](crate::ConsentConfigBuilder) through setters their own modules
//! add (`.log(…)`, `.tracking(…)`).

use std::{any::Any, future::Future, net::IpAddr, pin::Pin};

use http::{HeaderMap, HeaderValue, Uri};
use uuid::Uuid;

use super::PolicyFingerprint;
use crate::{
    CategorySet, ConsentAction,
    registry::CookieEntry,
    tracking::{TrackerSettings, TrackingIds, VisitorId},
};

/// A boxed, sendable future.
pub(crate) type Pending = Pin<Box<dyn Future<Output = ()> + Send>>;

/// A decision (or a withdrawal) as the core saw it, for the consent log.
#[derive(Clone, Debug)]
#[cfg_attr(not(feature = "log"), allow(dead_code))]
pub(crate) struct DecisionNotice {
    /// The browser's consent id.
    pub(crate) consent_id: Uuid,
    /// The visitor id, where tracking keeps one that the decision allows.
    pub(crate) visitor: Option<VisitorId>,
    /// What the shopper chose; `None`: the decision was withdrawn.
    pub(crate) action: Option<ConsentAction>,
    /// The categories allowed from now on.
    pub(crate) granted: CategorySet,
    /// The shop's services allowed from now on, by id.
    pub(crate) services: Vec<String>,
    /// Where it was taken (`banner`, `banner-form`, `change-link`, `privacy-page`).
    pub(crate) ui_source: &'static str,
    /// The policy the shopper saw.
    pub(crate) fingerprint: PolicyFingerprint,
    /// The locale of the texts shown.
    pub(crate) locale: String,
    /// Whether the browser sent Global Privacy Control.
    pub(crate) gpc: bool,
    /// Whether the browser sent Do Not Track.
    pub(crate) dnt: bool,
    /// The `User-Agent` header.
    pub(crate) user_agent: Option<String>,
    /// The client's address, as [`ClientIp`](crate::ClientIp) finds it.
    pub(crate) ip: Option<IpAddr>,
    /// When, in seconds since the Unix epoch.
    pub(crate) at: i64,
}

/// What the [`ConsentLayer`](crate::ConsentLayer) found out about a request's tracking, in
/// its extensions for the page and the collect endpoint.
#[derive(Clone, Debug)]
#[cfg_attr(not(feature = "tracking"), allow(dead_code))]
pub(crate) struct RequestTracking {
    /// The ids, when the shopper has (or just got) them.
    pub(crate) ids: Option<TrackingIds>,
    /// Whether consent allows events.
    pub(crate) allowed: bool,
    /// The categories allowed now.
    pub(crate) granted: CategorySet,
}

#[cfg_attr(not(feature = "tracking"), allow(dead_code))]
impl RequestTracking {
    /// Whether events of this request leave the server.
    pub(crate) fn emits(&self) -> bool {
        self.emitted_ids().is_some()
    }

    /// The ids events of this request leave with, when they may leave.
    pub(crate) fn emitted_ids(&self) -> Option<&TrackingIds> {
        self.ids.as_ref().filter(|_| self.allowed)
    }
}

/// Keeps proof of decisions: the consent log.
#[cfg_attr(not(feature = "log"), allow(dead_code))]
pub(crate) trait DecisionRecorder: Send + Sync + 'static {
    /// Records `notice`; the response waits for it (the shopper's cookie never says more
    /// than the log). Failures are the recorder's to report.
    fn record(&self, notice: DecisionNotice) -> Pending;

    /// How many seconds `ip` must wait before it may record again, if it is over its limit.
    fn retry_after(&self, ip: IpAddr) -> Option<u64>;

    /// Whether it needs the client's address (to record it, or to limit per client).
    fn needs_client_address(&self) -> bool;

    /// The recorder itself, for its own module's accessors.
    fn as_any(&self) -> &dyn Any;
}

/// Reads and writes the shopper's tracking ids: the tracking context.
#[cfg_attr(not(feature = "tracking"), allow(dead_code))]
pub(crate) trait TrackingHook: Send + Sync + 'static {
    /// The ids of a request to `uri` with `headers` under `granted`, and the `Set-Cookie`
    /// headers they need. `visit` (a page or a collect post) may create and renew them.
    fn read(
        &self,
        secure: bool,
        uri: &Uri,
        headers: &HeaderMap,
        granted: CategorySet,
        visit: bool,
    ) -> (RequestTracking, Vec<HeaderValue>);

    /// After a decision granting `granted`: the visitor id it allows (new or kept), and
    /// the id cookies it allows, new or renewed.
    fn after_decision(
        &self,
        secure: bool,
        headers: &HeaderMap,
        granted: CategorySet,
    ) -> (Option<VisitorId>, Vec<HeaderValue>);

    /// The visitor id the request with `headers` carries, when `granted` lets it be kept.
    fn visitor_kept(&self, headers: &HeaderMap, granted: CategorySet) -> Option<VisitorId>;

    /// What the browser half needs to know for a request in this state.
    fn tracker_settings(&self, request: &RequestTracking) -> TrackerSettings;

    /// The registry entries of the id cookies it writes.
    fn cookie_entries(&self) -> Vec<CookieEntry>;

    /// Whether it needs the client's address (to limit collect posts per client).
    fn needs_client_address(&self) -> bool;

    /// The hook itself, for its own module's accessors.
    fn as_any(&self) -> &dyn Any;
}
