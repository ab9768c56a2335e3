//! Application lockfiles: the exact dependency versions of the provider's own software.
//!
//! Every lockfile importer yields ONE [`ImportedAsset`] with no name (the command line names it:
//! a lockfile describes an application, not a host) whose components are the locked third-party
//! packages. The application's own code (the root package, workspace members, path/directory
//! dependencies) is not a component: advisories are never published for it.
//!
//! Shared decisions, applied the same way in every importer:
//!
//! * **Registry packages only get an ecosystem and a purl.** A package fetched from the
//!   ecosystem's public registry gets `Component::ecosystem` (the OSV name: `crates.io`, `npm`,
//!   `PyPI`, `Packagist`, `RubyGems`) and a canonical purl. A package built from a git checkout, a
//!   URL or a local archive is kept (it is installed software and shows up in the inventory) but
//!   with neither, because the registry's advisories may not apply to a fork at some commit, and a
//!   purl would let the later purl→ecosystem enrichment claim that they do.
//! * **Development dependencies are kept.** The model has no "dev" flag, and dev tooling runs on
//!   the provider's build machines, which are in scope for patching too.
//! * **No deduplication.** Each lockfile entry is one component with its own location, so two
//!   copies of a package at different paths stay two components.

use serde::de::DeserializeOwned;

use crate::model::{Component, Location, Source};
use crate::{Format, ImportError, ImportErrorKind, ImportedAsset, Inventory};

pub mod cargo;
pub mod composer;
pub mod gemfile;
pub mod npm;
pub mod pip;
pub mod poetry;

/// The one-asset inventory every lockfile importer returns.
fn inventory(format: Format, components: Vec<Component>) -> Inventory {
    Inventory::single(
        format,
        ImportedAsset {
            components,
            ..ImportedAsset::default()
        },
    )
}

/// A lockfile component; `registry` carries the ecosystem and purl of a registry package.
fn component(
    file: &str,
    location: Location,
    name: String,
    version: Option<String>,
    registry: Option<(&str, String)>,
) -> Component {
    let (ecosystem, purl) = match registry {
        Some((ecosystem, purl)) => (Some(ecosystem.to_owned()), Some(purl)),
        None => (None, None),
    };
    Component {
        ecosystem,
        name,
        version,
        purl,
        cpe: None,
        vendor: None,
        source_name: None,
        source_version: None,
        source: Source {
            file: file.to_owned(),
            location,
        },
    }
}

/// Builds a canonical purl (`pkg:type/namespace/name@version?key=value`).
///
/// Each segment is percent-encoded except for the characters the purl specification leaves
/// unencoded (ASCII letters and digits, `.-_~`, and `:`), so an npm scope's `@` becomes `%40` and
/// a `+` in a version becomes `%2B`, as in the purl-spec test suite. Qualifiers are passed in key
/// order already (they are sorted in canonical form).
fn purl(
    ty: &str,
    namespace: Option<&str>,
    name: &str,
    version: &str,
    qualifiers: &[(&str, &str)],
) -> String {
    let mut out = String::with_capacity(8 + name.len() + version.len());
    out.push_str("pkg:");
    out.push_str(ty);
    out.push('/');
    if let Some(namespace) = namespace {
        for (i, segment) in namespace.split('/').enumerate() {
            if i > 0 {
                out.push('/');
            }
            encode(&mut out, segment);
        }
        out.push('/');
    }
    encode(&mut out, name);
    out.push('@');
    encode(&mut out, version);
    for (i, (key, value)) in qualifiers.iter().enumerate() {
        out.push(if i == 0 { '?' } else { '&' });
        out.push_str(key);
        out.push('=');
        encode(&mut out, value);
    }
    out
}

fn encode(out: &mut String, segment: &str) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for byte in segment.bytes() {
        if byte.is_ascii_alphanumeric() || b".-_~:".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(byte >> 4)]));
            out.push(char::from(HEX[usize::from(byte & 0xF)]));
        }
    }
}

/// PEP 503 name normalisation: lowercase, and every run of `-`, `_` and `.` becomes one `-`.
/// PyPI, pip and OSV's PyPI ecosystem all compare names this way.
fn pep503(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut in_run = false;
    for c in name.chars() {
        if matches!(c, '-' | '_' | '.') {
            if !in_run {
                out.push('-');
            }
            in_run = true;
        } else {
            out.extend(c.to_lowercase());
            in_run = false;
        }
    }
    out
}

