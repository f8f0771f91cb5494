//! Records of consent: search by IP address, visitor id, consent id and period; every record
//! in full; a person's records exported as JSON or CSV (a data-subject access request);
//! erasure after a confirmation; a purge before a date after a preview of its count.

use std::sync::Arc;

use axum::{
    Form, Router,
    extract::{Query, State},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
    routing::get,
};
use leptos::prelude::*;
use serde::Deserialize;
use time::{Date, Duration, Month, OffsetDateTime, format_description::well_known::Rfc3339};

use super::{
    Console,
    access::{SignedIn, let_post_in},
    page::{self, FieldError},
};
use crate::{
    admin::consent_log::{Person, SubjectQuery, Subjects},
    log::{ConsentRecord, Subject},
};

/// The most records one search shows.
const SHOWN: u32 = 200;

pub(super) fn routes(console: &Console) -> Router<Arc<Console>> {
    Router::new()
        .route(&console.path("/records"), get(search))
        .route(&console.path("/records/export"), get(export))
        .route(
            &console.path("/records/erase"),
            get(confirm_erase).post(erase),
        )
        .route(
            &console.path("/records/purge"),
            get(preview_purge).post(purge),
        )
}

/// The search form's fields (empty fields count as not given).
#[derive(Clone, Debug, Default, Deserialize)]
pub(crate) struct SearchForm {
    #[serde(default)]
    ip: String,
    #[serde(default)]
    visitor_id: String,
    #[serde(default)]
    consent_id: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    until: String,
}

/// What a search asks for, or what is wrong with the form, field by field.
struct Search {
    person: Option<Subject>,
    from: Option<OffsetDateTime>,
    until: Option<OffsetDateTime>,
}

impl SearchForm {
    fn is_empty(&self) -> bool {
        [
            &self.ip,
            &self.visitor_id,
            &self.consent_id,
            &self.from,
            &self.until,
        ]
        .iter()
        .all(|field| field.trim().is_empty())
    }

    fn given(field: &str) -> Option<String> {
        let field = field.trim();
        (!field.is_empty()).then(|| field.to_owned())
    }

    /// The person the form names, if any; an error names the field at fault.
    fn person(&self) -> Result<Option<Subject>, FieldError> {
        let query = SubjectQuery {
            ip: Self::given(&self.ip),
            visitor_id: Self::given(&self.visitor_id),
            consent_id: Self::given(&self.consent_id),
            ruid: None,
        };
        let field = match (&query.ip, &query.visitor_id, &query.consent_id) {
            (None, None, None) => return Ok(None),
            (Some(_), None, None) => "ip",
            (None, Some(_), None) => "visitor_id",
            (None, None, Some(_)) => "consent_id",
            _ => {
                return Err((
                    "ip",
                    "Fill in one of IP address, visitor id or consent id, not several.".to_owned(),
                ));
            }
        };
        match query.person() {
            Ok(Person::Logged(subject)) => Ok(Some(subject)),
            Ok(Person::User(_)) => Ok(None),
            Err(message) => Err((field, message)),
        }
    }

    fn search(&self) -> Result<Search, FieldError> {
        let person = self.person()?;
        let from = day(&self.from).map_err(|message| ("from", message))?;
        let until = day(&self.until)
            .map_err(|message| ("until", message))?
            .map(|day| day + Duration::days(1));
        if let (Some(from), Some(until)) = (from, until)
            && from >= until
        {
            return Err((
                "until",
                "The end of the period is before its start.".to_owned(),
            ));
        }
        Ok(Search {
            person,
            from,
            until,
        })
    }

    /// The form as a query string, for links to the export and the erasure.
    /// The one person an action (`export`, `erase`) is about, or what to say instead.
    fn one_person(&self, action: &str) -> Result<Subject, String> {
        match self.person() {
            Ok(Some(subject)) => Ok(subject),
            Ok(None) => Err(format!("Name one person to {action}.")),
            Err((_, message)) => Err(message),
        }
    }

