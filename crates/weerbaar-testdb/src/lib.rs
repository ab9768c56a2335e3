//! Test databases for every crate that stores: a fresh SQLite file or a fresh PostgreSQL
//! database per test, dropped after, with the URL kept so a test can open a second pool (a
//! second instance) on the same database, and a scratch directory beside it.
//!
//! One test body runs on both backends through the macros ([`store_test!`], [`store_test_url!`],
//! [`db_test!`]): that is how "one code path over SQLite and PostgreSQL" stays true. A crate's
//! test binary takes them with `#[macro_use] extern crate weerbaar_testdb;`.
//!
//! PostgreSQL is reached at `WEERBAAR_TEST_POSTGRES` (default
//! `postgres://postgres@127.0.0.1:5432/postgres`). When it is unreachable the PostgreSQL variant
//! reports itself skipped on a developer machine, and fails under CI (`CI` set) or when the
//! variable was given explicitly.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};

use sqlx::Connection;
use weerbaar_store::Store;

const DEFAULT_ADMIN_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";

/// A database that exists for one test.
#[derive(Debug)]
pub struct TestDb {
    pub url: String,
    pub store: Store,
    /// A scratch directory (the SQLite file lives here; tests put feeds here too).
    pub dir: PathBuf,
    admin: Option<(String, String)>,
}

fn unique(prefix: &str) -> String {
    static N: AtomicU32 = AtomicU32::new(0);
    format!(
        "{prefix}_{}_{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    )
}

fn scratch() -> PathBuf {
    let dir = std::env::temp_dir().join(unique("weerbaar_test"));
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

/// A fresh SQLite database in its own scratch directory.
pub async fn sqlite() -> TestDb {
    let dir = scratch();
    let url = weerbaar_store::sqlite_url(&dir.join(weerbaar_store::SQLITE_FILE));
    let store = Store::open(&url).await.expect("open sqlite store");
    TestDb {
        url,
        store,
        dir,
        admin: None,
    }
}

/// A fresh PostgreSQL database, or `None` (after printing `skipped:`) when the server is
/// unreachable on a developer machine.
///
/// # Panics
/// When PostgreSQL is required (CI, or `WEERBAAR_TEST_POSTGRES` set) but unreachable.
pub async fn postgres() -> Option<TestDb> {
    let explicit = std::env::var("WEERBAAR_TEST_POSTGRES").ok();
    let required = explicit.is_some() || std::env::var_os("CI").is_some();
    let admin_url = explicit.unwrap_or_else(|| DEFAULT_ADMIN_URL.to_owned());
    sqlx::any::install_default_drivers();
    let mut admin = match sqlx::AnyConnection::connect(&admin_url).await {
        Ok(conn) => conn,
        Err(e) if !required => {
            eprintln!("skipped: PostgreSQL at {admin_url} is unreachable ({e})");
            return None;
        }
        Err(e) => panic!("PostgreSQL at {admin_url} is required here but unreachable: {e}"),
    };
    let name = unique("weerbaar_test");
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&mut admin)
        .await
        .expect("create test database");
    let url = match admin_url.rfind('/') {
        Some(i) => format!("{}/{name}", &admin_url[..i]),
        None => panic!("no database in {admin_url}"),
    };
    let store = Store::open(&url).await.expect("open postgres store");
    Some(TestDb {
        url,
        store,
        dir: scratch(),
        admin: Some((admin_url, name)),
    })
}

impl TestDb {
    /// Another pool on the same database: another instance.
    ///
    /// # Panics
    /// When the database cannot be opened.
    pub async fn second(&self) -> Store {
        Store::open(&self.url).await.expect("open a second pool")
    }

    /// Closes the store and removes the database and the scratch directory.
    pub async fn drop(self) {
        self.store.close().await;
        let _ = std::fs::remove_dir_all(&self.dir);
        if let Some((admin_url, name)) = self.admin {
            let mut admin = sqlx::AnyConnection::connect(&admin_url)
                .await
                .expect("reconnect to drop the test database");
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
            )))
            .execute(&mut admin)
            .await
            .expect("drop test database");
        }
    }
}

/// Defines `name::sqlite` and `name::postgres` tests that run `body(&db)`: for tests that need
/// the URL, the scratch directory or a second pool.
#[macro_export]
macro_rules! db_test {
    ($name:ident, $body:expr) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let db = $crate::sqlite().await;
                ($body)(&db).await;
                db.drop().await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let Some(db) = $crate::postgres().await else {
                    return;
                };
                ($body)(&db).await;
                db.drop().await;
            }
        }
    };
}

/// Defines `name::sqlite` and `name::postgres` tests that run `body(store)`.
#[macro_export]
macro_rules! store_test {
    ($name:ident, $body:expr) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let db = $crate::sqlite().await;
                ($body)(db.store.clone()).await;
                db.drop().await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let Some(db) = $crate::postgres().await else {
                    return;
                };
                ($body)(db.store.clone()).await;
                db.drop().await;
            }
        }
    };
}

/// As [`store_test!`], for tests that also need the database URL: `body(store, url)`.
#[macro_export]
macro_rules! store_test_url {
    ($name:ident, $body:expr) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let db = $crate::sqlite().await;
                ($body)(db.store.clone(), db.url.clone()).await;
                db.drop().await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let Some(db) = $crate::postgres().await else {
                    return;
                };
                ($body)(db.store.clone(), db.url.clone()).await;
                db.drop().await;
            }
        }
    };
}
