//! SPDX 2.2 and 2.3 documents, in JSON and in tag-value form.
//!
//! Specification: SPDX 2.3 (<https://spdx.github.io/spdx-spec/v2.3/>), clause 6 "Document
//! creation information", clause 7 "Package information", clause 11 "Relationships between SPDX
//! elements", Annex F "External repository identifiers" and Annex "SPDX tag-value format". The
//! two serialisations are parsed by [`json`] and [`tag_value`] into one small [`Document`] model,
//! and [`assemble`] turns that into an [`Inventory`], so both forms follow the same rules.
//!
//! # Versions
//!
//! `SPDX-2.2` and `SPDX-2.3` are accepted, and `SPDX-2.1` too: the package fields read here
//! (name, version, supplier, originator, external references, relationships) have the same names
//! and meaning in 2.1. Anything else — `SPDX-2.0`, `SPDX-3.0`, a JSON-LD SPDX 3 document — is
//! refused with an error naming the version, because its structure differs and a silently empty
//! import would look like a clean bill of health.
//!
//! # What becomes what
//!
//! * **The asset** is what the document *describes*: the packages named by `documentDescribes`
//!   (JSON), or by `SPDXRef-DOCUMENT DESCRIBES x` (and `x DESCRIBED_BY SPDXRef-DOCUMENT`)
//!   relationships. When exactly one package is described, the asset is named `"<name>
//!   <versionInfo>"` (or just the name without a version); otherwise — several described
//!   packages, or none — it is named after the document (`name` / `DocumentName`).
//! * **Its kind** comes from the described package's `primaryPackagePurpose` (2.3):
//!   `CONTAINER` and `OPERATING-SYSTEM` → host, `APPLICATION` → application, `DEVICE` and
//!   `FIRMWARE` → appliance. Trivy's SPDX 2.2 output has no purpose field but names its root
//!   `SPDXRef-ContainerImage-…`, which is recognised as a container (host) too. When nothing says
//!   what the asset is but the document contains an operating system, the asset is a host.
//! * **The operating system** is the first package with purpose `OPERATING-SYSTEM`, or — for
//!   trivy's SPDX 2.2 output, which lacks the purpose — an `SPDXRef-OperatingSystem-…` package
//!   (`{"name": "centos", "versionInfo": "7.6.1810"}` → os `centos` `7.6.1810`). OS packages are
//!   never components: the distribution release is carried by the asset's `os`.
//! * **Components** are all other packages, in document order, except:
//!   - the single described package, unless a purl or CPE identifies it as a real, matchable
//!     package (an SBOM *of* `tools-java` with `pkg:github/spdx/tools-java@…` is also a
//!     component, so advisories for tools-java itself are found) and it is not a container
//!     image or OS (trivy gives images `pkg:oci/…` purls that no advisory is keyed by);
//!   - grouping nodes: a package with no version, no purl and no CPE that `CONTAINS` another
//!     package (trivy's per-lockfile `Manifest.toml` "application" node). It is a folder, not
//!     installed software.
//!
//!   When several packages are described, each of them is a component (the document is a list,
//!   such as the three Go modules of spdx-examples' example 7). Files and snippets are not
//!   packages and are ignored: a files-only document imports with zero components.
//!
//! # Component fields
//!
//! * `name` ← package name (required, non-empty); `version` ← `versionInfo` / `PackageVersion`.
//! * `purl` ← the first external reference with category `PACKAGE-MANAGER` (2.3) or
//!   `PACKAGE_MANAGER` (2.2 JSON) and type `purl`, exactly as written.
//! * `cpe` ← a `SECURITY` reference of type `cpe23Type`, else `cpe22Type`. CPE 2.2 URIs
//!   (`cpe:/a:vendor:product:1.0`) are converted to the CPE 2.3 formatted string the model holds,
//!   by the URI unbinding of NISTIR 7695 §6.1.3 and the formatted-string binding of §6.2.2; a
//!   value that is neither form is an error, because it cannot be matched and would otherwise
//!   vanish silently.
//! * `vendor` ← `supplier` (the NTIA "supplier name"), else `originator`, with the
//!   `Organization: ` / `Person: ` prefix and a trailing `(email)` removed; `NOASSERTION` gives
//!   none.
//! * `source_name`/`source_version` ← trivy's `sourceInfo` convention `built package from: NAME
//!   VERSION` (the source RPM/deb that Red Hat and Debian advisories are keyed by). Other
//!   `sourceInfo` prose is ignored.
//! * `ecosystem` is left empty: SPDX never states an OSV ecosystem, and deriving one from the
//!   purl is the shared enrichment step's job.
//! * Location: `$.packages[12]` (JSON) or the line of `PackageName:` (tag-value).
//!
//! `NOASSERTION` and `NONE` are treated as absent wherever a value is read.

