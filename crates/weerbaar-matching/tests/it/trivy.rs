//! trivy's integration fixtures: a trivy-db (its own bucket format, not OSV) and the expected
//! scan results ("goldens") of 15 OS images.
//!
//! # How the goldens are replayed
//!
//! * **Advisories.** The db fixture is converted to OSV records, one per trivy key (`CVE-…`,
//!   `RHSA-…`, `openSUSE-SU-…`), with an `affected` entry per (release bucket, package bucket):
//!   `introduced: 0`, plus `fixed: FixedVersion` when the entry has one. An entry without a
//!   FixedVersion is an open range: trivy reports those whatever their status (`affected`,
//!   `will_not_fix`, `end_of_life`, Debian's `postponed`), and so does OSV's evaluation. Release
//!   buckets become OSV ecosystems as OSV spells them: `debian 9` → `Debian:9`, `ubuntu 18.04` →
//!   `Ubuntu:18.04:LTS`, `alpine 3.10` → `Alpine:v3.10`, `alma 8` → `AlmaLinux:8`, `CBL-Mariner
//!   1.0` → `Azure Linux:1.0`, `openSUSE Leap 15.1` → `openSUSE:Leap 15.1`. Red Hat's single
//!   `Red Hat` bucket lists, per entry, the CPE indices it affects; each index the fixture's
//!   `Red Hat CPE` bucket names becomes OSV's Red Hat ecosystem, the CPE without
//!   `cpe:/o:redhat:` (`Red Hat:enterprise_linux:7::server`). A Red Hat key's `Cves` become the
//!   record's aliases. All distributions share one index, so every image meets the other
//!   releases' entries for its packages (Ubuntu 22.04's open `bash` entry would match Ubuntu
//!   18.04's `bash` without release scoping).
//! * **Components** go through weerbaar's inventory path: each golden row's package URL and the
//!   image's OS (trivy's family as an os-release `ID`, its OS name as `VERSION_ID`) are
//!   enriched by `weerbaar_inventory::enrich`, which derives the ecosystem (`debian-10.1` →
//!   `Debian:10`, `3.10.2` → `Alpine:v3.10`, `redhat-7.7` → `Red Hat:enterprise_linux:7`) and
//!   the version with its epoch. The goldens do not record source packages, which a dpkg, apk or
//!   rpm database would give; [`SOURCES`] supplies them for the binary packages whose source
//!   differs — a statement about each distribution's packaging, not about the results.
//! * **Rows.** A golden row is (package, installed, vulnerability id, fixed). trivy prints one
//!   row per CVE while weerbaar reports one finding per alias group, so a finding stands for
//!   each CVE among its ids (an `RHSA` covering two CVEs is two trivy rows), or for its primary
//!   id when it has no CVE (`openSUSE-SU-…`).
//!
//! # Results per golden (see [`IMAGES`])
//!
//! Reproduced exactly (set equality of rows): AlmaLinux 8, Rocky Linux 8, Photon OS 3.0,
//! CBL-Mariner 1.0, openSUSE Leap 15.1, Debian 10 (buster), Debian 9 (stretch and
//! distroless-base), Ubuntu 18.04, Alpine 3.9 and 3.10 (advisories keyed by the apk *origin*,
//! which the importer stores as `source_name`: `libssl1.1` finds openssl's), Red Hat UBI 7, and
//! CentOS 7 — the last with its ecosystem given as `Red Hat:enterprise_linux:7`, because
//! weerbaar's enrichment maps no `centos` purl while trivy scans CentOS with RHEL's advisories
//! and RHEL 7's default content sets.
//!
//! Not reproduced:
//! * **Amazon Linux 2 and Oracle Linux 8**: OSV defines no ecosystem for either, and weerbaar
//!   has none; mapping them onto RHEL would be wrong (Amazon Linux is not a RHEL rebuild, and
//!   Oracle publishes its own errata with its own release strings). What is asserted instead:
//!   the OSV evaluation of the release's bucket (open range below FixedVersion, rpm ordering)
//!   gives exactly trivy's rows (trivy orders Amazon's versions with the Debian comparison; the
//!   dpkg scheme agrees on every pair), and weerbaar's enrichment gives these packages no
//!   ecosystem.
//!
//! Not checkable from these files: packages trivy found *not* vulnerable. The goldens list only
//! vulnerable packages, so a false positive on another installed package would go unnoticed;
//! the fixture's non-matching entries (AlmaLinux's older fix, Ubuntu's CVE-2016-9401, Amazon
//! Linux 1's and RHEL 6's entries for the same packages) are the negatives this replay has.
//! weerbaar ignores the `Arches` trivy filters Red Hat and Oracle entries by (OSV has no
//! architecture); every such entry here lists the image's `x86_64`.

