//! How the crate's stylesheet (`leptos-consent.css`) ships: without its comments and
//! indentation (a fifth of its bytes), which every page would otherwise carry. Lines stay
//! lines, so no selector runs into another. (The runtime ships minified by terser:
//! `cargo xtask runtime`.)
//!
//! `build.rs` writes the shipped stylesheet into `$OUT_DIR`, where the crate includes it;
//! `cargo xtask sizes` includes this file as well (`#[path]`), to weigh it exactly as pages
//! get it.

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
