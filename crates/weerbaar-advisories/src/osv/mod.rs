//! OSV: the Open Source Vulnerability format, as published by osv.dev, GHSA, RustSec, PyPA, the
//! Go vulnerability database, AlmaLinux and most Linux distributions.
//!
//! Spec: <https://ossf.github.io/osv-schema/>; JSON schema: `validation/schema.json` of
//! ossf/osv-schema at commit 51b8156b (the copy these rules were taken from).
//!
//! # Input forms
//!
//! * [`parse_record`]: one JSON document holding one record (a file of an advisory repository);
//! * [`parse_jsonl`]: JSON Lines, one record per line (blank lines are skipped);
//! * [`load_dir`]: a directory tree of `*.json` records (an advisory-database checkout);
//! * [`load_zip`]: osv.dev's per-ecosystem `all.zip`, one record per `*.json` member;
//! * [`parse_any`]: picks one of the byte forms by content ([`detect`]).
//!
//! Every error is a [`FeedError`] that names the file, the record (its id when it can be read,
//! otherwise its line or archive member) and the JSON path inside it, e.g.
//! `rustsec.jsonl: record RUSTSEC-2020-0001 at $.affected[0].ranges[0]: range has no
//! `introduced` event (line 12, column 833)`.
//!
//! # What is validated, and why
//!
//! Records are validated while they are deserialised (the derived `Deserialize` of [`Advisory`]
//! is the validating parser), so a record that violates the schema never reaches matching:
//!
//! * the top level rejects unknown fields (the schema says `additionalProperties: false`) and
//!   requires `id` and `modified`;
//! * `id` must start with a home-database prefix of the schema ([`ID_PREFIXES`], or `x_` for
//!   private ids) followed by a non-empty rest without whitespace. The prefix list grows with
//!   every new database; a feed from a database added later fails loudly here and needs a
//!   one-line addition, which is preferred over silently accepting ids of any shape;
//! * timestamps must have the schema's RFC 3339 UTC shape `YYYY-MM-DDTHH:MM:SS[.frac]Z`, with
//!   field ranges checked. They stay strings: this crate has no date dependency, and the shape
//!   check is what makes them comparable later;
//! * enums (`ranges[].type`, `severity[].type`, `references[].type`, `credits[].type`) are
//!   closed, as in the schema;
//! * a severity `score` must match the schema's pattern for its type (CVSS v2/v3/v4 vector
//!   shape, Ubuntu priority word). Whether a vector *scores* is the `cvss` module's business;
//! * a record must not carry severity both at the top level and in an `affected` entry;
//! * each range event holds exactly one of `introduced`, `fixed`, `last_affected`, `limit`
//!   (any other key is an error); a range has at least one event, at least one `introduced`,
//!   never both `fixed` and `last_affected`, and a `GIT` range has a `repo`;
//! * fields the schema types as `array` or `string` reject `null`; `aliases`, `affected`,
//!   `references` and `severity`, which the schema types as `["array", "null"]`, accept it as
//!   empty. The free-form objects (`database_specific`, `ecosystem_specific`) must be objects.
//!
//! Deliberately *not* enforced:
//!
//! * the ecosystem list: `package.ecosystem` is kept exactly as given, because new ecosystems
//!   appear faster than any parser is updated and an unknown one simply matches nothing;
//! * the "GIT ranges must use full-length commit hashes" rule: the PyPA database publishes
//!   abbreviated hashes (`cb35df940a`) in 7 of its 1391 GIT ranges, and rejecting a whole feed
//!   for events that only commit-level matching would read is the wrong trade;
//! * `repo` on SEMVER/ECOSYSTEM ranges: the schema allows it;
//! * `references[].url` being a URI: the schema's `format: uri` is an annotation;
//! * the osv-linter's quality checks (records without `affected`, a version repeated within a
//!   range, packages or versions missing from their registry): real feeds contain such records
//!   and they are harmless; the offline ones are reported by [`Advisory::lint`].
//!
//! # Model decisions
//!
//! Strings are owned: advisories outlive the buffers they are read from (a zip member, a line of
//! a file) and go into an index. Absent lists are empty `Vec`s, absent scalars `None`.
//! `database_specific` and `ecosystem_specific` are skipped (checked to be objects), except the
//! top-level `database_specific.severity` string GHSA uses for its own rating ("HIGH", ...).

