//! The input forms (one record, JSON Lines, a directory tree, a zip archive) and the mapping of
//! serde errors to located [`FeedError`]s.

use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::Advisory;
use crate::{FeedError, FeedErrorKind, Record};

/// A zip member larger than this is refused rather than inflated: the largest real OSV records
/// (Linux kernel CVEs listing thousands of commits) are a few MiB, and a zip bomb must not take
/// the process down.
const MAX_MEMBER_BYTES: u64 = 64 << 20;

/// The byte forms [`parse_any`] recognises.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// One JSON document.
    Record,
    /// JSON Lines: more than one non-blank line, each starting with `{`.
    Jsonl,
    /// A zip archive (osv.dev's `all.zip`).
    Zip,
}

/// Recognises the form of `bytes` by content: zip by its magic (`PK\x03\x04`, or `PK\x05\x06`
/// for an empty archive), JSON Lines by having more than one non-blank line that all start with
/// `{`, one record by starting with `{` (after a BOM and whitespace). `None` otherwise.
#[must_use]
pub fn detect(bytes: &[u8]) -> Option<Form> {
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        return Some(Form::Zip);
    }
    let text = strip_bom(bytes);
    let mut lines = 0usize;
    let mut all_objects = true;
    for line in text.split(|&b| b == b'\n').filter(|line| !is_blank(line)) {
        lines += 1;
        all_objects &= line.starts_with(b"{");
        if !all_objects {
            break;
        }
    }
    if lines > 1 && all_objects {
        return Some(Form::Jsonl);
    }
    text.iter()
        .find(|b| !b.is_ascii_whitespace())
        .is_some_and(|&b| b == b'{')
        .then_some(Form::Record)
}

/// Parses `bytes` in whichever form [`detect`] finds.
///
/// # Errors
/// [`FeedErrorKind::UnknownFormat`] when the form is not recognised; otherwise as the parser of
/// that form.
pub fn parse_any(file: &str, bytes: &[u8]) -> Result<Vec<Advisory>, FeedError> {
    match detect(bytes) {
        Some(Form::Zip) => load_zip(file, bytes),
        Some(Form::Jsonl) => parse_jsonl(file, bytes),
        Some(Form::Record) => parse_record(file, bytes).map(|a| vec![a]),
        None => Err(FeedError::new(
            file,
            FeedErrorKind::UnknownFormat,
            "not an OSV record, JSON Lines of records or a zip archive",
        )),
    }
}

/// Parses one JSON document holding one OSV record.
///
/// # Errors
/// A [`FeedError`] naming the record id (when readable) and the JSON path.
pub fn parse_record(file: &str, bytes: &[u8]) -> Result<Advisory, FeedError> {
    parse_one(file, Origin::Document, strip_bom(bytes))
}

/// Parses JSON Lines: one record per line; blank lines are skipped.
///
/// # Errors
/// The first bad line, as a [`FeedError`] naming the record id (or the line, when the id
/// cannot be read), the JSON path, and the line and column.
pub fn parse_jsonl(file: &str, bytes: &[u8]) -> Result<Vec<Advisory>, FeedError> {
    let text = strip_bom(bytes);
    let mut records = Vec::with_capacity(text.iter().filter(|&&b| b == b'\n').count() + 1);
    for (index, line) in text.split(|&b| b == b'\n').enumerate() {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if !is_blank(line) {
            records.push(parse_one(file, Origin::Line(index + 1), line)?);
        }
    }
    Ok(records)
}

/// Loads every `*.json` file under `dir`, recursively, in sorted path order.
///
/// Hidden files and directories (a leading `.`, such as `.git` or `.github/*.json`) are
/// skipped, and so are symbolic links to directories (they could form cycles); symbolic links
/// to files are followed.
///
/// # Errors
/// An unreadable directory or file ([`FeedErrorKind::Io`]), or the first bad record, named by
/// its file path.
pub fn load_dir(dir: impl AsRef<Path>) -> Result<Vec<Advisory>, FeedError> {
    let files = json_files(dir.as_ref())?;
    let mut records = Vec::with_capacity(files.len());
    for path in files {
        let name = path.display().to_string();
        let bytes = std::fs::read(&path)
            .map_err(|e| FeedError::new(&name, FeedErrorKind::Io, e.to_string()))?;
        records.push(parse_record(&name, &bytes)?);
    }
    Ok(records)
}

fn json_files(root: &Path) -> Result<Vec<PathBuf>, FeedError> {
    let io = |path: &Path, e: std::io::Error| {
        FeedError::new(
            &path.display().to_string(),
            FeedErrorKind::Io,
            e.to_string(),
        )
    };
    let mut files = Vec::new();
    let mut dirs = vec![root.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).map_err(|e| io(&dir, e))? {
            let entry = entry.map_err(|e| io(&dir, e))?;
            let path = entry.path();
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if name.starts_with('.') {
                continue;
            }
            let kind = entry.file_type().map_err(|e| io(&path, e))?;
            if kind.is_dir() {
                dirs.push(path);
            } else if name.ends_with(".json") {
                // A dangling link named *.json is an error: the tree promised a record there.
                let is_file = kind.is_file()
                    || (kind.is_symlink()
                        && std::fs::metadata(&path)
                            .map_err(|e| io(&path, e))?
                            .is_file());
                if is_file {
                    files.push(path);
                }
            }
        }
    }
    files.sort();
    Ok(files)
}

