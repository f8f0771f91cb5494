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
    /// Whether the bundle's files have content-hashed names, listed in [`HASH_FILE`]
    /// beside `server`.
    pub(crate) hashed: bool,
}

/// The file beside the server binary that names the bundle's hashes (Leptos's default).
const HASH_FILE: &str = "hash.txt";

impl Site {
    /// The environment the server reads its Leptos options from.
    pub(crate) fn env(&self) -> [(&'static str, String); 5] {
        [
            ("LEPTOS_HASH_FILES", self.hashed.to_string()),
            ("LEPTOS_OUTPUT_NAME", self.output_name.to_owned()),
            ("LEPTOS_SITE_ROOT", self.root.display().to_string()),
            ("LEPTOS_SITE_PKG_DIR", "pkg".to_owned()),
            (
                "LEPTOS_SITE_ADDR",
                std::env::var("LEPTOS_SITE_ADDR").unwrap_or_else(|_| "127.0.0.1:3000".to_owned()),
            ),
        ]
    }

    /// The command that runs this site's server: on `addr` (else `LEPTOS_SITE_ADDR`'s or
    /// the default), with its data in `data` (else the demo's default), in production mode
    /// (`LEPTOS_ENV=PROD`) when `release`.
    pub(crate) fn server_command(
        &self,
        addr: Option<std::net::SocketAddr>,
        data: Option<&Path>,
        release: bool,
    ) -> std::process::Command {
        let mut command = std::process::Command::new(&self.server);
        command.current_dir(root()).envs(self.env());
        if let Some(addr) = addr {
            command.env("LEPTOS_SITE_ADDR", addr.to_string());
        }
        if let Some(data) = data {
            command.env("DEMO_DATA_DIR", data);
        }
        if release {
            command.env("LEPTOS_ENV", "PROD");
        }
        command
    }
}

/// Builds the demo shop and serves it until interrupted: one instance, or `instances` of
/// them side by side as a shop runs behind a load balancer (see [`serve_instances`]).
pub(crate) fn demo(release: bool, instances: usize) -> Result {
    let site = DEMO.build(release)?;
    if instances > 1 {
        return serve_instances(&site, release, instances);
    }
    run(&mut site.server_command(None, None, release))
}

/// Serves `count` demo instances on one PostgreSQL database (`DATABASE_URL`) and ports side
/// by side from `LEPTOS_SITE_ADDR`'s, all with one signing secret (`CONSENT_SECRET`, else
/// one generated into `target/demo-shop/instances/consent-secret`) and each with its own data
/// directory (its fallback journal). They share the consent log, the cookie registry and the
/// tracking outbox. Started one after the other (the first migrates the database); stops
/// them all when one stops or on Ctrl-C.
fn serve_instances(site: &Site, release: bool, count: usize) -> Result {
    let database = std::env::var("DATABASE_URL").unwrap_or_default();
    if !database.starts_with("postgres://") && !database.starts_with("postgresql://") {
        return Err(
            "several instances share one PostgreSQL database: set DATABASE_URL=postgres://…".into(),
        );
    }
    let dir = target_dir().join("demo-shop").join("instances");
    fs::create_dir_all(&dir)?;
    let secret = match std::env::var("CONSENT_SECRET") {
        Ok(secret) => secret,
        Err(_) => shared_secret(&dir.join("consent-secret"))?,
    };
    let first: std::net::SocketAddr = site
        .env()
        .iter()
        .find(|(name, _)| *name == "LEPTOS_SITE_ADDR")
        .map(|(_, addr)| addr.parse())
        .transpose()
        .map_err(|e| format!("LEPTOS_SITE_ADDR: {e}"))?
        .ok_or("LEPTOS_SITE_ADDR is always set")?;
    let mut children = Vec::new();
    for index in 0..count {
        let port = u16::try_from(usize::from(first.port()) + index)
            .map_err(|_| "the instances' ports run past 65535")?;
        let addr = std::net::SocketAddr::new(first.ip(), port);
        let data = dir.join(format!("instance-{}", index + 1));
        let mut server = site.server_command(Some(addr), Some(&data), release);
        server.env("CONSENT_SECRET", &secret);
        println!("\n$ instance {} on http://{addr}", index + 1);
        children.push(server.spawn()?);
        wait_for_port(addr, &mut children)?;
    }
    println!("\n{count} instances are serving; Ctrl-C stops them all.");
    // The first to end (a crash, or Ctrl-C, which reaches them all) ends the rest.
    loop {
        for child in &mut children {
            if let Some(status) = child.try_wait()? {
                for other in &mut children {
                    let _ = other.kill();
                    let _ = other.wait();
                }
                return if status.success() {
                    Ok(())
                } else {
                    Err(format!("an instance stopped ({status})").into())
                };
            }
        }
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
}

/// Waits until `addr` takes connections (the instance has migrated and bound), failing when
/// the newest of `children` exits first or after two minutes.
pub(crate) fn wait_for_port(
    addr: std::net::SocketAddr,
    children: &mut [std::process::Child],
) -> Result {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
    while std::net::TcpStream::connect(addr).is_err() {
        if let Some(status) = children.last_mut().and_then(|c| c.try_wait().transpose()) {
            for child in children.iter_mut() {
                let _ = child.kill();
            }
            return Err(format!(
                "the instance on {addr} stopped before serving ({})",
                status?
            )
            .into());
        }
        if std::time::Instant::now() > deadline {
            return Err(format!("the instance on {addr} did not start within two minutes").into());
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    Ok(())
}

/// A demo server started in the background for a measurement; killed when dropped.
pub(crate) struct Running(pub(crate) std::process::Child);

impl Running {
    /// Starts `site`'s server in production mode on `addr` with a fresh data directory
    /// `data` and the settings `env`, and waits until it serves.
    pub(crate) fn start(
        site: &Site,
        addr: std::net::SocketAddr,
        data: &Path,
        env: &[(&str, &str)],
    ) -> Result<Self> {
        let _ = fs::remove_dir_all(data);
        let mut command = site.server_command(Some(addr), Some(data), true);
        command
            .env("RUST_LOG", "warn")
            .envs(env.iter().copied())
            .stdout(std::process::Stdio::null());
        let mut running = Running(command.spawn()?);
        wait_for_port(addr, std::slice::from_mut(&mut running.0))?;
        Ok(running)
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The instances' one signing secret, created (random, owner-only) on first use.
fn shared_secret(path: &Path) -> Result<String> {
    if let Ok(secret) = fs::read_to_string(path) {
        return Ok(secret.trim().to_owned());
    }
    let mut bytes = [0u8; 32];
    std::io::Read::read_exact(&mut fs::File::open("/dev/urandom")?, &mut bytes)?;
    let secret: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    let mut file = fs::OpenOptions::new();
    file.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut file, 0o600);
    std::io::Write::write_all(&mut file.open(path)?, secret.as_bytes())?;
    Ok(secret)
}

impl App {
    fn dir(&self) -> PathBuf {
        root().join("examples").join(self.package)
    }

    /// Builds the browser bundle, assembles the site directory, builds the server. A release
    /// site is served as a production shop would: the bundle's files under content-hashed
    /// names (cached for a year), each with brotli and gzip copies beside it.
    pub(crate) fn build(&self, release: bool) -> Result<Site> {
        self.build_with(release, &[])
    }

    /// [`build`](Self::build) with the app's `features` on, in both halves (the demo's
    /// `baseline`, say): a site directory and a server binary of its own, named after them.
    pub(crate) fn build_with(&self, release: bool, features: &[&str]) -> Result<Site> {
        let variant: String = features.iter().map(|f| format!("-{f}")).collect();
        let site_root = target_dir().join(format!(
            "{}{}{variant}",
            self.site_dir,
            if release { "-release" } else { "" }
        ));
        // No file of an earlier build stays behind (hashed names change with the content).
        let _ = fs::remove_dir_all(site_root.join("pkg"));
        self.build_bundle(release, features, &site_root.join("pkg"))?;
        self.copy_assets(&site_root)?;
        let mut server = cargo();
        server.args(["build", "--package", self.package, "--bin", self.package]);
        server.args([
            "--features",
            &["ssr"]
                .iter()
                .chain(features)
                .copied()
                .collect::<Vec<_>>()
                .join(","),
        ]);
        if release {
            server.arg("--release");
        }
        run(&mut server)?;
        // Each site gets its own copy (a hard link) of the server it was built with, in a
        // folder of its own (not the site root, which is served): the next build of another
        // variant replaces cargo's binary, and the hash file must sit beside its server.
        let built = target_dir()
            .join(if release { "release" } else { "debug" })
            .join(self.package);
        let server_dir = target_dir()
            .join("servers")
            .join(site_root.file_name().ok_or("a site directory has a name")?);
        fs::create_dir_all(&server_dir)?;
        let server = server_dir.join(self.package);
        let _ = fs::remove_file(&server);
        if fs::hard_link(&built, &server).is_err() {
            fs::copy(&built, &server)?;
        }
        if release {
            let hashes = hash_names(&site_root.join("pkg"), self.output_name)?;
            // Leptos reads the hashes from beside the server binary (`LEPTOS_HASH_FILES`).
            fs::write(server_dir.join(HASH_FILE), hashes)?;
            precompress(&site_root.join("pkg"))?;
        }
        Ok(Site {
            output_name: self.output_name,
            root: site_root,
            server,
            hashed: release,
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

/// Renames the bundle's JS, WASM and CSS in `pkg` to `<name>.<hash>.<ext>` and returns the
/// hash file's text (`js: …`, `wasm: …`, `css: …`, as cargo-leptos writes it).
fn hash_names(pkg: &Path, output_name: &str) -> Result<String> {
    use sha2::Digest;

    let mut hashes = String::new();
    for ext in ["js", "wasm", "css"] {
        let file = pkg.join(format!("{output_name}.{ext}"));
        let digest = sha2::Sha256::digest(fs::read(&file)?);
        let hash: String = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
        fs::rename(&file, pkg.join(format!("{output_name}.{hash}.{ext}")))?;
        hashes.push_str(&format!("{ext}: {hash}\n"));
    }
    Ok(hashes)
}

/// Writes a brotli (quality 11) and a gzip (level 9) copy beside every file in `pkg`, for
/// the server to send as they are to browsers that take them.
fn precompress(pkg: &Path) -> Result {
    for entry in fs::read_dir(pkg)? {
        let path = entry?.path();
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        if name.ends_with(".br") || name.ends_with(".gz") {
            continue;
        }
        let content = fs::read(&path)?;
        let mut brotli = Vec::new();
        let params = brotli::enc::BrotliEncoderParams {
            quality: 11,
            ..Default::default()
        };
        brotli::BrotliCompress(&mut content.as_slice(), &mut brotli, &params)?;
        fs::write(path.with_file_name(format!("{name}.br")), brotli)?;
        let mut gzip = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        std::io::Write::write_all(&mut gzip, &content)?;
        fs::write(path.with_file_name(format!("{name}.gz")), gzip.finish()?)?;
    }
    Ok(())
}
