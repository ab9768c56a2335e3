//! Job slot claims (`job_runs`) and the retention deletes, on both backends. Time is passed in,
//! so leases expire without waiting.

use weerbaar_inventory::{Format, ImportedAsset};
use weerbaar_store::{AssetImport, JobStatus, Store, TenantId};

store_test!(a_slot_is_claimed_once, |store: Store| async move {
    let first = store
        .claim_slot("feed-sync", 7, "a", 1_000, 60)
        .await
        .expect("claim")
        .expect("a new slot is free");
    assert_eq!(first.fencing, 1);
    // Another instance, while the lease runs: nothing to do.
    let second = store
        .claim_slot("feed-sync", 7, "b", 1_030, 60)
        .await
        .expect("claim");
    assert_eq!(second, None);
    // Another slot, or another job's same slot, is free.
    assert!(
        store
            .claim_slot("feed-sync", 8, "b", 1_030, 60)
            .await
            .expect("claim")
            .is_some()
    );
    assert!(
        store
            .claim_slot("retention", 7, "b", 1_030, 60)
            .await
            .expect("claim")
            .is_some()
    );
    assert!(
        store
            .finish_claim(&first, 1_040, JobStatus::Done, "ok")
            .await
            .expect("finish")
    );
    // Done is done, even long after the lease.
    assert_eq!(
        store
            .claim_slot("feed-sync", 7, "b", 9_999, 60)
            .await
            .expect("claim"),
        None
    );
    let runs = store.last_runs("feed-sync", 10).await.expect("runs");
    assert_eq!(runs.len(), 2);
    assert_eq!((runs[0].slot, runs[0].status), (8, JobStatus::Running));
    assert_eq!(
        (
            runs[1].slot,
            runs[1].status,
            runs[1].finished_at,
            runs[1].detail.as_deref()
        ),
        (7, JobStatus::Done, Some(1_040), Some("ok"))
    );
});

store_test!(
    an_expired_lease_is_taken_over_and_fences_the_old_holder,
    |store: Store| async move {
        let stale = store
            .claim_slot("rematch-queue", 1, "a", 1_000, 60)
            .await
            .expect("claim")
            .expect("free");
        // At the lease's last second it is still a's.
        assert_eq!(
            store
                .claim_slot("rematch-queue", 1, "b", 1_060, 60)
                .await
                .expect("claim"),
            None
        );
        let taken = store
            .claim_slot("rematch-queue", 1, "b", 1_061, 60)
            .await
            .expect("claim")
            .expect("expired lease is taken over");
        assert_eq!((taken.holder.as_str(), taken.fencing), ("b", 2));
        // The old holder wakes up: it can neither renew nor finish.
        assert!(!store.renew_claim(&stale, 1_062, 60).await.expect("renew"));
        assert!(
            !store
                .finish_claim(&stale, 1_063, JobStatus::Failed, "stale")
                .await
                .expect("finish")
        );
        assert!(store.renew_claim(&taken, 1_100, 60).await.expect("renew"));
        // Renewed until 1160: no takeover at 1120.
        assert_eq!(
            store
                .claim_slot("rematch-queue", 1, "c", 1_120, 60)
                .await
                .expect("claim"),
            None
        );
        assert!(
            store
                .finish_claim(&taken, 1_130, JobStatus::Done, "b did it")
                .await
                .expect("finish")
        );
        // Finishing twice, or renewing a finished claim, is refused.
        assert!(
            !store
                .finish_claim(&taken, 1_131, JobStatus::Failed, "again")
                .await
                .expect("finish")
        );
        assert!(!store.renew_claim(&taken, 1_131, 60).await.expect("renew"));
        let runs = store.last_runs("rematch-queue", 1).await.expect("runs");
        assert_eq!(runs.len(), 1);
        let run = &runs[0];
        assert_eq!(
            (
                run.holder.as_str(),
                run.fencing,
                run.status,
                run.detail.as_deref()
            ),
            ("b", 2, JobStatus::Done, Some("b did it"))
        );
    }
);

store_test!(
    finished_runs_are_pruned_running_ones_stay,
    |store: Store| async move {
        let old = store
            .claim_slot("retention", 1, "a", 100, 60)
            .await
            .expect("claim")
            .expect("free");
        store
            .finish_claim(&old, 150, JobStatus::Done, "")
            .await
            .expect("finish");
        let newer = store
            .claim_slot("retention", 2, "a", 200, 60)
            .await
            .expect("claim")
            .expect("free");
        store
            .finish_claim(&newer, 250, JobStatus::Failed, "boom")
            .await
            .expect("finish");
        store
            .claim_slot("retention", 3, "a", 100, 60)
            .await
            .expect("claim")
            .expect("free");
        assert_eq!(store.prune_job_runs(200).await.expect("prune"), 1);
        let slots: Vec<i64> = store
            .last_runs("retention", 10)
            .await
            .expect("runs")
            .iter()
            .map(|r| r.slot)
            .collect();
        assert_eq!(slots, [3, 2]);
    }
);

async fn import(store: &Store, t: &TenantId, name: &str, file: &str) {
    let asset = ImportedAsset::default();
    store
        .import_assets(
            t,
            "test",
            &[AssetImport {
                asset: &asset,
                name,
                file,
                format: Format::DpkgStatus,
            }],
        )
        .await
        .expect("import");
}

store_test!(
    import_history_keeps_the_latest_per_asset_and_recent_rows,
    |store: Store| async move {
        let t = TenantId::new("gemeente-diest").expect("tenant");
        let u = TenantId::new("gemeente-tielt").expect("tenant");
        store.add_tenant(&t, "Diest", "test").await.expect("add");
        store.add_tenant(&u, "Tielt", "test").await.expect("add");
        for file in ["one", "two", "three"] {
            import(&store, &t, "web-1", file).await;
        }
        import(&store, &t, "db-1", "only").await;
        import(&store, &u, "web-1", "only").await;
        // A cutoff in the past: nothing is old enough.
        let none = store
            .prune_imports(0, "job:retention")
            .await
            .expect("prune");
        assert_eq!((none.tenants, none.rows), (0, 0));
        assert_eq!(
            store.import_history(&t, None).await.expect("history").len(),
            4
        );
        // Everything is old: all but each asset's latest import go.
        let cutoff = i64::MAX;
        let pruned = store
            .prune_imports(cutoff, "job:retention")
            .await
            .expect("prune");
        assert_eq!((pruned.tenants, pruned.rows), (1, 2));
        assert_eq!(
            store.import_history(&t, None).await.expect("history").len(),
            2
        );
        assert_eq!(
            store.import_history(&u, None).await.expect("history").len(),
            1
        );
        let again = store
            .prune_imports(cutoff, "job:retention")
            .await
            .expect("prune");
        assert_eq!(again.rows, 0);
        let audit = store.audit_log(&t).await.expect("audit");
        let retention: Vec<_> = audit
            .iter()
            .filter(|e| e.action == "retention.imports")
            .collect();
        assert_eq!(retention.len(), 1, "{audit:?}");
        assert_eq!(retention[0].actor, "job:retention");
        assert_eq!(retention[0].detail["deleted"], 2);
        assert!(
            store
                .audit_log(&u)
                .await
                .expect("audit")
                .iter()
                .all(|e| e.action != "retention.imports")
        );
    }
);
