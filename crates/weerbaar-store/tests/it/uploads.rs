//! The upload queue: idempotent enqueue, claims with leases, fencing, all-or-nothing completion,
//! tenant scoping, the rematch queue, and concurrent imports from two pools (two instances).

use std::collections::BTreeSet;
use std::time::Duration;

use weerbaar_inventory::model::{Component, Location, OperatingSystem, Source};
use weerbaar_inventory::{Format, ImportedAsset};
use weerbaar_store::{
    AssetImport, ClaimedUpload, MAX_ATTEMPTS, NewUpload, Store, StoreError, TenantId, UploadFilter,
    UploadState,
};

const LONG: Duration = Duration::from_secs(600);

fn tenant(id: &str) -> TenantId {
    TenantId::new(id).expect("valid tenant id")
}

async fn with_tenants(store: &Store, ids: &[&str]) {
    for id in ids {
        store
            .add_tenant(&tenant(id), id, "test")
            .await
            .expect("add tenant");
    }
}

fn new_upload<'a>(t: &str, body: &'a [u8], key: Option<&str>) -> NewUpload<'a> {
    NewUpload {
        tenant: tenant(t),
        file_name: "status".into(),
        input_format: Some("dpkg-status".into()),
        asset_name: Some("web01".into()),
        body,
        idempotency_key: key.map(Into::into),
    }
}

fn component(name: &str, version: &str) -> Component {
    Component {
        ecosystem: Some("Debian:12".into()),
        name: name.into(),
        version: Some(version.into()),
        purl: None,
        cpe: None,
        vendor: None,
        source_name: None,
        source_version: None,
        source: Source {
            file: "status".into(),
            location: Location::Line(1),
        },
    }
}

fn host(components: Vec<Component>) -> ImportedAsset {
    ImportedAsset {
        os: Some(OperatingSystem {
            id: "debian".into(),
            version_id: Some("12".into()),
            ..OperatingSystem::default()
        }),
        components,
        ..ImportedAsset::default()
    }
}

fn one<'a>(name: &'a str, asset: &'a ImportedAsset) -> [AssetImport<'a>; 1] {
    [AssetImport {
        asset,
        name,
        file: "status",
        format: Format::DpkgStatus,
    }]
}

async fn claim(store: &Store, worker: &str, lease: Duration) -> ClaimedUpload {
    store
        .claim_upload(worker, lease)
        .await
        .expect("claim")
        .expect("an upload to claim")
}

store_test!(
    a_retried_push_finds_its_upload_and_a_changed_body_is_refused,
    |store: Store| async move {
        with_tenants(&store, &["diest", "aalst"]).await;
        let first = store
            .enqueue_upload(new_upload("diest", b"body one", Some("k1")), "token:a")
            .await
            .expect("enqueue");
        assert_eq!(first.status, UploadState::Queued);
        assert!(!first.replayed);
        assert_eq!(first.size, 8);
        assert_eq!(first.sha256.len(), 64);

        let again = store
            .enqueue_upload(new_upload("diest", b"body one", Some("k1")), "token:a")
            .await
            .expect("replay");
        assert!(again.replayed);
        assert_eq!(again.id, first.id);

        let conflict = store
            .enqueue_upload(new_upload("diest", b"body two", Some("k1")), "token:a")
            .await;
        assert!(
            matches!(conflict, Err(StoreError::IdempotencyConflict { .. })),
            "{conflict:?}"
        );

        // Keys belong to a tenant: another tenant's identical key is a new upload.
        let other = store
            .enqueue_upload(new_upload("aalst", b"body one", Some("k1")), "token:b")
            .await
            .expect("other tenant");
        assert_ne!(other.id, first.id);
        // Without a key every push is a new upload.
        let plain = store
            .enqueue_upload(new_upload("diest", b"body one", None), "token:a")
            .await
            .expect("no key");
        assert_ne!(plain.id, first.id);

        let listed = store
            .uploads(&tenant("diest"), &UploadFilter::default())
            .await
            .expect("list");
        assert_eq!(listed.len(), 2, "{listed:?}");
        let audit = store.audit_log(&tenant("diest")).await.expect("audit");
        assert_eq!(
            audit
                .iter()
                .filter(|e| e.action == "upload.enqueue")
                .count(),
            2
        );
    }
);

