//! The one cookie writer: every `Set-Cookie` the crate sends (the consent cookie, the
//! tracking ids, the expiries on revoke and on "delete all my cookies") is built here, on
//! the `cookie` crate, from one [`CookieAttributes`] value.
//!
//! An expiry repeats the attributes of what it expires (name, `Path`, `Domain`, `Secure`),
//! as tower-sessions does: a browser only replaces a cookie with the same name, domain and
//! path, and refuses to touch a `__Secure-`/`__Host-` cookie from a `Set-Cookie` without
//! `Secure`.

use std::net::IpAddr;

use cookie::{
    Cookie, SameSite,
    time::{Duration, OffsetDateTime},
};
use http::{HeaderMap, HeaderValue, header};

/// The attributes of one of the crate's cookies: everything but its value and lifetime.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct CookieAttributes {
    /// The cookie's name.
    pub(crate) name: String,
    /// `Domain` (`None`: host-only).
    pub(crate) domain: Option<String>,
    /// `Secure`.
    pub(crate) secure: bool,
    /// `HttpOnly`.
    pub(crate) http_only: bool,
    /// `Path` (`/` unless said otherwise).
    pub(crate) path: String,
}

impl CookieAttributes {
    /// A host-only cookie called `name` with `Path=/`, `SameSite=Lax`.
    pub(crate) fn new(name: impl Into<String>, secure: bool, http_only: bool) -> Self {
        CookieAttributes {
            name: name.into(),
            domain: None,
            secure,
            http_only,
            path: "/".to_owned(),
        }
    }

    /// The same cookie on `path`.
    pub(crate) fn at(mut self, path: impl Into<String>) -> Self {
        self.path = path.into();
        self
    }

    /// The same cookie on `domain` (`None`: host-only).
    pub(crate) fn on(mut self, domain: Option<String>) -> Self {
        self.domain = domain;
        self
    }

    /// `Set-Cookie` storing `value` for `max_age_secs`.
    pub(crate) fn set(&self, value: impl Into<String>, max_age_secs: i64) -> Option<HeaderValue> {
        let cookie = self
            .builder(value.into())
            .max_age(Duration::seconds(max_age_secs))
            .build();
        HeaderValue::from_str(&cookie.to_string()).ok()
    }

    /// `Set-Cookie` expiring this cookie: the same name, path, domain and flags, an empty
    /// value, `Max-Age=0` and an `Expires` in 1970.
    pub(crate) fn expire(&self) -> Option<HeaderValue> {
        let cookie = self
            .builder(String::new())
            .max_age(Duration::ZERO)
            .expires(OffsetDateTime::UNIX_EPOCH)
            .build();
        HeaderValue::from_str(&cookie.to_string()).ok()
    }

    fn builder(&self, value: String) -> cookie::CookieBuilder<'static> {
        let mut builder = Cookie::build((self.name.clone(), value))
            .path(self.path.clone())
            .http_only(self.http_only)
            // `__Secure-` and `__Host-` cookies are only ever set (or expired) with `Secure`.
            .secure(self.secure || NamePrefix::of(&self.name).needs_secure())
            .same_site(SameSite::Lax);
        if let Some(domain) = &self.domain {
            builder = builder.domain(domain.clone());
        }
        builder
    }
}

/// The prefix a browser enforces on a cookie's name (RFC 6265bis §4.1.3; matched
/// case-insensitively, as current browsers do).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum NamePrefix {
    /// `__Host-`: `Secure`, no `Domain`, `Path=/`.
    Host,
    /// `__Secure-`: `Secure`.
    Secure,
    /// No prefix.
    None,
}

impl NamePrefix {
    /// The prefix of `name`.
    pub(crate) fn of(name: &str) -> Self {
        let starts = |prefix: &str| {
            name.get(..prefix.len())
                .is_some_and(|head| head.eq_ignore_ascii_case(prefix))
        };
        if starts("__Host-") {
            NamePrefix::Host
        } else if starts("__Secure-") {
            NamePrefix::Secure
        } else {
            NamePrefix::None
        }
    }

    /// Whether browsers keep such a cookie only with `Secure`.
    pub(crate) fn needs_secure(self) -> bool {
        self != NamePrefix::None
    }

    /// Whether browsers keep such a cookie only host-only on `/`.
    pub(crate) fn host_only(self) -> bool {
        self == NamePrefix::Host
    }
}

/// For each name, the `Set-Cookie` headers that expire every copy a browser may hold of a
/// cookie the crate did not set itself (so its attributes are unknown): host-only, and on
/// the registrable domain of the request's host when it has one. `secure` is the shop's
/// setting for its own cookies (a `__Secure-`/`__Host-` name always gets `Secure`); a
/// `__Host-` cookie is host-only by definition.
pub(crate) fn expire_everywhere<'n>(
    names: impl IntoIterator<Item = &'n str>,
    request: &HeaderMap,
    secure: bool,
) -> Vec<HeaderValue> {
    let registrable = request
        .get(header::HOST)
        .and_then(|host| host.to_str().ok())
        .and_then(registrable_domain);
    let mut expired = Vec::new();
    for name in names {
        let host_only = CookieAttributes::new(name, secure, false);
        expired.extend(host_only.expire());
        if let Some(domain) = registrable
            .as_ref()
            .filter(|_| !NamePrefix::of(name).host_only())
        {
            expired.extend(host_only.on(Some(domain.clone())).expire());
        }
    }
    expired
}

