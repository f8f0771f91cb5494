//! Services: the tools a shop runs under a category ("Google Analytics 4" under statistics,
//! "Meta pixel" under marketing), each of which shoppers may allow on its own.
//!
//! A shop that declares none sees no change. Once it declares some, the customize panel lists
//! them under their categories with their own toggles (a category's toggle sets all of its
//! services), the decision carries the services refused within allowed categories, and
//! scripts can be gated per service.

use serde::{Deserialize, Serialize};

use crate::Category;
#[cfg(feature = "ssr")]
use crate::CategorySet;

/// A tool the shop runs under one category, which shoppers may allow on its own.
///
/// ```
/// use leptos_consent::{Category, Service};
///
/// let ga4 = Service::new("ga4", "Google Analytics 4", Category::Statistics)
///     .with_cookies(["_ga", "_ga_*"]);
/// assert_eq!(ga4.category, Category::Statistics);
/// assert!(Service::new("GA 4!", "Google Analytics 4", Category::Statistics).check().is_err());
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Service {
    /// Its id: 1 to 32 of `a-z 0-9 _ -`. Forms, the consent log, the `cpc-service-<id>` class
    /// of gated scripts and `window.CookiePolicy.services` name it so.
    pub id: String,
    /// Its name as shoppers know it ("Google Analytics 4").
    pub name: String,
    /// The category it belongs to.
    pub category: Category,
    /// The cookies it sets (registry names, `*` for a random part); expired when the shopper
    /// refuses it. Known on the server only.
    #[serde(default)]
    pub cookies: Vec<String>,
}

impl Service {
    /// The longest id.
    pub const MAX_ID_LEN: usize = 32;

    /// A service with its id, name and category.
    pub fn new(id: impl Into<String>, name: impl Into<String>, category: Category) -> Self {
        Service {
            id: id.into(),
            name: name.into(),
            category,
            cookies: Vec::new(),
        }
    }

    /// With the names of the cookies it sets.
    pub fn with_cookies<S: Into<String>>(mut self, cookies: impl IntoIterator<Item = S>) -> Self {
        self.cookies = cookies.into_iter().map(Into::into).collect();
        self
    }

    /// `Ok` when its id and name are usable; otherwise what is wrong.
    pub fn check(&self) -> Result<(), String> {
        let id_ok = (1..=Self::MAX_ID_LEN).contains(&self.id.len())
            && self
                .id
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-');
        if !id_ok {
            return Err(format!(
                "service id {:?}: use 1 to {} of a-z, 0-9, '_' and '-'",
                self.id,
                Self::MAX_ID_LEN
            ));
        }
        if self.name.trim().is_empty()
            || self.name.len() > 100
            || self.name.chars().any(char::is_control)
        {
            return Err(format!(
                "service {:?}: a name of 1 to 100 bytes, without control characters",
                self.id
            ));
        }
        Ok(())
    }
}

/// A set of the shop's services, by their place in its declaration (at most
/// [`ServiceSet::MAX`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ServiceSet(u32);

impl ServiceSet {
    /// The most services a shop can declare.
    pub const MAX: usize = 32;

    /// The empty set.
    pub const fn empty() -> Self {
        ServiceSet(0)
    }

    /// With the service declared `index`-th (from 0); unchanged for an index past
    /// [`MAX`](Self::MAX).
    pub const fn with(self, index: usize) -> Self {
        if index < Self::MAX {
            ServiceSet(self.0 | 1 << index)
        } else {
            self
        }
    }

    /// Whether it holds the service declared `index`-th.
    pub const fn contains(self, index: usize) -> bool {
        index < Self::MAX && self.0 & (1 << index) != 0
    }

    /// Whether it holds none.
    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// Its bits (service `i` is bit `i`), for compact encodings.
    pub const fn bits(self) -> u32 {
        self.0
    }

    /// The set of `bits`.
    pub const fn from_bits(bits: u32) -> Self {
        ServiceSet(bits)
    }
}

