//! The name-mapping table: inventory vendor/product names → CPE `part:vendor:product`.
//!
//! Inventories (Lansweeper, Intune, GLPI, spreadsheets) name software the way installers do
//! ("Fortinet FortiGate", "Microsoft Edge", "Veeam Backup & Replication"), not the way NVD does
//! (`o:fortinet:fortios`, `a:microsoft:edge_chromium`, `a:veeam:veeam_backup_\&_replication`).
//! For the products that dominate CISA's KEV catalog and municipal estates, this table guesses
//! the CPE. Every finding made through it is labelled [`MatchedBy::NameMapping`](crate::MatchedBy)
//! and carries the guessed CPE, so users can judge it.
//!
//! # File format
//!
//! The built-in table is `data/cpe-mapping.csv` in this crate ([`Mapping::builtin`]); users can
//! load their own file in the same format ([`Mapping::parse`]) and layer it on top
//! ([`Mapping::with`]). It is a comma-separated file without quoting (no field may contain a
//! comma). Lines starting with `#` and blank lines are ignored. The first other line must be
//! the header `cpe,names,version,kev`. Each row has two to four fields:
//!
//! 1. `cpe`: `part:vendor:product` as in a CPE 2.3 formatted string (`o:fortinet:fortios`,
//!    `a:veeam:veeam_backup_\&_replication`: quoting as in CPE 2.3). Several, separated by
//!    `;`, when NVD names one product in more than one way (it renamed Pulse Connect Secure
//!    to Ivanti Connect Secure and Zimbra's vendor from `synacor` to `zimbra`, and keeps
//!    the old names in old records): the component is then matched under each.
//! 2. `names`: aliases separated by `;`. Matching ignores case and treats every run of
//!    characters other than letters and digits as one space (`Veeam Backup & Replication` =
//!    `veeam backup replication`). An alias ending in `*` is a prefix: `Microsoft Windows 10 *`
//!    (space before `*`) matches the name itself or the name followed by more words;
//!    `Microsoft Exchange Server 2019 CU*` (no space) matches any continuation, `…CU12`
//!    included. An exact alias wins over a prefix, a longer prefix over a shorter one.
//! 3. `version` (optional): directives separated by `;`:
//!    * `strip-prefix=TEXT` — remove TEXT (case-insensitive) from the front of the component's
//!      version, once; may be repeated, the first that applies is used;
//!    * `when-prefix=TEXT` — the row applies only when the (stripped) version starts with TEXT
//!      followed by the end or a character other than a letter or digit. Several rows may then
//!      share an alias: the longest matching `when-prefix` wins, a row without one is the
//!      fallback. This maps Windows builds to NVD's per-release products (`10.0.19045` →
//!      `windows_10_22h2`);
//!    * `version=TEMPLATE`, `update=TEMPLATE` — the CPE's version (default `{version}`) and
//!      update (default `*`). `{version}` is the (stripped) component version, `{rest}` the
//!      part of the normalised name after a prefix alias, with spaces as `_`. So Exchange
//!      ("Microsoft Exchange Server 2019 CU12") becomes `exchange_server:2019:cumulative_update_12`
//!      with `version=2019;update=cumulative_update_{rest}`, as NVD names Exchange.
//!
//!    No regular expressions: the rules stay reviewable by the people who edit the file.
//! 4. `kev` (optional): `vendorProject/product` of a CISA KEV entry for the product (the
//!    product part is a case-insensitive substring of the KEV `product`), as evidence that the
//!    row matters. A test checks every such reference against the KEV catalog. Rows without
//!    one are products common in municipal estates that have no KEV entry of their own.
//!
//! # Lookup
//!
//! [`Mapping::lookup`] tries, in this order, the vendor and name together (`Fortinet` +
//! `FortiGate` → `fortinet fortigate`; legal-form words such as `Inc.` and `Corporation` are
//! dropped from the vendor, and a name that already starts with the vendor is not prefixed
//! twice) and then the name alone. So an alias that is ambiguous on its own (`Edge`) is written
//! with its vendor (`Microsoft Edge`) and matches both `Microsoft`/`Edge` and a bare
//! `Microsoft Edge`.
//!
//! # Layering
//!
//! In [`Mapping::with`], a row of the user's file replaces every earlier row that has the same
//! alias and `when-prefix`; the other built-in rows stay. Within one file such a duplicate is
//! an error naming both lines.

