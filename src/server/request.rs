//! Reading a request: the consent cookie, Global Privacy Control, the page's own query flags.

use std::time::{SystemTime, UNIX_EPOCH};

use http::{HeaderMap, header};

/// The values of every cookie called `name` in the request's `Cookie` headers, in order.
pub(crate) fn cookie_values<'h>(
    headers: &'h HeaderMap,
    name: &'h str,
) -> impl Iterator<Item = &'h str> + 'h {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|header| header.to_str().ok())
        .flat_map(|header| header.split(';'))
        .filter_map(move |pair| {
            let (key, value) = pair.split_once('=')?;
            (key.trim() == name).then(|| value.trim())
        })
}

/// The names of every cookie in the request's `Cookie` headers, in order (repeats kept).
pub(crate) fn cookie_names(headers: &HeaderMap) -> impl Iterator<Item = &str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|header| header.to_str().ok())
        .flat_map(|header| header.split(';'))
        .map(|pair| pair.split_once('=').map_or(pair, |(name, _)| name).trim())
        .filter(|name| !name.is_empty())
}

/// The most cookie names read from one request for the grid (and reported by one browser).
pub(crate) const MAX_COOKIE_NAMES: usize = 200;

/// The names of every cookie a request carries, each once, in order, however many.
pub(crate) fn distinct_cookie_names(headers: &HeaderMap) -> Vec<&str> {
    distinct(headers).collect()
}

/// The names of the cookies a request carries, each once, in order (at most
/// [`MAX_COOKIE_NAMES`]).
pub(crate) fn request_cookie_names(headers: &HeaderMap) -> Vec<&str> {
    distinct(headers).take(MAX_COOKIE_NAMES).collect()
}

/// The request's cookie names, each the first time it comes.
fn distinct(headers: &HeaderMap) -> impl Iterator<Item = &str> {
    let mut seen = std::collections::HashSet::new();
    cookie_names(headers).filter(move |name| seen.insert(*name))
}

/// Whether the browser sends Global Privacy Control (`Sec-GPC: 1`).
pub(crate) fn sends_gpc(headers: &HeaderMap) -> bool {
    header_is_one(headers, "sec-gpc")
}

/// Whether the browser sends Do Not Track (`DNT: 1`).
pub(crate) fn sends_dnt(headers: &HeaderMap) -> bool {
    header_is_one(headers, "dnt")
}

fn header_is_one(headers: &HeaderMap, name: &str) -> bool {
    headers
        .get(name)
        .is_some_and(|value| value.as_bytes().trim_ascii() == b"1")
}

/// Whether the request came from a plain HTML form (no JavaScript): browsers then ask for
/// `text/html`, the server-function client does not.
pub(crate) fn accepts_html(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|accept| accept.contains("text/html"))
}

/// Seconds since the Unix epoch.
pub(crate) fn unix_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| {
            i64::try_from(elapsed.as_secs()).unwrap_or(i64::MAX)
        })
}

#[cfg(test)]
mod tests {
    use http::HeaderValue;

    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(*name, HeaderValue::from_static(value));
        }
        map
    }

    #[test]
    fn finds_the_one_cookie_in_any_header() {
        let h = headers(&[
            ("cookie", "a=1; lc_consentx=2"),
            ("cookie", "b=3;lc_consent = v=1 ;c=4"),
        ]);
        assert_eq!(cookie_values(&h, "lc_consent").collect::<Vec<_>>(), ["v=1"]);
        assert_eq!(cookie_values(&h, "a").collect::<Vec<_>>(), ["1"]);
        assert_eq!(cookie_values(&h, "missing").count(), 0);
    }

    #[test]
    fn non_utf8_cookie_headers_are_skipped() {
        let mut h = HeaderMap::new();
        h.append(
            "cookie",
            HeaderValue::from_bytes(b"lc_consent=\xff\xfe").unwrap(),
        );
        h.append("cookie", HeaderValue::from_static("lc_consent=ok"));
        assert_eq!(cookie_values(&h, "lc_consent").collect::<Vec<_>>(), ["ok"]);
    }

    #[test]
    fn gpc_needs_exactly_one() {
        assert!(sends_gpc(&headers(&[("sec-gpc", "1")])));
        assert!(sends_gpc(&headers(&[("sec-gpc", " 1 ")])));
        assert!(!sends_gpc(&headers(&[("sec-gpc", "0")])));
        assert!(!sends_gpc(&headers(&[])));
        assert!(sends_dnt(&headers(&[("dnt", "1")])));
        assert!(!sends_dnt(&headers(&[("dnt", "0")])));
        assert!(!sends_dnt(&headers(&[("sec-gpc", "1")])));
    }
}
