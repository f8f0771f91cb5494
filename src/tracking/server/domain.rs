//! On which domain the id cookies are set.

use http::{HeaderMap, header};

use crate::server::cookies::registrable_domain;

/// Where the id cookies live.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum CookieDomain {
    /// The registrable domain of the request's host, from the Public Suffix List:
    /// `www.shop.co.uk` → `shop.co.uk`, so `basket.shop.co.uk` shares the ids (the seeds'
    /// "top-level domain"). Never a public suffix (`co.uk`, `github.io`); host-only on
    /// `localhost`, IP addresses and hosts outside the shop's domains. The default.
    #[default]
    Registrable,
    /// Host-only cookies (no `Domain` attribute).
    HostOnly,
    /// This domain, whatever the host.
    Fixed(String),
}

impl CookieDomain {
    /// The `Domain` attribute for a request with these headers, `None` for host-only.
    ///
    /// The `Host` header is only used for this choice, and only when it is one of
    /// `shop_domains` or below one (or no shop domains are configured).
    pub(crate) fn for_request(
        &self,
        headers: &HeaderMap,
        shop_domains: &[String],
    ) -> Option<String> {
        match self {
            CookieDomain::HostOnly => None,
            CookieDomain::Fixed(domain) => Some(domain.trim_start_matches('.').to_owned()),
            CookieDomain::Registrable => {
                let host = headers.get(header::HOST)?.to_str().ok()?;
                let domain = registrable_domain(host)?;
                let belongs = shop_domains.is_empty()
                    || shop_domains.iter().any(|shop| {
                        domain == *shop
                            || domain.ends_with(&format!(".{shop}"))
                            || shop.ends_with(&format!(".{domain}"))
                    });
                if !belongs {
                    tracing::debug!(
                        host,
                        "host outside the shop's domains: host-only id cookies"
                    );
                }
                belongs.then_some(domain)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use http::HeaderValue;

    use super::*;

    fn host(host: &'static str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::HOST, HeaderValue::from_static(host));
        headers
    }

    #[test]
    fn the_registrable_domain_of_a_shop_host() {
        let registrable = CookieDomain::Registrable;
        let shops = ["shop.co.uk".to_owned()];
        assert_eq!(
            registrable
                .for_request(&host("www.shop.co.uk"), &shops)
                .as_deref(),
            Some("shop.co.uk")
        );
        assert_eq!(
            registrable
                .for_request(&host("basket.shop.co.uk:8443"), &[])
                .as_deref(),
            Some("shop.co.uk")
        );
        // Never a public suffix, never on IPs or localhost.
        assert_eq!(registrable.for_request(&host("co.uk"), &[]), None);
        assert_eq!(registrable.for_request(&host("github.io"), &[]), None);
        assert_eq!(
            registrable
                .for_request(&host("shop.someone.github.io"), &[])
                .as_deref(),
            Some("someone.github.io")
        );
        assert_eq!(registrable.for_request(&host("127.0.0.1:3000"), &[]), None);
        assert_eq!(registrable.for_request(&host("localhost:3000"), &[]), None);
        assert_eq!(registrable.for_request(&host("[::1]:3000"), &[]), None);
        // A forged Host outside the shop's domains gets host-only cookies.
        assert_eq!(
            registrable.for_request(&host("www.evil.example"), &shops),
            None
        );
        assert_eq!(registrable.for_request(&HeaderMap::new(), &[]), None);
    }

    #[test]
    fn fixed_and_host_only() {
        assert_eq!(
            CookieDomain::Fixed(".shop.example".into())
                .for_request(&host("x.example"), &[])
                .as_deref(),
            Some("shop.example")
        );
        assert_eq!(
            CookieDomain::HostOnly.for_request(&host("www.shop.example"), &[]),
            None
        );
    }
}