use std::collections::{BTreeMap, BTreeSet};

use weerbaar_advisories::osv::{Advisory, Affected, Event, Package, Range, RangeType};
use weerbaar_inventory::model::{Component, Location, OperatingSystem, Source};
use weerbaar_inventory::{Format, ImportedAsset, Inventory};
use weerbaar_matching::{ComponentRef, Index, MatchedBy, Matcher, release_matches};
use weerbaar_versions::Scheme;

/// (package, installed, vulnerability id, fixed or "").
type Row = (String, String, String, String);

/// What the replay of one golden must give.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    /// Exactly the golden's rows, through enrichment and the matcher.
    Exact,
    /// Exactly the golden's rows, once the component is given this ecosystem base (enrichment
    /// gives it none) with the golden's major release.
    ExactAs(&'static str),
    /// No ecosystem: the OSV evaluation of this trivy release bucket, with rpm ordering.
    NoEcosystem(&'static str),
}

struct Image {
    golden: &'static str,
    /// The image's os-release `ID` (trivy's family names differ: `alma`, `redhat`, `oracle`).
    os_id: &'static str,
    expect: Expect,
}

const IMAGES: &[Image] = &[
    image("almalinux-8.json", "almalinux", Expect::Exact),
    image("rockylinux-8.json", "rocky", Expect::Exact),
    image("photon-30.json", "photon", Expect::Exact),
    image("mariner-1.0.json", "mariner", Expect::Exact),
    image("opensuse-leap-151.json", "opensuse-leap", Expect::Exact),
    image("debian-buster.json", "debian", Expect::Exact),
    image("debian-stretch.json", "debian", Expect::Exact),
    image("distroless-base.json", "debian", Expect::Exact),
    image("ubuntu-1804.json", "ubuntu", Expect::Exact),
    image("ubi-7.json", "rhel", Expect::Exact),
    image(
        "centos-7.json",
        "centos",
        Expect::ExactAs("Red Hat:enterprise_linux:"),
    ),
    image("alpine-39.json", "alpine", Expect::Exact),
    image("alpine-310.json", "alpine", Expect::Exact),
    image(
        "amazon-2.json",
        "amzn",
        Expect::NoEcosystem("amazon linux "),
    ),
    image(
        "oraclelinux-8.json",
        "ol",
        Expect::NoEcosystem("Oracle Linux "),
    ),
];

const fn image(golden: &'static str, os_id: &'static str, expect: Expect) -> Image {
    Image {
        golden,
        os_id,
        expect,
    }
}

/// (purl type/namespace, binary package, source package) for the golden packages built from a
/// source package of another name: Debian's `e2fsprogs` builds `e2fslibs`, `libcomerr2` and
/// `libss2` (stretch), Ubuntu's builds `libcom-err2`, `libext2fs2` and `libss2`; `openssl`
/// builds `libssl1.1` (Debian), `libcrypto1.1` and `libssl1.1` (Alpine's origin) and
/// `openssl-libs` (RHEL and its rebuilds); `libidn2` builds `libidn2-0`; Alpine's `musl` builds
/// `musl-utils`; Photon's `curl` builds `curl-libs`; openSUSE's `openssl-1_1` builds
/// `libopenssl1_1`.
const SOURCES: &[(&str, &str, &str)] = &[
    ("deb/debian", "e2fslibs", "e2fsprogs"),
    ("deb/debian", "libcomerr2", "e2fsprogs"),
    ("deb/debian", "libss2", "e2fsprogs"),
    ("deb/debian", "libssl1.1", "openssl"),
    ("deb/debian", "libidn2-0", "libidn2"),
    ("deb/ubuntu", "libcom-err2", "e2fsprogs"),
    ("deb/ubuntu", "libext2fs2", "e2fsprogs"),
    ("deb/ubuntu", "libss2", "e2fsprogs"),
    ("apk/alpine", "libcrypto1.1", "openssl"),
    ("apk/alpine", "libssl1.1", "openssl"),
    ("apk/alpine", "musl-utils", "musl"),
    ("rpm/alma", "openssl-libs", "openssl"),
    ("rpm/rocky", "openssl-libs", "openssl"),
    ("rpm/centos", "openssl-libs", "openssl"),
    ("rpm/photon", "curl-libs", "curl"),
    ("rpm/opensuse", "libopenssl1_1", "openssl-1_1"),
];

// ---------------------------------------------------------------------------------------------
// The YAML subset trivy-db fixtures use: block maps and sequences, plain or double-quoted
// scalars, `{}`, `#` comments. No YAML crate in the workspace, and this is all the files need.

#[derive(Debug, Clone)]
enum Yaml {
    Scalar(String),
    Map(Vec<(String, Yaml)>),
    Seq(Vec<Yaml>),
}

impl Yaml {
    fn get(&self, key: &str) -> Option<&Yaml> {
        match self {
            Yaml::Map(m) => m.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    fn text(&self, key: &str) -> Option<&str> {
        match self.get(key)? {
            Yaml::Scalar(s) if !s.is_empty() => Some(s),
            _ => None,
        }
    }

    fn items(&self, key: &str) -> &[Yaml] {
        match self.get(key) {
            Some(Yaml::Seq(s)) => s,
            _ => &[],
        }
    }

    fn as_text(&self) -> Option<&str> {
        match self {
            Yaml::Scalar(s) => Some(s),
            _ => None,
        }
    }
}

fn scalar(raw: &str) -> String {
    let s = raw.trim();
    if let Some(quoted) = s.strip_prefix('"') {
        return quoted.split('"').next().unwrap_or(quoted).to_owned();
    }
    s.split(" #").next().unwrap_or(s).trim().to_owned()
}

fn is_item(line: &str) -> bool {
    line == "-" || line.starts_with("- ")
}

fn parse_yaml(text: &str) -> Yaml {
    let mut lines: Vec<(usize, String)> = text
        .lines()
        .filter_map(|l| {
            let l = l.trim_end();
            let body = l.trim_start();
            (!body.is_empty() && !body.starts_with('#'))
                .then(|| (l.len() - body.len(), body.into()))
        })
        .collect();
    let mut i = 0;
    let indent = lines.first().map_or(0, |l| l.0);
    let doc = block(&mut lines, &mut i, indent);
    assert_eq!(i, lines.len(), "unparsed YAML from line {:?}", lines.get(i));
    doc
}

fn block(lines: &mut [(usize, String)], i: &mut usize, indent: usize) -> Yaml {
    if lines.get(*i).is_some_and(|(_, t)| is_item(t)) {
        seq(lines, i, indent)
    } else {
        map(lines, i, indent)
    }
}

fn seq(lines: &mut [(usize, String)], i: &mut usize, indent: usize) -> Yaml {
    let mut items = Vec::new();
    while let Some((ind, t)) = lines.get(*i).cloned() {
        if ind != indent || !is_item(&t) {
            break;
        }
        let rest = t[1..].trim_start();
        if rest.is_empty() {
            *i += 1;
            match lines.get(*i).map(|l| l.0) {
                Some(child) if child > indent => items.push(block(lines, i, child)),
                _ => items.push(Yaml::Scalar(String::new())),
            }
        } else if is_item(rest) || rest.contains(": ") || rest.ends_with(':') {
            // `- key: value` opens a map (or `- - x` a sequence) at the column after `- `.
            let child = indent + (t.len() - rest.len());
            lines[*i] = (child, rest.to_owned());
            items.push(block(lines, i, child));
        } else {
            items.push(Yaml::Scalar(scalar(rest)));
            *i += 1;
        }
    }
    Yaml::Seq(items)
}

fn map(lines: &mut [(usize, String)], i: &mut usize, indent: usize) -> Yaml {
    let mut entries = Vec::new();
    while let Some((ind, t)) = lines.get(*i).cloned() {
        if ind != indent || is_item(&t) {
            break;
        }
        let (key, value) = match t.split_once(": ") {
            Some((k, v)) => (k, v.trim()),
            None => (t.strip_suffix(':').unwrap_or(&t), ""),
        };
        *i += 1;
        let value = if value == "{}" {
            Yaml::Map(Vec::new())
        } else if !value.is_empty() && !value.starts_with('#') {
            Yaml::Scalar(scalar(value))
        } else {
            match lines.get(*i) {
                Some((c, ct)) if *c > indent || (*c == indent && is_item(ct)) => {
                    let c = *c;
                    block(lines, i, c)
                }
                _ => Yaml::Scalar(String::new()),
            }
        };
        entries.push((scalar(key), value));
    }
    Yaml::Map(entries)
}

// ---------------------------------------------------------------------------------------------
// trivy-db → OSV

/// One trivy-db advisory: release bucket, package bucket, key and value.
#[derive(Debug, Clone)]
struct DbEntry {
    os: String,
    pkg: String,
    key: String,
    value: Yaml,
}

fn db_entries(doc: &Yaml) -> Vec<DbEntry> {
    let Yaml::Seq(buckets) = doc else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for os in buckets {
        for pkg in os.items("pairs") {
            for kv in pkg.items("pairs") {
                out.push(DbEntry {
                    os: os.text("bucket").unwrap_or_default().to_owned(),
                    pkg: pkg.text("bucket").unwrap_or_default().to_owned(),
                    key: kv.text("key").unwrap_or_default().to_owned(),
                    value: kv.get("value").cloned().unwrap_or(Yaml::Map(Vec::new())),
                });
            }
        }
    }
    out
}

fn load(file: &str) -> Option<Yaml> {
    let path = weerbaar_fixtures::fixture(format!("matching-oracles/trivy/db-fixtures/{file}"))?;
    Some(parse_yaml(&std::fs::read_to_string(path).expect("read")))
}

/// The OSV ecosystem of a trivy release bucket, or `None` when OSV has none (Amazon Linux,
/// Oracle Linux, Alpine's `edge` branch).
fn osv_ecosystem(bucket: &str) -> Option<String> {
    const PREFIXES: &[(&str, &str)] = &[
        ("alma ", "AlmaLinux"),
        ("rocky ", "Rocky Linux"),
        ("Photon OS ", "Photon OS"),
        ("CBL-Mariner ", "Azure Linux"),
        ("openSUSE ", "openSUSE"),
        ("debian ", "Debian"),
        ("ubuntu ", "Ubuntu"),
        ("alpine ", "Alpine"),
    ];
    let (release, base) = PREFIXES
        .iter()
        .find_map(|(p, base)| Some((bucket.strip_prefix(p)?, *base)))?;
    let release = match base {
        "Alpine" if release == "edge" => return None,
        "Alpine" => format!("v{release}"),
        // LTS releases are the even years' April ones; OSV marks them.
        "Ubuntu"
            if release.ends_with(".04") && release[..2].parse::<u8>().is_ok_and(|y| y % 2 == 0) =>
        {
            format!("{release}:LTS")
        }
        _ => release.to_owned(),
    };
    Some(format!("{base}:{release}"))
}

#[derive(Default)]
struct Record {
    aliases: BTreeSet<String>,
    affected: Vec<Affected>,
}

fn affected(ecosystem: &str, name: &str, fixed: Option<&str>) -> Affected {
    let mut events = vec![Event::Introduced("0".into())];
    events.extend(fixed.map(|f| Event::Fixed(f.to_owned())));
    Affected {
        package: Some(Package {
            ecosystem: ecosystem.to_owned(),
            name: name.to_owned(),
            purl: None,
        }),
        severity: Vec::new(),
        ranges: vec![Range {
            kind: RangeType::Ecosystem,
            repo: None,
            events,
        }],
        versions: Vec::new(),
    }
}

/// The `Red Hat CPE` bucket: index → OSV release (`enterprise_linux:7::server`), and the
/// content sets and image NVRs that select indices.
struct RedHatCpes {
    releases: BTreeMap<String, String>,
    selectors: BTreeMap<String, Vec<String>>,
}

fn red_hat_cpes(doc: &Yaml) -> RedHatCpes {
    let mut cpes = RedHatCpes {
        releases: BTreeMap::new(),
        selectors: BTreeMap::new(),
    };
    for e in db_entries(doc) {
        match (e.pkg.as_str(), &e.value) {
            ("cpe", Yaml::Scalar(cpe)) => {
                let release = cpe
                    .strip_prefix("cpe:/o:redhat:")
                    .expect("a Red Hat OS CPE");
                cpes.releases.insert(e.key, release.to_owned());
            }
            (_, Yaml::Seq(indices)) => {
                let indices = indices.iter().filter_map(Yaml::as_text).map(str::to_owned);
                cpes.selectors.insert(e.key, indices.collect());
            }
            other => panic!("unexpected Red Hat CPE entry {other:?}"),
        }
    }
    cpes
}

struct Db {
    advisories: Vec<Advisory>,
    /// Entries of release buckets OSV has no ecosystem for.
    unconverted: Vec<DbEntry>,
    cpes: RedHatCpes,
}

const DB_FILES: &[&str] = &[
    "almalinux.yaml",
    "rockylinux.yaml",
    "photon.yaml",
    "mariner.yaml",
    "opensuse.yaml",
    "debian.yaml",
    "ubuntu.yaml",
    "alpine.yaml",
    "redhat.yaml",
    "amazon.yaml",
    "oracle.yaml",
];

fn db() -> Option<Db> {
    let cpes = red_hat_cpes(&load("cpe.yaml")?);
    let mut records: BTreeMap<String, Record> = BTreeMap::new();
    let mut unconverted = Vec::new();
    for file in DB_FILES {
        for e in db_entries(&load(file)?) {
            if e.os == "Red Hat" {
                let record = records.entry(e.key.clone()).or_default();
                for entry in e.value.items("Entries") {
                    // Status 1 is trivy-db's "not affected"; an open range would be wrong.
                    assert_ne!(entry.text("Status"), Some("1"), "{e:?}");
                    let cves = entry.items("Cves").iter().filter_map(|c| c.text("ID"));
                    record
                        .aliases
                        .extend(cves.filter(|id| *id != e.key).map(str::to_owned));
                    // Indices the CPE bucket does not name cannot be selected by any image.
                    for release in entry
                        .items("Affected")
                        .iter()
                        .filter_map(|i| cpes.releases.get(i.as_text()?))
                    {
                        record.affected.push(affected(
                            &format!("Red Hat:{release}"),
                            &e.pkg,
                            entry.text("FixedVersion"),
                        ));
                    }
                }
            } else if let Some(ecosystem) = osv_ecosystem(&e.os) {
                let fixed = e.value.text("FixedVersion");
                let record = records.entry(e.key.clone()).or_default();
                record.affected.push(affected(&ecosystem, &e.pkg, fixed));
            } else {
                unconverted.push(e);
            }
        }
    }
    let advisories = records
        .into_iter()
        .filter(|(_, r)| !r.affected.is_empty())
        .map(|(id, r)| Advisory {
            schema_version: None,
            id,
            modified: "2024-01-01T00:00:00Z".into(),
            published: None,
            withdrawn: None,
            aliases: r.aliases.into_iter().collect(),
            related: Vec::new(),
            upstream: Vec::new(),
            summary: None,
            details: None,
            severity: Vec::new(),
            affected: r.affected,
            references: Vec::new(),
            credits: Vec::new(),
            database_severity: None,
        })
        .collect();
    Some(Db {
        advisories,
        unconverted,
        cpes,
    })
}

// ---------------------------------------------------------------------------------------------
// Goldens

struct Golden {
    /// trivy's OS name: `10.1`, `3.10.2`, `2 (Karoo)`.
    os_name: String,
    rows: BTreeSet<Row>,
    /// (name, purl) of every package with a row, in order of appearance.
    packages: Vec<(String, String)>,
}

fn golden(file: &str) -> Option<Golden> {
    let path = weerbaar_fixtures::fixture(format!("matching-oracles/trivy/goldens/{file}"))?;
    let doc: serde_json::Value =
        serde_json::from_slice(&std::fs::read(path).expect("read")).expect("json");
    let mut g = Golden {
        os_name: doc["Metadata"]["OS"]["Name"]
            .as_str()
            .expect("OS name")
            .to_owned(),
        rows: BTreeSet::new(),
        packages: Vec::new(),
    };
    for v in doc["Results"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|r| r["Vulnerabilities"].as_array().into_iter().flatten())
    {
        let s = |k: &str| v[k].as_str().unwrap_or_default().to_owned();
        let purl = v["PkgIdentifier"]["PURL"]
            .as_str()
            .expect("PURL")
            .to_owned();
        if !g.packages.iter().any(|(_, p)| *p == purl) {
            g.packages.push((s("PkgName"), purl));
        }
        g.rows.insert((
            s("PkgName"),
            s("InstalledVersion"),
            s("VulnerabilityID"),
            s("FixedVersion"),
        ));
    }
    assert!(!g.rows.is_empty(), "{file}");
    Some(g)
}

/// The source package of `name`, from [`SOURCES`] (`pkg:deb/debian/…` → `deb/debian`).
fn source_of(purl: &str, name: &str) -> Option<&'static str> {
    let kind = purl.strip_prefix("pkg:")?;
    SOURCES
        .iter()
        .find(|(k, n, _)| *n == name && kind.starts_with(&format!("{k}/")))
        .map(|(_, _, s)| *s)
}

/// The golden's packages as an enriched inventory: what weerbaar would hold for the image.
fn inventory(image: &Image, g: &Golden) -> Vec<Component> {
    let components = g
        .packages
        .iter()
        .enumerate()
        .map(|(i, (name, purl))| Component {
            ecosystem: None,
            name: name.clone(),
            version: None,
            purl: Some(purl.clone()),
            cpe: None,
            vendor: None,
            source_name: source_of(purl, name).map(str::to_owned),
            source_version: None,
            source: Source {
                file: image.golden.to_owned(),
                location: Location::JsonPath(format!("$.packages[{i}]")),
            },
        })
        .collect();
    let mut inv = Inventory::single(
        Format::CycloneDxJson,
        ImportedAsset {
            os: Some(OperatingSystem {
                id: image.os_id.to_owned(),
                // os-release's VERSION_ID; trivy appends Amazon's codename (`2 (Karoo)`).
                version_id: g.os_name.split_whitespace().next().map(str::to_owned),
                ..OperatingSystem::default()
            }),
            components,
            ..ImportedAsset::default()
        },
    );
    weerbaar_inventory::enrich(&mut inv);
    assert!(inv.warnings.is_empty(), "{:?}", inv.warnings);
    inv.assets.into_iter().flat_map(|a| a.components).collect()
}

/// trivy's rows for weerbaar's findings (see the module docs).
fn rows(index: &Index, comps: &[ComponentRef<'_>]) -> BTreeSet<Row> {
    let mut out = BTreeSet::new();
    for f in Matcher::match_components(index, comps) {
        assert!(f.fixed.len() <= 1, "{f:?}");
        // trivy prints a zero epoch away (`0:8.2.4082-1.cm1` → `8.2.4082-1.cm1`).
        let fixed = f.fixed.first().map_or(String::new(), |x| {
            x.strip_prefix("0:").unwrap_or(x).to_owned()
        });
        let mut ids: Vec<&String> = f.ids.iter().filter(|i| i.starts_with("CVE-")).collect();
        if ids.is_empty() {
            ids.push(&f.id);
        }
        for id in ids {
            out.insert((
                f.package.name.clone(),
                f.package.version.clone(),
                id.clone(),
                fixed.clone(),
            ));
        }
    }
    out
}

/// The OSV evaluation of one trivy release bucket by hand, for distributions weerbaar has no
/// ecosystem for: each entry for the package is an open range below its FixedVersion, ordered
/// with the rpm scheme.
fn evaluate_bucket(entries: &[DbEntry], bucket: &str, comps: &[Component]) -> BTreeSet<Row> {
    let mut out = BTreeSet::new();
    for c in comps {
        let installed = c.version.as_deref().expect("version from the purl");
        for e in entries.iter().filter(|e| e.os == bucket && e.pkg == c.name) {
            let fixed = e.value.text("FixedVersion").unwrap_or_default();
            let affected = fixed.is_empty()
                || Scheme::Rpm
                    .compare(installed, fixed)
                    .expect("rpm versions")
                    .is_lt();
            if affected {
                out.insert((
                    c.name.clone(),
                    installed.to_owned(),
                    e.key.clone(),
                    fixed.to_owned(),
                ));
            }
        }
    }
    out
}

#[test]
fn trivy_goldens() {
    let Some(db) = db() else { return };
    let index = Index::build(&db.advisories);
    assert!(index.warnings().is_empty(), "{:?}", index.warnings());
    let mut summary = Vec::new();
    for image in IMAGES {
        let Some(g) = golden(image.golden) else {
            return;
        };
        let components = inventory(image, &g);
        let version_id = g.os_name.split_whitespace().next().unwrap_or_default();
        let major = version_id.split('.').next().unwrap_or_default();
        let fallback = match image.expect {
            Expect::ExactAs(base) => format!("{base}{major}"),
            _ => String::new(),
        };
        let comps: Vec<ComponentRef<'_>> = components
            .iter()
            .filter_map(|c| {
                ComponentRef::from_component(c, MatchedBy::Purl).or_else(|| {
                    // The explanation of ExactAs/NoEcosystem: enrichment has no ecosystem here.
                    assert!(c.ecosystem.is_none(), "{c:?}");
                    let version = c.version.as_deref()?;
                    let mut r = ComponentRef::new(&fallback, &c.name, version);
                    r.source_name = c.source_name.as_deref();
                    (!fallback.is_empty()).then_some(r)
                })
            })
            .collect();
        let got = rows(&index, &comps);
        let note = match image.expect {
            Expect::Exact => {
                assert_eq!(comps.len(), components.len(), "{}", image.golden);
                assert_eq!(got, g.rows, "{}", image.golden);
                format!("{}/{} exact", got.len(), g.rows.len())
            }
            Expect::ExactAs(_) => {
                assert_eq!(got, g.rows, "{}", image.golden);
                format!(
                    "{}/{} exact, as {fallback} (enrichment maps no {} purl)",
                    got.len(),
                    g.rows.len(),
                    image.os_id
                )
            }
            Expect::NoEcosystem(prefix) => {
                assert!(comps.is_empty(), "{}", image.golden);
                let bucket = format!("{prefix}{major}");
                let by_hand = evaluate_bucket(&db.unconverted, &bucket, &components);
                assert_eq!(by_hand, g.rows, "{}", image.golden);
                // trivy orders Amazon Linux versions with the Debian comparison (its amazon
                // detector), Oracle's with rpm's; on these pairs the two agree.
                for (_, installed, _, fixed) in g.rows.iter().filter(|r| !r.3.is_empty()) {
                    let dpkg = Scheme::Dpkg
                        .compare(installed, fixed)
                        .expect("dpkg versions");
                    assert!(dpkg.is_lt(), "{}: {installed} {fixed}", image.golden);
                }
                format!(
                    "0/{} by the matcher (no OSV ecosystem); {}/{} by OSV evaluation of \
                     trivy's {bucket:?} bucket with rpm ordering",
                    g.rows.len(),
                    by_hand.len(),
                    g.rows.len()
                )
            }
        };
        summary.push(format!("  {:<24} {note}", image.golden));
    }
    println!("trivy goldens, (package, installed, id, fixed) rows:");
    for line in summary {
        println!("{line}");
    }
}

/// trivy selects Red Hat entries by the CPEs of the image's content sets (ubi-7: its NVR;
/// CentOS 7: RHEL 7's default `rhel-7-server-rpms`); weerbaar by its release as a prefix of the
/// stream-qualified ones. Over the fixture's CPEs the two select the same.
#[test]
fn red_hat_content_sets_select_what_the_release_prefix_selects() {
    let Some(db) = db() else { return };
    for (selector, major) in [
        ("ubi7-container-7.7-140-x86_64", "7"),
        ("rhel-7-server-rpms", "7"),
        ("rhel-6-server-rpms", "6"),
    ] {
        let trivy: BTreeSet<&str> = db.cpes.selectors[selector]
            .iter()
            .map(|i| db.cpes.releases[i].as_str())
            .collect();
        let weerbaar: BTreeSet<&str> = db
            .cpes
            .releases
            .values()
            .map(String::as_str)
            .filter(|r| {
                release_matches(
                    "Red Hat",
                    Scheme::Rpm,
                    Some(r),
                    Some(&format!("enterprise_linux:{major}")),
                )
            })
            .collect();
        assert_eq!(trivy, weerbaar, "{selector}");
        assert_eq!(trivy.len(), 1, "{selector}");
    }
}

/// Alpine's secdb, OSV's Alpine records and trivy key advisories by the origin package, which
/// weerbaar's apk importer stores as `source_name`: `libssl1.1` (origin `openssl`) must find
/// openssl's advisories. (A regression test: the matcher once looked apk components up by the
/// binary name only.)
#[test]
fn alpine_matches_by_origin_package() {
    let Some(db) = db() else { return };
    let index = Index::build(&db.advisories);
    for golden_file in ["alpine-39.json", "alpine-310.json"] {
        let image = IMAGES
            .iter()
            .find(|i| i.golden == golden_file)
            .expect("listed");
        let Some(g) = golden(golden_file) else { return };
        let components = inventory(image, &g);
        let comps: Vec<ComponentRef<'_>> = components
            .iter()
            .filter_map(|c| ComponentRef::from_component(c, MatchedBy::Purl))
            .collect();
        assert_eq!(rows(&index, &comps), g.rows, "{golden_file}");
    }
}
