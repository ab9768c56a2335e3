//! Bundler `Gemfile.lock`.
//!
//! Format: Bundler's `Bundler::LockfileParser` (`lib/bundler/lockfile_parser.rb`) is the only
//! specification. Sections start at column 0 (`GIT`, `GEM`, `PATH`, `PLUGIN SOURCE`,
//! `PLATFORMS`, `DEPENDENCIES`, `CHECKSUMS`, `RUBY VERSION`, `BUNDLED WITH`). Source sections hold
//! two-space options (`remote:`, `revision:`, `specs:`), then four-space spec lines
//! `name (version)` and six-space dependency lines `dep (~> 1.0)`. Dependency lines are
//! requirements, not installed gems, so they are not components.
//!
//! * `GEM` specs: ecosystem `RubyGems`, purl `pkg:gem/name@version`. A platform-specific gem is
//!   written `nokogiri (1.15.4-x86_64-linux)`; as in Bundler's `NAME_VERSION` pattern the
//!   version ends at the first `-`, so this is version `1.15.4` with purl qualifier
//!   `?platform=x86_64-linux`. Every `GEM` remote counts as RubyGems: private gem servers are
//!   nearly always rubygems.org proxies.
//! * `GIT` specs: a gem built from a checkout; kept with no ecosystem and no purl (see
//!   [`lockfile`](super)).
//! * `PATH` specs (local gems, usually the application itself) and `PLUGIN SOURCE` specs
//!   (Bundler plugins, not loaded by the application) are skipped.
//!
//! Unknown column-0 lines start a section that is ignored, as Bundler does; a file with no
//! known section at all, or with merge-conflict markers, is refused. Location: the spec's line.

use super::{component, inventory, purl};
use crate::model::{Component, Location};
use crate::{Format, ImportError, Inventory};

const SECTIONS: [&str; 9] = [
    "GIT",
    "GEM",
    "PATH",
    "PLUGIN SOURCE",
    "PLATFORMS",
    "DEPENDENCIES",
    "CHECKSUMS",
    "RUBY VERSION",
    "BUNDLED WITH",
];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Section {
    Gem,
    Git,
    Skipped,
}

/// Imports a `Gemfile.lock`.
///
/// # Errors
/// Invalid UTF-8, a spec line that is not `name (version)`, merge-conflict markers, or no
/// Bundler section at all.
pub fn import(file: &str, bytes: &[u8]) -> Result<Inventory, ImportError> {
    let text = crate::formats::utf8(file, bytes)?;
    let mut section = Section::Skipped;
    let mut in_specs = false;
    let mut known_sections = 0;
    let mut components = Vec::new();
    for (index, raw) in text.lines().enumerate() {
        let line_no = index + 1;
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        if line.trim().is_empty() {
            continue;
        }
        if ["<<<<<<<", "=======", ">>>>>>>"]
            .iter()
            .any(|m| line.starts_with(m))
        {
            return Err(ImportError::invalid(
                file,
                Location::Line(line_no),
                "unresolved merge conflict",
            ));
        }
        let indent = line.len() - line.trim_start_matches(' ').len();
        if indent == 0 {
            in_specs = false;
            section = match line {
                "GEM" => Section::Gem,
                "GIT" => Section::Git,
                _ => Section::Skipped,
            };
            known_sections += usize::from(SECTIONS.contains(&line));
            continue;
        }
        if indent == 2 {
            in_specs = line.trim_end() == "  specs:";
            continue;
        }
        if indent != 4 || !in_specs || section == Section::Skipped {
            continue;
        }
        components.push(spec(file, line_no, line.trim(), section)?);
    }
    if known_sections == 0 {
        return Err(ImportError::invalid(
            file,
            Location::Line(1),
            "not a Gemfile.lock: there is no GEM, GIT, PATH or other Bundler section",
        ));
    }
    Ok(inventory(Format::GemfileLock, components))
}

