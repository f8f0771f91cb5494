//! The consent-log endpoints: find, export and erase one person's entries.

use std::net::IpAddr;

use axum::{
    Json, Router,
    extract::{Query, State, rejection::JsonRejection, rejection::QueryRejection},
    http::StatusCode,
    middleware,
    response::{IntoResponse, Response},
    routing::{get, post},
};
use serde::{Deserialize, Serialize};
use time::{OffsetDateTime, format_description::well_known::Rfc3339};
use uuid::Uuid;

use super::{AdminToken, failure, require_token, store_failure};
#[cfg(feature = "outbox")]
use crate::dispatch::{Outbox, TrackedShopper};
use crate::{
    log::{ConsentLog, ConsentRecord, Subject},
    store::StoreError,
    tracking::{VisitorId, check_tracking_id},
};

/// The consent-log endpoints for privacy staff, behind `token`:
///
/// | Request | Answer |
/// |---|---|
/// | `GET /consent-log?ip=…` (or `visitor_id=…`, `consent_id=…`) | `200` every entry about that person, oldest first |
/// | `DELETE /consent-log?ip=…` (or the others) | `200` `{"erased": n}` |
/// | `POST /consent-log/erase-before` `{"before": "2024-01-01T00:00:00Z"}` | `200` `{"erased": n}` |
///
/// Without `Authorization: Bearer <token>`, or with another token: `401`. A malformed
/// request: `400` with `{"error": "…"}`; nothing is changed. Mount it only when a token is
/// configured, so that without one its paths answer 404:
///
/// ```no_run
/// # use leptos_consent::{admin::{AdminToken, consent_log_admin}, log::ConsentLog};
/// # fn mount(app: axum::Router, log: ConsentLog) -> axum::Router {
/// match std::env::var("ADMIN_TOKEN").ok().map(AdminToken::new) {
///     Some(Ok(token)) => app.nest("/admin", consent_log_admin(log, token)),
///     Some(Err(invalid)) => panic!("ADMIN_TOKEN: {invalid}"),
///     None => app, // no token: no admin endpoints at all
/// }
/// # }
/// ```
pub fn consent_log_admin(log: ConsentLog, token: AdminToken) -> Router {
    routes(
        Subjects {
            log,
            #[cfg(feature = "outbox")]
            outbox: None,
        },
        token,
    )
}

/// [`consent_log_admin`] for a shop that also keeps a tracking outbox: an erasure also
/// deletes the person's tracked events (pending, delivered or dead letters): those of the
/// `visitor_id`, or of the visitor ids the log recorded for the `ip` or `consent_id`; and
/// `DELETE /consent-log?ruid=…` deletes the events of a user id (the `ruid`
/// value, [`user_id_of`](crate::tracking::user_id_of) the shop's identifier), which the
/// consent log itself never holds. The answer then counts them too:
/// `{"erased": n, "tracked_events": n, "dead_letters": n}`.
///
/// ```no_run
/// # use leptos_consent::{admin::{AdminToken, data_subject_admin}, dispatch::Outbox, log::ConsentLog};
/// # fn mount(app: axum::Router, log: ConsentLog, outbox: Outbox, token: AdminToken) -> axum::Router {
/// app.nest("/admin", data_subject_admin(log, outbox, token))
/// # }
/// ```
#[cfg(feature = "outbox")]
#[cfg_attr(docsrs, doc(cfg(feature = "outbox")))]
pub fn data_subject_admin(log: ConsentLog, outbox: Outbox, token: AdminToken) -> Router {
    routes(
        Subjects {
            log,
            outbox: Some(outbox),
        },
        token,
    )
}

fn routes(subjects: Subjects, token: AdminToken) -> Router {
    Router::new()
        .route("/consent-log", get(find).delete(erase))
        .route("/consent-log/erase-before", post(erase_before))
        .with_state(subjects)
        .layer(middleware::from_fn_with_state(token, require_token))
}

/// Where a person's data is kept.
#[derive(Clone)]
pub(crate) struct Subjects {
    pub(crate) log: ConsentLog,
    /// The tracking outbox, when erasures reach it.
    #[cfg(feature = "outbox")]
    pub(crate) outbox: Option<Outbox>,
}

