//! The shopper's ids: read from the request's cookies and query string, (re)written with
//! `Set-Cookie` when consent (or the shop's "essential" declaration) allows, expired when
//! it does not.

use base64::{Engine, engine::general_purpose::STANDARD};
use http::{HeaderMap, HeaderValue, Uri};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::TrackingConfig;
use crate::{
    CategorySet,
    server::{
        RequestTracking,
        cookies::{CookieAttributes, expire_everywhere},
        request::cookie_values,
    },
    tracking::{TrackingIds, VisitorId, check_tracking_id},
    url::query_param,
};

/// The visitor, user and campaign cookies' `Max-Age`, from
/// [`TrackingConfig::ID_LIFETIME_DAYS`](TrackingConfig::ID_LIFETIME_DAYS).
const ID_LIFETIME_SECS: i64 = TrackingConfig::ID_LIFETIME_DAYS as i64 * 86_400;

/// The `ruid` value for a shopper's identifier: base64 of it, and for an e-mail address
/// base64 of its SHA-256 (hex, of the trimmed lowercase address), so that no address is
/// ever stored in a cookie in clear text.
///
/// ```
/// use leptos_consent::tracking::user_id_of;
///
/// assert_eq!(user_id_of("customer-42"), "Y3VzdG9tZXItNDI=");
/// let hashed = user_id_of(" Ada@Example.com ");
/// assert_eq!(hashed, user_id_of("ada@example.com"));
/// assert!(!hashed.contains("ZXhhbXBsZ")); // no trace of base64("example")
/// ```
pub fn user_id_of(identifier: &str) -> String {
    let identifier = identifier.trim();
    if identifier.contains('@') {
        let digest = Sha256::digest(identifier.to_lowercase().as_bytes());
        let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
        STANDARD.encode(hex)
    } else {
        STANDARD.encode(identifier)
    }
}

/// The ids in the request's cookies (each the first valid value of its name).
struct Existing {
    visitor: Option<VisitorId>,
    session: Option<String>,
    user: Option<String>,
    reaid: Option<String>,
    xuid: Option<String>,
}

fn first_valid(headers: &HeaderMap, name: &str) -> Option<String> {
    cookie_values(headers, name)
        .find(|value| check_tracking_id(value).is_ok())
        .map(str::to_owned)
}

fn query_id<'q>(uri: &'q Uri, name: &str) -> Option<&'q str> {
    uri.query()
        .and_then(|query| query_param(query, name))
        .filter(|value| check_tracking_id(value).is_ok())
}

impl TrackingConfig {
    fn existing(&self, headers: &HeaderMap) -> Existing {
        let names = self.names();
        Existing {
            visitor: first_valid(headers, &names.visitor).and_then(|id| VisitorId::new(id).ok()),
            session: first_valid(headers, &names.session),
            user: first_valid(headers, &names.user),
            reaid: first_valid(headers, &names.reaid),
            xuid: first_valid(headers, &names.xuid),
        }
    }

    /// The request's tracking state and the `Set-Cookie` headers that go with it.
    ///
    /// `visit` is a page request or a collect post: then the visitor and session cookies
    /// are renewed (or created), `?reaid=`/`?xuid=` are stored, and without consent any id
    /// cookie the browser still sends is expired. Other requests (assets, server
    /// functions) only read.
    pub(crate) fn resolve(
        &self,
        secure: bool,
        uri: &Uri,
        headers: &HeaderMap,
        granted: CategorySet,
        visit: bool,
    ) -> (RequestTracking, Vec<HeaderValue>) {
        let allowed = granted.contains(self.consent_category());
        let query = if visit { Some(uri) } else { None };
        let (ids, cookies) = self.ids_for(secure, headers, query, allowed, visit);
        let tracking = RequestTracking {
            ids,
            allowed,
            granted,
        };
        (tracking, cookies)
    }

    /// After a decision granting `granted`: the ids it allows and their cookies (new or
    /// renewed). Those it refuses are expired with the rest of the refused categories'
    /// cookies.
    pub(crate) fn ids_after_decision(
        &self,
        secure: bool,
        headers: &HeaderMap,
        granted: CategorySet,
    ) -> (Option<TrackingIds>, Vec<HeaderValue>) {
        let allowed = granted.contains(self.consent_category());
        if !allowed && !self.ids_are_essential() {
            return (None, Vec::new());
        }
        self.ids_for(secure, headers, None, allowed, true)
    }

    /// The visitor id in the request's cookies, when `granted` (or the shop's "essential"
    /// declaration) lets it be kept.
    pub(crate) fn visitor_kept(
        &self,
        headers: &HeaderMap,
        granted: CategorySet,
    ) -> Option<VisitorId> {
        (granted.contains(self.consent_category()) || self.ids_are_essential())
            .then(|| self.existing(headers).visitor)
            .flatten()
    }

