//! Pinned pip requirements files (`requirements.txt` as written by `pip freeze` or
//! `pip-compile`).
//!
//! Format: <https://pip.pypa.io/en/stable/reference/requirements-file-format/>, requirement
//! syntax from PEP 508. Lines are read the way pip's `req_file.py` reads them: a line ending in
//! `\` continues on the next one (unless it is a comment line), then a `#` at the start of a line
//! or after whitespace starts a comment, then the first whitespace-separated token starting with
//! `-` begins the per-requirement options (`--hash=sha256:…`, `--config-settings`).
//!
//! * `name==version` and `name===version`, with optional extras (`name[extra]==1.0`), spaces,
//!   parentheses (`name (==1.0)`) and an environment marker (`; python_version < "3.8"`),
//!   become components with ecosystem `PyPI`, the PEP 503-normalised name and purl
//!   `pkg:pypi/name@version`. The version is kept as written. Markers are not evaluated: the
//!   file does not say which interpreter it is deployed on, so every pin is listed.
//! * Anything else that names a package is refused with the line number, because matching needs
//!   exact versions: `name>=1.0`, `name~=1.0`, `name==1.*` and a bare `name` are "not pinned".
//! * Skipped, because they name no registry release: option lines (`-r`/`--requirement` and
//!   `-c`/`--constraint` — referenced files are not followed; import them separately — `-e`/
//!   `--editable` (a local or VCS checkout, usually the application itself), `--index-url`,
//!   `--extra-index-url`, `-f`/`--find-links`, `--hash` alone and every other option), direct
//!   references (`name @ https://…`, `name @ file:///…`), and bare URLs, VCS specs
//!   (`git+https://…`), paths and archive files. The model has no place for import notes, so
//!   these skips are documented here rather than reported.
//!
//! Location: the line where the (possibly continued) requirement starts.

use super::{component, inventory, pep503, purl};
use crate::model::{Component, Location};
use crate::{Format, ImportError, Inventory};

const UNPINNED: &str = "weerbaar needs exact versions — use pip freeze or pip-compile";

/// Imports a pinned pip requirements file.
///
/// # Errors
/// Invalid UTF-8, a requirement that is not pinned to one version, or a line that is not a
/// requirement at all.
pub fn import(file: &str, bytes: &[u8]) -> Result<Inventory, ImportError> {
    let text = crate::formats::utf8(file, bytes)?;
    let mut components = Vec::new();
    for (line_no, line) in logical_lines(text) {
        let line = strip_comment(&line);
        let line = line.trim();
        if line.is_empty() || line.starts_with('-') {
            continue;
        }
        // pip's `break_args_options`: the requirement ends at the first option token.
        let requirement = line
            .split_whitespace()
            .take_while(|token| !token.starts_with('-'))
            .collect::<Vec<_>>()
            .join(" ");
        if let Some(c) = parse_requirement(file, line_no, &requirement)? {
            components.push(c);
        }
    }
    Ok(inventory(Format::Requirements, components))
}

/// Joins `\`-continued lines; yields each logical line with the number of its first line.
fn logical_lines(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut pending: Option<(usize, String)> = None;
    for (index, line) in text.lines().enumerate() {
        let line_no = index + 1;
        let comment_line = line.trim_start().starts_with('#');
        if line.ends_with('\\') && !comment_line {
            let part = line.trim_end_matches('\\');
            match &mut pending {
                Some((_, joined)) => joined.push_str(part),
                None => pending = Some((line_no, part.to_owned())),
            }
            continue;
        }
        match pending.take() {
            Some((first, mut joined)) => {
                // A comment line ends a continuation; pip keeps it separate from the joined part.
                if comment_line {
                    joined.push(' ');
                }
                joined.push_str(line);
                out.push((first, joined));
            }
            None => out.push((line_no, line.to_owned())),
        }
    }
    if let Some(last) = pending {
        out.push(last);
    }
    out
}

/// Drops a `#` comment that starts the line or follows whitespace (`#egg=` in a URL survives).
fn strip_comment(line: &str) -> &str {
    let mut previous_is_space = true;
    for (i, c) in line.char_indices() {
        if c == '#' && previous_is_space {
            return line.get(..i).unwrap_or(line);
        }
        previous_is_space = c.is_whitespace();
    }
    line
}

