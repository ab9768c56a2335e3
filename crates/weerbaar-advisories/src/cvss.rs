//! CVSS v3.0, v3.1 and v4.0 base scores, computed from the vector string.
//!
//! Specs: CVSS v3.0 and v3.1 (<https://www.first.org/cvss/v3-1/specification-document>,
//! section 7.1 base equations, appendix A rounding) and CVSS v4.0
//! (<https://www.first.org/cvss/v4-0/specification-document>, scored with the MacroVector lookup
//! table and interpolation of FIRST's reference calculator, `cvss_lookup.js`).
//!
//! Scores are always computed, never copied from a feed's `baseScore` text: feeds disagree with
//! their own vectors often enough (and GHSA's severity label is set by hand) that the vector is
//! the only source worth trusting.
//!
//! Decisions:
//!
//! * The arithmetic is the `cvss` crate's (rustsec). Its v3 base score was checked here against
//!   an independent implementation of the spec's equations on all 5,184 v3.0/v3.1 base vectors
//!   (see the tests), and its v4 scoring implements FIRST's MacroVector table and is tested
//!   upstream on Red Hat's full set of 104,976 v4 base vectors; the integration tests check both
//!   against the scores NVD, GHSA and Trivy publish.
//! * This module validates the vector itself before the crate sees it, because the crate is
//!   lenient where the spec is not: it upper-cases names and values (the spec says they are
//!   case-sensitive) and scores a v3 vector with base metrics missing as if they were zero. Here
//!   every base metric must be present, exactly once, with a value the spec defines; errors name
//!   the metric. Temporal, threat, environmental and supplemental metrics are validated the
//!   same way and then ignored: this is the *base* score (for v4, CVSS-B).
//! * Metrics may come in any order; [`Score::vector`] lists them in the spec's order, without
//!   `X` (Not Defined) values, so equal vectors compare equal as strings.
//! * CVSS v2 vectors (no `CVSS:` prefix) are refused with [`CvssError::NoPrefix`], not scored:
//!   v2 scores are on a different scale and are not comparable with v3/v4 ones. Some old NVD
//!   records carry only a v2 metric (CVE-2014-1424 in the fixtures); what to show for those is the
//!   caller's decision, not a silent conversion here.

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::fmt;
use std::str::FromStr;

use serde::Serialize;

use crate::kev::clip;

/// A CVSS version this module scores.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum CvssVersion {
    #[serde(rename = "3.0")]
    V3_0,
    #[serde(rename = "3.1")]
    V3_1,
    #[serde(rename = "4.0")]
    V4_0,
}

impl CvssVersion {
    /// `3.0`, `3.1` or `4.0`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::V3_0 => "3.0",
            Self::V3_1 => "3.1",
            Self::V4_0 => "4.0",
        }
    }
}

impl fmt::Display for CvssVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The qualitative severity rating of a score (the same scale in v3.x and v4.0).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Severity {
    /// 0.0
    None,
    /// 0.1–3.9
    Low,
    /// 4.0–6.9
    Medium,
    /// 7.0–8.9
    High,
    /// 9.0–10.0
    Critical,
}

impl Severity {
    /// The rating of a score (already rounded to one decimal).
    #[must_use]
    pub fn of(score: f64) -> Self {
        if score < 0.1 {
            Self::None
        } else if score < 4.0 {
            Self::Low
        } else if score < 7.0 {
            Self::Medium
        } else if score < 9.0 {
            Self::High
        } else {
            Self::Critical
        }
    }