use std::collections::HashMap;
use std::fmt;

use weerbaar_advisories::nvd::{Cpe, Part, quote};

/// The built-in table.
pub const BUILTIN_FILE: &str = "cpe-mapping.csv";
const BUILTIN: &str = include_str!("../data/cpe-mapping.csv");
const HEADER: &str = "cpe,names,version,kev";

/// A problem in a mapping file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MappingError {
    /// The file name given to [`Mapping::parse`].
    pub file: String,
    /// The 1-based line.
    pub line: usize,
    pub message: String,
}

impl fmt::Display for MappingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.file, self.line, self.message)
    }
}

impl std::error::Error for MappingError {}

/// One name: normalised text, and whether it is a prefix (and if so whether it must end at a
/// word boundary).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Alias {
    /// As written in the file.
    pub written: String,
    /// Normalised (see the module documentation), without the `*`.
    pub normalised: String,
    /// Ends in `*`.
    pub prefix: bool,
    /// For a prefix: the name must continue with a space (or end there).
    pub word_boundary: bool,
}

/// How a component's version becomes the CPE's version and update.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VersionRule {
    pub strip_prefix: Vec<String>,
    pub when_prefix: Option<String>,
    pub version: Option<String>,
    pub update: Option<String>,
}

/// One row of a mapping file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MappingRow {
    /// The products: part, and vendor and product quoted as in a formatted string.
    pub cpes: Vec<(Part, String, String)>,
    pub names: Vec<Alias>,
    pub version: VersionRule,
    /// `vendorProject` and product substring of a KEV entry.
    pub kev: Option<(String, String)>,
    /// Where the row was read.
    pub file: String,
    pub line: usize,
}

/// A CPE guessed through the table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Guess {
    /// The guessed CPE 2.3 names (valid: they parsed), one per product of the row.
    pub cpes: Vec<Cpe>,
    /// Index of the row in [`Mapping::rows`].
    pub row: usize,
}

/// The table, ready for lookup.
#[derive(Debug, Clone, Default)]
pub struct Mapping {
    rows: Vec<MappingRow>,
    /// Normalised exact alias → rows (distinct `when-prefix`es).
    exact: HashMap<String, Vec<usize>>,
    /// Prefix aliases, longest first: (normalised, word boundary, row).
    prefixes: Vec<(String, bool, usize)>,
}

/// Lower case; each run of characters other than ASCII letters and digits (and other
/// alphanumerics) becomes one space; trimmed.
#[must_use]
pub fn normalise(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut gap = false;
    for c in s.chars() {
        if c.is_alphanumeric() {
            if gap && !out.is_empty() {
                out.push(' ');
            }
            gap = false;
            out.extend(c.to_lowercase());
        } else {
            gap = true;
        }
    }
    out
}

/// Words of a legal form at the end of a vendor name, dropped before lookup.
const LEGAL_FORMS: &[&str] = &[
    "inc",
    "incorporated",
    "corp",
    "corporation",
    "co",
    "company",
    "ltd",
    "limited",
    "llc",
    "gmbh",
    "ag",
    "bv",
    "nv",
    "sa",
    "plc",
    "s a",
    "b v",
    "n v",
];

fn normalise_vendor(vendor: &str) -> String {
    let mut v = normalise(vendor);
    loop {
        let before = v.len();
        for form in LEGAL_FORMS {
            if let Some(head) = v.strip_suffix(form)
                && (head.is_empty() || head.ends_with(' '))
            {
                v = head.trim_end().to_owned();
                break;
            }
        }
        if v.len() == before || v.is_empty() {
            return v;
        }
    }
}

impl Mapping {
    /// The built-in table shipped with the crate.
    ///
    /// # Errors
    /// Only if the shipped file is broken, which a test rules out.
    pub fn builtin() -> Result<Self, MappingError> {
        Self::parse(BUILTIN, BUILTIN_FILE)
    }

