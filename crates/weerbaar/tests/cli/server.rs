//! `weerbaar admin`, `config check`, `serve` and `push`, as real processes.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::http::{free_port, http_get};
use crate::{text, weerbaar};

fn temp_dir(name: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("weerbaar_cli_server_{name}_{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn run(dir: &Path, args: &[&str]) -> std::process::Output {
    let mut all = vec!["--data-dir", dir.to_str().expect("utf8 path")];
    all.extend_from_slice(args);
    weerbaar(&all, "")
}

#[test]
fn admin_creates_tenants_and_tokens_shown_once() {
    let dir = temp_dir("admin");
    let out = run(
        &dir,
        &[
            "admin",
            "tenant",
            "create",
            "gemeente-diest",
            "--name",
            "Diest",
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let list = run(&dir, &["admin", "tenant", "list", "--format", "json"]);
    assert!(text(&list.stdout).contains("gemeente-diest"));

    let created = run(
        &dir,
        &[
            "admin",
            "token",
            "create",
            "--tenant",
            "gemeente-diest",
            "--name",
            "srv01",
            "--scope",
            "ingest",
        ],
    );
    assert!(created.status.success(), "{}", text(&created.stderr));
    let token = text(&created.stdout).trim().to_owned();
    assert!(token.starts_with("wbt_gemeente-diest_"), "{token}");
    assert_eq!(
        text(&created.stdout).lines().count(),
        1,
        "the token alone on stdout"
    );

    let json = run(
        &dir,
        &[
            "admin",
            "token",
            "create",
            "--tenant",
            "gemeente-diest",
            "--name",
            "reader",
            "--scope",
            "read",
            "--days",
            "7",
            "--format",
            "json",
        ],
    );
    let value: serde_json::Value = serde_json::from_slice(&json.stdout).expect("json");
    assert_eq!(value["scopes"][0], "read");
    let id = value["id"].as_str().expect("id").to_owned();

    let listed = run(
        &dir,
        &["admin", "token", "list", "--tenant", "gemeente-diest"],
    );
    let listing = text(&listed.stdout);
    assert!(
        listing.contains("srv01") && listing.contains("reader"),
        "{listing}"
    );
    let secret = token.rsplit('_').next().expect("secret");
    assert!(!listing.contains(secret), "secrets are never listed");

    let too_long = run(
        &dir,
        &[
            "admin",
            "token",
            "create",
            "--tenant",
            "gemeente-diest",
            "--name",
            "x",
            "--scope",
            "read",
            "--days",
            "5000",
        ],
    );
    assert_eq!(
        too_long.status.code(),
        Some(2),
        "{}",
        text(&too_long.stderr)
    );
    let bad_scope = run(
        &dir,
        &[
            "admin",
            "token",
            "create",
            "--tenant",
            "gemeente-diest",
            "--name",
            "x",
            "--scope",
            "root",
        ],
    );
    assert!(!bad_scope.status.success());
    assert!(text(&bad_scope.stderr).contains("unknown scope"));

    let revoked = run(
        &dir,
        &[
            "admin",
            "token",
            "revoke",
            "--tenant",
            "gemeente-diest",
            &id,
        ],
    );
    assert!(revoked.status.success(), "{}", text(&revoked.stderr));
    let again = run(
        &dir,
        &[
            "admin",
            "token",
            "revoke",
            "--tenant",
            "gemeente-diest",
            &id,
        ],
    );
    assert_eq!(again.status.code(), Some(1));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn config_check_prints_the_effective_config_or_the_error_line() {
    let dir = temp_dir("config");
    let good = dir.join("good.toml");
    std::fs::write(
        &good,
        "bind = \"0.0.0.0:9000\"\ndatabase = \"postgres://app:s3cret@db.example/w\"\n[jobs.feed_sync]\ninterval_seconds = 21600\n",
    )
    .expect("write");
    let out = weerbaar(
        &["config", "check", "--config", good.to_str().expect("utf8")],
        "",
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let shown = text(&out.stdout);
    assert!(shown.contains("bind = \"0.0.0.0:9000\""), "{shown}");
    assert!(shown.contains("app:***@db.example"), "{shown}");
    assert!(!shown.contains("s3cret"));
    assert!(
        shown.contains("interval_seconds = 21600"),
        "jobs settings pass through: {shown}"
    );
    // `[jobs]` is checked by the jobs' own rules: a misspelt key is an error, not a default.
    let typo = dir.join("typo.toml");
    std::fs::write(&typo, "[jobs.feed_sync]\nevery = \"6h\"\n").expect("write");
    let out = weerbaar(
        &["config", "check", "--config", typo.to_str().expect("utf8")],
        "",
    );
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stdout));
    assert!(text(&out.stderr).contains("every"), "{}", text(&out.stderr));

    let bad = dir.join("bad.toml");
    std::fs::write(&bad, "bind = \"0.0.0.0:9000\"\n\n[uploads]\nmax_byte = 5\n").expect("write");
    let out = weerbaar(
        &["config", "check", "--config", bad.to_str().expect("utf8")],
        "",
    );
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.contains("bad.toml:4:"), "{err}");

    let mut cmd = Command::new(env!("CARGO_BIN_EXE_weerbaar"));
    let out = cmd
        .args(["config", "check"])
        .env("WEERBAAR_UPLOAD_MAX_BYTES", "many")
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("WEERBAAR_UPLOAD_MAX_BYTES"));
    let _ = std::fs::remove_dir_all(&dir);
}

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn serve_answers_push_reports_refusals_and_sigterm_stops_it() {
    let dir = temp_dir("serve");
    assert!(
        run(&dir, &["admin", "tenant", "create", "leuven"])
            .status
            .success()
    );
    let created = run(
        &dir,
        &[
            "admin", "token", "create", "--tenant", "leuven", "--name", "p", "--scope", "ingest",
        ],
    );
    let token_file = dir.join("token");
    std::fs::write(&token_file, &created.stdout).expect("token file");
    let wrong_file = dir.join("wrong");
    std::fs::write(&wrong_file, format!("wbt_leuven_00_{}\n", "0".repeat(64))).expect("wrong");

    let port = free_port();
    let bind = format!("127.0.0.1:{port}");
    let mut server = Server(
        Command::new(env!("CARGO_BIN_EXE_weerbaar"))
            .args([
                "--data-dir",
                dir.to_str().expect("utf8"),
                "serve",
                "--bind",
                &bind,
            ])
            .env("WEERBAAR_LOG_FORMAT", "json")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn serve"),
    );
    let started = Instant::now();
    let health = loop {
        if let Some(r) = http_get(port, "/healthz") {
            break r;
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "serve did not come up"
        );
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(health.starts_with("HTTP/1.1 200"), "{health}");
    let doc = http_get(port, "/api/v1/openapi.json").expect("openapi");
    assert!(doc.contains("\"openapi\":\"3.1.0\""));

    let server_url = format!("http://{bind}");
    let inventory = dir.join("status");
    std::fs::write(
        &inventory,
        "Package: bash\nStatus: install ok installed\nVersion: 5.2\n\n",
    )
    .expect("inventory");
    let wrong = weerbaar(
        &[
            "push",
            "--server",
            &server_url,
            "--token-file",
            wrong_file.to_str().expect("utf8"),
            "--asset",
            "web01",
            inventory.to_str().expect("utf8"),
        ],
        "",
    );
    assert_eq!(wrong.status.code(), Some(1));
    let err = text(&wrong.stderr);
    assert!(
        err.contains("HTTP 401") && err.contains("unauthorized"),
        "{err}"
    );
    assert!(!err.contains(&"0".repeat(64)), "the token is never printed");

    let missing = weerbaar(
        &[
            "push",
            "--server",
            &server_url,
            "--token-file",
            "/nonexistent/token",
            inventory.to_str().expect("utf8"),
        ],
        "",
    );
    assert_eq!(missing.status.code(), Some(1));
    assert!(text(&missing.stderr).contains("token file"));

    let pushed = weerbaar(
        &[
            "push",
            "--server",
            &server_url,
            "--token-file",
            token_file.to_str().expect("utf8"),
            "--asset",
            "web01",
            inventory.to_str().expect("utf8"),
        ],
        "",
    );
    // Without an ingest worker wired in, the server refuses uploads with 503; with one, 202.
    let out = format!("{}{}", text(&pushed.stdout), text(&pushed.stderr));
    assert!(out.contains("queued") || out.contains("HTTP 503"), "{out}");

    let stopped = Command::new("kill")
        .args(["-TERM", &server.0.id().to_string()])
        .status()
        .expect("kill");
    assert!(stopped.success());
    let status = server.0.wait().expect("wait");
    assert!(status.success(), "SIGTERM is a clean stop: {status:?}");
    let mut log = String::new();
    server
        .0
        .stderr
        .take()
        .expect("stderr")
        .read_to_string(&mut log)
        .expect("log");
    assert!(log.contains("\"stopped\""), "{log}");
    let token = text(&created.stdout).trim().to_owned();
    assert!(!log.contains(&token), "tokens never reach the log");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn demo_seeds_then_serves_the_api_with_a_provider_token() {
    use std::io::BufRead;
    let dir = temp_dir("demo-serve");
    let port = free_port();
    let bind = format!("127.0.0.1:{port}");
    let mut child = Server(
        Command::new(env!("CARGO_BIN_EXE_weerbaar"))
            .args([
                "--data-dir",
                dir.to_str().expect("utf8"),
                "demo",
                "--bind",
                &bind,
            ])
            .env("NO_COLOR", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn demo"),
    );
    let stdout = child.0.stdout.take().expect("stdout");
    let token = std::io::BufReader::new(stdout)
        .lines()
        .map_while(Result::ok)
        .find_map(|line| line.trim().strip_prefix("wbt_").map(|t| format!("wbt_{t}")))
        .expect("the demo prints a token");
    let started = Instant::now();
    while http_get(port, "/healthz").is_none() {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "demo did not serve"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    let auth = format!("Bearer {token}");
    let tenants = crate::http::request(
        port,
        "GET",
        "/api/v1/tenants",
        &[("Authorization", &auth)],
        b"",
    )
    .expect("tenants");
    assert_eq!(tenants.status, 200, "{}", tenants.body);
    assert!(
        tenants.body.contains("(demo)"),
        "demo data is labelled: {}",
        tenants.body
    );
    let unauthenticated =
        crate::http::request(port, "GET", "/api/v1/tenants", &[], b"").expect("answer");
    assert_eq!(unauthenticated.status, 401);
    drop(child);
    let _ = std::fs::remove_dir_all(&dir);
}
