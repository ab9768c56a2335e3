//! A small blocking SMTP submission client (RFC 5321, 3207 STARTTLS, 4954 AUTH).
//!
//! Written here rather than taken from `lettre`: weerbaar sends a handful of digests after a
//! rematch, over one connection per message, and needs exactly EHLO, STARTTLS, AUTH PLAIN/LOGIN,
//! MAIL, RCPT, DATA and QUIT. Measured on the shared 2-core machine, lettre (smtp-transport,
//! builder, rustls with ring) added 56 crates and about 24 s to a clean debug build of the same
//! TLS stack (52 s instead of 28 s for ureq + rustls + HMAC alone), mostly `url`/`idna` and MIME
//! machinery this crate does not use. The TLS is the rustls (ring, web PKI roots) that ureq
//! builds for the webhooks and feed downloads anyway; this module is about 500 lines.
//!
//! Safety rules: `starttls` fails when the server does not offer STARTTLS (no silent downgrade);
//! data the server sent ahead of the TLS handshake is refused (STARTTLS command injection,
//! CVE-2011-0411); replies are read with a bounded line length and line count; errors carry the
//! server's reply but never a command this client sent (AUTH carries the password).

use std::fmt;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
#[cfg(feature = "tls")]
use std::sync::Arc;
use std::time::Duration;

use crate::Secret;
use crate::config::Security;
use crate::message::{base64, one_line};

/// Where and how to connect; built by [`crate::Notifier`] from [`crate::config::SmtpConfig`].
#[derive(Clone)]
pub struct Server {
    pub host: String,
    pub port: u16,
    pub security: Security,
    pub helo_name: Option<String>,
    pub timeout: Duration,
    pub credentials: Option<(String, Secret)>,
    #[cfg(feature = "tls")]
    pub(crate) tls: Option<Arc<rustls::ClientConfig>>,
}

impl fmt::Debug for Server {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Server")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("security", &self.security)
            .field("helo_name", &self.helo_name)
            .field("timeout", &self.timeout)
            .field(
                "credentials",
                &self
                    .credentials
                    .as_ref()
                    .map(|(user, secret)| (user, secret)),
            )
            .finish_non_exhaustive()
    }
}

impl Server {
    fn name(&self) -> String {
        format!("{}:{}", self.host, self.port)
    }
}

/// Why a message was not (completely) delivered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SmtpError {
    #[error("cannot connect to {server}: {reason}")]
    Connect { server: String, reason: String },
    #[error("{server}: connection failed during {stage}: {reason}")]
    Io {
        server: String,
        stage: &'static str,
        reason: String,
    },
    #[error("{server}: TLS failed: {reason}")]
    Tls { server: String, reason: String },
    #[error("{server} answered {command} with {code} {text}")]
    Reply {
        server: String,
        command: &'static str,
        code: u16,
        text: String,
    },
    #[error(
        "{server} does not offer STARTTLS; refusing to send in the clear (security = \"starttls\")"
    )]
    NoStartTls { server: String },
    #[error(
        "{server} offers no authentication mechanism this client speaks (PLAIN, LOGIN); it offers: {offered}"
    )]
    NoAuthMechanism { server: String, offered: String },
    #[error("{server} rejected {}{}", list_rejected(.rejected), delivered_note(.delivered))]
    RecipientsRejected {
        server: String,
        /// Address, reply code and reply text.
        rejected: Vec<(String, u16, String)>,
        /// The recipients that did receive the message.
        delivered: Vec<String>,
    },
    #[error("{server}: this build of weerbaar has no TLS (the `tls` feature of weerbaar-notify)")]
    TlsNotBuilt { server: String },
}

fn list_rejected(rejected: &[(String, u16, String)]) -> String {
    rejected
        .iter()
        .map(|(addr, code, text)| format!("recipient <{addr}> with {code} {text}"))
        .collect::<Vec<_>>()
        .join("; ")
}

fn delivered_note(delivered: &[String]) -> String {
    if delivered.is_empty() {
        "; nobody received the message".to_owned()
    } else {
        format!("; delivered to {}", delivered.join(", "))
    }
}

/// One server reply: the code and the text of all its lines.
#[derive(Debug)]
struct Reply {
    code: u16,
    lines: Vec<String>,
}

impl Reply {
    fn text(&self) -> String {
        let text = self.lines.join(" / ");
        // A hostile server cannot fill a log with its reply.
        let short: String = text.chars().take(300).collect();
        one_line(&short)
    }
}

