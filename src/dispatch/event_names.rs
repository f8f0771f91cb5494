//! A provider's own names for event kinds.

use std::collections::BTreeMap;

use crate::EventKind;

/// The names a provider knows event kinds by, where they differ from the crate's
/// ([`EventKind::as_str`]).
#[derive(Clone, Debug, Default)]
pub(crate) struct EventNames(BTreeMap<EventKind, String>);

impl EventNames {
    /// The names of `pairs` (a kind named twice: the last name).
    pub(crate) fn new<I, S>(pairs: I) -> Self
    where
        I: IntoIterator<Item = (EventKind, S)>,
        S: Into<String>,
    {
        EventNames(pairs.into_iter().map(|(k, n)| (k, n.into())).collect())
    }

    /// The provider's name of `kind`, else the crate's.
    pub(crate) fn of<'a>(&'a self, kind: &'a EventKind) -> &'a str {
        self.0.get(kind).map_or(kind.as_str(), String::as_str)
    }

    /// The provider's name of `kind` where it differs from the crate's.
    pub(crate) fn renamed(&self, kind: &EventKind) -> Option<&str> {
        self.0.get(kind).map(String::as_str)
    }
}
