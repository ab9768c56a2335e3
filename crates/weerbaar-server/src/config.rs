//! The server's configuration: a TOML file, then `WEERBAAR_*` environment variables on top,
//! then the command line (applied by the binary). docs/configuration.md is the reference.
//!
//! Unknown keys are errors (a misspelt `max_byte` must not silently keep the default), except
//! inside `[jobs]`, which belongs to the background jobs and is handed to them unread.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// The effective configuration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// Address and port to listen on.
    pub bind: String,
    /// `postgres://…` or `sqlite://PATH`; when absent, SQLite in `data_dir`.
    pub database: Option<String>,
    /// Feeds, caches and the default SQLite database.
    pub data_dir: PathBuf,
    /// A patch-plan policy file (weerbaar-plan's TOML); the built-in policy when absent.
    pub policy: Option<PathBuf>,
    pub log: LogConfig,
    pub uploads: UploadConfig,
    pub tokens: TokenConfig,
    /// Settings of the background jobs, passed to them as written.
    pub jobs: toml::Table,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LogConfig {
    pub format: LogFormat,
    /// A `tracing` filter (`info`, `weerbaar_server=debug,info`).
    pub level: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct UploadConfig {
    /// The largest inventory file accepted, in bytes.
    pub max_bytes: u64,
    /// How long a worker holds an upload it processes before another instance may take it
    /// over (the worker renews it while it works), in seconds.
    pub lease_seconds: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct TokenConfig {
    /// Lifetime of a token created without an explicit expiry, in days.
    pub default_days: u32,
    /// The longest lifetime a token may be given, in days.
    pub max_days: u32,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            bind: "127.0.0.1:8080".to_owned(),
            database: None,
            data_dir: PathBuf::from("weerbaar-data"),
            policy: None,
            log: LogConfig::default(),
            uploads: UploadConfig::default(),
            tokens: TokenConfig::default(),
            jobs: toml::Table::new(),
        }
    }
}

impl Default for LogConfig {
    fn default() -> Self {
        Self {
            format: LogFormat::Text,
            level: "info".to_owned(),
        }
    }
}

impl Default for UploadConfig {
    fn default() -> Self {
        // 64 MiB: a full SBOM of a large application server is a few MiB; this leaves room
        // without letting one request hold a worker's memory hostage.
        Self {
            max_bytes: 64 * 1024 * 1024,
            lease_seconds: 60,
        }
    }
}

impl Default for TokenConfig {
    fn default() -> Self {
        Self {
            default_days: 90,
            max_days: 365,
        }
    }
}

/// A configuration that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read {file}: {reason}")]
    Read { file: String, reason: String },
    /// The TOML is malformed or has an unknown key or a wrong type.
    #[error("{file}:{line}:{column}: {message}")]
    Toml {
        file: String,
        line: usize,
        column: usize,
        message: String,
    },
    /// A value is well-formed but not usable.
    #[error("{key}: {message}")]
    Invalid { key: String, message: String },
}

/// The environment variables read, each with its key in the file.
pub const ENV_VARS: &[(&str, &str)] = &[
    ("WEERBAAR_BIND", "bind"),
    ("WEERBAAR_DATABASE_URL", "database"),
    ("WEERBAAR_DATA_DIR", "data_dir"),
    ("WEERBAAR_POLICY", "policy"),
    ("WEERBAAR_LOG_FORMAT", "log.format"),
    ("WEERBAAR_LOG_LEVEL", "log.level"),
    ("WEERBAAR_UPLOAD_MAX_BYTES", "uploads.max_bytes"),
    ("WEERBAAR_UPLOAD_LEASE_SECONDS", "uploads.lease_seconds"),
    ("WEERBAAR_TOKEN_DEFAULT_DAYS", "tokens.default_days"),
    ("WEERBAAR_TOKEN_MAX_DAYS", "tokens.max_days"),
];

fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset.min(text.len())).unwrap_or("");
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

fn invalid(key: &str, message: impl Into<String>) -> ConfigError {
    ConfigError::Invalid {
        key: key.to_owned(),
        message: message.into(),
    }
}

impl Config {
    /// Parses a configuration file's text; `file` names it in errors.
    ///
    /// # Errors
    /// [`ConfigError::Toml`] with the line and column.
    pub fn parse(file: &str, text: &str) -> Result<Self, ConfigError> {
        toml::from_str(text).map_err(|e: toml::de::Error| {
            let (line, column) = e
                .span()
                .map_or((0, 0), |span| line_column(text, span.start));
            ConfigError::Toml {
                file: file.to_owned(),
                line,
                column,
                message: e.message().trim().to_owned(),
            }
        })
    }

