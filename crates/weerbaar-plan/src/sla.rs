//! Service levels: whether findings are remediated by their due date, and how fast.
//!
//! Decisions:
//!
//! * A due date is the last day on which remediation counts as in time: resolved on the due day
//!   is "resolved in time", open the day after is "overdue".
//! * "Due soon" is open with at most `window` days left (default 7, the policy's
//!   `due_soon_days`), including the due day itself.
//! * Time to remediate is counted in whole days from first seen to resolved. Percentiles use the
//!   nearest-rank method (the value at rank ⌈p·n⌉ of the sorted list): the result is always a
//!   duration that actually occurred, which is easier to explain than an interpolated one.
//! * The overdue series counts, for each day asked, findings seen by then, past due on that day
//!   and not resolved by then. Findings under an exception on a day are the caller's to leave
//!   out (the adapter knows the exception history; this module only sees dates).

use jiff::ToSpan;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::lang::Lang;

/// The SLA state of a finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SlaState {
    Open,
    DueSoon,
    Overdue,
    ResolvedInTime,
    ResolvedLate,
}

impl SlaState {
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::DueSoon => "due_soon",
            Self::Overdue => "overdue",
            Self::ResolvedInTime => "resolved_in_time",
            Self::ResolvedLate => "resolved_late",
        }
    }

    #[must_use]
    pub fn text(self, lang: Lang) -> &'static str {
        match self {
            Self::Open => lang.pick("open", "open"),
            Self::DueSoon => lang.pick("due soon", "termijn loopt bijna af"),
            Self::Overdue => lang.pick("overdue", "achterstallig"),
            Self::ResolvedInTime => lang.pick("resolved in time", "tijdig opgelost"),
            Self::ResolvedLate => lang.pick("resolved late", "te laat opgelost"),
        }
    }
}

/// The state on day `today` of a finding due on `due`, resolved on `resolved` (if it is, by
/// `today`), with a due-soon window of `window` days.
#[must_use]
pub fn state(due: Date, resolved: Option<Date>, today: Date, window: u16) -> SlaState {
    match resolved.filter(|r| *r <= today) {
        Some(r) if r <= due => SlaState::ResolvedInTime,
        Some(_) => SlaState::ResolvedLate,
        None if today > due => SlaState::Overdue,
        None if crate::policy::add_days(today, window) >= due => SlaState::DueSoon,
        None => SlaState::Open,
    }
}

/// The dates of one finding that tracking needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tracked {
    pub first_seen: Date,
    pub due: Date,
    pub resolved_at: Option<Date>,
}

impl Tracked {
    /// The dates of `finding` under `policy` (due date from first seen).
    #[must_use]
    pub fn of(finding: &crate::finding::Finding, policy: &crate::policy::Policy) -> Self {
        Self {
            first_seen: finding.first_seen,
            due: policy.due_date(finding).date,
            resolved_at: finding.resolved_at,
        }
    }
}

/// Time to remediate over the resolved findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RemediationTimes {
    /// How many findings were resolved.
    pub resolved: usize,
    /// Median days from first seen to resolved (`None` when nothing was resolved).
    pub median_days: Option<i64>,
    /// 90th percentile, nearest rank.
    pub p90_days: Option<i64>,
    /// How many were resolved after their due date.
    pub late: usize,
}

/// Time to remediate, over the findings resolved on or before `until`.
#[must_use]
pub fn remediation_times(items: &[Tracked], until: Date) -> RemediationTimes {
    let mut days: Vec<i64> = Vec::new();
    let mut late = 0;
    for t in items {
        if let Some(r) = t.resolved_at.filter(|r| *r <= until) {
            days.push(days_between(t.first_seen, r).max(0));
            if r > t.due {
                late += 1;
            }
        }
    }
    days.sort_unstable();
    RemediationTimes {
        resolved: days.len(),
        median_days: nearest_rank(&days, 50),
        p90_days: nearest_rank(&days, 90),
        late,
    }
}

/// Whole days from `a` to `b` (negative when `b` is earlier).
#[must_use]
pub fn days_between(a: Date, b: Date) -> i64 {
    a.until(b).map_or(0, |span| i64::from(span.get_days()))
}

/// The value at rank ⌈p·n/100⌉ (one-based) of a sorted list.
fn nearest_rank(sorted: &[i64], p: usize) -> Option<i64> {
    if sorted.is_empty() {
        return None;
    }
    let rank = (p * sorted.len()).div_ceil(100).max(1);
    sorted.get(rank - 1).copied()
}

/// Whether `t` is overdue on `day`.
#[must_use]
pub fn overdue_on(t: &Tracked, day: Date) -> bool {
    t.first_seen <= day && day > t.due && t.resolved_at.is_none_or(|r| r > day)
}

/// The number of overdue findings on each day from `from` to `to` (inclusive), every `step`
/// days (a step of 0 is taken as 1). Days past jiff's calendar end the series.
#[must_use]
pub fn overdue_series(items: &[Tracked], from: Date, to: Date, step: u16) -> Vec<(Date, usize)> {
    let step = i64::from(step.max(1));
    let mut out = Vec::new();
    let mut day = from;
    while day <= to {
        out.push((day, items.iter().filter(|t| overdue_on(t, day)).count()));
        match day.checked_add(step.days()) {
            Ok(next) => day = next,
            Err(_) => break,
        }
    }
    out
}
