//! `cargo xtask sizes`: what leptos-consent adds to the demo's browser bundle, in all and
//! piece by piece.
//!
//! Builds the demo's WASM in release with the size profile (`wasm-release`: `opt-level =
//! "z"`, LTO, one codegen unit, `panic = "abort"`), post-processed by wasm-bindgen without
//! name and producers sections, as:
//!
//! - `baseline`: the shop without leptos-consent (no context, component or tracker);
//! - the demo as it is;
//! - the demo without one piece (`size-without-<piece>`), for each piece: what it adds is
//!   the demo against that;
//! - the demo with only the context, the banner and the change link: a shop that uses only
//!   the banner (not the demo's own status panel either, which reads the context as a
//!   shop's own code would).
//!
//! It prints the raw and gzip (level 6, as web servers use) sizes of the WASM, the JS glue,
//! the CSS and the crate's plain-JS runtime (`cookie_policy.js` and the tracker's half, the
//! file every page loads, as the crate ships it), and how the crate's share stands against its budgets:
//! [`TOTAL_BUDGET`] for everything, [`BANNER_ONLY_BUDGET`] for a banner-only shop. It fails
//! over either, so that `cargo xtask test` (and CI) hold the line.

use std::{fs, io::Write};

use flate2::{Compression, write::GzEncoder};

use crate::{
    Result, runtime,
    site::DEMO,
    tools::{root, target_dir},
};

/// How the crate ships its stylesheet: the crate's own build code, so that it is weighed as
/// pages get it.
#[path = "../../build/shipped.rs"]
mod shipped;

/// The most everything the crate puts in the browser may add, in gzip bytes: under
/// cookieconsent v3's 15.4 kB (JS and CSS), which covers banner, preferences, gating and
/// clean-up.
const TOTAL_BUDGET: usize = 15_000;

/// The most a shop using only the banner and the change link may pay, in gzip bytes.
const BANNER_ONLY_BUDGET: usize = 8_000;

/// The pieces measured one by one: the demo feature that leaves the piece out, and what
/// it is.
const PIECES: [(&str, &str); 8] = [
    ("banner", "<ConsentBanner/> and the stylesheet"),
    ("link", "<ChangeConsentLink/>"),
    ("details", "<CookiePolicyText/> with its grid"),
    ("gate", "<ConsentGate/>"),
    ("tags", "<GatedScript/>, the ready-made tags"),
    ("delete", "<DeleteCookiesButton/>"),
    ("tracker", "the tracker (use_tracker)"),
    ("status", "the demo's status panel (reads the context)"),
];

/// One built variant's files.
struct Bundle {
    wasm: Vec<u8>,
    js: Vec<u8>,
    css: Vec<u8>,
    /// The crate's runtime as pages load it (empty without the crate).
    runtime: Vec<u8>,
}

/// What of the crate a variant has besides its WASM.
#[derive(Clone, Copy, PartialEq)]
enum Crate {
    /// None of it: the baseline.
    Out,
    /// The runtime with the tracker's half (the demo tracks), not the stylesheet.
    WithoutStylesheet,
    /// The runtime and the stylesheet (the banner is in), not the tracker's runtime.
    WithoutTracker,
    /// The runtime with the tracker's half, and the stylesheet.
    In,
}

impl Bundle {
    /// Builds the demo with `features` into `target/sizes/<name>`, with what `of_crate`
    /// says of the crate's runtime and stylesheet.
    fn build(name: &str, features: &[&str], of_crate: Crate) -> Result<Self> {
        let pkg_dir = target_dir().join("sizes").join(name).join("pkg");
        DEMO.build_bundle(true, features, &pkg_dir)?;
        let output = DEMO.output_name;
        let mut css = fs::read(root().join("examples/demo-shop/style/shop.css"))?;
        if matches!(of_crate, Crate::In | Crate::WithoutTracker) {
            let stylesheet = fs::read_to_string(root().join("style/leptos-consent.css"))?;
            css.extend(shipped::css(&stylesheet).into_bytes());
        }
        // Minified by terser (`cargo xtask runtime`), served as it is.
        let runtime = match of_crate {
            Crate::Out => Vec::new(),
            Crate::WithoutTracker => runtime::RUNTIME.read_shipped()?,
            Crate::In | Crate::WithoutStylesheet => [
                runtime::RUNTIME.read_shipped()?,
                runtime::TRACKER.read_shipped()?,
            ]
            .concat(),
        };
        Ok(Bundle {
            wasm: fs::read(pkg_dir.join(format!("{output}.wasm")))?,
            js: fs::read(pkg_dir.join(format!("{output}.js")))?,
            css,
            runtime,
        })
    }

