//! Seeding the demo provider into a store: tenants, inventories, exceptions, findings; twice
//! changes nothing.

use weerbaar_demo::{Dataset, KnowledgeSource, seed_demo, seed_demo_with};
use weerbaar_store::{FindingFilter, Store};

async fn open_findings(store: &Store) -> usize {
    let mut n = 0;
    for t in store.tenants().await.expect("tenants") {
        n += store
            .findings(
                &t.id,
                FindingFilter {
                    open_only: true,
                    ..FindingFilter::default()
                },
            )
            .await
            .expect("findings")
            .len();
    }
    n
}

store_test!(seeding_twice_is_idempotent, |store: Store| async move {
    let knowledge = Dataset::load().expect("dataset").knowledge();
    let first = seed_demo_with(&store, &knowledge, KnowledgeSource::DemoDataset)
        .await
        .expect("seed");
    assert!((6..=8).contains(&first.tenants.len()));
    assert!(first.tenants.iter().all(|t| t.created));
    assert!(
        first.tenants.iter().all(|t| t.open_findings > 0),
        "{first:?}"
    );
    assert!(first.tenants.iter().any(|t| t.exceptions_added > 0));
    let tenants = store.tenants().await.expect("tenants");
    assert_eq!(tenants.len(), first.tenants.len());
    assert!(tenants.iter().all(|t| t.name.ends_with("(demo)")));
    let open = open_findings(&store).await;
    assert_eq!(open, first.open_findings());

    let second = seed_demo_with(&store, &knowledge, KnowledgeSource::DemoDataset)
        .await
        .expect("seed again");
    assert!(second.tenants.iter().all(|t| !t.created));
    assert!(second.tenants.iter().all(|t| t.exceptions_added == 0));
    assert!(second.tenants.iter().all(|t| t.new_findings == 0));
    assert_eq!(second.assets(), first.assets());
    assert_eq!(second.components(), first.components());
    assert_eq!(second.open_findings(), first.open_findings());
    assert_eq!(open_findings(&store).await, open);
    let t = &tenants[0].id;
    let exceptions = store.exceptions(t, true).await.expect("exceptions");
    assert_eq!(
        exceptions.len(),
        first
            .tenants
            .iter()
            .find(|s| &s.tenant == t)
            .map_or(0, |s| s.exceptions_added)
    );
    let audit = store.audit_log(t).await.expect("audit");
    assert!(audit.iter().all(|a| a.actor == "demo"));
});

store_test!(
    seed_without_stored_feeds_uses_the_dataset,
    |store: Store| async move {
        let dir =
            std::env::temp_dir().join(format!("weerbaar-demo-nofeeds-{}", std::process::id()));
        let summary = seed_demo(&store, &dir).await.expect("seed");
        assert_eq!(summary.source, KnowledgeSource::DemoDataset);
        assert!(summary.open_findings() > 0);
    }
);

store_test!(
    stored_feeds_win_over_the_dataset,
    |store: Store| async move {
        // A data directory whose only stored feed is one OSV record (Log4Shell).
        let dir = std::env::temp_dir().join(format!(
            "weerbaar-demo-feeds-{}-{:?}",
            std::process::id(),
            store.backend()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("dir");
        let record = weerbaar_demo::dataset::OSV
            .text
            .lines()
            .find(|l| l.contains("GHSA-jfh8-c2jp-5v3q"))
            .expect("log4shell record");
        let file = dir.join("log4shell.jsonl");
        std::fs::write(&file, format!("{record}\n")).expect("write");
        weerbaar_feeds::import(&dir, &[file]).expect("import feed");

        let summary = seed_demo(&store, &dir).await.expect("seed");
        assert_eq!(summary.source, KnowledgeSource::StoredFeeds);
        assert!(summary.open_findings() > 0);
        for t in store.tenants().await.expect("tenants") {
            for f in store
                .findings(&t.id, FindingFilter::default())
                .await
                .expect("findings")
            {
                assert!(
                    f.ids.iter().any(|id| id == "GHSA-jfh8-c2jp-5v3q"),
                    "only the stored feed matched: {:?}",
                    f.ids
                );
            }
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
);
