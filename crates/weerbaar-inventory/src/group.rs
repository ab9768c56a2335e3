//! From imported files to named assets: what `weerbaar inventory import` and the server's
//! ingest worker both do between parsing and storing, kept in one place so a pushed file is
//! stored exactly as the same file imported on the command line.

use crate::inventory::{ImportedAsset, Inventory, Warning};
use crate::{Format, enrich};

/// One asset as one or more files describe it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamedAsset {
    /// The asset's name: given by the caller, from the file, or the file's own name.
    pub name: String,
    pub asset: ImportedAsset,
    /// The files that described it, in order.
    pub files: Vec<String>,
    /// The format of the file that brought its components.
    pub format: Format,
}

/// How assets get their names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Naming<'a> {
    /// Every file describes this one asset (`--asset`, or an upload's asset name); a file that
    /// describes several assets is refused.
    Given(&'a str),
    /// Names come from the files; a file that names no asset is refused.
    FromFile,
    /// Names come from the files, and a file that names none stands for an asset of its own
    /// name (`weerbaar scan`).
    FromFileOrFileName,
}

/// Why files could not be grouped into named assets.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum GroupError {
    /// One asset name was given for a file that describes several assets.
    #[error("{file}: describes {count} assets, so one asset name cannot name them")]
    SeveralAssets { file: String, count: usize },
    /// A file names no asset and none was given.
    #[error("{file}: does not name its asset")]
    Unnamed { file: String },
}

/// Groups what the files describe per asset (names compared case-insensitively, as storage
/// does), merging what several files say about one asset: attributes fill in what is missing
/// (os-release gives the OS, the dpkg status file the packages) and components add up. Returns
/// the assets in first-seen order and the files' warnings.
///
/// # Errors
/// [`GroupError`] when an asset cannot be named.
pub fn group(
    inventories: Vec<(String, Inventory)>,
    naming: Naming<'_>,
) -> Result<(Vec<NamedAsset>, Vec<Warning>), GroupError> {
    let mut assets: Vec<NamedAsset> = Vec::new();
    let mut warnings = Vec::new();
    for (file, inventory) in inventories {
        if let Naming::Given(_) = naming
            && inventory.assets.len() > 1
        {
            return Err(GroupError::SeveralAssets {
                file,
                count: inventory.assets.len(),
            });
        }
        for mut asset in inventory.assets {
            let name = match (naming, asset.name.take()) {
                (Naming::Given(name), _) => name.to_owned(),
                (_, Some(name)) => name,
                (Naming::FromFileOrFileName, None) => file.clone(),
                (Naming::FromFile, None) => return Err(GroupError::Unnamed { file }),
            };
            let key = name.trim().to_lowercase();
            match assets
                .iter_mut()
                .find(|p| p.name.trim().to_lowercase() == key)
            {
                Some(p) => {
                    if p.asset.components.is_empty() && !asset.components.is_empty() {
                        p.format = inventory.format;
                    }
                    merge(&mut p.asset, asset);
                    p.files.push(file.clone());
                }
                None => assets.push(NamedAsset {
                    name,
                    asset,
                    files: vec![file.clone()],
                    format: inventory.format,
                }),
            }
        }
        warnings.extend(inventory.warnings);
    }
    Ok((assets, warnings))
}

/// Enriches the assets together (so one file's os-release gives the release to another file's
/// packages) and returns enrichment's warnings.
pub fn enrich_assets(assets: &mut [NamedAsset]) -> Vec<Warning> {
    let mut merged = Inventory {
        format: assets.first().map_or(Format::Csv, |p| p.format),
        assets: assets
            .iter_mut()
            .map(|p| std::mem::take(&mut p.asset))
            .collect(),
        warnings: Vec::new(),
    };
    enrich(&mut merged);
    for (p, asset) in assets.iter_mut().zip(merged.assets) {
        p.asset = asset;
    }
    merged.warnings
}

/// Merges `from` into `into`: components are added, and attributes fill in what is missing.
fn merge(into: &mut ImportedAsset, from: ImportedAsset) {
    into.kind = into.kind.or(from.kind);
    into.os = into.os.take().or(from.os);
    into.zone = into.zone.take().or(from.zone);
    into.owner = into.owner.take().or(from.owner);
    into.criticality = into.criticality.or(from.criticality);
    into.exposure = into.exposure.or(from.exposure);
    for tag in from.tags {
        if !into.tags.contains(&tag) {
            into.tags.push(tag);
        }
    }
    into.components.extend(from.components);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::OperatingSystem;

    fn inv(names: &[Option<&str>]) -> Inventory {
        Inventory {
            format: Format::DpkgStatus,
            assets: names
                .iter()
                .map(|n| ImportedAsset {
                    name: n.map(Into::into),
                    ..ImportedAsset::default()
                })
                .collect(),
            warnings: Vec::new(),
        }
    }

    #[test]
    fn assets_are_named_and_merged_case_insensitively() {
        let mut os = inv(&[Some("WEB01")]);
        os.format = Format::OsRelease;
        os.assets[0].os = Some(OperatingSystem {
            id: "debian".into(),
            ..OperatingSystem::default()
        });
        let (assets, _) = group(
            vec![
                ("os-release".into(), os),
                ("status".into(), inv(&[Some("web01")])),
            ],
            Naming::FromFile,
        )
        .expect("group");
        assert_eq!(assets.len(), 1);
        assert_eq!(assets[0].files, ["os-release", "status"]);
        assert!(assets[0].asset.os.is_some());
    }

    #[test]
    fn unnamed_and_ambiguous_files_are_refused() {
        assert_eq!(
            group(vec![("status".into(), inv(&[None]))], Naming::FromFile),
            Err(GroupError::Unnamed {
                file: "status".into()
            })
        );
        assert!(matches!(
            group(
                vec![("hosts.csv".into(), inv(&[Some("a"), Some("b")]))],
                Naming::Given("x")
            ),
            Err(GroupError::SeveralAssets { count: 2, .. })
        ));
        let (assets, _) = group(
            vec![("status".into(), inv(&[None]))],
            Naming::FromFileOrFileName,
        )
        .expect("file name");
        assert_eq!(assets[0].name, "status");
        let (assets, _) = group(
            vec![("status".into(), inv(&[Some("from-file")]))],
            Naming::Given("given"),
        )
        .expect("given");
        assert_eq!(assets[0].name, "given");
    }
}
