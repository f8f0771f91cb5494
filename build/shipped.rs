//! How the crate's browser assets ship: its plain-JS runtime (`cookie_policy.js`) and its
//! stylesheet (`leptos-consent.css`) without their comments and indentation (a third to
//! nearly half of their bytes), which every page would otherwise carry. Lines stay lines,
//! so no statement runs into the next and no selector into another.
//!
//! `build.rs` writes the shipped files into `$OUT_DIR`, where the crate includes them;
//! `cargo xtask sizes` includes this file as well (`#[path]`), to weigh them exactly as
//! pages get them.

/// The runtime `source` as pages get it: without `//` comment lines, blank lines and
/// indentation (the runtime writes no `//` inside a string at the start of a line).
pub fn js(source: &str) -> String {
    source
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The stylesheet `source` as pages get it: without `/* … */` comments, blank lines and
/// indentation (the stylesheet writes no `/*` inside a string).
pub fn css(source: &str) -> String {
    let mut code = String::with_capacity(source.len());
    let mut rest = source;
    while let Some(start) = rest.find("/*") {
        code.push_str(&rest[..start]);
        let comment = &rest[start + 2..];
        rest = comment.find("*/").map_or("", |end| &comment[end + 2..]);
    }
    code.push_str(rest);
    code.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}
