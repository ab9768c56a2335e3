//! `weerbaar inventory …`: import files into the store, list and show what is stored.

use std::io::{self, Write};
use std::path::Path;

use anyhow::{Context, bail};
use weerbaar_inventory::{
    ColumnMap, Format as InputFormat, GroupError, ImportOptions, ImportedAsset, Inventory, Naming,
};
use weerbaar_store::{AssetImport, TenantId};

use super::Status;
use crate::cli::{ImportArgs, InputArgs, InventoryCommand, ListArgs, ShowArgs, StorageArgs};
use crate::output::{Format, csv_record, local_time, rfc3339, table};
use crate::storage;

pub async fn run(storage_args: &StorageArgs, cmd: InventoryCommand) -> anyhow::Result<Status> {
    match cmd {
        InventoryCommand::Import(args) => import(storage_args, &args).await,
        InventoryCommand::List(args) => list(storage_args, &args).await,
        InventoryCommand::Show(args) => show(storage_args, &args).await,
    }
}

/// `512M` → 536870912.
fn parse_size(text: &str) -> anyhow::Result<u64> {
    let text = text.trim();
    let (digits, factor) = match text.char_indices().last() {
        Some((i, 'k' | 'K')) => (&text[..i], 1 << 10),
        Some((i, 'm' | 'M')) => (&text[..i], 1 << 20),
        Some((i, 'g' | 'G')) => (&text[..i], 1 << 30),
        _ => (text, 1),
    };
    let n: u64 = digits
        .parse()
        .with_context(|| format!("invalid size {text:?}: use bytes or a K, M or G suffix"))?;
    n.checked_mul(factor)
        .with_context(|| format!("size {text:?} is too large"))
}

/// One asset to store: what the files said about it, and which files said it.
pub(crate) type Pending = weerbaar_inventory::NamedAsset;

pub(crate) fn import_options(args: &InputArgs) -> anyhow::Result<ImportOptions> {
    let format = args
        .input_format
        .as_deref()
        .map(str::parse::<InputFormat>)
        .transpose()
        .map_err(anyhow::Error::msg)?;
    let columns = match (&args.map, &args.preset) {
        (Some(map), _) => Some(ColumnMap::parse(map).map_err(anyhow::Error::msg)?),
        (None, Some(name)) => Some(ColumnMap::preset(name).with_context(|| {
            let known: Vec<&str> = ColumnMap::PRESETS.iter().map(|(n, _)| *n).collect();
            format!("unknown preset {name:?}; presets: {}", known.join(", "))
        })?),
        (None, None) => None,
    };
    Ok(ImportOptions {
        format,
        columns,
        max_bytes: parse_size(&args.max_size)?,
    })
}

/// Applies the asset attributes given on the command line; they win over the files.
fn apply_overrides(asset: &mut ImportedAsset, args: &ImportArgs) -> anyhow::Result<()> {
    if let Some(kind) = &args.kind {
        asset.kind = Some(kind.parse().map_err(anyhow::Error::msg)?);
    }
    if let Some(c) = &args.criticality {
        asset.criticality = Some(c.parse().map_err(anyhow::Error::msg)?);
    }
    if let Some(e) = &args.exposure {
        asset.exposure = Some(e.parse().map_err(anyhow::Error::msg)?);
    }
    if args.zone.is_some() {
        asset.zone.clone_from(&args.zone);
    }
    if args.owner.is_some() {
        asset.owner.clone_from(&args.owner);
    }
    for tag in &args.tags {
        if !asset.tags.contains(tag) {
            asset.tags.push(tag.clone());
        }
    }
    Ok(())
}

