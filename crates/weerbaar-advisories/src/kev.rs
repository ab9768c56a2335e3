//! The CISA Known Exploited Vulnerabilities (KEV) catalog, as JSON or CSV.
//!
//! Source and spec: <https://www.cisa.gov/known-exploited-vulnerabilities-catalog> and the
//! catalog's JSON schema (`known_exploited_vulnerabilities_schema.json` in `cisagov/kev-data`,
//! draft-07). The JSON is `{title, catalogVersion, dateReleased, count, vulnerabilities: […]}`;
//! the CSV has one row per vulnerability with the same field names as its header, and no catalog
//! metadata.
//!
//! Decisions:
//!
//! * Validation follows the schema: `catalogVersion`, `dateReleased`, `count` and
//!   `vulnerabilities` are required, and per entry the eight fields from `cveID` to `dueDate`.
//!   `cveID` must match the schema's `^CVE-[0-9]{4}-[0-9]{4,19}$`, CWEs `^CWE-[0-9]+$`,
//!   `dateAdded`/`dueDate` are `YYYY-MM-DD` calendar dates (a [`Date`], ordered, so
//!   "added after" and "overdue" questions need no date library), `dateReleased` an RFC 3339
//!   date-time. Unknown fields (`title`, future additions) are ignored, as the schema allows.
//! * `knownRansomwareCampaignUse` is `Known` or `Unknown`; anything else is rejected rather than
//!   guessed. It becomes [`KevEntry::ransomware`]. The schema makes it optional; when absent it
//!   means what `Unknown` means (CISA has no confirmation), so `false`. Missing `notes` and `cwes`
//!   are empty.
//! * `count` must equal the number of entries: a mismatch is how a truncated or spliced download
//!   shows. The CSV has no count, so a CSV cut at a row boundary cannot be detected.
//! * The order of `dueDate` and `dateAdded` is not checked: the real catalog has entries due
//!   before they were added (older entries were back-filled).
//! * Entries are sorted by CVE id (year, then number numerically), so [`Catalog::get`] is a
//!   binary search; the feed's own order (newest first) carries nothing `dateAdded` does not.
//!   A CVE listed twice is an error.
//! * Errors name the file and the record: for JSON the `cveID` and the JSON path
//!   (`$.vulnerabilities[12].dueDate`), for CSV the line and the `cveID`.

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

use serde::de::{self, Deserializer};
use serde::{Deserialize, Serialize, Serializer};

use crate::{FeedError, FeedErrorKind, Record};

/// The KEV catalog.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Catalog {
    /// `catalogVersion` (`2025.08.25`); `None` for the CSV, which carries no metadata.
    pub version: Option<String>,
    /// `dateReleased`, an RFC 3339 date-time as published; `None` for the CSV.
    pub released: Option<String>,
    /// The vulnerabilities, sorted by CVE id.
    pub entries: Vec<KevEntry>,
}

impl Catalog {
    /// The entry for `cve` (`CVE-2021-44228`), by binary search.
    #[must_use]
    pub fn get(&self, cve: &str) -> Option<&KevEntry> {
        if !is_cve(cve) {
            return None;
        }
        let i = self
            .entries
            .binary_search_by(|e| cve_cmp(&e.cve_id, cve))
            .ok()?;
        self.entries.get(i)
    }
}

/// One known exploited vulnerability.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KevEntry {
    /// `cveID`: `CVE-YYYY-NNNN…`.
    #[serde(rename(deserialize = "cveID"), deserialize_with = "de_cve")]
    pub cve_id: String,
    /// `vendorProject`.
    #[serde(rename(deserialize = "vendorProject"))]
    pub vendor_project: String,
    /// `product`.
    pub product: String,
    /// `vulnerabilityName`.
    #[serde(rename(deserialize = "vulnerabilityName"))]
    pub vulnerability_name: String,
    /// `dateAdded`: when CISA added it to the catalog.
    #[serde(rename(deserialize = "dateAdded"))]
    pub date_added: Date,
    /// `shortDescription`.
    #[serde(rename(deserialize = "shortDescription"))]
    pub short_description: String,
    /// `requiredAction`.
    #[serde(rename(deserialize = "requiredAction"))]
    pub required_action: String,
    /// `dueDate`: when federal agencies must have acted.
    #[serde(rename(deserialize = "dueDate"))]
    pub due_date: Date,
    /// `knownRansomwareCampaignUse` is `Known`.
    #[serde(
        rename(deserialize = "knownRansomwareCampaignUse"),
        default,
        deserialize_with = "de_ransomware"
    )]
    pub ransomware: bool,
    /// `notes` (often reference URLs separated by ` ; `); empty when absent.
    #[serde(default)]
    pub notes: String,
    /// `cwes` (`CWE-79`); empty when absent.
    #[serde(default, deserialize_with = "de_cwes")]
    pub cwes: Vec<String>,
}