/// `name (version)` or `name (version-platform)`.
fn spec(
    file: &str,
    line_no: usize,
    spec: &str,
    section: Section,
) -> Result<Component, ImportError> {
    let bad = |why: &str| {
        ImportError::invalid(
            file,
            Location::Line(line_no),
            format!("spec {spec:?} {why}; expected \"name (version)\""),
        )
    };
    let Some((name, rest)) = spec.split_once(" (") else {
        return Err(bad("has no version"));
    };
    let Some(full) = rest.strip_suffix(')') else {
        return Err(bad("does not end with ')'"));
    };
    let (version, platform) = match full.split_once('-') {
        Some((version, platform)) => (version, Some(platform)),
        None => (full, None),
    };
    if name.is_empty() || name.contains(char::is_whitespace) {
        return Err(bad("has no valid gem name"));
    }
    if version.is_empty() || version.contains(char::is_whitespace) {
        return Err(bad("has no valid version"));
    }
    let registry = (section == Section::Gem).then(|| {
        let qualifiers: &[(&str, &str)] = match platform {
            Some(p) => &[("platform", p)],
            None => &[],
        };
        ("RubyGems", purl("gem", None, name, version, qualifiers))
    });
    Ok(component(
        file,
        Location::Line(line_no),
        name.to_owned(),
        Some(version.to_owned()),
        registry,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOCK: &str = "GIT
  remote: https://github.com/example/omniauth-eid.git
  revision: 0123456789abcdef0123456789abcdef01234567
  branch: main
  specs:
    omniauth-eid (0.3.0)
      omniauth (~> 2.0)

PATH
  remote: .
  specs:
    loket (1.0.0)
      rails (>= 7.0)

GEM
  remote: https://rubygems.org/
  specs:
    actionpack (7.1.3)
      rack (>= 2.2.4)
    nokogiri (1.16.2-x86_64-linux)
      racc (~> 1.4)
    rack (2.2.8)
    racc (1.7.3)

PLATFORMS
  x86_64-linux

DEPENDENCIES
  nokogiri
  omniauth-eid!

BUNDLED WITH
   2.5.6
";

    #[test]
    fn gem_git_and_path_sections() {
        let inv = import("Gemfile.lock", LOCK.as_bytes()).expect("import");
        let c = &inv.assets[0].components;
        let got: Vec<(&str, Option<&str>, Option<&str>)> = c
            .iter()
            .map(|c| (c.name.as_str(), c.version.as_deref(), c.purl.as_deref()))
            .collect();
        assert_eq!(
            got,
            [
                ("omniauth-eid", Some("0.3.0"), None),
                (
                    "actionpack",
                    Some("7.1.3"),
                    Some("pkg:gem/actionpack@7.1.3")
                ),
                (
                    "nokogiri",
                    Some("1.16.2"),
                    Some("pkg:gem/nokogiri@1.16.2?platform=x86_64-linux")
                ),
                ("rack", Some("2.2.8"), Some("pkg:gem/rack@2.2.8")),
                ("racc", Some("1.7.3"), Some("pkg:gem/racc@1.7.3")),
            ]
        );
        assert_eq!(c[0].ecosystem, None);
        assert_eq!(c[1].ecosystem.as_deref(), Some("RubyGems"));
        assert_eq!(c[0].source.location, Location::Line(6));
        assert_eq!(c[2].source.location, Location::Line(20));
    }

    #[test]
    fn crlf_is_accepted() {
        let text = LOCK.replace('\n', "\r\n");
        let inv = import("Gemfile.lock", text.as_bytes()).expect("import");
        assert_eq!(inv.component_count(), 5);
    }

    #[test]
    fn bad_spec_is_located() {
        let text = "GEM\n  remote: https://rubygems.org/\n  specs:\n    rack (2.2.8)\n    broken\n";
        let err = import("Gemfile.lock", text.as_bytes()).expect_err("bad spec");
        assert_eq!(err.location, Some(Location::Line(5)), "{err}");
        let text = "GEM\n  specs:\n    rack (2.2.8\n";
        let err = import("Gemfile.lock", text.as_bytes()).expect_err("bad spec");
        assert_eq!(err.location, Some(Location::Line(3)), "{err}");
        let text = "GEM\n  specs:\n    rack ()\n";
        assert!(import("Gemfile.lock", text.as_bytes()).is_err());
    }

    #[test]
    fn garbage_and_conflicts_are_refused() {
        let err = import("Gemfile.lock", b"hello\nworld\n").expect_err("garbage");
        assert_eq!(err.location, Some(Location::Line(1)));
        let text = "GEM\n  specs:\n<<<<<<< HEAD\n    rack (2.2.8)\n=======\n";
        let err = import("Gemfile.lock", text.as_bytes()).expect_err("conflict");
        assert_eq!(err.location, Some(Location::Line(3)));
    }
}
