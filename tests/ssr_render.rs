//! What the server renders: the banner is in the first HTML exactly when a decision is needed.

mod common;

use http::Request;
use leptos::prelude::*;
use leptos_consent::{
    Category, CategorySet, ChangeConsentLink, ConsentBanner, ConsentConfig, ConsentMode, Service,
    provide_consent,
};

/// Puts a request to `uri` with `headers` in context as leptos_axum would (its `Parts`,
/// prepared by the `ConsentLayer` when there is a `config`), and the consent context.
fn provide_request(config: Option<&ConsentConfig>, uri: &str, headers: &[(&str, &str)]) {
    let mut request = Request::get(uri);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let request = request.body(()).unwrap();
    provide_context(match config {
        Some(config) => common::through_layer(config, request),
        None => request.into_parts().0,
    });
    provide_consent();
}

/// Renders the banner and the change link for a request to `uri` with `headers`.
fn render(config: Option<&ConsentConfig>, uri: &str, headers: &[(&str, &str)]) -> String {
    let owner = Owner::new();
    owner.set();
    provide_request(config, uri, headers);
    view! {
        <ConsentBanner/>
        <ChangeConsentLink/>
    }
    .to_html()
}

fn count(html: &str, needle: &str) -> usize {
    html.matches(needle).count()
}

