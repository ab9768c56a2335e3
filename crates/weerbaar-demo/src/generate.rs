//! The synthetic portfolio for load tests: many tenants of many assets of many components.
//!
//! Streams: one batch of assets (about [`BATCH_ROWS`] component rows) is built, enriched,
//! imported in one transaction and dropped before the next, so memory stays flat whatever the
//! size. Components come from a realistic pool: Debian 12 base packages, the source packages
//! the demo dataset has advisories for (at an affected or a fixed version), and library-like
//! filler names whose versions repeat across assets, as they do in a real estate; so matching
//! finds something and the matcher's "each distinct package once" has the real shape. The
//! filler names are real package stems with synthetic versions: against the real feeds (after
//! `feeds sync`) some of them match real advisories at those made-up versions, which is fine
//! for a load test and the reason the portfolio is labelled as generated.
//!
//! Measured (release build, the shared 2-core machine, other builds running), 150 assets of
//! 1,500 components per tenant:
//!
//! | backend | tenants | rows | import | matching | size | peak RSS |
//! |---|---|---|---|---|---|---|
//! | SQLite | 10 | 2.25 M | 94 s (24,000 rows/s) | 28 s | 974 MB | — |
//! | SQLite, `--no-match` | 1 / 4 | 0.23 / 0.9 M | 7 / 37 s | — | — | 114 / 175 MB |
//! | SQLite | 1 | 0.23 M | 8 s | 2.4 s | — | 649 MB |
//! | PostgreSQL 127.0.0.1 | 3 | 0.68 M | 25 s (27,000 rows/s) | 6 s | 239 MB | 549 MB |
//!
//! So the full 300 × 150 × 1,500 = 67.5 M rows would take about an hour and 29 GB on SQLite
//! (433 bytes a row with its indexes), about 50 minutes and 24 GB on PostgreSQL: feasible for a
//! one-off load-test database, not for CI; use fewer components or tenants there. Importing
//! streams (memory grows only with SQLite's cache); the peak comes from matching, which loads
//! one tenant's components at a time (`Store::tenant_components`), about 2.5 KB per component.

use std::time::Instant;

use serde::Serialize;
use weerbaar_inventory::model::{AssetKind, Criticality, Exposure, OperatingSystem};
use weerbaar_inventory::{Format, ImportedAsset, Inventory};
use weerbaar_matching::Mapping;
use weerbaar_scan::Knowledge;
use weerbaar_store::{AssetImport, Store, TenantId};

use crate::estate::{DEBIAN12_BASE, DEBIAN12_TRACKED, package};
use crate::rng::Rng;
use crate::{ACTOR, DemoError};

/// Component rows per import transaction: large enough to amortise a commit, small enough to
/// keep memory flat and transactions short.
pub const BATCH_ROWS: usize = 20_000;

/// What to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GenerateOptions {
    pub tenants: usize,
    /// Assets per tenant.
    pub assets: usize,
    /// Components per asset.
    pub components: usize,
    pub seed: u64,
}

/// How far [`generate`] has come; passed to the progress callback after every batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    pub tenants_done: usize,
    pub tenants: usize,
    pub components_done: u64,
    pub components_total: u64,
}

impl Progress {
    /// Percent done, 0 to 100.
    #[must_use]
    pub fn percent(&self) -> u64 {
        (self.components_done * 100)
            .checked_div(self.components_total)
            .unwrap_or(100)
    }
}

/// What [`generate`] made.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GenerateSummary {
    pub tenants: usize,
    pub assets: usize,
    pub components: u64,
    /// Open findings after matching (0 when not matched).
    pub findings: usize,
    pub import_seconds: f64,
    pub match_seconds: f64,
}

/// The tenant id of the `i`-th synthetic tenant (zero-based).
#[must_use]
pub fn tenant_id(i: usize) -> String {
    format!("load-{:04}", i + 1)
}

