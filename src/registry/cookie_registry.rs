//! [`CookieRegistry`]: the native registry, merged with the shop-local one in the store
//! (feature `registry`), cached per process.

use std::{
    sync::{Arc, RwLock, atomic::AtomicBool},
    time::{Duration, Instant},
};

#[cfg(feature = "registry")]
use super::local;
use super::{CookieEntry, Reask, RegistrySnapshot};
#[cfg(feature = "registry")]
use crate::store::{Store, StoreError};
#[cfg(feature = "registry")]
use std::sync::atomic::Ordering;

/// Where the shop-local entries come from: the store, with the `registry` feature.
#[cfg(feature = "registry")]
type LocalSource = Store;
/// Without the `registry` feature there is no shop-local part.
#[cfg(not(feature = "registry"))]
type LocalSource = std::convert::Infallible;

/// The shop's cookie registry, native and shop-local entries merged, cached per process.
/// Cheap to clone (clones share the cache).
///
/// ```no_run
/// # #[cfg(all(feature = "registry", feature = "sqlite"))] mod doc {
/// use std::time::Duration;
/// use leptos_consent::{registry::CookieRegistry, store::Store};
///
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// let store = Store::connect("sqlite://data/shop.db").await?;
/// let registry = CookieRegistry::load(store, Duration::from_secs(120)).await?;
/// assert!(registry.snapshot().lookup("_ga_K4Z2Q").next().is_some());
/// # Ok(()) }
/// # }
/// ```
#[derive(Clone, Debug)]
pub struct CookieRegistry {
    pub(super) inner: Arc<Inner>,
}

impl CookieRegistry {
    /// How long registry reads are cached by default: two minutes.
    pub const DEFAULT_CACHE: Duration = Duration::from_secs(120);
}

#[derive(Debug)]
pub(super) struct Inner {
    pub(super) store: Option<LocalSource>,
    cache_for: Duration,
    state: RwLock<Cached>,
    /// Whether a reload is under way (only the store has anything to reload).
    #[cfg_attr(not(feature = "registry"), allow(dead_code))]
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
    /// Which changes ask shoppers again.
    reask: Reask,
    fresh_until: Option<Instant>,
}

impl CookieRegistry {
    /// The native registry alone, without a database: nothing to cache, nothing to edit.
    pub fn native() -> Self {
        Self::with(None, Duration::MAX, Vec::new())
    }

    /// The native registry merged with the shop-local one in `store`, cached for
    /// `cache_for` ([`CookieRegistry::DEFAULT_CACHE`] is two minutes). Loads it once now, so that
    /// the first pages have it. Feature `registry`.
    #[cfg(feature = "registry")]
    pub async fn load(store: Store, cache_for: Duration) -> Result<Self, StoreError> {
        let local = local::entries(local::load(&store).await?);
        Ok(Self::with(Some(store), cache_for, local))
    }

    fn with(store: Option<LocalSource>, cache_for: Duration, local: Vec<CookieEntry>) -> Self {
        let local = Arc::new(local);
        let own = Arc::new(Vec::new());
        let reask = Reask::default();
        let snapshot = Arc::new(RegistrySnapshot::merge(&local, &own, reask));
        let registry = CookieRegistry {
            inner: Arc::new(Inner {
                state: RwLock::new(Cached {
                    snapshot,
                    local,
                    own,
                    reask,
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
        if stale {
            self.reload_in_background();
        }
        snapshot
    }

    /// Starts a reload of the shop-local entries, unless one is under way.
    fn reload_in_background(&self) {
        #[cfg(feature = "registry")]
        if self.inner.store.is_some()
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
    }

    /// Reads the shop-local registry from the database now. Feature `registry`.
    #[cfg(feature = "registry")]
    pub async fn reload(&self) -> Result<(), StoreError> {
        let Some(store) = &self.inner.store else {
            return Ok(());
        };
        let local = Arc::new(local::entries(local::load(store).await?));
        let mut state = self.inner.state.write().unwrap_or_else(|e| e.into_inner());
        state.snapshot = Arc::new(RegistrySnapshot::merge(&local, &state.own, state.reask));
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
        state.snapshot = Arc::new(RegistrySnapshot::merge(
            &state.local,
            &state.own,
            state.reask,
        ));
    }

    /// Which changes of the registry ask every shopper again (default
    /// [`Reask::MaterialChanges`]). Set it before the registry goes to a
    /// [`ConsentConfig`](crate::ConsentConfig).
    pub fn reasking_on(self, reask: Reask) -> Self {
        {
            let mut state = self.inner.state.write().unwrap_or_else(|e| e.into_inner());
            state.reask = reask;
            state.snapshot = Arc::new(RegistrySnapshot::merge(&state.local, &state.own, reask));
        }
        self
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
