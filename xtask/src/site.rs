//! Building an app of `examples/` the way cargo-leptos would: the WASM bundle (wasm-bindgen
//! as a library), the stylesheet and the public files in one site directory, then the
//! server. Two apps: the demo shop, and the start-axum app of the README's quick start.

use std::{
    fs,
    path::{Path, PathBuf},
};

use crate::{
    Result,
    tools::{self, cargo, root, run, target_dir},
};

/// An app of `examples/` that is built like cargo-leptos builds one.
pub(crate) struct App {
    /// The cargo package.
    package: &'static str,
    /// The bundle's file names (`LEPTOS_OUTPUT_NAME` at run time; `output-name` for
    /// cargo-leptos).
    pub(crate) output_name: &'static str,
    /// The stylesheet (`style-file`), relative to the package, copied to
    /// `pkg/<output_name>.css`.
    style_file: &'static str,
    /// The files served from the site root (`assets-dir`), if any.
    assets_dir: Option<&'static str>,
    /// The site directory's name under `target/`.
    site_dir: &'static str,
}

/// Nordlys Kaffe, the demo shop.
pub(crate) const DEMO: App = App {
    package: "demo-shop",
    output_name: "demo_shop",
    style_file: "style/shop.css",
    assets_dir: Some("public"),
    site_dir: "site",
};

/// The start-axum template's app with leptos-consent added as the README says.
pub(crate) const START_AXUM: App = App {
    package: "start-axum",
    output_name: "start-axum",
    style_file: "style/main.css",
    assets_dir: None,
    site_dir: "site-start-axum",
};

/// A built app: where its files are and which server binary serves them.
pub(crate) struct Site {
    pub(crate) output_name: &'static str,
    pub(crate) root: PathBuf,
    pub(crate) server: PathBuf,
}

impl Site {
    /// The environment the server reads its Leptos options from.
    pub(crate) fn env(&self) -> [(&'static str, String); 4] {
        [
            ("LEPTOS_OUTPUT_NAME", self.output_name.to_owned()),
            ("LEPTOS_SITE_ROOT", self.root.display().to_string()),
            ("LEPTOS_SITE_PKG_DIR", "pkg".to_owned()),
            (
                "LEPTOS_SITE_ADDR",
                std::env::var("LEPTOS_SITE_ADDR").unwrap_or_else(|_| "127.0.0.1:3000".to_owned()),
            ),
        ]
    }
}

/// Builds the demo shop and serves it until interrupted.
pub(crate) fn demo(release: bool) -> Result {
    let site = DEMO.build(release)?;
    let mut server = std::process::Command::new(&site.server);
    server.current_dir(root()).envs(site.env());
    if release {
        server.env("LEPTOS_ENV", "PROD");
    }
    run(&mut server)
}

impl App {
    fn dir(&self) -> PathBuf {
        root().join("examples").join(self.package)
    }

    /// Builds the browser bundle, assembles the site directory, builds the server.
    pub(crate) fn build(&self, release: bool) -> Result<Site> {
        let site_root = target_dir().join(format!(
            "{}{}",
            self.site_dir,
            if release { "-release" } else { "" }
        ));
        self.build_bundle(release, &[], &site_root.join("pkg"))?;
        self.copy_assets(&site_root)?;
        let mut server = cargo();
        server.args([
            "build",
            "--package",
            self.package,
            "--bin",
            self.package,
            "--features",
            "ssr",
        ]);
        if release {
            server.arg("--release");
        }
        run(&mut server)?;
        Ok(Site {
            output_name: self.output_name,
            root: site_root,
            server: target_dir()
                .join(if release { "release" } else { "debug" })
                .join(self.package),
        })
    }

    /// Compiles the app's library to WASM (`hydrate`, plus `extra_features`) and runs
    /// wasm-bindgen into `pkg_dir`. Release builds use the size profile `wasm-release`.
    pub(crate) fn build_bundle(
        &self,
        release: bool,
        extra_features: &[&str],
        pkg_dir: &Path,
    ) -> Result {
        tools::ensure_wasm_target()?;
        let features = std::iter::once("hydrate")
            .chain(extra_features.iter().copied())
            .collect::<Vec<_>>()
            .join(",");
        let profile = if release { "wasm-release" } else { "dev" };
        run(cargo().args([
            "build",
            "--package",
            self.package,
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
            .join(format!("{}.wasm", self.package.replace('-', "_")));
        fs::create_dir_all(pkg_dir)?;
        println!(
            "\n$ wasm-bindgen --target web {} → {}",
            wasm.display(),
            pkg_dir.display()
        );
        wasm_bindgen_cli_support::Bindgen::new()
            .input_path(&wasm)
            .web(true)?
            .out_name(self.output_name)
            .typescript(false)
            .remove_name_section(release)
            .remove_producers_section(release)
            .generate(pkg_dir)
            .map_err(|e| format!("wasm-bindgen: {e}"))?;
        // Leptos asks for `<name>.wasm` when LEPTOS_OUTPUT_NAME is set at compile time.
        fs::rename(
            pkg_dir.join(format!("{}_bg.wasm", self.output_name)),
            pkg_dir.join(format!("{}.wasm", self.output_name)),
        )?;
        Ok(())
    }

    /// The app's stylesheet into `pkg/` (the crate's is inlined or served by the app, see
    /// `leptos_consent::style`), the public files into the root.
    fn copy_assets(&self, site_root: &Path) -> Result {
        fs::copy(
            self.dir().join(self.style_file),
            site_root
                .join("pkg")
                .join(format!("{}.css", self.output_name)),
        )?;
        if let Some(assets) = self.assets_dir {
            for entry in fs::read_dir(self.dir().join(assets))? {
                let entry = entry?;
                fs::copy(entry.path(), site_root.join(entry.file_name()))?;
            }
        }
        Ok(())
    }
}