/// Generates the synthetic portfolio into `store`, then matches each tenant against
/// `knowledge` when given. Tenants that exist are reused and their assets re-imported, so a
/// second run with the same options changes nothing.
///
/// # Errors
/// A store error; the batches imported before it stay (each is its own transaction).
pub async fn generate(
    store: &Store,
    options: &GenerateOptions,
    knowledge: Option<&Knowledge>,
    progress: &mut dyn FnMut(&Progress),
) -> Result<GenerateSummary, DemoError> {
    let components_total = u64::try_from(options.tenants)
        .unwrap_or(u64::MAX)
        .saturating_mul(u64::try_from(options.assets).unwrap_or(u64::MAX))
        .saturating_mul(u64::try_from(options.components).unwrap_or(u64::MAX));
    let mut state = Progress {
        tenants_done: 0,
        tenants: options.tenants,
        components_done: 0,
        components_total,
    };
    let mapping = Mapping::builtin()?;
    let threads = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
    let pool = Pool::new(options.components);
    let batch = (BATCH_ROWS / options.components.max(1)).max(1);
    let mut summary = GenerateSummary {
        tenants: options.tenants,
        assets: 0,
        components: 0,
        findings: 0,
        import_seconds: 0.0,
        match_seconds: 0.0,
    };
    for t in 0..options.tenants {
        let tenant = TenantId::new(&tenant_id(t))?;
        let name = format!("Load-test municipality {:04} (demo)", t + 1);
        crate::seed::ensure_tenant(store, &tenant, &name).await?;
        let mut rng = Rng::new(options.seed ^ (u64::try_from(t).unwrap_or(0) << 20));
        let started = Instant::now();
        let mut first = 0;
        while first < options.assets {
            let last = (first + batch).min(options.assets);
            let assets: Vec<(String, ImportedAsset)> = (first..last)
                .map(|a| {
                    let name = format!("srv-{:04}", a + 1);
                    let asset = pool.asset(&mut rng, &tenant, &name);
                    (name, asset)
                })
                .collect();
            let files: Vec<String> = assets
                .iter()
                .map(|(name, _)| format!("generated:{tenant}/{name}"))
                .collect();
            let imports: Vec<AssetImport<'_>> = assets
                .iter()
                .zip(&files)
                .map(|((name, asset), file)| AssetImport {
                    asset,
                    name,
                    file,
                    format: Format::DpkgStatus,
                })
                .collect();
            let done = store.import_assets(&tenant, ACTOR, &imports).await?;
            let rows: usize = done.iter().map(|s| s.components).sum();
            summary.assets += done.len();
            summary.components += u64::try_from(rows).unwrap_or(0);
            state.components_done +=
                u64::try_from((last - first) * options.components).unwrap_or(0);
            progress(&state);
            first = last;
        }
        summary.import_seconds += started.elapsed().as_secs_f64();
        if let Some(knowledge) = knowledge {
            let started = Instant::now();
            let r = weerbaar_tracking::rematch(
                store, &tenant, knowledge, &mapping, None, threads, ACTOR,
            )
            .await?;
            summary.findings += r.new + r.still_open;
            summary.match_seconds += started.elapsed().as_secs_f64();
        }
        state.tenants_done = t + 1;
        progress(&state);
    }
    Ok(summary)
}

/// Stems of library and tool packages, for filler names.
const STEMS: &[&str] = &[
    "acl",
    "attr",
    "audit",
    "brotli",
    "bzip2",
    "cairo",
    "cups",
    "cyrus-sasl2",
    "db5.3",
    "elfutils",
    "ffi",
    "fontconfig",
    "freetype",
    "fribidi",
    "gdbm",
    "glib2.0",
    "gmp",
    "gnupg2",
    "gpm",
    "harfbuzz",
    "icu",
    "idn2",
    "jansson",
    "jbigkit",
    "jpeg-turbo",
    "json-c",
    "keyutils",
    "kmod",
    "krb5",
    "lcms2",
    "ldap",
    "bsd",
    "cap2",
    "edit",
    "event",
    "gcrypt20",
    "gpg-error",
    "nftnl",
    "png1.6",
    "psl",
    "seccomp",
    "selinux",
    "semanage",
    "sepol",
    "ssh2",
    "tasn1-6",
    "tirpc",
    "unistring",
    "uv1",
    "x11",
    "xcb",
    "xext",
    "xrender",
    "yaml",
    "zstd",
    "lz4",
    "mpfr",
    "ncurses",
    "nettle",
    "nghttp2",
    "npth",
    "numactl",
    "p11-kit",
    "pango1.0",
    "pcre2",
    "pixman",
    "popt",
    "readline",
    "rtmp",
    "slang2",
    "snappy",
    "tiff",
    "xxhash",
    "xml-security",
    "xslt",
    "mnl",
    "netfilter",
    "nfs",
    "nl-3",
    "nss",
    "nspr",
    "oath",
    "ogg",
    "opus",
    "pciaccess",
    "pipewire",
    "polkit",
    "pulse",
    "qrencode",
    "rsvg",
    "sensors",
    "smbclient",
    "sndfile",
    "soup",
    "sodium",
    "tdb",
    "talloc",
    "tevent",
    "usb-1.0",
    "vorbis",
    "wrap",
];
const SHAPES: &[(&str, &str)] = &[
    ("lib", ""),
    ("lib", "-dev"),
    ("lib", "-doc"),
    ("", "-common"),
    ("", "-bin"),
    ("", "-data"),
    ("", "-utils"),
    ("lib", "-dbg"),
    ("python3-", ""),
    ("", "-tools"),
    ("node-", ""),
    ("lib", "-perl"),
    ("", "-l10n"),
    ("ruby-", ""),
    ("golang-", "-dev"),
    ("php-", ""),
];

