//! FIRST EPSS daily scores: `epss_scores-YYYY-MM-DD.csv`, plain or gzip-compressed.
//!
//! Source and format: <https://www.first.org/epss/data_stats> ("the first line is a comment with
//! the model version and score date, then `cve,epss,percentile`"). A file looks like
//!
//! ```text
//! #model_version:v2026.06.15,score_date:2026-09-29T12:00:22Z
//! cve,epss,percentile
//! CVE-1999-0001,0.03351,0.88255
//! ```
//!
//! Decisions:
//!
//! * gzip is recognised by its magic bytes (`1f 8b`), not by the file name; concatenated gzip
//!   members are read as one stream. A corrupt or truncated stream is a syntax error. The
//!   decompressed size is capped at [`MAX_DECOMPRESSED`] (the real file is ~12 MB), so a gzip bomb
//!   is refused instead of exhausting memory.
//! * The comment line is required, with `model_version` (`vYYYY.MM.DD`) and `score_date` (an
//!   RFC 3339 date-time; `+0000` without a colon is accepted because FIRST's files used it in
//!   2023–2025). Without it the scores cannot be dated, and EPSS scores are only meaningful for
//!   their date. Other `key:value` pairs in the comment are ignored.
//! * The column header must be exactly `cve,epss,percentile`. Files with other columns, such as
//!   derived tables (`CVE,CVSS3,EPSS,EPSS Percentile,…`), are refused as "not a FIRST EPSS file",
//!   naming the columns found: their numbers are not dated model output.
//! * Rows are split by hand rather than with a CSV reader: FIRST never quotes, the file has ~300k
//!   rows, and a quoted field would be invalid anyway (a CVE id or a number). `epss` and
//!   `percentile` must be finite numbers in [0, 1]; the CVE must match `CVE-YYYY-NNNN…`.
//! * Scores are sorted by CVE id (year, then number) so [`Scores::get`] is a binary search; the
//!   file is already in that order, so sorting costs one pass. A CVE listed twice is an error.

use std::io::Read;

use flate2::read::MultiGzDecoder;
use serde::Serialize;

use crate::kev::{Date, clip, cve_cmp, is_cve, is_datetime};
use crate::{FeedError, FeedErrorKind, Record};

/// The largest decompressed file accepted: 50 times the size of the real one.
pub const MAX_DECOMPRESSED: u64 = 640 * 1024 * 1024;

/// One day's EPSS scores.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scores {
    /// `model_version` from the header comment (`v2026.06.15`).
    pub model_version: String,
    /// `score_date` from the header comment, an RFC 3339 date-time as published.
    pub score_date: String,
    /// The scores, sorted by CVE id.
    pub scores: Vec<EpssScore>,
}

impl Scores {
    /// The score of `cve` (`CVE-2021-44228`), by binary search.
    #[must_use]
    pub fn get(&self, cve: &str) -> Option<&EpssScore> {
        let i = self
            .scores
            .binary_search_by(|s| cve_cmp(&s.cve, cve))
            .ok()?;
        self.scores.get(i)
    }
}

/// The EPSS score of one CVE.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EpssScore {
    /// The CVE id.
    pub cve: String,
    /// Probability of exploitation activity in the next 30 days, in [0, 1].
    pub epss: f64,
    /// The share of all scored CVEs with an EPSS score at or below this one, in [0, 1].
    pub percentile: f64,
}

/// Parses an EPSS scores file, plain or gzip.
///
/// # Errors
/// [`FeedErrorKind::Syntax`] for corrupt gzip or invalid UTF-8; [`FeedErrorKind::UnknownFormat`]
/// when the columns are not `cve,epss,percentile`; [`FeedErrorKind::Invalid`] for a missing or
/// bad header comment, a bad row (naming its line and CVE) or a CVE listed twice.
pub fn parse(file: &str, bytes: &[u8]) -> Result<Scores, FeedError> {
    if bytes.starts_with(&[0x1f, 0x8b]) {
        let text = gunzip(file, bytes)?;
        parse_text(file, &text)
    } else {
        parse_text(file, bytes)
    }
}

fn gunzip(file: &str, bytes: &[u8]) -> Result<Vec<u8>, FeedError> {
    // The real file compresses about 3:1; the guess only saves reallocations.
    let mut out = Vec::with_capacity(bytes.len().saturating_mul(3).min(64 << 20));
    MultiGzDecoder::new(bytes)
        .take(MAX_DECOMPRESSED + 1)
        .read_to_end(&mut out)
        .map_err(|e| {
            FeedError::new(
                file,
                FeedErrorKind::Syntax,
                format!("corrupt or truncated gzip data: {e}"),
            )
        })?;
    if u64::try_from(out.len()).map_or(true, |n| n > MAX_DECOMPRESSED) {
        return Err(FeedError::new(
            file,
            FeedErrorKind::Invalid,
            format!("decompresses to more than {MAX_DECOMPRESSED} bytes"),
        ));
    }
    Ok(out)
}