    /// The person the form names as a query string (`?consent_id=…`), with `extra` pairs.
    fn person_query(&self, extra: &[(&str, &str)]) -> String {
        let mut pairs = vec![
            ("ip", self.ip.trim()),
            ("visitor_id", self.visitor_id.trim()),
            ("consent_id", self.consent_id.trim()),
        ];
        pairs.extend_from_slice(extra);
        url_encoded(&pairs)
    }
}

/// `name=value` pairs with a value, as a query string (`?…`), or `""` when none has one.
fn url_encoded(pairs: &[(&str, &str)]) -> String {
    let mut query = form_urlencoded::Serializer::new(String::new());
    for (name, value) in pairs.iter().filter(|(_, value)| !value.is_empty()) {
        query.append_pair(name, value);
    }
    let query = query.finish();
    if query.is_empty() {
        query
    } else {
        format!("?{query}")
    }
}

/// A day as the date input sends it (`2026-12-01`), as its first second (UTC).
fn day(field: &str) -> Result<Option<OffsetDateTime>, String> {
    let field = field.trim();
    if field.is_empty() {
        return Ok(None);
    }
    let parse = || -> Option<OffsetDateTime> {
        let mut parts = field.splitn(3, '-');
        let year = parts.next()?.parse().ok()?;
        let month = Month::try_from(parts.next()?.parse::<u8>().ok()?).ok()?;
        let day = parts.next()?.parse().ok()?;
        Some(
            Date::from_calendar_date(year, month, day)
                .ok()?
                .midnight()
                .assume_utc(),
        )
    };
    parse()
        .map(Some)
        .ok_or_else(|| format!("{field:?} is not a date such as 2026-12-01."))
}

/// A Unix time as `2026-12-01 13:05:09` (UTC).
pub(crate) fn timestamp(at: i64) -> String {
    OffsetDateTime::from_unix_timestamp(at).map_or_else(|_| at.to_string(), readable)
}

fn readable(at: OffsetDateTime) -> String {
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
        at.year(),
        u8::from(at.month()),
        at.day(),
        at.hour(),
        at.minute(),
        at.second()
    )
}

/// What a search is about, for the audit trail and the headings.
fn described(search: &Search) -> String {
    let mut about = search
        .person
        .as_ref()
        .map_or_else(|| "anyone".to_owned(), ToString::to_string);
    if let Some(from) = search.from {
        about.push_str(&format!(" from {}", readable(from)));
    }
    if let Some(until) = search.until {
        about.push_str(&format!(" until {}", readable(until)));
    }
    about
}

