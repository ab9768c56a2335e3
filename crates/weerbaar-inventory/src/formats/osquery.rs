//! osquery results as JSON: `osqueryi --json "select * from deb_packages"`.
//!
//! # Format
//!
//! osqueryi prints an array of row objects whose values are all strings (osquery's `Row` is a
//! string map; integer columns print as `"0"`). Numbers and `null` are accepted too, for
//! exports that re-typed them; arrays, objects and booleans are errors at their JSON path.
//!
//! # Which table
//!
//! The file does not name its table, so it is recognised by columns found only in that table
//! (from osquery's `specs/**/*.table`):
//!
//! | table | distinguishing columns | becomes |
//! |---|---|---|
//! | `programs` (Windows) | `publisher`, `install_location`, `install_source`, `identifying_number`, `uninstall_string`, `language` | components; vendor = publisher |
//! | `deb_packages` | `revision`, `maintainer`, `section`, `priority`, `admindir`, `status` | components, ecosystem `Debian` |
//! | `rpm_packages` | `release`, `epoch`, `sha1`, `package_group`, `install_time`, `vendor` | components, EVR version |
//! | `apk_packages` | `origin`, `description`, `url`, `license` | components, ecosystem `Alpine` |
//! | `os_version` | `major`, `minor`, `patch`, `build`, `platform`, `platform_like`, `codename` | the asset's OS |
//!
//! A row with none of them (`select name, version from …`) cannot be placed and is an error
//! asking for `select *`; a row with columns of two tables, or a file whose rows come from
//! different tables, is an error at `$[i]`: one file, one table, so that a package list is never
//! silently read as another kind.
//!
//! # Decisions
//!
//! * `deb_packages` rows follow the dpkg importer: only rows whose `status` third word is
//!   `installed` count (osquery also lists `config-files` packages), `source` may carry a
//!   version in parentheses, and a package without `source` is its own source.
//! * `rpm_packages` rows get the version `[epoch:]version-release`, and the source package from
//!   the `source` column (the source RPM file name), as the rpm importer does.
//! * `os_version`: the id is `platform`, the release is rebuilt from `major.minor.patch`
//!   because osquery splits `VERSION_ID` into those (as strings, so Ubuntu's `04` survives) and
//!   fills missing parts with `0`; trailing `0` parts are dropped, so Debian's `12` does not
//!   become `12.0.0` (at the price of RHEL `9.0` reading as `9`, which is all advisories use).
//!   On `windows` and `darwin` the `version` column is the release.
//! * Multi-host results (Fleet's live-query export, or a query with a host decoration) carry
//!   the host in `host_hostname`, `host_display_name`, `hostIdentifier`, `host_identifier` or
//!   `hostname`; rows are then grouped into one asset per host, in order of first appearance.

use std::collections::HashMap;

use serde_json::{Map, Value};

use crate::formats::dpkg::{is_installed, parse_source_field};
use crate::formats::{json, rpm};
use crate::model::{Component, Location, OperatingSystem, Source};
use crate::{Format, ImportError, ImportedAsset, Inventory};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Table {
    Programs,
    DebPackages,
    RpmPackages,
    ApkPackages,
    OsVersion,
}

impl Table {
    const ALL: [Table; 5] = [
        Table::Programs,
        Table::DebPackages,
        Table::RpmPackages,
        Table::ApkPackages,
        Table::OsVersion,
    ];

    fn name(self) -> &'static str {
        match self {
            Table::Programs => "programs",
            Table::DebPackages => "deb_packages",
            Table::RpmPackages => "rpm_packages",
            Table::ApkPackages => "apk_packages",
            Table::OsVersion => "os_version",
        }
    }

    /// Columns no other supported table has.
    fn distinguishing(self) -> &'static [&'static str] {
        match self {
            Table::Programs => &[
                "publisher",
                "install_location",
                "install_source",
                "identifying_number",
                "uninstall_string",
                "language",
            ],
            Table::DebPackages => &[
                "revision",
                "maintainer",
                "section",
                "priority",
                "admindir",
                "status",
            ],
            Table::RpmPackages => &[
                "release",
                "epoch",
                "sha1",
                "package_group",
                "install_time",
                "vendor",
            ],
            Table::ApkPackages => &["origin", "description", "url", "license"],
            Table::OsVersion => &[
                "major",
                "minor",
                "patch",
                "build",
                "platform",
                "platform_like",
                "codename",
            ],
        }
    }
}

