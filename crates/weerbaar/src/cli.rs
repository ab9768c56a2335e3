//! The command-line interface: every command, flag and its help text.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::output::Format;

/// weerbaar: cyber-resilience for local governments and the IT provider that hosts them.
///
/// Exit codes: 0 success, 1 the command ran but found a problem (for example a line that could
/// not be compared), 2 invalid usage, 3 `scan` found vulnerabilities.
#[derive(Debug, Parser)]
#[command(
    name = "weerbaar",
    version,
    propagate_version = true,
    max_term_width = 100
)]
pub struct Cli {
    #[command(flatten)]
    pub storage: StorageArgs,

    #[command(subcommand)]
    pub command: Command,
}

/// Where weerbaar keeps its data.
#[derive(Debug, Args)]
pub struct StorageArgs {
    /// Directory of the default SQLite database [default: $XDG_DATA_HOME/weerbaar, or
    /// ~/.local/share/weerbaar]
    #[arg(long, global = true, env = "WEERBAAR_DATA_DIR", value_name = "DIR")]
    pub data_dir: Option<PathBuf>,

    /// Database URL instead of the data directory: `postgres://USER@HOST/DB` or
    /// `sqlite://PATH`. The password is never printed.
    #[arg(
        long,
        global = true,
        env = "WEERBAAR_DATABASE_URL",
        value_name = "URL",
        hide_env_values = true
    )]
    pub database: Option<String>,
}

// Parsed once per process: the size of the largest variant costs nothing worth boxing for.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Show weerbaar at work: seed a demo provider with seven municipalities, then the overview.
    ///
    /// Creates seven fictional municipalities (tenants `demo-…`, named "… (demo)") with
    /// realistic estates (Linux servers, a VPN appliance, ESXi and vCenter, a mail server,
    /// workstations, the civil-affairs application), and matches them against the stored feeds,
    /// or without them against weerbaar's own demo advisories. Safe to run again: nothing is
    /// duplicated. `demo generate` makes the synthetic portfolio for load tests.
    Demo(DemoArgs),

    /// Compare and sort package versions exactly as each ecosystem's own tool does.
    #[command(subcommand)]
    Version(VersionCommand),

    /// Manage tenants: the municipalities (and the provider) whose data weerbaar keeps apart.
    #[command(subcommand)]
    Tenant(TenantCommand),

    /// Import, list and show what is installed on each asset.
    #[command(subcommand)]
    Inventory(InventoryCommand),

    /// Inventory this machine (or a mounted root filesystem) as a CycloneDX 1.6 SBOM.
    ///
    /// Reads os-release and the dpkg, apk or rpm package database under ROOT and writes CycloneDX
    /// 1.6 JSON to standard output or to --output.
    Collect(CollectArgs),

    /// Download, import and check the advisory feeds (OSV, NVD, KEV, EPSS) in the data directory.
    #[command(subcommand)]
    Feeds(FeedsCommand),

    /// Scan inventory files for known vulnerabilities, without storing anything.
    ///
    /// Reads the files as `inventory import` does, matches every component against the stored
    /// feeds (or the --advisories files), and prints one finding per vulnerability per package,
    /// most urgent first: KEV-listed, then by CVSS base score (computed from the vector), then
    /// by EPSS. `--format json` prints the documented `weerbaar.scan/1` report
    /// (docs/scan-report.md). Exits 3 when it finds vulnerabilities (0 with --exit-zero).
    Scan(ScanArgs),

    /// Track findings: rematch a tenant's stored inventories against the feeds, list them.
    ///
    /// `inventory import` rematches the assets it imported by itself when feeds are stored;
    /// `findings refresh` rematches a whole tenant (after `feeds sync`, for instance).
    #[command(subcommand)]
    Findings(FindingsCommand),

    /// The patch plan of a tenant: fix actions by SSVC priority (Act, Attend, Track*, Track)
    /// and due date, with the hosts each touches.
    ///
    /// Due dates follow the policy: KEV 14 days (or KEV's own earlier due date), CVSS critical
    /// on an internet-facing asset 7, critical 15, high 30, medium 90, low 180 days; a policy
    /// file (--policy or WEERBAAR_POLICY, TOML with [default] and [tenant.<slug>] tables)
    /// overrides them. `--format html` is a self-contained page that prints on A4.
    Plan(PlanArgs),

    /// Record decisions about findings (VEX-style): not affected, accepted risk until a day,
    /// false positive. Findings under an exception in force leave the patch plan; an accepted
    /// risk that expires reopens them. CycloneDX VEX documents import and export.
    #[command(subcommand)]
    Exception(ExceptionCommand),

    /// Which tenants and assets are exposed to a vulnerability, by any id or alias
    /// (CVE-2024-3400, a GHSA, a DSA…), with the installed version, the fix and the due date.
    Exposure(ExposureArgs),

    /// Run the HTTP API server (REST API under /api/v1, OpenAPI at /api/v1/openapi.json).
    Serve(crate::cli_server::ServeArgs),

    /// Provider administration: tenants and API tokens.
    #[command(subcommand)]
    Admin(crate::cli_server::AdminCommand),

    /// Push an inventory file to a weerbaar server with a tenant's API token.
    Push(crate::cli_server::PushArgs),

    /// Check the server configuration.
    #[command(subcommand)]
    Config(crate::cli_server::ConfigCommand),
}

