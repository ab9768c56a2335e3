//! `weerbaar tenant`, `inventory` and `collect` end to end, on a fresh SQLite data directory.

use std::path::{Path, PathBuf};
use std::process::Output;

use crate::text;

/// A data directory that exists for one test.
struct DataDir(PathBuf);

impl DataDir {
    fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("weerbaar-cli-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("create data dir");
        Self(dir)
    }

    fn run(&self, args: &[&str]) -> Output {
        std::process::Command::new(env!("CARGO_BIN_EXE_weerbaar"))
            .args(args)
            .env("WEERBAAR_DATA_DIR", self.0.join("data"))
            .env_remove("WEERBAAR_DATABASE_URL")
            .env("NO_COLOR", "1")
            .output()
            .expect("run weerbaar")
    }

    fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "{args:?} failed: {}",
            text(&out.stderr)
        );
        text(&out.stdout)
    }

    fn file(&self, name: &str, content: &str) -> String {
        let path = self.0.join(name);
        std::fs::write(&path, content).expect("write input file");
        path.display().to_string()
    }

    fn assets(&self, tenant: &str) -> serde_json::Value {
        let out = self.ok(&["inventory", "list", "-t", tenant, "--format", "json"]);
        serde_json::from_str(&out).expect("json list")
    }
}

impl Drop for DataDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

const OS_RELEASE: &str = "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME=\"Debian GNU/Linux\"\nVERSION_ID=\"12\"\nVERSION_CODENAME=bookworm\nID=debian\n";

const STATUS: &str = "Package: libssl3\nStatus: install ok installed\nArchitecture: amd64\nSource: openssl\nVersion: 3.0.11-1~deb12u2\n\nPackage: bash\nStatus: install ok installed\nArchitecture: amd64\nVersion: 5.2.15-2+b2\n\nPackage: old-config\nStatus: deinstall ok config-files\nVersion: 1.0\n";

#[test]
fn import_list_and_show_an_asset_from_os_release_and_dpkg_status() {
    let d = DataDir::new("import");
    d.ok(&[
        "tenant",
        "add",
        "gemeente-diest",
        "--name",
        "Gemeente Diest",
    ]);
    let os = d.file("os-release", OS_RELEASE);
    let status = d.file("status", STATUS);
    let out = d.ok(&[
        "inventory",
        "import",
        "-t",
        "gemeente-diest",
        "--asset",
        "web01",
        "--zone",
        "town hall LAN",
        "--criticality",
        "critical",
        "--exposure",
        "internet-facing",
        &os,
        &status,
    ]);
    assert!(out.contains("web01"), "{out}");

    let list = d.assets("gemeente-diest");
    assert_eq!(list.as_array().map(Vec::len), Some(1));
    assert_eq!(list[0]["name"], "web01");
    assert_eq!(
        list[0]["components"], 2,
        "config-files packages are not installed"
    );
    assert_eq!(list[0]["criticality"], "critical");
    assert_eq!(list[0]["exposure"], "internet-facing");

    let show: serde_json::Value = serde_json::from_str(&d.ok(&[
        "inventory",
        "show",
        "-t",
        "gemeente-diest",
        "WEB01",
        "--format",
        "json",
    ]))
    .expect("json");
    let libssl = show["components"]
        .as_array()
        .and_then(|cs| cs.iter().find(|c| c["name"] == "libssl3"))
        .expect("libssl3 stored");
    assert_eq!(
        libssl["ecosystem"], "Debian:12",
        "os-release gives the release to dpkg packages"
    );
    assert_eq!(libssl["source_name"], "openssl");
    assert_eq!(
        libssl["purl"],
        "pkg:deb/debian/libssl3@3.0.11-1~deb12u2?distro=debian-12&upstream=openssl"
    );
    assert_eq!(libssl["source"]["location"]["line"], 1);
    assert!(
        libssl["first_seen"]
            .as_str()
            .is_some_and(|t| t.ends_with('Z'))
    );

    let csv = d.ok(&[
        "inventory",
        "show",
        "-t",
        "gemeente-diest",
        "web01",
        "--format",
        "csv",
    ]);
    assert!(csv.starts_with("ecosystem,name,version,purl"), "{csv}");
    assert_eq!(csv.lines().count(), 3);
}

