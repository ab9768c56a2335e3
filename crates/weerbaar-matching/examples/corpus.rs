//! The synthetic full-size corpus, and the index measured step by step in separate processes.
//!
//! ```text
//! cargo run --release -p weerbaar-matching --features corpus --example corpus -- <command>
//!
//!   generate OUT.jsonl [COUNT]   write COUNT (default 500,000) advisories as OSV JSON Lines
//!   build CORPUS.jsonl OUT.idx   stream the feed into the index builder, save the index
//!   load INDEX.idx [--no-match]  load the index in a fresh process, then match the fleet
//!                                (300 tenants × 3,300 components) on 1 and 2 threads
//! ```
//!
//! Each step prints Markdown table rows with its time and the process's resident memory read
//! from `/proc/self/status` (`VmRSS` now, `VmHWM` the peak so far; Linux only). `load` runs in
//! a process that never saw the advisories, so its peak is the index's own memory plus the
//! loader's buffers. `scripts/bench-matching` runs all three.

use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::Path;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use weerbaar_advisories::osv::parse_record;
use weerbaar_matching::corpus::{Advisories, FULL_SIZE, Fleet, SEED};
use weerbaar_matching::{Index, IndexBuilder, Matcher};

/// `VmRSS` and `VmHWM` in MB, when the platform has them.
fn memory() -> String {
    let Ok(status) = std::fs::read_to_string("/proc/self/status") else {
        return "n/a".into();
    };
    let kb = |key: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(key))
            .and_then(|rest| rest.split_whitespace().next())
            .and_then(|n| n.parse::<u64>().ok())
            .map_or_else(|| "?".to_owned(), |kb| format!("{} MB", kb / 1024))
    };
    format!("RSS {}, peak {}", kb("VmRSS:"), kb("VmHWM:"))
}

fn row(step: &str, value: &str) {
    println!("| {step} | {value} | {} |", memory());
}

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

fn generate(out: &Path, count: usize) -> Result<()> {
    let t = Instant::now();
    let mut w = BufWriter::new(File::create(out)?);
    for adv in Advisories::new(SEED).take(count) {
        serde_json::to_writer(&mut w, &adv)?;
        w.write_all(b"\n")?;
    }
    w.flush()?;
    let size = std::fs::metadata(out)?.len();
    row(
        "generate",
        &format!(
            "{count} advisories, {} MB, {:.2?}",
            size / 1_000_000,
            t.elapsed()
        ),
    );
    Ok(())
}

fn build(corpus: &Path, out: &Path) -> Result<()> {
    // Streamed: one line, one record, compiled and dropped, as a feed sync would do it; the
    // process never holds the parsed feed, so its peak is the index's.
    let file_name = corpus.display().to_string();
    let mut r = BufReader::with_capacity(1 << 16, File::open(corpus)?);
    let mut line = Vec::new();
    let mut builder = IndexBuilder::new();
    let (mut parse, mut compile) = (Duration::ZERO, Duration::ZERO);
    let mut n = 0usize;
    let t = Instant::now();
    loop {
        line.clear();
        if r.read_until(b'\n', &mut line)? == 0 {
            break;
        }
        n += 1;
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let p = Instant::now();
        let adv = parse_record(&file_name, &line).map_err(|e| format!("line {n}: {e}"))?;
        let c = Instant::now();
        builder.add(&adv);
        compile += c.elapsed();
        parse += c - p;
    }
    let f = Instant::now();
    let index = builder.finish();
    let finish = f.elapsed();
    let total = t.elapsed();
    row(
        "read and parse the JSON Lines feed (streamed)",
        &format!("{} advisories, {parse:.2?}", index.len()),
    );
    row(
        "**index build** (compile each record, then the alias groups)",
        &format!(
            "**{:.2?}** ({compile:.2?} + {finish:.2?}; {} affected entries)",
            compile + finish,
            index.stats().entries
        ),
    );
    row("feed to index, wall time", &format!("{total:.2?}"));
    let t = Instant::now();
    index.save_file(out, "bench")?;
    let size = std::fs::metadata(out)?.len();
    row(
        "save",
        &format!("{} MB, {:.2?}", size / 1_000_000, t.elapsed()),
    );
    Ok(())
}

fn load(path: &Path, then_match: bool) -> Result<()> {
    let t = Instant::now();
    let mut r = BufReader::with_capacity(1 << 16, File::open(path)?);
    let (index, _) = Index::load(&mut r)?;
    drop(r);
    row(
        "**load (fresh process)**",
        &format!("**{:.2?}** ({} advisories)", t.elapsed(), index.len()),
    );
    if !then_match {
        return Ok(());
    }
    let fleet = Fleet::full_size(SEED ^ 1);
    let components = fleet.components();
    row(
        "fleet generated",
        &format!(
            "{} instances of {} pooled packages",
            components.len(),
            fleet.pool.len()
        ),
    );
    for threads in [1, 2] {
        let t = Instant::now();
        let findings = Matcher { threads }.run(&index, &components);
        let elapsed = t.elapsed();
        let instances: usize = findings.iter().map(|f| f.components.len()).sum();
        row(
            &format!("**match, {threads} thread(s)**"),
            &format!(
                "**{elapsed:.2?}** ({} findings on distinct packages, {instances} on instances)",
                findings.len()
            ),
        );
    }
    Ok(())
}

fn run(args: &[String]) -> Result<()> {
    let arg = |i: usize| {
        args.get(i)
            .map(Path::new)
            .ok_or("missing argument; see the docs")
    };
    match args.first().map(String::as_str) {
        Some("generate") => {
            let count = match args.get(2) {
                Some(n) => n.parse()?,
                None => FULL_SIZE,
            };
            generate(arg(1)?, count)
        }
        Some("build") => build(arg(1)?, arg(2)?),
        Some("load") => load(arg(1)?, args.get(2).is_none_or(|a| a != "--no-match")),
        _ => Err("usage: corpus generate OUT.jsonl [COUNT] | build CORPUS.jsonl OUT.idx | load INDEX.idx [--no-match]".into()),
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("corpus: {e}");
            ExitCode::FAILURE
        }
    }
}
