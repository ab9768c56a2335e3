//! Validating a feed file with the weerbaar-advisories parser of its source, and recognising
//! which source a file given to `import` belongs to.

use weerbaar_advisories::{FeedError, epss, kev, nvd, osv};

use crate::Source;

/// A parsed and counted feed file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Detected {
    /// The source the file belongs to.
    pub source: Source,
    /// Records counted (advisories, CVEs, KEV entries, EPSS scores).
    pub records: u64,
    /// The parser that accepted it (`osv::parse_any`).
    pub parser: &'static str,
    /// For an NVD API page: the index of the next page, when there is one.
    pub next_start_index: Option<u64>,
}

fn count(n: usize) -> u64 {
    u64::try_from(n).unwrap_or(u64::MAX)
}

/// Parses `bytes` as a file of `source` in full, counting its records.
///
/// # Errors
/// The parser's [`FeedError`] (truncated gzip, zip or JSON included).
pub fn parse_as(source: Source, file: &str, bytes: &[u8]) -> Result<Detected, FeedError> {
    let (records, parser, next_start_index) = match source {
        Source::Osv => (
            count(osv::parse_any(file, bytes)?.len()),
            "osv::parse_any",
            None,
        ),
        Source::Nvd => {
            let doc = nvd::parse(file, bytes)?;
            let next = doc.page.as_ref().and_then(|page| {
                let next = page.start_index + count(doc.cves.len());
                (!doc.cves.is_empty() && next < page.total_results).then_some(next)
            });
            (count(doc.cves.len()), "nvd::parse", next)
        }
        Source::Kev => (
            count(kev::parse(file, bytes)?.entries.len()),
            "kev::parse",
            None,
        ),
        Source::Epss => (
            count(epss::parse(file, bytes)?.scores.len()),
            "epss::parse",
            None,
        ),
    };
    Ok(Detected {
        source,
        records,
        parser,
        next_start_index,
    })
}

/// Which source a file's content looks like, before parsing it in full.
pub(crate) fn guess(bytes: &[u8]) -> Option<Source> {
    if bytes.starts_with(&[0x1f, 0x8b]) {
        // Of the feeds, only EPSS is published gzipped.
        return Some(Source::Epss);
    }
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        return Some(Source::Osv);
    }
    let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let head = &text[..text.len().min(64 * 1024)];
    let contains = |needle: &[u8]| head.windows(needle.len()).any(|w| w == needle);
    let first = text.iter().copied().find(|b| !b.is_ascii_whitespace());
    if first == Some(b'{') {
        if contains(b"\"catalogVersion\"") || contains(b"\"knownRansomwareCampaignUse\"") {
            return Some(Source::Kev);
        }
        if contains(b"\"resultsPerPage\"")
            || contains(b"\"sourceIdentifier\"")
            || contains(b"\"vulnStatus\"")
        {
            return Some(Source::Nvd);
        }
        return Some(Source::Osv);
    }
    let first_line = head.split(|&b| b == b'\n').next().unwrap_or_default();
    if first_line.starts_with(b"#model_version") || first_line.starts_with(b"cve,epss") {
        return Some(Source::Epss);
    }
    if first_line.starts_with(b"cveID,") {
        return Some(Source::Kev);
    }
    None
}

/// Recognises the source of `bytes` by content and parses it in full.
///
/// # Errors
/// `Err(None)` when the content is no feed weerbaar knows; `Err(Some(_))` with the parser's
/// error when it looks like one but does not parse.
pub fn detect_and_parse(file: &str, bytes: &[u8]) -> Result<Detected, Option<(Source, FeedError)>> {
    let source = guess(bytes).ok_or(None)?;
    parse_as(source, file, bytes).map_err(|e| Some((source, e)))
}
