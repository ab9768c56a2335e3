//! From a purl to the (ecosystem, name, version) triple OSV keys advisories by.
//!
//! The OSV schema's ecosystem list (`ecosystems.json` of ossf/osv-schema) defines each
//! ecosystem's name format; this module produces exactly those forms, and only for ecosystems
//! `weerbaar_versions::Ecosystem` can order. Anything it cannot map with certainty (an unknown
//! distribution namespace, a type OSV has no ecosystem for) gives `None`: a wrong ecosystem
//! would make the matcher order versions with the wrong scheme or miss the advisories entirely,
//! which is worse than reporting "not matchable".
//!
//! # Distribution releases
//!
//! The release comes from the `distro` qualifier, which producers spell in many ways
//! (`debian-12`, `debian-10.2`, `bookworm`, `ubuntu-22.04`, `jammy`, `3.19.1`, `alpine-3.19.1`,
//! `el9`, `rhel-9.3`, `almalinux-9.2`, `sles-15.5`, `opensuse-leap-15.5`, `photon-4`). Without a
//! recognisable `distro` the ecosystem has no release (`Debian`), which OSV treats as "any
//! release". Per distribution:
//!
//! | namespace | ecosystem | release |
//! |---|---|---|
//! | `debian` | `Debian` | major version: `debian-10.2` → `10`; codenames wheezy..forky |
//! | `ubuntu` | `Ubuntu` | `YY.MM`: `ubuntu-22.04.3` → `22.04`; codenames trusty..questing |
//! | `alpine` | `Alpine` | `v` + major.minor: `3.19.1` → `v3.19` |
//! | `wolfi`, `chainguard`, `minimos` | `Wolfi`, `Chainguard`, `MinimOS` | none (OSV has none) |
//! | `alpaquita` | `Alpaquita` | as given after the prefix (`23`, `stream`) |
//! | `almalinux`, `alma` | `AlmaLinux` | major: `almalinux-9.2`, `el9` → `9` |
//! | `rocky`, `rockylinux` | `Rocky Linux` | major |
//! | `redhat`, `rhel` | `Red Hat` | `enterprise_linux:<major>` (see below) |
//! | `suse`, `sles` | `SUSE` | `Linux Enterprise Server 15 SP5` from `sles-15.5` |
//! | `opensuse` | `openSUSE` | `Leap 15.5`, `Tumbleweed` |
//! | `photon` | `Photon OS` | major.minor: `photon-4` → `4.0` |
//! | `openeuler` | `openEuler` | as given after the prefix (`22.03-LTS-SP1`) |
//! | `mariner`, `cbl-mariner`, `azurelinux` | `Azure Linux` | as given after the prefix (`3.0`) |
//! | `mageia` | `Mageia` | major |
//!
//! **Ubuntu**: OSV records spell LTS releases `Ubuntu:22.04:LTS` (and ESM ones
//! `Ubuntu:Pro:18.04:LTS`), while osv-scanner queries `Ubuntu:22.04` and the OSV API accepts
//! both. This module produces `Ubuntu:22.04`, what the installed system says; the matcher must
//! compare Ubuntu releases on their `YY.MM` part.
//!
//! **Red Hat**: OSV's release is the product CPE without `cpe:/o:redhat:`, including the
//! repository stream: `Red Hat:enterprise_linux:9::baseos`, `...::appstream`,
//! `Red Hat:rhel_eus:9.2::baseos`. A purl does not say which repository an RPM came from, so
//! this module produces the common prefix `Red Hat:enterprise_linux:9`; the matcher must treat a
//! Red Hat release as a prefix of the stream-qualified ones.
//!
//! # Names
//!
//! Distribution advisories are keyed by *source* package. When the purl says which source
//! package a binary came from (syft's `upstream=openssl` / `upstream=libcap-ng@0.7.7-3` /
//! `upstream=openssl-3.0.7-25.el9.src.rpm`, osv-scanner's `source=pcre3`), that name is used;
//! otherwise the purl name, which for binary packages such as `libssl3` will not match the
//! source-keyed advisories (an importer that knows the source package should put it in a
//! `source` qualifier). Language ecosystems use the name formats of the OSV schema:
//! PyPI names PEP 503-normalised, Maven `group:artifact`, Go the module path, npm `@scope/name`,
//! Packagist `vendor/name`, SwiftURL `host/owner/repo`.
//!
//! # Versions
//!
//! [`PackageUrl::osv_version`] prefixes the `epoch` qualifier (trivy's way to carry it) for
//! `deb`, `rpm` and `alpm` when the version has none, and omits a zero epoch as OSV's RPM data
//! does. Other versions pass through unchanged (Go keeps its `v`).

