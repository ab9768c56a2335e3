//! The `/api/v1` handlers, each with its OpenAPI description next to it (utoipa), registered
//! through utoipa-axum so that a route cannot exist without its entry in the document.

use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use weerbaar_store::{FindingQuery, FindingStatus, NewException, PageRequest, Severity, TenantId};

use crate::AppState;
use crate::auth::{Admin, Authorized, Ingest, Read, ReadOrIngest};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::uploads::UploadRequest;

/// Every `/api/v1` route.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_tenants, create_tenant))
        .routes(routes!(get_tenant))
        .routes(routes!(list_assets))
        .routes(routes!(get_asset))
        .routes(routes!(list_imports))
        .routes(routes!(list_findings))
        .routes(routes!(get_plan))
        .routes(routes!(list_exceptions, add_exception))
        .routes(routes!(revoke_exception))
        .routes(routes!(tenant_exposure))
        .routes(routes!(provider_exposure))
        .routes(routes!(feed_status))
        .routes(routes!(create_upload, list_uploads))
        .routes(routes!(get_upload))
}

/// Page size and position.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    /// Items per page (default 100).
    #[param(minimum = 1, maximum = 1000)]
    limit: Option<u32>,
    /// The `next_cursor` of the previous page, unchanged.
    cursor: Option<String>,
}

impl PageParams {
    fn request(&self) -> ApiResult<PageRequest> {
        let limit = match self.limit {
            None => 0,
            Some(n @ 1..=1000) => n as usize,
            Some(n) => {
                return Err(ApiError::invalid_parameter(format!(
                    "limit {n} is out of range: use 1 to 1000"
                )));
            }
        };
        Ok(PageRequest {
            limit,
            cursor: self.cursor.clone(),
        })
    }
}

/// A tenant: a municipality, or the provider itself.
#[derive(Debug, Serialize, ToSchema)]
pub struct TenantView {
    /// Lowercase slug: letters, digits, hyphens.
    id: String,
    name: String,
    /// Unix seconds.
    created_at: i64,
}

impl From<weerbaar_store::Tenant> for TenantView {
    fn from(t: weerbaar_store::Tenant) -> Self {
        Self {
            id: t.id.to_string(),
            name: t.name,
            created_at: t.created_at,
        }
    }
}

/// A page of tenants.
#[derive(Debug, Serialize, ToSchema)]
pub struct TenantPage {
    items: Vec<TenantView>,
    /// Pass as `cursor` for the next page; absent on the last page.
    next_cursor: Option<String>,
}

/// A page of items whose schema is documented in the project's docs (assets, components,
/// findings).
#[derive(Debug, Serialize, ToSchema)]
pub struct ObjectPage {
    #[schema(value_type = Vec<Object>)]
    items: Box<serde_json::value::RawValue>,
    /// Pass as `cursor` for the next page; absent on the last page.
    next_cursor: Option<String>,
}

impl ObjectPage {
    fn of<T: Serialize>(page: weerbaar_store::Page<T>) -> ApiResult<Self> {
        // Serialised once, straight to text: a findings page is ~100 kB of JSON, and a `Value`
        // tree in between cost more than the query (measured with scripts/bench-server).
        Ok(Self {
            items: serde_json::value::to_raw_value(&page.items)
                .map_err(|e| ApiError::internal(e.to_string()))?,
            next_cursor: page.next_cursor,
        })
    }
}

/// A tenant to create.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewTenant {
    /// Lowercase slug: 1–63 letters, digits and hyphens, not starting with a hyphen.
    id: String,
    name: String,
}

/// An asset with one page of its components.
#[derive(Debug, Serialize, ToSchema)]
pub struct AssetDetail {
    #[schema(value_type = Object)]
    asset: serde_json::Value,
    components: ObjectPage,
}

fn json<T: Serialize>(value: &T) -> ApiResult<serde_json::Value> {
    serde_json::to_value(value).map_err(|e| ApiError::internal(e.to_string()))
}

