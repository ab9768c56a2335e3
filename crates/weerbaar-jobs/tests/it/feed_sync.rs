//! The feed-sync job against a local HTTP server serving the real feed files: it stores the
//! feeds, opens the findings they imply for a stored asset, and a second run with nothing new
//! leaves everything as it was.

use std::io::Write;
use std::time::Duration;

use weerbaar_fixtures::fixture;
use weerbaar_fixtures::http::{Route, Server};
use weerbaar_inventory::model::{Component, Location, Source};
use weerbaar_inventory::{Format, ImportedAsset};
use weerbaar_jobs::{FeedSyncConfig, JobContext, tasks};
use weerbaar_store::{AssetImport, FindingFilter, TenantId};

use crate::backends::TestDb;

/// The KEV catalogue and the RustSec records as an OSV `all.zip`, or `None` without fixtures.
fn feeds() -> Option<(Vec<u8>, Vec<u8>)> {
    let kev = std::fs::read(fixture("kev/known_exploited_vulnerabilities.json")?).ok()?;
    let jsonl = std::fs::read_to_string(fixture("osv/rustsec/rustsec-osv.jsonl")?).ok()?;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (i, line) in jsonl.lines().filter(|l| !l.trim().is_empty()).enumerate() {
        zip.start_file(
            format!("RUSTSEC-{i:05}.json"),
            zip::write::SimpleFileOptions::default(),
        )
        .expect("zip entry");
        zip.write_all(line.as_bytes()).expect("zip write");
    }
    Some((kev, zip.finish().expect("zip").into_inner()))
}

fn config(server: &Server) -> FeedSyncConfig {
    let mut config = FeedSyncConfig {
        sources: vec!["kev".into(), "osv".into()],
        proxy: None,
        timeout_seconds: 10,
        ..FeedSyncConfig::default()
    };
    config
        .urls
        .insert("kev".into(), vec![server.url("/kev.json")]);
    config
        .urls
        .insert("osv".into(), vec![server.url("/crates.io/all.zip")]);
    config
}

/// rust-openssl 0.8.3: affected by RUSTSEC-2016-0001 (CVE-2016-10931) among others.
fn openssl() -> ImportedAsset {
    ImportedAsset {
        components: vec![Component {
            ecosystem: Some("crates.io".into()),
            name: "openssl".into(),
            version: Some("0.8.3".into()),
            purl: Some("pkg:cargo/openssl@0.8.3".into()),
            cpe: None,
            vendor: None,
            source_name: None,
            source_version: None,
            source: Source {
                file: "Cargo.lock".into(),
                location: Location::Line(1),
            },
        }],
        ..ImportedAsset::default()
    }
}

