use weerbaar_inventory::model::{
    AssetKind, Component, Criticality, Exposure, Location, OperatingSystem, Source,
};
use weerbaar_inventory::{Format, ImportedAsset};
use weerbaar_store::{AssetImport, Store, StoreError, TenantId};

fn tenant(id: &str) -> TenantId {
    TenantId::new(id).expect("valid tenant id")
}

fn component(name: &str, version: &str, line: usize) -> Component {
    Component {
        ecosystem: Some("Debian:12".into()),
        name: name.into(),
        version: Some(version.into()),
        purl: Some(format!("pkg:deb/debian/{name}@{version}?distro=debian-12")),
        cpe: None,
        vendor: None,
        source_name: Some(format!("{name}-src")),
        source_version: Some(version.into()),
        source: Source {
            file: "status".into(),
            location: Location::Line(line),
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

async fn import(
    store: &Store,
    t: &TenantId,
    name: &str,
    asset: &ImportedAsset,
) -> Result<Vec<weerbaar_store::ImportSummary>, StoreError> {
    store
        .import_assets(
            t,
            "test",
            &[AssetImport {
                asset,
                name,
                file: "status",
                format: Format::DpkgStatus,
            }],
        )
        .await
}

store_test!(
    tenants_are_created_once_and_listed,
    |store: Store| async move {
        let t = tenant("gemeente-diest");
        store
            .add_tenant(&t, "Gemeente Diest", "test")
            .await
            .expect("add");
        let again = store.add_tenant(&t, "Diest", "test").await;
        assert!(
            matches!(again, Err(StoreError::TenantExists { .. })),
            "{again:?}"
        );
        let all = store.tenants().await.expect("list");
        assert_eq!(all.len(), 1);
        assert_eq!(all[0].name, "Gemeente Diest");
        let missing = store.tenant(&tenant("nope")).await;
        assert!(matches!(missing, Err(StoreError::UnknownTenant { .. })));
        assert!(TenantId::new("Bad Name").is_err());
        assert!(TenantId::new("-x").is_err());
        assert!(TenantId::new("").is_err());
    }
);

store_test!(
    import_stores_components_with_their_evidence,
    |store: Store| async move {
        let t = tenant("antwerpen");
        store
            .add_tenant(&t, "Stad Antwerpen", "test")
            .await
            .expect("add");
        let asset = host(vec![
            component("openssl", "3.0.11-1~deb12u2", 10),
            component("curl", "7.88.1-10+deb12u5", 40),
        ]);
        let summary = import(&store, &t, "web01", &asset).await.expect("import");
        assert_eq!(summary[0].components, 2);
        assert_eq!(summary[0].added, 2);
        assert!(summary[0].created);

        let stored = store
            .asset(&t, "WEB01")
            .await
            .expect("query")
            .expect("case-insensitive name");
        assert_eq!(stored.asset.name, "web01");
        assert_eq!(
            stored.asset.os.as_ref().map(|o| o.id.as_str()),
            Some("debian")
        );
        assert_eq!(stored.components.len(), 2);
        let curl = &stored.components[0].component;
        assert_eq!(curl.name, "curl");
        assert_eq!(curl.version.as_deref(), Some("7.88.1-10+deb12u5"));
        assert_eq!(curl.source.location, Location::Line(40));
        assert_eq!(curl.source_name.as_deref(), Some("curl-src"));

        let list = store.list_assets(&t).await.expect("list");
        assert_eq!(list.len(), 1);
        assert_eq!(list[0].components, 2);

        // Another tenant sees nothing of it.
        let other = tenant("diest");
        store
            .add_tenant(&other, "Diest", "test")
            .await
            .expect("add");
        assert!(store.list_assets(&other).await.expect("list").is_empty());
        assert!(store.asset(&other, "web01").await.expect("query").is_none());
    }
);

store_test!(
    reimport_replaces_the_set_and_keeps_first_seen,
    |store: Store| async move {
        let t = tenant("leuven");
        store.add_tenant(&t, "Leuven", "test").await.expect("add");
        let first = host(vec![
            component("openssl", "3.0.11-1~deb12u1", 1),
            component("bash", "5.2.15-2+b2", 2),
        ]);
        import(&store, &t, "app01", &first)
            .await
            .expect("first import");
        let before = store.asset(&t, "app01").await.expect("q").expect("asset");
        let bash_first_seen = before
            .components
            .iter()
            .find(|c| c.component.name == "bash")
            .map(|c| c.first_seen);

        tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
        // openssl upgraded, bash unchanged, zlib new.
        let second = host(vec![
            component("openssl", "3.0.11-1~deb12u2", 1),
            component("bash", "5.2.15-2+b2", 2),
            component("zlib1g", "1:1.2.13.dfsg-1", 3),
        ]);
        let summary = import(&store, &t, "app01", &second)
            .await
            .expect("second import");
        assert_eq!(
            (
                summary[0].components,
                summary[0].added,
                summary[0].removed,
                summary[0].kept
            ),
            (3, 2, 1, 1)
        );
        assert!(!summary[0].created);

        let after = store.asset(&t, "app01").await.expect("q").expect("asset");
        assert_eq!(after.components.len(), 3);
        let bash = after
            .components
            .iter()
            .find(|c| c.component.name == "bash")
            .expect("bash");
        assert_eq!(
            Some(bash.first_seen),
            bash_first_seen,
            "first seen survives a re-import"
        );
        assert!(bash.last_seen > bash.first_seen, "last seen moves on");
        let openssl = after
            .components
            .iter()
            .find(|c| c.component.name == "openssl")
            .expect("openssl");
        assert_eq!(
            openssl.component.version.as_deref(),
            Some("3.0.11-1~deb12u2")
        );
        assert_eq!(
            openssl.first_seen, openssl.last_seen,
            "an upgrade is a new component"
        );
    }
);

store_test!(
    attributes_not_in_the_file_keep_their_stored_value,
    |store: Store| async move {
        let t = tenant("mechelen");
        store.add_tenant(&t, "Mechelen", "test").await.expect("add");
        let mut first = host(vec![component("bash", "5.2", 1)]);
        first.zone = Some("town hall LAN".into());
        first.criticality = Some(Criticality::Critical);
        first.exposure = Some(Exposure::InternetFacing);
        first.kind = Some(AssetKind::Appliance);
        first.tags = vec!["civil-affairs".into()];
        import(&store, &t, "fw01", &first).await.expect("import");
        let bare = ImportedAsset {
            components: vec![component("bash", "5.3", 1)],
            ..ImportedAsset::default()
        };
        import(&store, &t, "fw01", &bare).await.expect("reimport");
        let stored = store.asset(&t, "fw01").await.expect("q").expect("asset");
        assert_eq!(stored.asset.zone.as_deref(), Some("town hall LAN"));
        assert_eq!(stored.asset.criticality, Criticality::Critical);
        assert_eq!(stored.asset.exposure, Exposure::InternetFacing);
        assert_eq!(stored.asset.kind, AssetKind::Appliance);
        assert_eq!(stored.asset.tags, vec!["civil-affairs".to_owned()]);
        assert_eq!(
            stored.asset.os.as_ref().map(|o| o.id.as_str()),
            Some("debian"),
            "os kept too"
        );
    }
);

store_test!(
    a_failing_import_leaves_the_stored_data_unchanged,
    |store: Store| async move {
        let t = tenant("gent");
        store.add_tenant(&t, "Gent", "test").await.expect("add");
        let good = host(vec![component("openssl", "3.0.11", 1)]);
        import(&store, &t, "srv1", &good).await.expect("import");
        let before = (
            store.list_assets(&t).await.expect("list"),
            store.asset(&t, "srv1").await.expect("q"),
        );
        let audit_before = store.audit_log(&t).await.expect("audit").len();

        // Two assets in one import: the first is fine and would replace srv1's components; the
        // second fails inside the transaction (the schema refuses an empty component name).
        let replacement = host(vec![component("curl", "8.0", 1)]);
        let mut broken = host(vec![component("ok", "1", 1)]);
        broken.components.push(Component {
            name: String::new(),
            ..component("x", "1", 2)
        });
        let result = store
            .import_assets(
                &t,
                "test",
                &[
                    AssetImport {
                        asset: &replacement,
                        name: "srv1",
                        file: "a",
                        format: Format::DpkgStatus,
                    },
                    AssetImport {
                        asset: &broken,
                        name: "srv2",
                        file: "b",
                        format: Format::DpkgStatus,
                    },
                ],
            )
            .await;
        assert!(result.is_err(), "the empty name must be refused");
        let after = (
            store.list_assets(&t).await.expect("list"),
            store.asset(&t, "srv1").await.expect("q"),
        );
        assert_eq!(before, after, "nothing of the failed import may remain");
        assert_eq!(
            store.audit_log(&t).await.expect("audit").len(),
            audit_before,
            "nor its audit entries"
        );

        let unknown = import(&store, &tenant("unknown"), "srv1", &good).await;
        assert!(
            matches!(unknown, Err(StoreError::UnknownTenant { .. })),
            "{unknown:?}"
        );
        let bad_name = import(&store, &t, "  ", &good).await;
        assert!(
            matches!(bad_name, Err(StoreError::InvalidAsset { .. })),
            "{bad_name:?}"
        );
    }
);

store_test!(every_change_is_audited, |store: Store| async move {
    let t = tenant("hasselt");
    store.add_tenant(&t, "Hasselt", "alice").await.expect("add");
    import(
        &store,
        &t,
        "db01",
        &host(vec![component("postgresql-15", "15.5-0+deb12u1", 1)]),
    )
    .await
    .expect("import");
    let log = store.audit_log(&t).await.expect("audit");
    let actions: Vec<&str> = log.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, ["tenant.create", "inventory.import"]);
    assert_eq!(log[0].actor, "alice");
    assert_eq!(log[1].object, "asset:db01");
    assert_eq!(log[1].detail["components"], 1);
    assert_eq!(log[1].detail["format"], "dpkg-status");
});

store_test!(large_imports_are_batched, |store: Store| async move {
    let t = tenant("brugge");
    store.add_tenant(&t, "Brugge", "test").await.expect("add");
    let many: Vec<Component> = (0..2_345)
        .map(|i| component(&format!("pkg{i}"), "1.0", i + 1))
        .collect();
    let summary = import(&store, &t, "big", &host(many))
        .await
        .expect("import");
    assert_eq!(summary[0].components, 2_345);
    let stored = store.asset(&t, "big").await.expect("q").expect("asset");
    assert_eq!(stored.components.len(), 2_345);
});

store_test!(opening_twice_migrates_once, |store: Store| async move {
    // The store is already open and migrated; the schema must be usable and stable.
    let t = tenant("oostende");
    store.add_tenant(&t, "Oostende", "test").await.expect("add");
    assert_eq!(store.tenants().await.expect("list").len(), 1);
});

#[tokio::test]
async fn unsupported_urls_are_refused_with_the_password_hidden() {
    let err = Store::open("mysql://root:hunter2@localhost/x")
        .await
        .expect_err("mysql");
    let message = err.to_string();
    assert!(message.contains("unsupported database URL"), "{message}");
    assert!(!message.contains("hunter2"), "{message}");
}

store_test!(
    a_reimport_rewrites_only_what_changed,
    |store: Store| async move {
        let t = tenant("gemeente-diest");
        store.add_tenant(&t, "Diest", "test").await.expect("add");
        let first = host(vec![
            component("bash", "5.2", 1),
            component("curl", "8.0", 2),
        ]);
        import(&store, &t, "web01", &first).await.expect("first");
        // curl moved in the file (same package and version), openssl is new, bash is gone.
        let second = host(vec![
            component("curl", "8.0", 7),
            component("openssl", "3.0", 9),
        ]);
        let summary = import(&store, &t, "web01", &second).await.expect("second");
        assert_eq!(
            (summary[0].added, summary[0].removed, summary[0].kept),
            (1, 1, 1)
        );
        let stored = store
            .asset(&t, "web01")
            .await
            .expect("asset")
            .expect("web01");
        let lines: Vec<(String, Location)> = stored
            .components
            .iter()
            .map(|c| {
                (
                    c.component.name.clone(),
                    c.component.source.location.clone(),
                )
            })
            .collect();
        assert_eq!(
            lines,
            [
                ("curl".to_owned(), Location::Line(7)),
                ("openssl".to_owned(), Location::Line(9))
            ]
        );
        // Unchanged re-import: nothing added or removed, and the rows stay.
        let again = import(&store, &t, "web01", &second).await.expect("third");
        assert_eq!((again[0].added, again[0].removed, again[0].kept), (0, 0, 2));
        let after = store
            .asset(&t, "web01")
            .await
            .expect("asset")
            .expect("web01");
        assert_eq!(after.components.len(), 2);
        assert_eq!(
            after.components[0].first_seen,
            stored.components[0].first_seen
        );
    }
);
