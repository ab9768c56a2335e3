//! The patch plan of one tenant on one day: every step above, put together.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::action::{Action, Assessed, group};
use crate::exception::{EffectiveState, Exception, ExceptionIndex};
use crate::finding::Finding;
use crate::policy::Policy;
use crate::priority::{Decision, assess};
use crate::sla::state;

/// A finding that an exception in force keeps out of the plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Excepted {
    pub finding: Finding,
    pub exception: Exception,
}

/// The plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    pub tenant: String,
    /// The day the plan is for.
    pub today: Date,
    /// Fix actions, most urgent first.
    pub actions: Vec<Action>,
    /// Findings set aside by an exception.
    pub excepted: Vec<Excepted>,
    /// How many of the tenant's findings were already resolved.
    pub resolved: usize,
}

impl Plan {
    /// How many actions carry each decision, most urgent first.
    #[must_use]
    pub fn counts(&self) -> [(Decision, usize); 4] {
        Decision::ALL.map(|d| (d, self.actions.iter().filter(|a| a.decision == d).count()))
    }

    /// How many open findings are overdue.
    #[must_use]
    pub fn overdue(&self) -> usize {
        self.actions
            .iter()
            .flat_map(|a| &a.findings)
            .filter(|f| f.sla == crate::sla::SlaState::Overdue)
            .count()
    }
}

/// Priority, due date and SLA state of one finding on `today`, or why it is not in the plan.
#[must_use]
pub fn assess_finding(
    finding: &Finding,
    exceptions: &[Exception],
    policy: &Policy,
    today: Date,
) -> (EffectiveState, Option<Assessed>) {
    assess_indexed(finding, &ExceptionIndex::new(exceptions), policy, today)
}

fn assess_indexed(
    finding: &Finding,
    exceptions: &ExceptionIndex<'_>,
    policy: &Policy,
    today: Date,
) -> (EffectiveState, Option<Assessed>) {
    let eff = exceptions.effective_state(finding, today);
    let due = match &eff {
        EffectiveState::Reopened { since } => policy.due_date_from(finding, *since),
        _ => policy.due_date(finding),
    };
    let assessed = eff.needs_action().then(|| Assessed {
        finding: finding.clone(),
        priority: assess(finding, &policy.rules),
        due,
        sla: state(due.date, None, today, policy.due_soon_days),
    });
    (eff, assessed)
}

/// The plan of `tenant` on `today`, from its findings (others' are ignored) and exceptions.
#[must_use]
pub fn build(
    tenant: &str,
    findings: &[Finding],
    exceptions: &[Exception],
    policy: &Policy,
    today: Date,
) -> Plan {
    let mut open = Vec::new();
    let mut excepted = Vec::new();
    let mut resolved = 0;
    let index = ExceptionIndex::new(exceptions);
    for f in findings.iter().filter(|f| f.tenant == tenant) {
        let (eff, assessed) = assess_indexed(f, &index, policy, today);
        match (eff, assessed) {
            (_, Some(a)) => open.push(a),
            (EffectiveState::Excepted(exception), None) => excepted.push(Excepted {
                finding: f.clone(),
                exception,
            }),
            (_, None) => resolved += 1,
        }
    }
    Plan {
        tenant: tenant.to_owned(),
        today,
        actions: group(open),
        excepted,
        resolved,
    }
}
