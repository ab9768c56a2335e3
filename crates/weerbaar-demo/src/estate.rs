//! The generated municipalities of the demo provider and their estates.
//!
//! Every municipality is fictional (Flemish-sounding names that are no real municipality) and
//! labelled as demo data: its tenant id starts with `demo-` and its name ends in `(demo)`. Its
//! estate is what a Flemish municipality of 10,000–40,000 inhabitants typically runs: Linux
//! servers (Debian, Ubuntu, Red Hat) with their package inventories, a VPN appliance at the
//! edge, ESXi hosts and vCenter, a mail server (Exchange or Zimbra), Windows workstations with
//! browsers, the civil-affairs (burgerzaken) application from its supplier's SBOM, and a few
//! municipality-specific products. Versions are drawn from the demo dataset's affected and
//! fixed versions, so every municipality has some findings and some patched systems.
//!
//! Everything is derived from one seed through [`Rng`], so the demo is the same on every run:
//! seeding twice imports the same inventories (which is what makes it idempotent).

use jiff::civil::Date;
use weerbaar_inventory::model::{
    AssetKind, Component, Criticality, Exposure, Location, OperatingSystem, Source,
};
use weerbaar_inventory::{Format, ImportOptions, ImportedAsset, Inventory};
use weerbaar_plan::{Exception, ExceptionKind, Justification, Scope};
use weerbaar_store::TenantId;

use crate::DemoError;
use crate::dataset::BURGERZAKEN_SBOM;
use crate::rng::Rng;

/// The seed of the demo provider's municipalities.
pub const SEED: u64 = 2026;

/// The fictional municipalities: tenant id suffix and name.
const TOWNS: [(&str, &str); 7] = [
    ("beverzele", "Beverzele"),
    ("kortevoorde", "Kortevoorde"),
    ("heidemeer", "Heidemeer"),
    ("oostervelde", "Oostervelde"),
    ("linderbeek", "Linderbeek"),
    ("wachtebroek", "Wachtebroek"),
    ("rozendries", "Rozendries"),
];

/// A municipality to seed.
#[derive(Debug, Clone)]
pub struct Municipality {
    pub tenant: TenantId,
    /// `Gemeente Beverzele (demo)`.
    pub name: String,
    pub assets: Vec<DemoAsset>,
    /// Decisions the municipality recorded about some findings.
    pub exceptions: Vec<Exception>,
}

/// One asset's inventory, enriched and ready for `Store::import_assets`.
#[derive(Debug, Clone)]
pub struct DemoAsset {
    pub name: String,
    /// What the import is recorded as coming from (`demo:beverzele/srv-web01`).
    pub file: String,
    pub format: Format,
    pub asset: ImportedAsset,
}

/// The demo provider's municipalities, generated from [`SEED`].
///
/// # Errors
/// [`DemoError::Inventory`] if the embedded SBOM does not import (a broken build).
pub fn municipalities() -> Result<Vec<Municipality>, DemoError> {
    let sbom = burgerzaken_sbom()?;
    TOWNS
        .iter()
        .enumerate()
        .map(|(i, &(slug, town))| {
            let mut rng = Rng::new(SEED ^ (u64::try_from(i).unwrap_or(0) << 32));
            municipality(&mut rng, i, slug, town, &sbom)
        })
        .collect()
}

/// The supplier's SBOM of the civil-affairs portal, imported with the CycloneDX importer.
fn burgerzaken_sbom() -> Result<ImportedAsset, DemoError> {
    let mut inventory = weerbaar_inventory::import_bytes(
        &format!("demo/{}", BURGERZAKEN_SBOM.name),
        BURGERZAKEN_SBOM.text.as_bytes(),
        &ImportOptions {
            format: Some(Format::CycloneDxJson),
            ..ImportOptions::default()
        },
    )?;
    weerbaar_inventory::enrich(&mut inventory);
    let mut asset = inventory.assets.pop().unwrap_or_default();
    asset.kind = Some(AssetKind::Application);
    asset.zone = Some("datacenter".into());
    asset.criticality = Some(Criticality::Critical);
    asset.exposure = Some(Exposure::InternetFacing);
    asset.owner = Some("dienst Burgerzaken".into());
    asset.tags = vec!["demo".into(), "burgerzaken".into()];
    Ok(asset)
}

