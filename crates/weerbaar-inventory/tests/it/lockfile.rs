//! Lockfile importers: this repository's own Cargo.lock, purls checked against real SBOMs and the
//! purl-spec test suite, and no-panic properties.

use std::collections::BTreeMap;
use std::path::Path;

use proptest::prelude::*;
use serde_json::Value;
use weerbaar_fixtures::fixture;
use weerbaar_inventory::model::{Component, Location};
use weerbaar_inventory::{Format, ImportOptions, Inventory, import_bytes, import_file};

fn import_as(format: Format, name: &str, text: &str) -> Inventory {
    let options = ImportOptions {
        format: Some(format),
        ..ImportOptions::default()
    };
    import_bytes(name, text.as_bytes(), &options)
        .unwrap_or_else(|e| panic!("{format} import failed: {e}"))
}

fn components(inventory: &Inventory) -> &[Component] {
    assert_eq!(inventory.assets.len(), 1, "a lockfile is one asset");
    assert_eq!(
        inventory.assets[0].name, None,
        "the CLI names a lockfile's asset"
    );
    &inventory.assets[0].components
}

fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).expect("read fixture");
    serde_json::from_str(&text).expect("fixture JSON")
}

/// Every component of a CycloneDX document, depth first.
fn cdx_purls(doc: &Value, prefix: &str) -> Vec<String> {
    fn walk(list: &Value, prefix: &str, out: &mut Vec<String>) {
        for c in list.as_array().into_iter().flatten() {
            if let Some(purl) = c["purl"].as_str().filter(|p| p.starts_with(prefix)) {
                out.push(purl.to_owned());
            }
            walk(&c["components"], prefix, out);
        }
    }
    let mut out = Vec::new();
    walk(&doc["components"], prefix, &mut out);
    out
}

/// `name@version` of a purl without qualifiers, percent-decoded.
fn name_version(purl: &str, ty: &str) -> (String, String) {
    let rest = purl
        .strip_prefix(&format!("pkg:{ty}/"))
        .unwrap_or_else(|| panic!("{purl}"));
    let (name, version) = rest.rsplit_once('@').unwrap_or_else(|| panic!("{purl}"));
    (name.replace("%40", "@"), version.replace("%2B", "+"))
}

#[test]
fn workspace_cargo_lock_matches_an_independent_scan() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../Cargo.lock");
    let inventory = import_file(&path, &ImportOptions::default()).expect("import Cargo.lock");
    assert_eq!(inventory.format, Format::CargoLock, "detected from content");

    // Independent reading: a line scan of the [[package]] blocks.
    let text = std::fs::read_to_string(&path).expect("read Cargo.lock");
    let mut expected = Vec::new();
    let mut current: Option<(usize, BTreeMap<&str, &str>)> = None;
    let mut flush = |block: Option<(usize, BTreeMap<&str, &str>)>| {
        if let Some((line, fields)) = block
            && let Some(source) = fields.get("source")
        {
            expected.push((
                fields["name"].to_owned(),
                fields["version"].to_owned(),
                source.starts_with("registry+https://github.com/rust-lang/crates.io-index")
                    || source.starts_with(&format!("sparse+https://index.{}/", "crates.io")),
                line,
            ));
        }
    };
    for (i, line) in text.lines().enumerate() {
        if line == "[[package]]" {
            flush(current.take());
            current = Some((i + 1, BTreeMap::new()));
        } else if let (Some((_, fields)), Some((key, value))) =
            (&mut current, line.split_once(" = \""))
        {
            fields.insert(key, value.trim_end_matches('"'));
        }
    }
    flush(current.take());

    let got: Vec<(String, String, bool, usize)> = components(&inventory)
        .iter()
        .map(|c| {
            let Location::Line(line) = c.source.location else {
                panic!("line location expected");
            };
            (
                c.name.clone(),
                c.version.clone().unwrap_or_default(),
                c.ecosystem.as_deref() == Some("crates.io"),
                line,
            )
        })
        .collect();
    assert!(expected.len() > 50, "the workspace locks many crates");
    assert_eq!(got, expected);

    // The workspace's own crates have no source and are not components.
    assert!(
        !components(&inventory)
            .iter()
            .any(|c| c.name.starts_with("weerbaar"))
    );
    let serde = components(&inventory)
        .iter()
        .find(|c| c.name == "serde")
        .expect("serde is locked");
    let version = serde.version.as_deref().unwrap_or_default();
    assert_eq!(
        serde.purl.as_deref(),
        Some(format!("pkg:cargo/serde@{version}").as_str())
    );
}

