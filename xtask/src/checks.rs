//! `cargo xtask test`: every check and test of the project, cheapest first.

use std::process::Command;

use crate::{
    Result, site,
    tools::{self, cargo, root, run},
};

/// fmt, clippy for every feature set, unit/integration/doc tests, rustdoc, then Playwright.
pub(crate) fn all() -> Result {
    tools::ensure_wasm_target()?;
    // Checked first: a missing browser should not cost a long build to find out.
    let chromium = tools::chromium()?;

    run(cargo().args(["fmt", "--all", "--check"]))?;

    // The library's feature sets (everything, the banner-only core, the browser), the
    // demo's, and the xtask.
    for features in LIBRARY_SETS {
        clippy(&[
            "--package",
            "leptos-consent",
            "--all-targets",
            "--no-default-features",
            "--features",
            features,
        ])?;
    }
    clippy(&[
        "--package",
        "leptos-consent",
        "--lib",
        "--target",
        "wasm32-unknown-unknown",
    ])?;
    clippy(&[
        "--package",
        "demo-shop",
        "--all-targets",
        "--features",
        "ssr",
    ])?;
    // The browser build, and the measurement variants of `cargo xtask sizes`.
    for features in [
        "hydrate",
        "hydrate,size-baseline",
        "hydrate,size-without-banner",
    ] {
        clippy(&[
            "--package",
            "demo-shop",
            "--lib",
            "--target",
            "wasm32-unknown-unknown",
            "--features",
            features,
        ])?;
    }
    clippy(&["--package", "xtask", "--all-targets"])?;

    server_code_stays_out_of_the_bundle()?;
    the_banner_needs_no_database_or_http_client()?;

    // The PostgreSQL tests need LEPTOS_CONSENT_TEST_POSTGRES (.ci/run sets it); without it
    // they say so and pass, except under CI, where they fail.
    if std::env::var_os("LEPTOS_CONSENT_TEST_POSTGRES").is_none() {
        println!(
            "\nnote: LEPTOS_CONSENT_TEST_POSTGRES is not set: the PostgreSQL tests are skipped"
        );
    }
    // Every set's tests (each test target names the features it needs); `--all-targets`
    // runs the benchmarks once each, as tests; doctests run separately.
    for features in LIBRARY_SETS {
        for targets in ["--all-targets", "--doc"] {
            run(cargo().args([
                "test",
                "--package",
                "leptos-consent",
                "--no-default-features",
                "--features",
                features,
                targets,
            ]))?;
        }
    }
    // `--all-targets` also runs the benchmarks once each, as tests.
    run(cargo().args([
        "test",
        "--package",
        "demo-shop",
        "--features",
        "ssr",
        "--all-targets",
    ]))?;
    run(cargo().args(["test", "--package", "xtask"]))?;
    run(cargo()
        .args([
            "doc",
            "--package",
            "leptos-consent",
            "--features",
            "full",
            "--no-deps",
        ])
        .env("RUSTDOCFLAGS", "-D warnings"))?;

    let site = site::build(false)?;
    tools::ensure_npm_packages()?;
    // Every run starts with fresh shops: empty databases, no registry left by a failed run.
    let e2e_data = root().join("target").join("e2e");
    if e2e_data.exists() {
        std::fs::remove_dir_all(&e2e_data)
            .map_err(|e| format!("removing {}: {e}", e2e_data.display()))?;
    }
    run(Command::new("npx")
        .args(["playwright", "test"])
        .current_dir(root().join("end2end"))
        .envs(site.env())
        .env("DEMO_SHOP_BIN", &site.server)
        .env("CHROMIUM_PATH", chromium))
}

/// The library's server feature sets that are built, linted and tested: everything, and
/// the banner-only core.
const LIBRARY_SETS: [&str; 2] = ["full", "ssr"];

