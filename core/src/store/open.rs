//! Opening a shop's database: the pragmas, the migrations, the aggregates
//! an upgrade needs, and SQLite's own soundness check.

use super::*;

impl Store {
    /// Opens (creating if needed) the database at `path` and brings its
    /// schema up to date.
    pub fn open(path: &Path) -> Result<Store> {
        if let Some(parent) = path.parent() {
            crate::paths::create_private_dir(parent)?;
        }
        let conn = connect(path, false)?;
        // The file and its WAL and shared-memory files (SQLite gives them the
        // file's own mode) are the user's alone; a file from before is tightened.
        for suffix in ["", "-wal", "-shm"] {
            let file = std::path::PathBuf::from(format!("{}{suffix}", path.display()));
            if file.exists() {
                crate::paths::restrict_to_user(&file)?;
            }
        }
        Self::from_connection(conn)
    }

    /// An in-memory database, for quick experiments (tests use real files).
    #[allow(clippy::disallowed_methods)] // The store is where connections are opened.
    pub fn open_in_memory() -> Result<Store> {
        Self::from_connection(Connection::open_in_memory()?)
    }

    fn from_connection(conn: Connection) -> Result<Store> {
        conn.busy_timeout(Duration::from_secs(10))?;
        let mut store = Store::with_connection(conn);
        // Two programs creating the same new file at once (the app and the
        // CLI on first start) can get SQLITE_BUSY without the busy handler
        // being consulted while the file switches to WAL: retry, bounded.
        let mut attempt = 0;
        loop {
            match store.prepare_connection() {
                Err(Error::Database(rusqlite::Error::SqliteFailure(e, _)))
                    if matches!(e.code, rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
                        && attempt < 200 =>
                {
                    attempt += 1;
                    std::thread::sleep(Duration::from_millis(25));
                }
                other => return other.map(|()| store),
            }
        }
    }

    fn prepare_connection(&mut self) -> Result<()> {
        // WAL for readers beside the writer; FULL so a committed receipt
        // survives power loss; foreign keys so no row points nowhere.
        self.conn.pragma_update(None, "journal_mode", "WAL")?;
        self.conn.pragma_update(None, "synchronous", "FULL")?;
        self.conn.pragma_update(None, "foreign_keys", "ON")?;
        self.migrate_to(MIGRATIONS.len())?;
        // A database upgraded from before the owner's aggregates gets them
        // built once here, at start-up, rather than inside someone's checkout.
        // Should that fail (say, a full disk), the counter still opens: the
        // owner's lists try again and show the error there.
        if super::owner::aggregates::aggregates_stale(&self.conn)? {
            // Derived figures only, no change of the shop's: no staff
            // member makes it and the audit log does not record it.
            let _ = (|| -> Result<()> {
                let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
                super::owner::aggregates::refresh_aggregates(&tx)?;
                tx.commit()?;
                Ok(())
            })();
        }
        Ok(())
    }

    /// Stops waiting for the disk at each commit (`synchronous=OFF`), for
    /// property tests that run thousands of sequences of operations: what
    /// they check is the ledgers' arithmetic, not durability, which the
    /// crash tests cover on the app's real settings.
    #[doc(hidden)]
    pub fn without_waiting_for_the_disk(self) -> Result<Store> {
        self.conn.pragma_update(None, "synchronous", "OFF")?;
        Ok(self)
    }

    /// Opens a database brought only up to schema `version` (a count of
    /// migrations), for tests of upgrades from earlier versions.
    #[doc(hidden)]
    pub fn open_at_version(path: &Path, version: usize) -> Result<Store> {
        let conn = connect(path, false)?;
        conn.busy_timeout(Duration::from_secs(10))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        let mut store = Store::with_connection(conn);
        store.migrate_to(version)?;
        Ok(store)
    }

    /// Applies migrations up to `target` (a count), each in its own
    /// IMMEDIATE transaction that re-reads the version under the write lock,
    /// so two programs opening a new file at once migrate it once.
    pub fn migrate_to(&mut self, target: usize) -> Result<()> {
        let known = MIGRATIONS.len() as i64;
        loop {
            let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let current: i64 = tx.pragma_query_value(None, "user_version", |r| r.get(0))?;
            if current > known {
                return Err(Error::SchemaTooNew { found: current, known });
            }
            let index = current as usize;
            if index >= target.min(MIGRATIONS.len()) {
                return Ok(());
            }
            tx.execute_batch(MIGRATIONS[index].1)?;
            if MIGRATIONS[index].1.contains("PRAGMA writable_schema = ON") {
                // A migration that edited a table's definition in place (a
                // CHECK loosened) bumps the schema cookie, so this connection
                // and every other one read the new definition.
                let cookie: i64 = tx.pragma_query_value(None, "schema_version", |r| r.get(0))?;
                tx.pragma_update(None, "schema_version", cookie + 1)?;
            }
            tx.pragma_update(None, "user_version", (index + 1) as i64)?;
            tx.commit()?;
        }
    }

    pub fn schema_version(&self) -> Result<i64> {
        Ok(self.conn.pragma_query_value(None, "user_version", |r| r.get(0))?)
    }

    /// `PRAGMA integrity_check` and `foreign_key_check`: "ok" when sound.
    pub fn integrity_check(&self) -> Result<String> {
        let result: String = self.conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
        let fk_problems: i64 =
            self.conn.query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| r.get(0))?;
        if result == "ok" && fk_problems > 0 {
            return Ok(format!("{fk_problems} foreign key problems"));
        }
        Ok(result)
    }
}
