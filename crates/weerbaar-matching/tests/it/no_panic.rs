//! Arbitrary event strings, names, ecosystems and versions never panic, and a range
//! `introduced: a, fixed: b` agrees with the scheme's own comparison.

use proptest::prelude::*;
use weerbaar_advisories::osv::{Advisory, Affected, Event, Package, Range, RangeType};
use weerbaar_matching::{ComponentRef, Index, Matcher};
use weerbaar_versions::{Scheme, Version};

fn advisory(
    ecosystem: &str,
    kind: RangeType,
    events: Vec<Event>,
    versions: Vec<String>,
) -> Advisory {
    Advisory {
        schema_version: None,
        id: "GHSA-pppp-pppp-pppp".into(),
        modified: "2024-01-01T00:00:00Z".into(),
        published: None,
        withdrawn: None,
        aliases: vec!["CVE-2024-1".into()],
        related: Vec::new(),
        upstream: Vec::new(),
        summary: None,
        details: None,
        severity: Vec::new(),
        affected: vec![Affected {
            package: Some(Package {
                ecosystem: ecosystem.into(),
                name: "p".into(),
                purl: None,
            }),
            severity: Vec::new(),
            ranges: vec![Range {
                kind,
                repo: None,
                events,
            }],
            versions,
        }],
        references: Vec::new(),
        credits: Vec::new(),
        database_severity: None,
    }
}

const ECOS: &[&str] = &[
    "PyPI",
    "npm",
    "Go",
    "Debian:12",
    "AlmaLinux:9",
    "Alpine:v3.19",
    "Maven",
    "Nope",
];

fn event() -> impl Strategy<Value = Event> {
    let v = "[0-9a-z.:~+_-]{0,10}";
    prop_oneof![
        v.prop_map(Event::Introduced),
        v.prop_map(Event::Fixed),
        v.prop_map(Event::LastAffected),
        v.prop_map(Event::Limit),
    ]
}

proptest! {
    #[test]
    fn never_panics(
        eco in 0..ECOS.len(),
        comp_eco in 0..ECOS.len(),
        semver in any::<bool>(),
        events in proptest::collection::vec(event(), 0..6),
        versions in proptest::collection::vec("[0-9a-z.:~+_-]{0,8}", 0..4),
        installed in "[v0-9a-z.:~+_-]{0,10}",
    ) {
        let kind = if semver { RangeType::Semver } else { RangeType::Ecosystem };
        let index = Index::build(&[advisory(ECOS[eco], kind, events, versions)]);
        let _ = Matcher::match_components(&index, &[ComponentRef::new(ECOS[comp_eco], "p", &installed)]);
    }

    #[test]
    fn introduced_fixed_agrees_with_the_scheme(a in 0u32..50, b in 0u32..50, v in 0u32..50) {
        let s = |n: u32| format!("{}.{}", n / 10, n % 10);
        let (lo, hi) = (a.min(b), a.max(b));
        let index = Index::build(&[advisory(
            "PyPI",
            RangeType::Ecosystem,
            vec![Event::Introduced(s(lo)), Event::Fixed(s(hi))],
            Vec::new(),
        )]);
        let installed = s(v);
        let found = !Matcher::match_components(&index, &[ComponentRef::new("PyPI", "p", &installed)]).is_empty();
        let p = |x: &str| Version::parse(Scheme::Pep440, x).expect("parses");
        prop_assert_eq!(found, p(&s(lo)) <= p(&installed) && p(&installed) < p(&s(hi)));
    }
}