fn municipality(
    rng: &mut Rng,
    index: usize,
    slug: &str,
    town: &str,
    sbom: &ImportedAsset,
) -> Result<Municipality, DemoError> {
    let tenant = TenantId::new(&format!("demo-{slug}"))?;
    let mut b = Builder {
        slug,
        assets: Vec::new(),
        behind: false,
    };

    // Linux servers: a web/application server, a file/print server, a database server, and
    // sometimes a legacy one that nobody dared to touch.
    // The web server's distribution rotates over the towns, so each distribution's
    // advisories have a host; the others are drawn.
    let web = [Distro::Debian12, Distro::Ubuntu2204, Distro::Rhel9][index % 3];
    b.behind = index < 3;
    b.linux(rng, "srv-web01", web, Role::Web);
    b.behind = false;
    for (name, role) in [("srv-app01", Role::App), ("srv-db01", Role::Db)] {
        let distro = Distro::pick(rng);
        b.linux(rng, name, distro, role);
    }
    if index % 4 != 3 {
        let legacy = [Distro::Debian11, Distro::Ubuntu2004, Distro::Rhel8][index % 3];
        b.linux(rng, "srv-legacy01", legacy, Role::Legacy);
    }
    b.vpn(index);
    let hosts = rng.between(2, 3);
    let esxi = *rng.pick(ESXI);
    for n in 1..=hosts {
        b.product(
            &format!("esx{n:02}"),
            AssetKind::Appliance,
            Criticality::Critical,
            Exposure::Internal,
            "beheer",
            vec![product("VMware", "VMware ESXi", esxi.0, Some(esxi.1))],
        );
    }
    let vcenter = *rng.pick(VCENTER);
    b.product(
        "vcenter01",
        AssetKind::Appliance,
        Criticality::Critical,
        Exposure::Internal,
        "beheer",
        vec![product(
            "VMware",
            "VMware vCenter Server",
            vcenter.0,
            Some(vcenter.1),
        )],
    );
    b.mail(index);
    for n in 1..=rng.between(4, 8) {
        b.workstation(rng, &format!("ws-{slug}-{n:03}"));
    }
    b.assets.push(DemoAsset {
        name: "burgerzaken-portal".into(),
        file: format!("demo/{}", BURGERZAKEN_SBOM.name),
        format: Format::CycloneDxJson,
        asset: sbom.clone(),
    });
    b.extras(index);

    let exceptions = exceptions(rng, &b.assets);
    Ok(Municipality {
        tenant,
        name: format!("Gemeente {town} (demo)"),
        assets: b.assets,
        exceptions,
    })
}

