//! API tokens (create, authenticate, expire, revoke, audit) and keyset pagination.

use weerbaar_inventory::model::{Component, Location, Source};
use weerbaar_inventory::{Format, ImportedAsset};
use weerbaar_store::{
    AssetImport, AuthError, FindingFacts, FindingQuery, FindingStatus, KevFact, NewToken,
    ObservedFinding, PageRequest, RematchScope, Scope, Store, StoreError, TenantId,
};

fn tenant(id: &str) -> TenantId {
    TenantId::new(id).expect("valid tenant id")
}

fn in_days(days: i64) -> i64 {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_secs();
    i64::try_from(now).expect("time") + days * 86_400
}

fn new_token(scopes: &[Scope]) -> NewToken {
    NewToken {
        name: "pusher on srv01".into(),
        scopes: scopes.to_vec(),
        expires_at: in_days(90),
    }
}

store_test!(
    tokens_authenticate_until_revoked,
    |store: Store| async move {
        let t = tenant("gemeente-diest");
        store.add_tenant(&t, "Diest", "test").await.expect("add");
        let created = store
            .create_token(&t, "admin:alice", &new_token(&[Scope::Ingest, Scope::Read]))
            .await
            .expect("create");
        assert!(
            created.token.starts_with("wbt_gemeente-diest_"),
            "{}",
            created.token
        );
        let info = store
            .authenticate(&created.token)
            .await
            .expect("db")
            .expect("valid token");
        assert_eq!(info.tenant, t);
        assert_eq!(info.scopes, [Scope::Ingest, Scope::Read]);
        assert!(info.allows(Scope::Read) && !info.allows(Scope::Admin));
        assert!(info.last_used_at.is_some());

        // A wrong secret for the right id, and garbage, are both just "invalid".
        let mut forged = created.token.clone();
        let last = forged.pop().expect("non-empty");
        forged.push(if last == '0' { '1' } else { '0' });
        assert_eq!(
            store.authenticate(&forged).await.expect("db"),
            Err(AuthError::Invalid)
        );
        assert_eq!(
            store.authenticate("Bearer nope").await.expect("db"),
            Err(AuthError::Invalid)
        );

        // The secret is not stored: listing shows no trace of it.
        let listed = store.tokens(&t, "admin:alice").await.expect("list");
        assert_eq!(listed.len(), 1);
        let secret = created.token.rsplit('_').next().expect("secret");
        assert!(!format!("{listed:?}").contains(secret));

        assert!(
            store
                .revoke_token(&t, "admin:alice", &created.info.id)
                .await
                .expect("revoke")
        );
        assert!(
            !store
                .revoke_token(&t, "admin:alice", &created.info.id)
                .await
                .expect("again")
        );
        assert_eq!(
            store.authenticate(&created.token).await.expect("db"),
            Err(AuthError::Revoked)
        );
        let actions: Vec<String> = store
            .audit_log(&t)
            .await
            .expect("audit")
            .into_iter()
            .map(|e| e.action)
            .collect();
        for action in [
            "token.create",
            "token.use",
            "token.list",
            "token.revoke",
            "token.refused",
        ] {
            assert!(
                actions.iter().any(|a| a == action),
                "{action} in {actions:?}"
            );
        }
    }
);

store_test!(
    tokens_expire_and_are_checked_on_creation,
    |store: Store| async move {
        let t = tenant("leuven");
        store.add_tenant(&t, "Leuven", "test").await.expect("add");
        let past = NewToken {
            expires_at: in_days(-1),
            ..new_token(&[Scope::Read])
        };
        assert!(matches!(
            store.create_token(&t, "a", &past).await,
            Err(StoreError::InvalidToken { .. })
        ));
        let none = new_token(&[]);
        assert!(matches!(
            store.create_token(&t, "a", &none).await,
            Err(StoreError::InvalidToken { .. })
        ));
        assert!(matches!(
            store
                .create_token(&tenant("nope"), "a", &new_token(&[Scope::Read]))
                .await,
            Err(StoreError::UnknownTenant { .. })
        ));
        // Expiry is checked at use: a token that lives one second is refused once it has passed.
        let short = NewToken {
            expires_at: in_days(0) + 1,
            ..new_token(&[Scope::Read])
        };
        let created = store.create_token(&t, "a", &short).await.expect("create");
        std::thread::sleep(std::time::Duration::from_millis(2100));
        assert_eq!(
            store.authenticate(&created.token).await.expect("db"),
            Err(AuthError::Expired)
        );
        // Another tenant's name in front of a real id and secret does not authenticate.
        let other = tenant("diest");
        store
            .add_tenant(&other, "Diest", "test")
            .await
            .expect("add");
        let good = store
            .create_token(&t, "a", &new_token(&[Scope::Read]))
            .await
            .expect("create");
        let moved = good.token.replacen("wbt_leuven_", "wbt_diest_", 1);
        assert_eq!(
            store.authenticate(&moved).await.expect("db"),
            Err(AuthError::Invalid)
        );
    }
);

