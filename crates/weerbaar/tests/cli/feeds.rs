//! `weerbaar feeds`: sync from a local HTTP server, status, import, and failures that keep the
//! previous data.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use weerbaar_fixtures::fixture;
use weerbaar_fixtures::http::{Behaviour, Proxy, Route, Server};

use crate::text;

/// Runs `weerbaar --data-dir DIR ARGS…` with no proxy from the environment.
fn feeds(dir: &Path, args: &[&str]) -> Output {
    feeds_env(dir, args, &[])
}

/// As [`feeds`], with extra environment variables.
fn feeds_env(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_weerbaar"));
    command
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .env("NO_COLOR", "1")
        .env_remove("WEERBAAR_DATA_DIR")
        .env_remove("WEERBAAR_DATABASE_URL")
        .env_remove("WEERBAAR_FEED_KEV_URL")
        .env_remove("WEERBAAR_FEED_EPSS_URL")
        .env_remove("WEERBAAR_FEED_OSV_URL")
        .env_remove("WEERBAAR_FEED_NVD_URL")
        .env_remove("HTTPS_PROXY")
        .env_remove("https_proxy")
        .env_remove("HTTP_PROXY")
        .env_remove("http_proxy")
        .env_remove("ALL_PROXY")
        .env_remove("all_proxy")
        .env_remove("NO_PROXY")
        .env_remove("no_proxy");
    for (name, value) in env {
        command.env(name, value);
    }
    command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .output()
        .expect("run weerbaar")
}

