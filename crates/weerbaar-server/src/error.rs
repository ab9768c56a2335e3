//! JSON errors with stable codes: `{"error":{"code":"not_found","message":"…"}}`.
//!
//! Clients branch on `code` (stable, documented in the OpenAPI document); `message` is for
//! people and may change. Every axum rejection is mapped here, so malformed input is a 4xx with
//! a message, never a bare-text body or a 500.

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;
use weerbaar_store::StoreError;

/// The body of every error response.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

/// What went wrong.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ErrorDetail {
    /// Stable: `bad_request`, `invalid_parameter`, `invalid_json`, `unauthorized`, `forbidden`,
    /// `not_found`, `method_not_allowed`, `conflict`, `payload_too_large`,
    /// `unsupported_media_type`, `unavailable`, `internal`.
    pub code: String,
    pub message: String,
}

/// An error response.
#[derive(Debug, Clone)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
        }
    }

    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "bad_request", message)
    }

    pub fn invalid_parameter(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "invalid_parameter", message)
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, "not_found", message)
    }

    pub fn unauthorized(message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "unauthorized", message)
    }

    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, "forbidden", message)
    }

    pub fn too_large(limit: u64) -> Self {
        Self::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
            format!("the request body is larger than the limit of {limit} bytes"),
        )
    }

    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", message)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            error: ErrorDetail {
                code: self.code.to_owned(),
                message: self.message,
            },
        };
        let mut response = (self.status, Json(body)).into_response();
        if self.status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"weerbaar\""),
            );
        }
        response
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::UnknownTenant { id } => Self::not_found(format!("no tenant {id:?}")),
            StoreError::TenantExists { id } => Self::new(
                StatusCode::CONFLICT,
                "conflict",
                format!("tenant {id:?} exists already"),
            ),
            StoreError::UnknownUpload { id } => Self::not_found(format!("no upload {id:?}")),
            StoreError::IdempotencyConflict { .. } => {
                Self::new(StatusCode::CONFLICT, "conflict", e.to_string())
            }
            StoreError::InvalidUpload { .. }
            | StoreError::InvalidTenant { .. }
            | StoreError::InvalidAsset { .. }
            | StoreError::InvalidToken { .. }
            | StoreError::InvalidCursor => Self::invalid_parameter(e.to_string()),
            other => {
                // The database's own message may name hosts or queries: logged, not returned.
                tracing::error!(error = %other, "store failure");
                Self::internal("the database failed; see the server log")
            }
        }
    }
}

impl From<weerbaar_tracking::judge::JudgeError> for ApiError {
    fn from(e: weerbaar_tracking::judge::JudgeError) -> Self {
        match e {
            weerbaar_tracking::judge::JudgeError::Store(s) => s.into(),
            other => {
                tracing::error!(error = %other, "judging findings failed");
                Self::internal("a stored exception cannot be read; see the server log")
            }
        }
    }
}

/// The result type of handlers.
pub type ApiResult<T> = Result<T, ApiError>;
