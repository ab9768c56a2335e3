//! PLACEHOLDER: replaced by the real Dpkg scheme.

use std::fmt;

use crate::{ParseError, Scheme, SchemeVersion};

/// A parsed Dpkg version.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct DpkgVersion(Box<str>);

impl SchemeVersion for DpkgVersion {
    const SCHEME: Scheme = Scheme::Dpkg;

    fn parse(input: &str) -> Result<Self, ParseError> {
        if input.is_empty() {
            return Err(ParseError::new(Scheme::Dpkg, input, 0, "empty version"));
        }
        Ok(Self(input.into()))
    }
}

impl fmt::Display for DpkgVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