db_test!(
    feed_sync_stores_feeds_and_opens_findings,
    async |db: &TestDb| {
        let Some((kev, osv_zip)) = feeds() else {
            return;
        };
        let server = Server::start();
        server.route("/kev.json", Route::new(kev, "kev-1"));
        server.route("/crates.io/all.zip", Route::new(osv_zip, "osv-1"));
        // Only these two hosts: no proxy from the environment may get in the way.
        let mut config = config(&server);
        config.proxy = None;
        let store = &db.store;
        let tenant = TenantId::new("gemeente-diest").expect("tenant");
        store
            .add_tenant(&tenant, "Diest", "test")
            .await
            .expect("add");
        let asset = openssl();
        store
            .import_assets(
                &tenant,
                "test",
                &[AssetImport {
                    asset: &asset,
                    name: "portal",
                    file: "Cargo.lock",
                    format: Format::CargoLock,
                }],
            )
            .await
            .expect("import");
        let data_dir = db.dir.join("data");
        let ctx = JobContext {
            store: store.clone(),
            job: tasks::FEED_SYNC.to_owned(),
            slot: 1,
            instance: "test".to_owned(),
        };
        let detail = tokio::time::timeout(
            Duration::from_secs(120),
            tasks::feed_sync(&ctx, &config, &data_dir),
        )
        .await
        .expect("in time")
        .expect("sync");
        assert!(detail.contains("kev: updated 1 of 1 files"), "{detail}");
        assert!(detail.contains("osv: updated"), "{detail}");
        let states = weerbaar_feeds::status(&data_dir, weerbaar_feeds::now()).expect("status");
        let fresh: Vec<&str> = states
            .iter()
            .filter(|s| s.state == "ok")
            .map(|s| s.source.name())
            .collect();
        assert_eq!(fresh, ["osv", "kev"], "{states:?}");
        let findings = store
            .findings(&tenant, FindingFilter::default())
            .await
            .expect("findings");
        assert!(
            detail.contains(&format!(
                "findings: {} new, 0 resolved across 1 tenants (Full)",
                findings.len()
            )),
            "{detail}"
        );
        let insecure_defaults = findings
            .iter()
            .find(|f| f.vuln_id == "RUSTSEC-2016-0001")
            .expect("rust-openssl's insecure defaults");
        assert!(
            insecure_defaults
                .ids
                .iter()
                .any(|id| id == "CVE-2016-10931")
        );
        assert!(
            findings
                .iter()
                .all(|f| f.package == "openssl" && f.resolved_at.is_none())
        );
        let audit = store.audit_log(&tenant).await.expect("audit");
        assert!(
            audit.iter().any(|e| e.actor == "job:feed-sync@test"),
            "{audit:?}"
        );

        // Nothing new upstream: not modified, and no rematch.
        let again = tasks::feed_sync(&ctx, &config, &data_dir)
            .await
            .expect("sync");
        assert_eq!(again, "kev: not modified; osv: not modified");
        assert_eq!(
            store
                .findings(&tenant, FindingFilter::default())
                .await
                .expect("findings"),
            findings
        );
    }
);

db_test!(
    feed_sync_fails_when_every_source_fails,
    async |db: &TestDb| {
        let server = Server::start();
        let config = config(&server);
        let ctx = JobContext {
            store: db.store.clone(),
            job: tasks::FEED_SYNC.to_owned(),
            slot: 1,
            instance: "test".to_owned(),
        };
        let err = tasks::feed_sync(&ctx, &config, &db.dir.join("data"))
            .await
            .expect_err("nothing served");
        assert!(err.to_string().contains("every source failed"), "{err}");
    }
);

db_test!(
    rematch_queue_matches_queued_assets_once,
    async |db: &TestDb| {
        let Some((kev, osv_zip)) = feeds() else {
            return;
        };
        let server = Server::start();
        server.route("/kev.json", Route::new(kev, "kev-1"));
        server.route("/crates.io/all.zip", Route::new(osv_zip, "osv-1"));
        let store = &db.store;
        let data_dir = db.dir.join("data");
        let ctx = JobContext {
            store: store.clone(),
            job: tasks::REMATCH_QUEUE.to_owned(),
            slot: 1,
            instance: "test".to_owned(),
        };
        let queue = weerbaar_jobs::RematchQueueConfig::default();
        // Nothing queued: nothing loaded.
        assert_eq!(
            tasks::rematch_queue(&ctx, &queue, &data_dir)
                .await
                .expect("run"),
            "queue empty"
        );
        let tenant = TenantId::new("gemeente-diest").expect("tenant");
        store
            .add_tenant(&tenant, "Diest", "test")
            .await
            .expect("add");
        let asset = openssl();
        store
            .import_assets(
                &tenant,
                "test",
                &[AssetImport {
                    asset: &asset,
                    name: "Portal",
                    file: "Cargo.lock",
                    format: Format::CargoLock,
                }],
            )
            .await
            .expect("import");
        store
            .queue_rematch(&tenant, &["Portal"])
            .await
            .expect("queue");
        // Queued before any feed: the entry waits.
        assert_eq!(
            tasks::rematch_queue(&ctx, &queue, &data_dir)
                .await
                .expect("run"),
            "no feeds yet; the queue waits"
        );
        assert_eq!(store.take_rematch_batch(10).await.expect("queue").len(), 1);
        tasks::feed_sync(&ctx, &config(&server), &data_dir)
            .await
            .expect("sync");
        // The feed sync matched the tenant already; the queued entry is matched again (no change).
        let after_sync = store
            .findings(&tenant, FindingFilter::default())
            .await
            .expect("findings");
        assert!(!after_sync.is_empty());
        let detail = tasks::rematch_queue(&ctx, &queue, &data_dir)
            .await
            .expect("run");
        assert_eq!(detail, "1 assets rematched: 0 new, 0 resolved findings");
        assert!(
            store
                .take_rematch_batch(10)
                .await
                .expect("queue")
                .is_empty()
        );
        assert_eq!(
            tasks::rematch_queue(&ctx, &queue, &data_dir)
                .await
                .expect("run"),
            "queue empty"
        );
    }
);

