//! The fallback journal: where a decision goes when the database cannot take it.
//!
//! One JSON line per record, appended and flushed to disk (`fsync`) before the shopper's
//! response is sent. A torn last line (a crash mid-write) costs only itself: the next
//! append starts on a line of its own.
//!
//! [`Journal::replay`] is crash-safe: the journal is renamed to a replay file, whose records
//! are inserted (each keeps its id, so the database stores it once however often a replay
//! is interrupted), and the file is deleted only after the insert committed; a replay that
//! fails or dies leaves it for the next one. Erasure waits for a replay under way and then
//! removes its records from both files, and the log deletes from the database after that,
//! so an erasure always wins over a replay.

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

    /// Where the records of a replay under way (or interrupted) are.
    fn replay_path(&self) -> PathBuf {
        let mut name = self.path.as_os_str().to_owned();
        name.push(".replay");
        PathBuf::from(name)
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
                .read(true)
                .append(true)
                .open(&path)?;
            // A torn last line (a crash mid-write) ends here, not glued to this record.
            if ends_torn(&mut file)? {
                file.write_all(b"\n")?;
            }
            file.write_all(&line)?;
            file.sync_data()
        })
        .await
    }

    /// Replays the journal through `insert`: the journal becomes the replay file (unless
    /// one is left from an interrupted replay, which goes first), its records are handed
    /// to `insert`, and the file is deleted once `insert` succeeded. Appends and erasures
    /// wait meanwhile. Returns what `insert` returns: how many records the log kept.
    pub(crate) async fn replay<E, F, Fut>(&self, insert: F) -> Result<usize, ReplayError<E>>
    where
        F: FnOnce(Vec<ConsentRecord>) -> Fut,
        Fut: std::future::Future<Output = Result<usize, E>>,
    {
        let _guard = self.lock.lock().await;
        let (path, replay_path) = (self.path.clone(), self.replay_path());
        let records = run_blocking(move || {
            if !replay_path.exists() {
                match std::fs::rename(&path, &replay_path) {
                    Ok(()) => {}
                    Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
                    Err(error) => return Err(error),
                }
            }
            let text = String::from_utf8_lossy(&std::fs::read(&replay_path)?).into_owned();
            Ok(parse_lines(&text, &replay_path))
        })
        .await
        .map_err(ReplayError::Journal)?;
        let count = if records.is_empty() {
            0
        } else {
            insert(records).await.map_err(ReplayError::Insert)?
        };
        let replay_path = self.replay_path();
        run_blocking(move || match std::fs::remove_file(&replay_path) {
            Err(error) if error.kind() != io::ErrorKind::NotFound => Err(error),
            _ => Ok(()),
        })
        .await
        .map_err(ReplayError::Journal)?;
        Ok(count)
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

    /// Keeps only the records `keep` accepts, in the journal and in an interrupted
    /// replay's file (after a replay under way has finished: it holds the lock).
    async fn retain(
        &self,
        keep: impl Fn(&ConsentRecord) -> bool + Send + 'static,
    ) -> io::Result<u64> {
        let _guard = self.lock.lock().await;
        let paths = [self.path.clone(), self.replay_path()];
        run_blocking(move || {
            let mut removed = 0;
            for path in paths {
                let text = match std::fs::read(&path) {
                    Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
                    Err(error) if error.kind() == io::ErrorKind::NotFound => continue,
                    Err(error) => return Err(error),
                };
                let records = parse_lines(&text, &path);
                let mut kept = Vec::new();
                let mut gone = 0;
                for record in &records {
                    if keep(record) {
                        kept.extend(serde_json::to_vec(record).map_err(io::Error::other)?);
                        kept.push(b'\n');
                    } else {
                        gone += 1;
                    }
                }
                if gone > 0 {
                    write_atomically(&path, &kept)?;
                }
                removed += gone;
            }
            Ok(removed)
        })
        .await
    }
}

/// Why a replay stopped; its records stay in the replay file either way.
#[derive(Debug)]
pub(crate) enum ReplayError<E> {
    /// Reading, renaming or deleting the journal's files failed.
    Journal(io::Error),
    /// The insert failed.
    Insert(E),
}

