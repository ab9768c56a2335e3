//! A deterministic synthetic corpus for benchmarks: advisories with realistic range shapes
//! across ecosystems, and a fleet of component instances drawn from a shared pool.
//!
//! Behind the non-default `corpus` feature, so the product never compiles it. The bench
//! (`benches/match.rs`) and the user-runnable example (`examples/corpus.rs`, which writes the
//! corpus as OSV JSON Lines and measures the index in separate processes) share it, so both
//! measure the same data. The generator is a splitmix64 stream from a fixed seed: the same seed
//! gives byte-identical output on every machine.
//!
//! Shapes, per `affected` entry: `0 → fixed` (40 %), 1–3 `introduced → fixed` branches (40 %),
//! `introduced → last_affected` (10 %), an open `introduced` (10 %); PyPI entries carry a
//! `versions` list half of the time; rpm versions carry an epoch for a quarter of the majors.
//! Package names are drawn with a skew from 25,000 per ecosystem, so popular packages collect
//! many advisories as in the real feeds. Half the advisories are GHSA records aliasing a CVE
//! that a database-native record (PYSEC, GO, RUSTSEC, ALSA, DSA, USN, ALPINE) aliases too, so
//! the alias groups have the real two-record shape.

use weerbaar_advisories::osv::{Advisory, Affected, Event, Package, Range, RangeType};

use crate::ComponentRef;

/// The advisory count of the full-size corpus the issue asks for.
pub const FULL_SIZE: usize = 500_000;

/// The seed of the published numbers.
pub const SEED: u64 = 0x5eed_2026;

const NAMES_PER_ECOSYSTEM: u64 = 25_000;

/// splitmix64: deterministic and dependency-free.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A stream from `seed`.
    #[must_use]
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`0` when `n` is 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }

    /// Skewed towards 0: popular packages are shared by many tenants and advisories.
    pub fn skewed(&mut self, n: u64) -> u64 {
        let a = self.below(n);
        let b = self.below(n);
        let c = self.below(n);
        a.min(b).min(c)
    }

    fn pick<T: Copy>(&mut self, items: &[T], default: T) -> T {
        let i = usize::try_from(self.below(items.len() as u64)).unwrap_or(0);
        items.get(i).copied().unwrap_or(default)
    }
}

/// The ecosystems of the corpus and the range type their feeds use.
const ECOSYSTEMS: &[(&str, RangeType)] = &[
    ("PyPI", RangeType::Ecosystem),
    ("npm", RangeType::Semver),
    ("Go", RangeType::Semver),
    ("crates.io", RangeType::Semver),
    ("Maven", RangeType::Ecosystem),
    ("RubyGems", RangeType::Ecosystem),
    ("NuGet", RangeType::Ecosystem),
    ("Packagist", RangeType::Ecosystem),
    ("Debian:12", RangeType::Ecosystem),
    ("Debian:11", RangeType::Ecosystem),
    ("Ubuntu:22.04:LTS", RangeType::Ecosystem),
    ("AlmaLinux:9", RangeType::Ecosystem),
    ("AlmaLinux:8", RangeType::Ecosystem),
    ("Alpine:v3.19", RangeType::Ecosystem),
];

fn package_name(eco: &str, n: u64) -> String {
    match eco {
        "Go" => format!("github.com/org{}/repo{n}", n % 97),
        "Maven" => format!("org.example{}:artifact-{n}", n % 53),
        "Packagist" => format!("vendor{}/pkg-{n}", n % 41),
        "npm" if n.is_multiple_of(5) => format!("@scope{}/pkg-{n}", n % 11),
        _ => format!("pkg-{n}"),
    }
}

fn version(eco: &str, major: u64, minor: u64, patch: u64) -> String {
    match eco.split(':').next().unwrap_or(eco) {
        "Debian" => format!("{major}.{minor}.{patch}-{}", 1 + patch % 3),
        "Ubuntu" => format!("{major}.{minor}.{patch}-0ubuntu{}", 1 + patch % 4),
        "AlmaLinux" => {
            if major.is_multiple_of(4) {
                format!("1:{major}.{minor}.{patch}-{}.el9", 1 + patch % 30)
            } else {
                format!("{major}.{minor}.{patch}-{}.el9", 1 + patch % 30)
            }
        }
        "Alpine" => format!("{major}.{minor}.{patch}-r{}", patch % 3),
        _ => format!("{major}.{minor}.{patch}"),
    }
}

/// An endless, deterministic stream of advisories; take [`FULL_SIZE`] for the full corpus.
/// Generating one at a time lets a writer produce the corpus without holding it in memory.
#[derive(Debug, Clone)]
pub struct Advisories {
    rng: Rng,
    next: usize,
}

impl Advisories {
    /// The stream for `seed`.
    #[must_use]
    pub fn new(seed: u64) -> Self {
        Self {
            rng: Rng::new(seed),
            next: 0,
        }
    }

