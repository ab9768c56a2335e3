//! `cargo bench -p weerbaar-versions`: parse and compare throughput per scheme, on one core.
//!
//! A plain harness (no criterion) keeps the build light. Each scheme gets a corpus of realistic
//! versions: hand-picked real-world shapes whose digits are varied by a fixed-seed generator, so
//! runs are repeatable and comparisons hit equal prefixes as real data does. Each measurement runs
//! for at least `WEERBAAR_BENCH_SECS` seconds (default 1) and prints a Markdown table for
//! BENCHMARKS.md. A name filter may follow `--`: `cargo bench -p weerbaar-versions -- dpkg`.

use std::hint::black_box;
use std::time::{Duration, Instant};

use weerbaar_versions::SchemeVersion;
use weerbaar_versions::scheme::{
    apk::ApkVersion, cran::CranVersion, dpkg::DpkgVersion, generic::GenericVersion,
    hackage::HackageVersion, maven::MavenVersion, nuget::NuGetVersion, packagist::PackagistVersion,
    pep440::Pep440Version, pub_semver::PubVersion, rpm::RpmVersion, rubygems::RubyGemsVersion,
    semver::SemVersion,
};

const CORPUS_SIZE: usize = 4096;

/// Real-world shapes per scheme; digits get varied to build the corpus.
const SHAPES: &[(&str, &[&str])] = &[
    (
        "dpkg",
        &[
            "1:2.30.2-1+deb11u2",
            "3.0.11-1~deb12u2",
            "2.36-9+deb12u4",
            "1:1.2.13.dfsg-1",
            "7.88.1-10+deb12u5",
            "0.9.8~rc1-2ubuntu0.3",
            "2:8.2.3995-1ubuntu2.15",
            "252.22-1~deb12u1",
            "1.1.1n-0+deb11u5",
            "5.36.0-7+deb12u1",
            "2.9.14+dfsg-1.3~deb12u1",
            "1:9.18.24-1",
        ],
    ),
    (
        "rpm",
        &[
            "3.0.7-25.el9_3",
            "1:3.0.7-24.el9",
            "2.34-83.el9.7",
            "4.16.1.3-29.el9",
            "1.1.1k-12.el8_9",
            "5.14.0-362.18.1.el9_3",
            "2:8.2.2637-20.el9_1",
            "1.9.5p2-10.el9_3",
            "0.9.1~rc2-1.fc39",
            "2.4.57-5.el9",
            "1.20.1^20230101git1234-1.el9",
            "252-18.el9",
        ],
    ),
    (
        "apk",
        &[
            "3.1.4-r5",
            "1.36.1-r15",
            "8.5.0-r0",
            "2.12.5_p1-r0",
            "1.2.4_git20230717-r4",
            "3.0.12_rc1-r0",
            "9.4_p1-r3",
            "1.1.1w-r1",
            "2.40.1_pre2-r2",
            "0.5.10_beta3-r1",
        ],
    ),
    (
        "pep440",
        &[
            "2.31.0",
            "1.26.4",
            "2.0.0rc1",
            "23.2.1",
            "1!2.0.post1",
            "3.12.0a7",
            "0.18.0.dev3",
            "4.66.1",
            "1.0.0b2.post345.dev456",
            "2024.2.2",
            "6.0.1+cu118",
            "1.10.13.post1",
        ],
    ),
    (
        "semver",
        &[
            "4.17.21",
            "1.0.0-beta.11",
            "18.2.0",
            "v1.21.5",
            "v2.3.1+incompatible",
            "0.12.3",
            "1.0.0-rc.1+build.5",
            "3.4.1",
            "10.2.4-alpha.3",
            "2.0.0",
            "v0.17.0",
            "1.52.1",
        ],
    ),
    (
        "pub",
        &[
            "1.0.0",
            "2.1.3-dev.1",
            "3.0.0+1",
            "0.13.6",
            "1.2.3-pre+build.5",
        ],
    ),
    (
        "maven",
        &[
            "2.17.1",
            "5.3.31",
            "2.15.3",
            "1.0-SNAPSHOT",
            "3.2.0-M1",
            "9.4.53.v20231009",
            "2.0.0-beta1",
            "1.11.0-rc2",
            "31.1-jre",
            "4.1.100.Final",
            "2.12.7.1",
            "6.0.0-alpha.3",
        ],
    ),
    (
        "nuget",
        &[
            "13.0.3",
            "6.0.0-preview.7.21377.19",
            "4.7.2",
            "1.0.0.0",
            "8.0.1",
            "2.2.0-rc.1",
        ],
    ),
    (
        "rubygems",
        &[
            "7.1.3.2",
            "1.15.4",
            "3.2.22",
            "7.0.0.rc1",
            "2.7.5",
            "1.0.0.beta.3",
        ],
    ),
    (
        "packagist",
        &[
            "v5.4.31",
            "10.48.4",
            "6.4.2",
            "2.0.0-RC3",
            "1.5.0-beta2",
            "3.0.0-dev",
        ],
    ),
    ("cran", &["1.1-3", "4.3.2", "0.9.12", "1.0-10", "2.5.1"]),
    ("hackage", &["1.2.3.4", "0.11.3.0", "2.0", "1.5.0.1"]),
    (
        "generic",
        &[
            "10.0.19045.3803",
            "7.2.4",
            "15.2(4)M3",
            "8.0.2-22380479",
            "7.0u3",
            "R80.40",
            "2019",
            "9.1.4-b3",
            "6.5.0",
            "17.9.4",
        ],
    ),
];