    fn files(&self) -> [(&'static str, &[u8]); 4] {
        [
            ("WASM", &self.wasm),
            ("JS", &self.js),
            ("CSS", &self.css),
            ("runtime", &self.runtime),
        ]
    }

    /// The gzip bytes of all its files.
    fn gzip_total(&self) -> Result<usize> {
        self.files().iter().map(|(_, bytes)| gzip_len(bytes)).sum()
    }
}

pub(crate) fn report() -> Result {
    let baseline = Bundle::build("no-consent", &["baseline"], Crate::Out)?;
    let full = Bundle::build("demo", &[], Crate::In)?;
    let mut shares = Vec::new();
    for (piece, what) in PIECES {
        let feature = format!("size-without-{piece}");
        let of_crate = match piece {
            "banner" => Crate::WithoutStylesheet,
            "tracker" => Crate::WithoutTracker,
            _ => Crate::In,
        };
        let without = Bundle::build(&format!("without-{piece}"), &[&feature], of_crate)?;
        shares.push((
            what,
            full.gzip_total()? as i64 - without.gzip_total()? as i64,
        ));
    }
    let banner_only_features: Vec<String> = PIECES
        .iter()
        .filter(|(piece, _)| !matches!(*piece, "banner" | "link"))
        .map(|(piece, _)| format!("size-without-{piece}"))
        .collect();
    let banner_only = Bundle::build(
        "banner-only",
        &banner_only_features
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>(),
        Crate::WithoutTracker,
    )?;

    println!("\nThe demo shop's browser bundle, release (wasm-release profile), gzip level 6:\n");
    println!(
        "{:<7}{:>26}{:>26}{:>12}",
        "", "without leptos-consent", "demo", "adds"
    );
    for (i, (name, _)) in full.files().iter().enumerate() {
        let (before, after) = (baseline.files()[i].1, full.files()[i].1);
        let (before_gz, after_gz) = (gzip_len(before)?, gzip_len(after)?);
        println!(
            "{name:<7}{:>26}{:>26}{:>12}",
            format!("{} ({} gz)", kb(before.len()), kb(before_gz)),
            format!("{} ({} gz)", kb(after.len()), kb(after_gz)),
            signed_kb(after_gz as i64 - before_gz as i64),
        );
    }
    let total = full.gzip_total()? as i64 - baseline.gzip_total()? as i64;
    println!(
        "{:<7}{:>26}{:>26}{:>12}",
        "total",
        format!("{} gz", kb(baseline.gzip_total()?)),
        format!("{} gz", kb(full.gzip_total()?)),
        signed_kb(total),
    );

    println!("\nWhat each piece adds (the demo against the demo without it, gzip):\n");
    for (what, share) in &shares {
        println!("  {what:<42}{:>10}", signed_kb(*share));
    }
    let pieces: i64 = shares.iter().map(|(_, share)| share).sum();
    println!(
        "  {:<42}{:>10}",
        "the context, and what the pieces share",
        signed_kb(total - pieces)
    );
    let banner_only = banner_only.gzip_total()? as i64 - baseline.gzip_total()? as i64;
    println!(
        "\n  {:<42}{:>10}",
        "a shop with only the banner and the link",
        signed_kb(banner_only)
    );

    let verdicts = [
        ("everything", total, TOTAL_BUDGET),
        ("banner and link only", banner_only, BANNER_ONLY_BUDGET),
    ];
    println!();
    for (what, size, budget) in verdicts {
        println!(
            "Budget for {what}: {} gz, {} ({} gz, {size:+} bytes).",
            kb(budget),
            if size <= budget as i64 {
                "within"
            } else {
                "OVER"
            },
            signed_kb(size),
        );
    }
    println!("Files: {}", target_dir().join("sizes").display());
    match verdicts
        .iter()
        .find(|(_, size, budget)| *size > *budget as i64)
    {
        Some((what, size, budget)) => Err(format!(
            "what leptos-consent adds for {what} ({}) grew over its budget of {} gz",
            signed_kb(*size),
            kb(*budget)
        )
        .into()),
        None => Ok(()),
    }
}

/// The gzip bytes of `bytes`; nothing for no file.
fn gzip_len(bytes: &[u8]) -> Result<usize> {
    if bytes.is_empty() {
        return Ok(0);
    }
    let mut encoder = GzEncoder::new(Vec::new(), Compression::new(6));
    encoder.write_all(bytes)?;
    Ok(encoder.finish()?.len())
}

fn kb(bytes: usize) -> String {
    format!("{:.1} kB", bytes as f64 / 1000.0)
}

fn signed_kb(bytes: i64) -> String {
    format!("{:+.1} kB", bytes as f64 / 1000.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gzip_shrinks_repetitive_input() {
        let input = vec![b'a'; 10_000];
        let len = gzip_len(&input).unwrap();
        assert!(len < 100, "{len}");
    }

    #[test]
    fn sizes_print_in_kilobytes() {
        assert_eq!(kb(12_345), "12.3 kB");
        assert_eq!(signed_kb(-1500), "-1.5 kB");
        assert_eq!(signed_kb(800), "+0.8 kB");
    }
}
