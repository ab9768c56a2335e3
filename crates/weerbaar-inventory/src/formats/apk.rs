//! Alpine's installed-package database, `/lib/apk/db/installed`.
//!
//! # Format
//!
//! apk-tools' text database (the "v2 index" format, also used for `APKINDEX`; documented in
//! apk-tools' `doc/apk-package(5)` and the Alpine wiki page *Apk spec*): one paragraph per
//! package, paragraphs separated by empty lines, each line a one-letter key, a colon and a value
//! (`P:musl`). The keys read here are `P` (package name), `V` (version, `pkgver-rREL`) and `o`
//! (origin: the aport — source package — the package was built from). The many other keys
//! (`C` checksum, `A` architecture, `T` description, `F`/`R`/`Z` file lists, ...) are accepted
//! and ignored; their values may contain colons.
//!
//! # Decisions
//!
//! * Every paragraph is an installed package: apk only lists installed ones here.
//! * The source package is the origin, with the package's own version (subpackages are built in
//!   the same `APKBUILD` run, so they share `pkgver-pkgrel`). Alpine's secdb and OSV `Alpine:*`
//!   records are keyed by origin. Without `o:`, the package is its own origin.
//! * Ecosystem `Alpine`; the release (`Alpine:v3.19`) is added later from os-release.
//! * A line that is not `X:value`, a paragraph without `P:` or `V:`, or a `P`/`V`/`o` given
//!   twice in one paragraph is an error naming the line.

use crate::formats::dpkg::truncate;
use crate::formats::utf8;
use crate::model::{Component, Location, Source};
use crate::{Format, ImportError, ImportedAsset, Inventory};

/// Imports an apk installed database.
///
/// # Errors
/// A located [`ImportError`] for malformed lines and paragraphs.
pub fn import(file: &str, bytes: &[u8]) -> Result<Inventory, ImportError> {
    let text = utf8(file, bytes)?;
    let components = parse(file, text)?;
    Ok(Inventory::single(
        Format::ApkInstalled,
        ImportedAsset {
            components,
            ..ImportedAsset::default()
        },
    ))
}