fn tenant_id(raw: &str) -> ApiResult<TenantId> {
    TenantId::new(raw).map_err(|e| ApiError::invalid_parameter(e.to_string()))
}

#[utoipa::path(get, path = "/api/v1/tenants", tag = "tenants",
    params(PageParams),
    description = "Tenants by id. An admin token sees every tenant; any other token its own.",
    responses(
        (status = 200, body = TenantPage),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
    ),
    security(("bearer" = [])))]
async fn list_tenants(
    State(state): State<AppState>,
    auth: Authorized<Read>,
    ApiQuery(params): ApiQuery<PageParams>,
) -> ApiResult<axum::Json<TenantPage>> {
    let req = params.request()?;
    if auth.principal.is_admin() {
        let page = state.store.tenants_page(&req).await?;
        return Ok(axum::Json(TenantPage {
            items: page.items.into_iter().map(Into::into).collect(),
            next_cursor: page.next_cursor,
        }));
    }
    let own = state.store.tenant(&auth.principal.token.tenant).await?;
    Ok(axum::Json(TenantPage {
        items: vec![own.into()],
        next_cursor: None,
    }))
}

#[utoipa::path(post, path = "/api/v1/tenants", tag = "tenants",
    request_body = NewTenant,
    description = "Creates a tenant (admin scope).",
    responses(
        (status = 201, body = TenantView),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 413, body = ErrorBody), (status = 415, body = ErrorBody),
    ),
    security(("bearer" = [])))]
async fn create_tenant(
    State(state): State<AppState>,
    auth: Authorized<Admin>,
    ApiJson(new): ApiJson<NewTenant>,
) -> ApiResult<Response> {
    let id = tenant_id(&new.id)?;
    let name = new.name.trim();
    if name.is_empty() || name.len() > 200 || name.chars().any(char::is_control) {
        return Err(ApiError::invalid_parameter(
            "name must be 1–200 printable characters",
        ));
    }
    let tenant = state
        .store
        .add_tenant(&id, name, &auth.principal.actor())
        .await?;
    let location = format!("/api/v1/tenants/{}", tenant.id);
    let mut response = (StatusCode::CREATED, axum::Json(TenantView::from(tenant))).into_response();
    if let Ok(value) = HeaderValue::from_str(&location) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    Ok(response)
}

#[utoipa::path(get, path = "/api/v1/tenants/{tenant}", tag = "tenants",
    params(("tenant" = String, Path, description = "Tenant id")),
    responses(
        (status = 200, body = TenantView),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
    ),
    security(("bearer" = [])))]
async fn get_tenant(
    State(state): State<AppState>,
    auth: Authorized<Read>,
) -> ApiResult<axum::Json<TenantView>> {
    Ok(axum::Json(state.store.tenant(auth.tenant()?).await?.into()))
}

#[utoipa::path(get, path = "/api/v1/tenants/{tenant}/assets", tag = "inventory",
    params(("tenant" = String, Path, description = "Tenant id"), PageParams),
    description = "The tenant's assets with their component counts, by name.",
    responses(
        (status = 200, body = ObjectPage),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
    ),
    security(("bearer" = [])))]
async fn list_assets(
    State(state): State<AppState>,
    auth: Authorized<Read>,
    ApiQuery(params): ApiQuery<PageParams>,
) -> ApiResult<axum::Json<ObjectPage>> {
    let tenant = auth.tenant()?;
    state.store.tenant(tenant).await?;
    let page = state.store.assets_page(tenant, &params.request()?).await?;
    Ok(axum::Json(ObjectPage::of(page)?))
}

#[utoipa::path(get, path = "/api/v1/tenants/{tenant}/assets/{asset}", tag = "inventory",
    params(
        ("tenant" = String, Path, description = "Tenant id"),
        ("asset" = String, Path, description = "Asset name (any case)"),
        PageParams,
    ),
    description = "One asset and a page of its installed components (limit and cursor page the components).",
    responses(
        (status = 200, body = AssetDetail),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
    ),
    security(("bearer" = [])))]
