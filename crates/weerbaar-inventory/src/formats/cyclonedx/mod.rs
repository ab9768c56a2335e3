//! CycloneDX SBOMs, JSON and XML, specification versions 1.2–1.6 and 1.7.
//!
//! Specification: <https://cyclonedx.org/specification/overview/> (JSON schemas
//! `bom-1.x.schema.json`, XML schemas `bom-1.x.xsd`). Only the fields an inventory needs are read;
//! everything else (hashes, licences, dependencies, services, vulnerabilities, evidence, …) is
//! skipped without being materialised, which keeps a 100k-component BOM well under a second.
//!
//! # What is read
//!
//! * **The asset** is `metadata.component`: its `name`, and its `type` as the [`AssetKind`]
//!   (`container`, `operating-system` → host; `device`, `firmware` → appliance; `application`,
//!   `framework`, `library`, `platform` → application; other types leave the kind to the user).
//!   The asset's own version has no place in [`ImportedAsset`] and is not kept.
//! * **Components** are `components[]`, nested `components[]` inside components to any depth,
//!   and `metadata.component.components[]`; they are flattened, each keeping its JSON path
//!   (`$.components[3].components[0]`) or XML element path (`/bom/components/component[4]`,
//!   1-based like XPath). Components elsewhere — `pedigree` ancestors, `metadata.tools`,
//!   `services` — describe lineage or tooling, not what is installed, and are not imported.
//! * Per component: `name` (the CycloneDX name as given, without `group`: the separator is
//!   ecosystem-specific, `org.apache:commons` vs `@types/node`, and the purl carries both in
//!   canonical form), `version`, `purl` and `cpe` as strings exactly as written (a malformed purl
//!   is kept: rejecting or flagging it is the enrichment step's job, which also derives the
//!   ecosystem), and as vendor the first of `manufacturer.name` (1.6), `publisher`,
//!   `supplier.name`, `author` (≤1.5) and `authors[0].name` (1.6). Values are trimmed; an empty
//!   optional value counts as absent; an empty `name` is kept as given.
//! * **Source packages** come from the producers' properties, because CycloneDX has no field for
//!   them and Debian and Red Hat advisories are keyed by them: trivy's
//!   `aquasecurity:trivy:Src{Name,Version,Release,Epoch}` (composed as `epoch:version-release`)
//!   and syft's `syft:metadata:source`/`sourceVersion` (deb) and `originPackage` (apk).
//! * **The operating system** ([`ImportedAsset::os`]) comes from `metadata.component` when that is
//!   an `operating-system`, else from the first `operating-system` component with a non-empty
//!   name (trivy: `{"type":"operating-system","name":"debian","version":"12.5"}`); syft's
//!   `syft:distro:*` properties refine it. The operating-system component is also kept as a
//!   component, since an OS has advisories of its own (NVD CPEs).
//!
//! # Which component types are kept
//!
//! Types that are software are kept: `library`, `application`, `framework`, `operating-system`,
//! `container`, `firmware`, `device-driver`, `platform`, and also a missing type or one this
//! importer does not know (a later 1.x minor version may add a software type, and silently losing
//! components is worse than one extra). Types that describe no installable software are skipped:
//! `device` (hardware), `file`, `data`, `machine-learning-model`, `cryptographic-asset`. Their
//! nested components are still read.
//!
//! # Duplicates
//!
//! * **Same name, version and purl** (e.g. a library listed under two nested applications): one
//!   component is kept, the first in document order with its location; fields it lacks (cpe,
//!   vendor, source package) are filled from the later copies. A weerbaar component is "this
//!   software is installed on this asset", so two copies add nothing.
//! * **Same `bom-ref`**: the spec requires bom-refs to be unique, but real producers repeat them
//!   (osv-scanner's `with-duplicates` test). weerbaar does not resolve references (the dependency
//!   graph is not imported), so bom-refs are not read at all: identical copies collapse by the
//!   rule above, and components that differ are all kept — never dropped silently.
//!
//! # Versions and errors
//!
//! Any 1.x specification version is accepted (CycloneDX minor versions are additive, and trivy
//! already emits 1.7); another major version, a `bomFormat` other than `CycloneDX`, or an XML root
//! that is not `<bom>` in a `http://cyclonedx.org/schema/bom/1.x` namespace is refused as
//! [`ImportErrorKind::UnknownFormat`]. A BOM without components (a VEX, a SaaSBOM with services
//! only) imports as an asset with no components: it is valid CycloneDX, just not an inventory.
//! A missing component `name` or a value of the wrong type is an error at its JSON path (JSON) or
//! line (XML); XML `DOCTYPE`s are refused (see [`xml`]).

use std::borrow::Cow;
use std::collections::HashMap;
use std::hash::{BuildHasher, RandomState};

