//! The body of [`forget_cookies`](crate::endpoints::forget_cookies).

use leptos::prelude::ServerFnError;

use super::Endpoint;
use crate::{CategorySet, server::cookie_cleanup::expire_all};

/// Expires every cookie the request carries (the consent cookie too) and records the
/// withdrawal.
pub(crate) async fn forget_all_cookies(return_to: &str) -> Result<(), ServerFnError> {
    let endpoint = Endpoint::current("cookies to forget")?;
    endpoint.refuse_cross_site("cookies are only deleted from the shop's own pages")?;
    let (parts, config) = (&endpoint.parts, endpoint.config());
    // Nothing was decided, so nothing is withdrawn; or the shop keeps no log.
    if let (Some(consent_id), Some(recorder)) =
        (endpoint.consent.previous_consent_id, config.recorder())
    {
        recorder
            .record(config.decision_notice(
                &parts.headers,
                &parts.extensions,
                consent_id,
                // Every cookie goes, the ids too: none is kept to record.
                None,
                None,
                CategorySet::essential(),
                crate::ServiceSet::empty(),
                "privacy-page",
            ))
            .await;
    }
    endpoint.set_cookies(expire_all(config, parts.uri.path(), &parts.headers));
    if config.clears_site_data() {
        // The browser drops every cookie of the site, whatever its name, path or domain.
        endpoint.response.insert_header(
            http::HeaderName::from_static("clear-site-data"),
            http::HeaderValue::from_static("\"cookies\""),
        );
    }
    endpoint.send_back(return_to);
    Ok(())
}
