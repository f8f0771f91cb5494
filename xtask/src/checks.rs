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

    // The server and the browser feature sets of the library and the demo, and the xtask.
    clippy(&[
        "--package",
        "leptos-consent",
        "--all-targets",
        "--features",
        "ssr",
    ])?;
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
    clippy(&[
        "--package",
        "demo-shop",
        "--lib",
        "--target",
        "wasm32-unknown-unknown",
        "--features",
        "hydrate",
    ])?;
    // The measurement baseline of `cargo xtask sizes` must keep compiling too.
    clippy(&[
        "--package",
        "demo-shop",
        "--lib",
        "--target",
        "wasm32-unknown-unknown",
        "--features",
        "hydrate,size-baseline",
    ])?;
    clippy(&["--package", "xtask", "--all-targets"])?;

    run(cargo().args(["test", "--package", "leptos-consent", "--features", "ssr"]))?;
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
            "ssr",
            "--no-deps",
        ])
        .env("RUSTDOCFLAGS", "-D warnings"))?;

    let site = site::build(false)?;
    tools::ensure_npm_packages()?;
    run(Command::new("npx")
        .args(["playwright", "test"])
        .current_dir(root().join("end2end"))
        .envs(site.env())
        .env("DEMO_SHOP_BIN", &site.server)
        .env("CHROMIUM_PATH", chromium))
}

fn clippy(args: &[&str]) -> Result {
    run(cargo()
        .arg("clippy")
        .args(args)
        .args(["--", "-D", "warnings"]))
}