store_test!(
    uploads_are_validated_before_they_are_queued,
    |store: Store| async move {
        with_tenants(&store, &["diest"]).await;
        let mut bad_format = new_upload("diest", b"x", None);
        bad_format.input_format = Some("word-document".into());
        let err = store.enqueue_upload(bad_format, "t").await;
        assert!(
            matches!(err, Err(StoreError::InvalidUpload { ref reason }) if reason.contains("word-document")),
            "{err:?}"
        );
        let mut bad_name = new_upload("diest", b"x", None);
        bad_name.file_name = "a\nb".into();
        assert!(matches!(
            store.enqueue_upload(bad_name, "t").await,
            Err(StoreError::InvalidUpload { .. })
        ));
        let mut bad_asset = new_upload("diest", b"x", None);
        bad_asset.asset_name = Some("  ".into());
        assert!(matches!(
            store.enqueue_upload(bad_asset, "t").await,
            Err(StoreError::InvalidAsset { .. })
        ));
        let unknown = store
            .enqueue_upload(new_upload("nobody", b"x", None), "t")
            .await;
        assert!(matches!(unknown, Err(StoreError::UnknownTenant { .. })));
        assert!(
            store
                .claim_upload("w", LONG)
                .await
                .expect("claim")
                .is_none()
        );
    }
);

store_test!(
    uploads_are_scoped_to_their_tenant,
    |store: Store| async move {
        with_tenants(&store, &["diest", "aalst"]).await;
        let up = store
            .enqueue_upload(new_upload("diest", b"x", None), "t")
            .await
            .expect("enqueue");
        let seen = store.upload(&tenant("diest"), &up.id).await.expect("own");
        assert_eq!(seen.id, up.id);
        let foreign = store.upload(&tenant("aalst"), &up.id).await;
        assert!(
            matches!(foreign, Err(StoreError::UnknownUpload { .. })),
            "{foreign:?}"
        );
        assert!(
            store
                .uploads(&tenant("aalst"), &UploadFilter::default())
                .await
                .expect("list")
                .is_empty()
        );
    }
);

store_test!(
    uploads_are_listed_newest_first_in_pages,
    |store: Store| async move {
        with_tenants(&store, &["diest"]).await;
        let mut ids = Vec::new();
        for i in 0..5 {
            let body = format!("body {i}");
            ids.push(
                store
                    .enqueue_upload(new_upload("diest", body.as_bytes(), None), "t")
                    .await
                    .expect("enqueue")
                    .id,
            );
        }
        let page = |before: Option<String>| UploadFilter {
            status: None,
            before,
            limit: 2,
        };
        let first = store
            .uploads(&tenant("diest"), &page(None))
            .await
            .expect("p1");
        assert_eq!(
            first.iter().map(|u| &u.id).collect::<Vec<_>>(),
            [&ids[4], &ids[3]]
        );
        let second = store
            .uploads(&tenant("diest"), &page(Some(ids[3].clone())))
            .await
            .expect("p2");
        assert_eq!(
            second.iter().map(|u| &u.id).collect::<Vec<_>>(),
            [&ids[2], &ids[1]]
        );
        claim(&store, "w", LONG).await;
        let processing = store
            .uploads(
                &tenant("diest"),
                &UploadFilter {
                    status: Some(UploadState::Processing),
                    ..UploadFilter::default()
                },
            )
            .await
            .expect("filtered");
        assert_eq!(processing.len(), 1);
        assert_eq!(processing[0].id, ids[0], "the oldest is claimed first");
    }
);