#[test]
fn the_banner_is_in_the_first_html_without_a_decision() {
    let html = render(
        Some(&common::config()),
        "/products/2?a=1",
        &[("host", "shop.example")],
    );
    assert!(
        html.contains(
            r#"<section data-lc-banner="" lang="en" aria-labelledby="lc-banner-title" aria-describedby="lc-banner-message""#
        ),
        "{html}"
    );
    assert!(
        html.contains(r#"<form action="/_consent/decide" method="post""#),
        "{html}"
    );
    assert!(html.contains(r#"name="return_to" value="/products/2?a=1""#));
    // Reject all and Accept all: same layer, same class.
    assert!(html.contains(r#"<button type="submit" name="choice" value="reject_all" data-lc-choice="reject_all" class="lc-button lc-button--choice">Reject all</button>"#), "{html}");
    assert!(html.contains(r#"<button type="submit" name="choice" value="accept_all" data-lc-choice="accept_all" class="lc-button lc-button--choice">Accept all</button>"#));
    // Customize: toggles for the three optional categories, none ticked; system always on.
    assert!(html.contains("<details class=\"lc-banner__customize\" data-lc-customize>"));
    assert_eq!(count(&html, r#"class="lc-category__toggle""#), 4);
    assert_eq!(
        count(&html, " checked"),
        1,
        "only the essential category is ticked: {html}"
    );
    assert!(
        html.contains(r#"id="lc-category-system" name="system" value="true" checked disabled"#)
    );
    assert!(html.contains(r#"href="/terms?HideCookieDialog=1#cookieconsent""#));
    assert!(!html.contains("Global Privacy Control"));
}

#[test]
fn a_valid_decision_renders_no_banner() {
    let config = common::config();
    let cookie = common::consent_cookie_at(&config, CategorySet::essential(), common::now() - 60);
    let html = render(
        Some(&config),
        "/",
        &[("cookie", &format!("a=1; {cookie}; b=2"))],
    );
    assert!(!html.contains("lc-banner"), "{html}");
    assert!(
        html.contains(r#"class="lc-root""#),
        "the root stays for the status message"
    );
}

#[test]
fn forged_expired_stale_or_garbage_cookies_ask_again() {
    let config = common::config();
    let other = ConsentConfig::builder().secret([8u8; 32]).build().unwrap();
    let passive = common::config_with_mode(ConsentMode::PassiveInfo);
    let name = config.cookie_name();
    let cases = [
        (
            "forged",
            common::consent_cookie_at(&other, CategorySet::all(), common::now()),
        ),
        (
            "expired",
            common::consent_cookie_at(
                &config,
                CategorySet::all(),
                common::now() - config.lifetime_secs() - 1,
            ),
        ),
        (
            "stale",
            common::consent_cookie_at(&passive, CategorySet::all(), common::now()),
        ),
        ("garbage", format!("{name}=%%%\\garbage==;;")),
        ("empty", format!("{name}=")),
        (
            "truncated",
            common::consent_cookie_at(&config, CategorySet::all(), common::now())[..60].to_owned(),
        ),
    ];
    for (what, cookie) in cases {
        let html = render(Some(&config), "/", &[("cookie", &cookie)]);
        assert!(
            html.contains("lc-banner__form"),
            "{what}: no banner in {html}"
        );
    }
}

#[test]
fn hide_cookie_dialog_hides_the_banner_on_that_page() {
    // Rendered but hidden: client-side navigation to another page shows it again.
    let html = render(Some(&common::config()), "/terms?HideCookieDialog=1", &[]);
    assert!(
        html.contains(r#"data-mode="block_before_consent" hidden class="lc-banner""#),
        "{html}"
    );
    let html = render(Some(&common::config()), "/terms?HideCookieDialog=0", &[]);
    assert!(
        html.contains("lc-banner__form") && !html.contains(" hidden class=\"lc-banner\""),
        "{html}"
    );
}

#[test]
fn gpc_is_announced() {
    let html = render(Some(&common::config()), "/", &[("sec-gpc", "1")]);
    assert!(
        html.contains(
            r#"<p class="lc-banner__gpc">Your browser asks not to be tracked (Global Privacy Control"#
        ),
        "{html}"
    );
    assert_eq!(
        count(&html, " checked"),
        1,
        "nothing pre-ticked under GPC either"
    );
}

#[test]
fn do_not_track_is_announced_unless_the_shop_turns_it_off() {
    let notice = r#"<p class="lc-banner__gpc">"#;
    let html = render(Some(&common::config()), "/", &[("dnt", "1")]);
    assert!(html.contains(notice), "{html}");
    let ignoring = ConsentConfig::builder()
        .secret("integration-test-secret-of-32-bytes-or-more")
        .honour_do_not_track(false)
        .build()
        .unwrap();
    let html = render(Some(&ignoring), "/", &[("dnt", "1")]);
    assert!(!html.contains(notice), "{html}");
}

#[test]
fn passive_info_mode_only_informs() {
    let html = render(
        Some(&common::config_with_mode(ConsentMode::PassiveInfo)),
        "/",
        &[],
    );
    assert!(html.contains(r#"data-mode="passive_info""#));
    assert!(html.contains(r#"value="acknowledge""#), "{html}");
    assert!(!html.contains("accept_all") && !html.contains("reject_all"));
    assert!(html.contains("This shop uses cookies"));
}

#[test]
fn danish_sites_get_danish_texts() {
    let config = ConsentConfig::builder()
        .secret([2u8; 32])
        .locale("da-DK")
        .build()
        .unwrap();
    let html = render(Some(&config), "/", &[]);
    for text in [
        "Vi bruger cookies",
        "Afvis alle",
        "Accepter alle",
        "Tilpas",
        "Cookieindstillinger",
    ] {
        assert!(html.contains(text), "{text} missing from {html}");
    }
}

#[test]
fn each_shopper_gets_the_shops_locale_their_browser_asks_for() {
    let config = ConsentConfig::builder()
        .secret([2u8; 32])
        .locale("en")
        .locales(["de", "pl", "da"])
        .build()
        .unwrap();
    let cases = [
        (
            "de-DE,de;q=0.9",
            "de",
            [
                "Alle ablehnen",
                "Alle akzeptieren",
                "Es werden keine Cookies verwendet.",
                "Wir speichern Ihre Auswahl für 1 Jahr.",
            ],
        ),
        (
            "pl",
            "pl",
            [
                "Odrzuć wszystkie",
                "Zaakceptuj wszystkie",
                "Nie używamy żadnych plików cookie.",
                "Twój wybór zapamiętujemy na okres: 1 rok.",
            ],
        ),
        (
            "ja, zh;q=0.8",
            "en",
            [
                "Reject all",
                "Accept all",
                "No cookies are in use.",
                "We keep your choice for 1 year.",
            ],
        ),
        (
            "",
            "en",
            [
                "Reject all",
                "Accept all",
                "No cookies are in use.",
                "We keep your choice for 1 year.",
            ],
        ),
    ];
    for (accept_language, lang, texts) in cases {
        let html = render(
            Some(&config),
            "/",
            &[
                ("accept-language", accept_language),
                ("host", "shop.example"),
            ],
        );
        assert!(
            html.contains(&format!(r#"<section data-lc-banner="" lang="{lang}""#)),
            "{accept_language}: {html}"
        );
        for text in texts {
            assert!(
                html.contains(text),
                "{accept_language}: {text} missing in {html}"
            );
        }
    }
    // A refusal kept longer than a consent: the banner says both.
    let config = ConsentConfig::builder()
        .secret([2u8; 32])
        .lifetime_days(182)
        .refusal_lifetime_days(395)
        .locales(["da"])
        .build()
        .unwrap();
    let html = render(Some(&config), "/", &[("accept-language", "da")]);
    assert!(
        html.contains("Vi husker et samtykke i 182 dage og et afslag i 395 dage."),
        "{html}"
    );
    // A locale whose language is not built in needs the shop's texts.
    let refused = ConsentConfig::builder()
        .secret([2u8; 32])
        .locales(["tlh"])
        .build()
        .unwrap_err();
    assert_eq!(
        refused,
        leptos_consent::ConfigError::NoTexts("tlh".to_owned())
    );
}

#[test]
fn declared_services_get_their_own_toggles_under_their_category() {
    let config = ConsentConfig::builder()
        .secret([2u8; 32])
        .service(Service::new(
            "ga4",
            "Google Analytics 4",
            Category::Statistics,
        ))
        .service(Service::new("meta", "Meta <pixel>", Category::Tracking))
        .build()
        .unwrap();
    let html = render(Some(&config), "/", &[]);
    let statistics = &html[html.find(r#"data-category="statistics""#).unwrap()..];
    let statistics = &statistics[..statistics.find(r#"data-category="tracking""#).unwrap()];
    assert!(
        statistics.contains(
            r#"<input type="checkbox" class="lc-service__toggle" id="lc-service-ga4" name="services[]" value="ga4" data-category="statistics">"#
        ),
        "{statistics}"
    );
    assert!(statistics.contains(
        r#"<label class="lc-service__label" for="lc-service-ga4">Google Analytics 4</label>"#
    ));
    assert!(html.contains("Meta &lt;pixel&gt;"), "names are text");
    assert_eq!(
        html.matches("lc-service__toggle").count(),
        2,
        "none pre-ticked, none twice"
    );
    assert!(!html.contains(r#"value="ga4" data-category="statistics" checked"#));
    // A shop without services renders no service markup at all.
    let plain = render(Some(&common::config()), "/", &[]);
    assert!(!plain.contains("lc-category__services"));
}

/// The markup contract privacy tools and tests read (README, "Privacy tools";
/// `autoconsent/leptos-consent.json`): attributes that never depend on texts, classes or
/// language. Changing one breaks every tool's rule: this test pins them.
#[test]
fn the_markup_contract_for_privacy_tools_is_stable() {
    fn page(config: &ConsentConfig, headers: &[(&str, &str)]) -> String {
        let owner = Owner::new();
        owner.set();
        provide_request(Some(config), "/", headers);
        view! {
            <leptos_consent::CookiePolicyScript/>
            <ConsentBanner/>
        }
        .to_html()
    }
    let block = common::config();
    for language in ["en", "da", "de", "pl"] {
        let html = page(&block, &[("accept-language", language)]);
        assert_eq!(count(&html, "<section data-lc-banner=\"\""), 1, "{html}");
        assert_eq!(
            count(
                &html,
                "<details class=\"lc-banner__customize\" data-lc-customize>"
            ),
            1
        );
        for choice in ["reject_all", "accept_all", "custom"] {
            assert_eq!(
                count(&html, &format!(r#"data-lc-choice="{choice}""#)),
                1,
                "{choice}"
            );
        }
        assert!(!html.contains("data-lc-decision="), "undecided: {html}");
    }
    let passive = common::config_with_mode(ConsentMode::PassiveInfo);
    let html = page(&passive, &[]);
    assert_eq!(count(&html, r#"data-lc-choice="#), 1, "{html}");
    assert!(html.contains(r#"data-lc-choice="acknowledge""#));
    // Decided: no banner; the policy script says how.
    let cookie = common::consent_cookie(&block, CategorySet::essential());
    let html = page(&block, &[("cookie", &cookie)]);
    assert!(!html.contains(r#"data-lc-banner="""#), "{html}");
    assert!(
        html.contains(r#"<script id="lc-cookie-policy""#)
            && html.contains(r#"data-lc-decision="custom""#),
        "{html}"
    );
}

/// `<CookiePolicyScript/>` for a request with `headers`, through the layer when there is a
/// `config`, with a nonce: the HTML and the nonce.
fn policy_script(config: Option<&ConsentConfig>, headers: &[(&str, &str)]) -> (String, String) {
    let owner = Owner::new();
    owner.set();
    leptos::nonce::provide_nonce();
    let nonce = leptos::nonce::use_nonce().expect("a nonce").to_string();
    provide_request(config, "/", headers);
    let html = view! { <leptos_consent::CookiePolicyScript/> }.to_html();
    (html, nonce)
}

/// Within a visit the page carries the policy object and the request's data, with the
/// response's nonce; the runtime is a file the layer answers, long cached.
#[test]
fn the_runtime_is_a_file_the_layer_serves() {
    use tower::{Layer, ServiceExt};

    let config = common::config();
    // A client that does not say where it comes from, and a page of the shop's own.
    for headers in [&[][..], &[("sec-fetch-site", "same-origin")]] {
        let (html, nonce) = policy_script(Some(&config), headers);
        assert!(
            html.starts_with(&format!(
                r#"<script nonce="{nonce}">window.CookiePolicy={{"cookiesRequireConsent":true,"#
            )),
            "{html}"
        );
        assert!(
            html.contains(&format!(
                r#"<script id="lc-cookie-policy" nonce="{nonce}" src="/_consent/runtime-"#
            )),
            "{html}"
        );
        assert!(!html.contains("cookiepolicychange"), "{html}");
        assert!(!html.contains("prefetch"), "{html}");
    }
    let (html, _) = policy_script(Some(&config), &[]);
    let src = html
        .split_once(r#" src=""#)
        .and_then(|(_, rest)| rest.split_once('"'))
        .map(|(src, _)| src.to_owned())
        .unwrap_or_else(|| panic!("{html}"));
    assert!(src.ends_with(".js"), "{src}");

    let inner = tower::service_fn(|_: Request<()>| async {
        Ok::<_, std::convert::Infallible>(http::Response::new(axum::body::Body::from("inner")))
    });
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let response = runtime
        .block_on(
            leptos_consent::ConsentLayer::new(config)
                .layer(inner)
                .oneshot(Request::get(&src).body(()).unwrap()),
        )
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    assert_eq!(
        response.headers()["content-type"],
        "text/javascript; charset=utf-8"
    );
    let body = runtime
        .block_on(axum::body::to_bytes(response.into_body(), usize::MAX))
        .unwrap();
    let code = std::str::from_utf8(&body).unwrap();
    assert!(
        code.contains(".addEventListener(\"cookiepolicychange\","),
        "{code:.200}"
    );
}

/// The first page of a visit carries the runtime, and has the browser fetch the file for
/// the pages that follow; without the layer (which serves the file) a page carries it too.
#[test]
fn the_first_page_of_a_visit_carries_the_runtime() {
    let config = common::config();
    for from in ["none", "cross-site", "same-site"] {
        let (html, nonce) = policy_script(Some(&config), &[("sec-fetch-site", from)]);
        assert!(
            html.contains(&format!(
                r#"<script id="lc-cookie-policy" nonce="{nonce}">"#
            )),
            "{from}: {html}"
        );
        assert!(html.contains("cookiepolicychange"), "{from}");
        assert!(!html.contains(" src="), "{from}: {html}");
        assert!(
            html.contains(r#"<link rel="prefetch" href="/_consent/runtime-"#),
            "{from}: {html}"
        );
    }
    let (html, _) = policy_script(None, &[("host", "shop.example")]);
    assert!(html.contains("cookiepolicychange"), "{html}");
    assert!(
        !html.contains(" src=") && !html.contains("prefetch"),
        "{html}"
    );
}

#[test]
fn the_change_link_points_at_the_same_page() {
    let html = render(
        Some(&common::config()),
        "/products/2?a=1&ChangeCookiePolicyConsent=0",
        &[],
    );
    assert!(
        html.contains(r#"<a href="/products/2?a=1&amp;ChangeCookiePolicyConsent=1" rel="external" class="lc-change-consent">Cookie settings</a>"#),
        "{html}"
    );
}

#[test]
fn the_change_link_takes_a_label_and_classes_both_escaped() {
    let owner = Owner::new();
    owner.set();
    provide_request(Some(&common::config()), "/privacy", &[]);
    let html =
        view! { <ChangeConsentLink class="footer \"x\"" label="Cookies & <you>"/> }.to_html();
    assert!(
        html.contains(
            r#"class="lc-change-consent footer &quot;x&quot;">Cookies &amp; &lt;you&gt;</a>"#
        ),
        "{html}"
    );
}

#[test]
fn the_change_link_drops_hide_cookie_dialog() {
    let html = render(Some(&common::config()), "/terms?HideCookieDialog=1", &[]);
    assert!(
        html.contains(r#"<a href="/terms?ChangeCookiePolicyConsent=1" rel="external""#),
        "{html}"
    );
}

#[test]
fn without_the_layer_the_page_still_renders() {
    let html = render(None, "/", &[("host", "shop.example")]);
    assert!(html.contains("lc-banner__form"), "{html}");
}

/// The inlined stylesheet carries the page's CSP nonce and the whole stylesheet, verbatim.
#[test]
fn the_styles_are_inlined_with_the_nonce() {
    let owner = Owner::new();
    owner.set();
    leptos::nonce::provide_nonce();
    let nonce = leptos::nonce::use_nonce().expect("a nonce").to_string();
    let html = view! { <leptos_consent::ConsentStyles/> }.to_html();
    assert!(
        html.starts_with(&format!(r#"<style id="lc-styles" nonce="{nonce}">"#)),
        "{}",
        &html[..80]
    );
    assert!(html.contains(leptos_consent::style::STYLESHEET));
    assert_eq!(count(&html, "<style"), 1);
}

/// The ready-made tags render nothing that runs: inert gated markup with the page's nonce,
/// the set-up before the library, each under its category; a bad id renders nothing.
#[test]
fn ready_made_tags_are_inert_until_their_category_is_allowed() {
    use leptos_consent::{Category, GoogleAnalytics, GoogleTagManager, MetaPixel};

    let owner = Owner::new();
    owner.set();
    leptos::nonce::provide_nonce();
    let nonce = leptos::nonce::use_nonce().expect("a nonce").to_string();
    let html = view! {
        <GoogleAnalytics measurement_id="G-TEST123"/>
        <GoogleTagManager container_id="GTM-ABC12" category=Category::Statistics/>
        <MetaPixel pixel_id="1234567890" src="/vendor/fbevents.js"/>
    }
    .to_html();
    assert_eq!(count(&html, "<script"), 6, "{html}");
    assert_eq!(
        count(&html, r#"type="text/plain""#),
        6,
        "nothing runs: {html}"
    );
    assert_eq!(count(&html, &format!(r#"nonce="{nonce}""#)), 6, "{html}");
    for expected in [
        r#"class="cpc-script-inline-statistics""#,
        r#"gtag(\"config\",\"G-TEST123\")"#,
        r#"data-cpc-src="https://www.googletagmanager.com/gtag/js?id=G-TEST123""#,
        r#"data-cpc-src="https://www.googletagmanager.com/gtm.js?id=GTM-ABC12""#,
        r#"class="cpc-script-inline-tracking""#,
        r#"fbq(\"init\",\"1234567890\")"#,
        r#"data-cpc-src="/vendor/fbevents.js""#,
    ] {
        assert!(
            html.contains(expected.replace('\\', "").as_str()),
            "{expected} in {html}"
        );
    }
    let set_up = html.find("gtag(").unwrap();
    let library = html.find("gtag/js?id=").unwrap();
    assert!(set_up < library, "the set-up comes first");

    let bad = view! { <GoogleAnalytics measurement_id=r#"G-1");alert(1);("#/> }.to_html();
    assert!(!bad.contains("<script") && !bad.contains("alert"), "{bad}");
}
