//! A generated municipality on real feeds: the "done when" scenarios.

use weerbaar_advisories::osv;
use weerbaar_inventory::model::{Criticality, Exposure};
use weerbaar_plan::exception::{EffectiveState, Exception, ExceptionKind, Scope};
use weerbaar_plan::plan::assess_finding;
use weerbaar_plan::policy::DueRule;
use weerbaar_plan::priority::{Automatable, Exploitation, TechnicalImpact};
use weerbaar_plan::{
    ActionKind, Decision, Epss, Finding, Kev, Lang, Package, Policy, SlaState, build,
};
use weerbaar_versions::Scheme;

use crate::common::{asset, cvss, d, epss_scores, finding, kev_catalog};

const TENANT: &str = "gemeente-zonnebeke";

/// CVE-2024-3400 (PAN-OS GlobalProtect) on the town hall's internet-facing firewall, with the
/// real KEV entry (added 2024-04-12, due 2024-04-19, ransomware known).
fn panos(catalog: &weerbaar_advisories::kev::Catalog) -> Finding {
    let entry = catalog.get("CVE-2024-3400").expect("test input is valid");
    let mut f = finding(
        TENANT,
        asset("fw-stadhuis", Criticality::High, Exposure::InternetFacing),
        "CVE-2024-3400",
        "2024-04-12",
    );
    f.package = Package {
        ecosystem: "generic".into(),
        name: "pan-os".into(),
        version: "10.2.9".into(),
        purl: None,
    };
    f.fixed_versions = vec!["10.2.9-h1".into()];
    f.kev = Kev::from_entry(entry);
    f.cvss = Some(cvss("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H"));
    f
}

#[test]
fn kev_listed_finding_on_internet_facing_firewall_is_act_with_kev_due_date() {
    let Some(catalog) = kev_catalog() else { return };
    let f = panos(catalog);
    let kev = f.kev.expect("test input is valid");
    assert_eq!(
        (kev.date_added, kev.due_date, kev.ransomware),
        (d("2024-04-12"), d("2024-04-19"), true)
    );

    let policy = Policy::default();
    let (state, assessed) = assess_finding(&f, &[], &policy, d("2024-04-13"));
    assert_eq!(state, EffectiveState::Open);
    let a = assessed.expect("test input is valid");
    assert_eq!(a.priority.decision, Decision::Act);
    assert_eq!(a.priority.points.exploitation, Exploitation::Active);
    assert_eq!(a.priority.points.automatable, Automatable::Yes);
    assert_eq!(a.priority.points.technical_impact, TechnicalImpact::Total);
    // KEV's own due date (7 days) is earlier than 14 days after listing.
    assert_eq!(a.due.date, d("2024-04-19"));
    assert_eq!(
        a.due.rule,
        DueRule::KevCatalog {
            due: d("2024-04-19")
        }
    );
    assert_eq!(a.sla, SlaState::DueSoon);
    let why = a.priority.explain(Lang::En);
    assert!(
        why.starts_with("Act: actively exploited (in CISA KEV since 2024-04-12)"),
        "{why}"
    );
    assert!(why.contains("used in ransomware campaigns"), "{why}");
    let waarom = a.priority.explain(Lang::NlBe);
    assert!(waarom.contains("wordt actief misbruikt"), "{waarom}");
}

#[test]
fn upgrading_before_the_due_date_is_resolved_in_time_and_leaving_it_is_overdue() {
    let Some(catalog) = kev_catalog() else { return };
    let policy = Policy::default();
    let open = panos(catalog);

    // Left in place: overdue from the day after the due date on, until resolved.
    let (_, a) = assess_finding(&open, &[], &policy, d("2024-04-19"));
    assert_eq!(a.expect("test input is valid").sla, SlaState::DueSoon);
    let (_, a) = assess_finding(&open, &[], &policy, d("2024-04-20"));
    assert_eq!(a.expect("test input is valid").sla, SlaState::Overdue);
    let plan = build(
        TENANT,
        std::slice::from_ref(&open),
        &[],
        &policy,
        d("2024-05-01"),
    );
    assert_eq!(plan.overdue(), 1);

    // A later import no longer shows the component (upgraded): resolved on the 18th.
    let mut fixed = open.clone();
    fixed.resolved_at = Some(d("2024-04-18"));
    fixed.last_seen = d("2024-04-17");
    let due = policy.due_date(&fixed).date;
    assert_eq!(
        weerbaar_plan::sla::state(
            due,
            fixed.resolved_at,
            d("2024-05-01"),
            policy.due_soon_days
        ),
        SlaState::ResolvedInTime
    );
    let plan = build(TENANT, &[fixed.clone()], &[], &policy, d("2024-05-01"));
    assert!(plan.actions.is_empty());
    assert_eq!(plan.resolved, 1);

    // Resolved on the 22nd instead: late.
    fixed.resolved_at = Some(d("2024-04-22"));
    assert_eq!(
        weerbaar_plan::sla::state(due, fixed.resolved_at, d("2024-05-01"), 7),
        SlaState::ResolvedLate
    );
}

