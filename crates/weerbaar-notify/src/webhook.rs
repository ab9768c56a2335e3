//! Posting the JSON body, signed, with the same proxy rules as the feed downloads.

use std::time::Duration;

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

use crate::config::{Proxy, WebhookConfig};
use crate::{Secret, redact_url};

/// Why a webhook was not accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WebhookError {
    #[error("POST {url}: {reason}")]
    Transport { url: String, reason: String },
    #[error("POST {url}: the receiver answered {status}{}", if .body.is_empty() { String::new() } else { format!(": {}", .body) })]
    Status {
        url: String,
        status: u16,
        /// The start of the response body, on one line.
        body: String,
    },
    #[error("proxy {proxy}: {reason}")]
    Proxy { proxy: String, reason: String },
}

/// `sha256=<hex>` of HMAC-SHA256 over `body` with `secret`: the `X-Weerbaar-Signature` value.
#[must_use]
pub fn signature(secret: &[u8], body: &[u8]) -> String {
    // HMAC takes keys of any length; `new_from_slice` cannot fail for it.
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret) else {
        return String::new();
    };
    mac.update(body);
    let digest = mac.finalize().into_bytes();
    let mut out = String::with_capacity(7 + 64);
    out.push_str("sha256=");
    for b in digest {
        out.push_str(&format!("{b:02x}"));
    }
    out
}

/// A direct agent and, when a proxy applies, a proxied one (`NO_PROXY` picks per host).
pub(crate) struct Client {
    direct: ureq::Agent,
    proxied: Option<(ureq::Agent, NoProxy)>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("proxied", &self.proxied.is_some())
            .finish_non_exhaustive()
    }
}

fn agent(timeout: Duration, proxy: Option<ureq::Proxy>) -> ureq::Agent {
    ureq::Agent::config_builder()
        .proxy(proxy)
        .http_status_as_error(false)
        // A redirect would re-send the signed body elsewhere (or turn the POST into a GET):
        // a 3xx is reported, the URL in the configuration must be the final one.
        .max_redirects(0)
        .timeout_connect(Some(timeout))
        .timeout_recv_response(Some(timeout))
        .timeout_per_read(Some(timeout))
        .timeout_send_body(Some(timeout))
        .user_agent(concat!("weerbaar/", env!("CARGO_PKG_VERSION")))
        .build()
        .into()
}

fn env_proxy() -> Option<String> {
    [
        "HTTPS_PROXY",
        "https_proxy",
        "HTTP_PROXY",
        "http_proxy",
        "ALL_PROXY",
        "all_proxy",
    ]
    .iter()
    .find_map(|name| std::env::var(name).ok().filter(|v| !v.trim().is_empty()))
}

impl Client {
    pub(crate) fn new(config: &WebhookConfig) -> Result<Self, WebhookError> {
        let proxy_url = match &config.proxy {
            Proxy::Env => env_proxy(),
            Proxy::Url(url) => Some(url.clone()),
            Proxy::None => None,
        };
        let proxied = match proxy_url {
            Some(url) => {
                let proxy = ureq::Proxy::new(&url).map_err(|e| WebhookError::Proxy {
                    proxy: redact_url(&url),
                    reason: e.to_string().replace(&url, &redact_url(&url)),
                })?;
                Some((
                    agent(config.timeout, Some(proxy)),
                    NoProxy::new(config.no_proxy.as_deref()),
                ))
            }
            None => None,
        };
        Ok(Self {
            direct: agent(config.timeout, None),
            proxied,
        })
    }

    fn agent_for(&self, url: &str) -> &ureq::Agent {
        let host = host_of(url);
        match &self.proxied {
            Some((agent, no_proxy)) if !no_proxy.matches(host) => agent,
            _ => &self.direct,
        }
    }

    /// POSTs `body` to `url`; a 2xx status is success.
    pub(crate) fn post(
        &self,
        url: &str,
        body: &[u8],
        delivery_id: &str,
        secret: Option<&Secret>,
    ) -> Result<(), WebhookError> {
        let shown = redact_url(url);
        let mut request = self
            .agent_for(url)
            .post(url)
            .header("Content-Type", "application/json")
            .header("X-Weerbaar-Event", "alerts")
            .header("X-Weerbaar-Delivery", delivery_id);
        if let Some(secret) = secret {
            request = request.header(
                "X-Weerbaar-Signature",
                signature(secret.expose().as_bytes(), body),
            );
        }
        let mut response = request.send(body).map_err(|e| WebhookError::Transport {
            url: shown.clone(),
            reason: e.to_string().replace(url, &shown),
        })?;
        let status = response.status().as_u16();
        if (200..300).contains(&status) {
            return Ok(());
        }
        let text = response
            .body_mut()
            .with_config()
            .limit(4096)
            .read_to_vec()
            .map(|b| {
                String::from_utf8_lossy(&b)
                    .chars()
                    .take(200)
                    .collect::<String>()
            })
            .unwrap_or_default();
        Err(WebhookError::Status {
            url: shown,
            status,
            body: crate::message::one_line(text.trim()),
        })
    }
}

fn host_of(url: &str) -> &str {
    let host = url
        .split_once("://")
        .map_or(url, |(_, rest)| rest)
        .split(['/', '?', '#'])
        .next()
        .unwrap_or_default();
    let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
    if let Some(v6) = host.strip_prefix('[') {
        v6.split(']').next().unwrap_or_default()
    } else {
        host.split(':').next().unwrap_or_default()
    }
}

/// The `NO_PROXY` list: `*`, host names and domain suffixes (`.example.org` or `example.org`).
#[derive(Debug, Default)]
struct NoProxy(Vec<String>);

impl NoProxy {
    fn new(list: Option<&str>) -> Self {
        let value = list.map_or_else(
            || {
                std::env::var("NO_PROXY")
                    .or_else(|_| std::env::var("no_proxy"))
                    .unwrap_or_default()
            },
            str::to_owned,
        );
        Self(
            value
                .split(',')
                .map(|e| e.trim().trim_start_matches('.').to_ascii_lowercase())
                .filter(|e| !e.is_empty())
                .collect(),
        )
    }

    fn matches(&self, host: &str) -> bool {
        let host = host.to_ascii_lowercase();
        self.0.iter().any(|entry| {
            entry == "*"
                || host == *entry
                || host
                    .strip_suffix(entry.as_str())
                    .is_some_and(|rest| rest.ends_with('.'))
        })
    }
}
