//! The consent log as the core's [`DecisionRecorder`], and the settings that hand it over.

use std::{any::Any, net::IpAddr, sync::Arc};

use time::OffsetDateTime;
use uuid::Uuid;

use super::{ConsentLog, ConsentRecord, LogAction, record::bounded_user_agent};
use crate::{
    ConsentConfig, ConsentConfigBuilder,
    server::{DecisionNotice, DecisionRecorder, hooks::Pending},
};

impl ConsentLog {
    /// The log's record of a decision the core saw (the IP address as the log keeps it).
    fn record_of(&self, notice: DecisionNotice) -> ConsentRecord {
        ConsentRecord {
            id: Uuid::new_v4(),
            consent_id: notice.consent_id,
            visitor_id: notice.visitor,
            recorded_at: OffsetDateTime::from_unix_timestamp(notice.at)
                .unwrap_or(OffsetDateTime::UNIX_EPOCH),
            action: notice.action.map_or(LogAction::Reset, LogAction::from),
            granted: notice.granted,
            denied: notice.granted.denied(),
            services: notice.services,
            policy_fingerprint: notice.fingerprint.to_string(),
            locale: notice.locale,
            ui_source: notice.ui_source.to_owned(),
            gpc: notice.gpc,
            dnt: notice.dnt,
            user_agent: notice.user_agent.as_deref().map(bounded_user_agent),
            ip: notice.ip.and_then(|ip| self.ip_recording().record(ip)),
        }
    }
}

impl DecisionRecorder for ConsentLog {
    fn record(&self, notice: DecisionNotice) -> Pending {
        let log = self.clone();
        Box::pin(async move {
            // A record neither the database nor the journal took is logged in full by
            // `append`; the decision applies anyway.
            let _ = log.append(log.record_of(notice)).await;
        })
    }

    fn retry_after(&self, ip: IpAddr) -> Option<u64> {
        self.inner.limiter.as_ref()?.retry_after(Some(ip))
    }

    fn needs_client_address(&self) -> bool {
        self.inner.limiter.is_some() || self.inner.ip_recording != super::IpRecording::Off
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

impl ConsentConfigBuilder {
    /// The consent log every decision is appended to, before the response (GDPR proof;
    /// feature `log`). Without one, decisions only live in the shoppers' cookies.
    pub fn log(self, log: ConsentLog) -> Self {
        self.recorder(Arc::new(log))
    }
}

impl ConsentConfig {
    /// The consent log decisions are recorded in, if the shop keeps one (feature `log`).
    pub fn log(&self) -> Option<&ConsentLog> {
        self.recorder()?.as_any().downcast_ref()
    }
}
