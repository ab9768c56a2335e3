//! NVD CVE JSON 2.0: CVE API responses and single records, with CPE 2.3 applicability
//! statements and the primitives to match CPE names against them.
//!
//! # Sources
//!
//! * NVD CVE API 2.0, <https://nvd.nist.gov/developers/vulnerabilities>, and its JSON schema
//!   `https://csrc.nist.gov/schema/nvd/api/2.0/cve_api_json_2.0.schema`;
//! * CPE 2.3 naming, NISTIR 7695 (formatted string binding, §6.2), see [`cpe`];
//! * CPE 2.3 name matching, NISTIR 7696 (§6), see [`CpeMatch::matches`].
//!
//! # Accepted documents
//!
//! [`parse`] tells the shapes apart by their members (the three sets of member names are
//! disjoint, so the first member decides; anything unusual falls back to a scan):
//!
//! * an API response page — `{"resultsPerPage", "startIndex", "totalResults", "format":
//!   "NVD_CVE", "version": "2.0", "timestamp", "vulnerabilities": [{"cve": {…}}]}` — as the API
//!   returns it and as NVD's 2.0 data feeds and vunnel store it;
//! * one item, `{"cve": {…}}`;
//! * a bare CVE object (`{"id": "CVE-…", …}`), as vuln-list and fkie-cad's feeds store them.
//!
//! A JSON array, an NVD JSON 1.1 feed (`CVE_Items`) or any other object is
//! [`FeedErrorKind::UnknownFormat`], as is a page whose `format` or `version` is not
//! `NVD_CVE`/`2.0`.
//!
//! # Validation
//!
//! Checked while deserialising, so an error names the record and the JSON path of the value:
//!
//! * required: `id`, `published`, `lastModified`, `descriptions` (non-empty), `references`,
//!   and the page members; in metrics `source`, `type`, `cvssData.version`,
//!   `cvssData.vectorString` and `cvssData.baseScore`; in criteria `vulnerable`, `criteria` and
//!   `matchCriteriaId`; in nodes `operator` and `cpeMatch`;
//! * `id` matches `^CVE-[0-9]{4}-[0-9]{4,}$`; `published`, `lastModified` and the page
//!   `timestamp` are RFC 3339 date-times (NVD leaves out the zone; UTC is meant);
//!   `cisaExploitAdd` and `cisaActionDue` are dates; `matchCriteriaId` is a UUID;
//! * enums: `vulnStatus` (NVD's seven statuses), `type` (`Primary`/`Secondary`), `operator`
//!   (`AND`/`OR`); CWE values are `CWE-<n>`, `NVD-CWE-noinfo` or `NVD-CWE-Other`;
//! * a CVSS metric's `cvssData.version` matches its list (`cvssMetricV31` holds 3.1) and its
//!   vector starts with that version's prefix; `baseScore` is within 0 to 10;
//! * `criteria` is a valid CPE 2.3 formatted string ([`Cpe`]); a criterion has at most one
//!   start and one end bound, neither empty.
//!
//! # Decisions
//!
//! * Unknown members are ignored, not rejected: NVD adds members without a version change
//!   (`cveTags`, `cvssMetricV40`, CVE 5 `affected` blocks, the SSVC metric `ssvcV203`).
//! * Rejected CVEs are kept, flagged by [`Cve::is_rejected`]; [`Cve::matches`] skips them.
//! * The schema types `vulnStatus` as a free string; it is checked against the seven statuses
//!   NVD documents (<https://nvd.nist.gov/vuln/vulnerability-status>), so a status NVD adds
//!   later fails the document with a message listing the known ones rather than slipping
//!   through unreviewed. Likewise a weakness `type` must be `Primary`/`Secondary`.
//! * Throughput (release build, this 2-core machine): about 70 000 CVEs, 225 MB of
//!   pretty-printed JSON, per second; no `serde_json::Value` on the success path.
//! * `baseScore` is kept as given; the `cvss` module computes scores from the vector.
//! * `resultsPerPage` and `totalResults` are not checked against the number of items: pages
//!   stitched together by mirrors (vuln-list's `respPageFull.json`) do not keep them in step.
//! * Reference URLs are only required to be non-empty: a malformed link is not worth failing
//!   a page of two thousand CVEs.
//! * Version bounds are kept as strings and compared when matching; see
//!   [`CpeMatch::matches`] for the rules and limits of matching.