/// For each name, the `Set-Cookie` headers that expire every copy a browser could have sent
/// to a request for `request_path`: host-only, with `Domain` set to the host and to each of
/// its parent domains down to the registrable one, and on `/` and every ancestor of the
/// path (a cookie is only sent where its path is an ancestor of the request's). Used by
/// "delete all my cookies", whose names come from the browser with no attributes.
pub(crate) fn expire_every_variant<'n>(
    names: impl IntoIterator<Item = &'n str>,
    request_path: &str,
    request: &HeaderMap,
    secure: bool,
) -> Vec<HeaderValue> {
    let host = request
        .get(header::HOST)
        .and_then(|host| host.to_str().ok())
        .map(|host| host.rsplit_once(':').map_or(host, |(name, _)| name))
        .map(|host| host.trim_end_matches('.').to_ascii_lowercase());
    let registrable = host.as_deref().and_then(registrable_domain);
    let mut domains = vec![None];
    if let (Some(host), Some(registrable)) = (&host, &registrable) {
        // The host, then each parent, down to the registrable domain.
        let mut domain = host.as_str();
        loop {
            domains.push(Some(domain.to_owned()));
            if domain == registrable {
                break;
            }
            match domain.split_once('.') {
                Some((_, parent)) if parent.len() >= registrable.len() => domain = parent,
                _ => break,
            }
        }
    }
    let mut paths = vec!["/".to_owned()];
    let mut prefix = String::new();
    for segment in request_path.split('/').filter(|s| !s.is_empty()) {
        prefix.push('/');
        prefix.push_str(segment);
        paths.push(prefix.clone());
    }
    let mut expired = Vec::new();
    for name in names {
        let host_prefixed = NamePrefix::of(name).host_only();
        for domain in &domains {
            for path in &paths {
                // A `__Host-` cookie is host-only on `/` by definition.
                if host_prefixed && (domain.is_some() || path != "/") {
                    continue;
                }
                let cookie = CookieAttributes::new(name, secure, false)
                    .on(domain.clone())
                    .at(path.clone());
                expired.extend(cookie.expire());
            }
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

/// Whether `name` is a cookie name the crate writes: 1 to 64 of `A-Z a-z 0-9 _ -`.
pub(crate) fn is_cookie_name(name: &str) -> bool {
    (1..=64).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// Whether `domain` is a host name a `Domain` attribute may hold (a leading `.` allowed).
pub(crate) fn is_cookie_domain(domain: &str) -> bool {
    let domain = domain.strip_prefix('.').unwrap_or(domain);
    (1..=253).contains(&domain.len())
        && domain.split('.').all(|label| {
            (1..=63).contains(&label.len())
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
                && !label.starts_with('-')
                && !label.ends_with('-')
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(value: Option<HeaderValue>) -> String {
        value.unwrap().to_str().unwrap().to_owned()
    }

    #[test]
    fn an_expiry_repeats_the_attributes_of_what_it_expires() {
        let attributes =
            CookieAttributes::new("cemv", true, true).on(Some("shop.co.uk".to_owned()));
        let set = text(attributes.set("v1", 60));
        assert_eq!(
            set,
            "cemv=v1; HttpOnly; SameSite=Lax; Secure; Path=/; Domain=shop.co.uk; Max-Age=60"
        );
        let expired = text(attributes.expire());
        assert!(expired.starts_with("cemv=; HttpOnly; SameSite=Lax; Secure; Path=/; Domain=shop.co.uk; Max-Age=0; Expires="), "{expired}");
        assert!(
            expired.ends_with("Expires=Thu, 01 Jan 1970 00:00:00 GMT"),
            "{expired}"
        );
    }

    #[test]
    fn prefixed_cookies_are_expired_as_browsers_require() {
        let mut request = HeaderMap::new();
        request.insert(header::HOST, HeaderValue::from_static("www.shop.co.uk"));
        let expired: Vec<String> =
            expire_everywhere(["__Host-sid", "__Secure-x", "plain"], &request, false)
                .iter()
                .map(|v| v.to_str().unwrap().to_owned())
                .collect();
        // __Host-: Secure, host-only, Path=/; __Secure-: Secure on both domains; plain: as
        // the shop's setting says (here: plain http during development).
        assert_eq!(expired.len(), 5, "{expired:#?}");
        assert!(expired[0].starts_with("__Host-sid=;") && expired[0].contains("Secure"));
        assert!(!expired[0].contains("Domain="));
        assert!(expired[1].starts_with("__Secure-x=;") && expired[1].contains("Secure"));
        assert!(expired[2].contains("Secure") && expired[2].contains("Domain=shop.co.uk"));
        assert!(!expired[3].contains("Secure") && !expired[3].contains("Domain="));
        assert!(expired[4].contains("Domain=shop.co.uk"));
    }

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
}
