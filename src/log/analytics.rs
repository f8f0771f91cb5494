//! Daily counts of the consent log, what the privacy console's overview charts.
//!
//! A day that is over is counted once, with one `GROUP BY` over its entries (the
//! `recorded_at` index), into `consent_daily`; later overviews read those counts, a few
//! rows a day, however long the log. The days still open (today, and yesterday during the
//! first hour of today, while late commits may still land) are counted from the log each
//! time. A replayed journal line of a counted day removes that day's counts, which are
//! then made again. The counts are anonymous and stay when entries are erased or purged.

use std::str::FromStr;

use time::{Date, Duration, OffsetDateTime};

use super::{ConsentLog, LogAction};
use crate::{
    CategorySet,
    store::{StoreError, with_pool},
};

/// Seconds in a day.
const DAY: i64 = 86_400;
/// How long after midnight a day counts as over: decisions made just before midnight may
/// still be committing.
const SETTLE: i64 = 3_600;

/// How many decisions of one kind were recorded on one day.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DailyCount {
    /// The day (UTC).
    pub day: Date,
    /// What was decided.
    pub action: LogAction,
    /// The categories allowed.
    pub granted: CategorySet,
    /// The site's locale, which chose the texts shown.
    pub locale: String,
    /// Where the decision was taken (`banner`, `banner-form`, `change-link`, …).
    pub ui_source: String,
    /// Whether the browser sent Global Privacy Control.
    pub gpc: bool,
    /// Whether the browser sent Do Not Track.
    pub dnt: bool,
    /// How many decisions.
    pub decisions: u64,
}

/// A row of counts as both databases return it.
#[derive(sqlx::FromRow)]
struct CountRow {
    day: i64,
    action: String,
    granted: String,
    locale: String,
    ui_source: String,
    gpc: bool,
    dnt: bool,
    decisions: i64,
}

const GROUPED: &str = "SELECT recorded_at / 86400 AS day, action, granted, locale, ui_source, gpc, dnt, \
     COUNT(*) AS decisions FROM consent_log WHERE recorded_at >= $1 AND recorded_at < $2 \
     GROUP BY recorded_at / 86400, action, granted, locale, ui_source, gpc, dnt";

/// Days since 1970-01-01 of `date`.
fn day_number(date: Date) -> i64 {
    (date - Date::from_ordinal_date(1970, 1).expect("a valid date")).whole_days()
}

impl ConsentLog {
    /// The decisions recorded on the days `[from, until)` (UTC), counted by day and kind.
    /// Days that are over are counted once and kept (see the module's documentation).
    pub async fn daily_counts(
        &self,
        from: Date,
        until: Date,
    ) -> Result<Vec<DailyCount>, StoreError> {
        let (from, until) = (day_number(from), day_number(until));
        let settled = (OffsetDateTime::now_utc().unix_timestamp() - SETTLE).div_euclid(DAY);
        let counted_until = until.min(settled).max(from);
        let store = &self.inner.store;
        let rows: Vec<CountRow> = with_pool!(store, pool => {
            // Count the days that are over and not yet counted, each once (a second
            // instance doing the same waits for the first's marker and skips the day).
            let missing: Vec<i64> = sqlx::query_scalar(
                "SELECT day FROM consent_daily_done WHERE day >= $1 AND day < $2",
            )
            .bind(from)
            .bind(counted_until)
            .fetch_all(pool)
            .await
            .map(|done: Vec<i64>| (from..counted_until).filter(|day| !done.contains(day)).collect())?;
            for day in missing {
                let mut transaction = pool.begin().await?;
                let claimed = sqlx::query(
                    "INSERT INTO consent_daily_done (day) VALUES ($1) ON CONFLICT (day) DO NOTHING",
                )
                .bind(day)
                .execute(&mut *transaction)
                .await?
                .rows_affected();
                if claimed == 1 {
                    sqlx::query(&format!(
                        "INSERT INTO consent_daily \
                         (day, action, granted, locale, ui_source, gpc, dnt, decisions) {GROUPED}"
                    ))
                    .bind(day * DAY)
                    .bind((day + 1) * DAY)
                    .execute(&mut *transaction)
                    .await?;
                }
                transaction.commit().await?;
            }
            let mut rows: Vec<CountRow> = sqlx::query_as(
                "SELECT day, action, granted, locale, ui_source, gpc, dnt, decisions \
                 FROM consent_daily WHERE day >= $1 AND day < $2",
            )
            .bind(from)
            .bind(counted_until)
            .fetch_all(pool)
            .await?;
            if counted_until < until {
                let open: Vec<CountRow> = sqlx::query_as(GROUPED)
                    .bind(counted_until * DAY)
                    .bind(until * DAY)
                    .fetch_all(pool)
                    .await?;
                rows.extend(open);
            }
            rows
        });
        rows.into_iter().map(CountRow::into_count).collect()
    }
}

impl CountRow {
    fn into_count(self) -> Result<DailyCount, StoreError> {
        let corrupt = |reason: String| StoreError::Corrupt {
            table: "consent_daily",
            reason,
        };
        Ok(DailyCount {
            day: Date::from_ordinal_date(1970, 1).expect("a valid date") + Duration::days(self.day),
            action: LogAction::from_str(&self.action).map_err(corrupt)?,
            granted: CategorySet::from_str(&self.granted).map_err(|e| corrupt(format!("{e}")))?,
            locale: self.locale,
            ui_source: self.ui_source,
            gpc: self.gpc,
            dnt: self.dnt,
            decisions: u64::try_from(self.decisions).unwrap_or_default(),
        })
    }
}

/// The days of `records` (as day numbers) that are counted already and must be counted
/// again: a replay brought records for them.
pub(super) fn days_of(recorded_at: impl Iterator<Item = i64>) -> Vec<i64> {
    let mut days: Vec<i64> = recorded_at.map(|at| at.div_euclid(DAY)).collect();
    days.sort_unstable();
    days.dedup();
    days
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_count_from_the_epoch() {
        assert_eq!(day_number(Date::from_ordinal_date(1970, 1).unwrap()), 0);
        assert_eq!(day_number(Date::from_ordinal_date(1970, 32).unwrap()), 31);
        assert_eq!(days_of([86_399, 86_400, 0, 172_800].into_iter()), [0, 1, 2]);
    }
}