use crate::model::{AssetKind, Component, Location, OperatingSystem, Source};
use crate::{Format, ImportError, ImportErrorKind, ImportedAsset, Inventory};

mod json;
mod xml;

/// Imports a CycloneDX JSON BOM.
///
/// # Errors
/// A syntax error names the line; a value of the wrong shape names its JSON path.
pub fn import_json(file: &str, bytes: &[u8]) -> Result<Inventory, ImportError> {
    json::import(file, bytes)
}

/// Imports a CycloneDX XML BOM.
///
/// # Errors
/// Errors name the line; a `DOCTYPE` is refused with [`ImportErrorKind::Refused`].
pub fn import_xml(file: &str, bytes: &[u8]) -> Result<Inventory, ImportError> {
    xml::import(file, bytes)
}

/// Accepts every 1.x specification version and refuses the rest.
fn check_spec_version(file: &str, version: &str, location: Location) -> Result<(), ImportError> {
    let version = version.trim();
    let (major, minor) = version.split_once('.').unwrap_or((version, ""));
    let number = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !number(major) || !number(minor) {
        return Err(ImportError::invalid(
            file,
            location,
            format!("CycloneDX specification version {version:?} is not a version number"),
        ));
    }
    if major != "1" {
        return Err(ImportError::new(
            file,
            ImportErrorKind::UnknownFormat,
            format!(
                "CycloneDX specification version {version} is not supported (supported: 1.2 to 1.7)"
            ),
        )
        .at(location));
    }
    Ok(())
}

/// Component types that describe no installable software.
const SKIPPED_TYPES: &[&str] = &[
    "device",
    "file",
    "data",
    "machine-learning-model",
    "cryptographic-asset",
];

fn asset_kind(kind: &str) -> Option<AssetKind> {
    match kind {
        "container" | "operating-system" => Some(AssetKind::Host),
        "device" | "firmware" => Some(AssetKind::Appliance),
        "application" | "framework" | "library" | "platform" => Some(AssetKind::Application),
        _ => None,
    }
}

/// The vendor candidates of a component, in order of preference.
#[derive(Debug, Default)]
struct Vendors<'a> {
    manufacturer: Option<Cow<'a, str>>,
    publisher: Option<Cow<'a, str>>,
    supplier: Option<Cow<'a, str>>,
    author: Option<Cow<'a, str>>,
    first_author: Option<Cow<'a, str>>,
}

impl<'a> Vendors<'a> {
    fn best(self) -> Option<String> {
        [
            self.manufacturer,
            self.publisher,
            self.supplier,
            self.author,
            self.first_author,
        ]
        .into_iter()
        .find_map(clean)
    }
}

/// The producer properties that carry facts CycloneDX has no field for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PropKey {
    TrivySrcName,
    TrivySrcVersion,
    TrivySrcRelease,
    TrivySrcEpoch,
    SyftSource,
    SyftSourceVersion,
    SyftOriginPackage,
    DistroId,
    DistroIdLike,
    DistroPrettyName,
    DistroVersionId,
    DistroCodename,
}

impl PropKey {
    fn of(name: &str) -> Option<Self> {
        Some(match name {
            "aquasecurity:trivy:SrcName" => Self::TrivySrcName,
            "aquasecurity:trivy:SrcVersion" => Self::TrivySrcVersion,
            "aquasecurity:trivy:SrcRelease" => Self::TrivySrcRelease,
            "aquasecurity:trivy:SrcEpoch" => Self::TrivySrcEpoch,
            "syft:metadata:source" => Self::SyftSource,
            "syft:metadata:sourceVersion" => Self::SyftSourceVersion,
            "syft:metadata:originPackage" => Self::SyftOriginPackage,
            "syft:distro:id" => Self::DistroId,
            "syft:distro:prettyName" => Self::DistroPrettyName,
            "syft:distro:versionID" => Self::DistroVersionId,
            "syft:distro:versionCodename" => Self::DistroCodename,
            // syft numbers list items: `syft:distro:idLike:0`.
            n if n == "syft:distro:idLike" || n.starts_with("syft:distro:idLike:") => {
                Self::DistroIdLike
            }
            _ => return None,
        })
    }
}

#[derive(Debug, Default)]
struct Props<'a> {
    trivy_src_name: Option<Cow<'a, str>>,
    trivy_src_version: Option<Cow<'a, str>>,
    trivy_src_release: Option<Cow<'a, str>>,
    trivy_src_epoch: Option<Cow<'a, str>>,
    syft_source: Option<Cow<'a, str>>,
    syft_source_version: Option<Cow<'a, str>>,
    syft_origin: Option<Cow<'a, str>>,
    distro_id: Option<Cow<'a, str>>,
    distro_id_like: Vec<Cow<'a, str>>,
    distro_pretty_name: Option<Cow<'a, str>>,
    distro_version_id: Option<Cow<'a, str>>,
    distro_codename: Option<Cow<'a, str>>,
}

