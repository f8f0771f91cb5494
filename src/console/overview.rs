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
    texts::{self, ConsoleTexts, fill, texts},
};
use crate::{
    Category,
    log::{DailyCount, LogAction},
};

/// The periods offered, in days.
const PERIODS: [u32; 3] = [7, 30, LONGEST_PERIOD];
/// The longest period offered, in days.
pub(super) const LONGEST_PERIOD: u32 = 90;

/// Where an action's name is in the console's texts.
type ActionName = fn(&ConsoleTexts) -> &'static str;

/// The actions in the order the charts and tables show them, with their names in the
/// console's texts and their colours (each with at least 3:1 contrast against the chart's
/// white).
const ACTIONS: [(LogAction, ActionName, RGBColor); 5] = [
    (
        LogAction::AcceptAll,
        |t| t.actions.accept_all,
        RGBColor(31, 111, 74),
    ),
    (
        LogAction::RejectAll,
        |t| t.actions.reject_all,
        RGBColor(163, 38, 27),
    ),
    (
        LogAction::Custom,
        |t| t.actions.custom,
        RGBColor(47, 93, 154),
    ),
    (
        LogAction::Acknowledge,
        |t| t.actions.acknowledge,
        RGBColor(122, 91, 0),
    ),
    (LogAction::Reset, |t| t.actions.reset, RGBColor(85, 85, 85)),
];

/// An action's name in the current language.
pub(super) fn action_name(action: LogAction) -> &'static str {
    ACTIONS
        .iter()
        .find(|(a, ..)| *a == action)
        .map_or(action.as_str(), |(_, name, _)| name(texts()))
}

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
    page::for_staff(
        &console,
        &signed_in,
        StatusCode::OK,
        texts().page.overview,
        body,
    )
}

fn view(console: &Console, figures: &Figures, days: u32) -> AnyView {
    let all = texts();
    let words = &all.overview;
    let period_name = |days: u32| texts::count(&words.last_days, u64::from(days));
    let periods = PERIODS
        .map(|period| {
            let current = (period == days).then_some("page");
            let href = format!("{}?days={period}", console.path("/overview"));
            view! { <li><a href=href aria-current=current>{period_name(period)}</a></li> }
        })
        .collect_view();
    let share = |part: u64| format!("{part} ({:.1} %)", percent(part, figures.total));
    let totals = ACTIONS
        .iter()
        .enumerate()
        .map(|(i, (_, name, _))| {
            let sum: u64 = figures.per_day[i].iter().sum();
            view! { <div><dt>{name(all)}</dt><dd>{share(sum)}</dd></div> }
        })
        .collect_view();
    let labels: Vec<String> = figures.days.iter().copied().map(short).collect();
    let series: Vec<Series<'_>> = ACTIONS
        .iter()
        .enumerate()
        .map(|(i, (_, name, color))| Series {
            name: name(all),
            color: *color,
            values: figures.per_day[i].clone(),
        })
        .collect();
    let per_day_chart = chart(charts::stacked_bars(&labels, &series, words.decisions_unit));
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
        .map(|(_, name, _)| view! { <th scope="col">{name(all)}</th> })
        .collect_view();
    let percents = figures.opt_in_percents();
    let category_names = Category::OPTIONAL.map(texts::category);
    let chart_names = category_names.each_ref().map(|name| name.as_ref());
    let opt_in_chart = chart(charts::percentages(
        &chart_names,
        &percents,
        RGBColor(31, 78, 69),
    ));
    let opt_in_rows = Category::OPTIONAL
        .into_iter()
        .enumerate()
        .map(|(i, category)| {
            view! {
                <tr>
                    <th scope="row">{texts::category(category)}</th>
                    <td class="lc-console__number">{figures.allowed[i]}</td>
                    <td class="lc-console__number">{format!("{:.1} %", percents[i])}</td>
                </tr>
            }
        })
        .collect_view();
    let per_action = ACTIONS
        .iter()
        .enumerate()
        .map(|(i, (_, name, _))| {
            format!("{} {}", name(all), figures.per_day[i].iter().sum::<u64>())
        })
        .collect::<Vec<_>>()
        .join(", ");
    let per_day_summary = fill(
        words.per_day_summary,
        &[
            ("period", &period_name(days)),
            ("total", &figures.total),
            ("actions", &per_action),
        ],
    );
    let per_category = category_names
        .iter()
        .zip(percents)
        .map(|(name, percent)| {
            fill(
                words.allowed_share,
                &[("category", name), ("percent", &format!("{percent:.1} %"))],
            )
        })
        .collect::<Vec<_>>()
        .join(", ");
    let opt_in_summary = fill(
        words.opt_in_summary,
        &[("choices", &figures.choices), ("categories", &per_category)],
    );
    view! {
        <nav aria-label=words.period>
            <ul class="lc-console__actions">{periods}</ul>
        </nav>
        <section aria-labelledby="summary-title">
            <h2 id="summary-title">{period_name(days)}</h2>
            <dl class="lc-console__summary">
                <div><dt>{words.all_decisions}</dt><dd>{figures.total}</dd></div>
                {totals}
                <div><dt>{words.gpc}</dt><dd>{share(figures.gpc)}</dd></div>
                <div><dt>{words.dnt}</dt><dd>{share(figures.dnt)}</dd></div>
            </dl>
        </section>
        <figure class="lc-console__figure" aria-labelledby="per-day-title">
            <figcaption id="per-day-title">{words.per_day}</figcaption>
            <div class="lc-console__chart" role="img" aria-label=per_day_summary inner_html=per_day_chart></div>
            <details>
                <summary>{all.page.as_table}</summary>
                <div class="lc-console__scroll">
                    <table class="lc-console__table">
                        <caption>{words.per_day_caption}</caption>
                        <thead><tr><th scope="col">{words.day}</th>{action_headers}</tr></thead>
                        <tbody>{per_day_rows}</tbody>
                    </table>
                </div>
            </details>
        </figure>
        <figure class="lc-console__figure" aria-labelledby="opt-in-title">
            <figcaption id="opt-in-title">{words.opt_in}</figcaption>
            <div class="lc-console__chart" role="img" aria-label=opt_in_summary inner_html=opt_in_chart></div>
            <details>
                <summary>{all.page.as_table}</summary>
                <table class="lc-console__table">
                    <caption>{fill(words.opt_in_caption, &[("choices", &figures.choices)])}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{words.category}</th>
                            <th scope="col">{words.allowed_by}</th>
                            <th scope="col">{words.rate}</th>
                        </tr>
                    </thead>
                    <tbody>{opt_in_rows}</tbody>
                </table>
            </details>
        </figure>
        {breakdown(words.by_locale, words.locale, &figures.by_locale)}
        {breakdown(words.by_source, words.source, &figures.by_source)}
    }
    .into_any()
}

/// A chart's SVG, or a sentence saying why there is none.
fn chart(svg: Result<String, String>) -> String {
    svg.unwrap_or_else(|error| {
        tracing::error!(error, "a console chart could not be drawn");
        format!("<p>{}</p>", texts().page.chart_failed)
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
                        <th scope="col">{texts().overview.decisions}</th>
                        <th scope="col">{texts().overview.accept_all}</th>
                        <th scope="col">{texts().overview.reject_all}</th>
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
