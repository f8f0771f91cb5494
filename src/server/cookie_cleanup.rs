//! Expiring the cookies of categories the shopper does not (or no longer) allow.
//!
//! After every decision and on the `?ChangeCookiePolicyConsent=1` withdrawal, the server
//! answers with `Set-Cookie` headers that expire every cookie the request carries whose
//! registry entry is in a category that is not granted: host-only and on the registrable
//! domain (the Public Suffix List's eTLD+1, so `www.shop.co.uk` clears `shop.co.uk`, never
//! `co.uk`), `HttpOnly` cookies included, which no script could remove.

use std::net::IpAddr;

use http::{HeaderMap, HeaderValue, header};

use super::{ConsentConfig, cookie_details::request_cookie_names};
use crate::{Category, CategorySet};

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
    /// assert!(expired[1].to_str().unwrap().ends_with("; Domain=shop.co.uk"));
    /// # Ok::<(), leptos_consent::ConfigError>(())
    /// ```
    pub fn expire_cookies_outside(
        &self,
        request: &HeaderMap,
        granted: CategorySet,
    ) -> Vec<HeaderValue> {
        let snapshot = self.cookie_registry().snapshot();
        let refused = request_cookie_names(request)
            .into_iter()
            .filter(|name| *name != self.cookie_name())
            .filter(|name| {
                snapshot.lookup(name).any(|entry| {
                    entry.category != Category::System && !granted.contains(entry.category)
                })
            });
        expiry_headers(refused, request)
    }
}

/// `Set-Cookie` headers that expire every cookie the request carries, host-only and on the
/// registrable domain, the consent cookie included (with its own attributes).
pub(crate) fn expire_all(config: &ConsentConfig, request: &HeaderMap) -> Vec<HeaderValue> {
    let others = request_cookie_names(request)
        .into_iter()
        .filter(|name| *name != config.cookie_name());
    let mut expired = expiry_headers(others, request);
    expired.extend(config.removal_header());
    expired
}

/// For each name, a `Set-Cookie` that expires it host-only and one on the registrable domain
/// of the request's host (when it has one).
pub(crate) fn expiry_headers<'n>(
    names: impl Iterator<Item = &'n str>,
    request: &HeaderMap,
) -> Vec<HeaderValue> {
    let registrable = request
        .get(header::HOST)
        .and_then(|host| host.to_str().ok())
        .and_then(registrable_domain);
    let mut expired = Vec::new();
    for name in names {
        let gone = format!("{name}=; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Path=/");
        expired.extend(HeaderValue::from_str(&gone));
        if let Some(domain) = &registrable {
            expired.extend(HeaderValue::from_str(&format!("{gone}; Domain={domain}")));
        }
    }
    expired
}

/// The registrable domain of a `Host` header's name (port dropped): `None` for IP
/// addresses, single-label names such as `localhost`, public suffixes themselves, and
/// anything that is not a plain DNS name. The `Host` header is only used for this choice.
pub(crate) fn registrable_domain(host: &str) -> Option<String> {
    let name = match host.rsplit_once(':') {
        Some((name, port)) if port.bytes().all(|b| b.is_ascii_digit()) => name,
        _ => host,
    };
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    if name.parse::<IpAddr>().is_ok()
        || name.starts_with('[')
        || !name.contains('.')
        || !name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
    {
        return None;
    }
    let domain = psl::domain_str(&name)?;
    Some(domain.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_registrable_domain_never_is_a_public_suffix() {
        let cases = [
            ("www.shop.co.uk", Some("shop.co.uk")),
            ("shop.co.uk:8443", Some("shop.co.uk")),
            ("basket.shop.example.com", Some("example.com")),
            ("WWW.Shop.DK", Some("shop.dk")),
            ("alice.github.io", Some("alice.github.io")),
            ("github.io", None),
            ("co.uk", None),
            ("localhost", None),
            ("localhost:3000", None),
            ("127.0.0.1:3000", None),
            ("[::1]:3000", None),
            ("evil.com/x", None),
            ("", None),
        ];
        for (host, expected) in cases {
            assert_eq!(registrable_domain(host).as_deref(), expected, "{host}");
        }
    }

    #[test]
    fn only_known_cookies_of_refused_categories_expire() {
        let config = ConsentConfig::builder().secret([7; 32]).build().unwrap();
        let mut request = HeaderMap::new();
        request.insert(header::HOST, HeaderValue::from_static("127.0.0.1:3000"));
        request.insert(
            header::COOKIE,
            HeaderValue::from_static("lc_consent=x; _ga=1; _fbp=2; __stripe_mid=3; mine=4"),
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
