//! npm `package-lock.json` (and `npm-shrinkwrap.json`), lockfileVersion 1, 2 and 3.
//!
//! Format: npm's documentation of `package-lock.json` (lockfileVersion 1–3).
//!
//! * **v2 and v3** list every installed package in `packages`, keyed by its folder:
//!   `node_modules/a`, `node_modules/a/node_modules/@s/b` (a nested copy of `@s/b`). The package
//!   name is the part after the last `node_modules/`, unless the entry has a `name` (an alias
//!   installed as `npm:real-name@version`). Skipped: the `""` entry (the application itself),
//!   keys outside `node_modules/` (workspace folders: the application's own code) and
//!   `"link": true` entries (symlinks to such folders). v2 files also carry the v1
//!   `dependencies` tree for old npm versions; it is ignored when `packages` is present.
//! * **v1** (npm 5 and 6) only has the nested `dependencies` tree; it is walked depth-first in
//!   file order. Versions there may be `npm:name@version` (an alias; the real name is used),
//!   `file:…` (a local folder; skipped) or a git/URL spec (kept without version).
//!
//! A package counts as coming from the npm registry when it has no `resolved` URL or its tarball
//! URL has the registry layout `…/<name>/-/<file>.tgz` (npmjs and every registry proxy use it);
//! those get ecosystem `npm` and purl `pkg:npm/name@version` (scope `@s` percent-encoded as
//! `%40s`). Git, GitHub, plain tarball and `file:` packages are kept without ecosystem or purl
//! (see [`lockfile`](super)). `"dev": true` and `"optional": true` packages are kept.
//!
//! Location: the JSON path of the entry, `$.packages["node_modules/foo"]` or
//! `$.dependencies["a"].dependencies["b"]`.

use std::fmt;
use std::marker::PhantomData;

use serde::Deserialize;
use serde::de::{IgnoredAny, MapAccess, Visitor};

use super::{component, inventory, json_member, purl};
use crate::model::{Component, Location};
use crate::{Format, ImportError, Inventory};

/// A JSON object's members in file order (serde_json's map would sort them).
struct Members<T>(Vec<(String, T)>);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Members<T> {
    fn deserialize<D: serde::Deserializer<'de>>(de: D) -> Result<Self, D::Error> {
        struct MembersVisitor<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for MembersVisitor<T> {
            type Value = Members<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut members = Vec::with_capacity(map.size_hint().unwrap_or(0).min(4096));
                while let Some(key) = map.next_key::<String>()? {
                    let value = map.next_value::<T>()?;
                    members.push((key, value));
                }
                Ok(Members(members))
            }
        }
        de.deserialize_map(MembersVisitor(PhantomData))
    }
}

#[derive(Deserialize)]
struct Lock {
    #[serde(rename = "lockfileVersion")]
    lockfile_version: Option<u64>,
    packages: Option<Members<Package>>,
    // Only its presence matters here; v1 files are parsed again as `LockV1`.
    dependencies: Option<IgnoredAny>,
}

#[derive(Deserialize)]
struct Package {
    name: Option<String>,
    version: Option<String>,
    resolved: Option<String>,
    #[serde(default)]
    link: bool,
}

#[derive(Deserialize)]
struct LockV1 {
    dependencies: Option<Members<DependencyV1>>,
}

#[derive(Deserialize)]
struct DependencyV1 {
    version: String,
    resolved: Option<String>,
    dependencies: Option<Members<DependencyV1>>,
}

/// Imports a `package-lock.json`.
///
/// # Errors
/// Invalid JSON, no `lockfileVersion`, a v2/v3 file without `packages`, an installed package
/// without a version, or values of the wrong type.
pub fn import(file: &str, bytes: &[u8]) -> Result<Inventory, ImportError> {
    let lock: Lock = crate::formats::json(file, bytes)?;
    let Some(lockfile_version) = lock.lockfile_version else {
        return Err(ImportError::invalid(
            file,
            Location::JsonPath("$".into()),
            "not a package-lock.json: there is no lockfileVersion",
        ));
    };
    let mut components = Vec::new();
    match lock.packages {
        Some(packages) => {
            for (key, package) in packages.0 {
                if let Some(c) = from_package(file, &key, package)? {
                    components.push(c);
                }
            }
        }
        None if lockfile_version >= 2 => {
            return Err(ImportError::invalid(
                file,
                Location::JsonPath("$".into()),
                format!("lockfileVersion {lockfile_version} needs a \"packages\" object"),
            ));
        }
        None => {
            if lock.dependencies.is_some() {
                let v1: LockV1 = crate::formats::json(file, bytes)?;
                if let Some(deps) = v1.dependencies {
                    walk_v1(file, "$.dependencies", deps, &mut components);
                }
            }
        }
    }
    Ok(inventory(Format::PackageLock, components))
}

