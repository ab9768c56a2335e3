//! osquery JSON results import: each supported table, detection, and mixed-table refusal.

use proptest::prelude::*;
use weerbaar_inventory::model::Location;
use weerbaar_inventory::{Format, ImportOptions, import_bytes};

fn forced() -> ImportOptions {
    ImportOptions {
        format: Some(Format::OsqueryJson),
        ..ImportOptions::default()
    }
}

/// `osqueryi --json "select * from deb_packages"` on Debian 12 (abridged; osqueryi pretty-prints
/// each row on its own lines with all values as strings).
const DEB: &str = r#"[
  {"admindir":"/var/lib/dpkg","arch":"amd64","maintainer":"Debian OpenSSL Team <pkg-openssl-devel@alioth-lists.debian.net>","mount_namespace_id":"","name":"libssl3","pid_with_namespace":"0","priority":"optional","revision":"1~deb12u1","section":"libs","size":"6167","source":"openssl","status":"install ok installed","version":"3.0.15-1~deb12u1"},
  {"admindir":"/var/lib/dpkg","arch":"amd64","maintainer":"Matthias Klose <doko@debian.org>","mount_namespace_id":"","name":"bash","pid_with_namespace":"0","priority":"required","revision":"2+b7","section":"shells","size":"7164","source":"bash (5.2.15-2)","status":"install ok installed","version":"5.2.15-2+b7"},
  {"admindir":"/var/lib/dpkg","arch":"amd64","maintainer":"","mount_namespace_id":"","name":"linux-image-6.1.0-17-amd64","pid_with_namespace":"0","priority":"optional","revision":"1","section":"kernel","size":"0","source":"linux-signed-amd64 (6.1.69+1)","status":"deinstall ok config-files","version":"6.1.69-1"}
]"#;

const OS_VERSION: &str = r#"[
  {"arch":"x86_64","build":"","codename":"bookworm","major":"12","minor":"0","name":"Debian GNU/Linux","patch":"0","pid_with_namespace":"0","platform":"debian","platform_like":"","version":"12 (bookworm)"}
]"#;

#[test]
fn deb_packages_are_detected_and_filtered_by_status() {
    let inv =
        import_bytes("packages.json", DEB.as_bytes(), &ImportOptions::default()).expect("import");
    assert_eq!(inv.format, Format::OsqueryJson);
    let c = &inv.assets[0].components;
    assert_eq!(c.len(), 2, "config-files package skipped");
    assert_eq!(c[0].name, "libssl3");
    assert_eq!(c[0].source_name.as_deref(), Some("openssl"));
    assert_eq!(c[0].source_version.as_deref(), Some("3.0.15-1~deb12u1"));
    assert_eq!(c[1].source_version.as_deref(), Some("5.2.15-2"));
    assert_eq!(c[1].source.location, Location::JsonPath("$[1]".into()));
    assert_eq!(c[1].source.file, "packages.json");
}

#[test]
fn os_version_gives_the_asset_os() {
    let inv =
        import_bytes("os.json", OS_VERSION.as_bytes(), &ImportOptions::default()).expect("import");
    assert_eq!(inv.format, Format::OsqueryJson);
    let os = inv.assets[0].os.clone().expect("os");
    assert_eq!(os.id, "debian");
    assert_eq!(os.version_id.as_deref(), Some("12"));
    assert_eq!(os.codename.as_deref(), Some("bookworm"));
    assert_eq!(inv.component_count(), 0);
}

#[test]
fn mixed_tables_are_refused_at_the_first_odd_row() {
    let mixed = format!(
        "[{},{}]",
        DEB.trim().trim_start_matches('[').trim_end_matches(']'),
        OS_VERSION
            .trim()
            .trim_start_matches('[')
            .trim_end_matches(']')
    );
    let e = import_bytes("mixed.json", mixed.as_bytes(), &forced()).expect_err("mixed");
    assert_eq!(e.location, Some(Location::JsonPath("$[3]".into())), "{e}");
    assert!(
        e.reason.contains("os_version") && e.reason.contains("deb_packages"),
        "{e}"
    );
}

#[test]
fn truncated_json_names_the_line() {
    let cut = &DEB[..DEB.len() / 2];
    let e = import_bytes("packages.json", cut.as_bytes(), &forced()).expect_err("truncated");
    assert!(matches!(e.location, Some(Location::Line(_))), "{e}");
}

proptest! {
    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let _ = import_bytes("osquery.json", &bytes, &forced());
    }

    #[test]
    fn row_like_json_never_panics(
        rows in proptest::collection::vec(
            proptest::collection::btree_map(
                "(name|version|source|status|release|epoch|origin|publisher|platform|major|minor|patch|host_hostname|x)",
                prop_oneof![
                    "[a-z0-9 ().:~+-]{0,12}".prop_map(serde_json::Value::from),
                    any::<i64>().prop_map(serde_json::Value::from),
                    Just(serde_json::Value::Null),
                    any::<bool>().prop_map(serde_json::Value::from),
                ],
                0..6,
            ),
            0..6,
        )
    ) {
        let json = serde_json::to_vec(&rows).expect("serialise");
        let _ = import_bytes("osquery.json", &json, &forced());
    }
}
