use weerbaar_matching::{ComponentRef, Index, MatchedBy, Matcher};

use crate::support::adv;

fn ids(index: &Index, eco: &str, name: &str, version: &str) -> Vec<String> {
    let comps = [ComponentRef::new(eco, name, version)];
    Matcher::match_components(index, &comps)
        .into_iter()
        .map(|f| f.id)
        .collect()
}

fn one(id: &str, eco: &str, name: &str, ranges: &str, versions: &str) -> String {
    format!(
        r#"{{"id":"{id}","modified":"2024-01-01T00:00:00Z","affected":[{{"package":{{"ecosystem":"{eco}","name":"{name}"}},"ranges":[{ranges}],"versions":[{versions}]}}]}}"#
    )
}

#[test]
fn osv_evaluation_algorithm() {
    // Events deliberately out of order: evaluation sorts them.
    let a = adv(&one(
        "GHSA-aaaa-aaaa-aaaa",
        "npm",
        "x",
        r#"{"type":"SEMVER","events":[{"fixed":"1.2.0"},{"introduced":"2.0.0"},{"introduced":"0"},{"fixed":"2.1.0"}]}"#,
        "",
    ));
    let index = Index::build(&[a]);
    for (v, hit) in [
        ("0.0.1", true),
        ("1.1.9", true),
        ("1.2.0", false),
        ("1.9.0", false),
        ("2.0.0", true),
        ("2.0.5-rc.1", true),
        ("2.1.0", false),
        ("3.0.0", false),
    ] {
        assert_eq!(!ids(&index, "npm", "x", v).is_empty(), hit, "{v}");
    }
    let comps = [ComponentRef::new("npm", "x", "2.0.1")];
    let f = Matcher::match_components(&index, &comps);
    assert_eq!(f[0].fixed, ["2.1.0"]);
}

#[test]
fn last_affected_limit_and_versions_list() {
    let a = adv(&one(
        "PYSEC-2020-1",
        "PyPI",
        "Foo_Bar",
        r#"{"type":"ECOSYSTEM","events":[{"introduced":"1.0"},{"last_affected":"1.4"}]},{"type":"ECOSYSTEM","events":[{"introduced":"3.0"},{"limit":"3.5"}]}"#,
        r#""0.5.0", "2.0-rc1""#,
    ));
    let index = Index::build(&[a]);
    let hit = |v| !ids(&index, "PyPI", "foo.bar", v).is_empty();
    assert!(hit("1.0") && hit("1.4") && hit("1.4.0") && !hit("1.4.1") && !hit("0.9"));
    assert!(hit("3.4") && !hit("3.5"));
    // versions list: exact string and equal under PEP 440.
    assert!(hit("0.5.0") && hit("0.5") && hit("2.0rc1") && !hit("2.0"));
}

