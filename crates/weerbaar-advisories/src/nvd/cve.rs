//! The CVE record of the NVD CVE API 2.0 (`vulnerabilities[].cve`), validated as it is read.

use std::fmt;
use std::ops::Range;

use serde::{Deserialize, Deserializer, Serialize, Serializer, de};

use super::cpe::Cpe;

/// One CVE as NVD publishes it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(from = "RawCve")]
pub struct Cve {
    /// `CVE-YYYY-NNNN…` (at least four digits after the year).
    pub id: String,
    /// Who supplied the record (a CNA's e-mail address or UUID).
    pub source_identifier: Option<String>,
    /// When NVD published it: RFC 3339 date-time, usually without a zone (NVD means UTC).
    pub published: String,
    /// When NVD last changed it, same format.
    pub last_modified: String,
    /// NVD's analysis status; absent in some third-party exports.
    pub vuln_status: Option<VulnStatus>,
    /// The descriptions, one per language (at least one); see [`Cve::description`].
    pub descriptions: Vec<LangString>,
    /// CVSS metrics: v4.0 first, then v3.1, v3.0 and v2, each list in file order.
    pub metrics: Vec<CvssMetric>,
    /// CWE classifications, per source.
    pub weaknesses: Vec<Weakness>,
    /// Applicability statements: which CPE names are affected.
    pub configurations: Vec<Configuration>,
    /// Reference links.
    pub references: Vec<Reference>,
    /// Date CISA added the CVE to its KEV catalog (`YYYY-MM-DD`).
    pub cisa_exploit_add: Option<String>,
    /// KEV remediation due date (`YYYY-MM-DD`).
    pub cisa_action_due: Option<String>,
    /// KEV required action.
    pub cisa_required_action: Option<String>,
    /// KEV vulnerability name.
    pub cisa_vulnerability_name: Option<String>,
}

impl Cve {
    /// Whether NVD marks the CVE as rejected (withdrawn). Rejected records are kept so that a
    /// store can retire them; matchers should skip them.
    #[must_use]
    pub fn is_rejected(&self) -> bool {
        self.vuln_status == Some(VulnStatus::Rejected)
    }

    /// The English description, or the first one when there is none in English.
    #[must_use]
    pub fn description(&self) -> &str {
        self.descriptions
            .iter()
            .find(|d| d.lang == "en")
            .or_else(|| self.descriptions.first())
            .map_or("", |d| d.value.as_str())
    }

    /// The distinct CWE numbers over all weaknesses, ascending (NVD's placeholders dropped).
    #[must_use]
    pub fn cwe_ids(&self) -> Vec<u32> {
        let mut ids: Vec<u32> = self
            .weaknesses
            .iter()
            .flat_map(|w| &w.cwes)
            .filter_map(|c| match c {
                Cwe::Id(n) => Some(*n),
                Cwe::NoInfo | Cwe::Other => None,
            })
            .collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    }
}

/// NVD's analysis status (<https://nvd.nist.gov/vuln/vulnerability-status>).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum VulnStatus {
    Received,
    #[serde(rename = "Awaiting Analysis")]
    AwaitingAnalysis,
    #[serde(rename = "Undergoing Analysis")]
    UndergoingAnalysis,
    Analyzed,
    Modified,
    Deferred,
    Rejected,
}

/// A text in one language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LangString {
    /// A language code (`en`, `es`).
    pub lang: String,
    pub value: String,
}

/// A reference link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reference {
    #[serde(deserialize_with = "non_empty")]
    pub url: String,
    #[serde(default)]
    pub source: Option<String>,
    /// NVD's tags (`Patch`, `Vendor Advisory`, `Exploit`, …), as given.
    #[serde(default)]
    pub tags: Vec<String>,
}

/// Whether a metric or weakness comes from NVD itself (`Primary`) or another source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum SourceType {
    Primary,
    Secondary,
}

/// The CVSS version of a metric.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum CvssVersion {
    #[serde(rename = "2.0")]
    V2,
    #[serde(rename = "3.0")]
    V3_0,
    #[serde(rename = "3.1")]
    V3_1,
    #[serde(rename = "4.0")]
    V4_0,
}