    /// `NONE`, `LOW`, `MEDIUM`, `HIGH` or `CRITICAL`, as NVD writes it.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::None => "NONE",
            Self::Low => "LOW",
            Self::Medium => "MEDIUM",
            Self::High => "HIGH",
            Self::Critical => "CRITICAL",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The base score of a vector.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Score {
    /// The version from the vector's prefix.
    pub version: CvssVersion,
    /// The vector, normalised: metrics in the spec's order, `X` values dropped.
    pub vector: String,
    /// The base score, 0.0–10.0 with one decimal.
    pub base_score: f64,
    /// The rating of `base_score`.
    pub severity: Severity,
}

/// Why a vector could not be scored.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CvssError {
    /// No `CVSS:x.y/` prefix (CVSS v2 vectors have none).
    #[error(
        "`{0}` has no `CVSS:<version>/` prefix (CVSS v2 vectors, which have none, are not scored)"
    )]
    NoPrefix(String),
    #[error("CVSS version `{0}` is not supported (3.0, 3.1 and 4.0 are)")]
    UnsupportedVersion(String),
    /// A component that is not `METRIC:VALUE`.
    #[error("`{0}` is not a METRIC:VALUE component")]
    Malformed(String),
    #[error("CVSS {version} has no metric `{metric}`")]
    UnknownMetric {
        version: CvssVersion,
        metric: String,
    },
    #[error("CVSS {version} metric {metric} cannot be `{value}`")]
    InvalidValue {
        version: CvssVersion,
        metric: &'static str,
        value: String,
    },
    #[error("CVSS metric {metric} is given twice")]
    DuplicateMetric { metric: &'static str },
    #[error("CVSS {version} base metric {metric} is missing")]
    MissingMetric {
        version: CvssVersion,
        metric: &'static str,
    },
    /// The `cvss` crate refused a vector this module accepted: a bug here, never expected.
    #[error("internal error scoring `{vector}`: {reason}")]
    Internal { vector: String, reason: String },
}

/// A metric, the values the spec allows, and whether it is a base metric.
struct Metric {
    name: &'static str,
    values: &'static [&'static str],
    base: bool,
}

