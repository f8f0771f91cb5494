//! Who may use the privacy console, and the CSRF token of its forms.
//!
//! - The shop's own staff login: a hook that names the staff member of a request.
//! - The built-in login: the admin token, typed into a form, opens a session. The browser
//!   keeps only a random session id, signed, in an `HttpOnly`, `SameSite=Strict` cookie
//!   scoped to the console's path, for 30 minutes; the database keeps the id's hash, so a
//!   signed-out (or expired) session is refused even when its cookie is replayed.
//! - Every form carries a CSRF token: the HMAC of a random value the browser holds in
//!   another cookie (a signed double-submit token); a post without the matching pair is
//!   refused before anything else happens.

use std::{future::Future, num::NonZeroU32, pin::Pin, sync::Arc};

use axum::{
    Form,
    extract::State,
    http::{Extensions, HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Redirect, Response},
};
use leptos::prelude::*;
use serde::Deserialize;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use time::OffsetDateTime;

use super::{Console, page, texts::texts};
use crate::{
    admin::AdminToken,
    rate_limit::ClientLimiter,
    server::{ClientIp, request::cookie_values, signing::Signer},
    store::{Store, StoreError, with_pool},
};

/// A member of the shop's staff, as the console names them in its pages and audit trail.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Staff {
    name: String,
}

impl Staff {
    /// The staff member called `name` (an e-mail address, a login; at most 200 characters
    /// are kept).
    pub fn new(name: impl Into<String>) -> Self {
        let mut name: String = name.into();
        if let Some((cut, _)) = name.char_indices().nth(200) {
            name.truncate(cut);
        }
        Staff { name }
    }

    /// Their name.
    pub fn name(&self) -> &str {
        &self.name
    }
}

/// What a staff login hook returns.
pub(crate) type StaffFuture = Pin<Box<dyn Future<Output = Option<Staff>> + Send>>;
/// The shop's staff login hook.
pub(crate) type Authorize = Arc<dyn Fn(&HeaderMap) -> StaffFuture + Send + Sync>;

/// The session cookie of the built-in login.
pub const SESSION_COOKIE: &str = "lc_console_session";
/// The cookie the CSRF token of the console's forms is bound to.
pub const CSRF_COOKIE: &str = "lc_console_csrf";
/// How long a session of the built-in login lasts.
pub const SESSION_SECONDS: i64 = 30 * 60;
/// How the staff member of the built-in login is named.
const TOKEN_STAFF: &str = "admin token";

/// The console's doorkeeper.
pub(crate) struct Access {
    token: Option<AdminToken>,
    authorize: Option<Authorize>,
    signer: Signer,
    store: Store,
    secure: bool,
    base: String,
    /// Who is signing in, for [`sign_ins`](Self::sign_ins).
    client_ip: ClientIp,
    /// Sign-in attempts per client: [`SIGN_INS_PER_MINUTE`].
    sign_ins: ClientLimiter,
}

/// How many sign-in attempts a client (an IPv4 address, an IPv6 /64) may make a minute,
/// right or wrong; more are refused with `429` until the bucket refills.
pub const SIGN_INS_PER_MINUTE: u32 = 10;

/// A signed-in request: who, and the CSRF token for the page's forms (with the cookie to
/// set when the browser had none).
pub(crate) struct SignedIn {
    pub(crate) staff: Staff,
    pub(crate) csrf: Csrf,
}

/// A form's CSRF token, and the cookie it is bound to when that cookie is new.
pub(crate) struct Csrf {
    pub(crate) token: String,
    pub(crate) set_cookie: Option<HeaderValue>,
}

impl Csrf {
    /// The cookies a page answering with this token sets.
    pub(crate) fn cookies(&self) -> Vec<HeaderValue> {
        self.set_cookie.iter().cloned().collect()
    }
}

impl Access {
    pub(crate) fn new(
        token: Option<AdminToken>,
        authorize: Option<Authorize>,
        signer: Signer,
        store: Store,
        secure: bool,
        base: String,
        client_ip: ClientIp,
    ) -> Self {
        let per_minute = NonZeroU32::new(SIGN_INS_PER_MINUTE).unwrap_or(NonZeroU32::MIN);
        Access {
            token,
            authorize,
            signer,
            store,
            secure,
            base,
            client_ip,
            sign_ins: ClientLimiter::new(per_minute),
        }
    }