/// Exactly one of the ways to name a person.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SubjectQuery {
    pub(crate) ip: Option<String>,
    pub(crate) visitor_id: Option<String>,
    pub(crate) consent_id: Option<String>,
    pub(crate) ruid: Option<String>,
}

/// A person as a request names them.
pub(crate) enum Person {
    /// As the consent log knows them.
    Logged(Subject),
    /// By the user id tracking sends (`ruid`), which only tracked events carry.
    User(#[cfg_attr(not(feature = "outbox"), allow(dead_code))] String),
}

impl SubjectQuery {
    pub(crate) fn person(self) -> Result<Person, String> {
        let uuid = |name: &str, value: &str| {
            Uuid::try_parse(value).map_err(|_| format!("{name} {value:?} is not a UUID"))
        };
        match (self.ip, self.visitor_id, self.consent_id, self.ruid) {
            (Some(ip), None, None, None) => ip
                .parse::<IpAddr>()
                .map(|ip| Person::Logged(Subject::Ip(ip)))
                .map_err(|_| format!("ip {ip:?} is not an IPv4 or IPv6 address")),
            (None, Some(id), None, None) => VisitorId::new(id)
                .map(|id| Person::Logged(Subject::VisitorId(id)))
                .map_err(|invalid| format!("visitor_id: {invalid}")),
            (None, None, Some(id), None) => {
                uuid("consent_id", &id).map(|id| Person::Logged(Subject::ConsentId(id)))
            }
            (None, None, None, Some(ruid)) => check_tracking_id(&ruid)
                .map(|()| Person::User(ruid))
                .map_err(|invalid| format!("ruid: {invalid}")),
            _ => Err(
                "name the person with exactly one of ip, visitor_id, consent_id or ruid".to_owned(),
            ),
        }
    }
}

fn person_of(query: Result<Query<SubjectQuery>, QueryRejection>) -> Result<Person, String> {
    query
        .map_err(|rejection| rejection.body_text())
        .and_then(|Query(query)| query.person())
}

/// The consent log keeps no user ids: a `ruid` only names tracked events.
const NO_USER_IDS_IN_THE_LOG: &str = "the consent log keeps no user ids: look a person up by \
     ip, visitor_id or consent_id (DELETE with ruid erases tracked events where the shop \
     mounted data_subject_admin)";

#[derive(Serialize)]
struct Found {
    subject: String,
    count: usize,
    records: Vec<ConsentRecord>,
}

#[derive(Serialize)]
pub(crate) struct Erased {
    /// Consent log entries.
    pub(crate) erased: u64,
    /// Tracked events in the outbox, where erasures reach it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) tracked_events: Option<u64>,
    /// Dead letters of the outbox, where erasures reach it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) dead_letters: Option<u64>,
}

async fn find(
    State(Subjects { log, .. }): State<Subjects>,
    query: Result<Query<SubjectQuery>, QueryRejection>,
) -> Response {
    let subject = match person_of(query) {
        Ok(Person::Logged(subject)) => subject,
        Ok(Person::User(_)) => return failure(StatusCode::BAD_REQUEST, NO_USER_IDS_IN_THE_LOG),
        Err(message) => return failure(StatusCode::BAD_REQUEST, &message),
    };
    match log.find(subject.clone()).await {
        Ok(records) => Json(Found {
            subject: subject.to_string(),
            count: records.len(),
            records,
        })
        .into_response(),
        Err(error) => store_failure(&error),
    }
}

async fn erase(
    State(subjects): State<Subjects>,
    query: Result<Query<SubjectQuery>, QueryRejection>,
) -> Response {
    let person = match person_of(query) {
        Ok(person) => person,
        Err(message) => return failure(StatusCode::BAD_REQUEST, &message),
    };
    match subjects.erase(person).await {
        Ok(Some(erased)) => Json(erased).into_response(),
        Ok(None) => failure(StatusCode::BAD_REQUEST, NO_USER_IDS_IN_THE_LOG),
        Err(error) => store_failure(&error),
    }
}

impl Subjects {
    /// Erases `person` wherever this shop keeps them; `None`: nowhere can (a `ruid` without
    /// an outbox).
    pub(crate) async fn erase(&self, person: Person) -> Result<Option<Erased>, StoreError> {
        let events = self.erase_events(&person).await?;
        let erased = match person {
            Person::Logged(subject) => self.log.erase(subject).await?,
            Person::User(_) if events.is_none() => return Ok(None),
            Person::User(_) => 0,
        };
        Ok(Some(Erased {
            erased,
            tracked_events: events.map(|events| events.0),
            dead_letters: events.map(|events| events.1),
        }))
    }

