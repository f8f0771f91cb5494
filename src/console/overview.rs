//! The overview: consent analytics from the log's daily counts over the last 7, 30 or 90
//! days: decisions per day by action, the opt-in rate per category, the share of GPC and
//! DNT browsers, and decisions by locale and by where they were taken. Each chart has a
//! text alternative and the same figures as a table.

use std::{collections::BTreeMap, sync::Arc};

use axum::{
    extract::{Query, State},
    http::StatusCode,
    response::Response,
};
use leptos::prelude::*;
use plotters::style::RGBColor;
use serde::Deserialize;
use time::{Date, Duration, OffsetDateTime};

use super::{
    Console,
    access::SignedIn,
    charts::{self, Series},
    page,
};
use crate::{
    Category,
    log::{DailyCount, LogAction},
};

/// The periods offered, in days.
const PERIODS: [u32; 3] = [7, 30, LONGEST_PERIOD];
/// The longest period offered, in days.
pub(super) const LONGEST_PERIOD: u32 = 90;

/// The actions in the order the charts and tables show them, with their colours (each
/// with at least 3:1 contrast against the chart's white).
const ACTIONS: [(LogAction, &str, RGBColor); 5] = [
    (LogAction::AcceptAll, "accept all", RGBColor(31, 111, 74)),
    (LogAction::RejectAll, "reject all", RGBColor(163, 38, 27)),
    (LogAction::Custom, "custom", RGBColor(47, 93, 154)),
    (LogAction::Acknowledge, "acknowledge", RGBColor(122, 91, 0)),
    (LogAction::Reset, "reset", RGBColor(85, 85, 85)),
];

#[derive(Deserialize)]
pub(super) struct PeriodQuery {
    days: Option<u32>,
}

/// The figures of one period.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct Figures {
    /// The days, oldest first.
    pub(crate) days: Vec<Date>,
    /// Per action (in [`ACTIONS`]' order), decisions per day.
    pub(crate) per_day: [Vec<u64>; 5],
    pub(crate) total: u64,
    pub(crate) gpc: u64,
    pub(crate) dnt: u64,
    /// Decisions that chose (all but resets), and of them how many allowed each optional
    /// category.
    pub(crate) choices: u64,
    pub(crate) allowed: [u64; 3],
    /// Per locale and per source: decisions, accept all, reject all.
    pub(crate) by_locale: BTreeMap<String, [u64; 3]>,
    pub(crate) by_source: BTreeMap<String, [u64; 3]>,
}

impl Figures {
    /// The figures of the `days` days up to `today`, from the log's daily counts.
    pub(crate) fn of(counts: &[DailyCount], today: Date, days: u32) -> Self {
        let first = today - Duration::days(i64::from(days) - 1);
        let dates: Vec<Date> = (0..i64::from(days))
            .map(|offset| first + Duration::days(offset))
            .collect();
        let mut figures = Figures {
            per_day: std::array::from_fn(|_| vec![0; dates.len()]),
            days: dates,
            ..Figures::default()
        };
        for count in counts {
            let Ok(day) = usize::try_from((count.day - first).whole_days()) else {
                continue;
            };
            let Some(action) = ACTIONS.iter().position(|(a, ..)| *a == count.action) else {
                continue;
            };
            if day >= figures.days.len() {
                continue;
            }
            let n = count.decisions;
            figures.per_day[action][day] += n;
            figures.total += n;
            figures.gpc += if count.gpc { n } else { 0 };
            figures.dnt += if count.dnt { n } else { 0 };
            if count.action != LogAction::Reset {
                figures.choices += n;
                for (i, category) in Category::OPTIONAL.into_iter().enumerate() {
                    if count.granted.contains(category) {
                        figures.allowed[i] += n;
                    }
                }
            }
            let accept = if count.action == LogAction::AcceptAll {
                n
            } else {
                0
            };
            let reject = if count.action == LogAction::RejectAll {
                n
            } else {
                0
            };
            for (map, key) in [
                (&mut figures.by_locale, &count.locale),
                (&mut figures.by_source, &count.ui_source),
            ] {
                let row = map.entry(key.clone()).or_default();
                row[0] += n;
                row[1] += accept;
                row[2] += reject;
            }
        }
        figures
    }

    /// The opt-in rate of each optional category, in percent of the decisions that chose.
    pub(crate) fn opt_in_percents(&self) -> [f64; 3] {
        self.allowed.map(|allowed| percent(allowed, self.choices))
    }
}

fn percent(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 * 100.0 / whole as f64
    }
}