/// A tiny fixed-seed generator (xorshift), so corpora are identical on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

fn corpus<T: SchemeVersion>(name: &str) -> Vec<String> {
    let shapes = SHAPES
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, s)| *s)
        .unwrap_or_default();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut out = Vec::with_capacity(CORPUS_SIZE);
    while out.len() < CORPUS_SIZE {
        let shape = shapes[(rng.next() % shapes.len() as u64) as usize];
        // Vary roughly one digit in three so many versions share prefixes with others.
        let varied: String = shape
            .chars()
            .map(|c| match c.to_digit(10) {
                Some(_) if rng.next().is_multiple_of(3) => {
                    char::from_digit((rng.next() % 10) as u32, 10).unwrap_or(c)
                }
                _ => c,
            })
            .collect();
        if T::parse(&varied).is_ok() {
            out.push(varied);
        }
    }
    out
}

fn measure(min: Duration, mut round: impl FnMut() -> usize) -> f64 {
    round(); // warm up caches and the allocator
    let start = Instant::now();
    let mut ops = 0usize;
    while start.elapsed() < min {
        ops += round();
    }
    ops as f64 / start.elapsed().as_secs_f64()
}

fn bench<T: SchemeVersion>(name: &str, min: Duration) {
    let inputs = corpus::<T>(name);
    let parse_rate = measure(min, || {
        for s in &inputs {
            let _ = black_box(T::parse(black_box(s)));
        }
        inputs.len()
    });
    let parsed: Vec<T> = inputs.iter().filter_map(|s| T::parse(s).ok()).collect();
    let n = parsed.len();
    // A fixed stride pairs every version with a different one; the result feeds a counter so
    // the comparisons cannot be optimised away.
    let compare_rate = measure(min, || {
        let mut less = 0usize;
        for i in 0..n {
            let j = (i * 7 + 3) % n;
            if black_box(&parsed[i]) < black_box(&parsed[j]) {
                less += 1;
            }
        }
        black_box(less);
        n
    });
    println!(
        "| {name:<9} | {:>12.2} | {:>14.2} |",
        parse_rate / 1e6,
        compare_rate / 1e6
    );
}

fn main() {
    let filter: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let secs = std::env::var("WEERBAAR_BENCH_SECS")
        .ok()
        .and_then(|s| s.parse::<f64>().ok())
        .unwrap_or(1.0);
    let min = Duration::from_secs_f64(secs);
    let wanted = |name: &str| filter.is_empty() || filter.iter().any(|f| name.contains(f.as_str()));

    println!("| scheme    | M parses/s   | M compares/s   |");
    println!("|-----------|-------------:|---------------:|");
    macro_rules! run {
        ($($name:literal => $ty:ty),* $(,)?) => {
            $(if wanted($name) { bench::<$ty>($name, min); })*
        };
    }
    run! {
        "dpkg" => DpkgVersion,
        "rpm" => RpmVersion,
        "apk" => ApkVersion,
        "pep440" => Pep440Version,
        "semver" => SemVersion,
        "pub" => PubVersion,
        "maven" => MavenVersion,
        "nuget" => NuGetVersion,
        "rubygems" => RubyGemsVersion,
        "packagist" => PackagistVersion,
        "cran" => CranVersion,
        "hackage" => HackageVersion,
        "generic" => GenericVersion,
    }
}
