//! `rpm -qa` output: what is installed on a Red Hat, AlmaLinux, Rocky, Fedora or SUSE host.
//!
//! The rpm database itself is binary (SQLite or Berkeley DB), so weerbaar reads what `rpm`
//! prints. Two forms are accepted, line by line, and may even be mixed:
//!
//! 1. **Plain `rpm -qa`**, one NEVRA per line, as rpm's default query format
//!    `%{NAME}-%{VERSION}-%{RELEASE}.%{ARCH}` prints it: `openssl-libs-3.0.7-25.el9_3.x86_64`.
//!    It is split from the right, because names contain dashes and versions do not: the part
//!    after the last `.` is the architecture only when it is a known rpm architecture (old rpm
//!    versions and `gpg-pubkey` entries print no architecture, and `el9_3` is no
//!    architecture), the release follows the last `-`, the version the one before, and the rest
//!    is the name. An epoch written as `name-1:version-release.arch` (dnf/yum style) or
//!    `1:name-version-release.arch` is accepted too.
//!
//! 2. **weerbaar's form**, which is what should be used, because it also gives the epoch
//!    (which changes version ordering) and the source RPM (by which Red Hat advisories are
//!    keyed):
//!
//!    ```text
//!    rpm -qa --qf '%{NAME}\t%{EPOCHNUM}\t%{VERSION}\t%{RELEASE}\t%{ARCH}\t%{SOURCERPM}\n'
//!    ```
//!
//!    Six tab-separated fields. `%{EPOCH}` (which prints `(none)`) is accepted in place of
//!    `%{EPOCHNUM}`; a `SOURCERPM` of `(none)` means no source package is known.
//!
//! # Decisions
//!
//! * The version is stored as rpm's EVR, `[epoch:]version-release`, with the epoch only when it
//!   is not zero — the form AlmaLinux/Rocky/Red Hat OSV records and `rpmvercmp` use.
//! * The source package name and version come from the source RPM file name
//!   (`openssl-3.0.7-25.el9_3.src.rpm` → `openssl`, `3.0.7-25.el9_3`). That name has no epoch;
//!   the binary's epoch is used, since all packages built from one spec share it.
//! * `gpg-pubkey` entries are skipped: they are imported signing keys that rpm stores as
//!   pseudo-packages, not software.
//! * Ecosystem and purl are left empty: the output does not say which distribution or release
//!   it comes from; the shared enrichment step derives them from os-release.
//! * Blank lines are skipped; anything else that is not one of the two forms (an `error:` line
//!   rpm printed into the same file, a truncated line) is an error naming the line.

use crate::formats::dpkg::truncate;
use crate::formats::utf8;
use crate::model::{Component, Location, Source};
use crate::{Format, ImportError, ImportedAsset, Inventory};

/// The `--qf` argument of weerbaar's documented form.
pub const QUERY_FORMAT: &str =
    "%{NAME}\\t%{EPOCHNUM}\\t%{VERSION}\\t%{RELEASE}\\t%{ARCH}\\t%{SOURCERPM}\\n";

/// Architectures rpm builds for (rpmrc's `arch_canon` plus the source pseudo-architectures).
const ARCHES: &[&str] = &[
    "noarch",
    "src",
    "nosrc",
    "x86_64",
    "x86_64_v2",
    "x86_64_v3",
    "x86_64_v4",
    "amd64",
    "ia32e",
    "em64t",
    "i386",
    "i486",
    "i586",
    "i686",
    "athlon",
    "geode",
    "pentium3",
    "pentium4",
    "ia64",
    "aarch64",
    "arm64",
    "armv3l",
    "armv4b",
    "armv4l",
    "armv5tel",
    "armv5tejl",
    "armv6l",
    "armv6hl",
    "armv7l",
    "armv7hl",
    "armv7hnl",
    "armv8l",
    "armv8hl",
    "ppc",
    "ppc64",
    "ppc64le",
    "ppc64p7",
    "ppc64pseries",
    "ppc64iseries",
    "s390",
    "s390x",
    "sparc",
    "sparcv9",
    "sparc64",
    "alpha",
    "mips",
    "mipsel",
    "mips64",
    "mips64el",
    "riscv64",
    "loongarch64",
    "sh4",
];

/// Imports `rpm -qa` output.
///
/// # Errors
/// An [`ImportError`] naming the first line that is neither form.
pub fn import(file: &str, bytes: &[u8]) -> Result<Inventory, ImportError> {
    let text = utf8(file, bytes)?;
    let components = parse(file, text)?;
    Ok(Inventory::single(
        Format::RpmQa,
        ImportedAsset {
            components,
            ..ImportedAsset::default()
        },
    ))
}

