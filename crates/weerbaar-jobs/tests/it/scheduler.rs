//! Two instances (two schedulers on two pools of one database) with a hand-moved clock: each
//! slot runs once; a dead instance's slot is taken over after its lease; a holder that lost its
//! claim stops, and one that was taken over cannot record its outcome.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::{Notify, mpsc, oneshot};
use weerbaar_jobs::{Clock, JobsError, Scheduler, Scope};
use weerbaar_store::{JobRun, JobStatus, Store};

use crate::backends::TestDb;

#[derive(Debug)]
struct ManualClock(AtomicI64);

impl ManualClock {
    fn at(now: i64) -> Arc<Self> {
        Arc::new(Self(AtomicI64::new(now)))
    }
    fn set(&self, now: i64) {
        self.0.store(now, Ordering::SeqCst);
    }
}

impl Clock for ManualClock {
    fn now(&self) -> i64 {
        self.0.load(Ordering::SeqCst)
    }
}

const JOB: &str = "count";
const FAST: Duration = Duration::from_millis(10);

/// A scheduler of one instance, ticking fast, with a 30-second lease on `clock`.
fn instance(store: Store, name: &str, clock: &Arc<ManualClock>, heartbeat: Duration) -> Scheduler {
    Scheduler::new(store, name)
        .with_clock(Arc::clone(clock) as Arc<dyn Clock>)
        .with_timing(30, heartbeat, FAST)
}

/// Runs `scheduler` until the returned sender fires (or is dropped).
fn start(scheduler: Scheduler) -> (oneshot::Sender<()>, tokio::task::JoinHandle<()>) {
    let (stop, stopped) = oneshot::channel::<()>();
    let handle = tokio::spawn(scheduler.run(async move {
        let _ = stopped.await;
    }));
    (stop, handle)
}

/// Waits (polling, up to 20 s) until the job's run of `slot` satisfies `ok`.
async fn wait_for(store: &Store, slot: i64, ok: impl Fn(&JobRun) -> bool) -> JobRun {
    for _ in 0..2000 {
        let runs = store.last_runs(JOB, 50).await.expect("runs");
        if let Some(run) = runs.into_iter().find(|r| r.slot == slot && ok(r)) {
            return run;
        }
        tokio::time::sleep(FAST).await;
    }
    panic!("slot {slot} of {JOB} never reached the expected state");
}

type Ran = Arc<Mutex<BTreeMap<i64, Vec<String>>>>;

/// A job body that records which instance ran which slot.
fn counting(
    ran: &Ran,
    who: &str,
) -> impl Fn(
    weerbaar_jobs::JobContext,
) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<String, JobsError>> + Send>>
+ Send
+ Sync
+ 'static {
    let (ran, who) = (Arc::clone(ran), who.to_owned());
    move |ctx| {
        let (ran, who) = (Arc::clone(&ran), who.clone());
        Box::pin(async move {
            ran.lock()
                .expect("lock")
                .entry(ctx.slot)
                .or_default()
                .push(who.clone());
            // Long enough that the other instance ticks several times meanwhile.
            tokio::time::sleep(Duration::from_millis(50)).await;
            Ok(format!("{who} ran slot {}", ctx.slot))
        })
    }
}

