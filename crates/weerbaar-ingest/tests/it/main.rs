//! All integration tests of weerbaar-ingest, built into one binary. Every test runs on SQLite and
//! on PostgreSQL, with the store's own test databases.

#[path = "../../../weerbaar-store/tests/it/backends.rs"]
mod backends;
mod worker;