mod de;
mod input;
mod validate;

use serde::{Deserialize, Serialize};

pub use input::{Form, detect, load_dir, load_zip, parse_any, parse_jsonl, parse_record};
pub use validate::ID_PREFIXES;

#[cfg(doc)]
use crate::FeedError;

/// One OSV record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "de::RawAdvisory")]
pub struct Advisory {
    /// The OSV schema version the record claims (`1.6.0`), if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub schema_version: Option<String>,
    /// The record id, with its home-database prefix (`GHSA-…`, `RUSTSEC-…`, `ALSA-…`).
    pub id: String,
    /// When the record was last changed: an RFC 3339 UTC timestamp.
    pub modified: String,
    /// When the record was first published, if given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    /// When the record was withdrawn; a withdrawn record must not be matched.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub withdrawn: Option<String>,
    /// Ids of the same vulnerability in other databases (`CVE-…`, `GHSA-…`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// Ids of closely related, but not identical, vulnerabilities.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<String>,
    /// Ids of the upstream vulnerabilities this record was derived from.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub upstream: Vec<String>,
    /// A one-line summary.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// The full description (CommonMark).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub details: Option<String>,
    /// Record-wide severity scores.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub severity: Vec<Severity>,
    /// The affected packages, each with its ranges and versions.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub affected: Vec<Affected>,
    /// Links to advisories, fixes, reports.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub references: Vec<Reference>,
    /// Who found, reported or fixed the vulnerability.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub credits: Vec<Credit>,
    /// `database_specific.severity` when it is a string: GHSA's own rating (`LOW`, `MODERATE`,
    /// `HIGH`, `CRITICAL`), kept as given.
    #[serde(
        rename = "database_specific",
        serialize_with = "de::serialize_database_severity",
        skip_serializing_if = "Option::is_none"
    )]
    pub database_severity: Option<String>,
}

impl Advisory {
    /// Whether the record has been withdrawn.
    #[must_use]
    pub fn is_withdrawn(&self) -> bool {
        self.withdrawn.is_some()
    }

    /// The osv-linter findings that can be checked offline and that real feeds violate, so
    /// the parser accepts them: `A0001` (no affected data) and `R0002` (a version or commit
    /// repeated within one range, such as `introduced: X` with `fixed: X`).
    #[must_use]
    pub fn lint(&self) -> Vec<Lint> {
        validate::lint(self)
    }
}

/// A quality finding on a valid record (see [`Advisory::lint`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Lint {
    /// The osv-linter check code (`A0001`, `R0002`).
    pub code: &'static str,
    /// The JSON path of the finding (`$.affected[0].ranges[1].events[2]`).
    pub path: String,
    /// What is wrong.
    pub message: String,
}

/// A severity score.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "de::RawSeverity")]
pub struct Severity {
    /// The scoring system.
    #[serde(rename = "type")]
    pub kind: SeverityType,
    /// The vector string (`CVSS:3.1/AV:N/…`) or, for Ubuntu, the priority word.
    pub score: String,
}

/// The scoring system of a [`Severity`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum SeverityType {
    /// A CVSS v2 vector (`AV:N/AC:L/Au:N/C:P/I:P/A:P`).
    #[serde(rename = "CVSS_V2")]
    CvssV2,
    /// A CVSS v3.0 or v3.1 vector (`CVSS:3.1/…`).
    #[serde(rename = "CVSS_V3")]
    CvssV3,
    /// A CVSS v4.0 vector (`CVSS:4.0/…`).
    #[serde(rename = "CVSS_V4")]
    CvssV4,
    /// An Ubuntu priority: `negligible`, `low`, `medium`, `high` or `critical`.
    #[serde(rename = "Ubuntu")]
    Ubuntu,
}

/// One affected package and the versions of it that are affected.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "de::RawAffected")]
pub struct Affected {
    /// The package; absent in records that only give GIT ranges.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub package: Option<Package>,
    /// Per-package severity (only when the record has no top-level severity).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub severity: Vec<Severity>,
    /// Affected ranges, as event lists.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub ranges: Vec<Range>,
    /// Explicitly enumerated affected versions.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub versions: Vec<String>,
}

