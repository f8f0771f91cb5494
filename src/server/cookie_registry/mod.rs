//! The cookie registry: what the shop's cookies are for, who sets them and how long they
//! live, shown in the cookie details grid.
//!
//! Two sources are merged: the native registry shipped with the crate (its own cookies and
//! common third-party ones) and the shop-local registry in the [`Store`], where a shop (or an
//! installed app) adds entries per site through the admin API. A local entry with a native
//! entry's name replaces it. The merged registry is part of the policy fingerprint: a new
//! cookie or a changed category asks shoppers again.
//!
//! Reads from the database are cached per process (two minutes by default): a request never
//! waits for the database; when the cache is stale, the first request after that starts a
//! reload in the background and is served what was loaded before.

mod entry;
mod local;
mod native;
mod pattern;

use std::{
    sync::{
        Arc, RwLock,
        atomic::{AtomicBool, AtomicU64, Ordering},
    },
    time::{Duration, Instant},
};

pub use entry::{
    CookieEntry, CookieText, EntrySource, InvalidEntry, MAX_AUTHOR_LEN, MAX_DESCRIPTION_LEN,
    MAX_EXPIRE_DAYS, MAX_EXPIRE_TEXT_LEN, MAX_LOCALE_LEN, MAX_NAME_LEN, check_cookie_name,
};
pub use local::{CookieTranslation, LocalCookie, NewCookie, RegistryError, SiteTranslation};
pub(crate) use native::{consent_cookie_entry, own_entry};
use pattern::{Matched, NameIndex};
use sha2::{Digest, Sha256};

use super::{
    fingerprint::PolicyFingerprint,
    store::{Store, StoreError},
};

/// How long registry reads are cached by default: two minutes.
pub const DEFAULT_REGISTRY_CACHE: Duration = Duration::from_secs(120);

/// The shop's cookie registry, native and shop-local entries merged, cached per process.
/// Cheap to clone (clones share the cache).
///
/// ```no_run
/// use std::time::Duration;
/// use leptos_consent::{CookieRegistry, Store};
///
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// let store = Store::connect("sqlite://data/shop.db").await?;
/// let registry = CookieRegistry::load(store, Duration::from_secs(120)).await?;
/// assert!(registry.snapshot().lookup("_ga_K4Z2Q").next().is_some());
/// # Ok(()) }
/// ```
#[derive(Clone, Debug)]
pub struct CookieRegistry {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    store: Option<Store>,
    cache_for: Duration,
    state: RwLock<Cached>,
    reloading: AtomicBool,
}

#[derive(Debug)]
struct Cached {
    snapshot: Arc<RegistrySnapshot>,
    /// The shop-local entries the snapshot was made from.
    local: Arc<Vec<CookieEntry>>,
    /// The crate's own cookies as the shop configured them (set by
    /// [`ConsentConfig`](crate::ConsentConfig)).
    own: Arc<Vec<CookieEntry>>,
    fresh_until: Option<Instant>,
}

impl CookieRegistry {
    /// The native registry alone, without a database: nothing to cache, nothing to edit.
    pub fn native() -> Self {
        Self::with(None, Duration::MAX, Vec::new())
    }

    /// The native registry merged with the shop-local one in `store`, cached for
    /// `cache_for` ([`DEFAULT_REGISTRY_CACHE`] is two minutes). Loads it once now, so that
    /// the first pages have it.
    pub async fn load(store: Store, cache_for: Duration) -> Result<Self, StoreError> {
        let local = local::entries(local::load(&store).await?);
        Ok(Self::with(Some(store), cache_for, local))
    }

    fn with(store: Option<Store>, cache_for: Duration, local: Vec<CookieEntry>) -> Self {
        let local = Arc::new(local);
        let own = Arc::new(Vec::new());
        let snapshot = Arc::new(RegistrySnapshot::merge(&local, &own));
        let registry = CookieRegistry {
            inner: Arc::new(Inner {
                state: RwLock::new(Cached {
                    snapshot,
                    local,
                    own,
                    fresh_until: None,
                }),
                store,
                cache_for,
                reloading: AtomicBool::new(false),
            }),
        };
        registry.mark_fresh();
        registry
    }

    /// The merged registry as cached. When the cache is stale, this starts a reload in the
    /// background (inside a Tokio runtime) and returns what it has.
    pub fn snapshot(&self) -> Arc<RegistrySnapshot> {
        let (snapshot, stale) = {
            let state = self.inner.state.read().unwrap_or_else(|e| e.into_inner());
            let stale = state
                .fresh_until
                .is_some_and(|until| Instant::now() >= until);
            (state.snapshot.clone(), stale)
        };
        if stale
            && self.inner.store.is_some()
            && let Ok(runtime) = tokio::runtime::Handle::try_current()
            && !self.inner.reloading.swap(true, Ordering::AcqRel)
        {
            let registry = self.clone();
            runtime.spawn(async move {
                if let Err(error) = registry.reload().await {
                    tracing::warn!(%error, "cookie registry reload failed; serving the last one loaded");
                    // Try again after another period, not on every request.
                    registry.mark_fresh();
                }
                registry.inner.reloading.store(false, Ordering::Release);
            });
        }
        snapshot
    }

    /// Reads the shop-local registry from the database now.
    pub async fn reload(&self) -> Result<(), StoreError> {
        let Some(store) = &self.inner.store else {
            return Ok(());
        };
        let local = Arc::new(local::entries(local::load(store).await?));
        let mut state = self.inner.state.write().unwrap_or_else(|e| e.into_inner());
        state.snapshot = Arc::new(RegistrySnapshot::merge(&local, &state.own));
        state.local = local;
        drop(state);
        self.mark_fresh();
        Ok(())
    }

    /// Adds the crate's own cookies as the shop configured them (the consent cookie's name
    /// and lifetime). With several configurations on one registry, the last one built wins.
    pub(crate) fn bind(&self, own: Vec<CookieEntry>) {
        let mut state = self.inner.state.write().unwrap_or_else(|e| e.into_inner());
        state.own = Arc::new(own);
        state.snapshot = Arc::new(RegistrySnapshot::merge(&state.local, &state.own));
    }

    fn mark_fresh(&self) {
        let until = Instant::now().checked_add(self.inner.cache_for);
        let mut state = self.inner.state.write().unwrap_or_else(|e| e.into_inner());
        state.fresh_until = until.filter(|_| self.inner.store.is_some());
    }

    /// Whether the registry has a database (a shop-local part).
    pub fn has_store(&self) -> bool {
        self.inner.store.is_some()
    }

    /// How long reads are cached.
    pub fn cache_for(&self) -> Duration {
        self.inner.cache_for
    }
}

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