/// Some decisions a municipality's security officer recorded.
fn exceptions(rng: &mut Rng, assets: &[DemoAsset]) -> Vec<Exception> {
    let date = Date::new(2026, 10, 1).unwrap_or_default();
    let mut out = Vec::new();
    if assets.iter().any(|a| a.name.starts_with("esx")) && rng.chance(70) {
        out.push(Exception {
            scope: Scope {
                advisory: "CVE-2024-37085".into(),
                package: None,
                asset: None,
            },
            kind: ExceptionKind::NotAffected {
                justification: Justification::RequiresConfiguration,
            },
            author: "demo".into(),
            reason: "The ESXi hosts are not joined to Active Directory (demo data).".into(),
            date,
        });
    }
    if let Some(ws) = assets.iter().find(|a| a.name.starts_with("ws-")) {
        out.push(Exception {
            scope: Scope {
                advisory: "CVE-2024-7971".into(),
                package: None,
                asset: Some(ws.name.clone()),
            },
            kind: ExceptionKind::AcceptedRisk {
                expires: Date::new(2026, 12, 31).unwrap_or_default(),
            },
            author: "demo".into(),
            reason: "Kiosk workstation in the town hall, replaced in December (demo data).".into(),
            date,
        });
    }
    out
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Distro {
    Debian12,
    Debian11,
    Ubuntu2204,
    Ubuntu2004,
    Rhel9,
    Rhel8,
}

impl Distro {
    fn pick(rng: &mut Rng) -> Self {
        *rng.pick(&[
            Self::Debian12,
            Self::Debian12,
            Self::Debian12,
            Self::Ubuntu2204,
            Self::Ubuntu2204,
            Self::Rhel9,
        ])
    }

    fn os(self) -> OperatingSystem {
        let (id, version, name, like) = match self {
            Self::Debian12 => ("debian", "12", "Debian GNU/Linux 12 (bookworm)", ""),
            Self::Debian11 => ("debian", "11", "Debian GNU/Linux 11 (bullseye)", ""),
            Self::Ubuntu2204 => ("ubuntu", "22.04", "Ubuntu 22.04.4 LTS", "debian"),
            Self::Ubuntu2004 => ("ubuntu", "20.04", "Ubuntu 20.04.6 LTS", "debian"),
            Self::Rhel9 => (
                "rhel",
                "9.4",
                "Red Hat Enterprise Linux 9.4 (Plow)",
                "fedora",
            ),
            Self::Rhel8 => (
                "rhel",
                "8.3",
                "Red Hat Enterprise Linux 8.3 (Ootpa)",
                "fedora",
            ),
        };
        OperatingSystem {
            id: id.into(),
            id_like: if like.is_empty() {
                Vec::new()
            } else {
                vec![like.into()]
            },
            name: Some(name.into()),
            version_id: Some(version.into()),
            ..OperatingSystem::default()
        }
    }

    /// The ecosystem the importers give packages of this distribution before enrichment.
    fn ecosystem(self) -> Option<&'static str> {
        match self {
            Self::Debian12 | Self::Debian11 => Some("Debian"),
            Self::Ubuntu2204 | Self::Ubuntu2004 => Some("Ubuntu"),
            // `rpm -qa` does not say; enrichment takes the release from os-release.
            Self::Rhel9 | Self::Rhel8 => None,
        }
    }

    fn format(self) -> Format {
        match self {
            Self::Rhel9 | Self::Rhel8 => Format::RpmQa,
            _ => Format::DpkgStatus,
        }
    }

    /// Base packages: (binary, source, version).
    fn base(self) -> &'static [(&'static str, &'static str, &'static str)] {
        match self {
            Self::Debian12 => DEBIAN12_BASE,
            Self::Debian11 => DEBIAN11_BASE,
            Self::Ubuntu2204 => UBUNTU2204_BASE,
            Self::Ubuntu2004 => UBUNTU2004_BASE,
            Self::Rhel9 => RHEL9_BASE,
            Self::Rhel8 => RHEL8_BASE,
        }
    }

    /// Packages that the dataset has advisories for: (binaries, source, affected version,
    /// fixed version).
    fn tracked(self) -> &'static [Tracked] {
        match self {
            Self::Debian12 => DEBIAN12_TRACKED,
            Self::Debian11 => DEBIAN11_TRACKED,
            Self::Ubuntu2204 => UBUNTU2204_TRACKED,
            Self::Ubuntu2004 => UBUNTU2004_TRACKED,
            Self::Rhel9 => RHEL9_TRACKED,
            Self::Rhel8 => RHEL8_TRACKED,
        }
    }
}

/// A source package the dataset has an advisory for: its binaries, an affected and a fixed
/// version.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Tracked {
    pub binaries: &'static [&'static str],
    pub source: &'static str,
    pub affected: &'static str,
    pub fixed: &'static str,
}

const fn t(
    binaries: &'static [&'static str],
    source: &'static str,
    affected: &'static str,
    fixed: &'static str,
) -> Tracked {
    Tracked {
        binaries,
        source,
        affected,
        fixed,
    }
}

