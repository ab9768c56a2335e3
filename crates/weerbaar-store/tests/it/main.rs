//! All integration tests of weerbaar-store, built into one binary. Every store test runs on
//! SQLite and on PostgreSQL.

mod backends;
mod findings;
mod store;
mod tokens;
mod uploads;
