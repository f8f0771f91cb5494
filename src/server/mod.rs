//! The server half (feature `ssr`): configuration, the signed consent cookie, the tower
//! layer, and what pages and the decision endpoint read from a request.

mod admin;
mod client_ip;
mod config;
mod consent_cookie;
mod consent_log;
mod cookie_cleanup;
mod cookie_details;
mod cookie_registry;
mod dispatch;
mod fingerprint;
mod group_commit;
mod layer;
mod rate_limit;
pub(crate) mod request;
mod signing;
mod store;
mod tracking;

pub use admin::{
    AdminToken, InvalidAdminToken, MIN_ADMIN_TOKEN_LEN, NoRegistryStore, consent_log_admin,
    cookie_registry_admin, tracking_outbox_admin,
};
pub use client_ip::ClientIp;
pub use config::{
    ConfigError, ConsentConfig, ConsentConfigBuilder, DEFAULT_CONSENT_LIFETIME_DAYS,
    DEFAULT_COOKIE_NAME, DEFAULT_DECISIONS_PER_MINUTE, MAX_CONSENT_LIFETIME_DAYS, MIN_SECRET_LEN,
};
pub use consent_cookie::CookieRejection;
pub use consent_log::{
    ConsentLog, ConsentLogBuilder, ConsentRecord, DEFAULT_RETENTION_DAYS, IpRecording, LogAction,
    NotRecorded, Recorded, Subject, truncate_ip,
};
pub use cookie_details::{CookieDetailsTexts, MAX_REPORTED_COOKIES, MAX_REPORTED_NAME_LEN};
pub(crate) use cookie_details::{
    banner_cookie_details, cookie_details_for_browser, cookie_details_for_page,
};
pub use cookie_registry::{
    CookieEntry, CookieRegistry, CookieText, CookieTranslation, DEFAULT_REGISTRY_CACHE,
    EntrySource, InvalidEntry, LocalCookie, MAX_AUTHOR_LEN, MAX_DESCRIPTION_LEN, MAX_EXPIRE_DAYS,
    MAX_EXPIRE_TEXT_LEN, MAX_LOCALE_LEN, MAX_NAME_LEN, NewCookie, RegistryError, RegistrySnapshot,
    SiteTranslation, check_cookie_name,
};
pub use dispatch::{
    Backoff, BoxFuture, DEFAULT_MAX_EVENT_AGE, DEFAULT_QUEUE_CAPACITY, DeadLetter, DeliveryFailure,
    DispatchStats, EventSink, InProcessDispatcher, InstanceStatus, InvalidProvider, Outbox,
    OutboxBuilder, OutboxCounters, OutboxStatus, PERMANENT_STATUSES, Provider, RaptorField,
    RaptorProvider, SinkError, WebhookProvider,
};
pub use fingerprint::PolicyFingerprint;
use http::{HeaderName, HeaderValue, StatusCode, header, request::Parts};
pub use layer::{ConsentLayer, ConsentService, ResponseFuture};
use leptos::prelude::*;
use leptos_axum::ResponseOptions;
pub use store::{Backend, Store, StoreError, StoreOptions};
pub use tracking::{
    CookieDomain, DEFAULT_COLLECTS_PER_MINUTE, DEFAULT_REAID_COOKIE, DEFAULT_SESSION_COOKIE,
    DEFAULT_SESSION_MINUTES, DEFAULT_USER_COOKIE, DEFAULT_VISITOR_COOKIE, DEFAULT_XUID_COOKIE,
    EventSource, ID_LIFETIME_DAYS, InvalidTrackingId, MAX_BATCH_BYTES, MAX_BATCH_EVENTS,
    MAX_TRACKING_ID_LEN, TrackedEvent, TrackingConfig, TrackingConfigBuilder, TrackingConfigError,
    TrackingIds, check_tracking_id, user_id_of,
};
pub(crate) use tracking::{RequestTracking, collect_browser_events};
use uuid::Uuid;

use crate::{
    Category, CategorySet, ConsentAction, ConsentDecision, ConsentState, ConsentTexts,
    bootstrap::ConsentBootstrap, decide::DECISION_HEADER, local_target_from_str,
};

