//! Findings over time: new, still open, resolved (and why), identity across id changes,
//! rematch scope, exposure across tenants.

use weerbaar_inventory::model::{Component, Location, Source};
use weerbaar_inventory::{Format, ImportedAsset};
use weerbaar_store::{
    AssetImport, FindingFacts, FindingFilter, KevFact, ObservedFinding, PortfolioPackage,
    RematchScope, Resolution, Store, TenantComponent, TenantId,
};

fn deb(name: &str, version: &str) -> Component {
    Component {
        ecosystem: Some("Debian:12".into()),
        name: name.into(),
        version: Some(version.into()),
        purl: Some(format!("pkg:deb/debian/{name}@{version}?distro=debian-12")),
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

async fn setup(store: &Store, tenant: &TenantId, assets: &[(&str, Vec<Component>)]) {
    if store.tenant(tenant).await.is_err() {
        store
            .add_tenant(tenant, tenant.as_str(), "test")
            .await
            .expect("add tenant");
    }
    let imported: Vec<ImportedAsset> = assets
        .iter()
        .map(|(_, components)| ImportedAsset {
            components: components.clone(),
            ..ImportedAsset::default()
        })
        .collect();
    let imports: Vec<AssetImport<'_>> = assets
        .iter()
        .zip(&imported)
        .map(|((name, _), asset)| AssetImport {
            asset,
            name,
            file: "status",
            format: Format::DpkgStatus,
        })
        .collect();
    store
        .import_assets(tenant, "test", &imports)
        .await
        .expect("import");
}

fn observe(c: &TenantComponent, ids: &[&str]) -> ObservedFinding {
    ObservedFinding {
        asset_key: c.asset_key.clone(),
        component_key: c.component_key.clone(),
        ids: ids.iter().map(|s| (*s).to_owned()).collect(),
        ecosystem: c.component.ecosystem.clone(),
        package: c.component.name.clone(),
        version: c.component.version.clone().unwrap_or_default(),
        purl: c.component.purl.clone(),
        fixed_versions: vec!["9.9".into()],
        matched_by: "purl".into(),
        cpe: None,
        facts: FindingFacts {
            kev: Some(KevFact {
                cve: "CVE-2024-0001".into(),
                date_added: "2024-01-02".into(),
                due_date: "2024-01-23".into(),
                ransomware: true,
            }),
            ..FindingFacts::default()
        },
    }
}

fn find<'a>(components: &'a [TenantComponent], asset: &str, name: &str) -> &'a TenantComponent {
    components
        .iter()
        .find(|c| c.asset_key == asset && c.component.name == name)
        .expect("component stored")
}

