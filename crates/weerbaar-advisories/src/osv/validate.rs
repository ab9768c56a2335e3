//! The schema rules that serde's derive cannot express: id prefixes, timestamp shape, severity
//! score patterns and range rules; plus the offline osv-linter checks behind `Advisory::lint`.

use super::{Advisory, Event, Lint, RangeType, SeverityType};

/// The home-database id prefixes of the OSV schema (`$defs.prefix`), each followed by `-` in an
/// id. Private ids start with `x_` instead.
pub const ID_PREFIXES: &[&str] = &[
    "ASB-A",
    "PUB-A",
    "ALPINE",
    "ALSA",
    "ALBA",
    "ALEA",
    "AZL",
    "BELL",
    "BIT",
    "CGA",
    "CLEANSTART",
    "CLSA",
    "CURL",
    "CVE",
    "DEBIAN",
    "DHI",
    "DRUPAL",
    "DSA",
    "DLA",
    "ELA",
    "DTSA",
    "ECHO",
    "EEF",
    "FreeBSD",
    "GHSA",
    "GO",
    "GSD",
    "HSEC",
    "JLSEC",
    "KUBE",
    "LBSEC",
    "LSN",
    "MAL",
    "MINI",
    "MGASA",
    "OESA",
    "OSEC",
    "OSV",
    "openSUSE-SU",
    "PHSA",
    "PSF",
    "PYSEC",
    "RHBA",
    "RHEA",
    "RHSA",
    "RLSA",
    "RXSA",
    "RSEC",
    "ROOT",
    "RUSTSEC",
    "SUSE-SU",
    "SUSE-RU",
    "SUSE-FU",
    "SUSE-OU",
    "UBUNTU",
    "USN",
    "V8",
];

/// The schema's id pattern, `^(x_|(PREFIX)-)`, plus a non-empty rest without whitespace or
/// control characters: ids become index keys and file names.
pub(super) fn check_id(id: &str) -> Result<(), String> {
    let rest = id.strip_prefix("x_").or_else(|| {
        ID_PREFIXES
            .iter()
            .find_map(|p| id.strip_prefix(p).and_then(|r| r.strip_prefix('-')))
    });
    match rest {
        None => Err(format!(
            "id `{id}` does not start with a known database prefix followed by `-` (such as \
             `GHSA-`, `CVE-`, `RUSTSEC-`) or with `x_`"
        )),
        Some("") => Err(format!("id `{id}` has nothing after its prefix")),
        Some(_) if id.chars().any(|c| c.is_whitespace() || c.is_control()) => {
            Err(format!("id `{id}` contains whitespace"))
        }
        Some(_) => Ok(()),
    }
}

/// The schema's timestamp: `YYYY-MM-DDTHH:MM:SS[.fraction]Z` (RFC 3339, UTC), with the ranges of
/// the fields checked (leap second 60 allowed, as RFC 3339 does).
pub(super) fn check_timestamp(ts: &str) -> Result<(), String> {
    if timestamp_ok(ts.as_bytes()) {
        Ok(())
    } else {
        Err(format!(
            "`{ts}` is not an RFC 3339 UTC timestamp (YYYY-MM-DDTHH:MM:SS[.fraction]Z)"
        ))
    }
}

