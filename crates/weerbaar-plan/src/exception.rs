//! Exceptions, VEX-style: a decision by a person that a finding needs no remediation (for now).
//!
//! Decisions:
//!
//! * Three kinds, as the issue names them: `not_affected` with a justification, `accepted_risk`
//!   with an expiry date, `false_positive`. Every exception records who decided, why and when.
//! * Justifications are CycloneDX's nine (`impactAnalysisJustification`), the richer of the two
//!   vocabularies; OpenVEX's five map onto them and back ([`Justification::to_openvex`],
//!   [`Justification::from_openvex`]). The mapping is lossy (nine onto five), so CycloneDX's value
//!   is the one stored. OpenVEX → CycloneDX picks the closest CycloneDX value, chosen so that
//!   CycloneDX → OpenVEX → CycloneDX → OpenVEX is stable:
//!
//!   | OpenVEX | CycloneDX |
//!   |---|---|
//!   | `component_not_present` | `requires_dependency` |
//!   | `vulnerable_code_not_present` | `code_not_present` |
//!   | `vulnerable_code_not_in_execute_path` | `code_not_reachable` |
//!   | `vulnerable_code_cannot_be_controlled_by_adversary` | `requires_environment` |
//!   | `inline_mitigations_already_exist` | `protected_by_mitigating_control` |
//!
//!   and CycloneDX → OpenVEX: `code_not_present` → `vulnerable_code_not_present`,
//!   `code_not_reachable` → `vulnerable_code_not_in_execute_path`, `requires_dependency` →
//!   `component_not_present`, `requires_configuration`/`requires_environment`/
//!   `protected_at_perimeter` → `vulnerable_code_cannot_be_controlled_by_adversary`,
//!   `protected_by_compiler`/`protected_at_runtime`/`protected_by_mitigating_control` →
//!   `inline_mitigations_already_exist`.
//! * Scope: an advisory id (matched against the finding's id and all its aliases, so an
//!   exception on `CVE-2024-3400` covers the `GHSA`/`ALSA` that carries that alias), narrowed
//!   optionally to a package (name or purl) and to an asset. An exception without asset covers
//!   every asset of the tenant; the adapter keeps exceptions per tenant.
//! * [`effective_state`] is a pure function of the finding, the exceptions and a day. Nothing is
//!   mutated when an accepted risk expires: from the expiry day on, the finding is
//!   [`EffectiveState::Reopened`], with its due-date clock restarted at the expiry day (the risk
//!   was consciously deferred; an instant "overdue" would punish recording it).
//! * When several exceptions match, the most recent decision (by date, then by how narrow its
//!   scope is) wins: a later decision supersedes an earlier one.

use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::finding::Finding;
use crate::lang::Lang;

/// CycloneDX's `impactAnalysisJustification`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Justification {
    CodeNotPresent,
    CodeNotReachable,
    RequiresConfiguration,
    RequiresDependency,
    RequiresEnvironment,
    ProtectedByCompiler,
    ProtectedAtRuntime,
    ProtectedAtPerimeter,
    ProtectedByMitigatingControl,
}

/// OpenVEX's status justifications.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OpenVexJustification {
    ComponentNotPresent,
    VulnerableCodeNotPresent,
    VulnerableCodeNotInExecutePath,
    VulnerableCodeCannotBeControlledByAdversary,
    InlineMitigationsAlreadyExist,
}

impl Justification {
    pub const ALL: [Self; 9] = [
        Self::CodeNotPresent,
        Self::CodeNotReachable,
        Self::RequiresConfiguration,
        Self::RequiresDependency,
        Self::RequiresEnvironment,
        Self::ProtectedByCompiler,
        Self::ProtectedAtRuntime,
        Self::ProtectedAtPerimeter,
        Self::ProtectedByMitigatingControl,
    ];