pub mod cpe;
mod cve;
mod matching;

use std::path::Path;

use serde::Deserialize;
use serde::de::IgnoredAny;

pub use cpe::{AttrValue, Attribute, Cpe, CpeError, Part, quote};
pub use cve::{
    Configuration, CpeMatch, Cve, CvssMetric, CvssVersion, Cwe, LangString, Node, Operator,
    Reference, SourceType, VersionBound, VulnStatus, Weakness,
};

use crate::{FeedError, FeedErrorKind, Record};

/// The shape a document had.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub enum Shape {
    /// A CVE API 2.0 response page.
    ApiResponse,
    /// One `{"cve": {…}}` item.
    Item,
    /// A bare CVE object.
    Record,
}

/// The paging members of an API response.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PageHeader {
    pub results_per_page: u64,
    pub start_index: u64,
    pub total_results: u64,
    /// When NVD produced the page (RFC 3339, usually without zone).
    pub timestamp: String,
}

/// A parsed NVD document.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct NvdDocument {
    pub shape: Shape,
    /// The paging members, for [`Shape::ApiResponse`].
    pub page: Option<PageHeader>,
    /// The CVEs in file order (one for [`Shape::Item`] and [`Shape::Record`]).
    pub cves: Vec<Cve>,
}

/// Parses an NVD CVE JSON 2.0 document (`file` names it in errors).
///
/// # Errors
/// A [`FeedError`]: `Syntax` (with the line) for malformed JSON, `UnknownFormat` for another
/// kind of document, `Invalid` for a record that breaks the rules in the module
/// documentation, naming the CVE and the JSON path. Never panics.
pub fn parse(file: &str, bytes: &[u8]) -> Result<NvdDocument, FeedError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let shape = detect(file, bytes)?;
    Ok(match shape {
        Shape::ApiResponse => {
            let page: RawPage = json(file, bytes, shape)?;
            NvdDocument {
                shape,
                page: Some(PageHeader {
                    results_per_page: page.results_per_page,
                    start_index: page.start_index,
                    total_results: page.total_results,
                    timestamp: page.timestamp,
                }),
                cves: page.vulnerabilities.into_iter().map(|i| i.cve).collect(),
            }
        }
        Shape::Item => NvdDocument {
            shape,
            page: None,
            cves: vec![json::<Item>(file, bytes, shape)?.cve],
        },
        Shape::Record => NvdDocument {
            shape,
            page: None,
            cves: vec![json::<Cve>(file, bytes, shape)?],
        },
    })
}

