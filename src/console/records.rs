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
    texts::{self, fill, texts},
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
            _ => return Err(("ip", texts().records.one_field.to_owned())),
        };
        match query.person() {
            Ok(Person::Logged(subject)) => Ok(Some(subject)),
            Ok(Person::User(_)) => Ok(None),
            Err(_) => {
                let words = &texts().records;
                let (text, value) = match field {
                    "ip" => (words.bad_ip, &self.ip),
                    "visitor_id" => (words.bad_visitor_id, &self.visitor_id),
                    _ => (words.bad_consent_id, &self.consent_id),
                };
                Err((
                    field,
                    fill(text, &[("value", &format!("{:?}", value.trim()))]),
                ))
            }
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
            return Err(("until", texts().records.backwards.to_owned()));
        }
        Ok(Search {
            person,
            from,
            until,
        })
    }

    /// The one person an action (export, erasure) is about, or what to say instead.
    fn one_person(&self) -> Result<Subject, String> {
        match self.person() {
            Ok(Some(subject)) => Ok(subject),
            Ok(None) => Err(texts().records.name_one.to_owned()),
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
        .ok_or_else(|| fill(texts().records.bad_day, &[("value", &format!("{field:?}"))]))
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

/// A person in the console's words (`IP address 203.0.113.7`).
fn person_in_words(subject: &Subject) -> String {
    let words = &texts().records;
    let (text, value): (_, &dyn std::fmt::Display) = match subject {
        Subject::Ip(ip) => (words.about_ip, ip),
        Subject::VisitorId(id) => (words.about_visitor, id),
        Subject::ConsentId(id) => (words.about_consent, id),
    };
    fill(text, &[("value", value)])
}

/// What a search is about in the console's words, for the page.
fn about(search: &Search) -> String {
    let words = &texts().records;
    let mut about = search
        .person
        .as_ref()
        .map_or_else(|| words.anyone.to_owned(), person_in_words);
    for (at, text) in [
        (search.from, words.about_from),
        (search.until, words.about_until),
    ] {
        if let Some(at) = at {
            about = fill(text, &[("about", &about), ("day", &readable(at))]);
        }
    }
    about
}

/// What a search is about, for the audit trail (always in English, whoever searched).
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
                        // Nothing is shown that the trail does not name.
                        if let Err(error) = console
                            .audit
                            .record(
                                signed_in.staff.name(),
                                "search",
                                &described(&search),
                                records.len() as u64,
                            )
                            .await
                        {
                            return super::store_failure(&error);
                        }
                        (None, Some((about(&search), search, records)))
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
        .map(|(about, search, records)| results_view(&console, &form, &search, &about, records));
    let body = view! {
        {search_form(&console, &form, error.as_ref())}
        {results}
        {purge_form(&console)}
    }
    .into_any();
    page::for_staff(&console, &signed_in, status, texts().page.records, body)
}

fn search_form(console: &Console, form: &SearchForm, error: Option<&FieldError>) -> AnyView {
    let words = &texts().records;
    view! {
        <form class="lc-console__form" method="get" action=console.path("/records") role="search">
            <fieldset>
                <legend>{words.whose}</legend>
                {page::text_field("ip", words.ip, "text", &form.ip, error)}
                {page::text_field("visitor_id", words.visitor_id, "text", &form.visitor_id, error)}
                {page::text_field("consent_id", words.consent_id, "text", &form.consent_id, error)}
            </fieldset>
            <fieldset>
                <legend>{words.period}</legend>
                {page::text_field("from", words.from, "date", &form.from, error)}
                {page::text_field("until", words.until, "date", &form.until, error)}
            </fieldset>
            <button type="submit" class="lc-console__button">{words.search}</button>
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
    let words = &texts().records;
    let count = records.len();
    let summary = if count as u32 >= SHOWN {
        words.found_newest
    } else {
        words.found_some
    };
    let summary = fill(summary, &[("count", &count), ("about", &about)]);
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
                <li><a href=format!("{export}{json}") download="">{words.export_json}</a></li>
                <li><a href=format!("{export}{csv}") download="">{words.export_csv}</a></li>
                <li><a href=erase>{words.erase_link}</a></li>
            </ul>
        }
    });
    let cards = records.into_iter().map(record_card).collect_view();
    view! {
        <section aria-labelledby="results-title" class="lc-console__results">
            <h2 id="results-title">{words.found}</h2>
            <p role="status">{summary}</p>
            {actions}
            {cards}
        </section>
    }
    .into_any()
}

