-- Erasures (GDPR Art. 17) and purges of the consent log, remembered so that a fallback
-- journal replayed later, on any instance, does not bring erased records back.
CREATE TABLE consent_erasures (
    subject TEXT PRIMARY KEY,             -- SHA-256 of 'ip:<stored form>', 'visitor:<uuid>' or 'consent:<uuid>'; '*' for a purge
    covers_before INTEGER NOT NULL        -- records about the subject recorded before this (Unix seconds) are erased
);
