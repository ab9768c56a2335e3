use std::fmt;

/// Where in a feed file a problem is: the record, as precisely as the format allows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Record {
    /// A one-based line (JSON Lines, CSV).
    Line(usize),
    /// A record id (`GHSA-…`, `CVE-…`), with the JSON path inside it when known.
    Id { id: String, path: Option<String> },
    /// A JSON path in a single document (`$.vulnerabilities[12].cve.metrics`).
    JsonPath(String),
    /// A member of an archive (`all.zip!PYSEC-2021-1.json`), optionally with a path inside it.
    Member { name: String, path: Option<String> },
}

impl fmt::Display for Record {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Record::Line(n) => write!(f, "line {n}"),
            Record::Id { id, path: None } => write!(f, "record {id}"),
            Record::Id { id, path: Some(p) } => write!(f, "record {id} at {p}"),
            Record::JsonPath(p) => f.write_str(p),
            Record::Member { name, path: None } => write!(f, "member {name}"),
            Record::Member {
                name,
                path: Some(p),
            } => write!(f, "member {name} at {p}"),
        }
    }
}

/// Why a feed file was rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum FeedErrorKind {
    /// The file could not be read.
    Io,
    /// Not the expected format at all.
    UnknownFormat,
    /// Not well-formed (truncated JSON, bad CSV, corrupt gzip or zip).
    Syntax,
    /// Well-formed but violating the format's schema or rules.
    Invalid,
}

/// A feed file that could not be read, naming the file and the record.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct FeedError {
    pub file: String,
    pub record: Option<Record>,
    pub kind: FeedErrorKind,
    pub reason: String,
}

impl FeedError {
    pub fn new(file: &str, kind: FeedErrorKind, reason: impl Into<String>) -> Self {
        Self {
            file: file.to_owned(),
            record: None,
            kind,
            reason: reason.into(),
        }
    }

    #[must_use]
    pub fn at(mut self, record: Record) -> Self {
        self.record = Some(record);
        self
    }
}

impl fmt::Display for FeedError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.record {
            Some(r) => write!(f, "{}: {r}: {}", self.file, self.reason),
            None => write!(f, "{}: {}", self.file, self.reason),
        }
    }
}
