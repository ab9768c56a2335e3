//! The feed sources, their default URLs, how old each may get, and how URLs are configured.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use crate::Error;

/// One advisory feed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Source {
    /// OSV records, one `all.zip` per ecosystem.
    Osv,
    /// NVD CVE JSON 2.0 (API pages or a file).
    Nvd,
    /// The CISA Known Exploited Vulnerabilities catalog (JSON).
    Kev,
    /// FIRST EPSS daily scores (`csv.gz`).
    Epss,
}

/// The OSV ecosystems synchronised by default: those weerbaar's inventory importers produce
/// (operating-system packages of the distributions municipalities run, and the language
/// ecosystems of the lockfile importers). Each is one `all.zip`; override with `--url osv=…`.
pub const DEFAULT_OSV_ECOSYSTEMS: &[&str] = &[
    "Debian",
    "Ubuntu",
    "Alpine",
    "AlmaLinux",
    "Rocky%20Linux",
    "Red%20Hat",
    "PyPI",
    "npm",
    "Maven",
    "NuGet",
    "Go",
    "crates.io",
    "Packagist",
    "RubyGems",
];

impl Source {
    /// Every source, in the order `sync` and `status` list them.
    pub const ALL: [Source; 4] = [Source::Osv, Source::Nvd, Source::Kev, Source::Epss];

    /// The lowercase name used on the command line, in directories and in manifests.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Source::Osv => "osv",
            Source::Nvd => "nvd",
            Source::Kev => "kev",
            Source::Epss => "epss",
        }
    }

    /// The official publication URLs.
    #[must_use]
    pub fn default_urls(self) -> Vec<String> {
        match self {
            Source::Osv => DEFAULT_OSV_ECOSYSTEMS
                .iter()
                .map(|eco| format!("https://osv-vulnerabilities.storage.googleapis.com/{eco}/all.zip"))
                .collect(),
            Source::Nvd => vec!["https://services.nvd.nist.gov/rest/json/cves/2.0".to_owned()],
            Source::Kev => vec![
                "https://www.cisa.gov/sites/default/files/feeds/known_exploited_vulnerabilities.json"
                    .to_owned(),
            ],
            Source::Epss => {
                vec!["https://epss.empiricalsecurity.com/epss_scores-current.csv.gz".to_owned()]
            }
        }
    }

    /// How old (seconds since the last successful sync) the data may get before `status` warns:
    /// KEV, EPSS and OSV are republished daily, so two days means a missed run; NVD a week.
    #[must_use]
    pub fn stale_after(self) -> i64 {
        const DAY: i64 = 24 * 60 * 60;
        match self {
            Source::Osv | Source::Kev | Source::Epss => 2 * DAY,
            Source::Nvd => 7 * DAY,
        }
    }

    /// The environment variable that overrides the URLs: `WEERBAAR_FEED_KEV_URL`.
    #[must_use]
    pub fn env_var(self) -> String {
        format!("WEERBAAR_FEED_{}_URL", self.name().to_ascii_uppercase())
    }

    /// Whether the source keeps one file (a new one replaces it) or several (OSV ecosystems,
    /// NVD pages).
    #[must_use]
    pub fn single_file(self) -> bool {
        matches!(self, Source::Kev | Source::Epss)
    }
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Source {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Source::ALL
            .into_iter()
            .find(|src| src.name().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| {
                Error::Config(format!("unknown feed source {s:?} (osv, nvd, kev, epss)"))
            })
    }
}

/// The URLs each source is fetched from: the defaults, replaced per source by the environment
/// (`WEERBAAR_FEED_<SOURCE>_URL`, several separated by commas or whitespace), replaced in turn
/// by `--url SOURCE=URL` (repeatable; several for one source form its list).
#[derive(Debug, Clone, Default)]
pub struct UrlConfig {
    overrides: BTreeMap<Source, Vec<String>>,
}

impl UrlConfig {
    /// Reads the environment overrides.
    #[must_use]
    pub fn from_env() -> Self {
        let mut overrides = BTreeMap::new();
        for source in Source::ALL {
            if let Ok(value) = std::env::var(source.env_var()) {
                let urls: Vec<String> = value
                    .split(|c: char| c == ',' || c.is_whitespace())
                    .filter(|u| !u.is_empty())
                    .map(str::to_owned)
                    .collect();
                if !urls.is_empty() {
                    overrides.insert(source, urls);
                }
            }
        }
        Self { overrides }
    }

    /// Applies `--url SOURCE=URL` arguments: the first one for a source replaces the defaults
    /// and the environment, further ones add to it.
    ///
    /// # Errors
    /// [`Error::Config`] for an argument without `=`, an unknown source or an empty URL.
    pub fn apply_args(&mut self, args: &[String]) -> Result<(), Error> {
        let mut from_args: BTreeMap<Source, Vec<String>> = BTreeMap::new();
        for arg in args {
            let (source, url) = arg.split_once('=').ok_or_else(|| {
                Error::Config(format!(
                    "--url {arg:?}: expected SOURCE=URL (kev=https://…)"
                ))
            })?;
            let source: Source = source.parse()?;
            if url.trim().is_empty() {
                return Err(Error::Config(format!("--url {arg:?}: the URL is empty")));
            }
            from_args
                .entry(source)
                .or_default()
                .push(url.trim().to_owned());
        }
        self.overrides.extend(from_args);
        Ok(())
    }

    /// The URLs of `source`.
    #[must_use]
    pub fn urls(&self, source: Source) -> Vec<String> {
        self.overrides
            .get(&source)
            .cloned()
            .unwrap_or_else(|| source.default_urls())
    }
}
