//! The version-ordering fixtures of `../shared/data/version-fixtures`, checked in both directions.
//!
//! Each line is `A <op> B`. The ecosystem of each file is the one `MANIFEST.md` gives; every
//! ecosystem that shares a file (npm, crates.io, Go, Hex for `semver-versions.txt`) is checked
//! through the dispatcher, so a wrong ecosystem mapping fails here too.

use std::cmp::Ordering;
use std::path::Path;

use weerbaar_versions::{Ecosystem, Version};

/// File name → the ecosystems MANIFEST.md assigns to it.
const FILES: &[(&str, &[&str])] = &[
    ("alpine-versions.txt", &["Alpine"]),
    ("alpine-versions-generated.txt", &["Alpine"]),
    ("cran-versions.txt", &["CRAN"]),
    ("cran-versions-generated.txt", &["CRAN"]),
    ("debian-versions.txt", &["Debian"]),
    ("debian-versions-generated.txt", &["Debian"]),
    ("hackage-versions.txt", &["Hackage"]),
    ("maven-versions.txt", &["Maven"]),
    ("maven-versions-generated.txt", &["Maven"]),
    ("nuget-versions.txt", &["NuGet"]),
    ("osv.dev-packagist_test_cases.txt", &["Packagist"]),
    ("packagist-versions.txt", &["Packagist"]),
    ("packagist-versions-generated.txt", &["Packagist"]),
    ("pub-versions.txt", &["Pub"]),
    ("pypi-versions.txt", &["PyPI"]),
    ("pypi-versions-generated.txt", &["PyPI"]),
    ("redhat-versions.txt", &["Red Hat"]),
    ("rubygems-versions.txt", &["RubyGems"]),
    ("rubygems-versions-generated.txt", &["RubyGems"]),
    ("semver-versions.txt", &["npm", "crates.io", "Go", "Hex"]),
];

struct Case {
    line: usize,
    a: String,
    op: Ordering,
    b: String,
}

fn parse_cases(path: &Path) -> Vec<Case> {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let mut cases = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with("# ") || line.starts_with("// ") || line == "#" {
            continue;
        }
        let parts: Vec<&str> = line.split(' ').collect();
        let [a, op, b] = parts[..] else {
            panic!("{}:{}: not `A op B`: {raw:?}", path.display(), i + 1);
        };
        let op = match op {
            "<" => Ordering::Less,
            "=" => Ordering::Equal,
            ">" => Ordering::Greater,
            other => panic!("{}:{}: unknown operator {other:?}", path.display(), i + 1),
        };
        cases.push(Case {
            line: i + 1,
            a: a.to_owned(),
            op,
            b: b.to_owned(),
        });
    }
    cases
}

fn symbol(o: Ordering) -> &'static str {
    match o {
        Ordering::Less => "<",
        Ordering::Equal => "=",
        Ordering::Greater => ">",
    }
}

/// Checks one file against one ecosystem and returns the failures as readable lines.
fn check_file(file: &str, ecosystem: &str) -> Option<(usize, Vec<String>)> {
    let path = weerbaar_fixtures::fixture(Path::new("version-fixtures").join(file))?;
    let scheme = Ecosystem::parse(ecosystem)
        .unwrap_or_else(|e| panic!("{e}"))
        .scheme();
    let cases = parse_cases(&path);
    assert!(!cases.is_empty(), "{} has no cases", path.display());
    let mut failures = Vec::new();
    for case in &cases {
        let where_ = format!("{file}:{} [{ecosystem}]", case.line);
        let (a, b) = match (
            Version::parse(scheme, &case.a),
            Version::parse(scheme, &case.b),
        ) {
            (Ok(a), Ok(b)) => (a, b),
            (Err(e), _) | (_, Err(e)) => {
                failures.push(format!("{where_}: {e}"));
                continue;
            }
        };
        let forward = a.partial_cmp(&b);
        let backward = b.partial_cmp(&a);
        if forward != Some(case.op) || backward != Some(case.op.reverse()) {
            failures.push(format!(
                "{where_}: expected {} {} {}, got {} / reverse {}",
                case.a,
                symbol(case.op),
                case.b,
                forward.map_or("none", symbol),
                backward.map_or("none", symbol),
            ));
        }
    }
    Some((cases.len(), failures))
}

fn check(files: &[&str]) {
    let mut all_failures = Vec::new();
    let mut checked = 0;
    for (file, ecosystems) in FILES.iter().filter(|(f, _)| files.contains(f)) {
        for ecosystem in *ecosystems {
            let Some((n, failures)) = check_file(file, ecosystem) else {
                return;
            };
            checked += n;
            all_failures.extend(failures);
        }
    }
    assert!(checked > 0, "no fixture file matched {files:?}");
    assert!(
        all_failures.is_empty(),
        "{} of {checked} comparisons failed:\n{}",
        all_failures.len(),
        all_failures.join("\n")
    );
}

#[test]
fn every_fixture_file_is_checked() {
    let Some(files) = weerbaar_fixtures::fixtures_in("version-fixtures", ".txt") else {
        return;
    };
    for path in files {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        assert!(
            FILES.iter().any(|(f, _)| *f == name),
            "fixture {name} is not mapped to an ecosystem in tests/it/fixtures.rs"
        );
    }
}

macro_rules! fixture_tests {
    ($($name:ident: [$($file:literal),+]),* $(,)?) => {
        $(#[test] fn $name() { check(&[$($file),+]); })*
    };
}

fixture_tests! {
    alpine: ["alpine-versions.txt", "alpine-versions-generated.txt"],
    cran: ["cran-versions.txt", "cran-versions-generated.txt"],
    debian: ["debian-versions.txt", "debian-versions-generated.txt"],
    hackage: ["hackage-versions.txt"],
    maven: ["maven-versions.txt", "maven-versions-generated.txt"],
    nuget: ["nuget-versions.txt"],
    packagist: ["packagist-versions.txt", "packagist-versions-generated.txt", "osv.dev-packagist_test_cases.txt"],
    pub_: ["pub-versions.txt"],
    pypi: ["pypi-versions.txt", "pypi-versions-generated.txt"],
    redhat: ["redhat-versions.txt"],
    rubygems: ["rubygems-versions.txt", "rubygems-versions-generated.txt"],
    semver: ["semver-versions.txt"],
}
