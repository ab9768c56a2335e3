//! SLA states and remediation statistics.

use proptest::prelude::*;
use weerbaar_plan::SlaState;
use weerbaar_plan::sla::{Tracked, overdue_series, remediation_times, state};

use crate::common::d;

#[test]
fn states_around_the_due_date() {
    let due = d("2025-03-10");
    assert_eq!(state(due, None, d("2025-03-01"), 7), SlaState::Open);
    assert_eq!(state(due, None, d("2025-03-03"), 7), SlaState::DueSoon);
    assert_eq!(state(due, None, d("2025-03-10"), 7), SlaState::DueSoon);
    assert_eq!(state(due, None, d("2025-03-11"), 7), SlaState::Overdue);
    assert_eq!(state(due, None, d("2025-03-05"), 0), SlaState::Open);
    assert_eq!(
        state(due, Some(d("2025-03-10")), d("2025-04-01"), 7),
        SlaState::ResolvedInTime
    );
    assert_eq!(
        state(due, Some(d("2025-03-11")), d("2025-04-01"), 7),
        SlaState::ResolvedLate
    );
    // A resolution after `today` is not known yet on `today`.
    assert_eq!(
        state(due, Some(d("2025-03-20")), d("2025-03-12"), 7),
        SlaState::Overdue
    );
}

#[test]
fn tracked_takes_the_policy_due_date() {
    use weerbaar_inventory::model::{Criticality, Exposure};
    let mut f = crate::common::finding(
        "t",
        crate::common::asset("a", Criticality::Normal, Exposure::Internal),
        "CVE-1",
        "2025-01-01",
    );
    f.resolved_at = Some(d("2025-02-01"));
    let t = Tracked::of(&f, &weerbaar_plan::Policy::default());
    assert_eq!(
        (t.first_seen, t.due, t.resolved_at),
        (d("2025-01-01"), d("2025-04-01"), Some(d("2025-02-01")))
    );
}

fn t(first: &str, due: &str, resolved: Option<&str>) -> Tracked {
    Tracked {
        first_seen: d(first),
        due: d(due),
        resolved_at: resolved.map(d),
    }
}

#[test]
fn remediation_median_and_p90_by_nearest_rank() {
    // Days to remediate: 1, 2, …, 10, and one still open.
    let mut items: Vec<Tracked> = (1..=10)
        .map(|n| Tracked {
            first_seen: d("2025-01-01"),
            due: d("2025-01-05"),
            resolved_at: Some(
                d("2025-01-01")
                    .checked_add(jiff::Span::new().days(n))
                    .expect("test input is valid"),
            ),
        })
        .collect();
    items.push(t("2025-01-01", "2025-01-05", None));
    let r = remediation_times(&items, d("2025-12-31"));
    assert_eq!(r.resolved, 10);
    assert_eq!(r.median_days, Some(5));
    assert_eq!(r.p90_days, Some(9));
    assert_eq!(r.late, 6);
    let none = remediation_times(&items, d("2025-01-01"));
    assert_eq!(
        (none.resolved, none.median_days, none.p90_days),
        (0, None, None)
    );
}

#[test]
fn overdue_counts_over_time() {
    let items = [
        t("2025-01-01", "2025-01-03", Some("2025-01-06")),
        t("2025-01-02", "2025-01-04", None),
        t("2025-01-05", "2025-01-05", None),
    ];
    let series = overdue_series(&items, d("2025-01-01"), d("2025-01-08"), 1);
    let counts: Vec<usize> = series.iter().map(|(_, n)| *n).collect();
    assert_eq!(counts, [0, 0, 0, 1, 2, 2, 2, 2]);
    let weekly = overdue_series(&items, d("2025-01-01"), d("2025-01-15"), 7);
    assert_eq!(
        weekly,
        [
            (d("2025-01-01"), 0),
            (d("2025-01-08"), 2),
            (d("2025-01-15"), 2)
        ]
    );
}

proptest! {
    #[test]
    fn resolved_states_agree_with_dates(due in 0i64..400, res in 0i64..400, today in 0i64..800) {
        let base = d("2025-01-01");
        let day = |n: i64| base.checked_add(jiff::Span::new().days(n)).expect("test input is valid");
        let s = state(day(due), Some(day(res)), day(today), 7);
        if res > today {
            prop_assert!(matches!(s, SlaState::Open | SlaState::DueSoon | SlaState::Overdue));
        } else if res <= due {
            prop_assert_eq!(s, SlaState::ResolvedInTime);
        } else {
            prop_assert_eq!(s, SlaState::ResolvedLate);
        }
    }
}