mod json;
mod tag_value;

use std::collections::{HashMap, HashSet};

use crate::model::{AssetKind, Component, Location, OperatingSystem, Source};
use crate::{Format, ImportError, ImportedAsset, Inventory};

/// Imports an SPDX 2.2/2.3 JSON document.
///
/// # Errors
/// A located [`ImportError`] for malformed JSON, a field of the wrong type, an unsupported
/// `spdxVersion`, a missing required field or an unusable CPE.
pub fn import_json(file: &str, bytes: &[u8]) -> Result<Inventory, ImportError> {
    let document = json::parse(file, bytes)?;
    assemble(file, Format::SpdxJson, &document)
}

/// Imports an SPDX 2.2/2.3 tag-value document.
///
/// # Errors
/// A located [`ImportError`] naming the line: a line that is not `Tag: Value`, an unterminated
/// `<text>` (the line where it began), an unsupported `SPDXVersion`, a package field outside a
/// package, a missing required field or an unusable CPE.
pub fn import_tag_value(file: &str, bytes: &[u8]) -> Result<Inventory, ImportError> {
    let document = tag_value::parse(file, bytes)?;
    assemble(file, Format::SpdxTagValue, &document)
}

/// The SPDX versions whose package model this importer reads.
const SUPPORTED_VERSIONS: &[&str] = &["SPDX-2.1", "SPDX-2.2", "SPDX-2.3"];

/// Checks an `spdxVersion` / `SPDXVersion` value; the error reason names the version found.
fn check_version(version: &str) -> Result<(), String> {
    if SUPPORTED_VERSIONS.contains(&version.trim()) {
        Ok(())
    } else {
        Err(format!(
            "unsupported SPDX version {:?}; this importer reads SPDX-2.2 and SPDX-2.3 (and SPDX-2.1)",
            version.trim()
        ))
    }
}

/// One SPDX document, reduced to what an inventory needs; both serialisations produce it.
#[derive(Debug, Default)]
struct Document {
    /// The document's own SPDX identifier, the subject of its `DESCRIBES` relationships.
    id: String,
    name: String,
    /// `documentDescribes` (JSON only; deprecated in 2.3 but still written by many tools).
    describes: Vec<String>,
    packages: Vec<Package>,
    relationships: Vec<Relationship>,
}

#[derive(Debug)]
struct Package {
    id: String,
    name: String,
    version: Option<String>,
    supplier: Option<String>,
    originator: Option<String>,
    purpose: Option<String>,
    source_info: Option<String>,
    refs: Vec<ExternalRef>,
    location: Location,
}

#[derive(Debug)]
struct ExternalRef {
    category: String,
    kind: String,
    locator: String,
    /// Where the reference is written, for errors about its locator.
    location: Location,
}

#[derive(Debug)]
struct Relationship {
    from: String,
    kind: String,
    to: String,
}

/// A value, unless it is empty or one of SPDX's "no value" keywords.
fn present(value: Option<&str>) -> Option<String> {
    let value = value?.trim();
    if value.is_empty() || value == "NOASSERTION" || value == "NONE" {
        None
    } else {
        Some(value.to_owned())
    }
}