    /// Erases the tracked events of `person`: by user id, by visitor id, or by the visitor
    /// ids the log recorded for them (an IP address or a consent id); the events and dead
    /// letters deleted, or `None` without an outbox. Before the log's erasure, which would
    /// take those visitor ids with it.
    #[cfg(feature = "outbox")]
    async fn erase_events(&self, person: &Person) -> Result<Option<(u64, u64)>, StoreError> {
        let Some(outbox) = &self.outbox else {
            return Ok(None);
        };
        let shoppers: Vec<TrackedShopper> = match person {
            Person::User(ruid) => vec![TrackedShopper::User(ruid.clone())],
            Person::Logged(Subject::VisitorId(id)) => vec![TrackedShopper::Visitor(id.clone())],
            Person::Logged(subject) => {
                let mut visitors: Vec<VisitorId> = self
                    .log
                    .find(subject.clone())
                    .await?
                    .into_iter()
                    .filter_map(|record| record.visitor_id)
                    .collect();
                visitors.sort_unstable();
                visitors.dedup();
                visitors.into_iter().map(TrackedShopper::Visitor).collect()
            }
        };
        let mut erased = (0, 0);
        for shopper in &shoppers {
            let events = outbox.erase(shopper).await?;
            erased = (erased.0 + events.events, erased.1 + events.dead_letters);
        }
        Ok(Some(erased))
    }

    #[cfg(not(feature = "outbox"))]
    async fn erase_events(&self, _person: &Person) -> Result<Option<(u64, u64)>, StoreError> {
        Ok(None)
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct EraseBefore {
    before: String,
}

async fn erase_before(
    State(Subjects { log, .. }): State<Subjects>,
    body: Result<Json<EraseBefore>, JsonRejection>,
) -> Response {
    let Json(EraseBefore { before }) = match body {
        Ok(body) => body,
        Err(rejection) => return failure(StatusCode::BAD_REQUEST, &rejection.body_text()),
    };
    let Ok(before) = OffsetDateTime::parse(&before, &Rfc3339) else {
        return failure(
            StatusCode::BAD_REQUEST,
            &format!("before {before:?} is not an RFC 3339 time such as 2024-01-01T00:00:00Z"),
        );
    };
    match log.erase_before(before).await {
        Ok(erased) => Json(Erased {
            erased,
            tracked_events: None,
            dead_letters: None,
        })
        .into_response(),
        Err(error) => store_failure(&error),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exactly_one_way_to_name_a_person() {
        let query =
            |ip: Option<&str>, visitor: Option<&str>, consent: Option<&str>, ruid: Option<&str>| {
                SubjectQuery {
                    ip: ip.map(str::to_owned),
                    visitor_id: visitor.map(str::to_owned),
                    consent_id: consent.map(str::to_owned),
                    ruid: ruid.map(str::to_owned),
                }
                .person()
            };
        assert!(matches!(
            query(Some("2001:db8::1"), None, None, None),
            Ok(Person::Logged(Subject::Ip(_)))
        ));
        assert!(query(Some("999.1.1.1"), None, None, None).is_err());
        assert!(query(None, None, None, None).is_err());
        let id = Uuid::new_v4().to_string();
        assert!(query(Some("1.2.3.4"), None, Some(&id), None).is_err());
        assert!(query(None, Some(&id), None, Some("Y3VzdG9tZXItNDI=")).is_err());
        assert!(matches!(
            query(None, Some(&id), None, None),
            Ok(Person::Logged(Subject::VisitorId(_)))
        ));
        // A visitor id is the shop's own cookie's value, not necessarily a uuid.
        assert!(matches!(
            query(None, Some("shop-visitor-17"), None, None),
            Ok(Person::Logged(Subject::VisitorId(_)))
        ));
        assert!(query(None, Some("two words"), None, None).is_err());
        assert!(query(None, None, Some("not-a-uuid"), None).is_err());
        assert!(matches!(
            query(None, None, None, Some("Y3VzdG9tZXItNDI=")),
            Ok(Person::User(_))
        ));
        assert!(query(None, None, None, Some("a;b")).is_err());
    }
}
