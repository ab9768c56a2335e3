//! The two languages every user-facing text is available in.
//!
//! Municipal IT in Flanders works in Dutch; the provider's staff and auditors often read English.
//! Texts are produced by `fn text(lang)` on structured values (reasons, rules, actions) rather
//! than stored as strings, so one plan renders in either language and the UI can add its own.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A language weerbaar writes in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum Lang {
    /// English.
    #[default]
    #[serde(rename = "en")]
    En,
    /// Dutch as written in Belgium (Flanders).
    #[serde(rename = "nl-BE")]
    NlBe,
}

impl Lang {
    /// The BCP 47 tag, for HTML's `lang` attribute.
    #[must_use]
    pub const fn tag(self) -> &'static str {
        match self {
            Self::En => "en",
            Self::NlBe => "nl-BE",
        }
    }

    /// Picks the English or the Dutch text.
    #[must_use]
    pub(crate) fn pick<'a>(self, en: &'a str, nl: &'a str) -> &'a str {
        match self {
            Self::En => en,
            Self::NlBe => nl,
        }
    }
}

impl FromStr for Lang {
    type Err = String;

    /// Accepts `en`, `en-*`, `nl`, `nl-BE` (any case); `nl-NL` is read as Dutch too.
    fn from_str(s: &str) -> Result<Self, String> {
        let lower = s.trim().to_ascii_lowercase();
        let primary = lower.split(['-', '_']).next().unwrap_or_default();
        match primary {
            "en" => Ok(Self::En),
            "nl" => Ok(Self::NlBe),
            _ => Err(format!("unknown language {s:?}; expected en or nl-BE")),
        }
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.tag())
    }
}

/// Formats a number of things with the right singular or plural noun.
pub(crate) fn count(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}