fn timestamp_ok(b: &[u8]) -> bool {
    fn num(b: &[u8]) -> Option<u32> {
        b.iter().try_fold(0u32, |n, &c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    }
    let (Some(head), Some(tail)) = (b.get(..19), b.get(19..)) else {
        return false;
    };
    let field = |r: std::ops::Range<usize>| head.get(r).and_then(num);
    let seps = [(4, b'-'), (7, b'-'), (10, b'T'), (13, b':'), (16, b':')];
    if seps.iter().any(|&(i, c)| head.get(i) != Some(&c)) {
        return false;
    }
    let (Some(_year), Some(month), Some(day), Some(hour), Some(minute), Some(second)) = (
        field(0..4),
        field(5..7),
        field(8..10),
        field(11..13),
        field(14..16),
        field(17..19),
    ) else {
        return false;
    };
    let fraction_ok = match tail {
        [b'Z'] => true,
        [b'.', digits @ .., b'Z'] => !digits.is_empty() && digits.iter().all(u8::is_ascii_digit),
        _ => false,
    };
    fraction_ok
        && (1..=12).contains(&month)
        && (1..=31).contains(&day)
        && hour <= 23
        && minute <= 59
        && second <= 60
}

/// The schema's per-type `score` patterns.
pub(super) fn check_score(kind: SeverityType, score: &str) -> Result<(), String> {
    let result = match kind {
        SeverityType::CvssV2 => components(score, CVSS_V2),
        SeverityType::CvssV3 => match score
            .strip_prefix("CVSS:3.1/")
            .or_else(|| score.strip_prefix("CVSS:3.0/"))
        {
            Some(rest) => components(rest, CVSS_V3),
            None => Err("it does not start with `CVSS:3.0/` or `CVSS:3.1/`".to_owned()),
        },
        SeverityType::CvssV4 => match score.strip_prefix("CVSS:4.0/") {
            Some(rest) => ordered_components(rest, CVSS_V4),
            None => Err("it does not start with `CVSS:4.0/`".to_owned()),
        },
        SeverityType::Ubuntu => {
            if ["negligible", "low", "medium", "high", "critical"].contains(&score) {
                Ok(())
            } else {
                Err("expected one of negligible, low, medium, high, critical".to_owned())
            }
        }
    };
    result.map_err(|why| format!("invalid {} score `{score}`: {why}", kind_name(kind)))
}

fn kind_name(kind: SeverityType) -> &'static str {
    match kind {
        SeverityType::CvssV2 => "CVSS_V2",
        SeverityType::CvssV3 => "CVSS_V3",
        SeverityType::CvssV4 => "CVSS_V4",
        SeverityType::Ubuntu => "Ubuntu",
    }
}

