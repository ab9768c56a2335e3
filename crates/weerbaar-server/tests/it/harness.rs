//! A seeded application: tenants, tokens of every kind, assets and findings, and an in-memory
//! upload queue.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use tower::ServiceExt;
use weerbaar_inventory::model::{Component, Location, Source};
use weerbaar_inventory::{Format, ImportedAsset};
use weerbaar_server::uploads::BoxFuture;
use weerbaar_server::{ApiError, AppState, Config, UploadQueue, UploadReceipt, UploadRequest};
use weerbaar_store::{
    AssetImport, FindingFacts, KevFact, NewToken, ObservedFinding, RematchScope, Scope, Store,
    TenantId,
};

pub struct App {
    pub router: axum::Router,
    pub store: Store,
    pub state: AppState,
    /// alpha: read + ingest.
    pub alpha: String,
    /// alpha: ingest only.
    pub alpha_ingest: String,
    /// beta: read.
    pub beta: String,
    /// provider: admin.
    pub admin: String,
    pub data_dir: std::path::PathBuf,
}

/// Uploads kept in memory, for the HTTP side of the upload routes.
#[derive(Default)]
pub struct MemoryUploads(Mutex<HashMap<(String, String), (UploadRequest, String)>>);

impl UploadQueue for MemoryUploads {
    fn enqueue(&self, request: UploadRequest) -> BoxFuture<'_, Result<UploadReceipt, ApiError>> {
        Box::pin(async move {
            let mut map = self.0.lock().expect("lock");
            if let Some(key) = &request.idempotency_key
                && let Some(((_, id), _)) = map.iter().find(|((t, _), (r, _))| {
                    *t == request.tenant.as_str() && r.idempotency_key.as_deref() == Some(key)
                })
            {
                return Ok(UploadReceipt {
                    id: id.clone(),
                    replayed: true,
                    body: serde_json::json!({"id": id, "status": "queued"}),
                });
            }
            let id = format!("u{}", map.len() + 1);
            map.insert(
                (request.tenant.to_string(), id.clone()),
                (request, "queued".to_owned()),
            );
            Ok(UploadReceipt {
                id: id.clone(),
                replayed: false,
                body: serde_json::json!({"id": id, "status": "queued"}),
            })
        })
    }

    fn status(
        &self,
        tenant: TenantId,
        id: String,
    ) -> BoxFuture<'_, Result<UploadReceipt, ApiError>> {
        Box::pin(async move {
            let map = self.0.lock().expect("lock");
            match map.get(&(tenant.to_string(), id.clone())) {
                Some((r, status)) => Ok(UploadReceipt {
                    id: id.clone(),
                    replayed: false,
                    body: serde_json::json!({
                        "id": id, "status": status, "size": r.body.len(),
                        "file_name": r.file_name, "asset_name": r.asset,
                    }),
                }),
                None => Err(ApiError::not_found(format!("no upload {id:?}"))),
            }
        })
    }
}

fn in_days(days: i64) -> i64 {
    jiff::Timestamp::now().as_second() + days * 86_400
}

pub async fn token(store: &Store, tenant: &str, scopes: &[Scope]) -> String {
    store
        .create_token(
            &TenantId::new(tenant).expect("tenant"),
            "test",
            &NewToken {
                name: "test".into(),
                scopes: scopes.to_vec(),
                expires_at: in_days(30),
            },
        )
        .await
        .expect("token")
        .token
}

fn deb(name: &str, version: &str) -> Component {
    Component {
        ecosystem: Some("Debian:12".into()),
        name: name.into(),
        version: Some(version.into()),
        purl: None,
        cpe: None,
        vendor: None,
        source_name: None,
        source_version: None,
        source: Source {
            file: "status".into(),
            location: Location::Line(1),
        },
    }
}