#[test]
fn a_failed_import_stores_nothing() {
    let d = DataDir::new("atomic");
    d.ok(&["tenant", "add", "gent"]);
    let status = d.file("status", STATUS);
    d.ok(&[
        "inventory",
        "import",
        "-t",
        "gent",
        "--asset",
        "srv1",
        &status,
    ]);
    let before = d.assets("gent");

    let replacement = d.file(
        "status2",
        "Package: curl\nStatus: install ok installed\nVersion: 7.88.1-10\n",
    );
    let truncated = d.file(
        "bom.json",
        "{\"bomFormat\": \"CycloneDX\", \"specVersion\": \"1.5\", \"components\": [",
    );
    let out = d.run(&[
        "inventory",
        "import",
        "-t",
        "gent",
        "--asset",
        "srv1",
        &replacement,
        &truncated,
    ]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("bom.json: line 1"),
        "the error names the file and line: {stderr}"
    );
    assert!(stderr.contains("nothing was imported"), "{stderr}");
    let after = d.assets("gent");
    assert_eq!(before["components"], after["components"]);
    assert_eq!(before[0]["updated_at"], after[0]["updated_at"]);
    let show = d.ok(&["inventory", "show", "-t", "gent", "srv1", "--format", "csv"]);
    assert!(show.contains("libssl3") && !show.contains("curl"), "{show}");
}