/// Reads and parses the file at `path`.
///
/// # Errors
/// As [`parse`], plus [`FeedErrorKind::Io`] when the file cannot be read.
pub fn read(path: &Path) -> Result<NvdDocument, FeedError> {
    let file = path.display().to_string();
    let bytes =
        std::fs::read(path).map_err(|e| FeedError::new(&file, FeedErrorKind::Io, e.to_string()))?;
    parse(&file, &bytes)
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawPage {
    results_per_page: u64,
    start_index: u64,
    total_results: u64,
    #[serde(deserialize_with = "nvd_cve_format")]
    #[allow(dead_code)]
    format: (),
    #[serde(deserialize_with = "api_version")]
    #[allow(dead_code)]
    version: (),
    #[serde(deserialize_with = "cve::page_timestamp")]
    timestamp: String,
    vulnerabilities: Vec<Item>,
}

#[derive(Deserialize)]
struct Item {
    cve: Cve,
}

fn nvd_cve_format<'de, D: serde::Deserializer<'de>>(d: D) -> Result<(), D::Error> {
    let s = String::deserialize(d)?;
    if s != "NVD_CVE" {
        return Err(serde::de::Error::custom(format!(
            "format is {s:?}, expected \"NVD_CVE\" (a CVE API response)"
        )));
    }
    Ok(())
}

fn api_version<'de, D: serde::Deserializer<'de>>(d: D) -> Result<(), D::Error> {
    let s = String::deserialize(d)?;
    if s != "2.0" {
        return Err(serde::de::Error::custom(format!(
            "version is {s:?}; only the 2.0 API is supported"
        )));
    }
    Ok(())
}

const EXPECTED: &str = "expected an NVD CVE API 2.0 response, a {\"cve\": …} item or a CVE object";

/// Which shape the document has, from its first member name (or a scan when that is unusual).
fn detect(file: &str, bytes: &[u8]) -> Result<Shape, FeedError> {
    let at = |i: usize| bytes.get(i).copied();
    let skip_ws = |mut i: usize| {
        while at(i).is_some_and(|b| b.is_ascii_whitespace()) {
            i += 1;
        }
        i
    };
    let unknown = |why: &str| {
        FeedError::new(
            file,
            FeedErrorKind::UnknownFormat,
            format!("{why}; {EXPECTED}"),
        )
    };
    let mut i = skip_ws(0);
    match at(i) {
        Some(b'{') => {}
        Some(b'[') => return Err(unknown("a JSON array")),
        _ => {
            // Not an object: report broken JSON as such, anything else as the wrong format.
            json::<IgnoredAny>(file, bytes, Shape::Record)?;
            return Err(unknown("not a JSON object"));
        }
    }
    i = skip_ws(i + 1);
    if at(i) == Some(b'"') {
        let rest = bytes.get(i + 1..).unwrap_or_default();
        // A key with escapes is not one of ours written plainly: leave it to the scan.
        if let Some(end) = rest.iter().position(|&b| b == b'"' || b == b'\\')
            && rest.get(end) == Some(&b'"')
            && let Some(shape) = shape_of_key(rest.get(..end).unwrap_or_default())
        {
            return shape.map_err(&unknown);
        }
    }
    let probe: Probe = json(file, bytes, Shape::Record)?;
    if probe.vulnerabilities.is_some() {
        Ok(Shape::ApiResponse)
    } else if probe.cve.is_some() {
        Ok(Shape::Item)
    } else if probe.id.is_some() {
        Ok(Shape::Record)
    } else if probe.cve_items.is_some() {
        Err(unknown(NVD_1_1))
    } else {
        Err(unknown("no \"vulnerabilities\", \"cve\" or \"id\" member"))
    }
}

const NVD_1_1: &str = "an NVD JSON 1.1 feed (CVE_Items), retired by NVD in 2023";

/// The shape a document starting with member `key` has, if the key is one we know.
fn shape_of_key(key: &[u8]) -> Option<Result<Shape, &'static str>> {
    const PAGE: &[&[u8]] = &[
        b"resultsPerPage",
        b"startIndex",
        b"totalResults",
        b"format",
        b"version",
        b"timestamp",
        b"vulnerabilities",
    ];
    const CVE: &[&[u8]] = &[
        b"id",
        b"sourceIdentifier",
        b"published",
        b"lastModified",
        b"vulnStatus",
        b"cveTags",
        b"descriptions",
        b"metrics",
        b"weaknesses",
        b"configurations",
        b"references",
        b"vendorComments",
        b"evaluatorComment",
        b"evaluatorSolution",
        b"evaluatorImpact",
        b"cisaExploitAdd",
        b"cisaActionDue",
        b"cisaRequiredAction",
        b"cisaVulnerabilityName",
    ];
    if PAGE.contains(&key) {
        Some(Ok(Shape::ApiResponse))
    } else if key == b"cve" {
        Some(Ok(Shape::Item))
    } else if CVE.contains(&key) {
        Some(Ok(Shape::Record))
    } else if key.starts_with(b"CVE_") {
        Some(Err(NVD_1_1))
    } else {
        None
    }
}