store_test!(
    findings_live_from_first_seen_to_resolution,
    |store: Store| async move {
        let t = TenantId::new("diest").expect("slug");
        setup(
            &store,
            &t,
            &[
                ("web01", vec![deb("openssl", "3.0.11"), deb("bash", "5.2")]),
                ("db01", vec![deb("openssl", "3.0.11")]),
            ],
        )
        .await;
        let comps = store.tenant_components(&t, None).await.expect("components");
        assert_eq!(comps.len(), 3);
        let observed = vec![
            observe(find(&comps, "web01", "openssl"), &["CVE-2024-0001"]),
            observe(
                find(&comps, "web01", "bash"),
                &["GHSA-aaaa", "CVE-2024-0002"],
            ),
            observe(find(&comps, "db01", "openssl"), &["CVE-2024-0001"]),
        ];
        let first = store
            .record_findings(&t, "test", RematchScope::Tenant, &observed)
            .await
            .expect("record");
        assert_eq!((first.new, first.still_open, first.resolved), (3, 0, 0));
        let all = store
            .findings(&t, FindingFilter::default())
            .await
            .expect("list");
        assert_eq!(all.len(), 3);
        let bash = all.iter().find(|f| f.package == "bash").expect("bash");
        assert_eq!(bash.asset, "web01");
        assert_eq!(bash.ids, ["GHSA-aaaa", "CVE-2024-0002"]);
        assert_eq!(bash.facts.kev.as_ref().map(|k| k.ransomware), Some(true));
        assert_eq!(bash.resolved_at, None);

        // The next feed update makes a DSA the preferred id: the same finding continues.
        let mut again = observed.clone();
        again[1].ids = vec![
            "DSA-5000-1".into(),
            "CVE-2024-0002".into(),
            "GHSA-aaaa".into(),
        ];
        let second = store
            .record_findings(&t, "test", RematchScope::Tenant, &again)
            .await
            .expect("record");
        assert_eq!((second.new, second.still_open, second.resolved), (0, 3, 0));
        let bash2 = store
            .findings(&t, FindingFilter::default())
            .await
            .expect("list")
            .into_iter()
            .find(|f| f.package == "bash")
            .expect("bash");
        assert_eq!(bash2.finding_id, bash.finding_id);
        assert_eq!(bash2.vuln_id, "DSA-5000-1");
        assert_eq!(bash2.first_seen, bash.first_seen);
        // Exposure by any id, in any case, across tenants; the new alias is indexed too.
        assert_eq!(
            store.exposure("dsa-5000-1").await.expect("exposure").len(),
            1
        );
        assert_eq!(
            store
                .exposure("cve-2024-0001")
                .await
                .expect("exposure")
                .len(),
            2
        );

        // web01: openssl upgraded, bash removed; a rematch of web01 only sees nothing there.
        setup(&store, &t, &[("web01", vec![deb("openssl", "3.0.13")])]).await;
        let scope = vec!["WEB01".to_owned()];
        let comps = store
            .tenant_components(&t, Some(&scope))
            .await
            .expect("components");
        assert_eq!(comps.len(), 1, "only web01's components");
        let third = store
            .record_findings(&t, "test", RematchScope::Assets(&scope), &[])
            .await
            .expect("record");
        assert_eq!((third.new, third.still_open, third.resolved), (0, 0, 2));
        let all = store
            .findings(&t, FindingFilter::default())
            .await
            .expect("list");
        let resolution = |asset: &str, package: &str| {
            all.iter()
                .find(|f| f.asset == asset && f.package == package)
                .and_then(|f| f.resolution)
        };
        assert_eq!(resolution("web01", "openssl"), Some(Resolution::Upgraded));
        assert_eq!(resolution("web01", "bash"), Some(Resolution::Removed));
        assert_eq!(
            resolution("db01", "openssl"),
            None,
            "db01 was not rematched"
        );
        let open = store
            .findings(
                &t,
                FindingFilter {
                    open_only: true,
                    ..FindingFilter::default()
                },
            )
            .await
            .expect("list");
        assert_eq!(open.len(), 1);
        assert_eq!(open[0].asset, "db01");

        // db01 rematched with the advisory no longer matching: resolved as not affected.
        let fourth = store
            .record_findings(&t, "test", RematchScope::Assets(&["db01".to_owned()]), &[])
            .await
            .expect("record");
        assert_eq!(fourth.resolved, 1);
        let db = store
            .findings(&t, FindingFilter::default())
            .await
            .expect("list")
            .into_iter()
            .find(|f| f.asset == "db01")
            .expect("db01");
        assert_eq!(db.resolution, Some(Resolution::NotAffected));
        assert!(db.resolved_at.is_some());

        let audit = store.audit_log(&t).await.expect("audit");
        assert_eq!(
            audit
                .iter()
                .filter(|a| a.action == "findings.rematch")
                .count(),
            4
        );
    }
);

store_test!(
    rematch_of_an_unknown_tenant_stores_nothing,
    |store: Store| async move {
        let t = TenantId::new("nowhere").expect("slug");
        let err = store
            .record_findings(&t, "test", RematchScope::Tenant, &[])
            .await;
        assert!(matches!(
            err,
            Err(weerbaar_store::StoreError::UnknownTenant { .. })
        ));
    }
);

store_test!(
    exceptions_are_added_together_listed_and_revoked,
    |store: Store| async move {
        let t = TenantId::new("leuven").expect("slug");
        store.add_tenant(&t, "Leuven", "test").await.expect("add");
        let body =
            |id: &str| serde_json::json!({"scope": {"advisory": id}, "kind": "false_positive"});
        let ids = store
            .add_exceptions(
                &t,
                "alice",
                &[
                    weerbaar_store::NewException {
                        advisory: "cve-2024-1".into(),
                        body: body("cve-2024-1"),
                    },
                    weerbaar_store::NewException {
                        advisory: "GHSA-x".into(),
                        body: body("GHSA-x"),
                    },
                ],
            )
            .await
            .expect("add");
        assert_eq!(ids.len(), 2);
        let listed = store.exceptions(&t, false).await.expect("list");
        assert_eq!(listed.len(), 2);
        assert_eq!(listed[0].body, body("cve-2024-1"));
        assert_eq!(listed[0].created_by, "alice");
        assert!(
            store
                .revoke_exception(&t, "bob", &ids[0])
                .await
                .expect("revoke")
        );
        assert!(
            !store
                .revoke_exception(&t, "bob", &ids[0])
                .await
                .expect("again")
        );
        assert!(
            !store
                .revoke_exception(&t, "bob", "nope")
                .await
                .expect("unknown")
        );
        assert_eq!(store.exceptions(&t, false).await.expect("list").len(), 1);
        let all = store.exceptions(&t, true).await.expect("list");
        assert_eq!(all[0].revoked_by.as_deref(), Some("bob"));
        // Another tenant sees none of them.
        let other = TenantId::new("diest").expect("slug");
        store
            .add_tenant(&other, "Diest", "test")
            .await
            .expect("add");
        assert!(
            store
                .exceptions(&other, true)
                .await
                .expect("list")
                .is_empty()
        );
        let audit = store.audit_log(&t).await.expect("audit");
        assert_eq!(
            audit.iter().filter(|a| a.action == "exception.add").count(),
            2
        );
        assert_eq!(
            audit
                .iter()
                .filter(|a| a.action == "exception.revoke")
                .count(),
            1
        );
        // Unknown tenant: nothing stored.
        let nowhere = TenantId::new("nowhere").expect("slug");
        assert!(
            store
                .add_exceptions(
                    &nowhere,
                    "x",
                    &[weerbaar_store::NewException {
                        advisory: "a".into(),
                        body: body("a"),
                    }]
                )
                .await
                .is_err()
        );
    }
);

