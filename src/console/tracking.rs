//! The tracking outbox's page: its status, the events delivered per minute (a chart), and
//! the dead letters with their reasons, to re-queue (once the cause is fixed) or discard.

use std::sync::Arc;

use axum::{
    Form, Router,
    extract::State,
    http::{HeaderMap, StatusCode},
    response::Response,
    routing::get,
};
use dead_letter_form::EventIds;
use leptos::prelude::*;
use plotters::style::RGBColor;

use super::{
    Console,
    access::{SignedIn, let_post_in},
    charts::{self, Series},
    page,
    texts::{fill, texts},
};
use crate::dispatch::Outbox;

/// How many minutes the delivery chart shows.
const MINUTES: u32 = 60;
/// How many dead letters the page lists.
const LISTED: usize = 200;

pub(super) fn routes(console: &Console) -> Router<Arc<Console>> {
    Router::new().route(
        &console.path("/tracking"),
        get(status).post(act_on_dead_letters),
    )
}

fn outbox(console: &Console) -> Option<&Outbox> {
    console.outbox.as_ref()
}

/// `GET /tracking`.
async fn status(State(console): State<Arc<Console>>, signed_in: SignedIn) -> Response {
    let Some(outbox) = outbox(&console) else {
        return super::not_found(&console, &signed_in);
    };
    let (status, per_minute, letters) = match tokio::try_join!(
        outbox.status(),
        outbox.delivered_per_minute(MINUTES),
        outbox.dead_letters(LISTED)
    ) {
        Ok(figures) => figures,
        Err(error) => return super::store_failure(&error),
    };
    let all = texts();
    let words = &all.tracking;
    let oldest = status
        .oldest_pending_age_secs
        .map_or_else(|| words.none_waiting.to_owned(), |secs| format!("{secs} s"));
    let labels: Vec<String> = (0..MINUTES)
        .map(|i| format!("-{}", MINUTES - 1 - i))
        .collect();
    let delivered_in_hour: u64 = per_minute.iter().sum();
    let chart = charts::stacked_bars(
        &labels,
        &[Series {
            name: words.delivered_series,
            color: RGBColor(31, 78, 69),
            values: per_minute.clone(),
        }],
        words.events_unit,
    )
    .unwrap_or_else(|error| {
        tracing::error!(error, "the delivery chart could not be drawn");
        String::new()
    });
    let chart_label = fill(
        words.chart_summary,
        &[
            ("total", &delivered_in_hour),
            ("most", &per_minute.iter().max().copied().unwrap_or(0)),
        ],
    );
    let minute_rows = per_minute
        .iter()
        .enumerate()
        .filter(|(_, delivered)| **delivered > 0)
        .map(|(i, delivered)| {
            view! {
                <tr>
                    <th scope="row">{fill(words.minutes_ago, &[("n", &(MINUTES as usize - 1 - i))])}</th>
                    <td class="lc-console__number">{*delivered}</td>
                </tr>
            }
        })
        .collect_view();
    let letter_rows = letters
        .iter()
        .map(|letter| {
            let id = letter.event_id.clone();
            let checkbox_id = format!("letter-{id}");
            let kind = letter.event["type"].as_str().unwrap_or("?").to_owned();
            view! {
                <tr>
                    <td>
                        <input type="checkbox" id=checkbox_id.clone() name="event_id" value=id.clone()/>
                        <label for=checkbox_id class="lc-visually-hidden">{fill(words.select_event, &[("id", &id)])}</label>
                    </td>
                    <td>{id.clone()}</td>
                    <td>{kind}</td>
                    <td>{letter.reason.clone()}</td>
                    <td class="lc-console__number">{letter.attempts}</td>
                    <td>{super::records::timestamp(letter.dead_at_ms.div_euclid(1000))}</td>
                </tr>
            }
        })
        .collect_view();
    let has_letters = !letters.is_empty();
    let body = view! {
        <section aria-labelledby="status-title">
            <h2 id="status-title">{words.status}</h2>
            <dl class="lc-console__summary">
                <div><dt>{words.provider}</dt><dd>{status.provider.clone()}</dd></div>
                <div><dt>{words.pending}</dt><dd>{status.pending}</dd></div>
                <div><dt>{words.retrying}</dt><dd>{status.retrying}</dd></div>
                <div><dt>{words.oldest}</dt><dd>{oldest}</dd></div>
                <div><dt>{words.dead_letters}</dt><dd>{status.dead_letters}</dd></div>
                <div><dt>{words.delivered_kept}</dt><dd>{status.delivered_kept}</dd></div>
            </dl>
        </section>
        <figure class="lc-console__figure" aria-labelledby="delivered-title">
            <figcaption id="delivered-title">{words.per_minute}</figcaption>
            <div class="lc-console__chart" role="img" aria-label=chart_label inner_html=chart></div>
            <details>
                <summary>{all.page.as_table}</summary>
                <table class="lc-console__table">
                    <caption>{words.minutes_caption}</caption>
                    <thead><tr><th scope="col">{words.minute}</th><th scope="col">{words.delivered}</th></tr></thead>
                    <tbody>{minute_rows}</tbody>
                </table>
            </details>
        </figure>
        <section aria-labelledby="dead-title">
            <h2 id="dead-title">{words.dead_letters}</h2>
            {if has_letters {
                view! {
                    <form class="lc-console__stack" method="post" action=console.path("/tracking")>
                        <input type="hidden" name="csrf" value=signed_in.csrf.token.clone()/>
                        <div class="lc-console__scroll">
                            <table class="lc-console__table">
                                <caption>{words.letters_caption}</caption>
                                <thead>
                                    <tr>
                                        <th scope="col">{words.select}</th>
                                        <th scope="col">{words.event_id}</th>
                                        <th scope="col">{words.event_type}</th>
                                        <th scope="col">{words.reason}</th>
                                        <th scope="col">{words.attempts}</th>
                                        <th scope="col">{words.given_up}</th>
                                    </tr>
                                </thead>
                                <tbody>{letter_rows}</tbody>
                            </table>
                        </div>
                        <div class="lc-console__actions">
                            <button type="submit" name="action" value="requeue" class="lc-console__button">{words.requeue}</button>
                            <button type="submit" name="action" value="discard" class="lc-console__button lc-console__button--danger">{words.discard}</button>
                        </div>
                    </form>
                }
                .into_any()
            } else {
                view! { <p>{words.no_letters}</p> }.into_any()
            }}
        </section>
    }
    .into_any();
    tracking_page(&console, &signed_in, StatusCode::OK, body)
}

