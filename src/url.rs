//! Same-origin redirect targets and query parameters.
//!
//! The change-consent redirect and the banner's no-JavaScript form post both send the browser
//! back to "the same page". What that page is comes from the request, which an attacker
//! controls; [`local_target`] turns it into a relative path that a browser can only resolve
//! on the shop's own origin, so neither can become an open redirect.

/// Turns a request's path and query into a relative, same-origin redirect target.
///
/// - The result always starts with exactly one `/` followed by something other than `/` or
///   `\`, so browsers cannot read it as a scheme-relative (`//host`) URL.
/// - A leading run of slashes, backslashes, whitespace or control characters, raw or
///   percent-encoded (`//`, `/\`, `/%2f%2f`, `/%5c`, `%09`, …), collapses into that one `/`.
/// - Every byte outside the RFC 3986 path (or query) characters is percent-encoded, so no
///   tab, CR, LF, backslash, space or non-ASCII byte reaches a `Location` header.
/// - An ordinary path and query come out unchanged.
pub(crate) fn local_target(path: &str, query: Option<&str>) -> String {
    let rest = strip_leading_separators(path);
    let mut out = String::with_capacity(path.len() + query.map_or(0, str::len) + 2);
    out.push('/');
    encode_into(&mut out, rest, false);
    if let Some(query) = query.filter(|q| !q.is_empty()) {
        out.push('?');
        encode_into(&mut out, query, true);
    }
    out
}

/// [`local_target`] for a target given as one string (`/path?query`), as forms send it.
/// A fragment (`#…`) is dropped.
#[cfg_attr(not(feature = "ssr"), allow(dead_code))]
pub(crate) fn local_target_from_str(target: &str) -> String {
    let (path, query) = split_target(target.split('#').next().unwrap_or_default());
    local_target(path, query)
}

/// Splits `/path?query` into its path and query.
pub(crate) fn split_target(target: &str) -> (&str, Option<&str>) {
    match target.split_once('?') {
        Some((path, query)) => (path, Some(query)),
        None => (target, None),
    }
}

/// The raw value of the first `name=value` pair of a query string.
#[cfg(feature = "ssr")]
pub(crate) fn query_param<'q>(query: &'q str, name: &str) -> Option<&'q str> {
    query.split('&').find_map(|pair| {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        (key == name).then_some(value)
    })
}

/// A query string with `name` set to `value`: the first occurrence is replaced in place,
/// later ones are dropped, and the pair is appended when absent. Other pairs keep their
/// order and spelling. (The server's: the browser's links are pointed by the runtime.)
#[cfg(feature = "ssr")]
pub(crate) fn with_query_param(query: Option<&str>, name: &str, value: &str) -> String {
    edit_query(query.unwrap_or_default(), name, Some(value))
}

/// A query string without any `name` pair; other pairs keep their order and spelling.
#[cfg(feature = "ssr")]
pub(crate) fn without_query_param(query: &str, name: &str) -> String {
    edit_query(query, name, None)
}

/// Sets (`Some`) or removes (`None`) the `name` pair of a query string.
#[cfg(feature = "ssr")]
fn edit_query(query: &str, name: &str, value: Option<&str>) -> String {
    let mut out = String::with_capacity(query.len() + name.len() + 3);
    let mut value = value;
    let push = |out: &mut String, pair: &str| {
        if !out.is_empty() {
            out.push('&');
        }
        out.push_str(pair);
    };
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let key = pair.split_once('=').map_or(pair, |(k, _)| k);
        if key != name {
            push(&mut out, pair);
        } else if let Some(value) = value.take() {
            push(&mut out, &format!("{name}={value}"));
        }
    }
    if let Some(value) = value {
        push(&mut out, &format!("{name}={value}"));
    }
    out
}

/// Skips the leading run of characters that could make a browser see an authority.
fn strip_leading_separators(mut path: &str) -> &str {
    loop {
        let bytes = path.as_bytes();
        match bytes.first() {
            Some(b'/' | b'\\') => path = &path[1..],
            Some(b) if b.is_ascii_whitespace() || b.is_ascii_control() => path = &path[1..],
            Some(b'%') if bytes.len() >= 3 => match decode_hex_pair(bytes[1], bytes[2]) {
                Some(decoded)
                    if matches!(decoded, b'/' | b'\\' | b' ') || decoded.is_ascii_control() =>
                {
                    path = &path[3..]
                }
                _ => return path,
            },
            _ => return path,
        }
    }
}