enum Conn {
    Plain(TcpStream),
    #[cfg(feature = "tls")]
    Tls(Box<rustls::StreamOwned<rustls::ClientConnection, TcpStream>>),
}

impl Read for Conn {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Self::Plain(s) => s.read(buf),
            #[cfg(feature = "tls")]
            Self::Tls(s) => s.read(buf),
        }
    }
}

impl Write for Conn {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Self::Plain(s) => s.write(buf),
            #[cfg(feature = "tls")]
            Self::Tls(s) => s.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Self::Plain(s) => s.flush(),
            #[cfg(feature = "tls")]
            Self::Tls(s) => s.flush(),
        }
    }
}

struct Session<'a> {
    server: &'a Server,
    name: String,
    conn: BufReader<Conn>,
    helo: String,
}

const MAX_LINE: u64 = 4096;
const MAX_LINES: usize = 100;

impl Session<'_> {
    fn io(&self, stage: &'static str) -> impl Fn(io::Error) -> SmtpError + '_ {
        move |e| SmtpError::Io {
            server: self.name.clone(),
            stage,
            reason: e.to_string(),
        }
    }

    fn read_reply(&mut self, stage: &'static str) -> Result<Reply, SmtpError> {
        let mut lines = Vec::new();
        loop {
            let mut buf = Vec::new();
            let n = (&mut self.conn)
                .take(MAX_LINE)
                .read_until(b'\n', &mut buf)
                .map_err(self.io(stage))?;
            if n == 0 {
                return Err(SmtpError::Io {
                    server: self.name.clone(),
                    stage,
                    reason: "the server closed the connection".into(),
                });
            }
            if !buf.ends_with(b"\n") {
                return Err(SmtpError::Io {
                    server: self.name.clone(),
                    stage,
                    reason: "reply line too long".into(),
                });
            }
            let line = String::from_utf8_lossy(&buf);
            let line = line.trim_end_matches(['\r', '\n']);
            let parsed = line
                .get(..3)
                .and_then(|c| c.parse::<u16>().ok())
                .filter(|c| (200..600).contains(c));
            let Some(this_code) = parsed else {
                return Err(SmtpError::Io {
                    server: self.name.clone(),
                    stage,
                    reason: format!("not an SMTP reply: {:?}", one_line(line)),
                });
            };
            let code = this_code;
            let more = line.as_bytes().get(3) == Some(&b'-');
            lines.push(line.get(4..).unwrap_or_default().to_owned());
            if !more {
                return Ok(Reply { code, lines });
            }
            if lines.len() >= MAX_LINES {
                return Err(SmtpError::Io {
                    server: self.name.clone(),
                    stage,
                    reason: format!("reply {code} has more than {MAX_LINES} lines"),
                });
            }
        }
    }

    fn send_line(&mut self, line: &str, stage: &'static str) -> Result<(), SmtpError> {
        let conn = self.conn.get_mut();
        conn.write_all(line.as_bytes())
            .and_then(|()| conn.write_all(b"\r\n"))
            .and_then(|()| conn.flush())
            .map_err(self.io(stage))
    }

    /// Sends `line` and expects a reply with one of `ok` codes. `command` names it in errors
    /// (the line itself may hold credentials).
    fn command(
        &mut self,
        line: &str,
        command: &'static str,
        ok: &[u16],
    ) -> Result<Reply, SmtpError> {
        self.send_line(line, command)?;
        self.expect(command, ok)
    }

    fn expect(&mut self, command: &'static str, ok: &[u16]) -> Result<Reply, SmtpError> {
        let reply = self.read_reply(command)?;
        if ok.contains(&reply.code) {
            Ok(reply)
        } else {
            Err(self.refused(command, &reply))
        }
    }

    fn refused(&self, command: &'static str, reply: &Reply) -> SmtpError {
        SmtpError::Reply {
            server: self.name.clone(),
            command,
            code: reply.code,
            text: reply.text(),
        }
    }

    /// EHLO; returns the extension keywords (upper case, with their parameters).
    fn ehlo(&mut self) -> Result<Vec<String>, SmtpError> {
        let line = format!("EHLO {}", self.helo);
        let reply = self.command(&line, "EHLO", &[250])?;
        Ok(reply
            .lines
            .iter()
            .skip(1)
            .map(|l| l.trim().to_ascii_uppercase())
            .collect())
    }

    #[cfg(feature = "tls")]
    fn start_tls(mut self) -> Result<Self, SmtpError> {
        self.command("STARTTLS", "STARTTLS", &[220])?;
        if !self.conn.buffer().is_empty() {
            return Err(SmtpError::Tls {
                server: self.name,
                reason: "the server sent data before the TLS handshake".into(),
            });
        }
        let Conn::Plain(tcp) = self.conn.into_inner() else {
            return Err(SmtpError::Tls {
                server: self.name,
                reason: "STARTTLS on a connection that is already encrypted".into(),
            });
        };
        let conn = tls_wrap(self.server, tcp)?;
        Ok(Self {
            server: self.server,
            name: self.name,
            conn: BufReader::new(conn),
            helo: self.helo,
        })
    }

    fn authenticate(&mut self, extensions: &[String]) -> Result<(), SmtpError> {
        let Some((user, password)) = &self.server.credentials else {
            return Ok(());
        };
        let mechanisms: Vec<&str> = extensions
            .iter()
            .filter_map(|e| e.strip_prefix("AUTH").filter(|r| r.starts_with([' ', '='])))
            .flat_map(|r| r.get(1..).unwrap_or_default().split_whitespace())
            .collect();
        if mechanisms.contains(&"PLAIN") {
            let mut token = Vec::new();
            token.push(0);
            token.extend_from_slice(user.as_bytes());
            token.push(0);
            token.extend_from_slice(password.expose().as_bytes());
            let line = format!("AUTH PLAIN {}", base64(&token));
            self.command(&line, "AUTH PLAIN", &[235])?;
        } else if mechanisms.contains(&"LOGIN") {
            self.command("AUTH LOGIN", "AUTH LOGIN", &[334])?;
            self.command(&base64(user.as_bytes()), "AUTH LOGIN (user name)", &[334])?;
            let line = base64(password.expose().as_bytes());
            self.command(&line, "AUTH LOGIN (password)", &[235])?;
        } else {
            return Err(SmtpError::NoAuthMechanism {
                server: self.name.clone(),
                offered: if mechanisms.is_empty() {
                    "none".into()
                } else {
                    mechanisms.join(" ")
                },
            });
        }
        Ok(())
    }
}

