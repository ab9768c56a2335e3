//! The SSVC table and the mapping of facts onto its decision points.

use weerbaar_inventory::model::{Criticality, Exposure};
use weerbaar_plan::priority::{
    Automatable, DecisionPoints, Exploitation, MissionWellbeing, Reason, Rules, TechnicalImpact,
    assess, decide,
};
use weerbaar_plan::{Decision, Epss, Kev, Lang};

use crate::common::{asset, cvss, d, finding};

/// CISA's table as published (`cisa_coordinator_2_0_3.csv`), row by row, written out
/// independently of the match in `decide`.
const CISA: &str = "\
none,no,partial,low,track
none,no,partial,medium,track
none,no,partial,high,track
none,no,total,low,track
none,no,total,medium,track
none,no,total,high,track*
none,yes,partial,low,track
none,yes,partial,medium,track
none,yes,partial,high,attend
none,yes,total,low,track
none,yes,total,medium,track
none,yes,total,high,attend
public poc,no,partial,low,track
public poc,no,partial,medium,track
public poc,no,partial,high,track*
public poc,no,total,low,track
public poc,no,total,medium,track*
public poc,no,total,high,attend
public poc,yes,partial,low,track
public poc,yes,partial,medium,track
public poc,yes,partial,high,attend
public poc,yes,total,low,track
public poc,yes,total,medium,track*
public poc,yes,total,high,attend
active,no,partial,low,track
active,no,partial,medium,track
active,no,partial,high,attend
active,no,total,low,track
active,no,total,medium,attend
active,no,total,high,act
active,yes,partial,low,attend
active,yes,partial,medium,attend
active,yes,partial,high,act
active,yes,total,low,attend
active,yes,total,medium,act
active,yes,total,high,act";

#[test]
fn decide_is_cisas_table() {
    let mut rows = 0;
    for line in CISA.lines() {
        let f: Vec<&str> = line.split(',').collect();
        let points = DecisionPoints {
            exploitation: match f[0] {
                "none" => Exploitation::None,
                "public poc" => Exploitation::PublicPoc,
                _ => Exploitation::Active,
            },
            automatable: if f[1] == "yes" {
                Automatable::Yes
            } else {
                Automatable::No
            },
            technical_impact: if f[2] == "total" {
                TechnicalImpact::Total
            } else {
                TechnicalImpact::Partial
            },
            mission_wellbeing: match f[3] {
                "low" => MissionWellbeing::Low,
                "medium" => MissionWellbeing::Medium,
                _ => MissionWellbeing::High,
            },
        };
        assert_eq!(decide(points).as_str(), f[4], "{line}");
        rows += 1;
    }
    assert_eq!(rows, 36);
}

#[test]
fn decisions_order_by_urgency() {
    assert!(Decision::Act > Decision::Attend);
    assert!(Decision::Attend > Decision::TrackStar);
    assert!(Decision::TrackStar > Decision::Track);
}

#[test]
fn automatable_needs_internet_exposure_and_an_unauthenticated_network_vector() {
    let rules = Rules::default();
    let open = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H";
    let mut f = finding(
        "t",
        asset("a", Criticality::Normal, Exposure::InternetFacing),
        "CVE-1",
        "2024-01-01",
    );
    f.cvss = Some(cvss(open));
    assert_eq!(assess(&f, &rules).points.automatable, Automatable::Yes);
    f.asset.exposure = Exposure::Internal;
    assert_eq!(assess(&f, &rules).points.automatable, Automatable::No);
    f.asset.exposure = Exposure::InternetFacing;
    f.cvss = Some(cvss("CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H"));
    let p = assess(&f, &rules);
    assert_eq!(p.points.automatable, Automatable::No);
    assert!(p.reasons.contains(&Reason::NeedsFoothold {
        metric: "UI".into(),
        value: "R".into()
    }));
    // v4: attack requirements present.
    f.cvss = Some(cvss(
        "CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",
    ));
    assert_eq!(assess(&f, &rules).points.automatable, Automatable::No);
    f.cvss = Some(cvss(
        "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",
    ));
    assert_eq!(assess(&f, &rules).points.automatable, Automatable::Yes);
}