#[test]
fn fourteen_days_win_when_kev_allows_more() {
    let Some(catalog) = kev_catalog() else { return };
    // Citrix Bleed: added 2023-10-18, CISA due 2023-11-08 (21 days).
    let mut f = finding(
        TENANT,
        asset("netscaler", Criticality::Normal, Exposure::InternetFacing),
        "CVE-2023-4966",
        "2023-10-20",
    );
    f.kev = Kev::from_entry(catalog.get("CVE-2023-4966").expect("test input is valid"));
    f.cvss = Some(cvss("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N"));
    let due = Policy::default().due_date(&f);
    assert_eq!(due.date, d("2023-11-03"));
    assert_eq!(due.rule, DueRule::Kev { days: 14 });
    // First seen before it was listed: KEV's clock starts at the listing (14 days: 2023-11-01),
    // which is earlier than its high CVSS score's 30 days from first seen (2023-11-09).
    f.first_seen = d("2023-10-10");
    assert_eq!(Policy::default().due_date(&f).date, d("2023-11-01"));
    // Seen long before: the CVSS date (30 days) came first and still holds.
    f.first_seen = d("2023-09-01");
    assert_eq!(Policy::default().due_date(&f).date, d("2023-10-01"));
    f.kev = None;
    assert_eq!(Policy::default().due_date(&f).date, d("2023-10-01"));
}

#[test]
fn kev_deadline_already_passed_makes_the_finding_due_the_day_it_is_seen() {
    let Some(catalog) = kev_catalog() else { return };
    // ProxyLogon was listed on 2021-11-03 with a due date of 2021-04-16, before its listing.
    let mut f = finding(
        TENANT,
        asset("exchange", Criticality::High, Exposure::Internal),
        "CVE-2021-26855",
        "2022-02-01",
    );
    f.kev = Kev::from_entry(catalog.get("CVE-2021-26855").expect("test input is valid"));
    f.cvss = Some(cvss("CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H"));
    let due = Policy::default().due_date(&f);
    assert_eq!(due.date, d("2022-02-01"));
    assert_eq!(
        due.rule,
        DueRule::KevCatalogPassed {
            due: d("2021-04-16")
        }
    );
    // Internal, high complexity: active and total, not automatable, high mission impact: Act.
    let p = weerbaar_plan::priority::assess(&f, &Policy::default().rules);
    assert_eq!(p.points.automatable, Automatable::No);
    assert_eq!(p.decision, Decision::Act);
}

#[test]
fn every_kev_entry_is_due_within_fourteen_days_of_its_listing() {
    let Some(catalog) = kev_catalog() else { return };
    let policy = Policy::default();
    let (mut fourteen, mut catalog_date, mut passed) = (0, 0, 0);
    for entry in &catalog.entries {
        let kev = Kev::from_entry(entry).expect("test input is valid");
        let mut f = finding(
            TENANT,
            asset("srv", Criticality::Normal, Exposure::Internal),
            &entry.cve_id,
            &kev.date_added.to_string(),
        );
        f.kev = Some(kev);
        let due = policy.due_date(&f);
        let days = weerbaar_plan::sla::days_between(kev.date_added, due.date);
        assert!((0..=14).contains(&days), "{}: {days}", entry.cve_id);
        match due.rule {
            DueRule::Kev { days: 14 } => {
                assert!(kev.due_date >= due.date, "{}", entry.cve_id);
                fourteen += 1;
            }
            DueRule::KevCatalog { due: cisa } => {
                assert_eq!(cisa, due.date);
                catalog_date += 1;
            }
            DueRule::KevCatalogPassed { due: cisa } => {
                assert!(
                    cisa < kev.date_added && due.date == kev.date_added,
                    "{}",
                    entry.cve_id
                );
                passed += 1;
            }
            other => panic!("{}: {other:?}", entry.cve_id),
        }
    }
    assert_eq!(fourteen + catalog_date + passed, 1404);
    // The real catalog has all three cases.
    assert!(
        fourteen > 0 && catalog_date > 0 && passed > 0,
        "{fourteen} {catalog_date} {passed}"
    );
}

