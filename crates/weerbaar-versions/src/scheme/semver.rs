//! PLACEHOLDER: replaced by the real SemVer scheme.

use std::fmt;

use crate::{ParseError, Scheme, SchemeVersion};

/// A parsed SemVer version.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct SemVersion(Box<str>);

impl SchemeVersion for SemVersion {
    const SCHEME: Scheme = Scheme::SemVer;

    fn parse(input: &str) -> Result<Self, ParseError> {
        if input.is_empty() {
            return Err(ParseError::new(Scheme::SemVer, input, 0, "empty version"));
        }
        Ok(Self(input.into()))
    }
}

impl fmt::Display for SemVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
