//! The incremental rematch after a feed update gives the same open findings as a full
//! rematch, and touches only findings of the changed records.

use weerbaar_advisories::osv::{self, Advisory};
use weerbaar_inventory::model::{Component, Location, Source};
use weerbaar_inventory::{Format, ImportedAsset};
use weerbaar_matching::Mapping;
use weerbaar_scan::Knowledge;
use weerbaar_store::{AssetImport, FindingFilter, Resolution, Store, TenantId};
use weerbaar_tracking::{AdvisoryState, Feeds, UpdatePath, after_feed_update, rematch};

fn pypi(name: &str, version: &str) -> Component {
    Component {
        ecosystem: Some("PyPI".into()),
        name: name.into(),
        version: Some(version.into()),
        purl: Some(format!("pkg:pypi/{name}@{version}")),
        cpe: None,
        vendor: None,
        source_name: None,
        source_version: None,
        source: Source {
            file: "requirements.txt".into(),
            location: Location::Line(1),
        },
    }
}

fn advisory(id: &str, aliases: &[&str], package: &str, fixed: &str, modified: &str) -> Advisory {
    let json = serde_json::json!({
        "id": id,
        "modified": modified,
        "aliases": aliases,
        "affected": [{
            "package": {"ecosystem": "PyPI", "name": package},
            "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": fixed}]}]
        }]
    });
    osv::parse_record("test.json", json.to_string().as_bytes()).expect("valid record")
}

fn withdrawn(mut a: Advisory, modified: &str) -> Advisory {
    a.withdrawn = Some(modified.to_owned());
    a.modified = modified.to_owned();
    a
}

struct Portfolio {
    store: Store,
    _dir: TempDir,
}