impl CvssVersion {
    /// The version as written in `cvssData.version`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            CvssVersion::V2 => "2.0",
            CvssVersion::V3_0 => "3.0",
            CvssVersion::V3_1 => "3.1",
            CvssVersion::V4_0 => "4.0",
        }
    }

    /// The prefix a vector of this version starts with.
    const fn vector_prefix(self) -> &'static str {
        match self {
            CvssVersion::V2 => "AV:",
            CvssVersion::V3_0 => "CVSS:3.0/",
            CvssVersion::V3_1 => "CVSS:3.1/",
            CvssVersion::V4_0 => "CVSS:4.0/",
        }
    }
}

/// One CVSS metric (`metrics.cvssMetricV31[i]` and its siblings).
///
/// Only the vector's version prefix is checked here; the `cvss` module parses vectors and
/// computes scores. `base_score` is kept as the source wrote it, for comparison only.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CvssMetric {
    pub version: CvssVersion,
    /// Who scored it (`nvd@nist.gov`, a CNA).
    pub source: String,
    pub kind: SourceType,
    /// `cvssData.vectorString`.
    pub vector: String,
    /// `cvssData.baseScore` as given (0.0 to 10.0).
    pub base_score: f64,
}

/// A CWE classification.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Cwe {
    /// `CWE-79`.
    Id(u32),
    /// `NVD-CWE-noinfo`: not enough information to classify.
    NoInfo,
    /// `NVD-CWE-Other`: no CWE fits.
    Other,
}

impl fmt::Display for Cwe {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Cwe::Id(n) => write!(f, "CWE-{n}"),
            Cwe::NoInfo => f.write_str("NVD-CWE-noinfo"),
            Cwe::Other => f.write_str("NVD-CWE-Other"),
        }
    }
}

impl Serialize for Cwe {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Cwe {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        match s.as_str() {
            "NVD-CWE-noinfo" => Ok(Cwe::NoInfo),
            "NVD-CWE-Other" => Ok(Cwe::Other),
            _ => s
                .strip_prefix("CWE-")
                .filter(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
                .and_then(|n| n.parse().ok())
                .map(Cwe::Id)
                .ok_or_else(|| {
                    de::Error::custom(format!(
                        "{s:?} is not CWE-<number>, NVD-CWE-noinfo or NVD-CWE-Other"
                    ))
                }),
        }
    }
}

/// The CWEs one source assigned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "RawWeakness")]
pub struct Weakness {
    pub source: String,
    pub kind: SourceType,
    pub cwes: Vec<Cwe>,
}

/// How a configuration combines its nodes, or a node its matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum Operator {
    #[serde(rename = "AND")]
    And,
    /// Also what a configuration without `operator` means (NVD omits it for one node).
    #[default]
    #[serde(rename = "OR")]
    Or,
}

/// An applicability statement: nodes combined by `operator`, see [`Configuration::matches`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Configuration {
    #[serde(default)]
    pub operator: Operator,
    #[serde(default)]
    pub negate: bool,
    pub nodes: Vec<Node>,
}

/// A node: CPE match criteria combined by `operator`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Node {
    pub operator: Operator,
    #[serde(default)]
    pub negate: bool,
    pub cpe_match: Vec<CpeMatch>,
}

/// One bound of a version range.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct VersionBound {
    /// The version as given (compared with the generic scheme, see [`CpeMatch::matches`]).
    pub version: String,
    /// `versionStartIncluding`/`versionEndIncluding` rather than `…Excluding`.
    pub inclusive: bool,
}

/// A CPE match criterion: a CPE name pattern and an optional version range.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "RawCpeMatch")]
pub struct CpeMatch {
    /// `true` for the vulnerable product; `false` for a platform it must run on or with.
    pub vulnerable: bool,
    pub criteria: Cpe,
    /// NVD's UUID for the criterion (shared between CVEs).
    pub match_criteria_id: String,
    /// `versionStartIncluding` or `versionStartExcluding`.
    pub start: Option<VersionBound>,
    /// `versionEndIncluding` or `versionEndExcluding`.
    pub end: Option<VersionBound>,
}

