//! The API integration suite, built into one binary. Every test runs against SQLite and
//! PostgreSQL, driving the router in process.

mod api;
mod backends;
mod harness;
