//! `cargo xtask sizes`: what the consent banner and the whole consent UI add to the demo's
//! browser bundle.
//!
//! Builds the demo's WASM three times in release with the size profile (`wasm-release`:
//! `opt-level = "z"`, LTO, one codegen unit, `panic = "abort"`), post-processed by
//! wasm-bindgen without name and producers sections:
//!
//! 1. `size-baseline`: no leptos-consent at all;
//! 2. `size-without-banner`: the consent context, the change link and the demo's status
//!    panel, but no `<ConsentBanner/>`;
//! 3. the demo as it is.
//!
//! It prints the raw and gzip (level 6, as web servers use) sizes of the WASM, the JS glue
//! and the CSS, and what the banner (3 − 2) and the whole consent UI (3 − 1) add.

use std::{fs, io::Write, path::Path};

use flate2::{Compression, write::GzEncoder};

use crate::{
    Result,
    site::DEMO,
    tools::{root, target_dir},
};

/// The target for what the banner adds, in gzip bytes.
const BANNER_BUDGET: usize = 12_000;

/// One built variant's files.
struct Bundle {
    wasm: Vec<u8>,
    js: Vec<u8>,
    css: Vec<u8>,
}

impl Bundle {
    fn build(features: &[&str], pkg_dir: &Path, css: Vec<u8>) -> Result<Self> {
        DEMO.build_bundle(true, features, pkg_dir)?;
        let name = DEMO.output_name;
        Ok(Bundle {
            wasm: fs::read(pkg_dir.join(format!("{name}.wasm")))?,
            js: fs::read(pkg_dir.join(format!("{name}.js")))?,
            css,
        })
    }

    fn files(&self) -> [(&'static str, &[u8]); 3] {
        [("WASM", &self.wasm), ("JS", &self.js), ("CSS", &self.css)]
    }
}

pub(crate) fn report() -> Result {
    let dir = target_dir().join("sizes");
    let shop_css = fs::read(root().join("examples/demo-shop/style/shop.css"))?;
    let consent_css = fs::read(root().join("style/leptos-consent.css"))?;
    let with_consent_css = [shop_css.clone(), consent_css].concat();

    let none = Bundle::build(
        &["size-baseline"],
        &dir.join("no-consent/pkg"),
        shop_css.clone(),
    )?;
    // The crate's stylesheet is nearly all banner: it counts against the banner.
    let without_banner = Bundle::build(
        &["size-without-banner"],
        &dir.join("without-banner/pkg"),
        shop_css.clone(),
    )?;
    let full = Bundle::build(&[], &dir.join("demo/pkg"), with_consent_css)?;

    println!("\nThe demo shop's browser bundle, release (wasm-release profile), gzip level 6:\n");
    println!(
        "{:<6}{:>24}{:>24}{:>24}{:>13}{:>11}",
        "", "no consent UI", "without banner", "demo", "banner adds", "UI adds"
    );
    let mut totals = [0usize; 3];
    for (i, (name, _)) in full.files().iter().enumerate() {
        let sizes = [&none, &without_banner, &full].map(|bundle| bundle.files()[i].1);
        let gz = [
            gzip_len(sizes[0])?,
            gzip_len(sizes[1])?,
            gzip_len(sizes[2])?,
        ];
        for (total, size) in totals.iter_mut().zip(gz) {
            *total += size;
        }
        println!(
            "{name:<6}{:>24}{:>24}{:>24}{:>13}{:>11}",
            format!("{} ({} gz)", kb(sizes[0].len()), kb(gz[0])),
            format!("{} ({} gz)", kb(sizes[1].len()), kb(gz[1])),
            format!("{} ({} gz)", kb(sizes[2].len()), kb(gz[2])),
            signed_kb(gz[2] as i64 - gz[1] as i64),
            signed_kb(gz[2] as i64 - gz[0] as i64),
        );
    }
    let banner = totals[2] as i64 - totals[1] as i64;
    println!(
        "{:<6}{:>24}{:>24}{:>24}{:>13}{:>11}",
        "total",
        format!("{} gz", kb(totals[0])),
        format!("{} gz", kb(totals[1])),
        format!("{} gz", kb(totals[2])),
        signed_kb(banner),
        signed_kb(totals[2] as i64 - totals[0] as i64),
    );
    println!(
        "\nThe banner adds {} gz: {} the target of {} gz. \
         \"UI adds\" counts everything consent-related in the demo\n\
         (context, banner, change link, cookie details grid and policy text, the demo's status panel,\n\
         its gated statistics script and functional cookie) against no leptos-consent at all. \
         Files: {}",
        signed_kb(banner),
        if banner < BANNER_BUDGET as i64 {
            "within"
        } else {
            "OVER"
        },
        kb(BANNER_BUDGET),
        dir.display()
    );
    Ok(())
}

fn gzip_len(bytes: &[u8]) -> Result<usize> {
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
