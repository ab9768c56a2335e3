//! The scheduler: claims due slots, runs their bodies with a heartbeat, records the outcome.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use tokio::task::JoinSet;
use weerbaar_store::{JobClaim, JobStatus, Store};

use crate::JobsError;

/// Where the scheduler reads the time (Unix seconds). Tests pass a clock they move by hand.
pub trait Clock: Send + Sync + fmt::Debug {
    fn now(&self) -> i64;
}

/// The system clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> i64 {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
    }
}

/// Where a job's slot is claimed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Once per slot across every instance.
    Cluster,
    /// Once per slot on each instance (its claim is keyed `job@instance`): for work on the
    /// instance's own files.
    Instance,
}

/// What a job body gets.
#[derive(Debug, Clone)]
pub struct JobContext {
    pub store: Store,
    /// The job's name (without an instance suffix).
    pub job: String,
    pub slot: i64,
    /// This instance, as recorded in the audit log (`job:NAME@INSTANCE`).
    pub instance: String,
}

impl JobContext {
    /// The actor audit rows of this job name.
    #[must_use]
    pub fn actor(&self) -> String {
        format!("job:{}@{}", self.job, self.instance)
    }
}

type BoxFuture = Pin<Box<dyn Future<Output = Result<String, JobsError>> + Send>>;
type Body = Arc<dyn Fn(JobContext) -> BoxFuture + Send + Sync>;

struct Job {
    name: String,
    interval: i64,
    scope: Scope,
    body: Body,
}

impl fmt::Debug for Job {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Job")
            .field("name", &self.name)
            .field("interval", &self.interval)
            .field("scope", &self.scope)
            .finish_non_exhaustive()
    }
}

/// How one claimed slot ended on this instance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JobOutcome {
    /// The body returned; its outcome was recorded.
    Done { detail: String },
    /// The body failed; recorded as failed (the next slot tries again).
    Failed { error: String },
    /// The claim was lost (taken over) before or as the body finished: nothing recorded.
    Lost,
}

/// Runs named jobs at intervals, each slot once across the instances sharing the store.
#[derive(Debug)]
pub struct Scheduler {
    store: Store,
    instance: String,
    clock: Arc<dyn Clock>,
    lease: i64,
    heartbeat: Duration,
    tick: Duration,
    jobs: Vec<Arc<Job>>,
}

impl Scheduler {
    /// A scheduler without jobs. `instance` names this process in claims and audit rows; it must
    /// differ between live instances (host name and process id, say).
    #[must_use]
    pub fn new(store: Store, instance: impl Into<String>) -> Self {
        Self {
            store,
            instance: instance.into(),
            clock: Arc::new(SystemClock),
            lease: 120,
            heartbeat: Duration::from_secs(30),
            tick: Duration::from_secs(5),
            jobs: Vec::new(),
        }
    }

    /// Reads time from `clock` instead of the system clock.
    #[must_use]
    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// Lease length (seconds), heartbeat and tick periods.
    #[must_use]
    pub fn with_timing(mut self, lease_seconds: u64, heartbeat: Duration, tick: Duration) -> Self {
        self.lease = i64::try_from(lease_seconds.max(1)).unwrap_or(i64::MAX);
        self.heartbeat = heartbeat.max(Duration::from_millis(10));
        self.tick = tick.max(Duration::from_millis(10));
        self
    }

    /// Adds a job that runs `body` once per `interval_seconds` slot.
    #[must_use]
    pub fn job<F, Fut>(
        mut self,
        name: impl Into<String>,
        interval_seconds: u64,
        scope: Scope,
        body: F,
    ) -> Self
    where
        F: Fn(JobContext) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<String, JobsError>> + Send + 'static,
    {
        let body: Body = Arc::new(move |ctx| Box::pin(body(ctx)));
        self.jobs.push(Arc::new(Job {
            name: name.into(),
            interval: i64::try_from(interval_seconds.max(1)).unwrap_or(i64::MAX),
            scope,
            body,
        }));
        self
    }

    /// The clock the scheduler reads.
    #[must_use]
    pub fn clock(&self) -> Arc<dyn Clock> {
        Arc::clone(&self.clock)
    }

    /// The names of the jobs added.
    #[must_use]
    pub fn job_names(&self) -> Vec<&str> {
        self.jobs.iter().map(|j| j.name.as_str()).collect()
    }

    fn claim_key(&self, job: &Job) -> String {
        match job.scope {
            Scope::Cluster => job.name.clone(),
            Scope::Instance => format!("{}@{}", job.name, self.instance),
        }
    }

