//! The bodies of the crate's endpoints (their shells are in [`crate::endpoints`]), and the
//! request context they share.

mod context;
mod cookie_details;
mod decide;
mod forget;

pub(crate) use context::Endpoint;
#[cfg(not(feature = "tracking"))]
pub(crate) use context::collect_without_tracking;
pub(crate) use cookie_details::cookie_details_for_browser;
pub(crate) use decide::record_decision;
pub(crate) use forget::forget_all_cookies;