    fn ids_for(
        &self,
        secure: bool,
        headers: &HeaderMap,
        query: Option<&Uri>,
        allowed: bool,
        write: bool,
    ) -> (Option<TrackingIds>, Vec<HeaderValue>) {
        let existing = self.existing(headers);
        let names = self.names();
        let may_write = self.writes_cookies() && (allowed || self.ids_are_essential());
        let mut cookies = Vec::new();
        if !may_write {
            if self.writes_cookies() && write {
                // No consent (any more): what the browser still holds goes.
                let present = [
                    (existing.visitor.is_some(), &names.visitor),
                    (existing.session.is_some(), &names.session),
                    (existing.user.is_some(), &names.user),
                    (existing.reaid.is_some(), &names.reaid),
                    (existing.xuid.is_some(), &names.xuid),
                ]
                .into_iter()
                .filter(|(present, _)| *present)
                .map(|(_, name)| name.as_str());
                cookies = expire_everywhere(present, headers, secure);
                return (None, cookies);
            }
            let ids = match (existing.visitor, existing.session) {
                (Some(visitor), Some(session)) if !self.writes_cookies() => {
                    Some(exclusive(TrackingIds {
                        visitor,
                        session,
                        user: existing.user,
                        reaid: existing.reaid,
                        xuid: existing.xuid,
                    }))
                }
                _ => None,
            };
            return (ids, cookies);
        }
        let (visitor, session) = match (existing.visitor, existing.session) {
            (Some(visitor), Some(session)) => (visitor, session),
            (Some(visitor), None) => (visitor, Uuid::new_v4().to_string()),
            (None, session) if write => (
                VisitorId::from(Uuid::new_v4()),
                session.unwrap_or_else(|| Uuid::new_v4().to_string()),
            ),
            // Fresh ids are only handed out where their cookies are written.
            (None, _) => return (None, cookies),
        };
        let mut ids = TrackingIds {
            visitor,
            session,
            user: existing.user,
            reaid: existing.reaid,
            xuid: existing.xuid,
        };
        if !write {
            return (Some(exclusive(ids)), cookies);
        }
        let domain = self.cookie_domain_for(headers);
        let year = ID_LIFETIME_SECS;
        let set = |name: &str, value: &str, max_age: i64| {
            self.id_cookie(secure, name, domain.clone())
                .set(value, max_age)
        };
        cookies.extend(set(&names.visitor, ids.visitor.as_str(), year));
        cookies.extend(set(&names.session, &ids.session, self.session_secs()));
        if let Some(query) = query {
            // The latest wins: an xuid drops reaid and ruid, a reaid drops xuid.
            if let Some(xuid) = query_id(query, &names.xuid) {
                cookies.extend(set(&names.xuid, xuid, year));
                let gone = [&ids.reaid, &ids.user]
                    .into_iter()
                    .zip([&names.reaid, &names.user])
                    .filter(|(value, _)| value.is_some())
                    .map(|(_, name)| name.as_str());
                cookies.extend(expire_everywhere(gone, headers, secure));
                ids.xuid = Some(xuid.to_owned());
                ids.reaid = None;
                ids.user = None;
            } else if let Some(reaid) = query_id(query, &names.reaid) {
                cookies.extend(set(&names.reaid, reaid, year));
                if ids.xuid.take().is_some() {
                    cookies.extend(expire_everywhere([names.xuid.as_str()], headers, secure));
                }
                ids.reaid = Some(reaid.to_owned());
            }
        }
        (Some(exclusive(ids)), cookies)
    }

    /// The `Domain` of the id cookies for a request with these headers (`None`: host-only).
    fn cookie_domain_for(&self, headers: &HeaderMap) -> Option<String> {
        self.domain().for_request(headers, self.shop_domains())
    }

    /// The attributes of the id cookie `name` on `domain` (`None`: host-only).
    fn id_cookie(&self, secure: bool, name: &str, domain: Option<String>) -> CookieAttributes {
        CookieAttributes::new(name, secure, self.http_only()).on(domain)
    }
}

/// `xuid` excludes `reaid` and `ruid`: when a request still carries both kinds, `xuid` is
/// not sent.
fn exclusive(mut ids: TrackingIds) -> TrackingIds {
    if ids.xuid.is_some() && (ids.reaid.is_some() || ids.user.is_some()) {
        ids.xuid = None;
    }
    ids
}