fn open_ids(findings: &[weerbaar_store::StoredFinding]) -> Vec<(String, String, String)> {
    let mut open: Vec<_> = findings
        .iter()
        .filter(|f| f.resolved_at.is_none())
        .map(|f| (f.asset.clone(), f.package.clone(), f.vuln_id.clone()))
        .collect();
    open.sort();
    open
}

store_test!(
    a_vulnerability_scope_resolves_only_the_findings_of_those_ids,
    |store: Store| async move {
        let t = TenantId::new("gent").expect("slug");
        setup(
            &store,
            &t,
            &[
                ("web01", vec![deb("openssl", "3.0.11"), deb("bash", "5.2")]),
                ("db01", vec![deb("openssl", "3.0.11")]),
            ],
        )
        .await;
        let comps = store.tenant_components(&t, None).await.expect("components");
        let observed = vec![
            observe(
                find(&comps, "web01", "openssl"),
                &["GHSA-ossl", "CVE-2024-0001"],
            ),
            observe(find(&comps, "web01", "bash"), &["CVE-2024-0002"]),
            observe(
                find(&comps, "db01", "openssl"),
                &["GHSA-ossl", "CVE-2024-0001"],
            ),
        ];
        store
            .record_findings(&t, "test", RematchScope::Tenant, &observed)
            .await
            .expect("record");

        // A feed update withdrew GHSA-ossl and added DSA-9 for bash: the rematch of those ids
        // observes only DSA-9. bash's CVE-2024-0002 is out of scope and stays open.
        let scope = vec![
            "ghsa-ossl".to_owned(),
            "CVE-2024-0001".to_owned(),
            "DSA-9".to_owned(),
        ];
        let delta = vec![observe(find(&comps, "web01", "bash"), &["DSA-9"])];
        let summary = store
            .record_findings(&t, "test", RematchScope::Vulnerabilities(&scope), &delta)
            .await
            .expect("record");
        assert_eq!(
            (summary.new, summary.still_open, summary.resolved),
            (1, 0, 2)
        );
        let all = store
            .findings(&t, FindingFilter::default())
            .await
            .expect("list");
        assert_eq!(
            open_ids(&all),
            [
                (
                    "web01".to_owned(),
                    "bash".to_owned(),
                    "CVE-2024-0002".to_owned()
                ),
                ("web01".to_owned(), "bash".to_owned(), "DSA-9".to_owned()),
            ]
        );
        let openssl: Vec<_> = all.iter().filter(|f| f.package == "openssl").collect();
        assert_eq!(openssl.len(), 2);
        for f in openssl {
            assert_eq!(f.resolution, Some(Resolution::NotAffected), "{f:?}");
        }

        // An observation sharing an id with an open finding continues it, even when the
        // finding's ids are outside the scope: no duplicate.
        let merged = vec![observe(
            find(&comps, "web01", "bash"),
            &["DSA-10", "CVE-2024-0002"],
        )];
        let scope = vec!["DSA-10".to_owned()];
        let summary = store
            .record_findings(&t, "test", RematchScope::Vulnerabilities(&scope), &merged)
            .await
            .expect("record");
        assert_eq!(
            (summary.new, summary.still_open, summary.resolved),
            (0, 1, 0)
        );
        let audit = store.audit_log(&t).await.expect("audit");
        assert!(
            audit
                .iter()
                .any(|a| a.object.starts_with("vulnerabilities:") && a.object.contains("DSA-10")),
            "{audit:?}"
        );
    }
);

