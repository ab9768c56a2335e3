//! `weerbaar version …`: compare and sort versions with the ecosystem's own ordering.

use std::cmp::Ordering;
use std::io::{self, BufRead, BufWriter, Write};

use anyhow::Context;
use weerbaar_versions::{Ecosystem, Scheme, Version};

use super::Status;
use crate::cli::{CompareArgs, EcosystemArg, EcosystemsArgs, SortArgs, VersionCommand};
use crate::output::{Format, csv_record};

pub fn run(cmd: VersionCommand) -> anyhow::Result<Status> {
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let status = match cmd {
        VersionCommand::Compare(args) => compare(&args, &mut out)?,
        VersionCommand::Sort(args) => sort(&args, io::stdin().lock(), &mut out)?,
        VersionCommand::Ecosystems(args) => ecosystems(&args, &mut out)?,
    };
    out.flush().context("writing to standard output")?;
    Ok(status)
}

fn scheme_of(arg: &EcosystemArg) -> Result<Scheme, Status> {
    match Ecosystem::parse(&arg.ecosystem) {
        Ok(eco) => Ok(eco.scheme()),
        Err(e) => {
            eprintln!("error: {e}");
            Err(Status::Usage)
        }
    }
}

const fn symbol(o: Ordering) -> &'static str {
    match o {
        Ordering::Less => "<",
        Ordering::Equal => "=",
        Ordering::Greater => ">",
    }
}

/// The outcome of comparing one pair, ready to print.
struct Outcome<'a> {
    line: Option<usize>,
    a: &'a str,
    b: &'a str,
    result: Result<Ordering, String>,
}

fn compare_pair(scheme: Scheme, a: &str, b: &str) -> Result<Ordering, String> {
    scheme.compare(a, b).map_err(|e| e.to_string())
}

fn compare(args: &CompareArgs, out: &mut impl Write) -> anyhow::Result<Status> {
    let scheme = match scheme_of(&args.ecosystem) {
        Ok(s) => s,
        Err(status) => return Ok(status),
    };
    let mut printer = ComparePrinter::new(args.format, out)?;
    if let (Some(a), Some(b)) = (&args.a, &args.b) {
        let outcome = Outcome {
            line: None,
            a,
            b,
            result: compare_pair(scheme, a, b),
        };
        let failed = outcome.result.is_err();
        if let Err(reason) = &outcome.result {
            eprintln!("error: {reason}");
        }
        printer.print(&outcome)?;
        return Ok(if failed {
            Status::Failure
        } else {
            Status::Success
        });
    }
    compare_lines(scheme, io::stdin().lock(), &mut printer)
}

fn compare_lines(
    scheme: Scheme,
    input: impl BufRead,
    printer: &mut ComparePrinter<impl Write>,
) -> anyhow::Result<Status> {
    let mut status = Status::Success;
    for (index, line) in input.split(b'\n').enumerate() {
        let line = line.context("reading standard input")?;
        let line_no = index + 1;
        let text = String::from_utf8_lossy(&line);
        let text = text.strip_suffix('\r').unwrap_or(&text);
        let outcome = match text.split_once('\t') {
            Some((a, b)) => Outcome {
                line: Some(line_no),
                a,
                b,
                result: compare_pair(scheme, a, b),
            },
            None => Outcome {
                line: Some(line_no),
                a: text,
                b: "",
                result: Err(format!(
                    "line {line_no}: expected two versions separated by a tab"
                )),
            },
        };
        if outcome.result.is_err() {
            status = Status::Failure;
        }
        printer.print(&outcome)?;
    }
    Ok(status)
}

/// Prints comparison outcomes in the chosen format, one record per outcome.
struct ComparePrinter<W: Write> {
    format: Format,
    out: W,
}

impl<W: Write> ComparePrinter<W> {
    fn new(format: Format, mut out: W) -> anyhow::Result<Self> {
        if format == Format::Csv {
            csv_record(&mut out, &["line", "a", "b", "result", "error"])?;
        }
        Ok(Self { format, out })
    }

    fn print(&mut self, o: &Outcome<'_>) -> anyhow::Result<()> {
        match self.format {
            Format::Table => match &o.result {
                Ok(ord) => writeln!(self.out, "{}", symbol(*ord))?,
                Err(reason) => writeln!(self.out, "error: {reason}")?,
            },
            Format::Json => {
                let value = serde_json::json!({
                    "line": o.line,
                    "a": o.a,
                    "b": o.b,
                    "result": o.result.as_ref().ok().map(|ord| symbol(*ord)),
                    "error": o.result.as_ref().err(),
                });
                serde_json::to_writer(&mut self.out, &value)?;
                writeln!(self.out)?;
            }
            Format::Csv => {
                let line = o.line.map(|l| l.to_string()).unwrap_or_default();
                let (result, error) = match &o.result {
                    Ok(ord) => (symbol(*ord), ""),
                    Err(reason) => ("", reason.as_str()),
                };
                csv_record(&mut self.out, &[&line, o.a, o.b, result, error])?;
            }
        }
        Ok(())
    }
}