async fn get_asset(
    State(state): State<AppState>,
    auth: Authorized<Read>,
    ApiPath((_, asset)): ApiPath<(String, String)>,
    ApiQuery(params): ApiQuery<PageParams>,
) -> ApiResult<axum::Json<AssetDetail>> {
    let tenant = auth.tenant()?;
    let req = params.request()?;
    let not_found = || ApiError::not_found(format!("no asset {asset:?}"));
    let summary = state
        .store
        .asset_summary(tenant, &asset)
        .await?
        .ok_or_else(not_found)?;
    let components = state
        .store
        .components_page(tenant, &asset, &req)
        .await?
        .ok_or_else(not_found)?;
    Ok(axum::Json(AssetDetail {
        asset: json(&summary)?,
        components: ObjectPage::of(components)?,
    }))
}

/// Which imports.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImportParams {
    /// Only imports of this asset (name, any case).
    asset: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/tenants/{tenant}/imports", tag = "inventory",
    params(("tenant" = String, Path, description = "Tenant id"), ImportParams),
    description = "The tenant's import history, newest first: which file replaced which asset's inventory, and what it changed (kept as long as the retention job allows).",
    responses(
        (status = 200, body = Vec<Object>),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
    ),
    security(("bearer" = [])))]
async fn list_imports(
    State(state): State<AppState>,
    auth: Authorized<Read>,
    ApiQuery(params): ApiQuery<ImportParams>,
) -> ApiResult<axum::Json<serde_json::Value>> {
    let tenant = auth.tenant()?;
    state.store.tenant(tenant).await?;
    let history = state
        .store
        .import_history(tenant, params.asset.as_deref())
        .await?;
    Ok(axum::Json(json(&history)?))
}

/// Which findings.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FindingParams {
    /// `open` (default), `resolved` or `all`.
    #[param(pattern = "^(open|resolved|all)$")]
    status: Option<String>,
    /// Only findings on CISA's KEV list (`true`) or off it (`false`).
    kev: Option<bool>,
    /// At least this CVSS severity: `low`, `medium`, `high`, `critical`.
    #[param(pattern = "^(low|medium|high|critical)$")]
    severity: Option<String>,
    /// Only this asset (name, any case).
    asset: Option<String>,
    /// Items per page (default 100).
    #[param(minimum = 1, maximum = 1000)]
    limit: Option<u32>,
    /// The `next_cursor` of the previous page, unchanged.
    cursor: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/tenants/{tenant}/findings", tag = "findings",
    params(("tenant" = String, Path, description = "Tenant id"), FindingParams),
    description = "The tenant's findings, newest first, with the facts last observed (KEV, EPSS, CVSS).",
    responses(
        (status = 200, body = ObjectPage),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
    ),
    security(("bearer" = [])))]
async fn list_findings(
    State(state): State<AppState>,
    auth: Authorized<Read>,
    ApiQuery(params): ApiQuery<FindingParams>,
) -> ApiResult<axum::Json<ObjectPage>> {
    let tenant = auth.tenant()?;
    let status = match params.status.as_deref() {
        None | Some("open") => FindingStatus::Open,
        Some("resolved") => FindingStatus::Resolved,
        Some("all") => FindingStatus::All,
        Some(other) => {
            return Err(ApiError::invalid_parameter(format!(
                "status {other:?}: use open, resolved or all"
            )));
        }
    };
    let min_severity = match params.severity.as_deref() {
        None => None,
        Some("low") => Some(Severity::Low),
        Some("medium") => Some(Severity::Medium),
        Some("high") => Some(Severity::High),
        Some("critical") => Some(Severity::Critical),
        Some(other) => {
            return Err(ApiError::invalid_parameter(format!(
                "severity {other:?}: use low, medium, high or critical"
            )));
        }
    };
    let query = FindingQuery {
        status,
        kev: params.kev,
        min_severity,
        asset: params.asset.clone(),
    };
    let req = PageParams {
        limit: params.limit,
        cursor: params.cursor.clone(),
    }
    .request()?;
    state.store.tenant(tenant).await?;
    let page = state.store.findings_page(tenant, &query, &req).await?;
    Ok(axum::Json(ObjectPage::of(page)?))
}

