//! What deserves a notification: a finding that is newly in KEV, or newly Act.
//!
//! The pure half of notifications: the adapter keeps the findings of the previous rematch (or
//! import), calls [`alerts`] with the new ones, and sends the result by e-mail or webhook.
//!
//! Decisions:
//!
//! * A finding is identified by [`FindingKey`] (tenant, asset, advisory, package, installed
//!   version): an upgrade that leaves the advisory open is a new finding, as it needs a new fix.
//! * "New KEV" fires when a finding appears already KEV-listed, or when its CVE enters KEV;
//!   "new Act" when a finding appears as Act or rises to Act (a KEV listing, an asset made
//!   internet-facing). One finding can raise both; each is reported.
//! * Findings resolved or under an exception in force on `today` raise nothing: the tenant
//!   decided about them already. A reopened finding counts as open.

use std::collections::HashMap;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::exception::{Exception, ExceptionIndex};
use crate::finding::Finding;
use crate::policy::PolicySet;
use crate::priority::{Decision, assess};

/// The identity of a finding across imports and rematches.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct FindingKey {
    pub tenant: String,
    pub asset: String,
    pub advisory_id: String,
    pub ecosystem: String,
    pub package: String,
    pub version: String,
}

impl FindingKey {
    #[must_use]
    pub fn of(f: &Finding) -> Self {
        Self {
            tenant: f.tenant.clone(),
            asset: f.asset.name.clone(),
            advisory_id: f.advisory_id.clone(),
            ecosystem: f.package.ecosystem.clone(),
            package: f.package.name.clone(),
            version: f.package.version.clone(),
        }
    }
}

/// Why a notification is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AlertKind {
    /// The finding is in CISA KEV and was not (or did not exist) before.
    NewKev,
    /// The finding's decision is Act and was not (or did not exist) before.
    NewAct,
}

/// One notification.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Alert {
    pub kind: AlertKind,
    pub finding: Finding,
}

/// The alerts raised by going from `before` to `after` on `today`, ordered by tenant, kind,
/// asset and advisory. `exceptions` gives each tenant's exceptions.
pub fn alerts<'a>(
    before: &[Finding],
    after: &[Finding],
    policies: &PolicySet,
    exceptions: impl Fn(&str) -> &'a [Exception],
    today: Date,
) -> Vec<Alert> {
    let old: HashMap<FindingKey, &Finding> =
        before.iter().map(|f| (FindingKey::of(f), f)).collect();
    let mut indexes: HashMap<&str, ExceptionIndex<'a>> = HashMap::new();
    let mut out = Vec::new();
    for f in after {
        let index = indexes
            .entry(&f.tenant)
            .or_insert_with(|| ExceptionIndex::new(exceptions(&f.tenant)));
        if !index.effective_state(f, today).needs_action() {
            continue;
        }
        let rules = &policies.for_tenant(&f.tenant).rules;
        let previous = old.get(&FindingKey::of(f)).copied();
        if f.kev.is_some() && previous.is_none_or(|p| p.kev.is_none()) {
            out.push(Alert {
                kind: AlertKind::NewKev,
                finding: f.clone(),
            });
        }
        if assess(f, rules).decision == Decision::Act
            && previous.is_none_or(|p| assess(p, rules).decision < Decision::Act)
        {
            out.push(Alert {
                kind: AlertKind::NewAct,
                finding: f.clone(),
            });
        }
    }
    out.sort_by(|a, b| {
        (
            &a.finding.tenant,
            a.kind,
            &a.finding.asset.name,
            &a.finding.advisory_id,
        )
            .cmp(&(
                &b.finding.tenant,
                b.kind,
                &b.finding.asset.name,
                &b.finding.advisory_id,
            ))
    });
    out
}
