//! `weerbaar demo`: a demo provider with several municipalities, with no setup; and `demo
//! generate`, the synthetic portfolio for load tests. The data and the seeding live in
//! `weerbaar-demo`; this module picks the knowledge (the cached stored feeds, else the demo
//! dataset) and prints.

use std::io::{self, IsTerminal, Write};
use std::time::Instant;

use weerbaar_demo::{Dataset, GenerateOptions, KnowledgeSource};
use weerbaar_plan::Lang;
use weerbaar_scan::Knowledge;
use weerbaar_store::{FindingFilter, NewToken, Scope, TenantId};

use super::Status;
use crate::cli::{DemoArgs, DemoCommand, DemoGenerateArgs, StorageArgs};
use crate::knowledge;
use crate::output::table;
use crate::storage;

pub async fn run(storage_args: &StorageArgs, args: DemoArgs) -> anyhow::Result<Status> {
    match args.command {
        None => {
            let status = seed(storage_args).await?;
            if !args.no_serve {
                announce_api(storage_args, &args.bind).await?;
            }
            Ok(status)
        }
        Some(DemoCommand::Generate(args)) => generate(storage_args, &args).await,
    }
}

/// The stored feeds (through the compiled-knowledge cache) when there are any, else the demo
/// dataset.
fn demo_knowledge(storage_args: &StorageArgs) -> anyhow::Result<(Knowledge, KnowledgeSource)> {
    let data_dir = storage::data_dir(storage_args);
    Ok(match knowledge::load(&data_dir, &[])? {
        Ok(k) => (k, KnowledgeSource::StoredFeeds),
        Err(_) => (Dataset::load()?.knowledge(), KnowledgeSource::DemoDataset),
    })
}

async fn seed(storage_args: &StorageArgs) -> anyhow::Result<Status> {
    let (knowledge, source) = demo_knowledge(storage_args)?;
    let store = storage::open(storage_args).await?;
    let summary = weerbaar_demo::seed_demo_with(&store, &knowledge, source).await?;

    // The first municipality's plan, as an example of what every tenant gets.
    let first = summary
        .tenants
        .first()
        .ok_or_else(|| anyhow::anyhow!("the demo has no municipalities"))?;
    let findings: Vec<weerbaar_plan::Finding> = store
        .findings(&first.tenant, FindingFilter::default())
        .await?
        .iter()
        .map(super::plan::to_plan)
        .collect();
    let exceptions = super::exception::in_force(&store, &first.tenant).await?;
    store.close().await;
    let today = jiff::Timestamp::now()
        .to_zoned_datetime(crate::output::display_zone())
        .date();
    let plan = weerbaar_plan::build(
        first.tenant.as_str(),
        &findings,
        &exceptions,
        &weerbaar_plan::Policy::default(),
        today,
    );

    let mut out = io::stdout().lock();
    writeln!(
        out,
        "The demo provider (demo data: fictional municipalities) now holds:\n"
    )?;
    let rows: Vec<Vec<String>> = summary
        .tenants
        .iter()
        .map(|t| {
            vec![
                t.tenant.to_string(),
                t.name.clone(),
                t.assets.to_string(),
                t.components.to_string(),
                t.open_findings.to_string(),
            ]
        })
        .collect();
    table(
        &mut out,
        &["TENANT", "NAME", "ASSETS", "COMPONENTS", "OPEN FINDINGS"],
        &rows,
    )?;
    let new: usize = summary.tenants.iter().map(|t| t.new_findings).sum();
    writeln!(
        out,
        "\nMatched against {}: {} findings open ({new} new now).\n",
        source.describe(),
        summary.open_findings(),
    )?;
    writeln!(out, "Patch plan of {} ({}):\n", first.name, first.tenant)?;
    write!(out, "{}", super::plan::plan_table(&plan, Lang::En)?)?;
    let t = &first.tenant;
    writeln!(out, "\nNext:")?;
    writeln!(
        out,
        "  weerbaar plan -t {t} --format html -o plan.html   # printable"
    )?;
    writeln!(
        out,
        "  weerbaar exposure CVE-2024-6387              # every tenant"
    )?;
    writeln!(out, "  weerbaar inventory list -t {t}")?;
    writeln!(out, "  weerbaar exception list -t {t}")?;
    writeln!(
        out,
        "  weerbaar scan crates/weerbaar-demo/data/burgerzaken-portal.cdx.json --advisories crates/weerbaar-demo/data/feeds"
    )?;
    Ok(Status::Success)
}

