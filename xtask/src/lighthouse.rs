//! `cargo xtask lighthouse`: the demo's `/` as Lighthouse sees it on a phone, banner showing.
//!
//! Builds the demo in release (hashed, precompressed bundle), serves it, and runs
//! Lighthouse 12.2.3 from npm (`npx`) in Debian's Chromium with its defaults: mobile form
//! factor, simulated throttling (slow 4G, 4× CPU). Every run starts without cookies, so the
//! banner shows. Prints the four category scores and LCP, TBT, CLS and FCP per run and
//! their median, and the audits that kept a category under 100.

use std::process::Command;

use crate::{
    Result,
    site::{DEMO, Running},
    tools::{self, root, target_dir},
};

const ADDR: &str = "127.0.0.1:3302";
const LIGHTHOUSE: &str = "lighthouse@12.2.3";
const RUNS: usize = 3;

/// One run's category scores (0–100, in [`CATEGORIES`]' order) and metrics ([`METRICS`]).
type Run = (Vec<f64>, Vec<f64>);
const CATEGORIES: [&str; 4] = ["performance", "accessibility", "best-practices", "seo"];
const METRICS: [(&str, &str); 4] = [
    ("largest-contentful-paint", "LCP"),
    ("total-blocking-time", "TBT"),
    ("cumulative-layout-shift", "CLS"),
    ("first-contentful-paint", "FCP"),
];

pub(crate) fn report() -> Result {
    let chromium = tools::chromium()?;
    let site = DEMO.build(true)?;
    let dir = target_dir().join("lighthouse");
    let _server = Running::start(&site, ADDR.parse()?, &dir.join("data"), &[])?;
    let mut runs = Vec::new();
    for run in 1..=RUNS {
        let report_path = dir.join(format!("report-{run}.json"));
        let status = Command::new("npx")
            .args(["--yes", LIGHTHOUSE, &format!("http://{ADDR}/"), "--quiet"])
            .args([
                "--output=json",
                &format!("--output-path={}", report_path.display()),
            ])
            .arg(format!(
                "--chrome-flags=--headless=new {}",
                chromium_args()?
            ))
            .env("CHROME_PATH", &chromium)
            .status()?;
        if !status.success() {
            return Err(format!("lighthouse failed ({status})").into());
        }
        let report: serde_json::Value = serde_json::from_slice(&std::fs::read(&report_path)?)?;
        let scores: Vec<f64> = CATEGORIES
            .iter()
            .map(|c| report["categories"][c]["score"].as_f64().unwrap_or(0.0) * 100.0)
            .collect();
        let metrics: Vec<f64> = METRICS
            .iter()
            .map(|(audit, _)| {
                report["audits"][audit]["numericValue"]
                    .as_f64()
                    .unwrap_or(f64::NAN)
            })
            .collect();
        println!(
            "run {run}: performance {:.0}, accessibility {:.0}, best practices {:.0}, SEO {:.0}; \
             LCP {:.2} s, TBT {:.0} ms, CLS {:.3}, FCP {:.2} s",
            scores[0],
            scores[1],
            scores[2],
            scores[3],
            metrics[0] / 1000.0,
            metrics[1],
            metrics[2],
            metrics[3] / 1000.0
        );
        for category in CATEGORIES {
            for audit in short_of_full_marks(&report, category) {
                println!("  {category}: {audit}");
            }
        }
        runs.push((scores, metrics));
    }
    let median = |pick: &dyn Fn(&Run) -> f64| {
        let mut values: Vec<f64> = runs.iter().map(pick).collect();
        values.sort_by(f64::total_cmp);
        values[values.len() / 2]
    };
    println!(
        "\nLighthouse 12.2.3, mobile, simulated throttling, `/` with the banner showing, release \
         build, median of {RUNS} runs:\n\
         | performance | accessibility | best practices | SEO | LCP | TBT | CLS |\n\
         |---|---|---|---|---|---|---|\n\
         | {:.0} | {:.0} | {:.0} | {:.0} | {:.2} s | {:.0} ms | {:.3} |",
        median(&|r| r.0[0]),
        median(&|r| r.0[1]),
        median(&|r| r.0[2]),
        median(&|r| r.0[3]),
        median(&|r| r.1[0]) / 1000.0,
        median(&|r| r.1[1]),
        median(&|r| r.1[2]),
    );
    Ok(())
}

/// Chromium's flags for this machine, as the Playwright tests launch it
/// (`end2end/chromium.json`).
fn chromium_args() -> Result<String> {
    let file: serde_json::Value =
        serde_json::from_slice(&std::fs::read(root().join("end2end/chromium.json"))?)?;
    let args = file["args"]
        .as_array()
        .ok_or("end2end/chromium.json has no args")?;
    Ok(args
        .iter()
        .filter_map(|a| a.as_str())
        .collect::<Vec<_>>()
        .join(" "))
}

/// The titles of a category's weighted audits that did not score full marks.
fn short_of_full_marks(report: &serde_json::Value, category: &str) -> Vec<String> {
    let Some(refs) = report["categories"][category]["auditRefs"].as_array() else {
        return Vec::new();
    };
    refs.iter()
        .filter(|r| r["weight"].as_f64().unwrap_or(0.0) > 0.0)
        .filter_map(|r| {
            let audit = &report["audits"][r["id"].as_str()?];
            let score = audit["score"].as_f64()?;
            (score < 1.0).then(|| {
                format!(
                    "{} ({:.0}){}",
                    audit["title"].as_str().unwrap_or("?"),
                    score * 100.0,
                    audit["displayValue"]
                        .as_str()
                        .map(|v| format!(": {v}"))
                        .unwrap_or_default()
                )
            })
        })
        .collect()
}
