//! Saved and loaded indexes match exactly like freshly built ones; damaged, truncated and
//! foreign files are rejected cleanly; arbitrary bytes never panic; the serde cache round-trips.

use std::collections::BTreeMap;
use std::io::Cursor;
use std::sync::OnceLock;

use proptest::prelude::*;
use serde::{Deserialize, Serialize};
use weerbaar_advisories::osv::{Advisory, Event};
use weerbaar_matching::persist::{CACHE_FORMAT, INDEX_FORMAT};
use weerbaar_matching::{ComponentRef, Index, Matcher, PersistError, load_cache, save_cache};
use weerbaar_versions::{Ecosystem, Scheme, Version};

use crate::support::{adv, load_jsonl};

/// Feeds covering the schemes with their own structures: SemVer (RustSec, Go), PEP 440 (PyPA,
/// whose canonical form differs from the text), rpm with epochs (AlmaLinux) and Maven (GHSA
/// records).
const FEEDS: [&str; 6] = [
    "osv/rustsec/rustsec-osv.jsonl",
    "osv/pypa/pypa-osv.jsonl",
    "osv/go/golang-vulndb-osv.jsonl",
    "osv/almalinux/almalinux-osv.jsonl",
    "osv/ghsa/osv-scalibr-zeppelin-server-ghsa.jsonl",
    "osv/ghsa/osv-scalibr-maven-classifier-ghsa.jsonl",
];

fn real() -> Option<&'static (Vec<Advisory>, Index)> {
    static CELL: OnceLock<Option<(Vec<Advisory>, Index)>> = OnceLock::new();
    CELL.get_or_init(|| {
        let mut advisories = Vec::new();
        for feed in FEEDS {
            advisories.extend(load_jsonl(&weerbaar_fixtures::fixture(feed)?));
        }
        let index = Index::build(&advisories);
        Some((advisories, index))
    })
    .as_ref()
}

fn saved(index: &Index, fingerprint: &str) -> Vec<u8> {
    let mut buf = Vec::new();
    index.save(&mut buf, fingerprint).expect("test setup");
    buf
}

/// Every version that every fourth advisory names (bounds and listed versions), and just above
/// each bound, as components of the advisory's own packages. (A quarter keeps the debug-build
/// test under half a minute; the findings still come from all the advisories.)
fn probe_components(advisories: &[Advisory]) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    for a in advisories.iter().step_by(4) {
        for aff in &a.affected {
            let Some(p) = &aff.package else { continue };
            let mut push = |v: &str| {
                out.push((p.ecosystem.clone(), p.name.clone(), v.to_owned()));
            };
            for r in &aff.ranges {
                for e in &r.events {
                    if let Event::Introduced(v) | Event::Fixed(v) | Event::LastAffected(v) = e {
                        push(v);
                        push(&format!("{v}.1"));
                    }
                }
            }
            for v in &aff.versions {
                push(v);
            }
        }
    }
    out
}

#[test]
fn round_trip_on_real_feeds_matches_identically() {
    let Some((advisories, built)) = real() else {
        return;
    };
    let bytes = saved(built, "feeds: test");
    let (loaded, fingerprint) = Index::load(&mut Cursor::new(&bytes)).expect("loads");
    assert_eq!(fingerprint, "feeds: test");
    assert_eq!(loaded.stats(), built.stats());
    assert_eq!(loaded.warnings(), built.warnings());
    assert_eq!(loaded.len(), built.len());
    // Saving the loaded index gives the same bytes: nothing was lost or reordered.
    assert_eq!(saved(&loaded, "feeds: test"), bytes);

    let probes = probe_components(advisories);
    let components: Vec<ComponentRef<'_>> = probes
        .iter()
        .map(|(e, n, v)| ComponentRef::new(e, n, v))
        .collect();
    let fresh = Matcher::match_components(built, &components);
    let again = Matcher::match_components(&loaded, &components);
    println!(
        "{} advisories, {} probes, {} findings; index file {} bytes",
        advisories.len(),
        components.len(),
        fresh.len(),
        bytes.len()
    );
    assert!(fresh.len() > 10_000, "the probes must exercise the index");
    assert_eq!(again, fresh);
}

fn small_index() -> Index {
    Index::build(&[
        adv(
            r#"{"id":"PYSEC-2024-1","modified":"2024-01-01T00:00:00Z","aliases":["CVE-2024-1"],
            "affected":[{"package":{"ecosystem":"PyPI","name":"Django"},
              "ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"1.11.27"},
                {"introduced":"2.2"},{"fixed":"2.2.9"}]}],"versions":["2.2.8","1.0"]}]}"#,
        ),
        adv(
            r#"{"id":"GHSA-aaaa-bbbb-cccc","modified":"2024-01-01T00:00:00Z","aliases":["CVE-2024-1"],
            "affected":[{"package":{"ecosystem":"npm","name":"left-pad"},
              "ranges":[{"type":"SEMVER","events":[{"introduced":"1.0.0"},{"last_affected":"1.2.0"}]}]},
              {"package":{"ecosystem":"Debian:12","name":"openssl"},
              "ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"3.0.11-1~deb12u2"}]}]}]}"#,
        ),
        adv(r#"{"id":"ALSA-2024:1","modified":"2024-01-01T00:00:00Z",
            "affected":[{"package":{"ecosystem":"AlmaLinux:9","name":"openssl"},
              "ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"1:3.0.7-25.el9"},
                {"limit":"2:0"}]}]}]}"#),
    ])
}