/// A metric and its allowed values.
type Metric = (&'static str, &'static [&'static str]);

const CVSS_V2: &[Metric] = &[
    ("AV", &["N", "A", "L"]),
    ("AC", &["L", "M", "H"]),
    ("Au", &["M", "S", "N"]),
    ("C", &["N", "P", "C"]),
    ("I", &["N", "P", "C"]),
    ("A", &["N", "P", "C"]),
    ("E", &["U", "POC", "F", "H", "ND"]),
    ("RL", &["OF", "TF", "W", "U", "ND"]),
    ("RC", &["UC", "UR", "C", "ND"]),
    ("CDP", &["N", "L", "LM", "MH", "H", "ND"]),
    ("TD", &["N", "L", "M", "H", "ND"]),
    ("CR", &["L", "M", "H", "ND"]),
    ("IR", &["L", "M", "H", "ND"]),
    ("AR", &["L", "M", "H", "ND"]),
];

const CVSS_V3: &[Metric] = &[
    ("AV", &["N", "A", "L", "P"]),
    ("AC", &["L", "H"]),
    ("PR", &["N", "L", "H"]),
    ("UI", &["N", "R"]),
    ("S", &["U", "C"]),
    ("C", &["N", "L", "H"]),
    ("I", &["N", "L", "H"]),
    ("A", &["N", "L", "H"]),
    ("E", &["X", "U", "P", "F", "H"]),
    ("RL", &["X", "O", "T", "W", "U"]),
    ("RC", &["X", "U", "R", "C"]),
    ("CR", &["X", "L", "M", "H"]),
    ("IR", &["X", "L", "M", "H"]),
    ("AR", &["X", "L", "M", "H"]),
    ("MAV", &["X", "N", "A", "L", "P"]),
    ("MAC", &["X", "L", "H"]),
    ("MPR", &["X", "N", "L", "H"]),
    ("MUI", &["X", "N", "R"]),
    ("MS", &["X", "U", "C"]),
    ("MC", &["X", "N", "L", "H"]),
    ("MI", &["X", "N", "L", "H"]),
    ("MA", &["X", "N", "L", "H"]),
];

/// CVSS v4.0 metrics in their mandated order; the first eleven (base) are required.
const CVSS_V4: &[Metric] = &[
    ("AV", &["N", "A", "L", "P"]),
    ("AC", &["L", "H"]),
    ("AT", &["N", "P"]),
    ("PR", &["N", "L", "H"]),
    ("UI", &["N", "P", "A"]),
    ("VC", &["H", "L", "N"]),
    ("VI", &["H", "L", "N"]),
    ("VA", &["H", "L", "N"]),
    ("SC", &["H", "L", "N"]),
    ("SI", &["H", "L", "N"]),
    ("SA", &["H", "L", "N"]),
    ("E", &["X", "A", "P", "U"]),
    ("CR", &["X", "H", "M", "L"]),
    ("IR", &["X", "H", "M", "L"]),
    ("AR", &["X", "H", "M", "L"]),
    ("MAV", &["X", "N", "A", "L", "P"]),
    ("MAC", &["X", "L", "H"]),
    ("MAT", &["X", "N", "P"]),
    ("MPR", &["X", "N", "L", "H"]),
    ("MUI", &["X", "N", "P", "A"]),
    ("MVC", &["X", "N", "L", "H"]),
    ("MVI", &["X", "N", "L", "H"]),
    ("MVA", &["X", "N", "L", "H"]),
    ("MSC", &["X", "N", "L", "H"]),
    ("MSI", &["X", "N", "L", "H", "S"]),
    ("MSA", &["X", "N", "L", "H", "S"]),
    ("S", &["X", "N", "P"]),
    ("AU", &["X", "N", "Y"]),
    ("R", &["X", "A", "U", "I"]),
    ("V", &["X", "D", "C"]),
    ("RE", &["X", "L", "M", "H"]),
    ("U", &["X", "Clear", "Green", "Amber", "Red"]),
];
const CVSS_V4_REQUIRED: usize = 11;

/// `metric:value` parts separated by `/`, in any order (the v2 and v3 patterns repeat one
/// alternation, so they neither order nor deduplicate).
fn components(vector: &str, metrics: &[Metric]) -> Result<(), String> {
    for part in vector.split('/') {
        let (metric, value) = part
            .split_once(':')
            .ok_or_else(|| format!("`{part}` is not a metric:value pair"))?;
        let allowed = metrics
            .iter()
            .find(|(m, _)| *m == metric)
            .ok_or_else(|| format!("unknown metric `{metric}`"))?
            .1;
        if !allowed.contains(&value) {
            return Err(format!("`{part}` is not an allowed value of {metric}"));
        }
    }
    Ok(())
}

/// CVSS v4.0: the base metrics in order, then optional metrics in their fixed order, each once.
fn ordered_components(vector: &str, metrics: &[Metric]) -> Result<(), String> {
    let mut next = 0;
    for part in vector.split('/') {
        let (metric, value) = part
            .split_once(':')
            .ok_or_else(|| format!("`{part}` is not a metric:value pair"))?;
        let Some(offset) = metrics
            .get(next..)
            .and_then(|rest| rest.iter().position(|(m, _)| *m == metric))
        else {
            return Err(if metrics.iter().any(|(m, _)| *m == metric) {
                format!("metric `{metric}` is repeated or out of order")
            } else {
                format!("unknown metric `{metric}`")
            });
        };
        let index = next + offset;
        if let Some((missing, _)) = metrics
            .get(next..index.min(CVSS_V4_REQUIRED))
            .and_then(|s| s.first())
        {
            return Err(format!(
                "base metric `{missing}` is missing before `{metric}`"
            ));
        }
        let allowed = metrics.get(index).map_or(&[][..], |(_, values)| values);
        if !allowed.contains(&value) {
            return Err(format!("`{part}` is not an allowed value of {metric}"));
        }
        next = index + 1;
    }
    match metrics.get(next..CVSS_V4_REQUIRED).and_then(|s| s.first()) {
        Some((missing, _)) => Err(format!("base metric `{missing}` is missing")),
        None => Ok(()),
    }
}

/// The schema's range rules: at least one event, at least one `introduced`, never `fixed`
/// together with `last_affected`, and a `repo` for GIT ranges.
pub(super) fn check_range(
    kind: RangeType,
    repo: Option<&str>,
    events: &[Event],
) -> Result<(), String> {
    if events.is_empty() {
        return Err("range has no events".to_owned());
    }
    if !events.iter().any(|e| matches!(e, Event::Introduced(_))) {
        return Err("range has no `introduced` event".to_owned());
    }
    let fixed = events.iter().position(|e| matches!(e, Event::Fixed(_)));
    let last = events
        .iter()
        .position(|e| matches!(e, Event::LastAffected(_)));
    if let (Some(f), Some(l)) = (fixed, last) {
        return Err(format!(
            "range has both a `fixed` event (events[{f}]) and a `last_affected` event \
             (events[{l}]); the schema makes them mutually exclusive"
        ));
    }
    if kind == RangeType::Git && repo.is_none() {
        return Err("GIT range has no `repo`".to_owned());
    }
    Ok(())
}

pub(super) fn lint(advisory: &Advisory) -> Vec<Lint> {
    let mut findings = Vec::new();
    if advisory.affected.is_empty() {
        findings.push(Lint {
            code: "A0001",
            path: "$.affected".to_owned(),
            message: "the record has no affected data, so nothing can match it".to_owned(),
        });
    }
    for (a, affected) in advisory.affected.iter().enumerate() {
        for (r, range) in affected.ranges.iter().enumerate() {
            for (e, event) in range.events.iter().enumerate() {
                let earlier = range
                    .events
                    .get(..e)
                    .and_then(|before| before.iter().position(|x| x.version() == event.version()));
                if let Some(first) = earlier {
                    findings.push(Lint {
                        code: "R0002",
                        path: format!("$.affected[{a}].ranges[{r}].events[{e}]"),
                        message: format!(
                            "overlapping event: `{}` is already used by events[{first}]",
                            event.version()
                        ),
                    });
                }
            }
        }
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_need_a_known_prefix_and_a_rest() {
        for ok in [
            "GHSA-9v2f-6vcg-3hgv",
            "RHSA-2022:0216",
            "SUSE-FU-2022:0444-1",
            "openSUSE-SU-2024:1",
            "ASB-A-123",
            "x_private",
            "GO-2020-0001",
        ] {
            assert_eq!(check_id(ok), Ok(()), "{ok}");
        }
        for bad in [
            "",
            "GHSA",
            "GHSA-",
            "ghsa-1",
            "SUSE-XU-1",
            "NOPE-1",
            "x_",
            "CVE-1 2",
            "GHSA_1",
        ] {
            assert!(check_id(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn timestamps_have_the_rfc3339_utc_shape() {
        for ok in [
            "2024-07-03T20:05:21Z",
            "2023-06-05T01:13:00.534973Z",
            "2016-12-31T23:59:60Z",
        ] {
            assert_eq!(check_timestamp(ok), Ok(()), "{ok}");
        }
        for bad in [
            "",
            "2024-07-03",
            "2024-07-03T20:05:21",
            "2024-07-03T20:05:21+00:00",
            "2024-07-03 20:05:21Z",
            "2024-13-03T20:05:21Z",
            "2024-07-00T20:05:21Z",
            "2024-07-03T24:05:21Z",
            "2024-07-03T20:05:21.Z",
            "2024-07-03T20:05:21zZ",
            "2024-07-03t20:05:21z",
            "２024-07-03T20:05:21Z",
        ] {
            assert!(check_timestamp(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn cvss_vectors_follow_the_schema_patterns() {
        use SeverityType::*;
        for (kind, ok) in [
            (CvssV2, "AV:N/AC:L/Au:N/C:P/I:P/A:P"),
            (CvssV2, "AV:N/AC:L/Au:N/C:P/I:P/A:P/E:POC/RL:OF/RC:C"),
            (CvssV3, "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"),
            (
                CvssV3,
                "CVSS:3.0/AV:L/AC:H/PR:L/UI:N/S:U/C:H/I:N/A:N/E:P/MAV:X",
            ),
            (
                CvssV4,
                "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",
            ),
            (
                CvssV4,
                "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:A/MSI:S/U:Amber",
            ),
            (Ubuntu, "medium"),
        ] {
            assert_eq!(check_score(kind, ok), Ok(()), "{ok}");
        }
        for (kind, bad) in [
            (CvssV2, "CVSS:2.0/AV:N"),
            (CvssV2, "AV:N/AC:L/"),
            (CvssV2, ""),
            (CvssV3, "AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"),
            (CvssV3, "CVSS:3.1/AV:X/AC:L"),
            (CvssV3, "CVSS:3.1/"),
            (CvssV3, "CVSS:3.1/AV:N/Au:N"),
            (
                CvssV4,
                "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N",
            ),
            (
                CvssV4,
                "CVSS:4.0/AC:L/AV:N/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",
            ),
            (
                CvssV4,
                "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/U:Amber/E:A",
            ),
            (
                CvssV4,
                "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:A/E:A",
            ),
            (CvssV4, "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"),
            (Ubuntu, "Medium"),
        ] {
            assert!(check_score(kind, bad).is_err(), "{bad}");
        }
        let err = check_score(CvssV3, "CVSS:3.1/AV:N/AC:Q").expect_err("bad value");
        assert_eq!(
            err,
            "invalid CVSS_V3 score `CVSS:3.1/AV:N/AC:Q`: `AC:Q` is not an allowed value of AC"
        );
    }
}
