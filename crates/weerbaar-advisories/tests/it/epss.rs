//! Real EPSS files: the first 49 rows of a FIRST daily file (with its real header), vunnel's
//! fixtures (valid, invalid header, missing date) and jgamblin's derived KEV/EPSS table, which is
//! not a FIRST file. Counts were verified independently with python3.

use std::io::Write;

use proptest::prelude::*;
use weerbaar_advisories::epss;
use weerbaar_advisories::{FeedErrorKind, Record};
use weerbaar_fixtures::fixture;

const FIRST49: &str = "epss/lodestonesecurity-epss_scores-current-first49rows.csv";

fn read(relative: &str) -> Option<Vec<u8>> {
    let path = fixture(relative)?;
    Some(std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display())))
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(bytes).expect("compress");
    gz.finish().expect("compress")
}

#[test]
fn first_daily_file() {
    let Some(bytes) = read(FIRST49) else { return };
    let s = epss::parse(FIRST49, &bytes).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(s.model_version, "v2026.06.15");
    assert_eq!(s.score_date, "2026-09-29T12:00:22Z");
    assert_eq!(s.scores.len(), 49);
    let first = s.get("CVE-1999-0001").expect("first row");
    assert_eq!((first.epss, first.percentile), (0.03351, 0.88255));
    let last = s.get("CVE-1999-0050").expect("last row");
    assert_eq!((last.epss, last.percentile), (0.01237, 0.67892));
    let top = s
        .scores
        .iter()
        .max_by(|a, b| a.epss.total_cmp(&b.epss))
        .expect("rows");
    assert_eq!(
        (top.cve.as_str(), top.epss, top.percentile),
        ("CVE-1999-0016", 0.95739, 0.99871)
    );
    assert!(s.get("CVE-2021-44228").is_none());
}

#[test]
fn gzip_is_detected_by_magic() {
    let Some(bytes) = read(FIRST49) else { return };
    let plain = epss::parse(FIRST49, &bytes).expect("plain");
    let gz = gzip(&bytes);
    assert_eq!(epss::parse("scores.csv", &gz), Ok(plain.clone()));
    // Two gzip members (as `cat a.gz b.gz` makes) are one stream; here the second is the rows
    // after a split, so the result is the same file.
    let split = bytes.len() / 2;
    let mut two = gzip(&bytes[..split]);
    two.extend(gzip(&bytes[split..]));
    assert_eq!(epss::parse("scores.csv.gz", &two), Ok(plain));

    for cut in [3, gz.len() / 3, gz.len() - 4] {
        let err = epss::parse("scores.csv.gz", &gz[..cut]).expect_err("truncated");
        assert_eq!(err.kind, FeedErrorKind::Syntax, "cut at {cut}: {err}");
        assert!(err.reason.contains("gzip"), "{err}");
    }
    let mut corrupt = gz.clone();
    if let Some(b) = corrupt.get_mut(gz.len() / 2) {
        *b ^= 0xff;
    }
    let err = epss::parse("scores.csv.gz", &corrupt).expect_err("corrupt");
    assert_eq!(err.kind, FeedErrorKind::Syntax, "{err}");
}

#[test]
fn vunnel_fixtures() {
    let (Some(valid), Some(bad_header), Some(no_date)) = (
        read("epss/vunnel-example-1.csv"),
        read("epss/vunnel-invalid-header.csv"),
        read("epss/vunnel-missing-date.csv"),
    ) else {
        return;
    };
    let s = epss::parse("vunnel-example-1.csv", &valid).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(s.model_version, "v2023.03.01");
    assert_eq!(s.score_date, "2025-02-20T00:00:00+0000");
    assert_eq!(s.scores.len(), 5);
    assert_eq!(s.get("CVE-1999-0005").map(|e| e.epss), Some(0.91963));

    let err = epss::parse("vunnel-invalid-header.csv", &bad_header).expect_err("columns");
    assert_eq!(err.kind, FeedErrorKind::UnknownFormat);
    assert_eq!(err.record, Some(Record::Line(2)));
    assert!(
        err.reason
            .ends_with("found columns: invalid, header, format"),
        "{err}"
    );

    let err = epss::parse("vunnel-missing-date.csv", &no_date).expect_err("no date");
    assert_eq!(err.kind, FeedErrorKind::Invalid);
    assert_eq!(err.record, Some(Record::Line(1)));
    assert_eq!(err.reason, "header comment has no score_date");
}

#[test]
fn derived_kev_epss_table_is_not_a_first_file() {
    let name = "epss/jgamblin-KEV_EPSS-epss_kev_nvd.csv";
    let Some(bytes) = read(name) else { return };
    let err = epss::parse(name, &bytes).expect_err("derived table");
    assert_eq!(err.kind, FeedErrorKind::UnknownFormat);
    assert_eq!(err.record, Some(Record::Line(1)));
    assert!(err.reason.starts_with("not a FIRST EPSS file"), "{err}");
    assert!(
        err.reason.ends_with(
            "found columns: CVE, CVSS3, EPSS, EPSS Percentile, Description, Vendor, Product"
        ),
        "{err}"
    );
}

#[test]
fn damaged_real_rows_name_the_line() {
    let Some(bytes) = read(FIRST49) else { return };
    let text = String::from_utf8(bytes).expect("utf-8");
    let bad = text.replace("CVE-1999-0003,0.24565", "CVE-1999-0003,2.4565");
    let err = epss::parse(FIRST49, bad.as_bytes()).expect_err("bad probability");
    assert_eq!(err.record, Some(Record::Line(5)));
    assert!(
        err.reason.starts_with("CVE-1999-0003: epss `2.4565`"),
        "{err}"
    );
    let no_header = text.split_once('\n').expect("lines").1;
    let err = epss::parse(FIRST49, no_header.as_bytes()).expect_err("no comment");
    assert_eq!(err.kind, FeedErrorKind::Invalid);
    assert!(err.reason.contains("header comment is missing"), "{err}");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_input_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        let _ = epss::parse("x", &bytes);
        let mut gz = vec![0x1f, 0x8b];
        gz.extend(&bytes);
        let _ = epss::parse("x", &gz);
    }

    #[test]
    fn near_valid_files_never_panic(
        header in "#model_version:v[0-9.]{0,10},score_date:[0-9T:Z+.-]{0,26}|#[^\n]{0,20}",
        columns in "cve,epss,percentile|[a-z,]{0,20}",
        rows in proptest::collection::vec("CVE-[0-9]{4}-[0-9]{3,6},[0-9.eE+-]{0,8},[0-9.]{0,8}|[^\n]{0,20}", 0..6),
    ) {
        let text = format!("{header}\n{columns}\n{}\n", rows.join("\n"));
        if let Ok(scores) = epss::parse("x", text.as_bytes()) {
            for s in &scores.scores {
                prop_assert!((0.0..=1.0).contains(&s.epss) && (0.0..=1.0).contains(&s.percentile));
                prop_assert_eq!(scores.get(&s.cve), Some(s));
            }
        }
        let _ = epss::parse("x", &gzip(text.as_bytes()));
    }
}