fn from_package(file: &str, key: &str, package: Package) -> Result<Option<Component>, ImportError> {
    let Some(at) = key.rfind("node_modules/") else {
        return Ok(None); // "" (the application) or a workspace folder
    };
    if package.link {
        return Ok(None);
    }
    let path = json_member("$.packages", key);
    let name = match package.name {
        Some(name) => name,
        None => key
            .get(at + "node_modules/".len()..)
            .unwrap_or_default()
            .to_owned(),
    };
    if name.is_empty() {
        return Err(ImportError::invalid(
            file,
            Location::JsonPath(path),
            "cannot tell the package name from this key",
        ));
    }
    let Some(version) = package.version else {
        return Err(ImportError::invalid(
            file,
            Location::JsonPath(path),
            format!("installed package {name} has no \"version\""),
        ));
    };
    let registry = from_registry(&name, package.resolved.as_deref())
        .then(|| ("npm", npm_purl(&name, &version)));
    Ok(Some(component(
        file,
        Location::JsonPath(path),
        name,
        Some(version),
        registry,
    )))
}

fn walk_v1(file: &str, prefix: &str, deps: Members<DependencyV1>, components: &mut Vec<Component>) {
    for (key, dep) in deps.0 {
        let path = json_member(prefix, &key);
        let (name, version) = match dep.version.strip_prefix("npm:") {
            Some(alias) => match alias.rfind('@').filter(|&i| i > 0) {
                Some(i) => (
                    alias.get(..i).unwrap_or_default().to_owned(),
                    alias.get(i + 1..).unwrap_or_default().to_owned(),
                ),
                None => (key.clone(), alias.to_owned()),
            },
            None => (key.clone(), dep.version),
        };
        if !version.starts_with("file:") {
            // Anything with a scheme (`git+https:`, `github:`, `https:`) is a spec, not a version.
            let is_spec = version.contains(':') || version.contains('/');
            let registry = (!is_spec && from_registry(&name, dep.resolved.as_deref()))
                .then(|| ("npm", npm_purl(&name, &version)));
            components.push(component(
                file,
                Location::JsonPath(path.clone()),
                name,
                (!is_spec).then_some(version),
                registry,
            ));
        }
        if let Some(children) = dep.dependencies {
            walk_v1(file, &format!("{path}.dependencies"), children, components);
        }
    }
}

/// Registry tarballs live at `<registry>/<name>/-/<basename>-<version>.tgz`.
fn from_registry(name: &str, resolved: Option<&str>) -> bool {
    let Some(resolved) = resolved else {
        return true;
    };
    (resolved.starts_with("https://") || resolved.starts_with("http://"))
        && resolved.contains(&format!("/{name}/-/"))
}

