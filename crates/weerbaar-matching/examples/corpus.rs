//! scratch
use std::time::Instant;
use weerbaar_matching::{Index, corpus};

fn mem() -> String {
    let s = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    s.lines().filter(|l| l.starts_with("VmRSS") || l.starts_with("VmHWM")).map(|l| l.split_whitespace().collect::<Vec<_>>().join(" ")).collect::<Vec<_>>().join(", ")
}

fn main() {
    let t = Instant::now();
    let advs: Vec<_> = corpus::Advisories::new(corpus::SEED).take(corpus::FULL_SIZE).collect();
    println!("gen {:?} {}", t.elapsed(), mem());
    let t = Instant::now();
    let index = Index::build(&advs);
    println!("build {:?} {}", t.elapsed(), mem());
    drop(advs);
    println!("dropped {}", mem());
    println!("{:?} {:?} {}", index.stats(), std::mem::size_of::<weerbaar_versions::Version>(), index.len());
}