fn parse_requirement(
    file: &str,
    line_no: usize,
    requirement: &str,
) -> Result<Option<Component>, ImportError> {
    let location = || Location::Line(line_no);
    let before_marker = requirement.split(';').next().unwrap_or_default().trim();
    let lower = before_marker.to_ascii_lowercase();
    let is_url_or_path = before_marker.starts_with(['.', '/', '~', '\\'])
        || lower.contains("://")
        || lower.starts_with("file:")
        || [".whl", ".tar.gz", ".zip", ".tar.bz2", ".tgz"]
            .iter()
            .any(|ext| lower.ends_with(ext));
    if is_url_or_path {
        return Ok(None);
    }

    let name_len = requirement
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')))
        .unwrap_or(requirement.len());
    let (raw_name, rest) = requirement.split_at(name_len);
    if raw_name.is_empty()
        || !raw_name.starts_with(|c: char| c.is_ascii_alphanumeric())
        || !raw_name.ends_with(|c: char| c.is_ascii_alphanumeric())
    {
        return Err(ImportError::invalid(
            file,
            location(),
            format!("{requirement:?} is not a requirement (PEP 508 name==version)"),
        ));
    }
    let mut rest = rest.trim_start();
    if let Some(extras) = rest.strip_prefix('[') {
        let Some(end) = extras.find(']') else {
            return Err(ImportError::invalid(
                file,
                location(),
                format!("{requirement:?}: extras are not closed with ']'"),
            ));
        };
        rest = extras.get(end + 1..).unwrap_or_default().trim_start();
    }
    if rest.starts_with('@') {
        return Ok(None); // PEP 508 direct reference: `name @ https://…`
    }
    let spec = rest.split(';').next().unwrap_or_default().trim();
    let spec = spec
        .strip_prefix('(')
        .and_then(|s| s.strip_suffix(')'))
        .unwrap_or(spec)
        .trim();
    let exact = spec.split(',').map(str::trim).find_map(|clause| {
        if let Some(version) = clause.strip_prefix("===") {
            Some(version.trim())
        } else {
            clause
                .strip_prefix("==")
                .map(str::trim)
                .filter(|v| !v.contains('*'))
        }
    });
    let Some(version) = exact.filter(|v| !v.is_empty() && !v.contains(char::is_whitespace)) else {
        return Err(ImportError::invalid(
            file,
            location(),
            format!("requirement {requirement:?} is not pinned; {UNPINNED}"),
        ));
    };
    let name = pep503(raw_name);
    let purl = purl("pypi", None, &name, version, &[]);
    Ok(Some(component(
        file,
        location(),
        name,
        Some(version.to_owned()),
        Some(("PyPI", purl)),
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    const PIP_COMPILE: &str = r#"#
# This file is autogenerated by pip-compile with Python 3.11
# by the following command:
#
#    pip-compile --generate-hashes requirements.in
#
--index-url https://pypi-proxy.example-gemeente.be/simple
--extra-index-url https://pypi.example/simple

certifi==2024.2.2 \
    --hash=sha256:0569859f95fc761b18b45ef421b1290a0f65f147e92a1e5eb3e635f9a5e4e66f \
    --hash=sha256:dc383c07b76109f368f6106eee2b593b04a011ea4d55f652c6ca24a754d1cdd1
    # via requests
Django_Rest.Framework[async] == 3.14.0 ; python_version >= "3.8"  # pinned for API
requests (==2.31.0)
typing-extensions===4.9.0
backports.zoneinfo==0.2.1; python_version < "3.9"
-r base.txt
-c constraints.txt
-e git+https://github.com/example/loket.git@v1.2#egg=loket
-e .
internal-lib @ git+https://github.com/example/internal-lib.git@v2.0
local-wheel @ file:///opt/wheels/local_wheel-1.0-py3-none-any.whl
./vendor/thing-1.0.tar.gz
https://example.org/pkg-1.0.zip#egg=pkg
"#;

    #[test]
    fn pip_compile_output() {
        let inv = import("requirements.txt", PIP_COMPILE.as_bytes()).expect("import");
        let c = &inv.assets[0].components;
        let got: Vec<(&str, Option<&str>, Option<&str>, &Location)> = c
            .iter()
            .map(|c| {
                (
                    c.name.as_str(),
                    c.version.as_deref(),
                    c.purl.as_deref(),
                    &c.source.location,
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                (
                    "certifi",
                    Some("2024.2.2"),
                    Some("pkg:pypi/certifi@2024.2.2"),
                    &Location::Line(10)
                ),
                (
                    "django-rest-framework",
                    Some("3.14.0"),
                    Some("pkg:pypi/django-rest-framework@3.14.0"),
                    &Location::Line(14)
                ),
                (
                    "requests",
                    Some("2.31.0"),
                    Some("pkg:pypi/requests@2.31.0"),
                    &Location::Line(15)
                ),
                (
                    "typing-extensions",
                    Some("4.9.0"),
                    Some("pkg:pypi/typing-extensions@4.9.0"),
                    &Location::Line(16)
                ),
                (
                    "backports-zoneinfo",
                    Some("0.2.1"),
                    Some("pkg:pypi/backports-zoneinfo@0.2.1"),
                    &Location::Line(17)
                ),
            ]
        );
        assert!(c.iter().all(|c| c.ecosystem.as_deref() == Some("PyPI")));
    }

    #[test]
    fn unpinned_requirements_are_errors() {
        for (text, line) in [
            ("a==1.0\nflask>=2.0\n", 2),
            ("flask\n", 1),
            ("# c\n\nflask~=2.0  # comment\n", 3),
            ("flask==2.*\n", 1),
            ("flask==\n", 1),
            ("flask[async]\n", 1),
        ] {
            let err = import("requirements.txt", text.as_bytes()).expect_err(text);
            assert_eq!(err.location, Some(Location::Line(line)), "{text:?}: {err}");
            assert!(err.reason.contains("not pinned"), "{err}");
            assert!(err.reason.contains("pip freeze"), "{err}");
        }
    }

    #[test]
    fn garbage_is_an_error() {
        let err = import("requirements.txt", "ok==1\n!!!\n".as_bytes()).expect_err("garbage");
        assert_eq!(err.location, Some(Location::Line(2)));
        let err = import("requirements.txt", b"a[b==1\n").expect_err("extras");
        assert_eq!(err.location, Some(Location::Line(1)));
        let err = import("requirements.txt", b"-name==1\nname-==1\n").expect_err("name");
        assert_eq!(err.location, Some(Location::Line(2)));
    }

    #[test]
    fn continuation_to_end_of_file_and_crlf() {
        let inv =
            import("requirements.txt", b"a==1 \\\r\n  --hash=sha256:00 \\\r\n").expect("import");
        assert_eq!(inv.component_count(), 1);
        let inv = import("requirements.txt", b"a==1\r\nb==2\r\n").expect("import");
        assert_eq!(inv.assets[0].components[1].version.as_deref(), Some("2"));
    }

    #[test]
    fn comment_rules() {
        assert_eq!(strip_comment("a==1 # x"), "a==1 ");
        assert_eq!(strip_comment("# x"), "");
        assert_eq!(strip_comment("https://x/y#egg=z"), "https://x/y#egg=z");
    }
}
