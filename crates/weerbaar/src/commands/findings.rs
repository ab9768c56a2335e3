//! `weerbaar findings`: rematching stored inventories and listing findings over time.

use std::io::Write;

use anyhow::Context;
use jiff::civil::Date;
use weerbaar_matching::Mapping;
use weerbaar_scan::Knowledge;
use weerbaar_store::{
    CvssFact, EpssFact, FindingFacts, FindingFilter, KevFact, ObservedFinding, RematchSummary,
    Store, StoredFinding, TenantId,
};

use super::Status;
use crate::cli::{FindingsCommand, FindingsListArgs, RefreshArgs, StorageArgs};
use crate::knowledge::{self, NoFeeds};
use crate::output::{self, Format, csv_record, local_time, rfc3339, table};
use crate::storage;

pub async fn run(storage_args: &StorageArgs, cmd: FindingsCommand) -> anyhow::Result<Status> {
    match cmd {
        FindingsCommand::Refresh(args) => refresh(storage_args, &args).await,
        FindingsCommand::List(args) => list(storage_args, &args).await,
        FindingsCommand::Stats(args) => super::plan::stats(storage_args, &args).await,
    }
}

/// Matches the stored components of `tenant` (of the assets in `scope`, or all) and records
/// what was found: new findings open, vanished ones resolve.
pub async fn rematch(
    store: &Store,
    tenant: &TenantId,
    knowledge: &Knowledge,
    mapping: &Mapping,
    scope: Option<&[String]>,
    threads: usize,
) -> anyhow::Result<RematchSummary> {
    let components = store.tenant_components(tenant, scope).await?;
    let refs: Vec<_> = components.iter().map(|c| &c.component).collect();
    let outcome = weerbaar_scan::match_components(knowledge, mapping, &refs, threads);
    let mut observed = Vec::new();
    for m in &outcome.findings {
        let f = &m.finding;
        let ids: Vec<String> = std::iter::once(f.advisory_id.clone())
            .chain(f.aliases.iter().cloned())
            .collect();
        let facts = FindingFacts {
            summary: f.summary.clone(),
            kev: f.kev.as_ref().map(|k| KevFact {
                cve: k.cve.clone(),
                date_added: k.date_added.clone(),
                due_date: k.due_date.clone(),
                ransomware: k.ransomware,
            }),
            epss: f.epss.as_ref().map(|e| EpssFact {
                cve: e.cve.clone(),
                score: e.score,
                percentile: e.percentile,
            }),
            cvss: f.cvss.as_ref().map(|c| CvssFact {
                version: c.version.clone(),
                vector: c.vector.clone(),
                base_score: c.base_score,
            }),
        };
        let matched_by = serde_json::to_value(f.matched_by)?
            .as_str()
            .unwrap_or_default()
            .to_owned();
        for c in m.components.iter().filter_map(|&i| components.get(i)) {
            observed.push(ObservedFinding {
                asset_key: c.asset_key.clone(),
                component_key: c.component_key.clone(),
                ids: ids.clone(),
                ecosystem: c.component.ecosystem.clone(),
                package: c.component.name.clone(),
                version: c.component.version.clone().unwrap_or_default(),
                purl: c.component.purl.clone(),
                fixed_versions: f.fixed_versions.clone(),
                matched_by: matched_by.clone(),
                cpe: f.cpe.clone(),
                facts: facts.clone(),
            });
        }
    }
    Ok(store
        .record_findings(tenant, &storage::actor(), scope, &observed)
        .await?)
}

async fn refresh(storage_args: &StorageArgs, args: &RefreshArgs) -> anyhow::Result<Status> {
    let tenant = TenantId::new(&args.tenant.tenant)?;
    let mapping = knowledge::mapping(args.cpe_mapping.as_deref())?;
    let knowledge = match knowledge::load(&storage::data_dir(storage_args), &args.advisories)? {
        Ok(k) => k,
        Err(NoFeeds(message)) => {
            eprintln!("error: {message}");
            return Ok(Status::Failure);
        }
    };
    let store = storage::open(storage_args).await?;
    let snapshot =
        crate::alerts::Snapshot::take(&store, &tenant, &storage::data_dir(storage_args)).await?;
    let summary = rematch(
        &store,
        &tenant,
        &knowledge,
        &mapping,
        None,
        knowledge::threads(args.threads),
    )
    .await?;
    if let Some(snapshot) = snapshot {
        snapshot.notify(&store).await?;
    }
    let mut out = std::io::stdout().lock();
    match args.format {
        Format::Json => writeln!(out, "{}", serde_json::to_string(&summary)?)?,
        Format::Csv => {
            csv_record(&mut out, &["new", "still_open", "resolved"])?;
            csv_record(
                &mut out,
                &[
                    &summary.new.to_string(),
                    &summary.still_open.to_string(),
                    &summary.resolved.to_string(),
                ],
            )?;
        }
        Format::Table => writeln!(
            out,
            "{tenant}: {} new, {} still open, {} resolved",
            summary.new, summary.still_open, summary.resolved
        )?,
    }
    Ok(Status::Success)
}

