//! `weerbaar scan`: inventories matched against the feeds, nothing stored.

use std::io::Write;

use weerbaar_scan::report::Finding;
use weerbaar_scan::{ScanInput, ScanOptions, ScanReport};

use super::Status;
use super::inventory::{enrich, import_options, parse_all};
use crate::cli::{ScanArgs, StorageArgs};
use crate::knowledge::{self, NoFeeds};
use crate::output::{self, Format};
use crate::storage;

pub fn run(storage_args: &StorageArgs, args: &ScanArgs) -> anyhow::Result<Status> {
    let options = import_options(&args.input)?;
    let mapping = match knowledge::mapping(args.cpe_mapping.as_deref()) {
        Ok(mapping) => mapping,
        Err(e) => {
            eprintln!("error: {e:#}");
            return Ok(Status::Failure);
        }
    };
    let Some(mut pending) = parse_all(&args.input, &options, true)? else {
        eprintln!("nothing was scanned");
        return Ok(Status::Failure);
    };
    let enriched = enrich(&mut pending);
    let inputs: Vec<ScanInput> = pending
        .into_iter()
        .zip(enriched)
        .map(|(p, mut asset)| {
            asset.name = Some(p.name);
            ScanInput {
                file: p.files.join(", "),
                format: p.format.name().to_owned(),
                assets: vec![asset],
            }
        })
        .collect();

    let data_dir = storage::data_dir(storage_args);
    let knowledge = match knowledge::load(&data_dir, &args.advisories) {
        Ok(Ok(knowledge)) => knowledge,
        Ok(Err(NoFeeds(message))) => {
            eprintln!("error: {message}, or pass --advisories PATH");
            return Ok(Status::Failure);
        }
        Err(e) => {
            eprintln!("error: {e:#}");
            return Ok(Status::Failure);
        }
    };
    let report = weerbaar_scan::scan(
        &knowledge,
        &mapping,
        &inputs,
        &ScanOptions {
            generated_at: jiff::Timestamp::now()
                .round(jiff::Unit::Second)?
                .to_string(),
            tool_version: env!("CARGO_PKG_VERSION").to_owned(),
            threads: knowledge::threads(args.threads),
        },
    );
    print(&report, args.format)?;
    Ok(if report.findings.is_empty() || args.exit_zero {
        Status::Success
    } else {
        Status::Findings
    })
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn score(f: &Finding) -> String {
    f.cvss
        .as_ref()
        .map_or_else(String::new, |c| format!("{:.1}", c.base_score))
}

fn kev(f: &Finding, long: bool) -> String {
    match &f.kev {
        None => String::new(),
        Some(k) if k.ransomware && long => format!("due {} (ransomware)", k.due_date),
        Some(k) if long => format!("due {}", k.due_date),
        Some(k) if k.ransomware => "yes, ransomware".to_owned(),
        Some(_) => "yes".to_owned(),
    }
}

fn epss(f: &Finding) -> String {
    f.epss
        .as_ref()
        .map_or_else(String::new, |e| format!("{:.1}%", e.score * 100.0))
}

fn locations(f: &Finding) -> String {
    let names: Vec<&str> = f
        .locations
        .iter()
        .map(|l| l.asset.as_deref().unwrap_or(&l.file))
        .collect();
    match names.as_slice() {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [first, rest @ ..] => format!("{first} +{}", rest.len()),
    }
}

fn print(report: &ScanReport, format: Format) -> anyhow::Result<()> {
    // Buffered: a large report is hundreds of thousands of small writes, and stdout's own buffer
    // flushes at every newline.
    let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    match format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut out, report)?;
            writeln!(out)?;
        }
        Format::Csv => {
            output::csv_record(
                &mut out,
                &[
                    "advisory_id",
                    "aliases",
                    "severity",
                    "cvss_score",
                    "cvss_vector",
                    "kev_due_date",
                    "kev_ransomware",
                    "epss",
                    "epss_percentile",
                    "ecosystem",
                    "name",
                    "version",
                    "fixed_versions",
                    "matched_by",
                    "purl",
                    "cpe",
                    "locations",
                    "summary",
                ],
            )?;
            for f in &report.findings {
                let locations: Vec<String> = f
                    .locations
                    .iter()
                    .map(|l| match &l.asset {
                        Some(a) => format!("{a} ({})", l.file),
                        None => l.file.clone(),
                    })
                    .collect();
                output::csv_record(
                    &mut out,
                    &[
                        &f.advisory_id,
                        &f.aliases.join(" "),
                        f.severity,
                        &score(f),
                        f.cvss.as_ref().map_or("", |c| c.vector.as_str()),
                        f.kev.as_ref().map_or("", |k| k.due_date.as_str()),
                        f.kev
                            .as_ref()
                            .map_or("", |k| if k.ransomware { "yes" } else { "no" }),
                        &f.epss
                            .as_ref()
                            .map_or_else(String::new, |e| e.score.to_string()),
                        &f.epss
                            .as_ref()
                            .map_or_else(String::new, |e| e.percentile.to_string()),
                        f.package.ecosystem.as_deref().unwrap_or(""),
                        &f.package.name,
                        &f.package.version,
                        &f.fixed_versions.join(" "),
                        &matched_by(f),
                        f.package.purl.as_deref().unwrap_or(""),
                        f.cpe.as_deref().unwrap_or(""),
                        &locations.join("; "),
                        f.summary.as_deref().unwrap_or(""),
                    ],
                )?;
            }
        }
        Format::Table => {
            let rows: Vec<Vec<String>> = report
                .findings
                .iter()
                .map(|f| {
                    vec![
                        f.severity.to_uppercase(),
                        score(f),
                        kev(f, false),
                        epss(f),
                        f.advisory_id.clone(),
                        f.package.name.clone(),
                        f.package.version.clone(),
                        f.fixed_versions.first().cloned().unwrap_or_default(),
                        locations(f),
                    ]
                })
                .collect();
            if !rows.is_empty() {
                output::table(
                    &mut out,
                    &[
                        "SEVERITY", "CVSS", "KEV", "EPSS", "ID", "PACKAGE", "VERSION", "FIXED",
                        "WHERE",
                    ],
                    &rows,
                )?;
                writeln!(out)?;
            }
            let s = &report.summary;
            let scanned: usize = report.inputs.iter().map(|i| i.components).sum();
            writeln!(
                out,
                "{} in {} ({} critical, {} high, {} medium, {} low, {} unscored); \
                 {} in CISA KEV ({} ransomware); {} fixable. {} scanned.",
                plural(s.findings, "vulnerability", "vulnerabilities"),
                plural(s.packages, "package", "packages"),
                s.critical,
                s.high,
                s.medium,
                s.low,
                s.none + s.unknown,
                s.kev,
                s.ransomware,
                s.fixable,
                plural(scanned, "component", "components"),
            )?;
            if let Some(f) = report.findings.iter().find(|f| f.kev.is_some()) {
                writeln!(
                    out,
                    "Most urgent: {} in {} {}, exploited in the wild, {}.",
                    f.advisory_id,
                    f.package.name,
                    f.package.version,
                    kev(f, true)
                )?;
            }
        }
    }
    out.flush()?;
    Ok(())
}

/// The contract's spelling (`purl`, `cpe`, `name-mapping`…), from the one serde definition.
fn matched_by(f: &Finding) -> String {
    serde_json::to_value(f.matched_by)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}
