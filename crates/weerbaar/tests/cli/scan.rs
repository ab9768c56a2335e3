//! `weerbaar scan` end to end, on real RustSec, NVD and KEV data.

use std::path::PathBuf;
use std::process::Output;

use crate::text;

const LOCK: &str = r#"version = 3

[[package]]
name = "libwebp-sys"
version = "0.9.2"
source = "registry+https://github.com/rust-lang/crates.io-index"

[[package]]
name = "serde"
version = "1.0.200"
source = "registry+https://github.com/rust-lang/crates.io-index"
"#;

/// A scratch directory with a data directory inside, removed at the end.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("weerbaar-scan-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("create scratch dir");
        Self(dir)
    }

    fn file(&self, name: &str, content: &str) -> String {
        let path = self.0.join(name);
        std::fs::write(&path, content).expect("write");
        path.display().to_string()
    }

    fn run(&self, args: &[&str]) -> Output {
        std::process::Command::new(env!("CARGO_BIN_EXE_weerbaar"))
            .args(args)
            .env("WEERBAAR_DATA_DIR", self.0.join("data"))
            .env("NO_COLOR", "1")
            .output()
            .expect("run weerbaar")
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The feed files: RustSec's OSV export, NVD's CVE-2023-4863, the KEV catalog.
fn feed_files() -> Option<Vec<String>> {
    [
        "osv/rustsec/rustsec-osv.jsonl",
        "nvd/osv.dev-nvdcve-2.0/CVE-2023-4863.json",
        "kev/known_exploited_vulnerabilities.json",
    ]
    .iter()
    .map(|p| weerbaar_fixtures::fixture(p).map(|p| p.display().to_string()))
    .collect()
}

fn with_advisories<'a>(mut args: Vec<&'a str>, feeds: &'a [String]) -> Vec<&'a str> {
    for f in feeds {
        args.push("--advisories");
        args.push(f);
    }
    args
}

fn check_json(out: &Output) {
    assert_eq!(out.status.code(), Some(3), "{}", text(&out.stderr));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(report["schema"], "weerbaar.scan/1");
    let first = &report["findings"][0];
    assert_eq!(first["advisory_id"], "RUSTSEC-2023-0061");
    assert_eq!(first["package"]["name"], "libwebp-sys");
    assert_eq!(first["package"]["ecosystem"], "crates.io");
    assert_eq!(first["fixed_versions"][0], "0.9.3");
    assert_eq!(first["matched_by"], "purl");
    assert_eq!(first["kev"]["due_date"], "2023-10-04");
    assert_eq!(first["kev"]["ransomware"], false);
    assert_eq!(first["cvss"]["base_score"], 8.8);
    assert_eq!(first["epss"], serde_json::Value::Null);
    assert_eq!(first["locations"][0]["asset"], "portal");
}

#[test]
fn scan_with_given_advisories() {
    let Some(feeds) = feed_files() else { return };
    let s = Scratch::new("given");
    let lock = s.file("Cargo.lock", LOCK);
    let json = s.run(&with_advisories(
        vec!["scan", &lock, "--asset", "portal", "--format", "json"],
        &feeds,
    ));
    check_json(&json);

    let csv = s.run(&with_advisories(
        vec!["scan", &lock, "--format", "csv", "--exit-zero"],
        &feeds,
    ));
    assert_eq!(csv.status.code(), Some(0), "--exit-zero");
    let csv = text(&csv.stdout);
    let mut lines = csv.lines();
    assert!(
        lines
            .next()
            .is_some_and(|h| h.starts_with("advisory_id,aliases,severity,cvss_score")),
        "{csv}"
    );
    assert!(
        lines.next().is_some_and(|l| l.starts_with(
            "RUSTSEC-2023-0061,CVE-2023-4863 CVE-2023-5129 GHSA-j7hp-h8jx-5ppr,high,8.8,"
        )),
        "{csv}"
    );

    let table = s.run(&with_advisories(vec!["scan", &lock], &feeds));
    assert_eq!(table.status.code(), Some(3));
    let table = text(&table.stdout);
    assert!(table.starts_with("SEVERITY"), "{table}");
    assert!(table.contains("HIGH      8.8   yes"), "{table}");
    assert!(
        table.contains("Most urgent: RUSTSEC-2023-0061 in libwebp-sys 0.9.2, exploited in the wild, due 2023-10-04."),
        "{table}"
    );
}

#[test]
fn scan_with_stored_feeds() {
    let Some(feeds) = feed_files() else { return };
    let s = Scratch::new("stored");
    let lock = s.file("Cargo.lock", LOCK);

    let none = s.run(&["scan", &lock]);
    assert_eq!(none.status.code(), Some(1));
    assert!(
        text(&none.stderr).contains("weerbaar feeds sync"),
        "{}",
        text(&none.stderr)
    );

    let mut import = vec!["feeds", "import"];
    import.extend(feeds.iter().map(String::as_str));
    let out = s.run(&import);
    assert!(out.status.success(), "{}", text(&out.stderr));
    check_json(&s.run(&["scan", &lock, "-a", "portal", "--format", "json"]));

    // The compiled feeds are cached, and a damaged cache is reported and rebuilt, never used.
    let cache = s.0.join("data/cache");
    for file in ["osv-index.bin", "cpe-index.bin", "intel.bin"] {
        assert!(cache.join(file).is_file(), "{file} cached");
    }
    check_json(&s.run(&["scan", &lock, "-a", "portal", "--format", "json"]));
    let index = cache.join("osv-index.bin");
    let mut bytes = std::fs::read(&index).expect("read cache");
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0xff;
    std::fs::write(&index, bytes).expect("damage cache");
    let out = s.run(&["scan", &lock, "-a", "portal", "--format", "json"]);
    assert!(
        text(&out.stderr).contains("ignoring the knowledge cache"),
        "{}",
        text(&out.stderr)
    );
    check_json(&out);
    // A feed update changes the fingerprint: the new KEV-less catalogue is used at once.
    let out = s.run(&["feeds", "import", &feeds[0]]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    check_json(&s.run(&["scan", &lock, "-a", "portal", "--format", "json"]));
}

#[test]
fn scan_errors_name_the_file() {
    let Some(feeds) = feed_files() else { return };
    let s = Scratch::new("errors");
    let lock = s.file("Cargo.lock", LOCK);
    let bad_lock = s.file("broken.lock", "[[package]]\nname = \n");
    let out = s.run(&with_advisories(vec!["scan", &lock, &bad_lock], &feeds));
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("broken.lock"),
        "{}",
        text(&out.stderr)
    );

    let notes = s.file("notes.json", "[1, 2]");
    let out = s.run(&["scan", &lock, "--advisories", &notes]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("notes.json"),
        "{}",
        text(&out.stderr)
    );
}

/// A Lansweeper-style software export: no ecosystem, so matched by CPE through the name table.
const SOFTWARE_CSV: &str = "Computer,Software,Version,Publisher\n\
WS-BALIE-01,Google Chrome,116.0.5845.96,Google LLC\n\
WS-BALIE-02,Google Chrome,116.0.5845.187,Google LLC\n\
WS-BALIE-01,XZ Utils,5.6.1,Tukaani\n";

const MAP: &str = "asset=Computer,name=Software,version=Version,vendor=Publisher";

#[test]
fn software_without_ecosystem_is_matched_through_the_cpe_table() {
    let (Some(nvd), Some(kev)) = (
        weerbaar_fixtures::fixture("nvd/osv.dev-nvdcve-2.0"),
        weerbaar_fixtures::fixture("kev/known_exploited_vulnerabilities.json"),
    ) else {
        return;
    };
    let (nvd, kev) = (nvd.display().to_string(), kev.display().to_string());
    let s = Scratch::new("cpe");
    let csv = s.file("software.csv", SOFTWARE_CSV);
    let base = [
        "scan",
        csv.as_str(),
        "--map",
        MAP,
        "--advisories",
        &nvd,
        "--advisories",
        &kev,
        "--format",
        "json",
    ];
    let out = s.run(&base);
    assert_eq!(out.status.code(), Some(3), "{}", text(&out.stderr));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let findings = report["findings"].as_array().expect("findings");
    // Chrome 116.0.5845.96 is below CVE-2023-4863's fix (116.0.5845.187); .187 is not. XZ
    // Utils is in no built-in row.
    assert_eq!(findings.len(), 1, "{findings:#?}");
    let f = &findings[0];
    assert_eq!(f["advisory_id"], "CVE-2023-4863");
    assert_eq!(f["matched_by"], "name-mapping");
    assert_eq!(
        f["cpe"],
        "cpe:2.3:a:google:chrome:116.0.5845.96:*:*:*:*:*:*:*"
    );
    assert_eq!(f["package"]["ecosystem"], serde_json::Value::Null);
    assert_eq!(f["package"]["name"], "Google Chrome");
    assert_eq!(f["fixed_versions"][0], "116.0.5845.187");
    assert_eq!(f["kev"]["due_date"], "2023-10-04");
    assert_eq!(f["locations"][0]["asset"], "WS-BALIE-01");
    // One input per asset of the export.
    let sum = |key: &str| -> u64 {
        report["inputs"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|i| i[key].as_u64())
            .sum()
    };
    assert_eq!(report["inputs"].as_array().map(Vec::len), Some(2));
    assert_eq!(sum("components"), 3);
    assert_eq!(sum("matchable"), 2, "XZ Utils has no row");

    // A user table adds a row: XZ Utils 5.6.1 is the backdoored release (CVE-2024-3094).
    let table = s.file(
        "mapping.csv",
        "cpe,names,version,kev\na:tukaani:xz,XZ Utils;xz,,\n",
    );
    let mut args = base.to_vec();
    args.extend(["--cpe-mapping", table.as_str()]);
    let out = s.run(&args);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let xz = report["findings"]
        .as_array()
        .and_then(|f| f.iter().find(|f| f["advisory_id"] == "CVE-2024-3094"))
        .expect("CVE-2024-3094 through the user's row");
    assert_eq!(xz["matched_by"], "name-mapping");
    assert_eq!(xz["cvss"]["base_score"], 10.0);

    let broken = s.file("broken.csv", "cpe,names,version,kev\nnot-a-cpe\n");
    let mut args = base.to_vec();
    args.extend(["--cpe-mapping", broken.as_str()]);
    let out = s.run(&args);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("broken.csv:2"),
        "{}",
        text(&out.stderr)
    );
}