    fn affected(&mut self, eco: &str, kind: RangeType) -> Affected {
        let rng = &mut self.rng;
        let name = package_name(eco, rng.skewed(NAMES_PER_ECOSYSTEM));
        let mut events = Vec::new();
        let major = rng.below(6);
        match rng.below(10) {
            0..=3 => {
                events.push(Event::Introduced("0".into()));
                events.push(Event::Fixed(version(
                    eco,
                    major,
                    rng.below(20),
                    rng.below(30),
                )));
            }
            4..=7 => {
                for b in 0..1 + rng.below(3) {
                    let minor = b * 5 + rng.below(5);
                    events.push(Event::Introduced(version(eco, major, minor, 0)));
                    events.push(Event::Fixed(version(eco, major, minor, 1 + rng.below(20))));
                }
            }
            8 => {
                events.push(Event::Introduced(version(eco, major, 0, 0)));
                events.push(Event::LastAffected(version(
                    eco,
                    major,
                    rng.below(20),
                    rng.below(30),
                )));
            }
            _ => events.push(Event::Introduced(version(eco, major, rng.below(5), 0))),
        }
        let mut versions = Vec::new();
        if eco == "PyPI" && rng.below(2) == 0 {
            for p in 0..rng.below(15) {
                versions.push(version(eco, major, 0, p));
            }
        }
        Affected {
            package: Some(Package {
                ecosystem: eco.to_owned(),
                name,
                purl: None,
            }),
            severity: Vec::new(),
            ranges: vec![Range {
                kind,
                repo: None,
                events,
            }],
            versions,
        }
    }
}

impl Iterator for Advisories {
    type Item = Advisory;

    fn next(&mut self) -> Option<Advisory> {
        let i = self.next;
        self.next += 1;
        let (eco, kind) = self.rng.pick(ECOSYSTEMS, ("PyPI", RangeType::Ecosystem));
        let n_affected = 1 + self.rng.below(3);
        let affected = (0..n_affected).map(|_| self.affected(eco, kind)).collect();
        let cve = format!("CVE-2024-{}", 10_000 + i / 2);
        let id = if i.is_multiple_of(2) {
            format!("GHSA-{i:04x}-bench-x{}", i % 7)
        } else {
            let prefix = match eco.split(':').next().unwrap_or_default() {
                "PyPI" => "PYSEC",
                "Go" => "GO",
                "crates.io" => "RUSTSEC",
                "AlmaLinux" => "ALSA",
                "Debian" => "DSA",
                "Ubuntu" => "USN",
                "Alpine" => "ALPINE",
                _ => "OSV",
            };
            format!("{prefix}-2024-{i}")
        };
        Some(Advisory {
            schema_version: None,
            id,
            modified: "2024-01-01T00:00:00Z".into(),
            published: None,
            withdrawn: None,
            aliases: vec![cve],
            related: Vec::new(),
            upstream: Vec::new(),
            summary: None,
            details: None,
            severity: Vec::new(),
            affected,
            references: Vec::new(),
            credits: Vec::new(),
            database_severity: None,
        })
    }
}

/// Component instances of many tenants drawn with a skew from one pool of installed packages,
/// as real fleets share most packages.
#[derive(Debug, Clone)]
pub struct Fleet {
    /// Distinct installed packages: (ecosystem with release, name, version).
    pub pool: Vec<(String, String, String)>,
    /// Every instance, as an index into `pool`, tenant after tenant.
    pub instances: Vec<u32>,
}

impl Fleet {
    /// `tenants × per_tenant` instances drawn from a pool of `pool` packages.
    #[must_use]
    pub fn new(seed: u64, pool: usize, tenants: usize, per_tenant: usize) -> Self {
        let mut rng = Rng::new(seed);
        let pool: Vec<(String, String, String)> = (0..pool)
            .map(|_| {
                let (eco, _) = rng.pick(ECOSYSTEMS, ("PyPI", RangeType::Ecosystem));
                // Components report the plain release (`Ubuntu:22.04`), Go versions with `v`.
                let eco_c = if eco.starts_with("Ubuntu") {
                    "Ubuntu:22.04"
                } else {
                    eco
                };
                let name = package_name(eco, rng.skewed(NAMES_PER_ECOSYSTEM));
                let mut v = version(eco, rng.below(6), rng.below(20), rng.below(30));
                if eco == "Go" {
                    v.insert(0, 'v');
                }
                (eco_c.to_owned(), name, v)
            })
            .collect();
        let instances = (0..tenants * per_tenant)
            .map(|_| u32::try_from(rng.skewed(pool.len() as u64)).unwrap_or(0))
            .collect();
        Self { pool, instances }
    }

    /// The fleet: 300 tenants × 3,300 components from a pool of 60,000 packages.
    #[must_use]
    pub fn full_size(seed: u64) -> Self {
        Self::new(seed, 60_000, 300, 3_300)
    }

    /// The instances as the matcher takes them.
    #[must_use]
    pub fn components(&self) -> Vec<ComponentRef<'_>> {
        self.instances
            .iter()
            .filter_map(|&i| self.pool.get(i as usize))
            .map(|(e, n, v)| ComponentRef::new(e, n, v))
            .collect()
    }
}
