//! OSV on real feeds: RustSec, PyPA, the Go vulnerability database, AlmaLinux and GHSA (JSON
//! Lines), the osv-schema linter and ghsa-to-osv test data (single records), and the zip and
//! directory forms built from real records. Counts were taken independently with python3.

use std::io::Write;
use std::path::{Path, PathBuf};

use proptest::prelude::*;
use weerbaar_advisories::osv::{
    self, Advisory, CreditType, Event, Form, RangeType, ReferenceType, SeverityType,
};
use weerbaar_advisories::{FeedErrorKind, Record};

fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn jsonl(relative: &str) -> Option<Vec<Advisory>> {
    let path = weerbaar_fixtures::fixture(relative)?;
    let bytes = read(&path);
    assert_eq!(osv::detect(&bytes), Some(Form::Jsonl), "{relative}");
    Some(osv::parse_jsonl(relative, &bytes).unwrap_or_else(|e| panic!("{e}")))
}

fn find<'a>(records: &'a [Advisory], id: &str) -> &'a Advisory {
    records
        .iter()
        .find(|a| a.id == id)
        .unwrap_or_else(|| panic!("{id} not found"))
}

fn withdrawn(records: &[Advisory]) -> usize {
    records.iter().filter(|a| a.is_withdrawn()).count()
}

fn count_events(records: &[Advisory], key: &str) -> usize {
    records
        .iter()
        .flat_map(|a| &a.affected)
        .flat_map(|a| &a.ranges)
        .flat_map(|r| &r.events)
        .filter(|e| e.key() == key)
        .count()
}

#[test]
fn rustsec_feed() {
    let Some(records) = jsonl("osv/rustsec/rustsec-osv.jsonl") else {
        return;
    };
    assert_eq!(records.len(), 1206);
    assert_eq!(withdrawn(&records), 13);
    assert_eq!(count_events(&records, "introduced"), 1466);
    assert_eq!(count_events(&records, "fixed"), 1000);
    let severities = records.iter().flat_map(|a| &a.severity);
    assert_eq!(
        severities
            .clone()
            .filter(|s| s.kind == SeverityType::CvssV3)
            .count(),
        360
    );
    assert_eq!(
        severities
            .filter(|s| s.kind == SeverityType::CvssV4)
            .count(),
        57
    );

    let first = &records[0];
    assert_eq!(first.id, "RUSTSEC-2016-0001");
    assert_eq!(first.aliases, ["CVE-2016-10931", "GHSA-34p9-f4q3-c4r7"]);
    let affected = &first.affected[0];
    let package = affected.package.as_ref().expect("package");
    assert_eq!(
        (
            package.ecosystem.as_str(),
            package.name.as_str(),
            package.purl.as_deref()
        ),
        ("crates.io", "openssl", Some("pkg:cargo/openssl"))
    );
    assert_eq!(affected.ranges[0].kind, RangeType::Semver);
    assert_eq!(
        affected.ranges[0].events,
        [
            Event::Introduced("0.0.0-0".into()),
            Event::Fixed("0.9.0".into())
        ]
    );

    let v4 = find(&records, "RUSTSEC-2024-0445");
    assert_eq!(v4.severity[0].kind, SeverityType::CvssV4);
    assert_eq!(
        v4.severity[0].score,
        "CVSS:4.0/AV:N/AC:L/AT:P/PR:L/UI:N/VC:L/VI:L/VA:L/SC:N/SI:N/SA:N"
    );
    let gone = find(&records, "RUSTSEC-2019-0031");
    assert_eq!(gone.withdrawn.as_deref(), Some("2020-10-08T12:00:00Z"));

    // osv-linter R0002 (a version repeated within a range) holds for 4 real RustSec ranges,
    // which is why it is a lint and not a parse error.
    let overlapping: Vec<(&str, String)> = records
        .iter()
        .flat_map(|a| a.lint().into_iter().map(move |l| (a.id.as_str(), l.path)))
        .collect();
    assert_eq!(
        overlapping,
        [
            (
                "RUSTSEC-2022-0012",
                "$.affected[0].ranges[0].events[7]".to_owned()
            ),
            (
                "RUSTSEC-2023-0039",
                "$.affected[0].ranges[0].events[5]".to_owned()
            ),
            (
                "RUSTSEC-2024-0399",
                "$.affected[0].ranges[0].events[1]".to_owned()
            ),
            (
                "RUSTSEC-2026-0149",
                "$.affected[0].ranges[0].events[7]".to_owned()
            ),
        ]
    );
}