    /// Parses a mapping file (format in the module documentation); `file` names it in errors.
    ///
    /// # Errors
    /// The first problem found, with the file and the 1-based line. Never panics.
    pub fn parse(text: &str, file: &str) -> Result<Self, MappingError> {
        let mut rows = Vec::new();
        let mut header_seen = false;
        let mut seen: HashMap<(String, bool, bool, Option<String>), usize> = HashMap::new();
        for (i, raw) in text.lines().enumerate() {
            let line = i + 1;
            let err = |message: String| MappingError {
                file: file.to_owned(),
                line,
                message,
            };
            let trimmed = raw.trim().trim_start_matches('\u{feff}');
            if trimmed.is_empty() || trimmed.starts_with('#') {
                continue;
            }
            if !header_seen {
                let fields: Vec<String> = trimmed.split(',').map(|f| f.trim().to_owned()).collect();
                if fields.join(",") != HEADER {
                    return Err(err(format!(
                        "expected the header {HEADER:?} before the first row, found {trimmed:?}"
                    )));
                }
                header_seen = true;
                continue;
            }
            let row = parse_row(trimmed, file, line).map_err(err)?;
            for alias in &row.names {
                let key = (
                    alias.normalised.clone(),
                    alias.prefix,
                    alias.word_boundary,
                    row.version.when_prefix.clone(),
                );
                if let Some(first) = seen.insert(key, line) {
                    return Err(err(format!(
                        "alias {:?} is already mapped on line {first}{}",
                        alias.written,
                        row.version
                            .when_prefix
                            .as_deref()
                            .map(|p| format!(" with when-prefix={p}"))
                            .unwrap_or_default()
                    )));
                }
            }
            rows.push(row);
        }
        Ok(Self::from_rows(rows))
    }

    /// This table with `user`'s rows layered on top: a user row replaces every row here with
    /// the same alias and `when-prefix`.
    #[must_use]
    pub fn with(self, user: Mapping) -> Self {
        let mut rows = self.rows;
        rows.extend(user.rows);
        Self::from_rows(rows)
    }