impl<'a> Props<'a> {
    /// Records a property; the first value of a repeated property wins.
    fn set(&mut self, key: PropKey, value: Cow<'a, str>) {
        let slot = match key {
            PropKey::TrivySrcName => &mut self.trivy_src_name,
            PropKey::TrivySrcVersion => &mut self.trivy_src_version,
            PropKey::TrivySrcRelease => &mut self.trivy_src_release,
            PropKey::TrivySrcEpoch => &mut self.trivy_src_epoch,
            PropKey::SyftSource => &mut self.syft_source,
            PropKey::SyftSourceVersion => &mut self.syft_source_version,
            PropKey::SyftOriginPackage => &mut self.syft_origin,
            PropKey::DistroId => &mut self.distro_id,
            PropKey::DistroPrettyName => &mut self.distro_pretty_name,
            PropKey::DistroVersionId => &mut self.distro_version_id,
            PropKey::DistroCodename => &mut self.distro_codename,
            PropKey::DistroIdLike => {
                self.distro_id_like.push(value);
                return;
            }
        };
        if slot.is_none() {
            *slot = Some(value);
        }
    }

    /// The source package, trivy's form first (it has the full `epoch:version-release`).
    fn source(&mut self) -> (Option<String>, Option<String>) {
        if let Some(name) = clean(self.trivy_src_name.take()) {
            let version = clean(self.trivy_src_version.take()).map(|mut version| {
                if let Some(release) = clean(self.trivy_src_release.take()) {
                    version = format!("{version}-{release}");
                }
                match clean(self.trivy_src_epoch.take()) {
                    Some(epoch) => format!("{epoch}:{version}"),
                    None => version,
                }
            });
            return (Some(name), version);
        }
        if let Some(name) = clean(self.syft_source.take()) {
            return (Some(name), clean(self.syft_source_version.take()));
        }
        (clean(self.syft_origin.take()), None)
    }
}

/// One component as either parser read it, borrowing from the input where it can.
#[derive(Debug)]
struct Entry<'a> {
    kind: Option<Cow<'a, str>>,
    name: Cow<'a, str>,
    version: Option<Cow<'a, str>>,
    description: Option<Cow<'a, str>>,
    purl: Option<Cow<'a, str>>,
    cpe: Option<Cow<'a, str>>,
    vendors: Vendors<'a>,
    props: Props<'a>,
    location: Location,
}

impl Entry<'_> {
    fn kind(&self) -> Option<&str> {
        self.kind.as_deref().map(str::trim)
    }

    fn operating_system(&mut self) -> Option<OperatingSystem> {
        let id = clean(self.props.distro_id.take())
            .or_else(|| clean(Some(Cow::Borrowed(&*self.name))))?
            .to_ascii_lowercase();
        Some(OperatingSystem {
            id,
            id_like: self
                .props
                .distro_id_like
                .iter()
                .flat_map(|v| v.split_whitespace())
                .map(str::to_owned)
                .collect(),
            name: clean(self.props.distro_pretty_name.take())
                .or_else(|| clean(self.description.take())),
            version_id: clean(self.props.distro_version_id.take())
                .or_else(|| clean(self.version.as_deref().map(Cow::Borrowed))),
            codename: clean(self.props.distro_codename.take()),
        })
    }
}

/// Trims a value; an empty one is absent.
fn clean(value: Option<Cow<'_, str>>) -> Option<String> {
    let value = value?;
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return None;
    }
    Some(if trimmed.len() == value.len() {
        value.into_owned()
    } else {
        trimmed.to_owned()
    })
}

/// Collects components in document order, de-duplicating and finding the operating system.
#[derive(Debug)]
struct Collector<'f> {
    file: &'f str,
    components: Vec<Component>,
    /// Hash of (name, version, purl) → the first component with that hash; `next` chains the
    /// others (a per-hash `Vec` would cost an allocation per component).
    seen: HashMap<u64, usize>,
    next: Vec<Option<usize>>,
    hasher: RandomState,
    /// The operating system, with the document position of the component that named it.
    os: Option<(usize, OperatingSystem)>,
    /// Components pushed so far.
    pushed: usize,
}

impl<'f> Collector<'f> {
    fn new(file: &'f str) -> Self {
        Self {
            file,
            components: Vec::new(),
            seen: HashMap::new(),
            next: Vec::new(),
            hasher: RandomState::new(),
            os: None,
            pushed: 0,
        }
    }

    /// Converts and adds the next component in document order.
    fn push(&mut self, entry: Entry<'_>) {
        self.pushed += 1;
        if let Some(component) = self.convert(entry, self.pushed) {
            self.add(component);
        }
    }

