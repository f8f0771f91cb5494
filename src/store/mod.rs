//! The database of leptos-consent: SQLite in a file (the default: no set-up) or PostgreSQL
//! by URL (several shop instances sharing one database).
//!
//! One [`Store`] holds the consent log now and will hold the cookie registry and the
//! tracking outbox: every feature's tables are migrations of the same store, run when it
//! connects. Both backends get the same SQL where they can (`$1` placeholders work in
//! both); the schema is written once per backend.

#[cfg(any(feature = "log", feature = "outbox"))]
pub(crate) mod group_commit;

#[cfg(feature = "sqlite")]
use std::str::FromStr;
use std::time::Duration;

#[cfg(feature = "postgres")]
use sqlx::{PgPool, postgres::PgPoolOptions};
#[cfg(feature = "sqlite")]
use sqlx::{
    SqlitePool,
    sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous},
};

/// A connection pool to the shop's consent database, migrated to this crate's schema.
/// Cheap to clone.
#[derive(Clone, Debug)]
pub struct Store {
    pub(crate) pool: Pool,
    /// SQLite's writers (this store's clones) take turns here; see [`Store::write_turn`].
    writers: WriteTurn,
}

/// The turn SQLite's writers take, shared by a store's clones and its checkpoint task.
type WriteTurn = std::sync::Arc<tokio::sync::Mutex<()>>;

#[derive(Clone, Debug)]
pub(crate) enum Pool {
    #[cfg(feature = "sqlite")]
    Sqlite(SqlitePool),
    #[cfg(feature = "postgres")]
    Postgres(PgPool),
}

/// Which database a [`Store`] talks to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Backend {
    /// SQLite in a file (write-ahead log, `synchronous = NORMAL`).
    Sqlite,
    /// PostgreSQL.
    Postgres,
}

/// Runs `$body` with `$pool` bound to the store's pool, whichever backend it is: the same
/// sqlx code is compiled for both.
macro_rules! with_pool {
    ($store:expr, $pool:ident => $body:expr) => {
        match &$store.pool {
            #[cfg(feature = "sqlite")]
            $crate::store::Pool::Sqlite($pool) => $body,
            #[cfg(feature = "postgres")]
            $crate::store::Pool::Postgres($pool) => $body,
        }
    };
}
pub(crate) use with_pool;

/// How a [`Store`] connects.
#[derive(Clone, Debug)]
#[must_use]
pub struct StoreOptions {
    max_connections: u32,
    acquire_timeout: Duration,
}

impl Default for StoreOptions {
    fn default() -> Self {
        StoreOptions {
            max_connections: 8,
            acquire_timeout: Duration::from_secs(3),
        }
    }
}

impl StoreOptions {
    /// The most connections the pool opens (default 8).
    pub fn max_connections(mut self, max: u32) -> Self {
        self.max_connections = max.max(1);
        self
    }

    /// How long a query waits for a connection before failing (default 3 s). It bounds how
    /// long a shopper waits when the database is down: the decision then goes to the
    /// fallback journal instead.
    pub fn acquire_timeout(mut self, timeout: Duration) -> Self {
        self.acquire_timeout = timeout;
        self
    }
}

impl Store {
    /// Connects to `url` and runs the migrations: `sqlite://path/to/shop.db` (the file and
    /// its directory are created when missing) or `postgres://user:password@host/database`.
    pub async fn connect(url: &str) -> Result<Store, StoreError> {
        Store::connect_with(url, StoreOptions::default()).await
    }

    /// [`Store::connect`] with pool options.
    pub async fn connect_with(url: &str, options: StoreOptions) -> Result<Store, StoreError> {
        let writers = std::sync::Arc::default();
        let pool = if url.starts_with("sqlite:") {
            connect_sqlite(url, &options, &writers).await?
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            connect_postgres(url, &options).await?
        } else {
            return Err(StoreError::UnsupportedUrl(redact(url)));
        };
        Ok(Store { pool, writers })
    }

    /// Waits for this store's turn to write, on SQLite, and holds it while the guard lives
    /// (nothing on PostgreSQL, whose writers do not exclude each other). SQLite has one
    /// writer at a time: a second connection that tries meanwhile sleeps in SQLite's busy
    /// handler, 1 to 100 ms at a time, long after the first has finished; waiting here, it
    /// writes the moment the first is done. Hold it across a write transaction, not a
    /// read.
    pub(crate) async fn write_turn(&self) -> Option<tokio::sync::MutexGuard<'_, ()>> {
        match self.backend() {
            Backend::Sqlite => Some(self.writers.lock().await),
            Backend::Postgres => None,
        }
    }

    /// The backend this store talks to.
    pub fn backend(&self) -> Backend {
        match self.pool {
            #[cfg(feature = "sqlite")]
            Pool::Sqlite(_) => Backend::Sqlite,
            #[cfg(feature = "postgres")]
            Pool::Postgres(_) => Backend::Postgres,
        }
    }

    /// Closes the pool, waiting for queries under way.
    pub async fn close(&self) {
        with_pool!(self, pool => pool.close().await)
    }
}

