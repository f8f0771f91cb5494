//! Whether a state-changing request comes from another origin: the check the decision,
//! "delete my cookies" and collect endpoints make before they change anything.
//!
//! Browsers send `Origin` with every `POST` (a form or `fetch`), and `Sec-Fetch-Site` with
//! every request (all current engines). A post is taken only when its `Origin` names this
//! very origin: the request's authority (the URI's, as HTTP/2 carries it, else `Host`),
//! scheme-default ports made explicit. `Sec-Fetch-Site: same-site` (a sibling subdomain) is
//! cross-origin unless `Origin` matches; an `Origin` with nothing to compare it to (no
//! authority, no `Host`, as HTTP/1.0 allows) is refused. A request without `Origin` and
//! without a cross-site `Sec-Fetch-Site` is not a browser's cross-origin post.

use http::{HeaderMap, Uri, header, uri::Authority};

/// Whether a post with this target and these headers comes from another origin.
pub(crate) fn is_cross_origin(uri: &Uri, headers: &HeaderMap) -> bool {
    let fetch_site = headers.get("sec-fetch-site").map(|value| value.as_bytes());
    if fetch_site == Some(b"cross-site") {
        return true;
    }
    let Some(origin) = headers.get(header::ORIGIN) else {
        // Browsers that say `same-site` also send `Origin` on a post; one without it is not
        // to be trusted.
        return fetch_site == Some(b"same-site");
    };
    let Some(origin) = origin.to_str().ok().and_then(origin_of) else {
        // `null` (a sandboxed frame, a `data:` page, a redirect chain) or unreadable.
        return true;
    };
    match own_authority(uri, headers) {
        Some(own) => !same_host_and_port(&origin, &own),
        None => true,
    }
}

/// Host and port of an origin or authority, lowercased, with the scheme's default port when
/// none is given.
#[derive(Debug, PartialEq, Eq)]
struct Endpoint {
    host: String,
    port: Option<u16>,
}

/// The `scheme://host[:port]` of an `Origin` header (nothing else: no path, no user).
fn origin_of(origin: &str) -> Option<Endpoint> {
    let (scheme, rest) = origin.split_once("://")?;
    let authority: Authority = rest.parse().ok()?;
    if authority.as_str() != rest || rest.contains('@') {
        return None;
    }
    let default_port = match scheme.to_ascii_lowercase().as_str() {
        "https" => 443,
        "http" => 80,
        _ => return None,
    };
    Some(Endpoint {
        host: authority.host().to_ascii_lowercase(),
        port: Some(authority.port_u16().unwrap_or(default_port)),
    })
}

/// The request's own authority: the URI's (HTTP/2's `:authority`, or an absolute-form
/// target), else the `Host` header. The port is left open when neither names one and the
/// URI has no scheme: the server does not know whether TLS ended in front of it.
fn own_authority(uri: &Uri, headers: &HeaderMap) -> Option<Endpoint> {
    let authority = match uri.authority() {
        Some(authority) => authority.clone(),
        None => headers
            .get(header::HOST)?
            .to_str()
            .ok()?
            .parse::<Authority>()
            .ok()?,
    };
    if authority.as_str().contains('@') {
        return None;
    }
    let scheme_port = match uri.scheme_str() {
        Some("https") => Some(443),
        Some("http") => Some(80),
        _ => None,
    };
    Some(Endpoint {
        host: authority.host().to_ascii_lowercase(),
        port: authority.port_u16().or(scheme_port),
    })
}

/// Whether an origin and the request's authority are the same host and port. A request
/// authority without a port matches the origin's default port only (`shop.example` is
/// `https://shop.example` or `http://shop.example`, not `https://shop.example:8443`).
fn same_host_and_port(origin: &Endpoint, own: &Endpoint) -> bool {
    origin.host == own.host
        && match own.port {
            Some(port) => origin.port == Some(port),
            None => matches!(origin.port, Some(80 | 443)),
        }
}

#[cfg(test)]
mod tests {
    use http::HeaderValue;
    use proptest::prelude::*;

    use super::*;