/// Rematches the imported assets when feeds are stored, so their findings are current: new
/// ones open, and those the import upgraded or removed resolve. Reports on stderr, keeping
/// stdout the import summary.
async fn rematch_imported(
    storage_args: &StorageArgs,
    store: &weerbaar_store::Store,
    tenant: &TenantId,
    assets: &[String],
) -> anyhow::Result<()> {
    let data_dir = storage::data_dir(storage_args);
    let Ok(knowledge) = crate::knowledge::load(&data_dir, &[])? else {
        // No feeds yet: nothing to match against, which is not an error for an import.
        return Ok(());
    };
    let mapping = crate::knowledge::mapping(None)?;
    let snapshot = crate::alerts::Snapshot::take(store, tenant, &data_dir).await?;
    let summary = weerbaar_tracking::rematch(
        store,
        tenant,
        &knowledge,
        &mapping,
        Some(assets),
        crate::knowledge::threads(None),
        &storage::actor(),
    )
    .await?;
    if let Some(snapshot) = snapshot {
        snapshot.notify(store).await?;
    }
    eprintln!(
        "findings: {} new, {} still open, {} resolved",
        summary.new, summary.still_open, summary.resolved
    );
    Ok(())
}

/// Enriches every pending asset together, so one file's os-release gives the release to another
/// file's packages; prints the warnings. Takes the assets out of `pending`, in order.
pub(crate) fn enrich(pending: &mut [Pending]) -> Vec<ImportedAsset> {
    for warning in weerbaar_inventory::enrich_assets(pending) {
        eprintln!("warning: {warning}");
    }
    pending
        .iter_mut()
        .map(|p| std::mem::take(&mut p.asset))
        .collect()
}

/// Parses every file and groups what they describe per asset. Any file that fails makes the
/// whole import fail before anything touches the store.
///
/// A file that names no asset (a lockfile, a package database) needs `--asset`, unless
/// `file_names_asset`: then the file's own name stands for the asset (`weerbaar scan`).
pub(crate) fn parse_all(
    args: &InputArgs,
    options: &ImportOptions,
    file_names_asset: bool,
) -> anyhow::Result<Option<Vec<Pending>>> {
    let mut inventories: Vec<(String, Inventory)> = Vec::new();
    let mut failed = false;
    for path in &args.files {
        match weerbaar_inventory::import_file(path, options) {
            Ok(inv) => inventories.push((path.display().to_string(), inv)),
            Err(e) => {
                eprintln!("error: {e}");
                failed = true;
            }
        }
    }
    if failed {
        return Ok(None);
    }
    let naming = match (&args.asset, file_names_asset) {
        (Some(name), _) => Naming::Given(name),
        (None, true) => Naming::FromFileOrFileName,
        (None, false) => Naming::FromFile,
    };
    let (pending, warnings) = match weerbaar_inventory::group(inventories, naming) {
        Ok(grouped) => grouped,
        Err(GroupError::SeveralAssets { file, count }) => bail!(
            "{file}: describes {count} assets, so --asset cannot name them; import it without --asset"
        ),
        Err(GroupError::Unnamed { file }) => {
            bail!("{file}: does not name its asset; pass --asset NAME")
        }
        Err(e) => bail!("{e}"),
    };
    for warning in &warnings {
        eprintln!("warning: {warning}");
    }
    Ok(Some(pending))
}

async fn import(storage_args: &StorageArgs, args: &ImportArgs) -> anyhow::Result<Status> {
    let tenant = TenantId::new(&args.tenant.tenant)?;
    let options = import_options(&args.input)?;
    let Some(mut pending) = parse_all(&args.input, &options, false)? else {
        eprintln!("nothing was imported");
        return Ok(Status::Failure);
    };
    let enriched = enrich(&mut pending);
    for (p, mut asset) in pending.iter_mut().zip(enriched) {
        apply_overrides(&mut asset, args)?;
        p.asset = asset;
    }
    let files: Vec<String> = pending.iter().map(|p| p.files.join(", ")).collect();
    let imports: Vec<AssetImport<'_>> = pending
        .iter()
        .zip(&files)
        .map(|(p, file)| AssetImport {
            asset: &p.asset,
            name: &p.name,
            file,
            format: p.format,
        })
        .collect();
    let store = storage::open(storage_args).await?;
    let result = store
        .import_assets(&tenant, &storage::actor(), &imports)
        .await;
    let summaries = match result {
        Ok(summaries) => summaries,
        Err(e) => {
            store.close().await;
            return Err(e.into());
        }
    };
    if !args.no_rematch {
        let names: Vec<String> = pending.iter().map(|p| p.name.clone()).collect();
        rematch_imported(storage_args, &store, &tenant, &names).await?;
    }
    store.close().await;

    let mut out = io::stdout().lock();
    match args.format {
        Format::Table => {
            let rows: Vec<Vec<String>> = summaries
                .iter()
                .map(|s| {
                    vec![
                        s.asset.clone(),
                        if s.created {
                            "new".into()
                        } else {
                            "updated".into()
                        },
                        s.components.to_string(),
                        s.added.to_string(),
                        s.removed.to_string(),
                        s.file.clone(),
                    ]
                })
                .collect();
            table(
                &mut out,
                &["ASSET", "STATUS", "COMPONENTS", "ADDED", "REMOVED", "FROM"],
                &rows,
            )?;
        }
        Format::Json => {
            serde_json::to_writer_pretty(&mut out, &summaries)?;
            writeln!(out)?;
        }
        Format::Csv => {
            csv_record(
                &mut out,
                &[
                    "asset",
                    "created",
                    "components",
                    "added",
                    "removed",
                    "kept",
                    "file",
                ],
            )?;
            for s in &summaries {
                csv_record(
                    &mut out,
                    &[
                        &s.asset,
                        &s.created.to_string(),
                        &s.components.to_string(),
                        &s.added.to_string(),
                        &s.removed.to_string(),
                        &s.kept.to_string(),
                        &s.file,
                    ],
                )?;
            }
        }
    }
    Ok(Status::Success)
}

