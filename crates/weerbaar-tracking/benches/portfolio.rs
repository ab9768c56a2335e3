//! Portfolio benchmark: `exposure` across 300 tenants and the incremental rematch after a feed
//! update, on a SQLite store in a temporary directory.
//!
//! The fleet is `corpus::Fleet` (300 tenants × 3,300 component instances from a pool of 60,000
//! packages, stored as 33 assets of 100 components per tenant, duplicates on one asset merged),
//! the advisories `corpus::Advisories` (500,000 unless `ADVISORIES` says otherwise). A full
//! rematch of every tenant populates the findings; then `Store::exposure` is timed for the most
//! and the least frequent id (median of 20), and `rematch_delta` for 1,000 new advisories of
//! another seed (`DELTAS` times, each with a fresh seed).
//!
//! Run: `scripts/bench-portfolio` (or `cargo bench -p weerbaar-tracking --bench portfolio`).
//! Environment: `TENANTS`, `PER_TENANT`, `POOL`, `ADVISORIES`, `DELTA`, `DELTAS`, `THREADS`,
//! `BENCH_DIR` (where the database goes; default the system temporary directory).

use std::collections::HashMap;
use std::time::{Duration, Instant};

use weerbaar_advisories::osv::Advisory;
use weerbaar_inventory::model::{Component, Location, Source};
use weerbaar_inventory::{Format, ImportedAsset};
use weerbaar_matching::corpus::{Advisories, Fleet, SEED};
use weerbaar_matching::{IndexBuilder, Mapping, Matcher};
use weerbaar_scan::Knowledge;
use weerbaar_store::{AssetImport, Store, TenantId};

fn env(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn secs(d: Duration) -> String {
    format!("{:.2} s", d.as_secs_f64())
}

/// 1,000 advisories that are new: another seed, and ids and aliases renamed so they join no
/// alias group of the corpus (whose ids depend on the position only).
fn new_advisories(seed: u64, n: usize, tag: usize) -> Vec<Advisory> {
    Advisories::new(seed)
        .take(n)
        .map(|mut a| {
            a.id = format!("{}-N{tag}", a.id);
            a.aliases = a
                .aliases
                .iter()
                .map(|c| c.replace("CVE-2024-", &format!("CVE-{}-", 2030 + tag)))
                .collect();
            a.modified = "2026-11-28T00:00:00Z".into();
            a
        })
        .collect()
}

fn knowledge(base: usize, extra: &[Advisory]) -> Knowledge {
    let mut builder = IndexBuilder::new();
    for a in Advisories::new(SEED).take(base) {
        builder.add(&a);
    }
    for a in extra {
        builder.add(a);
    }
    Knowledge {
        index: builder.finish(),
        ..Knowledge::default()
    }
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v.get(v.len() / 2).copied().unwrap_or_default()
}

fn rss() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM"))
                .map(|l| l.split_whitespace().skip(1).collect::<Vec<_>>().join(" "))
        })
        .unwrap_or_default()
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    if let Err(e) = run().await {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}

