//! Scheduled background jobs for `weerbaar serve`: feed sync, rematch of the assets the server
//! changed, notifications, and retention, each run once per time slot across every instance
//! that shares the database.
//!
//! * **Slots, not timers.** A job with interval `i` has slot `floor(now / i)`. Every instance
//!   runs the same [`Scheduler`]; each tick it tries to claim the current slot of every job
//!   ([`weerbaar_store::Store::claim_slot`]). The `(job, slot)` row is inserted once, so exactly
//!   one instance wins and the others skip. No leader election, no clock coordination beyond
//!   ordinary NTP.
//! * **Leases and fencing.** The winner holds a lease and renews it while the body runs
//!   (heartbeat). An instance that dies stops renewing; after the lease another instance takes
//!   the slot over (the `fencing` number rises). A holder whose renewal fails (it was taken over,
//!   say after a long pause) drops its body at the next await point and cannot record an outcome.
//!   Fencing protects the run record, not the body's own writes: every job body is idempotent
//!   (a rematch records the same findings twice as once, a retention delete finds nothing the
//!   second time), so the rare double run after a takeover is harmless.
//! * **Per-instance feeds.** Feeds are files in each instance's data directory, so by default the
//!   feed sync runs once per slot *on every instance* ([`Scope::Instance`]); its rematch is a
//!   no-op on the second instance (the findings already match). With a shared feeds volume set
//!   `per_instance = false` and it runs once in the cluster.
//! * **Shared with the CLI.** Compiling and caching the knowledge ([`knowledge`]), the rematch
//!   after a feed update ([`tasks::rematch_after_feed_update`]) and the notifications
//!   ([`alerts`]) are the same code for `weerbaar feeds sync` and for the jobs.
//! * **Time is injected** ([`Clock`]), so tests move slots and leases without sleeping.
//!
//! Wiring in a server:
//!
//! ```no_run
//! # async fn serve(store: weerbaar_store::Store, data_dir: &std::path::Path,
//! #                config: &weerbaar_jobs::JobsConfig) -> Result<(), weerbaar_jobs::JobsError> {
//! let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
//! let scheduler =
//!     weerbaar_jobs::tasks::scheduler(store, &weerbaar_jobs::instance_id(), config, data_dir)?;
//! let jobs = tokio::spawn(scheduler.run(async move {
//!     let _ = stopped.await;
//! }));
//! // … serve until the shutdown signal, then:
//! let _ = stop.send(());
//! let _ = jobs.await;
//! # Ok(()) }
//! ```

pub mod alerts;
mod config;
pub mod knowledge;
mod scheduler;
pub mod tasks;

pub use config::{FeedSyncConfig, JobsConfig, RematchQueueConfig, RetentionConfig};
pub use scheduler::{Clock, JobContext, JobOutcome, Scheduler, Scope, SystemClock};

/// A name for this process among the instances: the host name and the process id, so two
/// instances on one host differ and a restarted instance is a new holder.
#[must_use]
pub fn instance_id() -> String {
    let host = std::env::var("HOSTNAME")
        .ok()
        .filter(|h| !h.trim().is_empty())
        .or_else(|| {
            std::fs::read_to_string("/etc/hostname")
                .ok()
                .map(|h| h.trim().to_owned())
                .filter(|h| !h.is_empty())
        })
        .unwrap_or_else(|| "localhost".to_owned());
    format!("{host}:{}", std::process::id())
}

/// Why a job (or a library call the CLI shares) failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum JobsError {
    #[error(transparent)]
    Store(#[from] weerbaar_store::StoreError),
    #[error(transparent)]
    Tracking(#[from] weerbaar_tracking::TrackingError),
    #[error(transparent)]
    Feeds(#[from] weerbaar_feeds::Error),
    #[error(transparent)]
    Judge(#[from] weerbaar_tracking::judge::JudgeError),
    /// A configuration that cannot be used (named in the message).
    #[error("{0}")]
    Config(String),
    /// Anything else, with what was being done.
    #[error("{context}: {source}")]
    Failed {
        context: String,
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
}

impl JobsError {
    pub(crate) fn failed(
        context: impl Into<String>,
        source: impl std::error::Error + Send + Sync + 'static,
    ) -> Self {
        JobsError::Failed {
            context: context.into(),
            source: Box::new(source),
        }
    }
}
