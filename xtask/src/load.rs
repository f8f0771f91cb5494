//! `cargo xtask load`: what leptos-consent costs a shop serving real traffic.
//!
//! Builds the demo in release twice (as it is, and `baseline`: the shop without
//! leptos-consent, no layer, component or tracker) and loads the same product page, in one
//! run, round by round:
//!
//! - **(a)** the shop without leptos-consent;
//! - **(b)** with the layer and the banner, for a shopper without a decision;
//! - **(c)** for a decided shopper (accept all) with tracking on: the layer reads the consent
//!   and the ids, every page view is tracked during SSR into the durable outbox (SQLite, as
//!   the demo runs by default), and the outbox delivers to a loopback webhook provider that
//!   this command runs.
//!
//! The three are loaded at a fixed concurrency ([wrk](https://github.com/wg/wrk), Debian's,
//! keeps the connections busy, so the machine serves as many requests as it can: what the
//! crate costs in throughput), then at a fixed rate, half of what (c) served at most
//! ([oha](https://github.com/hatoo/oha), latency counted from when each request was due:
//! what a shop's steady traffic waits, and how much of the machine it keeps busy).
//!
//! It prints requests per second, p50 and p99 latency, the server's peak RSS, the CPU time
//! one page view costs (the server's, and the load generator's and the provider's, which
//! share the machine) and how many of the server's cores that keeps busy, and for (c) the outbox lag
//! (from an event's occurrence to its arrival at the provider) and whether every event the
//! outbox accepted arrived. Figures are the median of the rounds.

use std::{
    collections::HashSet,
    fs,
    net::SocketAddr,
    path::{Path, PathBuf},
    process::Command,
    sync::{Arc, Mutex},
    time::{Duration, Instant, SystemTime, UNIX_EPOCH},
};

use crate::{
    Result,
    site::{DEMO, Running, Site},
    tools::target_dir,
};

/// Open connections, kept busy for the whole measurement.
const CONNECTIONS: u32 = 16;
/// Seconds each variant is measured per round, after a warm-up of [`WARM_UP_SECS`].
const SECONDS: u32 = 15;
const WARM_UP_SECS: u32 = 3;
/// Rounds of (a), (b), (c); the figures are their median.
const ROUNDS: usize = 3;
/// The fixed-rate load's requests per second, as a share of what (c) served at most (the
/// median of its rounds at a fixed concurrency): a shop busy but not at its limit, which
/// every variant keeps up with however fast the machine is that day.
const RATE_SHARE: f64 = 0.5;
/// The page every request asks for: a product page (recommendations, a consent gate, the
/// tracker's page view).
const PAGE: &str = "/products/1";
const ADDR: &str = "127.0.0.1:3300";
const ADMIN_TOKEN: &str = "xtask-load-admin-token-0123456789";

/// A shop under load.
struct Variant<'s> {
    name: &'static str,
    what: &'static str,
    site: &'s Site,
    decided: bool,
}

/// How a variant is loaded.
#[derive(Clone, Copy)]
enum Load {
    /// wrk keeps [`CONNECTIONS`] connections busy: as many requests as the machine serves.
    Saturating,
    /// oha sends this many requests a second over [`CONNECTIONS`] connections, each
    /// request's latency counted from when it was due (no coordinated omission).
    FixedRate(u32),
}

impl Load {
    fn describe(self) -> String {
        match self {
            Load::Saturating => format!("{CONNECTIONS} connections busy"),
            Load::FixedRate(rate) => format!("{rate} requests/s"),
        }
    }
}

/// The load generators on `PATH`.
struct Generators {
    wrk: PathBuf,
    oha: PathBuf,
}

impl Generators {
    fn find() -> Result<Self> {
        Ok(Generators {
            wrk: which("wrk")
                .ok_or("wrk is missing. Install it with:\n\n    sudo apt-get install -y wrk\n")?,
            oha: which("oha").ok_or(
                "oha is missing. Install it with (Debian's libssl-dev for its TLS):\n\n    \
                 cargo install oha --locked --no-default-features --features native-tls\n",
            )?,
        })
    }

