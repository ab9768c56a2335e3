//! NVD CVE JSON 2.0 on the real files in `nvd/` (see the fixtures' MANIFEST.md). The expected
//! counts were taken independently with python3's json module.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use proptest::prelude::*;
use weerbaar_advisories::nvd::{
    self, AttrValue, Attribute, Cpe, CpeMatch, Cve, CvssVersion, Cwe, NvdDocument, Operator, Shape,
    SourceType, VulnStatus,
};

fn read(path: &Path) -> NvdDocument {
    match nvd::read(path) {
        Ok(d) => d,
        Err(e) => panic!("{e}"),
    }
}

fn cpe(s: &str) -> Cpe {
    match Cpe::parse(s) {
        Ok(c) => c,
        Err(e) => panic!("{s}: {e}"),
    }
}

/// Every CVE in the three fixture directories, with the file it came from.
fn all() -> Option<Vec<(PathBuf, NvdDocument)>> {
    let mut out = Vec::new();
    for dir in [
        "nvd/osv.dev-nvdcve-2.0",
        "nvd/vunnel",
        "nvd/vuln-list-update",
    ] {
        for path in weerbaar_fixtures::fixtures_in(dir, ".json")? {
            let doc = read(&path);
            out.push((path, doc));
        }
    }
    Some(out)
}

fn find<'a>(docs: &'a [(PathBuf, NvdDocument)], id: &str) -> &'a Cve {
    docs.iter()
        .flat_map(|(_, d)| &d.cves)
        .find(|c| c.id == id)
        .unwrap_or_else(|| panic!("{id} not found"))
}

