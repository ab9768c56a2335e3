//! The upload queue as the API sees it: a small trait, so the HTTP layer does not depend on how
//! uploads are stored and processed (weerbaar-store's `uploads` table and the weerbaar-ingest
//! worker, wired by the binary), and tests can stand in for it.

use std::future::Future;
use std::pin::Pin;

use weerbaar_store::{NewUpload, Store, TenantId, UploadStatus};

use crate::error::ApiError;

/// A boxed future, so the trait stays object-safe.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// A pushed inventory to queue.
#[derive(Debug, Clone)]
pub struct UploadRequest {
    pub tenant: TenantId,
    pub file_name: String,
    pub format: Option<String>,
    pub asset: Option<String>,
    pub idempotency_key: Option<String>,
    pub body: Vec<u8>,
    /// The audit log's actor.
    pub actor: String,
}

/// An upload's status resource.
#[derive(Debug, Clone)]
pub struct UploadReceipt {
    pub id: String,
    /// True when an earlier upload with the same idempotency key was returned instead.
    pub replayed: bool,
    /// The status as JSON (`status`: queued, processing, done or failed; `error`; `summary`).
    pub body: serde_json::Value,
}

/// Where uploads go.
pub trait UploadQueue: Send + Sync + 'static {
    /// Queues an upload (or returns the earlier one with the same idempotency key).
    fn enqueue(&self, request: UploadRequest) -> BoxFuture<'_, Result<UploadReceipt, ApiError>>;

    /// One upload's status; `not_found` for unknown ids and other tenants' uploads.
    fn status(
        &self,
        tenant: TenantId,
        id: String,
    ) -> BoxFuture<'_, Result<UploadReceipt, ApiError>>;
}

/// The queue of a server without an ingest worker: every upload is refused with 503, so a
/// pusher retries later rather than losing data silently.
#[derive(Debug, Default)]
pub struct NoUploads;

impl UploadQueue for NoUploads {
    fn enqueue(&self, _request: UploadRequest) -> BoxFuture<'_, Result<UploadReceipt, ApiError>> {
        Box::pin(async { Err(unavailable()) })
    }

    fn status(
        &self,
        _tenant: TenantId,
        _id: String,
    ) -> BoxFuture<'_, Result<UploadReceipt, ApiError>> {
        Box::pin(async { Err(unavailable()) })
    }
}

fn unavailable() -> ApiError {
    ApiError::new(
        axum::http::StatusCode::SERVICE_UNAVAILABLE,
        "unavailable",
        "this server takes no uploads (no ingest worker is configured)",
    )
}

/// The queue in the database (`uploads` table), processed by weerbaar-ingest's worker on every
/// instance.
#[derive(Debug, Clone)]
pub struct StoreUploads(pub Store);

fn receipt(status: &UploadStatus) -> Result<UploadReceipt, ApiError> {
    Ok(UploadReceipt {
        id: status.id.clone(),
        replayed: status.replayed,
        body: serde_json::to_value(status).map_err(|e| ApiError::internal(e.to_string()))?,
    })
}

impl UploadQueue for StoreUploads {
    fn enqueue(&self, request: UploadRequest) -> BoxFuture<'_, Result<UploadReceipt, ApiError>> {
        Box::pin(async move {
            let status = self
                .0
                .enqueue_upload(
                    NewUpload {
                        tenant: request.tenant,
                        file_name: request.file_name,
                        input_format: request.format,
                        asset_name: request.asset,
                        body: &request.body,
                        idempotency_key: request.idempotency_key,
                    },
                    &request.actor,
                )
                .await?;
            receipt(&status)
        })
    }

    fn status(
        &self,
        tenant: TenantId,
        id: String,
    ) -> BoxFuture<'_, Result<UploadReceipt, ApiError>> {
        Box::pin(async move { receipt(&self.0.upload(&tenant, &id).await?) })
    }
}
