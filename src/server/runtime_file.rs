//! The page's plain-JS runtime as a file: [`CookiePolicyScript`](crate::CookiePolicyScript)
//! loads it from a path named by its content, and the [`ConsentLayer`](super::ConsentLayer)
//! answers that path itself, so a shop mounts nothing. A browser keeps it for a year: the
//! pages of a shop carry only the request's own part (`window.CookiePolicy`, the script
//! element's data), not the runtime's 8 kB (10 kB with the tracker's half) on every page.
//! The first page of a visit (and a page rendered without the layer) still carries it, and
//! has the browser fetch the file while idle (see `cookie_policy_inputs`).

use http::{HeaderValue, Method, Request, Response, header};

include!(concat!(env!("OUT_DIR"), "/runtime_paths.rs"));

/// `cookie_policy.js` as pages load it: minified by terser (`cargo xtask runtime`, checked
/// against its source by `cargo xtask test`).
pub(crate) const RUNTIME: &str = include_str!("../components/cookie_policy.min.js");

/// `tracker.js`, minified the same way: shops that track load it after [`RUNTIME`] (the
/// tests read it alone).
#[cfg(test)]
pub(crate) const TRACKER: &str = include_str!("../components/tracker.min.js");

/// [`RUNTIME`] and then [`TRACKER`], one file for shops that track.
pub(crate) const RUNTIME_WITH_TRACKER: &str = concat!(
    include_str!("../components/cookie_policy.min.js"),
    include_str!("../components/tracker.min.js")
);

/// Where pages load the runtime from: with the tracker's half when the shop `tracks`.
pub(crate) fn path(tracks: bool) -> &'static str {
    if tracks {
        RUNTIME_WITH_TRACKER_PATH
    } else {
        RUNTIME_PATH
    }
}

/// The runtime a page carries when it does not load the file: the same code.
pub(crate) fn code(tracks: bool) -> &'static str {
    if tracks {
        RUNTIME_WITH_TRACKER
    } else {
        RUNTIME
    }
}

/// The answer to a `GET` (or `HEAD`) of a runtime file, or `None` for any other request.
///
/// The current paths are cacheable for a year. A path of another build (a page rendered by
/// an instance of the shop not yet, or no longer, on this version) gets this build's
/// runtime, not a `404` that would leave the page without one, but not to be kept: the name
/// does not say what it holds.
pub(crate) fn response<ReqBody, ResBody: From<&'static str>>(
    request: &Request<ReqBody>,
) -> Option<Response<ResBody>> {
    if !matches!(*request.method(), Method::GET | Method::HEAD) {
        return None;
    }
    let path = request.uri().path();
    let name = path
        .strip_prefix("/_consent/runtime-")?
        .strip_suffix(".js")?;
    let (body, current) = match name.strip_prefix("tracker-") {
        Some(hash) if is_hash(hash) => (RUNTIME_WITH_TRACKER, RUNTIME_WITH_TRACKER_PATH),
        None if is_hash(name) => (RUNTIME, RUNTIME_PATH),
        _ => return None,
    };
    let mut response = Response::new(ResBody::from(body));
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/javascript; charset=utf-8"),
    );
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(if path == current {
            "public, max-age=31536000, immutable"
        } else {
            "no-cache"
        }),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    Some(response)
}

/// Sixteen lowercase hex digits, as `build.rs` names the files.
fn is_hash(name: &str) -> bool {
    name.len() == 16 && name.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn get(path: &str) -> Option<Response<String>> {
        let request = Request::get(path).body(()).unwrap();
        response::<(), &'static str>(&request).map(|response| response.map(str::to_owned))
    }

    #[test]
    fn the_current_files_are_long_cached_javascript() {
        for (tracks, body) in [(false, RUNTIME), (true, RUNTIME_WITH_TRACKER)] {
            let response = get(path(tracks)).expect("served");
            assert_eq!(response.status(), 200);
            assert_eq!(
                response.headers()[header::CONTENT_TYPE],
                "text/javascript; charset=utf-8"
            );
            assert_eq!(
                response.headers()[header::CACHE_CONTROL],
                "public, max-age=31536000, immutable"
            );
            assert_eq!(response.body(), body);
        }
        assert!(RUNTIME_WITH_TRACKER.starts_with(RUNTIME));
        assert!(RUNTIME_WITH_TRACKER.ends_with(TRACKER));
        assert_ne!(path(false), path(true));
    }

    #[test]
    fn another_builds_path_gets_this_runtime_uncached() {
        let response = get("/_consent/runtime-0123456789abcdef.js").expect("served");
        assert_eq!(response.headers()[header::CACHE_CONTROL], "no-cache");
        assert_eq!(response.body(), RUNTIME);
        let response = get("/_consent/runtime-tracker-0123456789abcdef.js").expect("served");
        assert_eq!(response.body(), RUNTIME_WITH_TRACKER);
    }

    #[test]
    fn other_requests_pass() {
        for path in [
            "/_consent/runtime-.js",
            "/_consent/runtime-0123456789ABCDEF.js",
            "/_consent/runtime-tracker-.js",
            "/_consent/runtime-0123456789abcdef.css",
            "/_consent/decide",
            "/products/1",
        ] {
            assert!(get(path).is_none(), "{path}");
        }
        let post = Request::post(path(false)).body(()).unwrap();
        assert!(response::<(), &'static str>(&post).is_none());
    }
}
