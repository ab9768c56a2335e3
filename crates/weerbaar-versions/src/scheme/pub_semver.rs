//! PLACEHOLDER: replaced by the real Pub scheme.

use std::fmt;

use crate::{ParseError, Scheme, SchemeVersion};

/// A parsed Pub version.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct PubVersion(Box<str>);

impl SchemeVersion for PubVersion {
    const SCHEME: Scheme = Scheme::Pub;

    fn parse(input: &str) -> Result<Self, ParseError> {
        if input.is_empty() {
            return Err(ParseError::new(Scheme::Pub, input, 0, "empty version"));
        }
        Ok(Self(input.into()))
    }
}

impl fmt::Display for PubVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
