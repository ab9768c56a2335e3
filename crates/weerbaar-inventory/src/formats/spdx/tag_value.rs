//! The SPDX tag-value serialisation (SPDX 2.3 Annex "SPDX tag-value format").
//!
//! Every line is `Tag: Value`, split at the first colon (values such as `Organization: X` or URLs
//! contain more). A value that starts with `<text>` runs until the next `</text>`, possibly many
//! lines later; its lines are never read as tags, whatever they look like. Blank lines and lines
//! starting with `#` are comments.
//!
//! The format has no nesting: `PackageName` opens a package, and the package's fields follow
//! until `FileName`, `SnippetSPDXID`, `LicenseID` or the next `PackageName` opens something else.
//! `SPDXID` therefore belongs to whatever was opened last (the document before anything is).
//! Relationships and annotations may appear anywhere and do not close a package. Package fields
//! read here that appear outside a package are errors: the file is malformed, and attributing
//! them to the wrong package would be worse than refusing it. Unknown tags are skipped so newer
//! producers keep working.

use std::borrow::Cow;

use super::{Document, ExternalRef, Package, Relationship, check_version};
use crate::ImportError;
use crate::model::Location;

/// What the lines being read belong to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Section {
    Document,
    /// The package at this index of `packages`.
    Package(usize),
    /// A file, snippet or extracted licence: nothing read here belongs to it.
    Other,
}

/// A package being read; its SPDXID may come on any later line of its section.
struct Pending {
    package: Package,
    id: Option<String>,
    line: usize,
}

