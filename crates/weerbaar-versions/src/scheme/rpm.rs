//! PLACEHOLDER: replaced by the real Rpm scheme.

use std::fmt;

use crate::{ParseError, Scheme, SchemeVersion};

/// A parsed Rpm version.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct RpmVersion(Box<str>);

impl SchemeVersion for RpmVersion {
    const SCHEME: Scheme = Scheme::Rpm;

    fn parse(input: &str) -> Result<Self, ParseError> {
        if input.is_empty() {
            return Err(ParseError::new(Scheme::Rpm, input, 0, "empty version"));
        }
        Ok(Self(input.into()))
    }
}

impl fmt::Display for RpmVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