/// Parses `rpm -qa` output (either form) into components, in line order.
pub(crate) fn parse(file: &str, text: &str) -> Result<Vec<Component>, ImportError> {
    let mut components = Vec::new();
    for (index, raw) in text.split('\n').enumerate() {
        let line_no = index + 1;
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        if line.trim().is_empty() {
            continue;
        }
        let at = |reason: String| ImportError::invalid(file, Location::Line(line_no), reason);
        let package = if line.contains('\t') {
            parse_qf(line).map_err(at)?
        } else {
            parse_plain(line).map_err(at)?
        };
        if package.name == "gpg-pubkey" {
            continue;
        }
        components.push(package.into_component(file, line_no));
    }
    Ok(components)
}

/// One installed package as a line describes it.
#[derive(Debug, PartialEq, Eq)]
struct Package {
    name: String,
    evr: String,
    source: Option<(String, String)>,
}

impl Package {
    fn into_component(self, file: &str, line: usize) -> Component {
        let (source_name, source_version) = match self.source {
            Some((n, v)) => (Some(n), Some(v)),
            None => (None, None),
        };
        Component {
            ecosystem: None,
            name: self.name,
            version: Some(self.evr),
            purl: None,
            cpe: None,
            vendor: None,
            source_name,
            source_version,
            source: Source {
                file: file.to_owned(),
                location: Location::Line(line),
            },
        }
    }
}

/// A name-epoch-version-release-arch split of one NEVRA string.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Nevra<'a> {
    pub name: &'a str,
    /// Without leading zeros; `None` when absent or zero.
    pub epoch: Option<&'a str>,
    pub version: &'a str,
    pub release: &'a str,
    pub arch: Option<&'a str>,
}

impl Nevra<'_> {
    /// `[epoch:]version-release`.
    pub fn evr(&self) -> String {
        evr(self.epoch, self.version, self.release)
    }
}

fn evr(epoch: Option<&str>, version: &str, release: &str) -> String {
    match epoch {
        Some(e) => format!("{e}:{version}-{release}"),
        None => format!("{version}-{release}"),
    }
}

/// Splits `name-[epoch:]version-release[.arch]` (or `epoch:name-version-release[.arch]`).
///
/// # Errors
/// The reason, when a part is missing or the epoch is not a number.
pub(crate) fn parse_nevra(s: &str) -> Result<Nevra<'_>, String> {
    let s = s.trim();
    if s.is_empty() || s.contains(char::is_whitespace) {
        return Err(format!(
            "expected a package as name-version-release.arch (plain `rpm -qa`) or six \
             tab-separated fields (weerbaar's --qf form), found {:?}",
            truncate(s)
        ));
    }
    let mut epoch = None;
    let mut rest = s;
    // A leading `E:` is an epoch only when what follows still has a name, version and release;
    // otherwise the colon belongs to the version (`name-E:version-release`).
    if let Some((e, after)) = s.split_once(':') {
        let leading_epoch = !e.is_empty()
            && e.bytes().all(|b| b.is_ascii_digit())
            && !after.contains(':')
            && !after.starts_with('-')
            && after.matches('-').count() >= 2;
        if leading_epoch {
            epoch = Some(e);
            rest = after;
        }
    }
    let (rest, arch) = match rest.rsplit_once('.') {
        Some((before, arch)) if ARCHES.contains(&arch) => (before, Some(arch)),
        _ => (rest, None),
    };
    let invalid = || {
        format!(
            "{:?} is not name-version-release[.arch]: a part is missing",
            truncate(s)
        )
    };
    let (rest, release) = rest.rsplit_once('-').ok_or_else(invalid)?;
    let (name, mut version) = rest.rsplit_once('-').ok_or_else(invalid)?;
    if let Some((e, v)) = version.split_once(':') {
        if epoch.is_some() {
            return Err(format!("{:?} gives the epoch twice", truncate(s)));
        }
        epoch = Some(e);
        version = v;
    }
    if name.is_empty() || version.is_empty() || release.is_empty() {
        return Err(invalid());
    }
    if name.contains(':') || version.contains(':') || release.contains(':') {
        return Err(format!("{:?} has a misplaced `:`", truncate(s)));
    }
    let epoch = match epoch {
        Some(e) => normalise_epoch(e).map_err(|reason| format!("{:?}: {reason}", truncate(s)))?,
        None => None,
    };
    Ok(Nevra {
        name,
        epoch,
        version,
        release,
        arch,
    })
}