/// A calendar date, `YYYY-MM-DD` (proleptic Gregorian), ordered chronologically.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    // Field order is the ordering: year, then month, then day.
    year: u16,
    month: u8,
    day: u8,
}

impl Date {
    /// The date, if it exists on the calendar.
    #[must_use]
    pub fn new(year: u16, month: u8, day: u8) -> Option<Self> {
        let valid = (1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month);
        valid.then_some(Self { year, month, day })
    }

    /// Parses exactly `YYYY-MM-DD`.
    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        Self::parse_with(s, b'-')
    }

    /// Parses `YYYY<sep>MM<sep>DD` (EPSS model versions use dots).
    pub(crate) fn parse_with(s: &str, sep: u8) -> Option<Self> {
        let &[y1, y2, y3, y4, s1, m1, m2, s2, d1, d2] = s.as_bytes() else {
            return None;
        };
        if s1 != sep || s2 != sep {
            return None;
        }
        let year = u16::from(two_digits(y1, y2)?) * 100 + u16::from(two_digits(y3, y4)?);
        Self::new(year, two_digits(m1, m2)?, two_digits(d1, d2)?)
    }

    #[must_use]
    pub fn year(self) -> u16 {
        self.year
    }

    #[must_use]
    pub fn month(self) -> u8 {
        self.month
    }

    #[must_use]
    pub fn day(self) -> u8 {
        self.day
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl FromStr for Date {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        Self::parse(s).ok_or_else(|| format!("`{}` is not a YYYY-MM-DD date", clip(s)))
    }
}

/// Serialised as the `YYYY-MM-DD` string it was read from.
impl Serialize for Date {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer)?
            .parse()
            .map_err(de::Error::custom)
    }
}

fn two_digits(a: u8, b: u8) -> Option<u8> {
    (a.is_ascii_digit() && b.is_ascii_digit()).then(|| (a - b'0') * 10 + (b - b'0'))
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => {
            29
        }
        2 => 28,
        _ => 31,
    }
}

/// An RFC 3339 date-time: `YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM)`. With `basic_offset`, `±HHMM`
/// is accepted too (EPSS headers have used `+0000`).
pub(crate) fn is_datetime(s: &str, basic_offset: bool) -> bool {
    let Some((date, time)) = s.split_once('T') else {
        return false;
    };
    if Date::parse(date).is_none() {
        return false;
    }
    let &[h1, h2, b':', m1, m2, b':', s1, s2, ref rest @ ..] = time.as_bytes() else {
        return false;
    };
    let in_range = |a, b, max| two_digits(a, b).is_some_and(|v| v <= max);
    // 60 is a leap second.
    if !(in_range(h1, h2, 23) && in_range(m1, m2, 59) && in_range(s1, s2, 60)) {
        return false;
    }
    let rest = match rest {
        [b'.', frac @ ..] => {
            let digits = frac.iter().take_while(|b| b.is_ascii_digit()).count();
            if digits == 0 {
                return false;
            }
            frac.get(digits..).unwrap_or_default()
        }
        _ => rest,
    };
    match *rest {
        [b'Z'] => true,
        [b'+' | b'-', h1, h2, b':', m1, m2] => in_range(h1, h2, 23) && in_range(m1, m2, 59),
        [b'+' | b'-', h1, h2, m1, m2] if basic_offset => {
            in_range(h1, h2, 23) && in_range(m1, m2, 59)
        }
        _ => false,
    }
}

