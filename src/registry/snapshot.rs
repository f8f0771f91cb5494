//! The merged registry at one moment, indexed for matching cookie names, with its
//! fingerprint.

use std::{
    collections::{BTreeMap, BTreeSet},
    sync::atomic::{AtomicU64, Ordering},
};

use sha2::{Digest, Sha256};

use super::{
    CookieEntry, Lifetime, native,
    pattern::{Matched, NameIndex},
};
use crate::{Category, server::PolicyFingerprint};

/// Which changes of the registry ask every shopper again (its part of the policy
/// fingerprint). Set with [`CookieRegistry::reasking_on`](super::CookieRegistry::reasking_on).
///
/// ```
/// use leptos_consent::registry::{CookieRegistry, Reask};
///
/// let strict = CookieRegistry::native().reasking_on(Reask::AnyChange);
/// assert_ne!(
///     strict.snapshot().fingerprint(),
///     CookieRegistry::native().snapshot().fingerprint(),
/// );
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Reask {
    /// Changes that matter to a consent (the default): in a category that needs consent, a
    /// cookie more or fewer, a third party that was not there, or a different longest
    /// lifetime. Renaming a cookie, rewording any text, and every change of essential
    /// (`system`) cookies do not ask again. (A removal does: a fingerprint cannot tell it
    /// from the addition it undoes.)
    #[default]
    MaterialChanges,
    /// Any change of any entry's name, category, lifetime or third party, essential cookies
    /// included (texts still do not count).
    AnyChange,
}

/// The merged registry at one moment: shop-local entries, the crate's own cookies as
/// configured, then the native ones neither replaces (one entry per name across the
/// sources), indexed for matching cookie names.
#[derive(Debug)]
pub struct RegistrySnapshot {
    entries: Vec<CookieEntry>,
    index: NameIndex,
    fingerprint: PolicyFingerprint,
    generation: u64,
}

/// Numbers the snapshots of every registry of the process, so that a fingerprint derived
/// from one can be cached until the next.
static GENERATIONS: AtomicU64 = AtomicU64::new(0);

impl RegistrySnapshot {
    /// One registry from three sources; for each name the first that has it wins: the
    /// crate's own cookies as the shop configured them (`own`: the consent cookie, the
    /// tracking ids in the category their configuration gives them), then the shop-local
    /// entries, then the native ones. Shop-local entries come first in the result.
    pub(crate) fn merge(local: &[CookieEntry], own: &[CookieEntry], reask: Reask) -> Self {
        let owned = |name: &str| own.iter().any(|entry| entry.name == name);
        let local_named = |name: &str| local.iter().any(|entry| entry.name == name);
        let entries: Vec<CookieEntry> = local
            .iter()
            .filter(|entry| !owned(&entry.name))
            .chain(own)
            .chain(
                native::native_entries()
                    .iter()
                    .filter(|entry| !owned(&entry.name) && !local_named(&entry.name)),
            )
            .cloned()
            .collect();
        let index = NameIndex::new(entries.iter().map(|entry| entry.name.as_str()));
        let fingerprint = fingerprint(&entries, reask);
        RegistrySnapshot {
            entries,
            index,
            fingerprint,
            generation: GENERATIONS.fetch_add(1, Ordering::Relaxed),
        }
    }

    /// Every entry: shop-local ones first.
    pub fn entries(&self) -> &[CookieEntry] {
        &self.entries
    }

    /// The entries a cookie called `cookie_name` matches: every entry of exactly that name,
    /// else the most specific pattern (`_ga_*`). None: an unknown cookie.
    pub fn lookup<'s>(
        &'s self,
        cookie_name: &str,
    ) -> impl Iterator<Item = &'s CookieEntry> + use<'s> {
        self.positions(cookie_name)
            .map(move |position| &self.entries[position])
    }

    /// Where in [`entries`](Self::entries) the matches of [`lookup`](Self::lookup) are.
    pub(crate) fn positions<'s>(
        &'s self,
        cookie_name: &str,
    ) -> impl Iterator<Item = usize> + use<'s> {
        let (exact, wildcard): (&[usize], Option<usize>) = match self.index.find(cookie_name) {
            Matched::Exact(positions) => (positions, None),
            Matched::Wildcard(position) => (&[], Some(position)),
            Matched::Nothing => (&[], None),
        };
        exact.iter().copied().chain(wildcard)
    }

    /// The fingerprint of the registry: what of it a change asks shoppers again for (see
    /// [`Reask`]; never the descriptions). The policy's fingerprint
    /// ([`ConsentConfig::fingerprint`](crate::ConsentConfig::fingerprint)) extends it.
    pub fn fingerprint(&self) -> PolicyFingerprint {
        self.fingerprint
    }

    /// This snapshot's number, unique in the process.
    pub(crate) fn generation(&self) -> u64 {
        self.generation
    }
}

fn fingerprint(entries: &[CookieEntry], reask: Reask) -> PolicyFingerprint {
    let (version, mut facts) = match reask {
        Reask::AnyChange => ("leptos-consent registry v1", every_fact(entries)),
        Reask::MaterialChanges => (
            "leptos-consent registry material v1",
            material_facts(entries),
        ),
    };
    facts.sort_unstable();
    let mut hasher = Sha256::new();
    hasher.update(version);
    for fact in facts {
        hasher.update((fact.len() as u64).to_le_bytes());
        hasher.update(fact);
    }
    PolicyFingerprint::from_digest(&hasher.finalize())
}

/// Every entry's name, category, lifetime and third party.
fn every_fact(entries: &[CookieEntry]) -> Vec<String> {
    entries
        .iter()
        .map(|e| {
            format!(
                "{}\u{1f}{}\u{1f}{}\u{1f}{}\u{1f}{}",
                e.name, e.category, e.lifetime, e.is_third_party, e.third_party_author
            )
        })
        .collect()
}

/// Per category that needs consent: how many cookies, the longest lifetime, and the third
/// parties.
fn material_facts(entries: &[CookieEntry]) -> Vec<String> {
    let mut categories: BTreeMap<Category, (usize, Lifetime, BTreeSet<&str>)> = BTreeMap::new();
    for entry in entries.iter().filter(|e| !e.category.is_essential()) {
        let (count, longest, parties) =
            categories
                .entry(entry.category)
                .or_insert((0, Lifetime::Session, BTreeSet::new()));
        *count += 1;
        *longest = (*longest).max(entry.lifetime);
        if entry.is_third_party {
            parties.insert(&entry.third_party_author);
        }
    }
    categories
        .into_iter()
        .map(|(category, (count, longest, parties))| {
            let parties: Vec<&str> = parties.into_iter().collect();
            format!(
                "{category}\u{1f}{count}\u{1f}{longest}\u{1f}{}",
                parties.join("\u{1e}")
            )
        })
        .collect()
}