store_test!(
    a_claim_holds_until_its_lease_expires_and_is_then_taken_over,
    |store: Store| async move {
        with_tenants(&store, &["diest"]).await;
        let a = store
            .enqueue_upload(new_upload("diest", b"a", None), "t")
            .await
            .expect("a");
        let b = store
            .enqueue_upload(new_upload("diest", b"b", None), "t")
            .await
            .expect("b");
        let first = claim(&store, "w1", LONG).await;
        assert_eq!((first.id.as_str(), first.attempts), (a.id.as_str(), 1));
        assert_eq!(first.body, b"a");
        let second = claim(&store, "w2", Duration::ZERO).await;
        assert_eq!(second.id, b.id);
        // a is leased for ten minutes; b's lease (zero) is over, so w3 takes b over.
        let taken = claim(&store, "w3", LONG).await;
        assert_eq!((taken.id.as_str(), taken.attempts), (b.id.as_str(), 2));
        assert!(
            store
                .claim_upload("w4", LONG)
                .await
                .expect("claim")
                .is_none()
        );
        let status = store.upload(&tenant("diest"), &b.id).await.expect("status");
        assert_eq!(status.status, UploadState::Processing);
        assert_eq!(status.attempts, 2);
        let audit = store.audit_log(&tenant("diest")).await.expect("audit");
        assert!(audit.iter().any(|e| e.action == "upload.reclaim"));
    }
);

store_test!(
    a_stale_worker_cannot_complete_or_fail_a_taken_over_upload,
    |store: Store| async move {
        with_tenants(&store, &["diest"]).await;
        let t = tenant("diest");
        let up = store
            .enqueue_upload(new_upload("diest", b"x", None), "t")
            .await
            .expect("enqueue");
        let mut stale = claim(&store, "w1", Duration::ZERO).await;
        let fresh = claim(&store, "w2", LONG).await;
        assert_eq!(fresh.id, up.id);

        let stale_asset = host(vec![component("stale", "1")]);
        let lost = store
            .complete_upload(&stale, &one("web01", &stale_asset))
            .await;
        assert!(
            matches!(lost, Err(StoreError::ClaimLost { .. })),
            "{lost:?}"
        );
        assert!(store.asset(&t, "web01").await.expect("asset").is_none());
        assert!(
            store
                .import_history(&t, None)
                .await
                .expect("history")
                .is_empty()
        );
        assert!(
            store
                .take_rematch_batch(10)
                .await
                .expect("queue")
                .is_empty()
        );
        assert!(matches!(
            store.fail_upload(&stale, "late").await,
            Err(StoreError::ClaimLost { .. })
        ));
        assert!(matches!(
            store.extend_lease(&mut stale, LONG).await,
            Err(StoreError::ClaimLost { .. })
        ));

        let asset = host(vec![component("bash", "5.2"), component("curl", "8.0")]);
        let summary = store
            .complete_upload(&fresh, &one("web01", &asset))
            .await
            .expect("complete");
        assert_eq!(summary[0].components, 2);
        let done = store.upload(&t, &up.id).await.expect("status");
        assert_eq!(done.status, UploadState::Done);
        assert_eq!(done.summary, Some(summary));
        assert_eq!(
            store
                .import_history(&t, Some("WEB01"))
                .await
                .expect("h")
                .len(),
            1
        );
        let queue = store.take_rematch_batch(10).await.expect("queue");
        assert_eq!(queue.len(), 1);
        assert_eq!(
            (queue[0].tenant.as_str(), queue[0].asset_key.as_str()),
            ("diest", "web01")
        );
        // Done is final: completing again is refused.
        assert!(matches!(
            store.complete_upload(&fresh, &one("web01", &asset)).await,
            Err(StoreError::ClaimLost { .. })
        ));
        assert_eq!(store.import_history(&t, None).await.expect("h").len(), 1);
    }
);

