-- Lifetimes in seconds, so that the registry can say "1 minute" (_gat), "36 hours",
-- "20 minutes, renewed" (a sliding session id) or "Permanent". `expire_days` stays, written
-- as the lifetime's days rounded up, for readers that only know days.
ALTER TABLE cookie_details ADD COLUMN expire_secs BIGINT NOT NULL DEFAULT 0;  -- 0: a session cookie
ALTER TABLE cookie_details ADD COLUMN renewed BOOLEAN NOT NULL DEFAULT FALSE; -- counted from the last visit
ALTER TABLE cookie_details ADD COLUMN permanent BOOLEAN NOT NULL DEFAULT FALSE;
UPDATE cookie_details SET expire_secs = expire_days * 86400;