    fn check(uri: &str, pairs: &[(&'static str, &str)]) -> bool {
        let mut headers = HeaderMap::new();
        for (name, value) in pairs {
            headers.append(*name, HeaderValue::from_str(value).unwrap());
        }
        is_cross_origin(&uri.parse().unwrap(), &headers)
    }

    #[test]
    fn the_shops_own_posts_are_taken() {
        let own = [
            (
                "/_consent/decide",
                vec![("host", "shop.example"), ("origin", "https://shop.example")],
            ),
            (
                "/_consent/decide",
                vec![("host", "SHOP.example"), ("origin", "https://shop.EXAMPLE")],
            ),
            (
                "/_consent/decide",
                vec![
                    ("host", "127.0.0.1:3000"),
                    ("origin", "http://127.0.0.1:3000"),
                ],
            ),
            (
                "/_consent/decide",
                vec![
                    ("host", "shop.example:443"),
                    ("origin", "https://shop.example"),
                ],
            ),
            (
                "https://shop.example/_consent/decide",
                vec![("origin", "https://shop.example")],
            ),
            (
                "/_consent/decide",
                vec![
                    ("sec-fetch-site", "same-origin"),
                    ("host", "shop.example"),
                    ("origin", "https://shop.example"),
                ],
            ),
            ("/_consent/decide", vec![("host", "shop.example")]),
            ("/_consent/decide", vec![]),
        ];
        for (uri, headers) in own {
            assert!(!check(uri, &headers), "{uri} {headers:?}");
        }
    }

    #[test]
    fn posts_from_elsewhere_are_refused() {
        let foreign = [
            ("/", vec![("sec-fetch-site", "cross-site")]),
            (
                "/",
                vec![("sec-fetch-site", "same-site"), ("host", "shop.example")],
            ),
            (
                "/",
                vec![
                    ("sec-fetch-site", "same-site"),
                    ("host", "shop.example"),
                    ("origin", "https://blog.shop.example"),
                ],
            ),
            (
                "/",
                vec![("host", "shop.example"), ("origin", "https://evil.example")],
            ),
            ("/", vec![("host", "shop.example"), ("origin", "null")]),
            (
                "/",
                vec![
                    ("host", "shop.example"),
                    ("origin", "https://shop.example:8443"),
                ],
            ),
            (
                "/",
                vec![
                    ("host", "shop.example"),
                    ("origin", "https://shop.example.evil.example"),
                ],
            ),
            (
                "/",
                vec![
                    ("host", "shop.example"),
                    ("origin", "https://evil.example@shop.example"),
                ],
            ),
            (
                "/",
                vec![
                    ("host", "shop.example"),
                    ("origin", "https://shop.example/path"),
                ],
            ),
            (
                "/",
                vec![("host", "shop.example"), ("origin", "ftp://shop.example")],
            ),
            // HTTP/1.0 without Host: nothing to compare the origin with.
            ("/", vec![("origin", "https://evil.example")]),
            ("/", vec![("origin", "https://shop.example")]),
            // HTTP/2: the authority is in the URI, whatever Host says.
            (
                "https://shop.example/",
                vec![("origin", "https://evil.example"), ("host", "evil.example")],
            ),
            (
                "https://shop.example/",
                vec![("origin", "http://shop.example")],
            ),
        ];
        for (uri, headers) in foreign {
            assert!(check(uri, &headers), "{uri} {headers:?}");
        }
    }

    /// One side of a request: a host and an explicit port, or the default one.
    fn place() -> impl Strategy<Value = (&'static str, Option<u16>)> {
        (
            prop::sample::select(vec![
                "shop.example",
                "www.shop.example",
                "evil.example",
                "SHOP.example",
            ]),
            prop::option::of(prop::sample::select(vec![80u16, 443, 3000, 8443])),
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(5000))]

        /// Random `Origin`, `Host`, URI authority and `Sec-Fetch-Site`: a post whose
        /// `Origin` is not this very origin (by host and port, as the model below says), or
        /// that a browser calls cross-site, is never taken.
        #[test]
        fn no_cross_origin_post_is_ever_accepted(
            origin in prop::option::of((prop::sample::select(vec!["http", "https"]), place())),
            null_origin in any::<bool>(),
            host in prop::option::of(place()),
            uri_authority in prop::option::of((prop::sample::select(vec!["http", "https"]), place())),
            fetch_site in prop::option::of(prop::sample::select(vec!["same-origin", "same-site", "cross-site", "none"])),
        ) {
            let mut headers = HeaderMap::new();
            let text = |(host, port): (&str, Option<u16>)| match port {
                Some(port) => format!("{host}:{port}"),
                None => host.to_owned(),
            };
            if let Some(site) = fetch_site {
                headers.insert("sec-fetch-site", HeaderValue::from_static(site));
            }
            let origin_header = if null_origin && origin.is_some() {
                Some("null".to_owned())
            } else {
                origin.map(|(scheme, place)| format!("{scheme}://{}", text(place)))
            };
            if let Some(value) = &origin_header {
                headers.insert(header::ORIGIN, HeaderValue::from_str(value).unwrap());
            }
            if let Some(place) = host {
                headers.insert(header::HOST, HeaderValue::from_str(&text(place)).unwrap());
            }
            let uri: Uri = match uri_authority {
                Some((scheme, place)) => format!("{scheme}://{}/_consent/decide", text(place)).parse().unwrap(),
                None => "/_consent/decide".parse().unwrap(),
            };
            let accepted = !is_cross_origin(&uri, &headers);

            // The model: where the request says it is (URI authority first, then Host), with
            // ports made explicit where the scheme says them.
            let default = |scheme: &str| if scheme == "https" { 443 } else { 80 };
            let own = match (uri_authority, host) {
                (Some((scheme, (h, p))), _) => Some((h.to_ascii_lowercase(), Some(p.unwrap_or(default(scheme))))),
                (None, Some((h, p))) => Some((h.to_ascii_lowercase(), p)),
                (None, None) => None,
            };
            let same_origin = match (&origin_header, origin, &own) {
                (Some(value), _, _) if value == "null" => false,
                (Some(_), Some((scheme, (h, p))), Some((own_host, own_port))) => {
                    let origin_port = p.unwrap_or(default(scheme));
                    h.to_ascii_lowercase() == *own_host
                        && match own_port {
                            Some(port) => origin_port == *port,
                            None => origin_port == 80 || origin_port == 443,
                        }
                }
                _ => false,
            };
            if fetch_site == Some("cross-site") {
                prop_assert!(!accepted, "cross-site accepted");
            }
            if origin_header.is_some() && !same_origin {
                prop_assert!(!accepted, "origin {origin_header:?} accepted for {own:?}");
            }
            if origin_header.is_none() && fetch_site == Some("same-site") {
                prop_assert!(!accepted, "same-site without Origin accepted");
            }
            // And the shop's own posts still go through.
            if same_origin && fetch_site != Some("cross-site") {
                prop_assert!(accepted, "own origin {origin_header:?} refused for {own:?}");
            }
        }
    }
}
