//! dpkg status import, checked against this machine's own database and `dpkg-query`.

use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use proptest::prelude::*;
use weerbaar_inventory::model::Location;
use weerbaar_inventory::{Format, ImportOptions, Inventory, import_bytes, import_file};

const STATUS: &str = "/var/lib/dpkg/status";

fn forced() -> ImportOptions {
    ImportOptions {
        format: Some(Format::DpkgStatus),
        ..ImportOptions::default()
    }
}

/// `(package, version, source package, source version)` of every installed package, as
/// dpkg-query reports them; `None` when dpkg-query is not available.
///
/// The rule is the importer's: the second letter of `db:Status-Abbrev` (the state) is `i`,
/// whatever the first (the want: `i`nstall, `h`old, `r`emove, ...).
fn dpkg_query_installed() -> Option<Vec<(String, String, String, String)>> {
    let output = Command::new("dpkg-query")
        .args([
            "-W",
            "-f=${db:Status-Abbrev}\t${Package}\t${Version}\t${source:Package}\t${source:Version}\n",
        ])
        .output()
        .ok()?;
    assert!(output.status.success(), "dpkg-query failed: {output:?}");
    let text = String::from_utf8(output.stdout).expect("dpkg-query prints UTF-8");
    let mut rows: Vec<_> = text
        .lines()
        .filter_map(|line| {
            let mut fields = line.split('\t');
            let abbrev = fields.next()?;
            if abbrev.as_bytes().get(1) != Some(&b'i') {
                return None;
            }
            let mut next = || fields.next().unwrap_or_default().to_owned();
            Some((next(), next(), next(), next()))
        })
        .collect();
    rows.sort();
    Some(rows)
}

fn rows(inv: &Inventory) -> Vec<(String, String, String, String)> {
    let mut rows: Vec<_> = inv.assets[0]
        .components
        .iter()
        .map(|c| {
            (
                c.name.clone(),
                c.version.clone().unwrap_or_default(),
                c.source_name.clone().unwrap_or_default(),
                c.source_version.clone().unwrap_or_default(),
            )
        })
        .collect();
    rows.sort();
    rows
}

#[test]
fn this_machines_status_file_agrees_with_dpkg_query() {
    let path = Path::new(STATUS);
    if !path.exists() {
        eprintln!("skipped: {STATUS} does not exist on this machine");
        return;
    }
    // Another process may install packages meanwhile; read both sides again if they differ.
    let mut attempt = 0;
    loop {
        let inv = import_file(path, &ImportOptions::default()).expect("import the status file");
        assert_eq!(inv.format, Format::DpkgStatus, "detected from content");
        assert_eq!(inv.assets.len(), 1);
        assert!(inv.component_count() > 0);
        let Some(expected) = dpkg_query_installed() else {
            eprintln!("skipped: dpkg-query is not available to compare with");
            return;
        };
        let got = rows(&inv);
        if got == expected {
            eprintln!("{STATUS}: {} installed packages", got.len());
            break;
        }
        attempt += 1;
        assert!(
            attempt < 3,
            "importer and dpkg-query disagree: {} vs {} packages; first difference: {:?}",
            got.len(),
            expected.len(),
            got.iter().zip(&expected).find(|(a, b)| a != b)
        );
        std::thread::sleep(Duration::from_secs(2));
    }
}

#[test]
fn this_machines_dpkg_package_is_sampled_exactly() {
    let Ok(text) = std::fs::read_to_string(STATUS) else {
        eprintln!("skipped: {STATUS} cannot be read on this machine");
        return;
    };
    let Some(line) = text
        .lines()
        .position(|l| l == "Package: dpkg")
        .map(|i| i + 1)
    else {
        eprintln!("skipped: no dpkg paragraph");
        return;
    };
    let inv = import_bytes(STATUS, text.as_bytes(), &forced()).expect("import");
    let dpkg = inv.assets[0]
        .components
        .iter()
        .find(|c| c.name == "dpkg")
        .expect("dpkg is installed wherever its status file is");
    assert_eq!(dpkg.source.location, Location::Line(line));
    assert_eq!(dpkg.source.file, STATUS);
    assert_eq!(dpkg.ecosystem.as_deref(), Some("Debian"));
    assert_eq!(dpkg.source_name.as_deref(), Some("dpkg"));
    assert_eq!(dpkg.purl, None);
    if let Ok(out) = Command::new("dpkg-query")
        .args(["-W", "-f=${Version}", "dpkg"])
        .output()
    {
        let version = String::from_utf8_lossy(&out.stdout).into_owned();
        assert_eq!(dpkg.version.as_deref(), Some(version.as_str()));
    }
}

/// A status file in dpkg's own layout, with `n` packages of which every tenth is removed.
fn generated(n: usize) -> String {
    let mut s = String::with_capacity(n * 400);
    for i in 0..n {
        let status = if i % 10 == 9 {
            "deinstall ok config-files"
        } else {
            "install ok installed"
        };
        let _ = write!(
            s,
            "Package: pkg{i}\nStatus: {status}\nPriority: optional\nSection: libs\n\
             Installed-Size: {i}\nMaintainer: Someone <someone@example.invalid>\n\
             Architecture: amd64\nMulti-Arch: same\nSource: src{} (1.{i}-1)\nVersion: 1.{i}-1+b1\n\
             Depends: libc6 (>= 2.34)\nDescription: package {i}\n line one\n .\n line two\n\n",
            i / 3
        );
    }
    s
}

#[test]
fn five_thousand_packages_import_fast() {
    let text = generated(5000);
    let start = Instant::now();
    let inv = import_bytes("status", text.as_bytes(), &ImportOptions::default()).expect("import");
    let elapsed = start.elapsed();
    assert_eq!(inv.format, Format::DpkgStatus);
    assert_eq!(inv.component_count(), 4500);
    let last = inv.assets[0].components.last().expect("components");
    assert_eq!(last.name, "pkg4998");
    assert_eq!(last.source_name.as_deref(), Some("src1666"));
    assert_eq!(last.source_version.as_deref(), Some("1.4998-1"));
    assert_eq!(last.version.as_deref(), Some("1.4998-1+b1"));
    assert_eq!(last.source.location, Location::Line(4998 * 16 + 1));
    // Milliseconds in practice; the bound only catches quadratic behaviour.
    assert!(elapsed < Duration::from_secs(2), "took {elapsed:?}");
}

proptest! {
    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let _ = import_bytes("status", &bytes, &forced());
    }

    #[test]
    fn arbitrary_text_never_panics(text in ".{0,300}") {
        let _ = import_bytes("status", text.as_bytes(), &forced());
    }

    #[test]
    fn status_like_text_never_panics(
        text in "((Package|Status|Version|Source|Description): ?[a-z0-9 ().:~+-]{0,20}\r?\n|[ \t][a-z .]{0,8}\n|\n|[a-zA-Z#-]{0,6}:? ?[a-z ]{0,6}\n){0,30}"
    ) {
        if let Ok(inv) = import_bytes("status", text.as_bytes(), &forced()) {
            for c in &inv.assets[0].components {
                prop_assert!(!c.name.is_empty());
                prop_assert!(c.version.as_deref().is_some_and(|v| !v.is_empty()));
            }
        }
    }
}