    /// Loads `url` for `secs` seconds, with the `cookie` header if any; returns the figures
    /// the generator reports and how many requests it made.
    fn run(&self, load: Load, url: &str, cookie: Option<&str>, secs: u32) -> Result<(Sample, u64)> {
        let connections = CONNECTIONS.to_string();
        let duration = format!("{secs}s");
        let (mut command, header) = match load {
            Load::Saturating => {
                let mut command = Command::new(&self.wrk);
                command
                    .args(["--threads", "1", "--connections", &connections])
                    .args(["--duration", &duration, "--latency"]);
                (command, "--header")
            }
            Load::FixedRate(rate) => {
                let mut command = Command::new(&self.oha);
                // No `Accept-Encoding` (wrk sends none either, and the demo compresses
                // pages for clients that ask); requests under way at the end are waited for.
                command
                    .args([
                        "--no-tui",
                        "--output-format",
                        "json",
                        "--disable-compression",
                    ])
                    .args([
                        "-c",
                        &connections,
                        "-q",
                        &rate.to_string(),
                        "--latency-correction",
                    ])
                    .args(["-z", &duration, "-w"]);
                (command, "-H")
            }
        };
        if let Some(cookie) = cookie {
            command.args([header, &format!("Cookie: {cookie}")]);
        }
        let output = command.arg(url).output()?;
        let name = command.get_program().to_string_lossy().into_owned();
        if !output.status.success() {
            return Err(
                format!("{name} failed: {}", String::from_utf8_lossy(&output.stderr)).into(),
            );
        }
        let report = String::from_utf8(output.stdout)?;
        match load {
            Load::Saturating => parse_wrk(&report),
            Load::FixedRate(_) => parse_oha(&report),
        }
    }
}

/// CPU time per request, in microseconds.
#[derive(Clone, Copy, Default)]
struct CpuPerRequest {
    server: f64,
    /// wrk's or oha's.
    generator: f64,
    provider: f64,
}

/// One variant's figures from one round.
#[derive(Clone, Copy, Default)]
struct Sample {
    requests_per_sec: f64,
    p50_ms: f64,
    p99_ms: f64,
    errors: u64,
    peak_rss_mb: f64,
    /// CPU time per request in microseconds: the server's (for (c) until the outbox has
    /// delivered every event), the load generator's, and the provider's.
    cpu_us: CpuPerRequest,
    /// (c): events accepted into the outbox, distinct events at the provider, lag p50,
    /// p99 and max in milliseconds.
    outbox: Option<(u64, u64, f64, f64, f64)>,
}

pub(crate) fn report() -> Result {
    let generators = Generators::find()?;
    let site = DEMO.build(true)?;
    let baseline = DEMO.build_with(true, &["baseline"])?;
    let dir = target_dir().join("load");
    let variants = [
        Variant {
            name: "a",
            what: "without leptos-consent",
            site: &baseline,
            decided: false,
        },
        Variant {
            name: "b",
            what: "layer and banner, no decision yet",
            site: &site,
            decided: false,
        },
        Variant {
            name: "c",
            what: "decided shopper, tracking on",
            site: &site,
            decided: true,
        },
    ];
    let provider = LoopbackProvider::start()?;
    let saturating = rounds(Load::Saturating, &variants, &generators, &dir, &provider)?;
    print_table(Load::Saturating, &variants, &saturating);
    let most = median(&saturating[saturating.len() - 1], &|s| s.requests_per_sec);
    // Whole hundreds, at least one.
    let rate = ((most * RATE_SHARE / 100.0).floor() as u32).max(1) * 100;
    let fixed = rounds(
        Load::FixedRate(rate),
        &variants,
        &generators,
        &dir,
        &provider,
    )?;
    print_table(Load::FixedRate(rate), &variants, &fixed);
    Ok(())
}

