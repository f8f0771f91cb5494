//! The cookie scanner: from the shop's own traffic, the cookie names shoppers' browsers
//! send that the registry does not describe, counted per day. What commercial consent
//! platforms do with crawlers, here without a third party.
//!
//! Names only, never values. A run of 6 or more digits, or of 8 or more hex digits, in a
//! name is an id: it becomes `*` (`_hjSession_123456` counts as `_hjSession_*`, a pattern
//! the registry understands). At most [`MAX_NAMES_PER_DAY`] names a day are kept, counted
//! in memory and written to the store once a minute; sightings older than 90 days go.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
    time::Duration,
};

use axum::{extract::Request, extract::State, middleware::Next, response::Response};

use crate::{
    registry::CookieRegistry,
    server::request::{distinct_cookie_names, unix_now},
    store::{Store, StoreError, with_pool},
};

/// The most distinct names kept for one day.
pub const MAX_NAMES_PER_DAY: usize = 500;
/// How long sightings are kept, in days.
const KEPT_DAYS: i64 = 90;
/// Cookies of the console itself, which the shop's registry need not describe.
const OWN_PREFIX: &str = "lc_console_";

/// Counts the undescribed cookie names of the requests it sees. Cheap to clone; must be
/// created inside a Tokio runtime (it starts the task that writes the counts).
///
/// Add it to the shop's router as a middleware:
///
/// ```no_run
/// # use leptos_consent::{console::scanner::CookieScanner, registry::CookieRegistry, store::Store};
/// # fn mount(app: axum::Router, registry: CookieRegistry, store: Store) -> axum::Router {
/// let scanner = CookieScanner::start(registry, store);
/// app.layer(axum::middleware::from_fn_with_state(scanner, CookieScanner::middleware))
/// # }
/// ```
#[derive(Clone)]
pub struct CookieScanner {
    inner: Arc<Inner>,
}

struct Inner {
    registry: CookieRegistry,
    store: Store,
    /// The counts not yet written, by day and name.
    tally: Mutex<HashMap<(i64, String), u64>>,
}

/// A cookie name seen on one day.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct Sighting {
    /// The name (ids in it replaced by `*`).
    pub name: String,
    /// How many requests carried it.
    pub seen: i64,
    /// The last day it was seen (days since 1970-01-01, UTC).
    pub last_day: i64,
}

impl CookieScanner {
    /// A scanner comparing names with `registry`, writing its counts to `store` every
    /// minute.
    ///
    /// # Panics
    ///
    /// Outside a Tokio runtime.
    pub fn start(registry: CookieRegistry, store: Store) -> Self {
        let scanner = CookieScanner {
            inner: Arc::new(Inner {
                registry,
                store,
                tally: Mutex::new(HashMap::new()),
            }),
        };
        let writer = Arc::downgrade(&scanner.inner);
        tokio::spawn(async move {
            let mut every = tokio::time::interval(Duration::from_secs(60));
            every.tick().await;
            loop {
                every.tick().await;
                let Some(inner) = writer.upgrade() else { break };
                let scanner = CookieScanner { inner };
                if let Err(error) = scanner.flush().await {
                    tracing::warn!(%error, "the cookie scanner could not write its counts");
                }
            }
        });
        scanner
    }

    /// Counts the request's cookie names the registry does not describe.
    pub fn observe(&self, headers: &http::HeaderMap) {
        let names = distinct_cookie_names(headers);
        if names.is_empty() {
            return;
        }
        let snapshot = self.inner.registry.snapshot();
        let unknown: Vec<String> = names
            .into_iter()
            .filter(|name| !name.starts_with(OWN_PREFIX))
            .filter(|name| snapshot.lookup(name).next().is_none())
            .filter_map(without_ids)
            .collect();
        if unknown.is_empty() {
            return;
        }
        let day = today();
        let mut tally = self.tally();
        for name in unknown {
            // Bounded between two writes too: the store keeps the same bound per day.
            let room = tally.len() < MAX_NAMES_PER_DAY;
            let key = (day, name);
            if let Some(count) = tally.get_mut(&key) {
                *count += 1;
            } else if room {
                tally.insert(key, 1);
            }
        }
    }

    /// The middleware: counts the request's cookie names, then serves it.
    pub async fn middleware(
        State(scanner): State<CookieScanner>,
        request: Request,
        next: Next,
    ) -> Response {
        scanner.observe(request.headers());
        next.run(request).await
    }