async fn list(storage_args: &StorageArgs, args: &ListArgs) -> anyhow::Result<Status> {
    let tenant = TenantId::new(&args.tenant.tenant)?;
    let store = storage::open(storage_args).await?;
    store.tenant(&tenant).await?;
    let assets = store.list_assets(&tenant).await?;
    store.close().await;
    let mut out = io::stdout().lock();
    let os = |a: &weerbaar_inventory::model::Asset| {
        a.os.as_ref().map_or_else(String::new, |o| {
            format!("{} {}", o.id, o.version_id.as_deref().unwrap_or(""))
                .trim()
                .to_owned()
        })
    };
    match args.format.format {
        Format::Table => {
            let rows: Vec<Vec<String>> = assets
                .iter()
                .map(|s| {
                    vec![
                        s.asset.name.clone(),
                        s.asset.kind.to_string(),
                        os(&s.asset),
                        s.asset.zone.clone().unwrap_or_default(),
                        s.asset.criticality.to_string(),
                        s.asset.exposure.to_string(),
                        s.components.to_string(),
                        local_time(s.updated_at),
                    ]
                })
                .collect();
            table(
                &mut out,
                &[
                    "ASSET",
                    "KIND",
                    "OS",
                    "ZONE",
                    "CRITICALITY",
                    "EXPOSURE",
                    "COMPONENTS",
                    "UPDATED",
                ],
                &rows,
            )?;
        }
        Format::Json => {
            let list: Vec<_> = assets
                .iter()
                .map(|s| {
                    let mut v = serde_json::to_value(&s.asset).unwrap_or_default();
                    v["components"] = s.components.into();
                    v["updated_at"] = rfc3339(s.updated_at).into();
                    v
                })
                .collect();
            serde_json::to_writer_pretty(&mut out, &list)?;
            writeln!(out)?;
        }
        Format::Csv => {
            csv_record(
                &mut out,
                &[
                    "asset",
                    "kind",
                    "os",
                    "zone",
                    "owner",
                    "criticality",
                    "exposure",
                    "tags",
                    "components",
                    "updated_at",
                ],
            )?;
            for s in &assets {
                csv_record(
                    &mut out,
                    &[
                        &s.asset.name,
                        s.asset.kind.as_str(),
                        &os(&s.asset),
                        s.asset.zone.as_deref().unwrap_or(""),
                        s.asset.owner.as_deref().unwrap_or(""),
                        s.asset.criticality.as_str(),
                        s.asset.exposure.as_str(),
                        &s.asset.tags.join("|"),
                        &s.components.to_string(),
                        &rfc3339(s.updated_at),
                    ],
                )?;
            }
        }
    }
    Ok(Status::Success)
}

