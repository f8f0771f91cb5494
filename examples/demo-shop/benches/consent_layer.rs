//! What leptos-consent costs the shop per request, measured on the demo's own router.
//!
//! Run: `cargo bench -p demo-shop --features ssr --bench consent_layer`
//!
//! 1. **The layer**: the demo's router serving a product page to a shopper who has decided
//!    (a signed consent cookie among four other cookies), with `ConsentLayer`, and without it.
//!    The layer reads the request's consent once (scan, HMAC, GPC, the page) for everything
//!    the page renders; without it the components render as for a shopper who has not
//!    decided (the banner's markup included), so the two pages differ by the banner: the
//!    figure is what the layer's read costs, net of the banner it saves a decided shopper.
//! 2. **Reading the consent**: what the layer spends on the request's consent (`state_for`:
//!    scan the `Cookie` header for the one cookie, verify its HMAC, read GPC and the query),
//!    next to parsing every cookie with the `cookie` crate and then verifying, and as a share
//!    of a page.
//!
//! Timings on a shared machine drift; the variants are therefore interleaved round by round
//! and the loss is the median of the per-round ratios, which cancels the drift out. For a
//! figure that does not drift at all, `benches/count_instructions.sh` counts the CPU
//! instructions per request of each variant with callgrind, using this binary's
//! `CONSENT_BENCH_ONLY=<with|without>:<requests>` mode (serve that many pages, time nothing).

#![allow(clippy::print_stdout)] // a benchmark prints its figures

use std::{
    hint::black_box,
    time::{Duration, Instant},
};

use axum::{Router, body::Body, http::Request};
use demo_shop::server;
use http_body_util::BodyExt;
use leptos::config::LeptosOptions;
use leptos_consent::{CategorySet, ConsentAction, ConsentConfig, ConsentDecision, Uuid};
use tower::ServiceExt;

const PAGE: &str = "/products/1";

fn main() {
    // `cargo bench` passes `--bench`; under `cargo test` this runs once, as a smoke test.
    let measure = std::env::args().any(|arg| arg == "--bench");
    let (rounds, requests_per_round, reads_per_round) = if measure {
        (41, 1000, 20_000)
    } else {
        (1, 3, 3)
    };

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let options = LeptosOptions::builder().output_name("demo_shop").build();
    let consent = ConsentConfig::builder()
        .secret([7u8; 32])
        .build()
        .expect("a valid configuration");
    let cookie = shopper_cookies(&consent);

    let with_layer =
        server::router(options.clone(), Some(consent.clone()), None).expect("a router");
    let without_layer = server::router(options, None, None).expect("a router");

    // With the layer the decision is read (no banner); without it, nothing is.
    let [a, b] =
        [&with_layer, &without_layer].map(|router| runtime.block_on(page(router, &cookie)));
    assert!(
        !a.contains("lc-banner-title"),
        "the shopper's decision must be read"
    );
    assert!(
        b.contains("lc-banner-title"),
        "without the layer nothing reads the decision"
    );

    let request = Request::get(PAGE)
        .header("cookie", &cookie)
        .header("accept", "text/html")
        .body(())
        .expect("a valid request");
    let (parts, ()) = request.into_parts();

    if let Ok(only) = std::env::var("CONSENT_BENCH_ONLY") {
        let (variant, times) = only
            .split_once(':')
            .expect("CONSENT_BENCH_ONLY=<with|without|scan|parse>:<times>");
        let times: usize = times.parse().expect("a number");
        for _ in 0..times {
            match variant {
                "with" => black_box(runtime.block_on(page(&with_layer, &cookie)).len()),
                "without" => black_box(runtime.block_on(page(&without_layer, &cookie)).len()),
                "scan" => black_box(consent.state_for(&parts.uri, &parts.headers).page.len()),
                "parse" => black_box(
                    parse_every_cookie_then_verify(&consent, &parts.headers).is_some() as usize,
                ),
                other => panic!("unknown variant {other:?}: use with, without, scan or parse"),
            };
        }
        return;
    }

    let mut rates_with = Vec::with_capacity(rounds);
    let mut rates_without = Vec::with_capacity(rounds);
    let mut ratios = Vec::with_capacity(rounds);
    for round in 0..rounds {
        let time = |router: &Router| {
            let start = Instant::now();
            for _ in 0..requests_per_round {
                black_box(runtime.block_on(page(router, &cookie)));
            }
            requests_per_round as f64 / start.elapsed().as_secs_f64()
        };
        // Alternate which variant goes first, so neither always runs on a warmer cache.
        let (with, without) = if round % 2 == 0 {
            let with = time(&with_layer);
            (with, time(&without_layer))
        } else {
            let without = time(&without_layer);
            (time(&with_layer), without)
        };
        rates_with.push(with);
        rates_without.push(without);
        ratios.push(1.0 - with / without);
    }
    let page_rate = median(&mut rates_without);
    println!(
        "GET {PAGE} for a shopper who has decided ({rounds} interleaved rounds of {requests_per_round}):"
    );
    println!(
        "  without ConsentLayer (undecided page, {:>6} bytes) {page_rate:>8.0} requests/s",
        b.len()
    );
    println!(
        "  with ConsentLayer (decided page, {:>6} bytes)      {:>8.0} requests/s",
        a.len(),
        median(&mut rates_with)
    );
    println!(
        "  loss: {:.2} % (median of per-round ratios; middle half {:.2} % to {:.2} %)",
        100.0 * median(&mut ratios.clone()),
        100.0 * quantile(&mut ratios.clone(), 0.25),
        100.0 * quantile(&mut ratios, 0.75),
    );

    let mut scan = Vec::with_capacity(rounds);
    let mut full = Vec::with_capacity(rounds);
    for _ in 0..rounds {
        scan.push(per_call(reads_per_round, || {
            black_box(consent.state_for(&parts.uri, &parts.headers));
        }));
        full.push(per_call(reads_per_round, || {
            black_box(parse_every_cookie_then_verify(&consent, &parts.headers));
        }));
    }
    let page_time = Duration::from_secs_f64(1.0 / page_rate);
    let (scan, full) = (median_duration(&mut scan), median_duration(&mut full));
    println!("Reading the consent from that request:");
    println!(
        "  state_for (scan for the one cookie, verify)      {:>8.2} µs = {:.2} % of a page",
        micros(scan),
        100.0 * scan.as_secs_f64() / page_time.as_secs_f64()
    );
    println!(
        "  parse every cookie, then verify                  {:>8.2} µs = {:.2} % of a page",
        micros(full),
        100.0 * full.as_secs_f64() / page_time.as_secs_f64()
    );
}

