//! `weerbaar serve` killed with SIGKILL in the middle of imports, 20 times at random moments.
//!
//! Each round starts the server, pushes a 20,000-component SBOM for a new asset, waits until the
//! worker has claimed it (`processing`), sleeps a random part of an import's duration and kills
//! the process. Then, with the server dead, the database must open and pass SQLite's own
//! integrity check, and the asset must hold either nothing or the complete inventory — never a
//! part. The next round's server must finish the killed upload by itself (the worker's lease
//! runs out and the upload is claimed again), and a retry of the same push (same idempotency
//! key) must return that one upload instead of storing a second copy.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use weerbaar_store::{Store, TenantId};

use crate::http::{Server, request};
use crate::{text, weerbaar};

const TENANT: &str = "crash-test";
const COMPONENTS: usize = 20_000;
const ROUNDS: usize = 20;

fn sbom(components: usize) -> Vec<u8> {
    let list: Vec<serde_json::Value> = (0..components)
        .map(|i| {
            serde_json::json!({
                "type": "library",
                "name": format!("lib-{i}"),
                "version": format!("1.{}.{}", i % 97, i % 13),
                "purl": format!("pkg:npm/lib-{i}@1.{}.{}", i % 97, i % 13),
            })
        })
        .collect();
    serde_json::to_vec(&serde_json::json!({
        "bomFormat": "CycloneDX",
        "specVersion": "1.5",
        "version": 1,
        "metadata": {"component": {"type": "application", "name": "crash"}},
        "components": list,
    }))
    .expect("sbom json")
}

/// A small deterministic generator: the kill moments are random but the same on every run, so
/// a failure can be replayed.
struct XorShift(u64);

impl XorShift {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n.max(1)
    }
}

fn upload_state(port: u16, token: &str, id: &str) -> Option<serde_json::Value> {
    let auth = format!("Bearer {token}");
    let r = request(
        port,
        "GET",
        &format!("/api/v1/tenants/{TENANT}/uploads/{id}"),
        &[("Authorization", &auth)],
        b"",
    )?;
    assert_eq!(r.status, 200, "{}", r.body);
    Some(r.json())
}

fn push(port: u16, token: &str, asset: &str, key: &str, body: &[u8]) -> serde_json::Value {
    let auth = format!("Bearer {token}");
    let r = request(
        port,
        "POST",
        &format!(
            "/api/v1/tenants/{TENANT}/uploads?asset={asset}&filename={asset}.cdx.json&format=cyclonedx-json"
        ),
        &[
            ("Authorization", &auth),
            ("Idempotency-Key", key),
            ("Content-Type", "application/json"),
        ],
        body,
    )
    .expect("push answered");
    assert!(matches!(r.status, 200 | 202), "{} {}", r.status, r.body);
    r.json()
}

