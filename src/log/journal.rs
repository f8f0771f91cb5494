//! The fallback journal: where a decision goes when the database cannot take it.
//!
//! One JSON line per record, appended and flushed to disk (`fsync`) before the shopper's
//! response is sent. [`Journal::take`] hands its records back for replay; a replayed record
//! keeps its id, so the database stores it once even if a replay is interrupted.

use std::{
    io::{self, Write},
    path::{Path, PathBuf},
};

use tokio::sync::Mutex;

use super::{ConsentRecord, Subject};

/// A local, append-only file of records the database did not take.
#[derive(Debug)]
pub(crate) struct Journal {
    path: PathBuf,
    /// One writer at a time in this process (appends, takes, erasures).
    lock: Mutex<()>,
}

impl Journal {
    pub(crate) fn new(path: PathBuf) -> Self {
        Journal {
            path,
            lock: Mutex::new(()),
        }
    }

    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    /// Appends a record and flushes it to disk.
    pub(crate) async fn append(&self, record: &ConsentRecord) -> io::Result<()> {
        let mut line = serde_json::to_vec(record).map_err(io::Error::other)?;
        line.push(b'\n');
        let _guard = self.lock.lock().await;
        let path = self.path.clone();
        run_blocking(move || {
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir)?;
            }
            let mut file = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(&path)?;
            file.write_all(&line)?;
            file.sync_data()
        })
        .await
    }

    /// Every record in the journal, leaving it empty. A line that does not parse (a torn
    /// write) is skipped and logged, never fatal.
    pub(crate) async fn take(&self) -> io::Result<Vec<ConsentRecord>> {
        let _guard = self.lock.lock().await;
        let path = self.path.clone();
        run_blocking(move || {
            let text = match std::fs::read_to_string(&path) {
                Ok(text) => text,
                Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
                Err(error) => return Err(error),
            };
            let records = parse_lines(&text, &path);
            std::fs::remove_file(&path)?;
            Ok(records)
        })
        .await
    }

    /// Puts records back (a replay that failed), ahead of anything appended meanwhile.
    pub(crate) async fn restore(&self, records: &[ConsentRecord]) -> io::Result<()> {
        let _guard = self.lock.lock().await;
        let path = self.path.clone();
        let mut lines = Vec::new();
        for record in records {
            lines.extend(serde_json::to_vec(record).map_err(io::Error::other)?);
            lines.push(b'\n');
        }
        run_blocking(move || {
            let newer = std::fs::read(&path).or_else(|e| match e.kind() {
                io::ErrorKind::NotFound => Ok(Vec::new()),
                _ => Err(e),
            })?;
            lines.extend(newer);
            write_atomically(&path, &lines)
        })
        .await
    }

    /// Removes the records about `subject` (a GDPR erasure must reach them too).
    pub(crate) async fn erase(&self, subject: Subject) -> io::Result<u64> {
        self.retain(move |record| !subject.matches(record)).await
    }

    /// Removes the records made before `before` (Unix seconds).
    pub(crate) async fn erase_before(&self, before: i64) -> io::Result<u64> {
        self.retain(move |record| record.recorded_at.unix_timestamp() >= before)
            .await
    }

    async fn retain(
        &self,
        keep: impl Fn(&ConsentRecord) -> bool + Send + 'static,
    ) -> io::Result<u64> {
        let _guard = self.lock.lock().await;
        let path = self.path.clone();
        run_blocking(move || {
            let text = match std::fs::read_to_string(&path) {
                Ok(text) => text,
                Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(0),
                Err(error) => return Err(error),
            };
            let records = parse_lines(&text, &path);
            let before = records.len();
            let mut kept = Vec::new();
            for record in records.iter().filter(|r| keep(r)) {
                kept.extend(serde_json::to_vec(record).map_err(io::Error::other)?);
                kept.push(b'\n');
            }
            let removed = before - records.iter().filter(|r| keep(r)).count();
            if removed > 0 {
                write_atomically(&path, &kept)?;
            }
            Ok(removed as u64)
        })
        .await
    }
}

fn parse_lines(text: &str, path: &Path) -> Vec<ConsentRecord> {
    text.lines()
        .filter(|line| !line.trim().is_empty())
        .filter_map(|line| {
            serde_json::from_str(line)
                .inspect_err(|error| {
                    tracing::error!(journal = %path.display(), %error, line, "unreadable consent journal line skipped")
                })
                .ok()
        })
        .collect()
}

/// Replaces `path` with `contents` through a renamed temporary file, flushed to disk.
fn write_atomically(path: &Path, contents: &[u8]) -> io::Result<()> {
    let temporary = path.with_extension("tmp");
    let mut file = std::fs::File::create(&temporary)?;
    file.write_all(contents)?;
    file.sync_data()?;
    std::fs::rename(&temporary, path)
}

async fn run_blocking<T: Send + 'static>(
    work: impl FnOnce() -> io::Result<T> + Send + 'static,
) -> io::Result<T> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|error| io::Error::other(format!("journal task failed: {error}")))?
}
