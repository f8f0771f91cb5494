-- Daily counts of the consent log for the privacy console's analytics: one row per day and
-- kind of decision, so that an overview of 90 days reads a few thousand rows, not millions.
-- Anonymous: no id, no address. A day is counted once it is over (see `consent_daily_done`);
-- the current day is counted from the log itself.
CREATE TABLE consent_daily (
    day BIGINT NOT NULL,                  -- days since 1970-01-01 (UTC)
    action TEXT NOT NULL,
    granted TEXT NOT NULL,
    locale TEXT NOT NULL,
    ui_source TEXT NOT NULL,
    gpc BOOLEAN NOT NULL,
    dnt BOOLEAN NOT NULL,
    decisions BIGINT NOT NULL
);

CREATE INDEX consent_daily_day ON consent_daily (day);

-- The days whose counts are in `consent_daily` (a replayed journal line of such a day
-- removes its day from here, so that it is counted again).
CREATE TABLE consent_daily_done (
    day BIGINT PRIMARY KEY
);
