//! The shop-local registry in the database: the entries a shop (or an installed app) adds
//! through the admin API or the library, with a translation per site.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::{
    Lifetime,
    entry::{
        CookieEntry, CookieText, EntrySource, InvalidEntry, check_cookie_name, check_expire_days,
        check_locale, check_text,
    },
};
use crate::{
    Category,
    store::{Store, StoreError, with_pool},
};

/// A shop-local cookie as the admin API takes it (create and update): the facts, and
/// optionally a description for every site (per-site texts are translations).
///
/// The fields are snake_case; WS8's PascalCase spellings are taken too (`Name`, `Category`,
/// `ExpireDays`, `IsThirdParty`, `ThirdPartyAuthor`, `Description`, `DescriptionDK`), so
/// that apps written for WS8's API keep working.
///
/// The lifetime is `expire_days` (WS8's; 0 for a session cookie), or `expire_secs` for one
/// that is not whole days ("1 minute": 60), either `renewed` when it counts from the last
/// visit ("20 minutes, renewed"); or `permanent`. See [`NewCookie::lifetime`].
///
/// ```
/// use leptos_consent::{Category, registry::{Lifetime, NewCookie}};
///
/// let throttle = NewCookie::new("_gat", Category::Statistics).with_lifetime(Lifetime::seconds(60));
/// assert_eq!((throttle.expire_days, throttle.expire_secs), (1, Some(60)));
/// assert_eq!(throttle.lifetime(), Ok(Lifetime::seconds(60)));
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[cfg_attr(feature = "admin", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewCookie {
    /// The cookie's name, exact or with `*` for a random part: RFC 6265 token characters,
    /// at most 128.
    #[serde(alias = "Name")]
    #[cfg_attr(feature = "admin", schema(example = "_demo_stats", max_length = 128))]
    pub name: String,
    /// Its category.
    #[serde(alias = "Category")]
    pub category: Category,
    /// How long it lives, in days; 0 for a session cookie. With `expire_secs`, its days
    /// rounded up (or left out).
    #[serde(default, alias = "ExpireDays")]
    #[cfg_attr(feature = "admin", schema(minimum = 0, maximum = 36500))]
    pub expire_days: u32,
    /// How long it lives, in seconds, for a lifetime that is not whole days ("1 minute": 60,
    /// "36 hours": 129600); 0 for a session cookie.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "admin", schema(minimum = 0, maximum = 3153600000_u64))]
    pub expire_secs: Option<u64>,
    /// Whether the lifetime counts from the last visit (each visit writes the cookie again).
    #[serde(default)]
    pub renewed: bool,
    /// Whether it never expires ("Permanent"); then without `expire_days`/`expire_secs`.
    #[serde(default)]
    pub permanent: bool,
    /// Whether a third party sets or reads it.
    #[serde(default, alias = "IsThirdParty")]
    pub is_third_party: bool,
    /// Who that third party is ("Google LLC"); required for third-party cookies.
    #[serde(default, alias = "ThirdPartyAuthor")]
    #[cfg_attr(feature = "admin", schema(max_length = 200))]
    pub third_party_author: String,
    /// What it is for, in English, on every site without a translation of its own (WS8's
    /// `Description`, shown on non-Danish sites).
    #[serde(
        default,
        alias = "Description",
        skip_serializing_if = "String::is_empty"
    )]
    #[cfg_attr(feature = "admin", schema(max_length = 2000))]
    pub description: String,
    /// What it is for, in Danish, on Danish sites without a translation of their own (WS8's
    /// `DescriptionDK`).
    #[serde(
        default,
        alias = "DescriptionDK",
        skip_serializing_if = "String::is_empty"
    )]
    #[cfg_attr(feature = "admin", schema(max_length = 2000))]
    pub description_da: String,
}

