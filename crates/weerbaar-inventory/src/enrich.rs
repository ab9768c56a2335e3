//! Enrichment: from what a file says to what advisories are keyed by.
//!
//! Importers record facts as the file gives them. Matching needs more: the OSV ecosystem with
//! the distribution release (`Debian:12`, not `Debian`), the package name in the form that
//! ecosystem's advisories use (`org.bouncycastle:bcprov-jdk15on`, not `bcprov-jdk15on`), and a
//! canonical Package URL. This step derives them, in one place for every format:
//!
//! 1. The asset's operating system (os-release, an SBOM's OS component) gives the release that
//!    OS packages belong to. The mapping from distribution names to OSV releases lives in
//!    `weerbaar-purl` (its `distro` qualifier rules); this step reuses it, so there is one table.
//! 2. A component with a purl gets its ecosystem and OSV name from the purl; a distribution
//!    package whose purl has no `distro` takes the asset's release.
//! 3. A component without a purl (dpkg, apk and rpm databases) gets one built from its
//!    ecosystem, name, version and source package.
//!
//! Nothing is guessed: a component whose purl does not parse keeps no purl and produces a
//! [`Warning`]; one that maps to no ecosystem stays without one (it can still be matched by CPE
//! or vendor/product later) and is not an error.

use weerbaar_purl::PackageUrl;
use weerbaar_versions::Ecosystem;

use crate::inventory::{ImportedAsset, Inventory, Warning};
use crate::model::{Component, OperatingSystem};

/// Derives ecosystems, OSV names and canonical purls for every component (see module docs),
/// and drops components that cannot be stored (no name), with a warning each.
pub fn enrich(inventory: &mut Inventory) {
    let mut warnings = Vec::new();
    for asset in &mut inventory.assets {
        enrich_asset(asset, &mut warnings);
    }
    inventory.warnings.extend(warnings);
}

/// How packages of one distribution are written as purls.
struct Distro {
    ty: &'static str,
    namespace: &'static str,
    /// The `distro` qualifier value, in the form weerbaar-purl understands.
    qualifier: String,
    /// The ecosystem that distribution's packages belong to, with release where known.
    ecosystem: Ecosystem,
}

fn enrich_asset(asset: &mut ImportedAsset, warnings: &mut Vec<Warning>) {
    let distro = asset.os.as_ref().and_then(distro_of);
    let components = std::mem::take(&mut asset.components);
    asset.components = components
        .into_iter()
        .filter_map(|c| enrich_component(c, distro.as_ref(), warnings))
        .collect();
}

fn enrich_component(
    mut c: Component,
    distro: Option<&Distro>,
    warnings: &mut Vec<Warning>,
) -> Option<Component> {
    if c.name.trim().is_empty() {
        warnings.push(Warning {
            source: c.source.clone(),
            message: "component without a name skipped".to_owned(),
        });
        return None;
    }
    if let Some(raw) = c.purl.take() {
        match PackageUrl::parse(&raw) {
            Ok(purl) => apply_purl(&mut c, &purl, distro),
            Err(e) => warnings.push(Warning {
                source: c.source.clone(),
                message: format!("invalid purl {raw:?} ignored: {e}"),
            }),
        }
    } else {
        build_purl(&mut c, distro);
    }
    Some(c)
}

fn apply_purl(c: &mut Component, purl: &PackageUrl, distro: Option<&Distro>) {
    c.purl = Some(purl.to_string());
    if c.version.is_none() {
        c.version = purl.osv_version();
    }
    let Some(package) = purl.osv_package() else {
        return;
    };
    let is_distro_package = matches!(purl.ty(), "deb" | "rpm" | "apk");
    if is_distro_package {
        if c.source_name.is_none() && package.name != purl.name() {
            c.source_name = Some(package.name.clone());
        }
        // The purl names the distribution but maybe not the release; the asset's OS does.
        let ecosystem = match distro {
            Some(d)
                if package.ecosystem.release().is_none()
                    && d.ecosystem.name() == package.ecosystem.name() =>
            {
                d.ecosystem.clone()
            }
            _ => package.ecosystem,
        };
        if c.ecosystem.is_none() || c.ecosystem.as_deref() == Some(ecosystem.name()) {
            c.ecosystem = Some(ecosystem.to_string());
        }
    } else {
        if c.ecosystem.is_none() {
            c.ecosystem = Some(package.ecosystem.to_string());
        }
        // Advisories key language packages by the ecosystem's full name (Maven group:artifact,
        // npm @scope/name, Go module path); SBOMs often put only the last part in `name`.
        c.name = package.name;
    }
}