#[derive(Default)]
struct Paragraph<'a> {
    first_line: usize,
    name: Option<(&'a str, usize)>,
    version: Option<(&'a str, usize)>,
    origin: Option<(&'a str, usize)>,
}

/// Parses the database text into components, in file order.
pub(crate) fn parse(file: &str, text: &str) -> Result<Vec<Component>, ImportError> {
    let mut components = Vec::new();
    let mut paragraph: Option<Paragraph<'_>> = None;
    for (index, raw) in text.split('\n').enumerate() {
        let line_no = index + 1;
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        if line.trim().is_empty() {
            if let Some(done) = paragraph.take() {
                components.push(finish(file, &done)?);
            }
            continue;
        }
        let mut chars = line.chars();
        let (Some(key), Some(':')) = (chars.next(), chars.next()) else {
            return Err(ImportError::syntax(
                file,
                Location::Line(line_no),
                format!(
                    "expected a one-letter key and a colon (`P:musl`), found {:?}",
                    truncate(line)
                ),
            ));
        };
        if !key.is_ascii_alphanumeric() {
            return Err(ImportError::syntax(
                file,
                Location::Line(line_no),
                format!("invalid key {key:?}; keys are single letters"),
            ));
        }
        let value = chars.as_str().trim();
        let para = paragraph.get_or_insert_with(|| Paragraph {
            first_line: line_no,
            ..Paragraph::default()
        });
        let slot = match key {
            'P' => &mut para.name,
            'V' => &mut para.version,
            'o' => &mut para.origin,
            _ => continue,
        };
        if let Some((_, first)) = slot {
            return Err(ImportError::invalid(
                file,
                Location::Line(line_no),
                format!("key {key}: given twice in one package (first on line {first})"),
            ));
        }
        *slot = Some((value, line_no));
    }
    if let Some(done) = paragraph.take() {
        components.push(finish(file, &done)?);
    }
    Ok(components)
}

fn finish(file: &str, para: &Paragraph<'_>) -> Result<Component, ImportError> {
    let Some((name, name_line)) = para.name.filter(|(v, _)| !v.is_empty()) else {
        return Err(ImportError::invalid(
            file,
            Location::Line(para.name.map_or(para.first_line, |(_, l)| l)),
            "package entry has no name (P:)",
        ));
    };
    let Some((version, _)) = para.version.filter(|(v, _)| !v.is_empty()) else {
        return Err(ImportError::invalid(
            file,
            Location::Line(name_line),
            format!("package {name} has no version (V:)"),
        ));
    };
    let origin = para
        .origin
        .map(|(o, _)| o)
        .filter(|o| !o.is_empty())
        .unwrap_or(name);
    Ok(Component {
        ecosystem: Some("Alpine".to_owned()),
        name: name.to_owned(),
        version: Some(version.to_owned()),
        purl: None,
        cpe: None,
        vendor: None,
        source_name: Some(origin.to_owned()),
        source_version: Some(version.to_owned()),
        source: Source {
            file: file.to_owned(),
            location: Location::Line(name_line),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The shape apk-tools writes, abridged from an alpine:3.19 image.
    const SAMPLE: &str = "\
C:Q1Deb0jNytkrjPW4N/eKLZ43BwOlw=
P:musl
V:1.2.4_git20230717-r4
A:x86_64
S:407278
I:667648
T:the musl c library (libc) implementation
U:https://musl.libc.org/
L:MIT
o:musl
m:Natanael Copa <ncopa@alpinelinux.org>
t:1701106213
c:c2fb6a4a0d8f2ce0ba6d1c1a8e6ea2ab7ccec2d3
p:so:libc.musl-x86_64.so.1=1
F:lib
R:ld-musl-x86_64.so.1
a:0:0:755
Z:Q1ELkfNSqPd6chXzLd6uDSJzPdMVI=

C:Q1AnY6Mt6xkt1gaXO9gKjTPxQ/V6g=
P:libcrypto3
V:3.1.4-r2
A:x86_64
o:openssl
F:usr/lib
R:libcrypto.so.3

C:Q1nokeyXs0Bi6s+H1OFsBGUt8wuUg=
P:busybox-binsh
V:1.36.1-r15
";

    #[test]
    fn reads_packages_with_origin() {
        let c = match parse("installed", SAMPLE) {
            Ok(c) => c,
            Err(e) => panic!("{e}"),
        };
        assert_eq!(c.len(), 3);
        assert_eq!(c[0].name, "musl");
        assert_eq!(c[0].version.as_deref(), Some("1.2.4_git20230717-r4"));
        assert_eq!(c[0].ecosystem.as_deref(), Some("Alpine"));
        assert_eq!(c[0].source.location, Location::Line(2));
        assert_eq!(c[1].name, "libcrypto3");
        assert_eq!(c[1].source_name.as_deref(), Some("openssl"));
        assert_eq!(c[1].source_version.as_deref(), Some("3.1.4-r2"));
        assert_eq!(c[1].source.location, Location::Line(21));
        assert_eq!(c[2].source_name.as_deref(), Some("busybox-binsh"));
    }

    #[test]
    fn errors_are_located() {
        let e = parse("installed", "P:a\nV:1\nnot a line\n").err();
        assert_eq!(e.and_then(|e| e.location), Some(Location::Line(3)));
        let e = parse("installed", "P:a\nV:1\n\nC:x\nA:x86_64\n").err();
        assert_eq!(e.and_then(|e| e.location), Some(Location::Line(4)));
        let e = parse("installed", "P:a\nA:x86_64\n").err();
        assert_eq!(e.and_then(|e| e.location), Some(Location::Line(1)));
        let e = parse("installed", "P:a\nV:1\nV:2\n").err();
        assert_eq!(e.and_then(|e| e.location), Some(Location::Line(3)));
        let e = parse("installed", "P:a\n:x\n").err();
        assert_eq!(e.and_then(|e| e.location), Some(Location::Line(2)));
        let e = parse("installed", "é:a\n").err();
        assert_eq!(e.and_then(|e| e.location), Some(Location::Line(1)));
    }

    #[test]
    fn empty_database() {
        assert_eq!(parse("installed", "").ok(), Some(Vec::new()));
    }
}
