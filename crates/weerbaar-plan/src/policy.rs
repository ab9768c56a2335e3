//! The due-date policy: how many days a finding may stay open.
//!
//! Defaults (issue 5), as a table of rules of which the earliest date applies:
//!
//! | rule | days | clock starts |
//! |---|---|---|
//! | in CISA KEV | 14, or KEV's own `dueDate` if that is earlier | the later of first seen and KEV's `dateAdded` |
//! | CVSS critical (≥ 9.0) on an internet-facing asset | 7 | first seen |
//! | CVSS critical (≥ 9.0) | 15 | first seen |
//! | CVSS high (7.0–8.9) | 30 | first seen |
//! | CVSS medium (4.0–6.9) | 90 | first seen |
//! | CVSS low (0.0–3.9) | 180 | first seen |
//! | no CVSS score | 90 | first seen |
//!
//! Decisions:
//!
//! * "Critical" in "critical and internet-facing" is the **CVSS severity**, not the asset's
//!   criticality: the list (critical, high, medium) is the CVSS severity scale, and
//!   internet exposure is the one asset property that makes the same flaw reachable by everyone.
//!   Asset criticality weighs in the SSVC priority instead ([`crate::priority`]), which orders the
//!   work; the due date is the service level, and the same flaw gets the same deadline on every
//!   asset of the same exposure.
//! * Low: 180 days, twice the medium term, so lows are cleaned up twice a year and never pile up
//!   without a date. No score (many distribution advisories carry none): treated as medium
//!   (90 days), the middle of the scale, rather than given no deadline.
//! * The severity thresholds are CVSS's own qualitative scale (v3.x and v4.0 share it).
//! * KEV's clock starts when both are true: the finding exists and CISA has listed it. A finding
//!   already open when its CVE enters KEV gets the KEV date if that is earlier than its CVSS date.
//!   When KEV's own `dueDate` has already passed on the day weerbaar first sees the finding, the
//!   finding is due that same day (never earlier): CISA's deadline is gone, the work is urgent,
//!   and a due date before the finding existed would be meaningless.
//! * The policy file is TOML: `[default]` overrides the built-in defaults, `[tenant.<slug>]`
//!   overrides `[default]` for one tenant; every key is optional, unknown keys are errors (a
//!   misspelt key must not silently keep the default), and a tenant table must be named by a
//!   valid tenant slug. Errors name the file, line and column.

use std::collections::BTreeMap;
use std::fmt;

use jiff::ToSpan;
use jiff::civil::Date;
use serde::{Deserialize, Deserializer, Serialize};
use weerbaar_inventory::model::Exposure;

use crate::finding::{Cvss, Finding};
use crate::lang::Lang;
use crate::priority::Rules;

/// CVSS's qualitative severity of the finding's base score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SeverityClass {
    /// No CVSS score.
    Unscored,
    /// 0.0–3.9 (CVSS "none" is counted as low).
    Low,
    /// 4.0–6.9
    Medium,
    /// 7.0–8.9
    High,
    /// 9.0–10.0
    Critical,
}

impl SeverityClass {
    /// The class of a base score.
    #[must_use]
    pub fn of(cvss: Option<&Cvss>) -> Self {
        match cvss.map(|c| c.base_score) {
            None => Self::Unscored,
            Some(s) if s >= 9.0 => Self::Critical,
            Some(s) if s >= 7.0 => Self::High,
            Some(s) if s >= 4.0 => Self::Medium,
            Some(_) => Self::Low,
        }
    }

    #[must_use]
    pub fn text(self, lang: Lang) -> &'static str {
        match self {
            Self::Unscored => lang.pick("unscored", "zonder score"),
            Self::Low => lang.pick("low", "laag"),
            Self::Medium => lang.pick("medium", "gemiddeld"),
            Self::High => lang.pick("high", "hoog"),
            Self::Critical => lang.pick("critical", "kritiek"),
        }
    }
}

/// One tenant's effective policy.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Policy {
    pub kev_days: u16,
    /// Whether KEV's own `dueDate` applies when it is earlier than `kev_days`.
    pub kev_catalog_due_date: bool,
    pub critical_internet_facing_days: u16,
    pub critical_days: u16,
    pub high_days: u16,
    pub medium_days: u16,
    pub low_days: u16,
    pub unscored_days: u16,
    /// How many days before the due date a finding counts as "due soon".
    pub due_soon_days: u16,
    /// EPSS thresholds for the SSVC Exploitation decision point.
    pub rules: Rules,
}

