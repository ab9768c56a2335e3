//! `cargo bench -p weerbaar-plan`: building, grouping and exporting a large tenant's plan.
//!
//! Generates (with a fixed seed) one tenant with 2,000 assets and 40,000 findings over 400
//! packages in four ecosystems (rpm, dpkg, npm, Maven version schemes), a tenth of them in KEV,
//! and reports the best of several runs for `build` (priority, due date, SLA, exceptions,
//! grouping), the CSV export and the HTML export.

use std::time::{Duration, Instant};

use jiff::civil::Date;
use weerbaar_inventory::model::{Criticality, Exposure};
use weerbaar_plan::export::{csv, html};
use weerbaar_plan::{
    AssetRef, Cvss, Epss, Exception, ExceptionKind, Finding, Kev, Lang, Package, Policy, Scope,
    build,
};

const ASSETS: usize = 2_000;
const PER_ASSET: usize = 20;
const RUNS: usize = 5;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn date(days: u64) -> Date {
    let base = Date::new(2025, 1, 1).unwrap_or(Date::MIN);
    base.checked_add(jiff::Span::new().days(i64::try_from(days).unwrap_or(0)))
        .unwrap_or(base)
}

fn findings() -> Vec<Finding> {
    let mut rng = Rng(0x5EED_0005_ABCD_0001);
    let ecosystems = ["AlmaLinux:9", "Debian:12", "npm", "Maven"];
    let fmt = |eco: usize, m: u64, p: u64| match eco {
        0 => format!("1:3.{m}.{p}-{}.el9", p + 1),
        1 => format!("3.{m}.{p}-1+deb12u{}", p % 5),
        2 => format!("4.{m}.{p}"),
        _ => format!("2.{m}.{p}"),
    };
    let vectors = [
        "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
        "CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H",
        "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:L/I:L/A:N",
        "CVSS:3.1/AV:L/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N",
    ];
    let scores = [9.8, 8.8, 5.4, 1.8];
    let mut out = Vec::with_capacity(ASSETS * PER_ASSET);
    for a in 0..ASSETS {
        let asset = AssetRef {
            name: format!("host-{a:04}"),
            criticality: [
                Criticality::Low,
                Criticality::Normal,
                Criticality::High,
                Criticality::Critical,
            ][usize::try_from(rng.below(4)).unwrap_or(0)],
            exposure: if rng.below(10) == 0 {
                Exposure::InternetFacing
            } else {
                Exposure::Internal
            },
            zone: None,
        };
        for _ in 0..PER_ASSET {
            let pkg = rng.below(400);
            let e = usize::try_from(pkg % 4).unwrap_or(0);
            let eco = ecosystems[e];
            let minor = rng.below(3);
            let installed = fmt(e, minor, rng.below(5));
            let adv = rng.below(3_000);
            let v = usize::try_from(rng.below(4)).unwrap_or(0);
            out.push(Finding {
                tenant: "gemeente-groot".into(),
                asset: asset.clone(),
                advisory_id: format!("CVE-2025-{adv:05}"),
                aliases: vec![format!("GHSA-{adv:04}-xxxx-yyyy")],
                package: Package {
                    ecosystem: eco.into(),
                    name: format!("package-{pkg}"),
                    version: installed,
                    purl: None,
                },
                fixed_versions: if rng.below(20) == 0 {
                    vec![]
                } else {
                    vec![fmt(e, minor, 5 + rng.below(5))]
                },
                kev: adv.is_multiple_of(10).then(|| Kev {
                    date_added: date(adv % 300),
                    due_date: date(adv % 300 + 7 + adv % 20),
                    ransomware: adv.is_multiple_of(30),
                }),
                epss: Some(Epss {
                    score: (adv % 100) as f64 / 100.0,
                    percentile: (adv % 1000) as f64 / 1000.0,
                }),
                cvss: Some(Cvss {
                    vector: vectors[v].into(),
                    base_score: scores[v],
                }),
                first_seen: date(rng.below(300)),
                last_seen: date(300),
                resolved_at: None,
            });
        }
    }
    out
}

fn best(mut f: impl FnMut()) -> Duration {
    (0..RUNS)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .min()
        .unwrap_or_default()
}

fn main() {
    let findings = findings();
    let n_exc: u64 = std::env::var("EXC")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(200);
    let exceptions: Vec<Exception> = (0..n_exc)
        .map(|i| Exception {
            scope: Scope {
                advisory: format!("CVE-2025-{:05}", i * 7),
                package: None,
                asset: None,
            },
            kind: ExceptionKind::AcceptedRisk {
                expires: date(200 + i),
            },
            author: "bench".into(),
            reason: "bench".into(),
            date: date(10),
        })
        .collect();
    let policy = Policy::default();
    let today = date(310);
    let mut plan = build("gemeente-groot", &findings, &exceptions, &policy, today);
    let t_build = best(|| plan = build("gemeente-groot", &findings, &exceptions, &policy, today));
    let mut bytes = 0;
    let t_csv = best(|| bytes = csv(&plan, Lang::NlBe).map(|s| s.len()).unwrap_or(0));
    let mut html_bytes = 0;
    let t_html = best(|| html_bytes = html(&plan, Lang::NlBe).len());
    println!(
        "{} findings, {} assets -> {} actions, {} excepted",
        findings.len(),
        ASSETS,
        plan.actions.len(),
        plan.excepted.len()
    );
    println!(
        "build: {:.1} ms (best of {RUNS})",
        t_build.as_secs_f64() * 1e3
    );
    println!(
        "csv:   {:.1} ms, {} KiB",
        t_csv.as_secs_f64() * 1e3,
        bytes / 1024
    );
    println!(
        "html:  {:.1} ms, {} KiB",
        t_html.as_secs_f64() * 1e3,
        html_bytes / 1024
    );
}