/// The day to judge on.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DayParams {
    /// `YYYY-MM-DD`; today in Brussels when absent.
    #[param(format = Date)]
    today: Option<String>,
}

impl DayParams {
    fn day(&self) -> ApiResult<jiff::civil::Date> {
        match &self.today {
            None => Ok(weerbaar_tracking::judge::today()),
            Some(text) => text.parse().map_err(|e| {
                ApiError::invalid_parameter(format!("today {text:?} is not a YYYY-MM-DD date: {e}"))
            }),
        }
    }
}

#[utoipa::path(get, path = "/api/v1/tenants/{tenant}/plan", tag = "findings",
    params(("tenant" = String, Path, description = "Tenant id"), DayParams),
    description = "The patch plan, exactly as `weerbaar plan --format json` computes it: fix actions by SSVC decision and due date, under the server's policy.",
    responses(
        (status = 200, body = Object),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
    ),
    security(("bearer" = [])))]
async fn get_plan(
    State(state): State<AppState>,
    auth: Authorized<Read>,
    ApiQuery(params): ApiQuery<DayParams>,
) -> ApiResult<Response> {
    let tenant = auth.tenant()?;
    let today = params.day()?;
    let revision = state.store.revision(tenant).await?;
    let body = match state.plans.get(tenant, today, revision.as_deref()) {
        Some(body) => body,
        None => {
            let plan = weerbaar_tracking::judge::tenant_plan(
                &state.store,
                tenant,
                state.policies.for_tenant(tenant.as_str()),
                today,
            )
            .await?;
            let body = axum::body::Bytes::from(
                serde_json::to_vec(&plan).map_err(|e| ApiError::internal(e.to_string()))?,
            );
            state.plans.put(tenant, today, revision, body.clone());
            body
        }
    };
    Ok((
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        body,
    )
        .into_response())
}

/// Whether to include revoked exceptions.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExceptionParams {
    /// Include revoked exceptions too.
    include_revoked: Option<bool>,
}

#[utoipa::path(get, path = "/api/v1/tenants/{tenant}/exceptions", tag = "exceptions",
    params(("tenant" = String, Path, description = "Tenant id"), ExceptionParams),
    responses(
        (status = 200, body = Vec<Object>),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
    ),
    security(("bearer" = [])))]
async fn list_exceptions(
    State(state): State<AppState>,
    auth: Authorized<Read>,
    ApiQuery(params): ApiQuery<ExceptionParams>,
) -> ApiResult<axum::Json<serde_json::Value>> {
    let tenant = auth.tenant()?;
    state.store.tenant(tenant).await?;
    let list = state
        .store
        .exceptions(tenant, params.include_revoked.unwrap_or(false))
        .await?;
    Ok(axum::Json(json(&list)?))
}

/// The id of a stored exception.
#[derive(Debug, Serialize, ToSchema)]
pub struct ExceptionCreated {
    id: String,
}

#[utoipa::path(post, path = "/api/v1/tenants/{tenant}/exceptions", tag = "exceptions",
    params(("tenant" = String, Path, description = "Tenant id")),
    request_body(content = Object, description = "An exception as `weerbaar exception export` writes it: `scope` {advisory, package?, asset?}, `kind` (`not_affected` with `justification`, `accepted_risk` with `expires`, or `false_positive`), `author`, `reason`, `date`."),
    description = "Records an exception (admin scope: exceptions change what the plan asks of a municipality).",
    responses(
        (status = 201, body = ExceptionCreated),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 413, body = ErrorBody), (status = 415, body = ErrorBody),
    ),
    security(("bearer" = [])))]
