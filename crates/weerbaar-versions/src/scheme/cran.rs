//! PLACEHOLDER: replaced by the real Cran scheme.

use std::fmt;

use crate::{ParseError, Scheme, SchemeVersion};

/// A parsed Cran version.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct CranVersion(Box<str>);

impl SchemeVersion for CranVersion {
    const SCHEME: Scheme = Scheme::Cran;

    fn parse(input: &str) -> Result<Self, ParseError> {
        if input.is_empty() {
            return Err(ParseError::new(Scheme::Cran, input, 0, "empty version"));
        }
        Ok(Self(input.into()))
    }
}

impl fmt::Display for CranVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
