//! The consent-log record of one request: who (IP address and browser), under which policy,
//! what was decided.

use http::{Extensions, HeaderMap, header};
use uuid::Uuid;

use super::{ConsentLog, ConsentRecord, LogAction, bounded_user_agent};
use crate::{
    CategorySet,
    server::{ConsentConfig, request},
};

/// What a consent-log entry says happened.
pub(crate) struct LogEntry {
    pub(crate) consent_id: Uuid,
    pub(crate) action: LogAction,
    pub(crate) granted: CategorySet,
    pub(crate) ui_source: &'static str,
}

/// The consent log and its entry for this request, if the shop keeps a log.
pub(crate) fn log_record(
    config: &ConsentConfig,
    headers: &HeaderMap,
    extensions: &Extensions,
    entry: LogEntry,
) -> Option<(ConsentLog, ConsentRecord)> {
    let log = config.log()?;
    let record = ConsentRecord {
        id: Uuid::new_v4(),
        consent_id: entry.consent_id,
        visitor_id: None,
        recorded_at: time::OffsetDateTime::from_unix_timestamp(request::unix_now())
            .unwrap_or(time::OffsetDateTime::UNIX_EPOCH),
        action: entry.action,
        granted: entry.granted,
        denied: entry.granted.denied(),
        policy_fingerprint: config.fingerprint().to_string(),
        locale: config.locale().to_owned(),
        ui_source: entry.ui_source.to_owned(),
        gpc: request::sends_gpc(headers),
        user_agent: headers
            .get(header::USER_AGENT)
            .and_then(|ua| ua.to_str().ok())
            .map(bounded_user_agent),
        ip: config
            .client_ip()
            .of(headers, extensions)
            .and_then(|ip| log.ip_recording().record(ip)),
    };
    Some((log.clone(), record))
}