fn temp_dir(name: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("weerbaar-cli-feeds-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

struct Served {
    server: Server,
    kev: Vec<u8>,
}

fn serve() -> Option<Served> {
    let kev = std::fs::read(fixture("kev/known_exploited_vulnerabilities.json")?).expect("kev");
    let epss = std::fs::read(fixture(
        "epss/lodestonesecurity-epss_scores-current-first49rows.csv",
    )?)
    .expect("epss");
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(&epss).expect("gzip");
    let jsonl = std::fs::read_to_string(fixture("osv/rustsec/rustsec-osv.jsonl")?).expect("osv");
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (i, line) in jsonl.lines().filter(|l| !l.trim().is_empty()).enumerate() {
        zip.start_file(
            format!("{i}.json"),
            zip::write::SimpleFileOptions::default(),
        )
        .expect("zip entry");
        zip.write_all(line.as_bytes()).expect("zip write");
    }
    let server = Server::start();
    server.route("/kev.json", Route::new(kev.clone(), "k1"));
    server.route("/epss.csv.gz", Route::new(gz.finish().expect("gzip"), "e1"));
    server.route(
        "/crates.io/all.zip",
        Route::new(zip.finish().expect("zip").into_inner(), "o1"),
    );
    Some(Served { server, kev })
}

fn url_args(server: &Server) -> Vec<String> {
    vec![
        "--url".to_owned(),
        format!("kev={}", server.url("/kev.json")),
        "--url".to_owned(),
        format!("epss={}", server.url("/epss.csv.gz")),
        "--url".to_owned(),
        format!("osv={}", server.url("/crates.io/all.zip")),
    ]
}

fn sync(dir: &Path, server: &Server, extra: &[&str]) -> Output {
    let urls = url_args(server);
    let mut args: Vec<&str> = vec!["feeds", "sync", "-s", "kev", "-s", "epss", "-s", "osv"];
    args.extend(urls.iter().map(String::as_str));
    args.extend(extra);
    feeds(dir, &args)
}

fn status_json(dir: &Path) -> (serde_json::Value, String) {
    let out = feeds(dir, &["feeds", "status", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    (
        serde_json::from_slice(&out.stdout).expect("status json"),
        text(&out.stderr),
    )
}

fn source<'a>(status: &'a serde_json::Value, name: &str) -> &'a serde_json::Value {
    status
        .as_array()
        .expect("array")
        .iter()
        .find(|s| s["source"] == name)
        .expect("source listed")
}

#[test]
fn sync_then_not_modified_then_status() {
    let Some(served) = serve() else { return };
    let dir = temp_dir("sync");
    let out = sync(&dir, &served.server, &["--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(summary[0]["source"], "kev");
    assert_eq!(summary[0]["records"], 1404);
    assert_eq!(summary[1]["records"], 49);
    assert_eq!(summary[2]["records"], 1206);
    assert!(text(&out.stderr).contains("kev: GET http://127.0.0.1:"));

    let out = sync(&dir, &served.server, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let table = text(&out.stdout);
    assert!(table.contains("kev     not modified  1404"), "{table}");
    assert!(text(&out.stderr).contains("kev.json: not modified"));

    let (status, stderr) = status_json(&dir);
    let kev = source(&status, "kev");
    assert_eq!(kev["records"], 1404);
    assert_eq!(kev["state"], "ok");
    assert_eq!(kev["stale"], false);
    assert_eq!(kev["files"][0], "kev.json");
    assert_eq!(source(&status, "nvd")["state"], "missing");
    assert!(stderr.contains("nvd has never been synced"), "{stderr}");

    // Age comes from the manifest: three days ago is stale for KEV (two days) ...
    let manifest_path = dir.join("feeds/kev/manifest.json");
    let mut manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&manifest_path).expect("manifest")).expect("json");
    let old = manifest["fetched_at"].as_i64().expect("fetched_at") - 3 * 86_400;
    manifest["fetched_at"] = old.into();
    std::fs::write(&manifest_path, manifest.to_string()).expect("write manifest");
    let (status, stderr) = status_json(&dir);
    assert_eq!(source(&status, "kev")["state"], "stale");
    assert!(stderr.contains("kev is STALE"), "{stderr}");
    assert_eq!(source(&status, "epss")["state"], "ok");

    let out = feeds(&dir, &["feeds", "status"]);
    assert_eq!(out.status.code(), Some(0));
    let table = text(&out.stdout);
    assert!(table.contains("FETCHED (Brussels)"), "{table}");
    assert!(table.contains("STALE"), "{table}");
}

#[test]
fn dropped_connection_keeps_previous_data_and_exits_1() {
    let Some(served) = serve() else { return };
    let dir = temp_dir("drop");
    let out = sync(&dir, &served.server, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let file = std::fs::read(dir.join("feeds/kev/kev.json")).expect("kev");
    let manifest = std::fs::read(dir.join("feeds/kev/manifest.json")).expect("manifest");

    served.server.route(
        "/kev.json",
        Route::new(served.kev.clone(), "k2").behaving(Behaviour::DropHalfway),
    );
    let out = sync(&dir, &served.server, &[]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    let url = served.server.url("/kev.json");
    assert!(stderr.contains(&format!("error: kev: {url}: ")), "{stderr}");
    assert!(stderr.contains("kev: kept the previous data"), "{stderr}");
    assert_eq!(
        std::fs::read(dir.join("feeds/kev/kev.json")).expect("kev"),
        file
    );
    assert_eq!(
        std::fs::read(dir.join("feeds/kev/manifest.json")).expect("manifest"),
        manifest
    );
    let names: Vec<String> = std::fs::read_dir(dir.join("feeds/kev"))
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 2, "no temporary file left: {names:?}");
    // The other sources still synced (304).
    assert!(
        text(&out.stdout).contains("epss    not modified"),
        "{}",
        text(&out.stdout)
    );

    served.server.route(
        "/kev.json",
        Route::new(served.kev.clone(), "k3").behaving(Behaviour::Status(500)),
    );
    let out = sync(&dir, &served.server, &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains(&format!("kev: {url}: HTTP 500")));
    assert_eq!(
        std::fs::read(dir.join("feeds/kev/kev.json")).expect("kev"),
        file
    );
    served.server.route(
        "/kev.json",
        Route::new(b"{\"garbage\": true}".to_vec(), "k4"),
    );
    let out = sync(&dir, &served.server, &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains(&format!("kev: {url}: ")));
    assert_eq!(
        std::fs::read(dir.join("feeds/kev/manifest.json")).expect("manifest"),
        manifest
    );
}

#[test]
fn sync_through_a_proxy() {
    let Some(served) = serve() else { return };
    let proxy = Proxy::start();
    let dir = temp_dir("proxy");
    let url = format!("kev={}", served.server.url("/kev.json"));
    let out = feeds(
        &dir,
        &[
            "feeds",
            "sync",
            "-s",
            "kev",
            "--url",
            &url,
            "--proxy",
            &proxy.url(),
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(proxy.tunnels(), 1);
}

#[test]
fn unknown_source_is_usage_error() {
    let dir = temp_dir("usage");
    let out = feeds(&dir, &["feeds", "sync", "-s", "cve"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("unknown feed source"));
    let out = feeds(&dir, &["feeds", "sync", "--url", "kev"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn import_detects_formats_all_or_nothing() {
    let (Some(kev), Some(epss), Some(osv)) = (
        fixture("kev/known_exploited_vulnerabilities.json"),
        fixture("epss/lodestonesecurity-epss_scores-current-first49rows.csv"),
        fixture("osv/rustsec/rustsec-osv.jsonl"),
    ) else {
        return;
    };
    let dir = temp_dir("import");
    let garbage = dir.join("notes.txt");
    std::fs::write(&garbage, "hello").expect("write");
    let out = feeds(
        &dir,
        &[
            "feeds",
            "import",
            kev.to_str().expect("utf8"),
            garbage.to_str().expect("utf8"),
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("notes.txt"),
        "{}",
        text(&out.stderr)
    );
    assert!(!dir.join("feeds/kev/manifest.json").exists());

    let out = feeds(
        &dir,
        &[
            "feeds",
            "import",
            "--format",
            "json",
            kev.to_str().expect("utf8"),
            epss.to_str().expect("utf8"),
            osv.to_str().expect("utf8"),
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let reports: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(reports[0]["source"], "kev");
    assert_eq!(reports[0]["records"], 1404);
    assert_eq!(reports[1]["source"], "epss");
    assert_eq!(reports[2]["source"], "osv");
    assert_eq!(reports[2]["records"], 1206);
    let (status, _) = status_json(&dir);
    assert_eq!(source(&status, "osv")["records"], 1206);
    assert_eq!(source(&status, "kev")["state"], "ok");
}

#[test]
fn urls_from_the_environment() {
    let Some(served) = serve() else { return };
    let dir = temp_dir("env");
    let url = served.server.url("/kev.json");
    let out = feeds_env(
        &dir,
        &["feeds", "sync", "--source", "kev", "--format", "csv"],
        &[("WEERBAAR_FEED_KEV_URL", &url)],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        "source,result,records,error\r\nkev,updated 1 of 1 files,1404,\r\n"
    );
    let manifest: serde_json::Value = serde_json::from_slice(
        &std::fs::read(dir.join("feeds/kev/manifest.json")).expect("manifest"),
    )
    .expect("json");
    assert_eq!(manifest["files"][0]["url"], url.as_str());
    assert_eq!(manifest["records"], 1404);
}