    fn from_rows(rows: Vec<MappingRow>) -> Self {
        // Later rows win: the key names the alias and the version condition.
        let mut owner: HashMap<(&str, bool, bool, Option<&str>), usize> = HashMap::new();
        for (r, row) in rows.iter().enumerate() {
            for a in &row.names {
                owner.insert(
                    (
                        a.normalised.as_str(),
                        a.prefix,
                        a.word_boundary,
                        row.version.when_prefix.as_deref(),
                    ),
                    r,
                );
            }
        }
        let mut exact: HashMap<String, Vec<usize>> = HashMap::new();
        let mut prefixes = Vec::new();
        let mut entries: Vec<_> = owner.into_iter().collect();
        entries.sort_by_key(|&(_, r)| r);
        for ((name, prefix, boundary, _), r) in entries {
            if prefix {
                prefixes.push((name.to_owned(), boundary, r));
            } else {
                exact.entry(name.to_owned()).or_default().push(r);
            }
        }
        prefixes.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.2.cmp(&b.2)));
        Self {
            rows,
            exact,
            prefixes,
        }
    }

    /// The rows, in file order (built-in rows first after [`with`](Self::with)).
    #[must_use]
    pub fn rows(&self) -> &[MappingRow] {
        &self.rows
    }

    /// Guesses a CPE for a component named `name` by `vendor` at `version` (see the module
    /// documentation). `None` when no row applies or the result is not a valid CPE name (a
    /// version with spaces, for instance). A missing version gives the CPE version `*`, which
    /// matches only criteria for every version.
    #[must_use]
    pub fn lookup(&self, vendor: Option<&str>, name: &str, version: Option<&str>) -> Option<Guess> {
        let name_n = normalise(name);
        let mut keys = Vec::with_capacity(2);
        if let Some(v) = vendor.map(normalise_vendor).filter(|v| !v.is_empty())
            && !(name_n == v || name_n.starts_with(&format!("{v} ")))
        {
            keys.push(format!("{v} {name_n}"));
        }
        keys.push(name_n);
        keys.iter()
            .filter(|k| !k.is_empty())
            .find_map(|k| self.lookup_key(k, version))
    }

    fn lookup_key(&self, key: &str, version: Option<&str>) -> Option<Guess> {
        if let Some(rows) = self.exact.get(key)
            && let Some(g) = self.pick(rows.iter().copied(), version, "")
        {
            return Some(g);
        }
        // Longest prefix first; rows sharing that prefix compete on their when-prefix.
        let mut i = 0;
        while let Some((p, boundary, _)) = self.prefixes.get(i) {
            let same: Vec<usize> = self
                .prefixes
                .iter()
                .skip(i)
                .take_while(|(q, b, _)| q == p && b == boundary)
                .map(|&(_, _, r)| r)
                .collect();
            i += same.len().max(1);
            let rest = match key.strip_prefix(p.as_str()) {
                Some(rest) if !*boundary => rest,
                Some("") => "",
                Some(rest) if rest.starts_with(' ') => rest,
                _ => continue,
            };
            if let Some(g) = self.pick(same.into_iter(), version, rest.trim()) {
                return Some(g);
            }
        }
        None
    }

    /// The row among `rows` whose version condition fits best, turned into a CPE.
    fn pick(
        &self,
        rows: impl Iterator<Item = usize>,
        version: Option<&str>,
        rest: &str,
    ) -> Option<Guess> {
        let mut best: Option<(usize, usize)> = None;
        for r in rows {
            let Some(row) = self.rows.get(r) else {
                continue;
            };
            let stripped = version.map(|v| strip(v.trim(), &row.version.strip_prefix));
            let score = match (&row.version.when_prefix, stripped) {
                (None, _) => 0,
                (Some(p), Some(v)) if has_version_prefix(v, p) => p.len() + 1,
                (Some(_), _) => continue,
            };
            if best.is_none_or(|(s, _)| score > s) {
                best = Some((score, r));
            }
        }
        let (_, r) = best?;
        let row = self.rows.get(r)?;
        let stripped = version.map(|v| strip(v.trim(), &row.version.strip_prefix));
        let fill = |template: &str| -> Option<String> {
            let mut out = template.to_owned();
            if out.contains("{version}") {
                out = out.replace("{version}", stripped.filter(|v| !v.is_empty())?);
            }
            Some(out.replace("{rest}", &rest.replace(' ', "_")))
        };
        // A template that is exactly `-` or `*` means NA or ANY, not the literal character.
        let attr = |v: String| match v.as_str() {
            "-" | "*" => v,
            _ => quote(&v).into_owned(),
        };
        let version_attr = match fill(row.version.version.as_deref().unwrap_or("{version}")) {
            Some(v) if !v.is_empty() => attr(v),
            _ => "*".to_owned(),
        };
        let update_attr = match row.version.update.as_deref().map(fill) {
            None => "*".to_owned(),
            Some(Some(u)) if !u.is_empty() => attr(u),
            // The update needs a part of the name or version the component does not have.
            Some(_) => return None,
        };
        let cpes: Vec<Cpe> = row
            .cpes
            .iter()
            .filter_map(|(part, vendor, product)| {
                let text = format!(
                    "cpe:2.3:{}:{vendor}:{product}:{version_attr}:{update_attr}:*:*:*:*:*:*",
                    part.letter()
                );
                Cpe::parse(&text).ok()
            })
            .collect();
        (!cpes.is_empty()).then_some(Guess { cpes, row: r })
    }
}

fn strip<'v>(version: &'v str, prefixes: &[String]) -> &'v str {
    for p in prefixes {
        if let Some(head) = version.get(..p.len())
            && head.eq_ignore_ascii_case(p)
        {
            return version.get(p.len()..).unwrap_or(version);
        }
    }
    version
}

fn has_version_prefix(version: &str, prefix: &str) -> bool {
    version.starts_with(prefix)
        && !version
            .get(prefix.len()..)
            .and_then(|r| r.chars().next())
            .is_some_and(char::is_alphanumeric)
}