fn sort(args: &SortArgs, input: impl BufRead, out: &mut impl Write) -> anyhow::Result<Status> {
    let scheme = match scheme_of(&args.ecosystem) {
        Ok(s) => s,
        Err(status) => return Ok(status),
    };
    let mut parsed: Vec<(Version, String)> = Vec::new();
    let mut failed = false;
    for (index, line) in input.lines().enumerate() {
        let line = line.with_context(|| format!("reading standard input, line {}", index + 1))?;
        let text = line.trim();
        if text.is_empty() {
            continue;
        }
        match scheme.parse(text) {
            Ok(v) => parsed.push((v, text.to_owned())),
            Err(e) => {
                eprintln!("error: line {}: {e}", index + 1);
                failed = true;
            }
        }
    }
    if failed {
        return Ok(Status::Failure);
    }
    // Same scheme throughout, so every pair is comparable. Not `slice::sort_by`: Packagist's
    // order is not total (see weerbaar_versions::sort) and std's sort may panic on that.
    let mut versions = weerbaar_versions::sort::sort_by(parsed, |(a, _), (b, _)| {
        a.partial_cmp(b).unwrap_or(Ordering::Equal)
    });
    if args.reverse {
        versions.reverse();
    }
    match args.format {
        Format::Table => {
            for (_, text) in &versions {
                writeln!(out, "{text}")?;
            }
        }
        Format::Json => {
            let list: Vec<&str> = versions.iter().map(|(_, t)| t.as_str()).collect();
            serde_json::to_writer_pretty(&mut *out, &list)?;
            writeln!(out)?;
        }
        Format::Csv => {
            csv_record(out, &["version"])?;
            for (_, text) in &versions {
                csv_record(out, &[text])?;
            }
        }
    }
    Ok(Status::Success)
}

fn ecosystems(args: &EcosystemsArgs, out: &mut impl Write) -> anyhow::Result<Status> {
    let mut rows: Vec<(&str, Scheme)> = Ecosystem::supported().collect();
    rows.sort_by_key(|(name, _)| name.to_ascii_lowercase());
    match args.format {
        Format::Table => {
            let width = rows.iter().map(|(n, _)| n.len()).max().unwrap_or(0);
            writeln!(out, "{:width$}  SCHEME", "ECOSYSTEM")?;
            for (name, scheme) in rows {
                writeln!(out, "{name:width$}  {scheme}")?;
            }
        }
        Format::Json => {
            let list: Vec<_> = rows
                .iter()
                .map(|(n, s)| serde_json::json!({"ecosystem": n, "scheme": s.name()}))
                .collect();
            serde_json::to_writer_pretty(&mut *out, &list)?;
            writeln!(out)?;
        }
        Format::Csv => {
            csv_record(out, &["ecosystem", "scheme"])?;
            for (name, scheme) in rows {
                csv_record(out, &[name, scheme.name()])?;
            }
        }
    }
    Ok(Status::Success)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run_lines(input: &str, format: Format) -> (Status, String) {
        let mut buf = Vec::new();
        let status = {
            let mut printer = ComparePrinter::new(format, &mut buf).expect("printer");
            compare_lines(Scheme::Dpkg, input.as_bytes(), &mut printer).expect("io")
        };
        (status, String::from_utf8(buf).expect("utf8"))
    }

    #[test]
    fn stdin_mode_prints_one_line_per_input_line_and_goes_on_after_errors() {
        let (status, out) = run_lines(
            "1.0\t2.0\nno tab here\n1:0\t2.0\r\n\n2.0\t2.0\n",
            Format::Table,
        );
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 5, "{out}");
        assert_eq!(lines[0], "<");
        assert!(lines[1].starts_with("error: line 2"), "{out}");
        assert_eq!(lines[2], ">");
        assert!(lines[3].starts_with("error: line 4"), "{out}");
        assert_eq!(lines[4], "=");
        assert_eq!(status, Status::Failure);
    }

    #[test]
    fn stdin_mode_succeeds_when_every_line_compares() {
        let (status, out) = run_lines("1.0~rc1\t1.0\n", Format::Json);
        assert_eq!(status, Status::Success);
        let v: serde_json::Value = serde_json::from_str(out.trim()).expect("json");
        assert_eq!(v["result"], "<");
        assert_eq!(v["line"], 1);
        assert!(v["error"].is_null());
    }
}
