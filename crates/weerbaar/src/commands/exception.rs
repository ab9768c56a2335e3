//! `weerbaar exception`: decisions about findings, and CycloneDX VEX in and out.

use std::io::Write;

use anyhow::Context;
use weerbaar_plan::{Exception, ExceptionKind, Justification, Scope};
use weerbaar_store::{NewException, Store, StoredException, TenantId};

use super::Status;
use super::findings::parse_day;
use crate::cli::{
    ExceptionAddArgs, ExceptionCommand, ExceptionListArgs, ExceptionRevokeArgs, StorageArgs,
    VexExportArgs, VexImportArgs,
};
use crate::output::{self, Format, csv_record, local_time, table};
use crate::storage;

pub async fn run(storage_args: &StorageArgs, cmd: ExceptionCommand) -> anyhow::Result<Status> {
    match cmd {
        ExceptionCommand::Add(args) => add(storage_args, &args).await,
        ExceptionCommand::List(args) => list(storage_args, &args).await,
        ExceptionCommand::Revoke(args) => revoke(storage_args, &args).await,
        ExceptionCommand::Import(args) => import(storage_args, &args).await,
        ExceptionCommand::Export(args) => export(storage_args, &args).await,
    }
}

fn today() -> jiff::civil::Date {
    jiff::Timestamp::now()
        .to_zoned_datetime(output::display_zone())
        .date()
}

fn to_new(e: &Exception) -> anyhow::Result<NewException> {
    Ok(NewException {
        advisory: e.scope.advisory.clone(),
        body: serde_json::to_value(e)?,
    })
}

/// The exceptions in force of `tenant`, as the plan reads them.
pub async fn in_force(store: &Store, tenant: &TenantId) -> anyhow::Result<Vec<Exception>> {
    Ok(weerbaar_tracking::judge::exceptions_in_force(store, tenant).await?)
}

async fn add(storage_args: &StorageArgs, args: &ExceptionAddArgs) -> anyhow::Result<Status> {
    let tenant = TenantId::new(&args.tenant.tenant)?;
    let kind = match (
        &args.not_affected,
        &args.accepted_until,
        args.false_positive,
    ) {
        (Some(j), None, false) => ExceptionKind::NotAffected {
            justification: j.parse::<Justification>().map_err(anyhow::Error::msg)?,
        },
        (None, Some(day), false) => ExceptionKind::AcceptedRisk {
            expires: parse_day(day)?,
        },
        (None, None, true) => ExceptionKind::FalsePositive,
        _ => {
            eprintln!(
                "error: give exactly one of --not-affected, --accepted-until, --false-positive"
            );
            return Ok(Status::Usage);
        }
    };
    if args.reason.trim().is_empty() {
        eprintln!("error: --reason must say why");
        return Ok(Status::Usage);
    }
    let exception = Exception {
        scope: Scope {
            advisory: args.advisory.trim().to_owned(),
            package: args.package.clone(),
            asset: args.asset.clone(),
        },
        kind,
        author: storage::actor(),
        reason: args.reason.trim().to_owned(),
        date: today(),
    };
    let store = storage::open(storage_args).await?;
    let ids = store
        .add_exceptions(&tenant, &storage::actor(), &[to_new(&exception)?])
        .await?;
    println!(
        "{}: {} for {}",
        ids.first().map_or("", String::as_str),
        exception.kind.text(weerbaar_plan::Lang::En),
        args.advisory.trim()
    );
    Ok(Status::Success)
}

fn describe(s: &StoredException) -> (String, String, String) {
    match serde_json::from_value::<Exception>(s.body.clone()) {
        Ok(e) => {
            let mut scope = e.scope.advisory.clone();
            if let Some(p) = &e.scope.package {
                scope.push_str(&format!(" / {p}"));
            }
            if let Some(a) = &e.scope.asset {
                scope.push_str(&format!(" @ {a}"));
            }
            (scope, e.kind.text(weerbaar_plan::Lang::En), e.reason)
        }
        Err(e) => (String::new(), format!("unreadable: {e}"), String::new()),
    }
}

