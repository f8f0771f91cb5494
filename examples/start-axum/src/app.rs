// ANCHOR: app
use leptos::prelude::*;
use leptos_consent::{
    provide_consent, ChangeConsentLink, ConsentBanner, ConsentStyles, CookiePolicyScript,
};
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    StaticSegment,
};

pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                // First in <head>: `window.CookiePolicy` before any other script.
                <CookiePolicyScript/>
                // The banner's stylesheet, inlined with the CSP nonce.
                <ConsentStyles/>
                <AutoReload options=options.clone()/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    // The shopper's consent, decided on the server, taken over by the browser.
    provide_consent();

    view! {
        <Stylesheet id="leptos" href="/pkg/start-axum.css"/>
        <Title text="Welcome to Leptos"/>
        <Router>
            <ConsentBanner/>
            <main>
                <Routes fallback=|| "Page not found.".into_view()>
                    <Route path=StaticSegment("") view=HomePage/>
                </Routes>
            </main>
            <footer>
                <ChangeConsentLink/>
            </footer>
        </Router>
    }
}
// ANCHOR_END: app

/// The template's home page: a counter.
#[component]
fn HomePage() -> impl IntoView {
    let count = RwSignal::new(0);
    let on_click = move |_| *count.write() += 1;

    view! {
        <h1>"Welcome to Leptos!"</h1>
        <button on:click=on_click>"Click Me: " {count}</button>
    }
}
