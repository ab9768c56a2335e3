//! Notifications: a digest e-mail (SMTP) and a signed JSON webhook when a tenant gets a new KEV
//! or a new Act finding.
//!
//! The pure half, which changes deserve an alert, is [`weerbaar_plan::alert::alerts`]; this
//! adapter crate turns its [`Alert`]s into messages and delivers them. The binary calls it after
//! each rematch:
//!
//! ```no_run
//! # fn run(config_text: &str, alerts: Vec<weerbaar_plan::alert::Alert>) -> Result<(), Box<dyn std::error::Error>> {
//! use weerbaar_notify::{Config, Notifier};
//! let config = Config::parse("notify.toml", config_text)?; // at start-up: located errors
//! let notifier = Notifier::from_env(config)?;              // reads the secrets once
//! for delivery in notifier.send(&alerts, jiff::Timestamp::now()) {
//!     if let Err(e) = &delivery.result {
//!         eprintln!("notification not delivered: {delivery}"); // names destination and reply
//!         # let _ = e;
//!     }
//! }
//! # Ok(()) }
//! ```
//!
//! Design decisions:
//!
//! * **One digest per destination and tenant.** A rematch after a KEV update can raise dozens of
//!   alerts at once; one e-mail listing them all (and one webhook POST) is read, while a message
//!   per finding is filtered away. The subject carries the counts
//!   (`[weerbaar] diest: 2 new KEV findings, 1 Act`), the body every finding with asset, package,
//!   installed version, ids, KEV due date and ransomware use, and fixed versions.
//! * **Destinations, including the provider.** A destination names a tenant (its own IT staff, in
//!   their language) or `tenant = "*"`: the provider that runs weerbaar for many municipalities
//!   sees every tenant's alerts without a destination per tenant, and a tenant added later is
//!   covered automatically. Each destination chooses its channels (e-mail recipients, webhook
//!   URLs), language (en, nl-BE) and alert kinds.
//! * **Each delivery stands alone.** [`Notifier::send`] returns one [`Delivery`] per destination,
//!   tenant and channel (each webhook URL is its own); a refused recipient or a dead receiver
//!   never stops the others. Nothing is retried here: the caller decides (the alerts can be
//!   recomputed from the stored findings).
//! * **Signed webhooks.** With `secret_env`, each POST carries `X-Weerbaar-Signature:
//!   sha256=<hex>`, the HMAC-SHA256 of the exact body bytes, so a receiver can check that the body
//!   comes from this weerbaar and was not changed; `X-Weerbaar-Delivery` (also in the body) lets
//!   it drop duplicates, and `generated_at` stale replays.
//! * **Secrets stay out of files, errors and logs.** The configuration names environment
//!   variables (`password_env`, `secret_env`); [`Notifier::new`] reads them once into [`Secret`],
//!   whose `Debug` prints `<redacted>` and which has no `Display`. Errors carry the server's
//!   reply, never a command sent (AUTH lines hold the password); URLs are shown without
//!   credentials or query string.
//! * **Own SMTP client, 7-bit messages**: see [`smtp`] (why not lettre, measured) and
//!   [`message`] (quoted-printable, encoded words, no header injection).
//! * **Blocking**, like the feed downloads: a few messages after a rematch do not need an async
//!   runtime; an async caller runs [`Notifier::send`] on a blocking thread.

pub mod config;
pub mod message;
pub mod smtp;
pub mod webhook;

use std::collections::HashMap;
use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};

use jiff::Timestamp;
use sha2::{Digest, Sha256};
pub use weerbaar_plan::alert::{Alert, AlertKind};

pub use config::{
    Config, ConfigError, Destination, Proxy, Security, SmtpConfig, TenantSelector, WebhookConfig,
    WebhookTarget,
};
pub use smtp::SmtpError;
pub use webhook::WebhookError;

