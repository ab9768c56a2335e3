//! Sync against a local HTTP server serving the real feed files: storage, manifests, 304s,
//! and that every kind of failure leaves the previous data byte-identical.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use weerbaar_feeds::{Error, FileOutcome, HttpOptions, ProxyChoice, Source, UrlConfig};
use weerbaar_fixtures::fixture;
use weerbaar_fixtures::http::{Behaviour, Proxy, Route, Server};

struct Feeds {
    kev: Vec<u8>,
    epss_gz: Vec<u8>,
    osv_zip: Vec<u8>,
    osv_records: u64,
}

fn feeds() -> Option<Feeds> {
    let kev = std::fs::read(fixture("kev/known_exploited_vulnerabilities.json")?).ok()?;
    let epss = std::fs::read(fixture(
        "epss/lodestonesecurity-epss_scores-current-first49rows.csv",
    )?)
    .ok()?;
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(&epss).expect("gzip");
    let epss_gz = gz.finish().expect("gzip");
    let jsonl = std::fs::read_to_string(fixture("osv/rustsec/rustsec-osv.jsonl")?).ok()?;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let mut osv_records = 0;
    for (i, line) in jsonl.lines().filter(|l| !l.trim().is_empty()).enumerate() {
        zip.start_file(
            format!("RUSTSEC-{i:05}.json"),
            zip::write::SimpleFileOptions::default(),
        )
        .expect("zip entry");
        zip.write_all(line.as_bytes()).expect("zip write");
        osv_records += 1;
    }
    let osv_zip = zip.finish().expect("zip").into_inner();
    Some(Feeds {
        kev,
        epss_gz,
        osv_zip,
        osv_records,
    })
}

fn serve(feeds: &Feeds) -> Server {
    let server = Server::start();
    server.route("/kev.json", Route::new(feeds.kev.clone(), "kev-1"));
    server.route(
        "/epss_scores-current.csv.gz",
        Route::new(feeds.epss_gz.clone(), "epss-1"),
    );
    server.route(
        "/crates.io/all.zip",
        Route::new(feeds.osv_zip.clone(), "osv-1"),
    );
    server
}

fn urls(server: &Server) -> UrlConfig {
    let mut urls = UrlConfig::default();
    urls.apply_args(&[
        format!("kev={}", server.url("/kev.json")),
        format!("epss={}", server.url("/epss_scores-current.csv.gz")),
        format!("osv={}", server.url("/crates.io/all.zip")),
    ])
    .expect("urls");
    urls
}

fn direct() -> HttpOptions {
    HttpOptions {
        proxy: ProxyChoice::None,
        timeout: Duration::from_secs(10),
        nvd_api_key: None,
        no_proxy: Some(String::new()),
    }
}

const SOURCES: [Source; 3] = [Source::Kev, Source::Epss, Source::Osv];