store_test!(
    a_failing_completion_stores_nothing_and_the_upload_can_be_failed,
    |store: Store| async move {
        with_tenants(&store, &["diest"]).await;
        let t = tenant("diest");
        let up = store
            .enqueue_upload(new_upload("diest", b"x", None), "t")
            .await
            .expect("enqueue");
        let claimed = claim(&store, "w1", LONG).await;
        let good = host(vec![component("bash", "5.2")]);
        // An empty component name violates a CHECK constraint: the second asset fails after
        // the first was written inside the transaction.
        let bad = host(vec![component("", "1")]);
        let imports = [
            AssetImport {
                asset: &good,
                name: "web01",
                file: "status",
                format: Format::DpkgStatus,
            },
            AssetImport {
                asset: &bad,
                name: "web02",
                file: "status",
                format: Format::DpkgStatus,
            },
        ];
        let before = store.audit_log(&t).await.expect("audit").len();
        let err = store.complete_upload(&claimed, &imports).await;
        assert!(matches!(err, Err(StoreError::Database(_))), "{err:?}");
        assert!(store.list_assets(&t).await.expect("assets").is_empty());
        assert!(store.import_history(&t, None).await.expect("h").is_empty());
        assert!(store.take_rematch_batch(10).await.expect("q").is_empty());
        assert_eq!(store.audit_log(&t).await.expect("audit").len(), before);
        let status = store.upload(&t, &up.id).await.expect("status");
        assert_eq!(
            status.status,
            UploadState::Processing,
            "still ours to retry or fail"
        );

        store
            .fail_upload(&claimed, "status: line 3: no Package field")
            .await
            .expect("fail");
        let failed = store.upload(&t, &up.id).await.expect("status");
        assert_eq!(failed.status, UploadState::Failed);
        assert_eq!(
            failed.error.as_deref(),
            Some("status: line 3: no Package field")
        );
        assert!(
            store
                .claim_upload("w2", LONG)
                .await
                .expect("claim")
                .is_none()
        );
    }
);

store_test!(
    an_upload_whose_worker_keeps_dying_is_failed_after_the_last_attempt,
    |store: Store| async move {
        with_tenants(&store, &["diest"]).await;
        let up = store
            .enqueue_upload(new_upload("diest", b"x", None), "t")
            .await
            .expect("enqueue");
        for attempt in 1..=MAX_ATTEMPTS {
            let c = claim(&store, &format!("w{attempt}"), Duration::ZERO).await;
            assert_eq!(c.attempts, attempt);
        }
        assert!(
            store
                .claim_upload("last", LONG)
                .await
                .expect("claim")
                .is_none()
        );
        let status = store
            .upload(&tenant("diest"), &up.id)
            .await
            .expect("status");
        assert_eq!(status.status, UploadState::Failed);
        assert!(
            status
                .error
                .as_deref()
                .is_some_and(|e| e.contains("gave up")),
            "{status:?}"
        );
    }
);

store_test!(
    an_asset_queued_again_while_it_was_matched_stays_queued,
    |store: Store| async move {
        with_tenants(&store, &["diest"]).await;
        let t = tenant("diest");
        store
            .queue_rematch(&t, &["Web01", "web02"])
            .await
            .expect("queue");
        let taken = store.take_rematch_batch(10).await.expect("take");
        assert_eq!(
            taken
                .iter()
                .map(|i| i.asset_key.as_str())
                .collect::<Vec<_>>(),
            ["web01", "web02"]
        );
        // web01 changes again while the batch is being matched (within the same second).
        store.queue_rematch(&t, &["web01"]).await.expect("requeue");
        assert_eq!(store.done_rematch(&taken).await.expect("done"), 1);
        let left = store.take_rematch_batch(10).await.expect("take");
        assert_eq!(left.len(), 1);
        assert_eq!(left[0].asset_key, "web01");
        assert!(left[0].queued_at > taken[0].queued_at);
        assert_eq!(store.done_rematch(&left).await.expect("done"), 1);
        assert!(store.take_rematch_batch(10).await.expect("take").is_empty());
    }
);