/// A package in an ecosystem.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Package {
    /// The ecosystem exactly as given, with its suffix (`PyPI`, `AlmaLinux:9`, `Debian:12`).
    pub ecosystem: String,
    /// The package name, in the ecosystem's own spelling.
    pub name: String,
    /// The package URL, if given.
    #[serde(
        default,
        deserialize_with = "de::some",
        skip_serializing_if = "Option::is_none"
    )]
    pub purl: Option<String>,
}

impl Package {
    /// The ecosystem without its suffix: `AlmaLinux` for `AlmaLinux:9`.
    #[must_use]
    pub fn ecosystem_name(&self) -> &str {
        self.ecosystem
            .split_once(':')
            .map_or(self.ecosystem.as_str(), |(name, _)| name)
    }

    /// The ecosystem suffix (a release, usually): `9` for `AlmaLinux:9`.
    #[must_use]
    pub fn ecosystem_suffix(&self) -> Option<&str> {
        self.ecosystem.split_once(':').map(|(_, suffix)| suffix)
    }
}

/// An affected range: a list of events in one version scheme.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "de::RawRange")]
pub struct Range {
    /// How the event versions are ordered.
    #[serde(rename = "type")]
    pub kind: RangeType,
    /// The repository URL (required for GIT ranges).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub repo: Option<String>,
    /// The events, in the order given (OSV evaluates them sorted, not in list order).
    pub events: Vec<Event>,
}

/// The version scheme of a [`Range`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum RangeType {
    /// SemVer 2.0 ordering.
    Semver,
    /// The ecosystem's own ordering (PEP 440, RPM, dpkg, …).
    Ecosystem,
    /// Git commits of `repo`.
    Git,
}

/// A range event: where being affected starts or stops.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Event {
    /// Affected from this version on (`0` means from the beginning).
    Introduced(String),
    /// Not affected from this version on.
    Fixed(String),
    /// Affected up to and including this version.
    LastAffected(String),
    /// An upper bound on the range, for GIT ranges walked backwards.
    Limit(String),
}

impl Event {
    /// The version or commit of the event.
    #[must_use]
    pub fn version(&self) -> &str {
        match self {
            Event::Introduced(v) | Event::Fixed(v) | Event::LastAffected(v) | Event::Limit(v) => v,
        }
    }

    /// The OSV key of the event (`introduced`, `fixed`, `last_affected`, `limit`).
    #[must_use]
    pub fn key(&self) -> &'static str {
        match self {
            Event::Introduced(_) => "introduced",
            Event::Fixed(_) => "fixed",
            Event::LastAffected(_) => "last_affected",
            Event::Limit(_) => "limit",
        }
    }
}

/// A link from the record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reference {
    /// What the link points at.
    #[serde(rename = "type")]
    pub kind: ReferenceType,
    /// The URL, as given.
    pub url: String,
}

/// The kind of a [`Reference`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ReferenceType {
    Advisory,
    Article,
    Detection,
    Discussion,
    Report,
    Fix,
    Introduced,
    Git,
    Package,
    Evidence,
    Web,
}

/// A credited person or organisation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Credit {
    /// The name, as given.
    pub name: String,
    /// Contact URLs or addresses.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub contact: Vec<String>,
    /// The role, if given.
    #[serde(
        rename = "type",
        default,
        deserialize_with = "de::some",
        skip_serializing_if = "Option::is_none"
    )]
    pub kind: Option<CreditType>,
}

