//! HTTP downloads with ureq: conditional requests, proxies, timeouts, and a body that is only
//! accepted when every announced byte arrived.

use std::io::Write;
use std::path::Path;
use std::time::Duration;

use crate::{Error, Source};

/// Which proxy downloads go through.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum ProxyChoice {
    /// `HTTPS_PROXY` / `HTTP_PROXY` / `ALL_PROXY` (either case), honouring `NO_PROXY`.
    #[default]
    Env,
    /// This proxy URL (`http://proxy.example:3128`), honouring `NO_PROXY`.
    Url(String),
    /// Connect directly.
    None,
}

/// How downloads are made.
#[derive(Debug, Clone)]
pub struct HttpOptions {
    pub proxy: ProxyChoice,
    /// Limit for connecting, for the response headers, and for each read of the body (a stalled
    /// transfer fails after this long without data; a slow but moving one never does).
    pub timeout: Duration,
    /// Sent as `apiKey` to the NVD API (raises its rate limit).
    pub nvd_api_key: Option<String>,
    /// Hosts reached without the proxy (`NO_PROXY` syntax); `None` reads `NO_PROXY`.
    pub no_proxy: Option<String>,
}

impl Default for HttpOptions {
    fn default() -> Self {
        Self {
            proxy: ProxyChoice::Env,
            timeout: Duration::from_secs(30),
            nvd_api_key: None,
            no_proxy: None,
        }
    }
}

/// A direct agent and, when a proxy applies, a proxied one (`NO_PROXY` picks per host).
pub(crate) struct Client {
    direct: ureq::Agent,
    proxied: Option<(ureq::Agent, NoProxy)>,
    nvd_api_key: Option<String>,
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

fn agent(options: &HttpOptions, proxy: Option<ureq::Proxy>) -> ureq::Agent {
    let config = ureq::Agent::config_builder()
        .proxy(proxy)
        .http_status_as_error(false)
        .timeout_connect(Some(options.timeout))
        .timeout_recv_response(Some(options.timeout))
        .timeout_per_read(Some(options.timeout))
        .user_agent(concat!("weerbaar/", env!("CARGO_PKG_VERSION")))
        .build();
    config.into()
}

impl Client {
    pub(crate) fn new(options: &HttpOptions) -> Result<Self, Error> {
        let proxy_url = match &options.proxy {
            ProxyChoice::Env => env_proxy(),
            ProxyChoice::Url(url) => Some(url.clone()),
            ProxyChoice::None => None,
        };
        let proxied = match proxy_url {
            Some(url) => {
                let proxy = ureq::Proxy::new(&url)
                    .map_err(|e| Error::Config(format!("proxy {url:?}: {e}")))?;
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
            nvd_api_key: options.nvd_api_key.clone(),
        })
    }

    /// Whether NVD API pages must be paced to the keyless rate limit (5 requests in 30 s).
    pub(crate) fn nvd_paced(&self) -> bool {
        self.nvd_api_key.is_none()
    }

    fn agent_for(&self, url: &str) -> &ureq::Agent {
        let host = url
            .split_once("://")
            .map_or(url, |(_, rest)| rest)
            .split(['/', '?', '#'])
            .next()
            .unwrap_or_default();
        let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
        let host = if let Some(v6) = host.strip_prefix('[') {
            v6.split(']').next().unwrap_or_default()
        } else {
            host.split(':').next().unwrap_or_default()
        };
        match &self.proxied {
            Some((agent, no_proxy)) if !no_proxy.matches(host) => agent,
            _ => &self.direct,
        }
    }

    /// GETs `url` into `temp` (created or truncated). `validators` are the previous `ETag` and
    /// `Last-Modified`, sent as a conditional request.
    pub(crate) fn fetch(
        &self,
        source: Source,
        url: &str,
        validators: Option<(Option<&str>, Option<&str>)>,
        temp: &Path,
        progress: &mut dyn FnMut(&str),
    ) -> Result<Fetched, Error> {
        let transfer = |reason: String| Error::Transfer {
            source_name: source,
            url: url.to_owned(),
            reason,
        };
        let mut request = self.agent_for(url).get(url);
        if let Some((etag, last_modified)) = validators {
            if let Some(etag) = etag {
                request = request.header("If-None-Match", etag);
            }
            if let Some(last_modified) = last_modified {
                request = request.header("If-Modified-Since", last_modified);
            }
        }
        if source == Source::Nvd
            && let Some(key) = &self.nvd_api_key
        {
            request = request.header("apiKey", key);
        }
        let response = request.call().map_err(|e| transfer(e.to_string()))?;
        let status = response.status().as_u16();
        if status == 304 {
            return Ok(Fetched::NotModified);
        }
        if !(200..300).contains(&status) {
            return Err(Error::Status {
                source_name: source,
                url: url.to_owned(),
                status,
            });
        }
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        let etag = header("etag");
        let last_modified = header("last-modified");
        let content_length = header("content-length").and_then(|v| v.trim().parse::<u64>().ok());
        let mut reader = response.into_body().into_reader();
        let file = std::fs::File::create(temp).map_err(|e| Error::io(temp, e))?;
        let mut counted = Counted {
            file,
            written: 0,
            next_report: REPORT_EVERY,
            report: &mut |n: u64| {
                let total = content_length.map_or(String::new(), |t| format!(" of {}", mib(t)));
                progress(&format!("{source}: {}{total}", mib(n)));
            },
        };
        let copied = std::io::copy(&mut reader, &mut counted);
        let mut file = counted.file;
        let received = copied.map_err(|e| {
            transfer(format!(
                "the transfer broke off{}: {e}",
                content_length.map_or(String::new(), |n| format!(" (expected {n} bytes)"))
            ))
        })?;
        if let Some(expected) = content_length
            && received != expected
        {
            return Err(transfer(format!(
                "incomplete body: received {received} of {expected} bytes"
            )));
        }
        file.flush()
            .and_then(|()| file.sync_all())
            .map_err(|e| Error::io(temp, e))?;
        Ok(Fetched::Body {
            size: received,
            etag,
            last_modified,
        })
    }
}

/// How often a large download reports its progress.
const REPORT_EVERY: u64 = 32 << 20;

fn mib(bytes: u64) -> String {
    format!("{} MiB", bytes >> 20)
}

/// The temporary file, counting bytes and reporting every [`REPORT_EVERY`].
struct Counted<'a> {
    file: std::fs::File,
    written: u64,
    next_report: u64,
    report: &'a mut dyn FnMut(u64),
}

impl Write for Counted<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.file.write(buf)?;
        self.written += n as u64;
        if self.written >= self.next_report {
            (self.report)(self.written);
            self.next_report = self.written + REPORT_EVERY;
        }
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.file.flush()
    }
}

/// What a GET brought.
pub(crate) enum Fetched {
    /// `304 Not Modified`: the stored file is current.
    NotModified,
    /// A complete body, written to the temporary file.
    Body {
        size: u64,
        etag: Option<String>,
        last_modified: Option<String>,
    },
}
