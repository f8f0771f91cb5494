//! The body of [`decide_consent`](crate::endpoints::decide_consent).

use http::{HeaderName, HeaderValue, StatusCode};
use leptos::prelude::ServerFnError;
use uuid::Uuid;

use super::Endpoint;
use crate::{
    Category, CategorySet, ConsentAction, ConsentDecision, ServiceSet, protocol::DECISION_HEADER,
    server::request,
};

/// Checks the form fields and the request, records the decision in the consent log, then
/// sets the consent cookie. `ticked` are the fields of [`Category::OPTIONAL`], in order.
pub(crate) async fn record_decision(
    choice: &str,
    ticked: [Option<&str>; 3],
    ticked_services: &[String],
    add: Option<&str>,
    return_to: &str,
) -> Result<ConsentDecision, ServerFnError> {
    let endpoint = Endpoint::current("decision posted")?;
    endpoint.refuse_cross_site("consent decisions are only taken from the shop's own pages")?;
    let (parts, config) = (&endpoint.parts, endpoint.config());
    let fail = |status: StatusCode, message: String| endpoint.fail(status, message);
    let choice: ConsentAction = match choice.parse() {
        Ok(choice) => choice,
        Err(unknown) => return fail(StatusCode::BAD_REQUEST, format!("{unknown}")),
    };
    let ticked_flag = |name: &dyn std::fmt::Display, value: Option<&str>| match value {
        None | Some("" | "false" | "off" | "0") => Ok(false),
        Some("true" | "on" | "1") => Ok(true),
        Some(other) => Err(format!(
            "{name}={other:?}: a ticked field is \"true\" or \"on\""
        )),
    };
    let mut ticked_set = CategorySet::empty();
    for (category, value) in Category::OPTIONAL.into_iter().zip(ticked) {
        match ticked_flag(&category, value) {
            Ok(true) => ticked_set = ticked_set.with(category),
            Ok(false) => {}
            Err(message) => return fail(StatusCode::BAD_REQUEST, message),
        }
    }
    let add = match ticked_flag(&"add", add) {
        Ok(add) => add,
        Err(message) => return fail(StatusCode::BAD_REQUEST, message),
    };
    if add && choice != ConsentAction::Custom {
        return fail(
            StatusCode::BAD_REQUEST,
            format!("add goes with choice=custom, not {}", choice.as_str()),
        );
    }
    // Services ticked on their own (a custom choice): their categories are granted with
    // only them; a ticked category keeps all of its services. Added to the current decision
    // (a gate's offer), the rest of that decision stays as it is.
    let mut refused_services = ServiceSet::empty();
    if choice == ConsentAction::Custom {
        let ids: Vec<&str> = ticked_services.iter().map(String::as_str).collect();
        match crate::consent::ticked_services(config.services(), ticked_set, &ids) {
            Ok((categories, refused)) => (ticked_set, refused_services) = (categories, refused),
            Err(unknown) => return fail(StatusCode::BAD_REQUEST, unknown),
        }
        if let (true, Some(current)) = (add, &endpoint.consent.state.decision) {
            (ticked_set, refused_services) =
                crate::consent::added_to(config.services(), current, ticked_set, refused_services);
        }
    }
    let gpc = endpoint.consent.state.gpc;
    let granted = match choice.grants(config.mode(), gpc, ticked_set) {
        Ok(granted) => granted,
        Err(invalid) => return fail(StatusCode::BAD_REQUEST, invalid.to_string()),
    };
    let decision = ConsentDecision {
        consent_id: endpoint
            .consent
            .previous_consent_id
            .unwrap_or_else(Uuid::new_v4),
        granted,
        action: choice,
        decided_at: request::unix_now(),
        refused_services,
    };
    // The ids the decision allows start at once (for the events of this very page), and
    // the log records the visitor id they carry.
    let (visitor, id_cookies) = match config.tracking_hook() {
        Some(tracking) => tracking.after_decision(config.secure(), &parts.headers, granted),
        None => (None, Vec::new()),
    };
    if let Some(recorder) = config.recorder() {
        let ui_source = if request::accepts_html(&parts.headers) {
            "banner-form"
        } else {
            "banner"
        };
        // Before the response: the shopper's cookie never says more than the log.
        recorder
            .record(config.decision_notice(
                &parts.headers,
                &parts.extensions,
                decision.consent_id,
                visitor,
                Some(decision.action),
                decision.granted,
                decision.refused_services,
                ui_source,
            ))
            .await;
    }
    let Some(cookie) = config.set_cookie_header(&decision) else {
        return fail(
            StatusCode::INTERNAL_SERVER_ERROR,
            "the consent cookie could not be written".into(),
        );
    };
    endpoint.set_cookies([cookie]);
    // What the shopper does not allow goes: the cookies of refused categories this request
    // carries, HttpOnly ones included (a revoke, or a reject after an earlier accept).
    endpoint.set_cookies(config.expire_refused(
        &parts.headers,
        decision.granted,
        decision.refused_services,
    ));
    endpoint.set_cookies(id_cookies);
    if let Ok(compact) = HeaderValue::from_str(&decision.encode_compact()) {
        endpoint
            .response
            .insert_header(HeaderName::from_static(DECISION_HEADER), compact);
    }
    endpoint.send_back(return_to);
    Ok(decision)
}