/// Whether a non-empty file does not end with a newline (a torn last write).
fn ends_torn(file: &mut std::fs::File) -> io::Result<bool> {
    use std::io::{Read, Seek, SeekFrom};

    if file.metadata()?.len() == 0 {
        return Ok(false);
    }
    let mut last = [0u8];
    file.seek(SeekFrom::End(-1))?;
    file.read_exact(&mut last)?;
    Ok(last[0] != b'\n')
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

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use tokio::sync::Notify;
    use uuid::Uuid;

    use super::*;
    use crate::{CategorySet, log::LogAction};

    fn record(consent_id: Uuid) -> ConsentRecord {
        ConsentRecord {
            id: Uuid::new_v4(),
            consent_id,
            visitor_id: None,
            recorded_at: time::OffsetDateTime::from_unix_timestamp(1_790_000_000).unwrap(),
            action: LogAction::RejectAll,
            granted: CategorySet::essential(),
            denied: CategorySet::essential().denied(),
            policy_fingerprint: "0123456789abcdef".to_owned(),
            locale: "en".to_owned(),
            ui_source: "banner".to_owned(),
            gpc: false,
            dnt: false,
            user_agent: None,
            ip: None,
            services: Vec::new(),
        }
    }

    /// What a replay hands over, through an insert that always succeeds.
    async fn replayed(journal: &Journal) -> Vec<ConsentRecord> {
        let mut seen = Vec::new();
        journal
            .replay(|records| {
                let count = records.len();
                seen = records;
                async move { Ok::<_, ()>(count) }
            })
            .await
            .unwrap();
        seen
    }

    #[tokio::test]
    async fn a_torn_last_line_costs_only_itself() {
        let dir = tempfile::tempdir().unwrap();
        let journal = Journal::new(dir.path().join("journal.jsonl"));
        let (first, second) = (record(Uuid::new_v4()), record(Uuid::new_v4()));
        journal.append(&first).await.unwrap();
        // A crash in the middle of the next append: half a line, no newline.
        let torn = serde_json::to_string(&record(Uuid::new_v4())).unwrap();
        let mut file = std::fs::OpenOptions::new()
            .append(true)
            .open(journal.path())
            .unwrap();
        file.write_all(&torn.as_bytes()[..torn.len() / 2]).unwrap();
        journal.append(&second).await.unwrap();
        assert_eq!(replayed(&journal).await, [first, second]);
    }

    #[tokio::test]
    async fn a_failed_replay_keeps_its_records_and_an_erasure_still_reaches_them() {
        let dir = tempfile::tempdir().unwrap();
        let journal = Arc::new(Journal::new(dir.path().join("journal.jsonl")));
        let erased = record(Uuid::new_v4());
        let kept = record(Uuid::new_v4());
        journal.append(&erased).await.unwrap();
        journal.append(&kept).await.unwrap();
        // A replay whose insert fails, while an erasure arrives during it.
        let inserting = Arc::new(Notify::new());
        let replay = {
            let (journal, inserting) = (journal.clone(), inserting.clone());
            tokio::spawn(async move {
                journal
                    .replay(|_| async move {
                        inserting.notify_one();
                        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                        Err::<usize, _>("the database went away")
                    })
                    .await
            })
        };
        inserting.notified().await;
        let erasure = {
            let journal = journal.clone();
            let subject = Subject::ConsentId(erased.consent_id);
            tokio::spawn(async move { journal.erase(subject).await })
        };
        assert!(matches!(replay.await.unwrap(), Err(ReplayError::Insert(_))));
        assert_eq!(
            erasure.await.unwrap().unwrap(),
            1,
            "the erasure waited for the replay, then won"
        );
        // Appended meanwhile, and what the failed replay kept: nothing lost, nothing erased.
        let later = record(Uuid::new_v4());
        journal.append(&later).await.unwrap();
        assert_eq!(replayed(&journal).await, [kept]);
        assert_eq!(replayed(&journal).await, [later]);
    }
}
