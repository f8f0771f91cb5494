-- The tracking outbox: every accepted event, committed before it counts as accepted, until
-- the provider took it (kept a while longer, so that the same event id accepted again is
-- stored once) or it went to the dead letters.
CREATE TABLE tracking_outbox (
    seq INTEGER PRIMARY KEY,              -- the rowid: insertion order
    event_id TEXT NOT NULL UNIQUE,        -- the event's uuid: the provider deduplicates by it
    occurred_at_ms BIGINT NOT NULL,       -- Unix milliseconds, UTC
    accepted_at_ms BIGINT NOT NULL,
    payload TEXT NOT NULL,                -- the event as JSON
    attempts BIGINT NOT NULL DEFAULT 0,  -- deliveries started
    next_attempt_at_ms BIGINT NOT NULL,   -- due; while claimed, the end of the claim's lease
    claimed_by TEXT,                      -- the dispatcher instance that claimed it last
    last_error TEXT,
    finished_at_ms BIGINT,                -- delivered or dead-lettered
    outcome TEXT CHECK (outcome IN ('delivered', 'dead'))
);

-- What a dispatcher claims: pending events, the longest due first.
CREATE INDEX tracking_outbox_due ON tracking_outbox (next_attempt_at_ms, seq)
    WHERE finished_at_ms IS NULL;
CREATE INDEX tracking_outbox_finished ON tracking_outbox (finished_at_ms)
    WHERE finished_at_ms IS NOT NULL;

-- Events the provider refused for good (400, 401, 403, 404, 410, 422), or too old for its
-- window, with the reason.
CREATE TABLE tracking_dead_letters (
    event_id TEXT PRIMARY KEY,
    occurred_at_ms BIGINT NOT NULL,
    accepted_at_ms BIGINT NOT NULL,
    payload TEXT NOT NULL,
    attempts BIGINT NOT NULL,
    provider TEXT NOT NULL,
    reason TEXT NOT NULL,
    dead_at_ms BIGINT NOT NULL
);

CREATE INDEX tracking_dead_letters_dead_at ON tracking_dead_letters (dead_at_ms);