/// A decided shopper's `Cookie` header: the consent cookie among typical shop cookies.
fn shopper_cookies(consent: &ConsentConfig) -> String {
    let decision = ConsentDecision {
        consent_id: Uuid::new_v4(),
        granted: CategorySet::all(),
        action: ConsentAction::AcceptAll,
        decided_at: unix_now(),
        refused_services: Default::default(),
    };
    format!(
        "_ga=GA1.2.1234567890.1700000000; cart=7f3a9c; theme=dark; {}={}; _fbp=fb.1.1700000000.42",
        consent.cookie_name(),
        consent.encode_decision(&decision)
    )
}

async fn page(router: &Router, cookie: &str) -> String {
    let request = Request::get(PAGE)
        .header("accept", "text/html")
        .header("cookie", cookie)
        // As `into_make_service_with_connect_info` hands it over.
        .extension(axum::extract::ConnectInfo(std::net::SocketAddr::from((
            [203, 0, 113, 7],
            40_000,
        ))))
        .body(Body::empty())
        .expect("a valid request");
    let response = router.clone().oneshot(request).await.expect("infallible");
    assert!(response.status().is_success(), "{}", response.status());
    let body = response
        .into_body()
        .collect()
        .await
        .expect("a body")
        .to_bytes();
    String::from_utf8(body.to_vec()).expect("UTF-8 HTML")
}

/// The approach the scan avoids: every cookie of the request parsed, then the one verified.
fn parse_every_cookie_then_verify(
    consent: &ConsentConfig,
    headers: &axum::http::HeaderMap,
) -> Option<ConsentDecision> {
    let mut jar = cookie::CookieJar::new();
    for header in headers.get_all("cookie") {
        for cookie in cookie::Cookie::split_parse(header.to_str().ok()?.to_owned()).flatten() {
            jar.add_original(cookie);
        }
    }
    let value = jar.get(consent.cookie_name())?.value();
    consent.decode_decision(value, unix_now()).ok()
}

fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

fn per_call(times: u32, mut f: impl FnMut()) -> Duration {
    let start = Instant::now();
    for _ in 0..times {
        f();
    }
    start.elapsed() / times
}

fn median(values: &mut [f64]) -> f64 {
    quantile(values, 0.5)
}

fn quantile(values: &mut [f64], q: f64) -> f64 {
    values.sort_by(f64::total_cmp);
    values[((values.len() - 1) as f64 * q).round() as usize]
}

fn median_duration(values: &mut [Duration]) -> Duration {
    values.sort();
    values[values.len() / 2]
}

fn micros(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1e6
}
