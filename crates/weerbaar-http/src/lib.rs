//! Outbound HTTP for weerbaar's adapters (feed downloads, webhooks), in one place: which proxy,
//! which hosts bypass it (`NO_PROXY`), timeouts, the user agent, and how URLs are shown.
//!
//! * **Two agents.** ureq takes one proxy per agent, while `NO_PROXY` decides per host; so
//!   [`Agents`] holds a direct agent and, when a proxy applies, a proxied one, and
//!   [`Agents::for_url`] picks per request.
//! * **Status codes are answers, not errors** (`http_status_as_error(false)`): the callers
//!   report the status with what they were doing (a feed, a webhook destination).
//! * **Timeouts bound waiting, not size**: connecting, the response head, sending a body and
//!   each read of the body. A slow but moving download never times out; a stalled one does.
//! * **Nothing secret in messages**: a proxy or webhook URL may carry `user:password@` or a
//!   token in its query; [`redact_url`] is how every URL is shown, and [`ProxyChoice`]'s
//!   `Debug` uses it.

use std::fmt;
use std::time::Duration;

/// Which proxy requests go through.
#[derive(Clone, Default, PartialEq, Eq)]
pub enum ProxyChoice {
    /// `HTTPS_PROXY` / `HTTP_PROXY` / `ALL_PROXY` (either case), honouring `NO_PROXY`.
    #[default]
    Env,
    /// This proxy URL (`http://proxy.example:3128`), honouring `NO_PROXY`.
    Url(String),
    /// Connect directly.
    None,
}

impl fmt::Debug for ProxyChoice {
    /// A proxy URL may carry credentials (`http://user:pass@proxy`); they are not shown.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Env => f.write_str("Env"),
            Self::None => f.write_str("None"),
            Self::Url(url) => f.debug_tuple("Url").field(&redact_url(url)).finish(),
        }
    }
}

/// How the agents behave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgentOptions {
    pub proxy: ProxyChoice,
    /// Hosts reached without the proxy (`NO_PROXY` syntax); `None` reads `NO_PROXY`.
    pub no_proxy: Option<String>,
    /// See the crate documentation.
    pub timeout: Duration,
    /// Follow redirects (downloads) or report them (a signed webhook must not be re-sent to
    /// another host).
    pub follow_redirects: bool,
}

/// A proxy URL ureq does not accept; `proxy` is shown redacted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProxyError {
    pub proxy: String,
    pub reason: String,
}

impl fmt::Display for ProxyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "proxy {}: {}", self.proxy, self.reason)
    }
}

impl std::error::Error for ProxyError {}

/// A direct agent and, when a proxy applies, a proxied one (`NO_PROXY` picks per host).
pub struct Agents {
    direct: ureq::Agent,
    proxied: Option<(ureq::Agent, NoProxy)>,
}

impl fmt::Debug for Agents {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Agents")
            .field("proxied", &self.proxied.is_some())
            .finish_non_exhaustive()
    }
}

fn agent(options: &AgentOptions, proxy: Option<ureq::Proxy>) -> ureq::Agent {
    let timeout = Some(options.timeout);
    let mut config = ureq::Agent::config_builder()
        .proxy(proxy)
        .http_status_as_error(false)
        .timeout_connect(timeout)
        .timeout_recv_response(timeout)
        .timeout_send_body(timeout)
        .timeout_per_read(timeout)
        .user_agent(concat!("weerbaar/", env!("CARGO_PKG_VERSION")));
    if !options.follow_redirects {
        config = config.max_redirects(0);
    }
    config.build().into()
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

impl Agents {
    /// The agents for `options`.
    ///
    /// # Errors
    /// A proxy URL ureq does not accept.
    pub fn new(options: &AgentOptions) -> Result<Self, ProxyError> {
        let proxy_url = match &options.proxy {
            ProxyChoice::Env => env_proxy(),
            ProxyChoice::Url(url) => Some(url.clone()),
            ProxyChoice::None => None,
        };
        let proxied = match proxy_url {
            Some(url) => {
                let proxy = ureq::Proxy::new(&url).map_err(|e| ProxyError {
                    proxy: redact_url(&url),
                    reason: e.to_string().replace(&url, &redact_url(&url)),
                })?;
                Some((
                    agent(options, Some(proxy)),
                    NoProxy::new(options.no_proxy.as_deref()),
                ))
            }
            None => None,
        };
        Ok(Self {
            direct: agent(options, None),
            proxied,
        })
    }

    /// The agent for `url`: the proxied one unless there is no proxy or `NO_PROXY` names the
    /// host.
    #[must_use]
    pub fn for_url(&self, url: &str) -> &ureq::Agent {
        match &self.proxied {
            Some((agent, no_proxy)) if !no_proxy.matches(host_of(url)) => agent,
            _ => &self.direct,
        }
    }
}

/// The host of `url`, without user info, port or IPv6 brackets.
#[must_use]
pub fn host_of(url: &str) -> &str {
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

/// `url` without `user:password@` and without its query and fragment (tokens live there).
#[must_use]
pub fn redact_url(url: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap_or(("", url));
    let (authority, path) = match rest.find(['/', '?', '#']) {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    let authority = authority
        .rsplit_once('@')
        .map_or(authority.to_owned(), |(_, host)| format!("***@{host}"));
    let path = match path.find(['?', '#']) {
        Some(i) => format!("{}?***", path.get(..i).unwrap_or_default()),
        None => path.to_owned(),
    };
    if scheme.is_empty() {
        format!("{authority}{path}")
    } else {
        format!("{scheme}://{authority}{path}")
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_and_no_proxy() {
        assert_eq!(
            host_of("https://user:pw@feeds.example:8443/a?b"),
            "feeds.example"
        );
        assert_eq!(host_of("http://[::1]:8080/x"), "::1");
        let list = NoProxy::new(Some(".example.org, localhost"));
        assert!(list.matches("mirror.example.org"));
        assert!(list.matches("EXAMPLE.org"));
        assert!(list.matches("localhost"));
        assert!(!list.matches("notexample.org"));
        assert!(NoProxy::new(Some("*")).matches("anything.example"));
    }

    #[test]
    fn secrets_are_not_shown() {
        assert_eq!(
            redact_url("https://u:p@hooks.example/x?token=abc"),
            "https://***@hooks.example/x?***"
        );
        let debug = format!(
            "{:?}",
            ProxyChoice::Url("http://u:secret@proxy.example:3128".into())
        );
        assert!(!debug.contains("secret"), "{debug}");
        let err = Agents::new(&AgentOptions {
            proxy: ProxyChoice::Url("ftp://u:secret@proxy.example".into()),
            no_proxy: None,
            timeout: Duration::from_secs(1),
            follow_redirects: true,
        });
        if let Err(e) = err {
            assert!(!e.to_string().contains("secret"), "{e}");
        }
    }
}
