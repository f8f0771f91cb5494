//! `cargo xtask runtime`: the page's plain-JS runtime as pages get it.
//!
//! `src/components/cookie_policy.js` is the runtime's source, readable and commented. Pages
//! carry `src/components/cookie_policy.min.js`, which terser (pinned, from npm) makes from it
//! with its defaults for compressing and mangling local names: about 6 kB where the source
//! without its comments is 9, and 0.7 kB less gzipped, in every page's HTML. It is committed,
//! so that building the crate needs no Node.js; `cargo xtask test` fails when it is not what
//! terser makes of the source, and `cargo xtask runtime` rewrites it.

use std::{fs, process::Command};

use crate::{Result, tools::root};

/// The minifier: one exact version, so that the shipped file is reproducible.
const TERSER: &str = "terser@5.51.4";
/// The runtime's source.
const SOURCE: &str = "src/components/cookie_policy.js";
/// The runtime as pages get it.
pub(crate) const SHIPPED: &str = "src/components/cookie_policy.min.js";

/// What terser makes of the source.
fn minified() -> Result<String> {
    let output = Command::new("npx")
        .args(["--yes", TERSER, SOURCE, "--compress", "--mangle"])
        .current_dir(root())
        .output()
        .map_err(|e| format!("npx (Node.js) is needed to minify the runtime: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "{TERSER} failed on {SOURCE}: {}",
            String::from_utf8_lossy(&output.stderr)
        )
        .into());
    }
    Ok(String::from_utf8(output.stdout)?)
}

/// Fails when the shipped runtime is not what terser makes of its source.
pub(crate) fn check() -> Result {
    let shipped = fs::read_to_string(root().join(SHIPPED)).unwrap_or_default();
    if shipped == minified()? {
        println!("{SHIPPED} is {SOURCE} minified");
        Ok(())
    } else {
        Err(format!("{SHIPPED} differs from {SOURCE} minified: run `cargo xtask runtime`").into())
    }
}

/// Rewrites the shipped runtime from its source.
pub(crate) fn write() -> Result {
    let minified = minified()?;
    fs::write(root().join(SHIPPED), &minified)?;
    println!("{SHIPPED} rewritten: {} bytes", minified.len());
    Ok(())
}