/// The fluentd container SBOM lists 55 gems with trivy-built purls; a Gemfile.lock made of the
/// same gems must give the same purls.
#[test]
fn gem_purls_match_trivy() {
    let Some(path) = fixture("sbom/trivy/fluentd-multiple-lockfiles.cdx.json") else {
        return;
    };
    let purls = cdx_purls(&read_json(&path), "pkg:gem/");
    assert_eq!(purls.len(), 55);
    let mut lock = String::from("GEM\n  remote: https://rubygems.org/\n  specs:\n");
    for purl in &purls {
        let (name, version) = name_version(purl, "gem");
        lock.push_str(&format!("    {name} ({version})\n      dep (>= 0)\n"));
    }
    lock.push_str("\nPLATFORMS\n  ruby\n\nBUNDLED WITH\n   2.1.4\n");
    let inventory = import_as(Format::GemfileLock, "Gemfile.lock", &lock);
    let got: Vec<&str> = components(&inventory)
        .iter()
        .map(|c| c.purl.as_deref().unwrap_or_default())
        .collect();
    assert_eq!(got, purls);
    let cool = &components(&inventory)[3];
    assert_eq!(cool.name, "cool.io");
    assert_eq!(cool.version.as_deref(), Some("1.6.0"));
    assert_eq!(cool.source.location, Location::Line(4 + 2 * 3));
}

/// juice-shop's SBOM has 840 npm components, scoped ones among them.
#[test]
fn npm_purls_match_juice_shop_sbom() {
    let Some(path) = fixture("sbom/cyclonedx-bom-examples/SBOM_juice-shop_v11.1.2_bom.json") else {
        return;
    };
    let purls = cdx_purls(&read_json(&path), "pkg:npm/");
    assert_eq!(purls.len(), 840);
    let mut packages = serde_json::Map::new();
    packages.insert("".into(), serde_json::json!({"name": "juice-shop"}));
    for (i, purl) in purls.iter().enumerate() {
        let (name, version) = name_version(purl, "npm");
        // Unique paths: the same package can be installed in several places.
        let key = format!("node_modules/holder{i:04}/node_modules/{name}");
        let tarball = name.rsplit('/').next().unwrap_or_default().to_owned();
        packages.insert(
            key,
            serde_json::json!({
                "version": version,
                "resolved": format!("https://registry.example/{name}/-/{tarball}-{version}.tgz"),
            }),
        );
    }
    let lock = serde_json::json!({"lockfileVersion": 3, "packages": packages}).to_string();
    let inventory = import_as(Format::PackageLock, "package-lock.json", &lock);
    let got: Vec<&str> = components(&inventory)
        .iter()
        .map(|c| c.purl.as_deref().unwrap_or_default())
        .collect();
    assert_eq!(got.len(), 840);
    assert_eq!(got, purls);
    let scoped = components(&inventory)
        .iter()
        .find(|c| c.name == "@sindresorhus/is")
        .expect("scoped package");
    assert_eq!(
        scoped.purl.as_deref(),
        Some("pkg:npm/%40sindresorhus/is@0.7.0")
    );
    assert_eq!(scoped.ecosystem.as_deref(), Some("npm"));
}