/// A SQLite pool on the file `url` names (created with its directory when missing),
/// migrated, with its checkpoint task started (writing in the turns of `writers`).
#[cfg(feature = "sqlite")]
async fn connect_sqlite(
    url: &str,
    options: &StoreOptions,
    writers: &WriteTurn,
) -> Result<Pool, StoreError> {
    let connect = SqliteConnectOptions::from_str(url)?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .busy_timeout(Duration::from_secs(5))
        .foreign_keys(true)
        // Checkpoints run in the background (see `checkpoint_sqlite`), not inside a
        // shopper's commit.
        .pragma("wal_autocheckpoint", "0")
        // Pages read through a memory map, not a read() call each: every commit of
        // another connection invalidates a connection's page cache.
        .pragma("mmap_size", "268435456");
    if let Some(dir) = connect
        .get_filename()
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
    {
        std::fs::create_dir_all(dir)
            .map_err(|e| StoreError::Directory(dir.display().to_string(), e))?;
    }
    let pool = SqlitePoolOptions::new()
        .max_connections(options.max_connections)
        .acquire_timeout(options.acquire_timeout)
        .connect_with(connect)
        .await?;
    sqlx::migrate!("./migrations/sqlite").run(&pool).await?;
    tokio::spawn(checkpoint_sqlite(pool.clone(), writers.clone()));
    Ok(Pool::Sqlite(pool))
}

/// Without the `sqlite` feature: a clear error.
#[cfg(not(feature = "sqlite"))]
async fn connect_sqlite(_: &str, _: &StoreOptions, _: &WriteTurn) -> Result<Pool, StoreError> {
    Err(StoreError::BackendNotBuilt("sqlite"))
}

/// A PostgreSQL pool on the database `url` names, migrated.
#[cfg(feature = "postgres")]
async fn connect_postgres(url: &str, options: &StoreOptions) -> Result<Pool, StoreError> {
    let pool = PgPoolOptions::new()
        .max_connections(options.max_connections)
        .acquire_timeout(options.acquire_timeout)
        .connect(url)
        .await?;
    sqlx::migrate!("./migrations/postgres").run(&pool).await?;
    Ok(Pool::Postgres(pool))
}

/// Without the `postgres` feature: a clear error.
#[cfg(not(feature = "postgres"))]
async fn connect_postgres(_: &str, _: &StoreOptions) -> Result<Pool, StoreError> {
    Err(StoreError::BackendNotBuilt("postgres"))
}

/// How often the write-ahead log is copied back into the SQLite file.
#[cfg(feature = "sqlite")]
const CHECKPOINT_EVERY: Duration = Duration::from_secs(1);

/// Copies the write-ahead log back into the database file every second and empties it
/// (`TRUNCATE`: unlike `PASSIVE` or `RESTART` checkpoints, it does not rely on a later
/// writer to rewind the log, which sqlx's pooled connections were seen never to do). It
/// holds writers off while it copies, which is at most a second of writes, in the store's
/// write turn (see [`Store::write_turn`]): the writers it holds off wait there, not in
/// SQLite's busy handler. Automatic checkpoints, which run inside a shopper's commit
/// whenever the log passes 1,000 pages, made the slowest 1 % of appends twice as slow.
/// Ends when the pool is closed.
#[cfg(feature = "sqlite")]
async fn checkpoint_sqlite(pool: SqlitePool, writers: WriteTurn) {
    let mut ticks = tokio::time::interval(CHECKPOINT_EVERY);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    while !pool.is_closed() {
        ticks.tick().await;
        let _turn = writers.lock().await;
        if let Err(error) = sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
            .execute(&pool)
            .await
            && !pool.is_closed()
        {
            tracing::warn!(%error, "SQLite checkpoint failed; retrying");
        }
    }
}

/// The scheme of a URL, without anything that could be a password.
fn redact(url: &str) -> String {
    match url.split_once(':') {
        Some((scheme, _)) => format!("{scheme}:…"),
        None => "(no scheme)".to_owned(),
    }
}

/// A database operation that failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The URL names a database this build leaves out (enable the feature of that name).
    #[error("this build of leptos-consent has no {0} support: enable its `{0}` feature")]
    BackendNotBuilt(&'static str),
    /// The URL names no supported database.
    #[error(
        "unsupported database URL {0:?}: use sqlite://<file> or postgres://<user>@<host>/<database>"
    )]
    UnsupportedUrl(String),
    /// The SQLite file's directory could not be created.
    #[error("creating the database directory {0}: {1}")]
    Directory(String, std::io::Error),
    /// The database refused or could not be reached.
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    /// The schema could not be brought up to date.
    #[error("migrating the database: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// A stored row holds something this version cannot read.
    #[error("unreadable row in {table}: {reason}")]
    Corrupt {
        /// The table.
        table: &'static str,
        /// What is wrong.
        reason: String,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn refuses_unknown_urls_without_echoing_secrets() {
        let error = Store::connect("mysql://root:hunter2@db/shop")
            .await
            .unwrap_err();
        let message = error.to_string();
        assert!(message.contains("mysql:…"), "{message}");
        assert!(!message.contains("hunter2"), "{message}");
    }

    #[tokio::test]
    async fn sqlite_creates_its_file_and_directory() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nested/deeper/shop.db");
        let store = Store::connect(&format!("sqlite://{}", path.display()))
            .await
            .unwrap();
        assert_eq!(store.backend(), Backend::Sqlite);
        assert!(path.exists());
        store.close().await;
    }

    #[tokio::test]
    async fn sqlite_writers_of_every_clone_take_one_turn() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::connect(&format!(
            "sqlite://{}",
            dir.path().join("shop.db").display()
        ))
        .await
        .unwrap();
        let clone = store.clone();
        let turn = store.write_turn().await;
        assert!(turn.is_some());
        assert!(
            clone.writers.try_lock().is_err(),
            "a clone waits while the store writes"
        );
        drop(turn);
        assert!(clone.write_turn().await.is_some());
        store.close().await;
    }
}