// ---------------------------------------------------------------------------------------------
// Wire shapes and validation. Checks run inside deserialisation, so serde_path_to_error puts the
// JSON path of the offending value in the error.

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawCve {
    #[serde(deserialize_with = "cve_id")]
    id: String,
    #[serde(default)]
    source_identifier: Option<String>,
    #[serde(deserialize_with = "date_time")]
    published: String,
    #[serde(deserialize_with = "date_time")]
    last_modified: String,
    #[serde(default)]
    vuln_status: Option<VulnStatus>,
    #[serde(deserialize_with = "descriptions")]
    descriptions: Vec<LangString>,
    #[serde(default)]
    metrics: RawMetrics,
    #[serde(default)]
    weaknesses: Vec<Weakness>,
    #[serde(default)]
    configurations: Vec<Configuration>,
    references: Vec<Reference>,
    #[serde(default, deserialize_with = "opt_date")]
    cisa_exploit_add: Option<String>,
    #[serde(default, deserialize_with = "opt_date")]
    cisa_action_due: Option<String>,
    #[serde(default)]
    cisa_required_action: Option<String>,
    #[serde(default)]
    cisa_vulnerability_name: Option<String>,
}

impl From<RawCve> for Cve {
    fn from(r: RawCve) -> Self {
        let m = r.metrics;
        let mut metrics = Vec::with_capacity(m.v40.len() + m.v31.len() + m.v30.len() + m.v2.len());
        metrics.extend(m.v40.into_iter().map(|x| x.0));
        metrics.extend(m.v31.into_iter().map(|x| x.0));
        metrics.extend(m.v30.into_iter().map(|x| x.0));
        metrics.extend(m.v2.into_iter().map(|x| x.0));
        Self {
            id: r.id,
            source_identifier: r.source_identifier,
            published: r.published,
            last_modified: r.last_modified,
            vuln_status: r.vuln_status,
            descriptions: r.descriptions,
            metrics,
            weaknesses: r.weaknesses,
            configurations: r.configurations,
            references: r.references,
            cisa_exploit_add: r.cisa_exploit_add,
            cisa_action_due: r.cisa_action_due,
            cisa_required_action: r.cisa_required_action,
            cisa_vulnerability_name: r.cisa_vulnerability_name,
        }
    }
}

/// `metrics`: the CVSS lists; other kinds (`ssvcV203`, …) are ignored.
#[derive(Default, Deserialize)]
struct RawMetrics {
    #[serde(rename = "cvssMetricV40", default)]
    v40: Vec<V40>,
    #[serde(rename = "cvssMetricV31", default)]
    v31: Vec<V31>,
    #[serde(rename = "cvssMetricV30", default)]
    v30: Vec<V30>,
    #[serde(rename = "cvssMetricV2", default)]
    v2: Vec<V2>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawMetric {
    source: String,
    #[serde(rename = "type")]
    kind: SourceType,
    cvss_data: RawCvssData,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawCvssData {
    version: String,
    vector_string: String,
    base_score: f64,
}

impl RawMetric {
    fn check(self, version: CvssVersion) -> Result<CvssMetric, String> {
        let data = self.cvss_data;
        if data.version != version.as_str() {
            return Err(format!(
                "cvssData.version is {:?} in a CVSS {} list",
                data.version,
                version.as_str()
            ));
        }
        if !data.vector_string.starts_with(version.vector_prefix()) {
            return Err(format!(
                "cvssData.vectorString {:?} does not start with {:?}",
                data.vector_string,
                version.vector_prefix()
            ));
        }
        if !(0.0..=10.0).contains(&data.base_score) {
            return Err(format!(
                "cvssData.baseScore {} is outside 0.0 to 10.0",
                data.base_score
            ));
        }
        Ok(CvssMetric {
            version,
            source: self.source,
            kind: self.kind,
            vector: data.vector_string,
            base_score: data.base_score,
        })
    }
}

/// One list element type per CVSS list, so that a version mismatch is reported at the element.
macro_rules! metric_list {
    ($name:ident, $version:expr) => {
        struct $name(CvssMetric);

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                RawMetric::deserialize(d)?
                    .check($version)
                    .map($name)
                    .map_err(de::Error::custom)
            }
        }
    };
}

metric_list!(V40, CvssVersion::V4_0);
metric_list!(V31, CvssVersion::V3_1);
metric_list!(V30, CvssVersion::V3_0);
metric_list!(V2, CvssVersion::V2);

#[derive(Deserialize)]
struct RawWeakness {
    source: String,
    #[serde(rename = "type")]
    kind: SourceType,
    description: Vec<RawCweText>,
}

#[derive(Deserialize)]
struct RawCweText {
    value: Cwe,
}