    /// CycloneDX's keyword.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::CodeNotPresent => "code_not_present",
            Self::CodeNotReachable => "code_not_reachable",
            Self::RequiresConfiguration => "requires_configuration",
            Self::RequiresDependency => "requires_dependency",
            Self::RequiresEnvironment => "requires_environment",
            Self::ProtectedByCompiler => "protected_by_compiler",
            Self::ProtectedAtRuntime => "protected_at_runtime",
            Self::ProtectedAtPerimeter => "protected_at_perimeter",
            Self::ProtectedByMitigatingControl => "protected_by_mitigating_control",
        }
    }

    #[must_use]
    pub const fn to_openvex(self) -> OpenVexJustification {
        use OpenVexJustification as O;
        match self {
            Self::CodeNotPresent => O::VulnerableCodeNotPresent,
            Self::CodeNotReachable => O::VulnerableCodeNotInExecutePath,
            Self::RequiresDependency => O::ComponentNotPresent,
            Self::RequiresConfiguration
            | Self::RequiresEnvironment
            | Self::ProtectedAtPerimeter => O::VulnerableCodeCannotBeControlledByAdversary,
            Self::ProtectedByCompiler
            | Self::ProtectedAtRuntime
            | Self::ProtectedByMitigatingControl => O::InlineMitigationsAlreadyExist,
        }
    }

    #[must_use]
    pub const fn from_openvex(j: OpenVexJustification) -> Self {
        use OpenVexJustification as O;
        match j {
            O::ComponentNotPresent => Self::RequiresDependency,
            O::VulnerableCodeNotPresent => Self::CodeNotPresent,
            O::VulnerableCodeNotInExecutePath => Self::CodeNotReachable,
            O::VulnerableCodeCannotBeControlledByAdversary => Self::RequiresEnvironment,
            O::InlineMitigationsAlreadyExist => Self::ProtectedByMitigatingControl,
        }
    }

    #[must_use]
    pub fn text(self, lang: Lang) -> &'static str {
        match self {
            Self::CodeNotPresent => lang.pick(
                "vulnerable code not present",
                "kwetsbare code niet aanwezig",
            ),
            Self::CodeNotReachable => lang.pick(
                "vulnerable code not reachable",
                "kwetsbare code niet bereikbaar",
            ),
            Self::RequiresConfiguration => lang.pick(
                "requires a configuration not in use",
                "vereist een configuratie die niet gebruikt wordt",
            ),
            Self::RequiresDependency => lang.pick(
                "requires a dependency not present",
                "vereist een afhankelijkheid die niet aanwezig is",
            ),
            Self::RequiresEnvironment => lang.pick(
                "requires an environment not present",
                "vereist een omgeving die niet aanwezig is",
            ),
            Self::ProtectedByCompiler => {
                lang.pick("protected by the compiler", "beschermd door de compiler")
            }
            Self::ProtectedAtRuntime => {
                lang.pick("protected at runtime", "beschermd tijdens de uitvoering")
            }
            Self::ProtectedAtPerimeter => lang.pick(
                "protected at the perimeter",
                "beschermd aan de rand van het netwerk",
            ),
            Self::ProtectedByMitigatingControl => lang.pick(
                "protected by a mitigating control",
                "beschermd door een beperkende maatregel",
            ),
        }
    }
}

impl FromStr for Justification {
    type Err = String;

    /// CycloneDX's keywords, and OpenVEX's (mapped).
    fn from_str(s: &str) -> Result<Self, String> {
        if let Some(j) = Self::ALL.iter().find(|j| j.as_str() == s) {
            return Ok(*j);
        }
        OpenVexJustification::from_str(s)
            .map(Self::from_openvex)
            .map_err(|_| {
                let all: Vec<&str> = Self::ALL.iter().map(|j| j.as_str()).collect();
                format!(
                    "unknown justification {s:?}; expected one of: {} (or an OpenVEX justification)",
                    all.join(", ")
                )
            })
    }
}

impl OpenVexJustification {
    pub const ALL: [Self; 5] = [
        Self::ComponentNotPresent,
        Self::VulnerableCodeNotPresent,
        Self::VulnerableCodeNotInExecutePath,
        Self::VulnerableCodeCannotBeControlledByAdversary,
        Self::InlineMitigationsAlreadyExist,
    ];

    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::ComponentNotPresent => "component_not_present",
            Self::VulnerableCodeNotPresent => "vulnerable_code_not_present",
            Self::VulnerableCodeNotInExecutePath => "vulnerable_code_not_in_execute_path",
            Self::VulnerableCodeCannotBeControlledByAdversary => {
                "vulnerable_code_cannot_be_controlled_by_adversary"
            }
            Self::InlineMitigationsAlreadyExist => "inline_mitigations_already_exist",
        }
    }
}

impl FromStr for OpenVexJustification {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        Self::ALL
            .iter()
            .find(|j| j.as_str() == s)
            .copied()
            .ok_or_else(|| format!("unknown OpenVEX justification {s:?}"))
    }
}

impl fmt::Display for Justification {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What an exception says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ExceptionKind {
    NotAffected {
        justification: Justification,
    },
    /// The risk is accepted until `expires`; from that day on the finding is open again.
    AcceptedRisk {
        expires: Date,
    },
    FalsePositive,
}

impl ExceptionKind {
    /// `not_affected`, `accepted_risk`, `false_positive`.
    #[must_use]
    pub const fn as_str(&self) -> &'static str {
        match self {
            Self::NotAffected { .. } => "not_affected",
            Self::AcceptedRisk { .. } => "accepted_risk",
            Self::FalsePositive => "false_positive",
        }
    }

    #[must_use]
    pub fn text(&self, lang: Lang) -> String {
        match (self, lang) {
            (Self::NotAffected { justification }, Lang::En) => {
                format!("not affected: {}", justification.text(lang))
            }
            (Self::NotAffected { justification }, Lang::NlBe) => {
                format!("niet getroffen: {}", justification.text(lang))
            }
            (Self::AcceptedRisk { expires }, Lang::En) => {
                format!("risk accepted until {expires}")
            }
            (Self::AcceptedRisk { expires }, Lang::NlBe) => {
                format!("risico aanvaard tot {expires}")
            }
            (Self::FalsePositive, Lang::En) => "false positive".into(),
            (Self::FalsePositive, Lang::NlBe) => "vals positief".into(),
        }
    }
}

