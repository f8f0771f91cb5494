//! What the consent layer costs the shop: the demo's router serving pages with and without
//! `ConsentLayer`, for a shopper who has decided (a signed consent cookie among other
//! cookies, verified on every page). Criterion prints each as requests per second
//! ("thrpt"); the README's target is at most 3 % fewer with the layer.
//!
//! Run: `cargo bench -p demo-shop --features ssr --bench consent_layer`

use axum::{Router, body::Body, http::Request};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use demo_shop::server;
use http_body_util::BodyExt;
use leptos::config::LeptosOptions;
use leptos_consent::{CategorySet, ConsentAction, ConsentConfig, ConsentDecision, Uuid};
use tower::ServiceExt;

fn request(path: &str, cookie: &str) -> Request<Body> {
    Request::get(path)
        .header("accept", "text/html")
        .header("cookie", cookie)
        .body(Body::empty())
        .expect("a valid request")
}

async fn serve(router: &Router, path: &str, cookie: &str) -> usize {
    let response = router
        .clone()
        .oneshot(request(path, cookie))
        .await
        .expect("infallible");
    assert!(
        response.status().is_success(),
        "{path}: {}",
        response.status()
    );
    response
        .into_body()
        .collect()
        .await
        .expect("a body")
        .to_bytes()
        .len()
}

fn consent_layer(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let options = LeptosOptions::builder().output_name("demo_shop").build();
    let consent = ConsentConfig::builder()
        .secret([7u8; 32])
        .build()
        .expect("a valid configuration");
    let decision = ConsentDecision {
        consent_id: Uuid::new_v4(),
        granted: CategorySet::all(),
        action: ConsentAction::AcceptAll,
        decided_at: std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64),
    };
    let cookie = format!(
        "_ga=GA1.2.1234567890.1700000000; cart=7f3a9c; theme=dark; {}={}; _fbp=fb.1.1700000000.42",
        consent.cookie_name(),
        consent.encode_decision(&decision)
    );
    let routers = [
        (
            "with ConsentLayer",
            server::router(options.clone(), Some(consent)),
        ),
        ("without", server::router(options, None)),
    ];

    let mut group = c.benchmark_group("demo router");
    group.throughput(Throughput::Elements(1));
    for path in ["/", "/products/1"] {
        for (name, router) in &routers {
            // One warm-up request, which also checks that the page renders.
            runtime.block_on(serve(router, path, &cookie));
            group.bench_function(format!("GET {path} {name}"), |b| {
                b.iter(|| runtime.block_on(serve(router, path, &cookie)))
            });
        }
    }
    group.finish();
}

criterion_group!(benches, consent_layer);
criterion_main!(benches);