async fn show(storage_args: &StorageArgs, args: &ShowArgs) -> anyhow::Result<Status> {
    let tenant = TenantId::new(&args.tenant.tenant)?;
    let store = storage::open(storage_args).await?;
    store.tenant(&tenant).await?;
    let stored = store.asset(&tenant, &args.asset).await?;
    store.close().await;
    let Some(stored) = stored else {
        eprintln!("error: tenant {tenant} has no asset {:?}", args.asset);
        return Ok(Status::Failure);
    };
    let mut out = io::stdout().lock();
    let source = |c: &weerbaar_inventory::model::Component| {
        let file = Path::new(&c.source.file).file_name().map_or_else(
            || c.source.file.clone(),
            |f| f.to_string_lossy().into_owned(),
        );
        format!("{file} {}", c.source.location)
    };
    match args.format.format {
        Format::Table => {
            let a = &stored.asset;
            writeln!(out, "asset:       {}", a.name)?;
            writeln!(out, "kind:        {}", a.kind)?;
            if let Some(os) = &a.os {
                let name = os.name.as_deref().unwrap_or(&os.id);
                writeln!(
                    out,
                    "os:          {name} {}",
                    os.version_id.as_deref().unwrap_or("")
                )?;
            }
            writeln!(out, "zone:        {}", a.zone.as_deref().unwrap_or("-"))?;
            writeln!(out, "owner:       {}", a.owner.as_deref().unwrap_or("-"))?;
            writeln!(out, "criticality: {}", a.criticality)?;
            writeln!(out, "exposure:    {}", a.exposure)?;
            if !a.tags.is_empty() {
                writeln!(out, "tags:        {}", a.tags.join(", "))?;
            }
            writeln!(out, "updated:     {}", local_time(stored.updated_at))?;
            writeln!(out, "components:  {}\n", stored.components.len())?;
            let rows: Vec<Vec<String>> = stored
                .components
                .iter()
                .map(|s| {
                    let c = &s.component;
                    vec![
                        c.ecosystem.clone().unwrap_or_default(),
                        c.name.clone(),
                        c.version.clone().unwrap_or_default(),
                        local_time(s.first_seen),
                        source(c),
                    ]
                })
                .collect();
            table(
                &mut out,
                &["ECOSYSTEM", "NAME", "VERSION", "FIRST SEEN", "SOURCE"],
                &rows,
            )?;
        }
        Format::Json => {
            let mut v = serde_json::to_value(&stored)?;
            v["created_at"] = rfc3339(stored.created_at).into();
            v["updated_at"] = rfc3339(stored.updated_at).into();
            if let Some(list) = v["components"].as_array_mut() {
                for (c, s) in list.iter_mut().zip(&stored.components) {
                    c["first_seen"] = rfc3339(s.first_seen).into();
                    c["last_seen"] = rfc3339(s.last_seen).into();
                }
            }
            serde_json::to_writer_pretty(&mut out, &v)?;
            writeln!(out)?;
        }
        Format::Csv => {
            csv_record(
                &mut out,
                &[
                    "ecosystem",
                    "name",
                    "version",
                    "purl",
                    "cpe",
                    "vendor",
                    "source_name",
                    "source_version",
                    "first_seen",
                    "last_seen",
                    "source",
                ],
            )?;
            for s in &stored.components {
                let c = &s.component;
                csv_record(
                    &mut out,
                    &[
                        c.ecosystem.as_deref().unwrap_or(""),
                        &c.name,
                        c.version.as_deref().unwrap_or(""),
                        c.purl.as_deref().unwrap_or(""),
                        c.cpe.as_deref().unwrap_or(""),
                        c.vendor.as_deref().unwrap_or(""),
                        c.source_name.as_deref().unwrap_or(""),
                        c.source_version.as_deref().unwrap_or(""),
                        &rfc3339(s.first_seen),
                        &rfc3339(s.last_seen),
                        &source(c),
                    ],
                )?;
            }
        }
    }
    Ok(Status::Success)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_take_suffixes() {
        assert_eq!(parse_size("512M").expect("ok"), 512 << 20);
        assert_eq!(parse_size("2G").expect("ok"), 2 << 30);
        assert_eq!(parse_size("100").expect("ok"), 100);
        assert!(parse_size("lots").is_err());
        assert!(parse_size("99999999999999999999G").is_err());
    }
}
