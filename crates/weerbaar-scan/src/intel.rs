//! What the feeds say about a vulnerability beyond where it applies: summaries, CVSS vectors,
//! KEV listings and EPSS scores, looked up by id.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use weerbaar_advisories::cvss::{self, CvssVersion};
use weerbaar_advisories::nvd::{self, SourceType};
use weerbaar_advisories::osv::{self, SeverityType};
use weerbaar_advisories::{epss, kev};

/// A CVSS vector someone published for a vulnerability, before it is scored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VectorSource {
    /// The vector as published.
    pub vector: String,
    /// Who published it: the advisory id (`GHSA-…`), or `nvd` / `nvd:<cna>`.
    pub source: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct AdvisoryInfo {
    summary: Option<String>,
    vectors: Vec<VectorSource>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct CveInfo {
    description: Option<String>,
    /// Primary (NVD's own) vectors first, then the CNAs'.
    vectors: Vec<VectorSource>,
}

/// A KEV listing, as reported on a finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KevListing {
    /// The CVE that is listed.
    pub cve: String,
    /// When CISA added it (`YYYY-MM-DD`).
    pub date_added: String,
    /// CISA's remediation due date for federal agencies (`YYYY-MM-DD`).
    pub due_date: String,
    /// Whether it is known to be used in ransomware campaigns.
    pub ransomware: bool,
    /// CISA's required action.
    pub required_action: String,
}

/// An EPSS score, as reported on a finding.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct EpssValue {
    /// Probability of exploitation activity in the next 30 days, 0–1.
    pub score: f64,
    /// Share of scored CVEs at or below this score, 0–1.
    pub percentile: f64,
}

/// The CVSS base score a finding is given, computed from the vector.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CvssScore {
    /// `3.0`, `3.1` or `4.0`.
    pub version: String,
    /// The vector, normalised by the scorer.
    pub vector: String,
    /// Computed from the vector, never copied from the feed's text.
    pub base_score: f64,
    /// Who published the vector (see [`VectorSource::source`]).
    pub source: String,
}

/// What the loaded feeds hold, for the report's header.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedSummary {
    /// OSV advisories given (withdrawn included).
    pub osv_advisories: usize,
    /// NVD CVE records given.
    pub nvd_cves: usize,
    /// KEV entries, when a catalog was given.
    pub kev_entries: Option<usize>,
    /// The KEV catalog's version.
    pub kev_catalog_version: Option<String>,
    /// EPSS scores, when a scores file was given.
    pub epss_scores: Option<usize>,
    /// The EPSS scores' date.
    pub epss_score_date: Option<String>,
    /// The EPSS model version.
    pub epss_model_version: Option<String>,
}

/// Summaries, vectors, KEV and EPSS by id. Plain owned data, so it can be cached with the
/// compiled index.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Intel {
    advisories: HashMap<String, AdvisoryInfo>,
    cves: HashMap<String, CveInfo>,
    kev: HashMap<String, KevListing>,
    epss: HashMap<String, EpssValue>,
    feeds: FeedSummary,
}

fn is_cvss(kind: SeverityType) -> bool {
    matches!(kind, SeverityType::CvssV3 | SeverityType::CvssV4)
}

