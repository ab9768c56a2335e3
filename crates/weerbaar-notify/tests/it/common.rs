//! Alerts from real data, a local SMTP sink and a local HTTP receiver.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};

use jiff::civil::Date;
use weerbaar_inventory::model::{Criticality, Exposure};
use weerbaar_plan::alert::{Alert, alerts};
use weerbaar_plan::{AssetRef, Exception, Finding, Kev, Package, PolicySet};

pub fn d(s: &str) -> Date {
    s.parse().expect("test setup works")
}

pub fn now() -> jiff::Timestamp {
    "2026-11-28T01:22:18Z".parse().expect("test setup works")
}

/// CVE-2024-3400's KEV entry: from the real catalog when the fixtures are there, otherwise the
/// same values (checked against the catalog by `kev_values_match_the_catalog`).
pub fn kev_3400() -> Kev {
    real_kev_3400().unwrap_or(Kev {
        date_added: d("2024-04-12"),
        due_date: d("2024-04-19"),
        ransomware: true,
    })
}

pub fn real_kev_3400() -> Option<Kev> {
    let path = weerbaar_fixtures::fixture("kev/known_exploited_vulnerabilities.json")?;
    let bytes = std::fs::read(&path).expect("test setup works");
    let catalog = weerbaar_advisories::kev::parse(&path.display().to_string(), &bytes)
        .expect("test setup works");
    Kev::from_entry(catalog.get("CVE-2024-3400")?)
}

/// PAN-OS on an internet-facing firewall, with CVE-2024-3400 (KEV-listed, CVSS 10).
pub fn panos(tenant: &str, asset: &str) -> Finding {
    let cvss =
        weerbaar_advisories::cvss::base_score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H")
            .expect("test setup works");
    Finding {
        tenant: tenant.into(),
        asset: AssetRef {
            name: asset.into(),
            criticality: Criticality::Critical,
            exposure: Exposure::InternetFacing,
            zone: Some("dmz".into()),
        },
        advisory_id: "CVE-2024-3400".into(),
        aliases: vec!["PAN-SA-2024-0004".into()],
        package: Package {
            ecosystem: "PAN-OS".into(),
            name: "pan-os".into(),
            version: "10.2.9".into(),
            purl: None,
        },
        fixed_versions: vec!["10.2.9-h1".into(), "11.0.4-h1".into()],
        kev: Some(kev_3400()),
        epss: None,
        cvss: Some((&cvss).into()),
        first_seen: d("2024-04-12"),
        last_seen: d("2024-04-12"),
        resolved_at: None,
    }
}

/// The alerts weerbaar-plan raises when these findings appear (nothing before).
pub fn new_alerts(findings: &[Finding]) -> Vec<Alert> {
    let none = |_: &str| -> &[Exception] { &[] };
    alerts(&[], findings, &PolicySet::default(), none, d("2024-04-12"))
}

pub fn base64_decode(s: &str) -> Vec<u8> {
    let value = |c: u8| -> u32 {
        match c {
            b'A'..=b'Z' => u32::from(c - b'A'),
            b'a'..=b'z' => u32::from(c - b'a') + 26,
            b'0'..=b'9' => u32::from(c - b'0') + 52,
            b'+' => 62,
            b'/' => 63,
            _ => panic!("not base64: {c}"),
        }
    };
    let mut out = Vec::new();
    for chunk in s.trim().as_bytes().chunks(4) {
        let data: Vec<u8> = chunk.iter().copied().filter(|&c| c != b'=').collect();
        let mut n = 0u32;
        for (i, &c) in data.iter().enumerate() {
            n |= value(c) << (18 - 6 * i);
        }
        for i in 0..data.len().saturating_sub(1) {
            out.push((n >> (16 - 8 * i)) as u8);
        }
    }
    out
}