/// `^CVE-[0-9]{4}-[0-9]{4,19}$`, the pattern of the KEV schema (and of CVE ids in general).
pub(crate) fn is_cve(s: &str) -> bool {
    let Some((year, number)) = s.strip_prefix("CVE-").and_then(|r| r.split_once('-')) else {
        return false;
    };
    year.len() == 4
        && (4..=19).contains(&number.len())
        && year
            .bytes()
            .chain(number.bytes())
            .all(|b| b.is_ascii_digit())
}

/// Orders CVE ids by year, then by number as a number (`CVE-2021-9999` < `CVE-2021-10000`).
/// Numbers are compared by length first, so no parsing and no overflow; ids that differ only by
/// leading zeros stay distinct.
pub(crate) fn cve_cmp(a: &str, b: &str) -> Ordering {
    fn key(s: &str) -> (&str, usize, &str) {
        let rest = s.strip_prefix("CVE-").unwrap_or(s);
        match rest.split_once('-') {
            Some((year, number)) => (year, number.len(), number),
            None => (rest, 0, ""),
        }
    }
    key(a).cmp(&key(b))
}

/// Shortens input quoted in an error message, so a megabyte of garbage does not become the
/// message.
pub(crate) fn clip(s: &str) -> String {
    const MAX: usize = 80;
    match s.char_indices().nth(MAX) {
        Some((i, _)) => format!("{}…", s.get(..i).unwrap_or_default()),
        None => s.to_owned(),
    }
}

fn check_cve(s: &str) -> Result<(), String> {
    if is_cve(s) {
        Ok(())
    } else {
        Err(format!("`{}` is not a CVE id (CVE-YYYY-NNNN)", clip(s)))
    }
}

fn ransomware(s: &str) -> Result<bool, String> {
    match s {
        "Known" => Ok(true),
        "Unknown" => Ok(false),
        other => Err(format!(
            "knownRansomwareCampaignUse is `{}`, expected `Known` or `Unknown`",
            clip(other)
        )),
    }
}

fn check_cwe(s: &str) -> Result<(), String> {
    match s.strip_prefix("CWE-") {
        Some(n) if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) => Ok(()),
        _ => Err(format!("`{}` is not a CWE id (CWE-NNN)", clip(s))),
    }
}

fn de_cve<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    let s = String::deserialize(d)?;
    check_cve(&s).map_err(de::Error::custom)?;
    Ok(s)
}

fn de_ransomware<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    let s = String::deserialize(d)?;
    ransomware(&s).map_err(de::Error::custom)
}

/// A validated CWE id; its own type so that an error's JSON path names the array element.
struct Cwe(String);

impl<'de> Deserialize<'de> for Cwe {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        check_cwe(&s).map_err(de::Error::custom)?;
        Ok(Self(s))
    }
}

fn de_cwes<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    let cwes = Vec::<Cwe>::deserialize(d)?;
    Ok(cwes.into_iter().map(|c| c.0).collect())
}

fn de_datetime<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    let s = String::deserialize(d)?;
    if is_datetime(&s, false) {
        Ok(s)
    } else {
        Err(de::Error::custom(format!(
            "`{}` is not an RFC 3339 date-time",
            clip(&s)
        )))
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawCatalog {
    catalog_version: String,
    #[serde(deserialize_with = "de_datetime")]
    date_released: String,
    count: u64,
    vulnerabilities: Vec<KevEntry>,
}

/// Parses the catalog as JSON or CSV, by its first byte (`{` is JSON).
///
/// # Errors
/// As [`parse_json`] and [`parse_csv`].
pub fn parse(file: &str, bytes: &[u8]) -> Result<Catalog, FeedError> {
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match body.iter().find(|b| !b.is_ascii_whitespace()) {
        Some(b'{') => parse_json(file, bytes),
        _ => parse_csv(file, bytes),
    }
}

/// Parses `known_exploited_vulnerabilities.json`.
///
/// # Errors
/// [`FeedErrorKind::Syntax`] (with the line) for malformed or truncated JSON;
/// [`FeedErrorKind::Invalid`] for a schema violation (with the `cveID` and JSON path), a `count`
/// that does not match the entries, or a CVE listed twice.
pub fn parse_json(file: &str, bytes: &[u8]) -> Result<Catalog, FeedError> {
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut de = serde_json::Deserializer::from_slice(body);
    let raw: RawCatalog = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        json_error(file, body, &path, e.inner())
    })?;
    de.end().map_err(|e| json_error(file, body, ".", &e))?;

    if raw.catalog_version.is_empty() {
        return Err(
            FeedError::new(file, FeedErrorKind::Invalid, "catalogVersion is empty")
                .at(Record::JsonPath("$.catalogVersion".into())),
        );
    }
    let found = raw.vulnerabilities.len();
    if usize::try_from(raw.count).ok() != Some(found) {
        return Err(FeedError::new(
            file,
            FeedErrorKind::Invalid,
            format!(
                "count is {} but the catalog has {found} vulnerabilities (truncated or spliced download?)",
                raw.count
            ),
        )
        .at(Record::JsonPath("$.count".into())));
    }
    Ok(Catalog {
        version: Some(raw.catalog_version),
        released: Some(raw.date_released),
        entries: sorted(file, raw.vulnerabilities)?,
    })
}