fn parse_row(text: &str, file: &str, line: usize) -> Result<MappingRow, String> {
    let fields: Vec<&str> = text.split(',').map(str::trim).collect();
    if !(2..=4).contains(&fields.len()) {
        return Err(format!(
            "expected 2 to 4 comma-separated fields ({HEADER}), found {}",
            fields.len()
        ));
    }
    let field = |i: usize| fields.get(i).copied().unwrap_or("");
    let cpes = field(0)
        .split(';')
        .map(|c| parse_cpe_field(c.trim()))
        .collect::<Result<Vec<_>, _>>()?;
    let mut names = Vec::new();
    for written in field(1).split(';').map(str::trim) {
        if written.is_empty() {
            return Err("empty alias in names (aliases are separated by ';')".to_owned());
        }
        let (body, prefix) = match written.strip_suffix('*') {
            Some(b) => (b, true),
            None => (written, false),
        };
        let word_boundary = prefix && body.ends_with(char::is_whitespace);
        let normalised = normalise(body);
        if normalised.is_empty() {
            return Err(format!("alias {written:?} has no letters or digits"));
        }
        names.push(Alias {
            written: written.to_owned(),
            normalised,
            prefix,
            word_boundary,
        });
    }
    let mut version = VersionRule::default();
    for d in field(2).split(';').map(str::trim).filter(|d| !d.is_empty()) {
        let Some((key, value)) = d.split_once('=') else {
            return Err(format!("version directive {d:?} is not key=value"));
        };
        let value = value.trim();
        if value.is_empty() {
            return Err(format!("version directive {d:?} has an empty value"));
        }
        match key.trim() {
            "strip-prefix" => version.strip_prefix.push(value.to_owned()),
            "when-prefix" if version.when_prefix.is_none() => {
                version.when_prefix = Some(value.to_owned());
            }
            "version" if version.version.is_none() => version.version = Some(value.to_owned()),
            "update" if version.update.is_none() => version.update = Some(value.to_owned()),
            k @ ("when-prefix" | "version" | "update") => {
                return Err(format!("version directive {k} is given twice"));
            }
            k => {
                return Err(format!(
                    "unknown version directive {k:?} (known: strip-prefix, when-prefix, version, update)"
                ));
            }
        }
    }
    let kev = match field(3) {
        "" => None,
        k => {
            let Some((v, p)) = k.split_once('/') else {
                return Err(format!("kev {k:?} is not vendorProject/product"));
            };
            Some((v.trim().to_owned(), p.trim().to_owned()))
        }
    };
    Ok(MappingRow {
        cpes,
        names,
        version,
        kev,
        file: file.to_owned(),
        line,
    })
}

/// `part:vendor:product`, validated by building a CPE name from it.
fn parse_cpe_field(s: &str) -> Result<(Part, String, String), String> {
    let bad = |why: &str| {
        format!("cpe {s:?}: {why} (expected part:vendor:product, e.g. o:fortinet:fortios)")
    };
    // Split on colons that are not quoted.
    let mut parts = Vec::new();
    let mut start = 0;
    let mut escaped = false;
    for (i, c) in s.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            ':' => {
                parts.push(s.get(start..i).unwrap_or(""));
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(s.get(start..).unwrap_or(""));
    let [part, vendor, product] = parts[..] else {
        return Err(bad("not three colon-separated components"));
    };
    if matches!(vendor, "*" | "-") || matches!(product, "*" | "-") {
        return Err(bad("vendor and product must be names, not * or -"));
    }
    let cpe = Cpe::parse(&format!(
        "cpe:2.3:{part}:{vendor}:{product}:*:*:*:*:*:*:*:*"
    ))
    .map_err(|e| bad(&e.to_string()))?;
    if cpe.vendor().has_wildcard() || cpe.product().has_wildcard() {
        return Err(bad("vendor and product must not contain wildcards"));
    }
    Ok((cpe.part(), vendor.to_owned(), product.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises() {
        assert_eq!(
            normalise("  Veeam Backup & Replication "),
            "veeam backup replication"
        );
        assert_eq!(normalise("FortiGate-60F"), "fortigate 60f");
        assert_eq!(normalise_vendor("Microsoft Corporation"), "microsoft");
        assert_eq!(
            normalise_vendor("Palo Alto Networks, Inc."),
            "palo alto networks"
        );
        assert_eq!(normalise_vendor("Inc"), "");
    }

    #[test]
    fn prefix_word_boundary() {
        let m = Mapping::parse(
            "cpe,names,version,kev\na:x:ten,X Ten *\na:x:tenant,X Ten*\n",
            "t.csv",
        )
        .expect("valid");
        let product = |n: &str| {
            m.lookup(None, n, Some("1"))
                .and_then(|g| g.cpes.first().cloned())
                .map(|c| c.product().unquoted().unwrap_or_default().into_owned())
        };
        assert_eq!(product("X Ten").as_deref(), Some("ten"));
        assert_eq!(product("X Ten Pro").as_deref(), Some("ten"));
        assert_eq!(product("X Tenant").as_deref(), Some("tenant"));
        assert_eq!(product("Y Ten"), None);
    }
}
