//! `cargo xtask interaction`: what clicking "Accept all" costs a shopper on a slow phone.
//!
//! Builds the demo in release, as it is and without leptos-consent (`baseline`), serves
//! both, and runs `end2end/bench/interaction.mjs` (Playwright in Debian's Chromium with 4×
//! CPU throttling), which prints the click's interaction (the Event Timing entry INP
//! reports), whether the banner is hidden in the next frame, and the long tasks until
//! hydration (with the crate and without it, side by side) and after the click, per run
//! and median.

use std::process::Command;

use crate::{
    Result,
    site::{DEMO, Running},
    tools::{self, root, target_dir},
};

const ADDR: &str = "127.0.0.1:3301";
const BASELINE_ADDR: &str = "127.0.0.1:3303";

pub(crate) fn report() -> Result {
    let chromium = tools::chromium()?;
    tools::ensure_npm_packages()?;
    let site = DEMO.build(true)?;
    let baseline = DEMO.build_with(true, &["baseline"])?;
    let dir = target_dir().join("interaction");
    let _server = Running::start(&site, ADDR.parse()?, &dir.join("data"), &[])?;
    let _baseline = Running::start(
        &baseline,
        BASELINE_ADDR.parse()?,
        &dir.join("data-baseline"),
        &[],
    )?;
    tools::run(
        Command::new("node")
            .arg("bench/interaction.mjs")
            .arg(format!("http://{ADDR}"))
            .arg(format!("http://{BASELINE_ADDR}"))
            .current_dir(root().join("end2end"))
            .env("CHROMIUM_PATH", chromium),
    )
}
