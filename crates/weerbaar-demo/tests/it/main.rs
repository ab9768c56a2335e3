//! All integration tests of weerbaar-demo, built into one binary. Store tests run on SQLite and
//! on PostgreSQL.

mod backends;
mod dataset;
mod generate;
mod seed;