impl NewCookie {
    /// A first-party session cookie `name` of `category`, without texts.
    pub fn new(name: impl Into<String>, category: Category) -> Self {
        NewCookie {
            name: name.into(),
            category,
            expire_days: 0,
            expire_secs: None,
            renewed: false,
            permanent: false,
            is_third_party: false,
            third_party_author: String::new(),
            description: String::new(),
            description_da: String::new(),
        }
    }

    /// The lifetime the fields say; an error when they contradict each other.
    pub fn lifetime(&self) -> Result<Lifetime, InvalidEntry> {
        check_expire_days(self.expire_days)?;
        let invalid = |field: &'static str, problem: &str| InvalidEntry {
            field,
            problem: problem.to_owned(),
        };
        let lifetime = if self.permanent {
            if self.expire_secs.is_some()
                || !matches!(self.expire_days, 0 | CookieEntry::MAX_EXPIRE_DAYS)
            {
                return Err(invalid(
                    "permanent",
                    "a permanent cookie has no expire_days or expire_secs",
                ));
            }
            Lifetime::Permanent
        } else if let Some(secs) = self.expire_secs {
            if secs > Lifetime::MAX_SECS {
                return Err(invalid(
                    "expire_secs",
                    "must be 0 (a session cookie) to 3153600000 (100 years); longer is permanent",
                ));
            }
            let lifetime = Lifetime::seconds(secs);
            if self.expire_days != 0 && self.expire_days != lifetime.expire_days() {
                return Err(invalid(
                    "expire_secs",
                    "expire_days and expire_secs disagree: give one of them",
                ));
            }
            lifetime
        } else {
            Lifetime::days(self.expire_days)
        };
        match (self.renewed, lifetime) {
            (false, lifetime) => Ok(lifetime),
            (true, Lifetime::For { .. }) => Ok(lifetime.renewed()),
            (true, _) => Err(invalid(
                "renewed",
                "only a cookie with an expiry is renewed, not a session or permanent one",
            )),
        }
    }

    /// The fields that state `lifetime`: `expire_days` always (rounded up), `expire_secs`
    /// when it is not whole days.
    pub fn with_lifetime(mut self, lifetime: Lifetime) -> Self {
        self.expire_days = lifetime.expire_days();
        self.permanent = lifetime == Lifetime::Permanent;
        (self.expire_secs, self.renewed) = match lifetime {
            Lifetime::For { secs, renewed } => ((secs % 86_400 != 0).then_some(secs), renewed),
            _ => (None, false),
        };
        self
    }

    /// Checks every field; the error names the one at fault.
    pub fn check(&self) -> Result<(), InvalidEntry> {
        check_cookie_name(&self.name)?;
        self.lifetime()?;
        for (field, text, max) in [
            (
                "third_party_author",
                &self.third_party_author,
                CookieEntry::MAX_AUTHOR_LEN,
            ),
            (
                "description",
                &self.description,
                CookieEntry::MAX_DESCRIPTION_LEN,
            ),
            (
                "description_da",
                &self.description_da,
                CookieEntry::MAX_DESCRIPTION_LEN,
            ),
        ] {
            check_text(field, text, max)?;
        }
        if self.is_third_party && self.third_party_author.trim().is_empty() {
            return Err(InvalidEntry {
                field: "third_party_author",
                problem: "a third-party cookie needs its author (\"Google LLC\")".to_owned(),
            });
        }
        Ok(())
    }
}

/// What a shop-local cookie says on one site.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[cfg_attr(feature = "admin", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CookieTranslation {
    /// The site's language (BCP 47: `en`, `da-DK`).
    #[cfg_attr(feature = "admin", schema(example = "da"))]
    pub locale: String,
    /// What the cookie is for.
    #[cfg_attr(feature = "admin", schema(max_length = 2000))]
    pub description: String,
    /// More about the third party.
    #[serde(default)]
    #[cfg_attr(feature = "admin", schema(max_length = 2000))]
    pub third_party_author_description: String,
    /// The lifetime in words; empty to derive it from the cookie's lifetime.
    #[serde(default)]
    #[cfg_attr(feature = "admin", schema(max_length = 200))]
    pub expire_text: String,
}