store_test!(
    the_portfolio_is_read_once_per_package_across_tenants,
    |store: Store| async move {
        let a = TenantId::new("aalst").expect("slug");
        let b = TenantId::new("brugge").expect("slug");
        setup(
            &store,
            &a,
            &[
                ("web01", vec![deb("openssl", "3.0.11"), deb("bash", "5.2")]),
                ("web02", vec![deb("openssl", "3.0.11")]),
            ],
        )
        .await;
        setup(
            &store,
            &b,
            &[("app", vec![deb("openssl", "3.0.11"), deb("zlib", "1.3")])],
        )
        .await;
        let mut packages = store.portfolio_packages().await.expect("packages");
        packages.sort_by(|x, y| x.name.cmp(&y.name));
        let names: Vec<&str> = packages.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["bash", "openssl", "zlib"]);
        let openssl: Vec<PortfolioPackage> = packages
            .iter()
            .filter(|p| p.name == "openssl")
            .cloned()
            .collect();
        assert_eq!(
            openssl[0].to_component().purl,
            deb("openssl", "3.0.11").purl
        );

        let mut instances: Vec<(String, String)> = store
            .package_instances(&openssl)
            .await
            .expect("instances")
            .into_iter()
            .map(|c| (c.tenant, c.component.asset_key))
            .collect();
        instances.sort();
        assert_eq!(
            instances,
            [
                ("aalst".to_owned(), "web01".to_owned()),
                ("aalst".to_owned(), "web02".to_owned()),
                ("brugge".to_owned(), "app".to_owned()),
            ]
        );
        // Another version is another package; NULL columns match NULL.
        let mut other = openssl[0].clone();
        other.version = Some("3.0.13".into());
        assert!(
            store
                .package_instances(&[other])
                .await
                .expect("instances")
                .is_empty()
        );

        // Open findings among ids, across tenants; a finding whose component is gone still
        // names its tenant.
        let comps_a = store.tenant_components(&a, None).await.expect("components");
        let comps_b = store.tenant_components(&b, None).await.expect("components");
        store
            .record_findings(
                &a,
                "test",
                RematchScope::Tenant,
                &[observe(find(&comps_a, "web01", "bash"), &["CVE-2024-0002"])],
            )
            .await
            .expect("record");
        store
            .record_findings(
                &b,
                "test",
                RematchScope::Tenant,
                &[observe(
                    find(&comps_b, "app", "zlib"),
                    &["CVE-2024-0002", "DSA-1"],
                )],
            )
            .await
            .expect("record");
        setup(&store, &b, &[("app", vec![deb("openssl", "3.0.11")])]).await;
        let among = store
            .open_findings_among(&["cve-2024-0002".to_owned()])
            .await
            .expect("among");
        assert_eq!(
            among.tenants.keys().cloned().collect::<Vec<_>>(),
            ["aalst", "brugge"]
        );
        assert!(
            among
                .tenants
                .values()
                .all(|ids| ids.iter().eq(["CVE-2024-0002"])),
            "{among:?}"
        );
        assert_eq!(among.components.len(), 1);
        assert_eq!(among.components[0].component.component.name, "bash");
        assert!(
            store
                .open_findings_among(&["CVE-2099-1".to_owned()])
                .await
                .expect("among")
                .tenants
                .is_empty()
        );
    }
);

store_test!(
    several_tenants_are_recorded_together_or_not_at_all,
    |store: Store| async move {
        let a = TenantId::new("asse").expect("slug");
        let b = TenantId::new("bree").expect("slug");
        setup(&store, &a, &[("web", vec![deb("bash", "5.2")])]).await;
        setup(&store, &b, &[("web", vec![deb("bash", "5.2")])]).await;
        let ca = store.tenant_components(&a, None).await.expect("components");
        let cb = store.tenant_components(&b, None).await.expect("components");
        let ids = vec!["CVE-2024-0002".to_owned()];
        let nowhere = TenantId::new("nowhere").expect("slug");
        let failing = vec![
            (
                a.clone(),
                RematchScope::Vulnerabilities(&ids),
                vec![observe(find(&ca, "web", "bash"), &["CVE-2024-0002"])],
            ),
            (nowhere, RematchScope::Vulnerabilities(&ids), Vec::new()),
        ];
        assert!(matches!(
            store.record_findings_of_tenants("test", &failing).await,
            Err(weerbaar_store::StoreError::UnknownTenant { .. })
        ));
        assert!(
            store
                .findings(&a, FindingFilter::default())
                .await
                .expect("list")
                .is_empty(),
            "nothing of the failed batch is stored"
        );
        let batch = vec![
            (
                a.clone(),
                RematchScope::Vulnerabilities(&ids),
                vec![observe(find(&ca, "web", "bash"), &["CVE-2024-0002"])],
            ),
            (
                b.clone(),
                RematchScope::Vulnerabilities(&ids),
                vec![observe(find(&cb, "web", "bash"), &["CVE-2024-0002"])],
            ),
        ];
        let summaries = store
            .record_findings_of_tenants("test", &batch)
            .await
            .expect("batch");
        assert_eq!(summaries.iter().map(|s| s.new).collect::<Vec<_>>(), [1, 1]);
        assert_eq!(
            store
                .exposure("CVE-2024-0002")
                .await
                .expect("exposure")
                .len(),
            2
        );
    }
);