/// A `YYYY-MM-DD` day.
pub fn parse_day(text: &str) -> anyhow::Result<Date> {
    text.trim()
        .parse::<Date>()
        .with_context(|| format!("invalid date {text:?}: use YYYY-MM-DD"))
}

/// The first second of `day` in Brussels, as Unix seconds.
fn day_start(day: Date) -> anyhow::Result<i64> {
    Ok(day
        .to_zoned_datetime(output::display_zone())?
        .timestamp()
        .as_second())
}

async fn list(storage_args: &StorageArgs, args: &FindingsListArgs) -> anyhow::Result<Status> {
    let tenant = TenantId::new(&args.tenant.tenant)?;
    let since = args
        .new_since
        .as_deref()
        .map(parse_day)
        .transpose()?
        .map(day_start)
        .transpose()?;
    let store = storage::open(storage_args).await?;
    store.tenant(&tenant).await?;
    let findings = store
        .findings(
            &tenant,
            FindingFilter {
                open_only: args.open,
                first_seen_since: since,
            },
        )
        .await?;
    print_list(&findings, args.format)?;
    Ok(Status::Success)
}

fn state(f: &StoredFinding) -> String {
    match (f.resolved_at, f.resolution) {
        (None, _) => "open".to_owned(),
        (Some(_), Some(r)) => format!(
            "resolved ({})",
            serde_json::to_value(r)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default()
        ),
        (Some(_), None) => "resolved".to_owned(),
    }
}

fn print_list(findings: &[StoredFinding], format: Format) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    match format {
        Format::Json => {
            for f in findings {
                serde_json::to_writer(&mut out, f)?;
                writeln!(out)?;
            }
        }
        Format::Csv => {
            csv_record(
                &mut out,
                &[
                    "asset",
                    "id",
                    "aliases",
                    "ecosystem",
                    "package",
                    "version",
                    "fixed_versions",
                    "matched_by",
                    "kev_due_date",
                    "cvss",
                    "first_seen",
                    "last_seen",
                    "resolved_at",
                    "resolution",
                ],
            )?;
            for f in findings {
                csv_record(
                    &mut out,
                    &[
                        &f.asset,
                        &f.vuln_id,
                        &f.ids.get(1..).unwrap_or_default().join(" "),
                        f.ecosystem.as_deref().unwrap_or(""),
                        &f.package,
                        &f.version,
                        &f.fixed_versions.join(" "),
                        &f.matched_by,
                        f.facts.kev.as_ref().map_or("", |k| k.due_date.as_str()),
                        &f.facts
                            .cvss
                            .as_ref()
                            .map_or_else(String::new, |c| format!("{:.1}", c.base_score)),
                        &rfc3339(f.first_seen),
                        &rfc3339(f.last_seen),
                        &f.resolved_at.map(rfc3339).unwrap_or_default(),
                        &state(f),
                    ],
                )?;
            }
        }
        Format::Table => {
            let rows: Vec<Vec<String>> = findings
                .iter()
                .map(|f| {
                    vec![
                        f.asset.clone(),
                        f.vuln_id.clone(),
                        f.package.clone(),
                        f.version.clone(),
                        f.fixed_versions.first().cloned().unwrap_or_default(),
                        if f.facts.kev.is_some() { "yes" } else { "" }.to_owned(),
                        local_time(f.first_seen),
                        state(f),
                    ]
                })
                .collect();
            table(
                &mut out,
                &[
                    "ASSET",
                    "ID",
                    "PACKAGE",
                    "VERSION",
                    "FIXED",
                    "KEV",
                    "FIRST SEEN",
                    "STATE",
                ],
                &rows,
            )?;
        }
    }
    Ok(())
}