fn sync(
    dir: &Path,
    sources: &[Source],
    urls: &UrlConfig,
    http: &HttpOptions,
) -> Vec<Result<weerbaar_feeds::SyncReport, Error>> {
    weerbaar_feeds::sync(dir, sources, urls, http, &mut |line| eprintln!("{line}")).expect("client")
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("weerbaar-feeds-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

/// Every file under `dir`, with its bytes.
fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .expect("read dir")
        .map(|e| {
            let path = e.expect("entry").path();
            (
                path.file_name()
                    .expect("name")
                    .to_string_lossy()
                    .into_owned(),
                std::fs::read(&path).expect("read"),
            )
        })
        .collect();
    files.sort();
    files
}

#[test]
fn first_sync_stores_and_second_is_not_modified() {
    let Some(feeds) = feeds() else { return };
    let server = serve(&feeds);
    let dir = temp_dir("first");
    let urls = urls(&server);

    let reports: Vec<_> = sync(&dir, &SOURCES, &urls, &direct())
        .into_iter()
        .map(|r| r.expect("sync"))
        .collect();
    assert_eq!(reports[0].records, 1404);
    assert_eq!(reports[1].records, 49);
    assert_eq!(reports[2].records, feeds.osv_records);
    assert_eq!(feeds.osv_records, 1206);
    assert!(
        reports
            .iter()
            .all(|r| matches!(r.files[0], FileOutcome::Updated { .. }))
    );

    let kev = weerbaar_feeds::load_manifest(&dir, Source::Kev)
        .expect("manifest")
        .expect("kev manifest");
    assert_eq!(kev.records, 1404);
    assert_eq!(kev.files[0].file, "kev.json");
    assert_eq!(kev.files[0].etag.as_deref(), Some("\"kev-1\""));
    assert_eq!(kev.files[0].size, feeds.kev.len() as u64);
    assert_eq!(kev.files[0].parser, "kev::parse");
    assert_eq!(
        std::fs::read(dir.join("feeds/kev/kev.json")).expect("stored"),
        feeds.kev
    );
    assert!(dir.join("feeds/osv/crates.io-all.zip").is_file());
    assert!(dir.join("feeds/epss/epss_scores-current.csv.gz").is_file());

    let before = snapshot(&dir.join("feeds/kev"));
    let again: Vec<_> = sync(&dir, &SOURCES, &urls, &direct())
        .into_iter()
        .map(|r| r.expect("second sync"))
        .collect();
    for report in &again {
        assert!(
            matches!(report.files[0], FileOutcome::NotModified { .. }),
            "{report:?}"
        );
    }
    assert_eq!(again[0].records, 1404);
    let conditional = server
        .seen()
        .into_iter()
        .filter(|s| s.status == 304)
        .count();
    assert_eq!(conditional, 3);
    // The stored file is untouched by a 304; only fetched_at moves in the manifest.
    let after = snapshot(&dir.join("feeds/kev"));
    assert_eq!(before[0].0, "kev.json");
    assert_eq!(before[0], after[0]);
}

fn assert_failure_keeps_previous(name: &str, behaviour: Behaviour, body: Option<Vec<u8>>) -> Error {
    let feeds = feeds().expect("fixtures checked by the caller");
    let server = serve(&feeds);
    let dir = temp_dir(name);
    let urls = urls(&server);
    sync(&dir, &[Source::Kev], &urls, &direct())
        .remove(0)
        .expect("first sync");
    let before = snapshot(&dir.join("feeds/kev"));

    // A new version (new ETag) that goes wrong in transit.
    let route = Route::new(body.unwrap_or_else(|| feeds.kev.clone()), "kev-2").behaving(behaviour);
    server.route("/kev.json", route);
    let error = sync(&dir, &[Source::Kev], &urls, &direct())
        .remove(0)
        .expect_err("sync must fail");
    assert_eq!(snapshot(&dir.join("feeds/kev")), before, "{error}");
    let message = error.to_string();
    assert!(message.starts_with("kev: "), "{message}");
    assert!(message.contains(&server.url("/kev.json")), "{message}");
    error
}

#[test]
fn dropped_connection_keeps_previous_data() {
    if feeds().is_none() {
        return;
    }
    let error = assert_failure_keeps_previous("drop", Behaviour::DropHalfway, None);
    assert!(matches!(error, Error::Transfer { .. }), "{error:?}");
}

#[test]
fn server_error_keeps_previous_data() {
    if feeds().is_none() {
        return;
    }
    let error = assert_failure_keeps_previous("500", Behaviour::Status(500), None);
    assert!(
        matches!(error, Error::Status { status: 500, .. }),
        "{error:?}"
    );
}

#[test]
fn garbage_body_keeps_previous_data() {
    if feeds().is_none() {
        return;
    }
    let error = assert_failure_keeps_previous(
        "garbage",
        Behaviour::Normal,
        Some(b"<html>maintenance</html>".to_vec()),
    );
    assert!(matches!(error, Error::Parse { .. }), "{error:?}");
}

#[test]
fn truncated_gzip_is_rejected() {
    let Some(feeds) = feeds() else { return };
    let server = serve(&feeds);
    // A complete HTTP transfer of an incomplete gzip stream: only the parser can tell.
    let cut = feeds.epss_gz[..feeds.epss_gz.len() - 10].to_vec();
    server.route("/epss_scores-current.csv.gz", Route::new(cut, "epss-cut"));
    let dir = temp_dir("gzip");
    let error = sync(&dir, &[Source::Epss], &urls(&server), &direct())
        .remove(0)
        .expect_err("truncated gzip");
    assert!(matches!(error, Error::Parse { .. }), "{error:?}");
    assert!(
        weerbaar_feeds::load_manifest(&dir, Source::Epss)
            .expect("read")
            .is_none()
    );
    // No temporary file is left behind.
    assert!(snapshot(&dir.join("feeds/epss")).is_empty());
}

#[test]
fn proxy_is_used() {
    let Some(feeds) = feeds() else { return };
    let server = serve(&feeds);
    let proxy = Proxy::start();
    let dir = temp_dir("proxy");
    let http = HttpOptions {
        proxy: ProxyChoice::Url(proxy.url()),
        ..direct()
    };
    let report = sync(&dir, &[Source::Kev], &urls(&server), &http)
        .remove(0)
        .expect("sync through the proxy");
    assert_eq!(report.records, 1404);
    assert_eq!(proxy.tunnels(), 1);

    // NO_PROXY bypasses it.
    let http = HttpOptions {
        proxy: ProxyChoice::Url(proxy.url()),
        no_proxy: Some("localhost,127.0.0.1".to_owned()),
        ..direct()
    };
    sync(&dir, &[Source::Kev], &urls(&server), &http)
        .remove(0)
        .expect("direct sync");
    assert_eq!(proxy.tunnels(), 1);
}

#[test]
fn status_reports_counts_and_staleness() {
    let Some(feeds) = feeds() else { return };
    let server = serve(&feeds);
    let dir = temp_dir("status");
    sync(&dir, &[Source::Kev], &urls(&server), &direct())
        .remove(0)
        .expect("sync");
    let now = weerbaar_feeds::now();
    let states = weerbaar_feeds::status(&dir, now).expect("status");
    let kev = states
        .iter()
        .find(|s| s.source == Source::Kev)
        .expect("kev");
    assert_eq!((kev.state, kev.records), ("ok", Some(1404)));
    let later = weerbaar_feeds::status(&dir, now + 3 * 86_400).expect("status");
    let kev = later.iter().find(|s| s.source == Source::Kev).expect("kev");
    assert_eq!(kev.state, "stale");
    assert!(kev.stale);
    let nvd = later.iter().find(|s| s.source == Source::Nvd).expect("nvd");
    assert_eq!(nvd.state, "missing");

    std::fs::write(dir.join("feeds/kev/kev.json"), b"{}").expect("tamper");
    let states = weerbaar_feeds::status(&dir, now).expect("status");
    let kev = states
        .iter()
        .find(|s| s.source == Source::Kev)
        .expect("kev");
    assert_eq!(kev.state, "damaged");
}

#[test]
fn import_is_all_or_nothing() {
    let Some(kev) = fixture("kev/known_exploited_vulnerabilities.csv") else {
        return;
    };
    let Some(epss) = fixture("epss/lodestonesecurity-epss_scores-current-first49rows.csv") else {
        return;
    };
    let Some(osv) = fixture("osv/rustsec/rustsec-osv.jsonl") else {
        return;
    };
    let dir = temp_dir("import");
    let garbage = dir.join("garbage.json");
    std::fs::write(&garbage, b"[1, 2, 3]").expect("write");
    let error = weerbaar_feeds::import(&dir, &[kev.clone(), garbage]).expect_err("garbage");
    assert!(error.to_string().contains("garbage.json"), "{error}");
    assert!(!dir.join("feeds").exists() || snapshot(&dir.join("feeds/kev")).is_empty());

    let reports = weerbaar_feeds::import(&dir, &[kev, epss, osv]).expect("import");
    let counts: Vec<(Source, u64)> = reports.iter().map(|r| (r.source, r.records)).collect();
    assert_eq!(
        counts,
        [(Source::Kev, 1404), (Source::Epss, 49), (Source::Osv, 1206)]
    );
    let manifest = weerbaar_feeds::load_manifest(&dir, Source::Kev)
        .expect("read")
        .expect("kev");
    assert_eq!(
        manifest.files[0].file,
        "known_exploited_vulnerabilities.csv"
    );
    assert!(manifest.files[0].url.is_none());
}

#[test]
fn import_directory_of_osv_records_as_one_zip() {
    let Some(jsonl) = fixture("osv/rustsec/rustsec-osv.jsonl") else {
        return;
    };
    let dir = temp_dir("import-dir");
    let tree = dir.join("rustsec/crates");
    std::fs::create_dir_all(&tree).expect("tree");
    let text = std::fs::read_to_string(jsonl).expect("read");
    for (i, line) in text.lines().take(5).enumerate() {
        std::fs::write(tree.join(format!("{i}.json")), line).expect("write");
    }
    let data = dir.join("data");
    let reports = weerbaar_feeds::import(&data, &[dir.join("rustsec")]).expect("import dir");
    assert_eq!((reports[0].source, reports[0].records), (Source::Osv, 5));
    assert_eq!(reports[0].file, "rustsec.zip");
    assert!(data.join("feeds/osv/rustsec.zip").is_file());

    let empty = dir.join("empty");
    std::fs::create_dir_all(&empty).expect("empty");
    let error = weerbaar_feeds::import(&data, &[empty]).expect_err("no records");
    assert!(error.to_string().contains("none found"), "{error}");
}

#[test]
fn nvd_api_pages_are_followed() {
    let Some(path) = fixture("nvd/vuln-list-update/respPageFull.json") else {
        return;
    };
    let full: serde_json::Value =
        serde_json::from_slice(&std::fs::read(path).expect("read")).expect("json");
    let vulns = full["vulnerabilities"].as_array().expect("vulnerabilities");
    assert_eq!(vulns.len(), 3);
    let page = |start: usize, items: &[serde_json::Value]| {
        let mut page = full.clone();
        page["startIndex"] = start.into();
        page["resultsPerPage"] = items.len().into();
        page["totalResults"] = 3.into();
        page["vulnerabilities"] = items.to_vec().into();
        serde_json::to_vec(&page).expect("page")
    };
    let server = Server::start();
    server.route(
        "/rest/json/cves/2.0",
        Route::new(page(0, &vulns[..2]), "p0"),
    );
    server.route(
        "/rest/json/cves/2.0?startIndex=2",
        Route::new(page(2, &vulns[2..]), "p2"),
    );
    let mut urls = UrlConfig::default();
    urls.apply_args(&[format!("nvd={}", server.url("/rest/json/cves/2.0"))])
        .expect("urls");
    let http = HttpOptions {
        // With a key, pages are not paced to the keyless rate limit.
        nvd_api_key: Some("test-key".to_owned()),
        ..direct()
    };
    let dir = temp_dir("nvd");
    let report = sync(&dir, &[Source::Nvd], &urls, &http)
        .remove(0)
        .expect("nvd sync");
    assert_eq!(report.records, 3);
    assert_eq!(report.files.len(), 2);
    let manifest = weerbaar_feeds::load_manifest(&dir, Source::Nvd)
        .expect("read")
        .expect("nvd");
    let files: Vec<&str> = manifest.files.iter().map(|f| f.file.as_str()).collect();
    assert_eq!(files, ["nvd-api-000000.json", "nvd-api-000002.json"]);
    // Unchanged first page: the later pages are still checked and kept.
    let again = sync(&dir, &[Source::Nvd], &urls, &http)
        .remove(0)
        .expect("nvd resync");
    assert_eq!(again.records, 3);
    assert!(
        again
            .files
            .iter()
            .all(|f| matches!(f, FileOutcome::NotModified { .. }))
    );
    assert_eq!(again.files.len(), 2);
    assert!(dir.join("feeds/nvd/nvd-api-000002.json").is_file());
    let seen = server.seen();
    assert!(
        seen.iter()
            .all(|s| s.headers.get("apikey").map(String::as_str) == Some("test-key"))
    );
}

#[test]
fn large_downloads_report_progress() {
    let server = Server::start();
    server.route("/big.json", Route::new(vec![b' '; 40 << 20], "big"));
    let mut urls = UrlConfig::default();
    urls.apply_args(&[format!("kev={}", server.url("/big.json"))])
        .expect("urls");
    let dir = temp_dir("progress");
    let mut lines = Vec::new();
    let result = weerbaar_feeds::sync(&dir, &[Source::Kev], &urls, &direct(), &mut |line| {
        lines.push(line.to_owned());
    })
    .expect("client")
    .remove(0);
    // Forty MiB of blanks is no catalog, but the progress was reported on the way.
    assert!(matches!(result, Err(Error::Parse { .. })), "{result:?}");
    assert!(
        lines.iter().any(|l| l == "kev: 32 MiB of 40 MiB"),
        "{lines:?}"
    );
}
