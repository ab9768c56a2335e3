//! All integration tests of weerbaar-ingest, built into one binary. Every test runs on SQLite and
//! on PostgreSQL, with the store's own test databases.

#[macro_use]
extern crate weerbaar_testdb;
mod worker;
