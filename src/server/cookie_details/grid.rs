//! Which rows the grid shows for a request.

use crate::{Category, registry::CookieEntry, registry::EntrySource, registry::RegistrySnapshot};

/// The rows of the grid: registry entries by category, and cookies nothing matches.
#[derive(Debug)]
pub(crate) struct GridRows<'s, 'n> {
    /// Entries in [`Category::ALL`] order, each list sorted by name.
    pub(crate) known: [Vec<&'s CookieEntry>; 4],
    /// Present cookies the registry does not know, sorted, each once.
    pub(crate) unknown: Vec<&'n str>,
}

/// The rows for a request that carries (or whose page reads) the cookies `present`: every
/// shop-local entry, the native entries that match a present cookie, and every present
/// cookie that matches nothing.
pub(crate) fn select<'s, 'n>(
    snapshot: &'s RegistrySnapshot,
    present: &[&'n str],
) -> GridRows<'s, 'n> {
    let entries = snapshot.entries();
    let mut shown: Vec<bool> = entries
        .iter()
        .map(|entry| matches!(entry.source, EntrySource::Local { .. }))
        .collect();
    let mut unknown = Vec::new();
    for &name in present {
        let mut matched = false;
        for position in snapshot.positions(name) {
            matched = true;
            shown[position] = true;
        }
        if !matched {
            unknown.push(name);
        }
    }
    unknown.sort_unstable();
    unknown.dedup();
    let mut known: [Vec<&CookieEntry>; 4] = Default::default();
    for (entry, _) in entries.iter().zip(&shown).filter(|(_, shown)| **shown) {
        let slot = Category::ALL
            .iter()
            .position(|c| *c == entry.category)
            .unwrap_or_default();
        known[slot].push(entry);
    }
    for list in &mut known {
        list.sort_by(|a, b| a.name.cmp(&b.name));
    }
    GridRows { known, unknown }
}