    /// Turns an entry into a component, or `None` for a type that is not software.
    ///
    /// The XML reader converts components as their end tags close, children before parents, and
    /// adds them in document order afterwards; `order` keeps the operating system the first one.
    fn convert(&mut self, mut entry: Entry<'_>, order: usize) -> Option<Component> {
        if entry.kind() == Some("operating-system")
            && self.os.as_ref().is_none_or(|(first, _)| order < *first)
            && let Some(os) = entry.operating_system()
        {
            self.os = Some((order, os));
        }
        if entry.kind().is_some_and(|k| SKIPPED_TYPES.contains(&k)) {
            return None;
        }
        let (source_name, source_version) = entry.props.source();
        Some(Component {
            ecosystem: None,
            name: entry.name.trim().to_owned(),
            version: clean(entry.version),
            purl: clean(entry.purl),
            cpe: clean(entry.cpe),
            vendor: entry.vendors.best(),
            source_name,
            source_version,
            source: Source {
                file: self.file.to_owned(),
                location: entry.location,
            },
        })
    }

    /// Adds a component unless one with the same name, version and purl is already there, in
    /// which case that first one only takes the fields it lacks.
    fn add(&mut self, component: Component) {
        let hash = self
            .hasher
            .hash_one((&component.name, &component.version, &component.purl));
        let mut cursor = self.seen.get(&hash).copied();
        let mut last = None;
        while let Some(i) = cursor {
            let Some(first) = self.components.get_mut(i) else {
                break;
            };
            if first.name == component.name
                && first.version == component.version
                && first.purl == component.purl
            {
                fill(&mut first.cpe, component.cpe);
                fill(&mut first.vendor, component.vendor);
                fill(&mut first.source_name, component.source_name);
                fill(&mut first.source_version, component.source_version);
                return;
            }
            last = Some(i);
            cursor = self.next.get(i).copied().flatten();
        }
        let index = self.components.len();
        match last.and_then(|i| self.next.get_mut(i)) {
            Some(link) => *link = Some(index),
            None => {
                self.seen.insert(hash, index);
            }
        }
        self.components.push(component);
        self.next.push(None);
    }

    /// The inventory, with `meta` (`metadata.component`) as the asset.
    fn finish(self, format: Format, meta: Option<Entry<'_>>) -> Inventory {
        let mut asset = ImportedAsset {
            components: self.components,
            os: self.os.map(|(_, os)| os),
            ..ImportedAsset::default()
        };
        if let Some(mut meta) = meta {
            asset.kind = meta.kind().and_then(asset_kind);
            if meta.kind() == Some("operating-system") {
                asset.os = meta.operating_system().or(asset.os);
            }
            asset.name = clean(Some(meta.name));
        }
        Inventory::single(format, asset)
    }
}

fn fill(slot: &mut Option<String>, value: Option<String>) {
    if slot.is_none() {
        *slot = value;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spec_versions() {
        let at = || Location::JsonPath("$.specVersion".into());
        for ok in ["1.0", "1.2", "1.6", "1.7", "1.10", " 1.4 "] {
            assert!(check_spec_version("f", ok, at()).is_ok(), "{ok}");
        }
        let err = check_spec_version("f", "2.0", at()).expect_err("2.0");
        assert_eq!(err.kind, ImportErrorKind::UnknownFormat);
        assert!(err.reason.contains("2.0 is not supported"), "{err}");
        for bad in ["", "1", "1.", "x.y", "1.2.3", "v1.4"] {
            let err = check_spec_version("f", bad, at()).expect_err(bad);
            assert_eq!(err.kind, ImportErrorKind::Invalid, "{bad}");
        }
    }

    #[test]
    fn trivy_source_version_is_epoch_version_release() {
        let mut props = Props::default();
        props.set(PropKey::TrivySrcName, "openssl".into());
        props.set(PropKey::TrivySrcVersion, "1.0.2k".into());
        props.set(PropKey::TrivySrcRelease, "16.el7".into());
        props.set(PropKey::TrivySrcEpoch, "1".into());
        assert_eq!(
            props.source(),
            (Some("openssl".into()), Some("1:1.0.2k-16.el7".into()))
        );
    }

    #[test]
    fn property_keys() {
        assert_eq!(
            PropKey::of("syft:distro:idLike:1"),
            Some(PropKey::DistroIdLike)
        );
        assert_eq!(PropKey::of("syft:distro:idLikeX"), None);
        assert_eq!(PropKey::of("aquasecurity:trivy:PkgID"), None);
    }

    #[test]
    fn clean_trims_and_drops_empty() {
        assert_eq!(clean(Some(" a ".into())), Some("a".into()));
        assert_eq!(clean(Some("  ".into())), None);
        assert_eq!(clean(None), None);
    }
}