/// The filler names and their versions for one run.
struct Pool {
    fillers: Vec<(String, String)>,
    /// Components per asset.
    total: usize,
}

impl Pool {
    fn new(components: usize) -> Self {
        let fixed = DEBIAN12_BASE.len()
            + DEBIAN12_TRACKED
                .iter()
                .map(|t| t.binaries.len())
                .sum::<usize>();
        let wanted = components.saturating_sub(fixed);
        let taken: std::collections::HashSet<&str> = DEBIAN12_BASE
            .iter()
            .map(|b| b.0)
            .chain(
                DEBIAN12_TRACKED
                    .iter()
                    .flat_map(|t| t.binaries.iter().copied()),
            )
            .collect();
        let mut fillers = Vec::with_capacity(wanted);
        let mut n = 0usize;
        while fillers.len() < wanted {
            let stem = STEMS[n % STEMS.len()];
            let (prefix, suffix) = SHAPES[(n / STEMS.len()) % SHAPES.len()];
            let round = n / (STEMS.len() * SHAPES.len());
            let name = if round == 0 {
                format!("{prefix}{stem}{suffix}")
            } else {
                format!("{prefix}{stem}{suffix}{round}")
            };
            // A stable version per package: the same name has the same version on most hosts.
            let h = n.wrapping_mul(2_654_435_761) % 1000;
            let version = format!("{}.{}.{}-{}", 1 + h % 7, h % 13, h % 5, 1 + h % 3);
            if !taken.contains(name.as_str()) {
                fillers.push((name, version));
            }
            n += 1;
        }
        Self {
            fillers,
            total: components,
        }
    }

    fn asset(&self, rng: &mut Rng, tenant: &TenantId, name: &str) -> ImportedAsset {
        let file = format!("generated:{tenant}/{name}");
        let eco = Some("Debian");
        let mut components = Vec::new();
        for &(bin, src, version) in DEBIAN12_BASE {
            components.push(package(&file, components.len(), eco, bin, src, version));
        }
        for tracked in DEBIAN12_TRACKED {
            let version = if rng.chance(40) {
                tracked.affected
            } else {
                tracked.fixed
            };
            for bin in tracked.binaries {
                components.push(package(
                    &file,
                    components.len(),
                    eco,
                    bin,
                    tracked.source,
                    version,
                ));
            }
        }
        for (name, version) in &self.fillers {
            // One host in ten is a release behind on a package.
            let version = if rng.chance(10) {
                format!("{version}~old1")
            } else {
                version.clone()
            };
            components.push(package(&file, components.len(), eco, name, name, &version));
        }
        components.truncate(self.total);
        let mut inventory = Inventory {
            format: Format::DpkgStatus,
            assets: vec![ImportedAsset {
                name: Some(name.into()),
                kind: Some(AssetKind::Host),
                os: Some(OperatingSystem {
                    id: "debian".into(),
                    version_id: Some("12".into()),
                    name: Some("Debian GNU/Linux 12 (bookworm)".into()),
                    ..OperatingSystem::default()
                }),
                zone: Some(if rng.chance(20) { "dmz" } else { "datacenter" }.into()),
                owner: None,
                criticality: Some(*rng.pick(&[
                    Criticality::Low,
                    Criticality::Normal,
                    Criticality::Normal,
                    Criticality::High,
                    Criticality::Critical,
                ])),
                exposure: Some(if rng.chance(15) {
                    Exposure::InternetFacing
                } else {
                    Exposure::Internal
                }),
                tags: vec!["demo".into(), "generated".into()],
                components,
            }],
            warnings: Vec::new(),
        };
        weerbaar_inventory::enrich(&mut inventory);
        inventory.assets.pop().unwrap_or_default()
    }
}