/// laravel's SBOM has 62 composer components.
#[test]
fn composer_purls_match_laravel_sbom() {
    let Some(path) = fixture("sbom/cyclonedx-bom-examples/SBOM_laravel-7.12.0_bom.1.4.json") else {
        return;
    };
    let purls = cdx_purls(&read_json(&path), "pkg:composer/");
    assert_eq!(purls.len(), 62);
    let packages: Vec<Value> = purls
        .iter()
        .map(|purl| {
            let (name, version) = name_version(purl, "composer");
            serde_json::json!({"name": name, "version": version, "type": "library"})
        })
        .collect();
    let lock = serde_json::json!({"content-hash": "x", "packages": packages, "packages-dev": []})
        .to_string();
    let inventory = import_as(Format::ComposerLock, "composer.lock", &lock);
    let got: Vec<&str> = components(&inventory)
        .iter()
        .map(|c| c.purl.as_deref().unwrap_or_default())
        .collect();
    assert_eq!(got, purls);
    assert_eq!(
        components(&inventory)[61].source.location,
        Location::JsonPath("$.packages[61]".into())
    );
}

/// The purl-spec "build" cases for the lockfile types: our purls must be their canonical form.
#[test]
fn purls_match_the_purl_spec_build_tests() {
    let mut checked = 0;
    for ty in ["cargo", "npm", "pypi", "composer", "gem"] {
        let Some(path) = fixture(format!("purl/tests/types/{ty}-test.json")) else {
            return;
        };
        let doc = read_json(&path);
        for case in doc["tests"].as_array().into_iter().flatten() {
            let input = &case["input"];
            if case["test_type"] != "build"
                || case["expected_failure"] == true
                || !input["subpath"].is_null()
            {
                continue;
            }
            let (Some(name), Some(version), Some(expected)) = (
                input["name"].as_str(),
                input["version"].as_str(),
                case["expected_output"].as_str(),
            ) else {
                continue;
            };
            let namespace = input["namespace"].as_str();
            let qualifiers = input["qualifiers"].as_object();
            let platform = qualifiers
                .and_then(|q| q.get("platform"))
                .and_then(Value::as_str);
            if qualifiers.is_some_and(|q| q.len() > usize::from(platform.is_some())) {
                continue; // other qualifiers are not something a lockfile carries
            }
            let full_name = namespace.map_or(name.to_owned(), |ns| format!("{ns}/{name}"));
            let inventory = match ty {
                "cargo" => import_as(
                    Format::CargoLock,
                    "Cargo.lock",
                    &format!(
                        "[[package]]\nname = \"{name}\"\nversion = \"{version}\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\n"
                    ),
                ),
                "npm" => import_as(
                    Format::PackageLock,
                    "package-lock.json",
                    &serde_json::json!({"lockfileVersion": 3, "packages": {
                        format!("node_modules/{full_name}"): {"version": version}
                    }})
                    .to_string(),
                ),
                "pypi" => import_as(
                    Format::Requirements,
                    "requirements.txt",
                    &format!("{name}=={version}\n"),
                ),
                "composer" => import_as(
                    Format::ComposerLock,
                    "composer.lock",
                    &serde_json::json!({"packages": [{"name": full_name, "version": version}]})
                        .to_string(),
                ),
                _ => {
                    let full = platform.map_or(version.to_owned(), |p| format!("{version}-{p}"));
                    import_as(
                        Format::GemfileLock,
                        "Gemfile.lock",
                        &format!(
                            "GEM\n  remote: https://rubygems.org/\n  specs:\n    {name} ({full})\n"
                        ),
                    )
                }
            };
            let got = components(&inventory)[0].purl.clone();
            assert_eq!(
                got.as_deref(),
                Some(expected),
                "{ty}: {}",
                case["description"]
            );
            checked += 1;
        }
    }
    assert!(checked >= 10, "only {checked} purl-spec cases applied");
}

