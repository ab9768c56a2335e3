//! Saving and loading the compiled [`Index`], and a file cache for any serde type.
//!
//! # Format
//!
//! Every file is one envelope:
//!
//! ```text
//! magic        8 bytes  "WEERBAAR"
//! format       u32 LE   the payload codec's version (INDEX_FORMAT or CACHE_FORMAT)
//! kind         str      what the payload is ("weerbaar-matching::Index", a type name)
//! fingerprint  str      the caller's description of the inputs (feed hashes, versions, …)
//! payload      …
//! checksum     u64 LE   FNV-1a 64 of everything between the magic and the checksum
//! ```
//!
//! (`str` is a u32 LE byte length and UTF-8 bytes.) Nothing may follow the checksum. A file with
//! another magic, format or kind, a truncated file, a checksum mismatch or a payload that does
//! not decode is a [`PersistError`]; loading never panics and never returns an index from bytes
//! that were not verified. The checksum guards against truncation and disk corruption, not
//! against an attacker who can write the cache directory (who could write the feeds too).
//!
//! # Why a hand-written codec for the index
//!
//! The index holds parsed [`Version`]s, whose scheme-specific structures are the versions
//! crate's private business, so the index is written as text and parsed again on load: each
//! range bound as its canonical text (its `Display`, which every scheme parses back to an equal
//! version: saving checks this for every bound, and a property test for every scheme) and each `versions` list as
//! written. What loading saves is everything else: reading and validating the JSON feeds, the
//! alias union-find, the ecosystem and name normalisation and the event sort (the events are
//! written sorted). Encoding and decoding stream through the reader and writer, so saving
//! allocates nothing beyond the index and loading holds no copy of the file. A serde derive
//! would need a mirror of every index type for the versions anyway.
//!
//! [`save_cache`] / [`load_cache`] use the same envelope with a `postcard` payload (a compact
//! serde format: one small crate besides serde) for types that derive serde, such as the CPE
//! index of the scan command. Both write through a temporary file in the same directory and
//! rename it, so a reader never sees a half-written file.

use std::collections::HashMap;
use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use serde::Serialize;
use serde::de::DeserializeOwned;
use weerbaar_versions::{Ecosystem, Scheme, Version};

use crate::eval::{Bound, CEvent};
use crate::index::{AdvMeta, CRange, Entry, Index, IndexStats, Warning};

const MAGIC: &[u8; 8] = b"WEERBAAR";

/// The version of the index payload codec; bump it whenever the encoding or the meaning of the
/// index changes (a new matching rule baked into the index counts).
pub const INDEX_FORMAT: u32 = 1;

/// The version of the cache envelope and its postcard payload.
pub const CACHE_FORMAT: u32 = 1;

const INDEX_KIND: &str = "weerbaar-matching::Index";

/// Why a saved index or cache could not be written or read.
#[derive(Debug, thiserror::Error)]
pub enum PersistError {
    /// Reading or writing failed.
    #[error("i/o error: {0}")]
    Io(#[from] io::Error),
    /// The file does not start with the magic bytes.
    #[error("not a weerbaar index or cache file (bad magic)")]
    NotPersisted,
    /// The file was written by another version of the codec.
    #[error("format version {found}, this build reads version {expected}")]
    FormatVersion {
        /// The version in the file.
        found: u32,
        /// The version this build reads and writes.
        expected: u32,
    },
    /// The file holds something else.
    #[error("the file holds {found:?}, expected {expected:?}")]
    Kind {
        /// The kind in the file.
        found: String,
        /// The kind asked for.
        expected: String,
    },
    /// The file ends early.
    #[error("truncated file")]
    Truncated,
    /// The checksum does not match the content.
    #[error("checksum mismatch: the file is damaged")]
    Checksum,
    /// The content does not decode (loading), or a value cannot be written faithfully (saving).
    #[error("corrupt content: {0}")]
    Corrupt(String),
    /// A serde value could not be encoded or decoded.
    #[error("cache payload: {0}")]
    Payload(String),
    /// An error with the file it concerns.
    #[error("{}: {source}", path.display())]
    File {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        source: Box<PersistError>,
    },
}

impl PersistError {
    fn at(self, path: &Path) -> Self {
        match self {
            e @ PersistError::File { .. } => e,
            e => PersistError::File {
                path: path.to_path_buf(),
                source: Box::new(e),
            },
        }
    }

