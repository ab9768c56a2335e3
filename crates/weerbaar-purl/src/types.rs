//! The registered purl types and the rules their definitions impose.
//!
//! ECMA-427 clause 5.7: a purl of a registered type is invalid unless it conforms to the type's
//! definition; an unregistered type is valid if it follows the generic rules (callers may warn,
//! see [`PackageUrl::is_registered_type`](crate::PackageUrl::is_registered_type)).
//!
//! The table below is transcribed from the definition files of package-url/purl-spec
//! (`types/*-definition.json`, schema 1.1). Only the machine-readable parts are rules here:
//! `namespace_definition.requirement`, the `case_sensitive` flags, qualifiers whose
//! `requirement` is `required`, and `permitted_characters`. Free-text `normalization_rules` and
//! notes are applied only where they are unambiguous and the test suite exercises them (see
//! [`Special`]). The integration test `type_definitions` checks this table against the
//! JSON files, so a new purl-spec snapshot that changes a rule fails the build instead of drifting.

/// Whether a component must, may or must not be present.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Requirement {
    /// May be absent.
    Optional,
    /// Must be present.
    Required,
    /// Must be absent.
    Prohibited,
}

/// How a component is case-normalised in the canonical form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Case {
    /// Kept as given (`case_sensitive: true`, the schema default).
    Sensitive,
    /// Lower-cased (`case_sensitive: false`: "the canonical form shall be lowercased").
    Lower,
    /// Upper-cased; only cpan's namespace ("shall be uppercase").
    Upper,
}

/// A normalisation or validation that the definition states in prose, not in a flag.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Special {
    /// None.
    None,
    /// pypi: `_` becomes `-` in the name ("Replace underscore _ with dash -").
    Pypi,
    /// pub: characters outside `[a-z0-9_]` become `_`.
    Pub,
    /// cpan: the name is a distribution, so `::` is rejected.
    Cpan,
    /// chrome-extension: name `^[a-p]{32}$`, version `^\d+(\.\d+){0,3}$`.
    ChromeExtension,
    /// git: the namespace is the host (one segment), the name is the path on it, which may have
    /// several segments.
    Git,
    /// mlflow: the name is lower-cased when the model lives on Databricks (which is
    /// case-insensitive), kept on Azure ML (case-sensitive), per the name definition's note.
    Mlflow,
}

/// The rules of one registered purl type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TypeRules {
    /// The type (lower case).
    pub ty: &'static str,
    /// `namespace_definition.requirement`.
    pub namespace: Requirement,
    /// `namespace_definition.case_sensitive`.
    pub namespace_case: Case,
    /// `name_definition.case_sensitive`.
    pub name_case: Case,
    /// `version_definition.case_sensitive`.
    pub version_case: Case,
    /// `subpath_definition.case_sensitive`.
    pub subpath_case: Case,
    /// Keys of `qualifiers_definition` entries whose `requirement` is `required`.
    pub required_qualifiers: &'static [&'static str],
    /// Prose rules applied in code.
    pub special: Special,
}

const fn rules(ty: &'static str, namespace: Requirement) -> TypeRules {
    TypeRules {
        ty,
        namespace,
        namespace_case: Case::Sensitive,
        name_case: Case::Sensitive,
        version_case: Case::Sensitive,
        subpath_case: Case::Sensitive,
        required_qualifiers: &[],
        special: Special::None,
    }
}

impl TypeRules {
    const fn ns_lower(mut self) -> Self {
        self.namespace_case = Case::Lower;
        self
    }
    const fn name_lower(mut self) -> Self {
        self.name_case = Case::Lower;
        self
    }
    const fn version_lower(mut self) -> Self {
        self.version_case = Case::Lower;
        self
    }
    const fn requires(mut self, keys: &'static [&'static str]) -> Self {
        self.required_qualifiers = keys;
        self
    }
    const fn special(mut self, special: Special) -> Self {
        self.special = special;
        self
    }
}

use Requirement::{Optional, Prohibited, Required};

