//! How the crate's plain-JS runtime (`cookie_policy.js`) ships: without its comment lines
//! and indentation (nearly half of its bytes), which every page would otherwise carry. Its
//! code keeps its lines, so no statement runs into the next.
//!
//! `cargo xtask sizes` includes this file as well (`#[path]`), to weigh the runtime exactly
//! as pages get it.

/// `source` as pages get it.
pub(crate) fn shipped(source: &str) -> String {
    source
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}