/// The provider's own tenant in the demo; it holds the demo's API token.
const PROVIDER: &str = "demo-provider";

/// Before the demo serves: a fresh one-day provider token (admin, read) and where to use it.
async fn announce_api(storage_args: &StorageArgs, bind: &str) -> anyhow::Result<()> {
    let store = storage::open(storage_args).await?;
    let provider = TenantId::new(PROVIDER)?;
    if store.tenant(&provider).await.is_err() {
        store
            .add_tenant(&provider, "IT provider (demo)", "demo")
            .await?;
    }
    let created = store
        .create_token(
            &provider,
            "demo",
            &NewToken {
                name: "demo".to_owned(),
                scopes: vec![Scope::Admin, Scope::Read],
                expires_at: jiff::Timestamp::now().as_second() + 86_400,
            },
        )
        .await?;
    store.close().await;
    let mut out = io::stdout().lock();
    writeln!(
        out,
        "\nServing the API on http://{bind}/api/v1 (OpenAPI document: /api/v1/openapi.json)."
    )?;
    writeln!(
        out,
        "A provider token valid for one day (admin, read), shown only now:\n  {}",
        created.token
    )?;
    writeln!(
        out,
        "  curl -H 'Authorization: Bearer {}' http://{bind}/api/v1/tenants",
        created.token
    )?;
    writeln!(
        out,
        "Stop with Ctrl-C; `weerbaar demo --no-serve` only seeds."
    )?;
    out.flush()?;
    Ok(())
}

async fn generate(storage_args: &StorageArgs, args: &DemoGenerateArgs) -> anyhow::Result<Status> {
    let knowledge = if args.no_match {
        None
    } else {
        Some(demo_knowledge(storage_args)?.0)
    };
    let store = storage::open(storage_args).await?;
    let options = GenerateOptions {
        tenants: args.tenants,
        assets: args.assets,
        components: args.components,
        seed: args.seed,
    };
    let started = Instant::now();
    let terminal = io::stderr().is_terminal();
    let mut shown = None;
    let summary = weerbaar_demo::generate(&store, &options, knowledge.as_ref(), &mut |p| {
        // Every percent on a terminal; every tenant in a log.
        let key = if terminal {
            p.percent()
        } else {
            u64::try_from(p.tenants_done).unwrap_or(0)
        };
        if shown != Some(key) {
            shown = Some(key);
            let line = format!(
                "generating: {:3}% ({} of {} tenants, {} of {} components, {:.0} s)",
                p.percent(),
                p.tenants_done,
                p.tenants,
                p.components_done,
                p.components_total,
                started.elapsed().as_secs_f64()
            );
            if terminal {
                eprint!("\r{line}");
            } else {
                eprintln!("{line}");
            }
        }
    })
    .await?;
    if terminal {
        eprintln!();
    }
    let backend = store.backend();
    store.close().await;
    let elapsed = started.elapsed().as_secs_f64();
    let mut out = io::stdout().lock();
    writeln!(
        out,
        "Generated {} tenants, {} assets, {} components, {} open findings in {elapsed:.1} s \
         (import {:.1} s, {:.0} components/s; matching {:.1} s).",
        summary.tenants,
        summary.assets,
        summary.components,
        summary.findings,
        summary.import_seconds,
        summary.components as f64 / summary.import_seconds.max(0.001),
        summary.match_seconds,
    )?;
    if storage_args.database.is_none() && matches!(backend, weerbaar_store::Backend::Sqlite) {
        let path = storage::data_dir(storage_args).join(weerbaar_store::SQLITE_FILE);
        if let Ok(meta) = std::fs::metadata(&path) {
            writeln!(
                out,
                "Database {}: {:.1} MB.",
                path.display(),
                meta.len() as f64 / 1e6
            )?;
        }
    }
    Ok(Status::Success)
}