    /// Writes the counts gathered since the last write (the console reads what is
    /// written), and drops sightings older than 90 days. Counts it could not write are kept
    /// for the next write.
    pub async fn flush(&self) -> Result<(), StoreError> {
        let counts = std::mem::take(&mut *self.tally());
        if let Err(error) = self.write(&counts).await {
            let mut tally = self.tally();
            for (key, seen) in counts {
                *tally.entry(key).or_default() += seen;
            }
            return Err(error);
        }
        Ok(())
    }

    fn tally(&self) -> std::sync::MutexGuard<'_, HashMap<(i64, String), u64>> {
        self.inner.tally.lock().unwrap_or_else(|e| e.into_inner())
    }

    async fn write(&self, counts: &HashMap<(i64, String), u64>) -> Result<(), StoreError> {
        let _turn = self.inner.store.write_turn().await;
        with_pool!(self.inner.store, pool => {
            let mut transaction = pool.begin().await?;
            for ((day, name), seen) in counts {
                // A new name only while the day has room.
                sqlx::query(
                    "INSERT INTO cookie_sightings (day, name, seen) \
                     SELECT CAST($1 AS BIGINT), CAST($2 AS TEXT), CAST($3 AS BIGINT) WHERE EXISTS \
                     (SELECT 1 FROM cookie_sightings WHERE day = $1 AND name = $2) \
                     OR (SELECT COUNT(*) FROM cookie_sightings WHERE day = $1) < $4 \
                     ON CONFLICT (day, name) DO UPDATE SET seen = cookie_sightings.seen + excluded.seen",
                )
                .bind(day)
                .bind(name)
                .bind(i64::try_from(*seen).unwrap_or(i64::MAX))
                .bind(MAX_NAMES_PER_DAY as i64)
                .execute(&mut *transaction)
                .await?;
            }
            sqlx::query("DELETE FROM cookie_sightings WHERE day < $1")
                .bind(today() - KEPT_DAYS)
                .execute(&mut *transaction)
                .await?;
            transaction.commit().await?;
        });
        Ok(())
    }

    /// The names seen in the last `days` days that the registry still does not describe
    /// (one described since drops out), the most seen first. This instance's counts are
    /// written first; other instances' within a minute.
    pub async fn undescribed(&self, days: i64) -> Result<Vec<Sighting>, StoreError> {
        self.flush().await?;
        let rows: Vec<Sighting> = with_pool!(self.inner.store, pool => {
            sqlx::query_as(
                "SELECT name, CAST(SUM(seen) AS BIGINT) AS seen, MAX(day) AS last_day \
                 FROM cookie_sightings \
                 WHERE day > $1 GROUP BY name ORDER BY SUM(seen) DESC, name LIMIT $2",
            )
            .bind(today() - days)
            .bind(MAX_NAMES_PER_DAY as i64)
            .fetch_all(pool)
            .await?
        });
        let snapshot = self.inner.registry.snapshot();
        Ok(rows
            .into_iter()
            .filter(|sighting| snapshot.lookup(&sighting.name).next().is_none())
            .collect())
    }
}

fn today() -> i64 {
    unix_now().div_euclid(86_400)
}

/// The name with each id in it (a run of 6+ digits or 8+ hex digits) replaced by `*`;
/// `None` for what is no cookie name.
fn without_ids(name: &str) -> Option<String> {
    if !crate::server::cookies::is_cookie_name(name) {
        return None;
    }
    let mut out = String::with_capacity(name.len());
    let bytes = name.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let run = bytes[i..]
            .iter()
            .take_while(|b| b.is_ascii_hexdigit())
            .count();
        let digits = bytes[i..].iter().take_while(|b| b.is_ascii_digit()).count();
        if run >= 8 || digits >= 6 {
            let len = if run >= 8 { run } else { digits };
            out.push('*');
            i += len;
        } else {
            // Copy one character (cookie names are ASCII, checked above).
            out.push(bytes[i] as char);
            i += 1;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_in_names_become_wildcards() {
        assert_eq!(
            without_ids("_hjSession_1234567").as_deref(),
            Some("_hjSession_*")
        );
        assert_eq!(without_ids("ab_3f9c2a7d1b3e").as_deref(), Some("ab_*"));
        assert_eq!(without_ids("_ga").as_deref(), Some("_ga"));
        assert_eq!(without_ids("cart2024").as_deref(), Some("cart2024"));
        assert_eq!(without_ids("decade").as_deref(), Some("decade"));
        assert_eq!(without_ids("bad name"), None);
        assert_eq!(without_ids("<script>"), None);
    }
}
