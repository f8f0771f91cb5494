//! The shop's Leptos app: the HTML shell, the layout and the routes.

use leptos::prelude::*;
use leptos_meta::{Meta, MetaTags, Title, provide_meta_context};
use leptos_router::{
    components::{A, Route, Router, Routes},
    path,
};

use crate::{
    cart::{Cart, CartLink},
    consent_ui::{Banner, ChangeLink, ConsentStatus, GatedTags, PolicyScript, provide},
    pages::{CheckoutPage, HomePage, NotFound, PrivacyPage, ProductPage, SearchPage, TermsPage},
};

/// The shop's name.
pub const SHOP_NAME: &str = "Nordlys Kaffe";

/// The HTML document around the app, rendered by the server, under a strict Content
/// Security Policy: scripts run only with this response's nonce (or when such a script
/// loads them), WASM may compile, nothing loads from other hosts.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    crate::server::content_security_policy();
    #[cfg(feature = "ssr")]
    let (shop_css, hydration) = {
        let files = crate::server::bundle_files(&options);
        (files.css.as_str(), files.hydration_script.as_str())
    };
    #[cfg(not(feature = "ssr"))]
    let (shop_css, hydration) = ("", "");
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                // First: window.CookiePolicy exists before any other script runs.
                <PolicyScript/>
                // The tags, gated: in the shell, the server writes them and the browser's
                // bundle carries none of their code (in a route they would hydrate).
                <GatedTags/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <link rel="icon" type="image/svg+xml" href="/favicon.svg"/>
                <AutoReload options=options.clone()/>
                // The crate's stylesheet, then the shop's (which sets the crate's custom
                // properties): `/pkg/demo_shop.css`, content-hashed in a release build.
                <link rel="stylesheet" id="leptos-consent-css" href=leptos_consent::style::PATH/>
                <link rel="stylesheet" id="shop-css" href=shop_css/>
                // Hydration waits for an idle moment, after the first paint: the page (the
                // banner too) works before it, and the bundle does not compete with what
                // the first paint needs.
                <script type="module" nonce=leptos::nonce::use_nonce() inner_html=hydration></script>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// The app: consent first, then the shop.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    provide();
    Cart::provide();
    // Set once the WASM has hydrated the page: the end-to-end tests wait for it.
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));

    view! {
        <Title text=SHOP_NAME/>
        <Meta
            name="description"
            content="Nordlys Kaffe: coffee roasted in small batches since 2019, and what you \
                     need to brew it well at home."
        />
        <Router>
            <Banner/>
            <div class="shop" data-hydrated=move || hydrated.get().to_string()>
                <SiteHeader/>
                <main id="main" class="shop__main">
                    <Routes fallback=NotFound>
                        <Route path=path!("/") view=HomePage/>
                        <Route path=path!("/products/:id") view=ProductPage/>
                        <Route path=path!("/terms") view=TermsPage/>
                        <Route path=path!("/privacy") view=PrivacyPage/>
                        <Route path=path!("/checkout") view=CheckoutPage/>
                        <Route path=path!("/search") view=SearchPage/>
                    </Routes>
                </main>
                <SiteFooter/>
            </div>
        </Router>
    }
}

#[component]
fn SiteHeader() -> impl IntoView {
    view! {
        <header class="shop__header">
            <A href="/" attr:class="shop__logo">
                <span class="shop__logo-mark" aria-hidden="true"></span>
                {SHOP_NAME}
            </A>
            <nav class="shop__nav" aria-label="Main">
                <A href="/">"Shop"</A>
                <A href="/terms">"Terms"</A>
                <CartLink/>
                <A href="/checkout">"Checkout"</A>
            </nav>
        </header>
    }
}

#[component]
fn SiteFooter() -> impl IntoView {
    view! {
        <footer class="shop__footer">
            <p class="shop__footer-brand">
                {SHOP_NAME} " · Nørregade 7, 1165 København K · Roasted in small batches since 2019"
            </p>
            <nav class="shop__footer-links" aria-label="Legal">
                <A href="/terms">"Terms and conditions"</A>
                <a href="/terms?HideCookieDialog=1#cookieconsent">"Cookie policy"</a>
                <A href="/privacy">"Privacy"</A>
                <ChangeLink/>
            </nav>
            <ConsentStatus/>
        </footer>
    }
}
