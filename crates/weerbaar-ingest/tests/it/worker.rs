//! The worker end to end: real inventories pushed, processed and stored; malformed files; two
//! instances on one database; a worker that dies holding a claim.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::Path;
use std::sync::atomic::Ordering;
use std::time::Duration;

use weerbaar_ingest::{Outcome, Worker};
use weerbaar_inventory::{ImportOptions, Naming, enrich_assets, group, import_file};
use weerbaar_store::{
    NewUpload, Store, StoreError, TenantId, UploadFilter, UploadState, UploadStatus,
};

const LONG: Duration = Duration::from_secs(600);

fn tenant(id: &str) -> TenantId {
    TenantId::new(id).expect("valid tenant id")
}

async fn with_tenant(store: &Store, id: &str) -> TenantId {
    let t = tenant(id);
    store.add_tenant(&t, id, "test").await.expect("add tenant");
    t
}

async fn push(
    store: &Store,
    t: &TenantId,
    file_name: &str,
    body: &[u8],
    asset: Option<&str>,
) -> UploadStatus {
    store
        .enqueue_upload(
            NewUpload {
                tenant: t.clone(),
                file_name: file_name.into(),
                input_format: None,
                asset_name: asset.map(Into::into),
                body,
                idempotency_key: None,
            },
            "token:test",
        )
        .await
        .expect("enqueue")
}

/// Processes until the queue is empty; returns the outcomes.
async fn drain(worker: &Worker) -> Vec<Outcome> {
    let mut outcomes = Vec::new();
    loop {
        match worker.process_one().await.expect("queue reachable") {
            Outcome::Idle => return outcomes,
            other => outcomes.push(other),
        }
    }
}

/// What the CLI's path (`import_file`, `group`, `enrich_assets`) makes of a file: asset name and
/// the (ecosystem, name, version) of every distinct component.
fn cli_view(
    path: &Path,
    asset: Option<&str>,
) -> BTreeMap<String, BTreeSet<(String, String, String)>> {
    let inventory = import_file(path, &ImportOptions::default()).expect("import");
    let naming = asset.map_or(Naming::FromFile, Naming::Given);
    let (mut assets, _) =
        group(vec![(path.display().to_string(), inventory)], naming).expect("group");
    enrich_assets(&mut assets);
    assets
        .into_iter()
        .map(|a| {
            let set = a
                .asset
                .components
                .iter()
                .map(|c| {
                    (
                        c.ecosystem.clone().unwrap_or_default(),
                        c.name.clone(),
                        c.version.clone().unwrap_or_default(),
                    )
                })
                .collect();
            (a.name.trim().to_lowercase(), set)
        })
        .collect()
}

