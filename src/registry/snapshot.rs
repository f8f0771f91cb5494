//! The merged registry at one moment, indexed for matching cookie names, with its
//! fingerprint.

use std::sync::atomic::{AtomicU64, Ordering};

use sha2::{Digest, Sha256};

use super::{
    CookieEntry, native,
    pattern::{Matched, NameIndex},
};
use crate::server::PolicyFingerprint;

/// The merged registry at one moment: shop-local entries, then the native ones they do not
/// replace, indexed for matching cookie names.
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
    pub(crate) fn merge(local: &[CookieEntry], own: &[CookieEntry]) -> Self {
        let replaced = |name: &str| local.iter().any(|entry| entry.name == name);
        let entries: Vec<CookieEntry> = local
            .iter()
            .cloned()
            .chain(
                own.iter()
                    .chain(native::native_entries())
                    .filter(|entry| !replaced(&entry.name))
                    .cloned(),
            )
            .collect();
        let index = NameIndex::new(entries.iter().map(|entry| entry.name.as_str()));
        let fingerprint = fingerprint(&entries);
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

    /// The fingerprint of the registry: every entry's name, category, lifetime and third
    /// party (not the descriptions: rewording one does not ask shoppers again). The policy's
    /// fingerprint ([`ConsentConfig::fingerprint`](crate::ConsentConfig::fingerprint))
    /// extends it.
    pub fn fingerprint(&self) -> PolicyFingerprint {
        self.fingerprint
    }

    /// This snapshot's number, unique in the process.
    pub(crate) fn generation(&self) -> u64 {
        self.generation
    }
}

fn fingerprint(entries: &[CookieEntry]) -> PolicyFingerprint {
    let mut facts: Vec<String> = entries
        .iter()
        .map(|e| {
            format!(
                "{}\u{1f}{}\u{1f}{}\u{1f}{}\u{1f}{}",
                e.name, e.category, e.expire_days, e.is_third_party, e.third_party_author
            )
        })
        .collect();
    facts.sort_unstable();
    let mut hasher = Sha256::new();
    hasher.update("leptos-consent registry v1");
    for fact in facts {
        hasher.update((fact.len() as u64).to_le_bytes());
        hasher.update(fact);
    }
    PolicyFingerprint::from_digest(&hasher.finalize())
}