impl Default for Policy {
    fn default() -> Self {
        Self {
            kev_days: 14,
            kev_catalog_due_date: true,
            critical_internet_facing_days: 7,
            critical_days: 15,
            high_days: 30,
            medium_days: 90,
            low_days: 180,
            unscored_days: 90,
            due_soon_days: 7,
            rules: Rules::default(),
        }
    }
}

/// The rule that set a due date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum DueRule {
    /// `days` after the KEV listing (or first seen, if later).
    Kev { days: u16 },
    /// KEV's own due date, earlier than the policy's days.
    KevCatalog { due: Date },
    /// KEV's own due date had passed when the finding was first seen.
    KevCatalogPassed { due: Date },
    /// By CVSS severity and exposure.
    Severity {
        class: SeverityClass,
        internet_facing: bool,
        days: u16,
    },
}

impl DueRule {
    #[must_use]
    pub fn text(&self, lang: Lang) -> String {
        match (self, lang) {
            (Self::Kev { days }, Lang::En) => format!("in KEV: {days} days"),
            (Self::Kev { days }, Lang::NlBe) => format!("in KEV: {days} dagen"),
            (Self::KevCatalog { due }, Lang::En) => format!("CISA KEV deadline {due}"),
            (Self::KevCatalog { due }, Lang::NlBe) => format!("CISA KEV-termijn {due}"),
            (Self::KevCatalogPassed { due }, Lang::En) => {
                format!("CISA KEV deadline {due} already passed: due immediately")
            }
            (Self::KevCatalogPassed { due }, Lang::NlBe) => {
                format!("CISA KEV-termijn {due} al verstreken: onmiddellijk")
            }
            (
                Self::Severity {
                    class,
                    internet_facing,
                    days,
                },
                _,
            ) => {
                let exposure = match (internet_facing, lang) {
                    (true, Lang::En) => ", internet-facing",
                    (true, Lang::NlBe) => ", bereikbaar vanaf het internet",
                    (false, _) => "",
                };
                match lang {
                    Lang::En => format!("CVSS {}{exposure}: {days} days", class.text(lang)),
                    Lang::NlBe => format!("CVSS {}{exposure}: {days} dagen", class.text(lang)),
                }
            }
        }
    }
}

/// A due date and the rule that set it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DueDate {
    /// The last day on which remediation is in time.
    pub date: Date,
    pub rule: DueRule,
}

impl Policy {
    /// The due date of a finding whose clock started on its first-seen day.
    #[must_use]
    pub fn due_date(&self, finding: &Finding) -> DueDate {
        self.due_date_from(finding, finding.first_seen)
    }

    /// The due date with the clock started on `start` (a reopened finding restarts its clock on
    /// the day its exception expired).
    #[must_use]
    pub fn due_date_from(&self, finding: &Finding, start: Date) -> DueDate {
        let class = SeverityClass::of(finding.cvss.as_ref());
        let internet_facing = finding.asset.exposure == Exposure::InternetFacing;
        let days = match class {
            SeverityClass::Critical if internet_facing => self.critical_internet_facing_days,
            SeverityClass::Critical => self.critical_days,
            SeverityClass::High => self.high_days,
            SeverityClass::Medium => self.medium_days,
            SeverityClass::Low => self.low_days,
            SeverityClass::Unscored => self.unscored_days,
        };
        let mut best = DueDate {
            date: add_days(start, days),
            rule: DueRule::Severity {
                class,
                internet_facing: internet_facing && class == SeverityClass::Critical,
                days,
            },
        };
        if let Some(kev) = &finding.kev {
            let kev_start = start.max(kev.date_added);
            let mut candidate = DueDate {
                date: add_days(kev_start, self.kev_days),
                rule: DueRule::Kev {
                    days: self.kev_days,
                },
            };
            if self.kev_catalog_due_date && kev.due_date < candidate.date {
                candidate = if kev.due_date < kev_start {
                    DueDate {
                        date: kev_start,
                        rule: DueRule::KevCatalogPassed { due: kev.due_date },
                    }
                } else {
                    DueDate {
                        date: kev.due_date,
                        rule: DueRule::KevCatalog { due: kev.due_date },
                    }
                };
            }
            // On a tie the KEV rule is the one worth naming.
            if candidate.date <= best.date {
                best = candidate;
            }
        }
        best
    }
}

/// `date + days`, saturating at the end of jiff's calendar (year 9999).
pub(crate) fn add_days(date: Date, days: u16) -> Date {
    date.checked_add(i64::from(days).days())
        .unwrap_or(Date::MAX)
}

/// The policies of all tenants: the default and per-tenant overrides.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct PolicySet {
    pub default: Policy,
    pub tenants: BTreeMap<String, Policy>,
}

