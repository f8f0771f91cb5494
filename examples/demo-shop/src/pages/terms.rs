//! `/terms`: terms and conditions, with the cookie policy section.

use crate::consent_ui::use_tracker;
use leptos::prelude::*;
use leptos_meta::Title;

use crate::{
    app::SHOP_NAME,
    consent_ui::{ChangeLink, CookiePolicy},
};

/// The cookie policy as the shop owner typed it: `[[CookieDetails]]` becomes the grid of
/// the cookies the shop uses.
const COOKIE_POLICY: &str = "We use cookies that are necessary for the shop to work, and, only \
    with your consent, cookies for extra functions, statistics and marketing. Your choice is \
    remembered for 12 months; after that, or when our cookie policy changes, we ask again.

    These are the cookies your browser holds from us, and those our partners may set:

    [[CookieDetails]]";

/// The terms page. Its cookie section (`#cookieconsent`) is where the banner's policy link
/// points, with `?HideCookieDialog=1` so the banner does not cover it.
#[component]
pub fn TermsPage() -> impl IntoView {
    use_tracker().page_view();
    view! {
        <Title text=format!("Terms and conditions · {SHOP_NAME}")/>
        <article class="terms">
            <h1>"Terms and conditions"</h1>
            <h2>"Orders and delivery"</h2>
            <p>
                "We ship within two working days with PostNord. Delivery is free in Denmark on "
                "orders over 400 kr.; below that it costs 49 kr."
            </p>
            <h2>"Returns"</h2>
            <p>
                "You may return unopened goods within 14 days of delivery. Coffee is roasted to "
                "order, so opened bags cannot be returned."
            </p>
            <h2 id="cookieconsent">"Cookies"</h2>
            <CookiePolicy text=COOKIE_POLICY/>
            <p>"You can change or withdraw your consent at any time: " <ChangeLink/> "."</p>
        </article>
    }
}
