//! `<ConsentGate/>` as the server renders it: the embed in the page only with consent (the
//! placeholder then hidden), otherwise kept in a `<template>` behind a placeholder whose form
//! allows the category (and keeps what the shopper allowed before).

mod common;

use http::{Request, header};
use leptos::prelude::*;
use leptos_consent::{Category, CategorySet, ConsentConfig, ConsentGate, provide_consent};

fn render(config: &ConsentConfig, cookie: Option<String>) -> String {
    let owner = Owner::new();
    owner.set();
    let mut request = Request::get("/products/1?x=1");
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    provide_context(common::through_layer(config, request.body(()).unwrap()));
    provide_consent();
    view! {
        <ConsentGate
            category=Category::Tracking
            what="a <b>video</b>"
            embed=r#"<iframe src="/demo-video" title="Video"></iframe>"#
        />
    }
    .to_html()
}

#[test]
fn without_consent_a_placeholder_offers_the_category() {
    let config = common::config();
    let html = render(&config, None);
    // The embed waits in a template, where nothing loads, for the runtime to put it in the
    // page once the shopper allows the category.
    assert_eq!(html.matches("<iframe").count(), 1, "{html}");
    assert!(
        html.contains(
            r#"</div><template><iframe src="/demo-video" title="Video"></iframe></template></div>"#
        ),
        "{html}"
    );
    assert!(
        !html.contains(r#"data-category="tracking" hidden"#),
        "{html}"
    );
    assert!(
        html.contains("Here is a &lt;b&gt;video&lt;/b&gt;."),
        "{html}"
    );
    assert!(html.contains("consent to marketing cookies"), "{html}");
    assert!(html.contains(r#"action="/_consent/decide""#) && html.contains(r#"method="post""#));
    assert!(html.contains(r#"name="tracking" value="true""#), "{html}");
    assert!(html.contains(r#"name="add" value="true""#), "{html}");
    assert!(
        html.contains(r#"name="return_to" value="/products/1?x=1""#),
        "{html}"
    );
    assert!(html.contains(r#"value="custom""#) && html.contains("Allow marketing cookies"));
}

#[test]
fn the_offer_adds_the_category_whatever_was_allowed_before() {
    // The form asks the server to add the category (`add`), which keeps the rest of the
    // shopper's decision, services refused on their own included (see
    // `decision_endpoint::an_added_category_keeps_the_rest_of_the_decision`): the page's
    // markup never needs to restate it.
    let config = common::config();
    let cookie =
        common::consent_cookie(&config, CategorySet::essential().with(Category::Statistics));
    let html = render(&config, Some(cookie));
    assert!(html.contains(r#"name="add" value="true""#), "{html}");
    assert!(html.contains(r#"name="tracking" value="true""#), "{html}");
    assert!(!html.contains(r#"name="statistics""#), "{html}");
    assert!(!html.contains(r#"name="functional""#), "{html}");
}

#[test]
fn with_consent_the_content_renders() {
    let config = common::config();
    let cookie = common::consent_cookie(&config, CategorySet::all());
    let html = render(&config, Some(cookie));
    assert!(
        html.contains(r#"</div><iframe src="/demo-video" title="Video"></iframe></div>"#),
        "{html}"
    );
    assert!(!html.contains("<template"), "{html}");
    // The placeholder stays, hidden, for the page's runtime to show if the shopper
    // withdraws the category in the page.
    assert!(
        html.contains(
            r#"<div class="lc-gated"><div class="lc-gate" data-category="tracking" hidden="">"#
        ),
        "{html}"
    );
}

/// The category's name inside the placeholder's sentence: what the shop's texts say (a
/// German noun keeps its capital), else the label lowercased by the server.
#[test]
fn the_placeholder_names_the_category_as_the_texts_say_it_in_a_sentence() {
    use leptos_consent::texts::{CategoryText, ConsentTexts};

    let german = ConsentTexts::english()
        .with_gate_allow("{category}-Cookies erlauben")
        .with_category(
            Category::Tracking,
            CategoryText::new("Marketing", "Zeigt passende Angebote.")
                .with_in_sentence("Marketing"),
        );
    let config = ConsentConfig::builder()
        .secret("integration-test-secret-of-32-bytes-or-more")
        .texts("en", german)
        .build()
        .unwrap();
    let html = render(&config, None);
    assert!(html.contains("Marketing-Cookies erlauben"), "{html}");

    let shouting = ConsentTexts::english().with_category(
        Category::Tracking,
        CategoryText::new("ÄRGER", "Loud offers."),
    );
    let config = ConsentConfig::builder()
        .secret("integration-test-secret-of-32-bytes-or-more")
        .texts("en", shouting)
        .build()
        .unwrap();
    let html = render(&config, None);
    assert!(html.contains("Allow ärger cookies"), "{html}");
}
