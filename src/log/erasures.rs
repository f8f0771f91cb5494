//! Erasures remembered in the store, so that every instance's fallback journal honours them.
//!
//! Each instance of a shop has its own journal file, which no other instance can reach. An
//! erasure (or a purge before a date) therefore also writes a row to `consent_erasures`: "every
//! record about this subject made before this second is erased". A replay inserts its records
//! and, in the same transaction, deletes those such a row covers, so a record journaled on
//! instance A while the database was down stays erased even when staff erased it through
//! instance B before A came back. Subjects are stored as SHA-256 hashes, never in clear; a row
//! is kept as long as the log's retention (older records are deleted by retention anyway).

use std::collections::HashMap;

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use sha2::{Digest, Sha256};

use super::{ConsentRecord, Subject, record::stored_forms};

/// The key of a purge ("every record made before …").
pub(super) const EVERYONE: &str = "*";

/// Remembers that records about `key` made before `covers_before` are erased (a later
/// erasure of the same subject only ever widens it).
pub(super) const REMEMBER: &str = "INSERT INTO consent_erasures (subject, covers_before) \
     VALUES ($1, $2) ON CONFLICT (subject) DO UPDATE SET covers_before = excluded.covers_before \
     WHERE consent_erasures.covers_before < excluded.covers_before";

/// Forgets the erasures of subjects older than the retention period (`$1`, Unix seconds).
pub(super) const FORGET_BEFORE: &str =
    "DELETE FROM consent_erasures WHERE subject <> '*' AND covers_before < $1";

/// PostgreSQL: a replay reads the erasures under this lock, so an erasure committing
/// meanwhile waits for the replay's records and then deletes them itself. (SQLite runs one
/// write transaction at a time, which gives the same order.)
pub(super) const LOCK_POSTGRES: &str = "LOCK TABLE consent_erasures IN SHARE MODE";

/// The start of the query for the erasures of some keys (`IN (…)` follows).
pub(super) const SELECT_FOR: &str =
    "SELECT subject, covers_before FROM consent_erasures WHERE subject IN (";

/// The keys an erasure of `subject` is remembered under: an IP address under every form
/// its records can be stored in.
pub(super) fn keys_of_subject(subject: &Subject) -> Vec<String> {
    match subject {
        Subject::Ip(ip) => stored_forms(*ip)
            .iter()
            .map(|form| hashed("ip", form))
            .collect(),
        Subject::VisitorId(id) => vec![hashed("visitor", id.as_str())],
        Subject::ConsentId(id) => vec![hashed("consent", &id.to_string())],
    }
}

/// The keys an erasure of `record` could have been remembered under.
fn keys_of_record(record: &ConsentRecord) -> impl Iterator<Item = String> + '_ {
    [
        Some(hashed("consent", &record.consent_id.to_string())),
        record
            .visitor_id
            .as_ref()
            .map(|id| hashed("visitor", id.as_str())),
        record.ip.as_deref().map(|ip| hashed("ip", ip)),
        Some(EVERYONE.to_owned()),
    ]
    .into_iter()
    .flatten()
}

/// Every key to look up for `records`, once each.
pub(super) fn keys_of_records(records: &[ConsentRecord]) -> Vec<String> {
    let mut keys: Vec<String> = records.iter().flat_map(keys_of_record).collect();
    keys.sort_unstable();
    keys.dedup();
    keys
}

/// Whether one of the `erasures` (key → covers before) covers `record`.
pub(super) fn is_erased(record: &ConsentRecord, erasures: &HashMap<String, i64>) -> bool {
    let made = record.recorded_at.unix_timestamp();
    keys_of_record(record).any(|key| erasures.get(&key).is_some_and(|&before| made < before))
}

fn hashed(kind: &str, value: &str) -> String {
    let mut hasher = Sha256::new();
    hasher.update(kind.as_bytes());
    hasher.update(b":");
    hasher.update(value.as_bytes());
    URL_SAFE_NO_PAD.encode(hasher.finalize())
}

#[cfg(test)]
mod tests {
    use time::OffsetDateTime;
    use uuid::Uuid;

    use super::*;
    use crate::{CategorySet, log::LogAction};

    fn record(ip: Option<&str>, at: i64) -> ConsentRecord {
        ConsentRecord {
            id: Uuid::new_v4(),
            consent_id: Uuid::new_v4(),
            visitor_id: None,
            recorded_at: OffsetDateTime::from_unix_timestamp(at).unwrap(),
            action: LogAction::AcceptAll,
            granted: CategorySet::all(),
            denied: CategorySet::all().denied(),
            policy_fingerprint: String::new(),
            locale: "en".into(),
            ui_source: "banner".into(),
            gpc: false,
            dnt: false,
            user_agent: None,
            ip: ip.map(str::to_owned),
            services: Vec::new(),
        }
    }

    #[test]
    fn an_erasure_covers_what_was_made_before_it_under_any_stored_form() {
        let erased: HashMap<String, i64> =
            keys_of_subject(&Subject::Ip("::ffff:203.0.113.7".parse().unwrap()))
                .into_iter()
                .map(|key| (key, 1_000))
                .collect();
        assert!(is_erased(&record(Some("203.0.113.7"), 999), &erased));
        assert!(
            is_erased(&record(Some("203.0.113.0"), 999), &erased),
            "truncated"
        );
        assert!(
            !is_erased(&record(Some("203.0.113.7"), 1_000), &erased),
            "made after"
        );
        assert!(!is_erased(&record(Some("203.0.113.8"), 999), &erased));
        assert!(!is_erased(&record(None, 999), &erased));
        let purge = HashMap::from([(EVERYONE.to_owned(), 500)]);
        assert!(is_erased(&record(None, 499), &purge));
        assert!(!is_erased(&record(None, 500), &purge));
    }

    #[test]
    fn subjects_are_never_stored_in_clear() {
        for key in keys_of_subject(&Subject::Ip("203.0.113.7".parse().unwrap())) {
            assert!(!key.contains("203"), "{key}");
            assert_eq!(key.len(), 43);
        }
    }
}
