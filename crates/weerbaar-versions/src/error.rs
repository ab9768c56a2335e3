use std::borrow::Cow;
use std::fmt;

use crate::Scheme;

/// A version string that a scheme rejects.
///
/// It carries the scheme, the input, the byte offset where parsing failed and the reason, so a
/// caller can point at the exact character (`weerbaar version compare` prints the column).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ParseError {
    scheme: Scheme,
    input: Box<str>,
    position: usize,
    reason: Cow<'static, str>,
}

impl ParseError {
    /// Builds an error for `input` at byte offset `position` (clamped to the input's length).
    #[must_use]
    pub fn new(
        scheme: Scheme,
        input: &str,
        position: usize,
        reason: impl Into<Cow<'static, str>>,
    ) -> Self {
        // Clamp to a char boundary so `column()` and slicing never panic on a bad offset.
        let mut position = position.min(input.len());
        while !input.is_char_boundary(position) {
            position -= 1;
        }
        Self {
            scheme,
            input: input.into(),
            position,
            reason: reason.into(),
        }
    }

    /// The scheme that rejected the input.
    #[must_use]
    pub fn scheme(&self) -> Scheme {
        self.scheme
    }

    /// The rejected input, as given.
    #[must_use]
    pub fn input(&self) -> &str {
        &self.input
    }

    /// Byte offset into [`input`](Self::input) where the problem is.
    #[must_use]
    pub fn position(&self) -> usize {
        self.position
    }

    /// One-based character column of [`position`](Self::position), for people.
    #[must_use]
    pub fn column(&self) -> usize {
        self.input[..self.position].chars().count() + 1
    }

    /// Why the input was rejected.
    #[must_use]
    pub fn reason(&self) -> &str {
        &self.reason
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "invalid {} version {:?}: {} (at column {})",
            self.scheme.name(),
            self.input,
            self.reason,
            self.column()
        )
    }
}

/// An ecosystem name that no scheme handles.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown ecosystem {name:?}; supported ecosystems: {}",
    crate::ecosystem::supported_list()
)]
pub struct UnknownEcosystem {
    /// The name as given.
    pub name: String,
}
