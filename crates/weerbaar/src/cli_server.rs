//! The command line of the server side: `serve`, `admin`, `push`, `config`.

use std::path::PathBuf;

use clap::{Args, Subcommand};

use crate::output::Format;

/// Run the HTTP API server.
///
/// Settings come from the configuration file (--config or WEERBAAR_CONFIG), then the WEERBAAR_*
/// environment variables, then these flags (docs/configuration.md). Stops on SIGTERM or
/// Ctrl-C after finishing the requests in flight.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on, e.g. 127.0.0.1:8080 or [::]:8080.
    #[arg(long, value_name = "ADDR")]
    pub bind: Option<String>,
    /// The server configuration file (TOML).
    #[arg(long, env = "WEERBAAR_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,
}

/// Provider administration on the database directly: tenants and API tokens.
#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Create and list tenants.
    #[command(subcommand)]
    Tenant(AdminTenantCommand),
    /// Create, list and revoke API tokens.
    #[command(subcommand)]
    Token(AdminTokenCommand),
}

#[derive(Debug, Subcommand)]
pub enum AdminTenantCommand {
    /// Create a tenant.
    Create(AdminTenantCreateArgs),
    /// List every tenant.
    List(AdminListArgs),
}

#[derive(Debug, Args)]
pub struct AdminTenantCreateArgs {
    /// The tenant id: lowercase letters, digits and hyphens (gemeente-diest).
    pub id: String,
    /// Display name [default: the id].
    #[arg(long)]
    pub name: Option<String>,
}

#[derive(Debug, Args)]
pub struct AdminListArgs {
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
}

#[derive(Debug, Subcommand)]
pub enum AdminTokenCommand {
    /// Create a token and print it once, on standard output. It cannot be shown again.
    Create(AdminTokenCreateArgs),
    /// List a tenant's tokens (never their secrets).
    List(AdminTokenListArgs),
    /// Revoke a token at once.
    Revoke(AdminTokenRevokeArgs),
}

#[derive(Debug, Args)]
pub struct AdminTokenCreateArgs {
    /// The tenant the token acts for.
    #[arg(long)]
    pub tenant: String,
    /// What the token is for (shown in listings and the audit log), e.g. "pusher on srv01".
    #[arg(long)]
    pub name: String,
    /// What it may do: ingest (push inventories), read (read the tenant's data), admin
    /// (provider-wide). Repeat for several.
    #[arg(long = "scope", required = true, value_name = "SCOPE")]
    pub scopes: Vec<String>,
    /// Lifetime in days [default: tokens.default_days of the configuration, 90].
    #[arg(long)]
    pub days: Option<u32>,
    /// The server configuration file, for the token lifetime limits.
    #[arg(long, env = "WEERBAAR_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// `table` prints the token alone on a line; `json` an object with the token and its details.
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct AdminTokenListArgs {
    #[arg(long)]
    pub tenant: String,
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct AdminTokenRevokeArgs {
    #[arg(long)]
    pub tenant: String,
    /// The token id (from `admin token list`).
    pub id: String,
}

/// Push an inventory file to a weerbaar server, with a tenant's ingest token.
///
/// The server queues the file and imports it with the same importers as `inventory import`.
/// Exits 0 once queued (or, with --wait, once imported), 1 when the server refused or the
/// import failed.
#[derive(Debug, Args)]
pub struct PushArgs {
    /// The server's base URL, e.g. https://weerbaar.provider.example.
    #[arg(long, env = "WEERBAAR_SERVER", value_name = "URL")]
    pub server: String,
    /// A file holding the API token (wbt_…); the token is never taken on the command line,
    /// where other users could see it.
    #[arg(long, env = "WEERBAAR_TOKEN_FILE", value_name = "FILE")]
    pub token_file: PathBuf,
    /// The input format instead of detection (cyclonedx-json, dpkg-status, …).
    #[arg(long = "format", value_name = "FORMAT")]
    pub input_format: Option<String>,
    /// The asset the file describes (needed for package databases and lockfiles).
    #[arg(long)]
    pub asset: Option<String>,
    /// Wait until the server has imported the file, and report what changed.
    #[arg(long)]
    pub wait: bool,
    /// How long --wait waits, in seconds.
    #[arg(long, default_value_t = 300)]
    pub timeout: u64,
    /// Pushing again with the same key returns the first upload instead of a second one
    /// [default: derived from the file's content and name].
    #[arg(long, value_name = "KEY")]
    pub idempotency_key: Option<String>,
    /// The inventory file.
    pub file: PathBuf,
}

#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Validate the server configuration and print it as it takes effect (file, then
    /// environment), with passwords hidden. Exits 2 when it is invalid.
    Check(ConfigCheckArgs),
}

#[derive(Debug, Args)]
pub struct ConfigCheckArgs {
    #[arg(long, env = "WEERBAAR_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,
}