/// Loads a zip archive of OSV records (osv.dev's per-ecosystem `all.zip`): every `*.json`
/// member is one record, read in archive order; other members and directories are skipped.
///
/// # Errors
/// [`FeedErrorKind::Syntax`] for an unreadable archive or member (named), or the first bad
/// record, named by its member.
pub fn load_zip(file: &str, bytes: &[u8]) -> Result<Vec<Advisory>, FeedError> {
    let corrupt = |e: zip::result::ZipError| {
        FeedError::new(
            file,
            FeedErrorKind::Syntax,
            format!("unreadable zip archive: {e}"),
        )
    };
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(corrupt)?;
    let mut records = Vec::with_capacity(archive.len());
    let mut buffer = Vec::new();
    for index in 0..archive.len() {
        let mut member = archive.by_index(index).map_err(|e| {
            corrupt(e).at(Record::Member {
                name: format!("#{index}"),
                path: None,
            })
        })?;
        let name = member
            .name()
            .map_or_else(|_| format!("#{index}"), |n| n.into_owned());
        if !member.is_file() || !name.ends_with(".json") {
            continue;
        }
        let bad_member = |reason: String| {
            FeedError::new(file, FeedErrorKind::Syntax, reason).at(Record::Member {
                name: name.clone(),
                path: None,
            })
        };
        if member.size() > MAX_MEMBER_BYTES {
            return Err(bad_member(format!(
                "member inflates to {} bytes, more than the {MAX_MEMBER_BYTES} allowed",
                member.size()
            )));
        }
        buffer.clear();
        (&mut member)
            .take(MAX_MEMBER_BYTES + 1)
            .read_to_end(&mut buffer)
            .map_err(|e| bad_member(format!("cannot decompress: {e}")))?;
        if buffer.len() as u64 > MAX_MEMBER_BYTES {
            return Err(bad_member(format!(
                "member inflates to more than the {MAX_MEMBER_BYTES} bytes allowed"
            )));
        }
        records.push(parse_one(file, Origin::Member(&name), strip_bom(&buffer))?);
    }
    Ok(records)
}

/// Where a record sits in its file, for the error location.
#[derive(Clone, Copy)]
enum Origin<'a> {
    Document,
    Line(usize),
    Member(&'a str),
}

/// Parses one record. The fast path is plain serde_json on a `&str` (checking UTF-8 in one pass
/// is faster than serde_json checking every string from bytes: AlmaLinux parses ~30% faster);
/// only a failing record is parsed again, with path tracking (same rules, so the same error) and
/// for its id, which keeps the cost of `serde_path_to_error` off the good records.
fn parse_one(file: &str, origin: Origin<'_>, bytes: &[u8]) -> Result<Advisory, FeedError> {
    match std::str::from_utf8(bytes) {
        Ok(text) => serde_json::from_str(text),
        // serde_json then reports the bad byte's line and column.
        Err(_) => serde_json::from_slice(bytes),
    }
    .map_err(|e| located(file, origin, bytes, &e))
}

fn located(file: &str, origin: Origin<'_>, bytes: &[u8], e: &serde_json::Error) -> FeedError {
    use serde_json::error::Category;
    let kind = match e.classify() {
        Category::Data => FeedErrorKind::Invalid,
        Category::Syntax | Category::Eof | Category::Io => FeedErrorKind::Syntax,
    };
    let (path, id) = if kind == FeedErrorKind::Invalid {
        (json_path_of_error(bytes), record_id(bytes))
    } else {
        (None, None)
    };
    let message = strip_position(&e.to_string());
    let (line, column) = (e.line(), e.column());
    let (record, reason) = match origin {
        Origin::Document => match (id, path) {
            (Some(id), path) => (
                Record::Id { id, path },
                format!("{message} (line {line}, column {column})"),
            ),
            (None, Some(path)) => (
                Record::JsonPath(path),
                format!("{message} (line {line}, column {column})"),
            ),
            (None, None) => (Record::Line(line), format!("{message} (column {column})")),
        },
        Origin::Line(n) => {
            let line = n + line.saturating_sub(1);
            match (id, path) {
                (Some(id), path) => (
                    Record::Id { id, path },
                    format!("{message} (line {line}, column {column})"),
                ),
                (None, Some(path)) => (
                    Record::Line(line),
                    format!("{message} (at {path}, column {column})"),
                ),
                (None, None) => (Record::Line(line), format!("{message} (column {column})")),
            }
        }
        Origin::Member(name) => (
            Record::Member {
                name: name.to_owned(),
                path,
            },
            match id {
                Some(id) => format!("{message} (record {id}, line {line}, column {column})"),
                None => format!("{message} (line {line}, column {column})"),
            },
        ),
    };
    FeedError::new(file, kind, reason).at(record)
}

/// The JSON path of the first error in `bytes`, in the `$.a[0].b` form of jq and JSONPath.
fn json_path_of_error(bytes: &[u8]) -> Option<String> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let err = serde_path_to_error::deserialize::<_, Advisory>(&mut de).err()?;
    Some(match err.path().to_string().as_str() {
        "" | "." => "$".to_owned(),
        p if p.starts_with('[') => format!("${p}"),
        p => format!("$.{p}"),
    })
}

/// The `id` of a record whose full parse failed, when it is a string in well-formed JSON.
fn record_id(bytes: &[u8]) -> Option<String> {
    #[derive(Deserialize)]
    struct IdOnly {
        id: Option<String>,
    }
    serde_json::from_slice::<IdOnly>(bytes)
        .ok()?
        .id
        .filter(|id| !id.is_empty())
}

/// serde_json appends " at line L column C"; the location is reported in our own words.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message.get(..i).unwrap_or(message).to_owned(),
        None => message.to_owned(),
    }
}

fn strip_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)
}

fn is_blank(line: &[u8]) -> bool {
    line.iter().all(u8::is_ascii_whitespace)
}