pub(super) fn parse(file: &str, bytes: &[u8]) -> Result<Document, ImportError> {
    let text = crate::formats::utf8(file, bytes)?;
    let syntax =
        |line: usize, reason: String| ImportError::syntax(file, Location::Line(line), reason);
    let invalid =
        |line: usize, reason: String| ImportError::invalid(file, Location::Line(line), reason);

    let mut version_seen = false;
    let mut document_id = None;
    let mut name = None;
    let mut pending: Vec<Pending> = Vec::new();
    let mut relationships = Vec::new();
    let mut section = Section::Document;

    let mut lines = text.split('\n').enumerate();
    while let Some((index, raw)) = lines.next() {
        let number = index + 1;
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let Some((tag, rest)) = line.split_once(':') else {
            return Err(syntax(
                number,
                format!(
                    "expected `Tag: Value`, found a line without ':': {:?}",
                    clip(line)
                ),
            ));
        };
        let tag = tag.trim_end();
        if tag.is_empty() || !tag.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(syntax(
                number,
                format!(
                    "expected `Tag: Value`, but {:?} is not a tag (text running over several \
                     lines must be wrapped in <text>...</text>)",
                    clip(tag)
                ),
            ));
        }
        let rest = rest.trim();
        let value: Cow<'_, str> = match rest.strip_prefix("<text>") {
            None => Cow::Borrowed(rest),
            Some(after) => match after.split_once("</text>") {
                Some((inner, _)) => Cow::Borrowed(inner.trim()),
                None => {
                    let mut buffer = after.to_owned();
                    loop {
                        let Some((_, next)) = lines.next() else {
                            return Err(syntax(
                                number,
                                format!(
                                    "the <text> value of {tag} that begins here is never closed with </text>"
                                ),
                            ));
                        };
                        buffer.push('\n');
                        if let Some((inner, _)) = next.split_once("</text>") {
                            buffer.push_str(inner);
                            break;
                        }
                        buffer.push_str(next);
                    }
                    Cow::Owned(buffer.trim().to_owned())
                }
            },
        };
        let value = value.as_ref();

        let current = |what: &str| match section {
            Section::Package(i) => pending
                .get(i)
                .map(|_| i)
                .ok_or_else(|| invalid(number, format!("{what} outside a package"))),
            _ => Err(invalid(
                number,
                format!("{what} outside a package (no PackageName before it)"),
            )),
        };
        match tag {
            "SPDXVersion" => {
                check_version(value).map_err(|reason| invalid(number, reason))?;
                version_seen = true;
            }
            "DocumentName" => name = Some(value.to_owned()),
            "SPDXID" => match section {
                Section::Document => document_id = Some(value.to_owned()),
                Section::Package(i) => {
                    if let Some(p) = pending.get_mut(i) {
                        p.id = Some(value.to_owned());
                    }
                }
                Section::Other => {}
            },
            "PackageName" => {
                if value.is_empty() {
                    return Err(invalid(number, "empty PackageName".to_owned()));
                }
                section = Section::Package(pending.len());
                pending.push(Pending {
                    package: Package {
                        id: String::new(),
                        name: value.to_owned(),
                        version: None,
                        supplier: None,
                        originator: None,
                        purpose: None,
                        source_info: None,
                        refs: Vec::new(),
                        location: Location::Line(number),
                    },
                    id: None,
                    line: number,
                });
            }
            "FileName" | "SnippetSPDXID" | "LicenseID" => section = Section::Other,
            "PackageVersion"
            | "PackageSupplier"
            | "PackageOriginator"
            | "PrimaryPackagePurpose"
            | "PackageSourceInfo" => {
                let i = current(tag)?;
                if let Some(p) = pending.get_mut(i) {
                    let slot = match tag {
                        "PackageVersion" => &mut p.package.version,
                        "PackageSupplier" => &mut p.package.supplier,
                        "PackageOriginator" => &mut p.package.originator,
                        "PrimaryPackagePurpose" => &mut p.package.purpose,
                        _ => &mut p.package.source_info,
                    };
                    *slot = Some(value.to_owned());
                }
            }
            "ExternalRef" => {
                let i = current(tag)?;
                let mut words = value.split_whitespace();
                let (Some(category), Some(kind), Some(locator)) =
                    (words.next(), words.next(), words.next())
                else {
                    return Err(invalid(
                        number,
                        format!(
                            "ExternalRef needs `CATEGORY TYPE LOCATOR`, found {:?}",
                            clip(value)
                        ),
                    ));
                };
                if let Some(p) = pending.get_mut(i) {
                    p.package.refs.push(ExternalRef {
                        category: category.to_owned(),
                        kind: kind.to_owned(),
                        locator: locator.to_owned(),
                        location: Location::Line(number),
                    });
                }
            }
            "Relationship" => {
                let mut words = value.split_whitespace();
                let (Some(from), Some(kind), Some(to)) = (words.next(), words.next(), words.next())
                else {
                    return Err(invalid(
                        number,
                        format!(
                            "Relationship needs `ELEMENT TYPE ELEMENT`, found {:?}",
                            clip(value)
                        ),
                    ));
                };
                relationships.push(Relationship {
                    from: from.to_owned(),
                    kind: kind.to_owned(),
                    to: to.to_owned(),
                });
            }
            _ => {}
        }
    }

    if !version_seen {
        return Err(invalid(
            1,
            "no SPDXVersion line: not an SPDX tag-value document".to_owned(),
        ));
    }
    let Some(name) = name else {
        return Err(invalid(1, "no DocumentName line".to_owned()));
    };
    let mut packages = Vec::with_capacity(pending.len());
    for p in pending {
        let Some(id) = p.id.filter(|id| !id.is_empty()) else {
            return Err(invalid(
                p.line,
                format!("package {:?} has no SPDXID", p.package.name),
            ));
        };
        packages.push(Package { id, ..p.package });
    }
    Ok(Document {
        id: document_id.unwrap_or_else(|| "SPDXRef-DOCUMENT".to_owned()),
        name,
        describes: Vec::new(),
        packages,
        relationships,
    })
}

/// At most 60 characters of a line, for error messages about possibly huge lines.
fn clip(s: &str) -> Cow<'_, str> {
    match s.char_indices().nth(60) {
        Some((end, _)) => Cow::Owned(format!("{}…", s.get(..end).unwrap_or(s))),
        None => Cow::Borrowed(s),
    }
}