async fn add_exception(
    State(state): State<AppState>,
    auth: Authorized<Admin>,
    ApiJson(body): ApiJson<serde_json::Value>,
) -> ApiResult<Response> {
    let tenant = auth.tenant()?;
    let exception: weerbaar_plan::Exception = serde_json::from_value(body)
        .map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, "invalid_json", e.to_string()))?;
    if exception.scope.advisory.trim().is_empty() {
        return Err(ApiError::invalid_parameter("scope.advisory is empty"));
    }
    let new = NewException {
        advisory: exception.scope.advisory.clone(),
        body: json(&exception)?,
    };
    let ids = state
        .store
        .add_exceptions(tenant, &auth.principal.actor(), &[new])
        .await?;
    let id = ids.into_iter().next().unwrap_or_default();
    Ok((StatusCode::CREATED, axum::Json(ExceptionCreated { id })).into_response())
}

#[utoipa::path(delete, path = "/api/v1/tenants/{tenant}/exceptions/{id}", tag = "exceptions",
    params(
        ("tenant" = String, Path, description = "Tenant id"),
        ("id" = String, Path, description = "Exception id"),
    ),
    description = "Revokes an exception (admin scope). The record stays, marked revoked.",
    responses(
        (status = 204, description = "Revoked"),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
    ),
    security(("bearer" = [])))]
async fn revoke_exception(
    State(state): State<AppState>,
    auth: Authorized<Admin>,
    ApiPath((_, id)): ApiPath<(String, String)>,
) -> ApiResult<StatusCode> {
    let tenant = auth.tenant()?;
    if state
        .store
        .revoke_exception(tenant, &auth.principal.actor(), &id)
        .await?
    {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::not_found(format!("no exception {id:?} in force")))
    }
}

fn check_vuln_id(id: &str) -> ApiResult<&str> {
    let id = id.trim();
    if id.is_empty() || id.len() > 200 || id.chars().any(char::is_control) {
        return Err(ApiError::invalid_parameter(
            "the vulnerability id must be 1–200 printable characters",
        ));
    }
    Ok(id)
}

#[utoipa::path(get, path = "/api/v1/tenants/{tenant}/exposure/{id}", tag = "findings",
    params(
        ("tenant" = String, Path, description = "Tenant id"),
        ("id" = String, Path, description = "A vulnerability id or alias (CVE, GHSA, DSA…)"),
        DayParams,
    ),
    description = "This tenant's assets exposed to a vulnerability, with the installed version, fix and due date.",
    responses(
        (status = 200, body = Vec<Object>),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
    ),
    security(("bearer" = [])))]
async fn tenant_exposure(
    State(state): State<AppState>,
    auth: Authorized<Read>,
    ApiPath((_, id)): ApiPath<(String, String)>,
    ApiQuery(params): ApiQuery<DayParams>,
) -> ApiResult<axum::Json<serde_json::Value>> {
    let tenant = auth.tenant()?;
    let id = check_vuln_id(&id)?;
    let today = params.day()?;
    state.store.tenant(tenant).await?;
    let exposed =
        weerbaar_tracking::judge::exposure(&state.store, id, &state.policies, today, Some(tenant))
            .await?;
    Ok(axum::Json(json(&exposed)?))
}

#[utoipa::path(get, path = "/api/v1/exposure/{id}", tag = "findings",
    params(
        ("id" = String, Path, description = "A vulnerability id or alias (CVE, GHSA, DSA…)"),
        DayParams,
    ),
    description = "Every tenant's assets exposed to a vulnerability (admin scope).",
    responses(
        (status = 200, body = Vec<Object>),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
    ),
    security(("bearer" = [])))]
