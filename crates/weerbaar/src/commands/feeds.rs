//! `weerbaar feeds`: import, sync and status of the advisory feeds in the data directory.

use std::io::Write;
use std::time::Duration;

use weerbaar_feeds::{HttpOptions, ProxyChoice, Source, UrlConfig};

use weerbaar_tracking::UpdatePath;

use crate::cli::{FeedsCommand, FeedsImportArgs, FeedsSyncArgs, FormatArg, StorageArgs};
use crate::commands::Status;
use crate::knowledge;
use crate::output::{self, Format};
use crate::storage;

pub fn run(storage: &StorageArgs, cmd: FeedsCommand) -> anyhow::Result<Status> {
    let data_dir = storage::data_dir(storage);
    match cmd {
        FeedsCommand::Import(args) => {
            let status = import(&data_dir, &args)?;
            if status == Status::Success && !args.no_rematch {
                super::runtime()?.block_on(rematch_after_update(storage))?;
            }
            Ok(status)
        }
        FeedsCommand::Sync(args) => {
            let (status, any_ok) = sync(&data_dir, &args)?;
            // A failed source kept its previous data; the others may have changed.
            if any_ok && !args.no_rematch {
                super::runtime()?.block_on(rematch_after_update(storage))?;
            }
            Ok(status)
        }
        FeedsCommand::Status(args) => status(&data_dir, &args),
    }
}

/// Brings every tenant's findings up to date with the stored feeds: incrementally, from the
/// advisory state saved at the last rematch, or in full when there is none (the same function
/// as the server's feed-sync job). Reports one line on stderr, keeping stdout the command's
/// summary. Nothing to do without tenants, or when the feeds are the ones last matched.
async fn rematch_after_update(storage_args: &StorageArgs) -> anyhow::Result<()> {
    let data_dir = storage::data_dir(storage_args);
    let store = storage::open(storage_args).await?;
    let result = weerbaar_jobs::tasks::rematch_after_feed_update(
        &store,
        &data_dir,
        &storage::actor(),
        std::sync::Arc::new(knowledge::notes),
    )
    .await;
    store.close().await;
    let Some(done) = result? else {
        return Ok(());
    };
    for d in &done.deliveries {
        eprintln!("notification: {d}");
    }
    let summary = done.summary;
    let how = match summary.path {
        UpdatePath::Unchanged => "unchanged advisories",
        UpdatePath::Full => "full rematch",
        UpdatePath::Incremental => "incremental",
    };
    eprintln!(
        "findings: {} new, {} resolved across {} tenants ({how})",
        summary.new, summary.resolved, summary.tenants
    );
    Ok(())
}

fn import(data_dir: &std::path::Path, args: &FeedsImportArgs) -> anyhow::Result<Status> {
    let reports = match weerbaar_feeds::import(data_dir, &args.paths) {
        Ok(reports) => reports,
        Err(e) => {
            eprintln!("error: {e}");
            eprintln!("nothing was imported");
            return Ok(Status::Failure);
        }
    };
    let mut out = std::io::stdout().lock();
    match args.format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut out, &reports)?;
            writeln!(out)?;
        }
        Format::Csv => {
            output::csv_record(&mut out, &["path", "source", "file", "size", "records"])?;
            for r in &reports {
                output::csv_record(
                    &mut out,
                    &[
                        &r.path,
                        r.source.name(),
                        &r.file,
                        &r.size.to_string(),
                        &r.records.to_string(),
                    ],
                )?;
            }
        }
        Format::Table => {
            let rows: Vec<Vec<String>> = reports
                .iter()
                .map(|r| {
                    vec![
                        r.path.clone(),
                        r.source.name().to_owned(),
                        r.file.clone(),
                        r.records.to_string(),
                    ]
                })
                .collect();
            output::table(&mut out, &["PATH", "SOURCE", "STORED AS", "RECORDS"], &rows)?;
        }
    }
    Ok(Status::Success)
}