#[test]
fn pypa_feed() {
    let Some(records) = jsonl("osv/pypa/pypa-osv.jsonl") else {
        return;
    };
    assert_eq!(records.len(), 2661);
    assert_eq!(withdrawn(&records), 10);
    let ranges: Vec<_> = records
        .iter()
        .flat_map(|a| &a.affected)
        .flat_map(|a| &a.ranges)
        .collect();
    assert_eq!(
        ranges
            .iter()
            .filter(|r| r.kind == RangeType::Ecosystem)
            .count(),
        2659
    );
    let git: Vec<_> = ranges.iter().filter(|r| r.kind == RangeType::Git).collect();
    assert_eq!(git.len(), 1391);
    assert!(git.iter().all(|r| r.repo.is_some()));
    assert_eq!(
        records
            .iter()
            .flat_map(|a| &a.affected)
            .map(|a| a.versions.len())
            .sum::<usize>(),
        140_847
    );
    assert_eq!(count_events(&records, "last_affected"), 1);

    let requests = find(&records, "PYSEC-2023-74");
    assert_eq!(requests.aliases, ["CVE-2023-32681", "GHSA-j8r2-6x86-q33q"]);
    let affected = &requests.affected[0];
    assert_eq!(affected.versions.len(), 66);
    assert_eq!(affected.ranges[0].kind, RangeType::Git);
    assert_eq!(
        affected.ranges[0].repo.as_deref(),
        Some("https://github.com/psf/requests")
    );
    assert_eq!(
        affected.ranges[1].events,
        [
            Event::Introduced("2.3.0".into()),
            Event::Fixed("2.31.0".into())
        ]
    );

    let py = find(&records, "PYSEC-2022-42969");
    assert_eq!(
        py.affected[0].ranges[0].events,
        [
            Event::Introduced("0".into()),
            Event::LastAffected("1.11.0".into())
        ]
    );

    // Abbreviated GIT hashes are published, and accepted (see the module docs).
    let short = find(&records, "PYSEC-2021-424");
    assert!(
        short
            .affected
            .iter()
            .flat_map(|a| &a.ranges)
            .flat_map(|r| &r.events)
            .any(|e| e.version() == "cb35df940a")
    );
}

#[test]
fn go_vulndb_feed() {
    let Some(records) = jsonl("osv/go/golang-vulndb-osv.jsonl") else {
        return;
    };
    assert_eq!(records.len(), 4291);
    assert_eq!(withdrawn(&records), 17);
    assert_eq!(
        records.iter().map(|a| a.affected.len()).sum::<usize>(),
        6125
    );
    assert!(
        records
            .iter()
            .all(|a| a.schema_version.as_deref() == Some("1.3.1"))
    );
    assert_eq!(records.iter().map(|a| a.credits.len()).sum::<usize>(), 582);
    let gin = find(&records, "GO-2020-0001");
    assert_eq!(gin.aliases, ["CVE-2020-36567", "GHSA-6vm3-jj99-7229"]);
    assert_eq!(gin.credits[0].name, "@thinkerou <thinkerou@gmail.com>");
    assert_eq!(gin.credits[0].kind, None);
    let package = gin.affected[0].package.as_ref().expect("package");
    assert_eq!(package.name, "github.com/gin-gonic/gin");
    assert_eq!(package.purl, None);
    assert_eq!(
        gin.affected[0].ranges[0].events,
        [Event::Introduced("0".into()), Event::Fixed("1.6.0".into())]
    );
    assert_eq!(
        find(&records, "GO-2022-0617").withdrawn.as_deref(),
        Some("2024-08-21T16:25:56Z")
    );
}

