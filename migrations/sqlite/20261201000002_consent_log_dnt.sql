-- Do Not Track (`DNT: 1`), recorded beside Global Privacy Control.
ALTER TABLE consent_log ADD COLUMN dnt INTEGER NOT NULL DEFAULT 0;