pub(crate) const DEBIAN12_BASE: &[(&str, &str, &str)] = &[
    ("adduser", "adduser", "3.134"),
    ("apt", "apt", "2.6.1"),
    ("base-files", "base-files", "12.4+deb12u6"),
    ("bash", "bash", "5.2.15-2+b7"),
    ("bsdutils", "util-linux", "1:2.38.1-5+deb12u1"),
    ("ca-certificates", "ca-certificates", "20230311"),
    ("coreutils", "coreutils", "9.1-1"),
    ("cron", "cron", "3.0pl1-162"),
    ("curl", "curl", "7.88.1-10+deb12u7"),
    ("dbus", "dbus", "1.14.10-1~deb12u1"),
    ("debconf", "debconf", "1.5.82"),
    ("dpkg", "dpkg", "1.21.22"),
    ("e2fsprogs", "e2fsprogs", "1.47.0-2"),
    ("findutils", "findutils", "4.9.0-4"),
    ("grep", "grep", "3.8-5"),
    ("gzip", "gzip", "1.12-1"),
    ("iproute2", "iproute2", "6.1.0-3"),
    ("less", "less", "590-2.1~deb12u2"),
    ("libcurl4", "curl", "7.88.1-10+deb12u7"),
    ("libexpat1", "expat", "2.5.0-1+deb12u1"),
    ("libgnutls30", "gnutls28", "3.7.9-2+deb12u3"),
    ("libpam-modules", "pam", "1.5.2-6+deb12u1"),
    ("libsqlite3-0", "sqlite3", "3.40.1-2+deb12u1"),
    ("libssl3", "openssl", "3.0.14-1~deb12u2"),
    ("libsystemd0", "systemd", "252.30-1~deb12u2"),
    ("libxml2", "libxml2", "2.9.14+dfsg-1.3~deb12u1"),
    ("login", "shadow", "1:4.13+dfsg1-1+b1"),
    ("logrotate", "logrotate", "3.21.0-1"),
    ("nano", "nano", "7.2-1+deb12u1"),
    ("openssl", "openssl", "3.0.14-1~deb12u2"),
    ("passwd", "shadow", "1:4.13+dfsg1-1+b1"),
    ("perl-base", "perl", "5.36.0-7+deb12u1"),
    ("procps", "procps", "2:4.0.2-3"),
    ("python3.11", "python3.11", "3.11.2-6+deb12u3"),
    ("rsyslog", "rsyslog", "8.2302.0-1"),
    ("sudo", "sudo", "1.9.13p3-1+deb12u1"),
    ("systemd", "systemd", "252.30-1~deb12u2"),
    ("tar", "tar", "1.34+dfsg-1.2+deb12u1"),
    ("tzdata", "tzdata", "2024a-0+deb12u1"),
    ("util-linux", "util-linux", "2.38.1-5+deb12u1"),
    ("vim-tiny", "vim", "2:9.0.1378-2"),
    ("zlib1g", "zlib", "1:1.2.13.dfsg-1"),
];
pub(crate) const DEBIAN12_TRACKED: &[Tracked] = &[
    t(
        &["openssh-client", "openssh-server", "openssh-sftp-server"],
        "openssh",
        "1:9.2p1-2+deb12u2",
        "1:9.2p1-2+deb12u3",
    ),
    t(
        &["libc6", "libc-bin", "locales"],
        "glibc",
        "2.36-9+deb12u1",
        "2.36-9+deb12u4",
    ),
    t(&["libwebp7"], "libwebp", "1.2.4-0.2", "1.2.4-0.2+deb12u1"),
];
const DEBIAN11_BASE: &[(&str, &str, &str)] = &[
    ("apt", "apt", "2.2.4"),
    ("bash", "bash", "5.1-2+deb11u1"),
    ("coreutils", "coreutils", "8.32-4+b1"),
    ("cron", "cron", "3.0pl1-137"),
    ("dpkg", "dpkg", "1.20.13"),
    ("libc6", "glibc", "2.31-13+deb11u5"),
    ("openssh-server", "openssh", "1:8.4p1-5+deb11u1"),
    ("perl-base", "perl", "5.32.1-4+deb11u2"),
    ("python3.9", "python3.9", "3.9.2-1"),
    ("systemd", "systemd", "247.3-7+deb11u4"),
    ("tzdata", "tzdata", "2021a-1+deb11u10"),
    ("zlib1g", "zlib", "1:1.2.11.dfsg-2+deb11u2"),
];
const DEBIAN11_TRACKED: &[Tracked] = &[
    t(&["sudo"], "sudo", "1.9.5p2-3", "1.9.5p2-3+deb11u1"),
    t(
        &["openssl", "libssl1.1"],
        "openssl",
        "1.1.1n-0+deb11u3",
        "1.1.1n-0+deb11u4",
    ),
    t(
        &["apache2", "apache2-bin", "apache2-data"],
        "apache2",
        "2.4.54-1~deb11u1",
        "2.4.56-1~deb11u1",
    ),
    t(&["libwebp6"], "libwebp", "0.6.1-2.1", "0.6.1-2.1+deb11u2"),
];
const UBUNTU2204_BASE: &[(&str, &str, &str)] = &[
    ("apt", "apt", "2.4.12"),
    ("bash", "bash", "5.1-6ubuntu1.1"),
    ("coreutils", "coreutils", "8.32-4.1ubuntu1.2"),
    ("curl", "curl", "7.81.0-1ubuntu1.16"),
    ("dpkg", "dpkg", "1.21.1ubuntu2.3"),
    ("libsystemd0", "systemd", "249.11-0ubuntu3.12"),
    ("openssh-client", "openssh", "1:8.9p1-3ubuntu0.10"),
    ("perl-base", "perl", "5.34.0-3ubuntu1.3"),
    ("python3.10", "python3.10", "3.10.12-1~22.04.4"),
    ("snapd", "snapd", "2.63+22.04"),
    ("systemd", "systemd", "249.11-0ubuntu3.12"),
    (
        "ubuntu-advantage-tools",
        "ubuntu-advantage-tools",
        "32.3~22.04",
    ),
    ("zlib1g", "zlib", "1:1.2.11.dfsg-2ubuntu9.2"),
];
const UBUNTU2204_TRACKED: &[Tracked] = &[
    t(
        &["openssh-server", "openssh-sftp-server"],
        "openssh",
        "1:8.9p1-3ubuntu0.6",
        "1:8.9p1-3ubuntu0.10",
    ),
    t(
        &["libc6", "libc-bin"],
        "glibc",
        "2.35-0ubuntu3.1",
        "2.35-0ubuntu3.4",
    ),
    t(
        &["openssl", "libssl3"],
        "openssl",
        "3.0.2-0ubuntu1.6",
        "3.0.2-0ubuntu1.7",
    ),
];
const UBUNTU2004_BASE: &[(&str, &str, &str)] = &[
    ("apt", "apt", "2.0.2ubuntu0.1"),
    ("bash", "bash", "5.0-6ubuntu1.1"),
    ("libc6", "glibc", "2.31-0ubuntu9.2"),
    ("openssh-server", "openssh", "1:8.2p1-4ubuntu0.1"),
    ("systemd", "systemd", "245.4-4ubuntu3.4"),
];
const UBUNTU2004_TRACKED: &[Tracked] =
    &[t(&["sudo"], "sudo", "1.8.31-1ubuntu1", "1.8.31-1ubuntu1.2")];
