//! Two `weerbaar serve` processes on one PostgreSQL database, as a provider runs them behind a
//! load balancer: concurrent pushes for the same asset through both, and an upload handed over
//! when the instance processing it is killed (SIGKILL).
//!
//! Needs the PostgreSQL server of the CI machine (`WEERBAAR_TEST_POSTGRES`, default
//! `postgres://postgres@127.0.0.1:5432/postgres`); without one it reports itself skipped. Each
//! run creates its own database and drops it.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use weerbaar_store::{Store, TenantId};

use crate::http::{Server, request};
use crate::{text, weerbaar};

const TENANT: &str = "gemeente-twee";

fn admin_url() -> String {
    std::env::var("WEERBAAR_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned())
}

/// A database of its own, dropped at the end (even when the test fails).
struct TestDatabase {
    name: String,
    url: String,
}

impl TestDatabase {
    fn create() -> Option<Self> {
        let admin = admin_url();
        let name = format!("weerbaar_test_instances_{}", std::process::id());
        let ok = std::process::Command::new("psql")
            .args([&admin, "-qc", &format!("CREATE DATABASE \"{name}\"")])
            .output()
            .is_ok_and(|o| o.status.success());
        if !ok {
            return None;
        }
        let base = admin.rsplit_once('/').map_or(admin.as_str(), |(b, _)| b);
        Some(Self {
            url: format!("{base}/{name}"),
            name,
        })
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        let _ = std::process::Command::new("psql")
            .args([
                &admin_url(),
                "-qc",
                &format!("DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)", self.name),
            ])
            .output();
    }
}

fn sbom(variant: usize, components: usize) -> Vec<u8> {
    let list: Vec<serde_json::Value> = (0..components)
        .map(|i| {
            serde_json::json!({
                "type": "library",
                "name": format!("v{variant}-lib-{i}"),
                "version": "1.0.0",
                "purl": format!("pkg:npm/v{variant}-lib-{i}@1.0.0"),
            })
        })
        .collect();
    serde_json::to_vec(&serde_json::json!({
        "bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1, "components": list,
    }))
    .expect("json")
}

fn push(port: u16, token: &str, asset: &str, key: &str, body: &[u8]) -> String {
    let auth = format!("Bearer {token}");
    let r = request(
        port,
        "POST",
        &format!("/api/v1/tenants/{TENANT}/uploads?asset={asset}&format=cyclonedx-json"),
        &[("Authorization", &auth), ("Idempotency-Key", key)],
        body,
    )
    .expect("push answered");
    assert_eq!(r.status, 202, "{}", r.body);
    r.json()["id"].as_str().expect("id").to_owned()
}

fn status(port: u16, token: &str, id: &str) -> String {
    let auth = format!("Bearer {token}");
    let r = request(
        port,
        "GET",
        &format!("/api/v1/tenants/{TENANT}/uploads/{id}"),
        &[("Authorization", &auth)],
        b"",
    )
    .expect("status answered");
    assert_eq!(r.status, 200, "{}", r.body);
    let value = r.json();
    assert_ne!(value["status"], "failed", "{value}");
    value["status"].as_str().expect("status").to_owned()
}

fn wait_for(port: u16, token: &str, id: &str, wanted: &[&str]) {
    let started = Instant::now();
    while !wanted.contains(&status(port, token, id).as_str()) {
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "upload {id} never reached {wanted:?}"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

fn data_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "weerbaar_cli_instances_{name}_{}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("data dir");
    dir
}

#[test]
fn two_instances_share_uploads_and_take_over_from_a_killed_one() {
    let Some(db) = TestDatabase::create() else {
        eprintln!("skipped: no PostgreSQL at {}", admin_url());
        return;
    };
    let env = [
        ("WEERBAAR_DATABASE_URL", db.url.as_str()),
        ("WEERBAAR_UPLOAD_LEASE_SECONDS", "2"),
        ("WEERBAAR_LOG_LEVEL", "warn"),
    ];
    let dir_a = data_dir("a");
    let dir_b = data_dir("b");
    let cli = |args: &[&str]| {
        let mut all = vec!["--database", db.url.as_str()];
        all.extend_from_slice(args);
        let out = weerbaar(&all, "");
        assert!(out.status.success(), "{}", text(&out.stderr));
        text(&out.stdout)
    };
    cli(&["admin", "tenant", "create", TENANT]);
    let token = cli(&[
        "admin", "token", "create", "--tenant", TENANT, "--name", "p", "--scope", "ingest",
        "--scope", "read",
    ])
    .trim()
    .to_owned();

    // 1. Concurrent pushes for one asset, alternating between the instances, from 8 clients.
    let a = Server::start(&dir_a, &env);
    let b = Server::start(&dir_b, &env);
    let ports = [a.port, b.port];
    const SIZE: usize = 300;
    let ids: Vec<String> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..8)
            .map(|variant| {
                let token = token.as_str();
                scope.spawn(move || {
                    let port = ports[variant % 2];
                    let id = push(
                        port,
                        token,
                        "shared-host",
                        &format!("k{variant}"),
                        &sbom(variant, SIZE),
                    );
                    wait_for(port, token, &id, &["done"]);
                    id
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("client"))
            .collect()
    });
    assert_eq!(ids.len(), 8);

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let tenant = TenantId::new(TENANT).expect("tenant");
    runtime.block_on(async {
        let store = Store::open(&db.url).await.expect("open");
        let asset = store
            .asset(&tenant, "shared-host")
            .await
            .expect("read")
            .expect("the asset exists");
        // Exactly one push's set, whole: not a mix, not a union, no duplicates.
        assert_eq!(asset.components.len(), SIZE);
        let prefix = asset.components[0]
            .component
            .name
            .split("-lib-")
            .next()
            .expect("variant")
            .to_owned();
        assert!(
            asset
                .components
                .iter()
                .all(|c| c.component.name.starts_with(&format!("{prefix}-lib-"))),
            "components of several pushes mixed"
        );
        let history = store
            .import_history(&tenant, Some("shared-host"))
            .await
            .expect("history");
        assert_eq!(
            history.len(),
            8,
            "one import record per push: none lost, none twice"
        );
        store.close().await;
    });

    // 2. Kill the instance that is processing an upload; the other one finishes it.
    drop(b);
    let big = sbom(99, 30_000);
    let id = push(a.port, &token, "big-host", "big", &big);
    wait_for(a.port, &token, &id, &["processing"]);
    a.kill();
    runtime.block_on(async {
        let store = Store::open(&db.url).await.expect("open");
        let upload = store.upload(&tenant, &id).await.expect("upload");
        // Otherwise the kill came too late and nothing was handed over.
        assert_eq!(upload.status.as_str(), "processing", "killed mid-import");
        assert_eq!(upload.attempts, 1);
        store.close().await;
    });
    let b = Server::start(&dir_b, &env);
    wait_for(b.port, &token, &id, &["done"]);
    runtime.block_on(async {
        let store = Store::open(&db.url).await.expect("open");
        let asset = store
            .asset(&tenant, "big-host")
            .await
            .expect("read")
            .expect("imported by the surviving instance");
        assert_eq!(asset.components.len(), 30_000);
        let history = store
            .import_history(&tenant, Some("big-host"))
            .await
            .expect("history");
        assert_eq!(history.len(), 1, "imported exactly once");
        let upload = store.upload(&tenant, &id).await.expect("upload");
        assert_eq!(upload.attempts, 2, "claimed again by the survivor");
        store.close().await;
    });
    drop(b);
    let _ = std::fs::remove_dir_all(&dir_a);
    let _ = std::fs::remove_dir_all(&dir_b);
}