#[cfg(feature = "tls")]
fn tls_wrap(server: &Server, tcp: TcpStream) -> Result<Conn, SmtpError> {
    let tls_error = |reason: String| SmtpError::Tls {
        server: server.name(),
        reason,
    };
    let Some(config) = &server.tls else {
        return Err(tls_error("no TLS configuration".into()));
    };
    let name = rustls::pki_types::ServerName::try_from(server.host.clone())
        .map_err(|e| tls_error(format!("{:?} is not a TLS server name: {e}", server.host)))?;
    let mut client = rustls::ClientConnection::new(Arc::clone(config), name)
        .map_err(|e| tls_error(e.to_string()))?;
    let mut tcp = tcp;
    // Handshake now, so a certificate problem is reported as TLS, not as a failed EHLO.
    while client.is_handshaking() {
        client
            .complete_io(&mut tcp)
            .map_err(|e| tls_error(e.to_string()))?;
    }
    Ok(Conn::Tls(Box::new(rustls::StreamOwned::new(client, tcp))))
}

#[cfg(not(feature = "tls"))]
fn tls_wrap(server: &Server, _tcp: TcpStream) -> Result<Conn, SmtpError> {
    Err(SmtpError::TlsNotBuilt {
        server: server.name(),
    })
}

/// STARTTLS, then EHLO again: what the server said before TLS is forgotten (RFC 3207 §4.2).
#[cfg(feature = "tls")]
fn upgrade(session: Session<'_>) -> Result<(Session<'_>, Vec<String>), SmtpError> {
    let mut session = session.start_tls()?;
    let extensions = session.ehlo()?;
    Ok((session, extensions))
}

#[cfg(not(feature = "tls"))]
fn upgrade(session: Session<'_>) -> Result<(Session<'_>, Vec<String>), SmtpError> {
    Err(SmtpError::TlsNotBuilt {
        server: session.name,
    })
}