fn short(day: Date) -> String {
    format!("{:02}-{:02}", u8::from(day.month()), day.day())
}

/// `GET /overview`: the analytics of the last 7, 30 or 90 days.
pub(super) async fn page(
    State(console): State<Arc<Console>>,
    signed_in: SignedIn,
    Query(query): Query<PeriodQuery>,
) -> Response {
    let days = query.days.filter(|d| PERIODS.contains(d)).unwrap_or(30);
    let today = OffsetDateTime::now_utc().date();
    let from = today - Duration::days(i64::from(days) - 1);
    let counts = match console
        .log
        .daily_counts(from, today + Duration::days(1))
        .await
    {
        Ok(counts) => counts,
        Err(error) => return super::store_failure(&error),
    };
    let figures = Figures::of(&counts, today, days);
    let body = view(&console, &figures, days);
    page::for_staff(&console, &signed_in, StatusCode::OK, "Overview", body)
}

fn view(console: &Console, figures: &Figures, days: u32) -> AnyView {
    let periods = PERIODS
        .map(|period| {
            let current = (period == days).then_some("page");
            let href = format!("{}?days={period}", console.path("/overview"));
            view! { <li><a href=href aria-current=current>{format!("Last {period} days")}</a></li> }
        })
        .collect_view();
    let share = |part: u64| format!("{part} ({:.1} %)", percent(part, figures.total));
    let totals = ACTIONS
        .iter()
        .enumerate()
        .map(|(i, (_, name, _))| {
            let sum: u64 = figures.per_day[i].iter().sum();
            view! { <div><dt>{*name}</dt><dd>{share(sum)}</dd></div> }
        })
        .collect_view();
    let labels: Vec<String> = figures.days.iter().copied().map(short).collect();
    let series: Vec<Series<'_>> = ACTIONS
        .iter()
        .enumerate()
        .map(|(i, (_, name, color))| Series {
            name,
            color: *color,
            values: figures.per_day[i].clone(),
        })
        .collect();
    let per_day_chart = chart(charts::stacked_bars(&labels, &series, "decisions"));
    let per_day_rows = figures
        .days
        .iter()
        .enumerate()
        .map(|(d, day)| {
            let cells = (0..ACTIONS.len())
                .map(|a| view! { <td class="lc-console__number">{figures.per_day[a][d]}</td> })
                .collect_view();
            view! { <tr><th scope="row">{day.to_string()}</th>{cells}</tr> }
        })
        .collect_view();
    let action_headers = ACTIONS
        .iter()
        .map(|(_, name, _)| view! { <th scope="col">{*name}</th> })
        .collect_view();
    let percents = figures.opt_in_percents();
    let category_names = Category::OPTIONAL.map(Category::as_str);
    let opt_in_chart = chart(charts::percentages(
        &category_names,
        &percents,
        RGBColor(31, 78, 69),
    ));
    let opt_in_rows = Category::OPTIONAL
        .into_iter()
        .enumerate()
        .map(|(i, category)| {
            view! {
                <tr>
                    <th scope="row">{category.as_str()}</th>
                    <td class="lc-console__number">{figures.allowed[i]}</td>
                    <td class="lc-console__number">{format!("{:.1} %", percents[i])}</td>
                </tr>
            }
        })
        .collect_view();
    let per_day_summary = format!(
        "{} decisions in the last {days} days: {}.",
        figures.total,
        ACTIONS
            .iter()
            .enumerate()
            .map(|(i, (_, name, _))| format!("{name} {}", figures.per_day[i].iter().sum::<u64>()))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let opt_in_summary = format!(
        "Of {} decisions that chose: {}.",
        figures.choices,
        category_names
            .iter()
            .zip(percents)
            .map(|(name, percent)| format!("{name} allowed by {percent:.1} %"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    view! {
        <nav aria-label="Period">
            <ul class="lc-console__actions">{periods}</ul>
        </nav>
        <section aria-labelledby="summary-title">
            <h2 id="summary-title">{format!("Decisions in the last {days} days")}</h2>
            <dl class="lc-console__summary">
                <div><dt>"All decisions"</dt><dd>{figures.total}</dd></div>
                {totals}
                <div><dt>"Browsers sending Global Privacy Control"</dt><dd>{share(figures.gpc)}</dd></div>
                <div><dt>"Browsers sending Do Not Track"</dt><dd>{share(figures.dnt)}</dd></div>
            </dl>
        </section>
        <figure class="lc-console__figure" aria-labelledby="per-day-title">
            <figcaption id="per-day-title">"Decisions per day, by action"</figcaption>
            <div class="lc-console__chart" role="img" aria-label=per_day_summary inner_html=per_day_chart></div>
            <details>
                <summary>"The figures as a table"</summary>
                <div class="lc-console__scroll">
                    <table class="lc-console__table">
                        <caption>"Decisions per day (UTC), by action"</caption>
                        <thead><tr><th scope="col">"Day"</th>{action_headers}</tr></thead>
                        <tbody>{per_day_rows}</tbody>
                    </table>
                </div>
            </details>
        </figure>
        <figure class="lc-console__figure" aria-labelledby="opt-in-title">
            <figcaption id="opt-in-title">"Opt-in rate per category"</figcaption>
            <div class="lc-console__chart" role="img" aria-label=opt_in_summary inner_html=opt_in_chart></div>
            <details>
                <summary>"The figures as a table"</summary>
                <table class="lc-console__table">
                    <caption>{format!("Decisions that allowed each category, of {} that chose", figures.choices)}</caption>
                    <thead>
                        <tr>
                            <th scope="col">"Category"</th>
                            <th scope="col">"Allowed by"</th>
                            <th scope="col">"Rate"</th>
                        </tr>
                    </thead>
                    <tbody>{opt_in_rows}</tbody>
                </table>
            </details>
        </figure>
        {breakdown("By locale", "Locale", &figures.by_locale)}
        {breakdown("By where the decision was taken", "Where", &figures.by_source)}
    }
    .into_any()
}

/// A chart's SVG, or a sentence saying why there is none.
fn chart(svg: Result<String, String>) -> String {
    svg.unwrap_or_else(|error| {
        tracing::error!(error, "a console chart could not be drawn");
        "<p>The chart could not be drawn; the table has its figures.</p>".to_owned()
    })
}

fn breakdown(title: &'static str, key: &'static str, rows: &BTreeMap<String, [u64; 3]>) -> AnyView {
    let body = rows
        .iter()
        .map(|(name, [all, accept, reject])| {
            view! {
                <tr>
                    <th scope="row">{name.clone()}</th>
                    <td class="lc-console__number">{*all}</td>
                    <td class="lc-console__number">{format!("{:.1} %", percent(*accept, *all))}</td>
                    <td class="lc-console__number">{format!("{:.1} %", percent(*reject, *all))}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section>
            <h2>{title}</h2>
            <table class="lc-console__table">
                <thead>
                    <tr>
                        <th scope="col">{key}</th>
                        <th scope="col">"Decisions"</th>
                        <th scope="col">"Accept all"</th>
                        <th scope="col">"Reject all"</th>
                    </tr>
                </thead>
                <tbody>{body}</tbody>
            </table>
        </section>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::CategorySet;

    fn count(day: Date, action: LogAction, granted: CategorySet, gpc: bool, n: u64) -> DailyCount {
        DailyCount {
            day,
            action,
            granted,
            locale: "en".to_owned(),
            ui_source: "banner".to_owned(),
            gpc,
            dnt: false,
            decisions: n,
        }
    }

    #[test]
    fn figures_add_up_per_day_action_and_category() {
        let today = Date::from_calendar_date(2026, time::Month::December, 1).unwrap();
        let yesterday = today - Duration::days(1);
        let counts = [
            count(today, LogAction::AcceptAll, CategorySet::all(), true, 3),
            count(
                yesterday,
                LogAction::RejectAll,
                CategorySet::essential(),
                false,
                1,
            ),
            count(
                today,
                LogAction::Custom,
                CategorySet::essential().with(Category::Statistics),
                false,
                4,
            ),
            count(today, LogAction::Reset, CategorySet::essential(), false, 2),
            // Before the period: left out.
            count(
                today - Duration::days(7),
                LogAction::AcceptAll,
                CategorySet::all(),
                false,
                9,
            ),
        ];
        let figures = Figures::of(&counts, today, 7);
        assert_eq!(figures.days.len(), 7);
        assert_eq!(figures.days[6], today);
        assert_eq!(figures.total, 10);
        assert_eq!(figures.per_day[0][6], 3);
        assert_eq!(figures.per_day[1][5], 1);
        assert_eq!(figures.per_day[4][6], 2);
        assert_eq!(figures.gpc, 3);
        assert_eq!(figures.choices, 8);
        assert_eq!(figures.allowed, [3, 7, 3]);
        assert_eq!(figures.opt_in_percents()[1], 87.5);
        assert_eq!(figures.by_locale["en"], [10, 3, 1]);
    }
}
