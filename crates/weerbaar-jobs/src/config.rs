//! `[jobs]` of the server configuration. Every field has a default, so an empty section (or
//! none) runs all jobs at their usual intervals.

use std::collections::BTreeMap;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use weerbaar_feeds::{HttpOptions, ProxyChoice, UrlConfig};

use crate::JobsError;

/// The background jobs' configuration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct JobsConfig {
    /// Runs no job at all when false (for instances that only serve the API).
    pub enabled: bool,
    /// How long a claim holds without a heartbeat: after an instance dies, its running jobs are
    /// taken over this long after its last heartbeat. Keep it well above clock skew.
    pub lease_seconds: u64,
    /// How often a running job renews its lease; well under `lease_seconds`.
    pub heartbeat_seconds: u64,
    /// How often each instance looks for due slots (and for slots to take over).
    pub tick_seconds: u64,
    pub feed_sync: FeedSyncConfig,
    pub rematch_queue: RematchQueueConfig,
    pub retention: RetentionConfig,
}

impl Default for JobsConfig {
    fn default() -> Self {
        Self {
            enabled: true,
            lease_seconds: 120,
            heartbeat_seconds: 30,
            tick_seconds: 5,
            feed_sync: FeedSyncConfig::default(),
            rematch_queue: RematchQueueConfig::default(),
            retention: RetentionConfig::default(),
        }
    }
}

/// `[jobs.feed_sync]`: download the feeds, rematch what changed, notify.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FeedSyncConfig {
    pub enabled: bool,
    pub interval_seconds: u64,
    /// Once per slot on every instance (each has its own feed files) rather than once in the
    /// cluster; set false when the instances share one feeds directory.
    pub per_instance: bool,
    /// Limit for connecting and for each read of a download.
    pub timeout_seconds: u64,
    /// A proxy URL; without it `HTTPS_PROXY`/`HTTP_PROXY` are used.
    pub proxy: Option<String>,
    /// Sources to sync (`osv`, `nvd`, `kev`, `epss`); empty means all.
    pub sources: Vec<String>,
    /// URLs per source, replacing the defaults and `WEERBAAR_FEED_<SOURCE>_URL` (a mirror).
    pub urls: BTreeMap<String, Vec<String>>,
}

impl Default for FeedSyncConfig {
    fn default() -> Self {
        Self {
            enabled: true,
            interval_seconds: 6 * 3600,
            per_instance: true,
            timeout_seconds: 60,
            proxy: None,
            sources: Vec::new(),
            urls: BTreeMap::new(),
        }
    }
}

impl FeedSyncConfig {
    /// The sources to sync.
    ///
    /// # Errors
    /// [`JobsError::Config`] for an unknown source name.
    pub fn sources(&self) -> Result<Vec<weerbaar_feeds::Source>, JobsError> {
        let mut sources = Vec::new();
        for name in &self.sources {
            let source: weerbaar_feeds::Source = name
                .parse()
                .map_err(|e| JobsError::Config(format!("jobs.feed_sync.sources: {e}")))?;
            if !sources.contains(&source) {
                sources.push(source);
            }
        }
        if sources.is_empty() {
            sources = weerbaar_feeds::Source::ALL.to_vec();
        }
        Ok(sources)
    }

    /// The URLs: defaults, then the environment, then this configuration.
    ///
    /// # Errors
    /// [`JobsError::Config`] for an unknown source or an empty URL.
    pub fn url_config(&self) -> Result<UrlConfig, JobsError> {
        let mut urls = UrlConfig::from_env();
        let args: Vec<String> = self
            .urls
            .iter()
            .flat_map(|(source, list)| list.iter().map(move |url| format!("{source}={url}")))
            .collect();
        urls.apply_args(&args)
            .map_err(|e| JobsError::Config(format!("jobs.feed_sync.urls: {e}")))?;
        Ok(urls)
    }