#[test]
fn almalinux_feed() {
    let Some(records) = jsonl("osv/almalinux/almalinux-osv.jsonl") else {
        return;
    };
    assert_eq!(records.len(), 5680);
    assert_eq!(withdrawn(&records), 0);
    let affected: Vec<_> = records.iter().flat_map(|a| &a.affected).collect();
    assert_eq!(affected.len(), 71_329);
    let release = |r: &str| {
        affected
            .iter()
            .filter(|a| a.package.as_ref().and_then(|p| p.ecosystem_suffix()) == Some(r))
            .count()
    };
    assert_eq!(
        (release("8"), release("9"), release("10")),
        (40_867, 23_983, 6_479)
    );
    assert!(affected.iter().all(|a| {
        a.package.as_ref().map(|p| p.ecosystem_name()) == Some("AlmaLinux")
            && a.ranges.len() == 1
            && a.ranges[0].kind == RangeType::Ecosystem
    }));
    let prefixes = |p: &str| records.iter().filter(|a| a.id.starts_with(p)).count();
    assert_eq!(
        (prefixes("ALSA-"), prefixes("ALBA-"), prefixes("ALEA-")),
        (4480, 978, 222)
    );

    let first = &records[0];
    assert_eq!(first.id, "ALSA-2025:10073");
    assert_eq!(first.modified, "2025-07-01T19:42:01Z");
    assert_eq!(
        first.related[..3],
        ["CVE-2025-6430", "CVE-2025-6424", "CVE-2025-6429"]
    );
    assert_eq!(first.references.len(), 10);
    let firefox = &first.affected[0];
    assert_eq!(
        firefox.package.as_ref().map(|p| p.ecosystem.as_str()),
        Some("AlmaLinux:10")
    );
    assert_eq!(
        firefox.ranges[0].events,
        [
            Event::Introduced("0".into()),
            Event::Fixed("128.12.0-1.el10_0".into())
        ]
    );
}

#[test]
fn ghsa_feeds() {
    let Some(zeppelin) = jsonl("osv/ghsa/osv-scalibr-zeppelin-server-ghsa.jsonl") else {
        return;
    };
    let Some(classifier) = jsonl("osv/ghsa/osv-scalibr-maven-classifier-ghsa.jsonl") else {
        return;
    };
    assert_eq!((zeppelin.len(), classifier.len()), (356, 8));
    assert_eq!(
        zeppelin.iter().map(|a| a.affected.len()).sum::<usize>(),
        901
    );
    assert_eq!(count_events(&zeppelin, "last_affected"), 38);
    let rating = |r: &str| {
        zeppelin
            .iter()
            .filter(|a| a.database_severity.as_deref() == Some(r))
            .count()
    };
    assert_eq!(
        (
            rating("LOW"),
            rating("MODERATE"),
            rating("HIGH"),
            rating("CRITICAL")
        ),
        (8, 119, 159, 70)
    );

    let logback = &zeppelin[0];
    assert_eq!(logback.id, "GHSA-vmfg-rjjm-rjrj");
    assert_eq!(logback.aliases, ["CVE-2017-5929"]);
    assert_eq!(logback.severity[0].kind, SeverityType::CvssV3);
    assert_eq!(
        logback.severity[0].score,
        "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"
    );
    assert_eq!(logback.database_severity.as_deref(), Some("CRITICAL"));

    let guava = find(&zeppelin, "GHSA-mvr2-9pj6-7w5j");
    let jdk5 = guava
        .affected
        .iter()
        .find(|a| {
            a.package.as_ref().map(|p| p.name.as_str()) == Some("com.google.guava:guava-jdk5")
        })
        .expect("guava-jdk5");
    assert_eq!(
        jdk5.ranges[0].events,
        [
            Event::Introduced("0".into()),
            Event::LastAffected("17.0".into())
        ]
    );

    assert_eq!(classifier[0].id, "GHSA-3mc7-4q67-w48m");
    assert_eq!(classifier[0].database_severity.as_deref(), Some("HIGH"));
}

