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

/// The time zone of every time shown to people: weerbaar's users are Belgian municipalities.
const DISPLAY_ZONE: &str = "Europe/Brussels";

/// The zone of displayed times and of calendar days (due dates). The time zone database is
/// bundled (jiff's `tzdb-bundle-always`), so the lookup cannot fail in practice; UTC is the
/// defensive fallback.
pub fn display_zone() -> jiff::tz::TimeZone {
    jiff::tz::TimeZone::get(DISPLAY_ZONE).unwrap_or(jiff::tz::TimeZone::UTC)
}

/// A stored timestamp (Unix seconds) as Brussels local time, for tables.
pub fn local_time(seconds: i64) -> String {
    let Ok(ts) = jiff::Timestamp::from_second(seconds) else {
        return seconds.to_string();
    };
    ts.to_zoned_datetime(display_zone())
        .strftime("%Y-%m-%d %H:%M")
        .to_string()
}

/// A stored timestamp as RFC 3339 UTC, for JSON and CSV (machine-readable and zone-free).
pub fn rfc3339(seconds: i64) -> String {
    jiff::Timestamp::from_second(seconds).map_or_else(|_| seconds.to_string(), |ts| ts.to_string())
}

/// Writes rows as an aligned text table with a header.
pub fn table(out: &mut impl Write, headers: &[&str], rows: &[Vec<String>]) -> io::Result<()> {
    let mut widths: Vec<usize> = headers.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |out: &mut dyn Write, cells: &mut dyn Iterator<Item = &str>| -> io::Result<()> {
        let mut text = String::new();
        for (i, (cell, width)) in cells.zip(&widths).enumerate() {
            if i > 0 {
                text.push_str("  ");
            }
            text.push_str(cell);
            if i + 1 < widths.len() {
                text.extend(std::iter::repeat_n(
                    ' ',
                    width.saturating_sub(cell.chars().count()),
                ));
            }
        }
        writeln!(out, "{}", text.trim_end())
    };
    line(out, &mut headers.iter().copied())?;
    for row in rows {
        line(out, &mut row.iter().map(String::as_str))?;
    }
    Ok(())
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
