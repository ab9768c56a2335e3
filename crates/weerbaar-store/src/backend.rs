//! Everything that differs between SQLite and PostgreSQL, in one place.
//!
//! The rest of the crate writes one SQL dialect: `$n` placeholders (which SQLite accepts too),
//! `ON CONFLICT … DO UPDATE`, BIGINT/INTEGER timestamps in Unix seconds and TEXT for everything
//! else. What cannot be shared is here: connection set-up, the migration lock, and the migration
//! files themselves (kept per backend, as vaultwarden does, so each can use its native types).

use sqlx::AnyConnection;
use sqlx::any::AnyPoolOptions;
use sqlx::{Any, Executor, Pool, Transaction};

use crate::StoreError;

/// The database behind a [`crate::Store`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// One schema migration: its version and its SQL per backend.
struct Migration {
    version: i64,
    sqlite: &'static str,
    postgres: &'static str,
}

const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        sqlite: include_str!("migrations/sqlite/0001_inventory.sql"),
        postgres: include_str!("migrations/postgres/0001_inventory.sql"),
    },
    Migration {
        version: 2,
        sqlite: include_str!("migrations/sqlite/0002_findings.sql"),
        postgres: include_str!("migrations/postgres/0002_findings.sql"),
    },
    Migration {
        version: 3,
        sqlite: include_str!("migrations/sqlite/0003_exceptions.sql"),
        postgres: include_str!("migrations/postgres/0003_exceptions.sql"),
    },
    Migration {
        version: 4,
        sqlite: include_str!("migrations/sqlite/0004_portfolio_packages.sql"),
        postgres: include_str!("migrations/postgres/0004_portfolio_packages.sql"),
    },
    Migration {
        version: 5,
        sqlite: include_str!("migrations/sqlite/0005_api_tokens.sql"),
        postgres: include_str!("migrations/postgres/0005_api_tokens.sql"),
    },
    Migration {
        version: 6,
        sqlite: include_str!("migrations/sqlite/0006_uploads.sql"),
        postgres: include_str!("migrations/postgres/0006_uploads.sql"),
    },
    Migration {
        version: 7,
        sqlite: include_str!("migrations/sqlite/0007_jobs.sql"),
        postgres: include_str!("migrations/postgres/0007_jobs.sql"),
    },
    Migration {
        version: 8,
        sqlite: include_str!("migrations/sqlite/0008_read_paths.sql"),
        postgres: include_str!("migrations/postgres/0008_read_paths.sql"),
    },
];

/// The newest schema version this binary knows.
pub const SCHEMA_VERSION: i64 = 8;

impl Backend {
    /// Picks the backend from a database URL.
    ///
    /// # Errors
    /// [`StoreError::UnsupportedUrl`].
    pub fn from_url(url: &str) -> Result<Self, StoreError> {
        if url.starts_with("sqlite:") {
            Ok(Backend::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Backend::Postgres)
        } else {
            Err(StoreError::UnsupportedUrl { url: redact(url) })
        }
    }

    /// Opens a pool with the per-connection settings this backend needs.
    pub(crate) async fn connect(self, url: &str) -> Result<Pool<Any>, StoreError> {
        sqlx::any::install_default_drivers();
        let options = AnyPoolOptions::new();
        let pool = match self {
            // WAL lets readers (the web UI) run while an import writes; foreign keys are off by
            // default in SQLite; the busy timeout makes concurrent CLI runs wait instead of fail.
            Backend::Sqlite => {
                options
                    .max_connections(4)
                    .after_connect(|conn: &mut AnyConnection, _| {
                        Box::pin(async move {
                            conn.execute(
                                "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; \
                                 PRAGMA busy_timeout = 10000; PRAGMA synchronous = NORMAL; \
                                 PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY;",
                            )
                            .await?;
                            Ok(())
                        })
                    })
                    .connect(url)
                    .await?
            }
            Backend::Postgres => options.max_connections(8).connect(url).await?,
        };
        Ok(pool)
    }

