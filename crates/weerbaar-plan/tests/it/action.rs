//! Grouping findings into fix actions.

use weerbaar_inventory::model::{Criticality, Exposure};
use weerbaar_plan::{ActionKind, Decision, Finding, Kev, Lang, Package, Policy, build};

use crate::common::{asset, cvss, d, finding};

fn on(host: &str, eco: &str, name: &str, version: &str, advisory: &str, fixed: &[&str]) -> Finding {
    let mut f = finding(
        "t",
        asset(host, Criticality::Normal, Exposure::Internal),
        advisory,
        "2025-01-01",
    );
    f.package = Package {
        ecosystem: eco.into(),
        name: name.into(),
        version: version.into(),
        purl: None,
    };
    f.fixed_versions = fixed.iter().map(|s| (*s).to_owned()).collect();
    f
}

fn titles(findings: &[Finding]) -> Vec<String> {
    build("t", findings, &[], &Policy::default(), d("2025-01-02"))
        .actions
        .iter()
        .map(|a| a.title(Lang::En))
        .collect()
}

#[test]
fn fixes_of_other_branches_do_not_apply() {
    // jackson-databind style: one fix per release line; installed 2.10.0.
    let findings = [
        on(
            "h1",
            "Maven",
            "com.fasterxml.jackson.core:jackson-databind",
            "2.10.0",
            "CVE-2020-25649",
            &["2.6.7.4", "2.9.10.7", "2.10.5.1"],
        ),
        on(
            "h1",
            "Maven",
            "com.fasterxml.jackson.core:jackson-databind",
            "2.10.0",
            "CVE-2020-36518",
            &["2.12.6.1", "2.13.2.1"],
        ),
    ];
    assert_eq!(
        titles(&findings),
        [
            "upgrade com.fasterxml.jackson.core:jackson-databind to 2.12.6.1 on 1 host: fixes 2 advisories"
        ]
    );
}

#[test]
fn versions_compare_with_the_ecosystems_scheme() {
    // Debian: 1.1.1n-0+deb11u5 < 1.1.1w-0+deb11u1; a tilde sorts before everything.
    let findings = [
        on(
            "h1",
            "Debian:11",
            "openssl",
            "1.1.1n-0+deb11u3",
            "DSA-1",
            &["1.1.1n-0+deb11u5"],
        ),
        on(
            "h1",
            "Debian:11",
            "openssl",
            "1.1.1n-0+deb11u3",
            "DSA-2",
            &["1.1.1w-0+deb11u1"],
        ),
        on(
            "h2",
            "Debian:11",
            "openssl",
            "1.1.1n-0+deb11u3",
            "DSA-1",
            &["1.1.1n-0+deb11u5"],
        ),
        on(
            "h2",
            "Debian:11",
            "openssl",
            "1.1.1n-0+deb11u3",
            "DSA-2",
            &["1.1.1w-0+deb11u1"],
        ),
    ];
    assert_eq!(
        titles(&findings),
        ["upgrade openssl to 1.1.1w-0+deb11u1 on 2 hosts: fixes 2 advisories"]
    );
    let findings = [
        on("h1", "npm", "lodash", "4.17.2", "GHSA-1", &["4.17.21"]),
        on(
            "h1",
            "npm",
            "lodash",
            "4.17.2",
            "GHSA-2",
            &["4.17.3", "4.17.21"],
        ),
    ];
    // semver: 4.17.21 > 4.17.3 (string order would pick 4.17.3, which leaves GHSA-1 open).
    assert_eq!(
        titles(&findings),
        ["upgrade lodash to 4.17.21 on 1 host: fixes 2 advisories"]
    );
    // A finding without a fix above the installed version gets a mitigation of its own; the
    // others still get their upgrade.
    let findings = [
        on("h1", "npm", "lodash", "4.17.20", "GHSA-1", &["4.17.21"]),
        on("h1", "npm", "lodash", "4.17.20", "GHSA-3", &["4.17.3"]),
    ];
    let mut got = titles(&findings);
    got.sort();
    assert_eq!(
        got,
        [
            "no fix available for lodash 4.17.20 on 1 host: mitigate 1 advisory",
            "upgrade lodash to 4.17.21 on 1 host: fixes 1 advisory",
        ]
    );
}

#[test]
fn releases_and_targets_split_actions_and_missing_fixes_become_mitigations() {
    let findings = [
        on(
            "a8",
            "AlmaLinux:8",
            "openssl",
            "1:1.1.1k-9.el8_7",
            "ALSA-8",
            &["1:1.1.1k-12.el8_9"],
        ),
        on(
            "a9",
            "AlmaLinux:9",
            "openssl",
            "1:3.0.7-24.el9",
            "ALSA-9",
            &["1:3.0.7-25.el9_3"],
        ),
        on("a9", "AlmaLinux:9", "bash", "5.1.8-6.el9", "CVE-X", &[]),
        on("b9", "AlmaLinux:9", "bash", "5.1.8-6.el9", "CVE-X", &[]),
        on(
            "b9",
            "AlmaLinux:9",
            "bash",
            "5.1.8-6.el9",
            "CVE-Y",
            &["5.1.8-1.el9"],
        ),
    ];
    let mut got = titles(&findings);
    got.sort();
    assert_eq!(
        got,
        [
            "no fix available for bash 5.1.8-6.el9 on 2 hosts: mitigate 2 advisories",
            "upgrade openssl to 1:1.1.1k-12.el8_9 on 1 host: fixes 1 advisory",
            "upgrade openssl to 1:3.0.7-25.el9_3 on 1 host: fixes 1 advisory",
        ]
    );
}

