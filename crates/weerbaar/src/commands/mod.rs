//! One module per command group; each turns parsed arguments into output and a [`Status`].

use std::process::ExitCode;

use anyhow::Context;

use crate::cli::{Cli, Command};

mod collect;
mod demo;
mod exception;
mod feeds;
mod findings;
mod inventory;
mod plan;
mod scan;
mod server;
mod tenant;
mod version;

/// How a command ended, as the exit code documented in `weerbaar --help`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Everything asked for was done.
    Success,
    /// The command ran, but some input could not be processed (reported as it went).
    Failure,
    /// The invocation itself was wrong (unknown ecosystem, missing argument).
    Usage,
    /// `scan` ran and found vulnerabilities.
    Findings,
}

impl From<Status> for ExitCode {
    fn from(status: Status) -> Self {
        match status {
            Status::Success => ExitCode::SUCCESS,
            Status::Failure => ExitCode::from(1),
            Status::Usage => ExitCode::from(2),
            Status::Findings => ExitCode::from(3),
        }
    }
}

/// Runs the chosen command.
pub fn run(cli: Cli) -> anyhow::Result<Status> {
    match cli.command {
        Command::Demo(args) => {
            let serve = args.command.is_none() && !args.no_serve;
            let bind = args.bind.clone();
            let status = runtime()?.block_on(demo::run(&cli.storage, args))?;
            if serve && status == Status::Success {
                server::serve(
                    &cli.storage,
                    &crate::cli_server::ServeArgs {
                        bind: Some(bind),
                        config: None,
                    },
                )
            } else {
                Ok(status)
            }
        }
        Command::Version(cmd) => version::run(cmd),
        Command::Collect(args) => collect::run(&args),
        Command::Feeds(cmd) => feeds::run(&cli.storage, cmd),
        Command::Scan(args) => scan::run(&cli.storage, &args),
        Command::Findings(cmd) => runtime()?.block_on(findings::run(&cli.storage, cmd)),
        Command::Plan(args) => runtime()?.block_on(plan::plan(&cli.storage, &args)),
        Command::Exception(cmd) => runtime()?.block_on(exception::run(&cli.storage, cmd)),
        Command::Exposure(args) => runtime()?.block_on(plan::exposure(&cli.storage, &args)),
        Command::Tenant(cmd) => runtime()?.block_on(tenant::run(&cli.storage, cmd)),
        Command::Inventory(cmd) => runtime()?.block_on(inventory::run(&cli.storage, cmd)),
        Command::Serve(args) => server::serve(&cli.storage, &args),
        Command::Admin(cmd) => runtime()?.block_on(server::admin(&cli.storage, cmd)),
        Command::Push(args) => server::push(&args),
        Command::Config(cmd) => server::config(cmd),
    }
}

/// The async runtime for commands that use the database; commands that don't never start one.
fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")
}
