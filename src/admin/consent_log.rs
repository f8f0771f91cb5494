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
use crate::log::ConsentLog;
use crate::log::ConsentRecord;
use crate::log::Subject;

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
    Router::new()
        .route("/consent-log", get(find).delete(erase))
        .route("/consent-log/erase-before", post(erase_before))
        .with_state(log)
        .layer(middleware::from_fn_with_state(token, require_token))
}

/// Exactly one of the three ways to name a person.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SubjectQuery {
    ip: Option<String>,
    visitor_id: Option<String>,
    consent_id: Option<String>,
}

impl SubjectQuery {
    fn subject(self) -> Result<Subject, String> {
        let uuid = |name: &str, value: &str| {
            Uuid::try_parse(value).map_err(|_| format!("{name} {value:?} is not a UUID"))
        };
        match (self.ip, self.visitor_id, self.consent_id) {
            (Some(ip), None, None) => ip
                .parse::<IpAddr>()
                .map(Subject::Ip)
                .map_err(|_| format!("ip {ip:?} is not an IPv4 or IPv6 address")),
            (None, Some(id), None) => uuid("visitor_id", &id).map(Subject::VisitorId),
            (None, None, Some(id)) => uuid("consent_id", &id).map(Subject::ConsentId),
            _ => Err("name the person with exactly one of ip, visitor_id or consent_id".to_owned()),
        }
    }
}

fn subject_of(query: Result<Query<SubjectQuery>, QueryRejection>) -> Result<Subject, String> {
    query
        .map_err(|rejection| rejection.body_text())
        .and_then(|Query(query)| query.subject())
}

#[derive(Serialize)]
struct Found {
    subject: String,
    count: usize,
    records: Vec<ConsentRecord>,
}

#[derive(Serialize)]
struct Erased {
    erased: u64,
}

async fn find(
    State(log): State<ConsentLog>,
    query: Result<Query<SubjectQuery>, QueryRejection>,
) -> Response {
    let subject = match subject_of(query) {
        Ok(subject) => subject,
        Err(message) => return failure(StatusCode::BAD_REQUEST, &message),
    };
    match log.find(subject).await {
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
    State(log): State<ConsentLog>,
    query: Result<Query<SubjectQuery>, QueryRejection>,
) -> Response {
    let subject = match subject_of(query) {
        Ok(subject) => subject,
        Err(message) => return failure(StatusCode::BAD_REQUEST, &message),
    };
    match log.erase(subject).await {
        Ok(erased) => Json(Erased { erased }).into_response(),
        Err(error) => store_failure(&error),
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct EraseBefore {
    before: String,
}

async fn erase_before(
    State(log): State<ConsentLog>,
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
        Ok(erased) => Json(Erased { erased }).into_response(),
        Err(error) => store_failure(&error),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exactly_one_subject() {
        let query = |ip: Option<&str>, visitor: Option<&str>, consent: Option<&str>| SubjectQuery {
            ip: ip.map(str::to_owned),
            visitor_id: visitor.map(str::to_owned),
            consent_id: consent.map(str::to_owned),
        };
        assert!(matches!(
            query(Some("2001:db8::1"), None, None).subject(),
            Ok(Subject::Ip(_))
        ));
        assert!(query(Some("999.1.1.1"), None, None).subject().is_err());
        assert!(query(None, None, None).subject().is_err());
        let id = Uuid::new_v4().to_string();
        assert!(query(Some("1.2.3.4"), None, Some(&id)).subject().is_err());
        assert!(matches!(
            query(None, Some(&id), None).subject(),
            Ok(Subject::VisitorId(_))
        ));
        assert!(query(None, None, Some("not-a-uuid")).subject().is_err());
    }
}