const RHEL9_BASE: &[(&str, &str, &str)] = &[
    ("bash", "bash", "5.1.8-9.el9"),
    ("coreutils", "coreutils", "8.32-35.el9"),
    ("dnf", "dnf", "4.14.0-9.el9"),
    ("glibc", "glibc", "2.34-100.el9_4.2"),
    ("kernel", "kernel", "5.14.0-427.24.1.el9_4"),
    ("openssl", "openssl", "3.0.7-27.el9"),
    ("python3", "python3.9", "3.9.18-3.el9_4.1"),
    ("rpm", "rpm", "4.16.1.3-29.el9"),
    ("sudo", "sudo", "1.9.5p2-10.el9_3"),
    ("systemd", "systemd", "252-32.el9_4"),
];
const RHEL9_TRACKED: &[Tracked] = &[t(
    &["openssh", "openssh-server", "openssh-clients"],
    "openssh",
    "8.7p1-34.el9",
    "8.7p1-38.el9_4.1",
)];
const RHEL8_BASE: &[(&str, &str, &str)] = &[
    ("bash", "bash", "4.4.19-12.el8"),
    ("glibc", "glibc", "2.28-127.el8"),
    ("openssh-server", "openssh", "8.0p1-5.el8"),
    ("yum", "yum", "4.2.23-4.el8"),
];
const RHEL8_TRACKED: &[Tracked] = &[t(&["sudo"], "sudo", "1.8.29-6.el8", "1.8.29-6.el8_3.1")];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Web,
    App,
    Db,
    Legacy,
}

/// Edge appliances: (vendor, version).
const VPNS: [(&str, &str); 7] = [
    ("Fortinet", "7.2.2"),
    ("Ivanti", "22.4R2.1"),
    ("Citrix", "13.1-48.47"),
    ("Palo Alto Networks", "10.2.7-h3"),
    ("Fortinet", "7.4.4"),
    ("Ivanti", "22.7R2.3"),
    ("Citrix", "14.1-43.56"),
];
/// Exchange (version, cumulative update) per town, or Zimbra (`None`).
const EXCHANGE: [Option<(&str, &str)>; 7] = [
    Some(("2016", "19")),
    None,
    Some(("2019", "12")),
    Some(("2019", "14")),
    Some(("2016", "23")),
    None,
    Some(("2019", "14")),
];

/// (version, update word after "Update"), named as vSphere names them.
const ESXI: &[(&str, &str)] = &[("8.0", "2b"), ("8.0", "3"), ("8.0", "3e"), ("7.0", "3")];
const VCENTER: &[(&str, &str)] = &[("8.0", "1c"), ("8.0", "3b"), ("7.0", "3n")];

struct Builder<'a> {
    slug: &'a str,
    assets: Vec<DemoAsset>,
    /// Every tracked package at its affected version (the next Linux host only).
    behind: bool,
}