#[derive(Debug, Subcommand)]
pub enum ExceptionCommand {
    /// Record one exception.
    Add(ExceptionAddArgs),
    /// List the tenant's exceptions.
    List(ExceptionListArgs),
    /// Revoke an exception (kept in the record, no longer applied).
    Revoke(ExceptionRevokeArgs),
    /// Import the analyses of a CycloneDX VEX document (all or nothing).
    Import(VexImportArgs),
    /// Export the exceptions in force as a CycloneDX 1.6 VEX document.
    Export(VexExportArgs),
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("decision").required(true).args(["not_affected", "accepted_until", "false_positive"])))]
pub struct ExceptionAddArgs {
    #[command(flatten)]
    pub tenant: TenantArg,
    /// The vulnerability: any of its ids (CVE, GHSA, OSV, distribution advisory).
    #[arg(long, value_name = "ID")]
    pub advisory: String,
    /// Only this package (a name, or a purl; without a version every version).
    #[arg(long, value_name = "PACKAGE")]
    pub package: Option<String>,
    /// Only this asset.
    #[arg(long, value_name = "NAME")]
    pub asset: Option<String>,
    /// Not affected, with a CycloneDX justification: code_not_present, code_not_reachable,
    /// requires_configuration, requires_dependency, requires_environment,
    /// protected_by_compiler, protected_at_runtime, protected_at_perimeter,
    /// protected_by_mitigating_control (OpenVEX's names are accepted too).
    #[arg(long, value_name = "JUSTIFICATION")]
    pub not_affected: Option<String>,
    /// The risk is accepted until this day (YYYY-MM-DD); from then on the finding is open.
    #[arg(long, value_name = "DATE")]
    pub accepted_until: Option<String>,
    /// The finding is a false positive.
    #[arg(long)]
    pub false_positive: bool,
    /// Why (kept with the exception and in the audit log).
    #[arg(long, value_name = "TEXT")]
    pub reason: String,
}

#[derive(Debug, Args)]
pub struct ExceptionListArgs {
    #[command(flatten)]
    pub tenant: TenantArg,
    /// Include revoked exceptions.
    #[arg(long)]
    pub all: bool,
    #[command(flatten)]
    pub format: FormatArg,
}

#[derive(Debug, Args)]
pub struct ExceptionRevokeArgs {
    #[command(flatten)]
    pub tenant: TenantArg,
    /// The exception id (see `exception list`).
    #[arg(value_name = "ID")]
    pub id: String,
}

#[derive(Debug, Args)]
pub struct VexImportArgs {
    #[command(flatten)]
    pub tenant: TenantArg,
    /// The CycloneDX VEX document (JSON).
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// The asset the document is about, when it is one asset's VEX.
    #[arg(long, value_name = "NAME")]
    pub asset: Option<String>,
}

#[derive(Debug, Args)]
pub struct VexExportArgs {
    #[command(flatten)]
    pub tenant: TenantArg,
    /// Write to this file instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum FindingsCommand {
    /// Rematch every stored component of a tenant; new findings open, vanished ones resolve.
    Refresh(RefreshArgs),
    /// List a tenant's findings: open and resolved, with first and last seen.
    List(FindingsListArgs),
    /// Remediation over time: time to remediate (median, p90), late fixes, and the number of
    /// overdue findings on each day of a period, as a chart.
    Stats(FindingsStatsArgs),
}