/// `0`, empty and `(none)` mean no epoch; otherwise the digits without leading zeros.
fn normalise_epoch(e: &str) -> Result<Option<&str>, String> {
    let e = e.trim();
    if e.is_empty() || e == "(none)" {
        return Ok(None);
    }
    if !e.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("epoch {:?} is not a number", truncate(e)));
    }
    let stripped = e.trim_start_matches('0');
    Ok((!stripped.is_empty()).then_some(stripped))
}

fn parse_plain(line: &str) -> Result<Package, String> {
    let nevra = parse_nevra(line)?;
    Ok(Package {
        name: nevra.name.to_owned(),
        evr: nevra.evr(),
        source: None,
    })
}

fn parse_qf(line: &str) -> Result<Package, String> {
    let fields: Vec<&str> = line.split('\t').collect();
    let [name, epoch, version, release, _arch, source_rpm] = fields.as_slice() else {
        return Err(format!(
            "expected 6 tab-separated fields (NAME EPOCHNUM VERSION RELEASE ARCH SOURCERPM), \
             found {}",
            fields.len()
        ));
    };
    let (name, version, release) = (name.trim(), version.trim(), release.trim());
    for (what, value) in [("NAME", name), ("VERSION", version), ("RELEASE", release)] {
        if value.is_empty() || value.contains(char::is_whitespace) {
            return Err(format!(
                "{what} {:?} is empty or has spaces",
                truncate(value)
            ));
        }
    }
    let epoch = normalise_epoch(epoch).map_err(|reason| format!("EPOCHNUM: {reason}"))?;
    let source = source_package(source_rpm, epoch)?;
    Ok(Package {
        name: name.to_owned(),
        evr: evr(epoch, version, release),
        source,
    })
}