/// `GET /records`: the search form, and what it found.
async fn search(
    State(console): State<Arc<Console>>,
    signed_in: SignedIn,
    Query(form): Query<SearchForm>,
) -> Response {
    let (error, results) = if form.is_empty() {
        (None, None)
    } else {
        match form.search() {
            Err(error) => (Some(error), None),
            Ok(search) => {
                match console
                    .log
                    .search(search.person.as_ref(), search.from, search.until, SHOWN)
                    .await
                {
                    Ok(records) => {
                        let about = described(&search);
                        // Nothing is shown that the trail does not name.
                        if let Err(error) = console
                            .audit
                            .record(
                                signed_in.staff.name(),
                                "search",
                                &about,
                                records.len() as u64,
                            )
                            .await
                        {
                            return super::store_failure(&error);
                        }
                        (None, Some((search, about, records)))
                    }
                    Err(error) => return super::store_failure(&error),
                }
            }
        }
    };
    let status = if error.is_some() {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    let results = results
        .map(|(search, about, records)| results_view(&console, &form, &search, &about, records));
    let body = view! {
        {search_form(&console, &form, error.as_ref())}
        {results}
        {purge_form(&console)}
    }
    .into_any();
    page::for_staff(&console, &signed_in, status, "Records of consent", body)
}

fn search_form(console: &Console, form: &SearchForm, error: Option<&FieldError>) -> AnyView {
    view! {
        <form class="lc-console__form" method="get" action=console.path("/records") role="search">
            <fieldset>
                <legend>"Whose records (one of them)"</legend>
                {page::text_field("ip", "IP address", "text", &form.ip, error)}
                {page::text_field("visitor_id", "Visitor id", "text", &form.visitor_id, error)}
                {page::text_field("consent_id", "Consent id", "text", &form.consent_id, error)}
            </fieldset>
            <fieldset>
                <legend>"Recorded in (UTC days, both optional)"</legend>
                {page::text_field("from", "From", "date", &form.from, error)}
                {page::text_field("until", "Until (inclusive)", "date", &form.until, error)}
            </fieldset>
            <button type="submit" class="lc-console__button">"Search"</button>
        </form>
    }
    .into_any()
}

fn results_view(
    console: &Console,
    form: &SearchForm,
    search: &Search,
    about: &str,
    records: Vec<ConsentRecord>,
) -> AnyView {
    let count = records.len();
    let summary = match count {
        0 => format!("No records about {about}."),
        1 => format!("1 record about {about}."),
        n if n as u32 >= SHOWN => {
            format!("The newest {n} records about {about}; narrow the search to see others.")
        }
        n => format!("{n} records about {about}."),
    };
    let actions = (search.person.is_some() && count > 0).then(|| {
        let export = console.path("/records/export");
        let json = form.person_query(&[("format", "json")]);
        let csv = form.person_query(&[("format", "csv")]);
        let erase = format!(
            "{}{}",
            console.path("/records/erase"),
            form.person_query(&[])
        );
        view! {
            <ul class="lc-console__actions">
                <li><a href=format!("{export}{json}") download="">"Export as JSON"</a></li>
                <li><a href=format!("{export}{csv}") download="">"Export as CSV"</a></li>
                <li><a href=erase>"Erase…"</a></li>
            </ul>
        }
    });
    let cards = records.into_iter().map(record_card).collect_view();
    view! {
        <section aria-labelledby="results-title" class="lc-console__results">
            <h2 id="results-title">"Found"</h2>
            <p role="status">{summary}</p>
            {actions}
            {cards}
        </section>
    }
    .into_any()
}

/// One record in full: what was shown, what was chosen, when, where.
fn record_card(record: ConsentRecord) -> AnyView {
    let yes_no = |on: bool| if on { "yes" } else { "no" };
    let mut rows: Vec<(&'static str, String)> = vec![
        ("Recorded (UTC)", readable(record.recorded_at)),
        ("Action", record.action.as_str().to_owned()),
        ("Allowed", listed(record.granted)),
        ("Refused", listed(record.denied)),
        ("Where", record.ui_source.clone()),
        ("Language of the texts", record.locale.clone()),
        ("Policy fingerprint", record.policy_fingerprint.clone()),
        ("Consent id", record.consent_id.to_string()),
        (
            "Visitor id",
            record
                .visitor_id
                .as_ref()
                .map_or_else(|| "none".to_owned(), ToString::to_string),
        ),
        (
            "IP address",
            record.ip.clone().unwrap_or_else(|| "not kept".to_owned()),
        ),
        ("Global Privacy Control", yes_no(record.gpc).to_owned()),
        ("Do Not Track", yes_no(record.dnt).to_owned()),
        (
            "Browser",
            record
                .user_agent
                .clone()
                .unwrap_or_else(|| "not sent".to_owned()),
        ),
        ("Record id", record.id.to_string()),
    ];
    // Only for shops that declare services (empty otherwise).
    if !record.services.is_empty() {
        rows.insert(4, ("Services allowed", record.services.join(", ")));
    }
    let heading = format!(
        "{} — {}",
        readable(record.recorded_at),
        record.action.as_str()
    );
    view! {
        <article class="lc-console__record">
            <h3>{heading}</h3>
            <dl>
                {rows
                    .into_iter()
                    .map(|(term, value)| view! { <div><dt>{term}</dt><dd>{value}</dd></div> })
                    .collect_view()}
            </dl>
        </article>
    }
    .into_any()
}

/// Categories as words: `system, statistics`, or `none`.
fn listed(categories: crate::CategorySet) -> String {
    let names: Vec<_> = categories.iter().map(crate::Category::as_str).collect();
    if names.is_empty() {
        "none".to_owned()
    } else {
        names.join(", ")
    }
}

fn purge_form(console: &Console) -> AnyView {
    view! {
        <section aria-labelledby="purge-title" class="lc-console__purge">
            <h2 id="purge-title">"Purge old records"</h2>
            <form class="lc-console__form" method="get" action=console.path("/records/purge")>
                <div class="lc-console__field">
                    <label for="before">"Records before (UTC day)"</label>
                    <input id="before" name="before" type="date" required/>
                </div>
                <button type="submit" class="lc-console__button">"Preview the purge"</button>
            </form>
        </section>
    }
    .into_any()
}

/// The export's query: a person and the format.
#[derive(Deserialize)]
struct ExportQuery {
    #[serde(flatten)]
    form: SearchForm,
    #[serde(default)]
    format: String,
}

/// `GET /records/export`: a person's records as a JSON or CSV download.
async fn export(
    State(console): State<Arc<Console>>,
    signed_in: SignedIn,
    Query(query): Query<ExportQuery>,
) -> Response {
    let subject = match query.form.one_person("export") {
        Ok(subject) => subject,
        Err(message) => return bad_request(&console, &signed_in, &message),
    };
    let records = match console.log.find(subject.clone()).await {
        Ok(records) => records,
        Err(error) => return super::store_failure(&error),
    };
    let (body, kind, extension) = match query.format.as_str() {
        "json" => match serde_json::to_vec_pretty(&serde_json::json!({
            "subject": subject.to_string(),
            "count": records.len(),
            "records": records,
        })) {
            Ok(body) => (body, "application/json", "json"),
            Err(error) => return internal(&error.to_string()),
        },
        "csv" => match csv_of(&records) {
            Ok(body) => (body, "text/csv; charset=utf-8", "csv"),
            Err(error) => return internal(&error.to_string()),
        },
        _ => return bad_request(&console, &signed_in, "Choose the format json or csv."),
    };
    // Nothing leaves that the trail does not name.
    if let Err(error) = console
        .audit
        .record(
            signed_in.staff.name(),
            "export",
            &format!("{subject} as {extension}"),
            records.len() as u64,
        )
        .await
    {
        return super::store_failure(&error);
    }
    let disposition = format!("attachment; filename=\"consent-records.{extension}\"");
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if let Ok(disposition) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, disposition);
    }
    response
}

