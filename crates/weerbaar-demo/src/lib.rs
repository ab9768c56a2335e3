//! weerbaar's demo: a provider with several municipalities, ready to explore, and the
//! synthetic portfolio for load tests. No HTTP, no SQL: it writes through `weerbaar-store`'s
//! public API, exactly as the CLI and the server do.
//!
//! * [`dataset`]: advisories, KEV entries and EPSS scores for real CVEs that matter to
//!   municipal estates (VPN appliances, hypervisors, mail servers, browsers, server packages),
//!   written by the project from public facts in the formats of the real feeds, and parsed by
//!   the same strict parsers. Every record is marked as demo data; `data/README.md` names the
//!   source of every fact. The third-party feeds are never copied in: when `weerbaar feeds
//!   sync` has stored them, the demo matches against them instead.
//! * [`estate`]: the generated municipalities (fictional, labelled `(demo)`) with realistic
//!   estates, deterministic from a fixed seed.
//! * [`seed_demo`]: creates the tenants, imports the inventories (one transaction per
//!   municipality, audited as actor [`ACTOR`]), adds exceptions once, and matches. Idempotent.
//! * [`generate()`]: the synthetic portfolio (`weerbaar demo generate`), streamed in batches so
//!   memory stays flat.
//!
//! Design decisions: the estates are built as the importers' own values ([`ImportedAsset`]
//! plus `enrich`) instead of text files to parse, so seeding is fast and cannot drift from the
//! model; the civil-affairs SBOM alone goes through the CycloneDX importer, as a supplier's SBOM
//! would. Randomness is a tiny xorshift ([`rng`]) so a seed means the same portfolio forever.
//!
//! [`ImportedAsset`]: weerbaar_inventory::ImportedAsset

pub mod dataset;
pub mod estate;
pub mod generate;
pub mod rng;
mod seed;

use std::path::{Path, PathBuf};

pub use dataset::Dataset;
pub use generate::{GenerateOptions, GenerateSummary, Progress, generate};
pub use seed::{KnowledgeSource, Summary, TenantSummary, knowledge, seed_demo, seed_demo_with};

/// The actor every demo change is audited as.
pub const ACTOR: &str = "demo";

/// Why the demo could not be seeded or generated.
#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error(transparent)]
    Store(#[from] weerbaar_store::StoreError),
    #[error(transparent)]
    Tracking(#[from] weerbaar_tracking::TrackingError),
    #[error(transparent)]
    Feeds(#[from] weerbaar_feeds::Error),
    /// The embedded dataset does not parse (a broken build).
    #[error("demo dataset: {0}")]
    Dataset(#[from] weerbaar_advisories::FeedError),
    /// The embedded SBOM does not import (a broken build).
    #[error("demo SBOM: {0}")]
    Inventory(#[from] weerbaar_inventory::ImportError),
    #[error(transparent)]
    Mapping(#[from] weerbaar_matching::MappingError),
    #[error("demo exception: {0}")]
    Json(#[from] serde_json::Error),
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl DemoError {
    pub(crate) fn io(path: &Path, source: std::io::Error) -> Self {
        Self::Io {
            path: path.to_owned(),
            source,
        }
    }
}