db_test!(
    each_slot_runs_once_across_two_instances,
    async |db: &TestDb| {
        let clock = ManualClock::at(1_000);
        let ran: Ran = Arc::default();
        let a = instance(db.store.clone(), "a", &clock, FAST).job(
            JOB,
            10,
            Scope::Cluster,
            counting(&ran, "a"),
        );
        let b = instance(db.second().await, "b", &clock, FAST).job(
            JOB,
            10,
            Scope::Cluster,
            counting(&ran, "b"),
        );
        let (stop_a, a) = start(a);
        let (stop_b, b) = start(b);
        for slot in 100..106 {
            clock.set(slot * 10 + 5);
            wait_for(&db.store, slot, |r| r.status == JobStatus::Done).await;
        }
        // Both keep ticking on the last slot for a while: a second run would show up now.
        tokio::time::sleep(Duration::from_millis(200)).await;
        let _ = (stop_a.send(()), stop_b.send(()));
        a.await.expect("a");
        b.await.expect("b");
        let ran = ran.lock().expect("lock").clone();
        assert_eq!(
            ran.keys().copied().collect::<Vec<_>>(),
            (100..106).collect::<Vec<_>>()
        );
        for (slot, who) in &ran {
            assert_eq!(who.len(), 1, "slot {slot} ran on {who:?}");
        }
        let runs = db.store.last_runs(JOB, 50).await.expect("runs");
        assert_eq!(runs.len(), 6);
        for run in &runs {
            assert_eq!((run.status, run.fencing), (JobStatus::Done, 1), "{run:?}");
            assert_eq!(
                run.detail.as_deref(),
                Some(format!("{} ran slot {}", run.holder, run.slot).as_str())
            );
        }
    }
);

db_test!(
    a_dead_instances_slot_is_taken_over_after_the_lease,
    async |db: &TestDb| {
        let clock = ManualClock::at(5_000);
        let (started, mut started_rx) = mpsc::unbounded_channel::<()>();
        let a_finished = Arc::new(AtomicBool::new(false));
        let a = {
            let a_finished = Arc::clone(&a_finished);
            instance(db.store.clone(), "a", &clock, FAST).job(
                JOB,
                1_000,
                Scope::Cluster,
                move |_ctx| {
                    let (started, a_finished) = (started.clone(), Arc::clone(&a_finished));
                    async move {
                        let _ = started.send(());
                        // Works "forever": the instance dies first.
                        tokio::time::sleep(Duration::from_secs(3_600)).await;
                        a_finished.store(true, Ordering::SeqCst);
                        Ok("a".to_owned())
                    }
                },
            )
        };
        let (_stop_a, a) = start(a);
        tokio::time::timeout(Duration::from_secs(20), started_rx.recv())
            .await
            .expect("a starts the slot");
        let ran: Ran = Arc::default();
        let b = instance(db.second().await, "b", &clock, FAST).job(
            JOB,
            1_000,
            Scope::Cluster,
            counting(&ran, "b"),
        );
        let (stop_b, b) = start(b);
        // While a lives (and renews), b leaves the slot alone.
        tokio::time::sleep(Duration::from_millis(200)).await;
        let run = wait_for(&db.store, 5, |_| true).await;
        assert_eq!((run.holder.as_str(), run.status), ("a", JobStatus::Running));
        assert!(ran.lock().expect("lock").is_empty());
        // a is killed: no release, no more heartbeats.
        a.abort();
        assert!(a.await.expect_err("aborted").is_cancelled());
        // Within the lease nobody takes over; after it, b does.
        clock.set(5_030);
        tokio::time::sleep(Duration::from_millis(200)).await;
        assert!(
            ran.lock().expect("lock").is_empty(),
            "taken over before the lease ran out"
        );
        clock.set(5_031);
        let run = wait_for(&db.store, 5, |r| r.status == JobStatus::Done).await;
        assert_eq!((run.holder.as_str(), run.fencing), ("b", 2));
        assert_eq!(run.detail.as_deref(), Some("b ran slot 5"));
        let _ = stop_b.send(());
        b.await.expect("b");
        assert_eq!(ran.lock().expect("lock").get(&5).map(Vec::len), Some(1));
        assert!(!a_finished.load(Ordering::SeqCst));
    }
);

/// Sets its flag when dropped: the body was cancelled (or ended).
struct DropFlag(Arc<AtomicBool>);

impl Drop for DropFlag {
    fn drop(&mut self) {
        self.0.store(true, Ordering::SeqCst);
    }
}

