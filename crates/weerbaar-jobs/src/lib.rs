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

pub mod alerts;
mod config;
pub mod knowledge;
mod scheduler;
pub mod tasks;

pub use config::{FeedSyncConfig, JobsConfig, RematchQueueConfig, RetentionConfig};
pub use scheduler::{Clock, JobContext, JobOutcome, Scheduler, Scope, SystemClock};

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