fn npm_purl(name: &str, version: &str) -> String {
    match name.split_once('/') {
        Some((scope, bare)) if scope.starts_with('@') => {
            purl("npm", Some(scope), bare, version, &[])
        }
        _ => purl("npm", None, name, version, &[]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ImportErrorKind;

    const V3: &str = r#"{
  "name": "loket-frontend",
  "version": "2.4.0",
  "lockfileVersion": 3,
  "requires": true,
  "packages": {
    "": {
      "name": "loket-frontend",
      "version": "2.4.0",
      "workspaces": ["packages/*"],
      "dependencies": { "express": "^4.18.2" }
    },
    "node_modules/express": {
      "version": "4.18.2",
      "resolved": "https://registry.example/express/-/express-4.18.2.tgz",
      "integrity": "sha512-AAAA"
    },
    "node_modules/@babel/core": {
      "version": "7.23.9",
      "resolved": "https://npm-proxy.example-gemeente.be/repository/npm/@babel/core/-/core-7.23.9.tgz",
      "dev": true
    },
    "node_modules/express/node_modules/debug": {
      "version": "2.6.9",
      "resolved": "https://registry.example/debug/-/debug-2.6.9.tgz"
    },
    "node_modules/old-lodash": {
      "name": "lodash",
      "version": "3.10.1",
      "resolved": "https://registry.example/lodash/-/lodash-3.10.1.tgz"
    },
    "node_modules/forked": {
      "version": "1.2.3",
      "resolved": "git+ssh://git@github.com/example/forked.git#0123456789abcdef0123456789abcdef01234567"
    },
    "node_modules/shared-ui": {
      "resolved": "packages/shared-ui",
      "link": true
    },
    "packages/shared-ui": {
      "name": "shared-ui",
      "version": "0.0.1"
    }
  }
}"#;

    #[test]
    fn v3_packages() {
        let inv = import("package-lock.json", V3.as_bytes()).expect("import");
        let c = &inv.assets[0].components;
        let got: Vec<(&str, Option<&str>, Option<&str>)> = c
            .iter()
            .map(|c| (c.name.as_str(), c.version.as_deref(), c.purl.as_deref()))
            .collect();
        assert_eq!(
            got,
            [
                ("express", Some("4.18.2"), Some("pkg:npm/express@4.18.2")),
                (
                    "@babel/core",
                    Some("7.23.9"),
                    Some("pkg:npm/%40babel/core@7.23.9")
                ),
                ("debug", Some("2.6.9"), Some("pkg:npm/debug@2.6.9")),
                ("lodash", Some("3.10.1"), Some("pkg:npm/lodash@3.10.1")),
                ("forked", Some("1.2.3"), None),
            ]
        );
        assert_eq!(c[0].ecosystem.as_deref(), Some("npm"));
        assert_eq!(c[4].ecosystem, None);
        assert_eq!(
            c[2].source.location,
            Location::JsonPath("$.packages[\"node_modules/express/node_modules/debug\"]".into())
        );
    }

    #[test]
    fn v1_dependencies_tree() {
        let v1 = r#"{
  "name": "old-app", "version": "1.0.0", "lockfileVersion": 1, "requires": true,
  "dependencies": {
    "accepts": {
      "version": "1.3.7",
      "resolved": "https://registry.example/accepts/-/accepts-1.3.7.tgz",
      "dependencies": {
        "mime-types": { "version": "2.1.24", "resolved": "https://registry.example/mime-types/-/mime-types-2.1.24.tgz" }
      }
    },
    "@types/node": { "version": "12.0.0", "dev": true },
    "aliased": { "version": "npm:left-pad@1.3.0" },
    "from-git": { "version": "github:example/from-git#abc123", "from": "github:example/from-git" },
    "local": { "version": "file:../local" }
  }
}"#;
        let inv = import("package-lock.json", v1.as_bytes()).expect("import");
        let c = &inv.assets[0].components;
        let got: Vec<(&str, Option<&str>, Option<&str>)> = c
            .iter()
            .map(|c| (c.name.as_str(), c.version.as_deref(), c.purl.as_deref()))
            .collect();
        assert_eq!(
            got,
            [
                ("accepts", Some("1.3.7"), Some("pkg:npm/accepts@1.3.7")),
                (
                    "mime-types",
                    Some("2.1.24"),
                    Some("pkg:npm/mime-types@2.1.24")
                ),
                (
                    "@types/node",
                    Some("12.0.0"),
                    Some("pkg:npm/%40types/node@12.0.0")
                ),
                ("left-pad", Some("1.3.0"), Some("pkg:npm/left-pad@1.3.0")),
                ("from-git", None, None),
            ]
        );
        assert_eq!(
            c[1].source.location,
            Location::JsonPath("$.dependencies[\"accepts\"].dependencies[\"mime-types\"]".into())
        );
    }

    #[test]
    fn missing_version_names_the_entry() {
        let text = r#"{"lockfileVersion": 3, "packages": {"": {}, "node_modules/a": {"resolved": "https://registry.example/a/-/a-1.0.0.tgz"}}}"#;
        let err = import("package-lock.json", text.as_bytes()).expect_err("no version");
        assert_eq!(
            err.location,
            Some(Location::JsonPath("$.packages[\"node_modules/a\"]".into()))
        );
    }

    #[test]
    fn wrong_type_names_the_json_path() {
        let text = r#"{"lockfileVersion": 3, "packages": {"node_modules/a": {"version": 1}}}"#;
        let err = import("package-lock.json", text.as_bytes()).expect_err("bad type");
        assert_eq!(err.kind, ImportErrorKind::Invalid);
        assert_eq!(
            err.location,
            Some(Location::JsonPath(
                "$.packages.node_modules/a.version".into()
            )),
            "{err}"
        );
    }

    #[test]
    fn not_a_lockfile() {
        let err = import("package-lock.json", b"{\"name\": \"x\"}").expect_err("no version");
        assert!(err.reason.contains("lockfileVersion"), "{err}");
        let err = import("package-lock.json", b"{\"lockfileVersion\": 2}").expect_err("v2");
        assert!(err.reason.contains("packages"), "{err}");
        let err = import("package-lock.json", b"{\"lockfileVersion\": 3,").expect_err("eof");
        assert_eq!(err.kind, ImportErrorKind::Syntax);
    }
}
