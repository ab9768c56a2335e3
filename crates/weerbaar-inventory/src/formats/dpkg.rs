//! dpkg's status database, `/var/lib/dpkg/status`: what is installed on a Debian or Ubuntu host.
//!
//! # Format
//!
//! The file is a sequence of deb822 paragraphs (deb822(5), deb-control(5); the status fields are
//! described in dpkg(1) and dpkg-query(1)). A paragraph is a run of `Field: value` lines; a line
//! starting with a space or tab continues the previous field (`Description`, `Conffiles`); one
//! or more empty (or whitespace-only) lines separate paragraphs. Field names are
//! case-insensitive.
//!
//! # Decisions
//!
//! * **Which packages count.** `Status` holds three words, *want flag status*
//!   (`install ok installed`). A package is taken **if and only if the third word is
//!   `installed`**, whatever the want and flag are: `hold ok installed` (a package pinned by
//!   `apt-mark hold`), `deinstall ok installed` (marked for removal but still on disk) and
//!   `install reinstreq installed` all have their files on disk, so their vulnerabilities are
//!   real. Every other state — `config-files` (removed, only conffiles left), `not-installed`,
//!   `half-installed`, `unpacked`, `half-configured`, `triggers-awaited`, `triggers-pending` — is
//!   skipped: it is what `dpkg-query -W -f='${db:Status-Abbrev}'` shows with a second letter
//!   other than `i`. A third word outside dpkg's list of states is an error rather than a silent
//!   skip, so a corrupted file is noticed.
//! * **Source package.** Debian advisories (DSA/DLA, the security tracker, OSV `Debian:*`) are
//!   keyed by source package. `Source: foo (1.2-3)` names a source package whose version
//!   differs from the binary's (binNMUs, packages built from another version of the source);
//!   `Source: foo` means the same version as `Version`; no `Source` means the binary package is
//!   its own source.
//! * **Ecosystem.** Always `Debian`: the file does not say whether the host is Debian or Ubuntu
//!   (or which release), so the shared enrichment step refines it from os-release.
//! * **Architecture** is read but not kept: the component model has no field for it, and
//!   advisories do not depend on it. Multi-arch duplicates (`libc6:amd64` and `libc6:i386`)
//!   therefore become two components with the same name and version.
//! * **Strictness.** A line that is neither a field nor a continuation, a continuation with no
//!   field to continue, a paragraph without `Package` or `Status`, an installed package without
//!   `Version`, or a field that matters here given twice: each is an error naming the line. dpkg
//!   never writes such a file, so meeting one means the file is damaged or is not a status file.
//! * **Cost.** One pass over the lines, no per-paragraph map: a 5,000-package file is read in
//!   milliseconds.

use crate::formats::utf8;
use crate::model::{Component, Location, Source};
use crate::{Format, ImportError, ImportedAsset, Inventory};

/// Every package state dpkg knows (dpkg(1), "Package states").
const STATES: &[&str] = &[
    "not-installed",
    "config-files",
    "half-installed",
    "unpacked",
    "half-configured",
    "triggers-awaited",
    "triggers-pending",
    "installed",
];

/// Imports a dpkg status file.
///
/// # Errors
/// A located [`ImportError`] for malformed lines and paragraphs (see the module docs).
pub fn import(file: &str, bytes: &[u8]) -> Result<Inventory, ImportError> {
    let text = utf8(file, bytes)?;
    let components = parse(file, text)?;
    Ok(Inventory::single(
        Format::DpkgStatus,
        ImportedAsset {
            components,
            ..ImportedAsset::default()
        },
    ))
}

