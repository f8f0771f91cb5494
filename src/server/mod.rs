//! The server half (feature `ssr`): configuration, the signed consent cookie, the tower
//! layer, the one read of each request, and the subsystems (consent log, cookie registry,
//! tracking, dispatch) the shop configures.

mod admin;
mod client_ip;
mod config;
mod consent_cookie;
mod consent_log;
mod cookie_cleanup;
mod cookie_details;
mod cookie_registry;
mod cookies;
mod dispatch;
pub(crate) mod endpoints;
mod fingerprint;
mod group_commit;
mod layer;
mod page;
mod rate_limit;
pub(crate) mod request;
mod request_consent;
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
pub(crate) use cookie_details::{banner_cookie_details, cookie_details_for_page};
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
pub use layer::{ConsentLayer, ConsentService, ResponseFuture};
pub(crate) use page::{bootstrap, cookie_policy_inputs};
pub(crate) use request_consent::RequestConsent;
pub use store::{Backend, Store, StoreError, StoreOptions};
pub(crate) use tracking::emit_server_event;
pub use tracking::{
    CookieDomain, DEFAULT_COLLECTS_PER_MINUTE, DEFAULT_REAID_COOKIE, DEFAULT_SESSION_COOKIE,
    DEFAULT_SESSION_MINUTES, DEFAULT_USER_COOKIE, DEFAULT_VISITOR_COOKIE, DEFAULT_XUID_COOKIE,
    EventSource, ID_LIFETIME_DAYS, InvalidTrackingId, MAX_BATCH_BYTES, MAX_BATCH_EVENTS,
    MAX_TRACKING_ID_LEN, TrackedEvent, TrackingConfig, TrackingConfigBuilder, TrackingConfigError,
    TrackingIds, check_tracking_id, user_id_of,
};