db_test!(
    rematch_queue_opens_findings_of_a_new_asset,
    async |db: &TestDb| {
        let Some((kev, osv_zip)) = feeds() else {
            return;
        };
        let server = Server::start();
        server.route("/kev.json", Route::new(kev, "kev-1"));
        server.route("/crates.io/all.zip", Route::new(osv_zip, "osv-1"));
        let store = &db.store;
        let data_dir = db.dir.join("data");
        let ctx = JobContext {
            store: store.clone(),
            job: tasks::REMATCH_QUEUE.to_owned(),
            slot: 1,
            instance: "test".to_owned(),
        };
        // Feeds first (no tenants yet: nothing to rematch).
        tasks::feed_sync(&ctx, &config(&server), &data_dir)
            .await
            .expect("sync");
        // The rematch job keeps the compiled knowledge in memory while the feeds stay the same.
        let quiet = |_: weerbaar_jobs::knowledge::Note| {};
        let first = weerbaar_jobs::knowledge::load_stored_shared(&data_dir, &quiet)
            .expect("load")
            .expect("feeds stored");
        let again = weerbaar_jobs::knowledge::load_stored_shared(&data_dir, &quiet)
            .expect("load")
            .expect("feeds stored");
        assert!(std::sync::Arc::ptr_eq(&first, &again));
        assert!(
            weerbaar_jobs::knowledge::load_stored_shared(&db.dir.join("empty"), &quiet)
                .expect("load")
                .is_none()
        );
        let tenant = TenantId::new("gemeente-diest").expect("tenant");
        store
            .add_tenant(&tenant, "Diest", "test")
            .await
            .expect("add");
        let asset = openssl();
        for name in ["portal", "intranet"] {
            store
                .import_assets(
                    &tenant,
                    "test",
                    &[AssetImport {
                        asset: &asset,
                        name,
                        file: "Cargo.lock",
                        format: Format::CargoLock,
                    }],
                )
                .await
                .expect("import");
        }
        // Only the queued asset is matched.
        store
            .queue_rematch(&tenant, &["portal"])
            .await
            .expect("queue");
        let detail = tasks::rematch_queue(&ctx, &queue_config(), &data_dir)
            .await
            .expect("run");
        let findings = store
            .findings(&tenant, FindingFilter::default())
            .await
            .expect("findings");
        assert!(!findings.is_empty());
        assert!(findings.iter().all(|f| f.asset == "portal"), "{findings:?}");
        assert_eq!(
            detail,
            format!(
                "1 assets rematched: {} new, 0 resolved findings",
                findings.len()
            )
        );
        assert!(
            store
                .audit_log(&tenant)
                .await
                .expect("audit")
                .iter()
                .any(|e| e.actor == "job:rematch-queue@test")
        );
    }
);

fn queue_config() -> weerbaar_jobs::RematchQueueConfig {
    // Batches of one: the run drains the queue batch by batch.
    weerbaar_jobs::RematchQueueConfig {
        batch: 1,
        ..weerbaar_jobs::RematchQueueConfig::default()
    }
}