impl CookieTranslation {
    /// Checks every field; the error names the one at fault.
    pub fn check(&self) -> Result<(), InvalidEntry> {
        check_locale(&self.locale)?;
        check_text(
            "description",
            &self.description,
            CookieEntry::MAX_DESCRIPTION_LEN,
        )?;
        check_text(
            "third_party_author_description",
            &self.third_party_author_description,
            CookieEntry::MAX_DESCRIPTION_LEN,
        )?;
        check_text(
            "expire_text",
            &self.expire_text,
            CookieEntry::MAX_EXPIRE_TEXT_LEN,
        )
    }
}

/// A translation with the site it belongs to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "admin", derive(utoipa::ToSchema))]
pub struct SiteTranslation {
    /// The site.
    pub site_id: i32,
    /// The texts.
    #[serde(flatten)]
    pub translation: CookieTranslation,
}

/// A shop-local cookie as stored, with its translations.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "admin", derive(utoipa::ToSchema))]
pub struct LocalCookie {
    /// Its id.
    pub id: i64,
    /// Its facts.
    #[serde(flatten)]
    pub cookie: NewCookie,
    /// What it says on each site, by site id.
    pub translations: Vec<SiteTranslation>,
}

impl LocalCookie {
    /// The registry entry it makes (what the grid shows).
    pub(crate) fn into_entry(self) -> CookieEntry {
        // Checked when it was written, and again when it was read.
        let lifetime = self.cookie.lifetime().unwrap_or(Lifetime::Session);
        // The descriptions for every site, after the sites' own translations.
        let every_site = [
            ("en", self.cookie.description),
            ("da", self.cookie.description_da),
        ]
        .into_iter()
        .filter(|(_, description)| !description.is_empty())
        .map(|(locale, description)| CookieText {
            site_id: None,
            locale: locale.to_owned(),
            description,
            ..CookieText::default()
        });
        let texts = self
            .translations
            .into_iter()
            .map(|t| CookieText {
                site_id: Some(t.site_id),
                locale: t.translation.locale,
                description: t.translation.description,
                third_party_author_description: t.translation.third_party_author_description,
                expire_text: t.translation.expire_text,
            })
            .chain(every_site)
            .collect();
        CookieEntry {
            source: EntrySource::Local { id: self.id },
            name: self.cookie.name,
            category: self.cookie.category,
            lifetime,
            is_third_party: self.cookie.is_third_party,
            third_party_author: self.cookie.third_party_author,
            texts,
        }
    }
}

/// Why a change to the shop-local registry was refused.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RegistryError {
    /// A field holds something the registry does not take.
    #[error("{0}")]
    Invalid(#[from] InvalidEntry),
    /// No cookie (or translation) with that id.
    #[error("no such cookie or translation")]
    NotFound,
    /// The translation for that site exists already.
    #[error("cookie {id} already has a translation for site {site_id}; update it with PUT")]
    Conflict {
        /// The cookie.
        id: i64,
        /// The site.
        site_id: i32,
    },
    /// The registry was built without a database ([`CookieRegistry::native`](super::CookieRegistry::native)).
    #[error("this cookie registry has no database; build it with CookieRegistry::load")]
    NoStore,
    /// The database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for RegistryError {
    fn from(error: sqlx::Error) -> Self {
        match &error {
            sqlx::Error::Database(db) if db.is_foreign_key_violation() => RegistryError::NotFound,
            _ => RegistryError::Store(StoreError::Database(error)),
        }
    }
}

pub(super) type CookieRow = (
    i64,
    String,
    String,
    i64,
    bool,
    bool,
    bool,
    String,
    String,
    String,
);
pub(super) type TranslationRow = (i64, i32, String, String, String, String);

/// The columns of a [`CookieRow`].
pub(super) const SELECT_COOKIES: &str = "SELECT id, name, category, expire_secs, renewed, \
    permanent, is_third_party, third_party_author, description, description_da FROM cookie_details";

