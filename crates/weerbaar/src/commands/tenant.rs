//! `weerbaar tenant …`

use std::io::{self, Write};

use weerbaar_store::TenantId;

use super::Status;
use crate::cli::{StorageArgs, TenantCommand};
use crate::output::{Format, csv_record, local_time, rfc3339, table};
use crate::storage;

pub async fn run(storage_args: &StorageArgs, cmd: TenantCommand) -> anyhow::Result<Status> {
    let store = storage::open(storage_args).await?;
    let mut out = io::stdout().lock();
    let status = match cmd {
        TenantCommand::Add(args) => {
            let id = TenantId::new(&args.id)?;
            let name = args.name.unwrap_or_else(|| args.id.clone());
            let tenant = store.add_tenant(&id, &name, &storage::actor()).await?;
            writeln!(out, "created tenant {} ({})", tenant.id, tenant.name)?;
            Status::Success
        }
        TenantCommand::List(args) => {
            let tenants = store.tenants().await?;
            match args.format {
                Format::Table => {
                    let rows: Vec<Vec<String>> = tenants
                        .iter()
                        .map(|t| vec![t.id.to_string(), t.name.clone(), local_time(t.created_at)])
                        .collect();
                    table(&mut out, &["TENANT", "NAME", "CREATED"], &rows)?;
                }
                Format::Json => {
                    let list: Vec<_> = tenants
                        .iter()
                        .map(|t| {
                            serde_json::json!({
                                "id": t.id, "name": t.name, "created_at": rfc3339(t.created_at)
                            })
                        })
                        .collect();
                    serde_json::to_writer_pretty(&mut out, &list)?;
                    writeln!(out)?;
                }
                Format::Csv => {
                    csv_record(&mut out, &["id", "name", "created_at"])?;
                    for t in &tenants {
                        csv_record(&mut out, &[t.id.as_str(), &t.name, &rfc3339(t.created_at)])?;
                    }
                }
            }
            Status::Success
        }
    };
    store.close().await;
    Ok(status)
}