fn small_probes() -> Vec<ComponentRef<'static>> {
    vec![
        ComponentRef::new("PyPI", "django", "2.2.8"),
        ComponentRef::new("PyPI", "Django", "1.0"),
        ComponentRef::new("npm", "left-pad", "1.1.0"),
        ComponentRef::new("Debian:12", "openssl", "3.0.11-1~deb12u1"),
        ComponentRef::new("AlmaLinux:9", "openssl", "1:3.0.7-24.el9"),
    ]
}

#[test]
fn small_round_trip_keeps_every_finding() {
    let index = small_index();
    let bytes = saved(&index, "fp");
    let (loaded, fp) = Index::load(&mut Cursor::new(&bytes)).expect("loads");
    assert_eq!(fp, "fp");
    let fresh = Matcher::match_components(&index, &small_probes());
    assert_eq!(fresh.len(), 5, "{fresh:#?}");
    assert_eq!(Matcher::match_components(&loaded, &small_probes()), fresh);
}

fn load_err(bytes: &[u8]) -> PersistError {
    match Index::load(&mut Cursor::new(bytes)) {
        Ok(_) => panic!("a damaged file loaded"),
        Err(e) => e,
    }
}

#[test]
fn every_truncation_and_every_flipped_byte_is_rejected() {
    let bytes = saved(&small_index(), "fp");
    for len in 0..bytes.len() {
        let e = load_err(bytes.get(..len).expect("in bounds"));
        assert!(
            matches!(e, PersistError::Truncated | PersistError::NotPersisted),
            "{len}: {e}"
        );
    }
    for i in 0..bytes.len() {
        let mut damaged = bytes.clone();
        damaged[i] ^= 0x20;
        load_err(&damaged);
    }
    let mut longer = bytes.clone();
    longer.push(0);
    assert!(matches!(load_err(&longer), PersistError::Corrupt(_)));
}

#[test]
fn other_format_versions_and_kinds_are_named() {
    let bytes = saved(&small_index(), "fp");
    let mut other = bytes.clone();
    other[8..12].copy_from_slice(&(INDEX_FORMAT + 1).to_le_bytes());
    match load_err(&other) {
        PersistError::FormatVersion { found, expected } => {
            assert_eq!((found, expected), (INDEX_FORMAT + 1, INDEX_FORMAT));
        }
        e => panic!("{e}"),
    }
    let mut magic = bytes.clone();
    magic[0] = b'X';
    assert!(matches!(load_err(&magic), PersistError::NotPersisted));
    assert!(matches!(
        load_err(b"{\"id\": \"not an index\"}"),
        PersistError::NotPersisted
    ));

    // A cache file is not an index, even when the format numbers agree.
    let dir = tempdir("kinds");
    let path = dir.join("cache.bin");
    save_cache(&path, "fp", &vec![1u32, 2, 3]).expect("test setup");
    let file = std::fs::read(&path).expect("test setup");
    if CACHE_FORMAT == INDEX_FORMAT {
        assert!(matches!(load_err(&file), PersistError::Kind { .. }));
    } else {
        assert!(matches!(
            load_err(&file),
            PersistError::FormatVersion { .. }
        ));
    }
}

fn tempdir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "weerbaar-matching-persist-{name}-{}",
        std::process::id()
    ));
    std::fs::create_dir_all(&dir).expect("test setup");
    dir
}

