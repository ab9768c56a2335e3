//! Portfolio questions over many tenants' findings: who is exposed to this vulnerability, and
//! what is new since a day.
//!
//! These are the pure halves of `weerbaar exposure ID` and `weerbaar findings --new-since DATE`:
//! the adapter selects candidate findings from storage (by an alias index, so that the 50 ms
//! target holds), these functions decide and sort.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::exception::{EffectiveState, Exception, effective_state};
use crate::finding::{AssetRef, Finding};
use crate::policy::{DueDate, PolicySet};
use crate::sla::{SlaState, state};

/// One exposed asset.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Exposed {
    pub tenant: String,
    pub asset: AssetRef,
    /// The advisory as the finding names it (the queried id may be one of its aliases).
    pub advisory_id: String,
    pub ecosystem: String,
    pub package: String,
    pub installed: String,
    /// The lowest fixed version above the installed one, if any.
    pub fix: Option<String>,
    pub due: DueDate,
    pub sla: SlaState,
    /// Open, reopened, or set aside by an exception (still listed: the provider must see it).
    pub state: EffectiveState,
}

/// Every unresolved finding of `id` (or an alias of it) across tenants, on `today`, ordered by
/// tenant then asset. `exceptions` gives each tenant's exceptions.
pub fn exposure<'a>(
    findings: impl IntoIterator<Item = &'a Finding>,
    id: &str,
    policies: &PolicySet,
    exceptions: impl Fn(&str) -> &'a [Exception],
    today: Date,
) -> Vec<Exposed> {
    let mut out: Vec<Exposed> = findings
        .into_iter()
        .filter(|f| f.has_id(id))
        .filter_map(|f| {
            let eff = effective_state(f, exceptions(&f.tenant), today);
            if matches!(eff, EffectiveState::Resolved { .. }) {
                return None;
            }
            let policy = policies.for_tenant(&f.tenant);
            let due = match eff {
                EffectiveState::Reopened { since } => policy.due_date_from(f, since),
                _ => policy.due_date(f),
            };
            Some(Exposed {
                tenant: f.tenant.clone(),
                asset: f.asset.clone(),
                advisory_id: f.advisory_id.clone(),
                ecosystem: f.package.ecosystem.clone(),
                package: f.package.name.clone(),
                installed: f.package.version.clone(),
                fix: crate::action::lowest_fix(f),
                due,
                sla: state(due.date, None, today, policy.due_soon_days),
                state: eff,
            })
        })
        .collect();
    out.sort_by(|a, b| {
        (&a.tenant, &a.asset.name, &a.package, &a.advisory_id).cmp(&(
            &b.tenant,
            &b.asset.name,
            &b.package,
            &b.advisory_id,
        ))
    });
    out
}

/// The findings first seen on or after `since`, newest first, then by tenant and asset.
pub fn new_since<'a>(
    findings: impl IntoIterator<Item = &'a Finding>,
    since: Date,
) -> Vec<&'a Finding> {
    let mut out: Vec<&Finding> = findings
        .into_iter()
        .filter(|f| f.first_seen >= since)
        .collect();
    out.sort_by(|a, b| {
        b.first_seen
            .cmp(&a.first_seen)
            .then_with(|| a.tenant.cmp(&b.tenant))
            .then_with(|| a.asset.name.cmp(&b.asset.name))
            .then_with(|| a.advisory_id.cmp(&b.advisory_id))
    });
    out
}
