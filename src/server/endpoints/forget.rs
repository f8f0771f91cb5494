//! The body of [`forget_cookies`](crate::endpoints::forget_cookies).

use leptos::prelude::ServerFnError;

use super::Endpoint;
use crate::{
    CategorySet,
    server::{
        consent_log::{LogAction, LogEntry, log_record},
        cookie_cleanup::expire_all,
    },
};

/// Expires every cookie the request carries (the consent cookie too) and records the
/// withdrawal.
pub(crate) async fn forget_all_cookies(return_to: &str) -> Result<(), ServerFnError> {
    let endpoint = Endpoint::current("cookies to forget")?;
    endpoint.refuse_cross_site("cookies are only deleted from the shop's own pages")?;
    let (parts, config) = (&endpoint.parts, endpoint.config());
    let entry = endpoint
        .consent
        .previous_consent_id
        .map(|consent_id| LogEntry {
            consent_id,
            action: LogAction::Reset,
            granted: CategorySet::essential(),
            ui_source: "privacy-page",
        });
    if let Some((log, record)) =
        entry.and_then(|entry| log_record(config, &parts.headers, &parts.extensions, entry))
    {
        let _ = log.append(record).await;
    }
    endpoint.set_cookies(expire_all(config, &parts.headers));
    endpoint.send_back(return_to);
    Ok(())
}
