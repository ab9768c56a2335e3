//! The inventory domain: tenants own assets, assets carry components.
//!
//! These types are what every importer produces and what storage persists. They are plain data
//! with no I/O, so the matcher, the patch plan and the reports can share them.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// What kind of thing an asset is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum AssetKind {
    /// A server, workstation, virtual machine or container image.
    #[default]
    Host,
    /// A network or storage appliance: firewall, VPN gateway, NAS, hypervisor host.
    Appliance,
    /// A business application, possibly spread over several hosts.
    Application,
    /// A service run by a third party (Microsoft 365, a SaaS application).
    CloudService,
}

/// How much the tenant depends on an asset; drives patch priority and due dates.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Default,
)]
#[serde(rename_all = "kebab-case")]
pub enum Criticality {
    Low,
    #[default]
    Normal,
    High,
    Critical,
}

/// Whether an asset is reachable from the internet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum Exposure {
    #[default]
    Internal,
    InternetFacing,
}

macro_rules! keyword_enum {
    ($ty:ident { $($variant:ident => [$($word:literal),+]),+ $(,)? }) => {
        impl $ty {
            /// The stable keyword used on the command line, in JSON and in storage.
            #[must_use]
            pub const fn as_str(self) -> &'static str {
                match self { $($ty::$variant => keyword_enum!(@first $($word),+),)+ }
            }

            /// Every accepted keyword, for error messages.
            pub const KEYWORDS: &'static [&'static str] = &[$(keyword_enum!(@first $($word),+)),+];
        }

        impl FromStr for $ty {
            type Err = String;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                let lower = s.trim().to_ascii_lowercase();
                $(if [$($word),+].contains(&lower.as_str()) { return Ok($ty::$variant); })+
                Err(format!(
                    "unknown {} {s:?}; expected one of: {}",
                    stringify!($ty).to_ascii_lowercase(),
                    Self::KEYWORDS.join(", ")
                ))
            }
        }

        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
    (@first $first:literal $(, $rest:literal)*) => { $first };
}

keyword_enum!(AssetKind {
    Host => ["host", "server", "workstation", "vm", "container"],
    Appliance => ["appliance", "firewall", "network"],
    Application => ["application", "app"],
    CloudService => ["cloud-service", "cloud", "saas"],
});

keyword_enum!(Criticality {
    Low => ["low"],
    Normal => ["normal", "medium"],
    High => ["high"],
    Critical => ["critical"],
});

keyword_enum!(Exposure {
    Internal => ["internal", "no", "false"],
    InternetFacing => ["internet-facing", "internet", "yes", "true", "external"],
});

/// The operating system an inventory describes, as `/etc/os-release` gives it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct OperatingSystem {
    /// `ID`: `debian`, `ubuntu`, `almalinux`, `rocky`, `rhel`, `alpine`, `windows`, …
    pub id: String,
    /// `ID_LIKE`, split on whitespace.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub id_like: Vec<String>,
    /// `NAME` or `PRETTY_NAME`, for people.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// `VERSION_ID`: `12`, `22.04`, `9.3`, `3.19.1`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version_id: Option<String>,
    /// `VERSION_CODENAME`: `bookworm`, `jammy`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub codename: Option<String>,
}

/// Where an asset's description came from and what we know about it.
///
/// Every field but the name is optional in an import: an SBOM knows the software but not the
/// zone, an asset CSV knows the owner but not the packages. The command line fills the rest.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Asset {
    pub name: String,
    #[serde(default)]
    pub kind: AssetKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub os: Option<OperatingSystem>,
    /// Zone or environment: "town hall LAN", "datacenter, tenant X".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    #[serde(default)]
    pub criticality: Criticality,
    #[serde(default)]
    pub exposure: Exposure,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
}

/// Where in its source file a component was read: the evidence a user checks when a finding
/// looks wrong.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Location {
    /// A one-based line number (text formats: dpkg status, rpm output, lockfiles, CSV).
    Line(usize),
    /// A JSON path such as `$.components[3].components[0]`.
    JsonPath(String),
    /// An XML element path such as `/bom/components/component[4]`.
    Element(String),
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::Line(n) => write!(f, "line {n}"),
            Location::JsonPath(p) => write!(f, "{p}"),
            Location::Element(p) => write!(f, "{p}"),
        }
    }
}

/// The file and place a component came from.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Source {
    pub file: String,
    pub location: Location,
}

/// One installed piece of software on an asset.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Component {
    /// OSV ecosystem with release where known (`Debian:12`, `PyPI`), as advisories key it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ecosystem: Option<String>,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// Canonical Package URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purl: Option<String>,
    /// CPE 2.3 formatted string.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpe: Option<String>,
    /// Vendor or publisher, where the format gives one (Windows programs, CSV exports).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vendor: Option<String>,
    /// The source package an OS package was built from: Debian and Red Hat advisories are keyed
    /// by it, not by the binary package name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_version: Option<String>,
    pub source: Source,
}