/// Serialising gives OSV back: every real record survives a round trip unchanged.
#[test]
fn serialised_records_parse_back_to_themselves() {
    for feed in [
        "osv/rustsec/rustsec-osv.jsonl",
        "osv/go/golang-vulndb-osv.jsonl",
        "osv/ghsa/osv-scalibr-zeppelin-server-ghsa.jsonl",
    ] {
        let Some(records) = jsonl(feed) else {
            return;
        };
        for record in &records {
            let json = serde_json::to_vec(record).expect("serialise");
            let again = osv::parse_record("again.json", &json).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(&again, record);
        }
    }
}

fn linter_file(name: &str) -> Option<Result<Advisory, weerbaar_advisories::FeedError>> {
    let path = weerbaar_fixtures::fixture(format!("osv/osv-schema/linter-testdata/{name}"))?;
    Some(osv::parse_record(name, &read(&path)))
}

/// The osv-linter's test data: real records and deliberately broken ones. Only
/// `nointroduced-…` breaks the schema and is rejected; `nondistinct-…` breaks the linter's
/// R0002 and is reported by `lint`; the others are schema-valid (the linter flags them for
/// registry checks, P0001/P0002, or for having no affected data, A0001).
#[test]
fn linter_testdata() {
    let Some(files) = weerbaar_fixtures::fixtures_in("osv/osv-schema/linter-testdata", ".json")
    else {
        return;
    };
    assert_eq!(files.len(), 12);

    let Some(Err(err)) = linter_file("nointroduced-CVE-2023-41045.json") else {
        panic!("nointroduced must be rejected");
    };
    assert_eq!(err.kind, FeedErrorKind::Invalid);
    assert_eq!(
        err.record,
        Some(Record::Id {
            id: "CVE-2023-41045".into(),
            path: Some("$.affected[0].ranges[0]".into())
        })
    );
    assert!(
        err.to_string().starts_with(
            "nointroduced-CVE-2023-41045.json: record CVE-2023-41045 at $.affected[0].ranges[0]: \
             range has no `introduced` event"
        ),
        "{err}"
    );

    let mut valid = Vec::new();
    for path in &files {
        let name = path.file_name().and_then(|n| n.to_str()).expect("name");
        if name.starts_with("nointroduced-") {
            continue;
        }
        let record = osv::parse_record(name, &read(path)).unwrap_or_else(|e| panic!("{e}"));
        valid.push((name.to_owned(), record));
    }
    assert_eq!(valid.len(), 11);
    let lints = |file: &str| -> Vec<(&'static str, String)> {
        let (_, record) = valid.iter().find(|(n, _)| n == file).expect(file);
        record
            .lint()
            .into_iter()
            .map(|l| (l.code, l.path))
            .collect()
    };
    assert_eq!(
        lints("nondistinct-CVE-2018-5407.json"),
        [("R0002", "$.affected[6].ranges[1].events[1]".to_owned())]
    );
    assert_eq!(lints("CVE-2018-5407.json"), []);
    assert_eq!(
        lints("SUSE-FU-2022_0444-1.json"),
        [("A0001", "$.affected".to_owned())]
    );
    assert_eq!(
        lints("RHSA-2022_0216.json"),
        [("A0001", "$.affected".to_owned())]
    );
    let (_, nondistinct) = valid
        .iter()
        .find(|(n, _)| n == "nondistinct-CVE-2018-5407.json")
        .expect("parsed");
    assert_eq!(
        nondistinct.lint()[0].message,
        "overlapping event: `e818b74be2170fbe957a07b0da4401c2b694b3b8` is already used by events[0]"
    );

    let by_name = |file: &str| &valid.iter().find(|(n, _)| n == file).expect(file).1;
    let rhsa = by_name("RHSA-2022_0216.json");
    assert_eq!(rhsa.id, "RHSA-2022:0216");
    assert_eq!(
        rhsa.related,
        ["CVE-2021-44832", "CVE-2021-45046", "CVE-2021-45105"]
    );
    let suse = by_name("SUSE-FU-2022_0444-1.json");
    assert_eq!(suse.id, "SUSE-FU-2022:0444-1");
    assert!(suse.affected.is_empty() && suse.aliases.is_empty());
    let graylog = by_name("CVE-2023-41045.json");
    assert_eq!(graylog.affected[0].package, None);
    assert_eq!(graylog.affected[0].ranges[0].kind, RangeType::Git);
    let gradio = by_name("GHSA-9v2f-6vcg-3hgv.json");
    assert_eq!(gradio.affected[0].versions, ["4.36.1", "4.36.-1"]);
    assert_eq!(gradio.database_severity.as_deref(), Some("CRITICAL"));
    let mal = by_name("MAL-2024-10238.json");
    assert_eq!(mal.credits[0].kind, Some(CreditType::Finder));
    assert_eq!(mal.credits[0].contact.len(), 2);
    let pysec = by_name("PYSEC-2023-74.json");
    assert_eq!(pysec.modified, "2023-06-05T01:13:00.534973Z");
    assert_eq!(pysec.references[3].kind, ReferenceType::Article);
    let alpine = by_name("CVE-2018-5407.json");
    assert_eq!(alpine.affected.len(), 7);
    assert_eq!(
        alpine.affected[0]
            .package
            .as_ref()
            .map(|p| p.ecosystem.as_str()),
        Some("Alpine:v3.3")
    );
}

