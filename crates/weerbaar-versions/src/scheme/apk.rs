//! PLACEHOLDER: replaced by the real Apk scheme.

use std::fmt;

use crate::{ParseError, Scheme, SchemeVersion};

/// A parsed Apk version.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ApkVersion(Box<str>);

impl SchemeVersion for ApkVersion {
    const SCHEME: Scheme = Scheme::Apk;

    fn parse(input: &str) -> Result<Self, ParseError> {
        if input.is_empty() {
            return Err(ParseError::new(Scheme::Apk, input, 0, "empty version"));
        }
        Ok(Self(input.into()))
    }
}

impl fmt::Display for ApkVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
