//! The cookie registry: what the shop's cookies are for, who sets them and how long they
//! live, shown in the cookie details grid.
//!
//! Two sources are merged: the native registry shipped with the crate (its own cookies and
//! common third-party ones) and the shop-local registry in the [`Store`](crate::store::Store), where a shop (or an
//! installed app) adds entries per site through the admin API. A local entry with a native
//! entry's name replaces it. The merged registry is part of the policy fingerprint: by
//! default a cookie more in a category that needs consent, a new third party or a longer
//! lifetime asks shoppers again, while renames, rewordings and essential cookies do not
//! ([`Reask`]).
//!
//! Reads from the database are cached per process (two minutes by default): a request never
//! waits for the database; when the cache is stale, the first request after that starts a
//! reload in the background and is served what was loaded before.

mod cookie_registry;
#[cfg(feature = "registry")]
mod editing;
mod entry;
mod lifetime;
#[cfg(feature = "registry")]
mod local;
mod native;
pub(crate) mod pattern;
mod snapshot;

pub use cookie_registry::CookieRegistry;
pub use entry::{CookieEntry, CookieText, EntrySource, InvalidEntry};
pub use lifetime::Lifetime;
#[cfg(feature = "registry")]
pub use local::{CookieTranslation, LocalCookie, NewCookie, RegistryError, SiteTranslation};
pub(crate) use native::consent_cookie_entry;
#[cfg(feature = "tracking")]
pub(crate) use native::own_entry;
pub use snapshot::{Reask, RegistrySnapshot};
