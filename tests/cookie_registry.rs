//! The cookie registry: the shop-local part in the database on both backends, its admin API
//! (bearer token, validation, clear 400/401/404/409 answers, OpenAPI), its cache, and the
//! policy fingerprint it feeds.

mod common;

use std::time::Duration;

use axum::Router;
use http::{Method, StatusCode, header};
use leptos_consent::{
    Category, ConsentConfig,
    admin::{AdminToken, NoRegistryStore, cookie_registry_admin},
    registry::{CookieRegistry, NewCookie},
    store::Store,
};
use serde_json::{Value, json};

const TOKEN: &str = "test-admin-token-0123456789abcdef";

both_backends!(
    the_admin_api_manages_the_local_registry,
    the_admin_api_refuses_bad_input_and_changes_nothing,
    registry_reads_are_cached_until_they_expire,
    a_new_cookie_asks_shoppers_again,
    the_banner_is_rendered_once_and_shows_a_registry_change_at_once,
    the_admin_api_says_whether_a_change_asks_shoppers_again,
    an_app_written_for_ws8s_api_keeps_working,
    lifetimes_are_kept_in_seconds_and_read_in_words,
);

async fn call(
    router: &Router,
    method: Method,
    uri: &str,
    token: Option<&str>,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let body = body.map(|b| b.to_string());
    common::admin_call(router, method, uri, token, body.as_deref()).await
}

async fn registry(store: Store) -> CookieRegistry {
    CookieRegistry::load(store, Duration::from_secs(120))
        .await
        .unwrap()
}

fn admin(registry: CookieRegistry) -> Router {
    cookie_registry_admin(registry, AdminToken::new(TOKEN).unwrap()).unwrap()
}

fn stats_cookie() -> Value {
    json!({
        "name": "_demo_stats",
        "category": "statistics",
        "expire_days": 30,
        "is_third_party": false,
    })
}