/// What the page renders with: the request's consent state and the site's texts.
pub(crate) fn bootstrap() -> ConsentBootstrap {
    match use_context::<Parts>() {
        Some(parts) => match parts.extensions.get::<ConsentConfig>() {
            Some(config) => ConsentBootstrap {
                state: config.state_for(&parts.uri, &parts.headers),
                texts: config.texts().clone(),
                tracking: config
                    .tracking()
                    .map(|tracking| tracking.bootstrap(parts.extensions.get())),
            },
            // Leptos renders the app once with an empty mock request to list its routes;
            // only a real request (it always has headers) without the layer is a mistake.
            None if parts.headers.is_empty() => fallback_bootstrap(),
            None => {
                tracing::error!(
                    "leptos-consent: no ConsentConfig on the request; add \
                     `.layer(ConsentLayer::new(config))` to the router. Rendering as \
                     \"no decision\"."
                );
                fallback_bootstrap()
            }
        },
        None => fallback_bootstrap(),
    }
}

/// What `<CookiePolicyScript/>` renders from: the request's consent state, and whether the
/// shop wants Google Consent Mode.
pub(crate) fn cookie_policy_inputs() -> (ConsentState, bool) {
    let google_consent_mode = use_context::<Parts>()
        .and_then(|parts| parts.extensions.get::<ConsentConfig>().cloned())
        .is_some_and(|config| config.google_consent_mode());
    (bootstrap().state, google_consent_mode)
}

fn fallback_bootstrap() -> ConsentBootstrap {
    ConsentBootstrap {
        state: ConsentState::default(),
        texts: ConsentTexts::english(),
        tracking: None,
    }
}

/// The body of [`Tracker`](crate::Tracker) on the server: with consent and ids, `event`
/// leaves for the sink with the request's ids; `user` (on identify) sets the `ruid` cookie
/// on the response being built.
pub(crate) fn emit_server_event(event: crate::Event, user: Option<&str>) {
    let Some(parts) = use_context::<Parts>() else {
        return;
    };
    let (Some(config), Some(request)) = (
        parts.extensions.get::<ConsentConfig>(),
        parts.extensions.get::<RequestTracking>(),
    ) else {
        return;
    };
    let Some(tracking) = config.tracking() else {
        return;
    };
    let mut ids = request.ids.clone();
    if let Some(user) = user {
        let cookies = tracking::identify(
            config,
            tracking,
            &parts.headers,
            request.allowed,
            user,
            ids.as_mut(),
        );
        if let Some(response) = use_context::<ResponseOptions>() {
            for cookie in cookies {
                response.append_header(header::SET_COOKIE, cookie);
            }
        }
    }
    let (true, Some(ids)) = (request.allowed, ids) else {
        return;
    };
    let tracked = TrackedEvent {
        event_id: Uuid::now_v7(),
        occurred_at_ms: tracking::now_ms(),
        event,
        ids,
        page: page_of(&parts),
        consent: request.granted,
        source: EventSource::Server,
    };
    let sink = tracking.sink().clone();
    tokio::spawn(async move {
        if let Err(error) = sink.accept(vec![tracked]).await {
            tracing::warn!(%error, "server-side tracking event refused by the sink");
        }
    });
}

/// The page an event belongs to: the request's path and query; for a form post or a server
/// function, the page it came from (`Referer`, reduced to its path and query).
fn page_of(parts: &Parts) -> String {
    let from_referer = (parts.method != http::Method::GET)
        .then(|| {
            parts
                .headers
                .get(header::REFERER)?
                .to_str()
                .ok()?
                .parse::<http::Uri>()
                .ok()
        })
        .flatten();
    let uri = from_referer.as_ref().unwrap_or(&parts.uri);
    crate::local_target(uri.path(), uri.query())
}

/// What a consent-log entry says happened.
pub(crate) struct LogEntry {
    pub(crate) consent_id: Uuid,
    pub(crate) action: LogAction,
    pub(crate) granted: CategorySet,
    pub(crate) ui_source: &'static str,
}