    /// The download options.
    #[must_use]
    pub fn http(&self) -> HttpOptions {
        HttpOptions {
            proxy: self
                .proxy
                .clone()
                .map_or(ProxyChoice::Env, ProxyChoice::Url),
            timeout: Duration::from_secs(self.timeout_seconds.max(1)),
            nvd_api_key: std::env::var("WEERBAAR_NVD_API_KEY")
                .ok()
                .filter(|k| !k.is_empty()),
            no_proxy: None,
        }
    }
}

/// `[jobs.rematch_queue]`: match the assets uploads changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RematchQueueConfig {
    pub enabled: bool,
    pub interval_seconds: u64,
    /// Queue entries taken per batch; a run drains the queue batch by batch.
    pub batch: u32,
}

impl Default for RematchQueueConfig {
    fn default() -> Self {
        Self {
            enabled: true,
            interval_seconds: 30,
            batch: 500,
        }
    }
}

/// `[jobs.retention]`: drop what is no longer needed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RetentionConfig {
    pub enabled: bool,
    pub interval_seconds: u64,
    /// Bodies of finished uploads older than this are dropped (the status row stays).
    pub upload_body_days: u64,
    /// Import history older than this is deleted, except each asset's latest import.
    pub import_history_days: u64,
    /// Records of finished job runs older than this are deleted.
    pub job_runs_days: u64,
}

impl Default for RetentionConfig {
    fn default() -> Self {
        Self {
            enabled: true,
            interval_seconds: 86_400,
            upload_body_days: 30,
            import_history_days: 400,
            job_runs_days: 30,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_section_is_the_defaults_and_unknown_keys_are_refused() {
        let parsed: JobsConfig = serde_json::from_str("{}").expect("defaults");
        assert_eq!(parsed, JobsConfig::default());
        let partial: JobsConfig =
            serde_json::from_str(r#"{"retention": {"upload_body_days": 7}}"#).expect("partial");
        assert_eq!(partial.retention.upload_body_days, 7);
        assert_eq!(partial.retention.interval_seconds, 86_400);
        assert!(serde_json::from_str::<JobsConfig>(r#"{"lease": 3}"#).is_err());
    }

    #[test]
    fn the_toml_section_reads_as_documented() {
        let text = r#"
            lease_seconds = 60
            [feed_sync]
            interval_seconds = 3600
            per_instance = false
            sources = ["osv", "kev"]
            urls = { kev = ["http://mirror.example/kev.json"] }
            [rematch_queue]
            enabled = false
            [retention]
            upload_body_days = 14
        "#;
        let config: JobsConfig = toml::from_str(text).expect("toml");
        assert_eq!(config.lease_seconds, 60);
        assert_eq!(config.heartbeat_seconds, 30);
        assert!(!config.feed_sync.per_instance);
        assert_eq!(config.feed_sync.interval_seconds, 3600);
        assert_eq!(
            config.feed_sync.urls["kev"],
            ["http://mirror.example/kev.json"]
        );
        assert!(!config.rematch_queue.enabled);
        assert_eq!(config.retention.upload_body_days, 14);
        assert_eq!(config.retention.import_history_days, 400);
    }

    #[test]
    fn sources_and_urls_are_checked() {
        let mut config = FeedSyncConfig::default();
        assert_eq!(config.sources().expect("all").len(), 4);
        config.sources = vec!["kev".into(), "kev".into()];
        assert_eq!(
            config.sources().expect("kev"),
            [weerbaar_feeds::Source::Kev]
        );
        config.sources = vec!["rss".into()];
        assert!(config.sources().is_err());
        config
            .urls
            .insert("kev".into(), vec!["http://mirror.example/kev.json".into()]);
        let urls = config.url_config().expect("urls");
        assert_eq!(
            urls.urls(weerbaar_feeds::Source::Kev),
            ["http://mirror.example/kev.json"]
        );
        config
            .urls
            .insert("rss".into(), vec!["http://x.example".into()]);
        assert!(config.url_config().is_err());
    }
}