#[test]
fn bad_input_gets_clear_errors() {
    let d = DataDir::new("errors");
    d.ok(&["tenant", "add", "leuven"]);
    let status = d.file("status", STATUS);

    let out = d.run(&["inventory", "import", "-t", "leuven", &status]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("does not name its asset; pass --asset NAME"),
        "{}",
        text(&out.stderr)
    );

    let out = d.run(&["inventory", "import", "-t", "nope", "--asset", "x", &status]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("unknown tenant \"nope\""),
        "{}",
        text(&out.stderr)
    );

    let big = d.file("big-status", &STATUS.repeat(100));
    let out = d.run(&[
        "inventory",
        "import",
        "-t",
        "leuven",
        "--asset",
        "x",
        "--max-size",
        "1K",
        &big,
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("above the import limit of 1024 bytes"),
        "{}",
        text(&out.stderr)
    );

    let csv = d.file("software.csv", "Computer;Software\nws01;Firefox\n");
    let out = d.run(&[
        "inventory",
        "import",
        "-t",
        "leuven",
        "--map",
        "asset=Computer,name=Software,version=Version",
        &csv,
    ]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("software.csv") && stderr.contains("Version"),
        "{stderr}"
    );

    let out = d.run(&[
        "inventory",
        "import",
        "-t",
        "leuven",
        "--asset",
        "x",
        "--input-format",
        "docx",
        &status,
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("unknown inventory format \"docx\""),
        "{}",
        text(&out.stderr)
    );

    let out = d.run(&["inventory", "show", "-t", "leuven", "ghost"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        d.assets("leuven").as_array().is_some_and(Vec::is_empty),
        "nothing stored by the failures"
    );
}

#[test]
fn csv_exports_create_one_asset_per_host() {
    let d = DataDir::new("csv");
    d.ok(&["tenant", "add", "mechelen"]);
    let csv = d.file(
        "software.csv",
        "Computer;Software;Version;Publisher\nWS01;Mozilla Firefox;128.0;Mozilla\nWS01;7-Zip;23.01;Igor Pavlov\nWS02;Mozilla Firefox;127.0;Mozilla\n",
    );
    d.ok(&[
        "inventory",
        "import",
        "-t",
        "mechelen",
        "--map",
        "asset=Computer,name=Software,version=Version,vendor=Publisher",
        &csv,
    ]);
    let list = d.assets("mechelen");
    let counts: Vec<(String, i64)> = list
        .as_array()
        .expect("array")
        .iter()
        .map(|a| {
            (
                a["name"].as_str().unwrap_or_default().to_owned(),
                a["components"].as_i64().unwrap_or(-1),
            )
        })
        .collect();
    assert_eq!(counts, [("WS01".to_owned(), 2), ("WS02".to_owned(), 1)]);
}

#[test]
fn collect_inventories_a_root_filesystem_as_cyclonedx() {
    let d = DataDir::new("collect");
    let root = d.0.join("root");
    std::fs::create_dir_all(root.join("etc")).expect("mkdir");
    std::fs::create_dir_all(root.join("var/lib/dpkg")).expect("mkdir");
    std::fs::write(root.join("etc/os-release"), OS_RELEASE).expect("write");
    std::fs::write(root.join("etc/hostname"), "kiosk07\n").expect("write");
    std::fs::write(root.join("var/lib/dpkg/status"), STATUS).expect("write");
    let sbom_path = d.0.join("kiosk.cdx.json");
    let out = d.run(&[
        "collect",
        "--root",
        &root.display().to_string(),
        "--output",
        &sbom_path.display().to_string(),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let sbom: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&sbom_path).expect("sbom written")).expect("json");
    assert_eq!(sbom["bomFormat"], "CycloneDX");
    assert_eq!(sbom["specVersion"], "1.6");
    assert_eq!(sbom["metadata"]["component"]["name"], "kiosk07");
    let purls: Vec<&str> = sbom["components"]
        .as_array()
        .expect("components")
        .iter()
        .filter_map(|c| c["purl"].as_str())
        .collect();
    assert!(
        purls.contains(&"pkg:deb/debian/bash@5.2.15-2%2Bb2?distro=debian-12"),
        "{purls:?}"
    );

    // And the SBOM imports back: the round trip keeps every package.
    d.ok(&["tenant", "add", "brugge"]);
    d.ok(&[
        "inventory",
        "import",
        "-t",
        "brugge",
        &sbom_path.display().to_string(),
    ]);
    let list = d.assets("brugge");
    assert_eq!(list[0]["name"], "kiosk07");
    let packages = list[0]["components"].as_i64().unwrap_or_default();
    assert!(packages >= 2, "{list}");
}

#[test]
fn collect_on_this_machine_counts_every_installed_dpkg_package() {
    let status = Path::new("/var/lib/dpkg/status");
    if !status.exists() {
        eprintln!("skipped: no dpkg database on this machine");
        return;
    }
    let installed = std::fs::read_to_string(status)
        .expect("read status")
        .split("\n\n")
        .filter(|p| {
            p.lines().any(|l| {
                l.strip_prefix("Status: ")
                    .is_some_and(|s| s.split_whitespace().nth(2) == Some("installed"))
            })
        })
        .count();
    let d = DataDir::new("collect-self");
    let out = d.ok(&["collect"]);
    let sbom: serde_json::Value = serde_json::from_str(&out).expect("json");
    let debs = sbom["components"]
        .as_array()
        .expect("components")
        .iter()
        .filter(|c| {
            c["purl"]
                .as_str()
                .is_some_and(|p| p.starts_with("pkg:deb/"))
        })
        .count();
    assert_eq!(debs, installed);
}

#[test]
fn demo_seeds_the_municipalities_once() {
    let d = DataDir::new("demo");
    let out = d.ok(&["demo", "--no-serve"]);
    assert!(out.contains("Gemeente Beverzele (demo)"), "{out}");
    assert!(out.contains("weerbaar's demo advisories"), "{out}");
    assert!(out.contains("Act"), "a plan with KEV-listed actions: {out}");
    let tenants: serde_json::Value =
        serde_json::from_str(&d.ok(&["tenant", "list", "--format", "json"])).expect("json");
    let tenants = tenants.as_array().expect("list");
    assert_eq!(tenants.len(), 7);
    assert!(
        tenants
            .iter()
            .all(|t| t["name"].as_str().is_some_and(|n| n.ends_with("(demo)")))
    );
    let list = d.assets("demo-beverzele");
    let portal = list
        .as_array()
        .and_then(|l| l.iter().find(|a| a["name"] == "burgerzaken-portal"))
        .expect("portal imported");
    assert_eq!(portal["components"], 11);
    assert_eq!(portal["criticality"], "critical");
    // Running it again re-imports; nothing is duplicated and nothing is new.
    let again_out = d.ok(&["demo", "--no-serve"]);
    assert!(again_out.contains("(0 new now)"), "{again_out}");
    let again = d.assets("demo-beverzele");
    let shape = |l: &serde_json::Value| -> Vec<(String, i64)> {
        l.as_array()
            .expect("list")
            .iter()
            .map(|a| {
                (
                    a["name"].as_str().unwrap_or_default().to_owned(),
                    a["components"].as_i64().unwrap_or(-1),
                )
            })
            .collect()
    };
    assert_eq!(shape(&list), shape(&again));
    let show: serde_json::Value = serde_json::from_str(&d.ok(&[
        "inventory",
        "show",
        "-t",
        "demo-beverzele",
        "burgerzaken-portal",
        "--format",
        "json",
    ]))
    .expect("json");
    assert!(
        show["components"]
            .as_array()
            .is_some_and(|cs| cs
                .iter()
                .any(|c| c["name"] == "org.apache.logging.log4j:log4j-core"
                    && c["ecosystem"] == "Maven")),
        "{show}"
    );
    let exposure = d.ok(&["exposure", "CVE-2021-44228"]);
    assert!(
        exposure.contains("demo-beverzele") && exposure.contains("demo-rozendries"),
        "the supplier's portal is everywhere: {exposure}"
    );
}

#[test]
fn the_demo_scan_hint_works_from_the_checkout() {
    // `weerbaar demo` suggests this command; the data directory must stay loadable as feeds.
    let d = DataDir::new("demo-scan");
    let data = concat!(env!("CARGO_MANIFEST_DIR"), "/../weerbaar-demo/data");
    let out = d.run(&[
        "scan",
        &format!("{data}/burgerzaken-portal.cdx.json"),
        "--advisories",
        &format!("{data}/feeds"),
    ]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(3),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("GHSA-jfh8-c2jp-5v3q"), "{stdout}");
    assert!(stdout.contains("CVE-2021-45046"), "{stdout}");
}

#[test]
fn demo_generate_makes_the_requested_portfolio() {
    let d = DataDir::new("demo-generate");
    let out = d.ok(&[
        "demo",
        "generate",
        "--tenants",
        "2",
        "--assets",
        "3",
        "--components",
        "60",
    ]);
    assert!(
        out.contains("Generated 2 tenants, 6 assets, 360 components"),
        "{out}"
    );
    let list = d.assets("load-0002");
    let list = list.as_array().expect("list");
    assert_eq!(list.len(), 3);
    assert!(list.iter().all(|a| a["components"] == 60));
}

#[test]
fn a_two_gigabyte_file_is_refused_before_it_is_read() {
    let d = DataDir::new("huge");
    d.ok(&["tenant", "add", "tienen"]);
    // Sparse: 2 GiB on paper, no disk used. The refusal must come from the size check, not from
    // running out of memory while reading.
    let path = d.0.join("huge.cdx.json");
    let file = std::fs::File::create(&path).expect("create");
    file.set_len(2 << 30).expect("sparse 2 GiB file");
    drop(file);
    let out = d.run(&[
        "inventory",
        "import",
        "-t",
        "tienen",
        "--asset",
        "x",
        &path.display().to_string(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("huge.cdx.json"), "{stderr}");
    assert!(
        stderr.contains("file is 2147483648 bytes, above the import limit of 536870912 bytes"),
        "{stderr}"
    );
}
