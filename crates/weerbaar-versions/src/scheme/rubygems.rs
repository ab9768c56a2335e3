//! PLACEHOLDER: replaced by the real RubyGems scheme.

use std::fmt;

use crate::{ParseError, Scheme, SchemeVersion};

/// A parsed RubyGems version.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct RubyGemsVersion(Box<str>);

impl SchemeVersion for RubyGemsVersion {
    const SCHEME: Scheme = Scheme::RubyGems;

    fn parse(input: &str) -> Result<Self, ParseError> {
        if input.is_empty() {
            return Err(ParseError::new(Scheme::RubyGems, input, 0, "empty version"));
        }
        Ok(Self(input.into()))
    }
}

impl fmt::Display for RubyGemsVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
