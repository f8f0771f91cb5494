//! `cargo xtask sizes`: what the consent UI adds to the demo's browser bundle.
//!
//! Builds the demo's WASM twice in release with the size profile (`wasm-release`:
//! `opt-level = "z"`, LTO, one codegen unit, `panic = "abort"`), once as is and once with
//! the `size-baseline` feature (every consent component replaced by nothing), and prints
//! the raw and gzip (level 6, as web servers use) sizes of the WASM, the JS glue and the CSS.

use std::{fs, io::Write};

use flate2::{Compression, write::GzEncoder};

use crate::{
    Result,
    site::{OUTPUT_NAME, build_bundle},
    tools::{root, target_dir},
};

pub(crate) fn report() -> Result {
    let dir = target_dir().join("sizes");
    let with = dir.join("with/pkg");
    let without = dir.join("without/pkg");
    build_bundle(true, &["size-baseline"], &without)?;
    build_bundle(true, &[], &with)?;

    let shop_css = fs::read(root().join("examples/demo-shop/style/shop.css"))?;
    let consent_css = fs::read(root().join("style/leptos-consent.css"))?;
    let rows = [
        (
            "WASM",
            fs::read(without.join(format!("{OUTPUT_NAME}.wasm")))?,
            fs::read(with.join(format!("{OUTPUT_NAME}.wasm")))?,
        ),
        (
            "JS",
            fs::read(without.join(format!("{OUTPUT_NAME}.js")))?,
            fs::read(with.join(format!("{OUTPUT_NAME}.js")))?,
        ),
        ("CSS", shop_css.clone(), [shop_css, consent_css].concat()),
    ];

    println!("\nThe demo shop's browser bundle, release (wasm-release profile), gzip level 6:\n");
    println!(
        "{:<6}{:>22}{:>22}{:>14}",
        "", "without consent UI", "with consent UI", "added"
    );
    let (mut total_without, mut total_with) = (0, 0);
    for (name, without, with) in &rows {
        let (gz_without, gz_with) = (gzip_len(without)?, gzip_len(with)?);
        total_without += gz_without;
        total_with += gz_with;
        println!(
            "{name:<6}{:>22}{:>22}{:>14}",
            format!("{} ({} gz)", kb(without.len()), kb(gz_without)),
            format!("{} ({} gz)", kb(with.len()), kb(gz_with)),
            format!("{} gz", signed_kb(gz_with as i64 - gz_without as i64)),
        );
    }
    println!(
        "{:<6}{:>22}{:>22}{:>14}",
        "total",
        format!("{} gz", kb(total_without)),
        format!("{} gz", kb(total_with)),
        format!("{} gz", signed_kb(total_with as i64 - total_without as i64)),
    );
    println!(
        "\nTarget: the consent UI adds < 12 kB gz in total. Files: {}",
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
