//! One entry of the consent log, and who it is about.

use std::{
    fmt,
    net::{IpAddr, Ipv4Addr, Ipv6Addr},
    str::FromStr,
};

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::{CategorySet, ConsentAction, tracking::VisitorId};

/// What a log entry records.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LogAction {
    /// "Accept all".
    AcceptAll,
    /// "Reject all".
    RejectAll,
    /// "Save my choices".
    Custom,
    /// The passive-info banner's acknowledgement.
    Acknowledge,
    /// The decision was withdrawn with `?ChangeCookiePolicyConsent=1`.
    Reset,
}

impl LogAction {
    /// The snake_case name, as stored.
    pub const fn as_str(self) -> &'static str {
        match self {
            LogAction::AcceptAll => "accept_all",
            LogAction::RejectAll => "reject_all",
            LogAction::Custom => "custom",
            LogAction::Acknowledge => "acknowledge",
            LogAction::Reset => "reset",
        }
    }
}

impl From<ConsentAction> for LogAction {
    fn from(action: ConsentAction) -> Self {
        match action {
            ConsentAction::AcceptAll => LogAction::AcceptAll,
            ConsentAction::RejectAll => LogAction::RejectAll,
            ConsentAction::Custom => LogAction::Custom,
            ConsentAction::Acknowledge => LogAction::Acknowledge,
        }
    }
}

impl FromStr for LogAction {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        [
            LogAction::AcceptAll,
            LogAction::RejectAll,
            LogAction::Custom,
            LogAction::Acknowledge,
            LogAction::Reset,
        ]
        .into_iter()
        .find(|action| action.as_str() == s)
        .ok_or_else(|| format!("unknown action {s:?}"))
    }
}

/// One decision, as the consent log keeps it for GDPR Art. 7(1).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsentRecord {
    /// The entry's own id (a replayed entry is stored once).
    pub id: Uuid,
    /// The browser's consent id (the consent cookie's).
    pub consent_id: Uuid,
    /// The visitor id (`cemv`, or the shop's own visitor cookie), when the shop tracks and
    /// the decision lets the id be kept.
    pub visitor_id: Option<VisitorId>,
    /// When it was recorded (UTC, whole seconds).
    #[serde(with = "time::serde::rfc3339")]
    pub recorded_at: OffsetDateTime,
    /// What happened.
    pub action: LogAction,
    /// The categories allowed from then on.
    pub granted: CategorySet,
    /// The categories refused.
    pub denied: CategorySet,
    /// The fingerprint of the policy agreed to.
    pub policy_fingerprint: String,
    /// The site's locale, which chose the texts shown.
    pub locale: String,
    /// Where the decision was taken: `banner`, `banner-form` (without JavaScript),
    /// `change-link`, `privacy-page` ("delete all my cookies"), or what the shop's own UI says.
    pub ui_source: String,
    /// Whether the browser sent Global Privacy Control (`Sec-GPC: 1`).
    pub gpc: bool,
    /// Whether the browser sent Do Not Track (`DNT: 1`). Journal lines written before this
    /// field existed read as `false`.
    #[serde(default)]
    pub dnt: bool,
    /// The browser's `User-Agent` (at most 512 characters).
    pub user_agent: Option<String>,
    /// The client's IP address, full or truncated (see [`IpRecording`]).
    pub ip: Option<String>,
    /// The shop's services allowed from then on, by id (empty when the shop declares none).
    /// Journal lines written before this field existed read as empty.
    #[serde(default)]
    pub services: Vec<String>,
}

/// How much of the client's IP address the log keeps.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum IpRecording {
    /// The whole address: a shopper can be found by the address they report.
    #[default]
    Full,
    /// IPv4 to its /24 network, IPv6 to its /48: less personal data, looser matches.
    Truncated,
    /// No address.
    Off,
}

impl IpRecording {
    /// The address as this setting keeps it. An IPv4-mapped IPv6 address (what a
    /// dual-stack listener reports for an IPv4 client, `::ffff:203.0.113.7`) is kept as the
    /// IPv4 address, so that a lookup by the address the shopper knows finds it.
    pub fn record(self, ip: IpAddr) -> Option<String> {
        let ip = ip.to_canonical();
        match self {
            IpRecording::Full => Some(ip.to_string()),
            IpRecording::Truncated => Some(truncate_ip(ip).to_string()),
            IpRecording::Off => None,
        }
    }
}

