//! The notification configuration: one TOML file, no secrets in it.
//!
//! Passwords and signing secrets are named by the environment variable that holds them
//! (`password_env`, `secret_env`), so the file can be versioned, shown and logged; the values are
//! read once by [`crate::Notifier::new`]. A [`Config`] therefore holds no secret at all, and its
//! `Debug` output is safe by construction (URLs with credentials are redacted as well).

use std::collections::BTreeSet;
use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

use serde::Deserialize;
use toml::Spanned;
use weerbaar_plan::Lang;
use weerbaar_plan::alert::AlertKind;

use crate::redact_url;

/// The parsed configuration file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// The file name given to [`Config::parse`], for messages.
    pub file: String,
    /// Required when any destination has e-mail recipients.
    pub smtp: Option<SmtpConfig>,
    pub webhook: WebhookConfig,
    pub destinations: Vec<Destination>,
}

/// How the SMTP connection is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Security {
    /// Plain connection upgraded with `STARTTLS` (port 587); refused if the server does not offer
    /// it, so an attacker cannot strip it.
    Starttls,
    /// TLS from the first byte ("implicit TLS", port 465).
    Tls,
    /// No encryption: only for a relay on localhost or the municipality's LAN. Never the default.
    None,
}

/// The SMTP server weerbaar submits its mail to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmtpConfig {
    pub host: String,
    /// Defaults to 587 (`starttls`), 465 (`tls`) or 25 (`none`).
    pub port: u16,
    pub security: Security,
    pub username: Option<String>,
    /// The name of the environment variable holding the password (never the password).
    pub password_env: Option<String>,
    /// The envelope sender and `From:` address.
    pub from: String,
    /// The display name in `From:` (default `weerbaar`).
    pub from_name: String,
    /// The name sent with `EHLO`; default the address literal of the local end (`[192.0.2.7]`).
    pub helo_name: Option<String>,
    /// Limit for connecting and for each reply (default 30 s).
    pub timeout: Duration,
    /// Extra trusted root certificates (PEM), for a relay with an internal CA.
    pub ca_file: Option<PathBuf>,
}

/// How webhooks are posted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookConfig {
    /// Limit for connecting, for the response and for each read (default 30 s).
    pub timeout: Duration,
    pub proxy: Proxy,
    /// Hosts reached without the proxy (`NO_PROXY` syntax); `None` reads `NO_PROXY`.
    pub no_proxy: Option<String>,
}

impl Default for WebhookConfig {
    fn default() -> Self {
        Self {
            timeout: DEFAULT_TIMEOUT,
            proxy: Proxy::Env,
            no_proxy: None,
        }
    }
}

/// Which proxy webhooks go through (the same rules as the feed downloads).
pub use weerbaar_http::ProxyChoice as Proxy;

/// Which tenants' alerts a destination receives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TenantSelector {
    /// `tenant = "*"`: every tenant (the provider).
    All,
    /// One tenant's slug.
    Slug(String),
}

impl TenantSelector {
    #[must_use]
    pub fn matches(&self, tenant: &str) -> bool {
        match self {
            Self::All => true,
            Self::Slug(s) => s == tenant,
        }
    }
}

/// Who is told, how, in which language, about what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Destination {
    /// Unique in the file; names the destination in deliveries and errors.
    pub name: String,
    pub tenant: TenantSelector,
    pub lang: Lang,
    /// The alert kinds wanted (default both).
    pub kinds: BTreeSet<AlertKind>,
    /// E-mail recipients, all in one message.
    pub email: Vec<String>,
    pub webhooks: Vec<WebhookTarget>,
}

/// One webhook URL.
#[derive(Clone, PartialEq, Eq)]
pub struct WebhookTarget {
    pub url: String,
    /// The name of the environment variable holding the HMAC-SHA256 signing secret.
    pub secret_env: Option<String>,
}

impl fmt::Debug for WebhookTarget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WebhookTarget")
            .field("url", &redact_url(&self.url))
            .field("secret_env", &self.secret_env)
            .finish()
    }
}