/// The records as CSV, one row each, the columns of [`ConsentRecord`].
fn csv_of(records: &[ConsentRecord]) -> Result<Vec<u8>, csv::Error> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record([
        "id",
        "consent_id",
        "visitor_id",
        "recorded_at",
        "action",
        "granted",
        "denied",
        "policy_fingerprint",
        "locale",
        "ui_source",
        "gpc",
        "dnt",
        "user_agent",
        "ip",
        "services",
    ])?;
    for record in records {
        writer.write_record([
            record.id.to_string(),
            record.consent_id.to_string(),
            record
                .visitor_id
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default(),
            record.recorded_at.format(&Rfc3339).unwrap_or_default(),
            record.action.as_str().to_owned(),
            record.granted.to_string(),
            record.denied.to_string(),
            record.policy_fingerprint.clone(),
            record.locale.clone(),
            record.ui_source.clone(),
            record.gpc.to_string(),
            record.dnt.to_string(),
            // Cells a spreadsheet would run as a formula start with a quote.
            neutralized(record.user_agent.as_deref().unwrap_or_default()),
            record.ip.clone().unwrap_or_default(),
            record.services.join(" "),
        ])?;
    }
    writer
        .into_inner()
        .map_err(|error| csv::Error::from(error.into_error()))
}

/// A cell a spreadsheet would take for a formula (`=`, `+`, `-`, `@`) gets a leading `'`.
fn neutralized(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell.to_owned()
    }
}