db_test!(a_holder_that_lost_its_claim_stops, async |db: &TestDb| {
    let clock = ManualClock::at(9_000);
    let (started, mut started_rx) = mpsc::unbounded_channel::<()>();
    let dropped = Arc::new(AtomicBool::new(false));
    let returned = Arc::new(AtomicBool::new(false));
    let a = {
        let (dropped, returned) = (Arc::clone(&dropped), Arc::clone(&returned));
        instance(db.store.clone(), "a", &clock, Duration::from_millis(20)).job(
            JOB,
            1_000,
            Scope::Cluster,
            move |_ctx| {
                let (started, dropped, returned) =
                    (started.clone(), Arc::clone(&dropped), Arc::clone(&returned));
                async move {
                    let _guard = DropFlag(dropped);
                    let _ = started.send(());
                    std::future::pending::<()>().await;
                    returned.store(true, Ordering::SeqCst);
                    Ok("a".to_owned())
                }
            },
        )
    };
    let (stop_a, a) = start(a);
    tokio::time::timeout(Duration::from_secs(20), started_rx.recv())
        .await
        .expect("a starts the slot");
    assert!(!dropped.load(Ordering::SeqCst));
    // Another instance whose clock says the lease is long over takes the slot.
    let other = db.second().await;
    let taken = other
        .claim_slot(JOB, 9, "c", 99_000, 30)
        .await
        .expect("claim")
        .expect("taken over");
    assert_eq!(taken.fencing, 2);
    // a's next heartbeat fails: it drops the body.
    for _ in 0..2000 {
        if dropped.load(Ordering::SeqCst) {
            break;
        }
        tokio::time::sleep(FAST).await;
    }
    assert!(
        dropped.load(Ordering::SeqCst),
        "a went on after losing its claim"
    );
    assert!(!returned.load(Ordering::SeqCst));
    let run = wait_for(&db.store, 9, |_| true).await;
    assert_eq!(
        (run.holder.as_str(), run.fencing, run.status),
        ("c", 2, JobStatus::Running)
    );
    let _ = stop_a.send(());
    a.await.expect("a");
    other.close().await;
});

db_test!(
    a_taken_over_holder_cannot_record_its_outcome,
    async |db: &TestDb| {
        let clock = ManualClock::at(20_000);
        let (started, mut started_rx) = mpsc::unbounded_channel::<()>();
        let release = Arc::new(Notify::new());
        let a = {
            let release = Arc::clone(&release);
            // A heartbeat so slow it never beats here: a paused process.
            instance(db.store.clone(), "a", &clock, Duration::from_secs(3_600)).job(
                JOB,
                1_000,
                Scope::Cluster,
                move |_ctx| {
                    let (started, release) = (started.clone(), Arc::clone(&release));
                    async move {
                        let _ = started.send(());
                        release.notified().await;
                        Ok("a, late".to_owned())
                    }
                },
            )
        };
        let (stop_a, a) = start(a);
        tokio::time::timeout(Duration::from_secs(20), started_rx.recv())
            .await
            .expect("a starts the slot");
        let ran: Ran = Arc::default();
        let b = instance(db.second().await, "b", &clock, FAST).job(
            JOB,
            1_000,
            Scope::Cluster,
            counting(&ran, "b"),
        );
        let (stop_b, b) = start(b);
        clock.set(20_031);
        let run = wait_for(&db.store, 20, |r| r.status == JobStatus::Done).await;
        assert_eq!((run.holder.as_str(), run.fencing), ("b", 2));
        // a wakes up and finishes: its outcome is refused.
        release.notify_one();
        tokio::time::sleep(Duration::from_millis(200)).await;
        let run = wait_for(&db.store, 20, |_| true).await;
        assert_eq!(
            (
                run.holder.as_str(),
                run.fencing,
                run.status,
                run.detail.as_deref()
            ),
            ("b", 2, JobStatus::Done, Some("b ran slot 20"))
        );
        let _ = (stop_a.send(()), stop_b.send(()));
        a.await.expect("a");
        b.await.expect("b");
    }
);

