//! Due dates and the policy file.

use weerbaar_inventory::model::{Criticality, Exposure};
use weerbaar_plan::policy::{DueRule, SeverityClass};
use weerbaar_plan::{Policy, PolicySet};

use crate::common::{asset, cvss, d, finding};

fn due(policy: &Policy, vector: Option<&str>, exposure: Exposure) -> (jiff::civil::Date, DueRule) {
    let mut f = finding(
        "t",
        asset("a", Criticality::Normal, exposure),
        "CVE-1",
        "2025-01-01",
    );
    f.cvss = vector.map(cvss);
    let due = policy.due_date(&f);
    (due.date, due.rule)
}

const CRITICAL: &str = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"; // 9.8
const HIGH: &str = "CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H"; // 8.8
const MEDIUM: &str = "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:L/I:L/A:N"; // 5.4
const LOW: &str = "CVSS:3.1/AV:L/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N"; // 1.8

#[test]
fn default_terms() {
    let p = Policy::default();
    assert_eq!(
        due(&p, Some(CRITICAL), Exposure::InternetFacing).0,
        d("2025-01-08")
    );
    assert_eq!(
        due(&p, Some(CRITICAL), Exposure::Internal).0,
        d("2025-01-16")
    );
    assert_eq!(
        due(&p, Some(HIGH), Exposure::InternetFacing).0,
        d("2025-01-31")
    );
    assert_eq!(due(&p, Some(MEDIUM), Exposure::Internal).0, d("2025-04-01"));
    assert_eq!(due(&p, Some(LOW), Exposure::Internal).0, d("2025-06-30"));
    assert_eq!(due(&p, None, Exposure::Internal).0, d("2025-04-01"));
    assert_eq!(
        due(&p, Some(CRITICAL), Exposure::InternetFacing).1,
        DueRule::Severity {
            class: SeverityClass::Critical,
            internet_facing: true,
            days: 7
        }
    );
}

#[test]
fn severity_thresholds_are_cvss_scale() {
    let class = |score: f64| {
        SeverityClass::of(Some(&weerbaar_plan::Cvss {
            vector: String::new(),
            base_score: score,
        }))
    };
    assert_eq!(class(9.0), SeverityClass::Critical);
    assert_eq!(class(8.9), SeverityClass::High);
    assert_eq!(class(7.0), SeverityClass::High);
    assert_eq!(class(6.9), SeverityClass::Medium);
    assert_eq!(class(4.0), SeverityClass::Medium);
    assert_eq!(class(3.9), SeverityClass::Low);
    assert_eq!(class(0.0), SeverityClass::Low);
    assert_eq!(SeverityClass::of(None), SeverityClass::Unscored);
}

#[test]
fn asset_criticality_does_not_change_the_due_date() {
    let p = Policy::default();
    let mut f = finding(
        "t",
        asset("a", Criticality::Critical, Exposure::Internal),
        "CVE-1",
        "2025-01-01",
    );
    f.cvss = Some(cvss(HIGH));
    assert_eq!(p.due_date(&f).date, d("2025-01-31"));
}

const FILE: &str = r#"# Policy of the provider
[default]
high_days = 21
low_days = 365

[tenant.gemeente-a]
critical_internet_facing_days = 3
kev_catalog_due_date = false

[tenant.gemeente-b]
medium_days = 60
"#;

#[test]
fn tenant_tables_override_the_default_table_which_overrides_built_ins() {
    let set = PolicySet::parse("policy.toml", FILE).expect("test input is valid");
    let a = set.for_tenant("gemeente-a");
    assert_eq!(a.critical_internet_facing_days, 3);
    assert!(!a.kev_catalog_due_date);
    assert_eq!(a.high_days, 21, "inherits [default]");
    assert_eq!(a.critical_days, 15, "inherits the built-in default");
    let b = set.for_tenant("gemeente-b");
    assert_eq!((b.medium_days, b.high_days, b.low_days), (60, 21, 365));
    let other = set.for_tenant("gemeente-c");
    assert_eq!(other, &set.default);
    assert_eq!(other.high_days, 21);

    assert_eq!(
        due(a, Some(CRITICAL), Exposure::InternetFacing).0,
        d("2025-01-04")
    );
    assert_eq!(
        due(b, Some(CRITICAL), Exposure::InternetFacing).0,
        d("2025-01-08")
    );
    assert_eq!(due(b, Some(MEDIUM), Exposure::Internal).0, d("2025-03-02"));
}

#[test]
fn without_the_kev_catalog_date_fourteen_days_apply() {
    let set = PolicySet::parse("policy.toml", FILE).expect("test input is valid");
    let mut f = finding(
        "t",
        asset("a", Criticality::Normal, Exposure::Internal),
        "CVE-1",
        "2025-01-01",
    );
    f.kev = Some(weerbaar_plan::Kev {
        date_added: d("2025-01-01"),
        due_date: d("2025-01-08"),
        ransomware: false,
    });
    assert_eq!(set.default.due_date(&f).date, d("2025-01-08"));
    assert_eq!(
        set.for_tenant("gemeente-a").due_date(&f).date,
        d("2025-01-15")
    );
}

#[test]
fn errors_name_file_line_and_column() {
    let cases = [
        ("[default]\nhigh_days = 30\nhigh_dayz = 3\n", 3, "high_dayz"),
        (
            "[default]\n\n[tenant.x]\nmedium_days = \"ninety\"\n",
            4,
            "ninety",
        ),
        ("[default]\nlow_days = 99999\n", 2, "between 0 and 3650"),
        ("[default]\nlow_days = -1\n", 2, "between 0 and 3650"),
        ("[default]\nepss_threshold = 1.5\n", 2, "between 0 and 1"),
        ("[default\nlow_days = 1\n", 1, ""),
        ("[default]\nlow_days = 1\n[defaults]\n", 3, "defaults"),
        (
            "[default]\n\n[tenant.Gemeente_A]\nlow_days = 1\n",
            3,
            "tenant slug",
        ),
    ];
    for (text, line, needle) in cases {
        let e = PolicySet::parse("/etc/weerbaar/policy.toml", text).expect_err("must be refused");
        assert_eq!(e.file, "/etc/weerbaar/policy.toml");
        assert_eq!(e.line, Some(line), "{text:?}: {e}");
        let shown = e.to_string();
        assert!(
            shown.starts_with(&format!("/etc/weerbaar/policy.toml:{line}:")),
            "{shown}"
        );
        assert!(shown.contains(needle), "{shown}");
    }
}

#[test]
fn an_empty_file_is_the_built_in_policy() {
    let set = PolicySet::parse("p.toml", "").expect("test input is valid");
    assert_eq!(set.default, Policy::default());
    assert!(set.tenants.is_empty());
}
