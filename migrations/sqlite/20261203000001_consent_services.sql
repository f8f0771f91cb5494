-- Consent per service: the shop's services a decision allows, by id, comma-separated
-- (empty when the shop declares none).
ALTER TABLE consent_log ADD COLUMN services TEXT NOT NULL DEFAULT '';
