//! All integration tests of weerbaar-jobs, built into one binary. Scheduler tests run on
//! SQLite and PostgreSQL, with two `Store` pools on one database standing for two instances.

#[macro_use]
extern crate weerbaar_testdb;
use weerbaar_testdb as backends;
mod feed_sync;
mod retention;
mod scheduler;
