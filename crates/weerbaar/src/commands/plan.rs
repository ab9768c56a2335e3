//! `weerbaar plan` and `weerbaar exposure`: stored findings judged by weerbaar-plan.

use std::io::Write;

use anyhow::Context;
use jiff::civil::Date;
use weerbaar_plan::{Lang, PolicySet};
use weerbaar_store::TenantId;

use super::Status;
use super::findings::parse_day;
use crate::cli::{ExposureArgs, FindingsStatsArgs, PlanArgs, PlanFormat, PolicyArgs, StorageArgs};
use crate::output::{self, Format, csv_record, table};
use crate::storage;

/// A stored finding as weerbaar-plan sees it (shared with the server: `weerbaar_tracking::judge`).
pub use weerbaar_tracking::judge::to_plan;

fn policies(args: &PolicyArgs) -> anyhow::Result<PolicySet> {
    let Some(path) = &args.policy else {
        return Ok(PolicySet::default());
    };
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    Ok(PolicySet::parse(&path.display().to_string(), &text)?)
}

fn today(args: &PolicyArgs) -> anyhow::Result<Date> {
    match &args.today {
        Some(day) => parse_day(day),
        None => Ok(jiff::Timestamp::now()
            .to_zoned_datetime(output::display_zone())
            .date()),
    }
}

pub async fn plan(storage_args: &StorageArgs, args: &PlanArgs) -> anyhow::Result<Status> {
    let tenant = TenantId::new(&args.tenant.tenant)?;
    let lang: Lang = args.lang.parse().map_err(anyhow::Error::msg)?;
    let policies = policies(&args.policy)?;
    let today = today(&args.policy)?;
    let store = storage::open(storage_args).await?;
    let plan = weerbaar_tracking::judge::tenant_plan(
        &store,
        &tenant,
        policies.for_tenant(tenant.as_str()),
        today,
    )
    .await?;
    let text = match args.format {
        PlanFormat::Html => weerbaar_plan::export::html(&plan, lang),
        PlanFormat::Csv => weerbaar_plan::export::csv(&plan, lang)?,
        PlanFormat::Json => serde_json::to_string_pretty(&plan)? + "\n",
        PlanFormat::Table => plan_table(&plan, lang)?,
    };
    match &args.output {
        Some(path) => {
            std::fs::write(path, text).with_context(|| format!("writing {}", path.display()))?;
        }
        None => std::io::stdout().lock().write_all(text.as_bytes())?,
    }
    Ok(Status::Success)
}

pub fn plan_table(plan: &weerbaar_plan::Plan, lang: Lang) -> anyhow::Result<String> {
    let mut out = Vec::new();
    let rows: Vec<Vec<String>> = plan
        .actions
        .iter()
        .map(|a| {
            vec![
                a.decision.label().to_owned(),
                a.due.to_string(),
                a.sla().text(lang).to_owned(),
                a.title(lang),
            ]
        })
        .collect();
    let (decision, due, state, action) = match lang {
        Lang::En => ("DECISION", "DUE", "STATE", "ACTION"),
        Lang::NlBe => ("BESLISSING", "DEADLINE", "STATUS", "ACTIE"),
    };
    table(&mut out, &[decision, due, state, action], &rows)?;
    let counts: Vec<String> = plan
        .counts()
        .iter()
        .map(|(d, n)| format!("{} {n}", d.label()))
        .collect();
    writeln!(
        out,
        "\n{}: {} ({}); {} overdue; {} set aside by exceptions; {} resolved.",
        plan.tenant,
        match lang {
            Lang::En => format!("{} actions", plan.actions.len()),
            Lang::NlBe => format!("{} acties", plan.actions.len()),
        },
        counts.join(", "),
        plan.overdue(),
        plan.excepted.len(),
        plan.resolved
    )?;
    Ok(String::from_utf8(out)?)
}