async fn stored_view(
    store: &Store,
    t: &TenantId,
    asset: &str,
) -> BTreeSet<(String, String, String)> {
    let stored = store.asset(t, asset).await.expect("asset").expect("stored");
    let set: BTreeSet<_> = stored
        .components
        .iter()
        .map(|c| {
            (
                c.component.ecosystem.clone().unwrap_or_default(),
                c.component.name.clone(),
                c.component.version.clone().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        set.len(),
        stored.components.len(),
        "no duplicate component rows"
    );
    set
}

store_test!(
    real_inventories_are_stored_as_the_cli_would_store_them,
    |store: Store| async move {
        let Some(cdx) = weerbaar_fixtures::fixture(
            "sbom/cyclonedx-bom-examples/SBOM_juice-shop_v11.1.2_bom.json",
        ) else {
            return;
        };
        let Some(spdx) = weerbaar_fixtures::fixture("sbom/trivy/centos-7-spdx.json") else {
            return;
        };
        let t = with_tenant(&store, "diest").await;
        let mut files = vec![(cdx, Some("juice-shop")), (spdx, Some("centos7"))];
        // A real dpkg database: this machine's own (the inventory crate's dpkg tests use it too).
        let dpkg = Path::new("/var/lib/dpkg/status");
        if dpkg.exists() {
            files.push((dpkg.to_path_buf(), Some("web01")));
        } else {
            eprintln!("note: no /var/lib/dpkg/status here; dpkg is covered by the generated files");
        }
        let mut ids = Vec::new();
        for (path, asset) in &files {
            let body = std::fs::read(path).expect("read fixture");
            let name = path
                .file_name()
                .expect("name")
                .to_string_lossy()
                .into_owned();
            ids.push(push(&store, &t, &name, &body, *asset).await.id);
        }
        let worker = Worker::new(store.clone(), "w1").with_lease(LONG);
        let outcomes = drain(&worker).await;
        assert_eq!(outcomes.len(), files.len(), "{outcomes:?}");
        assert!(
            outcomes.iter().all(|o| matches!(o, Outcome::Done { .. })),
            "{outcomes:?}"
        );

        for ((path, asset), id) in files.iter().zip(&ids) {
            let status = store.upload(&t, id).await.expect("status");
            assert_eq!(status.status, UploadState::Done, "{status:?}");
            let summary = status.summary.expect("summary");
            let want = cli_view(path, *asset);
            for (name, set) in &want {
                let got = stored_view(&store, &t, name).await;
                assert_eq!(&got, set, "{name} from {}", path.display());
                assert!(!got.is_empty());
                let s = summary
                    .iter()
                    .find(|s| &s.asset.to_lowercase() == name)
                    .expect("in summary");
                assert_eq!(s.components, got.len());
            }
        }
        let queued: BTreeSet<String> = store
            .take_rematch_batch(100)
            .await
            .expect("queue")
            .into_iter()
            .map(|i| i.asset_key)
            .collect();
        assert!(
            queued.contains("juice-shop") && queued.contains("centos7"),
            "{queued:?}"
        );
        let metrics = worker.metrics();
        assert_eq!(
            metrics.processed.load(Ordering::Relaxed),
            files.len() as u64
        );
        assert_eq!(metrics.failed.load(Ordering::Relaxed), 0);
        assert!(metrics.components.load(Ordering::Relaxed) > 0);
    }
);

/// A dpkg status file of `packages` installed packages, versions marked with `tag`.
fn dpkg_status(packages: usize, tag: &str) -> String {
    let mut out = String::new();
    for i in 0..packages {
        let _ = write!(
            out,
            "Package: pkg{i}\nStatus: install ok installed\nArchitecture: amd64\n\
             Version: {i}.{tag}-1\n\n"
        );
    }
    out
}

store_test!(
    a_malformed_file_fails_with_its_line_and_changes_nothing,
    |store: Store| async move {
        let t = with_tenant(&store, "diest").await;
        let worker = Worker::new(store.clone(), "w1").with_lease(LONG);
        push(
            &store,
            &t,
            "status",
            dpkg_status(5, "a").as_bytes(),
            Some("web01"),
        )
        .await;
        drain(&worker).await;
        let _ = store.take_rematch_batch(100).await.expect("queue");
        let before_components = stored_view(&store, &t, "web01").await;
        let before_history = store.import_history(&t, None).await.expect("history");
        let before_assets = store.list_assets(&t).await.expect("assets");
        let before_queue = store.take_rematch_batch(100).await.expect("queue");

        // The third paragraph has a line that is neither a field nor a continuation.
        let mut bad = dpkg_status(2, "b");
        bad.push_str("Package: broken\nStatus: install ok installed\nthis is not a field\n");
        let up = push(&store, &t, "web01-status", bad.as_bytes(), Some("web01")).await;
        // A CycloneDX file cut off in the middle.
        let cut = b"{\n  \"bomFormat\": \"CycloneDX\",\n  \"specVersion\": \"1.5\",\n  \"components\": [\n    {\"type\": \"library\", \"name\": ";
        let up2 = push(&store, &t, "bom.json", cut, Some("web01")).await;
        // A file that names no asset, pushed without a name.
        let up3 = push(&store, &t, "status", dpkg_status(1, "c").as_bytes(), None).await;

        let outcomes = drain(&worker).await;
        assert_eq!(outcomes.len(), 3);
        assert!(
            outcomes.iter().all(|o| matches!(o, Outcome::Failed { .. })),
            "{outcomes:?}"
        );

        let failed = store.upload(&t, &up.id).await.expect("status");
        assert_eq!(failed.status, UploadState::Failed);
        let error = failed.error.expect("error");
        assert!(error.starts_with("web01-status: line 13:"), "{error}");
        let failed2 = store.upload(&t, &up2.id).await.expect("status");
        let error2 = failed2.error.expect("error");
        assert!(
            error2.starts_with("bom.json:") && error2.contains("line 5"),
            "{error2}"
        );
        let error3 = store
            .upload(&t, &up3.id)
            .await
            .expect("status")
            .error
            .expect("error");
        assert!(error3.contains("does not name its asset"), "{error3}");

        assert_eq!(stored_view(&store, &t, "web01").await, before_components);
        assert_eq!(
            store.import_history(&t, None).await.expect("history"),
            before_history
        );
        assert_eq!(store.list_assets(&t).await.expect("assets"), before_assets);
        assert_eq!(
            store.take_rematch_batch(100).await.expect("queue"),
            before_queue
        );
        assert_eq!(worker.metrics().failed.load(Ordering::Relaxed), 3);
        // Failed is final: nothing is handed out again.
        assert!(matches!(worker.process_one().await, Ok(Outcome::Idle)));
    }
);

store_test_url!(
    two_instances_lose_and_duplicate_nothing,
    |store: Store, url: String| async move {
        let t = with_tenant(&store, "diest").await;
        let second = Store::open(&url).await.expect("second instance");
        const SAME: usize = 16;
        const OTHERS: usize = 8;
        let mut bodies = BTreeMap::new();
        let mut ids = Vec::new();
        for i in 0..SAME {
            let body = dpkg_status(30 + i, &format!("s{i}"));
            // Pushed through both instances, as a load balancer would.
            let via = if i % 2 == 0 { &store } else { &second };
            let up = push(via, &t, "status", body.as_bytes(), Some("web01")).await;
            bodies.insert(up.id.clone(), body);
            ids.push(up.id);
        }
        for i in 0..OTHERS {
            let body = dpkg_status(10 + i, &format!("o{i}"));
            let up = push(
                &second,
                &t,
                "status",
                body.as_bytes(),
                Some(&format!("host{i}")),
            )
            .await;
            ids.push(up.id);
        }
        let w1 = Worker::new(store.clone(), "instance-1").with_lease(LONG);
        let w2 = Worker::new(second.clone(), "instance-2").with_lease(LONG);
        let (a, b) = tokio::join!(
            tokio::spawn({
                let w1 = w1.clone();
                async move { drain(&w1).await }
            }),
            tokio::spawn({
                let w2 = w2.clone();
                async move { drain(&w2).await }
            })
        );
        let outcomes: Vec<Outcome> = a
            .expect("join")
            .into_iter()
            .chain(b.expect("join"))
            .collect();
        assert_eq!(outcomes.len(), SAME + OTHERS, "{outcomes:?}");
        assert!(
            outcomes.iter().all(|o| matches!(o, Outcome::Done { .. })),
            "{outcomes:?}"
        );

        for id in &ids {
            let status = store.upload(&t, id).await.expect("status");
            assert_eq!(
                (status.status, status.attempts),
                (UploadState::Done, 1),
                "{status:?}"
            );
        }
        let all = store
            .uploads(
                &t,
                &UploadFilter {
                    limit: 1000,
                    ..UploadFilter::default()
                },
            )
            .await
            .expect("list");
        assert_eq!(all.len(), SAME + OTHERS);
        assert_eq!(
            store
                .import_history(&t, Some("web01"))
                .await
                .expect("h")
                .len(),
            SAME
        );
        assert_eq!(
            store.import_history(&t, None).await.expect("h").len(),
            SAME + OTHERS
        );

        let got = stored_view(&store, &t, "web01").await;
        let matching: Vec<&String> = bodies
            .iter()
            .filter(|(_, body)| {
                let want: BTreeSet<String> = body
                    .lines()
                    .filter_map(|l| l.strip_prefix("Version: "))
                    .map(str::to_owned)
                    .collect();
                got.iter()
                    .map(|(_, _, v)| v.clone())
                    .collect::<BTreeSet<_>>()
                    == want
            })
            .map(|(id, _)| id)
            .collect();
        assert_eq!(
            matching.len(),
            1,
            "web01 holds exactly one upload's packages: {got:?}"
        );
        for i in 0..OTHERS {
            assert_eq!(
                stored_view(&store, &t, &format!("host{i}")).await.len(),
                10 + i
            );
        }
        let queue = store.take_rematch_batch(1000).await.expect("queue");
        assert_eq!(queue.len(), 1 + OTHERS);
        let processed = w1.metrics().processed.load(Ordering::Relaxed)
            + w2.metrics().processed.load(Ordering::Relaxed);
        assert_eq!(processed, (SAME + OTHERS) as u64);
        second.close().await;
    }
);

store_test!(
    an_upload_of_a_dead_worker_is_taken_over_and_stored_once,
    |store: Store| async move {
        let t = with_tenant(&store, "diest").await;
        let up = push(
            &store,
            &t,
            "status",
            dpkg_status(7, "d").as_bytes(),
            Some("web01"),
        )
        .await;
        // The first instance claims it with a lease that is already over, then dies.
        let dead = store
            .claim_upload("dead-instance", Duration::ZERO)
            .await
            .expect("claim")
            .expect("claimed");
        assert_eq!(dead.id, up.id);

        let survivor = Worker::new(store.clone(), "survivor").with_lease(LONG);
        let outcomes = drain(&survivor).await;
        assert_eq!(outcomes.len(), 1);
        assert!(matches!(outcomes[0], Outcome::Done { .. }), "{outcomes:?}");
        let status = store.upload(&t, &up.id).await.expect("status");
        assert_eq!((status.status, status.attempts), (UploadState::Done, 2));
        assert_eq!(stored_view(&store, &t, "web01").await.len(), 7);

        // The dead instance comes back and tries to finish: fenced off, nothing stored twice.
        let late = store.complete_upload(&dead, &[]).await;
        assert!(
            matches!(late, Err(StoreError::ClaimLost { .. })),
            "{late:?}"
        );
        assert_eq!(store.import_history(&t, None).await.expect("h").len(), 1);
        assert!(matches!(survivor.process_one().await, Ok(Outcome::Idle)));
    }
);

store_test!(
    run_processes_until_shutdown_and_reports_each_upload,
    |store: Store| async move {
        let t = with_tenant(&store, "diest").await;
        for i in 0..3 {
            push(
                &store,
                &t,
                "status",
                dpkg_status(3, &format!("r{i}")).as_bytes(),
                Some(&format!("h{i}")),
            )
            .await;
        }
        let worker = Worker::new(store.clone(), "w1")
            .with_lease(LONG)
            .with_poll_interval(Duration::from_millis(10));
        let metrics = worker.metrics();
        let reported = std::sync::atomic::AtomicUsize::new(0);
        // Shut down once all three are stored; `run` must then return.
        let shutdown = async {
            while metrics.processed.load(Ordering::Relaxed) < 3 {
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
        };
        worker
            .run(shutdown, |outcome| {
                assert!(matches!(outcome, Ok(Outcome::Done { .. })), "{outcome:?}");
                reported.fetch_add(1, Ordering::Relaxed);
            })
            .await;
        assert_eq!(reported.load(Ordering::Relaxed), 3);
        let all = store
            .uploads(&t, &UploadFilter::default())
            .await
            .expect("list");
        assert!(all.iter().all(|u| u.status == UploadState::Done), "{all:?}");
    }
);