#[derive(Deserialize)]
struct Probe {
    vulnerabilities: Option<IgnoredAny>,
    cve: Option<IgnoredAny>,
    id: Option<IgnoredAny>,
    #[serde(rename = "CVE_Items")]
    cve_items: Option<IgnoredAny>,
}

/// Deserialises `bytes` as `T`, mapping errors to the line (syntax) or the record and JSON
/// path (schema).
fn json<'de, T: Deserialize<'de>>(
    file: &str,
    bytes: &'de [u8],
    shape: Shape,
) -> Result<T, FeedError> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value: T = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        json_error(file, bytes, shape, &path, e.inner())
    })?;
    de.end()
        .map_err(|e| json_error(file, bytes, shape, ".", &e))?;
    Ok(value)
}

fn json_error(
    file: &str,
    bytes: &[u8],
    shape: Shape,
    path: &str,
    e: &serde_json::Error,
) -> FeedError {
    use serde_json::error::Category;
    let message = strip_position(&e.to_string());
    match e.classify() {
        Category::Syntax | Category::Eof | Category::Io => FeedError::new(
            file,
            FeedErrorKind::Syntax,
            format!("{message} (column {})", e.column()),
        )
        .at(Record::Line(e.line())),
        Category::Data => {
            let kind = if shape == Shape::ApiResponse && matches!(path, "format" | "version") {
                FeedErrorKind::UnknownFormat
            } else {
                FeedErrorKind::Invalid
            };
            let json_path = match path {
                "" | "." => "$".to_owned(),
                p if p.starts_with('[') => format!("${p}"),
                p => format!("$.{p}"),
            };
            let record = match record_id(bytes, shape, path) {
                Some(id) => Record::Id {
                    id,
                    path: Some(json_path),
                },
                None => Record::JsonPath(json_path),
            };
            FeedError::new(file, kind, format!("{message} (line {})", e.line())).at(record)
        }
    }
}

/// The `id` of the CVE that `path` points into, for naming it in an error. Only runs on the
/// error path, so reading the whole document again as a `Value` is affordable.
fn record_id(bytes: &[u8], shape: Shape, path: &str) -> Option<String> {
    let doc: serde_json::Value = serde_json::from_slice(bytes).ok()?;
    let cve = match shape {
        Shape::ApiResponse => {
            let index: usize = path
                .strip_prefix("vulnerabilities[")?
                .split(']')
                .next()?
                .parse()
                .ok()?;
            doc.get("vulnerabilities")?.get(index)?.get("cve")?
        }
        Shape::Item => doc.get("cve")?,
        Shape::Record => &doc,
    };
    cve.get("id")?.as_str().map(str::to_owned)
}