#[test]
fn ghsa_to_osv_expected_outputs_parse() {
    let Some(files) = weerbaar_fixtures::fixtures_in("osv/osv-schema/ghsa-to-osv", ".osv.json")
    else {
        return;
    };
    assert_eq!(files.len(), 11);
    let mut records = Vec::new();
    for path in &files {
        let name = path.display().to_string();
        records.push(osv::parse_record(&name, &read(path)).unwrap_or_else(|e| panic!("{e}")));
    }
    assert!(records.iter().all(|a| a.id.starts_with("GHSA-")));
    assert_eq!(records.iter().filter(|a| a.is_withdrawn()).count(), 1);
    let withdrawn = records
        .iter()
        .find(|a| a.is_withdrawn())
        .expect("withdrawn");
    assert_eq!(withdrawn.id, "GHSA-35c4-f3rq-f9g3");
    assert_eq!(withdrawn.withdrawn.as_deref(), Some("2018-10-11T17:29:49Z"));
    // The GitHub GraphQL inputs beside them are not OSV, and are refused as such.
    let input = files[0].to_string_lossy().replace(".osv.json", ".json");
    let err = osv::parse_record(&input, &read(Path::new(&input))).expect_err("not OSV");
    assert_eq!(err.kind, FeedErrorKind::Invalid, "{err}");
}

/// Real records of three feeds, as (id, one-line JSON).
fn sample() -> Option<Vec<(String, Vec<u8>)>> {
    let mut out = Vec::new();
    for (feed, take) in [
        ("osv/rustsec/rustsec-osv.jsonl", 3),
        ("osv/go/golang-vulndb-osv.jsonl", 2),
        ("osv/almalinux/almalinux-osv.jsonl", 2),
    ] {
        let bytes = read(&weerbaar_fixtures::fixture(feed)?);
        for line in bytes.split(|&b| b == b'\n').take(take) {
            let record = osv::parse_record(feed, line).unwrap_or_else(|e| panic!("{e}"));
            out.push((record.id, line.to_vec()));
        }
    }
    Some(out)
}

fn zip_of(members: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in members {
        zip.start_file(name.as_str(), options)
            .expect("start member");
        zip.write_all(bytes).expect("write member");
    }
    zip.finish().expect("finish").into_inner()
}