/// One-based lines of byte offsets that mostly come in increasing order (the spans of a lock's
/// packages): counting on from the previous offset keeps a 5,000-package lock linear, where
/// counting from the start each time made its import quadratic.
struct Lines<'a> {
    text: &'a [u8],
    offset: usize,
    line: usize,
}

impl<'a> Lines<'a> {
    fn new(text: &'a str) -> Self {
        Self {
            text: text.as_bytes(),
            offset: 0,
            line: 1,
        }
    }

    fn at(&mut self, offset: usize) -> usize {
        let offset = offset.min(self.text.len());
        if offset < self.offset {
            self.offset = 0;
            self.line = 1;
        }
        self.line += self
            .text
            .get(self.offset..offset)
            .map_or(0, |s| s.iter().filter(|&&b| b == b'\n').count());
        self.offset = offset;
        self.line
    }
}

/// The one-based line of byte `offset` in `text`.
fn line_at(text: &str, offset: usize) -> usize {
    text.as_bytes()
        .iter()
        .take(offset)
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// Parses TOML into `T`. A syntax error is reported at its line; a value of the wrong shape (or a
/// missing field) at the line of the table or value that toml's spans point at.
fn toml<T: DeserializeOwned>(file: &str, text: &str) -> Result<T, ImportError> {
    let located = |e: &toml::de::Error, kind: ImportErrorKind| {
        let line = e.span().map_or(1, |span| line_at(text, span.start));
        ImportError::new(file, kind, e.message().to_owned()).at(Location::Line(line))
    };
    let de =
        toml::de::Deserializer::parse(text).map_err(|e| located(&e, ImportErrorKind::Syntax))?;
    T::deserialize(de).map_err(|e| located(&e, ImportErrorKind::Invalid))
}

/// `$.key["member"]`: a JSON path whose last step is a member name that may contain any
/// character (`node_modules/@scope/pkg`, `packages-dev`).
fn json_member(prefix: &str, member: &str) -> String {
    let mut out = String::with_capacity(prefix.len() + member.len() + 4);
    out.push_str(prefix);
    out.push_str("[\"");
    for c in member.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push_str("\"]");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_count_on_and_back() {
        let text = "a\nb\nc\n";
        let mut lines = Lines::new(text);
        assert_eq!(lines.at(0), 1);
        assert_eq!(lines.at(2), 2);
        assert_eq!(lines.at(4), 3);
        assert_eq!(lines.at(1), 1, "backwards restarts");
        assert_eq!(lines.at(99), 4);
        for offset in 0..=text.len() {
            assert_eq!(Lines::new(text).at(offset), line_at(text, offset));
        }
    }

    #[test]
    fn purls_are_canonical() {
        assert_eq!(
            purl("npm", Some("@angular"), "animation", "12.3.1", &[]),
            "pkg:npm/%40angular/animation@12.3.1"
        );
        assert_eq!(
            purl("cargo", None, "rand", "0.7.2", &[]),
            "pkg:cargo/rand@0.7.2"
        );
        assert_eq!(
            purl(
                "gem",
                None,
                "jruby-launcher",
                "1.1.2",
                &[("platform", "java")]
            ),
            "pkg:gem/jruby-launcher@1.1.2?platform=java"
        );
        assert_eq!(
            purl("npm", None, "x", "1.0.0+build.5", &[]),
            "pkg:npm/x@1.0.0%2Bbuild.5"
        );
        assert_eq!(
            purl("pypi", None, "naïve", "1 0", &[]),
            "pkg:pypi/na%C3%AFve@1%200"
        );
    }

    #[test]
    fn pep503_normalises() {
        assert_eq!(pep503("Django_Package"), "django-package");
        assert_eq!(pep503("zope.interface"), "zope-interface");
        assert_eq!(pep503("a-_.-b"), "a-b");
        assert_eq!(pep503("ÄÖ"), "äö");
    }

    #[test]
    fn line_at_counts_newlines() {
        assert_eq!(line_at("a\nb\nc", 0), 1);
        assert_eq!(line_at("a\nb\nc", 2), 2);
        assert_eq!(line_at("a\nb\nc", 99), 3);
    }

    #[test]
    fn json_member_escapes() {
        assert_eq!(
            json_member("$.packages", "node_modules/@a/b"),
            "$.packages[\"node_modules/@a/b\"]"
        );
        assert_eq!(json_member("$", "a\"b\\"), "$[\"a\\\"b\\\\\"]");
    }
}
