//! The cookie registry endpoints (`/v2/cookies`): the shop-local registry's list, create,
//! read, update and delete, and its translations per site.

mod openapi;

use axum::{
    Json, Router,
    extract::{Path, Request, State, rejection::JsonRejection},
    http::{HeaderName, HeaderValue, Method, StatusCode, header},
    middleware::{self, Next},
    response::{IntoResponse, Response},
    routing::get,
};
use serde::Serialize;
use utoipa::ToSchema;

use super::{AdminToken, failure, require_token};
use crate::registry::CookieRegistry;
use crate::registry::CookieTranslation;
use crate::registry::LocalCookie;
use crate::registry::NewCookie;
use crate::registry::RegistryError;
use crate::registry::SiteTranslation;

/// [`cookie_registry_admin`] was given a registry without a database.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "the cookie registry admin API needs a registry with a database (CookieRegistry::load), \
     not CookieRegistry::native()"
)]
pub struct NoRegistryStore;

/// The cookie registry admin API, behind `token`, at `/v2/cookies` (merge it into the shop's
/// router), with its OpenAPI document at `GET /v2/openapi.json` (served without a token: it
/// describes the API, not the shop's data).
///
/// | Request | Answer |
/// |---|---|
/// | `GET /v2/cookies` | `200` every shop-local cookie with its translations |
/// | `POST /v2/cookies` `{"name", "category", "expire_days", "is_third_party", "third_party_author"}` | `201` `{"id": n}` |
/// | `GET`, `PUT`, `DELETE /v2/cookies/{id}` | `200` the cookie, `200` the updated cookie, `204` |
/// | `POST /v2/cookies/{id}/translations/{siteId}` `{"locale", "description", "third_party_author_description", "expire_text"}` | `201`; `409` when the site has one (replace it with `PUT`) |
/// | `GET`, `PUT`, `DELETE /v2/cookies/{id}/translations/{siteId}` | `200`, `200`, `204` |
///
/// Every successful change answers `Reasks-Shoppers: true` when it changed the policy
/// fingerprint, so that every shopper is asked again (and logs a warning), else `false`;
/// which changes do is the registry's [`Reask`](crate::registry::Reask) setting.
///
/// Without `Authorization: Bearer <token>`: `401`. Malformed JSON, a field the API does not
/// know, a category other than `system`, `functional`, `statistics` or `tracking`, a name
/// outside the RFC 6265 token characters (plus `*`), a text over its length limit: `400` with
/// `{"error": "…"}`, and nothing changes. An unknown id: `404`. Every change is shown by
/// this process at once and by other instances within their registry cache period.
///
/// ```no_run
/// # use leptos_consent::{admin::{AdminToken, cookie_registry_admin}, registry::CookieRegistry};
/// # fn mount(app: axum::Router, registry: CookieRegistry, token: AdminToken) -> axum::Router {
/// app.merge(cookie_registry_admin(registry, token).expect("a registry with a database"))
/// # }
/// ```
pub fn cookie_registry_admin(
    registry: CookieRegistry,
    token: AdminToken,
) -> Result<Router, NoRegistryStore> {
    if !registry.has_store() {
        return Err(NoRegistryStore);
    }
    Ok(Router::new()
        .route("/v2/cookies", get(list).post(create))
        .route("/v2/cookies/{id}", get(read).put(update).delete(delete))
        .route(
            "/v2/cookies/{id}/translations/{site_id}",
            get(read_translation)
                .post(add_translation)
                .put(put_translation)
                .delete(delete_translation),
        )
        .route_layer(middleware::from_fn_with_state(
            registry.clone(),
            say_whether_it_reasks,
        ))
        .with_state(registry)
        .route_layer(middleware::from_fn_with_state(token, require_token))
        .route("/v2/openapi.json", get(openapi::document)))
}

/// The answer's header saying whether a change asks every shopper again.
pub const REASKS_SHOPPERS: HeaderName = HeaderName::from_static("reasks-shoppers");

/// Tells the operator, on every successful change, whether it changed the policy
/// fingerprint (every shopper is asked again): in the answer and, when it did, in the log.
async fn say_whether_it_reasks(
    State(registry): State<CookieRegistry>,
    request: Request,
    next: Next,
) -> Response {
    if matches!(*request.method(), Method::GET | Method::HEAD) {
        return next.run(request).await;
    }
    // What other instances changed meanwhile is not this change's doing.
    if let Err(error) = registry.reload().await {
        tracing::warn!(%error, "cookie registry could not be reloaded before a change");
    }
    let before = registry.snapshot().fingerprint();
    let mut response = next.run(request).await;
    if response.status().is_success() {
        let after = registry.snapshot().fingerprint();
        let reasks = before != after;
        if reasks {
            tracing::warn!(
                %before,
                %after,
                "a cookie registry change asks every shopper again (the policy fingerprint changed)"
            );
        }
        response.headers_mut().insert(
            REASKS_SHOPPERS,
            HeaderValue::from_static(if reasks { "true" } else { "false" }),
        );
    }
    response
}