/// Sorts by CVE id and rejects duplicates.
fn sorted(file: &str, mut entries: Vec<KevEntry>) -> Result<Vec<KevEntry>, FeedError> {
    entries.sort_unstable_by(|a, b| cve_cmp(&a.cve_id, &b.cve_id));
    if let Some(pair) = entries
        .windows(2)
        .find(|w| matches!(w, [a, b] if a.cve_id == b.cve_id))
        && let Some(dup) = pair.first()
    {
        return Err(
            FeedError::new(file, FeedErrorKind::Invalid, "the CVE is listed twice").at(
                Record::Id {
                    id: dup.cve_id.clone(),
                    path: None,
                },
            ),
        );
    }
    Ok(entries)
}

fn json_error(file: &str, body: &[u8], path: &str, e: &serde_json::Error) -> FeedError {
    use serde_json::error::Category;
    let message = strip_position(&e.to_string());
    match e.classify() {
        Category::Syntax | Category::Eof | Category::Io => FeedError::new(
            file,
            FeedErrorKind::Syntax,
            format!("{message} (column {})", e.column()),
        )
        .at(Record::Line(e.line())),
        Category::Data => {
            let json_path = match path {
                "" | "." => "$".to_owned(),
                p if p.starts_with('[') => format!("${p}"),
                p => format!("$.{p}"),
            };
            let reason = format!("{message} (line {}, column {})", e.line(), e.column());
            let record = match entry_id(body, path) {
                Some(id) => Record::Id {
                    id,
                    path: Some(json_path),
                },
                None => Record::JsonPath(json_path),
            };
            FeedError::new(file, FeedErrorKind::Invalid, reason).at(record)
        }
    }
}

/// The `cveID` of the entry that `path` (`vulnerabilities[12].dueDate`) points into. Only runs
/// on the error path, so re-reading the document loosely costs nothing that matters.
fn entry_id(body: &[u8], path: &str) -> Option<String> {
    let rest = path.strip_prefix("vulnerabilities[")?;
    let index: usize = rest.get(..rest.find(']')?)?.parse().ok()?;
    let doc: serde_json::Value = serde_json::from_slice(body).ok()?;
    let id = doc
        .get("vulnerabilities")?
        .get(index)?
        .get("cveID")?
        .as_str()?;
    Some(id.to_owned())
}

/// serde_json appends " at line L column C"; the location is reported separately.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message.get(..i).unwrap_or(message).to_owned(),
        None => message.to_owned(),
    }
}

/// The CSV columns, in the order CISA writes them; the first eight are required (as in the JSON
/// schema).
const COLUMNS: [&str; 11] = [
    "cveID",
    "vendorProject",
    "product",
    "vulnerabilityName",
    "dateAdded",
    "shortDescription",
    "requiredAction",
    "dueDate",
    "knownRansomwareCampaignUse",
    "notes",
    "cwes",
];
const REQUIRED_COLUMNS: usize = 8;