async fn provider_exposure(
    State(state): State<AppState>,
    _auth: Authorized<Admin>,
    ApiPath(id): ApiPath<String>,
    ApiQuery(params): ApiQuery<DayParams>,
) -> ApiResult<axum::Json<serde_json::Value>> {
    let id = check_vuln_id(&id)?;
    let today = params.day()?;
    let exposed =
        weerbaar_tracking::judge::exposure(&state.store, id, &state.policies, today, None).await?;
    Ok(axum::Json(json(&exposed)?))
}

#[utoipa::path(get, path = "/api/v1/feeds", tag = "feeds",
    description = "The advisory feeds in this instance's data directory: state, records, age and staleness per source.",
    responses(
        (status = 200, body = Vec<Object>),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
    ),
    security(("bearer" = [])))]
async fn feed_status(
    State(state): State<AppState>,
    _auth: Authorized<ReadOrIngest>,
) -> ApiResult<axum::Json<serde_json::Value>> {
    let dir = state.config.data_dir.clone();
    let now = jiff::Timestamp::now().as_second();
    let status = tokio::task::spawn_blocking(move || weerbaar_feeds::status(&dir, now))
        .await
        .map_err(|e| ApiError::internal(e.to_string()))?
        .map_err(|e| {
            tracing::error!(error = %e, "feed status");
            ApiError::internal("the feed manifests cannot be read; see the server log")
        })?;
    Ok(axum::Json(json(&status)?))
}

/// How to read a pushed file.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UploadParams {
    /// The input format (`cyclonedx-json`, `dpkg-status`, …); detected from the content when absent.
    format: Option<String>,
    /// The asset the file describes (needed for package databases and lockfiles).
    asset: Option<String>,
    /// The file's name, shown in errors and kept as the components' source.
    filename: Option<String>,
}

#[utoipa::path(post, path = "/api/v1/tenants/{tenant}/uploads", tag = "uploads",
    params(
        ("tenant" = String, Path, description = "Tenant id"),
        UploadParams,
        ("Idempotency-Key" = Option<String>, Header, description = "Repeat a push with the same key to get the first upload back instead of a second one"),
    ),
    request_body(content = Vec<u8>, content_type = "application/octet-stream", description = "The inventory file, as is"),
    description = "Queues an inventory file for import (ingest scope). Processed asynchronously by the same importers as `weerbaar inventory import`; follow the Location.",
    responses(
        (status = 202, body = Object, headers(("Location" = String, description = "The upload's status resource"))),
        (status = 200, body = Object, description = "A repeated Idempotency-Key: the earlier upload"),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 413, body = ErrorBody),
        (status = 503, body = ErrorBody),
    ),
    security(("bearer" = [])))]
async fn create_upload(
    State(state): State<AppState>,
    auth: Authorized<Ingest>,
    ApiQuery(params): ApiQuery<UploadParams>,
    headers: HeaderMap,
    body: Body,
) -> ApiResult<Response> {
    let tenant = auth.tenant()?.clone();
    let limit = state.config.uploads.max_bytes;
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit) {
        return Err(ApiError::too_large(limit));
    }
    let idempotency_key = match headers.get("idempotency-key") {
        None => None,
        Some(v) => Some(
            v.to_str()
                .map_err(|_| ApiError::invalid_parameter("Idempotency-Key is not text"))?
                .to_owned(),
        ),
    };
    let max = usize::try_from(limit).unwrap_or(usize::MAX);
    let bytes = axum::body::to_bytes(body, max)
        .await
        .map_err(|_| ApiError::too_large(limit))?;
    if bytes.is_empty() {
        return Err(ApiError::bad_request(
            "the body is empty: send the inventory file",
        ));
    }
    let receipt = state
        .uploads
        .enqueue(UploadRequest {
            tenant: tenant.clone(),
            file_name: params
                .filename
                .clone()
                .unwrap_or_else(|| "upload".to_owned()),
            format: params.format.clone(),
            asset: params.asset.clone(),
            idempotency_key,
            body: bytes.to_vec(),
            actor: auth.principal.actor(),
        })
        .await?;
    state.metrics.add(
        "weerbaar_uploads_total",
        "Uploads accepted by the API (replayed: an Idempotency-Key seen before).",
        if receipt.replayed {
            "replayed=\"true\""
        } else {
            "replayed=\"false\""
        },
        1,
    );
    let status = if receipt.replayed {
        StatusCode::OK
    } else {
        StatusCode::ACCEPTED
    };
    let mut response = (status, axum::Json(receipt.body)).into_response();
    let location = format!("/api/v1/tenants/{tenant}/uploads/{}", receipt.id);
    if let Ok(value) = HeaderValue::from_str(&location) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    Ok(response)
}

