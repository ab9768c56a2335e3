//! Ingestion throughput: inventories of 1,500 components pushed (`Store::enqueue_upload`) and
//! stored by workers (`Worker::process_one`), on SQLite and on PostgreSQL.
//!
//! Each run pushes `UPLOADS` inventories spread over `ASSETS` assets of `TENANTS` tenants, in two
//! rounds: first every asset is new, then every asset is pushed again with a tenth of its
//! packages upgraded (the daily steady state: the component set is replaced, first-seen dates
//! kept). Half the inventories are CycloneDX 1.6 JSON (npm, Maven, PyPI purls), half dpkg status
//! files. For each round it reports pushes per second (the enqueue alone, `CLIENTS` concurrent
//! clients) and inventories stored per second by `WORKERS` workers, each on its own pool (an
//! instance), with the queue full; and, end to end, pushes and workers running at once.
//!
//! Run: `cargo bench -p weerbaar-ingest --bench ingest`. Environment: `UPLOADS` (per round,
//! default 200), `ASSETS` (default = UPLOADS), `TENANTS` (10), `COMPONENTS` (1500), `WORKERS`
//! (2), `CLIENTS` (8), `BACKENDS` (`sqlite,postgres`), `WEERBAAR_BENCH_POSTGRES` (admin URL,
//! default `postgres://postgres@127.0.0.1:5432/postgres`; a database is created and dropped),
//! `BENCH_DIR` (where the SQLite file goes).

use std::fmt::Write as _;
use std::sync::Arc;
use std::time::{Duration, Instant};

use sqlx::Connection;
use weerbaar_ingest::{Outcome, Worker};
use weerbaar_store::{NewUpload, Store, TenantId};

