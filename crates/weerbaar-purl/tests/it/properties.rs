//! Property tests: no input panics the parsers or the OSV mapping, and whatever parses prints a
//! canonical string that parses back to an equal value (print → parse is the identity, and
//! printing is idempotent). The stable-toolchain counterpart of `fuzz/fuzz_targets/purl.rs`;
//! `PROPTEST_CASES=100000 cargo test -p weerbaar-purl --test it properties` runs it longer.

use std::sync::atomic::{AtomicUsize, Ordering};

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use weerbaar_purl::PackageUrl;

fn runner() -> TestRunner {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5_000);
    TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    })
}

/// One character of a component: mostly plain, sometimes an unencoded separator, `%XX`,
/// non-ASCII, whitespace or a broken escape.
fn atom() -> impl Strategy<Value = String> {
    prop_oneof![
        12 => "[a-z0-9._-]",
        3 => "[A-Z~:+]",
        1 => "[@?#&=/ \t]",
        2 => "%[2-7][0-9A-F]",
        1 => Just("%C3%A9".to_owned()),
        1 => "[éİΣß€😀]",
        1 => "%[0-9A-Fa-f]?",
    ]
}

fn segment() -> impl Strategy<Value = String> {
    proptest::collection::vec(atom(), 0..8).prop_map(|v| v.concat())
}

/// Purl-shaped strings, so most inputs get past the scheme and type and exercise the component,
/// per-type and OSV rules.
fn purl_like() -> impl Strategy<Value = String> {
    let scheme = prop_oneof![
        12 => Just("pkg:"),
        1 => Just("PKG://"),
        1 => Just("pkg:/"),
        1 => Just(" pkg:"),
        1 => Just("pkg%3A"),
        1 => Just(""),
    ];
    let ty = prop_oneof![
        8 => proptest::sample::select(vec![
            "npm", "maven", "pypi", "git", "deb", "rpm", "apk", "golang", "cpan", "pub", "mlflow",
            "julia", "swid", "otp", "generic", "huggingface", "vscode-extension", "oci", "cargo",
            "chrome-extension", "Maven", "composer", "swift",
        ])
        .prop_map(str::to_owned),
        1 => "[a-zA-Z3][a-zA-Z0-9._-]{0,5}",
    ];
    let namespace = prop_oneof![
        3 => proptest::sample::select(vec![
            "debian", "ubuntu", "alpine", "almalinux", "redhat", "suse", "opensuse", "photon",
            "wolfi", "@angular", "github.com/x", "org.apache",
        ])
        .prop_map(str::to_owned),
        2 => proptest::collection::vec(segment(), 0..3).prop_map(|v| v.join("/")),
    ];
    let value = prop_oneof![
        3 => segment(),
        1 => proptest::sample::select(vec![
            "debian-12", "bookworm", "ubuntu-22.04", "jammy", "alpine-3.19.1", "3.19.1", "el9",
            "rhel-9.3", "sles-15.5", "opensuse-leap-15.5", "photon-4", "1", "0",
            "https://adb-1.azuredatabricks.net/x", "openssl-3.0.7-25.el9.src.rpm", "a@1",
        ])
        .prop_map(str::to_owned),
    ];
    let key = prop_oneof![
        3 => proptest::sample::select(vec![
            "distro", "epoch", "upstream", "source", "uuid", "tag_id", "repository_url",
            "checksum", "Arch",
        ])
        .prop_map(str::to_owned),
        1 => "[a-zA-Z%][a-z0-9._-]{0,5}",
    ];
    (
        scheme,
        ty,
        proptest::option::of(namespace),
        segment(),
        proptest::option::of(segment()),
        proptest::collection::vec((key, value), 0..4),
        proptest::option::of(proptest::collection::vec(segment(), 0..3)),
    )
        .prop_map(
            |(scheme, ty, namespace, name, version, qualifiers, subpath)| {
                let mut s = format!("{scheme}{ty}/");
                if let Some(ns) = namespace {
                    s.push_str(&ns);
                    s.push('/');
                }
                s.push_str(&name);
                if let Some(v) = version {
                    s.push('@');
                    s.push_str(&v);
                }
                for (i, (k, v)) in qualifiers.iter().enumerate() {
                    s.push(if i == 0 { '?' } else { '&' });
                    s.push_str(k);
                    s.push('=');
                    s.push_str(v);
                }
                if let Some(sub) = subpath {
                    s.push('#');
                    s.push_str(&sub.join("/"));
                }
                s
            },
        )
}