/// Every registered type, sorted by name.
pub(crate) const REGISTERED: &[TypeRules] = &[
    rules("alpm", Required).ns_lower().name_lower(),
    rules("apk", Required).ns_lower().name_lower(),
    rules("bazel", Prohibited),
    rules("bitbucket", Required).ns_lower().name_lower(),
    rules("bitnami", Prohibited).name_lower(),
    rules("brew", Optional).ns_lower().name_lower(),
    rules("cargo", Prohibited),
    rules("chrome-extension", Prohibited)
        .name_lower()
        .special(Special::ChromeExtension),
    rules("cocoapods", Prohibited),
    rules("composer", Required).ns_lower().name_lower(),
    rules("conan", Optional),
    rules("conda", Prohibited),
    TypeRules {
        namespace_case: Case::Upper,
        ..rules("cpan", Optional).special(Special::Cpan)
    },
    rules("cran", Prohibited),
    rules("deb", Required).ns_lower().name_lower(),
    rules("docker", Optional),
    rules("gem", Prohibited),
    rules("generic", Optional),
    rules("git", Required).special(Special::Git),
    rules("github", Required).ns_lower().name_lower(),
    // The golang definition's notes say "shall be lowercased" while its flags say
    // case_sensitive: true. Go module paths are case-sensitive (github.com/BurntSushi/toml; the
    // module proxy escapes capitals as `!b`), and OSV keys Go advisories by the exact module
    // path, so the flags win.
    rules("golang", Required),
    rules("hackage", Prohibited),
    rules("hex", Optional).ns_lower().name_lower(),
    rules("huggingface", Required).version_lower(),
    rules("julia", Prohibited).requires(&["uuid"]),
    rules("luarocks", Optional).ns_lower().name_lower(),
    rules("maven", Required),
    rules("mlflow", Prohibited).special(Special::Mlflow),
    rules("npm", Optional),
    rules("nuget", Prohibited),
    rules("oci", Prohibited).name_lower().version_lower(),
    rules("opam", Prohibited),
    TypeRules {
        subpath_case: Case::Lower,
        ..rules("otp", Prohibited).name_lower()
    },
    rules("pub", Prohibited).name_lower().special(Special::Pub),
    rules("pypi", Prohibited)
        .name_lower()
        .version_lower()
        .special(Special::Pypi),
    rules("qpkg", Required).ns_lower(),
    rules("rpm", Required).ns_lower(),
    rules("swid", Optional).requires(&["tag_id"]),
    rules("swift", Required),
    rules("vcpkg", Prohibited),
    rules("vscode-extension", Required)
        .ns_lower()
        .name_lower()
        .version_lower(),
    rules("yocto", Optional).ns_lower(),
];

/// The rules for `ty` (lower case), if it is a registered type.
#[must_use]
pub fn lookup(ty: &str) -> Option<&'static TypeRules> {
    REGISTERED
        .binary_search_by(|r| r.ty.cmp(ty))
        .ok()
        .and_then(|i| REGISTERED.get(i))
}

/// Every registered type's rules, sorted by type.
pub fn registered() -> impl Iterator<Item = &'static TypeRules> {
    REGISTERED.iter()
}

/// `^[a-p]{32}$`
pub(crate) fn is_chrome_extension_id(name: &str) -> bool {
    name.len() == 32 && name.bytes().all(|b| (b'a'..=b'p').contains(&b))
}

/// `^\d+(\.\d+){0,3}$`
pub(crate) fn is_chrome_extension_version(version: &str) -> bool {
    let parts: Vec<&str> = version.split('.').collect();
    (1..=4).contains(&parts.len())
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_sorted_so_lookup_finds_every_type() {
        for pair in REGISTERED.windows(2) {
            if let [a, b] = pair {
                assert!(a.ty < b.ty, "{} before {}", a.ty, b.ty);
            }
        }
        for r in REGISTERED {
            assert_eq!(lookup(r.ty).map(|l| l.ty), Some(r.ty));
        }
        assert!(lookup("bintray").is_none());
    }

    #[test]
    fn chrome_extension_patterns() {
        assert!(is_chrome_extension_id("dncgedbnidfkppmdgfgidcepclnokpkb"));
        assert!(!is_chrome_extension_id("44444algnefjeiefhmpklpfiohadpglk"));
        assert!(!is_chrome_extension_id("dogs"));
        assert!(is_chrome_extension_version("6.0.2.3611"));
        assert!(is_chrome_extension_version("0"));
        assert!(!is_chrome_extension_version("1.2.3.4.5"));
        assert!(!is_chrome_extension_version("1.2.3-beta"));
        assert!(!is_chrome_extension_version("1..2"));
        assert!(!is_chrome_extension_version(""));
    }
}