/// One record in full: what was shown, what was chosen, when, where.
fn record_card(record: ConsentRecord) -> AnyView {
    let all = texts();
    let words = &all.records;
    let yes_no = |on: bool| if on { all.page.yes } else { all.page.no };
    let action = super::overview::action_name(record.action);
    let mut rows: Vec<(&'static str, String)> = vec![
        (words.recorded, readable(record.recorded_at)),
        (all.page.action, action.to_owned()),
        (words.allowed, texts::categories(record.granted)),
        (words.refused, texts::categories(record.denied)),
        (words.source, record.ui_source.clone()),
        (words.locale, record.locale.clone()),
        (words.fingerprint, record.policy_fingerprint.clone()),
        (words.consent_id, record.consent_id.to_string()),
        (
            words.visitor_id,
            record
                .visitor_id
                .as_ref()
                .map_or_else(|| all.page.none.to_owned(), ToString::to_string),
        ),
        (
            words.ip,
            record
                .ip
                .clone()
                .unwrap_or_else(|| words.not_kept.to_owned()),
        ),
        (words.gpc, yes_no(record.gpc).to_owned()),
        (words.dnt, yes_no(record.dnt).to_owned()),
        (
            words.browser,
            record
                .user_agent
                .clone()
                .unwrap_or_else(|| words.not_sent.to_owned()),
        ),
        (words.record_id, record.id.to_string()),
    ];
    // Only for shops that declare services (empty otherwise).
    if !record.services.is_empty() {
        rows.insert(4, (words.services, record.services.join(", ")));
    }
    let heading = format!("{} — {action}", readable(record.recorded_at));
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

fn purge_form(console: &Console) -> AnyView {
    let words = &texts().records;
    view! {
        <section aria-labelledby="purge-title" class="lc-console__purge">
            <h2 id="purge-title">{words.purge_title}</h2>
            <form class="lc-console__form" method="get" action=console.path("/records/purge")>
                <div class="lc-console__field">
                    <label for="before">{words.purge_before}</label>
                    <input id="before" name="before" type="date" required/>
                </div>
                <button type="submit" class="lc-console__button">{words.purge_preview}</button>
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
    let subject = match query.form.one_person() {
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
        _ => return bad_request(&console, &signed_in, texts().records.bad_format),
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
        Some((console.path("/records"), texts().records.back)),
    );
    page::for_staff(
        console,
        signed_in,
        StatusCode::BAD_REQUEST,
        texts().page.records,
        body,
    )
}

fn internal(error: &str) -> Response {
    tracing::error!(error, "the privacy console could not write an export");
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        texts().records.export_failed,
    )
        .into_response()
}

/// `GET /records/erase`: how many records the erasure deletes, and the button that does it.
async fn confirm_erase(
    State(console): State<Arc<Console>>,
    signed_in: SignedIn,
    Query(form): Query<SearchForm>,
) -> Response {
    let subject = match form.one_person() {
        Ok(subject) => subject,
        Err(message) => return bad_request(&console, &signed_in, &message),
    };
    let count = match console.log.find(subject.clone()).await {
        Ok(records) => records.len(),
        Err(error) => return super::store_failure(&error),
    };
    let all = texts();
    let words = &all.records;
    let mut text = fill(
        words.erase_count,
        &[("count", &count), ("about", &person_in_words(&subject))],
    );
    if console.has_tracking() {
        text = format!("{text} {}", words.erase_tracked);
    }
    let body = view! {
        <p>{text}</p>
        <form class="lc-console__form" method="post" action=console.path("/records/erase")>
            <input type="hidden" name="csrf" value=signed_in.csrf.token.clone()/>
            <input type="hidden" name="ip" value=form.ip.trim().to_owned()/>
            <input type="hidden" name="visitor_id" value=form.visitor_id.trim().to_owned()/>
            <input type="hidden" name="consent_id" value=form.consent_id.trim().to_owned()/>
            <button type="submit" class="lc-console__button lc-console__button--danger">
                {fill(words.erase_button, &[("count", &count)])}
            </button>
            <a href=format!("{}{}", console.path("/records"), form.person_query(&[]))>{all.page.cancel}</a>
        </form>
    }
    .into_any();
    page::for_staff(
        &console,
        &signed_in,
        StatusCode::OK,
        words.erase_title,
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
    let subject = match posted.form.one_person() {
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
            return bad_request(&console, &signed_in, texts().records.no_such_person);
        }
        Ok(Err(error)) | Err(error) => return super::store_failure(&error),
    };
    let words = &texts().records;
    let mut text = fill(
        words.erased,
        &[
            ("count", &erased.erased),
            ("about", &person_in_words(&subject)),
        ],
    );
    if let (Some(events), Some(dead)) = (erased.tracked_events, erased.dead_letters) {
        let also = fill(
            words.erased_tracked,
            &[("events", &events), ("dead", &dead)],
        );
        text = format!("{text} {also}");
    }
    let body = page::message(text, Some((console.path("/records"), words.back)));
    page::for_staff(
        &console,
        &signed_in,
        StatusCode::OK,
        words.erased_title,
        body,
    )
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
        day(&self.before)?.ok_or_else(|| texts().records.purge_day.to_owned())
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
    let all = texts();
    let words = &all.records;
    let day = readable(before);
    let body = view! {
        <p>{fill(words.purge_count, &[("count", &count), ("day", &day)])}</p>
        <form class="lc-console__form" method="post" action=console.path("/records/purge")>
            <input type="hidden" name="csrf" value=signed_in.csrf.token.clone()/>
            <input type="hidden" name="before" value=form.before.trim().to_owned()/>
            <button type="submit" class="lc-console__button lc-console__button--danger">
                {fill(words.purge_button, &[("count", &count)])}
            </button>
            <a href=console.path("/records")>{all.page.cancel}</a>
        </form>
    }
    .into_any();
    page::for_staff(
        &console,
        &signed_in,
        StatusCode::OK,
        words.purge_title,
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
    let words = &texts().records;
    let body = page::message(
        fill(words.purged, &[("count", &erased), ("day", &day)]),
        Some((console.path("/records"), words.back)),
    );
    page::for_staff(
        &console,
        &signed_in,
        StatusCode::OK,
        words.purged_title,
        body,
    )
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
