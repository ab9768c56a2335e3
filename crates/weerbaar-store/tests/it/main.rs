//! All integration tests of weerbaar-store, built into one binary. Every store test runs on
//! SQLite and on PostgreSQL.

#[macro_use]
extern crate weerbaar_testdb;
mod findings;
mod jobs;
mod store;
mod tokens;
mod uploads;
