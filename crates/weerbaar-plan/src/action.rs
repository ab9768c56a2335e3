//! Fix actions: findings grouped into the upgrades that remove them.
//!
//! Decisions:
//!
//! * A unit of work is one package version on one asset. Its **target** is the lowest version
//!   that fixes all of its findings: for each finding, the lowest of its fixed versions above the
//!   installed one (fixed versions of other branches do not apply), and of those, the highest.
//!   Versions are compared with the ecosystem's own scheme (`weerbaar-versions`); when the
//!   ecosystem is unknown or a version does not parse, the generic scheme is tried, then plain
//!   string order, so odd data still yields a plan (and never a panic).
//! * Units with the same ecosystem, package name and target become one action: "upgrade openssl
//!   to 3.0.7-25.el9 on 14 hosts". Ecosystems keep their release (`AlmaLinux:8` and
//!   `AlmaLinux:9` are different upgrades). Different installed versions with the same target
//!   share the action.
//! * Findings without an applicable fix become one "no fix available: mitigate" action per
//!   package and installed version.
//! * An action's decision is the highest of its findings, its due date the earliest; actions are
//!   ordered by decision (most urgent first), due date, package, target.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use weerbaar_versions::{Ecosystem, Scheme, Version};

use crate::finding::{AssetRef, Finding};
use crate::lang::{Lang, count};
use crate::policy::DueDate;
use crate::priority::{Decision, Priority};
use crate::sla::SlaState;

/// A finding with its priority, due date and SLA state: what the plan is made of.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Assessed {
    pub finding: Finding,
    pub priority: Priority,
    pub due: DueDate,
    pub sla: SlaState,
}

/// What to do.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ActionKind {
    /// Upgrade the package to `target`.
    Upgrade { target: String },
    /// No fixed version is known: mitigate (configuration, isolation, replacement).
    Mitigate,
}

/// One fix action.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Action {
    pub kind: ActionKind,
    pub ecosystem: String,
    pub package: String,
    /// The installed versions it upgrades from, in scheme order.
    pub installed: Vec<String>,
    /// The assets it touches, by name.
    pub assets: Vec<AssetRef>,
    /// The distinct advisory ids it removes, sorted.
    pub advisories: Vec<String>,
    /// How many of those are in CISA KEV.
    pub kev: usize,
    /// Whether any of them is known to be used by ransomware.
    pub ransomware: bool,
    /// The highest decision of its findings.
    pub decision: Decision,
    /// The earliest due date of its findings.
    pub due: Date,
    /// The findings, most urgent first.
    pub findings: Vec<Assessed>,
}

impl Action {
    /// "upgrade openssl to 3.0.7-25.el9 on 14 hosts: fixes 9 advisories, 2 of them in KEV".
    #[must_use]
    pub fn title(&self, lang: Lang) -> String {
        let hosts = count(self.assets.len(), "host", "hosts");
        let advisories = match lang {
            Lang::En => count(self.advisories.len(), "advisory", "advisories"),
            Lang::NlBe => count(self.advisories.len(), "kwetsbaarheid", "kwetsbaarheden"),
        };
        let kev = match (self.kev, lang) {
            (0, _) => String::new(),
            (n, Lang::En) => format!(", {n} of them in KEV"),
            (n, Lang::NlBe) => format!(", waarvan {n} in KEV"),
        };
        // A product inventoried without a version (an appliance known by name only) has an empty
        // entry here; it must not leave a dangling space in the sentence.
        let installed: Vec<&str> = self
            .installed
            .iter()
            .map(String::as_str)
            .filter(|v| !v.trim().is_empty())
            .collect();
        let what = if installed.is_empty() {
            self.package.clone()
        } else {
            format!("{} {}", self.package, installed.join(", "))
        };
        match (&self.kind, lang) {
            (ActionKind::Upgrade { target }, Lang::En) => format!(
                "upgrade {} to {target} on {hosts}: fixes {advisories}{kev}",
                self.package
            ),
            (ActionKind::Upgrade { target }, Lang::NlBe) => format!(
                "{} upgraden naar {target} op {hosts}: verhelpt {advisories}{kev}",
                self.package
            ),
            (ActionKind::Mitigate, Lang::En) => {
                format!("no fix available for {what} on {hosts}: mitigate {advisories}{kev}")
            }
            (ActionKind::Mitigate, Lang::NlBe) => format!(
                "geen oplossing beschikbaar voor {what} op {hosts}: beperk het risico van {advisories}{kev}"
            ),
        }
    }

    /// The most pressing SLA state of its findings: overdue, then due soon, then open.
    #[must_use]
    pub fn sla(&self) -> SlaState {
        let rank = |s: SlaState| match s {
            SlaState::Overdue => 3,
            SlaState::DueSoon => 2,
            SlaState::Open => 1,
            SlaState::ResolvedLate | SlaState::ResolvedInTime => 0,
        };
        self.findings
            .iter()
            .map(|f| f.sla)
            .max_by_key(|s| rank(*s))
            .unwrap_or(SlaState::Open)
    }

    /// The target version, if it is an upgrade.
    #[must_use]
    pub fn target(&self) -> Option<&str> {
        match &self.kind {
            ActionKind::Upgrade { target } => Some(target),
            ActionKind::Mitigate => None,
        }
    }
}

