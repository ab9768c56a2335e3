//! Posting the JSON body, signed, with the same proxy rules as the feed downloads.

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

use crate::config::WebhookConfig;
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

/// The agents (direct, and proxied where `NO_PROXY` does not say otherwise); redirects are not
/// followed: a redirect would re-send the signed body elsewhere (or turn the POST into a GET),
/// so a 3xx is reported and the URL in the configuration must be the final one.
#[derive(Debug)]
pub(crate) struct Client {
    agents: weerbaar_http::Agents,
}

impl Client {
    pub(crate) fn new(config: &WebhookConfig) -> Result<Self, WebhookError> {
        let agents = weerbaar_http::Agents::new(&weerbaar_http::AgentOptions {
            proxy: config.proxy.clone(),
            no_proxy: config.no_proxy.clone(),
            timeout: config.timeout,
            follow_redirects: false,
        })
        .map_err(|e| WebhookError::Proxy {
            proxy: e.proxy,
            reason: e.reason,
        })?;
        Ok(Self { agents })
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
            .agents
            .for_url(url)
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