/// Crates a shop that uses only the banner must not compile.
const NOT_FOR_THE_BANNER: &[&str] = &["sqlx", "sqlx-core", "reqwest", "utoipa", "governor"];

/// Fails when the banner-only set (`--no-default-features --features ssr`) pulls in a
/// database driver, an HTTP client, the OpenAPI generator or the rate limiter.
fn the_banner_needs_no_database_or_http_client() -> Result {
    let crates = dependency_tree(&[
        "--package",
        "leptos-consent",
        "--edges",
        "normal",
        "--no-default-features",
        "--features",
        "ssr",
    ])?;
    let heavy = crates_named(&crates, NOT_FOR_THE_BANNER);
    if heavy.is_empty() {
        println!(
            "the banner-only set builds {} crates, none of {NOT_FOR_THE_BANNER:?}",
            crates_named(&crates, &[]).len()
        );
        Ok(())
    } else {
        Err(format!("the banner-only set pulls in {}", heavy.join(", ")).into())
    }
}

/// Crates that only the server may link: their presence in the browser build would mean the
/// `ssr` feature leaked (and signing keys, sockets or SQL with it).
const SERVER_ONLY: &[&str] = &[
    "axum",
    "axum-core",
    "cookie",
    "governor",
    "hkdf",
    "hmac",
    "hyper",
    "leptos_axum",
    "psl",
    "reqwest",
    "rustls",
    "sha2",
    "sqlx",
    "sqlx-core",
    "subtle",
    "tokio",
    "tower",
    "tower-http",
    "tower-layer",
    "tower-service",
    "utoipa",
];

/// Fails when a server-only crate is in the demo's browser build (proc-macros excluded:
/// they run at compile time and never reach the WASM).
fn server_code_stays_out_of_the_bundle() -> Result {
    let crates = dependency_tree(&[
        "--package",
        "demo-shop",
        "--target",
        "wasm32-unknown-unknown",
        "--no-default-features",
        "--features",
        "hydrate",
        "--edges",
        "normal,no-proc-macro",
    ])?;
    let leaked = crates_named(&crates, SERVER_ONLY);
    if leaked.is_empty() {
        println!("no server-only crate in the browser build");
        Ok(())
    } else {
        Err(format!(
            "server-only crates in the browser build: {}",
            leaked.join(", ")
        )
        .into())
    }
}

/// `cargo tree` with `args`, one `name version` line a crate.
fn dependency_tree(args: &[&str]) -> Result<String> {
    let mut command = cargo();
    command
        .arg("tree")
        .args(args)
        .args(["--prefix", "none", "--format", "{p}"]);
    println!("\n$ cargo tree {}", args.join(" "));
    let output = command.output()?;
    if !output.status.success() {
        return Err(format!(
            "cargo tree failed: {}",
            String::from_utf8_lossy(&output.stderr)
        )
        .into());
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

/// The crates of `names` (every crate when `names` is empty) that `cargo tree --format {p}`
/// output lists, each once.
fn crates_named<'t>(tree: &'t str, names: &[&str]) -> Vec<&'t str> {
    let mut leaked: Vec<&str> = tree
        .lines()
        .filter_map(|line| line.split_whitespace().next())
        .filter(|name| names.is_empty() || names.contains(name))
        .collect();
    leaked.sort_unstable();
    leaked.dedup();
    leaked
}

fn clippy(args: &[&str]) -> Result {
    run(cargo()
        .arg("clippy")
        .args(args)
        .args(["--", "-D", "warnings"]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_server_crates_in_a_tree() {
        let tree = "leptos v0.8.23\ntokio v1.48.0\ntower-layer v0.3.3\ntokio v1.48.0\nhttp v1.3.1\ntowerish v1\n";
        assert_eq!(crates_named(tree, SERVER_ONLY), ["tokio", "tower-layer"]);
        assert!(crates_named("leptos v0.8.23\nserde v1\n", SERVER_ONLY).is_empty());
    }
}
