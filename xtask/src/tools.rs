//! Running commands, and installing what a fresh machine lacks.

use std::{
    env,
    path::{Path, PathBuf},
    process::Command,
};

use crate::Result;

/// The workspace root.
pub(crate) fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the workspace")
        .to_path_buf()
}

/// Cargo's target directory.
pub(crate) fn target_dir() -> PathBuf {
    env::var_os("CARGO_TARGET_DIR").map_or_else(|| root().join("target"), PathBuf::from)
}

/// A `cargo` command in the workspace root.
pub(crate) fn cargo() -> Command {
    let mut command = Command::new(env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    command.current_dir(root());
    command
}

/// Runs a command, echoing it first; fails with its exit status.
pub(crate) fn run(command: &mut Command) -> Result {
    println!("\n$ {}", describe(command));
    let status = command
        .status()
        .map_err(|e| format!("{}: {e}", describe(command)))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{}` failed ({status})", describe(command)).into())
    }
}

fn describe(command: &Command) -> String {
    std::iter::once(command.get_program())
        .chain(command.get_args())
        .map(|part| part.to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Adds the wasm32 target through rustup when it is missing.
pub(crate) fn ensure_wasm_target() -> Result {
    let installed = Command::new("rustup")
        .args(["target", "list", "--installed"])
        .output()
        .map_err(|e| format!("rustup is needed to add the wasm32 target: {e}"))?;
    if !String::from_utf8_lossy(&installed.stdout).contains("wasm32-unknown-unknown") {
        run(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]))?;
    }
    Ok(())
}

/// The npm packages of `end2end/`, installed from its lockfile.
pub(crate) fn ensure_npm_packages() -> Result {
    let end2end = root().join("end2end");
    let lock = end2end.join("package-lock.json");
    let marker = end2end.join("node_modules/.package-lock.json");
    let fresh = match (lock.metadata(), marker.metadata()) {
        (Ok(lock), Ok(marker)) => marker.modified()? >= lock.modified()?,
        _ => false,
    };
    if !fresh {
        run(Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(&end2end))?;
    }
    Ok(())
}

/// Chromium from Debian (or `CHROMIUM_PATH`); Playwright cannot download its own here.
pub(crate) fn chromium() -> Result<PathBuf> {
    let path =
        env::var_os("CHROMIUM_PATH").map_or_else(|| "/usr/bin/chromium".into(), PathBuf::from);
    if path.exists() {
        Ok(path)
    } else {
        Err(format!(
            "Chromium is missing at {}. Install it with:\n\n    sudo apt-get install -y chromium\n\n\
             (or set CHROMIUM_PATH to a Chromium binary)",
            path.display()
        )
        .into())
    }
}
