//! Release scoping and package-name normalisation.

use weerbaar_versions::Scheme;

/// Whether an advisory for `base:advisory` applies to a component in `base:component`.
///
/// `None` on the advisory side applies to every release; `None` on the component side (the
/// inventory does not know the release) matches every release too. See the crate docs for the
/// per-distribution rules.
#[must_use]
pub fn release_matches(
    base: &str,
    scheme: Scheme,
    advisory: Option<&str>,
    component: Option<&str>,
) -> bool {
    let (Some(adv), Some(comp)) = (advisory, component) else {
        return true;
    };
    if adv == comp {
        return true;
    }
    match base {
        "Ubuntu" => match (ubuntu_yymm(adv), ubuntu_yymm(comp)) {
            (Some(a), Some(c)) => a == c,
            _ => false,
        },
        "Red Hat" => adv
            .strip_prefix(comp)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with(':')),
        _ if scheme == Scheme::Rpm => {
            // `AlmaLinux:9` ~ `9.3`: compare the numeric major when both sides have one.
            let major = |s: &str| {
                let m = s.split('.').next().unwrap_or(s);
                (!m.is_empty() && m.bytes().all(|b| b.is_ascii_digit())).then(|| m.to_owned())
            };
            match (major(adv), major(comp)) {
                (Some(a), Some(c)) => a == c,
                _ => false,
            }
        }
        _ => false,
    }
}

/// The `YY.MM` part of an Ubuntu release (`Pro:22.04:LTS` → `22.04`).
fn ubuntu_yymm(release: &str) -> Option<&str> {
    release.split(':').find(|part| {
        let b = part.as_bytes();
        b.len() == 5
            && b[2] == b'.'
            && b[..2].iter().all(u8::is_ascii_digit)
            && b[3..].iter().all(u8::is_ascii_digit)
    })
}

/// The name under which a package is indexed: PEP 503 for PyPI (lower case, runs of `-`, `_`
/// and `.` become one `-`), as given elsewhere.
#[must_use]
pub fn normalise_name(base: &str, name: &str) -> String {
    if base != "PyPI" {
        return name.to_owned();
    }
    let mut out = String::with_capacity(name.len());
    let mut in_sep = false;
    for c in name.trim().chars() {
        if matches!(c, '-' | '_' | '.') {
            if !in_sep {
                out.push('-');
            }
            in_sep = true;
        } else {
            out.extend(c.to_lowercase());
            in_sep = false;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn releases() {
        let u = |a, c| release_matches("Ubuntu", Scheme::Dpkg, Some(a), Some(c));
        assert!(u("22.04:LTS", "22.04"));
        assert!(u("Pro:22.04:LTS", "22.04"));
        assert!(!u("20.04:LTS", "22.04"));
        let r = |a, c| release_matches("Red Hat", Scheme::Rpm, Some(a), Some(c));
        assert!(r("enterprise_linux:9::appstream", "enterprise_linux:9"));
        assert!(r("enterprise_linux:9", "enterprise_linux:9"));
        assert!(!r("enterprise_linux:90", "enterprise_linux:9"));
        assert!(!r("enterprise_linux:8::baseos", "enterprise_linux:9"));
        let a = |a, c| release_matches("AlmaLinux", Scheme::Rpm, Some(a), Some(c));
        assert!(a("9", "9") && a("9", "9.3") && !a("8", "9"));
        assert!(!release_matches(
            "Debian",
            Scheme::Dpkg,
            Some("11"),
            Some("12")
        ));
        assert!(release_matches("Debian", Scheme::Dpkg, None, Some("12")));
        assert!(release_matches("Debian", Scheme::Dpkg, Some("12"), None));
    }

    #[test]
    fn pep503() {
        assert_eq!(normalise_name("PyPI", "Foo.Bar__baz-_Q"), "foo-bar-baz-q");
        assert_eq!(normalise_name("npm", "Foo_Bar"), "Foo_Bar");
    }
}