/// A password or signing secret read from the environment.
///
/// `Debug` prints `<redacted>`; there is no `Display`, so `format!("{secret}")` does not
/// compile.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    #[must_use]
    pub fn new(value: String) -> Self {
        Self(value)
    }

    /// The value, for the one place that sends it.
    #[must_use]
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

pub use weerbaar_http::redact_url;

/// The notifier could not be set up from its configuration.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SetupError {
    /// A variable named by `password_env` or `secret_env` is unset or empty.
    #[error("{file}: the environment variable {variable} ({used_for}) is not set")]
    MissingSecret {
        file: String,
        variable: String,
        used_for: String,
    },
    #[error("{file}: ca_file {path}: {reason}")]
    CaFile {
        file: String,
        path: String,
        reason: String,
    },
    #[error("{file}: TLS set-up: {reason}")]
    Tls { file: String, reason: String },
    #[error("{file}: {source}")]
    Webhook { file: String, source: WebhookError },
}

/// Sends the alerts of a configuration.
#[derive(Debug)]
pub struct Notifier {
    config: Config,
    smtp: Option<smtp::Server>,
    /// Webhook secrets by the name of their variable.
    secrets: HashMap<String, Secret>,
    http: webhook::Client,
}

/// What one destination is sent about one tenant, before sending.
#[derive(Debug, Clone)]
pub struct Outgoing {
    pub destination: String,
    pub tenant: String,
    /// Unique per notification: the webhook's `delivery_id` and the Message-ID's local part.
    pub delivery_id: String,
    /// The alerts of this tenant of the kinds the destination wants.
    pub alerts: Vec<Alert>,
    pub email: Option<Email>,
    pub webhooks: Vec<WebhookTarget>,
    /// The JSON body posted to every webhook of the destination.
    pub webhook_body: Vec<u8>,
}

/// A digest e-mail, ready for SMTP.
#[derive(Debug, Clone)]
pub struct Email {
    pub from: String,
    pub recipients: Vec<String>,
    pub subject: String,
    /// The RFC 5322 message (CRLF, 7-bit).
    pub message: Vec<u8>,
}

/// How a notification went out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Channel {
    Email {
        recipients: Vec<String>,
    },
    /// The URL without credentials or query string.
    Webhook {
        url: String,
    },
}

impl fmt::Display for Channel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Email { recipients } => write!(f, "e-mail to {}", recipients.join(", ")),
            Self::Webhook { url } => write!(f, "webhook {url}"),
        }
    }
}

/// Why one delivery failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DeliveryError {
    #[error(transparent)]
    Smtp(#[from] SmtpError),
    #[error(transparent)]
    Webhook(#[from] WebhookError),
    #[error("no [smtp] server is configured")]
    NoSmtp,
}

/// The result of one delivery: one destination, one tenant, one channel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    pub destination: String,
    pub tenant: String,
    pub channel: Channel,
    /// The number of alerts it carried.
    pub alerts: usize,
    pub result: Result<(), DeliveryError>,
}

impl fmt::Display for Delivery {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "destination {:?}, tenant {}, {}: ",
            self.destination, self.tenant, self.channel
        )?;
        match &self.result {
            Ok(()) => write!(f, "delivered ({} alerts)", self.alerts),
            Err(e) => write!(f, "failed: {e}"),
        }
    }
}

impl Notifier {
    /// Reads the secrets with [`std::env::var`].
    ///
    /// # Errors
    ///
    /// See [`Notifier::new`].
    pub fn from_env(config: Config) -> Result<Self, SetupError> {
        Self::new(config, |name| std::env::var(name).ok())
    }