fn bad_request(console: &Console, signed_in: &SignedIn, message: &str) -> Response {
    let body = page::message(
        message.to_owned(),
        Some((console.path("/records"), "Back to the records")),
    );
    page::for_staff(
        console,
        signed_in,
        StatusCode::BAD_REQUEST,
        "Records of consent",
        body,
    )
}

fn internal(error: &str) -> Response {
    tracing::error!(error, "the privacy console could not write an export");
    (StatusCode::INTERNAL_SERVER_ERROR, "The export failed.").into_response()
}

/// `GET /records/erase`: how many records the erasure deletes, and the button that does it.
async fn confirm_erase(
    State(console): State<Arc<Console>>,
    signed_in: SignedIn,
    Query(form): Query<SearchForm>,
) -> Response {
    let subject = match form.one_person("erase") {
        Ok(subject) => subject,
        Err(message) => return bad_request(&console, &signed_in, &message),
    };
    let count = match console.log.find(subject.clone()).await {
        Ok(records) => records.len(),
        Err(error) => return super::store_failure(&error),
    };
    let tracked = if console.has_tracking() {
        " Their tracked events waiting in the outbox, and its dead letters, are erased too."
    } else {
        ""
    };
    let body = view! {
        <p>{format!("{count} record(s) about {subject} will be erased for good.{tracked}")}</p>
        <form class="lc-console__form" method="post" action=console.path("/records/erase")>
            <input type="hidden" name="csrf" value=signed_in.csrf.token.clone()/>
            <input type="hidden" name="ip" value=form.ip.trim().to_owned()/>
            <input type="hidden" name="visitor_id" value=form.visitor_id.trim().to_owned()/>
            <input type="hidden" name="consent_id" value=form.consent_id.trim().to_owned()/>
            <button type="submit" class="lc-console__button lc-console__button--danger">
                {format!("Erase {count} record(s)")}
            </button>
            <a href=format!("{}{}", console.path("/records"), form.person_query(&[]))>"Cancel"</a>
        </form>
    }
    .into_any();
    page::for_staff(
        &console,
        &signed_in,
        StatusCode::OK,
        "Erase a person's records",
        body,
    )
}

/// A posted form with its CSRF token.
#[derive(Deserialize)]
struct Posted<T> {
    #[serde(default)]
    csrf: String,
    #[serde(flatten)]
    form: T,
}

/// `POST /records/erase`: erases the person's records (and tracked events).
async fn erase(
    State(console): State<Arc<Console>>,
    headers: HeaderMap,
    Form(posted): Form<Posted<SearchForm>>,
) -> Response {
    let signed_in = match let_post_in(&console, &headers, &posted.csrf).await {
        Ok(signed_in) => signed_in,
        Err(refused) => return refused,
    };
    let subject = match posted.form.one_person("erase") {
        Ok(subject) => subject,
        Err(message) => return bad_request(&console, &signed_in, &message),
    };
    let subjects = Subjects {
        log: console.log.clone(),
        #[cfg(feature = "outbox")]
        outbox: console.outbox.clone(),
    };
    let about = subject.to_string();
    let erasure = console.audit.change(
        signed_in.staff.name(),
        "erase",
        &about,
        subjects.erase(Person::Logged(subject.clone())),
        |erased| {
            erased.as_ref().map_or(0, |erased| {
                erased.erased
                    + erased.tracked_events.unwrap_or_default()
                    + erased.dead_letters.unwrap_or_default()
            })
        },
    );
    let erased = match erasure.await {
        Ok(Ok(Some(erased))) => erased,
        Ok(Ok(None)) => {
            return bad_request(&console, &signed_in, "Nothing here keeps that person.");
        }
        Ok(Err(error)) | Err(error) => return super::store_failure(&error),
    };
    let mut text = format!("Erased {} record(s) about {subject}.", erased.erased);
    if let (Some(events), Some(dead)) = (erased.tracked_events, erased.dead_letters) {
        text.push_str(&format!(
            " Also erased: {events} tracked event(s), {dead} dead letter(s)."
        ));
    }
    let body = page::message(
        text,
        Some((console.path("/records"), "Back to the records")),
    );
    page::for_staff(&console, &signed_in, StatusCode::OK, "Erased", body)
}