fn file_name(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

#[test]
fn every_file_parses_with_the_right_shape() {
    let Some(docs) = all() else { return };
    assert_eq!(docs.len(), 23 + 2 + 5);
    for (path, doc) in &docs {
        let name = file_name(path);
        let dir = path.parent().map(file_name).unwrap_or_default();
        match (dir.as_str(), name.as_str()) {
            ("osv.dev-nvdcve-2.0", _) => {
                assert_eq!(doc.shape, Shape::ApiResponse, "{name}");
                assert_eq!(doc.cves.len(), 1, "{name}");
                let id = doc.cves.first().map(|c| c.id.clone()).unwrap_or_default();
                assert_eq!(format!("{id}.json"), name);
                let page = doc
                    .page
                    .as_ref()
                    .map(|p| (p.results_per_page, p.total_results));
                assert_eq!(page, Some((1, 1)), "{name}");
            }
            ("vunnel", "nvd-api2-full-page.json") => {
                assert_eq!(doc.shape, Shape::ApiResponse);
                assert_eq!(doc.cves.len(), 38);
                assert_eq!(doc.page.as_ref().map(|p| p.total_results), Some(38));
                assert_eq!(
                    doc.page.as_ref().map(|p| p.timestamp.as_str()),
                    Some("2023-10-18T18:04:18.493")
                );
                assert_eq!(
                    doc.cves.first().map(|c| c.id.as_str()),
                    Some("CVE-2023-27314")
                );
                assert_eq!(
                    doc.cves.last().map(|c| c.id.as_str()),
                    Some("CVE-2023-20261")
                );
            }
            ("vunnel", "nvd-api2-single-entry.json") => {
                assert_eq!(doc.shape, Shape::ApiResponse);
                let ids: Vec<&str> = doc.cves.iter().map(|c| c.id.as_str()).collect();
                assert_eq!(ids, ["CVE-2022-1576"]);
            }
            ("vuln-list-update", "respPageFull.json") => {
                assert_eq!(doc.shape, Shape::ApiResponse);
                let ids: Vec<&str> = doc.cves.iter().map(|c| c.id.as_str()).collect();
                assert_eq!(ids, ["CVE-2020-8167", "CVE-2021-22903", "CVE-2021-3881"]);
                // The page says one result per page but carries three: not checked, see docs.
                let page = doc
                    .page
                    .as_ref()
                    .map(|p| (p.results_per_page, p.start_index));
                assert_eq!(page, Some((1, 3)));
            }
            ("vuln-list-update", _) => {
                assert_eq!(doc.shape, Shape::Record, "{name}");
                let id = doc.cves.first().map(|c| c.id.clone()).unwrap_or_default();
                assert_eq!(format!("{id}.json"), name);
            }
            other => panic!("unexpected fixture {other:?}"),
        }
    }
}

#[test]
fn totals_over_all_files() {
    let Some(docs) = all() else { return };
    let cves: Vec<&Cve> = docs.iter().flat_map(|(_, d)| &d.cves).collect();
    assert_eq!(cves.len(), 69);
    let ids: BTreeSet<&str> = cves.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids.len(), 66);

    let mut statuses = BTreeMap::new();
    for c in &cves {
        *statuses.entry(format!("{:?}", c.vuln_status)).or_insert(0) += 1;
    }
    let want: BTreeMap<String, i32> = [
        ("Some(Analyzed)", 41),
        ("Some(AwaitingAnalysis)", 14),
        ("Some(Deferred)", 2),
        ("Some(Modified)", 11),
        ("Some(UndergoingAnalysis)", 1),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect();
    assert_eq!(statuses, want);
    assert!(cves.iter().all(|c| !c.is_rejected()));

    let metrics = |v: CvssVersion| {
        cves.iter()
            .flat_map(|c| &c.metrics)
            .filter(|m| m.version == v)
            .count()
    };
    assert_eq!(metrics(CvssVersion::V2), 16);
    assert_eq!(metrics(CvssVersion::V3_0), 4);
    assert_eq!(metrics(CvssVersion::V3_1), 85);
    assert_eq!(metrics(CvssVersion::V4_0), 1);
    let kinds = |k: SourceType| {
        cves.iter()
            .flat_map(|c| &c.metrics)
            .filter(|m| m.kind == k)
            .count()
    };
    assert_eq!(
        (kinds(SourceType::Primary), kinds(SourceType::Secondary)),
        (68, 38)
    );

    let configs: Vec<_> = cves.iter().flat_map(|c| &c.configurations).collect();
    assert_eq!(configs.len(), 66);
    assert_eq!(
        configs
            .iter()
            .filter(|c| c.operator == Operator::And)
            .count(),
        13
    );
    let nodes: Vec<_> = configs.iter().flat_map(|c| &c.nodes).collect();
    assert_eq!(nodes.len(), 79);
    let matches: Vec<&CpeMatch> = nodes.iter().flat_map(|n| &n.cpe_match).collect();
    assert_eq!(matches.len(), 136);
    assert_eq!(matches.iter().filter(|m| !m.vulnerable).count(), 24);
    let bound = |start: bool, inclusive: bool| {
        matches
            .iter()
            .filter_map(|m| {
                if start {
                    m.start.as_ref()
                } else {
                    m.end.as_ref()
                }
            })
            .filter(|b| b.inclusive == inclusive)
            .count()
    };
    assert_eq!(bound(true, true), 22);
    assert_eq!(bound(true, false), 0);
    assert_eq!(bound(false, true), 8);
    assert_eq!(bound(false, false), 52);

    assert_eq!(cves.iter().map(|c| c.references.len()).sum::<usize>(), 269);
    let cwes: Vec<Cwe> = cves
        .iter()
        .flat_map(|c| &c.weaknesses)
        .flat_map(|w| w.cwes.iter().copied())
        .collect();
    assert_eq!(cwes.len(), 88);
    assert_eq!(cwes.iter().filter(|c| **c == Cwe::NoInfo).count(), 6);
    assert_eq!(
        cves.iter().filter(|c| c.cisa_exploit_add.is_some()).count(),
        1
    );
    assert!(cves.iter().all(|c| !c.description().is_empty()));
}

#[test]
fn cvss_4_vector() {
    let Some(docs) = all() else { return };
    let c = find(&docs, "CVE-2024-5732");
    let versions: Vec<(CvssVersion, &str, SourceType, f64)> = c
        .metrics
        .iter()
        .map(|m| (m.version, m.source.as_str(), m.kind, m.base_score))
        .collect();
    assert_eq!(
        versions,
        [
            (
                CvssVersion::V4_0,
                "cna@vuldb.com",
                SourceType::Secondary,
                6.9
            ),
            (CvssVersion::V3_1, "nvd@nist.gov", SourceType::Primary, 9.8),
            (
                CvssVersion::V3_1,
                "cna@vuldb.com",
                SourceType::Secondary,
                7.3
            ),
            (CvssVersion::V2, "cna@vuldb.com", SourceType::Secondary, 7.5),
        ]
    );
    assert_eq!(
        c.metrics.first().map(|m| m.vector.as_str()),
        Some(
            "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:L/VA:L/SC:N/SI:N/SA:N/E:X/CR:X/IR:X/AR:X/\
             MAV:X/MAC:X/MAT:X/MPR:X/MUI:X/MVC:X/MVI:X/MVA:X/MSC:X/MSI:X/MSA:X/S:X/AU:X/R:X/V:X/\
             RE:X/U:X"
        )
    );
}

#[test]
fn kev_fields_and_description() {
    let Some(docs) = all() else { return };
    let c = find(&docs, "CVE-2023-4863");
    assert_eq!(c.cisa_exploit_add.as_deref(), Some("2023-09-13"));
    assert_eq!(c.cisa_action_due.as_deref(), Some("2023-10-04"));
    assert_eq!(
        c.cisa_vulnerability_name.as_deref(),
        Some("Google Chromium WebP Heap-Based Buffer Overflow Vulnerability")
    );
    assert!(c.cisa_required_action.is_some());
    assert_eq!(c.cwe_ids(), [787]);
    assert_eq!(c.configurations.len(), 6);
    let chrome = |v: &str| cpe(&format!("cpe:2.3:a:google:chrome:{v}:*:*:*:*:*:*:*"));
    assert!(c.matches(&[chrome("116.0.5845.96")]));
    assert!(!c.matches(&[chrome("116.0.5845.187")]));
    let fedora = cpe("cpe:2.3:o:fedoraproject:fedora:38:*:*:*:*:*:*:*");
    assert!(c.matches(std::slice::from_ref(&fedora)));

    let first = find(&docs, "CVE-2014-1424");
    assert!(
        first
            .description()
            .starts_with("apparmor_parser in the apparmor package")
    );
    assert_eq!(first.vuln_status, Some(VulnStatus::Deferred));
}

#[test]
fn and_configuration_with_a_running_on_platform() {
    let Some(docs) = all() else { return };
    let c = find(&docs, "CVE-2020-13595");
    let and: Vec<_> = c
        .configurations
        .iter()
        .filter(|cfg| cfg.operator == Operator::And)
        .collect();
    assert_eq!(and.len(), 1);
    let platform: Vec<&CpeMatch> = c
        .configurations
        .iter()
        .flat_map(|cfg| &cfg.nodes)
        .flat_map(|n| &n.cpe_match)
        .filter(|m| !m.vulnerable)
        .collect();
    assert_eq!(platform.len(), 1);
    assert_eq!(
        platform.first().map(|m| m.criteria.to_string()),
        Some("cpe:2.3:h:espressif:esp32:-:*:*:*:*:*:*:*".to_owned())
    );
    let idf = |v: &str| cpe(&format!("cpe:2.3:a:espressif:esp-idf:{v}:*:*:*:*:*:*:*"));
    let esp32 = cpe("cpe:2.3:h:espressif:esp32:-:*:*:*:*:*:*:*");
    assert!(c.matches(&[idf("4.1"), esp32.clone()]));
    assert!(
        c.matches(&[idf("4.2"), esp32.clone()]),
        "versionEndIncluding 4.2"
    );
    assert!(
        c.matches(&[idf("4.0.0"), esp32.clone()]),
        "versionStartIncluding 4.0.0"
    );
    assert!(!c.matches(&[idf("3.3"), esp32.clone()]));
    assert!(!c.matches(&[idf("4.2.1"), esp32.clone()]));
    assert!(!c.matches(&[idf("4.1")]), "not running on esp32");
    assert!(
        !c.matches(std::slice::from_ref(&esp32)),
        "the platform alone"
    );

    // IBM's on-premises product, running on macOS or Windows (one of two platforms).
    let ibm = find(&docs, "CVE-2022-22377");
    let verify = |v: &str| {
        cpe(&format!(
            "cpe:2.3:a:ibm:security_verify_privilege_on-premises:{v}:*:*:*:*:*:*:*"
        ))
    };
    let windows = cpe("cpe:2.3:o:microsoft:windows:-:*:*:*:*:*:*:*");
    let linux = cpe("cpe:2.3:o:linux:linux_kernel:-:*:*:*:*:*:*:*");
    assert!(ibm.matches(&[verify("11.4"), windows.clone()]));
    assert!(
        !ibm.matches(&[verify("11.5"), windows]),
        "versionEndExcluding 11.5"
    );
    assert!(!ibm.matches(&[verify("11.4"), linux]));
}

#[test]
fn version_end_excluding() {
    let Some(docs) = all() else { return };
    let c = find(&docs, "CVE-2020-8167");
    let rails = |v: &str| cpe(&format!("cpe:2.3:a:rubyonrails:rails:{v}:*:*:*:*:*:*:*"));
    assert!(c.matches(&[rails("5.2.4.2")]));
    assert!(!c.matches(&[rails("5.2.4.3")]));
    assert!(!c.matches(&[rails("5.2.5")]));
    assert!(c.matches(&[rails("6.0.3")]));
    assert!(!c.matches(&[rails("6.0.3.1")]));
    assert!(c.matches(&[cpe("cpe:2.3:o:debian:debian_linux:10.0:*:*:*:*:*:*:*")]));

    // A quoted `&` in a WordPress plugin's product, with target_sw.
    let wp = find(&docs, "CVE-2022-1576");
    let m = wp
        .configurations
        .first()
        .and_then(|cfg| cfg.nodes.first())
        .and_then(|n| n.cpe_match.first())
        .unwrap_or_else(|| panic!("no criterion"));
    assert_eq!(
        m.criteria.product().unquoted().as_deref(),
        Some("wp_maintenance_mode_&_coming_soon")
    );
    assert_eq!(m.criteria.target_sw(), AttrValue::Value("wordpress"));
    let plugin = |v: &str, sw: &str| {
        cpe(&format!(
            "cpe:2.3:a:themeisle:{}:{v}:*:*:*:*:{sw}:*:*",
            nvd::quote("wp_maintenance_mode_&_coming_soon")
        ))
    };
    assert!(wp.matches(&[plugin("2.4.4", "wordpress")]));
    assert!(!wp.matches(&[plugin("2.4.5", "wordpress")]));
    // NISTIR 7696: a name that leaves target_sw unknown does not match a criterion naming it.
    assert!(!wp.matches(&[plugin("2.4.4", "*")]));
}

/// The criterion's name with its version component (and nothing else) replaced.
fn with_version(criteria: &Cpe, version: &str) -> String {
    let mut out = format!("cpe:2.3:{}", criteria.part().letter());
    for a in Attribute::ALL {
        out.push(':');
        match (a, criteria.get(a)) {
            (Attribute::Version, _) => out.push_str(version),
            (_, AttrValue::Any) => out.push('*'),
            (_, AttrValue::Na) => out.push('-'),
            (_, AttrValue::Value(v)) => out.push_str(v),
        }
    }
    out
}

/// On every real range criterion: an inclusive bound is inside, an exclusive one outside, and
/// an unknown version outside.
#[test]
fn real_ranges_respect_their_bounds() {
    let Some(docs) = all() else { return };
    let mut checked = 0;
    for m in docs
        .iter()
        .flat_map(|(_, d)| &d.cves)
        .flat_map(|c| &c.configurations)
        .flat_map(|cfg| &cfg.nodes)
        .flat_map(|n| &n.cpe_match)
        .filter(|m| m.has_range())
    {
        assert_eq!(m.criteria.version(), AttrValue::Any, "{}", m.criteria);
        for b in [&m.start, &m.end].into_iter().flatten() {
            let name = cpe(&with_version(&m.criteria, &nvd::quote(&b.version)));
            assert_eq!(
                m.matches(&name),
                b.inclusive,
                "{} at {}",
                m.criteria,
                b.version
            );
            checked += 1;
        }
        assert!(!m.matches(&cpe(&with_version(&m.criteria, "*"))));
        assert!(!m.matches(&cpe(&with_version(&m.criteria, "-"))));
    }
    assert_eq!(checked, 22 + 8 + 52);
}

#[test]
fn errors_name_the_file_and_record() {
    let Some(path) = weerbaar_fixtures::fixture("nvd/vunnel/nvd-api2-full-page.json") else {
        return;
    };
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    // Break the third CVE's publication date.
    let Some(third) = text.find("\"CVE-2023-45391\"") else {
        panic!("fixture changed");
    };
    let (head, tail) = text.split_at(third);
    let tail = tail.replacen("\"published\": \"2023-", "\"published\": \"23-", 1);
    let e = match nvd::parse("page.json", format!("{head}{tail}").as_bytes()) {
        Ok(_) => panic!("accepted a bad date"),
        Err(e) => e,
    };
    assert_eq!(
        e.to_string(),
        "page.json: record CVE-2023-45391 at $.vulnerabilities[2].cve.published: \
         \"23-10-13T14:15:10.587\" is not an RFC 3339 date-time \
         (YYYY-MM-DDTHH:MM:SS[.fff][Z|±HH:MM]) (line 268)"
    );
}

const SAMPLE: &str = r#"{"resultsPerPage":1,"startIndex":0,"totalResults":1,"format":"NVD_CVE","version":"2.0","timestamp":"2024-01-01T00:00:00.000","vulnerabilities":[{"cve":{"id":"CVE-2024-0001","published":"2024-01-02T03:04:05.678","lastModified":"2024-01-03T03:04:05.678","vulnStatus":"Analyzed","descriptions":[{"lang":"en","value":"x"}],"metrics":{"cvssMetricV31":[{"source":"nvd@nist.gov","type":"Primary","cvssData":{"version":"3.1","vectorString":"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H","baseScore":9.8}}]},"weaknesses":[{"source":"a","type":"Primary","description":[{"lang":"en","value":"CWE-79"}]}],"configurations":[{"operator":"AND","nodes":[{"operator":"OR","negate":false,"cpeMatch":[{"vulnerable":true,"criteria":"cpe:2.3:a:x:y:*:*:*:*:*:*:*:*","matchCriteriaId":"4357891D-A07C-4E1B-B540-92D6C477E7BB","versionEndExcluding":"1.4"}]}]}],"references":[{"url":"https://example.org"}],"cisaExploitAdd":"2024-02-01"}}]}"#;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let _ = nvd::parse("fuzz.json", &bytes);
    }

    #[test]
    fn mutated_documents_never_panic(at in 0usize..SAMPLE.len(), len in 0usize..8, with in "[ -~]{0,8}") {
        let mut bytes = SAMPLE.as_bytes().to_vec();
        let end = (at + len).min(bytes.len());
        bytes.splice(at..end, with.bytes());
        if let Ok(doc) = nvd::parse("fuzz.json", &bytes) {
            let name = cpe("cpe:2.3:a:x:y:1.0:*:*:*:*:*:*:*");
            for c in &doc.cves {
                let _ = c.matches(std::slice::from_ref(&name));
            }
        }
    }

    #[test]
    fn arbitrary_cpe_strings_never_panic(s in "cpe:2\\.3:[aoh*-]:([ -~]{0,6}:){0,11}[ -~]{0,6}") {
        if let Ok(c) = Cpe::parse(&s) {
            prop_assert_eq!(c.to_string(), s.clone());
            let back = Cpe::parse(&c.to_string());
            prop_assert_eq!(back.as_ref(), Ok(&c));
            for a in Attribute::ALL {
                let _ = c.get(a).unquoted();
            }
            let m = CpeMatch {
                vulnerable: true,
                criteria: c.clone(),
                match_criteria_id: String::new(),
                start: Some(nvd::VersionBound { version: "1.0".into(), inclusive: true }),
                end: None,
            };
            let _ = m.matches(&c);
        }
        let _ = Cpe::parse(&s.replace(':', "\\"));
    }

    #[test]
    fn component_soup_parses_consistently(
        part in "[aoh]",
        attrs in proptest::collection::vec("[a-c0-9_.*?:\\\\-]{0,4}", 10),
        version in "[0-9.]{1,6}",
    ) {
        let s = format!("cpe:2.3:{part}:{}", attrs.join(":"));
        if let Ok(c) = Cpe::parse(&s) {
            prop_assert_eq!(c.to_string(), s.clone());
            let candidate = with_version(&c, &version);
            if let Ok(name) = Cpe::parse(&candidate) {
                let m = CpeMatch {
                    vulnerable: true,
                    criteria: c.clone(),
                    match_criteria_id: String::new(),
                    start: None,
                    end: Some(nvd::VersionBound { version: "9".into(), inclusive: false }),
                };
                let _ = m.matches(&name);
                let _ = m.matches(&c);
            }
        }
    }

    #[test]
    fn quoted_values_round_trip(vendor in "[!-~]{1,12}", version in "[!-~]{1,12}") {
        let s = format!("cpe:2.3:a:{}:p:{}:*:*:*:*:*:*:*", nvd::quote(&vendor), nvd::quote(&version));
        let c = Cpe::parse(&s);
        prop_assert!(c.is_ok(), "{}: {:?}", s, c);
        if let Ok(c) = c {
            prop_assert_eq!(c.vendor().unquoted().map(|v| v.into_owned()), Some(vendor));
            prop_assert_eq!(c.version().unquoted().map(|v| v.into_owned()), Some(version));
            prop_assert!(!c.vendor().has_wildcard());
            // A literal value matches itself, whatever its characters.
            let m = CpeMatch {
                vulnerable: true,
                criteria: c.clone(),
                match_criteria_id: String::new(),
                start: None,
                end: None,
            };
            prop_assert!(m.matches(&c));
        }
    }
}