/// `POST /tracking`: re-queues or discards the selected dead letters.
async fn act_on_dead_letters(
    State(console): State<Arc<Console>>,
    headers: HeaderMap,
    Form(form): Form<Vec<(String, String)>>,
) -> Response {
    let EventIds { csrf, action, ids } = EventIds::from_pairs(form);
    let signed_in = match let_post_in(&console, &headers, &csrf).await {
        Ok(signed_in) => signed_in,
        Err(refused) => return refused,
    };
    let Some(outbox) = outbox(&console) else {
        return super::not_found(&console, &signed_in);
    };
    let all = texts();
    let words = &all.tracking;
    let onwards = Some((console.path("/tracking"), words.back));
    if ids.is_empty() {
        let body = page::message(words.select_one.to_owned(), onwards);
        return tracking_page(&console, &signed_in, StatusCode::BAD_REQUEST, body);
    }
    let done_text = match action.as_str() {
        "requeue" => words.requeued,
        "discard" => words.discarded,
        _ => {
            let body = page::message(words.requeue_or_discard.to_owned(), onwards);
            return tracking_page(&console, &signed_in, StatusCode::BAD_REQUEST, body);
        }
    };
    let change = async {
        if action == "requeue" {
            outbox.requeue_dead_letters(&ids).await
        } else {
            outbox.discard_dead_letters(&ids).await
        }
    };
    let done = match console
        .audit
        .change(
            signed_in.staff.name(),
            &format!("{action}_dead_letters"),
            &ids.join(" "),
            change,
            |done| *done,
        )
        .await
    {
        Ok(Ok(done)) => done,
        Ok(Err(error)) | Err(error) => return super::store_failure(&error),
    };
    let body = page::message(fill(done_text, &[("count", &done)]), onwards);
    tracking_page(&console, &signed_in, StatusCode::OK, body)
}

/// A page of the tracking section.
fn tracking_page(
    console: &Console,
    signed_in: &SignedIn,
    status: StatusCode,
    body: AnyView,
) -> Response {
    page::for_staff(console, signed_in, status, texts().page.tracking, body)
}

/// The dead-letter form's fields: repeated `event_id`s, which a struct cannot take from a
/// form, read from its pairs.
mod dead_letter_form {
    /// The most event ids one post acts on.
    const MAX_IDS: usize = 500;

    pub(super) struct EventIds {
        pub(super) csrf: String,
        pub(super) action: String,
        pub(super) ids: Vec<String>,
    }

    impl EventIds {
        pub(super) fn from_pairs(pairs: Vec<(String, String)>) -> Self {
            let mut form = EventIds {
                csrf: String::new(),
                action: String::new(),
                ids: Vec::new(),
            };
            for (name, value) in pairs {
                match name.as_str() {
                    "csrf" => form.csrf = value,
                    "action" => form.action = value,
                    "event_id"
                        if form.ids.len() < MAX_IDS && uuid::Uuid::try_parse(&value).is_ok() =>
                    {
                        form.ids.push(value)
                    }
                    _ => {}
                }
            }
            form
        }
    }
}
