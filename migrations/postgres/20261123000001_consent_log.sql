-- The GDPR consent log: one row per decision, appended before the response is sent.
CREATE TABLE consent_log (
    seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,              -- the record's own uuid: replays insert it once
    consent_id TEXT NOT NULL,
    visitor_id TEXT,
    recorded_at BIGINT NOT NULL,          -- Unix seconds, UTC
    action TEXT NOT NULL,                 -- accept_all | reject_all | custom | acknowledge | reset
    granted TEXT NOT NULL,                -- comma-separated categories
    denied TEXT NOT NULL,
    policy_fingerprint TEXT NOT NULL,
    locale TEXT NOT NULL,
    ui_source TEXT NOT NULL,
    gpc BOOLEAN NOT NULL,
    user_agent TEXT,
    ip TEXT
);

CREATE INDEX consent_log_consent_id ON consent_log (consent_id);
CREATE INDEX consent_log_visitor_id ON consent_log (visitor_id);
CREATE INDEX consent_log_ip ON consent_log (ip);
CREATE INDEX consent_log_recorded_at ON consent_log (recorded_at);

-- Append-only for the app: records are only ever deleted (retention, GDPR erasure).
CREATE FUNCTION consent_log_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the consent log is append-only';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER consent_log_append_only BEFORE UPDATE ON consent_log
    FOR EACH ROW EXECUTE FUNCTION consent_log_append_only();
