-- The privacy console's cookie scanner: per day, the cookie names shoppers' browsers sent
-- that the registry does not describe, and how many requests carried them. Names only,
-- never values; a run of digits or hex in a name (an id) is replaced by `*`. At most 500
-- names a day.
CREATE TABLE cookie_sightings (
    day INTEGER NOT NULL,                 -- days since 1970-01-01 (UTC)
    name TEXT NOT NULL,
    seen INTEGER NOT NULL,
    PRIMARY KEY (day, name)
);
