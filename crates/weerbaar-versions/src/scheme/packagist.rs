//! PLACEHOLDER: replaced by the real Packagist scheme.

use std::fmt;

use crate::{ParseError, Scheme, SchemeVersion};

/// A parsed Packagist version.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct PackagistVersion(Box<str>);

impl SchemeVersion for PackagistVersion {
    const SCHEME: Scheme = Scheme::Packagist;

    fn parse(input: &str) -> Result<Self, ParseError> {
        if input.is_empty() {
            return Err(ParseError::new(
                Scheme::Packagist,
                input,
                0,
                "empty version",
            ));
        }
        Ok(Self(input.into()))
    }
}

impl fmt::Display for PackagistVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