/// Decodes a quoted-printable body (soft breaks, `=XX`).
pub fn qp_decode(s: &str) -> String {
    let joined = s.replace("=\r\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'=' {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).expect("test setup works");
            out.push(u8::from_str_radix(hex, 16).expect("test setup works"));
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).expect("test setup works")
}

/// Decodes RFC 2047 `=?utf-8?B?…?=` words (the space between two words is not text).
pub fn decode_words(value: &str) -> String {
    if !value.starts_with("=?utf-8?B?") {
        return value.to_owned();
    }
    let mut bytes = Vec::new();
    for word in value.split(' ') {
        let inner = word
            .strip_prefix("=?utf-8?B?")
            .and_then(|w| w.strip_suffix("?="))
            .unwrap_or_else(|| panic!("mixed header {value:?}"));
        bytes.extend(base64_decode(inner));
    }
    String::from_utf8(bytes).expect("test setup works")
}

/// One SMTP transaction as the sink saw it.
#[derive(Debug, Clone, Default)]
pub struct Received {
    pub ehlo: String,
    /// Whether the transaction ran over TLS.
    pub tls: bool,
    /// The decoded AUTH PLAIN token: `\0user\0password`.
    pub auth_plain: Option<Vec<u8>>,
    pub mail_from: String,
    pub rcpt_to: Vec<String>,
    /// The DATA section as sent (dot-stuffed, without the final `.` line).
    pub raw_data: String,
    /// The message after removing dot-stuffing.
    pub message: String,
}

impl Received {
    pub fn headers(&self) -> &str {
        self.message
            .split("\r\n\r\n")
            .next()
            .expect("test setup works")
    }

    pub fn header(&self, name: &str) -> Option<String> {
        // Unfold continuation lines first.
        let unfolded = self.headers().replace("\r\n ", " ");
        unfolded.split("\r\n").find_map(|line| {
            let (n, v) = line.split_once(':')?;
            n.eq_ignore_ascii_case(name).then(|| decode_words(v.trim()))
        })
    }

    /// The decoded body with LF line ends.
    pub fn body(&self) -> String {
        let (_, body) = self
            .message
            .split_once("\r\n\r\n")
            .expect("test setup works");
        qp_decode(body).replace("\r\n", "\n")
    }
}

/// How the sink behaves.
#[derive(Clone, Default)]
pub struct SinkOptions {
    /// Recipients answered with 550.
    pub reject: BTreeSet<String>,
    /// Answer AUTH with 535.
    pub fail_auth: bool,
    /// Offer STARTTLS with this server configuration.
    pub starttls: Option<Arc<rustls::ServerConfig>>,
    /// Speak TLS from the first byte.
    pub implicit_tls: Option<Arc<rustls::ServerConfig>>,
}

/// A local SMTP server: greeting, EHLO (with AUTH PLAIN LOGIN), AUTH PLAIN, MAIL, RCPT, DATA,
/// RSET, QUIT. Every finished transaction is recorded before the reply to the final `.`.
pub struct SmtpSink {
    pub port: u16,
    pub received: Arc<Mutex<Vec<Received>>>,
}

impl SmtpSink {
    pub fn start(options: SinkOptions) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("test setup works");
        let port = listener.local_addr().expect("test setup works").port();
        let received = Arc::new(Mutex::new(Vec::new()));
        let log = Arc::clone(&received);
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { return };
                let log = Arc::clone(&log);
                let options = options.clone();
                std::thread::spawn(move || smtp_session(stream, &options, &log));
            }
        });
        Self { port, received }
    }

    pub fn received(&self) -> Vec<Received> {
        self.received.lock().expect("test setup works").clone()
    }
}

trait Stream: Read + Write + Send {}
impl<T: Read + Write + Send> Stream for T {}

type Conn = BufReader<Box<dyn Stream>>;

fn send(conn: &mut Conn, s: &str) {
    let w = conn.get_mut();
    w.write_all(s.as_bytes()).expect("test setup works");
    w.flush().expect("test setup works");
}