fn connect(server: &Server) -> Result<TcpStream, SmtpError> {
    let name = server.name();
    let connect_error = |reason: String| SmtpError::Connect {
        server: name.clone(),
        reason,
    };
    let addrs: Vec<SocketAddr> = (server.host.as_str(), server.port)
        .to_socket_addrs()
        .map_err(|e| connect_error(e.to_string()))?
        .collect();
    let mut last = "the host name has no address".to_owned();
    for addr in addrs {
        match TcpStream::connect_timeout(&addr, server.timeout) {
            Ok(tcp) => {
                tcp.set_read_timeout(Some(server.timeout))
                    .and_then(|()| tcp.set_write_timeout(Some(server.timeout)))
                    .map_err(|e| connect_error(e.to_string()))?;
                return Ok(tcp);
            }
            Err(e) => last = format!("{addr}: {e}"),
        }
    }
    Err(connect_error(last))
}

/// Sends one message (complete RFC 5322 text with CRLF line ends) from `from` to `recipients`
/// over one connection.
///
/// Recipients the server refuses are reported in [`SmtpError::RecipientsRejected`] together with
/// those that did receive the message; the message is sent as long as one recipient is accepted.
///
/// # Errors
///
/// [`SmtpError`] naming the server, the step and the server's reply.
pub fn send(
    server: &Server,
    from: &str,
    recipients: &[String],
    message: &[u8],
) -> Result<(), SmtpError> {
    let tcp = connect(server)?;
    let helo = match &server.helo_name {
        Some(h) => h.clone(),
        None => match tcp.local_addr() {
            Ok(SocketAddr::V4(a)) => format!("[{}]", a.ip()),
            Ok(SocketAddr::V6(a)) => format!("[IPv6:{}]", a.ip()),
            Err(_) => "localhost".into(),
        },
    };
    let conn = match server.security {
        Security::Tls => tls_wrap(server, tcp)?,
        Security::Starttls | Security::None => Conn::Plain(tcp),
    };
    let mut session = Session {
        server,
        name: server.name(),
        conn: BufReader::new(conn),
        helo,
    };
    session.expect("the greeting", &[220])?;
    let extensions = session.ehlo()?;
    let (mut session, extensions) = if server.security == Security::Starttls {
        if !extensions.iter().any(|e| e == "STARTTLS") {
            return Err(SmtpError::NoStartTls {
                server: session.name,
            });
        }
        upgrade(session)?
    } else {
        (session, extensions)
    };
    session.authenticate(&extensions)?;
    session.command(&format!("MAIL FROM:<{from}>"), "MAIL FROM", &[250])?;
    let mut accepted = Vec::new();
    let mut rejected = Vec::new();
    for to in recipients {
        session.send_line(&format!("RCPT TO:<{to}>"), "RCPT TO")?;
        let reply = session.read_reply("RCPT TO")?;
        if matches!(reply.code, 250 | 251) {
            accepted.push(to.clone());
        } else {
            rejected.push((to.clone(), reply.code, reply.text()));
        }
    }
    if accepted.is_empty() {
        let _ = session.command("QUIT", "QUIT", &[221]);
        return Err(SmtpError::RecipientsRejected {
            server: session.name,
            rejected,
            delivered: accepted,
        });
    }
    session.command("DATA", "DATA", &[354])?;
    let data = dot_stuff(message);
    session
        .conn
        .get_mut()
        .write_all(&data)
        .and_then(|()| session.conn.get_mut().flush())
        .map_err(session.io("DATA"))?;
    session.expect("the end of DATA", &[250])?;
    // The message is accepted; a failed QUIT changes nothing.
    let _ = session.command("QUIT", "QUIT", &[221]);
    if rejected.is_empty() {
        Ok(())
    } else {
        Err(SmtpError::RecipientsRejected {
            server: session.name,
            rejected,
            delivered: accepted,
        })
    }
}

/// The DATA section: every line starting with `.` gets another `.` (RFC 5321 §4.5.2), bare LFs
/// become CRLF, and the terminating `.` line follows.
#[must_use]
pub fn dot_stuff(message: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(message.len() + 16);
    let mut at_line_start = true;
    let mut previous = 0u8;
    for &b in message {
        if at_line_start && b == b'.' {
            out.push(b'.');
        }
        if b == b'\n' && previous != b'\r' {
            out.push(b'\r');
        }
        out.push(b);
        at_line_start = b == b'\n';
        previous = b;
    }
    if !out.ends_with(b"\r\n") {
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(b".\r\n");
    out
}