const COLUMNS: &str = "cve,epss,percentile";

fn parse_text(file: &str, bytes: &[u8]) -> Result<Scores, FeedError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let line = bytes
            .get(..e.valid_up_to())
            .unwrap_or_default()
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
            + 1;
        FeedError::new(file, FeedErrorKind::Syntax, "invalid UTF-8").at(Record::Line(line))
    })?;
    let invalid = |line: usize, reason: String| {
        FeedError::new(file, FeedErrorKind::Invalid, reason).at(Record::Line(line))
    };

    let mut lines = text.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l));
    let first = lines.next().unwrap_or_default();
    let Some(comment) = first.strip_prefix('#') else {
        if first == COLUMNS {
            return Err(invalid(
                1,
                "the `#model_version:…,score_date:…` header comment is missing".into(),
            ));
        }
        return Err(not_epss(file, 1, first));
    };
    let (model_version, score_date) = header(comment).map_err(|reason| invalid(1, reason))?;

    let columns = lines.next().unwrap_or_default();
    if columns != COLUMNS {
        return Err(not_epss(file, 2, columns));
    }

    let mut scores = Vec::with_capacity(text.len() / 32);
    let mut lines = lines.enumerate().peekable();
    while let Some((i, line)) = lines.next() {
        let number = i + 3;
        if line.is_empty() {
            // The file ends with a newline, which leaves one empty piece; any other empty line
            // is damage.
            if lines.peek().is_none() {
                break;
            }
            return Err(invalid(number, "empty line".into()));
        }
        scores.push(row(line).map_err(|reason| invalid(number, reason))?);
    }

    if !scores.is_sorted_by(|a, b| cve_cmp(&a.cve, &b.cve).is_lt()) {
        scores.sort_unstable_by(|a, b| cve_cmp(&a.cve, &b.cve));
        if let Some([a, _]) = scores
            .windows(2)
            .find(|w| matches!(w, [a, b] if a.cve == b.cve))
        {
            return Err(
                FeedError::new(file, FeedErrorKind::Invalid, "the CVE is listed twice").at(
                    Record::Id {
                        id: a.cve.clone(),
                        path: None,
                    },
                ),
            );
        }
    }
    Ok(Scores {
        model_version,
        score_date,
        scores,
    })
}

/// Reads `model_version:v2026.06.15,score_date:2026-09-29T12:00:22Z`.
fn header(comment: &str) -> Result<(String, String), String> {
    let mut model_version = None;
    let mut score_date = None;
    for pair in comment.split(',') {
        let Some((key, value)) = pair.split_once(':') else {
            return Err(format!(
                "header comment part `{}` is not key:value",
                clip(pair)
            ));
        };
        let slot = match key.trim() {
            "model_version" => &mut model_version,
            "score_date" => &mut score_date,
            _ => continue,
        };
        if slot.replace(value.trim()).is_some() {
            return Err(format!("header comment repeats {key}"));
        }
    }
    let model_version = model_version.ok_or("header comment has no model_version")?;
    let score_date = score_date.ok_or("header comment has no score_date")?;
    let shaped = model_version
        .strip_prefix('v')
        .is_some_and(|d| Date::parse_with(d, b'.').is_some());
    if !shaped {
        return Err(format!(
            "model_version `{}` is not vYYYY.MM.DD",
            clip(model_version)
        ));
    }
    if !is_datetime(score_date, true) {
        return Err(format!(
            "score_date `{}` is not an RFC 3339 date-time",
            clip(score_date)
        ));
    }
    Ok((model_version.to_owned(), score_date.to_owned()))
}

fn row(line: &str) -> Result<EpssScore, String> {
    let mut fields = line.split(',');
    let (Some(cve), Some(epss), Some(percentile), None) =
        (fields.next(), fields.next(), fields.next(), fields.next())
    else {
        return Err(format!(
            "expected 3 fields (cve,epss,percentile), found {}",
            line.split(',').count()
        ));
    };
    if !is_cve(cve) {
        return Err(format!("`{}` is not a CVE id (CVE-YYYY-NNNN)", clip(cve)));
    }
    let probability = |name: &str, value: &str| -> Result<f64, String> {
        match value.parse::<f64>() {
            Ok(p) if (0.0..=1.0).contains(&p) => Ok(p),
            _ => Err(format!(
                "{cve}: {name} `{}` is not a number in [0, 1]",
                clip(value)
            )),
        }
    };
    Ok(EpssScore {
        epss: probability("epss", epss)?,
        percentile: probability("percentile", percentile)?,
        cve: cve.to_owned(),
    })
}

