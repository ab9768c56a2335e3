//! Composer `composer.lock`.
//!
//! Format: JSON written by Composer (`src/Composer/Package/Locker.php`), documented at
//! <https://getcomposer.org/doc/01-basic-usage.md#commit-your-composer-lock-file-to-version-control>:
//! `packages` (runtime) and `packages-dev` (development) are arrays of package objects with
//! `name` (`vendor/package`), `version`, `source` and `dist`.
//!
//! * Every package is a component with ecosystem `Packagist` and purl
//!   `pkg:composer/vendor/name@version` (lowercased, as the purl type requires). Development
//!   packages are kept (see [`lockfile`](super)).
//! * The version is kept exactly as written (`v5.4.21`, `2.0.4`, `dev-main`): the Packagist
//!   version scheme understands the leading `v` and branch names, and OSV advisories use the
//!   same spelling.
//! * A package whose `dist.type` is `path` comes from a Composer path repository: local code of
//!   the application; skipped.
//! * A name without `vendor/` is refused: Composer itself rejects such names, and platform
//!   packages (`php`, `ext-json`) are never written to these arrays.
//!
//! Location: `$.packages[3]` or `$["packages-dev"][0]`.

use serde::Deserialize;

use super::{component, inventory, json_member, purl};
use crate::model::Location;
use crate::{Format, ImportError, Inventory};

#[derive(Deserialize)]
struct Lock {
    packages: Option<Vec<Package>>,
    #[serde(rename = "packages-dev")]
    packages_dev: Option<Vec<Package>>,
}

#[derive(Deserialize)]
struct Package {
    name: String,
    version: String,
    dist: Option<Dist>,
}

#[derive(Deserialize)]
struct Dist {
    #[serde(rename = "type")]
    kind: Option<String>,
}

/// Imports a `composer.lock`.
///
/// # Errors
/// Invalid JSON, no `packages` array, a package without `name`/`version`, or a name that is not
/// `vendor/package`.
pub fn import(file: &str, bytes: &[u8]) -> Result<Inventory, ImportError> {
    let lock: Lock = crate::formats::json(file, bytes)?;
    let Some(packages) = lock.packages else {
        return Err(ImportError::invalid(
            file,
            Location::JsonPath("$".into()),
            "not a composer.lock: there is no \"packages\" array",
        ));
    };
    let dev = lock.packages_dev.unwrap_or_default();
    let mut components = Vec::with_capacity(packages.len() + dev.len());
    let lists = [
        ("$.packages".to_owned(), packages),
        (json_member("$", "packages-dev"), dev),
    ];
    for (prefix, list) in lists {
        for (i, package) in list.into_iter().enumerate() {
            let location = Location::JsonPath(format!("{prefix}[{i}]"));
            if package
                .dist
                .as_ref()
                .and_then(|d| d.kind.as_deref())
                .is_some_and(|kind| kind == "path")
            {
                continue;
            }
            let Some((vendor, name)) = package
                .name
                .split_once('/')
                .filter(|(v, n)| !v.is_empty() && !n.is_empty())
            else {
                return Err(ImportError::invalid(
                    file,
                    location,
                    format!(
                        "package name {:?} is not of the form vendor/package",
                        package.name
                    ),
                ));
            };
            let purl = purl(
                "composer",
                Some(&vendor.to_lowercase()),
                &name.to_lowercase(),
                &package.version,
                &[],
            );
            components.push(component(
                file,
                location,
                package.name,
                Some(package.version),
                Some(("Packagist", purl)),
            ));
        }
    }
    Ok(inventory(Format::ComposerLock, components))
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOCK: &str = r#"{
    "_readme": ["This file locks the dependencies of your project to a known state"],
    "content-hash": "0123456789abcdef0123456789abcdef",
    "packages": [
        {
            "name": "guzzlehttp/guzzle",
            "version": "7.8.1",
            "source": {"type": "git", "url": "https://github.com/guzzle/guzzle.git", "reference": "abc"},
            "dist": {"type": "zip", "url": "https://api.github.com/repos/guzzle/guzzle/zipball/abc"},
            "type": "library"
        },
        {
            "name": "symfony/http-foundation",
            "version": "v6.4.3",
            "type": "library"
        },
        {
            "name": "gemeente/intern-pakket",
            "version": "dev-main",
            "dist": {"type": "path", "url": "../intern-pakket"}
        }
    ],
    "packages-dev": [
        {"name": "PHPUnit/PHPUnit", "version": "10.5.10"}
    ],
    "aliases": [],
    "minimum-stability": "stable",
    "platform": {"php": "^8.1"},
    "plugin-api-version": "2.6.0"
}"#;

    #[test]
    fn runtime_and_dev_packages() {
        let inv = import("composer.lock", LOCK.as_bytes()).expect("import");
        let c = &inv.assets[0].components;
        assert_eq!(c.len(), 3);
        assert_eq!(c[0].name, "guzzlehttp/guzzle");
        assert_eq!(c[0].ecosystem.as_deref(), Some("Packagist"));
        assert_eq!(
            c[0].purl.as_deref(),
            Some("pkg:composer/guzzlehttp/guzzle@7.8.1")
        );
        assert_eq!(
            c[0].source.location,
            Location::JsonPath("$.packages[0]".into())
        );
        assert_eq!(c[1].version.as_deref(), Some("v6.4.3"));
        assert_eq!(
            c[1].purl.as_deref(),
            Some("pkg:composer/symfony/http-foundation@v6.4.3")
        );
        assert_eq!(c[2].name, "PHPUnit/PHPUnit");
        assert_eq!(
            c[2].purl.as_deref(),
            Some("pkg:composer/phpunit/phpunit@10.5.10")
        );
        assert_eq!(
            c[2].source.location,
            Location::JsonPath("$[\"packages-dev\"][0]".into())
        );
    }

    #[test]
    fn bad_name_is_located() {
        let text = r#"{"packages": [{"name": "a/b", "version": "1"}], "packages-dev": [{"name": "php", "version": "8"}]}"#;
        let err = import("composer.lock", text.as_bytes()).expect_err("bad name");
        assert_eq!(
            err.location,
            Some(Location::JsonPath("$[\"packages-dev\"][0]".into()))
        );
    }

    #[test]
    fn missing_version_is_located() {
        let text = r#"{"packages": [{"name": "a/b", "version": "1"}, {"name": "c/d"}]}"#;
        let err = import("composer.lock", text.as_bytes()).expect_err("no version");
        assert_eq!(
            err.location,
            Some(Location::JsonPath("$.packages[1]".into())),
            "{err}"
        );
    }

    #[test]
    fn packages_are_required() {
        let err = import("composer.lock", b"{}").expect_err("empty");
        assert!(err.reason.contains("packages"), "{err}");
        let ok = import(
            "composer.lock",
            br#"{"packages": [], "packages-dev": null}"#,
        )
        .expect("no packages is fine");
        assert_eq!(ok.component_count(), 0);
    }
}
