//! Fixed-seed benchmark: 500,000 synthetic advisories with realistic range shapes across
//! ecosystems, and 1,000,000 component instances (300 tenants × 3,300 components drawn with a
//! skewed popularity from a shared pool, as real fleets share most packages).
//!
//! Run: `cargo bench -p weerbaar-matching --bench match`. Prints a Markdown table.

use std::time::Instant;

use weerbaar_advisories::osv::{Advisory, Affected, Event, Package, Range, RangeType};
use weerbaar_matching::{ComponentRef, Index, Matcher};

const ADVISORIES: usize = 500_000;
const TENANTS: usize = 300;
const PER_TENANT: usize = 3_300;
const NAMES_PER_ECOSYSTEM: u64 = 25_000;

/// splitmix64: deterministic, dependency-free.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    /// Skewed towards 0: popular packages are shared by many tenants.
    fn skewed(&mut self, n: u64) -> u64 {
        let a = self.below(n);
        let b = self.below(n);
        let c = self.below(n);
        a.min(b).min(c)
    }
}

#[derive(Clone, Copy)]
struct Eco {
    name: &'static str,
    kind: RangeType,
}

const ECOS: &[Eco] = &[
    Eco {
        name: "PyPI",
        kind: RangeType::Ecosystem,
    },
    Eco {
        name: "npm",
        kind: RangeType::Semver,
    },
    Eco {
        name: "Go",
        kind: RangeType::Semver,
    },
    Eco {
        name: "crates.io",
        kind: RangeType::Semver,
    },
    Eco {
        name: "Maven",
        kind: RangeType::Ecosystem,
    },
    Eco {
        name: "RubyGems",
        kind: RangeType::Ecosystem,
    },
    Eco {
        name: "NuGet",
        kind: RangeType::Ecosystem,
    },
    Eco {
        name: "Packagist",
        kind: RangeType::Ecosystem,
    },
    Eco {
        name: "Debian:12",
        kind: RangeType::Ecosystem,
    },
    Eco {
        name: "Debian:11",
        kind: RangeType::Ecosystem,
    },
    Eco {
        name: "Ubuntu:22.04:LTS",
        kind: RangeType::Ecosystem,
    },
    Eco {
        name: "AlmaLinux:9",
        kind: RangeType::Ecosystem,
    },
    Eco {
        name: "AlmaLinux:8",
        kind: RangeType::Ecosystem,
    },
    Eco {
        name: "Alpine:v3.19",
        kind: RangeType::Ecosystem,
    },
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

fn advisories(rng: &mut Rng) -> Vec<Advisory> {
    let mut out = Vec::with_capacity(ADVISORIES);
    for i in 0..ADVISORIES {
        let eco = ECOS[rng.below(ECOS.len() as u64) as usize];
        let n_affected = 1 + rng.below(3) as usize;
        let mut affected = Vec::with_capacity(n_affected);
        for _ in 0..n_affected {
            let name = package_name(eco.name, rng.skewed(NAMES_PER_ECOSYSTEM));
            let mut ranges = Vec::new();
            let mut versions = Vec::new();
            // Shapes: `0 → fixed`, `introduced → fixed` per branch (1–3 branches),
            // `introduced → last_affected`, and occasionally an open range.
            let shape = rng.below(10);
            let mut events = Vec::new();
            let major = rng.below(6);
            match shape {
                0..=3 => {
                    events.push(Event::Introduced("0".into()));
                    events.push(Event::Fixed(version(
                        eco.name,
                        major,
                        rng.below(20),
                        rng.below(30),
                    )));
                }
                4..=7 => {
                    for b in 0..1 + rng.below(3) {
                        let minor = b * 5 + rng.below(5);
                        events.push(Event::Introduced(version(eco.name, major, minor, 0)));
                        events.push(Event::Fixed(version(
                            eco.name,
                            major,
                            minor,
                            1 + rng.below(20),
                        )));
                    }
                }
                8 => {
                    events.push(Event::Introduced(version(eco.name, major, 0, 0)));
                    events.push(Event::LastAffected(version(
                        eco.name,
                        major,
                        rng.below(20),
                        rng.below(30),
                    )));
                }
                _ => events.push(Event::Introduced(version(eco.name, major, rng.below(5), 0))),
            }
            ranges.push(Range {
                kind: eco.kind,
                repo: None,
                events,
            });
            if eco.name == "PyPI" && rng.below(2) == 0 {
                for p in 0..rng.below(15) {
                    versions.push(version(eco.name, major, 0, p));
                }
            }
            affected.push(Affected {
                package: Some(Package {
                    ecosystem: eco.name.to_owned(),
                    name,
                    purl: None,
                }),
                severity: Vec::new(),
                ranges,
                versions,
            });
        }
        let cve = format!("CVE-2024-{}", 10_000 + i / 2);
        let (id, aliases) = if i % 2 == 0 {
            (format!("GHSA-{i:04x}-bench-x{}", i % 7), vec![cve])
        } else {
            let prefix = match eco.name.split(':').next().unwrap_or_default() {
                "PyPI" => "PYSEC",
                "Go" => "GO",
                "crates.io" => "RUSTSEC",
                "AlmaLinux" => "ALSA",
                "Debian" => "DSA",
                "Ubuntu" => "USN",
                "Alpine" => "ALPINE",
                _ => "OSV",
            };
            (format!("{prefix}-2024-{i}"), vec![cve])
        };
        out.push(Advisory {
            schema_version: None,
            id,
            modified: "2024-01-01T00:00:00Z".into(),
            published: None,
            withdrawn: None,
            aliases,
            related: Vec::new(),
            upstream: Vec::new(),
            summary: None,
            details: None,
            severity: Vec::new(),
            affected,
            references: Vec::new(),
            credits: Vec::new(),
            database_severity: None,
        });
    }
    out
}

fn main() {
    let mut rng = Rng(0x5eed_2026);
    let t = Instant::now();
    let advisories = advisories(&mut rng);
    let generate = t.elapsed();

    let t = Instant::now();
    let index = Index::build(&advisories);
    let build = t.elapsed();

    // A shared pool of installed packages; tenants draw from it with a skew.
    let pool: Vec<(String, String, String)> = (0..60_000)
        .map(|_| {
            let eco = ECOS[rng.below(ECOS.len() as u64) as usize].name;
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
    let mut comps = Vec::with_capacity(TENANTS * PER_TENANT);
    for _ in 0..TENANTS {
        for _ in 0..PER_TENANT {
            let (e, n, v) = &pool[rng.skewed(pool.len() as u64) as usize];
            comps.push(ComponentRef::new(e, n, v));
        }
    }

    let mut rows = Vec::new();
    for threads in [1, 2] {
        let t = Instant::now();
        let findings = Matcher { threads }.run(&index, &comps);
        let elapsed = t.elapsed();
        let instances: usize = findings.iter().map(|f| f.components.len()).sum();
        rows.push((threads, elapsed, findings.len(), instances));
    }
    let t = Instant::now();
    let distinct: std::collections::HashSet<_> = comps.iter().collect();
    let dedup = t.elapsed();

    let unique: Vec<ComponentRef<'_>> = distinct.iter().map(|c| **c).collect();
    let mut eval_only = Vec::new();
    for threads in [1, 2] {
        let t = Instant::now();
        let n = Matcher { threads }.run(&index, &unique).len();
        eval_only.push((threads, t.elapsed(), n));
    }
    println!("| step | value |");
    println!("|---|---|");
    println!(
        "| advisories generated | {} ({generate:.2?}) |",
        advisories.len()
    );
    println!("| affected entries indexed | {} |", index.stats().entries);
    println!("| **index build** | **{build:.2?}** |");
    println!(
        "| component instances | {} ({} distinct; hashing all instances once: {dedup:.2?}) |",
        comps.len(),
        distinct.len()
    );
    for (threads, elapsed, n) in eval_only {
        println!(
            "| evaluating the distinct packages only, {threads} thread(s) | {elapsed:.2?} ({n} findings) |"
        );
    }
    for (threads, elapsed, findings, instances) in rows {
        println!(
            "| **match, {threads} thread(s)** | **{elapsed:.2?}** ({findings} findings on distinct packages, {instances} component-findings) |"
        );
    }
}
