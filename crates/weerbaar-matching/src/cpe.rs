//! Matching components by CPE against NVD configurations.
//!
//! # Design
//!
//! * **Compile once** ([`CpeIndex::build`]). Every configuration of every non-rejected CVE is
//!   stored once and listed under the `vendor:product` (unquoted, lower case) of each of its
//!   *vulnerable* criteria; a criterion with `vulnerable: false` describes a platform and never
//!   makes a match on its own, so it is not a key. Criteria whose vendor or product is ANY or
//!   has wildcards go to a short list that every lookup scans. Configurations that cannot
//!   produce a match (negated, no vulnerable criterion) are counted and skipped. The index is
//!   plain owned data with serde derives, for an on-disk cache (postcard, through
//!   `persist::save_cache`); criteria are kept as NVD's `CpeMatch`, serialised as a plain
//!   mirror of its fields, and their CPE names are validated again when read back.
//! * **NVD semantics per criterion** ([`CpeMatch::matches`]): CPE 2.3 attribute matching with
//!   wildcards (NISTIR 7696), `versionStart/End Including/Excluding` compared with the generic
//!   version scheme, OR/AND nodes and `negate` as [`Configuration::matches`] documents.
//! * **One component, unknown platform.** A component is one CPE; the rest of its machine is
//!   not known here. For "running on/with" configurations (`AND(OR(app, vulnerable),
//!   OR(platform, not vulnerable))`) the platform criteria are assumed satisfied, so the
//!   vulnerable node decides alone, as Dependency-Track and grype do. A node made only of
//!   platform criteria holds whether or not it is negated (unknown). Criteria with
//!   `vulnerable: true` must match the component: an `AND` that needs two vulnerable products
//!   is never met by one component.
//! * **Unknown attributes.** Where the component's CPE leaves `edition`, `language`,
//!   `sw_edition`, `target_sw`, `target_hw` or `other` as ANY and the criterion names a value
//!   (NVD's Windows criteria name `x64`, Microsoft 365 Apps `enterprise`), the component is
//!   taken to have that value: inventories rarely know it, and strict 7696 semantics would then
//!   never match. Vendor, product, version and update stay strict; in particular a component
//!   without a version (`*`) matches no version range and no criterion for a specific version,
//!   only criteria for every version.
//! * **Where the CPE comes from** ([`CpeComponent`]): a component's own CPE
//!   ([`MatchedBy::Cpe`]) — a CPE 2.3 formatted string, or a CPE 2.2 URI (`cpe:/a:v:p:1.0`),
//!   converted; if its version is ANY and the inventory has a version, that version is filled
//!   in — otherwise a guess from the [`Mapping`] table ([`MatchedBy::NameMapping`]). A
//!   component whose CPE does not parse and that has no mapping is not matched.
//! * **Evaluate each distinct CPE once**, as [`Matcher`](crate::Matcher) does with packages:
//!   components are grouped by (CPE, how it was obtained) and each [`CpeFinding`] lists the
//!   input indices. One finding per (CPE, CVE), with the vulnerable criteria that matched and
//!   the `versionEndExcluding` bounds of those criteria as fixed versions
//!   (`versionEndIncluding` names the last affected version, not a fix).

use std::collections::{BTreeSet, HashMap};

use serde::{Deserialize, Serialize};
use weerbaar_advisories::nvd::{
    AttrValue, Attribute, Configuration, Cpe, CpeMatch, Cve, Operator, quote,
};
use weerbaar_inventory::model::Component;

use crate::mapping::Mapping;
use crate::matcher::MatchedBy;

/// Something in a CVE the index could not use.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CpeWarning {
    pub cve: String,
    /// What was skipped, with the JSON path (`$.configurations[1]`).
    pub message: String,
}

/// Counts from [`CpeIndex::build`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CpeIndexStats {
    /// CVEs given.
    pub cves: usize,
    /// Rejected CVEs (never matched).
    pub rejected: usize,
    /// CVEs without configurations (not yet analysed by NVD).
    pub without_configurations: usize,
    /// Configurations indexed.
    pub configurations: usize,
    /// Configurations skipped: negated, or without a vulnerable criterion.
    pub skipped_configurations: usize,
    /// Criteria (vulnerable or not) in the indexed configurations.
    pub criteria: usize,
    /// Vulnerable criteria whose vendor or product is ANY or a wildcard (scanned on every
    /// lookup).
    pub wildcard_criteria: usize,
}