    /// How many seconds the client of a sign-in attempt must wait, when it has tried too
    /// often (one attempt more counted otherwise).
    fn sign_in_wait(&self, headers: &HeaderMap, extensions: &Extensions) -> Option<u64> {
        self.sign_ins
            .retry_after(self.client_ip.of(headers, extensions))
    }

    /// The staff member of a request: the shop's hook first, then a live session.
    async fn staff(&self, headers: &HeaderMap) -> Result<Option<Staff>, StoreError> {
        if let Some(authorize) = &self.authorize
            && let Some(staff) = authorize(headers).await
        {
            return Ok(Some(staff));
        }
        if self.token.is_none() {
            return Ok(None);
        }
        let Some(session) =
            cookie_values(headers, SESSION_COOKIE).find_map(|signed| self.signer.verify(signed))
        else {
            return Ok(None);
        };
        let now = OffsetDateTime::now_utc().unix_timestamp();
        let staff: Option<String> = with_pool!(self.store, pool => {
            sqlx::query_scalar(
                "SELECT staff FROM console_sessions WHERE session_hash = $1 AND expires_at > $2",
            )
            .bind(hash(session))
            .bind(now)
            .fetch_optional(pool)
            .await?
        });
        Ok(staff.map(Staff::new))
    }

    /// A new session for the token's holder: the `Set-Cookie` that carries it.
    async fn open_session(&self) -> Result<HeaderValue, StoreError> {
        let session = format!(
            "{}{}",
            uuid::Uuid::new_v4().simple(),
            uuid::Uuid::new_v4().simple()
        );
        let now = OffsetDateTime::now_utc().unix_timestamp();
        with_pool!(self.store, pool => {
            sqlx::query("DELETE FROM console_sessions WHERE expires_at <= $1")
                .bind(now)
                .execute(pool)
                .await?;
            sqlx::query(
                "INSERT INTO console_sessions (session_hash, staff, expires_at) VALUES ($1, $2, $3)",
            )
            .bind(hash(&session))
            .bind(TOKEN_STAFF)
            .bind(now + SESSION_SECONDS)
            .execute(pool)
            .await?;
        });
        Ok(self.cookie(SESSION_COOKIE, &self.signer.sign(&session), SESSION_SECONDS))
    }

    /// Ends the request's session, if it has one: its cookie is worth nothing from now on.
    async fn close_session(&self, headers: &HeaderMap) -> Result<(), StoreError> {
        for session in
            cookie_values(headers, SESSION_COOKIE).filter_map(|signed| self.signer.verify(signed))
        {
            with_pool!(self.store, pool => {
                sqlx::query("DELETE FROM console_sessions WHERE session_hash = $1")
                    .bind(hash(session))
                    .execute(pool)
                    .await?;
            });
        }
        Ok(())
    }

    /// The CSRF token for a page's forms, bound to the browser's CSRF cookie (a new one
    /// when it has none).
    pub(crate) fn csrf(&self, headers: &HeaderMap) -> Csrf {
        match cookie_values(headers, CSRF_COOKIE).find(|value| is_random_id(value)) {
            Some(value) => Csrf {
                token: self.csrf_token(value),
                set_cookie: None,
            },
            None => {
                let value = uuid::Uuid::new_v4().simple().to_string();
                Csrf {
                    token: self.csrf_token(&value),
                    set_cookie: Some(self.cookie(CSRF_COOKIE, &value, 12 * 60 * 60)),
                }
            }
        }
    }

    /// Whether `presented` is the CSRF token of the request's CSRF cookie.
    pub(crate) fn csrf_ok(&self, headers: &HeaderMap, presented: &str) -> bool {
        cookie_values(headers, CSRF_COOKIE)
            .filter(|value| is_random_id(value))
            .any(|value| {
                self.csrf_token(value)
                    .as_bytes()
                    .ct_eq(presented.as_bytes())
                    .into()
            })
    }