/// Which uploads.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UploadListParams {
    /// Only uploads in this state.
    #[param(pattern = "^(queued|processing|done|failed)$")]
    status: Option<String>,
    /// Items per page (default 100).
    #[param(minimum = 1, maximum = 1000)]
    limit: Option<u32>,
    /// The `next_cursor` of the previous page, unchanged.
    cursor: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/tenants/{tenant}/uploads", tag = "uploads",
    params(("tenant" = String, Path, description = "Tenant id"), UploadListParams),
    description = "The tenant's uploads, newest first.",
    responses(
        (status = 200, body = ObjectPage),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
    ),
    security(("bearer" = [])))]
async fn list_uploads(
    State(state): State<AppState>,
    auth: Authorized<ReadOrIngest>,
    ApiQuery(params): ApiQuery<UploadListParams>,
) -> ApiResult<axum::Json<ObjectPage>> {
    let tenant = auth.tenant()?;
    let status = params
        .status
        .as_deref()
        .map(str::parse::<weerbaar_store::UploadState>)
        .transpose()?;
    let limit = match params.limit {
        None => 100,
        Some(n @ 1..=1000) => n,
        Some(n) => {
            return Err(ApiError::invalid_parameter(format!(
                "limit {n} is out of range: use 1 to 1000"
            )));
        }
    };
    // The upload id is time-ordered, so the last id of a page is the cursor of the next one.
    let before = match &params.cursor {
        Some(c)
            if c.is_empty()
                || c.len() > 100
                || !c.bytes().all(|b| b.is_ascii_hexdigit() || b == b'-') =>
        {
            return Err(ApiError::invalid_parameter(
                "invalid cursor: pass back next_cursor unchanged",
            ));
        }
        other => other.clone(),
    };
    state.store.tenant(tenant).await?;
    let mut items = state
        .store
        .uploads(
            tenant,
            &weerbaar_store::UploadFilter {
                status,
                before,
                limit: limit + 1,
            },
        )
        .await?;
    let next_cursor = if items.len() > limit as usize {
        items.truncate(limit as usize);
        items.last().map(|u| u.id.clone())
    } else {
        None
    };
    Ok(axum::Json(ObjectPage::of(weerbaar_store::Page {
        items,
        next_cursor,
    })?))
}

#[utoipa::path(get, path = "/api/v1/tenants/{tenant}/uploads/{id}", tag = "uploads",
    params(
        ("tenant" = String, Path, description = "Tenant id"),
        ("id" = String, Path, description = "Upload id"),
    ),
    description = "An upload's status: queued, processing, done (with what the import changed) or failed (with the importer's message).",
    responses(
        (status = 200, body = Object),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 503, body = ErrorBody),
    ),
    security(("bearer" = [])))]
async fn get_upload(
    State(state): State<AppState>,
    auth: Authorized<ReadOrIngest>,
    ApiPath((_, id)): ApiPath<(String, String)>,
) -> ApiResult<axum::Json<serde_json::Value>> {
    let tenant = auth.tenant()?.clone();
    let receipt = state.uploads.status(tenant, id).await?;
    Ok(axum::Json(receipt.body))
}