#[test]
fn technical_impact_follows_cert_ccs_cvss_table() {
    let rules = Rules::default();
    let mut f = finding(
        "t",
        asset("a", Criticality::Normal, Exposure::Internal),
        "CVE-1",
        "2024-01-01",
    );
    let cases = [
        (
            "CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:N",
            TechnicalImpact::Total,
        ),
        (
            "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:L/A:N",
            TechnicalImpact::Total,
        ),
        (
            "CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:L/A:N",
            TechnicalImpact::Partial,
        ),
        (
            "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:H",
            TechnicalImpact::Partial,
        ),
        (
            "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:H/VA:N/SC:N/SI:N/SA:N",
            TechnicalImpact::Total,
        ),
    ];
    for (vector, want) in cases {
        f.cvss = Some(cvss(vector));
        assert_eq!(assess(&f, &rules).points.technical_impact, want, "{vector}");
    }
    f.cvss = None;
    let p = assess(&f, &rules);
    assert_eq!(p.points.technical_impact, TechnicalImpact::Total);
    assert!(p.reasons.contains(&Reason::NoVector));
}

#[test]
fn mission_wellbeing_follows_asset_criticality() {
    let rules = Rules::default();
    let mut f = finding(
        "t",
        asset("a", Criticality::Low, Exposure::InternetFacing),
        "CVE-1",
        "2024-01-01",
    );
    f.kev = Some(Kev {
        date_added: d("2024-01-01"),
        due_date: d("2024-01-22"),
        ransomware: false,
    });
    f.cvss = Some(cvss("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"));
    let by = |c| {
        let mut g = f.clone();
        g.asset.criticality = c;
        assess(&g, &rules).decision
    };
    assert_eq!(by(Criticality::Low), Decision::Attend);
    assert_eq!(by(Criticality::Normal), Decision::Act);
    assert_eq!(by(Criticality::Critical), Decision::Act);
    // EPSS high but not in KEV, internal normal server: PoC/no/total/medium: Track*.
    f.kev = None;
    f.asset = asset("b", Criticality::Normal, Exposure::Internal);
    f.epss = Some(Epss {
        score: 0.5,
        percentile: 0.99,
    });
    assert_eq!(assess(&f, &rules).decision, Decision::TrackStar);
}

#[test]
fn every_reason_has_english_and_dutch_text() {
    let mut f = finding(
        "t",
        asset("a", Criticality::Critical, Exposure::InternetFacing),
        "CVE-1",
        "2024-01-01",
    );
    f.kev = Some(Kev {
        date_added: d("2024-01-01"),
        due_date: d("2024-01-22"),
        ransomware: true,
    });
    f.cvss = Some(cvss("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"));
    let p = assess(&f, &Rules::default());
    for r in &p.reasons {
        let (en, nl) = (r.text(Lang::En), r.text(Lang::NlBe));
        assert!(!en.is_empty() && !nl.is_empty());
        assert_ne!(en, nl, "{r:?}");
    }
    assert_eq!(
        p.explain(Lang::En),
        "Act: actively exploited (in CISA KEV since 2024-01-01); used in ransomware campaigns; internet-facing; \
         attackable over the network without login or user action; total control or disclosure; \
         CVSS 3.1 base score 9.8; asset criticality critical"
    );
    assert_eq!(
        p.explain(Lang::NlBe),
        "Act: wordt actief misbruikt (in CISA KEV sinds 2024-01-01); gebruikt in ransomwarecampagnes; \
         bereikbaar vanaf het internet; aanvalbaar via het netwerk zonder login of handeling van een gebruiker; \
         volledige controle of openbaarmaking; CVSS 3.1 basisscore 9,8; kriticiteit van het systeem: kritiek"
    );
}