/// The source package name and `[epoch:]version-release` from a source RPM file name.
///
/// # Errors
/// The reason, when the name is not `name-version-release.src.rpm`.
pub(crate) fn source_package(
    source_rpm: &str,
    epoch: Option<&str>,
) -> Result<Option<(String, String)>, String> {
    let source_rpm = source_rpm.trim();
    if source_rpm.is_empty() || source_rpm == "(none)" {
        return Ok(None);
    }
    let malformed = || {
        format!(
            "SOURCERPM {:?} is not name-version-release.src.rpm",
            truncate(source_rpm)
        )
    };
    let stem = source_rpm.strip_suffix(".rpm").ok_or_else(malformed)?;
    let nevra = parse_nevra(stem).map_err(|_| malformed())?;
    if !matches!(nevra.arch, Some("src" | "nosrc")) || nevra.epoch.is_some() {
        return Err(malformed());
    }
    Ok(Some((
        nevra.name.to_owned(),
        evr(epoch, nevra.version, nevra.release),
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(text: &str) -> Vec<Component> {
        match parse("rpm-qa.txt", text) {
            Ok(c) => c,
            Err(e) => panic!("unexpected error: {e}"),
        }
    }

    fn err(text: &str) -> ImportError {
        match parse("rpm-qa.txt", text) {
            Ok(c) => panic!("expected an error, got {c:?}"),
            Err(e) => e,
        }
    }

    #[test]
    fn plain_nevra_lines() {
        let c = ok("openssl-libs-3.0.7-25.el9_3.x86_64\n\
                    kernel-core-5.14.0-362.8.1.el9_3.x86_64\n\
                    tzdata-2023c-1.el9.noarch\n\
                    gpg-pubkey-fd431d51-4ae0493b\n\
                    python3-dnf-plugins-core-4.3.0-11.el9_3.alma.1.noarch\n\
                    glibc-2.17-326.el7_9\n\
                    libgcc-11.4.1-2.1.el9.i686\n");
        let got: Vec<(&str, &str)> = c
            .iter()
            .map(|c| (c.name.as_str(), c.version.as_deref().unwrap_or("")))
            .collect();
        assert_eq!(
            got,
            [
                ("openssl-libs", "3.0.7-25.el9_3"),
                ("kernel-core", "5.14.0-362.8.1.el9_3"),
                ("tzdata", "2023c-1.el9"),
                ("python3-dnf-plugins-core", "4.3.0-11.el9_3.alma.1"),
                ("glibc", "2.17-326.el7_9"),
                ("libgcc", "11.4.1-2.1.el9"),
            ]
        );
        assert_eq!(c[0].source.location, Location::Line(1));
        assert_eq!(
            c[3].source.location,
            Location::Line(5),
            "gpg-pubkey skipped"
        );
        assert_eq!(c[0].ecosystem, None);
        assert_eq!(c[0].purl, None);
        assert_eq!(c[0].source_name, None);
    }

    #[test]
    fn epoch_forms() {
        let c = ok(
            "openssl-1:3.0.7-25.el9_3.x86_64\n1:openssl-3.0.7-25.el9_3.x86_64\nbind-libs-32:9.16.23-14.el9_3.x86_64\nfoo-0:1-2.noarch\n",
        );
        assert_eq!(c[0].name, "openssl");
        assert_eq!(c[0].version.as_deref(), Some("1:3.0.7-25.el9_3"));
        assert_eq!(c[1].name, "openssl");
        assert_eq!(c[1].version.as_deref(), Some("1:3.0.7-25.el9_3"));
        assert_eq!(c[2].name, "bind-libs");
        assert_eq!(c[2].version.as_deref(), Some("32:9.16.23-14.el9_3"));
        assert_eq!(c[3].version.as_deref(), Some("1-2"));
        assert!(parse_nevra("1:foo-2:1-1.x86_64").is_err());
        assert!(parse_nevra("foo-x:1-1.x86_64").is_err());
    }

    #[test]
    fn qf_form_with_epoch_and_source() {
        let c = ok(
            "openssl-libs\t1\t3.0.7\t25.el9_3\tx86_64\topenssl-3.0.7-25.el9_3.src.rpm\n\
                    bash\t0\t5.1.8\t6.el9_1\tx86_64\tbash-5.1.8-6.el9_1.src.rpm\n\
                    gpg-pubkey\t0\tfd431d51\t4ae0493b\t(none)\t(none)\n\
                    tzdata\t(none)\t2023c\t1.el9\tnoarch\ttzdata-2023c-1.el9.src.rpm\r\n\
                    weird\t\t1\t1\tx86_64\t(none)\n",
        );
        assert_eq!(c.len(), 4);
        assert_eq!(c[0].name, "openssl-libs");
        assert_eq!(c[0].version.as_deref(), Some("1:3.0.7-25.el9_3"));
        assert_eq!(c[0].source_name.as_deref(), Some("openssl"));
        assert_eq!(c[0].source_version.as_deref(), Some("1:3.0.7-25.el9_3"));
        assert_eq!(c[1].version.as_deref(), Some("5.1.8-6.el9_1"));
        assert_eq!(c[1].source_version.as_deref(), Some("5.1.8-6.el9_1"));
        assert_eq!(c[2].name, "tzdata");
        assert_eq!(c[2].source.location, Location::Line(4));
        assert_eq!(c[3].source_name, None);
    }

    #[test]
    fn errors_name_the_line() {
        let e = err("bash-5.1.8-6.el9_1.x86_64\nerror: rpmdb: damaged header\n");
        assert_eq!(e.location, Some(Location::Line(2)), "{e}");
        let e = err("\n\nbash\n");
        assert_eq!(e.location, Some(Location::Line(3)), "{e}");
        let e = err("bash-1.x86_64\n");
        assert_eq!(e.location, Some(Location::Line(1)), "{e}");
        let e = err("a\t0\t1\t1\tx86_64\n");
        assert!(e.reason.contains("6 tab-separated"), "{e}");
        let e = err("a\tx\t1\t1\tx86_64\t(none)\n");
        assert!(e.reason.contains("EPOCHNUM"), "{e}");
        let e = err("a\t0\t1\t1\tx86_64\ta-1-1.x86_64.rpm\n");
        assert!(e.reason.contains("SOURCERPM"), "{e}");
        let e = err("a\t0\t\t1\tx86_64\t(none)\n");
        assert!(e.reason.contains("VERSION"), "{e}");
        let e = err("-1-2.x86_64\n");
        assert_eq!(e.location, Some(Location::Line(1)), "{e}");
    }

    #[test]
    fn source_rpm_names() {
        assert_eq!(
            source_package("nosrc-pkg-1.0-1.nosrc.rpm", Some("2")),
            Ok(Some(("nosrc-pkg".into(), "2:1.0-1".into())))
        );
        assert_eq!(source_package("(none)", None), Ok(None));
        assert!(source_package("foo-1-1.src", None).is_err());
        assert!(source_package("foo.src.rpm", None).is_err());
    }
}
