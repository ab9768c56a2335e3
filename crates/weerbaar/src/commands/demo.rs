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

use weerbaar_advisories::{kev, osv};
use weerbaar_plan::Lang;
use weerbaar_scan::Knowledge;
use weerbaar_store::FindingFilter;

use super::Status;
use crate::cli::StorageArgs;
use crate::knowledge;
use crate::output::table;
use crate::storage;

/// Written by the weerbaar project for this demo (no third-party data).
const DEMO_SBOM: &str = include_str!("../../demo/burgerzaken-portal.cdx.json");
/// Restated public advisories and one KEV entry, used only while no real feeds are stored
/// (see demo/README.md); never written to the feed store.
const DEMO_ADVISORIES: &str = include_str!("../../demo/advisories.osv.jsonl");
const DEMO_KEV: &str = include_str!("../../demo/kev.json");
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

    // Match against the real feeds when they are stored, else against the demo advisories.
    let data_dir = storage::data_dir(storage_args);
    let (knowledge, source) = match knowledge::load(&data_dir, &[])? {
        Ok(k) => (k, "the stored feeds"),
        Err(_) => {
            let advisories =
                osv::parse_jsonl("demo/advisories.osv.jsonl", DEMO_ADVISORIES.as_bytes())?;
            let catalog = kev::parse("demo/kev.json", DEMO_KEV.as_bytes())?;
            (
                Knowledge::build(&advisories, &[], Some(&catalog), None),
                "weerbaar's demo advisories (run `weerbaar feeds sync` for the real feeds)",
            )
        }
    };
    let mapping = knowledge::mapping(None)?;
    let rematch = weerbaar_tracking::rematch(
        &store,
        &tenant,
        &knowledge,
        &mapping,
        None,
        knowledge::threads(None),
        &storage::actor(),
    )
    .await?;
    let findings: Vec<weerbaar_plan::Finding> = store
        .findings(&tenant, FindingFilter::default())
        .await?
        .iter()
        .map(super::plan::to_plan)
        .collect();
    store.close().await;
    let today = jiff::Timestamp::now()
        .to_zoned_datetime(crate::output::display_zone())
        .date();
    let plan = weerbaar_plan::build(
        TENANT,
        &findings,
        &[],
        &weerbaar_plan::Policy::default(),
        today,
    );

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
    writeln!(
        out,
        "\nMatched against {source}: {} findings open ({} new now).\n",
        rematch.new + rematch.still_open,
        rematch.new
    )?;
    write!(out, "{}", super::plan::plan_table(&plan, Lang::En)?)?;
    writeln!(out, "\nNext:")?;
    writeln!(
        out,
        "  weerbaar plan -t {TENANT} --format html -o plan.html   # printable"
    )?;
    writeln!(
        out,
        "  weerbaar scan crates/weerbaar/demo/burgerzaken-portal.cdx.json --advisories crates/weerbaar/demo/advisories.osv.jsonl"
    )?;
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
