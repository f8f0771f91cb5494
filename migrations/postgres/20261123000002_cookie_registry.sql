-- The shop-local cookie registry: cookies the shop (or an installed app) declares, shown in
-- the cookie details grid next to the crate's native entries. Names may repeat (cookies of
-- other domains can share a name).
CREATE TABLE cookie_details (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name TEXT NOT NULL,                   -- exact, or with `*` for a random part
    category TEXT NOT NULL CHECK (category IN ('system', 'functional', 'statistics', 'tracking')),
    expire_days INTEGER NOT NULL CHECK (expire_days >= 0),
    is_third_party BOOLEAN NOT NULL,
    third_party_author TEXT NOT NULL,
    updated_at BIGINT NOT NULL            -- Unix seconds, UTC
);

-- What the grid says about a cookie on one site, in that site's language.
CREATE TABLE cookie_detail_translations (
    cookie_id BIGINT NOT NULL REFERENCES cookie_details (id) ON DELETE CASCADE,
    site_id INTEGER NOT NULL,
    locale TEXT NOT NULL,
    description TEXT NOT NULL,
    third_party_author_description TEXT NOT NULL,
    expire_text TEXT NOT NULL,
    PRIMARY KEY (cookie_id, site_id)
);