#[test]
fn zip_archive_of_real_records() {
    let Some(sample) = sample() else {
        return;
    };
    let mut members: Vec<(String, Vec<u8>)> = sample
        .iter()
        .map(|(id, json)| (format!("{id}.json"), json.clone()))
        .collect();
    members.push(("README.txt".into(), b"not a record".to_vec()));
    let archive = zip_of(&members);
    assert_eq!(osv::detect(&archive), Some(Form::Zip));
    let records = osv::parse_any("all.zip", &archive).unwrap_or_else(|e| panic!("{e}"));
    let ids: Vec<_> = records.iter().map(|a| a.id.as_str()).collect();
    let expected: Vec<_> = sample.iter().map(|(id, _)| id.as_str()).collect();
    assert_eq!(ids, expected, "archive order, README skipped");

    // A broken member is named, with the JSON path inside it.
    let (id, json) = &sample[0];
    let broken = String::from_utf8_lossy(json).replacen("\"introduced\"", "\"introduce\"", 1);
    members.insert(1, (format!("{id}-broken.json"), broken.into_bytes()));
    let err = osv::load_zip("all.zip", &zip_of(&members)).expect_err("broken member");
    assert_eq!(err.kind, FeedErrorKind::Invalid);
    assert_eq!(
        err.record,
        Some(Record::Member {
            name: format!("{id}-broken.json"),
            path: Some("$.affected[0].ranges[0].events[0].introduce".into())
        })
    );
    assert!(
        err.reason
            .starts_with("unknown event type `introduce`, expected one of `introduced`"),
        "{err}"
    );
    assert!(
        err.reason
            .contains(&format!("(record {id}, line 1, column")),
        "{err}"
    );

    let err = osv::load_zip("all.zip", &archive[..archive.len() / 2]).expect_err("truncated");
    assert_eq!(err.kind, FeedErrorKind::Syntax, "{err}");
}

fn temp_dir(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("weerbaar-osv-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

#[test]
fn directory_tree_of_real_records() {
    let Some(sample) = sample() else {
        return;
    };
    let dir = temp_dir("tree");
    // An advisory-database layout: records spread over nested directories, plus files that are
    // not records (hidden, non-JSON) that must be skipped.
    let places = ["b/2016", "a", "b/2016", "c/deep/er", "a", "b/2017", "c"];
    for ((id, json), place) in sample.iter().zip(places) {
        let sub = dir.join(place);
        std::fs::create_dir_all(&sub).expect("mkdir");
        std::fs::write(sub.join(format!("{id}.json")), json).expect("write");
    }
    std::fs::create_dir_all(dir.join(".github")).expect("mkdir");
    std::fs::write(dir.join(".github/renovate.json"), b"{}").expect("write");
    std::fs::write(dir.join("a/README.md"), b"# records").expect("write");

    let records = osv::load_dir(&dir).unwrap_or_else(|e| panic!("{e}"));
    let mut expected: Vec<(String, &str)> = sample
        .iter()
        .zip(places)
        .map(|((id, _), place)| (format!("{place}/{id}.json"), id.as_str()))
        .collect();
    expected.sort();
    let ids: Vec<_> = records.iter().map(|a| a.id.as_str()).collect();
    let expected_ids: Vec<_> = expected.iter().map(|(_, id)| *id).collect();
    assert_eq!(ids, expected_ids, "sorted path order");

    let bad = dir.join("c/deep/bad.json");
    std::fs::write(&bad, br#"{"id": "GHSA-xxxx", "modified": "yesterday"}"#).expect("write");
    let err = osv::load_dir(&dir).expect_err("bad record");
    assert_eq!(err.file, bad.display().to_string());
    assert_eq!(
        err.record,
        Some(Record::Id {
            id: "GHSA-xxxx".into(),
            path: Some("$.modified".into())
        })
    );
    assert!(
        err.reason
            .starts_with("`yesterday` is not an RFC 3339 UTC timestamp"),
        "{err}"
    );

    let err = osv::load_dir(dir.join("missing")).expect_err("no such dir");
    assert_eq!(err.kind, FeedErrorKind::Io);
    std::fs::remove_dir_all(&dir).expect("clean up");
}

#[test]
fn jsonl_errors_name_line_and_id() {
    let Some(path) = weerbaar_fixtures::fixture("osv/rustsec/rustsec-osv.jsonl") else {
        return;
    };
    let text = String::from_utf8(read(&path)).expect("utf-8");
    let mut lines: Vec<String> = text.lines().take(5).map(str::to_owned).collect();
    lines[3] = lines[3].replacen("\"introduced\":\"0.0.0-0\"", "\"limit\":\"1\"", 1);
    let id = osv::parse_record("x", lines[2].as_bytes())
        .expect("line 3")
        .id;
    lines[2] = lines[2].replacen("\"type\":\"SEMVER\"", "\"type\":\"semver\"", 1);
    let err = osv::parse_jsonl("rustsec.jsonl", lines.join("\n").as_bytes()).expect_err("bad");
    assert_eq!(
        err.record,
        Some(Record::Id {
            id: id.clone(),
            path: Some("$.affected[0].ranges[0].type".into())
        })
    );
    assert!(err.reason.contains("unknown variant `semver`"), "{err}");
    assert!(err.reason.contains("(line 3, column"), "{err}");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2_000, failure_persistence: None, ..ProptestConfig::default() })]

    /// Arbitrary bytes never panic any entry point.
    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let _ = osv::parse_any("x", &bytes);
        let _ = osv::parse_record("x", &bytes);
        let _ = osv::parse_jsonl("x", &bytes);
        let _ = osv::load_zip("x", &bytes);
    }

    /// OSV-shaped noise (the record's own keys and values, recombined) never panics either, and
    /// reaches the validation rules rather than stopping at syntax errors.
    #[test]
    fn osv_shaped_noise_never_panics(doc in osv_like()) {
        let _ = osv::parse_any("x", doc.as_bytes());
        let _ = osv::parse_jsonl("x", doc.as_bytes());
    }

    /// A real zip with its bytes flipped never panics.
    #[test]
    fn damaged_zip_never_panics(at in 0usize..4096, byte in any::<u8>(), cut in 0usize..4096) {
        let mut archive = zip_of(&[("GO-2020-0001.json".into(), TINY.as_bytes().to_vec())]);
        let len = archive.len().max(1);
        if let Some(b) = archive.get_mut(at % len) {
            *b = byte;
        }
        archive.truncate(archive.len().saturating_sub(cut % 64));
        let _ = osv::load_zip("x", &archive);
    }
}