/// An SPDX category or purpose keyword, so `PACKAGE_MANAGER` (2.2 JSON) and `package-manager`
/// compare equal to `PACKAGE-MANAGER`.
fn keyword(value: &str) -> String {
    value.trim().to_ascii_uppercase().replace('_', "-")
}

/// The name in a supplier/originator value: `Organization: ACME (a@acme.example)` → `ACME`.
fn party_name(value: Option<&str>) -> Option<String> {
    let value = present(value)?;
    let mut name = value.as_str();
    for prefix in ["Organization:", "Person:", "Tool:"] {
        if let Some(rest) = name.strip_prefix(prefix) {
            name = rest.trim();
            break;
        }
    }
    // The optional contact is `(email)`; a name may itself contain parentheses ("ACME
    // (Europe)"), so only a final group that looks like an address (or is empty) is dropped.
    if let Some(open) = name.rfind('(') {
        let (head, tail) = name.split_at(open);
        let inner = tail
            .strip_prefix('(')
            .and_then(|t| t.strip_suffix(')'))
            .map(str::trim);
        if inner.is_some_and(|i| i.is_empty() || i.contains('@')) {
            name = head.trim_end();
        }
    }
    present(Some(name))
}

/// Trivy's `sourceInfo`: `built package from: bash 4.2.46-31.el7` → (`bash`, `4.2.46-31.el7`).
fn source_package(source_info: Option<&str>) -> (Option<String>, Option<String>) {
    let Some(rest) = source_info.and_then(|s| s.trim().strip_prefix("built package from:")) else {
        return (None, None);
    };
    let mut words = rest.split_whitespace();
    match (words.next(), words.next(), words.next()) {
        (Some(name), version, None) => (Some(name.to_owned()), version.map(str::to_owned)),
        _ => (None, None),
    }
}

/// What a package's purpose (or trivy's SPDXID convention) says about it.
fn purpose_of(package: &Package) -> Option<String> {
    if let Some(purpose) = package.purpose.as_deref().and_then(|p| present(Some(p))) {
        return Some(keyword(&purpose));
    }
    // Trivy's SPDX 2.2 output predates primaryPackagePurpose and encodes the role in the id.
    if package.id.starts_with("SPDXRef-OperatingSystem-") {
        Some("OPERATING-SYSTEM".to_owned())
    } else if package.id.starts_with("SPDXRef-ContainerImage-") {
        Some("CONTAINER".to_owned())
    } else {
        None
    }
}

fn kind_of_purpose(purpose: &str) -> Option<AssetKind> {
    match purpose {
        "CONTAINER" | "OPERATING-SYSTEM" => Some(AssetKind::Host),
        "APPLICATION" => Some(AssetKind::Application),
        "DEVICE" | "FIRMWARE" => Some(AssetKind::Appliance),
        _ => None,
    }
}

/// The identifiers read from a package's external references.
struct Identifiers {
    purl: Option<String>,
    cpe: Option<String>,
}

fn identifiers(file: &str, package: &Package) -> Result<Identifiers, ImportError> {
    let mut purl = None;
    let mut cpe23 = None;
    let mut cpe22 = None;
    for reference in &package.refs {
        let category = keyword(&reference.category);
        let kind = reference.kind.trim();
        let Some(locator) = present(Some(&reference.locator)) else {
            continue;
        };
        match (category.as_str(), kind) {
            ("PACKAGE-MANAGER", "purl") if purl.is_none() => purl = Some(locator),
            ("SECURITY", "cpe23Type" | "cpe22Type") => {
                let slot = if kind == "cpe23Type" {
                    &mut cpe23
                } else {
                    &mut cpe22
                };
                if slot.is_none() {
                    let formatted = normalise_cpe(&locator).map_err(|reason| {
                        ImportError::invalid(file, reference.location.clone(), reason)
                    })?;
                    *slot = Some(formatted);
                }
            }
            _ => {}
        }
    }
    Ok(Identifiers {
        purl,
        cpe: cpe23.or(cpe22),
    })
}

