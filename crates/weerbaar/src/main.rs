//! The `weerbaar` binary: a thin shell around the library crates.
//!
//! `main` only parses arguments, runs the command and turns its outcome into an exit code; the
//! work lives in `commands/`, and the domain logic in the `weerbaar-*` library crates.

use std::process::ExitCode;

use clap::Parser;

mod alerts;
mod cli;
mod cli_server;
mod commands;
mod knowledge;
mod output;
mod storage;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    match commands::run(cli) {
        Ok(status) => status.into(),
        // `weerbaar inventory show … | head` closes the pipe early; that is not an error.
        Err(err)
            if err
                .downcast_ref::<std::io::Error>()
                .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe) =>
        {
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("error: {err:#}");
            commands::Status::Failure.into()
        }
    }
}
