//! Matching CPE names against NVD applicability statements.
//!
//! These are the primitives a matcher builds on; the rules are in the documentation of
//! [`CpeMatch::matches`] and [`Configuration::matches`].

use std::borrow::Cow;

use weerbaar_versions::SchemeVersion;
use weerbaar_versions::scheme::generic::GenericVersion;

use super::cpe::{AttrValue, Attribute, Cpe, attr_matches};
use super::cve::{Configuration, CpeMatch, Cve, Node, Operator, VersionBound};

impl CpeMatch {
    /// Whether the criterion covers the CPE name `cpe` (a product someone has).
    ///
    /// # Rules
    ///
    /// 1. **Attributes** (NISTIR 7696 §6.1, table 6-2). `part` must be equal. Each of the ten
    ///    attributes of the criterion is compared with the name's, and every one must relate as
    ///    SUPERSET or EQUAL:
    ///    * a criterion's ANY (`*`) matches anything, NA (`-`) only NA;
    ///    * a criterion's value never matches the name's ANY: the name says less than the
    ///      criterion requires (7696's SUBSET). A product whose architecture is unknown does
    ///      not match a criterion for `x64`; the caller fills in what it knows;
    ///    * values compare case-insensitively after removing quoting (`\.` equals `.`);
    ///    * wildcards in the criterion's value: a leading or trailing `*` matches any run of
    ///      characters, a run of `n` `?` at an end up to `n` characters (7696's
    ///      `compare_strings`); a name whose value has wildcards matches nothing (UNDEFINED).
    ///
    ///    Without a version range this includes the version and the update: they must be equal
    ///    as strings (7696 compares strings, so `1.0` does not match `1.0.0`).
    /// 2. **Range.** When `start` or `end` is present, the name's version must also lie in the
    ///    range, compared with weerbaar's generic scheme ([`GenericVersion`]): `start` is a lower
    ///    bound (inclusive or not), `end` an upper bound. The name needs a concrete version: ANY,
    ///    NA or a wildcard version is outside every range. When the criterion's `update` is ANY
    ///    and the name has an update (`cpe:…:junos:20.4:r3-s1:…`), the update is appended to the
    ///    version before comparing (`20.4-r3-s1`, which the generic scheme orders after `20.4`);
    ///    if that combination does not parse, the version alone is compared.
    ///
    /// # Limits
    ///
    /// * A version or bound the generic scheme rejects (it contains `:`, `*`, non-ASCII, …)
    ///   makes the range check fail: the criterion does not match. Bounds are parsed on every
    ///   call; a matcher over many products should pre-filter on vendor and product.
    /// * The generic scheme assumes both sides follow one product's convention; versions of
    ///   different shapes (`2019` against `10.0.17763`) get *an* answer, not a meaningful one.
    /// * `vulnerable` is not consulted here; it matters for [`Configuration::matches`].
    #[must_use]
    pub fn matches(&self, cpe: &Cpe) -> bool {
        let c = &self.criteria;
        c.part() == cpe.part()
            && Attribute::ALL
                .iter()
                .all(|&a| attr_matches(c.get(a), cpe.get(a)))
            && self.in_range(cpe)
    }

    /// Whether the criterion has a version range.
    #[must_use]
    pub fn has_range(&self) -> bool {
        self.start.is_some() || self.end.is_some()
    }

    fn in_range(&self, cpe: &Cpe) -> bool {
        if !self.has_range() {
            return true;
        }
        let Some(version) = concrete(cpe.version()) else {
            return false;
        };
        let folded = match (self.criteria.update(), concrete(cpe.update())) {
            (AttrValue::Any, Some(update)) => {
                GenericVersion::parse(&format!("{version}-{update}")).ok()
            }
            _ => None,
        };
        let Some(have) = folded.or_else(|| GenericVersion::parse(&version).ok()) else {
            return false;
        };
        let check = |bound: &Option<VersionBound>, lower: bool| {
            let Some(b) = bound else {
                return true;
            };
            let Ok(limit) = GenericVersion::parse(&b.version) else {
                return false;
            };
            match (lower, b.inclusive) {
                (true, true) => have >= limit,
                (true, false) => have > limit,
                (false, true) => have <= limit,
                (false, false) => have < limit,
            }
        };
        check(&self.start, true) && check(&self.end, false)
    }
}