/// Builds a purl for a distribution package read from a package database.
fn build_purl(c: &mut Component, distro: Option<&Distro>) {
    let Some(d) = distro else {
        return;
    };
    // Only packages of the asset's own distribution (or with no ecosystem yet, as rpm -qa gives).
    let own = match c.ecosystem.as_deref() {
        None => d.ty == "rpm",
        Some(eco) => {
            Ecosystem::parse(eco).is_ok_and(|e| e.name() == d.ecosystem.name())
                || (eco == "Debian" && d.ty == "deb")
        }
    };
    if !own {
        return;
    }
    c.ecosystem = Some(d.ecosystem.to_string());
    let Some(version) = c.version.clone() else {
        return;
    };
    let (epoch, bare_version) = match version.split_once(':') {
        Some((e, v)) if !e.is_empty() && e.bytes().all(|b| b.is_ascii_digit()) => (Some(e), v),
        _ => (None, version.as_str()),
    };
    let mut builder = PackageUrl::builder(d.ty, c.name.clone())
        .namespace(d.namespace)
        .version(bare_version)
        .qualifier("distro", d.qualifier.clone());
    if let Some(epoch) = epoch {
        builder = builder.qualifier("epoch", epoch);
    }
    if let Some(source) = c.source_name.as_deref().filter(|s| *s != c.name) {
        builder = builder.qualifier("upstream", source);
    }
    if let Ok(purl) = builder.build() {
        c.purl = Some(purl.to_string());
    }
}