const fn base(name: &'static str, values: &'static [&'static str]) -> Metric {
    Metric {
        name,
        values,
        base: true,
    }
}

const fn other(name: &'static str, values: &'static [&'static str]) -> Metric {
    Metric {
        name,
        values,
        base: false,
    }
}

const IMPACT3: &[&str] = &["H", "L", "N"];
const MODIFIED_IMPACT3: &[&str] = &["X", "H", "L", "N"];
const REQUIREMENT: &[&str] = &["X", "H", "M", "L"];

/// CVSS v3.0/v3.1 metrics, in the order of the spec's vector string table (3.1 section 6).
const V3: &[Metric] = &[
    base("AV", &["N", "A", "L", "P"]),
    base("AC", &["L", "H"]),
    base("PR", &["N", "L", "H"]),
    base("UI", &["N", "R"]),
    base("S", &["U", "C"]),
    base("C", IMPACT3),
    base("I", IMPACT3),
    base("A", IMPACT3),
    other("E", &["X", "H", "F", "P", "U"]),
    other("RL", &["X", "U", "W", "T", "O"]),
    other("RC", &["X", "C", "R", "U"]),
    other("CR", REQUIREMENT),
    other("IR", REQUIREMENT),
    other("AR", REQUIREMENT),
    other("MAV", &["X", "N", "A", "L", "P"]),
    other("MAC", &["X", "L", "H"]),
    other("MPR", &["X", "N", "L", "H"]),
    other("MUI", &["X", "N", "R"]),
    other("MS", &["X", "U", "C"]),
    other("MC", MODIFIED_IMPACT3),
    other("MI", MODIFIED_IMPACT3),
    other("MA", MODIFIED_IMPACT3),
];

/// CVSS v4.0 metrics, in the order of the spec's vector string table (section 7).
const V4: &[Metric] = &[
    base("AV", &["N", "A", "L", "P"]),
    base("AC", &["L", "H"]),
    base("AT", &["N", "P"]),
    base("PR", &["N", "L", "H"]),
    base("UI", &["N", "P", "A"]),
    base("VC", IMPACT3),
    base("VI", IMPACT3),
    base("VA", IMPACT3),
    base("SC", IMPACT3),
    base("SI", IMPACT3),
    base("SA", IMPACT3),
    other("E", &["X", "A", "P", "U"]),
    other("CR", REQUIREMENT),
    other("IR", REQUIREMENT),
    other("AR", REQUIREMENT),
    other("MAV", &["X", "N", "A", "L", "P"]),
    other("MAC", &["X", "L", "H"]),
    other("MAT", &["X", "N", "P"]),
    other("MPR", &["X", "N", "L", "H"]),
    other("MUI", &["X", "N", "P", "A"]),
    other("MVC", MODIFIED_IMPACT3),
    other("MVI", MODIFIED_IMPACT3),
    other("MVA", MODIFIED_IMPACT3),
    other("MSC", MODIFIED_IMPACT3),
    // Safety (S) exists only for the modified subsequent-system integrity and availability.
    other("MSI", &["X", "S", "H", "L", "N"]),
    other("MSA", &["X", "S", "H", "L", "N"]),
    other("S", &["X", "N", "P"]),
    other("AU", &["X", "N", "Y"]),
    other("R", &["X", "A", "U", "I"]),
    other("V", &["X", "D", "C"]),
    other("RE", &["X", "L", "M", "H"]),
    other("U", &["X", "Clear", "Green", "Amber", "Red"]),
];

/// The most metrics a version has (v4.0).
const MAX_METRICS: usize = 32;
const _: () = assert!(V3.len() <= MAX_METRICS && V4.len() <= MAX_METRICS);

/// Computes the base score of a CVSS v3.0, v3.1 or v4.0 vector string
/// (`CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H` → 9.8 CRITICAL).
///
/// # Errors
/// A [`CvssError`] naming the bad metric, when the vector is not valid for its version.
pub fn base_score(vector: &str) -> Result<Score, CvssError> {
    let (prefix, metrics) = vector.split_once('/').unwrap_or((vector, ""));
    let version = match prefix.strip_prefix("CVSS:") {
        Some("3.0") => CvssVersion::V3_0,
        Some("3.1") => CvssVersion::V3_1,
        Some("4.0") => CvssVersion::V4_0,
        Some(other) => return Err(CvssError::UnsupportedVersion(clip(other))),
        None => return Err(CvssError::NoPrefix(clip(vector))),
    };
    let table = match version {
        CvssVersion::V3_0 | CvssVersion::V3_1 => V3,
        CvssVersion::V4_0 => V4,
    };

    let mut values: [Option<&str>; MAX_METRICS] = [None; MAX_METRICS];
    if !metrics.is_empty() {
        for component in metrics.split('/') {
            let Some((name, value)) = component.split_once(':') else {
                return Err(CvssError::Malformed(clip(component)));
            };
            let Some((metric, slot)) = table
                .iter()
                .zip(values.iter_mut())
                .find(|(m, _)| m.name == name)
            else {
                return Err(CvssError::UnknownMetric {
                    version,
                    metric: clip(name),
                });
            };
            if !metric.values.contains(&value) {
                return Err(CvssError::InvalidValue {
                    version,
                    metric: metric.name,
                    value: clip(value),
                });
            }
            if slot.replace(value).is_some() {
                return Err(CvssError::DuplicateMetric {
                    metric: metric.name,
                });
            }
        }
    }

    let mut normalised = String::with_capacity(vector.len());
    normalised.push_str(prefix);
    let mut base_only = String::with_capacity(vector.len());
    base_only.push_str(prefix);
    for (metric, value) in table.iter().zip(values) {
        match value {
            None if metric.base => {
                return Err(CvssError::MissingMetric {
                    version,
                    metric: metric.name,
                });
            }
            None | Some("X") => {}
            Some(value) => {
                push_metric(&mut normalised, metric.name, value);
                if metric.base {
                    push_metric(&mut base_only, metric.name, value);
                }
            }
        }
    }

    let internal = |e: cvss::Error| CvssError::Internal {
        vector: base_only.clone(),
        reason: e.to_string(),
    };
    let raw = match version {
        CvssVersion::V3_0 | CvssVersion::V3_1 => cvss::v3::Vector::from_str(&base_only)
            .map_err(internal)?
            .base_score()
            .value(),
        CvssVersion::V4_0 => cvss::v4::Vector::from_str(&base_only)
            .map_err(internal)?
            .score()
            .value(),
    };
    // The crate already rounds (v3.1 Roundup, v3.0 ceiling, v4.0 half-up); this only removes
    // binary noise such as 6.1000000000000005 so the value prints and compares as one decimal.
    let base_score = (raw * 10.0).round() / 10.0;
    if !(0.0..=10.0).contains(&base_score) {
        return Err(CvssError::Internal {
            vector: base_only,
            reason: format!("score {raw} is outside 0–10"),
        });
    }
    Ok(Score {
        version,
        vector: normalised,
        base_score,
        severity: Severity::of(base_score),
    })
}

fn push_metric(vector: &mut String, name: &str, value: &str) {
    vector.push('/');
    vector.push_str(name);
    vector.push(':');
    vector.push_str(value);
}

/// Memoises [`base_score`] by vector string.
///
/// Feeds repeat a few thousand distinct vectors across hundreds of thousands of records, and a
/// v4.0 score costs ~10 µs (the MacroVector search), so an importer scoring a whole feed should
/// keep one of these.
#[derive(Debug, Clone, Default)]
pub struct ScoreCache {
    scores: HashMap<String, Score>,
}

impl ScoreCache {
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// [`base_score`] of `vector`, computed once per distinct string. Errors are not cached.
    ///
    /// # Errors
    /// As [`base_score`].
    pub fn base_score(&mut self, vector: &str) -> Result<&Score, CvssError> {
        match self.scores.entry(vector.to_owned()) {
            Entry::Occupied(e) => Ok(e.into_mut()),
            Entry::Vacant(e) => Ok(e.insert(base_score(vector)?)),
        }
    }

    /// The number of distinct vectors scored.
    #[must_use]
    pub fn len(&self) -> usize {
        self.scores.len()
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.scores.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn score(vector: &str) -> f64 {
        base_score(vector)
            .unwrap_or_else(|e| panic!("{vector}: {e}"))
            .base_score
    }

    #[test]
    fn first_v4_examples() {
        // The specification's headline example and the NVD record of CVE-2024-5732.
        assert_eq!(
            score("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"),
            9.3
        );
        assert_eq!(
            score("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:L/VA:L/SC:N/SI:N/SA:N"),
            6.9
        );
        // A few of Red Hat's reference vectors (RedHatProductSecurity/cvss, tests/vectors_simple4),
        // chosen to reach different MacroVectors and both ends of the scale.
        for (vector, expected) in [
            (
                "AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:H/VA:L/SC:N/SI:H/SA:L",
                9.2,
            ),
            (
                "AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:H/SI:L/SA:H",
                7.9,
            ),
            (
                "AV:N/AC:L/AT:N/PR:N/UI:P/VC:L/VI:N/VA:N/SC:L/SI:N/SA:L",
                5.3,
            ),
            (
                "AV:N/AC:L/AT:N/PR:L/UI:A/VC:N/VI:L/VA:N/SC:H/SI:H/SA:L",
                6.2,
            ),
            (
                "AV:N/AC:L/AT:P/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:N/SA:H",
                9.5,
            ),
            (
                "AV:N/AC:L/AT:P/PR:N/UI:A/VC:N/VI:N/VA:N/SC:L/SI:N/SA:N",
                2.1,
            ),
            (
                "AV:N/AC:L/AT:P/PR:H/UI:A/VC:N/VI:L/VA:L/SC:L/SI:N/SA:N",
                1.8,
            ),
            (
                "AV:N/AC:H/AT:N/PR:N/UI:N/VC:H/VI:H/VA:N/SC:L/SI:H/SA:L",
                9.4,
            ),
            (
                "AV:N/AC:H/AT:N/PR:H/UI:A/VC:N/VI:N/VA:N/SC:N/SI:H/SA:N",
                4.0,
            ),
            (
                "AV:N/AC:H/AT:P/PR:N/UI:N/VC:N/VI:L/VA:N/SC:L/SI:H/SA:L",
                7.0,
            ),
        ] {
            assert_eq!(score(&format!("CVSS:4.0/{vector}")), expected, "{vector}");
        }
        let none = base_score("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N")
            .expect("valid");
        assert_eq!((none.base_score, none.severity), (0.0, Severity::None));
    }

    #[test]
    fn v3_examples() {
        let s = base_score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H").expect("valid");
        assert_eq!(
            (s.version, s.base_score, s.severity),
            (CvssVersion::V3_1, 9.8, Severity::Critical)
        );
        assert_eq!(score("CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:L/I:N/A:N"), 5.0);
        assert_eq!(score("CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:C/C:L/I:N/A:N"), 4.1);
        assert_eq!(score("CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:N"), 9.1);
        assert_eq!(score("CVSS:3.1/AV:P/AC:H/PR:H/UI:R/S:U/C:N/I:N/A:N"), 0.0);
    }

    /// The spec's base equations (3.1 section 7.1; 3.0 section 8.1) and rounding (3.1 appendix
    /// A; 3.0 rounds up with a plain ceiling), written independently of the crate.
    fn spec_v3(minor: u8, m: &[&str; 8]) -> f64 {
        let weight = |metric: &str, value: &str, changed: bool| -> f64 {
            match (metric, value) {
                ("AV", "N") => 0.85,
                ("AV", "A") => 0.62,
                ("AV", "L") => 0.55,
                ("AV", "P") => 0.2,
                ("AC", "L") => 0.77,
                ("AC", "H") => 0.44,
                ("PR", "N") => 0.85,
                ("PR", "L") if changed => 0.68,
                ("PR", "L") => 0.62,
                ("PR", "H") if changed => 0.5,
                ("PR", "H") => 0.27,
                ("UI", "N") => 0.85,
                ("UI", "R") => 0.62,
                (_, "H") => 0.56,
                (_, "L") => 0.22,
                _ => 0.0,
            }
        };
        let [av, ac, pr, ui, s, c, i, a] = *m;
        let changed = s == "C";
        let iss = 1.0
            - (1.0 - weight("C", c, changed))
                * (1.0 - weight("I", i, changed))
                * (1.0 - weight("A", a, changed));
        let impact = if changed {
            7.52 * (iss - 0.029) - 3.25 * (iss - 0.02).powi(15)
        } else {
            6.42 * iss
        };
        let exploitability = 8.22
            * weight("AV", av, changed)
            * weight("AC", ac, changed)
            * weight("PR", pr, changed)
            * weight("UI", ui, changed);
        let roundup = |x: f64| {
            if minor == 0 {
                (x * 10.0).ceil() / 10.0
            } else {
                #[allow(clippy::cast_possible_truncation)]
                let int = (x * 100_000.0).round() as i64;
                if int % 10_000 == 0 {
                    int as f64 / 100_000.0
                } else {
                    ((int / 10_000) as f64 + 1.0) / 10.0
                }
            }
        };
        if impact <= 0.0 {
            0.0
        } else if changed {
            roundup((1.08 * (impact + exploitability)).min(10.0))
        } else {
            roundup((impact + exploitability).min(10.0))
        }
    }

    #[test]
    fn every_v3_base_vector_matches_the_spec_equations() {
        let mut checked = 0;
        for minor in [0, 1] {
            for av in ["N", "A", "L", "P"] {
                for ac in ["L", "H"] {
                    for pr in ["N", "L", "H"] {
                        for ui in ["N", "R"] {
                            for s in ["U", "C"] {
                                for c in IMPACT3 {
                                    for i in IMPACT3 {
                                        for a in IMPACT3 {
                                            let m = [av, ac, pr, ui, s, c, i, a];
                                            let v = format!(
                                                "CVSS:3.{minor}/AV:{av}/AC:{ac}/PR:{pr}/UI:{ui}/S:{s}/C:{c}/I:{i}/A:{a}"
                                            );
                                            assert_eq!(score(&v), spec_v3(minor, &m), "{v}");
                                            checked += 1;
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        assert_eq!(checked, 2 * 2592);
    }

    #[test]
    fn normalises_order_and_drops_not_defined() {
        let s = base_score("CVSS:3.1/C:H/I:H/A:H/AV:N/AC:L/PR:N/UI:N/S:U/E:X/RL:O/MAV:X")
            .expect("reordered");
        assert_eq!(
            s.vector,
            "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/RL:O"
        );
        assert_eq!(s.base_score, 9.8);
        let nvd = "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:L/VA:L/SC:N/SI:N/SA:N/E:X/CR:X/IR:X/AR:X/MAV:X/MAC:X/MAT:X/MPR:X/MUI:X/MVC:X/MVI:X/MVA:X/MSC:X/MSI:X/MSA:X/S:X/AU:X/R:X/V:X/RE:X/U:X";
        let s = base_score(nvd).expect("NVD's full form");
        assert_eq!(
            s.vector,
            "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:L/VA:L/SC:N/SI:N/SA:N"
        );
        assert_eq!(s.base_score, 6.9);
    }

    #[test]
    fn threat_and_environmental_metrics_do_not_change_the_base_score() {
        let base = "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:H/VA:N/SC:N/SI:N/SA:N";
        let full = format!("{base}/E:U/CR:H/MAV:P/MSI:S/S:P/AU:Y/U:Amber");
        assert_eq!(score(&full), score(base));
        let v3 = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H";
        assert_eq!(score(&format!("{v3}/E:U/RL:O/RC:R/CR:L/MAV:P/MS:C")), 9.8);
    }

    #[test]
    fn errors_name_the_metric() {
        use CvssError as E;
        let v3 = CvssVersion::V3_1;
        let v4 = CvssVersion::V4_0;
        for (vector, expected) in [
            (
                "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H",
                E::MissingMetric {
                    version: v3,
                    metric: "A",
                },
            ),
            (
                "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:X",
                E::InvalidValue {
                    version: v3,
                    metric: "A",
                    value: "X".into(),
                },
            ),
            (
                "CVSS:3.1/AV:n/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
                E::InvalidValue {
                    version: v3,
                    metric: "AV",
                    value: "n".into(),
                },
            ),
            (
                "CVSS:3.1/AV:N/AC:L/AT:N/PR:N/UI:N/S:U/C:H/I:H/A:H",
                E::UnknownMetric {
                    version: v3,
                    metric: "AT".into(),
                },
            ),
            (
                "CVSS:3.1/AV:N/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
                E::DuplicateMetric { metric: "AV" },
            ),
            (
                "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/",
                E::Malformed(String::new()),
            ),
            (
                "CVSS:3.1",
                E::MissingMetric {
                    version: v3,
                    metric: "AV",
                },
            ),
            (
                "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:S/SA:N",
                E::InvalidValue {
                    version: v4,
                    metric: "SI",
                    value: "S".into(),
                },
            ),
            (
                "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N",
                E::MissingMetric {
                    version: v4,
                    metric: "SA",
                },
            ),
            (
                "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/U:red",
                E::InvalidValue {
                    version: v4,
                    metric: "U",
                    value: "red".into(),
                },
            ),
            (
                // A v3 vector labelled 4.0: S exists in v4.0, as the supplemental Safety metric.
                "CVSS:4.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
                E::InvalidValue {
                    version: v4,
                    metric: "S",
                    value: "U".into(),
                },
            ),
            (
                "CVSS:4.0/AV:N/AC:L/PR:N/UI:N/C:H/I:H/A:H",
                E::UnknownMetric {
                    version: v4,
                    metric: "C".into(),
                },
            ),
            (
                "AV:N/AC:L/Au:N/C:P/I:P/A:P",
                E::NoPrefix("AV:N/AC:L/Au:N/C:P/I:P/A:P".into()),
            ),
            (
                "CVSS:2.0/AV:N/AC:L/Au:N/C:P/I:P/A:P",
                E::UnsupportedVersion("2.0".into()),
            ),
            ("CVSS:3.2/AV:N", E::UnsupportedVersion("3.2".into())),
            ("", E::NoPrefix(String::new())),
        ] {
            assert_eq!(base_score(vector), Err(expected), "{vector}");
        }
        let err = base_score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H").expect_err("missing");
        assert_eq!(err.to_string(), "CVSS 3.1 base metric A is missing");
    }

    #[test]
    fn severity_scale() {
        let cases = [
            (0.0, Severity::None),
            (0.1, Severity::Low),
            (3.9, Severity::Low),
            (4.0, Severity::Medium),
            (6.9, Severity::Medium),
            (7.0, Severity::High),
            (8.9, Severity::High),
            (9.0, Severity::Critical),
            (10.0, Severity::Critical),
        ];
        for (score, severity) in cases {
            assert_eq!(Severity::of(score), severity, "{score}");
        }
    }

    #[test]
    fn cache_scores_once() {
        let mut cache = ScoreCache::new();
        let v = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H";
        assert_eq!(cache.base_score(v).map(|s| s.base_score), Ok(9.8));
        assert_eq!(cache.base_score(v).map(|s| s.base_score), Ok(9.8));
        assert!(cache.base_score("CVSS:3.1/AV:N").is_err());
        assert_eq!(cache.len(), 1);
    }
}