impl From<RawWeakness> for Weakness {
    fn from(r: RawWeakness) -> Self {
        Self {
            source: r.source,
            kind: r.kind,
            cwes: r.description.into_iter().map(|d| d.value).collect(),
        }
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawCpeMatch {
    vulnerable: bool,
    criteria: Cpe,
    #[serde(deserialize_with = "uuid")]
    match_criteria_id: String,
    #[serde(default, deserialize_with = "opt_bound")]
    version_start_including: Option<String>,
    #[serde(default, deserialize_with = "opt_bound")]
    version_start_excluding: Option<String>,
    #[serde(default, deserialize_with = "opt_bound")]
    version_end_including: Option<String>,
    #[serde(default, deserialize_with = "opt_bound")]
    version_end_excluding: Option<String>,
}

impl TryFrom<RawCpeMatch> for CpeMatch {
    type Error = String;

    fn try_from(r: RawCpeMatch) -> Result<Self, String> {
        let bound = |inc: Option<String>, exc: Option<String>, which: &str| match (inc, exc) {
            (Some(_), Some(_)) => Err(format!(
                "both version{which}Including and version{which}Excluding are given"
            )),
            (Some(v), None) => Ok(Some(VersionBound {
                version: v,
                inclusive: true,
            })),
            (None, Some(v)) => Ok(Some(VersionBound {
                version: v,
                inclusive: false,
            })),
            (None, None) => Ok(None),
        };
        Ok(Self {
            start: bound(
                r.version_start_including,
                r.version_start_excluding,
                "Start",
            )?,
            end: bound(r.version_end_including, r.version_end_excluding, "End")?,
            vulnerable: r.vulnerable,
            criteria: r.criteria,
            match_criteria_id: r.match_criteria_id,
        })
    }
}

fn non_empty<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    let s = String::deserialize(d)?;
    if s.trim().is_empty() {
        return Err(de::Error::custom("empty string"));
    }
    Ok(s)
}

fn opt_bound<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let s = Option::<String>::deserialize(d)?;
    if s.as_deref().is_some_and(|s| s.trim().is_empty()) {
        return Err(de::Error::custom("empty version bound"));
    }
    Ok(s)
}

fn descriptions<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<LangString>, D::Error> {
    let v = Vec::<LangString>::deserialize(d)?;
    if v.is_empty() {
        return Err(de::Error::custom(
            "no descriptions (at least one is required)",
        ));
    }
    Ok(v)
}

fn cve_id<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    let s = String::deserialize(d)?;
    if !is_cve_id(&s) {
        return Err(de::Error::custom(format!(
            "{s:?} is not a CVE id (CVE-YYYY-NNNN, four or more digits)"
        )));
    }
    Ok(s)
}

fn date_time<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    let s = String::deserialize(d)?;
    if !is_date_time(&s) {
        return Err(de::Error::custom(format!(
            "{s:?} is not an RFC 3339 date-time (YYYY-MM-DDTHH:MM:SS[.fff][Z|±HH:MM])"
        )));
    }
    Ok(s)
}

pub(super) fn page_timestamp<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    date_time(d)
}

fn opt_date<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let s = Option::<String>::deserialize(d)?;
    if let Some(s) = &s
        && !is_date(s)
    {
        return Err(de::Error::custom(format!(
            "{s:?} is not a date (YYYY-MM-DD)"
        )));
    }
    Ok(s)
}

fn uuid<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    let s = String::deserialize(d)?;
    if !is_uuid(&s) {
        return Err(de::Error::custom(format!("{s:?} is not a UUID")));
    }
    Ok(s)
}

/// `^CVE-[0-9]{4}-[0-9]{4,}$`, the pattern of NVD's schema.
pub(crate) fn is_cve_id(s: &str) -> bool {
    let Some(rest) = s.strip_prefix("CVE-") else {
        return false;
    };
    let Some((year, seq)) = rest.split_once('-') else {
        return false;
    };
    let digits = |x: &str| x.bytes().all(|b| b.is_ascii_digit());
    year.len() == 4 && digits(year) && seq.len() >= 4 && digits(seq)
}

fn is_uuid(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
}

/// The number in `b[range]` if it is all ASCII digits.
fn num(b: &[u8], range: Range<usize>) -> Option<u32> {
    let d = b.get(range)?;
    d.iter().try_fold(0u32, |n, c| {
        c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
    })
}

