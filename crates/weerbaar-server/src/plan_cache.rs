//! Patch plans, computed once per change of a tenant's data rather than once per request.
//!
//! A plan is a pure function of the tenant's stored findings and exceptions, the policy and the
//! day. Every change to a tenant's data writes an audit row in the same transaction (the
//! store's rule), so the tenant's newest audit id is a revision of everything the plan reads:
//! while it, the day and the policy stay the same, the serialised plan can be served again. At
//! portfolio scale this is the difference between ~20 ms of judging per request and a lookup.
//!
//! Audit ids are time-ordered per instance. With several instances whose clocks disagree, a
//! change made elsewhere could carry an id below the newest one seen, so an entry is also
//! recomputed after [`MAX_AGE`]: the plan is then at most that much behind, never wrong for
//! longer.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::body::Bytes;
use jiff::civil::Date;
use weerbaar_store::TenantId;

/// How long a plan is served without recomputing, even when the revision is unchanged.
pub const MAX_AGE: Duration = Duration::from_secs(60);
/// Plans kept; the oldest goes first (a plan of a large tenant is ~0.5 MB of JSON).
const MAX_ENTRIES: usize = 128;

#[derive(Debug)]
struct Entry {
    revision: Option<String>,
    made: Instant,
    body: Bytes,
}

/// Serialised plans by tenant and day.
#[derive(Debug, Default)]
pub struct PlanCache {
    entries: Mutex<HashMap<(TenantId, Date), Entry>>,
}

impl PlanCache {
    /// The plan made at `revision`, if it is still fresh.
    pub fn get(&self, tenant: &TenantId, day: Date, revision: Option<&str>) -> Option<Bytes> {
        let entries = self.entries.lock().ok()?;
        let entry = entries.get(&(tenant.clone(), day))?;
        (entry.revision.as_deref() == revision && entry.made.elapsed() < MAX_AGE)
            .then(|| entry.body.clone())
    }

    /// Keeps the plan made at `revision`.
    pub fn put(&self, tenant: &TenantId, day: Date, revision: Option<String>, body: Bytes) {
        let Ok(mut entries) = self.entries.lock() else {
            return;
        };
        if entries.len() >= MAX_ENTRIES {
            let oldest = entries
                .iter()
                .min_by_key(|(_, e)| e.made)
                .map(|(k, _)| k.clone());
            if let Some(key) = oldest {
                entries.remove(&key);
            }
        }
        entries.insert(
            (tenant.clone(), day),
            Entry {
                revision,
                made: Instant::now(),
                body,
            },
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_revision_or_another_day_misses() {
        let cache = PlanCache::default();
        let t = TenantId::new("gemeente-a").expect("tenant");
        let day = Date::constant(2026, 11, 28);
        cache.put(&t, day, Some("r1".into()), Bytes::from_static(b"{}"));
        assert_eq!(cache.get(&t, day, Some("r1")).as_deref(), Some(&b"{}"[..]));
        assert!(cache.get(&t, day, Some("r2")).is_none(), "data changed");
        assert!(cache.get(&t, day, None).is_none());
        assert!(
            cache
                .get(&t, Date::constant(2026, 11, 29), Some("r1"))
                .is_none()
        );
        let other = TenantId::new("gemeente-b").expect("tenant");
        assert!(cache.get(&other, day, Some("r1")).is_none(), "per tenant");
    }

    #[test]
    fn it_stays_bounded() {
        let cache = PlanCache::default();
        let day = Date::constant(2026, 11, 28);
        for i in 0..(MAX_ENTRIES + 10) {
            let t = TenantId::new(&format!("t-{i}")).expect("tenant");
            cache.put(&t, day, None, Bytes::new());
        }
        assert_eq!(cache.entries.lock().expect("lock").len(), MAX_ENTRIES);
    }
}
