//! Building the demo shop the way cargo-leptos would: the WASM bundle (wasm-bindgen as a
//! library), the stylesheets and the public files in one site directory, then the server.

use std::{
    fs,
    path::{Path, PathBuf},
};

use crate::{
    Result,
    tools::{self, cargo, root, run, target_dir},
};

/// The name Leptos asks for (`LEPTOS_OUTPUT_NAME`, set for every build in
/// `.cargo/config.toml`).
pub(crate) const OUTPUT_NAME: &str = "demo_shop";

/// A built demo shop: where its files are and which server binary serves them.
pub(crate) struct Site {
    pub(crate) root: PathBuf,
    pub(crate) server: PathBuf,
}

impl Site {
    /// The environment the server reads its Leptos options from.
    pub(crate) fn env(&self) -> [(&'static str, String); 4] {
        [
            ("LEPTOS_OUTPUT_NAME", OUTPUT_NAME.to_owned()),
            ("LEPTOS_SITE_ROOT", self.root.display().to_string()),
            ("LEPTOS_SITE_PKG_DIR", "pkg".to_owned()),
            (
                "LEPTOS_SITE_ADDR",
                std::env::var("LEPTOS_SITE_ADDR").unwrap_or_else(|_| "127.0.0.1:3000".to_owned()),
            ),
        ]
    }
}

/// Builds everything and serves the shop until interrupted.
pub(crate) fn demo(release: bool) -> Result {
    let site = build(release)?;
    let mut server = std::process::Command::new(&site.server);
    server.current_dir(root()).envs(site.env());
    if release {
        server.env("LEPTOS_ENV", "PROD");
    }
    run(&mut server)
}

/// Builds the browser bundle, assembles the site directory, builds the server.
pub(crate) fn build(release: bool) -> Result<Site> {
    let site_root = target_dir().join(if release { "site-release" } else { "site" });
    build_bundle(release, &[], &site_root.join("pkg"))?;
    copy_assets(&site_root)?;
    let mut server = cargo();
    server.args([
        "build",
        "--package",
        "demo-shop",
        "--bin",
        "demo-shop",
        "--features",
        "ssr",
    ]);
    if release {
        server.arg("--release");
    }
    run(&mut server)?;
    Ok(Site {
        root: site_root,
        server: target_dir()
            .join(if release { "release" } else { "debug" })
            .join("demo-shop"),
    })
}

/// Compiles the demo's library to WASM (`hydrate`, plus `extra_features`) and runs
/// wasm-bindgen into `pkg_dir`. Release builds use the size profile `wasm-release`.
pub(crate) fn build_bundle(release: bool, extra_features: &[&str], pkg_dir: &Path) -> Result {
    tools::ensure_wasm_target()?;
    let features = std::iter::once("hydrate")
        .chain(extra_features.iter().copied())
        .collect::<Vec<_>>()
        .join(",");
    let profile = if release { "wasm-release" } else { "dev" };
    run(cargo().args([
        "build",
        "--package",
        "demo-shop",
        "--lib",
        "--target",
        "wasm32-unknown-unknown",
        "--no-default-features",
        "--features",
        &features,
        "--profile",
        profile,
    ]))?;
    let wasm = target_dir()
        .join("wasm32-unknown-unknown")
        .join(if release { "wasm-release" } else { "debug" })
        .join(format!("{OUTPUT_NAME}.wasm"));
    fs::create_dir_all(pkg_dir)?;
    println!(
        "\n$ wasm-bindgen --target web {} → {}",
        wasm.display(),
        pkg_dir.display()
    );
    wasm_bindgen_cli_support::Bindgen::new()
        .input_path(&wasm)
        .web(true)?
        .out_name(OUTPUT_NAME)
        .typescript(false)
        .remove_name_section(release)
        .remove_producers_section(release)
        .generate(pkg_dir)
        .map_err(|e| format!("wasm-bindgen: {e}"))?;
    // Leptos asks for `<name>.wasm` when LEPTOS_OUTPUT_NAME is set at compile time.
    fs::rename(
        pkg_dir.join(format!("{OUTPUT_NAME}_bg.wasm")),
        pkg_dir.join(format!("{OUTPUT_NAME}.wasm")),
    )?;
    Ok(())
}

/// The shop's stylesheet into `pkg/` (the crate's is served by the shop, see
/// `leptos_consent::style`), the public files into the root.
fn copy_assets(site_root: &Path) -> Result {
    let demo = root().join("examples/demo-shop");
    let pkg = site_root.join("pkg");
    fs::copy(
        demo.join("style/shop.css"),
        pkg.join(format!("{OUTPUT_NAME}.css")),
    )?;
    for entry in fs::read_dir(demo.join("public"))? {
        let entry = entry?;
        fs::copy(entry.path(), site_root.join(entry.file_name()))?;
    }
    Ok(())
}