    /// Sets up the notifier, reading every secret the configuration names through `env` (so
    /// tests and callers with their own secret store need not touch the process environment).
    ///
    /// # Errors
    ///
    /// [`SetupError`] when a named variable is unset or empty, a `ca_file` cannot be read, or the
    /// proxy URL is invalid. Checked at start-up, not at the first alert.
    pub fn new(config: Config, env: impl Fn(&str) -> Option<String>) -> Result<Self, SetupError> {
        let secret = |variable: &str, used_for: String| {
            env(variable)
                .filter(|v| !v.is_empty())
                .map(Secret)
                .ok_or_else(|| SetupError::MissingSecret {
                    file: config.file.clone(),
                    variable: variable.to_owned(),
                    used_for,
                })
        };
        let smtp = match &config.smtp {
            None => None,
            Some(s) => {
                let credentials = match (&s.username, &s.password_env) {
                    (Some(user), Some(var)) => {
                        Some((user.clone(), secret(var, "the SMTP password".into())?))
                    }
                    _ => None,
                };
                Some(smtp::Server {
                    host: s.host.clone(),
                    port: s.port,
                    security: s.security,
                    helo_name: s.helo_name.clone(),
                    timeout: s.timeout,
                    credentials,
                    #[cfg(feature = "tls")]
                    tls: tls_config(&config.file, s)?,
                })
            }
        };
        let mut secrets = HashMap::new();
        for d in &config.destinations {
            for hook in &d.webhooks {
                if let Some(var) = &hook.secret_env
                    && !secrets.contains_key(var)
                {
                    let value = secret(
                        var,
                        format!("the webhook signing secret of destination {:?}", d.name),
                    )?;
                    secrets.insert(var.clone(), value);
                }
            }
        }
        let http = webhook::Client::new(&config.webhook).map_err(|source| SetupError::Webhook {
            file: config.file.clone(),
            source,
        })?;
        Ok(Self {
            config,
            smtp,
            secrets,
            http,
        })
    }

    #[must_use]
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The SMTP server with its credentials, for [`smtp::send`] of a message of one's own (a
    /// "test notification" command).
    #[must_use]
    pub fn smtp_server(&self) -> Option<&smtp::Server> {
        self.smtp.as_ref()
    }

    /// Builds the messages for `alerts` (of any number of tenants) at `now`, without sending:
    /// one [`Outgoing`] per destination and tenant that has alerts of a kind it wants.
    #[must_use]
    pub fn prepare(&self, alerts: &[Alert], now: Timestamp) -> Vec<Outgoing> {
        let mut tenants: Vec<&str> = alerts.iter().map(|a| a.finding.tenant.as_str()).collect();
        tenants.sort_unstable();
        tenants.dedup();
        let mut out = Vec::new();
        for tenant in tenants {
            for d in self.config.destinations_for(tenant) {
                let mine: Vec<Alert> = alerts
                    .iter()
                    .filter(|a| a.finding.tenant == tenant && d.kinds.contains(&a.kind))
                    .cloned()
                    .collect();
                if mine.is_empty() {
                    continue;
                }
                out.push(self.outgoing(d, tenant, mine, now));
            }
        }
        out
    }

    fn outgoing(
        &self,
        d: &Destination,
        tenant: &str,
        alerts: Vec<Alert>,
        now: Timestamp,
    ) -> Outgoing {
        let delivery_id = unique_id(&d.name, tenant, now);
        let email = match (&self.config.smtp, d.email.is_empty()) {
            (Some(s), false) => {
                let subject = message::subject(tenant, &alerts, d.lang);
                let body = message::body(tenant, &d.name, &alerts, d.lang, now);
                let domain = s
                    .from
                    .rsplit_once('@')
                    .map_or("weerbaar.invalid", |(_, d)| d);
                let message_id = format!("{delivery_id}.weerbaar@{domain}");
                let message = message::email(
                    &message::Headers {
                        from: &s.from,
                        from_name: &s.from_name,
                        to: &d.email,
                        subject: &subject,
                        date: now,
                        message_id: &message_id,
                        tenant,
                    },
                    &body,
                );
                Some(Email {
                    from: s.from.clone(),
                    recipients: d.email.clone(),
                    subject,
                    message,
                })
            }
            _ => None,
        };
        let webhook_body = if d.webhooks.is_empty() {
            Vec::new()
        } else {
            message::webhook_body(tenant, &d.name, &alerts, now, &delivery_id)
        };
        Outgoing {
            destination: d.name.clone(),
            tenant: tenant.to_owned(),
            delivery_id,
            alerts,
            email,
            webhooks: d.webhooks.clone(),
            webhook_body,
        }
    }

