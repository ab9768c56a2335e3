//! The API integration suite, built into one binary. Every test runs against SQLite and
//! PostgreSQL, driving the router in process.

mod api;
#[macro_use]
extern crate weerbaar_testdb;
mod harness;