/// The consent log and its entry for this request (who: IP address and browser; under which
/// policy), if the shop keeps a log.
pub(crate) fn log_record(
    config: &ConsentConfig,
    headers: &http::HeaderMap,
    extensions: &http::Extensions,
    entry: LogEntry,
) -> Option<(ConsentLog, ConsentRecord)> {
    let log = config.log()?;
    let record = ConsentRecord {
        id: Uuid::new_v4(),
        consent_id: entry.consent_id,
        visitor_id: None,
        recorded_at: time::OffsetDateTime::from_unix_timestamp(request::unix_now())
            .unwrap_or(time::OffsetDateTime::UNIX_EPOCH),
        action: entry.action,
        granted: entry.granted,
        denied: entry.granted.denied(),
        policy_fingerprint: config.fingerprint().to_string(),
        locale: config.locale().to_owned(),
        ui_source: entry.ui_source.to_owned(),
        gpc: request::sends_gpc(headers),
        user_agent: headers
            .get(header::USER_AGENT)
            .and_then(|ua| ua.to_str().ok())
            .map(consent_log::bounded_user_agent),
        ip: config
            .client_ip()
            .of(headers, extensions)
            .and_then(|ip| log.ip_recording().record(ip)),
    };
    Some((log.clone(), record))
}

/// What a server function of the crate works with: the request, the response being built,
/// and the shop's configuration.
pub(crate) struct Endpoint {
    pub(crate) parts: Parts,
    pub(crate) response: ResponseOptions,
    pub(crate) config: ConsentConfig,
}

impl Endpoint {
    /// The current request's, or the error the endpoint answers with: without leptos_axum's
    /// context, or with `500` without the [`ConsentLayer`] (logged; `what` says which
    /// endpoint was called).
    pub(crate) fn current(what: &str) -> Result<Self, ServerFnError> {
        let (Some(parts), Some(response)) =
            (use_context::<Parts>(), use_context::<ResponseOptions>())
        else {
            return Err(ServerFnError::new(
                "leptos-consent: no request context (is leptos_axum serving?)",
            ));
        };
        let Some(config) = parts.extensions.get::<ConsentConfig>().cloned() else {
            tracing::error!("leptos-consent: {what}, but the ConsentLayer is not installed");
            response.set_status(StatusCode::INTERNAL_SERVER_ERROR);
            return Err(ServerFnError::new("consent is not configured"));
        };
        Ok(Endpoint {
            parts,
            response,
            config,
        })
    }

    /// Answers with `status` and `message`.
    pub(crate) fn fail<T>(
        &self,
        status: StatusCode,
        message: impl Into<String>,
    ) -> Result<T, ServerFnError> {
        self.response.set_status(status);
        Err(ServerFnError::new(message.into()))
    }

    /// Refuses a state-changing post from another site with `403` (see
    /// [`request::is_cross_site`]).
    pub(crate) fn refuse_cross_site(&self, message: &str) -> Result<(), ServerFnError> {
        if request::is_cross_site(&self.parts.headers) {
            return self.fail(StatusCode::FORBIDDEN, message);
        }
        Ok(())
    }

