//! The OpenAPI document of the cookie registry admin API, derived from the handlers and the
//! very types they take and answer with.

use axum::{Json, response::IntoResponse};
use utoipa::{
    Modify, OpenApi,
    openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme},
};

use super::{self as cookies, super::Failure};
use crate::{
    Category,
    registry::{CookieTranslation, LocalCookie, NewCookie, SiteTranslation},
};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "leptos-consent cookie registry admin API",
        description = "The shop-local cookie registry shown in the cookie details grid. Send \
                       the admin token as `Authorization: Bearer <token>`. Every successful \
                       change answers `Reasks-Shoppers: true` when it changed the policy \
                       fingerprint (every shopper is asked again), else `false`."
    ),
    paths(
        cookies::list,
        cookies::create,
        cookies::read,
        cookies::update,
        cookies::delete,
        cookies::read_translation,
        cookies::add_translation,
        cookies::put_translation,
        cookies::delete_translation,
    ),
    components(schemas(
        Category,
        NewCookie,
        CookieTranslation,
        SiteTranslation,
        LocalCookie,
        cookies::Created,
        Failure
    )),
    modifiers(&BearerToken),
    security(("admin_token" = [])),
    tags((name = "CookieDetails", description = "Shop-local cookie meta data"))
)]
struct CookieRegistryApi;

/// Declares the bearer token scheme the security requirement names.
struct BearerToken;

impl Modify for BearerToken {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "admin_token",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// The document as JSON.
pub(crate) fn cookie_registry_openapi() -> utoipa::openapi::OpenApi {
    let mut api = CookieRegistryApi::openapi();
    api.info.version = env!("CARGO_PKG_VERSION").to_owned();
    api
}

/// `GET /v2/openapi.json`.
pub(super) async fn document() -> impl IntoResponse {
    Json(cookie_registry_openapi())
}