/// The unquoted value of an attribute that names one concrete value (no ANY, NA or wildcard).
fn concrete(v: AttrValue<'_>) -> Option<Cow<'_, str>> {
    if v.has_wildcard() {
        return None;
    }
    v.unquoted()
}

/// A node's outcome: whether its condition holds, and whether a `vulnerable` criterion
/// contributed to that.
#[derive(Debug, Clone, Copy)]
struct Outcome {
    holds: bool,
    vulnerable: bool,
}

impl Node {
    fn evaluate(&self, cpes: &[Cpe]) -> Outcome {
        if self.cpe_match.is_empty() {
            // An empty node asserts nothing; treating it as true would make an AND
            // configuration vacuously satisfied.
            return Outcome {
                holds: self.negate,
                vulnerable: false,
            };
        }
        let hit = |m: &CpeMatch| cpes.iter().any(|c| m.matches(c));
        let (holds, vulnerable) = match self.operator {
            Operator::Or => self
                .cpe_match
                .iter()
                .filter(|m| hit(m))
                .fold((false, false), |(_, v), m| (true, v || m.vulnerable)),
            Operator::And => {
                let mut vulnerable = false;
                let holds = self.cpe_match.iter().all(|m| {
                    let h = hit(m);
                    vulnerable |= h && m.vulnerable;
                    h
                });
                (holds, holds && vulnerable)
            }
        };
        if self.negate {
            // A negated node holds when nothing matched, so nothing in it is vulnerable.
            Outcome {
                holds: !holds,
                vulnerable: false,
            }
        } else {
            Outcome { holds, vulnerable }
        }
    }
}

impl Configuration {
    /// Whether the products `cpes` (everything installed on one asset) are vulnerable under
    /// this configuration.
    ///
    /// # Rules
    ///
    /// * A node holds when, with `OR`, at least one of its criteria matches some name in
    ///   `cpes`, and with `AND`, every criterion matches some name (not necessarily the same
    ///   one). `negate` inverts whether it holds. A node without criteria does not hold.
    /// * The configuration's nodes combine by its `operator` (`OR` when absent) the same way.
    /// * The configuration holding is not enough: the asset is vulnerable only when a
    ///   criterion with `vulnerable: true` matched in a node that holds (for `OR`, in a node
    ///   that holds on its own). Criteria with `vulnerable: false` describe the platform
    ///   ("running on/with"): in `AND` configurations they must be satisfied by some name, but
    ///   they never make an asset vulnerable by themselves. So for
    ///   `AND(OR(esp-idf ≤ 4.2, vulnerable), OR(esp32, not vulnerable))`, esp-idf 4.1 alone is
    ///   not vulnerable, esp32 alone is not, and both together are.
    ///
    /// # Limits
    ///
    /// * A negated node or configuration contributes no vulnerable match, so a negated
    ///   configuration never reports an asset vulnerable. NVD does not publish negated
    ///   configurations; negated nodes only narrow an `AND`.
    /// * `cpes` must describe one asset: matching names from different machines satisfies an
    ///   `AND` that no single machine does.
    #[must_use]
    pub fn matches(&self, cpes: &[Cpe]) -> bool {
        if self.negate || self.nodes.is_empty() {
            return false;
        }
        let mut outcomes = self.nodes.iter().map(|n| n.evaluate(cpes));
        match self.operator {
            Operator::Or => outcomes.any(|o| o.holds && o.vulnerable),
            Operator::And => {
                let mut vulnerable = false;
                let holds = outcomes.all(|o| {
                    vulnerable |= o.vulnerable;
                    o.holds
                });
                holds && vulnerable
            }
        }
    }
}

impl Cve {
    /// Whether any configuration of the CVE matches `cpes` (see [`Configuration::matches`]).
    /// Rejected CVEs match nothing.
    #[must_use]
    pub fn matches(&self, cpes: &[Cpe]) -> bool {
        !self.is_rejected() && self.configurations.iter().any(|c| c.matches(cpes))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cpe(s: &str) -> Cpe {
        match Cpe::parse(s) {
            Ok(c) => c,
            Err(e) => panic!("{s}: {e}"),
        }
    }

    fn bound(v: &str, inclusive: bool) -> Option<VersionBound> {
        Some(VersionBound {
            version: v.into(),
            inclusive,
        })
    }

    fn criterion(
        criteria: &str,
        start: Option<VersionBound>,
        end: Option<VersionBound>,
    ) -> CpeMatch {
        CpeMatch {
            vulnerable: true,
            criteria: cpe(criteria),
            match_criteria_id: "00000000-0000-0000-0000-000000000000".into(),
            start,
            end,
        }
    }

    fn fortios(v: &str) -> Cpe {
        cpe(&format!("cpe:2.3:o:fortinet:fortios:{v}:*:*:*:*:*:*:*"))
    }

    #[test]
    fn fortios_range() {
        let m = criterion(
            "cpe:2.3:o:fortinet:fortios:*:*:*:*:*:*:*:*",
            bound("7.2.0", true),
            bound("7.2.5", false),
        );
        assert!(m.matches(&fortios("7.2.4")));
        assert!(m.matches(&fortios("7.2.0")));
        assert!(
            m.matches(&fortios("7.2")),
            "7.2 == 7.2.0 in the generic scheme"
        );
        assert!(!m.matches(&fortios("7.2.5")));
        assert!(!m.matches(&fortios("7.0.12")));
        assert!(!m.matches(&fortios("7.4.0")));
        // No concrete version: outside every range.
        assert!(!m.matches(&fortios("*")));
        assert!(!m.matches(&fortios("-")));
        assert!(!m.matches(&fortios("7.2.*")));
        // Another product, or another part.
        assert!(!m.matches(&cpe("cpe:2.3:o:fortinet:fortiproxy:7.2.4:*:*:*:*:*:*:*")));
        assert!(!m.matches(&cpe("cpe:2.3:a:fortinet:fortios:7.2.4:*:*:*:*:*:*:*")));
        // Case-insensitive names.
        assert!(m.matches(&cpe("cpe:2.3:o:Fortinet:FortiOS:7.2.4:*:*:*:*:*:*:*")));
    }

    #[test]
    fn inclusive_and_exclusive_bounds() {
        let v = |s: &str| cpe(&format!("cpe:2.3:a:x:y:{s}:*:*:*:*:*:*:*"));
        let c = "cpe:2.3:a:x:y:*:*:*:*:*:*:*:*";
        let incl = criterion(c, bound("1.0", true), bound("2.0", true));
        assert!(incl.matches(&v("1.0")) && incl.matches(&v("2.0")) && incl.matches(&v("1.5")));
        let excl = criterion(c, bound("1.0", false), bound("2.0", false));
        assert!(!excl.matches(&v("1.0")) && !excl.matches(&v("2.0")) && excl.matches(&v("1.5")));
        let open_start = criterion(c, None, bound("2.0", false));
        assert!(open_start.matches(&v("0.1")) && !open_start.matches(&v("2.0.1")));
        let open_end = criterion(c, bound("2.0", false), None);
        assert!(open_end.matches(&v("2.0.1")) && !open_end.matches(&v("2.0")));
        // A bound the generic scheme rejects never matches.
        let bad = criterion(c, None, bound("2.0:1", false));
        assert!(!bad.matches(&v("1.0")));
        // A quoted colon in the name's version makes it unparseable too.
        assert!(!open_start.matches(&v(r"1.0\:beta")));
    }

    #[test]
    fn windows_build_range() {
        let m = criterion(
            "cpe:2.3:o:microsoft:windows_10_22h2:*:*:*:*:*:*:*:*",
            None,
            bound("10.0.19045.3803", false),
        );
        let w = |v: &str, hw: &str| {
            cpe(&format!(
                "cpe:2.3:o:microsoft:windows_10_22h2:{v}:*:*:*:*:*:{hw}:*"
            ))
        };
        assert!(m.matches(&w("10.0.19045.3570", "*")));
        assert!(m.matches(&w("10.0.19045.3570", "x64")));
        assert!(!m.matches(&w("10.0.19045.3803", "*")));
        assert!(!m.matches(&w("10.0.19045.4046", "x64")));
        assert!(!m.matches(&cpe(
            "cpe:2.3:o:microsoft:windows_10_21h2:10.0.19044.3570:*:*:*:*:*:*:*"
        )));
        // NVD's criteria name the architecture; the name must name the same one.
        let x64 = criterion(
            "cpe:2.3:o:microsoft:windows_10_22h2:*:*:*:*:*:*:x64:*",
            None,
            bound("10.0.19045.3803", false),
        );
        assert!(x64.matches(&w("10.0.19045.3570", "x64")));
        assert!(x64.matches(&w("10.0.19045.3570", "X64")));
        assert!(!x64.matches(&w("10.0.19045.3570", "arm64")));
        assert!(
            !x64.matches(&w("10.0.19045.3570", "*")),
            "unknown arch: SUBSET"
        );
    }

    #[test]
    fn exact_version_and_update() {
        let m = criterion(
            "cpe:2.3:o:cisco:ios:15.2\\(4\\)m:m3:*:*:*:*:*:*",
            None,
            None,
        );
        assert!(m.matches(&cpe("cpe:2.3:o:cisco:ios:15.2\\(4\\)M:M3:*:*:*:*:*:*")));
        assert!(!m.matches(&cpe("cpe:2.3:o:cisco:ios:15.2\\(4\\)m:m4:*:*:*:*:*:*")));
        assert!(!m.matches(&cpe("cpe:2.3:o:cisco:ios:15.2\\(4\\)m:*:*:*:*:*:*:*")));
        let any_update = criterion("cpe:2.3:a:x:y:1.0:*:*:*:*:*:*:*", None, None);
        assert!(any_update.matches(&cpe("cpe:2.3:a:x:y:1.0:sp1:*:*:*:*:*:*")));
        assert!(!any_update.matches(&cpe("cpe:2.3:a:x:y:1.0.0:*:*:*:*:*:*:*")));
        let na_update = criterion("cpe:2.3:a:x:y:1.0:-:*:*:*:*:*:*", None, None);
        assert!(na_update.matches(&cpe("cpe:2.3:a:x:y:1.0:-:*:*:*:*:*:*")));
        assert!(!na_update.matches(&cpe("cpe:2.3:a:x:y:1.0:sp1:*:*:*:*:*:*")));
    }

    #[test]
    fn update_is_folded_into_ranges() {
        let m = criterion(
            "cpe:2.3:o:juniper:junos:*:*:*:*:*:*:*:*",
            bound("20.4", true),
            bound("20.4r3-s2", false),
        );
        let j = |v: &str, u: &str| cpe(&format!("cpe:2.3:o:juniper:junos:{v}:{u}:*:*:*:*:*:*"));
        assert!(m.matches(&j("20.4", "r3-s1")));
        assert!(!m.matches(&j("20.4", "r3-s2")));
        assert!(!m.matches(&j("20.4", "r3-s3")));
        assert!(m.matches(&j("20.4", "*")));
        assert!(m.matches(&j("20.4", "-")));
    }

    #[test]
    fn wildcard_criteria() {
        let m = criterion("cpe:2.3:a:*:openssl*:1.0.?:*:*:*:*:*:*:*", None, None);
        assert!(m.matches(&cpe("cpe:2.3:a:openssl:openssl:1.0.2:*:*:*:*:*:*:*")));
        assert!(m.matches(&cpe("cpe:2.3:a:openssl:openssl-fips:1.0.2:*:*:*:*:*:*:*")));
        assert!(!m.matches(&cpe("cpe:2.3:a:openssl:libressl:1.0.2:*:*:*:*:*:*:*")));
        assert!(!m.matches(&cpe("cpe:2.3:a:openssl:openssl:1.1.1:*:*:*:*:*:*:*")));
    }

    fn node(op: Operator, matches: Vec<CpeMatch>) -> Node {
        Node {
            operator: op,
            negate: false,
            cpe_match: matches,
        }
    }

    fn platform(criteria: &str) -> CpeMatch {
        CpeMatch {
            vulnerable: false,
            ..criterion(criteria, None, None)
        }
    }

    #[test]
    fn and_configuration_needs_the_platform() {
        let config = Configuration {
            operator: Operator::And,
            negate: false,
            nodes: vec![
                node(
                    Operator::Or,
                    vec![criterion(
                        "cpe:2.3:a:espressif:esp-idf:*:*:*:*:*:*:*:*",
                        bound("4.0.0", true),
                        bound("4.2", true),
                    )],
                ),
                node(
                    Operator::Or,
                    vec![platform("cpe:2.3:h:espressif:esp32:-:*:*:*:*:*:*:*")],
                ),
            ],
        };
        let idf = |v: &str| cpe(&format!("cpe:2.3:a:espressif:esp-idf:{v}:*:*:*:*:*:*:*"));
        let esp32 = cpe("cpe:2.3:h:espressif:esp32:-:*:*:*:*:*:*:*");
        assert!(config.matches(&[idf("4.1"), esp32.clone()]));
        assert!(config.matches(&[esp32.clone(), idf("4.2")]));
        assert!(!config.matches(&[idf("4.1")]));
        assert!(!config.matches(std::slice::from_ref(&esp32)));
        assert!(!config.matches(&[idf("4.3"), esp32.clone()]));
        assert!(!config.matches(&[]));
        // Negating the platform node flips the requirement: vulnerable when NOT on esp32.
        let mut not_on = config.clone();
        if let Some(n) = not_on.nodes.get_mut(1) {
            n.negate = true;
        }
        assert!(not_on.matches(&[idf("4.1")]));
        assert!(!not_on.matches(&[idf("4.1"), esp32]));
    }

    #[test]
    fn platform_alone_is_not_vulnerable() {
        let config = Configuration {
            operator: Operator::Or,
            negate: false,
            nodes: vec![node(
                Operator::Or,
                vec![
                    criterion("cpe:2.3:a:x:app:1.0:*:*:*:*:*:*:*", None, None),
                    platform("cpe:2.3:o:x:os:-:*:*:*:*:*:*:*"),
                ],
            )],
        };
        assert!(config.matches(&[cpe("cpe:2.3:a:x:app:1.0:*:*:*:*:*:*:*")]));
        assert!(!config.matches(&[cpe("cpe:2.3:o:x:os:-:*:*:*:*:*:*:*")]));
    }

    #[test]
    fn and_node_needs_every_criterion() {
        let config = Configuration {
            operator: Operator::Or,
            negate: false,
            nodes: vec![node(
                Operator::And,
                vec![
                    criterion("cpe:2.3:a:x:a:1:*:*:*:*:*:*:*", None, None),
                    criterion("cpe:2.3:a:x:b:1:*:*:*:*:*:*:*", None, None),
                ],
            )],
        };
        let a = cpe("cpe:2.3:a:x:a:1:*:*:*:*:*:*:*");
        let b = cpe("cpe:2.3:a:x:b:1:*:*:*:*:*:*:*");
        assert!(config.matches(&[a.clone(), b]));
        assert!(!config.matches(&[a]));
        let negated = Configuration {
            negate: true,
            ..config
        };
        assert!(!negated.matches(&[]));
        let empty = Configuration {
            operator: Operator::And,
            negate: false,
            nodes: vec![node(Operator::And, vec![])],
        };
        assert!(!empty.matches(&[]));
    }
}