async fn seed_tenant(store: &Store, id: &str, hosts: usize) {
    let tenant = TenantId::new(id).expect("tenant");
    store.add_tenant(&tenant, id, "test").await.expect("tenant");
    let assets: Vec<(String, ImportedAsset)> = (0..hosts)
        .map(|i| {
            (
                format!("{id}-host{i}"),
                ImportedAsset {
                    components: vec![
                        deb("openssl", "3.0.11"),
                        deb("bash", "5.2"),
                        deb("curl", "7.88"),
                    ],
                    ..ImportedAsset::default()
                },
            )
        })
        .collect();
    let imports: Vec<AssetImport<'_>> = assets
        .iter()
        .map(|(name, asset)| AssetImport {
            asset,
            name,
            file: "status",
            format: Format::DpkgStatus,
        })
        .collect();
    store
        .import_assets(&tenant, "test", &imports)
        .await
        .expect("import");
    let components = store
        .tenant_components(&tenant, None)
        .await
        .expect("components");
    let observed: Vec<ObservedFinding> = components
        .iter()
        .filter(|c| c.component.name == "openssl")
        .map(|c| ObservedFinding {
            asset_key: c.asset_key.clone(),
            component_key: c.component_key.clone(),
            ids: vec!["CVE-2024-5535".into(), "DSA-5764-1".into()],
            ecosystem: c.component.ecosystem.clone(),
            package: c.component.name.clone(),
            version: "3.0.11".into(),
            purl: None,
            fixed_versions: vec!["3.0.14".into()],
            matched_by: "purl".into(),
            cpe: None,
            facts: FindingFacts {
                kev: Some(KevFact {
                    cve: "CVE-2024-5535".into(),
                    date_added: "2024-07-01".into(),
                    due_date: "2024-07-22".into(),
                    ransomware: false,
                }),
                ..FindingFacts::default()
            },
        })
        .collect();
    store
        .record_findings(&tenant, "test", RematchScope::Tenant, &observed)
        .await
        .expect("findings");
}

pub async fn app(store: Store) -> App {
    seed_tenant(&store, "alpha", 5).await;
    seed_tenant(&store, "beta", 2).await;
    store
        .add_tenant(&TenantId::new("provider").expect("id"), "Provider", "test")
        .await
        .expect("provider");
    let data_dir = std::env::temp_dir().join(format!(
        "weerbaar_server_data_{}_{}",
        std::process::id(),
        jiff::Timestamp::now().as_nanosecond()
    ));
    let mut config = Config {
        data_dir: data_dir.clone(),
        ..Config::default()
    };
    config.uploads.max_bytes = 1000;
    let state =
        AppState::new(config, store.clone(), Arc::new(MemoryUploads::default())).expect("state");
    App {
        router: weerbaar_server::app(state.clone()),
        alpha: token(&store, "alpha", &[Scope::Read, Scope::Ingest]).await,
        alpha_ingest: token(&store, "alpha", &[Scope::Ingest]).await,
        beta: token(&store, "beta", &[Scope::Read]).await,
        admin: token(&store, "provider", &[Scope::Admin]).await,
        store,
        state,
        data_dir,
    }
}

/// A response: status, headers and the body as JSON (or a JSON string of the text).
pub struct Reply {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: serde_json::Value,
    pub text: String,
}

impl Reply {
    /// The stable error code, asserting the error format.
    pub fn code(&self) -> &str {
        let code = self.body["error"]["code"].as_str();
        assert!(
            self.body["error"]["message"]
                .as_str()
                .is_some_and(|m| !m.is_empty()),
            "error body without a message: {}",
            self.text
        );
        code.unwrap_or_else(|| panic!("not an API error: {} {}", self.status, self.text))
    }
}

impl App {
    pub async fn send(&self, request: Request<Body>) -> Reply {
        let response = self
            .router
            .clone()
            .oneshot(request)
            .await
            .expect("infallible");
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes();
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let body = serde_json::from_str(&text).unwrap_or(serde_json::Value::Null);
        Reply {
            status,
            headers,
            body,
            text,
        }
    }

    pub async fn get(&self, uri: &str, token: Option<&str>) -> Reply {
        let mut request = Request::get(uri);
        if let Some(token) = token {
            request = request.header("authorization", format!("Bearer {token}"));
        }
        self.send(request.body(Body::empty()).expect("request"))
            .await
    }

    pub async fn post(
        &self,
        uri: &str,
        token: &str,
        content_type: &str,
        body: impl Into<Body>,
    ) -> Reply {
        self.send(
            Request::post(uri)
                .header("authorization", format!("Bearer {token}"))
                .header("content-type", content_type)
                .body(body.into())
                .expect("request"),
        )
        .await
    }

    pub fn cleanup(&self) {
        let _ = std::fs::remove_dir_all(&self.data_dir);
    }
}