#[test]
fn index_files_are_written_atomically_and_checked_against_the_fingerprint() {
    let dir = tempdir("files");
    let path = dir.join("index.bin");
    assert!(
        Index::load_file(&path, "fp").expect("test setup").is_none(),
        "missing"
    );
    let index = small_index();
    index.save_file(&path, "fp").expect("test setup");
    let names: Vec<_> = std::fs::read_dir(&dir).expect("test setup").collect();
    assert_eq!(names.len(), 1, "no temporary file left behind");
    let loaded = Index::load_file(&path, "fp")
        .expect("test setup")
        .expect("same fingerprint");
    assert_eq!(
        Matcher::match_components(&loaded, &small_probes()),
        Matcher::match_components(&index, &small_probes())
    );
    assert!(
        Index::load_file(&path, "other")
            .expect("test setup")
            .is_none()
    );
    // Another format version is a stale cache, not an error.
    let mut bytes = std::fs::read(&path).expect("test setup");
    bytes[8..12].copy_from_slice(&(INDEX_FORMAT + 1).to_le_bytes());
    std::fs::write(&path, &bytes).expect("test setup");
    assert!(Index::load_file(&path, "fp").expect("test setup").is_none());
    // Damage is an error that names the file.
    bytes[8..12].copy_from_slice(&INDEX_FORMAT.to_le_bytes());
    bytes.truncate(bytes.len() - 3);
    std::fs::write(&path, &bytes).expect("test setup");
    let e = Index::load_file(&path, "fp").expect_err("truncated");
    assert!(matches!(e.inner(), PersistError::Truncated), "{e}");
    assert!(e.to_string().contains("index.bin"), "{e}");
    std::fs::remove_dir_all(&dir).expect("test setup");
}

#[derive(Debug, PartialEq, Serialize, Deserialize)]
struct Cpes {
    by_vendor: BTreeMap<String, Vec<(String, Option<String>)>>,
    count: u64,
}

#[test]
fn serde_cache_round_trips_and_rejects_stale_or_damaged_files() {
    let dir = tempdir("cache");
    let path = dir.join("cpe.cache");
    let value = Cpes {
        by_vendor: BTreeMap::from([
            (
                "openssl".into(),
                vec![("openssl".into(), Some("3.0.7".into()))],
            ),
            ("apache".into(), vec![("httpd".into(), None)]),
        ]),
        count: 2,
    };
    assert_eq!(
        load_cache::<Cpes>(&path, "fp").expect("test setup"),
        None,
        "missing"
    );
    save_cache(&path, "fp", &value).expect("test setup");
    assert_eq!(
        load_cache::<Cpes>(&path, "fp").expect("test setup"),
        Some(value)
    );
    assert_eq!(
        load_cache::<Cpes>(&path, "newer feed").expect("test setup"),
        None
    );
    assert_eq!(
        load_cache::<Vec<u32>>(&path, "fp").expect("test setup"),
        None,
        "another type"
    );
    let bytes = std::fs::read(&path).expect("test setup");
    for i in (0..bytes.len()).step_by(3) {
        let mut damaged = bytes.clone();
        damaged[i] ^= 0x01;
        std::fs::write(&path, &damaged).expect("test setup");
        // A flip in the header may turn it into another kind or fingerprint (stale: None);
        // anywhere else it is an error. It never yields a value.
        assert!(
            !matches!(load_cache::<Cpes>(&path, "fp"), Ok(Some(_))),
            "byte {i}"
        );
    }
    std::fs::write(&path, bytes.get(..bytes.len() - 1).expect("test setup")).expect("test setup");
    assert!(load_cache::<Cpes>(&path, "fp").is_err());
    std::fs::remove_dir_all(&dir).expect("test setup");
}

proptest! {
    /// Saving relies on it (and checks it): a parsed version's text parses back to an equal
    /// version, in every scheme.
    #[test]
    fn every_scheme_parses_its_own_display_back(
        text in "[0-9]{1,3}([.][0-9a-zA-Z]{1,4}){0,4}([-+~_:][0-9a-zA-Z.]{1,6}){0,2}",
    ) {
        let schemes: std::collections::BTreeSet<Scheme> =
            Ecosystem::supported().map(|(_, s)| s).chain([Scheme::SemVer]).collect();
        for scheme in schemes {
            if let Ok(v) = Version::parse(scheme, &text) {
                let shown = v.to_string();
                let again = Version::parse(scheme, &shown);
                prop_assert!(
                    again.as_ref().is_ok_and(|a| *a == v),
                    "{scheme}: {text:?} → {shown:?} → {again:?}"
                );
            }
        }
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let _ = Index::load(&mut Cursor::new(&bytes));
    }

    /// Past the header, with the real magic, format and kind, into the payload decoder.
    #[test]
    fn arbitrary_payloads_never_panic(payload in proptest::collection::vec(any::<u8>(), 0..512)) {
        let header = saved(&Index::build(&[]), "");
        let mut bytes = header.get(..header.len() - 8 - 7 * 8 - 3 * 4).expect("test setup").to_vec();
        bytes.extend_from_slice(&payload);
        prop_assert!(Index::load(&mut Cursor::new(&bytes)).is_err());
    }

    #[test]
    fn damaged_files_never_load(edits in proptest::collection::vec((any::<usize>(), any::<u8>()), 1..8)) {
        let mut bytes = saved(&small_index(), "fp");
        let original = bytes.clone();
        for (at, value) in edits {
            let i = at % bytes.len();
            bytes[i] = value;
        }
        prop_assume!(bytes != original);
        prop_assert!(Index::load(&mut Cursor::new(&bytes)).is_err());
    }
}
