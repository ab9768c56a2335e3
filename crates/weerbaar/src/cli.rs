//! The command-line interface: every command, flag and its help text.

use clap::{Args, Parser, Subcommand};

use crate::output::Format;

/// weerbaar: cyber-resilience for local governments and the IT provider that hosts them.
///
/// Exit codes: 0 success, 1 the command ran but found a problem (for example a line that could
/// not be compared), 2 invalid usage.
#[derive(Debug, Parser)]
#[command(
    name = "weerbaar",
    version,
    propagate_version = true,
    max_term_width = 100
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Compare and sort package versions exactly as each ecosystem's own tool does.
    #[command(subcommand)]
    Version(VersionCommand),
}

#[derive(Debug, Subcommand)]
pub enum VersionCommand {
    /// Compare two versions, or many `A<TAB>B` pairs read from standard input.
    ///
    /// With A and B, prints `<`, `=` or `>`. Without them, reads one `A<TAB>B` pair per line from
    /// standard input and prints one result per line, in order; a line that cannot be compared
    /// prints `error: <reason>` and the rest go on. Exits 1 if any line failed.
    #[command(after_help = "Examples:\n  \
        weerbaar version compare --ecosystem Debian:12 '1:2.0~rc1-1' '1:2.0-1'\n  \
        printf '1.0a1\\t1.0\\n' | weerbaar version compare --ecosystem PyPI")]
    Compare(CompareArgs),

    /// Sort versions read from standard input (one per line), oldest first.
    ///
    /// Lines that do not parse are reported on standard error with their line number; the
    /// command then exits 1 without printing a partial order.
    Sort(SortArgs),

    /// List the supported ecosystems and the version scheme each uses.
    Ecosystems(EcosystemsArgs),
}

#[derive(Debug, Args)]
pub struct EcosystemArg {
    /// OSV ecosystem name, any case, with or without a release suffix
    /// (`Debian:12`, `AlmaLinux:9`, `PyPI`, `npm`, `generic` for NVD CPE product versions).
    #[arg(long, short = 'e', value_name = "ECO")]
    pub ecosystem: String,
}

#[derive(Debug, Args)]
pub struct CompareArgs {
    #[command(flatten)]
    pub ecosystem: EcosystemArg,

    /// The left-hand version.
    #[arg(requires = "b")]
    pub a: Option<String>,

    /// The right-hand version.
    pub b: Option<String>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct SortArgs {
    #[command(flatten)]
    pub ecosystem: EcosystemArg,

    /// Newest first.
    #[arg(long, short = 'r')]
    pub reverse: bool,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct EcosystemsArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}