/// Turns a parsed document into an inventory of one asset, following the rules in the module
/// documentation.
fn assemble(file: &str, format: Format, document: &Document) -> Result<Inventory, ImportError> {
    let packages = &document.packages;
    let mut index: HashMap<&str, usize> = HashMap::with_capacity(packages.len());
    for (i, package) in packages.iter().enumerate() {
        index.entry(package.id.as_str()).or_insert(i);
    }

    let mut described = Vec::new();
    let mut seen = HashSet::new();
    let mut describe = |id: &str| {
        // No let-chain: the workspace's minimum Rust is 1.85.
        if let Some(&i) = index.get(id.trim())
            && seen.insert(i)
        {
            described.push(i);
        }
    };
    for id in &document.describes {
        describe(id);
    }
    let mut containers = HashSet::new();
    for r in &document.relationships {
        let (from, to) = (r.from.trim(), r.to.trim());
        match keyword(&r.kind).as_str() {
            "DESCRIBES" if from == document.id => describe(to),
            "DESCRIBED-BY" if to == document.id => describe(from),
            "CONTAINS" if index.contains_key(to) => {
                containers.extend(index.get(from).copied());
            }
            "CONTAINED-BY" if index.contains_key(from) => {
                containers.extend(index.get(to).copied());
            }
            _ => {}
        }
    }
    let root = match described.as_slice() {
        [only] => Some(*only),
        _ => None,
    };

    let purposes: Vec<Option<String>> = packages.iter().map(purpose_of).collect();
    let is_os = |i: usize| {
        purposes
            .get(i)
            .is_some_and(|p| p.as_deref() == Some("OPERATING-SYSTEM"))
    };

    let os = (0..packages.len())
        .find(|&i| is_os(i))
        .and_then(|i| packages.get(i))
        .map(|p| OperatingSystem {
            id: p.name.trim().to_ascii_lowercase(),
            version_id: present(p.version.as_deref()),
            ..OperatingSystem::default()
        });

    let root_package = root.and_then(|i| packages.get(i));
    let name = match root_package {
        Some(p) => Some(match present(p.version.as_deref()) {
            Some(version) => format!("{} {version}", p.name.trim()),
            None => p.name.trim().to_owned(),
        }),
        None => present(Some(&document.name)),
    };
    let kind = root
        .and_then(|i| purposes.get(i))
        .and_then(|p| p.as_deref().and_then(kind_of_purpose))
        .or(os.as_ref().map(|_| AssetKind::Host));

    let mut components = Vec::with_capacity(packages.len());
    for (i, package) in packages.iter().enumerate() {
        if is_os(i) {
            continue;
        }
        let ids = identifiers(file, package)?;
        let version = present(package.version.as_deref());
        let identified = ids.purl.is_some() || ids.cpe.is_some();
        if Some(i) == root {
            let image = purposes
                .get(i)
                .is_some_and(|p| p.as_deref() == Some("CONTAINER"));
            if !identified || image {
                continue;
            }
        } else if !identified && version.is_none() && containers.contains(&i) {
            continue;
        }
        let (source_name, source_version) = source_package(package.source_info.as_deref());
        components.push(Component {
            ecosystem: None,
            name: package.name.trim().to_owned(),
            version,
            purl: ids.purl,
            cpe: ids.cpe,
            vendor: party_name(package.supplier.as_deref())
                .or_else(|| party_name(package.originator.as_deref())),
            source_name,
            source_version,
            source: Source {
                file: file.to_owned(),
                location: package.location.clone(),
            },
        });
    }

    Ok(Inventory::single(
        format,
        ImportedAsset {
            name,
            kind,
            os,
            components,
            ..ImportedAsset::default()
        },
    ))
}

/// A CPE as the CPE 2.3 formatted string: 2.3 strings are kept as written, 2.2 URIs converted.
fn normalise_cpe(value: &str) -> Result<String, String> {
    let value = value.trim();
    let starts = |prefix: &str| {
        value
            .get(..prefix.len())
            .is_some_and(|p| p.eq_ignore_ascii_case(prefix))
    };
    if starts("cpe:2.3:") {
        Ok(value.to_owned())
    } else if let Some(uri) = value.get(5..).filter(|_| starts("cpe:/")) {
        cpe_uri_to_formatted(uri)
            .map_err(|why| format!("CPE 2.2 URI {value:?} cannot be converted: {why}"))
    } else {
        Err(format!(
            "{value:?} is neither a CPE 2.3 formatted string (cpe:2.3:…) nor a CPE 2.2 URI (cpe:/…)"
        ))
    }
}