const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// A configuration file that cannot be used, with its location.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ConfigError {
    pub file: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.line, self.column) {
            (Some(l), Some(c)) => write!(f, "{}:{l}:{c}: {}", self.file, self.message),
            _ => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    smtp: Option<Spanned<RawSmtp>>,
    webhook: Option<RawWebhook>,
    #[serde(default)]
    destination: Vec<Spanned<RawDestination>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSmtp {
    host: Spanned<String>,
    port: Option<u16>,
    security: Option<Security>,
    username: Option<Spanned<String>>,
    password_env: Option<Spanned<String>>,
    from: Spanned<String>,
    from_name: Option<Spanned<String>>,
    helo_name: Option<Spanned<String>>,
    timeout_seconds: Option<Spanned<u64>>,
    ca_file: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawWebhook {
    timeout_seconds: Option<Spanned<u64>>,
    proxy: Option<Spanned<String>>,
    no_proxy: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDestination {
    name: Spanned<String>,
    tenant: Spanned<String>,
    #[serde(default)]
    lang: Lang,
    kinds: Option<Spanned<Vec<AlertKind>>>,
    #[serde(default)]
    email: Vec<Spanned<String>>,
    #[serde(default)]
    webhook: Vec<RawHook>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHook {
    url: Spanned<String>,
    secret_env: Option<Spanned<String>>,
}

impl Config {
    /// Parses the TOML text of `file`.
    ///
    /// # Errors
    ///
    /// [`ConfigError`] naming the file, line and column, for TOML syntax errors, unknown keys,
    /// wrong types and invalid values (addresses, URLs, variable names, duplicate destinations).
    pub fn parse(file: &str, text: &str) -> Result<Self, ConfigError> {
        let at = |span: std::ops::Range<usize>, message: String| {
            let (line, column) = line_col(text, span.start);
            ConfigError {
                file: file.to_owned(),
                line: Some(line),
                column: Some(column),
                message,
            }
        };
        let raw: RawFile = toml::from_str(text).map_err(|e| match e.span() {
            Some(span) => at(span, e.message().trim().to_owned()),
            None => ConfigError {
                file: file.to_owned(),
                line: None,
                column: None,
                message: e.message().trim().to_owned(),
            },
        })?;

        let smtp = raw.smtp.map(|s| smtp(s, &at)).transpose()?;
        let webhook = match raw.webhook {
            None => WebhookConfig::default(),
            Some(w) => WebhookConfig {
                timeout: timeout(w.timeout_seconds.as_ref(), &at)?,
                proxy: match w.proxy {
                    None => Proxy::Env,
                    Some(p) => match p.get_ref().trim() {
                        "env" => Proxy::Env,
                        "none" => Proxy::None,
                        url if url.starts_with("http://") || url.starts_with("https://") => {
                            Proxy::Url(url.to_owned())
                        }
                        _ => {
                            return Err(at(
                                p.span(),
                                "proxy must be \"env\", \"none\" or a proxy URL \
                                 (http://proxy.example:3128)"
                                    .into(),
                            ));
                        }
                    },
                },
                no_proxy: w.no_proxy,
            },
        };

        let mut names = BTreeSet::new();
        let mut destinations = Vec::new();
        for d in raw.destination {
            let span = d.span();
            let d = d.into_inner();
            let name = d.name.get_ref().trim().to_owned();
            if name.is_empty() || name.chars().any(char::is_control) {
                return Err(at(
                    d.name.span(),
                    "a destination needs a printable name".into(),
                ));
            }
            if !names.insert(name.clone()) {
                return Err(at(
                    d.name.span(),
                    format!("destination {name:?} is defined twice"),
                ));
            }
            let tenant = match d.tenant.get_ref().as_str() {
                "*" => TenantSelector::All,
                slug if is_slug(slug) => TenantSelector::Slug(slug.to_owned()),
                other => {
                    return Err(at(
                        d.tenant.span(),
                        format!(
                            "tenant {other:?} is neither \"*\" nor a tenant slug (lowercase \
                             letters, digits and -)"
                        ),
                    ));
                }
            };
            let kinds: BTreeSet<AlertKind> = match &d.kinds {
                None => [AlertKind::NewKev, AlertKind::NewAct].into(),
                Some(k) if k.get_ref().is_empty() => {
                    return Err(at(
                        k.span(),
                        "kinds is empty: the destination would never be told anything".into(),
                    ));
                }
                Some(k) => k.get_ref().iter().copied().collect(),
            };
            let mut email = Vec::new();
            for e in &d.email {
                let addr = e.get_ref().trim();
                if !is_address(addr) {
                    return Err(at(
                        e.span(),
                        format!("{addr:?} is not an e-mail address (local@domain, ASCII)"),
                    ));
                }
                email.push(addr.to_owned());
            }
            let mut webhooks = Vec::new();
            for h in d.webhook {
                let url = h.url.get_ref().trim();
                if !(url.starts_with("https://") || url.starts_with("http://"))
                    || url.chars().any(|c| c.is_whitespace() || c.is_control())
                {
                    return Err(at(
                        h.url.span(),
                        format!("{:?} is not an http(s) URL", redact_url(url)),
                    ));
                }
                let secret_env = h.secret_env.map(|v| env_name(&v, &at)).transpose()?;
                webhooks.push(WebhookTarget {
                    url: url.to_owned(),
                    secret_env,
                });
            }
            if email.is_empty() && webhooks.is_empty() {
                return Err(at(
                    span,
                    format!("destination {name:?} has neither email recipients nor a webhook"),
                ));
            }
            if !email.is_empty() && smtp.is_none() {
                return Err(at(
                    span,
                    format!(
                        "destination {name:?} has email recipients but there is no [smtp] table"
                    ),
                ));
            }
            destinations.push(Destination {
                name,
                tenant,
                lang: d.lang,
                kinds,
                email,
                webhooks,
            });
        }
        Ok(Self {
            file: file.to_owned(),
            smtp,
            webhook,
            destinations,
        })
    }

    /// The destinations that receive `tenant`'s alerts.
    pub fn destinations_for<'a>(
        &'a self,
        tenant: &'a str,
    ) -> impl Iterator<Item = &'a Destination> {
        self.destinations
            .iter()
            .filter(move |d| d.tenant.matches(tenant))
    }
}

type At<'a> = dyn Fn(std::ops::Range<usize>, String) -> ConfigError + 'a;

fn smtp(s: Spanned<RawSmtp>, at: &At<'_>) -> Result<SmtpConfig, ConfigError> {
    let span = s.span();
    let s = s.into_inner();
    let host = s.host.get_ref().trim();
    if host.is_empty() || host.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(at(s.host.span(), format!("{host:?} is not a host name")));
    }
    let security = s.security.unwrap_or(Security::Starttls);
    let port = s.port.unwrap_or(match security {
        Security::Starttls => 587,
        Security::Tls => 465,
        Security::None => 25,
    });
    let from = s.from.get_ref().trim();
    if !is_address(from) {
        return Err(at(
            s.from.span(),
            format!("from {from:?} is not an e-mail address (local@domain, ASCII)"),
        ));
    }
    let username = s.username.map(|u| u.into_inner());
    let password_env = s.password_env.map(|v| env_name(&v, at)).transpose()?;
    if username.is_some() != password_env.is_some() {
        return Err(at(
            span,
            "username and password_env go together (authentication needs both)".into(),
        ));
    }
    if let Some(u) = &username
        && u.chars().any(char::is_control)
    {
        return Err(at(span, "the username contains control characters".into()));
    }
    let from_name = match s.from_name {
        None => "weerbaar".to_owned(),
        Some(n) if n.get_ref().chars().any(char::is_control) => {
            return Err(at(n.span(), "from_name contains control characters".into()));
        }
        Some(n) => n.into_inner(),
    };
    let helo_name = match s.helo_name {
        None => None,
        Some(h) => {
            let name = h.get_ref().trim();
            if name.is_empty()
                || !name
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-.[]:".contains(&b))
            {
                return Err(at(
                    h.span(),
                    format!("helo_name {name:?} is not a host name"),
                ));
            }
            Some(name.to_owned())
        }
    };
    Ok(SmtpConfig {
        host: host.to_owned(),
        port,
        security,
        username,
        password_env,
        from: from.to_owned(),
        from_name,
        helo_name,
        timeout: timeout(s.timeout_seconds.as_ref(), at)?,
        ca_file: s.ca_file.map(PathBuf::from),
    })
}

fn timeout(seconds: Option<&Spanned<u64>>, at: &At<'_>) -> Result<Duration, ConfigError> {
    match seconds {
        None => Ok(DEFAULT_TIMEOUT),
        Some(s) if (1..=3600).contains(s.get_ref()) => Ok(Duration::from_secs(*s.get_ref())),
        Some(s) => Err(at(
            s.span(),
            "timeout_seconds must be between 1 and 3600".into(),
        )),
    }
}

/// An environment variable name (`WEERBAAR_SMTP_PASSWORD`). Rejecting anything else catches the
/// mistake of pasting the secret itself into the file, without echoing it back.
fn env_name(v: &Spanned<String>, at: &At<'_>) -> Result<String, ConfigError> {
    let name = v.get_ref().trim();
    let valid = !name.is_empty()
        && !name.starts_with(|c: char| c.is_ascii_digit())
        && name
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_');
    if valid {
        Ok(name.to_owned())
    } else {
        Err(at(
            v.span(),
            "expected the NAME of an environment variable (A-Z, 0-9, _), not a secret; \
             the value is not shown"
                .into(),
        ))
    }
}

/// A tenant slug as storage accepts it.
fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 63
        && !s.starts_with('-')
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// A plain ASCII `local@domain`: what goes into `MAIL FROM:<…>`/`RCPT TO:<…>` and headers must
/// not be able to carry spaces, brackets, quotes or line breaks. Internationalised addresses
/// (SMTPUTF8) are not supported.
pub(crate) fn is_address(s: &str) -> bool {
    let Some((local, domain)) = s.rsplit_once('@') else {
        return false;
    };
    let atext = |b: u8| b.is_ascii_alphanumeric() || b"!#$%&'*+-/=?^_`{|}~.".contains(&b);
    !local.is_empty()
        && local.len() <= 64
        && local.bytes().all(atext)
        && !domain.is_empty()
        && domain.len() <= 253
        && domain
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
}

/// One-based line and column (in characters) of a byte offset.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before.get(line_start..).map_or(0, |s| s.chars().count()) + 1;
    (line, column)
}