#[cfg(test)]
mod tests {
    use crate::model::{AssetKind, Location};
    use crate::{ImportError, ImportErrorKind, Inventory};

    fn import(text: &str) -> Inventory {
        super::super::import_tag_value("t.spdx", text.as_bytes()).expect("imports")
    }

    fn error(text: &str) -> ImportError {
        super::super::import_tag_value("t.spdx", text.as_bytes()).expect_err("fails")
    }

    const HEADER: &str = "SPDXVersion: SPDX-2.3\nDataLicense: CC0-1.0\nSPDXID: SPDXRef-DOCUMENT\nDocumentName: doc\n";

    #[test]
    fn packages_fields_and_relationships() {
        let inv = import(&format!(
            "{HEADER}\
             Creator: Tool: x\n\
             \n\
             ##### Package: image\n\
             PackageName: debian:12\n\
             SPDXID: SPDXRef-img\n\
             PrimaryPackagePurpose: CONTAINER\n\
             Relationship: SPDXRef-DOCUMENT DESCRIBES SPDXRef-img\n\
             \n\
             PackageName: openssl\r\n\
             SPDXID: SPDXRef-openssl\n\
             PackageVersion: 3.0.11-1~deb12u2\n\
             PackageSupplier: Organization: Debian (debian@lists.example)\n\
             PackageOriginator: Person: upstream\n\
             PackageSourceInfo: built package from: openssl 3.0.11-1~deb12u2\n\
             ExternalRef: PACKAGE-MANAGER purl pkg:deb/debian/openssl@3.0.11-1~deb12u2?arch=amd64\n\
             ExternalRef: SECURITY cpe23Type cpe:2.3:a:openssl:openssl:3.0.11:*:*:*:*:*:*:*\n\
             PackageComment: <text>multi\n\
             PackageName: not-a-package\n\
             ExternalRef: PACKAGE-MANAGER purl pkg:deb/debian/evil@1\n\
             </text>\n\
             PackageName: debian\n\
             SPDXID: SPDXRef-os\n\
             PackageVersion: 12.4\n\
             PrimaryPackagePurpose: OPERATING_SYSTEM\n\
             FileName: ./x\n\
             SPDXID: SPDXRef-file\n"
        ));
        let asset = &inv.assets[0];
        assert_eq!(asset.name.as_deref(), Some("debian:12"));
        assert_eq!(asset.kind, Some(AssetKind::Host));
        let os = asset.os.as_ref().expect("os");
        assert_eq!(
            (os.id.as_str(), os.version_id.as_deref()),
            ("debian", Some("12.4"))
        );
        assert_eq!(asset.components.len(), 1, "{:#?}", asset.components);
        let c = &asset.components[0];
        assert_eq!(c.name, "openssl");
        assert_eq!(c.version.as_deref(), Some("3.0.11-1~deb12u2"));
        assert_eq!(
            c.purl.as_deref(),
            Some("pkg:deb/debian/openssl@3.0.11-1~deb12u2?arch=amd64")
        );
        assert_eq!(
            c.cpe.as_deref(),
            Some("cpe:2.3:a:openssl:openssl:3.0.11:*:*:*:*:*:*:*")
        );
        assert_eq!(c.vendor.as_deref(), Some("Debian"));
        assert_eq!(c.source_name.as_deref(), Some("openssl"));
        assert_eq!(c.source.location, Location::Line(13));
    }

    #[test]
    fn single_line_text_and_text_that_looks_like_tags() {
        let inv = import(&format!(
            "{HEADER}PackageName: a\nSPDXID: SPDXRef-a\nPackageVersion: <text>1.0</text>\n\
             PackageCopyrightText: <text>\nCopyright: me\n\nno colon here\n# not a comment\n</text>\n\
             PackageName: b\nSPDXID: SPDXRef-b\n"
        ));
        let names: Vec<_> = inv.assets[0]
            .components
            .iter()
            .map(|c| {
                (
                    c.name.as_str(),
                    c.version.as_deref(),
                    c.source.location.clone(),
                )
            })
            .collect();
        assert_eq!(
            names,
            [
                ("a", Some("1.0"), Location::Line(5)),
                ("b", None, Location::Line(14))
            ]
        );
    }

