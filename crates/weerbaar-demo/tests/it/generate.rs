//! The synthetic portfolio: the requested counts, findings, and a second run changes nothing.

use weerbaar_demo::generate::tenant_id;
use weerbaar_demo::{Dataset, GenerateOptions, generate};
use weerbaar_store::{Store, TenantId};

async fn check(store: &Store, options: &GenerateOptions) {
    for t in 0..options.tenants {
        let id = TenantId::new(&tenant_id(t)).expect("id");
        let assets = store.list_assets(&id).await.expect("assets");
        assert_eq!(assets.len(), options.assets, "{id}");
        for a in &assets {
            assert_eq!(
                usize::try_from(a.components).expect("count"),
                options.components,
                "{id}/{}",
                a.asset.name
            );
        }
    }
}

store_test!(
    generate_makes_the_requested_counts,
    |store: Store| async move {
        let knowledge = Dataset::load().expect("dataset").knowledge();
        let options = GenerateOptions {
            tenants: 2,
            assets: 3,
            components: 120,
            seed: 7,
        };
        let mut calls = 0;
        let mut last = 0;
        let first = generate(&store, &options, Some(&knowledge), &mut |p| {
            calls += 1;
            assert!(p.percent() >= last);
            last = p.percent();
        })
        .await
        .expect("generate");
        assert_eq!(last, 100);
        assert!(calls >= 2);
        assert_eq!(first.assets, 6);
        assert_eq!(first.components, 720);
        assert!(first.findings > 0, "the pool produces findings");
        assert_eq!(store.tenants().await.expect("tenants").len(), 2);
        check(&store, &options).await;

        let second = generate(&store, &options, Some(&knowledge), &mut |_| {})
            .await
            .expect("again");
        assert_eq!(second.components, first.components);
        assert_eq!(second.findings, first.findings);
        check(&store, &options).await;

        // Fewer components than the base system: exactly as many as asked.
        let small = GenerateOptions {
            tenants: 1,
            assets: 2,
            components: 10,
            seed: 1,
        };
        let s = generate(&store, &small, None, &mut |_| {})
            .await
            .expect("small");
        assert_eq!(s.components, 20);
        assert_eq!(s.findings, 0, "not matched without knowledge");
    }
);