#[derive(Debug, Args)]
pub struct FindingsStatsArgs {
    #[command(flatten)]
    pub tenant: TenantArg,
    #[command(flatten)]
    pub policy: PolicyArgs,
    /// First day of the overdue series (YYYY-MM-DD) [default: 90 days before --today].
    #[arg(long, value_name = "DATE")]
    pub from: Option<String>,
    /// Days between points of the series.
    #[arg(long, value_name = "DAYS", default_value_t = 7)]
    pub step: u16,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct RefreshArgs {
    #[command(flatten)]
    pub tenant: TenantArg,
    /// Advisory feed files instead of the stored feeds (repeat).
    #[arg(long = "advisories", value_name = "PATH")]
    pub advisories: Vec<PathBuf>,
    /// Extra vendor/product → CPE rows (see `scan --help`).
    #[arg(long, value_name = "FILE")]
    pub cpe_mapping: Option<PathBuf>,
    /// Matching threads [default: the number of CPUs].
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct FindingsListArgs {
    #[command(flatten)]
    pub tenant: TenantArg,
    /// Only findings that are not resolved.
    #[arg(long)]
    pub open: bool,
    /// Only findings first seen on or after this day (YYYY-MM-DD, Brussels time): what a feed
    /// update or a new inventory introduced.
    #[arg(long, value_name = "DATE")]
    pub new_since: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// How the plan is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum PlanFormat {
    /// Aligned text.
    Table,
    /// The whole plan as JSON (actions with their findings, priorities and due dates).
    Json,
    /// One row per action, for spreadsheets.
    Csv,
    /// A self-contained printable page.
    Html,
}

/// Options shared by the commands that judge findings (plan, exposure).
#[derive(Debug, Args)]
pub struct PolicyArgs {
    /// Due-date policy file (TOML) [default: the built-in policy].
    #[arg(long, env = "WEERBAAR_POLICY", value_name = "FILE")]
    pub policy: Option<PathBuf>,
    /// The day to judge on (YYYY-MM-DD) [default: today, Brussels time].
    #[arg(long, value_name = "DATE")]
    pub today: Option<String>,
}

#[derive(Debug, Args)]
pub struct PlanArgs {
    #[command(flatten)]
    pub tenant: TenantArg,
    #[command(flatten)]
    pub policy: PolicyArgs,
    /// Language of titles and reasons: en or nl-BE.
    #[arg(long, default_value = "en", value_name = "LANG")]
    pub lang: String,
    /// Output format.
    #[arg(long, value_enum, default_value_t = PlanFormat::Table)]
    pub format: PlanFormat,
    /// Write to this file instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ExposureArgs {
    /// The vulnerability: a CVE, GHSA, OSV or distribution advisory id.
    #[arg(value_name = "ID")]
    pub id: String,
    #[command(flatten)]
    pub policy: PolicyArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct ScanArgs {
    #[command(flatten)]
    pub input: InputArgs,

    /// Advisory feed files or OSV directories to match against instead of the stored feeds
    /// (repeat; OSV, NVD, KEV and EPSS are recognised by content).
    #[arg(long = "advisories", value_name = "PATH")]
    pub advisories: Vec<PathBuf>,

    /// Extra vendor/product → CPE rows for components without an ecosystem (appliances,
    /// Windows software), on top of the built-in table (same CSV format; a row here replaces a
    /// built-in row with the same name).
    #[arg(long, value_name = "FILE")]
    pub cpe_mapping: Option<PathBuf>,

    /// Matching threads [default: the number of CPUs].
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,

    /// Exit 0 even when vulnerabilities are found.
    #[arg(long)]
    pub exit_zero: bool,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(Debug, Subcommand)]
pub enum FeedsCommand {
    /// Import feed files you downloaded yourself (for machines without internet access).
    ///
    /// Each PATH is recognised by its content: an OSV record, JSON Lines, zip or directory tree;
    /// an NVD CVE 2.0 document; the KEV catalog (JSON or CSV); EPSS scores (CSV, plain or gzip).
    /// Every file is parsed in full before anything is stored; if one fails, nothing is stored.
    Import(FeedsImportArgs),

    /// Download the feeds from their publishers, verify them, and replace the stored copies.
    ///
    /// Each file is downloaded to a temporary file, checked (every announced byte arrived, the
    /// whole file parses) and only then renamed over the previous one; a failed source keeps its
    /// previous data. Unchanged files cost one conditional request (304 Not Modified).
    /// Progress goes to standard error. Exits 1 if any source failed.
    #[command(
        after_help = "URLs (each source's list: --url beats the environment beats the default):\n  \
        --url kev=URL                 WEERBAAR_FEED_KEV_URL\n  \
        --url epss=URL                WEERBAAR_FEED_EPSS_URL\n  \
        --url osv=URL (repeat)        WEERBAAR_FEED_OSV_URL (comma-separated)\n  \
        --url nvd=URL                 WEERBAAR_FEED_NVD_URL (WEERBAAR_NVD_API_KEY for a key)\n\n\
        Proxy: --proxy URL, or HTTPS_PROXY / HTTP_PROXY / ALL_PROXY; NO_PROXY is honoured."
    )]
    Sync(FeedsSyncArgs),

    /// Show each feed's files, record count and age, warning when one is stale.
    ///
    /// Stale means older than two days (KEV, EPSS, OSV) or seven days (NVD) since the last
    /// successful sync or import. Always exits 0: the warning is information, not a failure.
    Status(FormatArg),
}

#[derive(Debug, Args)]
pub struct FeedsImportArgs {
    /// Feed files or OSV directories.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Output format of the import summary.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Do not bring the stored findings up to date with the new feeds (by default, when
    /// tenants exist, the findings of the changed advisories are rematched across every
    /// tenant: new ones open, withdrawn or corrected ones resolve).
    #[arg(long)]
    pub no_rematch: bool,
}

#[derive(Debug, Args)]
pub struct FeedsSyncArgs {
    /// Sync only this source (osv, nvd, kev, epss); repeat for several [default: all].
    #[arg(long = "source", short = 's', value_name = "SOURCE")]
    pub sources: Vec<String>,
    /// Fetch SOURCE from URL instead of its default (`kev=https://mirror/kev.json`); repeat
    /// for several URLs of one source.
    #[arg(long = "url", value_name = "SOURCE=URL")]
    pub urls: Vec<String>,
    /// Send every request through this HTTP proxy (`http://proxy:3128`) [default: from the
    /// environment].
    #[arg(long, value_name = "URL")]
    pub proxy: Option<String>,
    /// Seconds to wait for a connection, a response or the next bytes of a body.
    #[arg(long, value_name = "SECS", default_value_t = 30)]
    pub timeout: u64,
    /// Output format of the summary.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Do not bring the stored findings up to date with the new feeds (by default, when
    /// tenants exist, the findings of the changed advisories are rematched across every
    /// tenant: new ones open, withdrawn or corrected ones resolve).
    #[arg(long)]
    pub no_rematch: bool,
}

#[derive(Debug, Subcommand)]
pub enum TenantCommand {
    /// Create a tenant.
    Add(TenantAddArgs),
    /// List the tenants.
    List(FormatArg),
}

#[derive(Debug, Args)]
pub struct TenantAddArgs {
    /// The tenant's id: lowercase letters, digits and hyphens (`gemeente-diest`).
    pub id: String,
    /// The tenant's display name [default: the id].
    #[arg(long)]
    pub name: Option<String>,
}

#[derive(Debug, Args)]
pub struct FormatArg {
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
pub enum InventoryCommand {
    /// Import inventory files (SBOMs, package databases, lockfiles, osquery results, CSV exports).
    ///
    /// Every file is parsed before anything is stored; if one fails, nothing is stored. With
    /// --asset, all files describe that one asset (for example its os-release and its dpkg
    /// status); without it, each file names its own assets. Re-importing an asset replaces its
    /// component set; components that stay keep their first-seen date.
    #[command(
        after_help = "Formats (detected from the content unless --format is given):\n  \
        cyclonedx-json, cyclonedx-xml, spdx-json, spdx-tag-value, dpkg-status, rpm-qa,\n  \
        apk-installed, os-release, osquery-json, cargo-lock, package-lock, requirements,\n  \
        poetry-lock, composer-lock, gemfile-lock, csv\n\n\
        Examples:\n  \
        weerbaar inventory import --tenant diest --asset web01 /etc/os-release /var/lib/dpkg/status\n  \
        weerbaar inventory import --tenant diest --preset lansweeper software.csv"
    )]
    Import(ImportArgs),
    /// List a tenant's assets with their component counts.
    List(ListArgs),
    /// Show one asset and every component on it.
    Show(ShowArgs),
}

