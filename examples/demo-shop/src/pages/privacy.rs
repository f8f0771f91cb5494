//! `/privacy`: what the shop keeps about the shopper, and "delete all my cookies".

use crate::consent_ui::use_tracker;
use leptos::prelude::*;
use leptos_meta::Title;

use crate::{
    app::SHOP_NAME,
    consent_ui::{ChangeLink, DeleteCookies},
};

/// The privacy page.
#[component]
pub fn PrivacyPage() -> impl IntoView {
    use_tracker().page_view();
    view! {
        <Title text=format!("Your privacy · {SHOP_NAME}")/>
        <article class="terms">
            <h1>"Your privacy"</h1>
            <p>
                "We keep a record of your cookie choices for five years, as the law asks us to "
                "prove them. You can change your choices at any time: " <ChangeLink/> "."
            </p>
            <h2>"Delete your cookies"</h2>
            <p>
                "This deletes every cookie your browser sends to our shop, including the one "
                "that remembers your cookie choices: we will ask you again."
            </p>
            <DeleteCookies/>
        </article>
    }
}