#[test]
fn high_epss_without_kev_counts_as_public_poc() {
    let Some(scores) = epss_scores() else { return };
    // CVE-1999-0002 scores 0.27858 in FIRST's file: above the 0.1 threshold.
    let score = scores.get("CVE-1999-0002").expect("test input is valid");
    let mut f = finding(
        TENANT,
        asset("legacy-nfs", Criticality::High, Exposure::InternetFacing),
        "CVE-1999-0002",
        "2026-09-29",
    );
    f.epss = Some(Epss::from(score));
    let p = weerbaar_plan::priority::assess(&f, &Policy::default().rules);
    assert_eq!(p.points.exploitation, Exploitation::PublicPoc);
    // No vector: total impact and (internet-facing) automatable assumed; PoC/yes/total/high.
    assert_eq!(p.decision, Decision::Attend);
    assert!(
        p.explain(Lang::En).contains("EPSS 0.279"),
        "{}",
        p.explain(Lang::En)
    );
    assert!(
        p.explain(Lang::NlBe).contains("EPSS 0,279"),
        "{}",
        p.explain(Lang::NlBe)
    );

    // CVE-1999-0001 scores 0.03351, percentile 0.88255: below both thresholds.
    f.epss = Some(Epss::from(
        scores.get("CVE-1999-0001").expect("test input is valid"),
    ));
    let p = weerbaar_plan::priority::assess(&f, &Policy::default().rules);
    assert_eq!(p.points.exploitation, Exploitation::None);
}

/// The findings a matcher reports for `installed` openssl on AlmaLinux 9 on `today`: every real
/// ALSA for openssl published by then whose fix is above the installed version.
fn openssl_findings(
    advisories: &[osv::Advisory],
    host: &str,
    installed: &str,
    today: &str,
) -> Vec<Finding> {
    let mut out = Vec::new();
    for adv in advisories {
        let published = adv
            .published
            .as_deref()
            .unwrap_or("9999")
            .get(..10)
            .expect("test input is valid")
            .to_owned();
        if published.as_str() > today {
            continue;
        }
        for aff in &adv.affected {
            let Some(pkg) = &aff.package else { continue };
            if pkg.name != "openssl" || pkg.ecosystem != "AlmaLinux:9" {
                continue;
            }
            let fixed: Vec<String> = aff
                .ranges
                .iter()
                .flat_map(|r| &r.events)
                .filter(|e| e.key() == "fixed")
                .map(|e| e.version().to_owned())
                .collect();
            let affects = fixed.iter().any(|v| {
                Scheme::Rpm
                    .compare(installed, v)
                    .expect("test input is valid")
                    .is_lt()
            });
            if !affects {
                continue;
            }
            let mut f = finding(
                TENANT,
                asset(host, Criticality::Normal, Exposure::Internal),
                &adv.id,
                &published,
            );
            f.aliases = adv.related.clone();
            f.package = Package {
                ecosystem: "AlmaLinux:9".into(),
                name: "openssl".into(),
                version: installed.into(),
                purl: Some(format!(
                    "pkg:rpm/almalinux/openssl@{installed}?arch=x86_64&distro=almalinux-9"
                )),
            };
            f.fixed_versions = fixed;
            out.push(f);
        }
    }
    out
}

fn almalinux() -> Option<Vec<osv::Advisory>> {
    let path = weerbaar_fixtures::fixture("osv/almalinux/almalinux-osv.jsonl")?;
    let bytes = std::fs::read(&path).expect("test input is valid");
    Some(osv::parse_jsonl(&path.display().to_string(), &bytes).expect("test input is valid"))
}

#[test]
fn openssl_upgrade_targets_the_lowest_version_fixing_every_advisory() {
    let Some(advisories) = almalinux() else {
        return;
    };
    let today = "2023-07-01";
    let mut findings = Vec::new();
    for host in ["app-01", "app-02", "app-03"] {
        findings.extend(openssl_findings(
            &advisories,
            host,
            "1:3.0.1-41.el9_0",
            today,
        ));
    }
    findings.extend(openssl_findings(
        &advisories,
        "db-01",
        "1:3.0.1-43.el9_0",
        today,
    ));
    // Already on the latest fix of the day: nothing to do.
    findings.extend(openssl_findings(
        &advisories,
        "web-01",
        "1:3.0.7-16.el9_2",
        today,
    ));
    assert_eq!(findings.len(), 3 * 4 + 3);

    let plan = build(TENANT, &findings, &[], &Policy::default(), d(today));
    assert_eq!(
        plan.actions.len(),
        1,
        "{:#?}",
        plan.actions
            .iter()
            .map(|a| a.title(Lang::En))
            .collect::<Vec<_>>()
    );
    let action = &plan.actions[0];
    // rpm order: -16 is above -6 (string order would say otherwise).
    assert_eq!(
        action.kind,
        ActionKind::Upgrade {
            target: "1:3.0.7-16.el9_2".into()
        }
    );
    assert_eq!(action.installed, ["1:3.0.1-41.el9_0", "1:3.0.1-43.el9_0"]);
    assert_eq!(
        action.advisories,
        [
            "ALSA-2022:7288",
            "ALSA-2023:0946",
            "ALSA-2023:2523",
            "ALSA-2023:3722"
        ]
    );
    assert_eq!(
        action.title(Lang::En),
        "upgrade openssl to 1:3.0.7-16.el9_2 on 4 hosts: fixes 4 advisories"
    );
    assert_eq!(
        action.title(Lang::NlBe),
        "openssl upgraden naar 1:3.0.7-16.el9_2 op 4 hosts: verhelpt 4 kwetsbaarheden"
    );
    // The earliest due date: ALSA-2022:7288 (published 2022-11-01) has no CVSS: 90 days.
    assert_eq!(action.due, d("2023-01-30"));
}