async fn the_admin_api_manages_the_local_registry(store: Store, _url: String) {
    let registry = registry(store).await;
    let config = config_on(&registry);
    let api = admin(registry.clone());
    let t = Some(TOKEN);

    let (status, created) = call(&api, Method::POST, "/v2/cookies", t, Some(stats_cookie())).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let id = created["id"].as_i64().unwrap();
    // Duplicate names are allowed.
    let (status, _) = call(&api, Method::POST, "/v2/cookies", t, Some(stats_cookie())).await;
    assert_eq!(status, StatusCode::CREATED);

    let translation = json!({
        "locale": "da",
        "description": "Demo-statistik",
        "third_party_author_description": "",
        "expire_text": "30 dage",
    });
    let uri = format!("/v2/cookies/{id}/translations/1");
    let (status, _) = call(&api, Method::POST, &uri, t, Some(translation.clone())).await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, conflict) = call(&api, Method::POST, &uri, t, Some(translation)).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(
        conflict["error"].as_str().unwrap().contains("PUT"),
        "{conflict}"
    );
    let (status, replaced) = call(
        &api,
        Method::PUT,
        &uri,
        t,
        Some(json!({"locale": "da", "description": "Ny tekst"})),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(replaced["site_id"], 1);
    assert_eq!(replaced["description"], "Ny tekst");
    let (status, read) = call(&api, Method::GET, &uri, t, None).await;
    assert_eq!((status, &read["locale"]), (StatusCode::OK, &json!("da")));

    let (status, cookie) = call(&api, Method::GET, &format!("/v2/cookies/{id}"), t, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(cookie["name"], "_demo_stats");
    assert_eq!(cookie["category"], "statistics");
    assert_eq!(cookie["expire_days"], 30);
    assert_eq!(cookie["translations"][0]["description"], "Ny tekst");

    // The grid of this process shows it at once, in the site's texts.
    let html = config.cookie_details_html(&[]);
    assert!(
        html.contains("_demo_stats") && html.contains("Ny tekst"),
        "{html}"
    );

    let mut updated = stats_cookie();
    updated["category"] = json!("tracking");
    updated["is_third_party"] = json!(true);
    updated["third_party_author"] = json!("Demo Analytics ApS");
    let (status, cookie) = call(
        &api,
        Method::PUT,
        &format!("/v2/cookies/{id}"),
        t,
        Some(updated),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{cookie}");
    assert_eq!(cookie["category"], "tracking");
    assert_eq!(cookie["third_party_author"], "Demo Analytics ApS");

    let (status, list) = call(&api, Method::GET, "/v2/cookies", t, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(list.as_array().unwrap().len(), 2);

    let (status, _) = call(&api, Method::DELETE, &uri, t, None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = call(&api, Method::DELETE, &uri, t, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = call(&api, Method::DELETE, &format!("/v2/cookies/{id}"), t, None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = call(&api, Method::GET, &format!("/v2/cookies/{id}"), t, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, list) = call(&api, Method::GET, "/v2/cookies", t, None).await;
    assert_eq!(
        (status, list.as_array().unwrap().len()),
        (StatusCode::OK, 1)
    );

    // The document describes every route, without a token.
    let (status, doc) = call(&api, Method::GET, "/v2/openapi.json", None, None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."), "{doc}");
    let paths = doc["paths"].as_object().unwrap();
    for path in [
        "/v2/cookies",
        "/v2/cookies/{id}",
        "/v2/cookies/{id}/translations/{siteId}",
    ] {
        assert!(paths.contains_key(path), "{path} missing from {paths:?}");
    }
    assert_eq!(
        paths["/v2/cookies/{id}"].as_object().unwrap().len(),
        3,
        "get, put, delete"
    );
    let categories = &doc["components"]["schemas"]["Category"]["enum"];
    assert_eq!(
        categories,
        &json!(["system", "functional", "statistics", "tracking"])
    );
    assert_eq!(
        doc["components"]["securitySchemes"]["admin_token"]["scheme"],
        "bearer"
    );
}

async fn the_admin_api_refuses_bad_input_and_changes_nothing(store: Store, _url: String) {
    let registry = registry(store).await;
    let api = admin(registry.clone());
    let t = Some(TOKEN);

    for token in [None, Some("wrong-token-wrong-token-wrong")] {
        let (status, body) = call(
            &api,
            Method::POST,
            "/v2/cookies",
            token,
            Some(stats_cookie()),
        )
        .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    }
    let long_author = "a".repeat(201);
    let bad_bodies = [
        (json!({"name": "x", "category": "marketing"}), "category"),
        (json!({"name": "a;b", "category": "system"}), "name"),
        (json!({"name": "\"><script>", "category": "system"}), "name"),
        (json!({"name": "*", "category": "system"}), "name"),
        (
            json!({"name": "x".repeat(129), "category": "system"}),
            "name",
        ),
        (
            json!({"name": "x", "category": "system", "expire_days": -1}),
            "expire_days",
        ),
        (
            json!({"name": "x", "category": "system", "expire_days": 40000}),
            "expire_days",
        ),
        (
            json!({"name": "x", "category": "system", "is_third_party": true}),
            "third_party_author",
        ),
        (
            json!({"name": "x", "category": "system", "third_party_author": long_author}),
            "third_party_author",
        ),
        (
            json!({"name": "x", "category": "system", "color": "red"}),
            "color",
        ),
        (json!({"category": "system"}), "name"),
    ];
    for (body, field) in bad_bodies {
        let (status, answer) = call(&api, Method::POST, "/v2/cookies", t, Some(body.clone())).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}: {answer}");
        assert!(
            answer["error"].as_str().unwrap().contains(field),
            "{body}: {answer}"
        );
    }
    let (status, _) =
        common::admin_call(&api, Method::POST, "/v2/cookies", t, Some("{not json")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);

    let (_, created) = call(&api, Method::POST, "/v2/cookies", t, Some(stats_cookie())).await;
    let id = created["id"].as_i64().unwrap();
    for uri in ["/v2/cookies/abc", "/v2/cookies/0", "/v2/cookies/-3"] {
        let (status, _) = call(&api, Method::GET, uri, t, None).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{uri}");
    }
    let (status, _) = call(&api, Method::GET, "/v2/cookies/999999", t, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let good = json!({"locale": "en", "description": "Fine"});
    let (status, _) = call(
        &api,
        Method::POST,
        "/v2/cookies/999999/translations/1",
        t,
        Some(good.clone()),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = call(
        &api,
        Method::POST,
        &format!("/v2/cookies/{id}/translations/x"),
        t,
        Some(good),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    for (body, field) in [
        (json!({"locale": "english", "description": "x"}), "locale"),
        (
            json!({"locale": "en", "description": "x".repeat(2001)}),
            "description",
        ),
        (
            json!({"locale": "en", "description": "x", "expire_text": "y".repeat(201)}),
            "expire_text",
        ),
        (
            json!({"locale": "en", "description": "bell\u{7}"}),
            "description",
        ),
    ] {
        let (status, answer) = call(
            &api,
            Method::POST,
            &format!("/v2/cookies/{id}/translations/1"),
            t,
            Some(body.clone()),
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}: {answer}");
        assert!(
            answer["error"].as_str().unwrap().contains(field),
            "{answer}"
        );
    }
    // Nothing of that was stored.
    let cookies = registry.local_cookies().await.unwrap();
    assert_eq!(cookies.len(), 1);
    assert!(cookies[0].translations.is_empty());

    assert_eq!(
        cookie_registry_admin(CookieRegistry::native(), AdminToken::new(TOKEN).unwrap())
            .unwrap_err(),
        NoRegistryStore
    );
}

async fn registry_reads_are_cached_until_they_expire(store: Store, _url: String) {
    let cached = CookieRegistry::load(store.clone(), Duration::from_millis(300))
        .await
        .unwrap();
    // Another instance of the shop, on the same database.
    let other = CookieRegistry::load(store, Duration::from_secs(120))
        .await
        .unwrap();
    let before = cached.snapshot().fingerprint();
    other
        .create_local_cookie(&NewCookie {
            name: "_other_instance".into(),
            category: Category::Functional,
            expire_days: 1,
            is_third_party: false,
            third_party_author: String::new(),
            description: String::new(),
            description_da: String::new(),
            expire_secs: None,
            renewed: false,
            permanent: false,
        })
        .await
        .unwrap();
    assert!(
        other.snapshot().lookup("_other_instance").next().is_some(),
        "the writer sees it at once"
    );
    assert!(
        cached.snapshot().lookup("_other_instance").next().is_none(),
        "still cached"
    );
    tokio::time::sleep(Duration::from_millis(350)).await;
    // The first read after expiry starts the reload and is served the old registry.
    let stale = cached.snapshot();
    assert!(stale.lookup("_other_instance").next().is_none());
    let mut seen = false;
    for _ in 0..100 {
        tokio::time::sleep(Duration::from_millis(20)).await;
        if cached.snapshot().lookup("_other_instance").next().is_some() {
            seen = true;
            break;
        }
    }
    assert!(seen, "reloaded after the cache expired");
    assert_ne!(cached.snapshot().fingerprint(), before);
}

/// A configuration on `registry`.
fn config_on(registry: &CookieRegistry) -> ConsentConfig {
    ConsentConfig::builder()
        .secret([9; 32])
        .cookie_registry(registry.clone())
        .build()
        .unwrap()
}

/// A configuration on `registry`, and the headers of a shopper who accepted everything
/// under its policy as it is now.
fn config_and_shopper(registry: &CookieRegistry) -> (ConsentConfig, http::HeaderMap) {
    let config = config_on(registry);
    let shopper = decided_shopper(&config);
    (config, shopper)
}

/// The headers of a shopper who accepted everything under `config`'s policy as it is now.
fn decided_shopper(config: &ConsentConfig) -> http::HeaderMap {
    let mut headers = http::HeaderMap::new();
    headers.insert(
        header::COOKIE,
        common::consent_cookie(config, leptos_consent::CategorySet::all())
            .parse()
            .unwrap(),
    );
    headers
}

/// A third party's marketing cookie called `name`, kept 90 days.
fn pixel(name: &str) -> NewCookie {
    NewCookie {
        name: name.into(),
        category: Category::Tracking,
        expire_days: 90,
        is_third_party: true,
        third_party_author: "Pixel Inc.".into(),
        description: String::new(),
        description_da: String::new(),
        expire_secs: None,
        renewed: false,
        permanent: false,
    }
}

async fn a_new_cookie_asks_shoppers_again(store: Store, _url: String) {
    let registry = registry(store).await;
    let (config, headers) = config_and_shopper(&registry);
    assert!(config.decision_from_headers(&headers).is_some());
    let id = registry
        .create_local_cookie(&pixel("_new_pixel"))
        .await
        .unwrap();
    assert!(
        config.decision_from_headers(&headers).is_none(),
        "a new cookie: asked again"
    );
    registry.delete_local_cookie(id).await.unwrap();
    assert!(
        config.decision_from_headers(&headers).is_some(),
        "the same policy as before"
    );
}

/// The banner's form as the server renders it for an undecided shopper on `page` with the
/// cookies `cookie` (on a thread of its own: the layer's test harness runs its own runtime).
fn banner_form(config: &ConsentConfig, page: &str, cookie: &str) -> String {
    std::thread::scope(|scope| {
        scope
            .spawn(|| render_banner_form(config, page, cookie))
            .join()
            .expect("rendered")
    })
}

fn render_banner_form(config: &ConsentConfig, page: &str, cookie: &str) -> String {
    use leptos::prelude::*;

    let owner = Owner::new();
    owner.set();
    let request = http::Request::get(page)
        .header(header::COOKIE, cookie)
        .body(())
        .unwrap();
    provide_context(common::through_layer(config, request));
    leptos_consent::provide_consent();
    let html = view! { <leptos_consent::ConsentBanner/> }.to_html();
    let form = html.split("<form").nth(1).expect("a banner form");
    form[..form.find("</form>").unwrap()].to_owned()
}

/// The config keeps the banner's form for the requests it fits (the page to come back to
/// written in front), and renders it again under a new registry snapshot.
async fn the_banner_is_rendered_once_and_shows_a_registry_change_at_once(
    store: Store,
    _url: String,
) {
    let registry = registry(store).await;
    let config = config_on(&registry);
    let first = banner_form(&config, "/products/1", "_cart_pixel=1");
    assert!(
        first.contains(r#"name="return_to" value="/products/1""#),
        "{first}"
    );
    assert!(
        first.contains("_cart_pixel"),
        "an unknown cookie is listed: {first}"
    );
    let other_page = banner_form(&config, "/about?x=1", "_cart_pixel=1");
    assert!(other_page.contains(r#"name="return_to" value="/about?x=1""#));
    assert_eq!(
        other_page.replace("/about?x=1", "/products/1"),
        first,
        "the same form but the page to come back to"
    );
    assert!(!first.contains("Pixel Inc."), "{first}");

    registry
        .create_local_cookie(&pixel("_cart_pixel"))
        .await
        .unwrap();
    let after = banner_form(&config, "/products/1", "_cart_pixel=1");
    assert!(
        after.contains("Pixel Inc."),
        "the new entry at once: {after}"
    );
}

/// An operator renaming a functional cookie used to re-ask every shopper without a word.
/// Now only changes that matter do, and every change says whether it did.
async fn the_admin_api_says_whether_a_change_asks_shoppers_again(store: Store, _url: String) {
    let registry = registry(store).await;
    let (config, mut shopper) = config_and_shopper(&registry);
    let api = admin(registry);
    // (status, Reasks-Shoppers, body)
    let send = |method: Method, uri: String, body: Value| {
        let api = api.clone();
        async move {
            let body = body.to_string();
            let (status, headers, answer) =
                common::admin_call_with_headers(&api, method, &uri, Some(TOKEN), Some(&body)).await;
            let reasks = headers
                .get("reasks-shoppers")
                .map(|v| v.to_str().unwrap().to_owned());
            (status, reasks, answer)
        }
    };
    let functional = |name: &str, author: &str| {
        json!({
            "name": name,
            "category": "functional",
            "expire_days": 30,
            "is_third_party": !author.is_empty(),
            "third_party_author": author,
        })
    };

    let (status, reasks, created) =
        send(Method::POST, "/v2/cookies".into(), functional("_prefs", "")).await;
    assert_eq!(
        (status, reasks.as_deref()),
        (StatusCode::CREATED, Some("true"))
    );
    assert!(
        config.decision_from_headers(&shopper).is_none(),
        "asked again"
    );
    shopper = decided_shopper(&config);
    let id = created["id"].as_i64().unwrap();

    for (what, method, uri, body) in [
        (
            "a renamed functional cookie",
            Method::PUT,
            format!("/v2/cookies/{id}"),
            functional("_preferences", ""),
        ),
        (
            "a reworded description",
            Method::PUT,
            format!("/v2/cookies/{id}/translations/1"),
            json!({"locale": "en", "description": "Remembers your language."}),
        ),
        (
            "an essential cookie",
            Method::POST,
            "/v2/cookies".into(),
            json!({"name": "session", "category": "system", "expire_days": 0, "is_third_party": false}),
        ),
    ] {
        let (status, reasks, _) = send(method, uri, body).await;
        assert!(status.is_success(), "{what}: {status}");
        assert_eq!(reasks.as_deref(), Some("false"), "{what}");
        assert!(
            config.decision_from_headers(&shopper).is_some(),
            "{what}: not asked again"
        );
    }

    let (_, reasks, _) = send(
        Method::PUT,
        format!("/v2/cookies/{id}"),
        functional("_preferences", "Widget Ltd"),
    )
    .await;
    assert_eq!(reasks.as_deref(), Some("true"), "a new third party");
    assert!(config.decision_from_headers(&shopper).is_none());

    let (status, reasks, _) = send(
        Method::POST,
        "/v2/cookies".into(),
        json!({"name": "bad name", "category": "functional"}),
    )
    .await;
    assert_eq!(
        (status, reasks),
        (StatusCode::BAD_REQUEST, None),
        "no change, no answer"
    );
}

/// WS8's `/v2/cookies` took PascalCase fields with a description for every site in English
/// and in Danish; an app written for it creates its cookie here unchanged, and the grid
/// shows the Danish text on Danish sites, the English one elsewhere.
async fn an_app_written_for_ws8s_api_keeps_working(store: Store, _url: String) {
    let registry = registry(store).await;
    let api = admin(registry.clone());
    let t = Some(TOKEN);
    let ws8 = json!({
        "Name": "_app_pref",
        "Description": "Remembers the settings of the app.",
        "DescriptionDK": "Husker appens indstillinger.",
        "Category": "functional",
        "ExpireDays": 30,
        "IsThirdParty": true,
        "ThirdPartyAuthor": "App Vendor ApS",
    });
    let (status, created) = call(&api, Method::POST, "/v2/cookies", t, Some(ws8)).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let id = created["id"].as_i64().unwrap();
    let (_, cookie) = call(&api, Method::GET, &format!("/v2/cookies/{id}"), t, None).await;
    assert_eq!(cookie["name"], "_app_pref");
    assert_eq!(cookie["expire_days"], 30);
    assert_eq!(cookie["third_party_author"], "App Vendor ApS");
    assert_eq!(cookie["description_da"], "Husker appens indstillinger.");

    let grid = |locale: &str, site_id| {
        ConsentConfig::builder()
            .secret([9; 32])
            .locale(locale)
            .site_id(site_id)
            .cookie_registry(registry.clone())
            .build()
            .unwrap()
            .cookie_details_html(&[])
    };
    let danish = grid("da", 2);
    assert!(danish.contains("Husker appens indstillinger."), "{danish}");
    let german = grid("de", 3);
    assert!(
        german.contains("Remembers the settings of the app."),
        "{german}"
    );

    // A field WS8 did not have either is still refused, and nothing is created.
    let (status, answer) = call(
        &api,
        Method::POST,
        "/v2/cookies",
        t,
        Some(json!({"Name": "x", "Category": "system", "Colour": "red"})),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{answer}");
    let (_, list) = call(&api, Method::GET, "/v2/cookies", t, None).await;
    assert_eq!(list.as_array().unwrap().len(), 1);
}

/// "1 minute", "36 hours", "20 minutes, renewed", "Permanent": the API takes lifetimes in
/// seconds (WS8's days still work), keeps them through a round trip, and the grid says them
/// in the site's language.
async fn lifetimes_are_kept_in_seconds_and_read_in_words(store: Store, _url: String) {
    let registry = registry(store).await;
    let api = admin(registry.clone());
    let t = Some(TOKEN);
    let mut ids = Vec::new();
    for cookie in [
        json!({"name": "_throttle", "category": "statistics", "expire_secs": 60}),
        json!({"name": "_pendo", "category": "statistics", "expire_secs": 129_600}),
        json!({"name": "_visit", "category": "statistics", "expire_secs": 1200, "renewed": true}),
        json!({"name": "_forever", "category": "functional", "permanent": true}),
        json!({"name": "_ws8", "category": "functional", "ExpireDays": 14}),
    ] {
        let (status, created) = call(&api, Method::POST, "/v2/cookies", t, Some(cookie)).await;
        assert_eq!(status, StatusCode::CREATED, "{created}");
        ids.push(created["id"].as_i64().unwrap());
    }
    let (_, throttle) = call(
        &api,
        Method::GET,
        &format!("/v2/cookies/{}", ids[0]),
        t,
        None,
    )
    .await;
    assert_eq!(
        (&throttle["expire_secs"], &throttle["expire_days"]),
        (&json!(60), &json!(1)),
        "seconds, and WS8's days rounded up for readers that know only days"
    );
    // What GET answers, PUT takes back unchanged.
    let (status, answer) = call(
        &api,
        Method::PUT,
        &format!("/v2/cookies/{}", ids[0]),
        t,
        Some(json!({
            "name": throttle["name"], "category": throttle["category"],
            "expire_days": throttle["expire_days"], "expire_secs": throttle["expire_secs"],
            "renewed": throttle["renewed"], "permanent": throttle["permanent"],
            "is_third_party": false,
        })),
    )
    .await;
    assert!(status.is_success(), "{status} {answer}");

    let grid = |locale: &str| {
        ConsentConfig::builder()
            .secret([9; 32])
            .locale(locale)
            .cookie_registry(registry.clone())
            .build()
            .unwrap()
            .cookie_details_html(&[])
    };
    let row = |html: &str, name: &str| {
        let start = html
            .find(&format!(">{name}<"))
            .unwrap_or_else(|| panic!("{name}"));
        let end = html[start..].find("</tr>").unwrap() + start;
        html[start..end].to_owned()
    };
    let (english, danish) = (grid("en"), grid("da"));
    for (name, en, da) in [
        ("_throttle", "1 minute", "1 minut"),
        ("_pendo", "36 hours", "36 timer"),
        ("_visit", "20 minutes, renewed", "20 minutter, fornyes"),
        ("_forever", "Permanent", "Permanent"),
        ("_ws8", "14 days", "14 dage"),
    ] {
        assert!(
            row(&english, name).contains(en),
            "{name}: {}",
            row(&english, name)
        );
        assert!(
            row(&danish, name).contains(da),
            "{name}: {}",
            row(&danish, name)
        );
    }

    // Contradictions are refused, and name the field.
    for (bad, field) in [
        (json!({"expire_days": 3, "expire_secs": 60}), "expire_secs"),
        (json!({"permanent": true, "expire_secs": 60}), "permanent"),
        (json!({"renewed": true}), "renewed"),
        (json!({"expire_secs": 4_000_000_000_u64}), "expire_secs"),
    ] {
        let mut cookie = json!({"name": "_bad", "category": "functional"});
        cookie
            .as_object_mut()
            .unwrap()
            .extend(bad.as_object().unwrap().clone());
        let (status, answer) = call(&api, Method::POST, "/v2/cookies", t, Some(cookie)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{answer}");
        assert!(
            answer["error"].as_str().unwrap().starts_with(field),
            "{answer}"
        );
    }
    let (_, list) = call(&api, Method::GET, "/v2/cookies", t, None).await;
    assert_eq!(list.as_array().unwrap().len(), 5);
}

#[test]
fn configurations_sharing_a_registry_keep_their_own_fingerprints() {
    let registry = CookieRegistry::native();
    let block = ConsentConfig::builder()
        .secret([9; 32])
        .cookie_registry(registry.clone())
        .build()
        .unwrap();
    let passive = ConsentConfig::builder()
        .secret([9; 32])
        .mode(leptos_consent::ConsentMode::PassiveInfo)
        .cookie_registry(registry)
        .build()
        .unwrap();
    assert_ne!(block.fingerprint(), passive.fingerprint());
    assert_eq!(
        block.fingerprint(),
        ConsentConfig::builder()
            .secret([1; 32])
            .build()
            .unwrap()
            .fingerprint(),
        "the same policy, the same fingerprint, whichever registry instance"
    );
}
