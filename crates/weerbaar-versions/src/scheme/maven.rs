//! PLACEHOLDER: replaced by the real Maven scheme.

use std::fmt;

use crate::{ParseError, Scheme, SchemeVersion};

/// A parsed Maven version.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct MavenVersion(Box<str>);

impl SchemeVersion for MavenVersion {
    const SCHEME: Scheme = Scheme::Maven;

    fn parse(input: &str) -> Result<Self, ParseError> {
        if input.is_empty() {
            return Err(ParseError::new(Scheme::Maven, input, 0, "empty version"));
        }
        Ok(Self(input.into()))
    }
}

impl fmt::Display for MavenVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
