//! How long the cookie details grid takes: the server rendering `<CookieDetails/>` with 50
//! cookies in it, and matching the 60 cookies of a request against a registry of 200
//! entries (exact names and `*` patterns). Target: both under 50 µs.
//!
//! The registry is real: native entries plus shop-local ones in a SQLite store, loaded
//! through the cache a shop uses.
//!
//! Run: `cargo bench -p leptos-consent --features full --bench cookie_details`
//! (under `cargo test` it runs a few rounds, as a smoke test).

#![allow(clippy::print_stdout)] // a benchmark prints its figures

#[path = "../tests/common/mod.rs"]
mod common;

use std::{
    hint::black_box,
    time::{Duration, Instant},
};

use http::{Request, header, request::Parts};
use leptos::prelude::*;
use leptos_consent::{
    Category, ConsentConfig, CookieDetails, provide_consent,
    registry::{CookieRegistry, CookieTranslation, NewCookie},
};

fn main() {
    let measure = std::env::args().any(|arg| arg == "--bench");
    let (rounds, iterations) = if measure { (31, 2_000) } else { (3, 3) };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let dir = tempfile::tempdir().expect("a temporary directory");

    // A registry of 200 entries: the native ones and shop-local ones, a tenth of them
    // patterns, each with a translation.
    let native = CookieRegistry::native().snapshot().entries().len();
    let (registry_200, local_names) = runtime.block_on(registry(&dir, "match.db", 200 - native));
    let config_200 = config(registry_200.clone());
    assert_eq!(
        registry_200.snapshot().entries().len(),
        201,
        "200 + the consent cookie"
    );

    // 60 request cookies: exact hits, pattern hits (`_ga_*`, `app3_*`) and unknown ones.
    let mut request_cookies: Vec<String> =
        local_names.iter().step_by(6).take(25).cloned().collect();
    request_cookies.extend(
        [
            "_ga",
            "_gid",
            "_fbp",
            "_ga_K4Z2Q",
            "_hjSession_123",
            "lc_consent",
        ]
        .map(String::from),
    );
    request_cookies.extend((0..10).map(|i| format!("app{}_x{i}", i * 10)));
    request_cookies.extend((0..19).map(|i| format!("unknown_{i}")));
    assert_eq!(request_cookies.len(), 60);
    let snapshot = registry_200.snapshot();
    let matched = request_cookies
        .iter()
        .filter(|n| snapshot.lookup(n).next().is_some())
        .count();

    // A grid of 50 rows: 30 shop-local entries (always listed) and 20 present cookies.
    let (registry_30, _) = runtime.block_on(registry(&dir, "grid.db", 30));
    let config_30 = config(registry_30);
    let grid_cookies = [
        "lc_consent",
        "_ga",
        "_ga_K4Z2Q",
        "_gid",
        "_gat",
        "_gcl_au",
        "_fbp",
        "_fbc",
        "_clck",
        "_clsk",
        "_uetsid",
        "_uetvid",
        "_pin_unauth",
        "_ttp",
        "li_fat_id",
        "__stripe_mid",
        "cemv",
        "cems",
        "mystery_one",
        "mystery_two",
    ]
    .join("=1; ")
        + "=1";
    let grid_request = page_request(&config_30, &grid_cookies);
    let html = render(&grid_request);
    let rows = html.matches("<tr data-source").count();
    assert_eq!(rows, 50, "{html}");

    let match_times = time(rounds, iterations, || {
        let snapshot = registry_200.snapshot();
        let mut found = 0;
        for name in &request_cookies {
            found += snapshot.lookup(black_box(name)).count();
        }
        black_box(found);
    });
    let grid_times = time(rounds, iterations, || {
        black_box(config_30.cookie_details_html(black_box(&names(&grid_cookies))));
    });
    let render_times = time(rounds, (iterations / 4).max(1), || {
        black_box(render(black_box(&grid_request)));
    });
    let _ = config_200;

    println!("{:<62}{:>10}{:>10}", "operation", "median", "p90");
    for (label, times) in [
        (
            format!("match 60 request cookies, 200-entry registry ({matched} match)"),
            match_times,
        ),
        (
            format!("grid HTML with {rows} rows (cookie_details_html)"),
            grid_times,
        ),
        (
            format!("SSR render of <CookieDetails/> with {rows} rows"),
            render_times,
        ),
    ] {
        println!(
            "{label:<62}{:>10}{:>10}",
            format_duration(percentile(&times, 0.5)),
            format_duration(percentile(&times, 0.9))
        );
    }
}

/// A registry in a fresh SQLite file with `local` shop-local entries; returns their names.
async fn registry(
    dir: &tempfile::TempDir,
    file: &str,
    local: usize,
) -> (CookieRegistry, Vec<String>) {
    let url = format!("sqlite://{}", dir.path().join(file).display());
    let store = leptos_consent::store::Store::connect(&url)
        .await
        .expect("a store");
    let registry = CookieRegistry::load(store, Duration::from_secs(120))
        .await
        .expect("a registry");
    let mut names = Vec::new();
    for i in 0..local {
        let name = if i % 10 == 0 {
            format!("app{i}_*")
        } else {
            format!("shop_cookie_{i}")
        };
        let id = registry
            .create_local_cookie(&NewCookie {
                name: name.clone(),
                category: Category::ALL[i % 4],
                expire_days: (i as u32 % 3) * 180,
                is_third_party: i % 2 == 0,
                third_party_author: if i % 2 == 0 {
                    format!("Partner {i} Ltd.")
                } else {
                    String::new()
                },
                description: String::new(),
                description_da: String::new(),
                expire_secs: None,
                renewed: false,
                permanent: false,
            })
            .await
            .expect("created");
        registry
            .put_translation(
                id,
                1,
                &CookieTranslation {
                    locale: "en".into(),
                    description: format!("What cookie {i} does for the shop, in a sentence or two, as shops write them."),
                    third_party_author_description: String::new(),
                    expire_text: String::new(),
                },
            )
            .await
            .expect("translated");
        names.push(name);
    }
    (registry, names)
}

fn config(registry: CookieRegistry) -> ConsentConfig {
    ConsentConfig::builder()
        .secret([7; 32])
        .cookie_registry(registry)
        .build()
        .expect("a valid configuration")
}

fn names(cookie_header: &str) -> Vec<&str> {
    cookie_header
        .split("; ")
        .map(|pair| pair.split('=').next().unwrap_or_default())
        .collect()
}

/// A request for the policy page with `cookie_header`, as the `ConsentLayer` hands it on.
fn page_request(config: &ConsentConfig, cookie_header: &str) -> Parts {
    let request = Request::get("/terms")
        .header(header::COOKIE, cookie_header)
        .body(())
        .expect("a request");
    common::through_layer(config, request)
}

/// `<CookieDetails/>` rendered as leptos_axum renders a page: the request in context.
fn render(parts: &Parts) -> String {
    let owner = Owner::new();
    owner.with(|| {
        provide_context(parts.clone());
        provide_consent();
        view! { <CookieDetails/> }.to_html()
    })
}

/// The time of one call of `f`, in each of `rounds` rounds of `iterations` calls.
fn time(rounds: usize, iterations: usize, mut f: impl FnMut()) -> Vec<Duration> {
    let mut times: Vec<Duration> = (0..rounds)
        .map(|_| {
            let start = Instant::now();
            for _ in 0..iterations {
                f();
            }
            start.elapsed() / iterations.max(1) as u32
        })
        .collect();
    times.sort();
    times
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn format_duration(d: Duration) -> String {
    format!("{:.1} µs", d.as_secs_f64() * 1e6)
}