#[allow(clippy::too_many_lines)]
async fn run() -> Result<(), Box<dyn std::error::Error>> {
    let tenants = env("TENANTS", 300);
    let per_tenant = env("PER_TENANT", 3_300);
    let pool = env("POOL", 60_000);
    let n_advisories = env("ADVISORIES", 500_000);
    let delta_size = env("DELTA", 1_000);
    let deltas = env("DELTAS", 3);
    let threads = env("THREADS", 2);
    let per_asset = 100;
    let dir = std::env::var("BENCH_DIR")
        .map_or_else(|_| std::env::temp_dir(), std::path::PathBuf::from)
        .join(format!("weerbaar-portfolio-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let result = bench(
        &dir,
        (tenants, per_tenant, pool, per_asset),
        n_advisories,
        (delta_size, deltas),
        threads,
    )
    .await;
    let _ = std::fs::remove_dir_all(&dir);
    result
}

#[allow(clippy::too_many_lines)]
async fn bench(
    dir: &std::path::Path,
    (tenants, per_tenant, pool, per_asset): (usize, usize, usize, usize),
    n_advisories: usize,
    (delta_size, deltas): (usize, usize),
    threads: usize,
) -> Result<(), Box<dyn std::error::Error>> {
    println!(
        "portfolio: {tenants} tenants × {per_tenant} instances (pool {pool}), \
         {n_advisories} advisories, {deltas} × {delta_size} new advisories, {threads} threads"
    );
    let store = Store::open_data_dir(dir).await?;
    let fleet = Fleet::new(SEED ^ 1, pool, tenants, per_tenant);

    // Store the fleet.
    let t = Instant::now();
    let mut stored = 0usize;
    for (n, instances) in fleet.instances.chunks(per_tenant.max(1)).enumerate() {
        let tenant = TenantId::new(&format!("tenant-{n:03}"))?;
        store.add_tenant(&tenant, tenant.as_str(), "bench").await?;
        let assets: Vec<ImportedAsset> = instances
            .chunks(per_asset)
            .map(|chunk| {
                let mut seen = std::collections::HashSet::new();
                ImportedAsset {
                    components: chunk
                        .iter()
                        .filter(|&&i| seen.insert(i))
                        .filter_map(|&i| fleet.pool.get(i as usize))
                        .enumerate()
                        .map(|(line, (eco, name, version))| Component {
                            ecosystem: Some(eco.clone()),
                            name: name.clone(),
                            version: Some(version.clone()),
                            purl: None,
                            cpe: None,
                            vendor: None,
                            source_name: None,
                            source_version: None,
                            source: Source {
                                file: "inventory.csv".into(),
                                location: Location::Line(line + 1),
                            },
                        })
                        .collect(),
                    ..ImportedAsset::default()
                }
            })
            .collect();
        stored += assets.iter().map(|a| a.components.len()).sum::<usize>();
        let names: Vec<String> = (0..assets.len()).map(|a| format!("host-{a:03}")).collect();
        let imports: Vec<AssetImport<'_>> = assets
            .iter()
            .zip(&names)
            .map(|(asset, name)| AssetImport {
                asset,
                name,
                file: "inventory.csv",
                format: Format::Csv,
            })
            .collect();
        store.import_assets(&tenant, "bench", &imports).await?;
    }
    let import_time = t.elapsed();
    println!(
        "| store the fleet ({stored} components, {tenants} tenants) | {} |",
        secs(import_time)
    );

    let t = Instant::now();
    let base = knowledge(n_advisories, &[]);
    println!(
        "| build the index ({n_advisories} advisories) | {} |",
        secs(t.elapsed())
    );

    // Which ids are frequent and rare in this portfolio: matched once in memory.
    let comps = fleet.components();
    let found = Matcher { threads }.run(&base.index, &comps);
    let mut per_id: HashMap<&str, usize> = HashMap::new();
    for f in &found {
        *per_id.entry(f.id.as_str()).or_default() += f.components.len();
    }
    let frequent = per_id
        .iter()
        .max_by_key(|(id, n)| (**n, *id))
        .map(|(id, n)| ((*id).to_owned(), *n));
    let rare = per_id
        .iter()
        .min_by_key(|(id, n)| (**n, *id))
        .map(|(id, n)| ((*id).to_owned(), *n));
    drop(found);
    drop(comps);

    // Full rematch of every tenant.
    let mapping = Mapping::default();
    let t = Instant::now();
    let mut findings = 0usize;
    for n in 0..tenants {
        let tenant = TenantId::new(&format!("tenant-{n:03}"))?;
        let s =
            weerbaar_tracking::rematch(&store, &tenant, &base, &mapping, None, threads, "bench")
                .await?;
        findings += s.new;
    }
    println!(
        "| full rematch of every tenant ({findings} findings recorded) | {} |",
        secs(t.elapsed())
    );
    drop(base);

    // Exposure.
    for (label, id) in [("frequent", frequent), ("rare", rare)] {
        let Some((id, instances)) = id else { continue };
        let mut times = Vec::new();
        let mut rows = 0;
        for _ in 0..20 {
            let t = Instant::now();
            rows = store.exposure(&id).await?.len();
            times.push(t.elapsed());
        }
        println!(
            "| exposure {id} ({label}: {rows} findings, {instances} expected), median of 20 | {} | min {} max {} |",
            ms(median(times.clone())),
            ms(times.iter().min().copied().unwrap_or_default()),
            ms(times.iter().max().copied().unwrap_or_default()),
        );
    }

    // The portfolio's distinct packages (step 1 of rematch_delta), alone.
    let mut times = Vec::new();
    let mut packages = 0;
    for _ in 0..5 {
        let t = Instant::now();
        packages = store.portfolio_packages().await?.len();
        times.push(t.elapsed());
    }
    println!(
        "| distinct packages of the portfolio ({packages}), median of 5 | {} |",
        ms(median(times))
    );

    // Incremental rematch after adding new advisories.
    let mut extra: Vec<Advisory> = Vec::new();
    for d in 0..deltas {
        let new = new_advisories(SEED ^ (0xde17a + d as u64), delta_size, d);
        extra.extend(new.iter().cloned());
        let t = Instant::now();
        let full = knowledge(n_advisories, &extra);
        let build = t.elapsed();
        let delta_knowledge = Knowledge {
            index: weerbaar_matching::Index::build(&new),
            ..Knowledge::default()
        };
        let mut ids: Vec<String> = new
            .iter()
            .flat_map(|a| std::iter::once(a.id.clone()).chain(a.aliases.iter().cloned()))
            .collect();
        ids.sort();
        ids.dedup();
        let t = Instant::now();
        let s = weerbaar_tracking::rematch_delta(
            &store,
            &full,
            &delta_knowledge,
            &ids,
            &mapping,
            threads,
            "bench",
        )
        .await?;
        let elapsed = t.elapsed();
        println!(
            "| rematch_delta #{} ({delta_size} new advisories: {} hit of {} packages, {} new findings in {} tenants, {} still open, {} resolved) | {} | (index rebuild outside the timing: {}) |",
            d + 1,
            s.hit_packages,
            s.packages,
            s.new,
            s.tenants,
            s.still_open,
            s.resolved,
            secs(elapsed),
            secs(build),
        );
        println!(
            "|   steps: distinct packages {}, match against the delta {}, instances and open \
             findings {}, match against everything {}, record per tenant {} | |",
            ms(s.steps.packages),
            ms(s.steps.match_delta),
            ms(s.steps.instances),
            ms(s.steps.match_full),
            ms(s.steps.record),
        );
    }
    let size = std::fs::metadata(dir.join(weerbaar_store::SQLITE_FILE)).map_or(0, |m| m.len());
    println!("database {} MB; peak memory {}", size / 1_000_000, rss());
    store.close().await;
    Ok(())
}