fn tls_server(conn: Box<dyn Stream>, config: &Arc<rustls::ServerConfig>) -> Conn {
    let server = rustls::ServerConnection::new(Arc::clone(config)).expect("test setup works");
    BufReader::new(Box::new(rustls::StreamOwned::new(server, conn)))
}

fn smtp_session(stream: TcpStream, options: &SinkOptions, log: &Mutex<Vec<Received>>) {
    let mut tls = false;
    let mut conn: Conn = match &options.implicit_tls {
        Some(config) => {
            tls = true;
            tls_server(Box::new(stream), config)
        }
        None => BufReader::new(Box::new(stream)),
    };
    send(&mut conn, "220 sink.test ESMTP ready\r\n");
    let mut current = Received::default();
    loop {
        let mut line = String::new();
        if conn.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        let line = line.trim_end_matches(['\r', '\n']).to_owned();
        let upper = line.to_ascii_uppercase();
        if let Some(name) = upper.strip_prefix("EHLO ") {
            current.ehlo = name.to_owned();
            current.tls = tls;
            let starttls = if options.starttls.is_some() && !tls {
                "250-STARTTLS\r\n"
            } else {
                ""
            };
            send(
                &mut conn,
                &format!(
                    "250-sink.test greets you\r\n{starttls}250-AUTH PLAIN LOGIN\r\n250 8BITMIME\r\n"
                ),
            );
        } else if upper == "STARTTLS" {
            let Some(config) = &options.starttls else {
                send(&mut conn, "502 5.5.2 no TLS here\r\n");
                continue;
            };
            send(&mut conn, "220 2.0.0 Ready to start TLS\r\n");
            conn = tls_server(conn.into_inner(), config);
            tls = true;
        } else if upper.starts_with("AUTH PLAIN ") {
            current.auth_plain = Some(base64_decode(&line[11..]));
            if options.fail_auth {
                send(
                    &mut conn,
                    "535 5.7.8 Authentication credentials invalid\r\n",
                );
            } else {
                send(&mut conn, "235 2.7.0 Authentication successful\r\n");
            }
        } else if upper.starts_with("MAIL FROM:") {
            current.mail_from = line[10..].trim_matches(['<', '>']).to_owned();
            send(&mut conn, "250 2.1.0 Ok\r\n");
        } else if upper.starts_with("RCPT TO:") {
            let to = line[8..].trim_matches(['<', '>']).to_owned();
            if options.reject.contains(&to) {
                send(
                    &mut conn,
                    &format!("550 5.1.1 <{to}>: Recipient address rejected\r\n"),
                );
            } else {
                current.rcpt_to.push(to);
                send(&mut conn, "250 2.1.5 Ok\r\n");
            }
        } else if upper == "DATA" {
            send(&mut conn, "354 End data with <CR><LF>.<CR><LF>\r\n");
            let mut raw = String::new();
            loop {
                let mut l = String::new();
                conn.read_line(&mut l).expect("test setup works");
                if l == ".\r\n" {
                    break;
                }
                raw.push_str(&l);
            }
            current.message = raw
                .split_inclusive("\r\n")
                .map(|l| l.strip_prefix('.').unwrap_or(l))
                .collect();
            current.raw_data = raw;
            let ehlo = current.ehlo.clone();
            log.lock()
                .expect("test setup works")
                .push(std::mem::take(&mut current));
            current.ehlo = ehlo;
            current.tls = tls;
            send(&mut conn, "250 2.0.0 Ok: queued\r\n");
        } else if upper == "RSET" {
            current = Received::default();
            send(&mut conn, "250 2.0.0 Ok\r\n");
        } else if upper == "QUIT" {
            send(&mut conn, "221 2.0.0 Bye\r\n");
            return;
        } else {
            send(&mut conn, "502 5.5.2 Command not recognized\r\n");
        }
    }
}