impl Builder<'_> {
    fn file(&self, asset: &str) -> String {
        format!("demo:{}/{asset}", self.slug)
    }

    fn linux(&mut self, rng: &mut Rng, name: &str, distro: Distro, role: Role) {
        let file = self.file(name);
        let eco = distro.ecosystem();
        let mut components = Vec::new();
        for &(bin, src, version) in distro.base() {
            components.push(package(&file, components.len(), eco, bin, src, version));
        }
        // Most servers are behind on at least one tracked package; a well-kept one is not.
        let behind = if role == Role::Legacy || self.behind {
            100
        } else {
            55
        };
        for tracked in distro.tracked() {
            let version = if rng.chance(behind) {
                tracked.affected
            } else {
                tracked.fixed
            };
            for bin in tracked.binaries {
                components.push(package(
                    &file,
                    components.len(),
                    eco,
                    bin,
                    tracked.source,
                    version,
                ));
            }
        }
        let (criticality, exposure, zone, owner) = match role {
            Role::Web => (
                Criticality::High,
                Exposure::InternetFacing,
                "dmz",
                "dienst ICT",
            ),
            Role::App => (
                Criticality::High,
                Exposure::Internal,
                "datacenter",
                "dienst ICT",
            ),
            Role::Db => (
                Criticality::Critical,
                Exposure::Internal,
                "datacenter",
                "dienst ICT",
            ),
            Role::Legacy => (
                Criticality::Normal,
                Exposure::Internal,
                "datacenter",
                "dienst Financiën",
            ),
        };
        self.assets.push(DemoAsset {
            name: name.into(),
            file,
            format: distro.format(),
            asset: enriched(ImportedAsset {
                name: Some(name.into()),
                kind: Some(AssetKind::Host),
                os: Some(distro.os()),
                zone: Some(zone.into()),
                owner: Some(owner.into()),
                criticality: Some(criticality),
                exposure: Some(exposure),
                tags: vec!["demo".into(), "linux".into()],
                components,
            }),
        });
    }

    /// The edge firewall/VPN appliance: vendor and version rotate over the towns, some
    /// patched, some not, as in a real provider's portfolio.
    fn vpn(&mut self, index: usize) {
        let file = self.file("fw-edge01");
        let c = match VPNS[index % VPNS.len()] {
            ("Ivanti", v) => {
                let (release, update) = v.split_once('R').unwrap_or((v, ""));
                let mut c = product("Ivanti", "Ivanti Connect Secure", v, None);
                c.cpe = Some(format!(
                    "cpe:2.3:a:ivanti:connect_secure:{release}:r{}:*:*:*:*:*:*",
                    update.to_lowercase()
                ));
                c
            }
            (vendor, v) => {
                let name = match vendor {
                    "Fortinet" => "FortiOS",
                    "Citrix" => "NetScaler ADC",
                    _ => "PAN-OS",
                };
                product(vendor, name, v, None)
            }
        };
        self.product(
            "fw-edge01",
            AssetKind::Appliance,
            Criticality::Critical,
            Exposure::InternetFacing,
            "edge",
            vec![with_file(c, &file)],
        );
    }

    fn mail(&mut self, index: usize) {
        if let Some(cu) = EXCHANGE[index % EXCHANGE.len()] {
            self.product(
                "mail01",
                AssetKind::Host,
                Criticality::High,
                Exposure::InternetFacing,
                "dmz",
                vec![product(
                    "Microsoft",
                    &format!("Microsoft Exchange Server {} CU{}", cu.0, cu.1),
                    "",
                    None,
                )],
            );
            self.set_os(windows(
                "Microsoft Windows Server 2019 Standard",
                "10.0.17763",
            ));
        } else {
            let patch = if index % 4 == 1 { "p30" } else { "p41" };
            let mut c = product(
                "Zimbra",
                "Zimbra Collaboration",
                &format!("8.8.15_{}", patch.to_uppercase()),
                None,
            );
            c.cpe = Some(format!(
                "cpe:2.3:a:zimbra:collaboration:8.8.15:{patch}:*:*:*:*:*:*"
            ));
            self.product(
                "mail01",
                AssetKind::Host,
                Criticality::High,
                Exposure::InternetFacing,
                "dmz",
                vec![c],
            );
        }
    }

    fn workstation(&mut self, rng: &mut Rng, name: &str) {
        let chrome = *rng.pick(&[
            "116.0.5845.96",
            "128.0.6613.84",
            "127.0.6533.120",
            "134.0.6998.178",
            "131.0.6778.86",
        ]);
        let mut components = vec![
            product("Google LLC", "Google Chrome", chrome, None),
            product(
                "Microsoft Corporation",
                "Microsoft Edge",
                "130.0.2849.80",
                None,
            ),
            product("Igor Pavlov", "7-Zip", "23.01", None),
            product("Adobe", "Adobe Acrobat Reader DC", "24.003.20180", None),
        ];
        if rng.chance(50) {
            let ff = *rng.pick(&["115.15.0esr", "128.3.1esr", "131.0", "133.0"]);
            let (name, version) = match ff.strip_suffix("esr") {
                Some(v) => ("Mozilla Firefox ESR", v),
                None => ("Mozilla Firefox", ff),
            };
            components.push(product("Mozilla", name, version, None));
        }
        self.product(
            name,
            AssetKind::Host,
            Criticality::Low,
            Exposure::Internal,
            "kantoor",
            components,
        );
        self.set_os(windows("Microsoft Windows 11 Pro", "10.0.22631"));
    }

    /// Sets the operating system of the asset added last.
    fn set_os(&mut self, os: OperatingSystem) {
        if let Some(last) = self.assets.last_mut() {
            last.asset.os = Some(os);
        }
    }

    /// Products some municipalities run and others do not; which towns run them, and at which
    /// version, rotates, so each of the dataset's products has a vulnerable and a patched host.
    fn extras(&mut self, index: usize) {
        let nth = |list: &[&'static str], k: usize| list[k % list.len()];
        if index.is_multiple_of(2) {
            let v = nth(&["7.13.2", "8.5.1", "7.19.16"], index / 2);
            self.product(
                "intranet01",
                AssetKind::Application,
                Criticality::Normal,
                Exposure::Internal,
                "datacenter",
                vec![product("Atlassian", "Atlassian Confluence Server", v, None)],
            );
        }
        if index % 3 == 1 {
            let v = nth(&["2023.0.0", "2022.1.4", "2023.0.1"], index / 3);
            self.product(
                "mft01",
                AssetKind::Application,
                Criticality::High,
                Exposure::InternetFacing,
                "dmz",
                vec![product("Progress", "MOVEit Transfer", v, None)],
            );
        }
        if index % 2 == 1 {
            // The events calendar on PHP under IIS, and its GIS database.
            let php = nth(&["8.1.25", "8.3.8", "8.2.12"], index / 2);
            let pg = nth(&["15.8", "16.6", "16.4"], index / 2);
            self.product(
                "gis01",
                AssetKind::Host,
                Criticality::Normal,
                Exposure::InternetFacing,
                "dmz",
                vec![
                    cpe_product("The PHP Group", "PHP", php, "a:php:php"),
                    cpe_product(
                        "PostgreSQL Global Development Group",
                        "PostgreSQL",
                        pg,
                        "a:postgresql:postgresql",
                    ),
                ],
            );
            self.set_os(windows(
                "Microsoft Windows Server 2022 Standard",
                "10.0.20348",
            ));
        }
        if index.is_multiple_of(3) {
            // A parking-permit appliance from a small supplier, with its bundled web servers.
            let httpd = nth(&["2.4.49", "2.4.62", "2.4.50"], index / 3);
            self.product(
                "parkeer01",
                AssetKind::Appliance,
                Criticality::Normal,
                Exposure::InternetFacing,
                "dmz",
                vec![
                    cpe_product(
                        "Apache Software Foundation",
                        "Apache HTTP Server",
                        httpd,
                        "a:apache:http_server",
                    ),
                    cpe_product("F5", "nginx", "1.18.0", "a:f5:nginx"),
                ],
            );
        }
        if index % 3 == 2 {
            let v = nth(&["4.91", "4.96"], index / 3);
            self.product(
                "mailrelay01",
                AssetKind::Appliance,
                Criticality::Normal,
                Exposure::InternetFacing,
                "dmz",
                vec![product("Exim", "Exim", v, None)],
            );
            // The ICT coordinator's laptop, with a package manager's xz.
            let xz = nth(&["5.6.1", "5.4.5"], index / 3);
            self.product(
                &format!("ws-{}-ict", self.slug),
                AssetKind::Host,
                Criticality::Normal,
                Exposure::Internal,
                "kantoor",
                vec![cpe_product("Tukaani", "xz", xz, "a:tukaani:xz")],
            );
        }
        if index.is_multiple_of(2) {
            // The waste-collection calendar: a small Python web application.
            let file = self.file("afvalkalender");
            let pypi = |name: &str, version: &str| {
                let mut c = component(&file, 0, None, name, Some(version));
                c.purl = Some(format!("pkg:pypi/{name}@{version}"));
                c
            };
            self.assets.push(DemoAsset {
                name: "afvalkalender".into(),
                file: file.clone(),
                format: Format::Requirements,
                asset: enriched(ImportedAsset {
                    name: Some("afvalkalender".into()),
                    kind: Some(AssetKind::Application),
                    zone: Some("dmz".into()),
                    owner: Some("dienst Omgeving".into()),
                    criticality: Some(Criticality::Low),
                    exposure: Some(Exposure::InternetFacing),
                    tags: vec!["demo".into()],
                    components: vec![
                        pypi("requests", "2.28.1"),
                        pypi("jinja2", "3.1.2"),
                        pypi("flask", "2.2.5"),
                        pypi("urllib3", "1.26.18"),
                    ],
                    ..ImportedAsset::default()
                }),
            });
        }
    }

    fn product(
        &mut self,
        name: &str,
        kind: AssetKind,
        criticality: Criticality,
        exposure: Exposure,
        zone: &str,
        components: Vec<Component>,
    ) {
        let file = self.file(name);
        let components = components
            .into_iter()
            .enumerate()
            .map(|(i, mut c)| {
                c.source = Source {
                    file: file.clone(),
                    location: Location::Line(i + 2),
                };
                c
            })
            .collect();
        self.assets.push(DemoAsset {
            name: name.into(),
            file,
            format: Format::Csv,
            asset: enriched(ImportedAsset {
                name: Some(name.into()),
                kind: Some(kind),
                zone: Some(zone.into()),
                owner: Some("dienst ICT".into()),
                criticality: Some(criticality),
                exposure: Some(exposure),
                tags: vec!["demo".into()],
                components,
                ..ImportedAsset::default()
            }),
        });
    }
}