use weerbaar_versions::Ecosystem;

use crate::PackageUrl;

/// A package as OSV identifies it: the ecosystem (with release, when known) and the name.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct OsvPackage {
    /// The OSV ecosystem, e.g. `Debian:12` or `PyPI`.
    pub ecosystem: Ecosystem,
    /// The package name as OSV keys it in that ecosystem.
    pub name: String,
}

impl PackageUrl {
    /// The OSV ecosystem and package name for this purl, or `None` when OSV has no ecosystem
    /// weerbaar can match for it (see the [module docs](crate::osv) for every rule).
    #[must_use]
    pub fn osv_package(&self) -> Option<OsvPackage> {
        let (ecosystem, name) = match self.ty() {
            "deb" => (deb_ecosystem(self)?, self.source_name()),
            "rpm" => (rpm_ecosystem(self)?, self.source_name()),
            "apk" => (apk_ecosystem(self)?, self.source_name()),
            "pypi" => ("PyPI".to_owned(), pep503(self.name())),
            "maven" => (
                "Maven".to_owned(),
                format!("{}:{}", self.namespace()?, self.name()),
            ),
            "golang" => ("Go".to_owned(), self.joined('/')),
            "npm" => ("npm".to_owned(), npm_name(self)),
            "composer" => ("Packagist".to_owned(), self.joined('/')),
            "swift" => ("SwiftURL".to_owned(), self.joined('/')),
            "cargo" => ("crates.io".to_owned(), self.name().to_owned()),
            "gem" => ("RubyGems".to_owned(), self.name().to_owned()),
            "nuget" => ("NuGet".to_owned(), self.name().to_owned()),
            // A hex namespace is a private organisation; OSV knows only the public package name.
            "hex" => ("Hex".to_owned(), self.name().to_owned()),
            "pub" => ("Pub".to_owned(), self.name().to_owned()),
            "cran" => ("CRAN".to_owned(), self.name().to_owned()),
            "hackage" => ("Hackage".to_owned(), self.name().to_owned()),
            "bitnami" => ("Bitnami".to_owned(), self.name().to_owned()),
            _ => return None,
        };
        let ecosystem = Ecosystem::parse(&ecosystem).ok()?;
        Some(OsvPackage { ecosystem, name })
    }

    /// The version as OSV compares it: the purl version, with the `epoch` qualifier prefixed
    /// for `deb`, `rpm` and `alpm` (`1:3.0.7-25.el9`) unless the version already has one or the
    /// epoch is zero.
    #[must_use]
    pub fn osv_version(&self) -> Option<String> {
        let version = self.version()?;
        let epoch = self
            .qualifier("epoch")
            .filter(|_| matches!(self.ty(), "deb" | "rpm" | "alpm"))
            .filter(|e| !e.is_empty() && e.bytes().all(|b| b.is_ascii_digit()))
            .filter(|e| e.bytes().any(|b| b != b'0'))
            .filter(|_| !version.contains(':'));
        Some(match epoch {
            Some(epoch) => format!("{epoch}:{version}"),
            None => version.to_owned(),
        })
    }

    /// `namespace/name`, or the name alone.
    fn joined(&self, separator: char) -> String {
        match self.namespace() {
            Some(ns) => format!("{ns}{separator}{}", self.name()),
            None => self.name().to_owned(),
        }
    }

    /// The source package named by a `source` or `upstream` qualifier, else the name.
    fn source_name(&self) -> String {
        if let Some(source) = self.qualifier("source") {
            return source.to_owned();
        }
        if let Some(upstream) = self.qualifier("upstream") {
            // syft: `name@version` for deb, a source RPM file name for rpm, a plain name for apk.
            let name = upstream.split('@').next().unwrap_or(upstream);
            let name = srpm_name(name).unwrap_or(name);
            if !name.is_empty() {
                return name.to_owned();
            }
        }
        self.name().to_owned()
    }
}