impl Intel {
    /// Collects what the feeds say. Records without anything useful cost nothing.
    #[must_use]
    pub fn build(
        advisories: &[osv::Advisory],
        cves: &[nvd::Cve],
        kev: Option<&kev::Catalog>,
        epss: Option<&epss::Scores>,
    ) -> Self {
        let mut intel = Intel {
            feeds: FeedSummary {
                osv_advisories: advisories.len(),
                nvd_cves: cves.len(),
                kev_entries: kev.map(|k| k.entries.len()),
                kev_catalog_version: kev.and_then(|k| k.version.clone()),
                epss_scores: epss.map(|e| e.scores.len()),
                epss_score_date: epss.map(|e| e.score_date.clone()),
                epss_model_version: epss.map(|e| e.model_version.clone()),
            },
            ..Intel::default()
        };
        for adv in advisories {
            // Record-level vectors first; per-package ones (`affected[].severity`) after.
            let vectors: Vec<VectorSource> = adv
                .severity
                .iter()
                .chain(adv.affected.iter().flat_map(|a| a.severity.iter()))
                .filter(|s| is_cvss(s.kind))
                .map(|s| VectorSource {
                    vector: s.score.clone(),
                    source: adv.id.clone(),
                })
                .collect();
            intel.advisories.insert(
                adv.id.clone(),
                AdvisoryInfo {
                    summary: adv.summary.clone().or_else(|| {
                        adv.details
                            .as_deref()
                            .and_then(|d| d.lines().find(|l| !l.trim().is_empty()))
                            .map(|l| l.trim().to_owned())
                    }),
                    vectors,
                },
            );
        }
        for cve in cves {
            if cve.is_rejected() {
                continue;
            }
            let mut metrics: Vec<&nvd::CvssMetric> = cve
                .metrics
                .iter()
                .filter(|m| m.version != nvd::CvssVersion::V2)
                .collect();
            metrics.sort_by_key(|m| m.kind != SourceType::Primary);
            let description = cve.description();
            intel.cves.insert(
                cve.id.clone(),
                CveInfo {
                    description: (!description.is_empty()).then(|| description.to_owned()),
                    vectors: metrics
                        .into_iter()
                        .map(|m| VectorSource {
                            vector: m.vector.clone(),
                            source: match m.kind {
                                SourceType::Primary => "nvd".to_owned(),
                                SourceType::Secondary => format!("nvd:{}", m.source),
                            },
                        })
                        .collect(),
                },
            );
        }
        for entry in kev.map(|k| k.entries.as_slice()).unwrap_or_default() {
            intel.kev.insert(
                entry.cve_id.clone(),
                KevListing {
                    cve: entry.cve_id.clone(),
                    date_added: entry.date_added.to_string(),
                    due_date: entry.due_date.to_string(),
                    ransomware: entry.ransomware,
                    required_action: entry.required_action.clone(),
                },
            );
        }
        for score in epss.map(|e| e.scores.as_slice()).unwrap_or_default() {
            intel.epss.insert(
                score.cve.clone(),
                EpssValue {
                    score: score.epss,
                    percentile: score.percentile,
                },
            );
        }
        intel
    }

    /// What the feeds held.
    #[must_use]
    pub fn feeds(&self) -> &FeedSummary {
        &self.feeds
    }

    /// The summary of the first of `advisories` that has one, else the NVD description of the
    /// first CVE among `ids` that has one.
    #[must_use]
    pub fn summary(&self, advisories: &[String], ids: &[String]) -> Option<String> {
        advisories
            .iter()
            .find_map(|a| self.advisories.get(a)?.summary.clone())
            .or_else(|| {
                ids.iter()
                    .find_map(|id| self.cves.get(id)?.description.clone())
            })
    }

    /// The KEV listing of any CVE among `ids` (the earliest due date when several are listed).
    #[must_use]
    pub fn kev(&self, ids: &[String]) -> Option<&KevListing> {
        ids.iter()
            .filter_map(|id| self.kev.get(id))
            .min_by(|a, b| a.due_date.cmp(&b.due_date).then(a.cve.cmp(&b.cve)))
    }

