//! `cargo bench -p weerbaar-inventory`: import time and peak memory for large inventories.
//!
//! Generates (with a fixed seed) a 100,000-component CycloneDX 1.6 JSON SBOM and a 5,000-package
//! dpkg status file, shaped like real ones (nested components, purls, hashes, licences;
//! multi-line descriptions, Source fields), writes them to `target/bench-data/` for
//! `scripts/bench-inventory` (which times the whole `weerbaar inventory import`), and measures
//! here the parse + enrichment step in-process: best of several runs, and the peak resident
//! memory of one run (Linux `VmHWM`, reset through `/proc/self/clear_refs` before each file).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

use weerbaar_inventory::{ImportOptions, enrich, import_bytes};

const COMPONENTS: usize = 100_000;
const PACKAGES: usize = 5_000;
const RUNS: usize = 5;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn cyclonedx(n: usize) -> String {
    let mut rng = Rng(0x5EED_1234_ABCD_0001);
    let mut out = String::with_capacity(n * 420);
    out.push_str(r#"{"bomFormat":"CycloneDX","specVersion":"1.6","serialNumber":"urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79","version":1,"metadata":{"timestamp":"2026-11-27T10:00:00Z","component":{"type":"application","name":"portal-burgerzaken","version":"4.2.0","bom-ref":"root"}},"components":["#);
    let ecosystems = [
        ("maven", "org.example.group"),
        ("npm", ""),
        ("pypi", ""),
        ("golang", "github.com/example"),
    ];
    let mut i = 0;
    while i < n {
        if i > 0 {
            out.push(',');
        }
        // Every tenth component carries three nested ones, as shaded jars and bundles do.
        let nested = if i % 10 == 0 && i + 3 < n { 3 } else { 0 };
        component(&mut out, &mut rng, i, &ecosystems, nested);
        i += 1 + nested;
    }
    out.push_str("]}");
    out
}

fn component(
    out: &mut String,
    rng: &mut Rng,
    i: usize,
    ecosystems: &[(&str, &str)],
    nested: usize,
) {
    let (ty, ns) = ecosystems[i % ecosystems.len()];
    let version = format!("{}.{}.{}", rng.below(20), rng.below(40), rng.below(100));
    let name = format!(
        "lib-{}-{i}",
        ["core", "util", "http", "json", "xml"][(i / 7) % 5]
    );
    let purl = match ty {
        "maven" => format!("pkg:maven/{ns}{}/{name}@{version}?type=jar", i % 50),
        "golang" => format!("pkg:golang/{ns}/{name}@v{version}"),
        _ => format!("pkg:{ty}/{name}@{version}"),
    };
    let _ = write!(
        out,
        r#"{{"type":"library","bom-ref":"c{i}","name":"{name}","version":"{version}","purl":"{purl}","hashes":[{{"alg":"SHA-256","content":"{:016x}{:016x}{:016x}{:016x}"}}],"licenses":[{{"license":{{"id":"Apache-2.0"}}}}]"#,
        rng.next(),
        rng.next(),
        rng.next(),
        rng.next()
    );
    if nested > 0 {
        out.push_str(r#","components":["#);
        for k in 1..=nested {
            if k > 1 {
                out.push(',');
            }
            component(out, rng, i + k, ecosystems, 0);
        }
        out.push(']');
    }
    out.push('}');
}

fn dpkg_status(n: usize) -> String {
    let mut rng = Rng(0x5EED_DEB1_2000_0002);
    let mut out = String::with_capacity(n * 700);
    for i in 0..n {
        let source = if i % 3 == 0 {
            format!("Source: src{}\n", i / 3)
        } else {
            String::new()
        };
        let _ = write!(
            out,
            "Package: pkg{i}\nStatus: install ok installed\nPriority: optional\nSection: libs\nInstalled-Size: {}\nMaintainer: Debian Developers <debian-devel@lists.debian.org>\nArchitecture: amd64\nMulti-Arch: same\n{source}Version: {}.{}.{}-{}+deb12u{}\nDepends: libc6 (>= 2.34), zlib1g (>= 1:1.2.0)\nDescription: package number {i}\n This is a long description line that wraps,\n as Debian descriptions do.\n .\n A second paragraph follows.\n\n",
            rng.below(90_000),
            rng.below(10),
            rng.below(30),
            rng.below(50),
            rng.below(5),
            rng.below(9)
        );
    }
    out
}

fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

fn peak_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn measure(label: &str, file: &Path) {
    let bytes = std::fs::read(file).unwrap_or_default();
    let name = file.display().to_string();
    let mut best = f64::MAX;
    let mut components = 0;
    let before = peak_kib();
    reset_peak();
    for _ in 0..RUNS {
        let start = Instant::now();
        let result = import_bytes(&name, &bytes, &ImportOptions::default());
        let Ok(mut inventory) = result else {
            eprintln!("{label}: import failed: {result:?}");
            return;
        };
        enrich(&mut inventory);
        best = best.min(start.elapsed().as_secs_f64());
        components = inventory.component_count();
    }
    let peak = peak_kib();
    println!(
        "| {label} | {:.1} MB | {components} | {:.3} s | {} |",
        bytes.len() as f64 / 1e6,
        best,
        match (peak, before) {
            (Some(p), _) => format!("{:.0} MB", p as f64 / 1024.0),
            _ => "n/a".to_owned(),
        }
    );
}

fn main() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/bench-data");
    if let Err(e) = std::fs::create_dir_all(&dir) {
        eprintln!("cannot create {}: {e}", dir.display());
        return;
    }
    let sbom = dir.join("sbom-100k.cdx.json");
    let status = dir.join("dpkg-status-5000");
    for (path, content) in [
        (&sbom, cyclonedx(COMPONENTS)),
        (&status, dpkg_status(PACKAGES)),
    ] {
        if let Err(e) = std::fs::write(path, content) {
            eprintln!("cannot write {}: {e}", path.display());
            return;
        }
    }
    println!(
        "| input | size | components | parse + enrich (best of {RUNS}) | peak RSS (process) |"
    );
    println!("|---|---:|---:|---:|---:|");
    measure("CycloneDX JSON, 100k components", &sbom);
    measure("dpkg status, 5,000 packages", &status);
    println!("\nfiles written to {}", dir.display());
}