/// The role of a [`Credit`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum CreditType {
    Finder,
    Reporter,
    Analyst,
    Coordinator,
    RemediationDeveloper,
    RemediationReviewer,
    RemediationVerifier,
    Tool,
    Sponsor,
    Other,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{FeedErrorKind, Record};

    const MINIMAL: &str = r#"{"id": "GHSA-aaaa-bbbb-cccc", "modified": "2024-01-02T03:04:05Z"}"#;

    /// A record with one affected package whose single range is `range`.
    fn with_range(range: &str) -> String {
        format!(
            r#"{{"id": "GHSA-aaaa-bbbb-cccc", "modified": "2024-01-02T03:04:05Z",
                "affected": [{{"package": {{"ecosystem": "npm", "name": "x"}},
                               "ranges": [{{"type": "SEMVER", "events": [{{"introduced": "0"}}]}}, {range}]}}]}}"#
        )
    }

    fn rejected(doc: &str) -> (Option<Record>, String) {
        let err = parse_record("t.json", doc.as_bytes()).expect_err(doc);
        (err.record, err.reason)
    }

    fn at(path: &str) -> Option<Record> {
        Some(Record::Id {
            id: "GHSA-aaaa-bbbb-cccc".into(),
            path: Some(path.into()),
        })
    }

    #[test]
    fn minimal_record() {
        let a = parse_record("t.json", MINIMAL.as_bytes()).expect("valid");
        assert_eq!(a.id, "GHSA-aaaa-bbbb-cccc");
        assert_eq!(a.modified, "2024-01-02T03:04:05Z");
        assert!(a.affected.is_empty() && a.aliases.is_empty() && a.published.is_none());
        assert!(!a.is_withdrawn());
    }

    #[test]
    fn required_fields_and_unknown_fields() {
        let (record, reason) = rejected(r#"{"modified": "2024-01-02T03:04:05Z"}"#);
        assert_eq!(record, Some(Record::JsonPath("$".into())));
        assert!(reason.starts_with("missing field `id`"), "{reason}");

        let (record, reason) = rejected(r#"{"id": "GHSA-aaaa-bbbb-cccc"}"#);
        assert_eq!(record, at("$"));
        assert!(reason.starts_with("missing field `modified`"), "{reason}");

        let (record, reason) = rejected(
            r#"{"id": "GHSA-aaaa-bbbb-cccc", "modified": "2024-01-02T03:04:05Z", "affeced": []}"#,
        );
        assert_eq!(record, at("$.affeced"));
        assert!(reason.starts_with("unknown field `affeced`"), "{reason}");

        let (record, reason) = rejected(
            r#"{"id": "GHSA-aaaa-bbbb-cccc", "id": "GHSA-aaaa-bbbb-cccc", "modified": "2024-01-02T03:04:05Z"}"#,
        );
        assert_eq!(record, Some(Record::JsonPath("$".into())));
        assert!(reason.starts_with("duplicate field `id`"), "{reason}");
    }

    #[test]
    fn id_and_timestamps_are_checked() {
        let (record, reason) = rejected(r#"{"id": "NOPE-1", "modified": "2024-01-02T03:04:05Z"}"#);
        assert_eq!(
            record,
            Some(Record::Id {
                id: "NOPE-1".into(),
                path: Some("$.id".into())
            })
        );
        assert!(
            reason.starts_with("id `NOPE-1` does not start with a known"),
            "{reason}"
        );

        let (record, reason) = rejected(
            r#"{"id": "GHSA-aaaa-bbbb-cccc", "modified": "2024-01-02T03:04:05Z", "withdrawn": "2024-01-02"}"#,
        );
        assert_eq!(record, at("$.withdrawn"));
        assert!(
            reason.starts_with("`2024-01-02` is not an RFC 3339 UTC timestamp"),
            "{reason}"
        );
    }

    #[test]
    fn nulls_only_where_the_schema_allows_them() {
        let ok = r#"{"id": "GHSA-aaaa-bbbb-cccc", "modified": "2024-01-02T03:04:05Z",
                     "aliases": null, "affected": null, "references": null, "severity": null}"#;
        assert!(parse_record("t.json", ok.as_bytes()).is_ok());
        for (field, value) in [
            ("related", "null"),
            ("summary", "null"),
            ("published", "null"),
            ("credits", "null"),
            ("database_specific", "null"),
            ("database_specific", "[\"HIGH\"]"),
        ] {
            let doc = format!(
                r#"{{"id": "GHSA-aaaa-bbbb-cccc", "modified": "2024-01-02T03:04:05Z", "{field}": {value}}}"#
            );
            let (record, _) = rejected(&doc);
            assert_eq!(record, at(&format!("$.{field}")), "{doc}");
        }
    }

    #[test]
    fn events_hold_exactly_one_known_key() {
        let (record, reason) = rejected(&with_range(
            r#"{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "1", "limit": "2"}]}"#,
        ));
        assert_eq!(record, at("$.affected[0].ranges[1].events[1]"));
        assert!(
            reason.starts_with("event has both `fixed` and `limit`"),
            "{reason}"
        );

        let (record, reason) = rejected(&with_range(
            r#"{"type": "SEMVER", "events": [{"introduced": "0"}, {}]}"#,
        ));
        assert_eq!(record, at("$.affected[0].ranges[1].events[1]"));
        assert!(reason.starts_with("empty event"), "{reason}");

        let (record, reason) = rejected(&with_range(
            r#"{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixd": "1"}]}"#,
        ));
        assert_eq!(record, at("$.affected[0].ranges[1].events[1].fixd"));
        assert!(reason.starts_with("unknown event type `fixd`"), "{reason}");

        let (record, _) = rejected(&with_range(
            r#"{"type": "SEMVER", "events": [{"introduced": 0}]}"#,
        ));
        assert_eq!(record, at("$.affected[0].ranges[1].events[0].introduced"));
    }

    #[test]
    fn range_rules() {
        for (range, path, start) in [
            (
                r#"{"type": "SEMVER", "events": [{"fixed": "1"}]}"#,
                "$.affected[0].ranges[1]",
                "range has no `introduced` event",
            ),
            (
                r#"{"type": "SEMVER", "events": []}"#,
                "$.affected[0].ranges[1]",
                "range has no events",
            ),
            (
                r#"{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "1"}, {"last_affected": "2"}]}"#,
                "$.affected[0].ranges[1]",
                "range has both a `fixed` event (events[1]) and a `last_affected` event (events[2])",
            ),
            (
                r#"{"type": "GIT", "events": [{"introduced": "0"}]}"#,
                "$.affected[0].ranges[1]",
                "GIT range has no `repo`",
            ),
            (
                r#"{"type": "semver", "events": [{"introduced": "0"}]}"#,
                "$.affected[0].ranges[1].type",
                "unknown variant `semver`",
            ),
            (
                r#"{"type": "SEMVER", "events": [{"introduced": "0"}], "database_specific": 1}"#,
                "$.affected[0].ranges[1].database_specific",
                "invalid type: integer `1`, expected an object",
            ),
        ] {
            let (record, reason) = rejected(&with_range(range));
            assert_eq!(record, at(path), "{range}");
            assert!(reason.starts_with(start), "{range}: {reason}");
        }
        let ok = with_range(
            r#"{"type": "GIT", "repo": "https://x.example/r", "events": [{"introduced": "0"}, {"limit": "abc"}]}"#,
        );
        let a = parse_record("t.json", ok.as_bytes()).expect("valid");
        assert_eq!(
            a.affected[0].ranges[1].events[1],
            Event::Limit("abc".into())
        );
    }

    #[test]
    fn severity_rules() {
        let (record, reason) = rejected(
            r#"{"id": "GHSA-aaaa-bbbb-cccc", "modified": "2024-01-02T03:04:05Z",
                "severity": [{"type": "CVSS_V3", "score": "7.5"}]}"#,
        );
        assert_eq!(record, at("$.severity[0]"));
        assert!(
            reason.starts_with("invalid CVSS_V3 score `7.5`"),
            "{reason}"
        );

        let (record, reason) = rejected(
            r#"{"id": "GHSA-aaaa-bbbb-cccc", "modified": "2024-01-02T03:04:05Z",
                "severity": [{"type": "Ubuntu", "score": "low"}],
                "affected": [{"severity": [{"type": "Ubuntu", "score": "high"}]}]}"#,
        );
        assert_eq!(record, at("$"));
        assert!(
            reason.starts_with("affected[0].severity is set although"),
            "{reason}"
        );
    }

    #[test]
    fn database_specific_keeps_only_a_string_severity() {
        let doc = |db: &str| {
            format!(
                r#"{{"id": "GHSA-aaaa-bbbb-cccc", "modified": "2024-01-02T03:04:05Z", "database_specific": {db}}}"#
            )
        };
        let severity = |db: &str| {
            parse_record("t.json", doc(db).as_bytes())
                .expect("valid")
                .database_severity
        };
        assert_eq!(
            severity(r#"{"cwe_ids": ["CWE-1"], "severity": "HIGH"}"#),
            Some("HIGH".into())
        );
        assert_eq!(severity(r#"{"severity": {"score": 7}}"#), None);
        assert_eq!(severity(r#"{"severity": null, "x": [1, {"y": 2}]}"#), None);
        let (record, _) = rejected(&doc(r#"{"severity": "LOW", "severity": "HIGH"}"#));
        assert_eq!(record, at("$.database_specific"));
    }

    #[test]
    fn syntax_errors_name_the_line() {
        let err = parse_record("t.json", b"{\n\"id\": \"GHSA-a\",\n").expect_err("truncated");
        assert_eq!(err.kind, FeedErrorKind::Syntax);
        assert_eq!(err.record, Some(Record::Line(3)));
        let err = parse_record("t.json", b"").expect_err("empty");
        assert_eq!(err.kind, FeedErrorKind::Syntax);
    }

    #[test]
    fn jsonl_lines() {
        let doc = format!(
            "\u{feff}{MINIMAL}\r\n\n   \n{}\n",
            MINIMAL.replace("aaaa", "dddd")
        );
        let records = parse_jsonl("t.jsonl", doc.as_bytes()).expect("valid");
        assert_eq!(records.len(), 2);
        assert_eq!(records[1].id, "GHSA-dddd-bbbb-cccc");
        assert_eq!(
            parse_any("t.jsonl", doc.as_bytes()).expect("valid"),
            records
        );

        let doc = format!("{MINIMAL}\n{{\"modified\": \"x\"}}\n");
        let err = parse_jsonl("t.jsonl", doc.as_bytes()).expect_err("bad line 2");
        assert_eq!(err.record, Some(Record::Line(2)));
        assert!(err.reason.contains("(at $.modified, column"), "{err}");
        let doc = format!("{MINIMAL}\n{{\"id\": \"GHSA-x\",\n");
        let err = parse_jsonl("t.jsonl", doc.as_bytes()).expect_err("bad line 2");
        assert_eq!(
            (err.kind, err.record),
            (FeedErrorKind::Syntax, Some(Record::Line(2)))
        );
    }

    #[test]
    fn forms_are_detected_by_content() {
        let two = format!("{MINIMAL}\n{MINIMAL}\n");
        assert_eq!(detect(two.as_bytes()), Some(Form::Jsonl));
        assert_eq!(detect(MINIMAL.as_bytes()), Some(Form::Record));
        assert_eq!(
            detect(format!("{MINIMAL}\n\n").as_bytes()),
            Some(Form::Record)
        );
        let pretty = "{\n  \"id\": \"GHSA-a\",\n  \"affected\": [\n{\"x\": 1}\n  ]\n}\n";
        assert_eq!(detect(pretty.as_bytes()), Some(Form::Record));
        assert_eq!(detect(b"PK\x03\x04rest"), Some(Form::Zip));
        assert_eq!(detect(b"[{}]"), None);
        assert_eq!(detect(b""), None);
        let err = parse_any("t", b"id,modified\n").expect_err("csv");
        assert_eq!(err.kind, FeedErrorKind::UnknownFormat);
    }

    #[test]
    fn serialises_as_osv() {
        let doc = r#"{"id": "GHSA-aaaa-bbbb-cccc", "modified": "2024-01-02T03:04:05Z",
                      "affected": [{"package": {"ecosystem": "AlmaLinux:9", "name": "x"},
                                    "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"last_affected": "1-2.el9"}]}]}],
                      "severity": [{"type": "CVSS_V2", "score": "AV:N/AC:L/Au:N/C:P/I:P/A:P"}],
                      "references": [{"type": "WEB", "url": "https://x.example"}],
                      "credits": [{"name": "n", "type": "REMEDIATION_DEVELOPER"}],
                      "database_specific": {"severity": "HIGH", "other": 1}}"#;
        let a = parse_record("t.json", doc.as_bytes()).expect("valid");
        let package = a.affected[0].package.as_ref().expect("package");
        assert_eq!(
            (package.ecosystem_name(), package.ecosystem_suffix()),
            ("AlmaLinux", Some("9"))
        );
        let json = serde_json::to_string(&a).expect("serialise");
        assert_eq!(
            json,
            r#"{"id":"GHSA-aaaa-bbbb-cccc","modified":"2024-01-02T03:04:05Z","severity":[{"type":"CVSS_V2","score":"AV:N/AC:L/Au:N/C:P/I:P/A:P"}],"affected":[{"package":{"ecosystem":"AlmaLinux:9","name":"x"},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"last_affected":"1-2.el9"}]}]}],"references":[{"type":"WEB","url":"https://x.example"}],"credits":[{"name":"n","type":"REMEDIATION_DEVELOPER"}],"database_specific":{"severity":"HIGH"}}"#
        );
        assert_eq!(parse_record("t.json", json.as_bytes()).expect("again"), a);
    }
}