/// Parses `known_exploited_vulnerabilities.csv`. Columns are found by their header name; columns
/// this parser does not know are ignored. In the `cwes` column CWEs are separated by commas
/// (`CWE-59, CWE-436`).
///
/// # Errors
/// [`FeedErrorKind::UnknownFormat`] when a required column is missing (naming the columns
/// found); [`FeedErrorKind::Syntax`] for malformed CSV or bad UTF-8; [`FeedErrorKind::Invalid`]
/// for a bad value (naming the line, the `cveID` and the column) or a CVE listed twice.
pub fn parse_csv(file: &str, bytes: &[u8]) -> Result<Catalog, FeedError> {
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new().from_reader(body);
    let headers = reader.headers().map_err(|e| csv_error(file, &e))?.clone();

    let mut index = [None; COLUMNS.len()];
    for (slot, name) in index.iter_mut().zip(COLUMNS) {
        let mut found = headers.iter().enumerate().filter(|(_, h)| *h == name);
        *slot = found.next().map(|(i, _)| i);
        if found.next().is_some() {
            return Err(FeedError::new(
                file,
                FeedErrorKind::Invalid,
                format!("column {name} appears twice in the header"),
            )
            .at(Record::Line(1)));
        }
    }
    let missing: Vec<&str> = COLUMNS
        .iter()
        .zip(index)
        .take(REQUIRED_COLUMNS)
        .filter(|(_, i)| i.is_none())
        .map(|(name, _)| *name)
        .collect();
    if !missing.is_empty() {
        let found: Vec<String> = headers.iter().take(20).map(clip).collect();
        return Err(FeedError::new(
            file,
            FeedErrorKind::UnknownFormat,
            format!(
                "not a CISA KEV CSV: missing column(s) {}; found columns: {}",
                missing.join(", "),
                found.join(", ")
            ),
        )
        .at(Record::Line(1)));
    }

    let mut entries = Vec::new();
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => return Err(csv_error(file, &e)),
        }
        let line = record
            .position()
            .map_or(0, |p| usize::try_from(p.line()).unwrap_or(usize::MAX));
        let field = |column: usize| -> &str {
            index
                .get(column)
                .copied()
                .flatten()
                .and_then(|i| record.get(i))
                .unwrap_or_default()
        };
        let entry = csv_entry(&field).map_err(|reason| {
            let id = field(0);
            let reason = if is_cve(id) {
                format!("{id}: {reason}")
            } else {
                reason
            };
            FeedError::new(file, FeedErrorKind::Invalid, reason).at(Record::Line(line))
        })?;
        entries.push(entry);
    }
    Ok(Catalog {
        version: None,
        released: None,
        entries: sorted(file, entries)?,
    })
}

/// Builds an entry from the fields of one CSV row, `field(i)` being column `COLUMNS[i]`.
fn csv_entry<'a>(field: &impl Fn(usize) -> &'a str) -> Result<KevEntry, String> {
    let date = |column: usize| -> Result<Date, String> {
        let name = COLUMNS.get(column).copied().unwrap_or_default();
        field(column).parse().map_err(|e| format!("{name}: {e}"))
    };
    let cve_id = field(0);
    check_cve(cve_id).map_err(|e| format!("cveID: {e}"))?;
    let ransomware = match field(8) {
        // An absent column or empty cell means the same as an absent JSON field.
        "" => false,
        value => ransomware(value)?,
    };
    let cwes = field(10)
        .split(',')
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(|c| check_cwe(c).map(|()| c.to_owned()))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| format!("cwes: {e}"))?;
    Ok(KevEntry {
        cve_id: cve_id.to_owned(),
        vendor_project: field(1).to_owned(),
        product: field(2).to_owned(),
        vulnerability_name: field(3).to_owned(),
        date_added: date(4)?,
        short_description: field(5).to_owned(),
        required_action: field(6).to_owned(),
        due_date: date(7)?,
        ransomware,
        notes: field(9).to_owned(),
        cwes,
    })
}

