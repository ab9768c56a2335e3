//! `weerbaar demo`: the product at work on this machine, with no setup.
//!
//! Creates the `demo` tenant (once), inventories the machine it runs on (`collect /`), imports
//! weerbaar's own demo SBOM of a fictional civil-affairs portal beside it, and lists the result.
//! Everything goes into the normal data directory, so the other commands work on it afterwards.

use std::io::{self, Write};
use std::path::Path;

use weerbaar_inventory::model::{AssetKind, Criticality, Exposure};
use weerbaar_inventory::{Format, ImportOptions, Inventory, import_bytes};
use weerbaar_store::{AssetImport, StoreError, TenantId};

use super::Status;
use crate::cli::StorageArgs;
use crate::output::table;
use crate::storage;

/// Written by the weerbaar project for this demo (no third-party data).
const DEMO_SBOM: &str = include_str!("../../demo/burgerzaken-portal.cdx.json");
const TENANT: &str = "demo";

pub async fn run(storage_args: &StorageArgs) -> anyhow::Result<Status> {
    let store = storage::open(storage_args).await?;
    let tenant = TenantId::new(TENANT)?;
    match store
        .add_tenant(&tenant, "Demo municipality", &storage::actor())
        .await
    {
        Ok(_) | Err(StoreError::TenantExists { .. }) => {}
        Err(e) => return Err(e.into()),
    }

    let mut machine = match weerbaar_inventory::collect::collect(Path::new("/")) {
        Ok(inv) => Some(inv),
        Err(e) => {
            eprintln!(
                "note: this machine could not be inventoried ({e}); showing the demo SBOM only"
            );
            None
        }
    };
    let mut portal = import_bytes(
        "demo/burgerzaken-portal.cdx.json",
        DEMO_SBOM.as_bytes(),
        &ImportOptions {
            format: Some(Format::CycloneDxJson),
            ..ImportOptions::default()
        },
    )?;
    for inventory in machine.iter_mut().chain(std::iter::once(&mut portal)) {
        weerbaar_inventory::enrich(inventory);
    }
    let machine_format = machine
        .as_ref()
        .map_or(Format::DpkgStatus, |inv| inv.format);
    let machine_asset = machine
        .as_mut()
        .and_then(|inv: &mut Inventory| inv.assets.pop())
        .map(|mut a| {
            a.zone = Some("datacenter".into());
            a.criticality = Some(Criticality::High);
            a
        });
    let machine_name = machine_asset
        .as_ref()
        .and_then(|a| a.name.clone())
        .unwrap_or_else(|| "this-machine".into());
    let mut portal_asset = portal.assets.pop().unwrap_or_default();
    portal_asset.kind = Some(AssetKind::Application);
    portal_asset.zone = Some("datacenter, tenant demo".into());
    portal_asset.criticality = Some(Criticality::Critical);
    portal_asset.exposure = Some(Exposure::InternetFacing);

    let mut imports = vec![AssetImport {
        asset: &portal_asset,
        name: "burgerzaken-portal",
        file: "demo/burgerzaken-portal.cdx.json",
        format: Format::CycloneDxJson,
    }];
    if let Some(asset) = &machine_asset {
        imports.push(AssetImport {
            asset,
            name: &machine_name,
            file: "/",
            format: machine_format,
        });
    }
    store
        .import_assets(&tenant, &storage::actor(), &imports)
        .await?;
    let assets = store.list_assets(&tenant).await?;
    store.close().await;

    let mut out = io::stdout().lock();
    writeln!(out, "Tenant \"{TENANT}\" (Demo municipality) now holds:\n")?;
    let rows: Vec<Vec<String>> = assets
        .iter()
        .map(|s| {
            vec![
                s.asset.name.clone(),
                s.asset.kind.to_string(),
                s.asset.criticality.to_string(),
                s.asset.exposure.to_string(),
                s.components.to_string(),
            ]
        })
        .collect();
    table(
        &mut out,
        &["ASSET", "KIND", "CRITICALITY", "EXPOSURE", "COMPONENTS"],
        &rows,
    )?;
    writeln!(out, "\nNext:")?;
    writeln!(
        out,
        "  weerbaar inventory show -t {TENANT} burgerzaken-portal"
    )?;
    writeln!(
        out,
        "  weerbaar inventory show -t {TENANT} {machine_name} --format csv > {machine_name}.csv"
    )?;
    writeln!(
        out,
        "  weerbaar version compare --ecosystem Maven 2.14.1 2.17.1"
    )?;
    Ok(Status::Success)
}