fn env(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// An inventory of `n` components for asset `asset`, `round` bumping a tenth of the versions.
fn inventory(asset: usize, n: usize, round: usize) -> (String, Vec<u8>) {
    let bump = |i: usize| {
        if round > 0 && i % 10 == asset % 10 {
            round
        } else {
            0
        }
    };
    if asset.is_multiple_of(2) {
        let mut out = String::with_capacity(n * 260);
        out.push_str(
            r#"{"bomFormat":"CycloneDX","specVersion":"1.6","version":1,"metadata":{"component":{"type":"application","name":"app","version":"1.0"}},"components":["#,
        );
        for i in 0..n {
            if i > 0 {
                out.push(',');
            }
            let (ty, ns, sep) = match i % 3 {
                0 => ("npm", "", ""),
                1 => ("maven", "org.example.g", "/"),
                _ => ("pypi", "", ""),
            };
            let name = format!("lib{i}-{}", asset % 7);
            let version = format!("{}.{}.{}", 1 + i % 5, i % 13, bump(i));
            let _ = write!(
                out,
                r#"{{"type":"library","bom-ref":"c{i}","name":"{name}","version":"{version}","purl":"pkg:{ty}/{ns}{sep}{name}@{version}","licenses":[{{"license":{{"id":"MIT"}}}}]}}"#
            );
        }
        out.push_str("]}");
        ("bom.cdx.json".to_owned(), out.into_bytes())
    } else {
        let mut out = String::with_capacity(n * 200);
        for i in 0..n {
            let _ = write!(
                out,
                "Package: pkg{i}-{}\nStatus: install ok installed\nPriority: optional\n\
                 Section: libs\nInstalled-Size: {}\nMaintainer: Example <team@debian.example>\n\
                 Architecture: amd64\nSource: src{}\nVersion: {}.{}-{}\n\
                 Description: package {i}\n a longer description line\n\n",
                asset % 7,
                100 + i,
                i / 3,
                1 + i % 9,
                i % 17,
                1 + bump(i),
            );
        }
        ("status".to_owned(), out.into_bytes())
    }
}

#[derive(Clone, Copy)]
struct Setup {
    uploads: usize,
    assets: usize,
    tenants: usize,
    components: usize,
    workers: usize,
    clients: usize,
}

struct Row {
    backend: &'static str,
    round: &'static str,
    push_per_s: f64,
    store_per_s: f64,
    end_to_end_per_s: f64,
    components_per_s: f64,
}

async fn push_all(stores: &[Store], setup: &Setup, round: usize, tag: &str) -> Duration {
    let bodies: Arc<Vec<(String, Vec<u8>)>> = Arc::new(
        (0..setup.assets)
            .map(|a| inventory(a, setup.components, round))
            .collect(),
    );
    let started = Instant::now();
    let mut tasks = Vec::new();
    for client in 0..setup.clients {
        let store = stores[client % stores.len()].clone();
        let bodies = Arc::clone(&bodies);
        let (uploads, assets, tenants, clients) =
            (setup.uploads, setup.assets, setup.tenants, setup.clients);
        let tag = tag.to_owned();
        tasks.push(tokio::spawn(async move {
            for u in (client..uploads).step_by(clients) {
                let asset = u % assets;
                let (file, body) = &bodies[asset];
                store
                    .enqueue_upload(
                        NewUpload {
                            tenant: TenantId::new(&format!("t{}", asset % tenants))
                                .expect("tenant"),
                            file_name: file.clone(),
                            input_format: None,
                            asset_name: Some(format!("host-{asset}")),
                            body,
                            idempotency_key: Some(format!("{tag}-{u}")),
                        },
                        "bench",
                    )
                    .await
                    .expect("enqueue");
            }
        }));
    }
    for task in tasks {
        task.await.expect("join");
    }
    started.elapsed()
}

/// Runs the workers until they have stored `expected` uploads between them.
async fn work(workers: &[Worker], expected: u64) -> Duration {
    let started = Instant::now();
    let done = Arc::new(std::sync::atomic::AtomicU64::new(0));
    let mut tasks = Vec::new();
    for worker in workers {
        let worker = worker.clone();
        let done = Arc::clone(&done);
        tasks.push(tokio::spawn(async move {
            while done.load(std::sync::atomic::Ordering::Relaxed) < expected {
                match worker.process_one().await.expect("queue") {
                    Outcome::Done { .. } => {
                        done.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    }
                    Outcome::Idle => tokio::time::sleep(Duration::from_millis(2)).await,
                    other => panic!("unexpected outcome {other:?}"),
                }
            }
        }));
    }
    for task in tasks {
        task.await.expect("join");
    }
    started.elapsed()
}

async fn run(backend: &'static str, url: &str, setup: &Setup) -> Vec<Row> {
    let mut stores = Vec::new();
    for _ in 0..setup.workers.max(1) {
        stores.push(Store::open(url).await.expect("open"));
    }
    for t in 0..setup.tenants {
        let id = TenantId::new(&format!("t{t}")).expect("tenant");
        stores[0]
            .add_tenant(&id, &id.to_string(), "bench")
            .await
            .expect("tenant");
    }
    let workers: Vec<Worker> = stores
        .iter()
        .enumerate()
        .map(|(i, s)| {
            Worker::new(s.clone(), format!("bench-{i}")).with_lease(Duration::from_secs(600))
        })
        .collect();
    let per_s = |n: usize, d: Duration| n as f64 / d.as_secs_f64();
    let mut rows = Vec::new();
    for (round, name) in [(0, "new assets"), (1, "re-push, 10% upgraded")] {
        let push = push_all(&stores, setup, round, &format!("r{round}")).await;
        let store = work(&workers, setup.uploads as u64).await;
        rows.push(Row {
            backend,
            round: name,
            push_per_s: per_s(setup.uploads, push),
            store_per_s: per_s(setup.uploads, store),
            end_to_end_per_s: 0.0,
            components_per_s: per_s(setup.uploads * setup.components, store),
        });
    }
    // End to end: clients push while the workers store.
    let started = Instant::now();
    let (_, _) = tokio::join!(
        push_all(&stores, setup, 2, "r2"),
        work(&workers, setup.uploads as u64)
    );
    let total = started.elapsed();
    if let Some(last) = rows.last_mut() {
        last.end_to_end_per_s = per_s(setup.uploads, total);
    }
    split(backend, &stores[0], setup).await;
    for store in stores {
        store.close().await;
    }
    rows
}

/// Where one re-push's time goes, one upload at a time: claim (with the body), parse, store.
async fn split(backend: &str, store: &Store, setup: &Setup) {
    let n = setup.assets.min(40);
    let small = Setup {
        uploads: n,
        assets: n,
        clients: 1,
        ..*setup
    };
    push_all(std::slice::from_ref(store), &small, 3, "split").await;
    let (mut claim, mut parse, mut complete) = (Duration::ZERO, Duration::ZERO, Duration::ZERO);
    for _ in 0..n {
        let t0 = Instant::now();
        let claimed = store
            .claim_upload("split", Duration::from_secs(600))
            .await
            .expect("claim")
            .expect("queued");
        let t1 = Instant::now();
        let parsed = weerbaar_ingest::parse(&claimed, u64::MAX).expect("parse");
        let t2 = Instant::now();
        let imports: Vec<weerbaar_store::AssetImport<'_>> = parsed
            .assets
            .iter()
            .map(|a| weerbaar_store::AssetImport {
                asset: &a.asset,
                name: &a.name,
                file: &claimed.file_name,
                format: a.format,
            })
            .collect();
        store
            .complete_upload(&claimed, &imports)
            .await
            .expect("complete");
        let t3 = Instant::now();
        claim += t1 - t0;
        parse += t2 - t1;
        complete += t3 - t2;
    }
    let ms = |d: Duration| d.as_secs_f64() * 1000.0 / n as f64;
    println!(
        "{backend}: one re-push at a time: claim {:.1} ms, parse {:.1} ms, store {:.1} ms",
        ms(claim),
        ms(parse),
        ms(complete)
    );
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let uploads = env("UPLOADS", 200);
    let setup = Setup {
        uploads,
        assets: env("ASSETS", uploads).max(1),
        tenants: env("TENANTS", 10).max(1),
        components: env("COMPONENTS", 1500),
        workers: env("WORKERS", 2).max(1),
        clients: env("CLIENTS", 8).max(1),
    };
    let backends = std::env::var("BACKENDS").unwrap_or_else(|_| "sqlite,postgres".to_owned());
    println!(
        "ingest: {} uploads per round of {} components, {} assets, {} tenants, {} workers (one pool each), {} pushing clients",
        setup.uploads, setup.components, setup.assets, setup.tenants, setup.workers, setup.clients
    );
    // Parsing alone (import, naming, enrichment), one thread, for the split of the cost.
    for (asset, kind) in [(0, "CycloneDX JSON"), (1, "dpkg status")] {
        let (file, body) = inventory(asset, setup.components, 0);
        let claimed = weerbaar_store::ClaimedUpload {
            tenant: TenantId::new("t0").expect("tenant"),
            id: "bench".into(),
            file_name: file,
            input_format: None,
            asset_name: Some("host".into()),
            body,
            attempts: 1,
            worker: "bench".into(),
            lease_until: 0,
        };
        let runs = 20;
        let started = Instant::now();
        for _ in 0..runs {
            let parsed = weerbaar_ingest::parse(&claimed, u64::MAX).expect("parse");
            assert_eq!(parsed.assets.len(), 1);
        }
        let each = started.elapsed() / runs;
        println!(
            "parse {kind}: {:.1} ms per inventory ({} bytes)",
            each.as_secs_f64() * 1000.0,
            claimed.body.len()
        );
    }
    let mut rows = Vec::new();
    for backend in backends.split(',').map(str::trim) {
        match backend {
            "sqlite" => {
                let dir = std::env::var_os("BENCH_DIR")
                    .map_or_else(std::env::temp_dir, Into::into)
                    .join(format!("weerbaar-ingest-bench-{}", std::process::id()));
                std::fs::create_dir_all(&dir).expect("bench dir");
                let url = weerbaar_store::sqlite_url(&dir.join(weerbaar_store::SQLITE_FILE));
                rows.extend(run("sqlite", &url, &setup).await);
                let _ = std::fs::remove_dir_all(&dir);
            }
            "postgres" => {
                let admin_url = std::env::var("WEERBAAR_BENCH_POSTGRES")
                    .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned());
                sqlx::any::install_default_drivers();
                let Ok(mut admin) = sqlx::AnyConnection::connect(&admin_url).await else {
                    println!("postgres: unreachable, skipped");
                    continue;
                };
                let name = format!("weerbaar_ingest_bench_{}", std::process::id());
                sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
                    .execute(&mut admin)
                    .await
                    .expect("create database");
                let url = match admin_url.rfind('/') {
                    Some(i) => format!("{}/{name}", &admin_url[..i]),
                    None => panic!("no database in the admin URL"),
                };
                rows.extend(run("postgres", &url, &setup).await);
                sqlx::query(sqlx::AssertSqlSafe(format!(
                    "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
                )))
                .execute(&mut admin)
                .await
                .expect("drop database");
            }
            other => println!("{other}: unknown backend, skipped"),
        }
    }
    println!(
        "\n{:<9} {:<24} {:>10} {:>12} {:>13} {:>14}",
        "backend", "round", "pushes/s", "inventories/s", "end-to-end/s", "components/s"
    );
    for r in rows {
        let e2e = if r.end_to_end_per_s > 0.0 {
            format!("{:.1}", r.end_to_end_per_s)
        } else {
            "-".to_owned()
        };
        println!(
            "{:<9} {:<24} {:>10.1} {:>12.1} {:>13} {:>14.0}",
            r.backend, r.round, r.push_per_s, r.store_per_s, e2e, r.components_per_s
        );
    }
}