const TINY: &str = r#"{"id":"GO-2020-0001","modified":"2024-05-20T16:03:47Z","affected":[{"package":{"ecosystem":"Go","name":"x"},"ranges":[{"type":"SEMVER","events":[{"introduced":"0"},{"fixed":"1.6.0"}]}]}]}"#;

fn osv_like() -> impl Strategy<Value = String> {
    let value = prop_oneof![
        Just("\"0\"".to_owned()),
        Just("\"GHSA-1\"".to_owned()),
        Just("\"2024-05-20T16:03:47Z\"".to_owned()),
        Just("\"CVSS:3.1/AV:N\"".to_owned()),
        Just("\"GIT\"".to_owned()),
        Just("null".to_owned()),
        Just("[]".to_owned()),
        Just("{}".to_owned()),
        Just("7".to_owned()),
    ];
    let key = prop_oneof![
        Just("id"),
        Just("modified"),
        Just("affected"),
        Just("ranges"),
        Just("events"),
        Just("introduced"),
        Just("fixed"),
        Just("last_affected"),
        Just("type"),
        Just("repo"),
        Just("severity"),
        Just("score"),
        Just("package"),
        Just("database_specific"),
        Just("withdrawn"),
    ];
    let leaf = (key.clone(), value).prop_map(|(k, v)| format!("{{\"{k}\":{v}}}"));
    leaf.prop_recursive(4, 32, 4, move |inner| {
        (
            proptest::collection::vec((key.clone(), inner.clone()), 0..4),
            proptest::collection::vec(inner, 0..3),
        )
            .prop_map(|(fields, items)| {
                let mut object: Vec<String> = vec![
                    "\"id\":\"GO-1\"".to_owned(),
                    "\"modified\":\"2024-05-20T16:03:47Z\"".to_owned(),
                ];
                object.extend(fields.iter().map(|(k, v)| format!("\"{k}\":{v}")));
                object.push(format!("\"affected\":[{}]", items.join(",")));
                format!("{{{}}}", object.join(","))
            })
    })
}