async fn list(storage_args: &StorageArgs, args: &ExceptionListArgs) -> anyhow::Result<Status> {
    let tenant = TenantId::new(&args.tenant.tenant)?;
    let store = storage::open(storage_args).await?;
    store.tenant(&tenant).await?;
    let all = store.exceptions(&tenant, args.all).await?;
    let mut out = std::io::stdout().lock();
    match args.format.format {
        Format::Json => {
            for e in &all {
                serde_json::to_writer(&mut out, e)?;
                writeln!(out)?;
            }
        }
        Format::Csv => {
            csv_record(
                &mut out,
                &["id", "scope", "decision", "reason", "created_by", "revoked"],
            )?;
            for e in &all {
                let (scope, decision, reason) = describe(e);
                csv_record(
                    &mut out,
                    &[
                        &e.id,
                        &scope,
                        &decision,
                        &reason,
                        &e.created_by,
                        &e.revoked_at.map(output::rfc3339).unwrap_or_default(),
                    ],
                )?;
            }
        }
        Format::Table => {
            let rows: Vec<Vec<String>> = all
                .iter()
                .map(|e| {
                    let (scope, decision, reason) = describe(e);
                    vec![
                        e.id.clone(),
                        scope,
                        decision,
                        e.created_by.clone(),
                        local_time(e.created_at),
                        e.revoked_at.map(local_time).unwrap_or_default(),
                        reason,
                    ]
                })
                .collect();
            table(
                &mut out,
                &[
                    "ID", "SCOPE", "DECISION", "BY", "CREATED", "REVOKED", "REASON",
                ],
                &rows,
            )?;
        }
    }
    Ok(Status::Success)
}

async fn revoke(storage_args: &StorageArgs, args: &ExceptionRevokeArgs) -> anyhow::Result<Status> {
    let tenant = TenantId::new(&args.tenant.tenant)?;
    let store = storage::open(storage_args).await?;
    if store
        .revoke_exception(&tenant, &storage::actor(), &args.id)
        .await?
    {
        println!("{}: revoked", args.id);
        Ok(Status::Success)
    } else {
        eprintln!(
            "error: tenant {tenant} has no exception {:?} in force",
            args.id
        );
        Ok(Status::Failure)
    }
}

async fn import(storage_args: &StorageArgs, args: &VexImportArgs) -> anyhow::Result<Status> {
    let tenant = TenantId::new(&args.tenant.tenant)?;
    let file = args.file.display().to_string();
    let bytes = std::fs::read(&args.file).with_context(|| format!("reading {file}"))?;
    let imported = match weerbaar_plan::vex::import(
        &file,
        &bytes,
        &weerbaar_plan::vex::ImportOptions {
            author: storage::actor(),
            date: today(),
            asset: args.asset.clone(),
        },
    ) {
        Ok(imported) => imported,
        Err(e) => {
            eprintln!("error: {e}");
            eprintln!("nothing was imported");
            return Ok(Status::Failure);
        }
    };
    let new: Vec<NewException> = imported
        .exceptions
        .iter()
        .map(to_new)
        .collect::<anyhow::Result<_>>()?;
    let store = storage::open(storage_args).await?;
    let ids = store
        .add_exceptions(&tenant, &storage::actor(), &new)
        .await?;
    for s in &imported.skipped {
        eprintln!(
            "note: {file}: {} ({}): no exception (state {})",
            s.path,
            s.id,
            s.state.as_deref().unwrap_or("none")
        );
    }
    println!("{tenant}: {} exceptions imported from {file}", ids.len());
    Ok(Status::Success)
}

async fn export(storage_args: &StorageArgs, args: &VexExportArgs) -> anyhow::Result<Status> {
    let tenant = TenantId::new(&args.tenant.tenant)?;
    let store = storage::open(storage_args).await?;
    store.tenant(&tenant).await?;
    let exceptions = in_force(&store, &tenant).await?;
    let doc = weerbaar_plan::vex::export(&exceptions, today());
    let text = serde_json::to_string_pretty(&doc)? + "\n";
    match &args.output {
        Some(path) => {
            std::fs::write(path, text).with_context(|| format!("writing {}", path.display()))?;
        }
        None => std::io::stdout().lock().write_all(text.as_bytes())?,
    }
    Ok(Status::Success)
}