/// Which of `services` a shopper allows, from what they ticked: a ticked category allows all
/// of its services; services ticked without their category allow that category with only
/// them. Returns the categories to grant (ticked ones and those of ticked services) and the
/// services refused within them. An unknown service id is the error.
#[cfg(feature = "ssr")]
pub(crate) fn ticked_services(
    services: &[Service],
    ticked: CategorySet,
    ticked_ids: &[&str],
) -> Result<(CategorySet, ServiceSet), String> {
    let mut chosen = ServiceSet::empty();
    for id in ticked_ids {
        let index = services
            .iter()
            .position(|service| service.id == *id)
            .ok_or_else(|| format!("unknown service {id:?}"))?;
        chosen = chosen.with(index);
    }
    let categories = services
        .iter()
        .enumerate()
        .filter(|(index, _)| chosen.contains(*index))
        .fold(ticked, |categories, (_, service)| {
            categories.with(service.category)
        });
    let refused = services
        .iter()
        .enumerate()
        .filter(|(index, service)| {
            categories.contains(service.category)
                && !ticked.contains(service.category)
                && !chosen.contains(*index)
        })
        .fold(ServiceSet::empty(), |set, (index, _)| set.with(index));
    Ok((categories, refused))
}

/// What a gate's offer (`add`) leaves: the `current` decision's optional categories joined
/// by the categories `added` (with `refused` within them, as [`ticked_services`] found),
/// and the services `current` refused kept refused, except in the categories added.
#[cfg(feature = "ssr")]
pub(crate) fn added_to(
    services: &[Service],
    current: &crate::ConsentDecision,
    added: CategorySet,
    refused: ServiceSet,
) -> (CategorySet, ServiceSet) {
    let categories = crate::Category::OPTIONAL
        .into_iter()
        .filter(|category| current.granted.contains(*category))
        .fold(added, CategorySet::with);
    let kept = services
        .iter()
        .enumerate()
        .filter(|(index, service)| {
            current.refused_services.contains(*index) && !added.contains(service.category)
        })
        .fold(refused, |set, (index, _)| set.with(index));
    (categories, kept)
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;

    fn services() -> [Service; 3] {
        [
            Service::new("ga4", "Google Analytics 4", Category::Statistics),
            Service::new("hotjar", "Hotjar", Category::Statistics),
            Service::new("meta", "Meta pixel", Category::Tracking),
        ]
    }

    #[test]
    fn a_category_allows_all_its_services_and_a_service_its_category() {
        let statistics = CategorySet::empty().with(Category::Statistics);
        // Only Hotjar: statistics with Google Analytics refused; marketing stays off.
        let (granted, refused) =
            ticked_services(&services(), CategorySet::empty(), &["hotjar"]).unwrap();
        assert_eq!(granted, statistics);
        assert_eq!(refused, ServiceSet::empty().with(0));
        // The category ticked: all of its services, whatever else is ticked.
        let (granted, refused) = ticked_services(&services(), statistics, &["hotjar"]).unwrap();
        assert_eq!((granted, refused), (statistics, ServiceSet::empty()));
        // Nothing ticked: nothing granted, nothing to refuse.
        let (granted, refused) = ticked_services(&services(), CategorySet::empty(), &[]).unwrap();
        assert_eq!(
            (granted, refused),
            (CategorySet::empty(), ServiceSet::empty())
        );
        assert!(ticked_services(&services(), statistics, &["tiktok"]).is_err());
    }

    #[test]
    fn an_added_category_keeps_the_rest_of_the_decision() {
        // Statistics allowed without Google Analytics; the gate adds marketing.
        let current = crate::ConsentDecision {
            consent_id: uuid::Uuid::nil(),
            granted: CategorySet::essential().with(Category::Statistics),
            action: crate::ConsentAction::Custom,
            decided_at: 0,
            refused_services: ServiceSet::empty().with(0),
        };
        let tracking = CategorySet::empty().with(Category::Tracking);
        let (granted, refused) = added_to(&services(), &current, tracking, ServiceSet::empty());
        assert_eq!(granted, tracking.with(Category::Statistics));
        assert_eq!(
            refused,
            ServiceSet::empty().with(0),
            "Google Analytics stays refused"
        );
        // Adding the category whose service was refused allows all of its services.
        let statistics = CategorySet::empty().with(Category::Statistics);
        let (granted, refused) = added_to(&services(), &current, statistics, ServiceSet::empty());
        assert_eq!((granted, refused), (statistics, ServiceSet::empty()));
    }

    #[test]
    fn ids_are_checked() {
        for bad in ["", "GA4", "ga 4", "ga4<", &"x".repeat(33)] {
            assert!(
                Service::new(bad, "A name", Category::Statistics)
                    .check()
                    .is_err(),
                "{bad:?}"
            );
        }
        for bad_name in [" ", "Google\nAnalytics", "GA\u{1e}4"] {
            assert!(
                Service::new("ga4", bad_name, Category::Statistics)
                    .check()
                    .is_err(),
                "{bad_name:?}"
            );
        }
        assert!(
            Service::new("ga_4-x", "GA", Category::Statistics)
                .check()
                .is_ok()
        );
    }
}