/// A node of a stored configuration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct StoredNode {
    operator: Operator,
    negate: bool,
    #[serde(with = "wire")]
    criteria: Vec<CpeMatch>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct StoredConfig {
    operator: Operator,
    nodes: Vec<StoredNode>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct StoredCve {
    id: String,
    configurations: Vec<StoredConfig>,
}

/// NVD configurations compiled for lookup by the vendor and product of their vulnerable
/// criteria. See the module documentation.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CpeIndex {
    cves: Vec<StoredCve>,
    /// `vendor:product` → (CVE, configuration) indices.
    by_product: HashMap<String, Vec<(u32, u32)>>,
    /// Configurations with a vulnerable criterion whose vendor or product is not a plain value.
    wildcard: Vec<(u32, u32)>,
    warnings: Vec<CpeWarning>,
    stats: CpeIndexStats,
}

/// The lookup key of a vendor and product: unquoted and lower case; `None` for ANY, NA or
/// wildcards.
fn key_of(vendor: AttrValue<'_>, product: AttrValue<'_>) -> Option<String> {
    if vendor.has_wildcard() || product.has_wildcard() {
        return None;
    }
    let v = vendor.unquoted()?;
    let p = product.unquoted()?;
    Some(format!("{}:{}", v.to_lowercase(), p.to_lowercase()))
}

impl CpeIndex {
    /// Compiles `cves`. Rejected CVEs are counted and left out; configurations that can never
    /// report a component vulnerable are skipped with a warning. Never panics.
    #[must_use]
    pub fn build(cves: &[Cve]) -> Self {
        let mut index = Self::default();
        index.stats.cves = cves.len();
        for cve in cves {
            if cve.is_rejected() {
                index.stats.rejected += 1;
                continue;
            }
            if cve.configurations.is_empty() {
                index.stats.without_configurations += 1;
                continue;
            }
            let Ok(ci) = u32::try_from(index.cves.len()) else {
                index.warn(
                    &cve.id,
                    "more than 2^32 CVEs: the rest are not indexed".into(),
                );
                break;
            };
            let mut stored = StoredCve {
                id: cve.id.clone(),
                configurations: Vec::new(),
            };
            for (k, config) in cve.configurations.iter().enumerate() {
                if let Some(reason) = unusable(config) {
                    index.stats.skipped_configurations += 1;
                    index.warn(&cve.id, format!("$.configurations[{k}]: {reason}; skipped"));
                    continue;
                }
                let Ok(gi) = u32::try_from(stored.configurations.len()) else {
                    break;
                };
                let mut keys = BTreeSet::new();
                let mut wild = false;
                for node in &config.nodes {
                    index.stats.criteria += node.cpe_match.len();
                    for m in node.cpe_match.iter().filter(|m| m.vulnerable) {
                        let c = &m.criteria;
                        match key_of(c.vendor(), c.product()) {
                            Some(key) => {
                                keys.insert(key);
                            }
                            None => {
                                index.stats.wildcard_criteria += 1;
                                wild = true;
                            }
                        }
                    }
                }
                for key in keys {
                    index.by_product.entry(key).or_default().push((ci, gi));
                }
                if wild {
                    index.wildcard.push((ci, gi));
                }
                index.stats.configurations += 1;
                stored.configurations.push(StoredConfig {
                    operator: config.operator,
                    nodes: config
                        .nodes
                        .iter()
                        .map(|n| StoredNode {
                            operator: n.operator,
                            negate: n.negate,
                            criteria: n.cpe_match.clone(),
                        })
                        .collect(),
                });
            }
            index.cves.push(stored);
        }
        index
    }

    fn warn(&mut self, cve: &str, message: String) {
        self.warnings.push(CpeWarning {
            cve: cve.to_owned(),
            message,
        });
    }

    /// What could not be used.
    #[must_use]
    pub fn warnings(&self) -> &[CpeWarning] {
        &self.warnings
    }

    /// Counts from the build.
    #[must_use]
    pub fn stats(&self) -> CpeIndexStats {
        self.stats
    }