/// Whether `b` starts with a valid `YYYY-MM-DD`.
fn date_prefix(b: &[u8]) -> bool {
    let (Some(y), Some(m), Some(d)) = (num(b, 0..4), num(b, 5..7), num(b, 8..10)) else {
        return false;
    };
    let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    b.get(4) == Some(&b'-') && b.get(7) == Some(&b'-') && (1..=days).contains(&d)
}

/// `YYYY-MM-DD` (RFC 3339 full-date).
pub(crate) fn is_date(s: &str) -> bool {
    s.len() == 10 && date_prefix(s.as_bytes())
}

/// RFC 3339 date-time; the zone may be omitted, as NVD omits it (its times are UTC).
pub(crate) fn is_date_time(s: &str) -> bool {
    let b = s.as_bytes();
    let time_ok = |at: usize| {
        matches!(num(b, at..at + 2), Some(0..=23))
            && b.get(at + 2) == Some(&b':')
            && matches!(num(b, at + 3..at + 5), Some(0..=59))
    };
    if !(date_prefix(b)
        && b.get(10) == Some(&b'T')
        && time_ok(11)
        && b.get(16) == Some(&b':')
        && matches!(num(b, 17..19), Some(0..=60)))
    {
        return false;
    }
    let mut at = 19;
    if b.get(at) == Some(&b'.') {
        let n = b
            .get(at + 1..)
            .unwrap_or_default()
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count();
        if n == 0 {
            return false;
        }
        at += 1 + n;
    }
    match b.get(at) {
        None => true,
        Some(b'Z') => b.len() == at + 1,
        Some(b'+' | b'-') => b.len() == at + 6 && time_ok(at + 1),
        Some(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cve_ids() {
        for ok in ["CVE-2014-1424", "CVE-2018-1000500", "CVE-1999-0001"] {
            assert!(is_cve_id(ok), "{ok}");
        }
        for bad in [
            "CVE-2014-142",
            "cve-2014-1424",
            "CVE-14-1424",
            "CVE-2014-1424a",
            "GHSA-xxxx",
            "CVE-2014-",
            "CVE-20144-1424",
        ] {
            assert!(!is_cve_id(bad), "{bad}");
        }
    }

    #[test]
    fn dates_and_times() {
        for ok in [
            "2014-11-24T15:59:00.090",
            "2023-11-26T23:42:27.193Z",
            "2024-04-02T04:00:23.138684Z",
            "2024-02-29T00:00:00",
            "2024-02-29T00:00:00+01:00",
            "2016-12-31T23:59:60Z",
        ] {
            assert!(is_date_time(ok), "{ok}");
        }
        for bad in [
            "2014-11-24",
            "2014-11-24 15:59:00",
            "2023-02-29T00:00:00",
            "2023-13-01T00:00:00",
            "2023-01-01T24:00:00",
            "2023-01-01T00:00:00.",
            "2023-01-01T00:00:00Zx",
            "2023-01-01T00:00:00+0100",
            "2023-01-01T00:00",
            "２０２３-01-01T00:00:00",
        ] {
            assert!(!is_date_time(bad), "{bad}");
        }
        assert!(is_date("2023-09-13"));
        assert!(!is_date("2023-9-13") && !is_date("2023-09-31") && !is_date("2023-09-13T00"));
    }

    #[test]
    fn uuids() {
        assert!(is_uuid("4357891D-A07C-4E1B-B540-92D6C477E7BB"));
        assert!(!is_uuid("4357891D-A07C-4E1B-B540-92D6C477E7B"));
        assert!(!is_uuid("4357891DXA07C-4E1B-B540-92D6C477E7BB"));
    }

    #[test]
    fn cwe_values() {
        let p = |s: &str| serde_json::from_str::<Cwe>(&format!("{s:?}")).ok();
        assert_eq!(p("CWE-79"), Some(Cwe::Id(79)));
        assert_eq!(p("NVD-CWE-noinfo"), Some(Cwe::NoInfo));
        assert_eq!(p("NVD-CWE-Other"), Some(Cwe::Other));
        assert_eq!(p("CWE-"), None);
        assert_eq!(p("CWE-+1"), None);
        assert_eq!(p("CWE-99999999999"), None);
        assert_eq!(Cwe::Id(352).to_string(), "CWE-352");
    }
}