#[test]
fn unknown_ecosystems_and_odd_versions_still_group() {
    let findings = [
        on(
            "h1",
            "Windows",
            "7-Zip",
            "23.01",
            "CVE-A",
            &["24.07", "not a version!"],
        ),
        on("h1", "Windows", "7-Zip", "23.01", "CVE-B", &["24.09"]),
    ];
    assert_eq!(
        titles(&findings),
        ["upgrade 7-Zip to 24.09 on 1 host: fixes 2 advisories"]
    );
}

#[test]
fn actions_carry_max_priority_min_due_and_kev_counts_in_order() {
    let mut kev = on(
        "fw",
        "generic",
        "pan-os",
        "10.2.9",
        "CVE-2024-3400",
        &["10.2.9-h1"],
    );
    kev.asset = asset("fw", Criticality::High, Exposure::InternetFacing);
    kev.kev = Some(Kev {
        date_added: d("2025-01-01"),
        due_date: d("2025-01-08"),
        ransomware: true,
    });
    kev.cvss = Some(cvss("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H"));
    let mut other = on(
        "fw",
        "generic",
        "pan-os",
        "10.2.9",
        "CVE-2024-9999",
        &["10.2.9-h1"],
    );
    other.asset = kev.asset.clone();
    other.cvss = Some(cvss("CVSS:3.1/AV:L/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N"));
    let mut medium = on("srv", "PyPI", "django", "4.2.0", "GHSA-m", &["4.2.1"]);
    medium.cvss = Some(cvss("CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:L/I:L/A:N"));
    let early = on("srv", "PyPI", "aaa", "1.0", "GHSA-a", &["1.1"]);
    let plan = build(
        "t",
        &[medium, other, kev, early],
        &[],
        &Policy::default(),
        d("2025-01-02"),
    );
    let a = &plan.actions[0];
    assert_eq!(a.decision, Decision::Act);
    assert_eq!(a.due, d("2025-01-08"));
    assert_eq!((a.kev, a.ransomware), (1, true));
    assert_eq!(a.findings[0].finding.advisory_id, "CVE-2024-3400");
    assert_eq!(
        a.title(Lang::En),
        "upgrade pan-os to 10.2.9-h1 on 1 host: fixes 2 advisories, 1 of them in KEV"
    );
    assert_eq!(
        a.title(Lang::NlBe),
        "pan-os upgraden naar 10.2.9-h1 op 1 host: verhelpt 2 kwetsbaarheden, waarvan 1 in KEV"
    );
    // Same decision (Track): unscored aaa (90 days) and medium django (90 days) tie on the due
    // date, so the package name decides.
    let rest: Vec<&str> = plan.actions[1..]
        .iter()
        .map(|a| a.package.as_str())
        .collect();
    assert_eq!(rest, ["aaa", "django"]);
    assert!(matches!(plan.actions[1].kind, ActionKind::Upgrade { .. }));
}

mod prop {
    use proptest::prelude::*;
    use weerbaar_plan::{ActionKind, Lang, Policy, build};
    use weerbaar_versions::Scheme;

    use super::on;
    use crate::common::d;

    fn version() -> impl Strategy<Value = String> {
        prop_oneof![
            (0u8..4, 0u8..12, 0u8..30).prop_map(|(a, b, c)| format!("{a}.{b}.{c}")),
            "[0-9a-z.+~:-]{0,8}",
        ]
    }

    proptest! {
        /// Any data groups without panicking; every upgrade target is at or above each of its
        /// findings' lowest applicable fix, and is one of their fixed versions.
        #[test]
        fn targets_cover_every_grouped_finding(
            rows in proptest::collection::vec((0u8..3, version(), proptest::collection::vec(version(), 0..3)), 1..12)
        ) {
            let findings: Vec<_> = rows
                .iter()
                .enumerate()
                .map(|(i, (host, installed, fixed))| {
                    let fixed: Vec<&str> = fixed.iter().map(String::as_str).collect();
                    on(&format!("h{host}"), "npm", "pkg", installed, &format!("GHSA-{i}"), &fixed)
                })
                .collect();
            let plan = build("t", &findings, &[], &Policy::default(), d("2025-01-02"));
            let grouped: usize = plan.actions.iter().map(|a| a.findings.len()).sum();
            prop_assert_eq!(grouped, findings.len());
            for a in &plan.actions {
                let _ = a.title(Lang::NlBe);
                let ActionKind::Upgrade { target } = &a.kind else { continue };
                prop_assert!(a.findings.iter().any(|g| g.finding.fixed_versions.contains(target)));
                for f in &a.findings {
                    let fix = weerbaar_plan::action::lowest_fix(&f.finding);
                    prop_assert!(fix.is_some());
                    let fix = fix.unwrap_or_default();
                    if let Ok(ord) = Scheme::SemVer.compare(target, &fix) {
                        prop_assert!(ord.is_ge(), "target {} below fix {}", target, fix);
                    }
                    if let Ok(ord) = Scheme::SemVer.compare(target, &f.finding.package.version) {
                        prop_assert!(ord.is_gt(), "{} <= {}", target, f.finding.package.version);
                    }
                }
            }
        }
    }
}

#[test]
fn a_product_without_a_version_reads_without_a_dangling_space() {
    // Appliances and Windows products are often inventoried by name only.
    let findings = [on(
        "mail01",
        "",
        "Microsoft Exchange Server 2016 CU19",
        "",
        "CVE-2021-26855",
        &[],
    )];
    assert_eq!(
        titles(&findings),
        ["no fix available for Microsoft Exchange Server 2016 CU19 on 1 host: mitigate 1 advisory"]
    );
}