/// The fields that matter here, each with its value and one-based line.
#[derive(Default)]
struct Paragraph<'a> {
    first_line: usize,
    package: Option<(&'a str, usize)>,
    version: Option<(&'a str, usize)>,
    status: Option<(&'a str, usize)>,
    source: Option<(&'a str, usize)>,
}

/// Which field a continuation line would extend.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Current {
    /// At the start of a paragraph: nothing to continue.
    None,
    /// A field read by this importer; all of them are single-line.
    Kept(&'static str),
    /// Any other field; its continuation lines are skipped.
    Other,
}

/// Parses the text of a status file into the installed packages, in file order.
pub(crate) fn parse(file: &str, text: &str) -> Result<Vec<Component>, ImportError> {
    let mut components = Vec::new();
    let mut paragraph: Option<Paragraph<'_>> = None;
    let mut current = Current::None;

    for (index, raw) in text.split('\n').enumerate() {
        let line_no = index + 1;
        let line = raw.strip_suffix('\r').unwrap_or(raw);

        if line.trim().is_empty() {
            if let Some(done) = paragraph.take() {
                finish(file, &done, &mut components)?;
            }
            current = Current::None;
            continue;
        }

        if line.starts_with([' ', '\t']) {
            match current {
                Current::None => {
                    return Err(ImportError::syntax(
                        file,
                        Location::Line(line_no),
                        "continuation line (starting with a space) with no field before it",
                    ));
                }
                Current::Kept(field) => {
                    return Err(ImportError::invalid(
                        file,
                        Location::Line(line_no),
                        format!("field {field} cannot span several lines"),
                    ));
                }
                Current::Other => continue,
            }
        }

        let Some((name, value)) = line.split_once(':') else {
            return Err(ImportError::syntax(
                file,
                Location::Line(line_no),
                format!(
                    "expected `Field: value` or a continuation line starting with a space, found {:?}",
                    truncate(line)
                ),
            ));
        };
        if !valid_field_name(name) {
            return Err(ImportError::syntax(
                file,
                Location::Line(line_no),
                format!("invalid field name {:?}", truncate(name)),
            ));
        }
        let value = value.trim();
        let para = paragraph.get_or_insert_with(|| Paragraph {
            first_line: line_no,
            ..Paragraph::default()
        });

        let (slot, canonical) = if name.eq_ignore_ascii_case("Package") {
            (&mut para.package, "Package")
        } else if name.eq_ignore_ascii_case("Version") {
            (&mut para.version, "Version")
        } else if name.eq_ignore_ascii_case("Status") {
            (&mut para.status, "Status")
        } else if name.eq_ignore_ascii_case("Source") {
            (&mut para.source, "Source")
        } else {
            current = Current::Other;
            continue;
        };
        if let Some((_, first)) = slot {
            return Err(ImportError::invalid(
                file,
                Location::Line(line_no),
                format!("field {canonical} given twice in one paragraph (first on line {first})"),
            ));
        }
        *slot = Some((value, line_no));
        current = Current::Kept(canonical);
    }
    if let Some(done) = paragraph.take() {
        finish(file, &done, &mut components)?;
    }
    Ok(components)
}

/// Checks a complete paragraph and, when its package is installed, adds it.
fn finish(
    file: &str,
    para: &Paragraph<'_>,
    components: &mut Vec<Component>,
) -> Result<(), ImportError> {
    let Some((name, name_line)) = para.package.filter(|(v, _)| !v.is_empty()) else {
        return Err(ImportError::invalid(
            file,
            Location::Line(para.package.map_or(para.first_line, |(_, l)| l)),
            "paragraph has no Package name",
        ));
    };
    let Some((status, status_line)) = para.status else {
        return Err(ImportError::invalid(
            file,
            Location::Line(name_line),
            format!(
                "package {name} has no Status field; every entry of a dpkg status file has one"
            ),
        ));
    };
    if !is_installed(status)
        .map_err(|reason| ImportError::invalid(file, Location::Line(status_line), reason))?
    {
        return Ok(());
    }
    let Some((version, version_line)) = para.version.filter(|(v, _)| !v.is_empty()) else {
        return Err(ImportError::invalid(
            file,
            Location::Line(name_line),
            format!("installed package {name} has no Version"),
        ));
    };
    // Neither can hold whitespace in dpkg; one that does means a damaged or hand-edited file.
    for (what, value, line) in [
        ("Package", name, name_line),
        ("Version", version, version_line),
    ] {
        if value.contains(char::is_whitespace) {
            return Err(ImportError::invalid(
                file,
                Location::Line(line),
                format!("{what} {:?} contains whitespace", truncate(value)),
            ));
        }
    }
    let (source_name, source_version) = match para.source {
        Some((value, line)) => {
            let (src, src_version) = parse_source_field(value)
                .map_err(|reason| ImportError::invalid(file, Location::Line(line), reason))?;
            (src, src_version.unwrap_or(version))
        }
        None => (name, version),
    };
    components.push(Component {
        ecosystem: Some("Debian".to_owned()),
        name: name.to_owned(),
        version: Some(version.to_owned()),
        purl: None,
        cpe: None,
        vendor: None,
        source_name: Some(source_name.to_owned()),
        source_version: Some(source_version.to_owned()),
        source: Source {
            file: file.to_owned(),
            location: Location::Line(name_line),
        },
    });
    Ok(())
}

/// Whether a `Status` value (`want flag status`) describes an installed package.
///
/// # Errors
/// The reason, when the value is not three words or the state is not one dpkg knows.
pub(crate) fn is_installed(status: &str) -> Result<bool, String> {
    let words: Vec<&str> = status.split_whitespace().collect();
    let [_want, _flag, state] = words.as_slice() else {
        return Err(format!(
            "Status {:?} is not three words (want, flag, state), as in `install ok installed`",
            truncate(status)
        ));
    };
    if !STATES.contains(state) {
        return Err(format!(
            "Status state {:?} is not one dpkg knows ({})",
            truncate(state),
            STATES.join(", ")
        ));
    }
    Ok(*state == "installed")
}

/// Splits a `Source` field: `foo` gives (`foo`, None), `foo (1.2-3)` gives (`foo`, `1.2-3`).
///
/// # Errors
/// The reason, for an empty name, a name with spaces, or unbalanced parentheses.
pub(crate) fn parse_source_field(value: &str) -> Result<(&str, Option<&str>), String> {
    let value = value.trim();
    let (name, version) = match value.split_once('(') {
        None => (value, None),
        Some((name, rest)) => {
            let Some(version) = rest.trim_end().strip_suffix(')') else {
                return Err(format!(
                    "Source {:?} has `(` without a closing `)`",
                    truncate(value)
                ));
            };
            let version = version.trim();
            if version.is_empty()
                || version.contains(['(', ')'])
                || version.contains(char::is_whitespace)
            {
                return Err(format!(
                    "Source {:?}: the version in parentheses is empty or malformed",
                    truncate(value)
                ));
            }
            (name.trim(), Some(version))
        }
    };
    if name.is_empty() || name.contains(char::is_whitespace) || name.contains(')') {
        return Err(format!(
            "Source {:?} does not start with a package name",
            truncate(value)
        ));
    }
    Ok((name, version))
}

/// deb822 field names: printable ASCII without spaces or colons, not starting with `#` or `-`.
fn valid_field_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with(['#', '-'])
        && name.bytes().all(|b| b.is_ascii_graphic() && b != b':')
}

/// Keeps quoted input in messages short.
pub(crate) fn truncate(s: &str) -> &str {
    const MAX: usize = 80;
    match s.char_indices().nth(MAX) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_ok(text: &str) -> Vec<Component> {
        match parse("status", text) {
            Ok(c) => c,
            Err(e) => panic!("unexpected error: {e}"),
        }
    }

    fn parse_err(text: &str) -> ImportError {
        match parse("status", text) {
            Ok(c) => panic!("expected an error, got {c:?}"),
            Err(e) => e,
        }
    }

    const SAMPLE: &str = "\
Package: bash
Essential: yes
Status: install ok installed
Priority: required
Architecture: amd64
Version: 5.2.15-2+b7
Source: bash (5.2.15-2)
Description: GNU Bourne Again SHell
 Bash is an sh-compatible command language interpreter.
 .
 More text.

Package: libssl3
Status: hold ok installed
Architecture: amd64
Source: openssl
Version: 3.0.15-1~deb12u1

Package: oldpkg
Status: deinstall ok config-files
Architecture: amd64
Version: 1.0-1

Package: adduser
Status: install ok installed
Architecture: all
Version: 3.134

Package: halfway
Status: install ok half-configured
Version: 2.0
";

    #[test]
    fn reads_installed_packages_with_their_source_package() {
        let c = parse_ok(SAMPLE);
        let names: Vec<&str> = c.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["bash", "libssl3", "adduser"]);

        assert_eq!(c[0].version.as_deref(), Some("5.2.15-2+b7"));
        assert_eq!(c[0].source_name.as_deref(), Some("bash"));
        assert_eq!(c[0].source_version.as_deref(), Some("5.2.15-2"));
        assert_eq!(c[0].ecosystem.as_deref(), Some("Debian"));
        assert_eq!(c[0].source.location, Location::Line(1));
        assert_eq!(c[0].purl, None);

        assert_eq!(c[1].source_name.as_deref(), Some("openssl"));
        assert_eq!(c[1].source_version.as_deref(), Some("3.0.15-1~deb12u1"));
        assert_eq!(c[1].source.location, Location::Line(13));

        assert_eq!(c[2].source_name.as_deref(), Some("adduser"));
        assert_eq!(c[2].source_version.as_deref(), Some("3.134"));
        assert_eq!(c[2].source.location, Location::Line(24));
    }

    #[test]
    fn status_rule_is_the_third_word() {
        assert_eq!(is_installed("install ok installed"), Ok(true));
        assert_eq!(is_installed("hold ok installed"), Ok(true));
        assert_eq!(is_installed("deinstall ok installed"), Ok(true));
        assert_eq!(is_installed("install reinstreq installed"), Ok(true));
        assert_eq!(is_installed("deinstall ok config-files"), Ok(false));
        assert_eq!(is_installed("install reinstreq half-installed"), Ok(false));
        assert_eq!(is_installed("install ok unpacked"), Ok(false));
        assert_eq!(is_installed("install ok triggers-pending"), Ok(false));
        assert_eq!(is_installed("purge ok not-installed"), Ok(false));
        assert!(is_installed("install ok").is_err());
        assert!(is_installed("install ok installed extra").is_err());
        assert!(is_installed("install ok instaled").is_err());
    }

    #[test]
    fn crlf_and_extra_blank_lines_and_case_insensitive_fields() {
        let c = parse_ok(
            "\r\n\r\npackage: a\r\nSTATUS: install ok installed\r\nversion: 1\r\n\r\n \t\r\nPackage: b\nStatus: install ok installed\nVersion: 2",
        );
        assert_eq!(c.len(), 2);
        assert_eq!(c[0].name, "a");
        assert_eq!(c[0].source.location, Location::Line(3));
        assert_eq!(c[1].version.as_deref(), Some("2"));
        assert_eq!(c[1].source.location, Location::Line(8));
    }

    #[test]
    fn empty_file_has_no_packages() {
        assert!(parse_ok("").is_empty());
        assert!(parse_ok("\n\n").is_empty());
    }

    #[test]
    fn installed_package_without_version_is_located() {
        let e = parse_err(
            "Package: a\nStatus: install ok installed\nVersion: 1\n\nPackage: b\nStatus: install ok installed\nArchitecture: all\n",
        );
        assert_eq!(e.location, Some(Location::Line(5)), "{e}");
        assert!(e.reason.contains("no Version"), "{e}");
    }

    #[test]
    fn removed_package_without_version_is_fine() {
        let c = parse_ok("Package: gone\nStatus: purge ok not-installed\n");
        assert!(c.is_empty());
    }

    #[test]
    fn garbage_line_is_named() {
        let e = parse_err("Package: a\nStatus: install ok installed\nthis is not a field\n");
        assert_eq!(e.location, Some(Location::Line(3)), "{e}");
        assert!(e.reason.contains("this is not a field"), "{e}");
        let e = parse_err("Package: a\nbad name: x\n");
        assert_eq!(e.location, Some(Location::Line(2)), "{e}");
    }

    #[test]
    fn continuation_without_field_is_an_error() {
        let e = parse_err("Package: a\nStatus: install ok installed\nVersion: 1\n\n continued\n");
        assert_eq!(e.location, Some(Location::Line(5)), "{e}");
        let e = parse_err(" leading\n");
        assert_eq!(e.location, Some(Location::Line(1)), "{e}");
    }

    #[test]
    fn continuation_of_a_kept_field_is_an_error() {
        let e = parse_err("Package: a\n b\nStatus: install ok installed\nVersion: 1\n");
        assert_eq!(e.location, Some(Location::Line(2)), "{e}");
    }

    #[test]
    fn missing_package_or_status() {
        let e = parse_err("Status: install ok installed\nVersion: 1\n");
        assert_eq!(e.location, Some(Location::Line(1)), "{e}");
        let e = parse_err("\nPackage: a\nVersion: 1\n");
        assert_eq!(e.location, Some(Location::Line(2)), "{e}");
        assert!(e.reason.contains("Status"), "{e}");
        let e = parse_err("Package: a\nStatus: install ok wobbly\nVersion: 1\n");
        assert_eq!(e.location, Some(Location::Line(2)), "{e}");
    }

    #[test]
    fn whitespace_in_name_or_version_is_an_error() {
        let e = parse_err("Package: a b\nStatus: install ok installed\nVersion: 1\n");
        assert_eq!(e.location, Some(Location::Line(1)), "{e}");
        let e = parse_err("Package: a\nStatus: install ok installed\nVersion: 1 2\n");
        assert_eq!(e.location, Some(Location::Line(3)), "{e}");
    }

    #[test]
    fn duplicate_field_is_an_error() {
        let e = parse_err("Package: a\nVersion: 1\nVersion: 2\nStatus: install ok installed\n");
        assert_eq!(e.location, Some(Location::Line(3)), "{e}");
        assert!(e.reason.contains("line 2"), "{e}");
    }

    #[test]
    fn source_field_forms() {
        assert_eq!(parse_source_field("foo"), Ok(("foo", None)));
        assert_eq!(
            parse_source_field("foo (1.2-3)"),
            Ok(("foo", Some("1.2-3")))
        );
        assert_eq!(parse_source_field("foo(1:2.0)"), Ok(("foo", Some("1:2.0"))));
        assert!(parse_source_field("foo (1.2").is_err());
        assert!(parse_source_field("foo ()").is_err());
        assert!(parse_source_field("(1.0)").is_err());
        assert!(parse_source_field("").is_err());
        assert!(parse_source_field("foo bar").is_err());
        let e = parse_err("Package: a\nStatus: install ok installed\nVersion: 1\nSource: a (1\n");
        assert_eq!(e.location, Some(Location::Line(4)), "{e}");
    }

    #[test]
    fn truncate_is_char_safe() {
        let long = "é".repeat(200);
        assert_eq!(truncate(&long).chars().count(), 80);
        assert_eq!(truncate("short"), "short");
    }
}
