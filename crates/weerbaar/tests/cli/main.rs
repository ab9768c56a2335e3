//! End-to-end tests of the `weerbaar` binary: real process, real arguments, real exit codes.

mod audit_parity;
mod crash;
mod feeds;
mod http;
mod instances;
mod inventory;
mod notify;
mod plan;
mod scan;
mod server;
mod tracking;
mod version;

use std::io::Write;
use std::process::{Command, Output, Stdio};

/// Runs `weerbaar` with `args`, feeding `stdin`.
pub fn weerbaar(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_weerbaar"))
        .args(args)
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn weerbaar");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_bytes())
        .expect("write stdin");
    child.wait_with_output().expect("wait for weerbaar")
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).expect("utf8 output")
}