/// The columns of a [`TranslationRow`].
pub(super) const SELECT_TRANSLATIONS: &str = "SELECT cookie_id, site_id, locale, description, \
    third_party_author_description, expire_text FROM cookie_detail_translations";

/// A translation row (its cookie id left to the caller).
pub(super) fn translation_of(
    (_, site_id, locale, description, author_description, expire_text): TranslationRow,
) -> SiteTranslation {
    SiteTranslation {
        site_id,
        translation: CookieTranslation {
            locale,
            description,
            third_party_author_description: author_description,
            expire_text,
        },
    }
}

/// Every shop-local cookie with its translations, by id.
pub(super) async fn load(store: &Store) -> Result<Vec<LocalCookie>, StoreError> {
    let (cookies, translations): (Vec<CookieRow>, Vec<TranslationRow>) = with_pool!(store, pool => {
        let cookies = sqlx::query_as(&format!("{SELECT_COOKIES} ORDER BY id"))
            .fetch_all(pool)
            .await?;
        let translations =
            sqlx::query_as(&format!("{SELECT_TRANSLATIONS} ORDER BY cookie_id, site_id"))
                .fetch_all(pool)
                .await?;
        (cookies, translations)
    });
    let mut by_cookie: HashMap<i64, Vec<SiteTranslation>> = HashMap::new();
    for row in translations {
        by_cookie
            .entry(row.0)
            .or_default()
            .push(translation_of(row));
    }
    cookies
        .into_iter()
        .map(|row| {
            let id = row.0;
            Ok(LocalCookie {
                id,
                cookie: cookie_of(row)?,
                translations: by_cookie.remove(&id).unwrap_or_default(),
            })
        })
        .collect()
}

pub(super) fn cookie_of(
    (
        id,
        name,
        category,
        secs,
        renewed,
        permanent,
        is_third_party,
        author,
        description,
        description_da,
    ): CookieRow,
) -> Result<NewCookie, StoreError> {
    let corrupt = |reason: String| StoreError::Corrupt {
        table: "cookie_details",
        reason: format!("row {id}: {reason}"),
    };
    let lifetime = match (permanent, u64::try_from(secs)) {
        (true, _) => Lifetime::Permanent,
        (false, Ok(secs)) if secs <= Lifetime::MAX_SECS => Lifetime::seconds(secs),
        (false, _) => return Err(corrupt(format!("expire_secs {secs}"))),
    };
    let category = category
        .parse()
        .map_err(|e: crate::UnknownCategory| corrupt(e.to_string()))?;
    let cookie = NewCookie {
        is_third_party,
        third_party_author: author,
        description,
        description_da,
        ..NewCookie::new(name, category)
    };
    Ok(cookie.with_lifetime(if renewed {
        lifetime.renewed()
    } else {
        lifetime
    }))
}

/// The lifetime columns of `cookie`: seconds (0 for a session cookie), renewed, permanent, and
/// WS8's days (rounded up). `cookie` was checked.
pub(super) fn lifetime_columns(cookie: &NewCookie) -> (i64, bool, bool, i32) {
    let lifetime = cookie.lifetime().unwrap_or(Lifetime::Session);
    let secs = match lifetime {
        Lifetime::For { secs, .. } => i64::try_from(secs).unwrap_or(i64::MAX),
        Lifetime::Session | Lifetime::Permanent => 0,
    };
    (
        secs,
        matches!(lifetime, Lifetime::For { renewed: true, .. }),
        lifetime == Lifetime::Permanent,
        i32::try_from(lifetime.expire_days()).unwrap_or(i32::MAX),
    )
}

/// Entries of the merged registry made from the shop-local cookies.
pub(super) fn entries(local: Vec<LocalCookie>) -> Vec<CookieEntry> {
    local.into_iter().map(LocalCookie::into_entry).collect()
}
