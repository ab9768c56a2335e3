//! The retention job deletes exactly what it should: bodies of finished uploads past their
//! days (not of queued ones, not the status rows), import history past its days except each
//! asset's latest, finished job records past their days; each audited in its tenant's log.

use std::time::Duration;

use weerbaar_inventory::{Format, ImportedAsset};
use weerbaar_jobs::{Clock, JobContext, RetentionConfig, SystemClock, tasks};
use weerbaar_store::{AssetImport, JobStatus, NewUpload, Store, TenantId, UploadState};

use crate::backends::TestDb;

const DAY: i64 = 86_400;

async fn upload(store: &Store, tenant: &TenantId, name: &str) -> String {
    store
        .enqueue_upload(
            NewUpload {
                tenant: tenant.clone(),
                file_name: format!("{name}.csv"),
                input_format: None,
                asset_name: Some(name.to_owned()),
                body: format!("name,version\n{name},1.0\n").as_bytes(),
                idempotency_key: None,
            },
            "test",
        )
        .await
        .expect("enqueue")
        .id
}

async fn import(store: &Store, tenant: &TenantId, asset: &str) {
    let empty = ImportedAsset::default();
    store
        .import_assets(
            tenant,
            "test",
            &[AssetImport {
                asset: &empty,
                name: asset,
                file: "status",
                format: Format::DpkgStatus,
            }],
        )
        .await
        .expect("import");
}

fn ctx(store: &Store) -> JobContext {
    JobContext {
        store: store.clone(),
        job: tasks::RETENTION.to_owned(),
        slot: 1,
        instance: "test".to_owned(),
    }
}

db_test!(
    retention_deletes_exactly_what_is_old,
    async |db: &TestDb| {
        let store = &db.store;
        let t = TenantId::new("gemeente-diest").expect("tenant");
        let u = TenantId::new("gemeente-tielt").expect("tenant");
        store.add_tenant(&t, "Diest", "test").await.expect("add");
        store.add_tenant(&u, "Tielt", "test").await.expect("add");

        // Uploads: one done, one failed, one still queued.
        let done = upload(store, &t, "web-1").await;
        let failed = upload(store, &t, "web-2").await;
        let lease = Duration::from_secs(60);
        let first = store
            .claim_upload("w", lease)
            .await
            .expect("claim")
            .expect("one");
        assert_eq!(first.id, done);
        let asset = ImportedAsset::default();
        store
            .complete_upload(
                &first,
                &[AssetImport {
                    asset: &asset,
                    name: "web-1",
                    file: "web-1.csv",
                    format: Format::Csv,
                }],
            )
            .await
            .expect("complete");
        let second = store
            .claim_upload("w", lease)
            .await
            .expect("claim")
            .expect("two");
        assert_eq!(second.id, failed);
        store.fail_upload(&second, "bad file").await.expect("fail");
        let queued = upload(store, &t, "web-3").await;

        // Import history: web-1 (the upload plus two more), db-1 once; u has one import.
        import(store, &t, "web-1").await;
        import(store, &t, "web-1").await;
        import(store, &t, "db-1").await;
        import(store, &u, "web-1").await;

        // A job record from long ago, one recent, and a running claim from long ago.
        let old = store
            .claim_slot("x", 1, "a", 1_000, 60)
            .await
            .expect("claim")
            .expect("free");
        store
            .finish_claim(&old, 1_010, JobStatus::Done, "")
            .await
            .expect("finish");
        let now = SystemClock.now();
        let recent = store
            .claim_slot("x", 2, "a", now, 60)
            .await
            .expect("claim")
            .expect("free");
        store
            .finish_claim(&recent, now, JobStatus::Done, "")
            .await
            .expect("finish");
        store
            .claim_slot("x", 3, "a", 1_000, 60)
            .await
            .expect("claim")
            .expect("free");

        let config = RetentionConfig {
            upload_body_days: 7,
            import_history_days: 7,
            job_runs_days: 7,
            ..RetentionConfig::default()
        };
        // Today everything but the ancient job record is recent.
        let detail = tasks::retention(&ctx(store), &config, now)
            .await
            .expect("retention");
        assert_eq!(
            detail,
            "upload bodies dropped: 0; import history rows deleted: 0 (0 tenants); job records deleted: 1"
        );
        for id in [&done, &failed, &queued] {
            assert_eq!(
                store.upload_body_retained(&t, id).await.expect("body"),
                Some(true)
            );
        }

        // Eight days on, the finished uploads' bodies and the superseded imports go.
        let later = now + 8 * DAY;
        let detail = tasks::retention(&ctx(store), &config, later)
            .await
            .expect("retention");
        assert_eq!(
            detail,
            "upload bodies dropped: 2; import history rows deleted: 2 (1 tenants); job records deleted: 1"
        );
        assert_eq!(
            store.upload_body_retained(&t, &done).await.expect("body"),
            Some(false)
        );
        assert_eq!(
            store.upload_body_retained(&t, &failed).await.expect("body"),
            Some(false)
        );
        assert_eq!(
            store.upload_body_retained(&t, &queued).await.expect("body"),
            Some(true)
        );
        // The status rows stay.
        assert_eq!(
            store.upload(&t, &done).await.expect("status").status,
            UploadState::Done
        );
        assert_eq!(
            store.upload(&t, &failed).await.expect("status").status,
            UploadState::Failed
        );
        let history = store.import_history(&t, None).await.expect("history");
        let mut kept: Vec<&str> = history.iter().map(|r| r.asset.as_str()).collect();
        kept.sort_unstable();
        assert_eq!(kept, ["db-1", "web-1"]);
        assert_eq!(
            store.import_history(&u, None).await.expect("history").len(),
            1
        );
        let slots: Vec<i64> = store
            .last_runs("x", 10)
            .await
            .expect("runs")
            .iter()
            .map(|r| r.slot)
            .collect();
        assert_eq!(slots, [3], "the running claim stays, whatever its age");

        let audit = store.audit_log(&t).await.expect("audit");
        let bodies: Vec<_> = audit
            .iter()
            .filter(|e| e.action == "retention.upload-bodies")
            .collect();
        assert_eq!(bodies.len(), 1);
        assert_eq!(bodies[0].detail["dropped"], 2);
        assert_eq!(bodies[0].actor, "job:retention@test");
        let imports: Vec<_> = audit
            .iter()
            .filter(|e| e.action == "retention.imports")
            .collect();
        assert_eq!(imports.len(), 1);
        assert_eq!(imports[0].detail["deleted"], 2);
        assert!(
            store
                .audit_log(&u)
                .await
                .expect("audit")
                .iter()
                .all(|e| !e.action.starts_with("retention."))
        );

        // Again: nothing left to delete.
        let detail = tasks::retention(&ctx(store), &config, later)
            .await
            .expect("retention");
        assert_eq!(
            detail,
            "upload bodies dropped: 0; import history rows deleted: 0 (0 tenants); job records deleted: 0"
        );
    }
);