fn csv_error(file: &str, e: &csv::Error) -> FeedError {
    let line = e
        .position()
        .map(|p| usize::try_from(p.line()).unwrap_or(usize::MAX));
    let err = FeedError::new(file, FeedErrorKind::Syntax, e.to_string());
    match line {
        Some(line) => err.at(Record::Line(line)),
        None => err,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ENTRY: &str = r#"{"cveID": "CVE-2021-44228", "vendorProject": "Apache", "product": "Log4j2",
        "vulnerabilityName": "Apache Log4j2 Remote Code Execution Vulnerability",
        "dateAdded": "2021-12-10", "shortDescription": "JNDI features ...",
        "requiredAction": "Apply updates per vendor instructions.", "dueDate": "2021-12-24",
        "knownRansomwareCampaignUse": "Known", "notes": "https://logging.apache.org/",
        "cwes": ["CWE-20", "CWE-400", "CWE-502"]}"#;

    fn catalog(entries: &[&str], count: usize) -> String {
        format!(
            r#"{{"title": "t", "catalogVersion": "2021.12.10", "dateReleased": "2021-12-10T15:00:00.0000Z",
            "count": {count}, "vulnerabilities": [{}]}}"#,
            entries.join(",")
        )
    }

    #[test]
    fn parses_an_entry() {
        let cat = parse_json("kev.json", catalog(&[ENTRY], 1).as_bytes()).expect("valid");
        assert_eq!(cat.version.as_deref(), Some("2021.12.10"));
        assert_eq!(cat.released.as_deref(), Some("2021-12-10T15:00:00.0000Z"));
        let e = cat.get("CVE-2021-44228").expect("present");
        assert!(e.ransomware);
        assert_eq!(e.date_added, Date::new(2021, 12, 10).expect("date"));
        assert_eq!(e.due_date.to_string(), "2021-12-24");
        assert_eq!(e.cwes, ["CWE-20", "CWE-400", "CWE-502"]);
        assert!(cat.get("CVE-2021-4422").is_none());
        assert!(cat.get("log4shell").is_none());
    }

    #[test]
    fn optional_fields_default() {
        let minimal = ENTRY
            .replace(r#""knownRansomwareCampaignUse": "Known","#, "")
            .replace(r#""notes": "https://logging.apache.org/","#, "")
            // Unknown fields are ignored.
            .replace(r#""cwes": ["CWE-20", "CWE-400", "CWE-502"]"#, r#""x": 0"#);
        let cat = parse_json("kev.json", catalog(&[&minimal], 1).as_bytes()).expect("valid");
        let e = cat.entries.first().expect("one");
        assert!(!e.ransomware);
        assert!(e.notes.is_empty() && e.cwes.is_empty());
    }

    #[test]
    fn bad_values_name_the_cve_and_path() {
        let cases = [
            ("\"2021-12-24\"", "\"2021-02-30\"", "dueDate"),
            ("\"Known\"", "\"Yes\"", "knownRansomwareCampaignUse"),
            ("\"CWE-400\"", "\"CWE-40a\"", "cwes[1]"),
        ];
        for (from, to, path) in cases {
            let bad = ENTRY.replacen(from, to, 1);
            let other = ENTRY.replace("CVE-2021-44228", "CVE-2021-45046");
            let err =
                parse_json("kev.json", catalog(&[&other, &bad], 2).as_bytes()).expect_err(path);
            assert_eq!(err.kind, FeedErrorKind::Invalid, "{err}");
            assert_eq!(
                err.record,
                Some(Record::Id {
                    id: "CVE-2021-44228".into(),
                    path: Some(format!("$.vulnerabilities[1].{path}")),
                }),
                "{err}"
            );
        }
        let err = parse_json(
            "kev.json",
            catalog(&[&ENTRY.replace("CVE-2021-44228", "CVE-21-44228")], 1).as_bytes(),
        )
        .expect_err("bad id");
        assert!(err.to_string().contains("not a CVE id"), "{err}");
        let err = parse_json(
            "kev.json",
            catalog(&[&ENTRY.replace(r#""product": "Log4j2","#, "")], 1).as_bytes(),
        )
        .expect_err("missing field");
        assert!(err.to_string().contains("missing field `product`"), "{err}");
    }

    #[test]
    fn count_mismatch_and_duplicates_are_errors() {
        let err = parse_json("kev.json", catalog(&[ENTRY], 2).as_bytes()).expect_err("count");
        assert_eq!(err.record, Some(Record::JsonPath("$.count".into())));
        assert!(err.reason.contains("truncated"), "{err}");
        let err = parse_json("kev.json", catalog(&[ENTRY, ENTRY], 2).as_bytes()).expect_err("dup");
        assert!(err.to_string().contains("CVE-2021-44228"), "{err}");
    }

    #[test]
    fn truncated_json_is_a_syntax_error() {
        let full = catalog(&[ENTRY], 1);
        let err = parse_json(
            "kev.json",
            full.get(..full.len() / 2).expect("half").as_bytes(),
        )
        .expect_err("truncated");
        assert_eq!(err.kind, FeedErrorKind::Syntax, "{err}");
        assert!(matches!(err.record, Some(Record::Line(_))));
    }

    #[test]
    fn csv_rows() {
        let csv = "cveID,vendorProject,product,vulnerabilityName,dateAdded,shortDescription,requiredAction,dueDate,knownRansomwareCampaignUse,notes,cwes\n\
            CVE-2021-44228,Apache,Log4j2,\"Apache Log4j2, RCE\",2021-12-10,d,a,2021-12-24,Known,n,\"CWE-20, CWE-400\"\n\
            CVE-2021-9999,V,P,N,2021-12-10,d,a,2021-12-24,Unknown,,\n";
        let cat = parse_csv("kev.csv", csv.as_bytes()).expect("valid");
        assert_eq!(cat.version, None);
        let ids: Vec<&str> = cat.entries.iter().map(|e| e.cve_id.as_str()).collect();
        assert_eq!(ids, ["CVE-2021-9999", "CVE-2021-44228"], "numeric order");
        let e = cat.get("CVE-2021-44228").expect("present");
        assert_eq!(e.vulnerability_name, "Apache Log4j2, RCE");
        assert_eq!(e.cwes, ["CWE-20", "CWE-400"]);
        assert!(cat.get("CVE-2021-9999").is_some_and(|e| e.cwes.is_empty()));

        let bad = csv.replace("2021-12-24,Known", "2021-13-24,Known");
        let err = parse_csv("kev.csv", bad.as_bytes()).expect_err("bad date");
        assert_eq!(err.record, Some(Record::Line(2)));
        assert!(err.reason.starts_with("CVE-2021-44228: dueDate:"), "{err}");

        let err = parse_csv("kev.csv", b"CVE,EPSS\nCVE-2021-44228,0.9\n").expect_err("not kev");
        assert_eq!(err.kind, FeedErrorKind::UnknownFormat);
        assert!(err.reason.contains("found columns: CVE, EPSS"), "{err}");

        let short = csv.replace(",n,\"CWE-20, CWE-400\"", "");
        let err = parse_csv("kev.csv", short.as_bytes()).expect_err("short row");
        assert_eq!(err.kind, FeedErrorKind::Syntax);
    }

    #[test]
    fn dates_and_datetimes() {
        assert!(Date::parse("2024-02-29").is_some());
        assert!(Date::parse("2023-02-29").is_none());
        assert!(Date::parse("1900-02-29").is_none());
        assert!(Date::parse("2000-02-29").is_some());
        assert!(Date::parse("2024-2-29").is_none());
        assert!(Date::parse("2024-00-10").is_none());
        assert!(Date::parse("２０２４-01-01").is_none());
        assert!(Date::parse("2021-12-10") < Date::parse("2022-01-01"));
        for ok in [
            "2025-08-25T17:04:19.9796Z",
            "2026-09-29T12:00:22Z",
            "2024-01-01T00:00:00+01:00",
        ] {
            assert!(is_datetime(ok, false), "{ok}");
        }
        assert!(is_datetime("2025-02-20T00:00:00+0000", true));
        for bad in [
            "2025-02-20T00:00:00+0000",
            "2025-08-25",
            "2025-08-25T24:00:00Z",
            "2025-08-25T17:04:19.Z",
            "2025-08-25 17:04:19Z",
            "2025-08-25T17:04:19",
        ] {
            assert!(!is_datetime(bad, false), "{bad}");
        }
    }

    #[test]
    fn cve_ids() {
        assert!(is_cve("CVE-2021-44228"));
        assert!(is_cve("CVE-1999-0001"));
        assert!(!is_cve("CVE-2021-123"));
        assert!(!is_cve("cve-2021-44228"));
        assert!(!is_cve("CVE-2021-44228 "));
        assert!(!is_cve("CVE-2021-12345678901234567890"));
        assert_eq!(cve_cmp("CVE-2021-9999", "CVE-2021-10000"), Ordering::Less);
        assert_eq!(cve_cmp("CVE-2020-99999", "CVE-2021-0001"), Ordering::Less);
    }
}