/// Which findings an exception covers.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Scope {
    /// An advisory id or any of its aliases.
    pub advisory: String,
    /// A package name, or a purl (compared without qualifiers and subpath; without a version it
    /// covers every version).
    #[serde(default)]
    pub package: Option<String>,
    /// An asset name.
    #[serde(default)]
    pub asset: Option<String>,
}

impl Scope {
    /// Whether the scope covers `finding`.
    #[must_use]
    pub fn covers(&self, finding: &Finding) -> bool {
        finding.has_id(&self.advisory)
            && self.asset.as_ref().is_none_or(|a| a == &finding.asset.name)
            && self
                .package
                .as_ref()
                .is_none_or(|p| package_matches(p, finding))
    }

    /// How narrow the scope is: 0 (advisory only) to 2 (package and asset).
    #[must_use]
    pub fn specificity(&self) -> u8 {
        u8::from(self.package.is_some()) + u8::from(self.asset.is_some())
    }
}

fn package_matches(scope: &str, finding: &Finding) -> bool {
    if !scope.starts_with("pkg:") {
        return scope == finding.package.name;
    }
    let Some(purl) = &finding.package.purl else {
        return false;
    };
    let (want, have) = (purl_core(scope), purl_core(purl));
    match want.rsplit_once('@') {
        Some(_) => want == have,
        None => have.split_once('@').map_or(have, |(p, _)| p) == want,
    }
}

/// A purl without qualifiers and subpath.
fn purl_core(purl: &str) -> &str {
    let end = purl.find(['?', '#']).unwrap_or(purl.len());
    purl.get(..end).unwrap_or(purl)
}

/// A recorded decision about findings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Exception {
    pub scope: Scope,
    #[serde(flatten)]
    pub kind: ExceptionKind,
    pub author: String,
    pub reason: String,
    /// The day it was decided; it applies from that day on.
    pub date: Date,
}

/// The state of a finding once exceptions are taken into account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum EffectiveState {
    /// Needs remediation.
    Open,
    /// Was under an accepted risk that expired on `since`; needs remediation again.
    Reopened { since: Date },
    /// Resolved by an import (component upgraded or gone).
    Resolved { on: Date },
    /// Covered by an exception in force.
    Excepted(Exception),
}

impl EffectiveState {
    /// Whether the finding belongs in the patch plan.
    #[must_use]
    pub fn needs_action(&self) -> bool {
        matches!(self, Self::Open | Self::Reopened { .. })
    }
}

/// The state of `finding` on day `today`, given the tenant's exceptions.
///
/// Looks at every exception; for many findings against many exceptions, build an
/// [`ExceptionIndex`] once.
#[must_use]
pub fn effective_state(finding: &Finding, exceptions: &[Exception], today: Date) -> EffectiveState {
    state_from(finding, exceptions.iter(), today)
}

fn state_from<'a>(
    finding: &Finding,
    candidates: impl Iterator<Item = &'a Exception>,
    today: Date,
) -> EffectiveState {
    if let Some(on) = finding.resolved_at.filter(|r| *r <= today) {
        return EffectiveState::Resolved { on };
    }
    let latest = candidates
        .filter(|e| e.date <= today && e.scope.covers(finding))
        .max_by_key(|e| (e.date, e.scope.specificity()));
    match latest {
        None => EffectiveState::Open,
        Some(e) => match e.kind {
            ExceptionKind::AcceptedRisk { expires } if expires <= today => {
                EffectiveState::Reopened { since: expires }
            }
            _ => EffectiveState::Excepted(e.clone()),
        },
    }
}

/// A tenant's exceptions indexed by advisory id, so a plan over many findings looks only at the
/// exceptions that name one of a finding's ids.
#[derive(Debug, Clone, Default)]
pub struct ExceptionIndex<'a> {
    by_id: HashMap<String, Vec<&'a Exception>>,
}

impl<'a> ExceptionIndex<'a> {
    #[must_use]
    pub fn new(exceptions: &'a [Exception]) -> Self {
        let mut by_id: HashMap<String, Vec<&'a Exception>> = HashMap::new();
        for e in exceptions {
            by_id
                .entry(e.scope.advisory.trim().to_ascii_lowercase())
                .or_default()
                .push(e);
        }
        Self { by_id }
    }

    /// The same answer as [`effective_state`] over all the indexed exceptions.
    #[must_use]
    pub fn effective_state(&self, finding: &Finding, today: Date) -> EffectiveState {
        if self.by_id.is_empty() {
            return state_from(finding, std::iter::empty(), today);
        }
        let candidates = finding
            .ids()
            .filter_map(|id| self.by_id.get(&id.trim().to_ascii_lowercase()))
            .flatten()
            .copied();
        state_from(finding, candidates, today)
    }
}