store_test_url!(
    concurrent_imports_of_one_asset_from_two_instances_serialise,
    |store: Store, url: String| async move {
        with_tenants(&store, &["diest"]).await;
        let second = Store::open(&url).await.expect("second instance");
        let sets: Vec<Vec<Component>> = (0..12)
            .map(|i| {
                (0..40)
                    .map(|j| component(&format!("pkg{j}"), &format!("{i}.{j}")))
                    .collect()
            })
            .collect();
        let mut tasks = Vec::new();
        for (i, set) in sets.iter().cloned().enumerate() {
            let store = if i % 2 == 0 {
                store.clone()
            } else {
                second.clone()
            };
            tasks.push(tokio::spawn(async move {
                let asset = host(set);
                // Two assets per import, in opposite orders by parity, to provoke lock-order
                // deadlocks if locks were taken in import order.
                let other = host(vec![component("shared", &i.to_string())]);
                let names = if i % 2 == 0 {
                    ["web01", "db01"]
                } else {
                    ["db01", "web01"]
                };
                let assets = if i % 2 == 0 {
                    [&asset, &other]
                } else {
                    [&other, &asset]
                };
                let imports: Vec<AssetImport<'_>> = names
                    .iter()
                    .zip(assets)
                    .map(|(name, asset)| AssetImport {
                        asset,
                        name,
                        file: "status",
                        format: Format::DpkgStatus,
                    })
                    .collect();
                store
                    .import_assets(&tenant("diest"), "test", &imports)
                    .await
                    .map(|_| ())
            }));
        }
        for task in tasks {
            task.await.expect("join").expect("import");
        }
        let t = tenant("diest");
        let stored = store
            .asset(&t, "web01")
            .await
            .expect("asset")
            .expect("web01");
        let got: BTreeSet<(String, String)> = stored
            .components
            .iter()
            .map(|c| {
                (
                    c.component.name.clone(),
                    c.component.version.clone().unwrap_or_default(),
                )
            })
            .collect();
        assert_eq!(got.len(), stored.components.len(), "no duplicate rows");
        let matches = sets
            .iter()
            .filter(|set| {
                let want: BTreeSet<(String, String)> = set
                    .iter()
                    .map(|c| (c.name.clone(), c.version.clone().unwrap_or_default()))
                    .collect();
                want == got
            })
            .count();
        assert_eq!(matches, 1, "web01 holds exactly one import's set: {got:?}");
        assert_eq!(
            store
                .import_history(&t, Some("web01"))
                .await
                .expect("h")
                .len(),
            12
        );
        assert_eq!(store.import_history(&t, None).await.expect("h").len(), 24);
        second.close().await;
    }
);

store_test_url!(
    simultaneous_pushes_with_one_key_make_one_upload,
    |store: Store, url: String| async move {
        with_tenants(&store, &["diest"]).await;
        let second = Store::open(&url).await.expect("second instance");
        let mut tasks = Vec::new();
        for i in 0..16 {
            let store = if i % 2 == 0 {
                store.clone()
            } else {
                second.clone()
            };
            tasks.push(tokio::spawn(async move {
                store
                    .enqueue_upload(new_upload("diest", b"same body", Some("retry-me")), "t")
                    .await
            }));
        }
        let mut ids = BTreeSet::new();
        let mut replayed = 0;
        for task in tasks {
            let status = task.await.expect("join").expect("enqueue or replay");
            ids.insert(status.id);
            replayed += usize::from(status.replayed);
        }
        assert_eq!(ids.len(), 1, "{ids:?}");
        assert_eq!(replayed, 15);
        let all = store
            .uploads(&tenant("diest"), &UploadFilter::default())
            .await
            .expect("list");
        assert_eq!(all.len(), 1);
        second.close().await;
    }
);