/// Columns that name the host a row came from, most specific first.
const HOST_COLUMNS: &[&str] = &[
    "host_hostname",
    "host_display_name",
    "hostIdentifier",
    "host_identifier",
    "hostname",
];

/// Imports osquery JSON results.
///
/// # Errors
/// A located [`ImportError`]: JSON syntax errors by line, everything else by `$[i]` path.
pub fn import(file: &str, bytes: &[u8]) -> Result<Inventory, ImportError> {
    let rows: Vec<Map<String, Value>> = json(file, bytes)?;
    let mut assets: Vec<ImportedAsset> = Vec::new();
    let mut by_host: HashMap<Option<String>, usize> = HashMap::new();
    let mut file_table: Option<(Table, usize)> = None;

    for (i, row) in rows.iter().enumerate() {
        let cells = Cells {
            file,
            row,
            index: i,
        };
        let table = classify(row).map_err(|reason| cells.error_row(reason))?;
        match file_table {
            None => file_table = Some((table, i)),
            Some((first, first_index)) if first != table => {
                return Err(cells.error_row(format!(
                    "this row is from {}, but row {first_index} is from {}; export one table \
                     per file",
                    table.name(),
                    first.name()
                )));
            }
            Some(_) => {}
        }

        let host = host_of(&cells)?;
        let slot = *by_host.entry(host.clone()).or_insert_with(|| {
            assets.push(ImportedAsset {
                name: host,
                ..ImportedAsset::default()
            });
            assets.len() - 1
        });
        let Some(asset) = assets.get_mut(slot) else {
            continue; // unreachable: `slot` was just taken from `assets`
        };

        match table {
            Table::OsVersion => {
                if asset.os.is_some() {
                    return Err(
                        cells.error_row("a second os_version row for the same host".to_owned())
                    );
                }
                asset.os = Some(os_version(&cells)?);
            }
            Table::Programs => asset.components.push(program(&cells)?),
            Table::DebPackages => {
                if let Some(c) = deb_package(&cells)? {
                    asset.components.push(c);
                }
            }
            Table::RpmPackages => {
                if let Some(c) = rpm_package(&cells)? {
                    asset.components.push(c);
                }
            }
            Table::ApkPackages => asset.components.push(apk_package(&cells)?),
        }
    }
    if assets.is_empty() {
        assets.push(ImportedAsset::default());
    }
    Ok(Inventory {
        format: Format::OsqueryJson,
        assets,
        warnings: Vec::new(),
    })
}