/// Returns the status and whether any source was synced.
fn sync(data_dir: &std::path::Path, args: &FeedsSyncArgs) -> anyhow::Result<(Status, bool)> {
    let mut sources = Vec::new();
    for name in &args.sources {
        match name.parse::<Source>() {
            Ok(source) if !sources.contains(&source) => sources.push(source),
            Ok(_) => {}
            Err(e) => {
                eprintln!("error: {e}");
                return Ok((Status::Usage, false));
            }
        }
    }
    if sources.is_empty() {
        sources = Source::ALL.to_vec();
    }
    let mut urls = UrlConfig::from_env();
    if let Err(e) = urls.apply_args(&args.urls) {
        eprintln!("error: {e}");
        return Ok((Status::Usage, false));
    }
    let http = HttpOptions {
        proxy: args
            .proxy
            .clone()
            .map_or(ProxyChoice::Env, ProxyChoice::Url),
        timeout: Duration::from_secs(args.timeout.max(1)),
        nvd_api_key: std::env::var("WEERBAAR_NVD_API_KEY")
            .ok()
            .filter(|k| !k.is_empty()),
        no_proxy: None,
    };
    let results = match weerbaar_feeds::sync(data_dir, &sources, &urls, &http, &mut |line| {
        eprintln!("{line}");
    }) {
        Ok(results) => results,
        Err(e) => {
            eprintln!("error: {e}");
            return Ok((Status::Usage, false));
        }
    };

    let mut status = Status::Success;
    let mut any_ok = false;
    let mut rows = Vec::new();
    for (source, result) in sources.iter().zip(results) {
        match result {
            Ok(report) => {
                any_ok = true;
                let result = weerbaar_jobs::tasks::describe_sync(&report);
                rows.push((source.name(), result, Some(report.records), None));
            }
            Err(e) => {
                eprintln!("error: {e}");
                eprintln!("{source}: kept the previous data");
                status = Status::Failure;
                rows.push((
                    source.name(),
                    "failed".to_owned(),
                    None,
                    Some(e.to_string()),
                ));
            }
        }
    }
    let mut out = std::io::stdout().lock();
    match args.format {
        Format::Json => {
            let items: Vec<serde_json::Value> = rows
                .iter()
                .map(|(source, result, records, error)| {
                    serde_json::json!({
                        "source": source, "result": result, "records": records, "error": error,
                    })
                })
                .collect();
            serde_json::to_writer_pretty(&mut out, &items)?;
            writeln!(out)?;
        }
        Format::Csv => {
            output::csv_record(&mut out, &["source", "result", "records", "error"])?;
            for (source, result, records, error) in &rows {
                let records = records.map(|r| r.to_string()).unwrap_or_default();
                let error = error.clone().unwrap_or_default();
                output::csv_record(&mut out, &[source, result, &records, &error])?;
            }
        }
        Format::Table => {
            let rows: Vec<Vec<String>> = rows
                .into_iter()
                .map(|(source, result, records, _)| {
                    vec![
                        source.to_owned(),
                        result,
                        records.map_or_else(|| "-".to_owned(), |r| r.to_string()),
                    ]
                })
                .collect();
            output::table(&mut out, &["SOURCE", "RESULT", "RECORDS"], &rows)?;
        }
    }
    Ok((status, any_ok))
}

/// A duration for people: `3d 4h`, `5h 12m`, `7m`.
fn age(seconds: i64) -> String {
    let (d, h, m) = (
        seconds / 86_400,
        seconds % 86_400 / 3600,
        seconds % 3600 / 60,
    );
    if d > 0 {
        format!("{d}d {h}h")
    } else if h > 0 {
        format!("{h}h {m}m")
    } else {
        format!("{m}m")
    }
}

fn status(data_dir: &std::path::Path, args: &FormatArg) -> anyhow::Result<Status> {
    let states = weerbaar_feeds::status(data_dir, weerbaar_feeds::now())?;
    for s in &states {
        match (s.state, s.age_seconds) {
            ("missing", _) => eprintln!(
                "warning: {} has never been synced or imported (weerbaar feeds sync --source {})",
                s.source, s.source
            ),
            ("damaged", _) => eprintln!(
                "warning: {} is DAMAGED: a stored file is missing or changed; sync or import it again",
                s.source
            ),
            ("stale", Some(a)) => eprintln!(
                "warning: {} is STALE: last fetched {} ago, more than {}",
                s.source,
                age(a),
                age(s.stale_after_seconds)
            ),
            _ => {}
        }
    }
    let mut out = std::io::stdout().lock();
    match args.format {
        Format::Json => {
            let items: Vec<serde_json::Value> = states
                .iter()
                .map(|s| {
                    serde_json::json!({
                        "source": s.source.name(),
                        "state": s.state,
                        "stale": s.stale,
                        "records": s.records,
                        "files": s.files,
                        "fetched_at": s.fetched_at.map(output::rfc3339),
                        "age_seconds": s.age_seconds,
                        "stale_after_seconds": s.stale_after_seconds,
                    })
                })
                .collect();
            serde_json::to_writer_pretty(&mut out, &items)?;
            writeln!(out)?;
        }
        Format::Csv => {
            output::csv_record(
                &mut out,
                &[
                    "source",
                    "state",
                    "records",
                    "files",
                    "fetched_at",
                    "age_seconds",
                ],
            )?;
            for s in &states {
                output::csv_record(
                    &mut out,
                    &[
                        s.source.name(),
                        s.state,
                        &s.records.map(|r| r.to_string()).unwrap_or_default(),
                        &s.files.join(" "),
                        &s.fetched_at.map(output::rfc3339).unwrap_or_default(),
                        &s.age_seconds.map(|a| a.to_string()).unwrap_or_default(),
                    ],
                )?;
            }
        }
        Format::Table => {
            let rows: Vec<Vec<String>> = states
                .iter()
                .map(|s| {
                    let files = match s.files.len() {
                        0 => "-".to_owned(),
                        1 => s.files[0].clone(),
                        n => format!("{n} files"),
                    };
                    vec![
                        s.source.name().to_owned(),
                        files,
                        s.records.map_or_else(|| "-".to_owned(), |r| r.to_string()),
                        s.fetched_at
                            .map_or_else(|| "-".to_owned(), output::local_time),
                        s.age_seconds.map_or_else(|| "-".to_owned(), age),
                        match s.state {
                            "stale" => "STALE".to_owned(),
                            "damaged" => "DAMAGED".to_owned(),
                            other => other.to_owned(),
                        },
                    ]
                })
                .collect();
            output::table(
                &mut out,
                &[
                    "SOURCE",
                    "FILES",
                    "RECORDS",
                    "FETCHED (Brussels)",
                    "AGE",
                    "STATE",
                ],
                &rows,
            )?;
        }
    }
    Ok(Status::Success)
}
