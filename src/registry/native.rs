//! The native registry: cookies the crate knows without the shop saying anything, shipped
//! as data (`native-cookies.json`): the crate's own and common third-party ones.

use std::{collections::BTreeMap, sync::LazyLock};

use serde::Deserialize;

use super::{
    Lifetime,
    entry::{CookieEntry, CookieText, EntrySource},
};
use crate::Category;

/// One entry of `native-cookies.json`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NativeRow {
    name: String,
    category: Category,
    /// Whole days; 0 for a session cookie.
    #[serde(default)]
    expire_days: u32,
    /// Seconds, for lifetimes that are not whole days (instead of `expire_days`).
    #[serde(default)]
    expire_secs: Option<u64>,
    /// Counted from the last visit.
    #[serde(default)]
    renewed: bool,
    /// For good.
    #[serde(default)]
    permanent: bool,
    #[serde(default)]
    is_third_party: bool,
    #[serde(default)]
    third_party_author: String,
    /// Description per language; English is the default.
    description: BTreeMap<String, String>,
}

static NATIVE: LazyLock<Vec<CookieEntry>> = LazyLock::new(|| {
    let rows: Vec<NativeRow> = serde_json::from_str(include_str!("native-cookies.json"))
        // Checked by the `native_data_is_valid` test on every build of the crate.
        .expect("native-cookies.json is valid");
    rows.into_iter()
        .map(|row| CookieEntry {
            source: EntrySource::Native,
            name: row.name,
            category: row.category,
            lifetime: {
                let lifetime = match (row.permanent, row.expire_secs) {
                    (true, _) => Lifetime::Permanent,
                    (false, Some(secs)) => Lifetime::seconds(secs),
                    (false, None) => Lifetime::days(row.expire_days),
                };
                if row.renewed {
                    lifetime.renewed()
                } else {
                    lifetime
                }
            },
            is_third_party: row.is_third_party,
            third_party_author: row.third_party_author,
            texts: row
                .description
                .into_iter()
                .map(|(locale, description)| CookieText {
                    site_id: None,
                    locale,
                    description,
                    ..CookieText::default()
                })
                .collect(),
        })
        .collect()
});

/// The native entries shipped with the crate.
pub(crate) fn native_entries() -> &'static [CookieEntry] {
    &NATIVE
}

/// The entry of the consent cookie itself, under the name and lifetime the shop configured.
pub(crate) fn consent_cookie_entry(name: &str, lifetime_days: u32) -> CookieEntry {
    own_entry(
        name,
        Category::System,
        Lifetime::days(lifetime_days),
        [
            "Remembers your cookie choices, signed by the shop so that nobody else can \
             change them.",
            "Husker dine cookievalg, signeret af butikken, så ingen andre kan ændre dem.",
        ],
    )
}

/// An entry for a cookie the crate itself writes, with its English and Danish text.
#[cfg_attr(not(feature = "tracking"), allow(dead_code))]
pub(crate) fn own_entry(
    name: &str,
    category: Category,
    lifetime: Lifetime,
    [english, danish]: [&str; 2],
) -> CookieEntry {
    let text = |locale: &str, description: &str| CookieText {
        site_id: None,
        locale: locale.to_owned(),
        description: description.to_owned(),
        ..CookieText::default()
    };
    CookieEntry {
        source: EntrySource::Native,
        name: name.to_owned(),
        category,
        lifetime,
        is_third_party: false,
        third_party_author: String::new(),
        texts: vec![text("en", english), text("da", danish)],
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;
    use crate::registry::entry::{check_cookie_name, check_text};

    #[test]
    fn native_data_is_valid() {
        let entries = native_entries();
        assert!(entries.len() >= 20, "{}", entries.len());
        let mut names = HashSet::new();
        for entry in entries {
            check_cookie_name(&entry.name).unwrap();
            assert!(
                entry.lifetime.as_secs() <= Lifetime::MAX_SECS
                    || entry.lifetime == Lifetime::Permanent,
                "{}",
                entry.name
            );
            assert!(names.insert(&entry.name), "{} twice", entry.name);
            assert_eq!(
                entry.is_third_party,
                !entry.third_party_author.is_empty(),
                "{}",
                entry.name
            );
            // Described at least in the languages of the shops' biggest European markets.
            for language in [
                "en", "de", "fr", "es", "it", "nl", "sv", "da", "nb", "fi", "pl",
            ] {
                let text = entry.texts.iter().find(|t| t.locale == language);
                let text = text.unwrap_or_else(|| panic!("{} has no {language} text", entry.name));
                check_text(
                    "description",
                    &text.description,
                    CookieEntry::MAX_DESCRIPTION_LEN,
                )
                .unwrap();
                assert!(!text.description.is_empty());
            }
        }
    }

    /// Lifetimes that are not whole days are stated as they are.
    #[test]
    fn lifetimes_shorter_than_a_day_are_kept() {
        let lifetime = |name: &str| {
            native_entries()
                .iter()
                .find(|entry| entry.name == name)
                .unwrap()
                .lifetime
        };
        assert_eq!(lifetime("_gat"), Lifetime::seconds(60));
        assert_eq!(lifetime("cems"), Lifetime::seconds(1200).renewed());
        assert_eq!(lifetime("cemv"), Lifetime::days(365).renewed());
        assert_eq!(lifetime("dwsid"), Lifetime::Session);
    }

    /// A shop moving from Salesforce Commerce Cloud (SFCC) keeps its platform's cookies
    /// described, in the categories and lifetimes SFCC documents for them.
    #[test]
    fn salesforce_commerce_cloud_cookies_are_known() {
        let snapshot = crate::registry::RegistrySnapshot::merge(&[], &[], Default::default());
        for (cookie, category) in [
            ("dwsid", Category::System),
            ("dwsecuretoken_a1b2c3", Category::System),
            ("dwanonymous_4f9c2a", Category::System),
            ("dw_dnt_RefArch", Category::Functional),
            ("dwac_bcXy1ZaaAkEr", Category::Functional),
            ("__cq_uuid", Category::Functional),
            ("__cq_seg", Category::Functional),
            ("__cq_recoUUID", Category::Functional),
        ] {
            let found: Vec<_> = snapshot.lookup(cookie).collect();
            assert_eq!(found.len(), 1, "{cookie}");
            assert_eq!(found[0].category, category, "{cookie}");
        }
    }
}