/// Appends `input`, percent-encoding every byte that is not an RFC 3986 `pchar` or `/`
/// (plus `?` in a query). Valid `%XX` escapes pass through; a stray `%` becomes `%25`.
fn encode_into(out: &mut String, input: &str, in_query: bool) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let bytes = input.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let keep = b.is_ascii_alphanumeric()
            || matches!(
                b,
                b'-' | b'.' | b'_' | b'~' // unreserved
                | b'!' | b'$' | b'&' | b'\'' | b'(' | b')' | b'*' | b'+' | b',' | b';' | b'=' // sub-delims
                | b':' | b'@' | b'/'
            )
            || (in_query && b == b'?');
        let valid_escape = b == b'%'
            && i + 2 < bytes.len()
            && decode_hex_pair(bytes[i + 1], bytes[i + 2]).is_some();
        if keep || valid_escape {
            out.push(b as char);
        } else {
            out.push('%');
            out.push(HEX[usize::from(b >> 4)] as char);
            out.push(HEX[usize::from(b & 0xF)] as char);
        }
        i += 1;
    }
}

fn decode_hex_pair(hi: u8, lo: u8) -> Option<u8> {
    let hex = |c: u8| (c as char).to_digit(16).map(|d| d as u8);
    Some(hex(hi)? << 4 | hex(lo)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The examples of the helpers' docs.
    #[test]
    fn the_documented_examples_hold() {
        assert_eq!(
            local_target("/products/7", Some("color=red")),
            "/products/7?color=red"
        );
        assert_eq!(local_target("//evil.com/x", None), "/evil.com/x");
        assert_eq!(local_target("/%2F%5Cevil.com", None), "/evil.com");
        assert_eq!(local_target("/a b", Some("q=\r\n")), "/a%20b?q=%0D%0A");

        assert_eq!(
            query_param("a=1&HideCookieDialog=1", "HideCookieDialog"),
            Some("1")
        );
        assert_eq!(query_param("flag&b=2", "flag"), Some(""));
        assert_eq!(query_param("ab=1", "a"), None);

        assert_eq!(
            with_query_param(Some("a=1&X=1&b=2&X=3"), "X", "0"),
            "a=1&X=0&b=2"
        );
        assert_eq!(with_query_param(None, "X", "1"), "X=1");

        assert_eq!(
            without_query_param("HideCookieDialog=1&a=1", "HideCookieDialog"),
            "a=1"
        );
    }

    #[test]
    fn ordinary_targets_are_unchanged() {
        for (path, query) in [
            ("/", None),
            ("/products/42", None),
            ("/terms", Some("HideCookieDialog=1")),
            ("/search", Some("q=caf%C3%A9&page=2&sort=price:asc")),
            ("/a/b;c=d/e.html", Some("x=/y?z")),
        ] {
            let expected = match query {
                Some(q) => format!("{path}?{q}"),
                None => path.to_owned(),
            };
            assert_eq!(local_target(path, query), expected);
        }
    }

    #[test]
    fn scheme_relative_tricks_collapse() {
        for path in [
            "//evil.com",
            "///evil.com",
            "/\\evil.com",
            "\\\\evil.com",
            "/%2f%2fevil.com",
            "/%2F/evil.com",
            "/%5cevil.com",
            "/%5C%5Cevil.com",
            "/\t/evil.com",
            "/%09/evil.com",
            "/%0d%0a/evil.com",
            "/ /evil.com",
            "/%20%2f/evil.com",
        ] {
            assert_eq!(local_target(path, None), "/evil.com", "{path:?}");
        }
    }

    #[test]
    fn dangerous_bytes_are_encoded() {
        assert_eq!(local_target("/a\\b", None), "/a%5Cb");
        assert_eq!(
            local_target("/x", Some("a=\r\nSet-Cookie:1")),
            "/x?a=%0D%0ASet-Cookie:1"
        );
        assert_eq!(local_target("/ø", Some("<script>")), "/%C3%B8?%3Cscript%3E");
        assert_eq!(local_target("/100%", Some("p=%zz")), "/100%25?p=%25zz");
        assert_eq!(local_target("/a#frag", None), "/a%23frag");
    }

    #[test]
    fn string_targets_split_and_drop_fragments() {
        assert_eq!(local_target_from_str("/p?a=1#top"), "/p?a=1");
        assert_eq!(
            local_target_from_str("https://evil.com/x?y"),
            "/https://evil.com/x?y"
        );
        assert_eq!(local_target_from_str(""), "/");
    }

    #[test]
    fn query_params() {
        assert_eq!(with_query_param(Some(""), "X", "1"), "X=1");
        assert_eq!(with_query_param(Some("X=1"), "X", "0"), "X=0");
        assert_eq!(with_query_param(Some("&&a=1&&"), "X", "0"), "a=1&X=0");
        assert_eq!(with_query_param(Some("X&a"), "X", "0"), "X=0&a");
        assert_eq!(with_query_param(Some("XY=1"), "X", "0"), "XY=1&X=0");
        assert_eq!(query_param("X=1&X=2", "X"), Some("1"));
        assert_eq!(without_query_param("X=1&a=1&X=2&b", "X"), "a=1&b");
        assert_eq!(without_query_param("", "X"), "");
    }
}