/// The test server certificate (CN and SAN `localhost`, 127.0.0.1), issued by `tls/ca.pem`
/// whose key was thrown away after signing.
#[cfg(feature = "tls")]
pub fn tls_config() -> Arc<rustls::ServerConfig> {
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::{CertificateDer, PrivateKeyDer};
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/it/tls/");
    let certs: Vec<CertificateDer<'static>> =
        CertificateDer::pem_file_iter(format!("{dir}server.pem"))
            .expect("test setup works")
            .collect::<Result<_, _>>()
            .expect("test setup works");
    let key = PrivateKeyDer::from_pem_file(format!("{dir}server.key")).expect("test setup works");
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("test setup works")
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .expect("test setup works");
    Arc::new(config)
}

#[cfg(feature = "tls")]
pub fn ca_file() -> String {
    concat!(env!("CARGO_MANIFEST_DIR"), "/tests/it/tls/ca.pem").to_owned()
}

/// One HTTP request as the receiver saw it.
#[derive(Debug, Clone)]
pub struct Request {
    pub method: String,
    pub path: String,
    /// Header names in lower case.
    pub headers: BTreeMap<String, String>,
    pub body: Vec<u8>,
}

/// A local HTTP server answering every request with `status`; requests are recorded before the
/// answer.
pub struct HttpReceiver {
    pub port: u16,
    pub requests: Arc<Mutex<Vec<Request>>>,
}

impl HttpReceiver {
    pub fn start(status: u16, answer: &'static str) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("test setup works");
        let port = listener.local_addr().expect("test setup works").port();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let log = Arc::clone(&requests);
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { return };
                let log = Arc::clone(&log);
                std::thread::spawn(move || http_request(stream, status, answer, &log));
            }
        });
        Self { port, requests }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    pub fn requests(&self) -> Vec<Request> {
        self.requests.lock().expect("test setup works").clone()
    }
}

fn http_request(stream: TcpStream, status: u16, answer: &str, log: &Mutex<Vec<Request>>) {
    let mut writer = stream.try_clone().expect("test setup works");
    let mut reader = BufReader::new(stream);
    let mut first = String::new();
    reader.read_line(&mut first).expect("test setup works");
    let mut parts = first.split_whitespace();
    let method = parts.next().unwrap_or_default().to_owned();
    let path = parts.next().unwrap_or_default().to_owned();
    let mut headers = BTreeMap::new();
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).expect("test setup works");
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        let (name, value) = line.split_once(':').expect("test setup works");
        headers.insert(name.trim().to_ascii_lowercase(), value.trim().to_owned());
    }
    let length: usize = headers
        .get("content-length")
        .map_or(0, |v| v.parse().expect("test setup works"));
    let mut body = vec![0; length];
    reader.read_exact(&mut body).expect("test setup works");
    log.lock().expect("test setup works").push(Request {
        method,
        path,
        headers,
        body,
    });
    let response = format!(
        "HTTP/1.1 {status} X\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{answer}",
        answer.len()
    );
    writer
        .write_all(response.as_bytes())
        .expect("test setup works");
}

/// An `[smtp]` table for a sink on `port`, authenticating as `weerbaar` with `$SMTP_PW`.
pub fn smtp_table(port: u16) -> String {
    format!(
        r#"[smtp]
host = "127.0.0.1"
port = {port}
security = "none"
username = "weerbaar"
password_env = "SMTP_PW"
from = "weerbaar@provider.example"
timeout_seconds = 5
"#
    )
}

pub const PASSWORD: &str = "s3cret-Pa55word!";
pub const HOOK_SECRET: &str = "hmac-key-Zq8r";

/// The environment the tests give the notifier.
pub fn env(name: &str) -> Option<String> {
    match name {
        "SMTP_PW" => Some(PASSWORD.into()),
        "HOOK_SECRET" => Some(HOOK_SECRET.into()),
        _ => None,
    }
}