/// How many inputs parsed, to check that the generators reach past the scheme and type.
static PARSED: AtomicUsize = AtomicUsize::new(0);
static TRIED: AtomicUsize = AtomicUsize::new(0);

fn check(input: &str) -> Result<(), TestCaseError> {
    TRIED.fetch_add(1, Ordering::Relaxed);
    let strict = PackageUrl::parse_strict(input);
    let _ = PackageUrl::is_canonical(input);
    match PackageUrl::parse(input) {
        Ok(p) => {
            PARSED.fetch_add(1, Ordering::Relaxed);
            let printed = p.to_string();
            let back = PackageUrl::parse(&printed);
            prop_assert_eq!(
                back.as_ref(),
                Ok(&p),
                "{:?} printed as {:?}",
                input,
                printed
            );
            let strict_back = PackageUrl::parse_strict(&printed);
            prop_assert_eq!(
                strict_back.as_ref(),
                Ok(&p),
                "strict parse of {:?}",
                printed
            );
            prop_assert!(
                PackageUrl::is_canonical(&printed),
                "{:?} not canonical",
                printed
            );
            if let Ok(s) = strict {
                prop_assert_eq!(&s, &p, "strict and lenient disagree on {:?}", input);
            }
            let _ = (p.osv_package(), p.osv_version(), p.checksums());
        }
        Err(e) => {
            prop_assert!(
                strict.is_err(),
                "strict accepts what lenient rejects: {:?}",
                input
            );
            prop_assert!(e.position().is_some_and(|pos| pos <= input.len()));
            prop_assert!(!e.to_string().is_empty());
        }
    }
    Ok(())
}

#[test]
fn arbitrary_input_never_panics_and_round_trips() {
    let inputs = prop_oneof![
        any::<String>(),
        r"[ -~]{0,60}",
        purl_like(),
        purl_like(),
        purl_like(),
    ];
    runner()
        .run(&inputs, |input| check(&input))
        .unwrap_or_else(|e| panic!("{e}"));
    let (parsed, tried) = (
        PARSED.load(Ordering::Relaxed),
        TRIED.load(Ordering::Relaxed),
    );
    eprintln!("{parsed} of {tried} generated inputs parsed");
    assert!(
        parsed * 20 >= tried,
        "only {parsed} of {tried} inputs parsed"
    );
}

#[test]
fn built_purls_round_trip() {
    let component = segment;
    let ty = proptest::string::string_regex(
        r"(npm|maven|pypi|git|deb|cpan|pub|mlflow|otp|swid|julia|generic|[a-z][a-z0-9.-]{0,4}|3x|)",
    )
    .expect("regex");
    let key = proptest::string::string_regex(
        r"([a-zA-Z][a-zA-Z0-9._-]{0,6}|uuid|tag_id|repository_url| x)",
    )
    .expect("regex");
    let strategy = (
        ty,
        proptest::option::of(component()),
        component(),
        proptest::option::of(component()),
        proptest::collection::vec((key, component()), 0..4),
        proptest::option::of(component()),
    );
    runner()
        .run(
            &strategy,
            |(ty, namespace, name, version, qualifiers, subpath)| {
                let mut b = PackageUrl::builder(ty, name);
                if let Some(ns) = namespace {
                    b = b.namespace(ns);
                }
                if let Some(v) = version {
                    b = b.version(v);
                }
                for (k, v) in qualifiers {
                    b = b.qualifier(k, v);
                }
                if let Some(s) = subpath {
                    b = b.subpath(s);
                }
                if let Ok(p) = b.build() {
                    let printed = p.to_string();
                    let back = PackageUrl::parse(&printed);
                    prop_assert_eq!(back.as_ref(), Ok(&p), "{:?}", printed);
                    prop_assert!(PackageUrl::is_canonical(&printed), "{:?}", printed);
                }
                Ok(())
            },
        )
        .unwrap_or_else(|e| panic!("{e}"));
}
