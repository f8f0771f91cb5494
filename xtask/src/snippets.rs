//! The README's quick start is cut from `examples/start-axum`: each code block after a
//! `<!-- snippet: <file>#<anchor> -->` line is the region of `<file>` between
//! `ANCHOR: <anchor>` and `ANCHOR_END: <anchor>` comments (other anchors' lines left out,
//! the common indentation removed, and `, path = "../.."` dropped: the app depends on the
//! crate by path, a shop by version). The example is built, linted and tested, so the
//! snippets compile by construction.
//!
//! `cargo xtask test` fails when a block differs; `cargo xtask snippets` rewrites them.

use std::fs;

use crate::{Result, tools::root};

const MARKER: &str = "<!-- snippet: ";

/// What the README's blocks must be: `(line index of the block's first code line, end
/// line index, expected code)`, for every marker.
fn expected_blocks(readme: &[&str]) -> Result<Vec<(usize, usize, Vec<String>)>> {
    let mut blocks = Vec::new();
    for (index, line) in readme.iter().enumerate() {
        let Some(spec) = line
            .strip_prefix(MARKER)
            .and_then(|rest| rest.strip_suffix(" -->"))
        else {
            continue;
        };
        let (file, anchor) = spec
            .split_once('#')
            .ok_or_else(|| format!("README line {}: {spec:?} names no anchor", index + 1))?;
        let fence = readme
            .get(index + 1)
            .filter(|next| next.starts_with("```"))
            .ok_or_else(|| format!("README line {}: no code block after the marker", index + 1))?;
        let _ = fence;
        let start = index + 2;
        let end = readme[start..]
            .iter()
            .position(|l| l.starts_with("```"))
            .map(|offset| start + offset)
            .ok_or_else(|| format!("README line {}: the code block never ends", index + 2))?;
        let source = fs::read_to_string(root().join(file))
            .map_err(|e| format!("README line {}: {file}: {e}", index + 1))?;
        blocks.push((
            start,
            end,
            region(&source, anchor).map_err(|e| format!("{file}: {e}"))?,
        ));
    }
    if blocks.is_empty() {
        return Err("the README has no snippet markers".into());
    }
    Ok(blocks)
}

/// The lines of `source` between the anchor's comments, as the README shows them.
fn region(source: &str, anchor: &str) -> Result<Vec<String>, String> {
    let is_marker = |line: &str, kind: &str| {
        let line = line.trim_start();
        let comment = line
            .strip_prefix("//")
            .or_else(|| line.strip_prefix('#'))
            .unwrap_or("");
        comment.trim() == format!("{kind}: {anchor}")
    };
    let start = source
        .lines()
        .position(|l| is_marker(l, "ANCHOR"))
        .ok_or_else(|| format!("no `ANCHOR: {anchor}`"))?;
    let lines: Vec<&str> = source
        .lines()
        .skip(start + 1)
        .take_while(|l| !is_marker(l, "ANCHOR_END"))
        .filter(|l| !l.contains("ANCHOR:") && !l.contains("ANCHOR_END:"))
        .collect();
    let indent = lines
        .iter()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    Ok(lines
        .iter()
        .map(|l| {
            l.get(indent..)
                .unwrap_or("")
                .replace(", path = \"../..\"", "")
        })
        .collect())
}

/// Fails naming every README block that differs from its source.
pub(crate) fn check() -> Result {
    let text = fs::read_to_string(root().join("README.md"))?;
    let readme: Vec<&str> = text.lines().collect();
    let mut stale = Vec::new();
    for (start, end, expected) in expected_blocks(&readme)? {
        if readme[start..end] != expected {
            stale.push(format!("README.md line {}", start + 1));
        }
    }
    if stale.is_empty() {
        println!("README snippets match examples/start-axum");
        Ok(())
    } else {
        Err(format!(
            "README snippets differ from examples/start-axum ({}): run `cargo xtask snippets`",
            stale.join(", ")
        )
        .into())
    }
}

/// Rewrites the README's snippet blocks from their sources.
pub(crate) fn write() -> Result {
    let text = fs::read_to_string(root().join("README.md"))?;
    let readme: Vec<&str> = text.lines().collect();
    let mut out: Vec<String> = Vec::new();
    let mut next = 0;
    for (start, end, expected) in expected_blocks(&readme)? {
        out.extend(readme[next..start].iter().map(|l| (*l).to_owned()));
        out.extend(expected);
        next = end;
    }
    out.extend(readme[next..].iter().map(|l| (*l).to_owned()));
    fs::write(root().join("README.md"), out.join("\n") + "\n")?;
    println!("README snippets rewritten from their sources");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_region_is_dedented_and_leaves_other_anchors_out() {
        let source = "fn main() {\n    // ANCHOR: a\n    let x = 1;\n    // ANCHOR: b\n        nested();\n    // ANCHOR_END: b\n    // ANCHOR_END: a\n}\n";
        assert_eq!(
            region(source, "a").unwrap(),
            ["let x = 1;", "    nested();"]
        );
        assert_eq!(
            region(
                "# ANCHOR: d\nx = { version = \"0.1\", path = \"../..\" }\n# ANCHOR_END: d\n",
                "d"
            )
            .unwrap(),
            ["x = { version = \"0.1\" }"]
        );
        assert!(region(source, "missing").is_err());
    }
}
