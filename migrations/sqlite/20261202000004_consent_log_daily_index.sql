-- The console's daily counts read every column they group by from this index alone (no
-- table row is visited), which makes counting a day of a large log a matter of milliseconds.
-- It starts with `recorded_at`, so it serves the retention, purges and period searches the
-- index it replaces served.
CREATE INDEX consent_log_daily_counts
    ON consent_log (recorded_at, action, granted, locale, ui_source, gpc, dnt);
DROP INDEX consent_log_recorded_at;