/// The distribution an os-release describes, if its packages have an OSV ecosystem.
fn distro_of(os: &OperatingSystem) -> Option<Distro> {
    let id = os.id.to_ascii_lowercase();
    let version = os.version_id.as_deref().or(os.codename.as_deref());
    let (ty, namespace, qualifier) = match id.as_str() {
        "debian" => ("deb", "debian", format!("debian-{}", version?)),
        "ubuntu" => ("deb", "ubuntu", format!("ubuntu-{}", version?)),
        "alpine" => ("apk", "alpine", format!("alpine-{}", version?)),
        "wolfi" => ("apk", "wolfi", "wolfi".to_owned()),
        "chainguard" => ("apk", "chainguard", "chainguard".to_owned()),
        "almalinux" => ("rpm", "almalinux", format!("almalinux-{}", version?)),
        "rocky" => ("rpm", "rocky", format!("rocky-{}", version?)),
        "rhel" => ("rpm", "redhat", format!("rhel-{}", version?)),
        "sles" | "sled" => ("rpm", "suse", format!("sles-{}", version?)),
        "opensuse-leap" => ("rpm", "opensuse", format!("opensuse-leap-{}", version?)),
        "opensuse-tumbleweed" => ("rpm", "opensuse", "opensuse-tumbleweed".to_owned()),
        "photon" => ("rpm", "photon", format!("photon-{}", version?)),
        "openeuler" => ("rpm", "openeuler", format!("openeuler-{}", version?)),
        "azurelinux" | "mariner" => ("rpm", "azurelinux", format!("azurelinux-{}", version?)),
        "mageia" => ("rpm", "mageia", format!("mageia-{}", version?)),
        _ => return None,
    };
    let probe = PackageUrl::builder(ty, "probe")
        .namespace(namespace)
        .version("0")
        .qualifier("distro", qualifier.clone())
        .build()
        .ok()?;
    let ecosystem = probe.osv_package()?.ecosystem;
    Some(Distro {
        ty,
        namespace,
        qualifier,
        ecosystem,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Format;
    use crate::model::{Location, Source};

    fn component(name: &str, version: &str) -> Component {
        Component {
            ecosystem: None,
            name: name.into(),
            version: Some(version.into()),
            purl: None,
            cpe: None,
            vendor: None,
            source_name: None,
            source_version: None,
            source: Source {
                file: "f".into(),
                location: Location::Line(1),
            },
        }
    }

    fn os(id: &str, version: &str) -> OperatingSystem {
        OperatingSystem {
            id: id.into(),
            version_id: Some(version.into()),
            ..OperatingSystem::default()
        }
    }

    fn run(os: Option<OperatingSystem>, components: Vec<Component>) -> Inventory {
        let mut inv = Inventory::single(
            Format::CycloneDxJson,
            ImportedAsset {
                os,
                components,
                ..ImportedAsset::default()
            },
        );
        enrich(&mut inv);
        inv
    }

    #[test]
    fn dpkg_packages_get_the_release_and_a_purl() {
        let mut c = component("libssl3", "3.0.11-1~deb12u2");
        c.ecosystem = Some("Debian".into());
        c.source_name = Some("openssl".into());
        let inv = run(Some(os("debian", "12")), vec![c]);
        let c = &inv.assets[0].components[0];
        assert_eq!(c.ecosystem.as_deref(), Some("Debian:12"));
        assert_eq!(
            c.purl.as_deref(),
            Some("pkg:deb/debian/libssl3@3.0.11-1~deb12u2?distro=debian-12&upstream=openssl")
        );
    }

    #[test]
    fn ubuntu_hosts_make_dpkg_packages_ubuntu() {
        let mut c = component("bash", "5.1-6ubuntu1");
        c.ecosystem = Some("Debian".into());
        let inv = run(Some(os("ubuntu", "22.04")), vec![c]);
        assert_eq!(
            inv.assets[0].components[0].ecosystem.as_deref(),
            Some("Ubuntu:22.04")
        );
    }

    #[test]
    fn rpm_packages_carry_the_epoch_as_a_qualifier() {
        let inv = run(
            Some(os("almalinux", "9.3")),
            vec![component("openssl", "1:3.0.7-25.el9_3")],
        );
        let c = &inv.assets[0].components[0];
        assert_eq!(c.ecosystem.as_deref(), Some("AlmaLinux:9"));
        assert_eq!(
            c.purl.as_deref(),
            Some("pkg:rpm/almalinux/openssl@3.0.7-25.el9_3?distro=almalinux-9.3&epoch=1")
        );
    }

    #[test]
    fn maven_purls_give_the_group_qualified_name() {
        let mut c = component("bcprov-jdk15on", "1.64");
        c.purl = Some("pkg:maven/org.bouncycastle/bcprov-jdk15on@1.64?type=jar".into());
        let inv = run(None, vec![c]);
        let c = &inv.assets[0].components[0];
        assert_eq!(c.ecosystem.as_deref(), Some("Maven"));
        assert_eq!(c.name, "org.bouncycastle:bcprov-jdk15on");
    }

    #[test]
    fn sbom_distro_purls_without_release_take_the_assets_release() {
        let mut c = component("libc6", "2.28-10");
        c.purl = Some("pkg:deb/debian/libc6@2.28-10?arch=amd64".into());
        let inv = run(Some(os("debian", "10.2")), vec![c]);
        assert_eq!(
            inv.assets[0].components[0].ecosystem.as_deref(),
            Some("Debian:10")
        );
    }

    #[test]
    fn bad_purls_and_nameless_components_become_warnings() {
        let mut bad = component("x", "1");
        bad.purl = Some("pkg:///".into());
        let nameless = component("  ", "1");
        let inv = run(None, vec![bad, nameless]);
        assert_eq!(inv.assets[0].components.len(), 1);
        assert!(inv.assets[0].components[0].purl.is_none());
        assert_eq!(inv.warnings.len(), 2, "{:?}", inv.warnings);
        assert!(inv.warnings[0].message.contains("invalid purl"));
    }

    #[test]
    fn unknown_distributions_add_nothing() {
        let mut c = component("bash", "5");
        c.ecosystem = Some("Debian".into());
        let inv = run(Some(os("gentoo", "2.14")), vec![c.clone()]);
        assert_eq!(inv.assets[0].components[0], c);
    }
}