impl PolicySet {
    /// The policy of `tenant` (the default when it has no table of its own).
    #[must_use]
    pub fn for_tenant(&self, tenant: &str) -> &Policy {
        self.tenants.get(tenant).unwrap_or(&self.default)
    }

    /// Reads a policy file. `file` is only used in error messages.
    ///
    /// # Errors
    /// [`PolicyError`] naming the file, line and column, for TOML syntax errors, unknown keys,
    /// wrong types and out-of-range values.
    pub fn parse(file: &str, text: &str) -> Result<Self, PolicyError> {
        let raw: RawFile = toml::from_str(text).map_err(|e| {
            let (line, column) = e.span().map_or((None, None), |span| {
                let (l, c) = line_col(text, span.start);
                (Some(l), Some(c))
            });
            PolicyError {
                file: file.to_owned(),
                line,
                column,
                message: e.message().trim().to_owned(),
            }
        })?;
        let default = raw.default.apply(Policy::default());
        let tenants = raw
            .tenant
            .into_iter()
            .map(|(Slug(slug), o)| (slug, o.apply(default.clone())))
            .collect();
        Ok(Self { default, tenants })
    }
}

/// One-based line and column (in characters) of a byte offset.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before.get(line_start..).map_or(0, |s| s.chars().count()) + 1;
    (line, column)
}

/// A policy file that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct PolicyError {
    pub file: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
}

impl fmt::Display for PolicyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.line, self.column) {
            (Some(l), Some(c)) => write!(f, "{}:{l}:{c}: {}", self.file, self.message),
            _ => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    default: Overrides,
    #[serde(default)]
    tenant: BTreeMap<Slug, Overrides>,
}

/// A tenant slug as storage accepts it: lowercase ASCII letters, digits and `-`, not starting
/// with `-`, at most 63 bytes. A table for any other name could never apply.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Slug(String);

impl<'de> Deserialize<'de> for Slug {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        let valid = !s.is_empty()
            && s.len() <= 63
            && !s.starts_with('-')
            && s.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if valid {
            Ok(Self(s))
        } else {
            Err(serde::de::Error::custom(format!(
                "{s:?} is not a tenant slug (lowercase letters, digits and -)"
            )))
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Overrides {
    kev_days: Option<Days>,
    kev_catalog_due_date: Option<bool>,
    critical_internet_facing_days: Option<Days>,
    critical_days: Option<Days>,
    high_days: Option<Days>,
    medium_days: Option<Days>,
    low_days: Option<Days>,
    unscored_days: Option<Days>,
    due_soon_days: Option<Days>,
    epss_threshold: Option<Probability>,
    epss_percentile_threshold: Option<Probability>,
}

impl Overrides {
    fn apply(self, mut p: Policy) -> Policy {
        let set = |slot: &mut u16, v: Option<Days>| {
            if let Some(Days(d)) = v {
                *slot = d;
            }
        };
        set(&mut p.kev_days, self.kev_days);
        set(
            &mut p.critical_internet_facing_days,
            self.critical_internet_facing_days,
        );
        set(&mut p.critical_days, self.critical_days);
        set(&mut p.high_days, self.high_days);
        set(&mut p.medium_days, self.medium_days);
        set(&mut p.low_days, self.low_days);
        set(&mut p.unscored_days, self.unscored_days);
        set(&mut p.due_soon_days, self.due_soon_days);
        if let Some(b) = self.kev_catalog_due_date {
            p.kev_catalog_due_date = b;
        }
        if let Some(Probability(x)) = self.epss_threshold {
            p.rules.epss_threshold = x;
        }
        if let Some(Probability(x)) = self.epss_percentile_threshold {
            p.rules.epss_percentile_threshold = x;
        }
        p
    }
}

/// The longest term a policy may set: ten years. Longer is a typo, not a policy.
pub const MAX_DAYS: u16 = 3650;

/// A number of days, 0–3650 (0 means "due the day it is seen").
#[derive(Debug, Clone, Copy)]
struct Days(u16);

impl<'de> Deserialize<'de> for Days {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let n = i64::deserialize(d)?;
        u16::try_from(n)
            .ok()
            .filter(|&n| n <= MAX_DAYS)
            .map(Days)
            .ok_or_else(|| {
                serde::de::Error::custom(format!(
                    "{n} is not a number of days between 0 and {MAX_DAYS}"
                ))
            })
    }
}

/// A number in [0, 1].
#[derive(Debug, Clone, Copy)]
struct Probability(f64);

impl<'de> Deserialize<'de> for Probability {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let x = f64::deserialize(d)?;
        if (0.0..=1.0).contains(&x) {
            Ok(Self(x))
        } else {
            Err(serde::de::Error::custom(format!(
                "{x} is not a probability between 0 and 1"
            )))
        }
    }
}