#[test]
fn a_host_a_fix_behind_gets_its_own_action() {
    let Some(advisories) = almalinux() else {
        return;
    };
    let today = "2024-02-01";
    let mut findings = openssl_findings(&advisories, "app-01", "1:3.0.7-16.el9_2", today);
    findings.extend(openssl_findings(
        &advisories,
        "app-02",
        "1:3.0.1-47.el9_1",
        today,
    ));
    let plan = build(TENANT, &findings, &[], &Policy::default(), d(today));
    let titles: Vec<String> = plan.actions.iter().map(|a| a.title(Lang::En)).collect();
    // Both need ALSA-2024:0310 (1:3.0.7-25.el9_3): one target, one action.
    assert_eq!(
        titles,
        ["upgrade openssl to 1:3.0.7-25.el9_3 on 2 hosts: fixes 3 advisories"]
    );
}

#[test]
fn accepted_risk_matched_through_an_alias_expires_and_reopens_the_finding() {
    let Some(advisories) = almalinux() else {
        return;
    };
    let findings = openssl_findings(&advisories, "app-01", "1:3.0.7-6.el9_2", "2023-07-01");
    assert_eq!(findings.len(), 1);
    let exception = Exception {
        // The ALSA's CVE, not the ALSA id.
        scope: Scope {
            advisory: "cve-2023-0464".into(),
            package: Some("openssl".into()),
            asset: Some("app-01".into()),
        },
        kind: ExceptionKind::AcceptedRisk {
            expires: d("2023-09-01"),
        },
        author: "it-coordinator@zonnebeke.example".into(),
        reason: "legacy application certified on this build; vendor upgrade planned".into(),
        date: d("2023-07-05"),
    };
    let policy = Policy::default();
    let exceptions = [exception];
    let before = build(TENANT, &findings, &exceptions, &policy, d("2023-08-31"));
    assert!(before.actions.is_empty());
    assert_eq!(before.excepted.len(), 1);

    let (state, a) = assess_finding(&findings[0], &exceptions, &policy, d("2023-09-01"));
    assert_eq!(
        state,
        EffectiveState::Reopened {
            since: d("2023-09-01")
        }
    );
    let a = a.expect("test input is valid");
    // The clock restarts at expiry: no CVSS, 90 days.
    assert_eq!(a.due.date, d("2023-11-30"));
    let after = build(TENANT, &findings, &exceptions, &policy, d("2023-09-01"));
    assert_eq!(after.actions.len(), 1);
    assert!(after.excepted.is_empty());
}

#[test]
fn the_whole_municipality_orders_act_first() {
    let Some(catalog) = kev_catalog() else { return };
    let Some(advisories) = almalinux() else {
        return;
    };
    let mut findings = openssl_findings(&advisories, "app-01", "1:3.0.7-6.el9_2", "2024-04-13");
    let mut p = panos(catalog);
    p.first_seen = d("2024-04-13");
    findings.push(p);
    // Another tenant's finding never leaks into this plan.
    let mut other = panos(catalog);
    other.tenant = "gemeente-elders".into();
    findings.push(other);
    let plan = build(TENANT, &findings, &[], &Policy::default(), d("2024-04-13"));
    assert_eq!(plan.actions[0].decision, Decision::Act);
    assert_eq!(plan.actions[0].package, "pan-os");
    assert_eq!(plan.actions[0].assets.len(), 1);
    assert!(plan.actions[1..].iter().all(|a| a.decision < Decision::Act));
    let total: usize = plan.actions.iter().map(|a| a.findings.len()).sum();
    assert_eq!(total, findings.len() - 1);
}
