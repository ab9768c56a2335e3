//! Exceptions and the effective state of a finding.

use std::str::FromStr;

use weerbaar_inventory::model::{Criticality, Exposure};
use weerbaar_plan::exception::{OpenVexJustification, effective_state};
use weerbaar_plan::{EffectiveState, Exception, ExceptionKind, Justification, Scope};

use crate::common::{asset, d, finding};

fn exc(scope: Scope, kind: ExceptionKind, date: &str) -> Exception {
    Exception {
        scope,
        kind,
        author: "jan".into(),
        reason: "because".into(),
        date: d(date),
    }
}

fn scope(advisory: &str, package: Option<&str>, asset: Option<&str>) -> Scope {
    Scope {
        advisory: advisory.into(),
        package: package.map(Into::into),
        asset: asset.map(Into::into),
    }
}

#[test]
fn scopes_match_ids_aliases_packages_and_assets() {
    let mut f = finding(
        "t",
        asset("srv-1", Criticality::Normal, Exposure::Internal),
        "GHSA-xxxx",
        "2025-01-01",
    );
    f.aliases = vec!["CVE-2025-1".into()];
    f.package.name = "jackson-databind".into();
    f.package.purl =
        Some("pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.10.0?type=jar".into());
    assert!(scope("CVE-2025-1", None, None).covers(&f));
    assert!(scope("ghsa-XXXX", None, None).covers(&f));
    assert!(!scope("CVE-2025-2", None, None).covers(&f));
    assert!(scope("CVE-2025-1", Some("jackson-databind"), Some("srv-1")).covers(&f));
    assert!(!scope("CVE-2025-1", Some("jackson-core"), None).covers(&f));
    assert!(!scope("CVE-2025-1", None, Some("srv-2")).covers(&f));
    assert!(
        scope(
            "CVE-2025-1",
            Some("pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.10.0"),
            None
        )
        .covers(&f)
    );
    assert!(
        scope(
            "CVE-2025-1",
            Some("pkg:maven/com.fasterxml.jackson.core/jackson-databind"),
            None
        )
        .covers(&f)
    );
    assert!(
        !scope(
            "CVE-2025-1",
            Some("pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.10.1"),
            None
        )
        .covers(&f)
    );
}

#[test]
fn the_latest_exception_wins_and_accepted_risks_expire() {
    let f = finding(
        "t",
        asset("srv-1", Criticality::Normal, Exposure::Internal),
        "CVE-1",
        "2025-01-01",
    );
    let accepted = exc(
        scope("CVE-1", None, None),
        ExceptionKind::AcceptedRisk {
            expires: d("2025-03-01"),
        },
        "2025-01-10",
    );
    let fp = exc(
        scope("CVE-1", None, Some("srv-1")),
        ExceptionKind::FalsePositive,
        "2025-04-01",
    );
    let all = [accepted.clone(), fp.clone()];
    assert_eq!(
        effective_state(&f, &all, d("2025-01-09")),
        EffectiveState::Open
    );
    assert_eq!(
        effective_state(&f, &all, d("2025-01-10")),
        EffectiveState::Excepted(accepted.clone())
    );
    assert_eq!(
        effective_state(&f, &all, d("2025-02-28")),
        EffectiveState::Excepted(accepted)
    );
    assert_eq!(
        effective_state(&f, &all, d("2025-03-01")),
        EffectiveState::Reopened {
            since: d("2025-03-01")
        }
    );
    assert_eq!(
        effective_state(&f, &all, d("2025-04-01")),
        EffectiveState::Excepted(fp)
    );
    // The index answers the same on every day.
    let index = weerbaar_plan::exception::ExceptionIndex::new(&all);
    for day in ["2025-01-09", "2025-01-10", "2025-03-01", "2025-04-01"] {
        assert_eq!(
            index.effective_state(&f, d(day)),
            effective_state(&f, &all, d(day)),
            "{day}"
        );
    }
    let mut resolved = f.clone();
    resolved.resolved_at = Some(d("2025-02-01"));
    assert_eq!(
        effective_state(&resolved, &all, d("2025-03-05")),
        EffectiveState::Resolved {
            on: d("2025-02-01")
        }
    );
}

#[test]
fn justifications_map_between_cyclonedx_and_openvex() {
    for j in Justification::ALL {
        assert_eq!(Justification::from_str(j.as_str()), Ok(j));
        // Mapping to OpenVEX and back lands on a justification with the same OpenVEX meaning.
        let back = Justification::from_openvex(j.to_openvex());
        assert_eq!(back.to_openvex(), j.to_openvex(), "{j}");
    }
    use Justification as C;
    use OpenVexJustification as O;
    let table = [
        (O::ComponentNotPresent, C::RequiresDependency),
        (O::VulnerableCodeNotPresent, C::CodeNotPresent),
        (O::VulnerableCodeNotInExecutePath, C::CodeNotReachable),
        (
            O::VulnerableCodeCannotBeControlledByAdversary,
            C::RequiresEnvironment,
        ),
        (
            O::InlineMitigationsAlreadyExist,
            C::ProtectedByMitigatingControl,
        ),
    ];
    for (o, c) in table {
        assert_eq!(Justification::from_openvex(o), c);
        assert_eq!(Justification::from_str(o.as_str()), Ok(c));
    }
    assert_eq!(C::RequiresDependency.to_openvex(), O::ComponentNotPresent);
    assert_eq!(
        C::ProtectedAtPerimeter.to_openvex(),
        O::VulnerableCodeCannotBeControlledByAdversary
    );
    assert_eq!(
        C::ProtectedByCompiler.to_openvex(),
        O::InlineMitigationsAlreadyExist
    );
    assert_eq!(
        Justification::from_str("vulnerable_code_not_in_execute_path"),
        Ok(Justification::CodeNotReachable)
    );
    assert!(
        Justification::from_str("because")
            .expect_err("must be refused")
            .contains("code_not_present")
    );
}