pub async fn exposure(storage_args: &StorageArgs, args: &ExposureArgs) -> anyhow::Result<Status> {
    let policies = policies(&args.policy)?;
    let today = today(&args.policy)?;
    let store = storage::open(storage_args).await?;
    let exposed =
        weerbaar_tracking::judge::exposure(&store, &args.id, &policies, today, None).await?;
    let mut out = std::io::stdout().lock();
    match args.format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut out, &exposed)?;
            writeln!(out)?;
        }
        Format::Csv => {
            csv_record(
                &mut out,
                &[
                    "tenant",
                    "asset",
                    "exposure",
                    "advisory_id",
                    "ecosystem",
                    "package",
                    "installed",
                    "fix",
                    "due",
                    "sla",
                ],
            )?;
            for e in &exposed {
                csv_record(
                    &mut out,
                    &[
                        &e.tenant,
                        &e.asset.name,
                        e.asset.exposure.as_str(),
                        &e.advisory_id,
                        &e.ecosystem,
                        &e.package,
                        &e.installed,
                        e.fix.as_deref().unwrap_or(""),
                        &e.due.date.to_string(),
                        e.sla.as_str(),
                    ],
                )?;
            }
        }
        Format::Table => {
            let rows: Vec<Vec<String>> = exposed
                .iter()
                .map(|e| {
                    vec![
                        e.tenant.clone(),
                        e.asset.name.clone(),
                        e.asset.exposure.as_str().to_owned(),
                        e.package.clone(),
                        e.installed.clone(),
                        e.fix.clone().unwrap_or_default(),
                        e.due.date.to_string(),
                        e.sla.text(Lang::En).to_owned(),
                    ]
                })
                .collect();
            table(
                &mut out,
                &[
                    "TENANT",
                    "ASSET",
                    "EXPOSURE",
                    "PACKAGE",
                    "INSTALLED",
                    "FIX",
                    "DUE",
                    "STATE",
                ],
                &rows,
            )?;
            let tenants: std::collections::BTreeSet<&str> =
                exposed.iter().map(|e| e.tenant.as_str()).collect();
            let count = |n: usize, one: &str, many: &str| {
                format!("{n} {}", if n == 1 { one } else { many })
            };
            writeln!(
                out,
                "\n{}: {} in {} exposed.",
                args.id.trim(),
                count(exposed.len(), "asset", "assets"),
                count(tenants.len(), "tenant", "tenants")
            )?;
        }
    }
    Ok(Status::Success)
}

/// The statistics of `findings stats`.
#[derive(Debug, serde::Serialize)]
struct Stats {
    tenant: String,
    today: Date,
    open: usize,
    overdue: usize,
    remediation: weerbaar_plan::sla::RemediationTimes,
    overdue_series: Vec<(Date, usize)>,
}

pub async fn stats(storage_args: &StorageArgs, args: &FindingsStatsArgs) -> anyhow::Result<Status> {
    let tenant = TenantId::new(&args.tenant.tenant)?;
    let policies = policies(&args.policy)?;
    let policy = policies.for_tenant(tenant.as_str());
    let today = today(&args.policy)?;
    let from = match &args.from {
        Some(day) => parse_day(day)?,
        None => today.checked_sub(jiff::Span::new().days(90))?,
    };
    let store = storage::open(storage_args).await?;
    store.tenant(&tenant).await?;
    let findings: Vec<weerbaar_plan::Finding> = store
        .findings(&tenant, Default::default())
        .await?
        .iter()
        .map(to_plan)
        .collect();
    let tracked: Vec<weerbaar_plan::sla::Tracked> = findings
        .iter()
        .map(|f| weerbaar_plan::sla::Tracked::of(f, policy))
        .collect();
    let stats = Stats {
        tenant: tenant.to_string(),
        today,
        open: tracked
            .iter()
            .filter(|t| t.resolved_at.is_none_or(|r| r > today))
            .count(),
        overdue: tracked
            .iter()
            .filter(|t| weerbaar_plan::sla::overdue_on(t, today))
            .count(),
        remediation: weerbaar_plan::sla::remediation_times(&tracked, today),
        overdue_series: weerbaar_plan::sla::overdue_series(&tracked, from, today, args.step),
    };
    let mut out = std::io::stdout().lock();
    match args.format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut out, &stats)?;
            writeln!(out)?;
        }
        Format::Csv => {
            csv_record(&mut out, &["date", "overdue"])?;
            for (day, n) in &stats.overdue_series {
                csv_record(&mut out, &[&day.to_string(), &n.to_string()])?;
            }
        }
        Format::Table => {
            let r = &stats.remediation;
            let days = |d: Option<i64>| d.map_or_else(|| "-".to_owned(), |d| format!("{d} days"));
            writeln!(
                out,
                "{}: {} open, {} overdue today ({today}).\n\
                 Time to remediate over {} resolved findings: median {}, p90 {}; {} resolved late.\n",
                stats.tenant,
                stats.open,
                stats.overdue,
                r.resolved,
                days(r.median_days),
                days(r.p90_days),
                r.late
            )?;
            writeln!(out, "Overdue findings:")?;
            let max = stats
                .overdue_series
                .iter()
                .map(|(_, n)| *n)
                .max()
                .unwrap_or(0);
            for (day, n) in &stats.overdue_series {
                // A bar of up to 50 cells, so the trend is seen before it is read.
                let cells = if max == 0 { 0 } else { (n * 50).div_ceil(max) };
                writeln!(out, "  {day}  {n:>5}  {}", "█".repeat(cells))?;
            }
        }
    }
    Ok(Status::Success)
}