    fn csrf_token(&self, cookie: &str) -> String {
        let mut signed = self.signer.sign(&format!("csrf:{cookie}"));
        signed.truncate(signed.len() - cookie.len() - "csrf:".len());
        signed
    }

    /// A `Set-Cookie` for the console's path: `HttpOnly`, `SameSite=Strict`, `Secure` unless
    /// turned off.
    fn cookie(&self, name: &str, value: &str, max_age: i64) -> HeaderValue {
        let secure = if self.secure { "; Secure" } else { "" };
        HeaderValue::from_str(&format!(
            "{name}={value}; Path={}; Max-Age={max_age}; HttpOnly; SameSite=Strict{secure}",
            self.base
        ))
        .expect("cookie names, ids, base64 and checked paths are header-safe")
    }

    /// Whether staff can sign in here with the admin token.
    fn has_token_login(&self) -> bool {
        self.token.is_some()
    }
}

/// A random id as this module makes them (32 lowercase hex digits).
fn is_random_id(value: &str) -> bool {
    value.len() == 32 && value.bytes().all(|b| b.is_ascii_hexdigit())
}

fn hash(session: &str) -> String {
    Sha256::digest(session.as_bytes())
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// A page request's signed-in staff member, as a handler argument: anybody else gets
/// [`let_in`]'s answer instead.
impl axum::extract::FromRequestParts<Arc<Console>> for SignedIn {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        console: &Arc<Console>,
    ) -> Result<Self, Response> {
        let_in(console, &parts.headers).await
    }
}

/// Lets a page request in: the signed-in staff member and the page's CSRF token, or the
/// answer for anybody else (to the login form, or `403` without a token login).
async fn let_in(console: &Console, headers: &HeaderMap) -> Result<SignedIn, Response> {
    match console.access.staff(headers).await {
        Ok(Some(staff)) => Ok(SignedIn {
            staff,
            csrf: console.access.csrf(headers),
        }),
        Ok(None) if console.access.has_token_login() => {
            Err(Redirect::to(&console.path("/login")).into_response())
        }
        Ok(None) => Err(refusal(
            console,
            StatusCode::FORBIDDEN,
            texts().access.use_staff_login,
        )),
        Err(error) => Err(super::store_failure(&error)),
    }
}

/// Lets a form's post in: signed in, and with the CSRF token of the browser's cookie.
/// Anything else is refused (`403`) before the action runs.
pub(crate) async fn let_post_in(
    console: &Console,
    headers: &HeaderMap,
    csrf: &str,
) -> Result<SignedIn, Response> {
    if !console.access.csrf_ok(headers, csrf) {
        return Err(refusal(
            console,
            StatusCode::FORBIDDEN,
            texts().access.form_expired,
        ));
    }
    match console.access.staff(headers).await {
        Ok(Some(staff)) => Ok(SignedIn {
            staff,
            csrf: console.access.csrf(headers),
        }),
        Ok(None) => Err(refusal(
            console,
            StatusCode::FORBIDDEN,
            texts().access.session_ended,
        )),
        Err(error) => Err(super::store_failure(&error)),
    }
}

/// A refusal page with a link to the login.
fn refusal(console: &Console, status: StatusCode, text: &str) -> Response {
    let onwards = console
        .access
        .has_token_login()
        .then(|| (console.path("/login"), texts().access.sign_in));
    page::respond(
        console,
        status,
        texts().access.not_allowed,
        None,
        page::message(text.to_owned(), onwards),
        &[],
    )
}

/// `GET /login`: the login form (straight on to the console when already signed in).
pub(crate) async fn login_form(
    State(console): State<Arc<Console>>,
    headers: HeaderMap,
) -> Response {
    if let Ok(Some(_)) = console.access.staff(&headers).await {
        return Redirect::to(&console.path(super::START)).into_response();
    }
    login_page(&console, &headers, StatusCode::OK, None)
}

