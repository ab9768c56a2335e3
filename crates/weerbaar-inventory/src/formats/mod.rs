//! One module per inventory format, and the helpers they share for located errors.

use serde::Deserialize;

use crate::model::Location;
use crate::{Format, ImportError, ImportOptions, Inventory};

pub mod apk;
pub mod csv;
pub mod cyclonedx;
pub mod dpkg;
pub mod lockfile;
pub mod os_release;
pub mod osquery;
pub mod rpm;
pub mod spdx;

/// Runs the importer of `format`.
pub(crate) fn import(
    format: Format,
    file: &str,
    bytes: &[u8],
    options: &ImportOptions,
) -> Result<Inventory, ImportError> {
    match format {
        Format::CycloneDxJson => cyclonedx::import_json(file, bytes),
        Format::CycloneDxXml => cyclonedx::import_xml(file, bytes),
        Format::SpdxJson => spdx::import_json(file, bytes),
        Format::SpdxTagValue => spdx::import_tag_value(file, bytes),
        Format::DpkgStatus => dpkg::import(file, bytes),
        Format::RpmQa => rpm::import(file, bytes),
        Format::ApkInstalled => apk::import(file, bytes),
        Format::OsRelease => os_release::import(file, bytes),
        Format::OsqueryJson => osquery::import(file, bytes),
        Format::CargoLock => lockfile::cargo::import(file, bytes),
        Format::PackageLock => lockfile::npm::import(file, bytes),
        Format::Requirements => lockfile::pip::import(file, bytes),
        Format::PoetryLock => lockfile::poetry::import(file, bytes),
        Format::ComposerLock => lockfile::composer::import(file, bytes),
        Format::GemfileLock => lockfile::gemfile::import(file, bytes),
        Format::Csv => csv::import(file, bytes, options.columns.as_ref()),
    }
}

/// Decodes `bytes` as UTF-8 (a leading BOM is dropped), naming the line of the first bad byte.
pub(crate) fn utf8<'a>(file: &str, bytes: &'a [u8]) -> Result<&'a str, ImportError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    std::str::from_utf8(bytes).map_err(|e| {
        let line = bytes[..e.valid_up_to()]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
            + 1;
        ImportError::syntax(file, Location::Line(line), "invalid UTF-8")
    })
}

/// Deserialises JSON into `T`; errors name the line and column of a syntax error, or the JSON
/// path of a value that has the wrong shape. `T` may borrow strings from `bytes`.
pub(crate) fn json<'de, T: Deserialize<'de>>(
    file: &str,
    bytes: &'de [u8],
) -> Result<T, ImportError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value: T = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        json_error(file, &path, &inner)
    })?;
    de.end().map_err(|e| json_error(file, ".", &e))?;
    Ok(value)
}

fn json_error(file: &str, path: &str, e: &serde_json::Error) -> ImportError {
    use serde_json::error::Category;
    let message = strip_position(&e.to_string());
    match e.classify() {
        Category::Syntax | Category::Eof | Category::Io => ImportError::syntax(
            file,
            Location::Line(e.line()),
            format!("{message} (column {})", e.column()),
        ),
        Category::Data => ImportError::invalid(
            file,
            Location::JsonPath(json_path(path)),
            format!("{message} (line {}, column {})", e.line(), e.column()),
        ),
    }
}

/// serde_path_to_error prints `a.b[2].c` (or `.` for the root); users of jq and JSONPath read
/// `$.a.b[2].c`.
pub(crate) fn json_path(path: &str) -> String {
    match path {
        "" | "." => "$".to_owned(),
        p if p.starts_with('[') => format!("${p}"),
        p => format!("$.{p}"),
    }
}

/// serde_json appends " at line L column C" to messages; the location is reported separately.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_owned(),
        None => message.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Doc {
        items: Vec<Item>,
    }

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Item {
        name: String,
    }

    #[test]
    fn truncated_json_names_the_line() {
        let err = json::<Doc>("x.json", b"{\n \"items\": [\n  {\"name\": \"a\"},\n")
            .expect_err("truncated");
        assert_eq!(err.location, Some(Location::Line(4)), "{err}");
        assert!(err.to_string().starts_with("x.json: line 4: EOF"), "{err}");
    }

    #[test]
    fn wrong_shape_names_the_json_path() {
        let err = json::<Doc>("x.json", br#"{"items": [{"name": "a"}, {"name": 5}]}"#)
            .expect_err("bad type");
        assert_eq!(
            err.location,
            Some(Location::JsonPath("$.items[1].name".into())),
            "{err}"
        );
    }

    #[test]
    fn bad_utf8_names_the_line() {
        let err = utf8("x.txt", b"ok\nok\n\xff\n").expect_err("bad utf8");
        assert_eq!(err.location, Some(Location::Line(3)));
    }
}
