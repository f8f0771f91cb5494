//! Editing the shop-local registry (feature `registry`): what the admin API and the shop's
//! own code call on a [`CookieRegistry`].

use super::{
    CookieRegistry,
    local::{
        CookieRow, CookieTranslation, LocalCookie, NewCookie, RegistryError, SELECT_COOKIES,
        SELECT_TRANSLATIONS, TranslationRow, cookie_of, lifetime_columns, load, translation_of,
    },
};
use crate::{
    server::request::unix_now,
    store::{Store, with_pool},
};

/// The shop-local registry's admin operations. Every change reloads this process's cache at
/// once; other instances see it when their cache expires.
impl CookieRegistry {
    fn store(&self) -> Result<&Store, RegistryError> {
        self.inner.store.as_ref().ok_or(RegistryError::NoStore)
    }

    /// Every shop-local cookie, oldest first.
    pub async fn local_cookies(&self) -> Result<Vec<LocalCookie>, RegistryError> {
        Ok(load(self.store()?).await?)
    }

    /// One shop-local cookie.
    pub async fn local_cookie(&self, id: i64) -> Result<LocalCookie, RegistryError> {
        let store = self.store()?;
        let row: Option<CookieRow> = with_pool!(store, pool => {
            sqlx::query_as(&format!("{SELECT_COOKIES} WHERE id = $1"))
                .bind(id)
                .fetch_optional(pool)
                .await?
        });
        let row = row.ok_or(RegistryError::NotFound)?;
        let translations: Vec<TranslationRow> = with_pool!(store, pool => {
            sqlx::query_as(&format!("{SELECT_TRANSLATIONS} WHERE cookie_id = $1 ORDER BY site_id"))
                .bind(id)
                .fetch_all(pool)
                .await?
        });
        Ok(LocalCookie {
            id,
            cookie: cookie_of(row)?,
            translations: translations.into_iter().map(translation_of).collect(),
        })
    }

    /// Adds a shop-local cookie and returns its id. Names may repeat.
    pub async fn create_local_cookie(&self, cookie: &NewCookie) -> Result<i64, RegistryError> {
        cookie.check()?;
        let store = self.store()?;
        let (secs, renewed, permanent, days) = lifetime_columns(cookie);
        let _turn = store.write_turn().await;
        let (id,): (i64,) = with_pool!(store, pool => {
            sqlx::query_as(
                "INSERT INTO cookie_details \
                 (name, category, expire_days, is_third_party, third_party_author, updated_at, \
                  description, description_da, expire_secs, renewed, permanent) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
            )
            .bind(&cookie.name)
            .bind(cookie.category.as_str())
            .bind(days)
            .bind(cookie.is_third_party)
            .bind(&cookie.third_party_author)
            .bind(unix_now())
            .bind(&cookie.description)
            .bind(&cookie.description_da)
            .bind(secs)
            .bind(renewed)
            .bind(permanent)
            .fetch_one(pool)
            .await?
        });
        self.changed().await;
        Ok(id)
    }

    /// Replaces a shop-local cookie's facts.
    pub async fn update_local_cookie(
        &self,
        id: i64,
        cookie: &NewCookie,
    ) -> Result<(), RegistryError> {
        cookie.check()?;
        let store = self.store()?;
        let (secs, renewed, permanent, days) = lifetime_columns(cookie);
        let _turn = store.write_turn().await;
        let updated = with_pool!(store, pool => {
            sqlx::query(
                "UPDATE cookie_details SET name = $1, category = $2, expire_days = $3, \
                 is_third_party = $4, third_party_author = $5, updated_at = $6, \
                 description = $7, description_da = $8, expire_secs = $9, renewed = $10, \
                 permanent = $11 WHERE id = $12",
            )
            .bind(&cookie.name)
            .bind(cookie.category.as_str())
            .bind(days)
            .bind(cookie.is_third_party)
            .bind(&cookie.third_party_author)
            .bind(unix_now())
            .bind(&cookie.description)
            .bind(&cookie.description_da)
            .bind(secs)
            .bind(renewed)
            .bind(permanent)
            .bind(id)
            .execute(pool)
            .await?
            .rows_affected()
        });
        if updated == 0 {
            return Err(RegistryError::NotFound);
        }
        self.changed().await;
        Ok(())
    }

    /// Deletes a shop-local cookie and its translations.
    pub async fn delete_local_cookie(&self, id: i64) -> Result<(), RegistryError> {
        let store = self.store()?;
        let _turn = store.write_turn().await;
        let deleted = with_pool!(store, pool => {
            sqlx::query("DELETE FROM cookie_details WHERE id = $1")
                .bind(id)
                .execute(pool)
                .await?
                .rows_affected()
        });
        if deleted == 0 {
            return Err(RegistryError::NotFound);
        }
        self.changed().await;
        Ok(())
    }

    /// Adds a cookie's translation for a site; [`RegistryError::Conflict`] when the site has
    /// one already.
    pub async fn add_translation(
        &self,
        id: i64,
        site_id: i32,
        translation: &CookieTranslation,
    ) -> Result<(), RegistryError> {
        self.write_translation(id, site_id, translation, false)
            .await
    }

    /// Adds or replaces a cookie's translation for a site.
    pub async fn put_translation(
        &self,
        id: i64,
        site_id: i32,
        translation: &CookieTranslation,
    ) -> Result<(), RegistryError> {
        self.write_translation(id, site_id, translation, true).await
    }

    async fn write_translation(
        &self,
        id: i64,
        site_id: i32,
        translation: &CookieTranslation,
        replace: bool,
    ) -> Result<(), RegistryError> {
        translation.check()?;
        let store = self.store()?;
        let on_conflict = if replace {
            "DO UPDATE SET locale = excluded.locale, description = excluded.description, \
             third_party_author_description = excluded.third_party_author_description, \
             expire_text = excluded.expire_text"
        } else {
            "DO NOTHING"
        };
        let sql = format!(
            "INSERT INTO cookie_detail_translations (cookie_id, site_id, locale, description, \
             third_party_author_description, expire_text) VALUES ($1, $2, $3, $4, $5, $6) \
             ON CONFLICT (cookie_id, site_id) {on_conflict}"
        );
        let _turn = store.write_turn().await;
        let written = with_pool!(store, pool => {
            sqlx::query(&sql)
                .bind(id)
                .bind(site_id)
                .bind(&translation.locale)
                .bind(&translation.description)
                .bind(&translation.third_party_author_description)
                .bind(&translation.expire_text)
                .execute(pool)
                .await?
                .rows_affected()
        });
        if written == 0 {
            return Err(RegistryError::Conflict { id, site_id });
        }
        self.changed().await;
        Ok(())
    }

    /// Deletes a cookie's translation for a site.
    pub async fn delete_translation(&self, id: i64, site_id: i32) -> Result<(), RegistryError> {
        let store = self.store()?;
        let _turn = store.write_turn().await;
        let deleted = with_pool!(store, pool => {
            sqlx::query("DELETE FROM cookie_detail_translations WHERE cookie_id = $1 AND site_id = $2")
                .bind(id)
                .bind(site_id)
                .execute(pool)
                .await?
                .rows_affected()
        });
        if deleted == 0 {
            return Err(RegistryError::NotFound);
        }
        self.changed().await;
        Ok(())
    }

    /// After a change: this process shows it at once.
    async fn changed(&self) {
        if let Err(error) = self.reload().await {
            tracing::warn!(%error, "cookie registry changed but could not be reloaded; the cache expires later");
        }
    }
}
