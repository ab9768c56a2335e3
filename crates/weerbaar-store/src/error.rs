/// A storage failure.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The database URL is not one weerbaar supports.
    #[error("unsupported database URL {url:?}: use sqlite://PATH or postgres://USER@HOST/DB")]
    UnsupportedUrl { url: String },
    /// A tenant id that is not a valid slug.
    #[error(
        "invalid tenant id {id:?}: use 1–63 lowercase letters, digits and hyphens, starting with a letter or digit"
    )]
    InvalidTenant { id: String },
    /// The tenant does not exist.
    #[error("unknown tenant {id:?}; create it first with `weerbaar tenant add {id}`")]
    UnknownTenant { id: String },
    /// The tenant exists already.
    #[error("tenant {id:?} exists already")]
    TenantExists { id: String },
    /// An asset name that is empty or too long.
    #[error("invalid asset name {name:?}: {reason}")]
    InvalidAsset { name: String, reason: &'static str },
    /// The database schema is newer than this binary knows.
    #[error(
        "the database is at schema version {found}, newer than this weerbaar ({known}); upgrade weerbaar"
    )]
    SchemaTooNew { found: i64, known: i64 },
    /// An API token request that cannot be honoured (no scopes, past expiry, unknown scope).
    #[error("invalid token: {reason}")]
    InvalidToken { reason: String },
    /// A pagination cursor that this store did not hand out.
    #[error("invalid cursor: pass back the next_cursor of the previous page unchanged")]
    InvalidCursor,
    /// The database refused an operation.
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    /// A stored value could not be decoded (the database was edited by hand, or is corrupt).
    #[error("corrupt stored value in {table}.{column}: {reason}")]
    Corrupt {
        table: &'static str,
        column: &'static str,
        reason: String,
    },
    /// An upload that cannot be queued as given.
    #[error("invalid upload: {reason}")]
    InvalidUpload { reason: String },
    /// No such upload for this tenant.
    #[error("unknown upload {id:?}")]
    UnknownUpload { id: String },
    /// An idempotency key reused for a different body.
    #[error(
        "idempotency key {key:?} was used for upload {upload} with a different body; use a new key for a new file"
    )]
    IdempotencyConflict { key: String, upload: String },
    /// The worker's claim on an upload ended (its lease expired and another worker took it over).
    #[error("upload {id} is no longer claimed by worker {worker}: another worker took it over")]
    ClaimLost { id: String, worker: String },
}
