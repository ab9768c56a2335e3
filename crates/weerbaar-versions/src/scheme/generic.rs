//! PLACEHOLDER: replaced by the real Generic scheme.

use std::fmt;

use crate::{ParseError, Scheme, SchemeVersion};

/// A parsed Generic version.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct GenericVersion(Box<str>);

impl SchemeVersion for GenericVersion {
    const SCHEME: Scheme = Scheme::Generic;

    fn parse(input: &str) -> Result<Self, ParseError> {
        if input.is_empty() {
            return Err(ParseError::new(Scheme::Generic, input, 0, "empty version"));
        }
        Ok(Self(input.into()))
    }
}

impl fmt::Display for GenericVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
