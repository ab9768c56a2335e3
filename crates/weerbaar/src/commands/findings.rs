//! `weerbaar findings`: rematching stored inventories and listing findings over time.

use std::io::Write;

use anyhow::Context;
use jiff::civil::Date;
use weerbaar_store::{FindingFilter, StoredFinding, TenantId};

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
    let summary = weerbaar_tracking::rematch(
        &store,
        &tenant,
        &knowledge,
        &mapping,
        None,
        knowledge::threads(args.threads),
        &storage::actor(),
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
