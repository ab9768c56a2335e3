//! PLACEHOLDER: replaced by the real NuGet scheme.

use std::fmt;

use crate::{ParseError, Scheme, SchemeVersion};

/// A parsed NuGet version.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct NuGetVersion(Box<str>);

impl SchemeVersion for NuGetVersion {
    const SCHEME: Scheme = Scheme::NuGet;

    fn parse(input: &str) -> Result<Self, ParseError> {
        if input.is_empty() {
            return Err(ParseError::new(Scheme::NuGet, input, 0, "empty version"));
        }
        Ok(Self(input.into()))
    }
}

impl fmt::Display for NuGetVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
