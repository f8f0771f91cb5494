//! `cargo xtask test`: every check and test of the project, cheapest first.

use std::process::Command;

use crate::{
    Result, runtime,
    site::{DEMO, START_AXUM},
    sizes, snippets,
    tools::{self, cargo, root, run, target_dir},
};

/// fmt, clippy for every feature set, unit/integration/doc tests, rustdoc, the bundle's
/// budgets (`cargo xtask sizes`), then Playwright.
pub(crate) fn all() -> Result {
    tools::ensure_wasm_target()?;
    // Checked first: a missing browser should not cost a long build to find out.
    let chromium = tools::chromium()?;

    run(cargo().args(["fmt", "--all", "--check"]))?;
    snippets::check()?;
    runtime::check()?;

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
        "hydrate,baseline",
        "hydrate,size-without-banner",
        "hydrate,size-without-link",
        "hydrate,size-without-details",
        "hydrate,size-without-gate",
        "hydrate,size-without-tags",
        "hydrate,size-without-delete",
        "hydrate,size-without-tracker",
        "hydrate,size-without-status",
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
    clippy(&[
        "--package",
        "start-axum",
        "--all-targets",
        "--features",
        "ssr",
    ])?;
    clippy(&[
        "--package",
        "start-axum",
        "--lib",
        "--target",
        "wasm32-unknown-unknown",
        "--features",
        "hydrate",
    ])?;
    clippy(&["--package", "xtask", "--all-targets"])?;

    server_code_stays_out_of_the_bundle()?;
    the_banner_needs_no_database_or_http_client()?;
    an_app_may_pin_an_older_wasm_bindgen()?;

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

    // What the crate adds to the browser bundle, against its budgets (release builds).
    sizes::report()?;

    let site = DEMO.build(false)?;
    let start_axum = START_AXUM.build(false)?;
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
        .env("START_AXUM_BIN", &start_axum.server)
        .env("START_AXUM_SITE_ROOT", &start_axum.root)
        .env("CHROMIUM_PATH", chromium))
}

/// The wasm-bindgen an app pins older than this workspace's.
const OLDER_WASM_BINDGEN: &str = "0.2.108";

/// An app that pins an older wasm-bindgen exactly (the start-axum template did, until
/// recently) still resolves and builds: the library asks for a caret version only. A copy of
/// `examples/start-axum` with `wasm-bindgen = "=0.2.108"`, its own lock file (this
/// workspace's, downgraded by cargo where the pin requires), checked for the browser.
fn an_app_may_pin_an_older_wasm_bindgen() -> Result {
    let app = target_dir().join("older-wasm-bindgen");
    if app.exists() {
        std::fs::remove_dir_all(&app)?;
    }
    let example = root().join("examples/start-axum");
    copy_dir(&example.join("src"), &app.join("src"))?;
    let manifest = std::fs::read_to_string(example.join("Cargo.toml"))?;
    let pinned = manifest
        .replace(
            "path = \"../..\"",
            &format!("path = {:?}", root().display().to_string()),
        )
        .replace(
            "wasm-bindgen = { version = \"0.2.106\", optional = true }",
            &format!("wasm-bindgen = {{ version = \"={OLDER_WASM_BINDGEN}\", optional = true }}"),
        );
    if !pinned.contains(&format!("\"={OLDER_WASM_BINDGEN}\"")) {
        return Err("examples/start-axum/Cargo.toml: its wasm-bindgen line changed".into());
    }
    std::fs::write(app.join("Cargo.toml"), pinned + "\n[workspace]\n")?;
    std::fs::copy(root().join("Cargo.lock"), app.join("Cargo.lock"))?;
    run(cargo()
        .args([
            "check",
            "--lib",
            "--target",
            "wasm32-unknown-unknown",
            "--no-default-features",
            "--features",
            "hydrate",
        ])
        .current_dir(&app)
        // The workspace's target directory: what did not change is not compiled again.
        .env("CARGO_TARGET_DIR", target_dir()))?;
    let tree = dependency_tree_in(
        &app,
        &[
            "-i",
            "wasm-bindgen",
            "--depth",
            "0",
            "--target",
            "wasm32-unknown-unknown",
            "--features",
            "hydrate",
        ],
    )?;
    if !tree.contains(&format!("wasm-bindgen v{OLDER_WASM_BINDGEN}")) {
        return Err(format!(
            "the pinned app did not get wasm-bindgen {OLDER_WASM_BINDGEN}: {tree}"
        )
        .into());
    }
    println!("an app pinning wasm-bindgen ={OLDER_WASM_BINDGEN} resolves and builds");
    Ok(())
}

fn copy_dir(from: &std::path::Path, to: &std::path::Path) -> Result {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &to.join(entry.file_name()))?;
        } else {
            std::fs::copy(entry.path(), to.join(entry.file_name()))?;
        }
    }
    Ok(())
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
    dependency_tree_in(&root(), args)
}

/// `cargo tree` of the package in `dir`, one package a line.
fn dependency_tree_in(dir: &std::path::Path, args: &[&str]) -> Result<String> {
    let mut command = cargo();
    command
        .current_dir(dir)
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
