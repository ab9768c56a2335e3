//! The old flat purl test suite (`test-suite-data.json`, removed from purl-spec in 8a699a90),
//! 59 cases. Where it contradicts the current specification, the current specification wins;
//! each such case is listed in [`DEVIATIONS`] with the reason, and the test asserts the current
//! behaviour for it (so the list cannot silently go stale).
//!
//! Valid cases are parsed leniently (the old suite expects `?Platform=java` to normalise) and
//! must give the listed components and canonical form; invalid cases must be rejected by the
//! strict parser.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Deserialize;
use weerbaar_purl::PackageUrl;

#[derive(Debug, Deserialize)]
struct Case {
    description: String,
    purl: String,
    canonical_purl: Option<String>,
    #[serde(rename = "type")]
    ty: Option<String>,
    namespace: Option<String>,
    name: Option<String>,
    version: Option<String>,
    qualifiers: Option<BTreeMap<String, String>>,
    subpath: Option<String>,
    is_invalid: bool,
}

/// How the current specification disagrees with an old case.
#[derive(Debug, Clone, Copy)]
enum Deviation {
    /// The old canonical form left `/` unencoded in qualifier values. ECMA-427 5.4 puts `/` in
    /// no allowed set, so it is encoded when not a separator (the current suite's canonical
    /// forms agree: `repository_url=https:%2F%2F...`). Checked: ours equals the old canonical
    /// with `/` encoded in the qualifiers.
    SlashEncodedInQualifiers,
    /// The old suite kept `.`/`..` segments of a percent-encoded subpath in the parsed
    /// component (while dropping them from its canonical form). The current "how to parse"
    /// discards them after decoding. Checked: canonical form as listed, subpath without them.
    DotSegmentsDiscarded,
    /// The old suite called it invalid; the current type definition makes it valid.
    NowValid(&'static str),
    /// The old suite called it valid; the current type definition makes it invalid.
    NowInvalid(&'static str),
}

impl Deviation {
    fn reason(self) -> &'static str {
        match self {
            Self::SlashEncodedInQualifiers => "'/' in qualifier values is percent-encoded (5.4)",
            Self::DotSegmentsDiscarded => "'.' and '..' subpath segments are discarded",
            Self::NowValid(why) | Self::NowInvalid(why) => why,
        }
    }
}

const DEVIATIONS: &[(&str, Deviation)] = &[
    (
        "maven often uses qualifiers",
        Deviation::SlashEncodedInQualifiers,
    ),
    ("maven pom reference", Deviation::SlashEncodedInQualifiers),
    (
        "Hugging Face model with staging endpoint",
        Deviation::SlashEncodedInQualifiers,
    ),
    (
        "MLflow model tracked in Azure Databricks (case insensitive)",
        Deviation::SlashEncodedInQualifiers,
    ),
    (
        "MLflow model tracked in Azure ML (case sensitive)",
        Deviation::SlashEncodedInQualifiers,
    ),
    (
        "MLflow model with unique identifiers",
        Deviation::SlashEncodedInQualifiers,
    ),
    (
        "invalid subpath - unencoded subpath cannot contain '..'",
        Deviation::DotSegmentsDiscarded,
    ),
    (
        "invalid subpath - unencoded subpath cannot contain '.'",
        Deviation::DotSegmentsDiscarded,
    ),
    (
        "invalid conan purl only namespace",
        Deviation::NowValid("conan: namespace optional, no required qualifiers"),
    ),
    (
        "invalid conan purl only channel qualifier",
        Deviation::NowValid("conan: namespace optional, no required qualifiers"),
    ),
    (
        "invalid cran purl without version",
        Deviation::NowValid("version is optional for every type (schema 1.1)"),
    ),
    (
        "invalid swift purl without version",
        Deviation::NowValid("version is optional for every type (schema 1.1)"),
    ),
    (
        "cpan module name like distribution name",
        Deviation::NowValid("cpan names are distributions (Perl-Version), not modules"),
    ),
    (
        "cpan module name are case sensitive",
        Deviation::NowInvalid("cpan names are distributions; URI::PackageURL is a module"),
    ),
    (
        "minimal Hugging Face model",
        Deviation::NowInvalid("huggingface namespace is required"),
    ),
];

/// `/` in the qualifier part of `purl` encoded as `%2F`.
fn encode_slashes_in_qualifiers(purl: &str) -> String {
    let (before_hash, hash) = match purl.split_once('#') {
        Some((b, h)) => (b, Some(h)),
        None => (purl, None),
    };
    let mut out = match before_hash.split_once('?') {
        Some((path, q)) => format!("{path}?{}", q.replace('/', "%2F")),
        None => before_hash.to_owned(),
    };
    if let Some(h) = hash {
        out.push('#');
        out.push_str(h);
    }
    out
}

fn components_match(case: &Case, p: &PackageUrl, subpath: Option<&str>) -> Result<(), String> {
    let qualifiers = case.qualifiers.clone().unwrap_or_default();
    let got = (
        Some(p.ty()),
        p.namespace(),
        Some(p.name()),
        p.version(),
        p.qualifiers(),
        p.subpath(),
    );
    let want = (
        case.ty.as_deref(),
        case.namespace.as_deref(),
        case.name.as_deref(),
        case.version.as_deref(),
        &qualifiers,
        subpath,
    );
    if got == want {
        Ok(())
    } else {
        Err(format!("components {got:?}, expected {want:?}"))
    }
}

fn check(case: &Case) -> Result<Option<Deviation>, String> {
    let deviation = DEVIATIONS
        .iter()
        .find(|(d, _)| *d == case.description)
        .map(|(_, dev)| *dev);
    let canonical = case.canonical_purl.as_deref().unwrap_or_default();
    match (case.is_invalid, deviation) {
        (true, None) => match PackageUrl::parse_strict(&case.purl) {
            Ok(p) => Err(format!("accepted as {p}")),
            Err(_) => Ok(None),
        },
        (true, Some(Deviation::NowValid(_))) => {
            let p = PackageUrl::parse_strict(&case.purl).map_err(|e| e.to_string())?;
            if p.to_string() != canonical {
                return Err(format!("now valid, but printed as {p}"));
            }
            components_match(case, &p, case.subpath.as_deref())?;
            Ok(deviation)
        }
        (false, Some(Deviation::NowInvalid(_))) => match PackageUrl::parse(&case.purl) {
            Ok(p) => Err(format!("should now be invalid, but parsed as {p}")),
            Err(_) => Ok(deviation),
        },
        (false, dev) => {
            let p = PackageUrl::parse(&case.purl).map_err(|e| e.to_string())?;
            let (want_canonical, want_subpath) = match dev {
                None => (canonical.to_owned(), case.subpath.clone()),
                Some(Deviation::SlashEncodedInQualifiers) => (
                    encode_slashes_in_qualifiers(canonical),
                    case.subpath.clone(),
                ),
                Some(Deviation::DotSegmentsDiscarded) => {
                    let subpath = case.subpath.as_deref().map(|s| {
                        s.split('/')
                            .filter(|seg| !matches!(*seg, "" | "." | ".."))
                            .collect::<Vec<_>>()
                            .join("/")
                    });
                    (canonical.to_owned(), subpath)
                }
                Some(other) => {
                    return Err(format!("deviation {other:?} does not fit a valid case"));
                }
            };
            if p.to_string() != want_canonical {
                return Err(format!("printed as {p}, expected {want_canonical}"));
            }
            components_match(case, &p, want_subpath.as_deref())?;
            Ok(dev)
        }
        (true, Some(other)) => Err(format!("deviation {other:?} does not fit an invalid case")),
    }
}

#[test]
fn legacy_test_suite() {
    let Some(path) = weerbaar_fixtures::fixture("purl/legacy-test-suite-data.json") else {
        return;
    };
    let text = std::fs::read_to_string(&path).expect("readable");
    let cases: Vec<Case> = serde_json::from_str(&text).expect("legacy suite JSON");
    let mut report = String::new();
    let mut failures = 0;
    let mut deviations = 0;
    for case in &cases {
        match check(case) {
            Ok(None) => {}
            Ok(Some(dev)) => {
                deviations += 1;
                let _ = writeln!(
                    report,
                    "  current spec wins for {:?}: {}",
                    case.description,
                    dev.reason()
                );
            }
            Err(why) => {
                failures += 1;
                let _ = writeln!(report, "FAIL {:?} {}: {why}", case.description, case.purl);
            }
        }
    }
    for (description, _) in DEVIATIONS {
        assert!(
            cases.iter().any(|c| c.description == *description),
            "DEVIATIONS lists {description:?}, which is not in the suite"
        );
    }
    let summary = format!(
        "legacy suite: {}/{} passed ({deviations} by the current spec where it deviates)\n{report}",
        cases.len() - failures,
        cases.len()
    );
    eprintln!("{summary}");
    assert_eq!(failures, 0, "{summary}");
    assert_eq!(cases.len(), 59, "{summary}");
}