/// Loads every variant [`ROUNDS`] times, round by round; the samples by variant.
fn rounds(
    load: Load,
    variants: &[Variant<'_>],
    generators: &Generators,
    dir: &Path,
    provider: &LoopbackProvider,
) -> Result<Vec<Vec<Sample>>> {
    let mut samples = vec![Vec::new(); variants.len()];
    for round in 1..=ROUNDS {
        for (variant, samples) in variants.iter().zip(&mut samples) {
            println!(
                "\nround {round}/{ROUNDS}, {}: ({}) {}",
                load.describe(),
                variant.name,
                variant.what
            );
            samples.push(measure(variant, load, generators, dir, provider)?);
        }
    }
    Ok(samples)
}

/// The median of `f` over `samples`.
fn median(samples: &[Sample], f: &dyn Fn(&Sample) -> f64) -> f64 {
    let mut values: Vec<f64> = samples.iter().map(f).collect();
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

/// Serves `variant` from a fresh data directory, loads it, and stops it.
fn measure(
    variant: &Variant<'_>,
    load: Load,
    generators: &Generators,
    dir: &Path,
    provider: &LoopbackProvider,
) -> Result<Sample> {
    provider.reset();
    let addr: SocketAddr = ADDR.parse()?;
    let server = Running::start(
        variant.site,
        addr,
        &dir.join(format!("data-{}", variant.name)),
        &[
            ("ADMIN_TOKEN", ADMIN_TOKEN),
            ("TRACKING_WEBHOOK_URL", provider.url()),
            ("CONSENT_DECISIONS_PER_MINUTE", "1000000"),
        ],
    )?;
    let cookie = if variant.decided {
        Some(accept_all(addr)?)
    } else {
        None
    };
    let url = format!("http://{ADDR}{PAGE}");
    generators.run(load, &url, cookie.as_deref(), WARM_UP_SECS)?;
    if variant.decided {
        // The warm-up's events delivered first, so that the measurement counts its own.
        drain(addr, provider, unix_ms())?;
    }
    let pid = server.0.id();
    let before = CpuTicks::read(pid)?;
    let started_ms = unix_ms();
    let (mut sample, requests) = generators.run(load, &url, cookie.as_deref(), SECONDS)?;
    let after_load = CpuTicks::read(pid)?;
    sample.peak_rss_mb = peak_rss_kb(pid)? as f64 / 1024.0;
    if variant.decided {
        sample.outbox = Some(drain(addr, provider, started_ms)?);
    }
    // (c)'s server and provider also count the delivery of what the load's page views
    // tracked, until the outbox is empty.
    let after = CpuTicks::read(pid)?;
    let per_request = |ticks: u64| ticks as f64 * TICK_US / requests.max(1) as f64;
    sample.cpu_us = CpuPerRequest {
        server: per_request(after.server - before.server),
        generator: per_request(after_load.children - before.children),
        provider: per_request(after.this - before.this),
    };
    println!(
        "  {:.0} requests/s, p50 {:.2} ms, p99 {:.2} ms, {} errors, peak RSS {:.0} MB; \
         CPU per request: server {:.0} µs, load generator {:.0} µs, provider {:.0} µs",
        sample.requests_per_sec,
        sample.p50_ms,
        sample.p99_ms,
        sample.errors,
        sample.peak_rss_mb,
        sample.cpu_us.server,
        sample.cpu_us.generator,
        sample.cpu_us.provider,
    );
    if let Some((accepted, arrived, p50, p99, max)) = sample.outbox {
        println!(
            "  outbox: {accepted} events accepted, {arrived} arrived; lag p50 {p50:.0} ms, p99 {p99:.0} ms, max {max:.0} ms"
        );
    }
    Ok(sample)
}

/// Takes a decision as the banner's no-JavaScript form does, and returns the cookies the
/// answer sets (the signed consent, the visitor and session ids) as a `Cookie` header value.
fn accept_all(addr: SocketAddr) -> Result<String> {
    let output = Command::new("curl")
        .args([
            "--silent",
            "--show-error",
            "--dump-header",
            "-",
            "--output",
            "/dev/null",
        ])
        .args(["--header", &format!("Origin: http://{addr}")])
        .args(["--data", "choice=accept_all&return_to=/"])
        .arg(format!("http://{addr}/_consent/decide"))
        .output()?;
    let headers = String::from_utf8(output.stdout)?;
    let cookies: Vec<&str> = headers
        .lines()
        .filter_map(|line| {
            let (name, value) = line.split_once(':')?;
            name.eq_ignore_ascii_case("set-cookie")
                .then(|| value.trim().split(';').next())
                .flatten()
        })
        .collect();
    if !cookies.iter().any(|c| c.starts_with("__Host-lc_consent=")) {
        return Err(format!("the decision set no consent cookie:\n{headers}").into());
    }
    Ok(cookies.join("; "))
}

/// Waits until the outbox has delivered everything, then compares what it accepted with
/// what arrived: (accepted, distinct arrived, lag p50, p99, max) of the events that occurred
/// from `since_ms`.
fn drain(
    addr: SocketAddr,
    provider: &LoopbackProvider,
    since_ms: u64,
) -> Result<(u64, u64, f64, f64, f64)> {
    let deadline = Instant::now() + Duration::from_secs(120);
    let status = loop {
        let output = Command::new("curl")
            .args(["--silent", "--fail", "--header"])
            .arg(format!("Authorization: Bearer {ADMIN_TOKEN}"))
            .arg(format!("http://{addr}/admin/tracking/status"))
            .output()?;
        let status: serde_json::Value = serde_json::from_slice(&output.stdout)
            .map_err(|e| format!("the outbox status: {e}"))?;
        if status["pending"] == 0 {
            break status;
        }
        if Instant::now() > deadline {
            return Err(format!("the outbox did not drain within two minutes: {status}").into());
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let dead = status["dead_letters"].as_u64().unwrap_or(0);
    if dead > 0 {
        return Err(format!("{dead} events went to the dead letters: {status}").into());
    }
    let accepted = status["delivered_kept"].as_u64().unwrap_or(0);
    let state = provider.state.lock().map_err(|_| "the provider's state")?;
    let mut lags: Vec<f64> = state
        .lags
        .iter()
        .filter(|(occurred, _)| *occurred >= since_ms)
        .map(|(_, lag)| *lag as f64)
        .collect();
    lags.sort_by(f64::total_cmp);
    let at = |q: f64| {
        lags.get(((lags.len() as f64 - 1.0) * q).round() as usize)
            .copied()
    };
    Ok((
        accepted,
        state.ids.len() as u64,
        at(0.5).unwrap_or(0.0),
        at(0.99).unwrap_or(0.0),
        lags.last().copied().unwrap_or(0.0),
    ))
}

/// Requests per second, p50 and p99 latency, and errors from wrk's `--latency` report, and
/// how many requests it made.
fn parse_wrk(report: &str) -> Result<(Sample, u64)> {
    let field = |prefix: &str| {
        report
            .lines()
            .map(str::trim)
            .find_map(|line| line.strip_prefix(prefix).map(str::trim))
            .ok_or_else(|| format!("wrk's report has no {prefix:?}:\n{report}"))
    };
    let errors = report
        .lines()
        .map(str::trim)
        .filter_map(|line| {
            line.strip_prefix("Non-2xx or 3xx responses:")
                .or_else(|| line.strip_prefix("Socket errors:"))
        })
        .map(|rest| {
            rest.split(|c: char| !c.is_ascii_digit())
                .filter_map(|n| n.parse::<u64>().ok())
                .sum::<u64>()
        })
        .sum();
    let requests = report
        .lines()
        .find_map(|line| line.trim().split_once(" requests in "))
        .ok_or_else(|| format!("wrk's report has no request count:\n{report}"))?
        .0
        .parse()?;
    let sample = Sample {
        requests_per_sec: field("Requests/sec:")?.parse()?,
        p50_ms: duration_ms(field("50%")?)?,
        p99_ms: duration_ms(field("99%")?)?,
        errors,
        ..Sample::default()
    };
    Ok((sample, requests))
}

/// Requests per second, p50 and p99 latency, and errors from oha's JSON report, and how
/// many requests it made.
fn parse_oha(report: &str) -> Result<(Sample, u64)> {
    let json: serde_json::Value =
        serde_json::from_str(report).map_err(|e| format!("oha's report: {e}:\n{report}"))?;
    let number = |pointer: &str| {
        json.pointer(pointer)
            .and_then(serde_json::Value::as_f64)
            .ok_or_else(|| format!("oha's report has no {pointer}:\n{report}"))
    };
    // Responses by status, and requests that got none (connection errors) by error.
    let counts = |key: &str| -> Vec<(String, u64)> {
        json[key]
            .as_object()
            .map(|counts| {
                counts
                    .iter()
                    .map(|(what, n)| (what.clone(), n.as_u64().unwrap_or(0)))
                    .collect()
            })
            .unwrap_or_default()
    };
    let statuses = counts("statusCodeDistribution");
    let failures = counts("errorDistribution");
    let refused: u64 = statuses
        .iter()
        .filter(|(status, _)| !(status.starts_with('2') || status.starts_with('3')))
        .map(|(_, n)| n)
        .sum();
    let requests = statuses.iter().chain(&failures).map(|(_, n)| n).sum();
    let sample = Sample {
        requests_per_sec: number("/summary/requestsPerSec")?,
        p50_ms: number("/metrics/latency_ms/p50")?,
        p99_ms: number("/metrics/latency_ms/p99")?,
        errors: refused + failures.iter().map(|(_, n)| n).sum::<u64>(),
        ..Sample::default()
    };
    Ok((sample, requests))
}

/// Microseconds per clock tick of `/proc/<pid>/stat` (Linux's `USER_HZ`, 100 on every
/// architecture it exports to user space this way).
const TICK_US: f64 = 10_000.0;

/// CPU time (user and system, in clock ticks) spent so far by the server, by this process
/// (the provider's threads), and by this process's children it has waited for (the load
/// generator).
struct CpuTicks {
    server: u64,
    this: u64,
    children: u64,
}

impl CpuTicks {
    fn read(server: u32) -> Result<Self> {
        let this = ProcTimes::read("self")?;
        Ok(CpuTicks {
            server: ProcTimes::read(&server.to_string())?.own,
            this: this.own,
            children: this.children,
        })
    }
}

/// A process's CPU times from `/proc/<pid>/stat`, user and system, in clock ticks.
struct ProcTimes {
    /// Its own (`utime` + `stime`).
    own: u64,
    /// Its children's that it has waited for (`cutime` + `cstime`).
    children: u64,
}

impl ProcTimes {
    fn read(pid: &str) -> Result<Self> {
        let stat = fs::read_to_string(format!("/proc/{pid}/stat"))?;
        // After the command's name (which may hold spaces and parentheses): the state,
        // then numbers; `utime` is the 12th field from the state on.
        let (_, fields) = stat
            .rsplit_once(')')
            .ok_or_else(|| format!("/proc/{pid}/stat reads {stat:?}"))?;
        let fields: Vec<&str> = fields.split_whitespace().collect();
        let field = |index: usize| -> Result<u64> {
            let text = fields
                .get(index)
                .ok_or_else(|| format!("/proc/{pid}/stat has {} fields", fields.len()))?;
            Ok(text.parse()?)
        };
        Ok(ProcTimes {
            own: field(11)? + field(12)?,
            children: field(13)? + field(14)?,
        })
    }
}

/// wrk's durations: `812.00us`, `1.52ms`, `1.02s`, `2.00m`.
fn duration_ms(text: &str) -> Result<f64> {
    let split = text
        .find(|c: char| c.is_ascii_alphabetic())
        .ok_or_else(|| format!("no unit in {text:?}"))?;
    let (number, unit) = text.split_at(split);
    let number: f64 = number.parse()?;
    Ok(match unit {
        "us" => number / 1000.0,
        "ms" => number,
        "s" => number * 1000.0,
        "m" => number * 60_000.0,
        _ => return Err(format!("unknown unit in {text:?}").into()),
    })
}

/// The process's peak resident set (`VmHWM`), in kB.
fn peak_rss_kb(pid: u32) -> Result<u64> {
    let status = fs::read_to_string(format!("/proc/{pid}/status"))?;
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .ok_or_else(|| "no VmHWM in /proc/<pid>/status".into())
}

fn print_table(load: Load, variants: &[Variant<'_>], samples: &[Vec<Sample>]) {
    match load {
        Load::Saturating => println!(
            "\nThe product page {PAGE} under load: wrk, 1 thread, {CONNECTIONS} connections, {SECONDS} s, \
             median of {ROUNDS} rounds, release build\n"
        ),
        Load::FixedRate(rate) => println!(
            "\nThe product page {PAGE} at a fixed rate: oha, {rate} requests/s over {CONNECTIONS} \
             connections ({:.0} % of what (c) served at most), latency from when each request \
             was due, {SECONDS} s, median of {ROUNDS} rounds, release build\n",
            RATE_SHARE * 100.0
        ),
    }
    println!(
        "| | requests/s | p50 | p99 | errors | peak RSS | server CPU per request | server cores busy | load generator's, provider's |"
    );
    println!("|---|---|---|---|---|---|---|---|---|");
    let base = &samples[0];
    let (base_rps, base_p99, base_server_cpu) = (
        median(base, &|s| s.requests_per_sec),
        median(base, &|s| s.p99_ms),
        median(base, &|s| s.cpu_us.server),
    );
    for (variant, samples) in variants.iter().zip(samples) {
        let rps = median(samples, &|s| s.requests_per_sec);
        let p99 = median(samples, &|s| s.p99_ms);
        let server = median(samples, &|s| s.cpu_us.server);
        let (versus, versus_p99, versus_cpu) = if variant.name == "a" {
            (String::new(), String::new(), String::new())
        } else {
            (
                format!(" ({:+.1} %)", (rps / base_rps - 1.0) * 100.0),
                format!(" ({:.2}×)", p99 / base_p99),
                format!(" ({:+.0} µs)", server - base_server_cpu),
            )
        };
        println!(
            "| ({}) {} | {:.0}{versus} | {:.2} ms | {:.2} ms{versus_p99} | {:.0} | {:.0} MB | {server:.0} µs{versus_cpu} | {:.2} | {:.0} µs, {:.0} µs |",
            variant.name,
            variant.what,
            rps,
            median(samples, &|s| s.p50_ms),
            p99,
            median(samples, &|s| s.errors as f64),
            median(samples, &|s| s.peak_rss_mb),
            median(samples, &|s| s.cpu_us.server * s.requests_per_sec / 1e6),
            median(samples, &|s| s.cpu_us.generator),
            median(samples, &|s| s.cpu_us.provider),
        );
    }
    let decided = &samples[samples.len() - 1];
    let outbox: Vec<_> = decided.iter().filter_map(|s| s.outbox).collect();
    if !outbox.is_empty() {
        let lost: u64 = outbox
            .iter()
            .map(|(accepted, arrived, ..)| accepted.saturating_sub(*arrived))
            .sum();
        let worst_p99 = outbox.iter().map(|o| o.3).fold(0.0, f64::max);
        let worst = outbox.iter().map(|o| o.4).fold(0.0, f64::max);
        println!(
            "\n(c)'s outbox: {} events accepted in the last round, every one arrived: {}; \
             lag p99 at most {worst_p99:.0} ms, max {worst:.0} ms over the rounds",
            outbox[outbox.len() - 1].0,
            if lost == 0 { "yes" } else { "NO" },
        );
    }
    let rps_c = median(decided, &|s| s.requests_per_sec);
    let p99_c = median(decided, &|s| s.p99_ms);
    match load {
        Load::Saturating => println!(
            "targets: (c) loses at most 5 % throughput against (a): {:.1} % ({}); p99 within 1.2× of (a): {:.2}× ({})",
            (1.0 - rps_c / base_rps) * 100.0,
            if rps_c >= base_rps * 0.95 {
                "met"
            } else {
                "not met"
            },
            p99_c / base_p99,
            if p99_c <= base_p99 * 1.2 {
                "met"
            } else {
                "not met"
            },
        ),
        Load::FixedRate(rate) => {
            // A variant that could not keep up measured its own limit, not the rate.
            for (variant, samples) in variants.iter().zip(samples) {
                let rps = median(samples, &|s| s.requests_per_sec);
                if rps < f64::from(rate) * 0.97 {
                    println!(
                        "({}) did not keep up with {rate} requests/s ({rps:.0}): its latency is its limit's",
                        variant.name
                    );
                }
            }
        }
    }
}

/// A webhook provider on loopback: counts the distinct event ids it is sent and how long
/// each took from its occurrence, answers 200.
struct LoopbackProvider {
    url: String,
    state: Arc<Mutex<Received>>,
}

#[derive(Default)]
struct Received {
    ids: HashSet<String>,
    /// (occurred at, lag), in milliseconds.
    lags: Vec<(u64, u64)>,
}

impl LoopbackProvider {
    fn start() -> Result<Self> {
        let server = Arc::new(
            tiny_http::Server::http("127.0.0.1:0").map_err(|e| format!("the provider: {e}"))?,
        );
        let url = format!(
            "http://{}/events",
            server
                .server_addr()
                .to_ip()
                .ok_or("the provider has no IP address")?
        );
        let state = Arc::new(Mutex::new(Received::default()));
        for _ in 0..2 {
            let (server, state) = (server.clone(), state.clone());
            std::thread::spawn(move || {
                for mut request in server.incoming_requests() {
                    let mut body = Vec::new();
                    let read = std::io::Read::read_to_end(request.as_reader(), &mut body);
                    let batch: Option<serde_json::Value> =
                        read.ok().and_then(|_| serde_json::from_slice(&body).ok());
                    let status = match batch.as_ref().and_then(|b| b["events"].as_array()) {
                        Some(events) => {
                            let now = unix_ms();
                            if let Ok(mut state) = state.lock() {
                                for event in events {
                                    let occurred = event["occurred_at_ms"].as_u64().unwrap_or(now);
                                    if let Some(id) = event["event_id"].as_str() {
                                        state.ids.insert(id.to_owned());
                                        state.lags.push((occurred, now.saturating_sub(occurred)));
                                    }
                                }
                            }
                            200
                        }
                        None => 400,
                    };
                    let _ = request.respond(tiny_http::Response::empty(status));
                }
            });
        }
        Ok(Self { url, state })
    }

    fn url(&self) -> &str {
        &self.url
    }

    fn reset(&self) {
        if let Ok(mut state) = self.state.lock() {
            *state = Received::default();
        }
    }
}

fn unix_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}

/// A program on `PATH`.
fn which(program: &str) -> Option<PathBuf> {
    std::env::var_os("PATH")?
        .to_str()?
        .split(':')
        .map(|dir| Path::new(dir).join(program))
        .find(|path| path.is_file())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_wrk_reports() {
        let report = "Running 15s test @ http://127.0.0.1:3300/products/1\n  1 threads and 16 connections\n\
            \x20 Thread Stats   Avg      Stdev     Max   +/- Stdev\n    Latency     5.01ms    1.20ms  30.00ms   80.00%\n\
            \x20 Latency Distribution\n     50%    4.80ms\n     75%    5.50ms\n     90%    6.40ms\n     99%  812.00us\n\
            \x20 48000 requests in 15.00s, 1.00GB read\n  Non-2xx or 3xx responses: 3\n\
            Requests/sec:   3200.50\nTransfer/sec:     68.30MB\n";
        let (sample, requests) = parse_wrk(report).unwrap();
        assert_eq!(requests, 48000);
        assert_eq!(sample.requests_per_sec, 3200.5);
        assert_eq!(sample.p50_ms, 4.8);
        assert_eq!(sample.p99_ms, 0.812);
        assert_eq!(sample.errors, 3);
        assert_eq!(duration_ms("1.02s").unwrap(), 1020.0);
        assert!(duration_ms("12").is_err());
    }

    #[test]
    fn reads_oha_reports() {
        // oha 1.16's `--output-format json`, trimmed to what is read.
        let report = r#"{"summary":{"successRate":0.99,"total":2.0,"requestsPerSec":199.74},
            "metrics":{"success_rate":0.99,"requests_per_sec":199.74,
                "latency_ms":{"min":0.648,"mean":3.737,"p50":3.954,"p95":6.621,"p99":9.208,"max":11.157}},
            "statusCodeDistribution":{"200":395,"302":1,"500":2},
            "errorDistribution":{"connection closed before message completed":2}}"#;
        let (sample, requests) = parse_oha(report).unwrap();
        assert_eq!(requests, 400);
        assert_eq!(sample.requests_per_sec, 199.74);
        assert_eq!(sample.p50_ms, 3.954);
        assert_eq!(sample.p99_ms, 9.208);
        assert_eq!(sample.errors, 4);
        assert!(parse_oha(r#"{"summary":{}}"#).is_err());
        assert!(parse_oha("not json").is_err());
    }

    #[test]
    fn reads_cpu_times() {
        // Busy, this process's CPU time grows tick by tick.
        let ticks = || ProcTimes::read("self").unwrap().own;
        let (start, at_first) = (Instant::now(), ticks());
        let mut spun = 0u64;
        while ticks() < at_first + 2 {
            spun = std::hint::black_box(spun.wrapping_add(1));
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "no CPU time counted"
            );
        }
        assert!(ProcTimes::read("0").is_err());
    }
}