/// `openssl-3.0.7-25.el9.src.rpm` → `openssl` (name-version-release, hyphens allowed in name).
fn srpm_name(file: &str) -> Option<&str> {
    let stem = file
        .strip_suffix(".src.rpm")
        .or_else(|| file.strip_suffix(".rpm"))?;
    let (name_version, _release) = stem.rsplit_once('-')?;
    let (name, _version) = name_version.rsplit_once('-')?;
    (!name.is_empty()).then_some(name)
}

/// PEP 503: lower case, every run of `-`, `_` and `.` becomes one `-`.
fn pep503(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut in_run = false;
    for c in name.chars() {
        if matches!(c, '-' | '_' | '.') {
            if !in_run {
                out.push('-');
            }
            in_run = true;
        } else {
            out.extend(c.to_lowercase());
            in_run = false;
        }
    }
    out
}

fn npm_name(purl: &PackageUrl) -> String {
    match purl.namespace() {
        Some(scope) if scope.starts_with('@') => format!("{scope}/{}", purl.name()),
        // The purl spec keeps the `@` in the namespace; producers that drop it still mean a scope.
        Some(scope) => format!("@{scope}/{}", purl.name()),
        None => purl.name().to_owned(),
    }
}

fn with_release(ecosystem: &str, release: Option<String>) -> String {
    match release {
        Some(release) => format!("{ecosystem}:{release}"),
        None => ecosystem.to_owned(),
    }
}

/// Strips the first matching prefix (ASCII case-insensitive), returning the rest in its
/// original case.
fn strip_any<'a>(s: &'a str, prefixes: &[&str]) -> Option<&'a str> {
    prefixes.iter().find_map(|p| {
        let head = s.get(..p.len())?;
        head.eq_ignore_ascii_case(p)
            .then(|| s.get(p.len()..))
            .flatten()
    })
}

/// The leading run of ASCII digits, if any.
fn leading_number(s: &str) -> Option<&str> {
    let end = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    s.get(..end).filter(|n| !n.is_empty())
}

/// `major.minor` from the start of `s` (`3.19.1` → (`3`, `19`)).
fn major_minor(s: &str) -> Option<(&str, &str)> {
    let major = leading_number(s)?;
    let minor = s
        .get(major.len()..)?
        .strip_prefix('.')
        .and_then(leading_number)?;
    Some((major, minor))
}

const DEBIAN_CODENAMES: &[(&str, &str)] = &[
    ("wheezy", "7"),
    ("jessie", "8"),
    ("stretch", "9"),
    ("buster", "10"),
    ("bullseye", "11"),
    ("bookworm", "12"),
    ("trixie", "13"),
    ("forky", "14"),
];

const UBUNTU_CODENAMES: &[(&str, &str)] = &[
    ("trusty", "14.04"),
    ("xenial", "16.04"),
    ("bionic", "18.04"),
    ("cosmic", "18.10"),
    ("disco", "19.04"),
    ("eoan", "19.10"),
    ("focal", "20.04"),
    ("groovy", "20.10"),
    ("hirsute", "21.04"),
    ("impish", "21.10"),
    ("jammy", "22.04"),
    ("kinetic", "22.10"),
    ("lunar", "23.04"),
    ("mantic", "23.10"),
    ("noble", "24.04"),
    ("oracular", "24.10"),
    ("plucky", "25.04"),
    ("questing", "25.10"),
];