#[derive(Debug, Args)]
pub struct TenantArg {
    /// The tenant (see `weerbaar tenant list`).
    #[arg(long, short = 't', env = "WEERBAAR_TENANT", value_name = "TENANT")]
    pub tenant: String,
}

/// How inventory files are read: shared by `inventory import` and `scan`.
#[derive(Debug, Args)]
pub struct InputArgs {
    /// The inventory files: SBOMs, package databases, lockfiles, osquery results, CSV exports.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,

    /// The asset these files describe (required when a file does not name its asset).
    #[arg(long, short = 'a', value_name = "NAME")]
    pub asset: Option<String>,

    /// The input format, instead of detecting it from the content (see README, "Formats").
    #[arg(long, value_name = "FORMAT")]
    pub input_format: Option<String>,

    /// CSV column mapping: `asset=Computer,name=Software,version=Version,vendor=Publisher`.
    #[arg(long, value_name = "MAP", conflicts_with = "preset")]
    pub map: Option<String>,

    /// A saved CSV column mapping (lansweeper, intune, pdq, weerbaar).
    #[arg(long, value_name = "NAME")]
    pub preset: Option<String>,

    /// Refuse files larger than this (bytes; K, M and G suffixes allowed).
    #[arg(long, value_name = "SIZE", default_value = "512M")]
    pub max_size: String,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    #[command(flatten)]
    pub tenant: TenantArg,