#[test]
fn detection_picks_each_lockfile_format() {
    let cases: [(&str, &str, Format); 7] = [
        (
            // A v1 lockfile starts with its first table, no comment: TOML, not a JSON array.
            "Cargo.lock",
            "[[package]]\nname = \"a\"\nversion = \"1.0.0\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\n",
            Format::CargoLock,
        ),
        (
            "Cargo.lock",
            "version = 3\n\n[[package]]\nname = \"a\"\nversion = \"1.0.0\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\n",
            Format::CargoLock,
        ),
        (
            "package-lock.json",
            r#"{"lockfileVersion": 3, "packages": {"node_modules/a": {"version": "1.0.0"}}}"#,
            Format::PackageLock,
        ),
        ("requirements.txt", "a==1.0\n", Format::Requirements),
        (
            "poetry.lock",
            "[[package]]\nname = \"a\"\nversion = \"1.0\"\npython-versions = \"*\"\n\n[metadata]\nlock-version = \"2.0\"\n",
            Format::PoetryLock,
        ),
        (
            "composer.lock",
            r#"{"content-hash": "x", "packages": [{"name": "a/b", "version": "1.0.0"}]}"#,
            Format::ComposerLock,
        ),
        (
            "Gemfile.lock",
            "GEM\n  remote: https://rubygems.org/\n  specs:\n    a (1.0.0)\n",
            Format::GemfileLock,
        ),
    ];
    for (name, text, format) in cases {
        let inventory = import_bytes(name, text.as_bytes(), &ImportOptions::default())
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(inventory.format, format, "{name}");
        assert_eq!(inventory.component_count(), 1, "{name}");
        let c = &components(&inventory)[0];
        assert_eq!(c.version.as_deref().map(|v| v.starts_with('1')), Some(true));
        assert!(c.purl.is_some() && c.ecosystem.is_some(), "{name}: {c:?}");
    }
}

#[test]
fn unpinned_requirement_error_names_file_and_line() {
    let options = ImportOptions::default();
    let err = import_bytes(
        "requirements.txt",
        b"django==4.2.11\nrequests>=2.31\n",
        &options,
    )
    .expect_err("unpinned");
    assert_eq!(err.location, Some(Location::Line(2)));
    assert!(
        err.to_string()
            .starts_with("requirements.txt: line 2: requirement \"requests>=2.31\" is not pinned"),
        "{err}"
    );
}

const LOCKFILES: [Format; 6] = [
    Format::CargoLock,
    Format::PackageLock,
    Format::Requirements,
    Format::PoetryLock,
    Format::ComposerLock,
    Format::GemfileLock,
];

fn never_panics(bytes: &[u8]) {
    for format in LOCKFILES {
        let options = ImportOptions {
            format: Some(format),
            ..ImportOptions::default()
        };
        let _ = import_bytes("fuzz", bytes, &options);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        never_panics(&bytes);
    }

    #[test]
    fn lockfile_like_text_never_panics(
        text in "([\\[\\]{}\":=,.@/#;()<>~!*\\\\ \t\r\n-]|[a-z0-9]|GEM|GIT|PATH|  specs:|    |node_modules/|packages|lockfileVersion|==|===|version|name|source|registry\\+|git\\+|\\[\\[package\\]\\]|\u{e9}){0,120}"
    ) {
        never_panics(text.as_bytes());
    }

    #[test]
    fn mutated_lockfiles_never_panic(seed in 0usize..6, cut in 0usize..400, byte in any::<u8>()) {
        let samples = [
            "version = 3\n[[package]]\nname = \"a\"\nversion = \"1\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\n",
            "{\"lockfileVersion\": 1, \"dependencies\": {\"a\": {\"version\": \"npm:@s/b@1\", \"dependencies\": {\"c\": {\"version\": \"2\"}}}}}",
            "a[x]==1 ; python_version < \"3\" \\\n --hash=sha256:00 # c\n-r other.txt\n",
            "[[package]]\nname = \"a\"\nversion = \"1\"\n[package.source]\ntype = \"git\"\n[metadata]\n",
            "{\"packages\": [{\"name\": \"a/b\", \"version\": \"v1\", \"dist\": {\"type\": \"zip\"}}]}",
            "GEM\n  remote: x\n  specs:\n    a (1-x86_64-linux)\n      b (>= 1)\n",
        ];
        let mut bytes = samples[seed].as_bytes().to_vec();
        let at = cut % (bytes.len() + 1);
        bytes.truncate(at.max(1));
        never_panics(&bytes);
        bytes.insert(at / 2, byte);
        never_panics(&bytes);
    }
}
