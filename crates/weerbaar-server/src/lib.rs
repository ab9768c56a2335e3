//! weerbaar's HTTP server: the `/api/v1` REST API over `weerbaar-store`, with token auth and
//! tenant scoping, an OpenAPI 3.1 document generated from the handlers, health and readiness
//! probes, Prometheus metrics, structured logs, configuration and graceful shutdown.
//!
//! Design decisions:
//!
//! * **One place for permissions.** Handlers take an [`auth::Authorized`] extractor typed by the
//!   scope they need; it authenticates the bearer token and checks the path's `{tenant}`
//!   against it. A token of another tenant gets 404 (as for a tenant that does not exist), a
//!   missing scope 403, a bad token 401.
//! * **The document cannot drift.** Every route is registered through utoipa-axum's
//!   `routes!`, which adds the handler's `#[utoipa::path]` to the document as it adds the route;
//!   a test checks that every route of the router is in `/api/v1/openapi.json`.
//! * **Errors are JSON with stable codes** ([`error`]); every axum rejection is mapped, so
//!   malformed input never yields a bare-text body or a 500.
//! * **Keyset pagination** (`limit`, opaque `cursor`, `next_cursor`) on every list that grows
//!   with the estate; the store pages by key, never by offset.
//! * **Same answers as the CLI.** The patch plan and exposure come from
//!   `weerbaar_tracking::judge`, which `weerbaar plan` and `weerbaar exposure` use too.
//! * **No HTTP knowledge of ingestion.** Uploads go through the [`uploads::UploadQueue`] trait;
//!   the binary wires the store's upload table and the ingest worker behind it.
//! * **Small dependencies**: axum with HTTP/1 only (TLS and HTTP/2 are the load balancer's),
//!   a hand-written metrics registry, no tower-http.

pub mod api;
pub mod auth;
pub mod config;
pub mod error;
pub mod extract;
pub mod metrics;
pub mod plan_cache;
pub mod uploads;

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tokio::sync::watch;
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use weerbaar_plan::PolicySet;
use weerbaar_store::Store;

pub use config::{Config, ConfigError, LogFormat};
pub use error::ApiError;
pub use metrics::Metrics;
pub use uploads::{NoUploads, StoreUploads, UploadQueue, UploadReceipt, UploadRequest};

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub config: Arc<Config>,
    pub metrics: Arc<Metrics>,
    pub policies: Arc<PolicySet>,
    pub uploads: Arc<dyn UploadQueue>,
    pub plans: Arc<plan_cache::PlanCache>,
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState")
            .field("backend", &self.store.backend())
            .finish_non_exhaustive()
    }
}

impl AppState {
    /// State with the given upload queue and the configured policy file.
    ///
    /// # Errors
    /// [`ServerError::Policy`] when the policy file cannot be read or parsed.
    pub fn new(
        config: Config,
        store: Store,
        uploads: Arc<dyn UploadQueue>,
    ) -> Result<Self, ServerError> {
        let policies = match &config.policy {
            None => PolicySet::default(),
            Some(path) => {
                let text = std::fs::read_to_string(path).map_err(|e| {
                    ServerError::Policy(format!("cannot read {}: {e}", path.display()))
                })?;
                PolicySet::parse(&path.display().to_string(), &text)
                    .map_err(|e| ServerError::Policy(e.to_string()))?
            }
        };
        Ok(Self {
            store,
            config: Arc::new(config),
            metrics: Arc::new(Metrics::default()),
            policies: Arc::new(policies),
            uploads,
            plans: Arc::default(),
        })
    }
}

/// Why the server could not start or stopped with an error.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    #[error("policy: {0}")]
    Policy(String),
    #[error("cannot listen on {bind}: {reason}")]
    Bind { bind: String, reason: String },
    #[error("server: {0}")]
    Io(#[from] std::io::Error),
}

struct SecurityAddon;

impl Modify for SecurityAddon {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        let mut bearer = Http::new(HttpAuthScheme::Bearer);
        bearer.description = Some(
            "An API token (`wbt_<tenant>_<id>_<secret>`) from `weerbaar admin token create`, \
             with the scopes ingest, read or admin."
                .to_owned(),
        );
        components.add_security_scheme("bearer", SecurityScheme::Http(bearer));
    }
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "weerbaar API",
        description = "Vulnerability management for municipalities and their IT provider. Errors are `{\"error\":{\"code\",\"message\"}}` with stable codes; lists are paged with `limit` and an opaque `cursor` (`next_cursor` in the response).",
        license(name = "AGPL-3.0-or-later")
    ),
    modifiers(&SecurityAddon),
    components(schemas(error::ErrorBody, error::ErrorDetail))
)]
struct ApiDoc;

/// The router and the OpenAPI document, built together.
pub fn router_and_openapi() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(healthz))
        .routes(routes!(readyz))
        .routes(routes!(metrics_text))
        .routes(routes!(openapi_json))
        .merge(api::routes())
        .split_for_parts()
}

/// The OpenAPI 3.1 document.
#[must_use]
pub fn openapi() -> utoipa::openapi::OpenApi {
    router_and_openapi().1
}

/// The whole application, ready to serve.
pub fn app(state: AppState) -> Router {
    let (router, _) = router_and_openapi();
    router
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(axum::middleware::from_fn_with_state(state.clone(), observe))
        .with_state(state)
}

