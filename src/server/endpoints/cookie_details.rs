//! The body of [`cookie_details_fragment`](crate::endpoints::cookie_details_fragment).

use http::{HeaderValue, StatusCode, header};
use leptos::prelude::ServerFnError;

use super::Endpoint;
use crate::server::cookie_details::reported_cookie_names;
use crate::server::request::request_cookie_names;

/// The grid for the request's cookies and those the browser reports.
pub(crate) fn cookie_details_for_browser(reported: &str) -> Result<String, ServerFnError> {
    let endpoint = Endpoint::current("cookie details asked for")?;
    endpoint
        .response
        .insert_header(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    let reported = match reported_cookie_names(reported) {
        Ok(reported) => reported,
        Err(message) => return endpoint.fail(StatusCode::BAD_REQUEST, message),
    };
    let mut names = request_cookie_names(&endpoint.parts.headers);
    for name in reported {
        if !names.contains(&name) {
            names.push(name);
        }
    }
    Ok(endpoint.consent.cookie_details_html(&names))
}