/// A directory removed on drop (no tempfile dependency for one test).
struct TempDir(std::path::PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

async fn portfolio(name: &str) -> Portfolio {
    let dir = std::env::temp_dir().join(format!("weerbaar-tracking-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let store = Store::open_data_dir(&dir).await.expect("store");
    for (tenant, assets) in [
        (
            "aalst",
            vec![
                (
                    "web01",
                    vec![pypi("django", "4.2.0"), pypi("requests", "2.30.0")],
                ),
                ("web02", vec![pypi("django", "4.2.0")]),
            ],
        ),
        ("brugge", vec![("app", vec![pypi("flask", "2.0.0")])]),
    ] {
        let t = TenantId::new(tenant).expect("slug");
        store.add_tenant(&t, tenant, "test").await.expect("tenant");
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
                file: "requirements.txt",
                format: Format::Csv,
            })
            .collect();
        store
            .import_assets(&t, "test", &imports)
            .await
            .expect("import");
    }
    Portfolio {
        store,
        _dir: TempDir(dir),
    }
}

/// Open findings of every tenant as (tenant, asset, package, sorted ids).
async fn open(store: &Store) -> Vec<(String, String, String, Vec<String>)> {
    let mut out = Vec::new();
    for t in ["aalst", "brugge"] {
        let t = TenantId::new(t).expect("slug");
        for f in store
            .findings(
                &t,
                FindingFilter {
                    open_only: true,
                    ..FindingFilter::default()
                },
            )
            .await
            .expect("findings")
        {
            let mut ids = f.ids.clone();
            ids.sort();
            out.push((f.tenant, f.asset, f.package, ids));
        }
    }
    out.sort();
    out
}

async fn update(
    store: &Store,
    previous: Option<&AdvisoryState>,
    advisories: &[Advisory],
    fingerprint: &str,
) -> (weerbaar_tracking::UpdateSummary, AdvisoryState) {
    let knowledge = Knowledge::build(advisories, &[], None, None);
    after_feed_update(
        store,
        previous,
        Feeds {
            fingerprint,
            osv: advisories,
            nvd: &[],
            kev: None,
            knowledge: &knowledge,
        },
        &Mapping::default(),
        1,
        "test",
    )
    .await
    .expect("update")
}

fn row(t: &str, a: &str, p: &str, ids: &[&str]) -> (String, String, String, Vec<String>) {
    (
        t.into(),
        a.into(),
        p.into(),
        ids.iter().map(|s| (*s).to_owned()).collect(),
    )
}

#[tokio::test]
async fn incremental_rematch_follows_added_changed_withdrawn_and_removed_records() {
    let p = portfolio("delta").await;
    let store = &p.store;
    let django = advisory(
        "GHSA-dj",
        &["CVE-2024-1"],
        "django",
        "4.2.5",
        "2024-01-01T00:00:00Z",
    );
    let requests = advisory(
        "GHSA-rq",
        &["CVE-2024-2"],
        "requests",
        "2.31.0",
        "2024-01-01T00:00:00Z",
    );
    let feeds1 = vec![django.clone(), requests.clone()];

    // No state yet: a full rematch of every tenant.
    let (s, state1) = update(store, None, &feeds1, "f1").await;
    assert_eq!(s.path, UpdatePath::Full);
    assert_eq!((s.tenants, s.new), (2, 3), "{s:?}");
    let audit_before = store
        .audit_log(&TenantId::new("brugge").expect("slug"))
        .await
        .expect("audit")
        .len();

    // Same feeds: nothing to do.
    let (s, _) = update(store, Some(&state1), &feeds1, "f1").await;
    assert_eq!(s.path, UpdatePath::Unchanged);

    // A PYSEC record of the same CVE joins django's alias group, and flask gets an advisory.
    let pysec = advisory(
        "PYSEC-1",
        &["CVE-2024-1"],
        "django",
        "4.2.5",
        "2024-02-01T00:00:00Z",
    );
    let flask = advisory(
        "GHSA-fl",
        &["CVE-2024-3"],
        "flask",
        "2.2.0",
        "2024-02-01T00:00:00Z",
    );
    let feeds2 = vec![
        django.clone(),
        requests.clone(),
        pysec.clone(),
        flask.clone(),
    ];
    let (s, state2) = update(store, Some(&state1), &feeds2, "f2").await;
    assert_eq!(s.path, UpdatePath::Incremental);
    // django continues on both assets (no duplicate), flask is new; requests is untouched.
    assert_eq!((s.new, s.still_open, s.resolved), (1, 2, 0), "{s:?}");
    let expected = vec![
        row(
            "aalst",
            "web01",
            "django",
            &["CVE-2024-1", "GHSA-dj", "PYSEC-1"],
        ),
        row("aalst", "web01", "requests", &["CVE-2024-2", "GHSA-rq"]),
        row(
            "aalst",
            "web02",
            "django",
            &["CVE-2024-1", "GHSA-dj", "PYSEC-1"],
        ),
        row("brugge", "app", "flask", &["CVE-2024-3", "GHSA-fl"]),
    ];
    assert_eq!(open(store).await, expected);

    // The incremental result equals a full rematch from scratch on another store.
    let q = portfolio("full").await;
    update(&q.store, None, &feeds2, "f2").await;
    assert_eq!(open(&q.store).await, expected);

    // GHSA-fl withdrawn, GHSA-rq removed from the feed: both findings resolve as not affected;
    // django's group loses nothing.
    let feeds3 = vec![
        django.clone(),
        pysec.clone(),
        withdrawn(flask.clone(), "2024-03-01T00:00:00Z"),
    ];
    let (s, state3) = update(store, Some(&state2), &feeds3, "f3").await;
    assert_eq!(s.path, UpdatePath::Incremental);
    assert_eq!((s.new, s.resolved), (0, 2), "{s:?}");
    assert_eq!(
        open(store).await,
        vec![
            row(
                "aalst",
                "web01",
                "django",
                &["CVE-2024-1", "GHSA-dj", "PYSEC-1"]
            ),
            row(
                "aalst",
                "web02",
                "django",
                &["CVE-2024-1", "GHSA-dj", "PYSEC-1"]
            ),
        ]
    );
    let brugge = TenantId::new("brugge").expect("slug");
    let flask_finding = store
        .findings(&brugge, FindingFilter::default())
        .await
        .expect("findings");
    assert_eq!(flask_finding.len(), 1);
    assert_eq!(flask_finding[0].resolution, Some(Resolution::NotAffected));
    assert!(store.audit_log(&brugge).await.expect("audit").len() > audit_before);

    // A corrected range on one record of django's group: the group still affects 4.2.0 through
    // GHSA-dj, so the finding continues with PYSEC-1 gone from its ids.
    let pysec_fixed = advisory(
        "PYSEC-1",
        &["CVE-2024-1"],
        "django",
        "4.1.0",
        "2024-04-01T00:00:00Z",
    );
    let feeds4 = vec![
        django.clone(),
        pysec_fixed,
        withdrawn(flask, "2024-03-01T00:00:00Z"),
    ];
    let (s, _) = update(store, Some(&state3), &feeds4, "f4").await;
    assert_eq!((s.new, s.still_open, s.resolved), (0, 2, 0), "{s:?}");
    let ids = open(store).await;
    assert_eq!(ids.len(), 2);
    assert!(ids.iter().all(|r| r.2 == "django"), "{ids:?}");

    // `rematch` of a tenant still works on its own and agrees.
    let aalst = TenantId::new("aalst").expect("slug");
    let knowledge = Knowledge::build(&feeds4_owned(), &[], None, None);
    let full = rematch(
        store,
        &aalst,
        &knowledge,
        &Mapping::default(),
        None,
        1,
        "test",
    )
    .await
    .expect("rematch");
    assert_eq!((full.new, full.resolved), (0, 0), "{full:?}");
}

fn feeds4_owned() -> Vec<Advisory> {
    vec![
        advisory(
            "GHSA-dj",
            &["CVE-2024-1"],
            "django",
            "4.2.5",
            "2024-01-01T00:00:00Z",
        ),
        advisory(
            "PYSEC-1",
            &["CVE-2024-1"],
            "django",
            "4.1.0",
            "2024-04-01T00:00:00Z",
        ),
    ]
}

#[test]
fn state_round_trips_and_the_delta_names_every_id() {
    let a = advisory("GHSA-a", &["CVE-1"], "x", "1.0", "2024-01-01T00:00:00Z");
    let b = advisory("GHSA-b", &["CVE-2"], "y", "1.0", "2024-01-01T00:00:00Z");
    let old = AdvisoryState::of("f1", &[a, b], &[], None);
    let dir = std::env::temp_dir().join(format!("weerbaar-tracking-state-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let path = dir.join("advisory-state.bin");
    old.save(&path).expect("save");
    assert_eq!(AdvisoryState::load(&path).expect("load"), Some(old.clone()));
    let _ = std::fs::remove_dir_all(&dir);

    let a2 = advisory("GHSA-a", &["CVE-1b"], "x", "1.1", "2024-02-01T00:00:00Z");
    let c = advisory("GHSA-c", &["CVE-3"], "z", "1.0", "2024-02-01T00:00:00Z");
    let newer_feeds = vec![a2, c];
    let newer = AdvisoryState::of("f2", &newer_feeds, &[], None);
    let delta = old.delta(&newer, &newer_feeds, &[]);
    let changed: Vec<&str> = delta.changed.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(changed, ["GHSA-a", "GHSA-c"]);
    assert_eq!(delta.removed, ["GHSA-b"]);
    // The dropped alias CVE-1 too: findings under it must be answered for.
    assert_eq!(
        delta.ids,
        [
            "CVE-1", "CVE-1b", "CVE-2", "CVE-3", "GHSA-a", "GHSA-b", "GHSA-c"
        ]
    );
}