/// Converts the part of a CPE 2.2 URI after `cpe:/` (NISTIR 7695 §6.1.3 unbind, then §6.2.2
/// bind to a formatted string).
fn cpe_uri_to_formatted(uri: &str) -> Result<String, String> {
    let components: Vec<&str> = uri.split(':').collect();
    if components.len() > 7 {
        return Err("more than 7 components".to_owned());
    }
    let get = |i: usize| components.get(i).copied().unwrap_or("");
    let part = decode_uri_component(get(0))?;
    if !["a", "o", "h", "*"].contains(&part.as_str()) {
        return Err(format!("part must be a, o or h, not {part:?}"));
    }
    let mut fields = vec![part];
    for i in 1..=4 {
        fields.push(decode_uri_component(get(i))?);
    }
    // The edition may pack the four CPE 2.3 extended attributes: `~edition~sw_edition~
    // target_sw~target_hw~other`.
    let edition = get(5);
    let (edition, extended) = match edition.strip_prefix('~') {
        Some(packed) => {
            let parts: Vec<&str> = packed.split('~').collect();
            let [edition, rest @ ..] = parts.as_slice() else {
                return Err("empty packed edition".to_owned());
            };
            if rest.len() != 4 {
                return Err("a packed edition needs exactly five '~'-separated fields".to_owned());
            }
            let mut extended = Vec::with_capacity(4);
            for field in rest {
                extended.push(decode_uri_component(field)?);
            }
            (decode_uri_component(edition)?, extended)
        }
        None => (decode_uri_component(edition)?, vec!["*".to_owned(); 4]),
    };
    fields.push(edition);
    fields.push(decode_uri_component(get(6))?);
    fields.extend(extended);
    Ok(format!("cpe:2.3:{}", fields.join(":")))
}