fn with_file(mut c: Component, file: &str) -> Component {
    c.source.file = file.into();
    c
}

/// A component as an importer gives it.
pub(crate) fn component(
    file: &str,
    line: usize,
    ecosystem: Option<&str>,
    name: &str,
    version: Option<&str>,
) -> Component {
    Component {
        ecosystem: ecosystem.map(Into::into),
        name: name.into(),
        version: version.map(Into::into),
        purl: None,
        cpe: None,
        vendor: None,
        source_name: None,
        source_version: None,
        source: Source {
            file: file.into(),
            location: Location::Line(line + 1),
        },
    }
}

/// A distribution package as dpkg's status file or `rpm -qa` gives it.
pub(crate) fn package(
    file: &str,
    line: usize,
    ecosystem: Option<&str>,
    binary: &str,
    source: &str,
    version: &str,
) -> Component {
    let mut c = component(file, line, ecosystem, binary, Some(version));
    if source != binary {
        c.source_name = Some(source.into());
    }
    c
}

/// A product as an asset-inventory export names it (vendor, name, version), matched through
/// the name-mapping table; `update` makes vSphere's "8.0 Update 2b" names.
///
/// The release is then in the name, as vSphere and Exchange inventories put it, and the
/// component has no version of its own (the name-mapping table takes it from the name).
fn product(vendor: &str, name: &str, version: &str, update: Option<&str>) -> Component {
    let (name, version) = match update {
        Some(u) => (format!("{name} {version} Update {u}"), None),
        None if version.is_empty() => (name.to_owned(), None),
        None => (name.to_owned(), Some(version)),
    };
    let mut c = component("", 0, None, &name, version);
    c.vendor = Some(vendor.into());
    c
}

/// A product whose inventory knows its CPE (`part:vendor:product`), with the version filled in.
fn cpe_product(vendor: &str, name: &str, version: &str, cpe: &str) -> Component {
    let mut c = product(vendor, name, version, None);
    c.cpe = Some(format!("cpe:2.3:{cpe}:{version}:*:*:*:*:*:*:*"));
    c
}

fn enriched(asset: ImportedAsset) -> ImportedAsset {
    let mut inventory = Inventory {
        format: Format::Csv,
        assets: vec![asset],
        warnings: Vec::new(),
    };
    weerbaar_inventory::enrich(&mut inventory);
    inventory.assets.pop().unwrap_or_default()
}

fn windows(name: &str, build: &str) -> OperatingSystem {
    OperatingSystem {
        id: "windows".into(),
        name: Some(name.into()),
        version_id: Some(build.into()),
        ..OperatingSystem::default()
    }
}