fn wait_until(port: u16, token: &str, id: &str, states: &[&str], limit: Duration) -> String {
    let started = Instant::now();
    loop {
        let state = upload_state(port, token, id).expect("status answered");
        let status = state["status"].as_str().expect("status").to_owned();
        if states.contains(&status.as_str()) {
            return status;
        }
        assert!(status != "failed", "upload {id} failed: {}", state["error"]);
        assert!(
            started.elapsed() < limit,
            "upload {id} stayed {status} for {limit:?}"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// With no server running: the database passes its integrity check, and the asset holds none
/// or all of its components, with one import record per completed import.
fn check_consistent(dir: &Path, asset: &str) -> usize {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let store = Store::open_data_dir(dir).await.expect("database opens");
        let problems = store.integrity_check().await.expect("integrity check runs");
        assert!(problems.is_empty(), "integrity check: {problems:?}");
        let tenant = TenantId::new(TENANT).expect("tenant");
        let stored = match store.asset(&tenant, asset).await {
            Ok(Some(stored)) => stored.components.len(),
            Ok(None) => 0,
            Err(e) => panic!("reading {asset}: {e}"),
        };
        assert!(
            stored == 0 || stored == COMPONENTS,
            "{asset} holds {stored} of {COMPONENTS} components: a partial import"
        );
        let history = store
            .import_history(&tenant, Some(asset))
            .await
            .expect("import history");
        assert_eq!(
            history.len(),
            usize::from(stored > 0),
            "{asset}: one import record exactly when the import happened"
        );
        store.close().await;
        stored
    })
}

fn temp_dir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("weerbaar_cli_crash_{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

#[test]
fn sigkill_during_imports_leaves_all_or_nothing_and_the_retry_succeeds() {
    let dir = temp_dir();
    let data_dir = dir.to_str().expect("utf8");
    let created = weerbaar(
        &["--data-dir", data_dir, "admin", "tenant", "create", TENANT],
        "",
    );
    assert!(created.status.success(), "{}", text(&created.stderr));
    let token = weerbaar(
        &[
            "--data-dir",
            data_dir,
            "admin",
            "token",
            "create",
            "--tenant",
            TENANT,
            "--name",
            "crash",
            "--scope",
            "ingest",
            "--scope",
            "read",
        ],
        "",
    );
    assert!(token.status.success(), "{}", text(&token.stderr));
    let token = text(&token.stdout).trim().to_owned();
    let body = sbom(COMPONENTS);
    // A short lease, so the next server takes over a killed upload within a second or two.
    let env = [
        ("WEERBAAR_UPLOAD_LEASE_SECONDS", "2"),
        ("WEERBAAR_LOG_LEVEL", "warn"),
    ];

    // One undisturbed import first: how long processing takes here, to aim the kills.
    let server = Server::start(&dir, &env);
    let receipt = push(server.port, &token, "baseline", "baseline", &body);
    let id = receipt["id"].as_str().expect("id").to_owned();
    wait_until(
        server.port,
        &token,
        &id,
        &["processing", "done"],
        Duration::from_secs(60),
    );
    let started = Instant::now();
    wait_until(
        server.port,
        &token,
        &id,
        &["done"],
        Duration::from_secs(120),
    );
    let import_time = started.elapsed();
    drop(server);
    assert_eq!(check_consistent(&dir, "baseline"), COMPONENTS);

    let mut rng = XorShift(0x5eed_cafe_f00d_beef);
    let mut killed: Vec<(String, String)> = Vec::new();
    let mut interrupted = 0;
    for round in 0..=ROUNDS {
        let server = Server::start(&dir, &env);
        // The previous round's upload: finished by this server without any client action, and
        // a retry of the same push returns it rather than importing a copy.
        if let Some((asset, id)) = killed.last() {
            let status = wait_until(server.port, &token, id, &["done"], Duration::from_secs(120));
            assert_eq!(status, "done");
            let again = push(server.port, &token, asset, asset, &body);
            assert_eq!(
                again["id"].as_str(),
                Some(id.as_str()),
                "retry is the same upload"
            );
        }
        if round == ROUNDS {
            drop(server);
            break;
        }
        let asset = format!("host-{round:02}");
        let receipt = push(server.port, &token, &asset, &asset, &body);
        let id = receipt["id"].as_str().expect("id").to_owned();
        wait_until(
            server.port,
            &token,
            &id,
            &["processing", "done"],
            Duration::from_secs(60),
        );
        let millis = u64::try_from(import_time.as_millis()).unwrap_or(u64::MAX);
        std::thread::sleep(Duration::from_millis(rng.below(millis)));
        server.kill();
        let stored = check_consistent(&dir, &asset);
        if stored == 0 {
            interrupted += 1;
        }
        eprintln!("round {round}: killed; {stored} components stored");
        killed.push((asset, id));
    }
    eprintln!("{interrupted} of {ROUNDS} kills interrupted an import (one takes {import_time:?})");
    // The kills must really interrupt imports, or this test proves nothing.
    assert!(
        interrupted >= ROUNDS / 4,
        "only {interrupted} of {ROUNDS} kills landed during an import"
    );
    for (asset, _) in &killed {
        assert_eq!(check_consistent(&dir, asset), COMPONENTS, "{asset}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