fn codename(table: &[(&str, &'static str)], name: &str) -> Option<String> {
    table
        .iter()
        .find(|(c, _)| c.eq_ignore_ascii_case(name))
        .map(|(_, v)| (*v).to_owned())
}

fn debian_release(distro: &str) -> Option<String> {
    let rest = strip_any(distro, &["debian-", "debian"]).unwrap_or(distro);
    leading_number(rest)
        .map(str::to_owned)
        .or_else(|| codename(DEBIAN_CODENAMES, rest))
}

fn ubuntu_release(distro: &str) -> Option<String> {
    let rest = strip_any(distro, &["ubuntu-", "ubuntu"]).unwrap_or(distro);
    match major_minor(rest) {
        Some((yy, mm)) => Some(format!("{yy}.{mm}")),
        None => codename(UBUNTU_CODENAMES, rest),
    }
}

fn deb_ecosystem(purl: &PackageUrl) -> Option<String> {
    let distro = purl.qualifier("distro").map(str::trim);
    Some(match purl.namespace()? {
        "debian" => with_release("Debian", distro.and_then(debian_release)),
        "ubuntu" => with_release("Ubuntu", distro.and_then(ubuntu_release)),
        _ => return None,
    })
}

fn apk_ecosystem(purl: &PackageUrl) -> Option<String> {
    let distro = purl.qualifier("distro").map(str::trim);
    Some(match purl.namespace()? {
        "alpine" => {
            let release = distro.and_then(|d| {
                let rest = strip_any(d, &["alpine-", "alpine"]).unwrap_or(d);
                let rest = rest.strip_prefix(['v', 'V']).unwrap_or(rest);
                major_minor(rest).map(|(major, minor)| format!("v{major}.{minor}"))
            });
            with_release("Alpine", release)
        }
        "alpaquita" => {
            let release = distro
                .map(|d| strip_any(d, &["alpaquita-", "alpaquita"]).unwrap_or(d))
                .filter(|r| !r.is_empty())
                .map(str::to_owned);
            with_release("Alpaquita", release)
        }
        "wolfi" => "Wolfi".to_owned(),
        "chainguard" => "Chainguard".to_owned(),
        "minimos" => "MinimOS".to_owned(),
        _ => return None,
    })
}

/// The major version after one of `prefixes` (or of a bare number).
fn major_after(distro: &str, prefixes: &[&str]) -> Option<String> {
    let rest = strip_any(distro, prefixes).unwrap_or(distro);
    leading_number(rest).map(str::to_owned)
}

/// Everything after one of `prefixes`, when it starts with a digit.
fn verbatim_after(distro: &str, prefixes: &[&str]) -> Option<String> {
    let rest = strip_any(distro, prefixes).unwrap_or(distro);
    leading_number(rest).map(|_| rest.to_owned())
}

/// `sles-15.5`, `sles-15-sp5`, `sles-15sp5` → `Linux Enterprise Server 15 SP5`.
fn sles_release(distro: &str) -> Option<String> {
    let rest = strip_any(distro, &["sles-", "sles", "suse-", "sle-", "sle"]).unwrap_or(distro);
    let major = leading_number(rest)?;
    let tail = rest.get(major.len()..).unwrap_or("");
    let tail = tail.strip_prefix(['.', '-', '_']).unwrap_or(tail);
    let tail = strip_any(tail, &["sp"]).unwrap_or(tail);
    let mut release = format!("Linux Enterprise Server {major}");
    if let Some(sp) = leading_number(tail).filter(|sp| sp.bytes().any(|b| b != b'0')) {
        release.push_str(" SP");
        release.push_str(sp);
    }
    Some(release)
}

/// `opensuse-leap-15.5`, `opensuse.leap-15.5`, `leap-15.5` → `Leap 15.5`; `…tumbleweed` →
/// `Tumbleweed`.
fn opensuse_release(distro: &str) -> Option<String> {
    let rest = strip_any(distro, &["opensuse"]).unwrap_or(distro);
    let rest = rest.trim_start_matches(['-', '.', '_', ' ']);
    if rest.eq_ignore_ascii_case("tumbleweed") {
        return Some("Tumbleweed".to_owned());
    }
    let rest = strip_any(rest, &["leap"]).unwrap_or(rest);
    let rest = rest.trim_start_matches(['-', '.', '_', ' ']);
    let (major, minor) = major_minor(rest)?;
    Some(format!("Leap {major}.{minor}"))
}

fn photon_release(distro: &str) -> Option<String> {
    let rest = strip_any(distro, &["photon-", "photon"]).unwrap_or(distro);
    match major_minor(rest) {
        Some((major, minor)) => Some(format!("{major}.{minor}")),
        None => leading_number(rest).map(|major| format!("{major}.0")),
    }
}

fn rpm_ecosystem(purl: &PackageUrl) -> Option<String> {
    let distro = purl.qualifier("distro").map(str::trim);
    let release = |f: &dyn Fn(&str) -> Option<String>| distro.and_then(f);
    Some(match purl.namespace()? {
        "almalinux" | "alma" => with_release(
            "AlmaLinux",
            release(&|d| major_after(d, &["almalinux-", "almalinux", "alma-", "alma", "el"])),
        ),
        "rocky" | "rockylinux" => with_release(
            "Rocky Linux",
            release(&|d| major_after(d, &["rockylinux-", "rockylinux", "rocky-", "rocky", "el"])),
        ),
        "redhat" | "rhel" => with_release(
            "Red Hat",
            release(&|d| major_after(d, &["redhat-", "redhat", "rhel-", "rhel", "el"]))
                .map(|major| format!("enterprise_linux:{major}")),
        ),
        "suse" | "sles" => with_release("SUSE", release(&sles_release)),
        "opensuse" => with_release("openSUSE", release(&opensuse_release)),
        "photon" => with_release("Photon OS", release(&photon_release)),
        "openeuler" => with_release(
            "openEuler",
            release(&|d| verbatim_after(d, &["openeuler-", "openeuler"])),
        ),
        "mariner" | "cbl-mariner" | "azurelinux" => with_release(
            "Azure Linux",
            release(&|d| {
                verbatim_after(
                    d,
                    &[
                        "azurelinux-",
                        "azurelinux",
                        "cbl-mariner-",
                        "mariner-",
                        "mariner",
                    ],
                )
            }),
        ),
        "mageia" => with_release(
            "Mageia",
            release(&|d| major_after(d, &["mageia-", "mageia"])),
        ),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn osv(purl: &str) -> (String, String, Option<String>) {
        let p = PackageUrl::parse(purl).unwrap_or_else(|e| panic!("{purl}: {e}"));
        let o = p
            .osv_package()
            .unwrap_or_else(|| panic!("{purl}: no OSV package"));
        (o.ecosystem.to_string(), o.name, p.osv_version())
    }

    fn eco(purl: &str) -> String {
        osv(purl).0
    }

    #[test]
    fn debian_and_ubuntu_releases() {
        assert_eq!(
            osv("pkg:deb/debian/curl@7.88.1-10?distro=debian-12"),
            ("Debian:12".into(), "curl".into(), Some("7.88.1-10".into()))
        );
        assert_eq!(eco("pkg:deb/debian/curl@1?distro=debian-10.2"), "Debian:10");
        assert_eq!(eco("pkg:deb/debian/curl@1?distro=12"), "Debian:12");
        assert_eq!(eco("pkg:deb/debian/curl@1"), "Debian");
        assert_eq!(eco("pkg:deb/debian/curl@1?distro=sid"), "Debian");
        for (code, n) in [
            ("bookworm", "12"),
            ("bullseye", "11"),
            ("buster", "10"),
            ("stretch", "9"),
            ("jessie", "8"),
            ("trixie", "13"),
        ] {
            assert_eq!(
                eco(&format!("pkg:deb/debian/x@1?distro={code}")),
                format!("Debian:{n}")
            );
            assert_eq!(
                eco(&format!("pkg:deb/debian/x@1?distro=debian-{code}")),
                format!("Debian:{n}")
            );
        }
        assert_eq!(
            eco("pkg:deb/ubuntu/curl@1?distro=ubuntu-22.04"),
            "Ubuntu:22.04"
        );
        assert_eq!(
            eco("pkg:deb/ubuntu/curl@1?distro=ubuntu-22.04.3"),
            "Ubuntu:22.04"
        );
        for (code, n) in [
            ("jammy", "22.04"),
            ("focal", "20.04"),
            ("noble", "24.04"),
            ("bionic", "18.04"),
        ] {
            assert_eq!(
                eco(&format!("pkg:deb/ubuntu/x@1?distro={code}")),
                format!("Ubuntu:{n}")
            );
        }
        assert_eq!(eco("pkg:deb/ubuntu/x@1"), "Ubuntu");
        assert!(
            PackageUrl::parse("pkg:deb/raspbian/x@1")
                .ok()
                .and_then(|p| p.osv_package())
                .is_none()
        );
    }

    #[test]
    fn deb_epoch_and_source_package() {
        assert_eq!(
            osv("pkg:deb/debian/login@4.5-1.1?arch=amd64&distro=debian-10.2&epoch=1"),
            ("Debian:10".into(), "login".into(), Some("1:4.5-1.1".into()))
        );
        assert_eq!(
            osv("pkg:deb/debian/attr@1:2.4.47-2?epoch=1").2.as_deref(),
            Some("1:2.4.47-2")
        );
        assert_eq!(
            osv(
                "pkg:deb/debian/libcap-ng0@0.7.7-3+b1?upstream=libcap-ng%400.7.7-3&distro=debian-9"
            )
            .1,
            "libcap-ng"
        );
        assert_eq!(
            osv("pkg:deb/ubuntu/pcre3@2%3A8.39-12ubuntu0.1?arch=amd64&distro=focal&source=pcre3"),
            (
                "Ubuntu:20.04".into(),
                "pcre3".into(),
                Some("2:8.39-12ubuntu0.1".into())
            )
        );
    }

    #[test]
    fn rpm_families_releases_and_epoch() {
        assert_eq!(
            osv("pkg:rpm/almalinux/openssl@3.0.7-25.el9?distro=almalinux-9&epoch=1"),
            (
                "AlmaLinux:9".into(),
                "openssl".into(),
                Some("1:3.0.7-25.el9".into())
            )
        );
        assert_eq!(
            eco("pkg:rpm/almalinux/x@1?distro=almalinux-9.2"),
            "AlmaLinux:9"
        );
        assert_eq!(eco("pkg:rpm/alma/x@1?distro=el9"), "AlmaLinux:9");
        assert_eq!(eco("pkg:rpm/almalinux/x@1"), "AlmaLinux");
        assert_eq!(eco("pkg:rpm/rocky/x@1?distro=rocky-9.3"), "Rocky Linux:9");
        assert_eq!(eco("pkg:rpm/rockylinux/x@1?distro=el8"), "Rocky Linux:8");
        assert_eq!(
            eco("pkg:rpm/redhat/x@1?distro=rhel-9.3"),
            "Red Hat:enterprise_linux:9"
        );
        assert_eq!(
            eco("pkg:rpm/rhel/x@1?distro=el9"),
            "Red Hat:enterprise_linux:9"
        );
        assert_eq!(
            eco("pkg:rpm/redhat/x@1?distro=redhat-9.5"),
            "Red Hat:enterprise_linux:9"
        );
        assert_eq!(eco("pkg:rpm/redhat/x@1"), "Red Hat");
        assert_eq!(
            eco("pkg:rpm/suse/x@1?distro=sles-15.5"),
            "SUSE:Linux Enterprise Server 15 SP5"
        );
        assert_eq!(
            eco("pkg:rpm/sles/x@1?distro=sles-15-sp4"),
            "SUSE:Linux Enterprise Server 15 SP4"
        );
        assert_eq!(
            eco("pkg:rpm/sles/x@1?distro=sles-15"),
            "SUSE:Linux Enterprise Server 15"
        );
        assert_eq!(
            eco("pkg:rpm/opensuse/x@1?distro=opensuse-leap-15.5"),
            "openSUSE:Leap 15.5"
        );
        assert_eq!(
            eco("pkg:rpm/opensuse/x@1?distro=opensuse.leap-15.6"),
            "openSUSE:Leap 15.6"
        );
        assert_eq!(
            eco("pkg:rpm/opensuse/x@1?distro=opensuse-tumbleweed"),
            "openSUSE:Tumbleweed"
        );
        assert_eq!(eco("pkg:rpm/photon/x@1?distro=photon-4"), "Photon OS:4.0");
        assert_eq!(eco("pkg:rpm/photon/x@1?distro=photon-3.0"), "Photon OS:3.0");
        assert_eq!(
            eco("pkg:rpm/openeuler/x@1?distro=openEuler-22.03-LTS-SP1"),
            "openEuler:22.03-LTS-SP1"
        );
        assert_eq!(
            eco("pkg:rpm/mariner/x@1?distro=mariner-2.0"),
            "Azure Linux:2.0"
        );
        assert_eq!(
            eco("pkg:rpm/azurelinux/x@1?distro=azurelinux-3.0"),
            "Azure Linux:3.0"
        );
        assert_eq!(eco("pkg:rpm/mageia/x@1?distro=mageia-9"), "Mageia:9");
        // Fedora and CentOS have no OSV ecosystem.
        for ns in ["fedora", "centos"] {
            let p = PackageUrl::parse(&format!("pkg:rpm/{ns}/x@1")).expect("valid");
            assert!(p.osv_package().is_none(), "{ns}");
        }
        assert_eq!(
            osv("pkg:rpm/redhat/x@1.0-1?epoch=0").2.as_deref(),
            Some("1.0-1")
        );
        assert_eq!(
            osv("pkg:rpm/almalinux/libssl@3.0.7-25.el9?upstream=openssl-3.0.7-25.el9.src.rpm").1,
            "openssl"
        );
    }

    #[test]
    fn alpine_and_apk_based_distributions() {
        assert_eq!(
            osv("pkg:apk/alpine/busybox@1.36.1-r15?distro=3.19.1"),
            (
                "Alpine:v3.19".into(),
                "busybox".into(),
                Some("1.36.1-r15".into())
            )
        );
        assert_eq!(
            eco("pkg:apk/alpine/busybox@1?distro=alpine-3.19.1"),
            "Alpine:v3.19"
        );
        assert_eq!(eco("pkg:apk/alpine/busybox@1?distro=v3.18"), "Alpine:v3.18");
        assert_eq!(eco("pkg:apk/alpine/busybox@1"), "Alpine");
        assert_eq!(
            osv("pkg:apk/alpine/libcrypto3@3.0.8-r0?arch=x86_64&upstream=openssl&distro=alpine-3.17.2").1,
            "openssl"
        );
        assert_eq!(eco("pkg:apk/wolfi/glibc@2.38-r1"), "Wolfi");
        assert_eq!(eco("pkg:apk/chainguard/glibc@2.38-r1"), "Chainguard");
    }

    #[test]
    fn language_ecosystems() {
        assert_eq!(
            osv("pkg:pypi/Django_Allauth.Extra@1.0"),
            (
                "PyPI".into(),
                "django-allauth-extra".into(),
                Some("1.0".into())
            )
        );
        assert_eq!(
            osv("pkg:maven/org.apache.xmlgraphics/batik-anim@1.9.1?type=jar").1,
            "org.apache.xmlgraphics:batik-anim"
        );
        assert_eq!(
            osv("pkg:golang/github.com/BurntSushi/toml@v0.3.1"),
            (
                "Go".into(),
                "github.com/BurntSushi/toml".into(),
                Some("v0.3.1".into())
            )
        );
        assert_eq!(
            osv("pkg:npm/%40angular/animation@12.3.1").1,
            "@angular/animation"
        );
        assert_eq!(osv("pkg:npm/left-pad@1.0.0").1, "left-pad");
        assert_eq!(osv("pkg:cargo/rand@0.7.2").0, "crates.io");
        assert_eq!(osv("pkg:gem/rails@7.0.0").0, "RubyGems");
        assert_eq!(
            osv("pkg:composer/laravel/framework@7.12.0"),
            (
                "Packagist".into(),
                "laravel/framework".into(),
                Some("7.12.0".into())
            )
        );
        assert_eq!(
            osv("pkg:nuget/Newtonsoft.Json@13.0.1"),
            (
                "NuGet".into(),
                "Newtonsoft.Json".into(),
                Some("13.0.1".into())
            )
        );
        assert_eq!(osv("pkg:hex/phoenix@1.7.0").0, "Hex");
        assert_eq!(osv("pkg:pub/http@1.0.0").0, "Pub");
        assert_eq!(osv("pkg:cran/A3@1.0.0").0, "CRAN");
        assert_eq!(osv("pkg:hackage/aeson@2.0").0, "Hackage");
        assert_eq!(
            osv("pkg:swift/github.com/apple/swift-nio-http2@1.19.1"),
            (
                "SwiftURL".into(),
                "github.com/apple/swift-nio-http2".into(),
                Some("1.19.1".into())
            )
        );
        assert_eq!(
            osv("pkg:bitnami/wordpress@6.2.0?distro=debian-12").0,
            "Bitnami"
        );
        for unmatched in [
            "pkg:generic/openssl@1.1.1",
            "pkg:docker/cassandra@latest",
            "pkg:conan/cctz@2.3",
        ] {
            let p = PackageUrl::parse(unmatched).expect("valid");
            assert!(p.osv_package().is_none(), "{unmatched}");
        }
    }

    #[test]
    fn helpers() {
        assert_eq!(pep503("Foo.-_Bar__baz"), "foo-bar-baz");
        assert_eq!(srpm_name("glibc-2.34-60.el9.src.rpm"), Some("glibc"));
        assert_eq!(
            srpm_name("python3-libs-3.9.16-1.el9.src.rpm"),
            Some("python3-libs")
        );
        assert_eq!(srpm_name("openssl"), None);
        assert_eq!(strip_any("Debian-12", &["debian-"]), Some("12"));
        assert_eq!(strip_any("dé", &["debian-"]), None);
        assert_eq!(major_minor("3.19.1"), Some(("3", "19")));
        assert_eq!(major_minor("3"), None);
    }
}