/// The shopper identified as `user`: when consent allows writing ids, `ids` (if any) get
/// its user id (see [`user_id_of`]; `xuid` goes, as it excludes `ruid`), and the answer is
/// the `ruid` cookie and the expiry of `xuid`.
pub(crate) fn identify(
    secure: bool,
    tracking: &TrackingConfig,
    headers: &HeaderMap,
    allowed: bool,
    user: &str,
    ids: Option<&mut TrackingIds>,
) -> Vec<HeaderValue> {
    let user_id = user_id_of(user);
    if check_tracking_id(&user_id).is_err() || !(allowed || tracking.ids_are_essential()) {
        return Vec::new();
    }
    if let Some(ids) = ids {
        ids.user = Some(user_id.clone());
        ids.xuid = None;
    }
    if !tracking.writes_cookies() {
        return Vec::new();
    }
    let names = tracking.names();
    let domain = tracking.cookie_domain_for(headers);
    let mut cookies: Vec<HeaderValue> = tracking
        .id_cookie(secure, &names.user, domain)
        .set(user_id, ID_LIFETIME_SECS)
        .into_iter()
        .collect();
    if cookie_values(headers, &names.xuid).next().is_some() {
        cookies.extend(expire_everywhere([names.xuid.as_str()], headers, secure));
    }
    cookies
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        Category, ConsentAction, ConsentDecision, server::ConsentConfig, server::RequestConsent,
        tracking::DroppingSink,
    };

    fn configs(essential: bool) -> (ConsentConfig, TrackingConfig) {
        configs_with(TrackingConfig::builder(DroppingSink).essential_ids(essential))
    }

    fn configs_with(
        tracking: super::super::TrackingConfigBuilder,
    ) -> (ConsentConfig, TrackingConfig) {
        let tracking = tracking.build().unwrap();
        let config = ConsentConfig::builder()
            .secret([7; 32])
            .tracking(tracking.clone())
            .build()
            .unwrap();
        (config, tracking)
    }

    fn request(config: &ConsentConfig, granted: Option<CategorySet>, cookies: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert("host", HeaderValue::from_static("www.shop.co.uk"));
        let mut cookie = cookies.to_owned();
        if let Some(granted) = granted {
            let decision = ConsentDecision {
                consent_id: Uuid::new_v4(),
                granted,
                action: ConsentAction::Custom,
                decided_at: crate::server::request::unix_now(),
                refused_services: Default::default(),
            };
            let header = config.set_cookie_header(&decision).unwrap();
            let pair = header
                .to_str()
                .unwrap()
                .split(';')
                .next()
                .unwrap()
                .to_owned();
            cookie = if cookie.is_empty() {
                pair
            } else {
                format!("{pair}; {cookie}")
            };
        }
        if !cookie.is_empty() {
            headers.insert("cookie", HeaderValue::from_str(&cookie).unwrap());
        }
        headers
    }

    /// What the layer reads of a request: its tracking state and the id cookies to set.
    fn resolve(
        config: &ConsentConfig,
        uri: &Uri,
        headers: &HeaderMap,
        visit: bool,
    ) -> (RequestTracking, Vec<HeaderValue>) {
        let (read, cookies) =
            RequestConsent::read(config, uri, headers, &http::Extensions::new(), visit);
        (read.tracking.expect("tracking is configured"), cookies)
    }

    fn names(cookies: &[HeaderValue]) -> Vec<String> {
        cookies
            .iter()
            .map(|c| c.to_str().unwrap().split('=').next().unwrap().to_owned())
            .collect()
    }

    #[test]
    fn no_consent_no_ids_and_old_ones_expire() {
        let (config, _) = configs(false);
        let uri: Uri = "/?reaid=abc".parse().unwrap();
        let headers = request(&config, None, "");
        let (state, cookies) = resolve(&config, &uri, &headers, true);
        assert!(state.ids.is_none() && !state.allowed && !state.emits());
        assert!(cookies.is_empty());
        let refused = CategorySet::essential().with(Category::Statistics);
        let headers = request(&config, Some(refused), "cemv=v1; cems=s1");
        let (state, cookies) = resolve(&config, &uri, &headers, true);
        assert!(state.ids.is_none());
        assert!(
            cookies
                .iter()
                .all(|c| c.to_str().unwrap().contains("Max-Age=0"))
        );
        assert_eq!(names(&cookies), ["cemv", "cemv", "cems", "cems"]);
    }

    #[test]
    fn consent_creates_ids_with_lifetimes_and_the_registrable_domain() {
        let (config, _) = configs(false);
        let uri: Uri = "/products/1".parse().unwrap();
        let headers = request(&config, Some(CategorySet::all()), "");
        let (state, cookies) = resolve(&config, &uri, &headers, true);
        let ids = state.ids.clone().unwrap();
        assert!(state.emits());
        assert_eq!(
            Uuid::parse_str(ids.visitor.as_str())
                .unwrap()
                .get_version_num(),
            4
        );
        assert_eq!(Uuid::parse_str(&ids.session).unwrap().get_version_num(), 4);
        let texts: Vec<&str> = cookies.iter().map(|c| c.to_str().unwrap()).collect();
        assert!(texts[0].starts_with(&format!("cemv={}", ids.visitor)));
        assert!(texts[0].contains("Max-Age=31536000") && texts[0].contains("Domain=shop.co.uk"));
        assert!(texts[1].contains("Max-Age=1200") && texts[1].contains("HttpOnly"));
        // The next visit keeps them and renews both.
        let headers = request(
            &config,
            Some(CategorySet::all()),
            &format!("cemv={}; cems={}", ids.visitor, ids.session),
        );
        let (again, cookies) = resolve(&config, &uri, &headers, true);
        assert_eq!(again.ids, Some(ids));
        assert_eq!(names(&cookies), ["cemv", "cems"]);
        // A request for an asset reads them and writes nothing.
        let (asset, cookies) = resolve(&config, &uri, &headers, false);
        assert!(asset.ids.is_some() && cookies.is_empty());
    }

    #[test]
    fn xuid_and_reaid_exclude_each_other() {
        let (config, _) = configs(false);
        let all = Some(CategorySet::all());
        let headers = request(&config, all, "cemv=v; cems=s; ruid=dQ==; reaid=r1");
        let uri: Uri = "/?xuid=x-9".parse().unwrap();
        let (state, cookies) = resolve(&config, &uri, &headers, true);
        let ids = state.ids.unwrap();
        assert_eq!(
            (ids.xuid.as_deref(), ids.reaid, ids.user),
            (Some("x-9"), None, None)
        );
        let written = names(&cookies);
        assert!(written.contains(&"xuid".to_owned()));
        assert!(written.contains(&"reaid".to_owned()) && written.contains(&"ruid".to_owned()));
        let headers = request(&config, all, "cemv=v; cems=s; xuid=x-9");
        let uri: Uri = "/?reaid=r2".parse().unwrap();
        let ids = resolve(&config, &uri, &headers, true).0.ids.unwrap();
        assert_eq!((ids.reaid.as_deref(), ids.xuid), (Some("r2"), None));
        // Bad query values are ignored.
        let uri: Uri = "/?reaid=a%3Bb;c".parse().unwrap();
        let ids = resolve(&config, &uri, &headers, true).0.ids.unwrap();
        assert_eq!(ids.xuid.as_deref(), Some("x-9"));
    }

    #[test]
    fn essential_ids_are_written_without_consent_but_emit_nothing() {
        let (config, _) = configs(true);
        let headers = request(&config, None, "");
        let (state, cookies) = resolve(&config, &"/".parse().unwrap(), &headers, true);
        assert!(state.ids.is_some() && !state.emits());
        assert_eq!(names(&cookies), ["cemv", "cems"]);
    }

    #[test]
    fn the_shops_own_cookies_are_read_never_written() {
        let (config, _) = configs_with(
            TrackingConfig::builder(DroppingSink)
                .write_cookies(false)
                .visitor_cookie("shop_visitor")
                .session_cookie("shop_session"),
        );
        let headers = request(
            &config,
            Some(CategorySet::all()),
            "shop_visitor=V; shop_session=S",
        );
        let (state, cookies) = resolve(&config, &"/".parse().unwrap(), &headers, true);
        assert_eq!(state.ids.unwrap().visitor, "V");
        assert!(cookies.is_empty());
        let headers = request(&config, Some(CategorySet::all()), "shop_visitor=V");
        assert!(
            resolve(&config, &"/".parse().unwrap(), &headers, true)
                .0
                .ids
                .is_none()
        );
    }

    #[test]
    fn identify_stores_no_address_in_clear_text() {
        let (config, tracking) = configs(false);
        let headers = request(&config, Some(CategorySet::all()), "xuid=x");
        let mut ids = TrackingIds {
            visitor: "v".parse().unwrap(),
            session: "s".into(),
            user: None,
            reaid: None,
            xuid: Some("x".into()),
        };
        let cookies = identify(
            config.secure(),
            &tracking,
            &headers,
            true,
            "ada@example.com",
            Some(&mut ids),
        );
        let user = ids.user.clone().unwrap();
        assert_eq!(ids.xuid, None);
        let all: String = cookies.iter().map(|c| c.to_str().unwrap()).collect();
        assert!(!all.contains("ada") && !all.contains("example"));
        assert!(all.contains(&format!("ruid={user}")));
        assert!(
            cookies
                .iter()
                .map(|c| c.to_str().unwrap())
                .any(|c| c.starts_with("xuid=;") && c.contains("Max-Age=0")),
            "{all}"
        );
        let mut untouched = ids.clone();
        untouched.user = None;
        let refused = identify(
            config.secure(),
            &tracking,
            &headers,
            false,
            "a",
            Some(&mut untouched),
        );
        assert!(refused.is_empty() && untouched.user.is_none());
    }
}
