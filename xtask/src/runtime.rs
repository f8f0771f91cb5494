//! `cargo xtask runtime`: the page's plain-JS runtime as pages get it.
//!
//! `src/components/cookie_policy.js` is the runtime's source, readable and commented, and
//! `src/components/tracker.js` the tracker's half of it (pages of a shop that tracks get it
//! too). Pages carry their `.min.js` files, which terser (pinned, from npm) makes from them
//! with its defaults for compressing and mangling local names: about 6 kB where the
//! runtime's source without its comments is 9, and 0.7 kB less gzipped, in the file every
//! page loads (`src/server/runtime_file.rs`). They are committed, so that building the crate needs no Node.js; `cargo xtask test`
//! fails when one is not what terser makes of its source, and `cargo xtask runtime`
//! rewrites them.

use std::{fs, process::Command};

use crate::{Result, tools::root};

/// The minifier: one exact version, so that the shipped files are reproducible.
const TERSER: &str = "terser@5.51.4";

/// One part of the runtime: its source, and the file pages get.
pub(crate) struct Part {
    source: &'static str,
    pub(crate) shipped: &'static str,
}

/// What every page of a shop with the crate carries.
pub(crate) const RUNTIME: Part = Part {
    source: "src/components/cookie_policy.js",
    shipped: "src/components/cookie_policy.min.js",
};

/// What pages of a shop that tracks carry after [`RUNTIME`].
pub(crate) const TRACKER: Part = Part {
    source: "src/components/tracker.js",
    shipped: "src/components/tracker.min.js",
};

impl Part {
    /// What terser makes of the source.
    fn minified(&self) -> Result<String> {
        let output = Command::new("npx")
            .args(["--yes", TERSER, self.source, "--compress", "--mangle"])
            .current_dir(root())
            .output()
            .map_err(|e| format!("npx (Node.js) is needed to minify the runtime: {e}"))?;
        if !output.status.success() {
            return Err(format!(
                "{TERSER} failed on {}: {}",
                self.source,
                String::from_utf8_lossy(&output.stderr)
            )
            .into());
        }
        Ok(String::from_utf8(output.stdout)?)
    }

    /// The file pages get, as committed.
    pub(crate) fn read_shipped(&self) -> Result<Vec<u8>> {
        Ok(fs::read(root().join(self.shipped))?)
    }
}

/// Fails when a shipped file is not what terser makes of its source.
pub(crate) fn check() -> Result {
    for part in [RUNTIME, TRACKER] {
        let shipped = fs::read_to_string(root().join(part.shipped)).unwrap_or_default();
        if shipped != part.minified()? {
            return Err(format!(
                "{} differs from {} minified: run `cargo xtask runtime`",
                part.shipped, part.source
            )
            .into());
        }
        println!("{} is {} minified", part.shipped, part.source);
    }
    Ok(())
}

/// Rewrites the shipped files from their sources.
pub(crate) fn write() -> Result {
    for part in [RUNTIME, TRACKER] {
        let minified = part.minified()?;
        fs::write(root().join(part.shipped), &minified)?;
        println!("{} rewritten: {} bytes", part.shipped, minified.len());
    }
    Ok(())
}