/// The id of a created cookie.
#[derive(Serialize, ToSchema)]
pub(super) struct Created {
    /// The new cookie's id.
    id: i64,
}

/// A refused request: its status and what to fix.
pub(super) struct Refusal(StatusCode, String);

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        failure(self.0, &self.1)
    }
}

impl From<RegistryError> for Refusal {
    fn from(error: RegistryError) -> Self {
        match error {
            RegistryError::Invalid(invalid) => {
                Refusal(StatusCode::BAD_REQUEST, invalid.to_string())
            }
            RegistryError::NotFound => Refusal(
                StatusCode::NOT_FOUND,
                "no such cookie or translation".to_owned(),
            ),
            conflict @ RegistryError::Conflict { .. } => {
                Refusal(StatusCode::CONFLICT, conflict.to_string())
            }
            RegistryError::Store(error) => {
                tracing::error!(%error, "cookie registry request failed in the database");
                Refusal(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "the consent database is not available; try again".to_owned(),
                )
            }
            other => Refusal(StatusCode::INTERNAL_SERVER_ERROR, other.to_string()),
        }
    }
}

/// A cookie id from the path: a positive whole number.
fn cookie_id(id: &str) -> Result<i64, Refusal> {
    id.parse::<i64>().ok().filter(|id| *id > 0).ok_or_else(|| {
        Refusal(
            StatusCode::BAD_REQUEST,
            format!("cookie id {id:?} is not a positive whole number"),
        )
    })
}

/// A cookie id and a site id from the path: positive whole numbers.
fn ids(id: &str, site_id: &str) -> Result<(i64, i32), Refusal> {
    let site = site_id
        .parse::<i32>()
        .ok()
        .filter(|s| *s > 0)
        .ok_or_else(|| {
            Refusal(
                StatusCode::BAD_REQUEST,
                format!("site id {site_id:?} is not a positive whole number"),
            )
        })?;
    Ok((cookie_id(id)?, site))
}

/// A JSON body, or a `400` that says what is wrong with it.
fn body<T>(body: Result<Json<T>, JsonRejection>) -> Result<T, Refusal> {
    body.map(|Json(value)| value)
        .map_err(|rejection| Refusal(StatusCode::BAD_REQUEST, rejection.body_text()))
}

/// Every shop-local cookie, with its translations.
#[utoipa::path(get, path = "/v2/cookies", tag = "CookieDetails",
    responses(
        (status = 200, description = "Every shop-local cookie, oldest first", body = [LocalCookie]),
        (status = 401, description = "No or a wrong admin token", body = super::Failure),
    ))]
pub(super) async fn list(State(registry): State<CookieRegistry>) -> Result<Response, Refusal> {
    Ok(Json(registry.local_cookies().await?).into_response())
}

/// Adds a shop-local cookie: its name, category and third party. Names may repeat; a name
/// of a native entry replaces that entry.
#[utoipa::path(post, path = "/v2/cookies", tag = "CookieDetails", request_body = NewCookie,
    responses(
        (status = 201, description = "Created", body = Created,
            headers(("location" = String, description = "The new cookie's URL"))),
        (status = 400, description = "Invalid input; nothing changed", body = super::Failure),
        (status = 401, description = "No or a wrong admin token", body = super::Failure),
    ))]
pub(super) async fn create(
    State(registry): State<CookieRegistry>,
    cookie: Result<Json<NewCookie>, JsonRejection>,
) -> Result<Response, Refusal> {
    let id = registry.create_local_cookie(&body(cookie)?).await?;
    let mut response = (StatusCode::CREATED, Json(Created { id })).into_response();
    if let Ok(location) = HeaderValue::from_str(&format!("/v2/cookies/{id}")) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    Ok(response)
}

/// One shop-local cookie, with its translations.
#[utoipa::path(get, path = "/v2/cookies/{id}", tag = "CookieDetails",
    params(("id" = i64, Path, description = "The cookie's id")),
    responses(
        (status = 200, description = "The cookie", body = LocalCookie),
        (status = 400, description = "Not an id", body = super::Failure),
        (status = 401, description = "No or a wrong admin token", body = super::Failure),
        (status = 404, description = "No such cookie", body = super::Failure),
    ))]
pub(super) async fn read(
    State(registry): State<CookieRegistry>,
    Path(id): Path<String>,
) -> Result<Response, Refusal> {
    Ok(Json(registry.local_cookie(cookie_id(&id)?).await?).into_response())
}

/// Replaces a shop-local cookie's name, category and third party.
#[utoipa::path(put, path = "/v2/cookies/{id}", tag = "CookieDetails", request_body = NewCookie,
    params(("id" = i64, Path, description = "The cookie's id")),
    responses(
        (status = 200, description = "The updated cookie", body = LocalCookie),
        (status = 400, description = "Invalid input; nothing changed", body = super::Failure),
        (status = 401, description = "No or a wrong admin token", body = super::Failure),
        (status = 404, description = "No such cookie", body = super::Failure),
    ))]
