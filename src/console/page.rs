//! The layout every console page shares, and how a page is answered: HTML that is never
//! cached and never framed, with a Content-Security-Policy that allows the console's own
//! script (its in-place updates) and nothing else.

use axum::{
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use leptos::prelude::*;

use super::{
    Console,
    access::{SignedIn, Staff},
    texts::{self, fill},
};

/// The Content-Security-Policy of every console page: its own stylesheet and script, forms
/// and fetches to itself, nothing else (no inline script, no frames, no plugins).
const POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'self'; \
     img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; \
     base-uri 'none'";

/// A console page: `title` as its heading, `body` under it, the navigation and the logout
/// button when `staff` is signed in, and `set_cookies` (the CSRF cookie, a session).
pub(crate) fn respond(
    console: &Console,
    status: StatusCode,
    title: &str,
    signed_in: Option<(&Staff, &str)>,
    body: AnyView,
    set_cookies: &[HeaderValue],
) -> Response {
    let stylesheet = console.path("/console.css");
    let script = console.path(super::IN_PLACE_SCRIPT);
    let words = &texts::texts().page;
    let nav = signed_in.map(|(staff, csrf)| {
        let link = |page: &str, label: &'static str| {
            let href = console.path(page);
            view! { <li><a href=href>{label}</a></li> }
        };
        view! {
            <header class="lc-console__header">
                <nav aria-label=words.console>
                    <ul class="lc-console__nav">
                        {link(super::START, words.overview)}
                        {link("/records", words.records)}
                        {console.registry.is_some().then(|| link("/cookies", words.cookies))}
                        {console.has_tracking().then(|| link("/tracking", words.tracking))}
                        {link("/audit", words.audit)}
                    </ul>
                </nav>
                <form class="lc-console__logout" method="post" action=console.path("/logout")>
                    <input type="hidden" name="csrf" value=csrf.to_owned()/>
                    <span>{fill(words.signed_in_as, &[("name", &staff.name())])}</span>
                    <button type="submit" class="lc-console__button">{words.sign_out}</button>
                </form>
            </header>
        }
    });
    let document = view! {
        <html lang=texts::language() data-lc-console=console.base.clone()>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="robots" content="noindex, nofollow"/>
                <title>{fill(words.title, &[("title", &title)])}</title>
                <link rel="stylesheet" href=stylesheet/>
                <script src=script defer></script>
            </head>
            <body class="lc-console">
                {nav}
                <main id="main" class="lc-console__main">
                    <h1>{title.to_owned()}</h1>
                    {body}
                </main>
            </body>
        </html>
    };
    let html = format!("<!DOCTYPE html>{}", document.to_html());
    let mut response = (status, html).into_response();
    let headers = response.headers_mut();
    for (name, value) in [
        (header::CONTENT_TYPE, "text/html; charset=utf-8"),
        (header::CACHE_CONTROL, "no-store"),
        (header::CONTENT_SECURITY_POLICY, POLICY),
        (header::REFERRER_POLICY, "no-referrer"),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::X_FRAME_OPTIONS, "DENY"),
    ] {
        headers.insert(name, HeaderValue::from_static(value));
    }
    for cookie in set_cookies {
        headers.append(header::SET_COOKIE, cookie.clone());
    }
    response
}

/// A page for a signed-in staff member: [`respond`] with the navigation, the logout
/// button and the CSRF cookie when new.
pub(crate) fn for_staff(
    console: &Console,
    signed_in: &SignedIn,
    status: StatusCode,
    title: &str,
    body: AnyView,
) -> Response {
    respond(
        console,
        status,
        title,
        Some((&signed_in.staff, &signed_in.csrf.token)),
        body,
        &signed_in.csrf.cookies(),
    )
}

/// A short message page (a refusal, a result) with a link onwards.
pub(crate) fn message(text: String, onwards: Option<(String, &'static str)>) -> AnyView {
    let onwards = onwards.map(|(href, label)| view! { <p><a href=href>{label}</a></p> });
    view! {
        <p class="lc-console__message">{text}</p>
        {onwards}
    }
    .into_any()
}

/// A form field's error: the field's name and the message shown next to it.
pub(crate) type FieldError = (&'static str, String);

/// One labelled input `name`, with `error`'s message next to it when the error is this
/// field's (and the input marked invalid and described by it).
pub(crate) fn text_field(
    name: &'static str,
    label: &'static str,
    kind: &'static str,
    value: &str,
    error: Option<&FieldError>,
) -> AnyView {
    let error = error
        .filter(|(at, _)| *at == name)
        .map(|(_, message)| message.clone());
    let error_id = format!("{name}-error");
    let described = error.is_some().then(|| error_id.clone());
    let invalid = error.is_some().then_some("true");
    view! {
        <div class="lc-console__field">
            <label for=name>{label}</label>
            <input id=name name=name type=kind value=value.to_owned() aria-invalid=invalid aria-describedby=described/>
            {error.map(|message| view! { <p id=error_id class="lc-console__error">{message}</p> })}
        </div>
    }
    .into_any()
}