    /// Runs until `shutdown` completes: every tick, claims the current slot of each job not
    /// already running here and runs it in its own task. On shutdown the running bodies are
    /// dropped and their leases released, so another instance takes their slots over at once
    /// instead of after the lease.
    pub async fn run(self, shutdown: impl Future<Output = ()> + Send) {
        let mut running: JoinSet<(usize, Option<JobClaim>)> = JoinSet::new();
        let mut busy: HashSet<usize> = HashSet::new();
        let mut tasks: HashMap<tokio::task::Id, usize> = HashMap::new();
        // The last slot each job finished here: no need to ask the database again.
        let mut finished: HashMap<usize, i64> = HashMap::new();
        let mut claims: HashMap<usize, JobClaim> = HashMap::new();
        let mut tick = tokio::time::interval(self.tick);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        tokio::pin!(shutdown);
        loop {
            tokio::select! {
                () = &mut shutdown => break,
                Some(done) = running.join_next_with_id(), if !running.is_empty() => {
                    let (index, claim) = match done {
                        Ok((id, (index, claim))) => {
                            tasks.remove(&id);
                            (index, claim)
                        }
                        // A body that panicked: its slot stays running until the lease
                        // runs out, and is then taken over (here or elsewhere).
                        Err(e) => {
                            tracing::error!(error = %e, "a job task ended abnormally");
                            match tasks.remove(&e.id()) {
                                Some(index) => (index, None),
                                None => continue,
                            }
                        }
                    };
                    busy.remove(&index);
                    claims.remove(&index);
                    if let Some(claim) = claim {
                        finished.insert(index, claim.slot);
                    }
                }
                _ = tick.tick() => {
                    let now = self.clock.now();
                    for (index, job) in self.jobs.iter().enumerate() {
                        let slot = now.div_euclid(job.interval);
                        if busy.contains(&index) || finished.get(&index) == Some(&slot) {
                            continue;
                        }
                        let key = self.claim_key(job);
                        let claim = match self
                            .store
                            .claim_slot(&key, slot, &self.instance, now, self.lease)
                            .await
                        {
                            Ok(Some(claim)) => claim,
                            Ok(None) => continue,
                            Err(e) => {
                                tracing::warn!(job = %key, error = %e, "cannot claim the job's slot");
                                continue;
                            }
                        };
                        tracing::info!(job = %key, slot, fencing = claim.fencing, "job started");
                        claims.insert(index, claim.clone());
                        let run = run_claimed(
                            self.store.clone(),
                            Arc::clone(&self.clock),
                            Arc::clone(job),
                            claim,
                            self.instance.clone(),
                            self.lease,
                            self.heartbeat,
                        );
                        let handle = running.spawn(async move {
                            let (claim, outcome) = run.await;
                            // A lost slot is not finished here: a later tick sees how it ends.
                            (index, (outcome != JobOutcome::Lost).then_some(claim))
                        });
                        tasks.insert(handle.id(), index);
                        busy.insert(index);
                    }
                }
            }
        }
        running.abort_all();
        while running.join_next().await.is_some() {}
        let now = self.clock.now();
        for claim in claims.values() {
            // A lease that ends now lets the next instance's tick take the slot over.
            if let Err(e) = self.store.renew_claim(claim, now, -1).await {
                tracing::warn!(job = %claim.job, error = %e, "cannot release the job's lease");
            }
        }
    }
}

/// Runs one claimed slot: the body beside a heartbeat that renews the lease, then the outcome,
/// recorded only while the claim still holds.
async fn run_claimed(
    store: Store,
    clock: Arc<dyn Clock>,
    job: Arc<Job>,
    claim: JobClaim,
    instance: String,
    lease: i64,
    heartbeat: Duration,
) -> (JobClaim, JobOutcome) {
    let outcome = run_body(&store, &*clock, &job, &claim, instance, lease, heartbeat).await;
    match &outcome {
        JobOutcome::Done { detail } => {
            tracing::info!(job = %claim.job, slot = claim.slot, %detail, "job done");
        }
        JobOutcome::Failed { error } => {
            tracing::warn!(job = %claim.job, slot = claim.slot, %error, "job failed");
        }
        JobOutcome::Lost => {
            tracing::warn!(job = %claim.job, slot = claim.slot, "job lost its claim to another instance");
        }
    }
    (claim, outcome)
}

/// A spawned body, aborted when its runner goes away.
struct AbortOnDrop(tokio::task::JoinHandle<Result<String, JobsError>>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// The body with its heartbeat, and the outcome recorded.
async fn run_body(
    store: &Store,
    clock: &dyn Clock,
    job: &Job,
    claim: &JobClaim,
    instance: String,
    lease: i64,
    heartbeat: Duration,
) -> JobOutcome {
    let ctx = JobContext {
        store: store.clone(),
        job: job.name.clone(),
        slot: claim.slot,
        instance,
    };
    // The body runs as its own task so the heartbeat keeps beating (on another worker thread)
    // while the body computes without awaiting, as matching does; the guard aborts it when this
    // future is dropped (lost claim, shutdown, abort).
    let mut body = AbortOnDrop(tokio::spawn((job.body)(ctx)));
    let mut beat = tokio::time::interval(heartbeat);
    beat.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    beat.tick().await;
    let mut renewed_at = clock.now();
    let result = loop {
        tokio::select! {
            joined = &mut body.0 => break joined.unwrap_or_else(|e| {
                Err(JobsError::failed("the job's task", e))
            }),
            _ = beat.tick() => {
                let now = clock.now();
                match store.renew_claim(claim, now, lease).await {
                    Ok(true) => renewed_at = now,
                    // Taken over: dropping the guard cancels the body at its next await.
                    Ok(false) => return JobOutcome::Lost,
                    // The database is unreachable: go on while the lease surely holds, stop
                    // once another instance may have taken over.
                    Err(e) => {
                        tracing::warn!(job = %claim.job, error = %e, "cannot renew the job's lease");
                        if now >= renewed_at.saturating_add(lease) {
                            return JobOutcome::Lost;
                        }
                    }
                }
            }
        }
    };
    let (status, detail) = match &result {
        Ok(detail) => (JobStatus::Done, detail.clone()),
        Err(e) => (JobStatus::Failed, e.to_string()),
    };
    match store
        .finish_claim(claim, clock.now(), status, &detail)
        .await
    {
        Ok(true) => match result {
            Ok(detail) => JobOutcome::Done { detail },
            Err(e) => JobOutcome::Failed {
                error: e.to_string(),
            },
        },
        Ok(false) => JobOutcome::Lost,
        Err(e) => {
            tracing::warn!(job = %claim.job, error = %e, "cannot record the job's outcome");
            JobOutcome::Lost
        }
    }
}
