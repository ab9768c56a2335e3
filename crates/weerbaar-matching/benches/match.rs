//! Fixed-seed benchmark, in one process: 500,000 synthetic advisories with realistic range
//! shapes across ecosystems and 990,000 component instances (300 tenants × 3,300 components
//! drawn with a skewed popularity from a shared pool, as real fleets share most packages), from
//! the `corpus` module. Also times saving the index to memory and loading it back.
//!
//! Run: `cargo bench -p weerbaar-matching --features corpus --bench match`. Prints a Markdown
//! table. Memory is measured per step in separate processes by `examples/corpus.rs`
//! (`scripts/bench-matching` runs both).

use std::io::Cursor;
use std::time::Instant;

use weerbaar_matching::corpus::{Advisories, FULL_SIZE, Fleet, SEED};
use weerbaar_matching::{ComponentRef, Index, Matcher};

fn main() {
    let t = Instant::now();
    let advisories: Vec<_> = Advisories::new(SEED).take(FULL_SIZE).collect();
    let generate = t.elapsed();

    let t = Instant::now();
    let index = Index::build(&advisories);
    let build = t.elapsed();

    let t = Instant::now();
    let mut saved = Vec::new();
    if let Err(e) = index.save(&mut saved, "bench") {
        eprintln!("save: {e}");
        return;
    }
    let save = t.elapsed();
    let t = Instant::now();
    let index = match Index::load(&mut Cursor::new(&saved)) {
        Ok((index, _)) => index,
        Err(e) => {
            eprintln!("load: {e}");
            return;
        }
    };
    let load = t.elapsed();

    let fleet = Fleet::full_size(SEED ^ 1);
    let comps = fleet.components();

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
        "| save to memory | {save:.2?} ({} MB) |",
        saved.len() / 1_000_000
    );
    println!(
        "| **load from memory** (the matching below uses the loaded index) | **{load:.2?}** |"
    );
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