    /// Sends prepared messages; one [`Delivery`] per e-mail and per webhook URL, in order.
    #[must_use]
    pub fn deliver(&self, outgoing: &[Outgoing]) -> Vec<Delivery> {
        let mut out = Vec::new();
        for o in outgoing {
            let delivery = |channel, result| Delivery {
                destination: o.destination.clone(),
                tenant: o.tenant.clone(),
                channel,
                alerts: o.alerts.len(),
                result,
            };
            if let Some(email) = &o.email {
                let result = match &self.smtp {
                    Some(server) => {
                        smtp::send(server, &email.from, &email.recipients, &email.message)
                            .map_err(DeliveryError::from)
                    }
                    None => Err(DeliveryError::NoSmtp),
                };
                out.push(delivery(
                    Channel::Email {
                        recipients: email.recipients.clone(),
                    },
                    result,
                ));
            }
            for hook in &o.webhooks {
                let secret = hook.secret_env.as_ref().and_then(|v| self.secrets.get(v));
                let result = self
                    .http
                    .post(&hook.url, &o.webhook_body, &o.delivery_id, secret)
                    .map_err(DeliveryError::from);
                out.push(delivery(
                    Channel::Webhook {
                        url: redact_url(&hook.url),
                    },
                    result,
                ));
            }
        }
        out
    }

    /// [`Notifier::prepare`] and [`Notifier::deliver`].
    #[must_use]
    pub fn send(&self, alerts: &[Alert], now: Timestamp) -> Vec<Delivery> {
        self.deliver(&self.prepare(alerts, now))
    }
}

/// 32 hex digits, unique per process run and call: hashes the time, the process id, a counter
/// and the names (no randomness source needed; uniqueness, not secrecy, is what matters).
fn unique_id(destination: &str, tenant: &str, now: Timestamp) -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut h = Sha256::new();
    h.update(now.as_nanosecond().to_le_bytes());
    h.update(Timestamp::now().as_nanosecond().to_le_bytes());
    h.update(std::process::id().to_le_bytes());
    h.update(COUNTER.fetch_add(1, Ordering::Relaxed).to_le_bytes());
    h.update(destination.as_bytes());
    h.update([0]);
    h.update(tenant.as_bytes());
    h.finalize()
        .iter()
        .take(16)
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(feature = "tls")]
fn tls_config(
    file: &str,
    s: &SmtpConfig,
) -> Result<Option<std::sync::Arc<rustls::ClientConfig>>, SetupError> {
    use rustls::pki_types::CertificateDer;
    use rustls::pki_types::pem::PemObject;

    if s.security == Security::None {
        return Ok(None);
    }
    let mut roots = rustls::RootCertStore {
        roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
    };
    if let Some(path) = &s.ca_file {
        let ca_error = |reason: String| SetupError::CaFile {
            file: file.to_owned(),
            path: path.display().to_string(),
            reason,
        };
        let pem = std::fs::read(path).map_err(|e| ca_error(e.to_string()))?;
        let mut added = 0;
        for cert in CertificateDer::pem_slice_iter(&pem) {
            let cert = cert.map_err(|e| ca_error(e.to_string()))?;
            roots.add(cert).map_err(|e| ca_error(e.to_string()))?;
            added += 1;
        }
        if added == 0 {
            return Err(ca_error("no PEM certificate in the file".into()));
        }
    }
    let provider = std::sync::Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| SetupError::Tls {
            file: file.to_owned(),
            reason: e.to_string(),
        })?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(Some(std::sync::Arc::new(config)))
}