/// An address reduced to its network: IPv4 /24, IPv6 /48 (an IPv4-mapped IPv6 address as
/// IPv4).
pub(crate) fn truncate_ip(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, c, _] = v4.octets();
            IpAddr::V4(Ipv4Addr::new(a, b, c, 0))
        }
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => truncate_ip(IpAddr::V4(v4)),
            None => {
                let s = v6.segments();
                IpAddr::V6(Ipv6Addr::new(s[0], s[1], s[2], 0, 0, 0, 0, 0))
            }
        },
    }
}

/// Whose entries a data-subject request is about.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Subject {
    /// Everything recorded from this IP address (or its truncated network, where the log
    /// keeps truncated addresses).
    Ip(IpAddr),
    /// Everything recorded for this visitor id.
    VisitorId(VisitorId),
    /// Everything recorded for this consent id.
    ConsentId(Uuid),
}

impl Subject {
    /// Whether `record` is about this subject.
    pub fn matches(&self, record: &ConsentRecord) -> bool {
        match self {
            Subject::Ip(ip) => record
                .ip
                .as_deref()
                .is_some_and(|stored| stored_forms(*ip).iter().any(|form| form == stored)),
            Subject::VisitorId(id) => record.visitor_id.as_ref() == Some(id),
            Subject::ConsentId(id) => record.consent_id == *id,
        }
    }
}

impl fmt::Display for Subject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Subject::Ip(ip) => write!(f, "ip {ip}"),
            Subject::VisitorId(id) => write!(f, "visitor id {id}"),
            Subject::ConsentId(id) => write!(f, "consent id {id}"),
        }
    }
}

/// Every form an address's entries can be stored under: the canonical address (IPv4 for an
/// IPv4-mapped one), its truncated network, and the IPv4-mapped IPv6 form of an IPv4
/// address, as versions before 0.1 stored what a dual-stack listener reported.
pub(crate) fn stored_forms(ip: IpAddr) -> [String; 3] {
    let ip = ip.to_canonical();
    let mapped = match ip {
        IpAddr::V4(v4) => IpAddr::V6(v4.to_ipv6_mapped()),
        IpAddr::V6(_) => ip,
    };
    [
        ip.to_string(),
        truncate_ip(ip).to_string(),
        mapped.to_string(),
    ]
}

/// Cuts a `User-Agent` to at most 512 characters.
pub(crate) fn bounded_user_agent(user_agent: &str) -> String {
    user_agent.chars().take(512).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncation_keeps_the_network() {
        let v4: IpAddr = "203.0.113.77".parse().unwrap();
        assert_eq!(truncate_ip(v4).to_string(), "203.0.113.0");
        let v6: IpAddr = "2001:db8:85a3:8d3:1319:8a2e:370:7348".parse().unwrap();
        assert_eq!(truncate_ip(v6).to_string(), "2001:db8:85a3::");
        let mapped: IpAddr = "::ffff:198.51.100.9".parse().unwrap();
        assert_eq!(truncate_ip(mapped).to_string(), "198.51.100.0");
        assert_eq!(IpRecording::Off.record(v4), None);
    }

    #[test]
    fn subjects_match_full_and_truncated_addresses() {
        let mut record = ConsentRecord {
            id: Uuid::new_v4(),
            consent_id: Uuid::new_v4(),
            visitor_id: None,
            recorded_at: OffsetDateTime::UNIX_EPOCH,
            action: LogAction::Reset,
            granted: CategorySet::essential(),
            denied: CategorySet::essential().denied(),
            policy_fingerprint: String::new(),
            locale: "en".into(),
            ui_source: "change-link".into(),
            gpc: false,
            dnt: false,
            user_agent: None,
            ip: Some("203.0.113.0".into()),
            services: Vec::new(),
        };
        let ip: IpAddr = "203.0.113.77".parse().unwrap();
        assert!(
            Subject::Ip(ip).matches(&record),
            "a truncated entry is found by the full address"
        );
        record.ip = Some("203.0.113.77".into());
        assert!(Subject::Ip(ip).matches(&record));
        assert!(!Subject::Ip("203.0.114.77".parse().unwrap()).matches(&record));
        assert!(Subject::ConsentId(record.consent_id).matches(&record));
        assert!(!Subject::VisitorId(record.consent_id.into()).matches(&record));
        record.visitor_id = Some(record.consent_id.into());
        assert!(Subject::VisitorId(record.consent_id.into()).matches(&record));
    }

    #[test]
    fn user_agents_are_bounded() {
        assert_eq!(bounded_user_agent(&"x".repeat(2000)).len(), 512);
        assert_eq!(bounded_user_agent("Mozilla/5.0"), "Mozilla/5.0");
    }
}
