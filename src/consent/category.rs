//! Consent categories and sets of them.

use std::{fmt, str::FromStr};

use serde::{Deserialize, Serialize};

/// A cookie category a shopper can allow or refuse.
///
/// The names follow the shop platforms' `CookieDetails.Category` enum and serialize in
/// lowercase (`"system"`, `"functional"`, `"statistics"`, `"tracking"`).
///
/// ```
/// use leptos_consent::Category;
///
/// assert_eq!("statistics".parse::<Category>(), Ok(Category::Statistics));
/// assert!(Category::System.is_essential());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "admin", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Category {
    /// Necessary for the shop to work (cart, session, the consent cookie itself). Always on.
    System,
    /// Remembers choices that make the shop nicer to use (language, recently viewed).
    Functional,
    /// Anonymous statistics about how the shop is used.
    Statistics,
    /// Tracking and marketing: advertising pixels, personalisation across sites.
    Tracking,
}

impl Category {
    /// Every category, in display order.
    pub const ALL: [Category; 4] = [
        Category::System,
        Category::Functional,
        Category::Statistics,
        Category::Tracking,
    ];

    /// The categories a shopper can choose (all but [`Category::System`]).
    pub const OPTIONAL: [Category; 3] = [
        Category::Functional,
        Category::Statistics,
        Category::Tracking,
    ];

    /// The lowercase name used in JSON, forms and CSS classes.
    pub const fn as_str(self) -> &'static str {
        match self {
            Category::System => "system",
            Category::Functional => "functional",
            Category::Statistics => "statistics",
            Category::Tracking => "tracking",
        }
    }

    /// Whether the category is always allowed (only [`Category::System`]).
    pub const fn is_essential(self) -> bool {
        matches!(self, Category::System)
    }

    const fn bit(self) -> u8 {
        match self {
            Category::System => 1,
            Category::Functional => 2,
            Category::Statistics => 4,
            Category::Tracking => 8,
        }
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The error of parsing a [`Category`] from a name that is none of the four.
///
/// ```
/// use leptos_consent::{Category, UnknownCategory};
///
/// assert_eq!("statistics".parse(), Ok(Category::Statistics));
/// assert_eq!("ads".parse::<Category>(), Err(UnknownCategory("ads".into())));
/// ```
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown cookie category {0:?} (expected system, functional, statistics or tracking)")]
pub struct UnknownCategory(pub String);

impl FromStr for Category {
    type Err = UnknownCategory;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Category::ALL
            .into_iter()
            .find(|c| c.as_str() == s)
            .ok_or_else(|| UnknownCategory(s.to_owned()))
    }
}

/// A set of [`Category`] values, stored as a bit set.
///
/// A set of granted categories always contains [`Category::System`]; use
/// [`CategorySet::essential`] as the starting point. Serializes as a list of names.
///
/// ```
/// use leptos_consent::{Category, CategorySet};
///
/// let granted = CategorySet::essential().with(Category::Statistics);
/// assert!(granted.contains(Category::System));
/// assert!(granted.contains(Category::Statistics));
/// assert!(!granted.contains(Category::Tracking));
/// assert_eq!(granted.denied().iter().collect::<Vec<_>>(), [Category::Functional, Category::Tracking]);
/// ```
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct CategorySet(u8);

impl CategorySet {
    const MASK: u8 = 0b1111;

    /// The empty set.
    pub const fn empty() -> Self {
        CategorySet(0)
    }

    /// Only the essential category ([`Category::System`]): what "Reject all" grants.
    pub const fn essential() -> Self {
        CategorySet(Category::System.bit())
    }

    /// All four categories: what "Accept all" grants.
    pub const fn all() -> Self {
        CategorySet(Self::MASK)
    }

    /// This set with `category` added.
    #[must_use]
    pub const fn with(self, category: Category) -> Self {
        CategorySet(self.0 | category.bit())
    }

    /// This set with `category` removed.
    #[must_use]
    pub const fn without(self, category: Category) -> Self {
        CategorySet(self.0 & !category.bit())
    }

    /// Whether `category` is in the set.
    pub const fn contains(self, category: Category) -> bool {
        self.0 & category.bit() != 0
    }

    /// The categories of [`Category::ALL`] that are not in this set.
    pub const fn denied(self) -> Self {
        CategorySet(!self.0 & Self::MASK)
    }

    /// The categories in the set, in display order.
    pub fn iter(self) -> impl Iterator<Item = Category> {
        Category::ALL.into_iter().filter(move |c| self.contains(*c))
    }

    /// The compact bit representation (system = 1, functional = 2, statistics = 4,
    /// tracking = 8).
    pub const fn bits(self) -> u8 {
        self.0
    }

    /// The set with these bits, or `None` when a bit names no category.
    pub const fn from_bits(bits: u8) -> Option<Self> {
        if bits & !Self::MASK == 0 {
            Some(CategorySet(bits))
        } else {
            None
        }
    }
}

impl fmt::Debug for CategorySet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.iter()).finish()
    }
}

impl fmt::Display for CategorySet {
    /// The names, comma-separated, in display order (`system,statistics`); empty for none.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, category) in self.iter().enumerate() {
            if i > 0 {
                f.write_str(",")?;
            }
            f.write_str(category.as_str())?;
        }
        Ok(())
    }
}

impl FromStr for CategorySet {
    type Err = UnknownCategory;

    /// Reads [`Display`](fmt::Display)'s form.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        s.split(',')
            .filter(|name| !name.is_empty())
            .map(str::parse::<Category>)
            .collect()
    }
}

impl FromIterator<Category> for CategorySet {
    fn from_iter<I: IntoIterator<Item = Category>>(iter: I) -> Self {
        iter.into_iter()
            .fold(CategorySet::empty(), CategorySet::with)
    }
}

impl Serialize for CategorySet {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

impl<'de> Deserialize<'de> for CategorySet {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(Vec::<Category>::deserialize(deserializer)?
            .into_iter()
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for c in Category::ALL {
            assert_eq!(c.as_str().parse::<Category>(), Ok(c));
        }
        assert!("Tracking".parse::<Category>().is_err());
        assert!("marketing".parse::<Category>().is_err());
    }

    #[test]
    fn bits_reject_unknown() {
        assert_eq!(
            CategorySet::from_bits(0b1001),
            Some(CategorySet::essential().with(Category::Tracking))
        );
        assert_eq!(CategorySet::from_bits(0b1_0000), None);
    }

    #[test]
    fn lists_round_trip() {
        for bits in 0..16 {
            let set = CategorySet::from_bits(bits).unwrap();
            assert_eq!(set.to_string().parse::<CategorySet>(), Ok(set));
        }
        assert_eq!(
            CategorySet::essential()
                .with(Category::Tracking)
                .to_string(),
            "system,tracking"
        );
        assert!("system,cookies".parse::<CategorySet>().is_err());
    }

    #[test]
    fn denied_is_the_complement() {
        let s = CategorySet::essential().with(Category::Functional);
        assert_eq!(
            s.denied(),
            CategorySet::all()
                .without(Category::System)
                .without(Category::Functional)
        );
        assert_eq!(CategorySet::all().denied(), CategorySet::empty());
    }
}