#[test]
fn releases_sources_epochs_go_v_withdrawn_and_aliases() {
    let debian = adv(&one(
        "DSA-1-1",
        "Debian:12",
        "openssl",
        r#"{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"3.0.11-1~deb12u1"}]}"#,
        "",
    ));
    let ubuntu = adv(&one(
        "UBUNTU-CVE-2024-1",
        "Ubuntu:Pro:22.04:LTS",
        "curl",
        r#"{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"7.81.0-1ubuntu1.16"}]}"#,
        "",
    ));
    let redhat = adv(&one(
        "RHSA-2024:1",
        "Red Hat:enterprise_linux:9::appstream",
        "openssl",
        r#"{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"1:3.0.7-27.el9"}]}"#,
        "",
    ));
    let go = adv(&one(
        "GO-2024-1",
        "Go",
        "golang.org/x/net",
        r#"{"type":"SEMVER","events":[{"introduced":"0"},{"fixed":"0.17.0"}]}"#,
        "",
    ));
    let ghsa = adv(
        r#"{"id":"GHSA-bbbb-bbbb-bbbb","modified":"2024-01-01T00:00:00Z","aliases":["CVE-2024-9"],
        "affected":[{"package":{"ecosystem":"Go","name":"golang.org/x/net"},"ranges":[{"type":"SEMVER","events":[{"introduced":"0"},{"fixed":"0.17.0"}]}]}]}"#,
    );
    let go2 = adv(
        r#"{"id":"GO-2024-2","modified":"2024-01-01T00:00:00Z","aliases":["CVE-2024-9"],
        "affected":[{"package":{"ecosystem":"Go","name":"golang.org/x/net"},"ranges":[{"type":"SEMVER","events":[{"introduced":"0"},{"fixed":"0.18.0"}]}]}]}"#,
    );
    let withdrawn = adv(
        r#"{"id":"GO-2024-3","modified":"2024-01-01T00:00:00Z","withdrawn":"2024-01-02T00:00:00Z",
        "affected":[{"package":{"ecosystem":"Go","name":"golang.org/x/net"},"ranges":[{"type":"SEMVER","events":[{"introduced":"0"}]}]}]}"#,
    );
    let bad = adv(r#"{"id":"GO-2024-4","modified":"2024-01-01T00:00:00Z",
        "affected":[{"package":{"ecosystem":"Gentoo","name":"x"},"versions":["1"]},
                    {"package":{"ecosystem":"Go","name":"golang.org/x/net"},"ranges":[{"type":"SEMVER","events":[{"introduced":"not a version"},{"fixed":"0.1.0"}]}]}]}"#);
    let index = Index::build(&[debian, ubuntu, redhat, go, ghsa, go2, withdrawn, bad]);
    assert_eq!(index.stats().withdrawn, 1);
    assert_eq!(index.stats().unknown_ecosystem, 1);
    assert_eq!(index.warnings().len(), 2, "{:?}", index.warnings());

    // Debian: keyed by source package, scoped by release.
    let mut c = ComponentRef::new("Debian:12", "libssl3", "3.0.9-1");
    assert!(Matcher::match_components(&index, &[c]).is_empty());
    c.source_name = Some("openssl");
    assert_eq!(Matcher::match_components(&index, &[c])[0].id, "DSA-1-1");
    c.source_version = Some("3.0.11-1~deb12u1");
    assert!(Matcher::match_components(&index, &[c]).is_empty());
    let mut c11 = ComponentRef::new("Debian:11", "libssl3", "3.0.9-1");
    c11.source_name = Some("openssl");
    assert!(Matcher::match_components(&index, &[c11]).is_empty());

    assert_eq!(
        ids(&index, "Ubuntu:22.04", "curl", "7.81.0-1ubuntu1.15"),
        ["UBUNTU-CVE-2024-1"]
    );
    assert!(ids(&index, "Ubuntu:20.04", "curl", "7.81.0-1ubuntu1.15").is_empty());

    // Red Hat release prefix and rpm epochs.
    assert_eq!(
        ids(
            &index,
            "Red Hat:enterprise_linux:9",
            "openssl",
            "1:3.0.7-25.el9"
        ),
        ["RHSA-2024:1"]
    );
    assert!(
        ids(
            &index,
            "Red Hat:enterprise_linux:9",
            "openssl",
            "1:3.0.7-27.el9"
        )
        .is_empty()
    );
    // A missing epoch is 0, which is older than epoch 1.
    assert_eq!(
        ids(
            &index,
            "Red Hat:enterprise_linux:9",
            "openssl",
            "3.0.9-1.el9"
        ),
        ["RHSA-2024:1"]
    );
    assert!(
        ids(
            &index,
            "Red Hat:enterprise_linux:8",
            "openssl",
            "1:3.0.7-25.el9"
        )
        .is_empty()
    );

    // Go: leading v stripped; GHSA and GO-2024-2 share CVE-2024-9 → one finding; withdrawn gone.
    let comps = [
        ComponentRef::new("Go", "golang.org/x/net", "v0.16.0"),
        ComponentRef::new("Go", "golang.org/x/net", "v0.16.0"),
    ];
    let found = Matcher::match_components(&index, &comps);
    let summary: Vec<_> = found
        .iter()
        .map(|f| (f.id.as_str(), f.ids.clone(), f.components.clone()))
        .collect();
    assert_eq!(
        summary,
        [
            ("GO-2024-1", vec!["GO-2024-1".to_owned()], vec![0, 1]),
            (
                "GO-2024-2",
                vec![
                    "CVE-2024-9".to_owned(),
                    "GHSA-bbbb-bbbb-bbbb".into(),
                    "GO-2024-2".into()
                ],
                vec![0, 1]
            ),
        ]
    );
    assert_eq!(found[1].fixed, ["0.17.0", "0.18.0"]);
    assert_eq!(found[0].matched_by, MatchedBy::Ecosystem);
    assert!(ids(&index, "Go", "golang.org/x/net", "v0.18.0").is_empty());
}

#[test]
fn parallel_matching_equals_sequential() {
    let a = adv(&one(
        "GHSA-cccc-cccc-cccc",
        "npm",
        "x",
        r#"{"type":"SEMVER","events":[{"introduced":"0"},{"fixed":"1.5.0"}]}"#,
        "",
    ));
    let index = Index::build(&[a]);
    let versions: Vec<String> = (0..600).map(|i| format!("1.{}.{}", i % 9, i)).collect();
    let comps: Vec<ComponentRef<'_>> = (0..70_000)
        .map(|i| ComponentRef::new("npm", "x", &versions[(i * 7919) % versions.len()]))
        .collect();
    let one = Matcher { threads: 1 }.run(&index, &comps);
    let two = Matcher { threads: 2 }.run(&index, &comps);
    assert!(!one.is_empty());
    assert_eq!(one, two);
    let instances: usize = one.iter().map(|f| f.components.len()).sum();
    assert_eq!(
        instances,
        comps
            .iter()
            .filter(|c| c.version.starts_with("1.") && c.version.as_bytes()[2] < b'5')
            .count()
    );
}