    /// The highest EPSS score among the CVEs in `ids`, with the CVE it belongs to.
    #[must_use]
    pub fn epss<'a>(&self, ids: &'a [String]) -> Option<(&'a str, EpssValue)> {
        ids.iter()
            .filter_map(|id| self.epss.get(id).map(|v| (id.as_str(), *v)))
            .max_by(|a, b| a.1.score.total_cmp(&b.1.score))
    }

    /// The CVSS base score of a vulnerability, computed from one published vector.
    ///
    /// Which vector: CVSS v3.x before v4.0, because the severity thresholds of patch policies
    /// (and most published scores) are written for v3; within a version, the matched advisory
    /// records' own vectors before NVD's, and NVD's primary score before the CNAs'. Vectors
    /// that do not score (malformed, or v2, which the scorer does not take) are skipped.
    #[must_use]
    pub fn cvss(&self, advisories: &[String], ids: &[String]) -> Option<CvssScore> {
        let candidates: Vec<&VectorSource> = advisories
            .iter()
            .filter_map(|a| self.advisories.get(a))
            .flat_map(|a| a.vectors.iter())
            .chain(
                ids.iter()
                    .filter_map(|id| self.cves.get(id))
                    .flat_map(|c| c.vectors.iter()),
            )
            .collect();
        let mut best: Option<(u8, CvssScore)> = None;
        // Candidates are in source order, so the first scorable vector of a version wins.
        for candidate in candidates {
            let Ok(score) = cvss::base_score(&candidate.vector) else {
                continue;
            };
            let version_rank = match score.version {
                CvssVersion::V3_0 | CvssVersion::V3_1 => 0,
                CvssVersion::V4_0 => 1,
            };
            if best.as_ref().is_none_or(|(r, _)| version_rank < *r) {
                best = Some((
                    version_rank,
                    CvssScore {
                        version: score.version.as_str().to_owned(),
                        vector: score.vector,
                        base_score: score.base_score,
                        source: candidate.source.clone(),
                    },
                ));
            }
        }
        best.map(|(_, s)| s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn intel(advisory_vectors: &[&str], nvd_vectors: &[&str]) -> Intel {
        let mut intel = Intel::default();
        intel.advisories.insert(
            "GHSA-1".to_owned(),
            AdvisoryInfo {
                summary: None,
                vectors: advisory_vectors
                    .iter()
                    .map(|v| VectorSource {
                        vector: (*v).to_owned(),
                        source: "GHSA-1".to_owned(),
                    })
                    .collect(),
            },
        );
        intel.cves.insert(
            "CVE-1".to_owned(),
            CveInfo {
                description: None,
                vectors: nvd_vectors
                    .iter()
                    .map(|v| VectorSource {
                        vector: (*v).to_owned(),
                        source: "nvd".to_owned(),
                    })
                    .collect(),
            },
        );
        intel
    }

    const V31: &str = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H";
    const V31_LOW: &str = "CVSS:3.1/AV:L/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N";
    const V40: &str = "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N";

    fn chosen(intel: &Intel) -> Option<(String, String)> {
        intel
            .cvss(&["GHSA-1".to_owned()], &["CVE-1".to_owned()])
            .map(|c| (c.vector, c.source))
    }

    #[test]
    fn v3_before_v4_and_advisory_before_nvd() {
        assert_eq!(
            chosen(&intel(&[V40], &[V31])),
            Some((V31.to_owned(), "nvd".to_owned())),
            "v3.1 from NVD beats the advisory's v4.0"
        );
        assert_eq!(
            chosen(&intel(&[V31_LOW], &[V31])),
            Some((V31_LOW.to_owned(), "GHSA-1".to_owned())),
            "the advisory's own v3 vector beats NVD's, even when lower"
        );
        assert_eq!(
            chosen(&intel(&[V40], &[])).map(|c| c.1),
            Some("GHSA-1".to_owned()),
            "v4.0 when nothing else"
        );
    }

    #[test]
    fn unscorable_vectors_are_skipped_and_scores_are_computed() {
        let i = intel(
            &["CVSS:3.1/AV:N/garbage", "AV:N/AC:L/Au:N/C:P/I:P/A:P"],
            &[V31],
        );
        let c = i
            .cvss(&["GHSA-1".to_owned()], &["CVE-1".to_owned()])
            .expect("NVD's vector scores");
        assert_eq!(c.vector, V31);
        assert!((c.base_score - 9.8).abs() < 1e-9);
        assert_eq!(
            intel(&["nonsense"], &[]).cvss(&["GHSA-1".to_owned()], &[]),
            None
        );
    }
}