db_test!(
    a_stopped_instance_releases_its_slot_at_once,
    async |db: &TestDb| {
        let clock = ManualClock::at(30_000);
        let (started, mut started_rx) = mpsc::unbounded_channel::<()>();
        let a = instance(db.store.clone(), "a", &clock, FAST).job(
            JOB,
            1_000,
            Scope::Cluster,
            move |_ctx| {
                let started = started.clone();
                async move {
                    let _ = started.send(());
                    std::future::pending::<()>().await;
                    Ok("a".to_owned())
                }
            },
        );
        let (stop_a, a) = start(a);
        tokio::time::timeout(Duration::from_secs(20), started_rx.recv())
            .await
            .expect("a starts the slot");
        // Graceful shutdown: the lease is given back, so b need not wait for it to run out.
        let _ = stop_a.send(());
        a.await.expect("a");
        let ran: Ran = Arc::default();
        let b = instance(db.second().await, "b", &clock, FAST).job(
            JOB,
            1_000,
            Scope::Cluster,
            counting(&ran, "b"),
        );
        let (stop_b, b) = start(b);
        let run = wait_for(&db.store, 30, |r| r.status == JobStatus::Done).await;
        assert_eq!((run.holder.as_str(), run.fencing), ("b", 2));
        let _ = stop_b.send(());
        b.await.expect("b");
    }
);

db_test!(
    per_instance_jobs_run_once_on_each_instance,
    async |db: &TestDb| {
        let clock = ManualClock::at(1_000);
        let ran: Ran = Arc::default();
        let a = instance(db.store.clone(), "a", &clock, FAST).job(
            JOB,
            10,
            Scope::Instance,
            counting(&ran, "a"),
        );
        let b = instance(db.second().await, "b", &clock, FAST).job(
            JOB,
            10,
            Scope::Instance,
            counting(&ran, "b"),
        );
        let (stop_a, a) = start(a);
        let (stop_b, b) = start(b);
        for key in ["count@a", "count@b"] {
            for _ in 0..2000 {
                let runs = db.store.last_runs(key, 1).await.expect("runs");
                if runs.first().is_some_and(|r| r.status == JobStatus::Done) {
                    break;
                }
                tokio::time::sleep(FAST).await;
            }
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
        let _ = (stop_a.send(()), stop_b.send(()));
        a.await.expect("a");
        b.await.expect("b");
        let ran = ran.lock().expect("lock").clone();
        let mut who = ran.get(&100).cloned().unwrap_or_default();
        who.sort();
        assert_eq!(who, ["a", "b"]);
    }
);

db_test!(
    the_standard_scheduler_runs_the_enabled_jobs,
    async |db: &TestDb| {
        use weerbaar_jobs::{JobsConfig, tasks};
        let mut config = JobsConfig::default();
        let all = tasks::scheduler(db.store.clone(), "a", &config, &db.dir).expect("scheduler");
        assert_eq!(all.job_names(), ["feed-sync", "rematch-queue", "retention"]);
        config.feed_sync.enabled = false;
        let some = tasks::scheduler(db.store.clone(), "a", &config, &db.dir).expect("scheduler");
        assert_eq!(some.job_names(), ["rematch-queue", "retention"]);
        config.enabled = false;
        let none = tasks::scheduler(db.store.clone(), "a", &config, &db.dir).expect("scheduler");
        assert!(none.job_names().is_empty());
        // A bad feed configuration is refused at start, not at the first run hours later.
        let mut bad = JobsConfig::default();
        bad.feed_sync.sources = vec!["rss".into()];
        let err = tasks::scheduler(db.store.clone(), "a", &bad, &db.dir).expect_err("bad source");
        assert!(err.to_string().contains("jobs.feed_sync.sources"), "{err}");
    }
);
