//! PLACEHOLDER: replaced by the real Pep440 scheme.

use std::fmt;

use crate::{ParseError, Scheme, SchemeVersion};

/// A parsed Pep440 version.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Pep440Version(Box<str>);

impl SchemeVersion for Pep440Version {
    const SCHEME: Scheme = Scheme::Pep440;

    fn parse(input: &str) -> Result<Self, ParseError> {
        if input.is_empty() {
            return Err(ParseError::new(Scheme::Pep440, input, 0, "empty version"));
        }
        Ok(Self(input.into()))
    }
}

impl fmt::Display for Pep440Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