fn deb(name: &str) -> Component {
    Component {
        ecosystem: Some("Debian:12".into()),
        name: name.into(),
        version: Some("1.0".into()),
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

store_test!(pages_cover_every_row_once, |store: Store| async move {
    let t = tenant("gent");
    store.add_tenant(&t, "Gent", "test").await.expect("add");
    let assets: Vec<(String, ImportedAsset)> = (0..7)
        .map(|i| {
            (
                format!("host{i:02}"),
                ImportedAsset {
                    components: (0..5).map(|c| deb(&format!("pkg{c}"))).collect(),
                    ..ImportedAsset::default()
                },
            )
        })
        .collect();
    let imports: Vec<AssetImport<'_>> = assets
        .iter()
        .map(|(name, asset)| AssetImport {
            asset,
            name,
            file: "status",
            format: Format::DpkgStatus,
        })
        .collect();
    store
        .import_assets(&t, "test", &imports)
        .await
        .expect("import");

    let mut names = Vec::new();
    let mut req = PageRequest {
        limit: 3,
        cursor: None,
    };
    let mut pages = 0;
    loop {
        let page = store.assets_page(&t, &req).await.expect("page");
        assert!(page.items.len() <= 3);
        pages += 1;
        names.extend(page.items.into_iter().map(|a| a.asset.name));
        match page.next_cursor {
            Some(c) => req.cursor = Some(c),
            None => break,
        }
    }
    assert_eq!(pages, 3);
    assert_eq!(
        names,
        (0..7).map(|i| format!("host{i:02}")).collect::<Vec<_>>()
    );

    let first = store
        .components_page(
            &t,
            "HOST03",
            &PageRequest {
                limit: 4,
                cursor: None,
            },
        )
        .await
        .expect("page")
        .expect("asset exists");
    assert_eq!(first.items.len(), 4);
    let rest = store
        .components_page(
            &t,
            "host03",
            &PageRequest {
                limit: 4,
                cursor: first.next_cursor,
            },
        )
        .await
        .expect("page")
        .expect("asset exists");
    assert_eq!(rest.items.len(), 1);
    assert!(rest.next_cursor.is_none());
    assert!(
        store
            .components_page(&t, "nope", &PageRequest::default())
            .await
            .expect("page")
            .is_none()
    );
    assert!(matches!(
        store
            .assets_page(
                &t,
                &PageRequest {
                    limit: 3,
                    cursor: Some("zz".into())
                }
            )
            .await,
        Err(StoreError::InvalidCursor)
    ));

    // Findings: every other one is on KEV; a filtered page is still full.
    let components = store.tenant_components(&t, None).await.expect("components");
    let observed: Vec<ObservedFinding> = components
        .iter()
        .enumerate()
        .map(|(i, c)| ObservedFinding {
            asset_key: c.asset_key.clone(),
            component_key: c.component_key.clone(),
            ids: vec![format!("CVE-2024-{i:04}")],
            ecosystem: c.component.ecosystem.clone(),
            package: c.component.name.clone(),
            version: "1.0".into(),
            purl: None,
            fixed_versions: vec![],
            matched_by: "purl".into(),
            cpe: None,
            facts: FindingFacts {
                kev: (i % 2 == 0).then(|| KevFact {
                    cve: format!("CVE-2024-{i:04}"),
                    date_added: "2024-01-02".into(),
                    due_date: "2024-01-23".into(),
                    ransomware: false,
                }),
                ..FindingFacts::default()
            },
        })
        .collect();
    store
        .record_findings(&t, "test", RematchScope::Tenant, &observed)
        .await
        .expect("record");
    let kev = FindingQuery {
        kev: Some(true),
        ..FindingQuery::default()
    };
    let mut seen = std::collections::HashSet::new();
    let mut req = PageRequest {
        limit: 5,
        cursor: None,
    };
    loop {
        let page = store.findings_page(&t, &kev, &req).await.expect("page");
        assert!(page.items.iter().all(|f| f.facts.kev.is_some()));
        if page.next_cursor.is_some() {
            assert_eq!(page.items.len(), 5);
        }
        for f in page.items {
            assert!(seen.insert(f.finding_id), "no finding twice");
        }
        match page.next_cursor {
            Some(c) => req.cursor = Some(c),
            None => break,
        }
    }
    assert_eq!(seen.len(), 18, "35 findings, every other one on KEV");
    let on_host = FindingQuery {
        asset: Some("HOST01".into()),
        status: FindingStatus::All,
        ..FindingQuery::default()
    };
    let page = store
        .findings_page(&t, &on_host, &PageRequest::default())
        .await
        .expect("page");
    assert_eq!(page.items.len(), 5);
    let resolved = FindingQuery {
        status: FindingStatus::Resolved,
        ..FindingQuery::default()
    };
    assert!(
        store
            .findings_page(&t, &resolved, &PageRequest::default())
            .await
            .expect("page")
            .items
            .is_empty()
    );

    let tenants = store
        .tenants_page(&PageRequest {
            limit: 1,
            cursor: None,
        })
        .await
        .expect("tenants");
    assert_eq!(tenants.items.len(), 1);
    assert!(tenants.next_cursor.is_none());
    assert_eq!(
        store.check_schema().await.expect("current"),
        weerbaar_store::backend::SCHEMA_VERSION
    );
});