    /// The file (if any), then the environment (`env` looks a variable up), validated.
    ///
    /// # Errors
    /// [`ConfigError`].
    pub fn load(
        file: Option<&Path>,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<Self, ConfigError> {
        let mut config = match file {
            Some(path) => {
                let text = std::fs::read_to_string(path).map_err(|e| ConfigError::Read {
                    file: path.display().to_string(),
                    reason: e.to_string(),
                })?;
                Self::parse(&path.display().to_string(), &text)?
            }
            None => Self::default(),
        };
        config.apply_env(env)?;
        config.validate()?;
        Ok(config)
    }

    fn apply_env(&mut self, env: impl Fn(&str) -> Option<String>) -> Result<(), ConfigError> {
        let number = |var: &str, value: &str| -> Result<u64, ConfigError> {
            value
                .trim()
                .parse()
                .map_err(|_| invalid(var, format!("{value:?} is not a whole number")))
        };
        for (var, _) in ENV_VARS {
            let Some(value) = env(var).filter(|v| !v.is_empty()) else {
                continue;
            };
            match *var {
                "WEERBAAR_BIND" => self.bind = value,
                "WEERBAAR_DATABASE_URL" => self.database = Some(value),
                "WEERBAAR_DATA_DIR" => self.data_dir = PathBuf::from(value),
                "WEERBAAR_POLICY" => self.policy = Some(PathBuf::from(value)),
                "WEERBAAR_LOG_FORMAT" => {
                    self.log.format = match value.trim() {
                        "text" => LogFormat::Text,
                        "json" => LogFormat::Json,
                        other => return Err(invalid(var, format!("{other:?}: use text or json"))),
                    }
                }
                "WEERBAAR_LOG_LEVEL" => self.log.level = value,
                "WEERBAAR_UPLOAD_MAX_BYTES" => self.uploads.max_bytes = number(var, &value)?,
                "WEERBAAR_UPLOAD_LEASE_SECONDS" => {
                    self.uploads.lease_seconds = number(var, &value)?;
                }
                "WEERBAAR_TOKEN_DEFAULT_DAYS" => {
                    self.tokens.default_days = u32::try_from(number(var, &value)?)
                        .map_err(|_| invalid(var, "too large"))?;
                }
                "WEERBAAR_TOKEN_MAX_DAYS" => {
                    self.tokens.max_days = u32::try_from(number(var, &value)?)
                        .map_err(|_| invalid(var, "too large"))?;
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// Checks values that parse but cannot work.
    ///
    /// # Errors
    /// [`ConfigError::Invalid`] naming the key.
    pub fn validate(&self) -> Result<(), ConfigError> {
        if self.bind.parse::<std::net::SocketAddr>().is_err() {
            return Err(invalid(
                "bind",
                format!(
                    "{:?} is not ADDRESS:PORT (127.0.0.1:8080, [::]:8080)",
                    self.bind
                ),
            ));
        }
        if let Some(url) = &self.database {
            weerbaar_store::Backend::from_url(url)
                .map_err(|e| invalid("database", e.to_string()))?;
        }
        if self.uploads.max_bytes == 0 {
            return Err(invalid("uploads.max_bytes", "must be at least 1"));
        }
        if self.uploads.lease_seconds == 0 {
            return Err(invalid("uploads.lease_seconds", "must be at least 1"));
        }
        if self.tokens.max_days == 0 {
            return Err(invalid("tokens.max_days", "must be at least 1"));
        }
        if self.tokens.default_days == 0 || self.tokens.default_days > self.tokens.max_days {
            return Err(invalid(
                "tokens.default_days",
                format!(
                    "must be between 1 and tokens.max_days ({})",
                    self.tokens.max_days
                ),
            ));
        }
        tracing_subscriber::EnvFilter::try_new(&self.log.level)
            .map_err(|e| invalid("log.level", e.to_string()))?;
        Ok(())
    }

    /// The database URL in use: the configured one, or SQLite in the data directory.
    #[must_use]
    pub fn database_url(&self) -> String {
        self.database.clone().unwrap_or_else(|| {
            weerbaar_store::sqlite_url(&self.data_dir.join(weerbaar_store::SQLITE_FILE))
        })
    }

    /// The effective configuration as TOML, with the database password hidden.
    #[must_use]
    pub fn redacted_toml(&self) -> String {
        let mut shown = self.clone();
        shown.database = shown
            .database
            .as_deref()
            .map(weerbaar_store::backend::redact);
        toml::to_string(&shown).unwrap_or_else(|e| format!("# cannot show: {e}\n"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_name_file_line_and_column() {
        let err = Config::parse(
            "server.toml",
            "bind = \"0.0.0.0:80\"\n[uploads]\nmax_byte = 3\n",
        )
        .expect_err("unknown key");
        match err {
            ConfigError::Toml { file, line, .. } => {
                assert_eq!(file, "server.toml");
                assert_eq!(line, 3);
            }
            other => panic!("{other:?}"),
        }
        let wrong_type = Config::parse("c", "[tokens]\nmax_days = \"x\"\n").expect_err("type");
        assert!(wrong_type.to_string().starts_with("c:2:"), "{wrong_type}");
    }

    #[test]
    fn environment_overrides_the_file_and_jobs_stay_opaque() {
        let config = Config::parse(
            "c",
            "bind = \"127.0.0.1:1\"\n[jobs.feed_sync]\nevery = \"6h\"\n",
        )
        .expect("valid");
        assert_eq!(
            config.jobs["feed_sync"]["every"].as_str(),
            Some("6h"),
            "jobs keys are not checked here"
        );
        let mut config = config;
        config
            .apply_env(|var| match var {
                "WEERBAAR_BIND" => Some("0.0.0.0:9000".into()),
                "WEERBAAR_UPLOAD_MAX_BYTES" => Some("1000".into()),
                _ => None,
            })
            .expect("valid");
        assert_eq!(config.bind, "0.0.0.0:9000");
        assert_eq!(config.uploads.max_bytes, 1000);
        let bad = Config::default()
            .apply_env(|v| (v == "WEERBAAR_TOKEN_MAX_DAYS").then(|| "ninety".to_owned()));
        assert!(bad.is_err());
    }

    #[test]
    fn validation_and_redaction() {
        let mut config = Config {
            database: Some("postgres://app:s3cret@db.example/w".into()),
            ..Config::default()
        };
        config.validate().expect("valid");
        let shown = config.redacted_toml();
        assert!(!shown.contains("s3cret"), "{shown}");
        config.bind = "localhost".into();
        assert!(config.validate().is_err());
        let mut config = Config::default();
        config.tokens.default_days = 400;
        assert!(config.validate().is_err());
    }
}