    /// `VALUES` rows of bind parameters for a multi-row INSERT: `(?,?),(?,?)` on SQLite,
    /// `($1,$2),($3,$4)` on PostgreSQL.
    ///
    /// SQLite accepts `$n` too, but resolves each named parameter with a linear scan
    /// (`sqlite3_bind_parameter_name`), which makes a 7,500-parameter statement quadratic: a
    /// 100k-component import spent 87% of 20 s there. Anonymous `?` skips the lookup.
    pub(crate) fn values_rows(self, rows: usize, columns: usize) -> String {
        let mut sql = String::with_capacity(rows * columns * 6);
        for row in 0..rows {
            sql.push_str(if row == 0 { "(" } else { ",(" });
            for col in 0..columns {
                if col > 0 {
                    sql.push(',');
                }
                match self {
                    Backend::Sqlite => sql.push('?'),
                    Backend::Postgres => {
                        sql.push('$');
                        sql.push_str(&(row * columns + col + 1).to_string());
                    }
                }
            }
            sql.push(')');
        }
        sql
    }

    /// Begins a transaction that will write.
    ///
    /// On SQLite a plain `BEGIN` is deferred: two connections that both read first and then
    /// write fail with `SQLITE_BUSY` (the second one's read snapshot is stale once the first
    /// commits, and the busy timeout does not apply to that). `BEGIN IMMEDIATE` takes the write
    /// lock at once, so concurrent writers queue on the busy timeout instead. PostgreSQL locks
    /// rows as it goes ([`Backend::lock_assets`]).
    pub(crate) async fn begin_write(
        self,
        pool: &Pool<Any>,
    ) -> Result<Transaction<'static, Any>, StoreError> {
        Ok(match self {
            Backend::Sqlite => pool.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => pool.begin().await?,
        })
    }

    /// Serialises writers of the same assets until the transaction ends: two instances
    /// importing one asset at once would otherwise both read the old component set and both
    /// replace it. PostgreSQL takes a transaction-scoped advisory lock per (tenant, asset), in
    /// sorted order so that two multi-asset imports cannot deadlock; the asset row itself may not
    /// exist yet, so it cannot be the lock. SQLite holds the database write lock already
    /// ([`Backend::begin_write`]).
    pub(crate) async fn lock_assets(
        self,
        tx: &mut Transaction<'_, Any>,
        tenant: &str,
        asset_keys: &[String],
    ) -> Result<(), StoreError> {
        if self == Backend::Sqlite {
            return Ok(());
        }
        let mut keys: Vec<&String> = asset_keys.iter().collect();
        keys.sort();
        keys.dedup();
        for key in keys {
            // Two 32-bit keys: a hash collision only makes two unrelated imports wait in turn.
            sqlx::query(
                "SELECT 1 FROM (SELECT pg_advisory_xact_lock(hashtext($1), hashtext($2))) AS l",
            )
            .bind(tenant)
            .bind(key.as_str())
            .execute(&mut **tx)
            .await?;
        }
        Ok(())
    }

    /// The suffix that makes a claiming `SELECT` lock its row and pass over rows another
    /// instance is claiming (PostgreSQL). SQLite needs none: the claim runs under the database
    /// write lock.
    pub(crate) fn skip_locked(self) -> &'static str {
        match self {
            Backend::Sqlite => "",
            Backend::Postgres => " FOR UPDATE SKIP LOCKED",
        }
    }

    /// Asks the database to verify its own structures; returns the problems found (none: ok).
    ///
    /// SQLite checks every page, index and foreign key (`integrity_check`, `foreign_key_check`):
    /// what a crash or a half-written file would break. PostgreSQL keeps its files consistent
    /// through its write-ahead log and has no built-in equivalent without extensions (amcheck),
    /// so there the check is that the server answers and the schema is current.
    pub(crate) async fn integrity_check(self, pool: &Pool<Any>) -> Result<Vec<String>, StoreError> {
        let mut problems = Vec::new();
        match self {
            Backend::Sqlite => {
                let rows: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check")
                    .fetch_all(pool)
                    .await?;
                problems.extend(rows.into_iter().filter(|r| r != "ok"));
                let broken = sqlx::query("PRAGMA foreign_key_check")
                    .fetch_all(pool)
                    .await?;
                if !broken.is_empty() {
                    problems.push(format!("{} rows break a foreign key", broken.len()));
                }
            }
            Backend::Postgres => {
                sqlx::query("SELECT 1").execute(pool).await?;
            }
        }
        let version: Option<i64> = sqlx::query_scalar("SELECT MAX(version) FROM schema_migrations")
            .fetch_one(pool)
            .await?;
        if version != Some(SCHEMA_VERSION) {
            problems.push(format!(
                "schema version {version:?}, this binary expects {SCHEMA_VERSION}"
            ));
        }
        Ok(problems)
    }

    /// Takes the lock that serialises migrations between instances starting at the same time.
    async fn lock_for_migration(self, tx: &mut Transaction<'_, Any>) -> Result<(), StoreError> {
        match self {
            // Held until the transaction ends; the key is arbitrary but fixed.
            Backend::Postgres => {
                sqlx::query("SELECT pg_advisory_xact_lock(74657272)")
                    .execute(&mut **tx)
                    .await?;
            }
            // A write takes SQLite's RESERVED lock at once, so a second process waits (busy
            // timeout) before it reads the applied versions, not after.
            Backend::Sqlite => {
                sqlx::query("DELETE FROM schema_migrations WHERE version < 0")
                    .execute(&mut **tx)
                    .await?;
            }
        }
        Ok(())
    }

    /// Applies every migration not yet applied, in one transaction.
    pub(crate) async fn migrate(self, pool: &Pool<Any>) -> Result<(), StoreError> {
        sqlx::query(
            "CREATE TABLE IF NOT EXISTS schema_migrations \
             (version BIGINT NOT NULL PRIMARY KEY, applied_at BIGINT NOT NULL)",
        )
        .execute(pool)
        .await?;
        let mut tx = pool.begin().await?;
        self.lock_for_migration(&mut tx).await?;
        let current: Option<i64> = sqlx::query_scalar("SELECT MAX(version) FROM schema_migrations")
            .fetch_one(&mut *tx)
            .await?;
        let current = current.unwrap_or(0);
        if current > SCHEMA_VERSION {
            return Err(StoreError::SchemaTooNew {
                found: current,
                known: SCHEMA_VERSION,
            });
        }
        for migration in MIGRATIONS.iter().filter(|m| m.version > current) {
            let sql = match self {
                Backend::Sqlite => migration.sqlite,
                Backend::Postgres => migration.postgres,
            };
            (&mut *tx).execute(sql).await?;
            sqlx::query("INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)")
                .bind(migration.version)
                .bind(crate::now())
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }
}

/// Hides a password in a URL before it reaches an error message or a log.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let userinfo = &url[scheme_end + 3..at];
            match userinfo.find(':') {
                Some(colon) => format!(
                    "{}{}:***{}",
                    &url[..scheme_end + 3],
                    &userinfo[..colon],
                    &url[at..]
                ),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_rows_use_each_backends_cheap_placeholders() {
        assert_eq!(Backend::Sqlite.values_rows(2, 2), "(?,?),(?,?)");
        assert_eq!(Backend::Postgres.values_rows(2, 2), "($1,$2),($3,$4)");
    }

    #[test]
    fn passwords_never_reach_messages() {
        assert_eq!(
            redact("postgres://app:s3cret@db.example/weerbaar"),
            "postgres://app:***@db.example/weerbaar"
        );
        assert_eq!(redact("postgres://app@db/w"), "postgres://app@db/w");
        assert_eq!(redact("sqlite:///tmp/x.db"), "sqlite:///tmp/x.db");
        let err = Backend::from_url("mysql://root:pw@h/db").expect_err("unsupported");
        assert!(!err.to_string().contains("pw@"), "{err}");
    }
}