pub(super) async fn update(
    State(registry): State<CookieRegistry>,
    Path(id): Path<String>,
    cookie: Result<Json<NewCookie>, JsonRejection>,
) -> Result<Response, Refusal> {
    let id = cookie_id(&id)?;
    registry.update_local_cookie(id, &body(cookie)?).await?;
    Ok(Json(registry.local_cookie(id).await?).into_response())
}

/// Deletes a shop-local cookie and its translations.
#[utoipa::path(delete, path = "/v2/cookies/{id}", tag = "CookieDetails",
    params(("id" = i64, Path, description = "The cookie's id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 400, description = "Not an id", body = super::Failure),
        (status = 401, description = "No or a wrong admin token", body = super::Failure),
        (status = 404, description = "No such cookie", body = super::Failure),
    ))]
pub(super) async fn delete(
    State(registry): State<CookieRegistry>,
    Path(id): Path<String>,
) -> Result<Response, Refusal> {
    registry.delete_local_cookie(cookie_id(&id)?).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// A cookie's translation for one site.
#[utoipa::path(get, path = "/v2/cookies/{id}/translations/{siteId}", tag = "CookieDetails",
    params(
        ("id" = i64, Path, description = "The cookie's id"),
        ("siteId" = i32, Path, description = "The site's id"),
    ),
    responses(
        (status = 200, description = "The translation", body = SiteTranslation),
        (status = 400, description = "Not an id", body = super::Failure),
        (status = 401, description = "No or a wrong admin token", body = super::Failure),
        (status = 404, description = "No such cookie or translation", body = super::Failure),
    ))]
pub(super) async fn read_translation(
    State(registry): State<CookieRegistry>,
    Path((id, site_id)): Path<(String, String)>,
) -> Result<Response, Refusal> {
    let (id, site_id) = ids(&id, &site_id)?;
    let cookie = registry.local_cookie(id).await?;
    match cookie
        .translations
        .into_iter()
        .find(|t| t.site_id == site_id)
    {
        Some(translation) => Ok(Json(translation).into_response()),
        None => Err(RegistryError::NotFound.into()),
    }
}

/// Adds a cookie's description, third-party author description and expiry text for a site.
#[utoipa::path(post, path = "/v2/cookies/{id}/translations/{siteId}", tag = "CookieDetails",
    request_body = CookieTranslation,
    params(
        ("id" = i64, Path, description = "The cookie's id"),
        ("siteId" = i32, Path, description = "The site's id"),
    ),
    responses(
        (status = 201, description = "Created"),
        (status = 400, description = "Invalid input; nothing changed", body = super::Failure),
        (status = 401, description = "No or a wrong admin token", body = super::Failure),
        (status = 404, description = "No such cookie", body = super::Failure),
        (status = 409, description = "The site has a translation already; replace it with PUT", body = super::Failure),
    ))]
pub(super) async fn add_translation(
    State(registry): State<CookieRegistry>,
    Path((id, site_id)): Path<(String, String)>,
    translation: Result<Json<CookieTranslation>, JsonRejection>,
) -> Result<Response, Refusal> {
    let (id, site_id) = ids(&id, &site_id)?;
    registry
        .add_translation(id, site_id, &body(translation)?)
        .await?;
    Ok(StatusCode::CREATED.into_response())
}

/// Adds or replaces a cookie's translation for a site.
#[utoipa::path(put, path = "/v2/cookies/{id}/translations/{siteId}", tag = "CookieDetails",
    request_body = CookieTranslation,
    params(
        ("id" = i64, Path, description = "The cookie's id"),
        ("siteId" = i32, Path, description = "The site's id"),
    ),
    responses(
        (status = 200, description = "Stored", body = SiteTranslation),
        (status = 400, description = "Invalid input; nothing changed", body = super::Failure),
        (status = 401, description = "No or a wrong admin token", body = super::Failure),
        (status = 404, description = "No such cookie", body = super::Failure),
    ))]
pub(super) async fn put_translation(
    State(registry): State<CookieRegistry>,
    Path((id, site_id)): Path<(String, String)>,
    translation: Result<Json<CookieTranslation>, JsonRejection>,
) -> Result<Response, Refusal> {
    let (id, site_id) = ids(&id, &site_id)?;
    let translation = body(translation)?;
    registry.put_translation(id, site_id, &translation).await?;
    Ok(Json(SiteTranslation {
        site_id,
        translation,
    })
    .into_response())
}

/// Deletes a cookie's translation for a site.
#[utoipa::path(delete, path = "/v2/cookies/{id}/translations/{siteId}", tag = "CookieDetails",
    params(
        ("id" = i64, Path, description = "The cookie's id"),
        ("siteId" = i32, Path, description = "The site's id"),
    ),
    responses(
        (status = 204, description = "Deleted"),
        (status = 400, description = "Not an id", body = super::Failure),
        (status = 401, description = "No or a wrong admin token", body = super::Failure),
        (status = 404, description = "No such cookie or translation", body = super::Failure),
    ))]
pub(super) async fn delete_translation(
    State(registry): State<CookieRegistry>,
    Path((id, site_id)): Path<(String, String)>,
) -> Result<Response, Refusal> {
    let (id, site_id) = ids(&id, &site_id)?;
    registry.delete_translation(id, site_id).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