    /// The error without the file it concerns.
    #[must_use]
    pub fn inner(&self) -> &PersistError {
        match self {
            PersistError::File { source, .. } => source.inner(),
            e => e,
        }
    }
}

type Result<T> = std::result::Result<T, PersistError>;

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0100_0000_01b3;

fn fnv(mut hash: u64, bytes: &[u8]) -> u64 {
    for &b in bytes {
        hash = (hash ^ u64::from(b)).wrapping_mul(FNV_PRIME);
    }
    hash
}

struct Enc<W: Write> {
    w: W,
    hash: u64,
}

impl<W: Write> Enc<W> {
    fn bytes(&mut self, b: &[u8]) -> Result<()> {
        self.hash = fnv(self.hash, b);
        self.w.write_all(b)?;
        Ok(())
    }
    fn u8(&mut self, v: u8) -> Result<()> {
        self.bytes(&[v])
    }
    fn u32(&mut self, v: u32) -> Result<()> {
        self.bytes(&v.to_le_bytes())
    }
    fn u64(&mut self, v: u64) -> Result<()> {
        self.bytes(&v.to_le_bytes())
    }
    fn len(&mut self, n: usize) -> Result<()> {
        let n = u32::try_from(n)
            .map_err(|_| PersistError::Corrupt(format!("{n} items do not fit the format")))?;
        self.u32(n)
    }
    fn str(&mut self, s: &str) -> Result<()> {
        self.len(s.len())?;
        self.bytes(s.as_bytes())
    }
    fn finish(mut self) -> Result<W> {
        let sum = self.hash;
        self.w.write_all(&sum.to_le_bytes())?;
        self.w.flush()?;
        Ok(self.w)
    }
}

struct Dec<R: Read> {
    r: R,
    hash: u64,
    /// Reused for texts that are parsed and dropped (range bounds).
    scratch: Vec<u8>,
}

fn eof(e: io::Error) -> PersistError {
    if e.kind() == io::ErrorKind::UnexpectedEof {
        PersistError::Truncated
    } else {
        PersistError::Io(e)
    }
}

impl<R: Read> Dec<R> {
    fn exact(&mut self, buf: &mut [u8]) -> Result<()> {
        self.r.read_exact(buf).map_err(eof)?;
        self.hash = fnv(self.hash, buf);
        Ok(())
    }
    fn u8(&mut self) -> Result<u8> {
        let mut b = [0u8; 1];
        self.exact(&mut b)?;
        Ok(b[0])
    }
    fn u32(&mut self) -> Result<u32> {
        let mut b = [0u8; 4];
        self.exact(&mut b)?;
        Ok(u32::from_le_bytes(b))
    }
    fn u64(&mut self) -> Result<u64> {
        let mut b = [0u8; 8];
        self.exact(&mut b)?;
        Ok(u64::from_le_bytes(b))
    }
    fn len(&mut self) -> Result<usize> {
        Ok(self.u32()? as usize)
    }
    fn raw(&mut self) -> Result<Vec<u8>> {
        let n = self.len()?;
        let buf = if n <= SMALL {
            // The common case (names, ids, versions): one exact read, no growth.
            let mut buf = vec![0u8; n];
            self.r.read_exact(&mut buf).map_err(eof)?;
            buf
        } else {
            let mut buf = Vec::with_capacity(cap(n));
            (&mut self.r)
                .take(n as u64)
                .read_to_end(&mut buf)
                .map_err(eof)?;
            if buf.len() != n {
                return Err(PersistError::Truncated);
            }
            buf
        };
        self.hash = fnv(self.hash, &buf);
        Ok(buf)
    }
    /// A string only looked at: read into the scratch buffer, no allocation per call.
    fn transient(&mut self) -> Result<&str> {
        let n = self.len()?;
        if n > SMALL {
            let owned = {
                let mut buf = Vec::with_capacity(cap(n));
                (&mut self.r)
                    .take(n as u64)
                    .read_to_end(&mut buf)
                    .map_err(eof)?;
                buf
            };
            if owned.len() != n {
                return Err(PersistError::Truncated);
            }
            self.scratch = owned;
        } else {
            self.scratch.resize(n, 0);
            self.r.read_exact(&mut self.scratch).map_err(eof)?;
        }
        self.hash = fnv(self.hash, &self.scratch);
        std::str::from_utf8(&self.scratch)
            .map_err(|_| PersistError::Corrupt("a string is not UTF-8".into()))
    }
    fn string(&mut self) -> Result<String> {
        String::from_utf8(self.raw()?)
            .map_err(|_| PersistError::Corrupt("a string is not UTF-8".into()))
    }
    fn boxed(&mut self) -> Result<Box<str>> {
        Ok(self.string()?.into_boxed_str())
    }
    fn usize64(&mut self) -> Result<usize> {
        usize::try_from(self.u64()?)
            .map_err(|_| PersistError::Corrupt("a count does not fit this platform".into()))
    }
    /// Verifies the checksum and that nothing follows it.
    fn finish(mut self) -> Result<()> {
        let expected = self.hash;
        let mut b = [0u8; 8];
        self.r.read_exact(&mut b).map_err(eof)?;
        if u64::from_le_bytes(b) != expected {
            return Err(PersistError::Checksum);
        }
        let mut probe = [0u8; 1];
        loop {
            match self.r.read(&mut probe) {
                Ok(0) => return Ok(()),
                Ok(_) => return Err(PersistError::Corrupt("data after the checksum".into())),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(PersistError::Io(e)),
            }
        }
    }
}

fn write_header<W: Write>(w: W, format: u32, kind: &str, fingerprint: &str) -> Result<Enc<W>> {
    let mut w = w;
    w.write_all(MAGIC)?;
    let mut enc = Enc {
        w,
        hash: FNV_OFFSET,
    };
    enc.u32(format)?;
    enc.str(kind)?;
    enc.str(fingerprint)?;
    Ok(enc)
}

/// Reads the header; returns the decoder positioned at the payload and the fingerprint.
fn read_header<R: Read>(mut r: R, format: u32, kind: &str) -> Result<(Dec<R>, String)> {
    let mut magic = [0u8; 8];
    r.read_exact(&mut magic).map_err(|e| match eof(e) {
        PersistError::Truncated => PersistError::NotPersisted,
        e => e,
    })?;
    if &magic != MAGIC {
        return Err(PersistError::NotPersisted);
    }
    let mut dec = Dec {
        r,
        hash: FNV_OFFSET,
        scratch: Vec::new(),
    };
    let found = dec.u32()?;
    if found != format {
        return Err(PersistError::FormatVersion {
            found,
            expected: format,
        });
    }
    let found = dec.string()?;
    if found != kind {
        return Err(PersistError::Kind {
            found,
            expected: kind.to_owned(),
        });
    }
    let fingerprint = dec.string()?;
    Ok((dec, fingerprint))
}

// Event tags.
const INTRODUCED_ZERO: u8 = 0;
const INTRODUCED: u8 = 1;
const FIXED: u8 = 2;
const LAST_AFFECTED: u8 = 3;
const LIMIT: u8 = 4;

impl Index {
    /// Writes the index to `w` with the caller's `fingerprint` of its inputs (see the
    /// [module docs](crate::persist) for the format). The output is deterministic: the same
    /// index and fingerprint give the same bytes.
    ///
    /// # Errors
    /// [`PersistError::Io`] when writing fails; [`PersistError::Corrupt`] when a range bound's
    /// text would not parse back to the same version (see the [module docs](crate::persist)).
    pub fn save(&self, w: &mut impl Write, fingerprint: &str) -> Result<()> {
        let mut e = write_header(w, INDEX_FORMAT, INDEX_KIND, fingerprint)?;
        let s = &self.stats;
        for n in [
            s.advisories,
            s.withdrawn,
            s.entries,
            s.unknown_ecosystem,
            s.without_package,
            s.git_ranges,
            s.unparseable,
        ] {
            e.u64(n as u64)?;
        }
        e.len(self.warnings.len())?;
        for w in &self.warnings {
            e.str(&w.advisory)?;
            e.str(&w.message)?;
        }
        e.len(self.advisories.len())?;
        for a in &self.advisories {
            e.str(&a.id)?;
            e.u32(a.group)?;
            e.len(a.aliases.len())?;
            for alias in &a.aliases {
                e.str(alias)?;
            }
        }
        let mut ecos: Vec<_> = self.entries.iter().collect();
        ecos.sort_unstable_by_key(|(k, _)| **k);
        e.len(ecos.len())?;
        for (eco, by_name) in ecos {
            e.str(eco)?;
            let mut names: Vec<_> = by_name.iter().collect();
            names.sort_unstable_by_key(|(k, _)| &***k);
            e.len(names.len())?;
            for (name, entries) in names {
                e.str(name)?;
                e.len(entries.len())?;
                for entry in entries {
                    save_entry(&mut e, entry)?;
                }
            }
        }
        e.finish()?;
        Ok(())
    }

