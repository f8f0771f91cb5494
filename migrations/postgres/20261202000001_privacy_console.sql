-- The privacy console: staff sessions of the built-in token login, and the audit trail of
-- every console action.
CREATE TABLE console_sessions (
    session_hash TEXT PRIMARY KEY,        -- SHA-256 of the session id the signed cookie carries
    staff TEXT NOT NULL,
    expires_at BIGINT NOT NULL            -- Unix seconds, UTC
);

CREATE TABLE console_audit (
    seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at BIGINT NOT NULL,                  -- Unix seconds, UTC
    staff TEXT NOT NULL,                  -- who (the session's name, or the shop's hook's)
    action TEXT NOT NULL,                 -- login | login_refused | logout | search | export | erase | purge
    detail TEXT NOT NULL,                 -- what it was about (a subject, a date)
    affected BIGINT NOT NULL              -- rows read or changed
);

CREATE INDEX console_audit_at ON console_audit (at);
