//! Expiring the cookies of categories the shopper does not (or no longer) allow.
//!
//! After every decision and on the `?ChangeCookiePolicyConsent=1` withdrawal, the server
//! answers with `Set-Cookie` headers that expire every cookie the request carries whose
//! registry entry is in a category that is not granted: host-only and on the registrable
//! domain (the Public Suffix List's eTLD+1, so `www.shop.co.uk` clears `shop.co.uk`, never
//! `co.uk`), `HttpOnly` cookies included, which no script could remove.

use http::{HeaderMap, HeaderValue};

use super::{
    ConsentConfig,
    cookies::{expire_every_variant, expire_everywhere},
    request::{MAX_COOKIE_NAMES, distinct_cookie_names},
};
use crate::{
    Category, CategorySet, ServiceSet,
    registry::pattern::{Matched, NameIndex},
};

impl ConsentConfig {
    /// `Set-Cookie` headers that expire the request's cookies of every category outside
    /// `granted` that the cookie registry knows (the consent cookie is left to the caller).
    ///
    /// ```
    /// use http::{HeaderMap, HeaderValue};
    /// use leptos_consent::{CategorySet, ConsentConfig};
    ///
    /// let config = ConsentConfig::builder().secret([7; 32]).build()?;
    /// let mut request = HeaderMap::new();
    /// request.insert("host", HeaderValue::from_static("www.shop.co.uk"));
    /// request.insert("cookie", HeaderValue::from_static("_ga=GA1.1; cart=3"));
    /// let expired = config.expire_cookies_outside(&request, CategorySet::essential());
    /// assert_eq!(expired.len(), 2); // _ga on the host and on shop.co.uk; not the cart
    /// assert!(expired[1].to_str().unwrap().contains("; Domain=shop.co.uk"));
    /// # Ok::<(), leptos_consent::ConfigError>(())
    /// ```
    pub fn expire_cookies_outside(
        &self,
        request: &HeaderMap,
        granted: CategorySet,
    ) -> Vec<HeaderValue> {
        self.expire_refused(request, granted, ServiceSet::empty())
    }

    /// [`expire_cookies_outside`](Self::expire_cookies_outside), and the cookies of the
    /// shop's services in `refused_services` (refused within a granted category).
    pub(crate) fn expire_refused(
        &self,
        request: &HeaderMap,
        granted: CategorySet,
        refused_services: ServiceSet,
    ) -> Vec<HeaderValue> {
        let snapshot = self.cookie_registry().snapshot();
        let of_refused_services = NameIndex::new(
            self.services()
                .iter()
                .enumerate()
                .filter(|(index, _)| refused_services.contains(*index))
                .flat_map(|(_, service)| service.cookies.iter().map(String::as_str)),
        );
        // Every name the request carries is looked at (only known ones are expired, so the
        // answer stays bounded): planted names cannot push a tracking cookie out of sight.
        let refused = distinct_cookie_names(request)
            .into_iter()
            .filter(|name| *name != self.cookie_name())
            .filter(|name| {
                snapshot.lookup(name).any(|entry| {
                    entry.category != Category::System && !granted.contains(entry.category)
                }) || !matches!(of_refused_services.find(name), Matched::Nothing)
            });
        expire_everywhere(refused, request, self.secure())
    }
}

/// `Set-Cookie` headers that expire every cookie a request to `request_path` carries, in
/// every variant a browser could have sent (see [`expire_every_variant`]), the consent
/// cookie included (with its own attributes). The cookies the registry knows come first,
/// then the others up to [`MAX_COOKIE_NAMES`] names, so that no number of planted names can
/// keep a known tracking cookie alive; beyond that, `Clear-Site-Data` is the shop's way
/// (see [`ConsentConfigBuilder::clear_site_data`](crate::ConsentConfigBuilder::clear_site_data)).
pub(crate) fn expire_all(
    config: &ConsentConfig,
    request_path: &str,
    request: &HeaderMap,
) -> Vec<HeaderValue> {
    let snapshot = config.cookie_registry().snapshot();
    let mut names: Vec<&str> = distinct_cookie_names(request)
        .into_iter()
        .filter(|name| *name != config.cookie_name())
        .collect();
    names.sort_by_key(|name| snapshot.lookup(name).next().is_none());
    names.truncate(MAX_COOKIE_NAMES);
    let mut expired = expire_every_variant(names, request_path, request, config.secure());
    expired.extend(config.removal_header());
    expired
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_known_cookies_of_refused_categories_expire() {
        let config = ConsentConfig::builder().secret([7; 32]).build().unwrap();
        let mut request = HeaderMap::new();
        request.insert(
            http::header::HOST,
            HeaderValue::from_static("127.0.0.1:3000"),
        );
        request.insert(
            http::header::COOKIE,
            HeaderValue::from_static("__Host-lc_consent=x; _ga=1; _fbp=2; __stripe_mid=3; mine=4"),
        );
        let names = |granted| -> Vec<String> {
            config
                .expire_cookies_outside(&request, granted)
                .iter()
                .map(|v| v.to_str().unwrap().split('=').next().unwrap().to_owned())
                .collect()
        };
        assert_eq!(names(CategorySet::essential()), ["_ga", "_fbp"]);
        assert_eq!(
            names(CategorySet::essential().with(Category::Statistics)),
            ["_fbp"]
        );
        assert!(names(CategorySet::all()).is_empty());
        // On an IP address only the host-only cookie exists.
        assert!(
            config
                .expire_cookies_outside(&request, CategorySet::essential())
                .iter()
                .all(|v| !v.to_str().unwrap().contains("Domain="))
        );
    }
}