    /// Reads an index written by [`Index::save`]; returns it with its fingerprint. Range bounds
    /// are parsed again (see the [module docs](crate::persist)); nothing else is recomputed.
    ///
    /// The reader is read in many small pieces: give it a `BufReader` (as
    /// [`Index::load_file`] does) or a slice.
    ///
    /// # Errors
    /// [`PersistError::NotPersisted`], [`PersistError::FormatVersion`], [`PersistError::Kind`],
    /// [`PersistError::Truncated`], [`PersistError::Checksum`] or [`PersistError::Corrupt`]
    /// for a file this build cannot trust; [`PersistError::Io`] when reading fails.
    pub fn load(r: &mut impl Read) -> Result<(Index, String)> {
        let (d, fingerprint) = read_header(r, INDEX_FORMAT, INDEX_KIND)?;
        let index = Index::load_payload(d)?;
        Ok((index, fingerprint))
    }

    fn load_payload<R: Read>(mut d: Dec<R>) -> Result<Index> {
        let stats = IndexStats {
            advisories: d.usize64()?,
            withdrawn: d.usize64()?,
            entries: d.usize64()?,
            unknown_ecosystem: d.usize64()?,
            without_package: d.usize64()?,
            git_ranges: d.usize64()?,
            unparseable: d.usize64()?,
        };
        let n = d.len()?;
        let mut warnings = Vec::with_capacity(cap(n));
        for _ in 0..n {
            warnings.push(Warning {
                advisory: d.string()?,
                message: d.string()?,
            });
        }
        let n = d.len()?;
        let mut advisories = Vec::with_capacity(cap(n));
        for _ in 0..n {
            let id = d.string()?;
            let group = d.u32()?;
            let m = d.len()?;
            let mut aliases = Vec::with_capacity(cap(m));
            for _ in 0..m {
                aliases.push(d.string()?);
            }
            advisories.push(AdvMeta { id, aliases, group });
        }
        let supported: HashMap<&'static str, Scheme> = Ecosystem::supported().collect();
        let mut entries = HashMap::new();
        let mut schemes = HashMap::new();
        let n = d.len()?;
        for _ in 0..n {
            let eco_name = d.string()?;
            let Some((&eco, &scheme)) = supported.get_key_value(eco_name.as_str()) else {
                return Err(PersistError::Corrupt(format!(
                    "ecosystem {eco_name:?} is not supported by this build"
                )));
            };
            let names = d.len()?;
            let mut by_name: HashMap<Box<str>, Vec<Entry>> = HashMap::with_capacity(cap(names));
            for _ in 0..names {
                let name = d.boxed()?;
                let m = d.len()?;
                let mut list = Vec::with_capacity(cap(m));
                for _ in 0..m {
                    let entry = load_entry(&mut d, scheme, advisories.len())?;
                    list.push(entry);
                }
                list.shrink_to_fit();
                by_name.insert(name, list);
            }
            by_name.shrink_to_fit();
            schemes.insert(eco, scheme);
            if entries.insert(eco, by_name).is_some() {
                return Err(PersistError::Corrupt(format!(
                    "ecosystem {eco_name:?} appears twice"
                )));
            }
        }
        d.finish()?;
        Ok(Index {
            advisories,
            entries,
            schemes,
            warnings,
            stats,
        })
    }