    /// The CVEs that `cpe` (one product) is vulnerable to, with what matched. Sorted by CVE id.
    #[must_use]
    pub fn match_cpe(&self, cpe: &Cpe) -> Vec<CpeHit> {
        let mut candidates: Vec<(u32, u32)> = key_of(cpe.vendor(), cpe.product())
            .and_then(|k| self.by_product.get(&k))
            .cloned()
            .unwrap_or_default();
        candidates.extend_from_slice(&self.wildcard);
        candidates.sort_unstable();
        candidates.dedup();
        let mut hits: Vec<CpeHit> = Vec::new();
        for (ci, gi) in candidates {
            let Some(cve) = self.cves.get(ci as usize) else {
                continue;
            };
            let Some(config) = cve.configurations.get(gi as usize) else {
                continue;
            };
            let mut matched = Vec::new();
            if !evaluate(config, cpe, &mut matched) {
                continue;
            }
            let hit = match hits.last_mut() {
                Some(h) if h.cve == cve.id => h,
                _ => {
                    hits.push(CpeHit {
                        cve: cve.id.clone(),
                        criteria: Vec::new(),
                        fixed: Vec::new(),
                    });
                    match hits.last_mut() {
                        Some(h) => h,
                        None => continue,
                    }
                }
            };
            for m in matched {
                hit.criteria.push(describe(m));
                if let Some(end) = m.end.as_ref().filter(|b| !b.inclusive) {
                    hit.fixed.push(end.version.clone());
                }
            }
        }
        for h in &mut hits {
            h.criteria.sort();
            h.criteria.dedup();
            h.fixed.sort();
            h.fixed.dedup();
        }
        hits.sort_by(|a, b| a.cve.cmp(&b.cve));
        hits
    }
}

/// Why a configuration can never report a component vulnerable, if it cannot.
fn unusable(config: &Configuration) -> Option<&'static str> {
    if config.negate {
        return Some("a negated configuration never makes a product vulnerable");
    }
    let vulnerable = config
        .nodes
        .iter()
        .filter(|n| !n.negate)
        .flat_map(|n| &n.cpe_match)
        .any(|m| m.vulnerable);
    (!vulnerable).then_some("no vulnerable criterion outside negated nodes")
}

/// A criterion as a finding shows it: the CPE with its range, if any.
fn describe(m: &CpeMatch) -> String {
    let mut s = m.criteria.as_str().to_owned();
    if let Some(b) = &m.start {
        s.push_str(if b.inclusive { " >=" } else { " >" });
        s.push_str(&b.version);
    }
    if let Some(b) = &m.end {
        s.push_str(if b.inclusive { " <=" } else { " <" });
        s.push_str(&b.version);
    }
    s
}

/// The attributes a component's CPE may leave unknown (see the module documentation).
const OPTIMISTIC: [Attribute; 6] = [
    Attribute::Edition,
    Attribute::Language,
    Attribute::SwEdition,
    Attribute::TargetSw,
    Attribute::TargetHw,
    Attribute::Other,
];

fn raw(v: AttrValue<'_>) -> &str {
    match v {
        AttrValue::Any => "*",
        AttrValue::Na => "-",
        AttrValue::Value(v) => v,
    }
}

/// Whether criterion `m` covers `cpe`, with `cpe`'s unknown trailing attributes taken from the
/// criterion.
fn criterion_matches(m: &CpeMatch, cpe: &Cpe) -> bool {
    let c = &m.criteria;
    let fill = OPTIMISTIC
        .iter()
        .any(|&a| cpe.get(a) == AttrValue::Any && c.get(a) != AttrValue::Any);
    if !fill {
        return m.matches(cpe);
    }
    let attrs: Vec<&str> = Attribute::ALL
        .iter()
        .map(|&a| {
            let own = cpe.get(a);
            if OPTIMISTIC.contains(&a) && own == AttrValue::Any {
                raw(c.get(a))
            } else {
                raw(own)
            }
        })
        .collect();
    let text = format!("cpe:2.3:{}:{}", cpe.part().letter(), attrs.join(":"));
    Cpe::parse(&text).is_ok_and(|filled| m.matches(&filled))
}

#[derive(Clone, Copy)]
struct Outcome {
    holds: bool,
    vulnerable: bool,
}