    #[command(flatten)]
    pub input: InputArgs,

    /// Asset kind: host, appliance, application, cloud-service.
    #[arg(long)]
    pub kind: Option<String>,
    /// Zone or environment, e.g. "town hall LAN".
    #[arg(long)]
    pub zone: Option<String>,
    /// Who is responsible for the asset.
    #[arg(long)]
    pub owner: Option<String>,
    /// critical, high, normal or low.
    #[arg(long)]
    pub criticality: Option<String>,
    /// internet-facing or internal.
    #[arg(long)]
    pub exposure: Option<String>,
    /// A tag; repeat for several.
    #[arg(long = "tag", value_name = "TAG")]
    pub tags: Vec<String>,

    /// Do not rematch the imported assets against the stored feeds (by default, when feeds
    /// are stored, their findings are brought up to date: see `findings`).
    #[arg(long)]
    pub no_rematch: bool,

    /// Output format of the import summary.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    #[command(flatten)]
    pub tenant: TenantArg,
    #[command(flatten)]
    pub format: FormatArg,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    #[command(flatten)]
    pub tenant: TenantArg,
    /// The asset's name.
    pub asset: String,
    #[command(flatten)]
    pub format: FormatArg,
}

#[derive(Debug, Args)]
pub struct CollectArgs {
    /// The root filesystem to inventory (a mounted image or container root).
    #[arg(long, default_value = "/", value_name = "DIR")]
    pub root: PathBuf,
    /// Write the SBOM here instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
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

#[derive(Debug, Args)]
pub struct DemoArgs {
    #[command(subcommand)]
    pub command: Option<DemoCommand>,

    /// Address the API serves the demo on, after seeding.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8080")]
    pub bind: String,

    /// Seed and print the overview, then exit instead of serving.
    #[arg(long)]
    pub no_serve: bool,
}

#[derive(Debug, Subcommand)]
pub enum DemoCommand {
    /// Generate the synthetic portfolio for load tests into the configured store.
    ///
    /// Tenants `load-0001`… ("Load-test municipality 0001 (demo)") of Debian hosts whose
    /// packages come from a realistic pool, imported in batches (memory stays flat) and matched
    /// like `demo`. Running it again with the same numbers changes nothing.
    Generate(DemoGenerateArgs),
}

#[derive(Debug, Args)]
pub struct DemoGenerateArgs {
    /// Number of tenants.
    #[arg(long, default_value_t = 300)]
    pub tenants: usize,
    /// Assets per tenant.
    #[arg(long, default_value_t = 150)]
    pub assets: usize,
    /// Components per asset.
    #[arg(long, default_value_t = 1500)]
    pub components: usize,
    /// Seed of the generator: the same seed gives the same portfolio.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Import only; do not match (findings stay empty).
    #[arg(long)]
    pub no_match: bool,
}
