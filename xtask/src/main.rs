//! The project's task runner (the cargo-xtask pattern): `cargo xtask <task>`.
//!
//! - `demo [--release] [--instances N]`: builds the demo shop (browser bundle and server)
//!   and serves it on `LEPTOS_SITE_ADDR` (default 127.0.0.1:3000); with `--instances N`, N
//!   instances on one PostgreSQL database (`DATABASE_URL`) on ports side by side.
//! - `test`: every check and test: fmt, clippy (server and browser feature sets), unit,
//!   integration and doc tests, rustdoc, the bundle's budgets (`sizes`), then Playwright in
//!   Chromium against the demo shop.
//! - `sizes`: what leptos-consent adds to the browser bundle, in all and piece by piece
//!   (release, gzip); fails over the budget.
//! - `load`: what leptos-consent costs the demo under load (release build, without the
//!   crate, with the banner, decided with tracking on; wrk at a fixed concurrency, oha at a
//!   fixed rate).
//! - `interaction`: what clicking "Accept all" costs at 4× CPU throttling (Chromium,
//!   release build): the click's INP entry, the banner's next frame, long tasks.
//! - `lighthouse`: Lighthouse (mobile) on the release demo's `/` with the banner showing.
//! - `snippets`: rewrites the README's quick start from `examples/start-axum`.
//! - `runtime`: rewrites the page's runtime as pages get it (`cookie_policy.min.js`,
//!   `tracker.min.js`, terser).
//! - `site [--release]`: only builds the apps (the demo shop and the start-axum example).
//!
//! It installs what a fresh machine lacks and can be installed without root (the wasm32
//! target, the npm packages of `end2end/`); for Chromium it prints the one apt command.

#![allow(clippy::print_stdout)] // a command-line tool: printing is its job

mod checks;
mod interaction;
mod lighthouse;
mod load;
mod runtime;
mod site;
mod sizes;
mod snippets;
mod tools;

use std::process::ExitCode;

type Result<T = (), E = Box<dyn std::error::Error>> = std::result::Result<T, E>;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let release = args.iter().any(|a| a == "--release");
    let instances = match args.iter().position(|a| a == "--instances") {
        None => 1,
        Some(at) => match args.get(at + 1).and_then(|n| n.parse::<usize>().ok()) {
            Some(n) if n >= 1 => n,
            _ => {
                eprintln!("--instances takes a number of instances, at least 1");
                return ExitCode::from(2);
            }
        },
    };
    let outcome = match args.first().map(String::as_str) {
        Some("demo") => site::demo(release, instances),
        Some("site") => site::DEMO
            .build(release)
            .and_then(|_| site::START_AXUM.build(release))
            .map(drop),
        Some("test") => checks::all(),
        Some("sizes") => sizes::report(),
        Some("load") => load::report(),
        Some("interaction") => interaction::report(),
        Some("lighthouse") => lighthouse::report(),
        Some("snippets") => snippets::write(),
        Some("runtime") => runtime::write(),
        _ => {
            eprintln!(
                "usage: cargo xtask <demo [--release] [--instances N] | test | sizes | load | interaction | lighthouse | snippets | runtime | site [--release]>\n\n\
                 demo   build and serve the demo shop (LEPTOS_SITE_ADDR, default 127.0.0.1:3000);\n\
                        --instances N: N instances on one PostgreSQL (DATABASE_URL), ports side by side\n\
                 test   run every check and test, Playwright included\n\
                 sizes  print what leptos-consent adds to the browser bundle (gzip), per piece\n\
                 load   load the release demo (wrk, oha): without leptos-consent, banner, decided + tracking\n\
                 interaction  what clicking \"Accept all\" costs at 4x CPU throttling (Chromium, release)\n\
                 lighthouse  Lighthouse (mobile) on the release demo's / with the banner showing\n\
                 snippets  rewrite the README's quick start from examples/start-axum\n\
                 runtime  rewrite src/components/*.min.js (the runtime, the tracker) from their sources (terser)\n\
                 site   only build the apps (the demo shop, examples/start-axum)"
            );
            return ExitCode::from(2);
        }
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("\nxtask: {error}");
            ExitCode::FAILURE
        }
    }
}