fn not_epss(file: &str, line: usize, columns: &str) -> FeedError {
    let found: Vec<String> = columns.split(',').take(20).map(clip).collect();
    FeedError::new(
        file,
        FeedErrorKind::UnknownFormat,
        format!(
            "not a FIRST EPSS file: expected a `#model_version:…,score_date:…` line, then the \
             columns cve, epss, percentile; found columns: {}",
            found.join(", ")
        ),
    )
    .at(Record::Line(line))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    const GOOD: &str = "#model_version:v2025.03.14,score_date:2025-06-01T12:55:00Z\n\
        cve,epss,percentile\n\
        CVE-1999-0001,0.01,0.5\n\
        CVE-2021-44228,0.94358,0.99957\n\
        CVE-2021-9999,0,0\n";

    #[test]
    fn parses_and_sorts() {
        let s = parse("epss.csv", GOOD.as_bytes()).expect("valid");
        assert_eq!(s.model_version, "v2025.03.14");
        assert_eq!(s.score_date, "2025-06-01T12:55:00Z");
        let cves: Vec<&str> = s.scores.iter().map(|e| e.cve.as_str()).collect();
        assert_eq!(cves, ["CVE-1999-0001", "CVE-2021-9999", "CVE-2021-44228"]);
        let log4shell = s.get("CVE-2021-44228").expect("present");
        assert_eq!((log4shell.epss, log4shell.percentile), (0.94358, 0.99957));
        assert!(s.get("CVE-2021-4422").is_none());
        assert!(s.get("").is_none());
    }

    #[test]
    fn crlf_and_no_final_newline() {
        let crlf = GOOD.replace('\n', "\r\n");
        assert_eq!(parse("e", crlf.as_bytes()), parse("e", GOOD.as_bytes()));
        let open = GOOD.trim_end();
        assert_eq!(parse("e", open.as_bytes()), parse("e", GOOD.as_bytes()));
    }

    #[test]
    fn bad_rows_name_the_line() {
        for (from, to, line, reason) in [
            (
                "0.94358",
                "1.5",
                4,
                "CVE-2021-44228: epss `1.5` is not a number in [0, 1]",
            ),
            ("0.99957", "NaN", 4, "percentile `NaN`"),
            ("0.01,", "-0.01,", 3, "epss `-0.01`"),
            ("CVE-2021-44228", "CVE-2021-442", 4, "not a CVE id"),
            (",0.99957", "", 4, "expected 3 fields"),
            ("0.99957", "0.99957,x", 4, "expected 3 fields"),
            ("0.99957\n", "0.99957\n\n", 5, "empty line"),
        ] {
            let err = parse("e", GOOD.replace(from, to).as_bytes()).expect_err(reason);
            assert_eq!(err.kind, FeedErrorKind::Invalid, "{err}");
            assert_eq!(err.record, Some(Record::Line(line)), "{err}");
            assert!(err.reason.contains(reason), "{err}");
        }
        let dup = GOOD.replace("CVE-2021-9999", "CVE-1999-0001");
        let err = parse("e", dup.as_bytes()).expect_err("duplicate");
        assert!(err.to_string().contains("CVE-1999-0001"), "{err}");
    }

    #[test]
    fn header_comment_is_required() {
        for (from, to, reason) in [
            (",score_date:2025-06-01T12:55:00Z", "", "no score_date"),
            ("model_version:v2025.03.14,", "", "no model_version"),
            ("v2025.03.14", "latest", "not vYYYY.MM.DD"),
            ("2025-06-01T12:55:00Z", "yesterday", "not an RFC 3339"),
            (
                "#model_version:v2025.03.14,score_date:2025-06-01T12:55:00Z\n",
                "",
                "is missing",
            ),
        ] {
            let err = parse("e", GOOD.replace(from, to).as_bytes()).expect_err(reason);
            assert_eq!(err.kind, FeedErrorKind::Invalid, "{err}");
            assert_eq!(err.record, Some(Record::Line(1)), "{err}");
            assert!(err.reason.contains(reason), "{err}");
        }
    }

    #[test]
    fn gzip_round_trip_and_truncation() {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(GOOD.as_bytes()).expect("compress");
        let gz = gz.finish().expect("compress");
        assert_eq!(parse("e.gz", &gz), parse("e", GOOD.as_bytes()));
        for cut in [2, 10, gz.len() / 2, gz.len() - 1] {
            let err = parse("e.gz", gz.get(..cut).expect("cut")).expect_err("truncated");
            assert_eq!(err.kind, FeedErrorKind::Syntax, "cut at {cut}: {err}");
        }
    }

    #[test]
    fn other_columns_are_not_epss() {
        let err = parse(
            "kev_epss.csv",
            b"CVE,CVSS3,EPSS,EPSS Percentile\nCVE-2021-44228,10,0.9,1\n",
        )
        .expect_err("derived table");
        assert_eq!(err.kind, FeedErrorKind::UnknownFormat);
        assert!(
            err.reason
                .ends_with("found columns: CVE, CVSS3, EPSS, EPSS Percentile"),
            "{err}"
        );
        let err = parse("e", b"").expect_err("empty");
        assert_eq!(err.kind, FeedErrorKind::UnknownFormat);
        let err = parse("e", b"\xff\xfe").expect_err("binary");
        assert_eq!(err.kind, FeedErrorKind::Syntax);
    }
}
