//! HTTP downloads with ureq: conditional requests, proxies, timeouts, and a body that is only
//! accepted when every announced byte arrived.

use std::io::Write;
use std::path::Path;
use std::time::Duration;

use crate::{Error, Source};

pub use weerbaar_http::ProxyChoice;

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

/// The agents (direct, and proxied where `NO_PROXY` does not say otherwise) and the NVD key.
pub(crate) struct Client {
    agents: weerbaar_http::Agents,
    nvd_api_key: Option<String>,
}

impl Client {
    pub(crate) fn new(options: &HttpOptions) -> Result<Self, Error> {
        let agents = weerbaar_http::Agents::new(&weerbaar_http::AgentOptions {
            proxy: options.proxy.clone(),
            no_proxy: options.no_proxy.clone(),
            timeout: options.timeout,
            follow_redirects: true,
        })
        .map_err(|e| Error::Config(e.to_string()))?;
        Ok(Self {
            agents,
            nvd_api_key: options.nvd_api_key.clone(),
        })
    }

    /// Whether NVD API pages must be paced to the keyless rate limit (5 requests in 30 s).
    pub(crate) fn nvd_paced(&self) -> bool {
        self.nvd_api_key.is_none()
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
        let mut request = self.agents.for_url(url).get(url);
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