/// serde_json appends " at line L column C"; the position is reported separately.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message.get(..i).unwrap_or(message).to_owned(),
        None => message.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const RECORD: &str = r#"{
        "id": "CVE-2024-0001",
        "sourceIdentifier": "cna@example.org",
        "published": "2024-01-02T03:04:05.678",
        "lastModified": "2024-01-03T03:04:05.678",
        "vulnStatus": "Analyzed",
        "descriptions": [{"lang": "es", "value": "uno"}, {"lang": "en", "value": "one"}],
        "metrics": {
            "cvssMetricV40": [{"source": "cna@example.org", "type": "Secondary",
                "cvssData": {"version": "4.0", "vectorString": "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", "baseScore": 9.3}}],
            "cvssMetricV31": [{"source": "nvd@nist.gov", "type": "Primary",
                "cvssData": {"version": "3.1", "vectorString": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "baseScore": 9.8}}],
            "ssvcV203": [{"source": "x", "ssvcData": {}}]
        },
        "weaknesses": [{"source": "nvd@nist.gov", "type": "Primary",
            "description": [{"lang": "en", "value": "CWE-787"}, {"lang": "en", "value": "NVD-CWE-noinfo"}]}],
        "configurations": [{"nodes": [{"operator": "OR", "negate": false, "cpeMatch": [
            {"vulnerable": true, "criteria": "cpe:2.3:a:x:y:*:*:*:*:*:*:*:*",
             "matchCriteriaId": "4357891D-A07C-4E1B-B540-92D6C477E7BB",
             "versionStartIncluding": "1.0", "versionEndExcluding": "1.4"}]}]}],
        "references": [{"url": "https://example.org/a", "source": "cna@example.org", "tags": ["Patch"]}],
        "cisaExploitAdd": "2024-02-01",
        "cisaActionDue": "2024-02-22",
        "cisaRequiredAction": "Apply updates.",
        "cisaVulnerabilityName": "X Y RCE"
    }"#;

    fn page(items: &[String]) -> String {
        format!(
            r#"{{"resultsPerPage": {n}, "startIndex": 0, "totalResults": {n}, "format": "NVD_CVE",
                "version": "2.0", "timestamp": "2024-05-01T00:00:00.000",
                "vulnerabilities": [{items}]}}"#,
            n = items.len(),
            items = items
                .iter()
                .map(|c| format!(r#"{{"cve": {c}}}"#))
                .collect::<Vec<_>>()
                .join(",")
        )
    }

    fn ok(s: &str) -> NvdDocument {
        match parse("t.json", s.as_bytes()) {
            Ok(d) => d,
            Err(e) => panic!("{e}"),
        }
    }

    fn bad(s: &str) -> FeedError {
        match parse("t.json", s.as_bytes()) {
            Ok(d) => panic!("parsed: {d:?}"),
            Err(e) => e,
        }
    }

    #[test]
    fn three_shapes() {
        let rec = ok(RECORD);
        assert_eq!(rec.shape, Shape::Record);
        assert_eq!(rec.page, None);
        let item = ok(&format!(r#"{{"cve": {RECORD}}}"#));
        assert_eq!(item.shape, Shape::Item);
        let p = ok(&page(&[RECORD.to_owned(), RECORD.replace("0001", "0002")]));
        assert_eq!(p.shape, Shape::ApiResponse);
        assert_eq!(p.page.as_ref().map(|h| h.total_results), Some(2));
        assert_eq!(p.cves.len(), 2);
        assert_eq!(p.cves.first(), rec.cves.first());
        assert_eq!(item.cves, rec.cves);
        // Member order does not matter, nor does a leading member we do not know.
        let reordered = RECORD
            .replacen("\"id\": \"CVE-2024-0001\",", "", 1)
            .replacen(
                "\"cisaExploitAdd\"",
                "\"id\": \"CVE-2024-0001\", \"cisaExploitAdd\"",
                1,
            );
        assert_eq!(ok(&reordered).cves, rec.cves);
        let odd_first = RECORD.replacen('{', r#"{"x-mirror": 1,"#, 1);
        assert_eq!(ok(&odd_first).cves, rec.cves);
    }

    #[test]
    fn fields() {
        let doc = ok(RECORD);
        let Some(c) = doc.cves.first() else {
            panic!("no cve");
        };
        assert_eq!(c.id, "CVE-2024-0001");
        assert_eq!(c.description(), "one");
        assert_eq!(c.vuln_status, Some(VulnStatus::Analyzed));
        assert!(!c.is_rejected());
        assert_eq!(c.metrics.len(), 2, "ssvc is ignored");
        assert_eq!(
            c.metrics.first().map(|m| m.version),
            Some(CvssVersion::V4_0)
        );
        assert_eq!(c.metrics.get(1).map(|m| m.base_score), Some(9.8));
        assert_eq!(c.metrics.get(1).map(|m| m.kind), Some(SourceType::Primary));
        assert_eq!(c.cwe_ids(), vec![787]);
        assert_eq!(
            c.weaknesses.first().map(|w| w.cwes.clone()),
            Some(vec![Cwe::Id(787), Cwe::NoInfo])
        );
        let m = c
            .configurations
            .first()
            .and_then(|cfg| cfg.nodes.first())
            .and_then(|n| n.cpe_match.first());
        let Some(m) = m else {
            panic!("no criterion");
        };
        assert_eq!(
            m.start,
            Some(VersionBound {
                version: "1.0".into(),
                inclusive: true
            })
        );
        assert_eq!(
            m.end,
            Some(VersionBound {
                version: "1.4".into(),
                inclusive: false
            })
        );
        assert_eq!(c.cisa_exploit_add.as_deref(), Some("2024-02-01"));
        assert_eq!(c.references.first().map(|r| r.tags.len()), Some(1));
        let y = |v: &str| Cpe::parse(&format!("cpe:2.3:a:x:y:{v}:*:*:*:*:*:*:*")).ok();
        let (Some(y13), Some(y14)) = (y("1.3"), y("1.4")) else {
            panic!("cpe");
        };
        assert!(c.matches(std::slice::from_ref(&y13)));
        assert!(!c.matches(&[y14]));
        // Rejected records are kept but match nothing.
        let rejected = ok(&RECORD.replace("\"Analyzed\"", "\"Rejected\""));
        let Some(r) = rejected.cves.first() else {
            panic!("no cve");
        };
        assert!(r.is_rejected());
        assert!(!r.matches(&[y13]));
    }

    #[test]
    fn errors_name_the_record_and_path() {
        // The first `Primary` is the CVSS 3.1 metric's.
        let second = RECORD
            .replace("0001", "0002")
            .replacen("\"Primary\"", "\"Tertiary\"", 1);
        let e = bad(&page(&[RECORD.to_owned(), second]));
        assert_eq!(e.kind, FeedErrorKind::Invalid);
        assert_eq!(
            e.record,
            Some(Record::Id {
                id: "CVE-2024-0002".into(),
                path: Some("$.vulnerabilities[1].cve.metrics.cvssMetricV31[0].type".into())
            }),
            "{e}"
        );
        assert!(e.to_string().contains("Tertiary"), "{e}");

        let cases = [
            (
                RECORD.replace("CVE-2024-0001", "CVE-2024-1"),
                "$.id",
                "not a CVE id",
            ),
            (
                RECORD.replace("2024-01-02T03:04:05.678", "2024-01-02"),
                "$.published",
                "date-time",
            ),
            (
                RECORD.replace("\"Analyzed\"", "\"Published\""),
                "$.vulnStatus",
                "unknown variant",
            ),
            (
                RECORD.replace("\"version\": \"3.1\"", "\"version\": \"3.0\""),
                "$.metrics.cvssMetricV31[0]",
                "cvssData.version",
            ),
            (
                RECORD.replace("\"baseScore\": 9.8", "\"baseScore\": 98"),
                "$.metrics.cvssMetricV31[0]",
                "baseScore",
            ),
            (
                RECORD.replace("CVSS:4.0/AV:N", "CVSS:3.1/AV:N"),
                "$.metrics.cvssMetricV40[0]",
                "vectorString",
            ),
            (
                RECORD.replace("CWE-787", "CWE787"),
                "$.weaknesses[0].description[0].value",
                "CWE-<number>",
            ),
            (
                RECORD.replace("cpe:2.3:a:x:y:*", "cpe:2.3:q:x:y:*"),
                "$.configurations[0].nodes[0].cpeMatch[0].criteria",
                "part must be",
            ),
            (
                RECORD.replace("\"versionStartIncluding\"", "\"versionEndIncluding\""),
                "$.configurations[0].nodes[0].cpeMatch[0]",
                "both versionEndIncluding and versionEndExcluding",
            ),
            (
                RECORD.replace("4357891D-A07C", "4357891D-A07"),
                "$.configurations[0].nodes[0].cpeMatch[0].matchCriteriaId",
                "UUID",
            ),
            (
                RECORD.replace("\"operator\": \"OR\"", "\"operator\": \"XOR\""),
                "$.configurations[0].nodes[0].operator",
                "unknown variant",
            ),
            (
                RECORD.replace("\"2024-02-01\"", "\"2024-02-30\""),
                "$.cisaExploitAdd",
                "not a date",
            ),
            (
                RECORD.replace(
                    r#"[{"lang": "es", "value": "uno"}, {"lang": "en", "value": "one"}]"#,
                    "[]",
                ),
                "$.descriptions",
                "no descriptions",
            ),
        ];
        for (doc, path, reason) in cases {
            let e = bad(&doc);
            assert_eq!(e.kind, FeedErrorKind::Invalid, "{e}");
            match &e.record {
                Some(Record::Id { id, path: Some(p) }) => {
                    assert!(id.starts_with("CVE-2024-"), "{e}");
                    assert_eq!(p, path, "{e}");
                }
                other => panic!("{other:?}: {e}"),
            }
            assert!(e.reason.contains(reason), "{e}");
        }

        let missing = bad(&RECORD.replace("\"references\"", "\"refs\""));
        assert!(
            missing.reason.contains("missing field `references`"),
            "{missing}"
        );
    }

    #[test]
    fn wrong_documents() {
        let e = bad("[1, 2]");
        assert_eq!(e.kind, FeedErrorKind::UnknownFormat);
        let e = bad(r#"{"CVE_data_type": "CVE", "CVE_Items": []}"#);
        assert_eq!(e.kind, FeedErrorKind::UnknownFormat);
        assert!(e.reason.contains("1.1"), "{e}");
        let e = bad(r#"{"x": 1, "CVE_Items": []}"#);
        assert!(e.reason.contains("1.1"), "{e}");
        let e = bad(r#"{"schema_version": "1.6.0", "id": "GHSA-x"}"#);
        assert_eq!(e.kind, FeedErrorKind::Invalid, "{e}");
        let e = bad("{}");
        assert_eq!(e.kind, FeedErrorKind::UnknownFormat);
        let e = bad("42");
        assert_eq!(e.kind, FeedErrorKind::UnknownFormat);
        let e = bad(&page(&[]).replace("NVD_CVE", "NVD_CPE"));
        assert_eq!(e.kind, FeedErrorKind::UnknownFormat, "{e}");
        let e = bad(&page(&[]).replace("\"2.0\"", "\"3.0\""));
        assert_eq!(e.kind, FeedErrorKind::UnknownFormat, "{e}");
    }

    #[test]
    fn syntax_errors_name_the_line() {
        let truncated = &RECORD[..RECORD.len() / 2];
        let e = bad(truncated);
        assert_eq!(e.kind, FeedErrorKind::Syntax);
        assert!(matches!(e.record, Some(Record::Line(n)) if n > 1), "{e}");
        let e = bad(&format!("{RECORD} trailing"));
        assert_eq!(e.kind, FeedErrorKind::Syntax, "{e}");
        let e = bad("\u{feff}");
        assert_eq!(e.kind, FeedErrorKind::Syntax, "{e}");
        let e = parse("t.json", b"{\"id\": \"\xff\"}").err();
        assert_eq!(e.map(|e| e.kind), Some(FeedErrorKind::Syntax));
        // A byte-order mark is skipped.
        assert!(parse("t.json", format!("\u{feff}{RECORD}").as_bytes()).is_ok());
    }
}