fn login_page(
    console: &Console,
    headers: &HeaderMap,
    status: StatusCode,
    error: Option<&'static str>,
) -> Response {
    if !console.access.has_token_login() {
        return refusal(
            console,
            StatusCode::NOT_FOUND,
            texts().access.staff_login_only,
        );
    }
    let words = &texts().access;
    let csrf = console.access.csrf(headers);
    let error = error.map(|error| {
        view! { <p id="login-error" class="lc-console__error" role="alert">{error}</p> }
    });
    let described = error.is_some().then_some("login-error");
    let body = view! {
        <form class="lc-console__form" method="post" action=console.path("/login")>
            <input type="hidden" name="csrf" value=csrf.token.clone()/>
            {error}
            <label for="token">{words.admin_token}</label>
            <input
                id="token"
                name="token"
                type="password"
                autocomplete="current-password"
                required
                aria-describedby=described
            />
            <button type="submit" class="lc-console__button">{words.sign_in}</button>
        </form>
    }
    .into_any();
    page::respond(console, status, words.sign_in, None, body, &csrf.cookies())
}

/// The login form's fields.
#[derive(Deserialize)]
pub(crate) struct LoginForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    token: String,
}

/// `POST /login`: a right token opens a session; a wrong one is refused (`401`) and audited.
pub(crate) async fn login(
    State(console): State<Arc<Console>>,
    headers: HeaderMap,
    extensions: Extensions,
    Form(form): Form<LoginForm>,
) -> Response {
    let Some(token) = &console.access.token else {
        return login_page(&console, &headers, StatusCode::NOT_FOUND, None);
    };
    if !console.access.csrf_ok(&headers, &form.csrf) {
        return login_page(
            &console,
            &headers,
            StatusCode::FORBIDDEN,
            Some(texts().access.login_expired),
        );
    }
    if let Some(wait) = console.access.sign_in_wait(&headers, &extensions) {
        tracing::warn!(
            wait,
            "privacy console: too many sign-in attempts from one client"
        );
        let mut page = login_page(
            &console,
            &headers,
            StatusCode::TOO_MANY_REQUESTS,
            Some(texts().access.too_many),
        );
        page.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(wait));
        return page;
    }
    if !token.matches(&form.token) {
        // Written or logged; the refusal stands either way.
        let _ = console
            .audit
            .record("(unknown)", "login_refused", "a wrong admin token", 0)
            .await;
        // Slows down guessing; the token is long enough that guessing cannot succeed.
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        return login_page(
            &console,
            &headers,
            StatusCode::UNAUTHORIZED,
            Some(texts().access.wrong_token),
        );
    }
    // No session without its entry in the audit trail.
    if let Err(error) = console.audit.record(TOKEN_STAFF, "login", "", 0).await {
        return super::store_failure(&error);
    }
    match console.access.open_session().await {
        Ok(cookie) => {
            let mut response = Redirect::to(&console.path(super::START)).into_response();
            response
                .headers_mut()
                .append(axum::http::header::SET_COOKIE, cookie);
            response
        }
        Err(error) => super::store_failure(&error),
    }
}

/// The logout form's field.
#[derive(Deserialize)]
pub(crate) struct CsrfForm {
    #[serde(default)]
    pub(crate) csrf: String,
}

/// `POST /logout`: ends the session (its cookie is refused from now on) and clears the
/// cookie.
pub(crate) async fn logout(
    State(console): State<Arc<Console>>,
    headers: HeaderMap,
    Form(form): Form<CsrfForm>,
) -> Response {
    let signed_in = match let_post_in(&console, &headers, &form.csrf).await {
        Ok(signed_in) => signed_in,
        Err(refused) => return refused,
    };
    if let Err(error) = console.access.close_session(&headers).await {
        return super::store_failure(&error);
    }
    // Written or logged; signing out never fails for it.
    let _ = console
        .audit
        .record(signed_in.staff.name(), "logout", "", 0)
        .await;
    let target = if console.access.has_token_login() {
        console.path("/login")
    } else {
        "/".to_owned()
    };
    let mut response = Redirect::to(&target).into_response();
    response.headers_mut().append(
        axum::http::header::SET_COOKIE,
        console.access.cookie(SESSION_COOKIE, "", 0),
    );
    response
}
