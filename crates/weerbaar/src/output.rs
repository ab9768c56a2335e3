//! Output formats shared by every command: `table` for people, `json` and `csv` for tools.

use std::io::{self, Write};

/// How a command prints its results.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Aligned, human-readable text.
    Table,
    /// JSON; streaming commands print one object per line (JSON Lines).
    Json,
    /// RFC 4180 CSV with a header row.
    Csv,
}

/// Writes `s` as one CSV field, quoting only when needed.
pub fn csv_field(out: &mut impl Write, s: &str) -> io::Result<()> {
    if s.contains([',', '"', '\n', '\r']) {
        out.write_all(b"\"")?;
        out.write_all(s.replace('"', "\"\"").as_bytes())?;
        out.write_all(b"\"")
    } else {
        out.write_all(s.as_bytes())
    }
}

/// Writes one CSV record.
pub fn csv_record(out: &mut impl Write, fields: &[&str]) -> io::Result<()> {
    for (i, field) in fields.iter().enumerate() {
        if i > 0 {
            out.write_all(b",")?;
        }
        csv_field(out, field)?;
    }
    out.write_all(b"\r\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_only_when_needed() {
        let mut v = Vec::new();
        csv_record(&mut v, &["1.0", "a,b", "say \"x\""]).expect("write to Vec");
        assert_eq!(
            String::from_utf8(v).expect("utf8"),
            "1.0,\"a,b\",\"say \"\"x\"\"\"\r\n"
        );
    }
}