/// Groups assessed findings into actions, ordered most urgent first.
#[must_use]
pub fn group(findings: Vec<Assessed>) -> Vec<Action> {
    // Unit: (asset, ecosystem, package, installed version).
    let mut units: BTreeMap<(String, String, String, String), Vec<Assessed>> = BTreeMap::new();
    for a in findings {
        let p = &a.finding.package;
        let key = (
            a.finding.asset.name.clone(),
            p.ecosystem.clone(),
            p.name.clone(),
            p.version.clone(),
        );
        units.entry(key).or_default().push(a);
    }

    let mut actions: BTreeMap<(String, String, GroupKey), Vec<Assessed>> = BTreeMap::new();
    for ((_, ecosystem, package, installed), unit) in units {
        let order = Order::for_ecosystem(&ecosystem);
        // Findings without a fix above the installed version cannot share an upgrade.
        let (fixable, unfixable): (Vec<Assessed>, Vec<Assessed>) = unit
            .into_iter()
            .partition(|a| applicable_fix(&order, &installed, &a.finding).is_some());
        if let Some(t) = target(&order, &installed, &fixable) {
            actions
                .entry((ecosystem.clone(), package.clone(), GroupKey::Upgrade(t)))
                .or_default()
                .extend(fixable);
        }
        if !unfixable.is_empty() {
            // A mitigation has no common target to merge on: one per installed version.
            actions
                .entry((ecosystem, package, GroupKey::Mitigate(installed)))
                .or_default()
                .extend(unfixable);
        }
    }

    let mut out: Vec<Action> = actions
        .into_iter()
        .filter_map(|((ecosystem, package, key), findings)| {
            let kind = match key {
                GroupKey::Upgrade(target) => ActionKind::Upgrade { target },
                GroupKey::Mitigate(_) => ActionKind::Mitigate,
            };
            build(ecosystem, package, kind, findings)
        })
        .collect();
    out.sort_by(|a, b| {
        b.decision
            .cmp(&a.decision)
            .then(a.due.cmp(&b.due))
            .then_with(|| a.package.cmp(&b.package))
            .then_with(|| a.kind.cmp(&b.kind))
            .then_with(|| a.installed.cmp(&b.installed))
    });
    out
}

#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
enum GroupKey {
    Upgrade(String),
    Mitigate(String),
}

fn build(
    ecosystem: String,
    package: String,
    kind: ActionKind,
    mut findings: Vec<Assessed>,
) -> Option<Action> {
    findings.sort_by(|a, b| {
        b.priority
            .decision
            .cmp(&a.priority.decision)
            .then(a.due.date.cmp(&b.due.date))
            .then_with(|| a.finding.asset.name.cmp(&b.finding.asset.name))
            .then_with(|| a.finding.advisory_id.cmp(&b.finding.advisory_id))
    });
    let first = findings.first()?;
    let decision = first.priority.decision;
    let due = findings.iter().map(|f| f.due.date).min()?;
    let order = Order::for_ecosystem(&ecosystem);
    let mut installed: Vec<String> = findings
        .iter()
        .map(|f| f.finding.package.version.clone())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    installed.sort_by(|a, b| order.cmp(a, b));
    let mut assets: BTreeMap<&str, &AssetRef> = BTreeMap::new();
    let mut advisories: BTreeMap<&str, (bool, bool)> = BTreeMap::new();
    for f in &findings {
        assets
            .entry(&f.finding.asset.name)
            .or_insert(&f.finding.asset);
        let kev = f.finding.kev.as_ref();
        advisories.insert(
            &f.finding.advisory_id,
            (kev.is_some(), kev.is_some_and(|k| k.ransomware)),
        );
    }
    let assets: Vec<AssetRef> = assets.into_values().cloned().collect();
    let kev = advisories.values().filter(|(k, _)| *k).count();
    let ransomware = advisories.values().any(|(_, r)| *r);
    let advisories: Vec<String> = advisories.into_keys().map(str::to_owned).collect();
    Some(Action {
        kind,
        ecosystem,
        package,
        installed,
        assets,
        advisories,
        kev,
        ransomware,
        decision,
        due,
        findings,
    })
}

/// The lowest fixed version of `finding` above `installed` (fixes of older branches do not
/// apply).
fn applicable_fix<'a>(order: &Order, installed: &str, finding: &'a Finding) -> Option<&'a str> {
    finding
        .fixed_versions
        .iter()
        .map(String::as_str)
        .filter(|v| order.cmp(v, installed) == Ordering::Greater)
        .min_by(|a, b| order.cmp(a, b))
}

/// The lowest fixed version of `finding` above its installed version, compared in its
/// ecosystem's scheme.
#[must_use]
pub fn lowest_fix(finding: &Finding) -> Option<String> {
    let order = Order::for_ecosystem(&finding.package.ecosystem);
    applicable_fix(&order, &finding.package.version, finding).map(str::to_owned)
}

/// The lowest version that fixes every finding of one installed package version: the highest of
/// their applicable fixes. `None` for no findings or one without a fix.
fn target(order: &Order, installed: &str, unit: &[Assessed]) -> Option<String> {
    let mut needed: Option<&str> = None;
    for a in unit {
        let own = applicable_fix(order, installed, &a.finding)?;
        needed = Some(match needed {
            Some(n) if order.cmp(n, own) != Ordering::Less => n,
            _ => own,
        });
    }
    needed.map(str::to_owned)
}

/// Version order for one ecosystem, with fallbacks for what does not parse.
struct Order {
    scheme: Option<Scheme>,
}

impl Order {
    fn for_ecosystem(ecosystem: &str) -> Self {
        Self {
            scheme: Ecosystem::parse(ecosystem).ok().map(|e| e.scheme()),
        }
    }

    fn cmp(&self, a: &str, b: &str) -> Ordering {
        let by = |scheme: Scheme| -> Option<Ordering> {
            let (a, b) = (
                Version::parse(scheme, a).ok()?,
                Version::parse(scheme, b).ok()?,
            );
            a.partial_cmp(&b)
        };
        self.scheme
            .and_then(by)
            .or_else(|| by(Scheme::Generic))
            .unwrap_or_else(|| a.cmp(b))
    }
}
