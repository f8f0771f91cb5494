-- Descriptions for every site, in English and in Danish, as WS8's CookieDetails had them
-- (`Description`, `DescriptionDK`): shown where a site has no translation of its own.
ALTER TABLE cookie_details ADD COLUMN description TEXT NOT NULL DEFAULT '';
ALTER TABLE cookie_details ADD COLUMN description_da TEXT NOT NULL DEFAULT '';
