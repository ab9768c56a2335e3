//! What one import produced: one or more assets, each with its components.

use serde::Serialize;

use crate::Format;
use crate::model::{AssetKind, Component, Criticality, Exposure, OperatingSystem, Source};

/// The result of importing one file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Inventory {
    /// The format the file was read as.
    pub format: Format,
    /// Usually one asset; asset-inventory CSVs and multi-host osquery results give several.
    pub assets: Vec<ImportedAsset>,
    /// What the import dropped or could not interpret, with where it was.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<Warning>,
}

/// Something an import skipped or corrected, reported to the user instead of hidden.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Warning {
    pub source: Source,
    pub message: String,
}

impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}: {}: {}",
            self.source.file, self.source.location, self.message
        )
    }
}

/// An asset as one file describes it.
///
/// Everything is optional because formats know different things: an SBOM names the software but
/// not the zone, a dpkg status file names neither host nor distribution. `weerbaar inventory
/// import --asset` and the asset's stored attributes fill in what the file leaves out.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct ImportedAsset {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<AssetKind>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub os: Option<OperatingSystem>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub zone: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub criticality: Option<Criticality>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exposure: Option<Exposure>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    pub components: Vec<Component>,
}

impl Inventory {
    /// An inventory of one asset.
    #[must_use]
    pub fn single(format: Format, asset: ImportedAsset) -> Self {
        Self {
            format,
            assets: vec![asset],
            warnings: Vec::new(),
        }
    }

    /// The number of components over all assets.
    #[must_use]
    pub fn component_count(&self) -> usize {
        self.assets.iter().map(|a| a.components.len()).sum()
    }
}
