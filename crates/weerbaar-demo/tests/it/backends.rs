//! Test databases: a fresh SQLite file or a fresh PostgreSQL database per test, dropped after.
//!
//! PostgreSQL is reached at `WEERBAAR_TEST_POSTGRES` (default
//! `postgres://postgres@127.0.0.1:5432/postgres`). When it is unreachable the PostgreSQL variant
//! reports itself skipped on a developer machine, and fails under CI (`CI` set) or when the
//! variable was given explicitly: there, a missing database is a broken setup, not a pass.

use std::sync::atomic::{AtomicU32, Ordering};

use sqlx::Connection;
use weerbaar_store::Store;

const DEFAULT_ADMIN_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";

/// A database that exists for one test.
pub struct TestDb {
    pub store: Store,
    cleanup: Cleanup,
}

enum Cleanup {
    Sqlite(std::path::PathBuf),
    Postgres { admin_url: String, name: String },
}

fn unique(prefix: &str) -> String {
    static N: AtomicU32 = AtomicU32::new(0);
    format!(
        "{prefix}_{}_{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    )
}

pub async fn sqlite() -> TestDb {
    let dir = std::env::temp_dir().join(unique("weerbaar_demo_test"));
    let store = Store::open_data_dir(&dir).await.expect("open sqlite store");
    TestDb {
        store,
        cleanup: Cleanup::Sqlite(dir),
    }
}

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
        store,
        cleanup: Cleanup::Postgres { admin_url, name },
    })
}

impl TestDb {
    pub async fn drop(self) {
        self.store.close().await;
        match self.cleanup {
            Cleanup::Sqlite(dir) => {
                let _ = std::fs::remove_dir_all(dir);
            }
            Cleanup::Postgres { admin_url, name } => {
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
                let db = $crate::backends::sqlite().await;
                ($body)(db.store.clone()).await;
                db.drop().await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let Some(db) = $crate::backends::postgres().await else {
                    return;
                };
                ($body)(db.store.clone()).await;
                db.drop().await;
            }
        }
    };
}