/// Decides which table a row is from (see the module docs).
fn classify(row: &Map<String, Value>) -> Result<Table, String> {
    let matching: Vec<Table> = Table::ALL
        .into_iter()
        .filter(|t| t.distinguishing().iter().any(|c| row.contains_key(*c)))
        .collect();
    match matching.as_slice() {
        [table] => Ok(*table),
        [] => {
            let mut columns: Vec<&str> = row.keys().map(String::as_str).collect();
            columns.truncate(12);
            Err(format!(
                "cannot tell which osquery table this row is from (columns: {}); export with \
                 `select * from programs|deb_packages|rpm_packages|apk_packages|os_version`",
                columns.join(", ")
            ))
        }
        several => Err(format!(
            "this row has columns of several tables ({}); export one table per file",
            several
                .iter()
                .map(|t| t.name())
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

/// One row with what is needed to read and locate its cells.
struct Cells<'a> {
    file: &'a str,
    row: &'a Map<String, Value>,
    index: usize,
}

impl Cells<'_> {
    fn path(&self) -> String {
        format!("$[{}]", self.index)
    }

    fn column_path(&self, column: &str) -> String {
        if column
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_')
            && !column.is_empty()
        {
            format!("$[{}].{column}", self.index)
        } else {
            format!("$[{}][{column:?}]", self.index)
        }
    }

    fn error_row(&self, reason: String) -> ImportError {
        ImportError::invalid(self.file, Location::JsonPath(self.path()), reason)
    }

    fn error_at(&self, column: &str, reason: String) -> ImportError {
        ImportError::invalid(
            self.file,
            Location::JsonPath(self.column_path(column)),
            reason,
        )
    }

    /// A cell as text: trimmed, `None` when absent, null or empty.
    fn get(&self, column: &str) -> Result<Option<String>, ImportError> {
        let text = match self.row.get(column) {
            None | Some(Value::Null) => return Ok(None),
            Some(Value::String(s)) => s.trim().to_owned(),
            Some(Value::Number(n)) => n.to_string(),
            Some(other) => {
                return Err(
                    self.error_at(column, format!("expected a string, found {}", kind(other)))
                );
            }
        };
        Ok((!text.is_empty()).then_some(text))
    }

    fn required(&self, column: &str) -> Result<String, ImportError> {
        self.get(column)?.ok_or_else(|| {
            let missing = !self.row.contains_key(column);
            let reason = if missing {
                format!("the row has no {column} column")
            } else {
                format!("{column} is empty")
            };
            if missing {
                self.error_row(reason)
            } else {
                self.error_at(column, reason)
            }
        })
    }

    fn source(&self) -> Source {
        Source {
            file: self.file.to_owned(),
            location: Location::JsonPath(self.path()),
        }
    }

    fn component(&self, name: String, version: Option<String>) -> Component {
        Component {
            ecosystem: None,
            name,
            version,
            purl: None,
            cpe: None,
            vendor: None,
            source_name: None,
            source_version: None,
            source: self.source(),
        }
    }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn host_of(cells: &Cells<'_>) -> Result<Option<String>, ImportError> {
    for column in HOST_COLUMNS {
        if let Some(host) = cells.get(column)? {
            return Ok(Some(host));
        }
    }
    Ok(None)
}

fn program(cells: &Cells<'_>) -> Result<Component, ImportError> {
    let mut c = cells.component(cells.required("name")?, cells.get("version")?);
    c.vendor = cells.get("publisher")?;
    Ok(c)
}

fn deb_package(cells: &Cells<'_>) -> Result<Option<Component>, ImportError> {
    let name = cells.required("name")?;
    if let Some(status) = cells.get("status")? {
        let installed = is_installed(&status).map_err(|reason| cells.error_at("status", reason))?;
        if !installed {
            return Ok(None);
        }
    }
    let version = cells.required("version")?;
    let (source_name, source_version) = match cells.get("source")? {
        Some(source) => {
            let (n, v) =
                parse_source_field(&source).map_err(|reason| cells.error_at("source", reason))?;
            (n.to_owned(), v.unwrap_or(&version).to_owned())
        }
        None => (name.clone(), version.clone()),
    };
    let mut c = cells.component(name, Some(version));
    c.ecosystem = Some("Debian".to_owned());
    c.source_name = Some(source_name);
    c.source_version = Some(source_version);
    Ok(Some(c))
}

fn rpm_package(cells: &Cells<'_>) -> Result<Option<Component>, ImportError> {
    let name = cells.required("name")?;
    if name == "gpg-pubkey" {
        return Ok(None); // imported signing keys, not software (as in the rpm importer)
    }
    let version = cells.required("version")?;
    let epoch = cells.get("epoch")?;
    let epoch = match epoch.as_deref() {
        None => None,
        Some(e) if e.bytes().all(|b| b.is_ascii_digit()) => {
            Some(e.trim_start_matches('0')).filter(|e| !e.is_empty())
        }
        Some(e) => {
            return Err(cells.error_at("epoch", format!("epoch {e:?} is not a number")));
        }
    };
    let release = cells.get("release")?;
    let evr = match (&release, epoch) {
        (Some(r), Some(e)) => format!("{e}:{version}-{r}"),
        (Some(r), None) => format!("{version}-{r}"),
        (None, Some(e)) => format!("{e}:{version}"),
        (None, None) => version,
    };
    let source = match cells.get("source")? {
        Some(srpm) => {
            rpm::source_package(&srpm, epoch).map_err(|reason| cells.error_at("source", reason))?
        }
        None => None,
    };
    let mut c = cells.component(name, Some(evr));
    c.vendor = cells.get("vendor")?;
    if let Some((n, v)) = source {
        c.source_name = Some(n);
        c.source_version = Some(v);
    }
    Ok(Some(c))
}

fn apk_package(cells: &Cells<'_>) -> Result<Component, ImportError> {
    let name = cells.required("name")?;
    let version = cells.required("version")?;
    let origin = cells.get("origin")?.unwrap_or_else(|| name.clone());
    let mut c = cells.component(name, Some(version.clone()));
    c.ecosystem = Some("Alpine".to_owned());
    c.source_name = Some(origin);
    c.source_version = Some(version);
    Ok(c)
}

fn os_version(cells: &Cells<'_>) -> Result<OperatingSystem, ImportError> {
    let id = cells.required("platform")?.to_ascii_lowercase();
    let version_id = if matches!(id.as_str(), "windows" | "darwin") {
        cells.get("version")?
    } else {
        let mut parts = vec![
            cells.get("major")?.unwrap_or_default(),
            cells.get("minor")?.unwrap_or_default(),
            cells.get("patch")?.unwrap_or_default(),
        ];
        while parts.len() > 1
            && parts
                .last()
                .is_some_and(|p| p.is_empty() || p.bytes().all(|b| b == b'0'))
        {
            parts.pop();
        }
        let joined = parts.join(".");
        (!joined.is_empty()).then_some(joined)
    };
    Ok(OperatingSystem {
        id,
        id_like: cells
            .get("platform_like")?
            .map(|l| l.split_whitespace().map(str::to_owned).collect())
            .unwrap_or_default(),
        name: cells.get("name")?,
        version_id,
        codename: cells.get("codename")?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(json: &str) -> Inventory {
        match import("osquery.json", json.as_bytes()) {
            Ok(inv) => inv,
            Err(e) => panic!("unexpected error: {e}"),
        }
    }

    fn err(json: &str) -> ImportError {
        match import("osquery.json", json.as_bytes()) {
            Ok(inv) => panic!("expected an error, got {inv:?}"),
            Err(e) => e,
        }
    }

    fn path(p: &str) -> Option<Location> {
        Some(Location::JsonPath(p.to_owned()))
    }

    #[test]
    fn deb_packages() {
        let inv = ok(r#"[
  {"admindir":"/var/lib/dpkg","arch":"amd64","maintainer":"Matthias Klose <doko@debian.org>","name":"bash","pid_with_namespace":"0","priority":"required","revision":"2+b7","section":"shells","size":"7164","source":"bash (5.2.15-2)","status":"install ok installed","version":"5.2.15-2+b7"},
  {"admindir":"/var/lib/dpkg","arch":"amd64","name":"old","revision":"1","source":"","status":"deinstall ok config-files","version":"1.0-1"},
  {"admindir":"/var/lib/dpkg","arch":"amd64","name":"libssl3","revision":"1~deb12u1","source":"openssl","status":"hold ok installed","version":"3.0.15-1~deb12u1"},
  {"admindir":"/var/lib/dpkg","arch":"all","name":"adduser","revision":"","source":"","status":"install ok installed","version":"3.134"}
]"#);
        assert_eq!(inv.format, Format::OsqueryJson);
        assert_eq!(inv.assets.len(), 1);
        let c = &inv.assets[0].components;
        assert_eq!(c.len(), 3);
        assert_eq!(c[0].name, "bash");
        assert_eq!(c[0].version.as_deref(), Some("5.2.15-2+b7"));
        assert_eq!(c[0].source_name.as_deref(), Some("bash"));
        assert_eq!(c[0].source_version.as_deref(), Some("5.2.15-2"));
        assert_eq!(c[0].ecosystem.as_deref(), Some("Debian"));
        assert_eq!(c[0].source.location, Location::JsonPath("$[0]".into()));
        assert_eq!(c[1].source_name.as_deref(), Some("openssl"));
        assert_eq!(c[1].source_version.as_deref(), Some("3.0.15-1~deb12u1"));
        assert_eq!(c[1].source.location, Location::JsonPath("$[2]".into()));
        assert_eq!(c[2].source_name.as_deref(), Some("adduser"));
    }

    #[test]
    fn rpm_packages() {
        let inv = ok(r#"[
 {"arch":"x86_64","epoch":"1","install_time":"1700000000","name":"openssl-libs","package_group":"System Environment/Libraries","release":"25.el9_3","sha1":"","size":"6000000","source":"openssl-3.0.7-25.el9_3.src.rpm","vendor":"AlmaLinux","version":"3.0.7"},
 {"arch":"noarch","epoch":"","name":"tzdata","release":"1.el9","source":"tzdata-2023c-1.el9.src.rpm","vendor":"AlmaLinux","version":"2023c"},
 {"arch":"(none)","epoch":"0","name":"gpg-pubkey","release":"4ae0493b","source":"","version":"fd431d51"}
]"#);
        let c = &inv.assets[0].components;
        assert_eq!(c.len(), 2);
        assert_eq!(c[0].version.as_deref(), Some("1:3.0.7-25.el9_3"));
        assert_eq!(c[0].source_name.as_deref(), Some("openssl"));
        assert_eq!(c[0].source_version.as_deref(), Some("1:3.0.7-25.el9_3"));
        assert_eq!(c[0].vendor.as_deref(), Some("AlmaLinux"));
        assert_eq!(c[0].ecosystem, None);
        assert_eq!(c[1].version.as_deref(), Some("2023c-1.el9"));
    }

    #[test]
    fn apk_packages() {
        let inv = ok(
            r#"[{"name":"libcrypto3","version":"3.1.4-r2","description":"Crypto library from openssl","arch":"x86_64","origin":"openssl","license":"Apache-2.0"}]"#,
        );
        let c = &inv.assets[0].components;
        assert_eq!(c[0].ecosystem.as_deref(), Some("Alpine"));
        assert_eq!(c[0].source_name.as_deref(), Some("openssl"));
        assert_eq!(c[0].source_version.as_deref(), Some("3.1.4-r2"));
    }

    #[test]
    fn windows_programs() {
        let inv = ok(r#"[
 {"identifying_number":"{23170F69-40C1-2702-2301-000001000000}","install_date":"20240102","install_location":"C:\\Program Files\\7-Zip\\","install_source":"","language":"1033","name":"7-Zip 23.01 (x64 edition)","publisher":"Igor Pavlov","uninstall_string":"MsiExec.exe /I{23170F69-40C1-2702-2301-000001000000}","version":"23.01.00.0"},
 {"identifying_number":"","install_location":"","name":"Some Tool","publisher":"","version":""}
]"#);
        let c = &inv.assets[0].components;
        assert_eq!(c[0].name, "7-Zip 23.01 (x64 edition)");
        assert_eq!(c[0].vendor.as_deref(), Some("Igor Pavlov"));
        assert_eq!(c[0].version.as_deref(), Some("23.01.00.0"));
        assert_eq!(c[0].ecosystem, None);
        assert_eq!(c[1].version, None);
        assert_eq!(c[1].vendor, None);
    }

    #[test]
    fn os_version_rows() {
        let os = |json: &str| ok(json).assets.remove(0).os;
        let u = os(
            r#"[{"arch":"x86_64","build":"","codename":"jammy","major":"22","minor":"04","name":"Ubuntu","patch":"0","platform":"ubuntu","platform_like":"debian","version":"22.04.3 LTS (Jammy Jellyfish)"}]"#,
        );
        assert_eq!(
            u,
            Some(OperatingSystem {
                id: "ubuntu".into(),
                id_like: vec!["debian".into()],
                name: Some("Ubuntu".into()),
                version_id: Some("22.04".into()),
                codename: Some("jammy".into()),
            })
        );
        let d = os(
            r#"[{"codename":"bookworm","major":"12","minor":"0","name":"Debian GNU/Linux","patch":"0","platform":"debian","version":"12 (bookworm)"}]"#,
        );
        assert_eq!(d.and_then(|o| o.version_id).as_deref(), Some("12"));
        let a = os(
            r#"[{"major":"3","minor":"19","name":"Alpine Linux","patch":"1","platform":"alpine"}]"#,
        );
        assert_eq!(a.and_then(|o| o.version_id).as_deref(), Some("3.19.1"));
        let w = os(
            r#"[{"build":"22631","major":"10","minor":"0","name":"Microsoft Windows 11 Pro","patch":"","platform":"windows","version":"10.0.22631"}]"#,
        );
        assert_eq!(w.and_then(|o| o.version_id).as_deref(), Some("10.0.22631"));
    }

    #[test]
    fn hosts_become_assets() {
        let inv = ok(r#"[
 {"host_hostname":"web1","name":"bash","version":"5.2","status":"install ok installed","revision":""},
 {"host_hostname":"db1","name":"bash","version":"5.1","status":"install ok installed","revision":""},
 {"host_hostname":"web1","name":"curl","version":"7.88","status":"install ok installed","revision":""}
]"#);
        assert_eq!(inv.assets.len(), 2);
        assert_eq!(inv.assets[0].name.as_deref(), Some("web1"));
        assert_eq!(inv.assets[0].components.len(), 2);
        assert_eq!(inv.assets[1].name.as_deref(), Some("db1"));
        assert_eq!(inv.component_count(), 3);
    }

    #[test]
    fn numbers_and_nulls_are_accepted() {
        let inv = ok(r#"[{"name":"x","version":null,"publisher":null,"language":1033}]"#);
        assert_eq!(inv.assets[0].components[0].version, None);
    }

    #[test]
    fn errors_are_located() {
        let e = err(
            r#"[{"name":"a","version":"1","revision":""},{"name":"b","version":"1","release":"1"}]"#,
        );
        assert_eq!(e.location, path("$[1]"), "{e}");
        assert!(e.reason.contains("deb_packages"), "{e}");

        let e = err(r#"[{"name":"a","version":"1"}]"#);
        assert_eq!(e.location, path("$[0]"), "{e}");
        assert!(e.reason.contains("select *"), "{e}");

        let e = err(r#"[{"name":"a","version":"1","revision":"","release":""}]"#);
        assert!(e.reason.contains("several tables"), "{e}");

        let e = err(r#"[{"name":"a","version":"1","revision":"","status":"install ok"}]"#);
        assert_eq!(e.location, path("$[0].status"), "{e}");

        let e = err(r#"[{"name":"","publisher":"x"}]"#);
        assert_eq!(e.location, path("$[0].name"), "{e}");

        let e = err(r#"[{"version":"1","publisher":"x"}]"#);
        assert_eq!(e.location, path("$[0]"), "{e}");

        let e = err(r#"[{"name":["a"],"publisher":"x"}]"#);
        assert_eq!(e.location, path("$[0].name"), "{e}");

        let e = err(r#"[{"name":"a","version":"1","epoch":"x","release":"1"}]"#);
        assert_eq!(e.location, path("$[0].epoch"), "{e}");

        let e = err(r#"[{"name":"a","version":"1","source":"a-1","release":"1"}]"#);
        assert_eq!(e.location, path("$[0].source"), "{e}");

        let e = err(r#"[{"platform":"debian"},{"platform":"ubuntu"}]"#);
        assert_eq!(e.location, path("$[1]"), "{e}");

        let e = err(r#"[{"name":"a","publisher":"x"}, 5]"#);
        assert_eq!(e.location, path("$[1]"), "{e}");

        let e = err(r#"{"name":"a"}"#);
        assert_eq!(e.location, path("$"), "{e}");

        let e = err("[{\"name\":\"a\",\n\"publisher\":");
        assert_eq!(e.location, Some(Location::Line(2)), "{e}");
    }

    #[test]
    fn empty_array_is_an_empty_inventory() {
        let inv = ok("[]");
        assert_eq!(inv.assets.len(), 1);
        assert_eq!(inv.component_count(), 0);
    }
}
