//! PLACEHOLDER: replaced by the real Hackage scheme.

use std::fmt;

use crate::{ParseError, Scheme, SchemeVersion};

/// A parsed Hackage version.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct HackageVersion(Box<str>);

impl SchemeVersion for HackageVersion {
    const SCHEME: Scheme = Scheme::Hackage;

    fn parse(input: &str) -> Result<Self, ParseError> {
        if input.is_empty() {
            return Err(ParseError::new(Scheme::Hackage, input, 0, "empty version"));
        }
        Ok(Self(input.into()))
    }
}

impl fmt::Display for HackageVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