fn evaluate_node<'a>(node: &'a StoredNode, cpe: &Cpe, matched: &mut Vec<&'a CpeMatch>) -> Outcome {
    if node.criteria.is_empty() {
        return Outcome {
            holds: node.negate,
            vulnerable: false,
        };
    }
    if node.criteria.iter().all(|m| !m.vulnerable) {
        // Only platform criteria: the platform is unknown, assume the condition is met.
        return Outcome {
            holds: true,
            vulnerable: false,
        };
    }
    let before = matched.len();
    // A platform criterion is assumed to hold; a vulnerable one must match the component.
    let mut hit = |m: &'a CpeMatch| {
        if !m.vulnerable {
            return (true, false);
        }
        let h = criterion_matches(m, cpe);
        if h {
            matched.push(m);
        }
        (h, h)
    };
    let (holds, vulnerable) = match node.operator {
        Operator::Or => node
            .criteria
            .iter()
            .map(&mut hit)
            .fold((false, false), |(h, v), (hh, vv)| (h || hh, v || vv)),
        Operator::And => {
            let all: Vec<(bool, bool)> = node.criteria.iter().map(&mut hit).collect();
            let holds = all.iter().all(|&(h, _)| h);
            (holds, holds && all.iter().any(|&(_, v)| v))
        }
    };
    if node.negate {
        matched.truncate(before);
        return Outcome {
            holds: !holds,
            vulnerable: false,
        };
    }
    if !holds {
        matched.truncate(before);
    }
    Outcome { holds, vulnerable }
}

fn evaluate<'a>(config: &'a StoredConfig, cpe: &Cpe, matched: &mut Vec<&'a CpeMatch>) -> bool {
    if config.nodes.is_empty() {
        return false;
    }
    let outcomes: Vec<Outcome> = config
        .nodes
        .iter()
        .map(|n| evaluate_node(n, cpe, matched))
        .collect();
    match config.operator {
        Operator::Or => outcomes.iter().any(|o| o.holds && o.vulnerable),
        Operator::And => outcomes.iter().all(|o| o.holds) && outcomes.iter().any(|o| o.vulnerable),
    }
}

/// One CVE matched by one CPE.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CpeHit {
    pub cve: String,
    /// The vulnerable criteria that matched, with their range (`cpe:2.3:o:fortinet:fortios:*:… >=7.2.0 <7.2.5`).
    pub criteria: Vec<String>,
    /// `versionEndExcluding` bounds of those criteria, sorted (empty: none known).
    pub fixed: Vec<String>,
}

/// One component instance to match by CPE.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CpeComponent<'a> {
    /// The component's own CPE (2.3 formatted string or 2.2 URI).
    pub cpe: Option<&'a str>,
    pub vendor: Option<&'a str>,
    pub name: &'a str,
    pub version: Option<&'a str>,
}

impl<'a> CpeComponent<'a> {
    /// The fields of an inventory component.
    #[must_use]
    pub fn from_component(c: &'a Component) -> Self {
        Self {
            cpe: c.cpe.as_deref(),
            vendor: c.vendor.as_deref(),
            name: &c.name,
            version: c.version.as_deref(),
        }
    }
}

/// One CVE affecting one distinct CPE.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CpeFinding {
    /// Indices into the matched slice of every component with this CPE.
    pub components: Vec<usize>,
    pub cve: String,
    /// The CPE that was matched: the component's own (version filled in) or the guessed one.
    pub cpe: String,
    /// The vulnerable criteria that matched.
    pub criteria: Vec<String>,
    /// Fixed versions (`versionEndExcluding` bounds), sorted.
    pub fixed: Vec<String>,
    /// [`MatchedBy::Cpe`] or [`MatchedBy::NameMapping`].
    pub matched_by: MatchedBy,
}

/// Matches components by CPE; see the module documentation.
#[derive(Debug, Clone, Copy, Default)]
pub struct CpeMatcher;

