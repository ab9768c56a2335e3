//! All integration tests of weerbaar-demo, built into one binary. Store tests run on SQLite and
//! on PostgreSQL.

#[macro_use]
extern crate weerbaar_testdb;
mod dataset;
mod generate;
mod seed;