    /// Writes the index to `path` through a temporary file in the same directory, renamed into
    /// place once complete.
    ///
    /// # Errors
    /// As [`Index::save`], with the path.
    pub fn save_file(&self, path: &Path, fingerprint: &str) -> Result<()> {
        write_atomic(path, |w| self.save(w, fingerprint))
    }

    /// Reads the index at `path` if it exists and was saved with `fingerprint`: `Ok(None)` when
    /// the file is missing, has another fingerprint or another [`INDEX_FORMAT`] (a stale
    /// cache to rebuild).
    ///
    /// # Errors
    /// As [`Index::load`] for a damaged file, with the path.
    pub fn load_file(path: &Path, fingerprint: &str) -> Result<Option<Index>> {
        let Some(file) = open_existing(path)? else {
            return Ok(None);
        };
        let r = BufReader::with_capacity(1 << 16, file);
        // The fingerprint is compared before the payload is decoded: a stale file costs a
        // header read. (A damaged header that happens to read as another fingerprint or format
        // is treated as stale too: the index is rebuilt either way.)
        match read_header(r, INDEX_FORMAT, INDEX_KIND) {
            Ok((d, found)) if found == fingerprint => {
                Index::load_payload(d).map(Some).map_err(|e| e.at(path))
            }
            Ok(_) | Err(PersistError::FormatVersion { .. }) => Ok(None),
            Err(e) => Err(e.at(path)),
        }
    }
}

/// A length to pre-allocate: a corrupt length must not reserve gigabytes before the read that
/// fails, so the capacity is capped and the vector grows as elements really arrive.
fn cap(n: usize) -> usize {
    n.min(4096)
}

/// Strings up to this length are allocated at their declared size before reading: a corrupt
/// length costs at most this much.
const SMALL: usize = 1 << 16;

fn save_entry<W: Write>(e: &mut Enc<W>, entry: &Entry) -> Result<()> {
    e.u32(entry.advisory)?;
    match &entry.release {
        None => e.u8(0)?,
        Some(r) => {
            e.u8(1)?;
            e.str(r)?;
        }
    }
    e.len(entry.ranges.len())?;
    for range in &entry.ranges {
        e.u8(u8::from(range.semver))?;
        e.len(range.events.len())?;
        for ev in &range.events {
            match ev {
                CEvent::Introduced(Bound::Zero) => e.u8(INTRODUCED_ZERO)?,
                CEvent::Introduced(Bound::At(v)) => {
                    e.u8(INTRODUCED)?;
                    e.str(&canonical(v)?)?;
                }
                CEvent::Fixed(v, text) => {
                    e.u8(FIXED)?;
                    e.str(&canonical(v)?)?;
                    e.str(text)?;
                }
                CEvent::LastAffected(v) => {
                    e.u8(LAST_AFFECTED)?;
                    e.str(&canonical(v)?)?;
                }
                CEvent::Limit(v) => {
                    e.u8(LIMIT)?;
                    e.str(&canonical(v)?)?;
                }
            }
        }
    }
    // The parsed `versions` are the parseable subset of the texts: parsed again on load.
    e.len(entry.versions.len())?;
    for v in &entry.versions {
        e.str(v)?;
    }
    Ok(())
}

/// The text a bound is saved as. Every scheme's `Display` parses back to an equal version;
/// checking it here (a second parse per bound, a fraction of the save time) means a scheme that
/// ever breaks that contract makes saving fail, naming the bound, instead of loading a different
/// index.
fn canonical(v: &Version) -> Result<String> {
    let text = v.to_string();
    match Version::parse(v.scheme(), &text) {
        Ok(again) if again == *v => Ok(text),
        _ => Err(PersistError::Corrupt(format!(
            "bound {text:?} does not parse back to itself as {}; the index cannot be saved",
            v.scheme()
        ))),
    }
}

fn load_version<R: Read>(d: &mut Dec<R>, scheme: Scheme) -> Result<Version> {
    let text = d.transient()?;
    Version::parse(scheme, text).map_err(|err| {
        PersistError::Corrupt(format!("bound {text:?} does not parse as {scheme}: {err}"))
    })
}

fn load_entry<R: Read>(d: &mut Dec<R>, scheme: Scheme, advisories: usize) -> Result<Entry> {
    let advisory = d.u32()?;
    if advisory as usize >= advisories {
        return Err(PersistError::Corrupt(format!(
            "entry names advisory {advisory} of {advisories}"
        )));
    }
    let release = match d.u8()? {
        0 => None,
        1 => Some(d.boxed()?),
        t => return Err(PersistError::Corrupt(format!("release tag {t}"))),
    };
    let n = d.len()?;
    let mut ranges = Vec::with_capacity(cap(n));
    for _ in 0..n {
        let semver = match d.u8()? {
            0 => false,
            1 => true,
            t => return Err(PersistError::Corrupt(format!("range type tag {t}"))),
        };
        let range_scheme = if semver { Scheme::SemVer } else { scheme };
        let m = d.len()?;
        let mut events = Vec::with_capacity(cap(m));
        for _ in 0..m {
            events.push(match d.u8()? {
                INTRODUCED_ZERO => CEvent::Introduced(Bound::Zero),
                INTRODUCED => CEvent::Introduced(Bound::At(load_version(d, range_scheme)?)),
                FIXED => {
                    let v = load_version(d, range_scheme)?;
                    CEvent::Fixed(v, d.boxed()?)
                }
                LAST_AFFECTED => CEvent::LastAffected(load_version(d, range_scheme)?),
                LIMIT => CEvent::Limit(load_version(d, range_scheme)?),
                t => return Err(PersistError::Corrupt(format!("event tag {t}"))),
            });
        }
        events.shrink_to_fit();
        ranges.push(CRange { semver, events });
    }
    ranges.shrink_to_fit();
    let n = d.len()?;
    let mut versions = Vec::with_capacity(cap(n));
    let mut parsed_versions = Vec::new();
    for _ in 0..n {
        let v = d.boxed()?;
        if let Ok(p) = Version::parse(scheme, &v) {
            parsed_versions.push(p);
        }
        versions.push(v);
    }
    versions.shrink_to_fit();
    Ok(Entry {
        advisory,
        release,
        ranges,
        versions,
        parsed_versions,
    })
}

fn open_existing(path: &Path) -> Result<Option<File>> {
    match File::open(path) {
        Ok(f) => Ok(Some(f)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(PersistError::Io(e).at(path)),
    }
}

/// Writes through `<path>.tmp-<pid>` and renames it over `path`, so readers see the old file or
/// the new one, never a partial one.
fn write_atomic(path: &Path, write: impl FnOnce(&mut BufWriter<File>) -> Result<()>) -> Result<()> {
    let mut tmp_name = path.file_name().unwrap_or_default().to_os_string();
    tmp_name.push(format!(".tmp-{}", std::process::id()));
    let tmp = path.with_file_name(tmp_name);
    let result = (|| {
        let file = File::create(&tmp)?;
        let mut w = BufWriter::with_capacity(1 << 16, file);
        write(&mut w)?;
        let file = w
            .into_inner()
            .map_err(|e| PersistError::Io(e.into_error()))?;
        file.sync_all()?;
        std::fs::rename(&tmp, path)?;
        Ok(())
    })();
    if result.is_err() {
        // Best effort: the error that matters is the one returned.
        let _ = std::fs::remove_file(&tmp);
    }
    result.map_err(|e: PersistError| e.at(path))
}

/// Writes `value` to `path` as a cache of kind `std::any::type_name::<T>()` with
/// `fingerprint`, through a temporary file renamed into place.
///
/// # Errors
/// [`PersistError::Payload`] when `value` does not serialise; I/O errors, with the path.
pub fn save_cache<T: Serialize>(path: &Path, fingerprint: &str, value: &T) -> Result<()> {
    let payload =
        postcard::to_allocvec(value).map_err(|e| PersistError::Payload(e.to_string()).at(path))?;
    write_atomic(path, |w| {
        let mut e = write_header(w, CACHE_FORMAT, std::any::type_name::<T>(), fingerprint)?;
        e.u64(payload.len() as u64)?;
        e.bytes(&payload)?;
        e.finish()?;
        Ok(())
    })
}

/// Reads the cache at `path` written by [`save_cache`] for the same `T`: `Ok(None)` when the
/// file is missing or was written for another fingerprint, another [`CACHE_FORMAT`] or another
/// type (a stale cache: rebuild and save it again).
///
/// # Errors
/// A damaged file ([`PersistError::Truncated`], [`PersistError::Checksum`],
/// [`PersistError::Payload`], …) or a read error, with the path.
pub fn load_cache<T: DeserializeOwned>(path: &Path, fingerprint: &str) -> Result<Option<T>> {
    let Some(file) = open_existing(path)? else {
        return Ok(None);
    };
    let read = || -> Result<Option<T>> {
        let r = BufReader::with_capacity(1 << 16, file);
        let (mut d, found) = match read_header(r, CACHE_FORMAT, std::any::type_name::<T>()) {
            Ok(x) => x,
            Err(PersistError::FormatVersion { .. } | PersistError::Kind { .. }) => {
                return Ok(None);
            }
            Err(e) => return Err(e),
        };
        if found != fingerprint {
            return Ok(None);
        }
        let n = d.usize64()?;
        let mut payload = Vec::with_capacity(n.min(1 << 20));
        (&mut d.r)
            .take(n as u64)
            .read_to_end(&mut payload)
            .map_err(eof)?;
        if payload.len() != n {
            return Err(PersistError::Truncated);
        }
        d.hash = fnv(d.hash, &payload);
        d.finish()?;
        postcard::from_bytes(&payload)
            .map(Some)
            .map_err(|e| PersistError::Payload(e.to_string()))
    };
    read().map_err(|e| e.at(path))
}