/// One URI component as a formatted-string component: empty is ANY (`*`), `-` is NA, `%01`/`%02`
/// are the wildcards `?`/`*`, other percent-encodings are decoded, and everything but letters,
/// digits, `_`, `.` and `-` is quoted with a backslash. URIs are case-insensitive and WFN values
/// lower-case, so the result is lower-cased.
fn decode_uri_component(component: &str) -> Result<String, String> {
    if component.is_empty() {
        return Ok("*".to_owned());
    }
    if component == "-" {
        return Ok("-".to_owned());
    }
    let mut out = String::with_capacity(component.len());
    let mut chars = component.chars();
    while let Some(c) = chars.next() {
        let literal = if c == '%' {
            let hex: String = chars.by_ref().take(2).collect();
            let byte = u8::from_str_radix(&hex, 16)
                .ok()
                .filter(|_| hex.len() == 2)
                .ok_or_else(|| format!("bad percent-encoding %{hex}"))?;
            match byte {
                0x01 => {
                    out.push('?');
                    continue;
                }
                0x02 => {
                    out.push('*');
                    continue;
                }
                0x21..=0x7e => char::from(byte),
                _ => {
                    return Err(format!(
                        "percent-encoded byte %{hex} is not printable ASCII"
                    ));
                }
            }
        } else if c.is_ascii_graphic() {
            c
        } else {
            return Err(format!("invalid character {c:?}"));
        };
        let literal = literal.to_ascii_lowercase();
        if !(literal.is_ascii_alphanumeric() || matches!(literal, '_' | '.' | '-')) {
            out.push('\\');
        }
        out.push(literal);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions() {
        for ok in ["SPDX-2.1", "SPDX-2.2", "SPDX-2.3", " SPDX-2.3 "] {
            assert!(check_version(ok).is_ok(), "{ok}");
        }
        let err = check_version("SPDX-3.0").expect_err("3.0");
        assert!(err.contains("\"SPDX-3.0\""), "{err}");
        assert!(check_version("SPDX-2.0").is_err());
        assert!(check_version("").is_err());
    }

    #[test]
    fn party_names() {
        let name = |s: &str| party_name(Some(s));
        assert_eq!(
            name("Organization: SPDX (Spdx-tech@lists.spdx.org)").as_deref(),
            Some("SPDX")
        );
        assert_eq!(name("Person: Nisha Kumar").as_deref(), Some("Nisha Kumar"));
        assert_eq!(name("Person: Jane Doe ()").as_deref(), Some("Jane Doe"));
        assert_eq!(
            name("Organization: ACME (Europe)").as_deref(),
            Some("ACME (Europe)")
        );
        assert_eq!(
            name("Organization: ACME (Europe) (x@acme.example)").as_deref(),
            Some("ACME (Europe)")
        );
        assert_eq!(name("Canonical Ltd.").as_deref(), Some("Canonical Ltd."));
        assert_eq!(name("NOASSERTION"), None);
        assert_eq!(name("Organization: "), None);
        assert_eq!(name("Organization: (a@b)"), None);
        assert_eq!(party_name(None), None);
    }

    #[test]
    fn trivy_source_info() {
        assert_eq!(
            source_package(Some("built package from: bash 4.2.46-31.el7")),
            (Some("bash".into()), Some("4.2.46-31.el7".into()))
        );
        assert_eq!(
            source_package(Some("built package from: openssl")),
            (Some("openssl".into()), None)
        );
        assert_eq!(
            source_package(Some("Identified by the os/dpkg extractor")),
            (None, None)
        );
        assert_eq!(
            source_package(Some("built package from: a b c")),
            (None, None)
        );
        assert_eq!(source_package(Some("built package from:")), (None, None));
    }

    #[test]
    fn cpe_23_kept_as_written() {
        let cpe = "cpe:2.3:a:openssl:openssl:1.1.1q:*:*:*:*:*:*:*";
        assert_eq!(normalise_cpe(cpe).as_deref(), Ok(cpe));
    }

    #[test]
    fn cpe_22_uris_are_converted() {
        let convert = |s: &str| normalise_cpe(s).expect(s);
        assert_eq!(
            convert("cpe:/a:microsoft:internet_explorer:8.0.6001:beta"),
            "cpe:2.3:a:microsoft:internet_explorer:8.0.6001:beta:*:*:*:*:*:*"
        );
        assert_eq!(
            convert("CPE:/a:Apache:Log4j:2.14.1"),
            "cpe:2.3:a:apache:log4j:2.14.1:*:*:*:*:*:*:*"
        );
        assert_eq!(
            convert("cpe:/a:hp:insight_diagnostics:7.4.0.1570:-:~~online~win2003~x64~"),
            "cpe:2.3:a:hp:insight_diagnostics:7.4.0.1570:-:*:*:online:win2003:x64:*"
        );
        assert_eq!(
            convert("cpe:/a:foo%5cbar:big%24money_2010%02"),
            "cpe:2.3:a:foo\\\\bar:big\\$money_2010*:*:*:*:*:*:*:*:*"
        );
        assert_eq!(convert("cpe:/o"), "cpe:2.3:o:*:*:*:*:*:*:*:*:*:*");
        assert_eq!(
            convert("cpe:/a:vendor:prod~uct"),
            "cpe:2.3:a:vendor:prod\\~uct:*:*:*:*:*:*:*:*"
        );
    }

    #[test]
    fn bad_cpes_are_refused() {
        for bad in [
            "",
            "not a cpe",
            "cpe:/x:vendor",
            "cpe:/a:v:p:1:2:3:4:5",
            "cpe:/a:v%zz",
            "cpe:/a:v%2",
            "cpe:/a:v%80",
            "cpe:/a:v:p:1::~a~b",
            "cpe:/a:vé",
        ] {
            assert!(normalise_cpe(bad).is_err(), "{bad:?}");
        }
    }
}
