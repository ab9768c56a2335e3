//! Integration tests of weerbaar-notify, one binary: real sockets on 127.0.0.1 (an SMTP sink
//! and an HTTP receiver written here, TLS with a test CA), real alerts from weerbaar-plan.

mod common;
mod config;
mod email;
mod secrets;
#[cfg(feature = "tls")]
mod tls;
mod webhook;
