use std::fmt;

use crate::model::Location;

/// Why an import failed. Every variant is reported with the file and, where it applies, the line,
/// JSON path or XML element, so a user can open the file at the right place.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ImportErrorKind {
    /// The file could not be read.
    Io,
    /// The file is larger than the configured limit.
    TooLarge { size: u64, limit: u64 },
    /// The content matches no supported format, or not the one that was asked for.
    UnknownFormat,
    /// The content is not well-formed (truncated JSON, broken XML, bad CSV quoting).
    Syntax,
    /// The content is well-formed but violates the format (missing field, bad value).
    Invalid,
    /// The content uses a construct refused for safety (XML entity declarations).
    Refused,
}

/// An import that failed, and where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ImportError {
    pub file: String,
    pub location: Option<Location>,
    pub kind: ImportErrorKind,
    pub reason: String,
}

impl ImportError {
    pub fn new(file: &str, kind: ImportErrorKind, reason: impl Into<String>) -> Self {
        Self {
            file: file.to_owned(),
            location: None,
            kind,
            reason: reason.into(),
        }
    }

    #[must_use]
    pub fn at(mut self, location: Location) -> Self {
        self.location = Some(location);
        self
    }

    pub fn invalid(file: &str, location: Location, reason: impl Into<String>) -> Self {
        Self::new(file, ImportErrorKind::Invalid, reason).at(location)
    }

    pub fn syntax(file: &str, location: Location, reason: impl Into<String>) -> Self {
        Self::new(file, ImportErrorKind::Syntax, reason).at(location)
    }
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.location {
            Some(location) => write!(f, "{}: {location}: {}", self.file, self.reason),
            None => write!(f, "{}: {}", self.file, self.reason),
        }
    }
}