    /// Never cached; and a plain form post (no JavaScript) goes back to the page it came
    /// from with `303 See Other` (a same-origin target, see [`local_target_from_str`]).
    pub(crate) fn send_back(&self, return_to: &str) {
        let response = &self.response;
        response.insert_header(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        if request::accepts_html(&self.parts.headers) {
            let location = local_target_from_str(return_to);
            response.set_status(StatusCode::SEE_OTHER);
            response.insert_header(
                header::LOCATION,
                HeaderValue::from_str(&location).unwrap_or(HeaderValue::from_static("/")),
            );
        }
    }
}

/// The body of [`decide_consent`](crate::decide_consent): checks the form fields and the
/// request, records the decision in the consent log, then sets the consent cookie.
/// `ticked` are the fields of [`Category::OPTIONAL`], in order.
pub(crate) async fn record_decision(
    choice: &str,
    ticked: [Option<&str>; 3],
    return_to: &str,
) -> Result<ConsentDecision, ServerFnError> {
    let endpoint = Endpoint::current("decision posted")?;
    endpoint.refuse_cross_site("consent decisions are only taken from the shop's own pages")?;
    let Endpoint {
        parts,
        response,
        config,
    } = &endpoint;
    let fail = |status: StatusCode, message: String| endpoint.fail(status, message);
    let choice: ConsentAction = match choice.parse() {
        Ok(choice) => choice,
        Err(unknown) => return fail(StatusCode::BAD_REQUEST, format!("{unknown}")),
    };
    let mut ticked_set = CategorySet::empty();
    for (category, value) in Category::OPTIONAL.into_iter().zip(ticked) {
        match value {
            None | Some("" | "false" | "off" | "0") => {}
            Some("true" | "on" | "1") => ticked_set = ticked_set.with(category),
            Some(other) => {
                return fail(
                    StatusCode::BAD_REQUEST,
                    format!("{category}={other:?}: a ticked category is \"true\" or \"on\""),
                );
            }
        }
    }
    let gpc = request::sends_gpc(&parts.headers);
    let granted = match choice.grants(config.mode(), gpc, ticked_set) {
        Ok(granted) => granted,
        Err(invalid) => return fail(StatusCode::BAD_REQUEST, invalid.to_string()),
    };
    let decision = ConsentDecision {
        consent_id: config
            .previous_consent_id(&parts.headers)
            .unwrap_or_else(Uuid::new_v4),
        granted,
        action: choice,
        decided_at: request::unix_now(),
    };
    let entry = LogEntry {
        consent_id: decision.consent_id,
        action: decision.action.into(),
        granted: decision.granted,
        ui_source: if request::accepts_html(&parts.headers) {
            "banner-form"
        } else {
            "banner"
        },
    };
    if let Some((log, record)) = log_record(config, &parts.headers, &parts.extensions, entry) {
        // Before the response: the shopper's cookie never says more than the log. A record
        // neither the database nor the journal took is logged in full; the decision applies.
        let _ = log.append(record).await;
    }
    let Some(cookie) = config.set_cookie_header(&decision) else {
        return fail(
            StatusCode::INTERNAL_SERVER_ERROR,
            "the consent cookie could not be written".into(),
        );
    };
    response.append_header(header::SET_COOKIE, cookie);
    // What the shopper does not allow goes: the cookies of refused categories this request
    // carries, HttpOnly ones included (a revoke, or a reject after an earlier accept).
    for expired in config.expire_cookies_outside(&parts.headers, decision.granted) {
        response.append_header(header::SET_COOKIE, expired);
    }
    // What it allows starts at once: the id cookies, for the events of this very page.
    if let Some(tracking) = config.tracking() {
        for cookie in tracking.cookies_after_decision(config, &parts.headers, decision.granted) {
            response.append_header(header::SET_COOKIE, cookie);
        }
    }
    if let Ok(compact) = HeaderValue::from_str(&decision.encode_compact()) {
        response.insert_header(HeaderName::from_static(DECISION_HEADER), compact);
    }
    endpoint.send_back(return_to);
    Ok(decision)
}

/// The body of [`forget_cookies`](crate::forget_cookies): expires every cookie the request
/// carries (the consent cookie too) and records the withdrawal.
pub(crate) async fn forget_all_cookies(return_to: &str) -> Result<(), ServerFnError> {
    let endpoint = Endpoint::current("cookies to forget")?;
    endpoint.refuse_cross_site("cookies are only deleted from the shop's own pages")?;
    let Endpoint {
        parts,
        response,
        config,
    } = &endpoint;
    let previous = config.previous_consent_id(&parts.headers);
    let entry = previous.map(|consent_id| LogEntry {
        consent_id,
        action: LogAction::Reset,
        granted: CategorySet::essential(),
        ui_source: "privacy-page",
    });
    if let Some((log, record)) =
        entry.and_then(|entry| log_record(config, &parts.headers, &parts.extensions, entry))
    {
        let _ = log.append(record).await;
    }
    for expired in cookie_cleanup::expire_all(config, &parts.headers) {
        response.append_header(header::SET_COOKIE, expired);
    }
    endpoint.send_back(return_to);
    Ok(())
}