/// The purge's field.
#[derive(Deserialize)]
struct PurgeForm {
    #[serde(default)]
    before: String,
}

impl PurgeForm {
    /// The day to purge before, or what to say instead.
    fn day(&self) -> Result<OffsetDateTime, String> {
        day(&self.before)?.ok_or_else(|| "Choose the day to purge before.".to_owned())
    }
}

/// `GET /records/purge`: how many records a purge before the date deletes.
async fn preview_purge(
    State(console): State<Arc<Console>>,
    signed_in: SignedIn,
    Query(form): Query<PurgeForm>,
) -> Response {
    let before = match form.day() {
        Ok(before) => before,
        Err(message) => return bad_request(&console, &signed_in, &message),
    };
    let count = match console.log.count_before(before).await {
        Ok(count) => count,
        Err(error) => return super::store_failure(&error),
    };
    let body = view! {
        <p>{format!("{count} record(s) made before {} (UTC) will be erased for good.", readable(before))}</p>
        <form class="lc-console__form" method="post" action=console.path("/records/purge")>
            <input type="hidden" name="csrf" value=signed_in.csrf.token.clone()/>
            <input type="hidden" name="before" value=form.before.trim().to_owned()/>
            <button type="submit" class="lc-console__button lc-console__button--danger">
                {format!("Purge {count} record(s)")}
            </button>
            <a href=console.path("/records")>"Cancel"</a>
        </form>
    }
    .into_any();
    page::for_staff(
        &console,
        &signed_in,
        StatusCode::OK,
        "Purge old records",
        body,
    )
}

/// `POST /records/purge`: erases every record made before the date.
async fn purge(
    State(console): State<Arc<Console>>,
    headers: HeaderMap,
    Form(posted): Form<Posted<PurgeForm>>,
) -> Response {
    let signed_in = match let_post_in(&console, &headers, &posted.csrf).await {
        Ok(signed_in) => signed_in,
        Err(refused) => return refused,
    };
    let before = match posted.form.day() {
        Ok(before) => before,
        Err(message) => return bad_request(&console, &signed_in, &message),
    };
    let day = readable(before);
    let erased = match console
        .audit
        .change(
            signed_in.staff.name(),
            "purge",
            &format!("before {day}"),
            console.log.erase_before(before),
            |erased| *erased,
        )
        .await
    {
        Ok(Ok(erased)) => erased,
        Ok(Err(error)) | Err(error) => return super::store_failure(&error),
    };
    let body = page::message(
        format!("Erased {erased} record(s) made before {day} (UTC)."),
        Some((console.path("/records"), "Back to the records")),
    );
    page::for_staff(&console, &signed_in, StatusCode::OK, "Purged", body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_parse_as_their_first_second() {
        assert_eq!(day("").unwrap(), None);
        assert_eq!(
            day("2026-12-01").unwrap().unwrap().unix_timestamp(),
            1_796_083_200
        );
        assert!(day("2026-13-01").is_err());
        assert!(day("yesterday").is_err());
    }

    #[test]
    fn one_person_at_a_time() {
        let form = SearchForm {
            ip: "203.0.113.5".to_owned(),
            consent_id: "x".to_owned(),
            ..SearchForm::default()
        };
        assert_eq!(form.person().unwrap_err().0, "ip");
        let form = SearchForm {
            consent_id: "not a uuid".to_owned(),
            ..SearchForm::default()
        };
        assert_eq!(form.person().unwrap_err().0, "consent_id");
        assert!(SearchForm::default().person().unwrap().is_none());
    }

    #[test]
    fn formula_cells_are_neutralized() {
        assert_eq!(neutralized("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(neutralized("Mozilla/5.0"), "Mozilla/5.0");
    }
}