impl CpeMatcher {
    /// The CPEs a component is matched under, and how they were obtained; empty when it has no
    /// usable CPE and no mapping row applies.
    #[must_use]
    pub fn resolve(mapping: &Mapping, c: &CpeComponent<'_>) -> (Vec<Cpe>, MatchedBy) {
        if let Some(cpe) = c.cpe.and_then(|s| own_cpe(s, c.version)) {
            return (vec![cpe], MatchedBy::Cpe);
        }
        match mapping.lookup(c.vendor, c.name, c.version) {
            Some(g) => (g.cpes, MatchedBy::NameMapping),
            None => (Vec::new(), MatchedBy::NameMapping),
        }
    }

    /// Matches `components` against `index`, evaluating each distinct CPE once. Findings are
    /// ordered by first component, then CVE id.
    #[must_use]
    pub fn match_components(
        index: &CpeIndex,
        mapping: &Mapping,
        components: &[CpeComponent<'_>],
    ) -> Vec<CpeFinding> {
        let mut order: Vec<(Cpe, MatchedBy)> = Vec::new();
        let mut users: Vec<Vec<usize>> = Vec::new();
        let mut seen: HashMap<(String, MatchedBy), usize> = HashMap::new();
        // Resolving (a table lookup) is the costly part for large inventories: once per
        // distinct component.
        let mut resolved: HashMap<CpeComponent<'_>, (Vec<Cpe>, MatchedBy)> = HashMap::new();
        for (i, c) in components.iter().enumerate() {
            let (cpes, by) = resolved
                .entry(*c)
                .or_insert_with(|| Self::resolve(mapping, c))
                .clone();
            for cpe in cpes {
                let key = (cpe.as_str().to_ascii_lowercase(), by);
                let slot = *seen.entry(key).or_insert_with(|| {
                    order.push((cpe, by));
                    users.push(Vec::new());
                    order.len() - 1
                });
                if let Some(u) = users.get_mut(slot)
                    && u.last() != Some(&i)
                {
                    u.push(i);
                }
            }
        }
        let mut findings = Vec::new();
        for ((cpe, by), comps) in order.iter().zip(users) {
            for hit in index.match_cpe(cpe) {
                findings.push(CpeFinding {
                    components: comps.clone(),
                    cve: hit.cve,
                    cpe: cpe.as_str().to_owned(),
                    criteria: hit.criteria,
                    fixed: hit.fixed,
                    matched_by: *by,
                });
            }
        }
        findings.sort_by(|a, b| {
            a.components
                .first()
                .cmp(&b.components.first())
                .then_with(|| a.cve.cmp(&b.cve))
                .then_with(|| a.cpe.cmp(&b.cpe))
        });
        findings
    }
}

/// The component's own CPE, parsed (2.3 or 2.2 URI), with its version filled in from the
/// inventory when the CPE leaves it ANY.
fn own_cpe(text: &str, version: Option<&str>) -> Option<Cpe> {
    let text = text.trim();
    let cpe = if text.starts_with("cpe:/") {
        Cpe::parse(&from_uri(text)?).ok()?
    } else {
        Cpe::parse(text).ok()?
    };
    let Some(v) = version.map(str::trim).filter(|v| !v.is_empty()) else {
        return Some(cpe);
    };
    if cpe.version() != AttrValue::Any {
        return Some(cpe);
    }
    let attrs: Vec<String> = Attribute::ALL
        .iter()
        .map(|&a| {
            if a == Attribute::Version {
                quote(v).into_owned()
            } else {
                raw(cpe.get(a)).to_owned()
            }
        })
        .collect();
    // A version that cannot be bound (spaces, non-ASCII) leaves the CPE as given.
    Cpe::parse(&format!(
        "cpe:2.3:{}:{}",
        cpe.part().letter(),
        attrs.join(":")
    ))
    .ok()
    .or(Some(cpe))
}

/// Converts a CPE 2.2 URI (`cpe:/a:vendor:product:version:update:edition:language`) to a 2.3
/// formatted string: percent-decoding, then quoting as 2.3 requires. Missing or empty
/// components are ANY, `-` is NA. A packed edition (`~`) and the wildcard encodings `%01` and
/// `%02` are not supported (`None`).
fn from_uri(uri: &str) -> Option<String> {
    let body = uri.strip_prefix("cpe:/")?;
    let comps: Vec<&str> = body.split(':').collect();
    if comps.len() > 7 {
        return None;
    }
    // 2.2 URIs are case-insensitive; the 2.3 part must be lower case.
    let part = comps.first()?.to_ascii_lowercase();
    if !matches!(part.as_str(), "a" | "o" | "h") {
        return None;
    }
    let mut out = format!("cpe:2.3:{part}");
    for i in 1..11 {
        let value = comps.get(i).copied().unwrap_or("");
        out.push(':');
        match value {
            "" => out.push('*'),
            "-" => out.push('-'),
            v => {
                if v.contains('~') {
                    return None;
                }
                let decoded = percent_decode(v)?;
                out.push_str(&quote(&decoded));
            }
        }
    }
    Some(out)
}

fn percent_decode(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        if c == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            let v = u8::from_str_radix(hex, 16).ok()?;
            if v < 0x20 {
                return None;
            }
            out.push(v);
            i += 3;
        } else {
            out.push(c);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Serialises criteria as a plain mirror of `CpeMatch` (every field, in a fixed order, nothing
/// skipped), so both self-describing formats (JSON) and compact ones (postcard, used by the
/// file cache, which cannot skip fields) round-trip it. The CPE name is read back through
/// `Cpe`'s own validating `Deserialize`.
mod wire {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};
    use weerbaar_advisories::nvd::{Cpe, CpeMatch, VersionBound};

    #[derive(Serialize, Deserialize)]
    struct Stored {
        vulnerable: bool,
        criteria: Cpe,
        match_criteria_id: String,
        /// (version, inclusive)
        start: Option<(String, bool)>,
        end: Option<(String, bool)>,
    }

    fn bound(b: Option<&VersionBound>) -> Option<(String, bool)> {
        b.map(|b| (b.version.clone(), b.inclusive))
    }

    fn unbound(b: Option<(String, bool)>) -> Option<VersionBound> {
        b.map(|(version, inclusive)| VersionBound { version, inclusive })
    }

    pub(super) fn serialize<S: Serializer>(v: &[CpeMatch], s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(v.iter().map(|m| Stored {
            vulnerable: m.vulnerable,
            criteria: m.criteria.clone(),
            match_criteria_id: m.match_criteria_id.clone(),
            start: bound(m.start.as_ref()),
            end: bound(m.end.as_ref()),
        }))
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<CpeMatch>, D::Error> {
        Ok(Vec::<Stored>::deserialize(d)?
            .into_iter()
            .map(|m| CpeMatch {
                vulnerable: m.vulnerable,
                criteria: m.criteria,
                match_criteria_id: m.match_criteria_id,
                start: unbound(m.start),
                end: unbound(m.end),
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uri_conversion() {
        assert_eq!(
            from_uri("cpe:/o:fortinet:fortios:7.2.4").as_deref(),
            Some("cpe:2.3:o:fortinet:fortios:7.2.4:*:*:*:*:*:*:*")
        );
        assert_eq!(
            from_uri("cpe:/a:veeam:backup_%26_replication:12.1:-").as_deref(),
            Some("cpe:2.3:a:veeam:backup_\\&_replication:12.1:-:*:*:*:*:*:*")
        );
        assert_eq!(
            from_uri("cpe:/O:Fortinet:FortiOS").as_deref(),
            Some("cpe:2.3:o:Fortinet:FortiOS:*:*:*:*:*:*:*:*")
        );
        assert_eq!(from_uri("cpe:/x:a:b"), None);
        assert_eq!(from_uri("cpe:/a:b:c:%zz"), None);
        assert_eq!(from_uri("cpe:/a:b:c:1:2:~x~y~z~w~:en:extra"), None);
    }

    #[test]
    fn own_cpe_fills_version() {
        let c =
            own_cpe("cpe:2.3:o:fortinet:fortios:*:*:*:*:*:*:*:*", Some("7.2.4")).expect("valid");
        assert_eq!(c.as_str(), "cpe:2.3:o:fortinet:fortios:7.2.4:*:*:*:*:*:*:*");
        let c = own_cpe(
            "cpe:2.3:o:fortinet:fortios:7.0.1:*:*:*:*:*:*:*",
            Some("7.2.4"),
        )
        .expect("valid");
        assert_eq!(c.as_str(), "cpe:2.3:o:fortinet:fortios:7.0.1:*:*:*:*:*:*:*");
        assert!(own_cpe("not a cpe", Some("1")).is_none());
    }
}