async fn not_found() -> ApiError {
    ApiError::not_found("no such route; see /api/v1/openapi.json")
}

async fn method_not_allowed() -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        "this route does not take that method; see /api/v1/openapi.json",
    )
}

/// Request metrics and one log line per request (method, route, status, time; never headers,
/// so never a token).
async fn observe(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().as_str().to_owned();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |p| p.as_str().to_owned());
    let response = next.run(request).await;
    let elapsed = started.elapsed();
    let status = response.status().as_u16();
    state
        .metrics
        .observe_request(&method, &route, status, elapsed);
    if status >= 500 {
        tracing::error!(%method, %route, status, ms = elapsed.as_millis() as u64, "request");
    } else {
        tracing::info!(%method, %route, status, ms = elapsed.as_millis() as u64, "request");
    }
    response
}

/// The process is up.
#[utoipa::path(get, path = "/healthz", tag = "operations",
    responses((status = 200, description = "Up", body = String)))]
async fn healthz() -> &'static str {
    "ok\n"
}

/// The database answers and its schema is current.
#[utoipa::path(get, path = "/readyz", tag = "operations",
    responses(
        (status = 200, description = "Ready", body = String),
        (status = 503, description = "Not ready", body = error::ErrorBody),
    ))]
async fn readyz(State(state): State<AppState>) -> Response {
    match tokio::time::timeout(Duration::from_secs(5), state.store.check_schema()).await {
        Ok(Ok(_)) => "ready\n".into_response(),
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "not ready");
            ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "unavailable",
                "the database is unreachable or its schema is not current",
            )
            .into_response()
        }
        Err(_) => ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "unavailable",
            "the database did not answer within 5 seconds",
        )
        .into_response(),
    }
}

/// Prometheus metrics (text exposition format).
#[utoipa::path(get, path = "/metrics", tag = "operations",
    responses((status = 200, description = "Metrics", body = String, content_type = "text/plain")))]
async fn metrics_text(State(state): State<AppState>) -> Response {
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        state.metrics.render(),
    )
        .into_response()
}

/// This document.
#[utoipa::path(get, path = "/api/v1/openapi.json", tag = "operations",
    responses((status = 200, description = "The OpenAPI 3.1 document", body = Object)))]
async fn openapi_json() -> Response {
    match openapi().to_json() {
        Ok(text) => ([(header::CONTENT_TYPE, "application/json")], text).into_response(),
        Err(e) => ApiError::internal(e.to_string()).into_response(),
    }
}

/// Sets up `tracing` as configured (text or JSON lines on stderr).
///
/// # Errors
/// When the filter is invalid or a subscriber is already installed.
pub fn init_tracing(log: &config::LogConfig) -> Result<(), String> {
    let filter = tracing_subscriber::EnvFilter::try_new(&log.level).map_err(|e| e.to_string())?;
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    match log.format {
        LogFormat::Json => builder.json().try_init(),
        LogFormat::Text => builder.try_init(),
    }
    .map_err(|e| e.to_string())
}

/// Resolves on SIGTERM or SIGINT (Ctrl-C).
pub async fn shutdown_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {}
        () = terminate => {}
    }
}

/// Tells background tasks that the server is stopping.
#[derive(Debug, Clone)]
pub struct Shutdown(watch::Receiver<bool>);

impl Shutdown {
    /// Whether shutdown has begun.
    #[must_use]
    pub fn is_requested(&self) -> bool {
        *self.0.borrow()
    }

    /// Resolves once shutdown has begun.
    pub async fn requested(&mut self) {
        let _ = self.0.wait_for(|stop| *stop).await;
    }
}

/// A background task started with the server (the ingest worker, the scheduled jobs). It gets
/// the shared state (store, metrics, configuration) and a [`Shutdown`]; the server waits for it
/// to return after the listener has stopped.
pub type Background =
    Box<dyn FnOnce(AppState, Shutdown) -> Pin<Box<dyn Future<Output = ()> + Send>> + Send>;

/// How long in-flight background work may take to finish after shutdown began.
const BACKGROUND_GRACE: Duration = Duration::from_secs(30);

/// Serves the API on `config.bind` until `shutdown` resolves, then stops accepting, finishes
/// in-flight requests, and waits for the background tasks.
///
/// # Errors
/// [`ServerError`] when the address cannot be bound or the policy file is unusable.
pub async fn run(
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
    background: Vec<Background>,
) -> Result<(), ServerError> {
    let bind = state.config.bind.clone();
    let listener = tokio::net::TcpListener::bind(&bind)
        .await
        .map_err(|e| ServerError::Bind {
            bind: bind.clone(),
            reason: e.to_string(),
        })?;
    let local = listener.local_addr()?;
    tracing::info!(address = %local, backend = ?state.store.backend(), "listening");
    let (stop, stopped) = watch::channel(false);
    let tasks: Vec<_> = background
        .into_iter()
        .map(|task| tokio::spawn(task(state.clone(), Shutdown(stopped.clone()))))
        .collect();
    let app = app(state);
    axum::serve(listener, app)
        .with_graceful_shutdown(async move {
            shutdown.await;
            tracing::info!("shutting down: finishing requests in flight");
            let _ = stop.send(true);
        })
        .await?;
    for task in tasks {
        if tokio::time::timeout(BACKGROUND_GRACE, task).await.is_err() {
            tracing::warn!("a background task did not stop in time");
        }
    }
    tracing::info!("stopped");
    Ok(())
}