    #[test]
    fn no_description_names_the_asset_after_the_document() {
        let inv = import(&format!("{HEADER}PackageName: a\nSPDXID: SPDXRef-a\n"));
        assert_eq!(inv.assets[0].name.as_deref(), Some("doc"));
        assert_eq!(inv.component_count(), 1);
    }

    #[test]
    fn unterminated_text_names_the_line_where_it_began() {
        let err = error(&format!(
            "{HEADER}PackageName: a\nSPDXID: SPDXRef-a\nPackageComment: <text>one\ntwo\nPackageName: b\n"
        ));
        assert_eq!(err.kind, ImportErrorKind::Syntax);
        assert_eq!(err.location, Some(Location::Line(7)), "{err}");
        assert!(err.reason.contains("</text>"), "{err}");
    }

    #[test]
    fn line_without_colon_is_located() {
        let err = error(&format!("{HEADER}PackageName: a\nthis is stray text\n"));
        assert_eq!(err.location, Some(Location::Line(6)), "{err}");
        assert_eq!(err.kind, ImportErrorKind::Syntax);
        let err = error(&format!("{HEADER}Copyright (c) 2020: me\n"));
        assert_eq!(err.location, Some(Location::Line(5)), "{err}");
    }

    #[test]
    fn unknown_version_is_located() {
        let err = error("DataLicense: CC0-1.0\nSPDXVersion: SPDX-3.0\nDocumentName: x\n");
        assert_eq!(err.location, Some(Location::Line(2)), "{err}");
        assert!(err.reason.contains("\"SPDX-3.0\""), "{err}");
        let err = error("DocumentName: x\n");
        assert!(err.reason.contains("SPDXVersion"), "{err}");
        let err = error("SPDXVersion: SPDX-2.2\n");
        assert!(err.reason.contains("DocumentName"), "{err}");
    }

    #[test]
    fn package_fields_outside_a_package() {
        let err = error(&format!("{HEADER}PackageVersion: 1\n"));
        assert_eq!(err.location, Some(Location::Line(5)), "{err}");
        let err = error(&format!(
            "{HEADER}PackageName: a\nSPDXID: SPDXRef-a\nFileName: f\nExternalRef: PACKAGE-MANAGER purl pkg:x/y@1\n"
        ));
        assert_eq!(err.location, Some(Location::Line(8)), "{err}");
    }

    #[test]
    fn malformed_values_are_located() {
        let err = error(&format!(
            "{HEADER}PackageName: a\nSPDXID: SPDXRef-a\nExternalRef: PACKAGE-MANAGER purl\n"
        ));
        assert_eq!(err.location, Some(Location::Line(7)), "{err}");
        let err = error(&format!(
            "{HEADER}Relationship: SPDXRef-DOCUMENT DESCRIBES\n"
        ));
        assert_eq!(err.location, Some(Location::Line(5)), "{err}");
        let err = error(&format!("{HEADER}\n\nPackageName: a\nPackageVersion: 1\n"));
        assert_eq!(err.location, Some(Location::Line(7)), "{err}");
        assert!(err.reason.contains("SPDXID"), "{err}");
        let err = error(&format!(
            "{HEADER}PackageName: a\nSPDXID: SPDXRef-a\nExternalRef: SECURITY cpe23Type openssl\n"
        ));
        assert_eq!(err.location, Some(Location::Line(7)), "{err}");
        let err = super::super::import_tag_value("t.spdx", b"SPDXVersion: SPDX-2.3\n\xff")
            .expect_err("bad UTF-8");
        assert_eq!(err.location, Some(Location::Line(2)), "{err}");
    }

    #[test]
    fn clip_is_char_safe() {
        let long = "é".repeat(100);
        assert_eq!(super::clip(&long).chars().count(), 61);
        assert_eq!(super::clip("short"), "short");
    }
}
