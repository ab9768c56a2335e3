//! A tiny HTTP/1.1 server and CONNECT proxy on 127.0.0.1 for tests of downloads: std only,
//! one thread per connection, `Connection: close` on every response.
//!
//! Routes serve fixed bytes with an `ETag` and `Last-Modified` (answering conditional requests
//! with `304`), or misbehave on purpose: an error status, or a full `Content-Length` followed by
//! half the body and a dropped connection.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread;

/// How a route answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Behaviour {
    /// `200` with the body (or `304` when the request's validators match).
    Normal,
    /// `200` announcing the full `Content-Length`, then half the body, then a dropped connection.
    DropHalfway,
    /// This status, with a short text body.
    Status(u16),
}

/// One path's response.
#[derive(Debug, Clone)]
pub struct Route {
    pub body: Vec<u8>,
    pub etag: String,
    pub last_modified: String,
    pub behaviour: Behaviour,
}

impl Route {
    /// A normal route with these validators.
    #[must_use]
    pub fn new(body: Vec<u8>, etag: &str) -> Self {
        Self {
            body,
            etag: format!("\"{etag}\""),
            last_modified: "Wed, 21 Oct 2026 07:28:00 GMT".to_owned(),
            behaviour: Behaviour::Normal,
        }
    }

    #[must_use]
    pub fn behaving(mut self, behaviour: Behaviour) -> Self {
        self.behaviour = behaviour;
        self
    }
}

/// A request as the server saw it.
#[derive(Debug, Clone)]
pub struct Seen {
    pub path: String,
    /// Header names lowercased.
    pub headers: HashMap<String, String>,
    /// The status it was answered with.
    pub status: u16,
}

type Routes = Arc<Mutex<HashMap<String, Route>>>;

/// A running test server; it lives until the test process ends.
#[derive(Debug)]
pub struct Server {
    port: u16,
    routes: Routes,
    seen: Arc<Mutex<Vec<Seen>>>,
}

fn read_head(stream: &mut BufReader<TcpStream>) -> Option<(String, HashMap<String, String>)> {
    let mut request_line = String::new();
    stream.read_line(&mut request_line).ok()?;
    let mut headers = HashMap::new();
    loop {
        let mut line = String::new();
        if stream.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            headers.insert(name.trim().to_ascii_lowercase(), value.trim().to_owned());
        }
    }
    Some((request_line.trim_end().to_owned(), headers))
}

impl Server {
    /// Starts a server on 127.0.0.1 with an ephemeral port.
    ///
    /// # Panics
    /// When no port can be bound.
    #[must_use]
    pub fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        let port = listener.local_addr().expect("local addr").port();
        let routes: Routes = Arc::default();
        let seen: Arc<Mutex<Vec<Seen>>> = Arc::default();
        let (r, s) = (Arc::clone(&routes), Arc::clone(&seen));
        thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let (r, s) = (Arc::clone(&r), Arc::clone(&s));
                thread::spawn(move || handle(stream, &r, &s));
            }
        });
        Self { port, routes, seen }
    }

    /// `http://127.0.0.1:PORT/path`.
    #[must_use]
    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    /// Serves `route` at `path` (replacing what was there).
    pub fn route(&self, path: &str, route: Route) {
        self.routes
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(path.to_owned(), route);
    }

    /// Every request so far, in order.
    #[must_use]
    pub fn seen(&self) -> Vec<Seen> {
        self.seen
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

fn handle(stream: TcpStream, routes: &Routes, seen: &Arc<Mutex<Vec<Seen>>>) {
    let Ok(write_half) = stream.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(stream);
    let Some((request_line, headers)) = read_head(&mut reader) else {
        return;
    };
    let path = request_line
        .split_whitespace()
        .nth(1)
        .unwrap_or("/")
        .to_owned();
    let route = routes
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .get(&path)
        .cloned();
    let mut out = write_half;
    // The response is built first and the request recorded before it is sent, so a test that
    // has its response already sees the request in `seen()`.
    let mut response = Vec::new();
    let status = respond(&mut response, route.as_ref(), &headers);
    seen.lock()
        .unwrap_or_else(PoisonError::into_inner)
        .push(Seen {
            path,
            headers,
            status,
        });
    let _ = out.write_all(&response);
    let _ = out.flush();
    let _ = out.shutdown(Shutdown::Both);
}

fn respond(out: &mut Vec<u8>, route: Option<&Route>, headers: &HashMap<String, String>) -> u16 {
    let Some(route) = route else {
        let _ = out.write_all(
            b"HTTP/1.1 404 Not Found\r\nContent-Length: 9\r\nConnection: close\r\n\r\nnot found",
        );
        return 404;
    };
    match route.behaviour {
        Behaviour::Status(status) => {
            let body = format!("status {status}");
            let _ = write!(
                out,
                "HTTP/1.1 {status} Test\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
            status
        }
        Behaviour::Normal | Behaviour::DropHalfway => {
            let not_modified = match headers.get("if-none-match") {
                Some(tag) => *tag == route.etag,
                None => headers.get("if-modified-since") == Some(&route.last_modified),
            };
            if not_modified && route.behaviour == Behaviour::Normal {
                let _ = write!(
                    out,
                    "HTTP/1.1 304 Not Modified\r\nETag: {}\r\nConnection: close\r\n\r\n",
                    route.etag
                );
                return 304;
            }
            let _ = write!(
                out,
                "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nETag: {}\r\nLast-Modified: {}\r\n\
                 Content-Type: application/octet-stream\r\nConnection: close\r\n\r\n",
                route.body.len(),
                route.etag,
                route.last_modified
            );
            let body = if route.behaviour == Behaviour::DropHalfway {
                &route.body[..route.body.len() / 2]
            } else {
                &route.body[..]
            };
            let _ = out.write_all(body);
            200
        }
    }
}

/// A CONNECT proxy on 127.0.0.1 that tunnels only to 127.0.0.1 and counts its tunnels.
#[derive(Debug)]
pub struct Proxy {
    port: u16,
    tunnels: Arc<AtomicUsize>,
}

impl Proxy {
    /// Starts the proxy on an ephemeral port.
    ///
    /// # Panics
    /// When no port can be bound.
    #[must_use]
    pub fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        let port = listener.local_addr().expect("local addr").port();
        let tunnels = Arc::new(AtomicUsize::new(0));
        let count = Arc::clone(&tunnels);
        thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let count = Arc::clone(&count);
                thread::spawn(move || tunnel(stream, &count));
            }
        });
        Self { port, tunnels }
    }

    /// `http://127.0.0.1:PORT`.
    #[must_use]
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// How many CONNECT tunnels were opened.
    #[must_use]
    pub fn tunnels(&self) -> usize {
        self.tunnels.load(Ordering::SeqCst)
    }
}

fn tunnel(stream: TcpStream, count: &AtomicUsize) {
    let Ok(mut client_out) = stream.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(stream);
    let Some((request_line, _)) = read_head(&mut reader) else {
        return;
    };
    let mut parts = request_line.split_whitespace();
    let (Some("CONNECT"), Some(target)) = (parts.next(), parts.next()) else {
        let _ = client_out.write_all(b"HTTP/1.1 405 Only CONNECT\r\nContent-Length: 0\r\n\r\n");
        return;
    };
    if !target.starts_with("127.0.0.1:") {
        let _ = client_out.write_all(b"HTTP/1.1 403 Loopback only\r\nContent-Length: 0\r\n\r\n");
        return;
    }
    let Ok(upstream) = TcpStream::connect(target) else {
        let _ = client_out.write_all(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n");
        return;
    };
    count.fetch_add(1, Ordering::SeqCst);
    if client_out
        .write_all(b"HTTP/1.1 200 Connection established\r\n\r\n")
        .is_err()
    {
        return;
    }
    let Ok(mut upstream_out) = upstream.try_clone() else {
        return;
    };
    let buffered = reader.buffer().to_vec();
    let _ = upstream_out.write_all(&buffered);
    let mut client_in = reader.into_inner();
    let up = thread::spawn(move || {
        let _ = std::io::copy(&mut client_in, &mut upstream_out);
        let _ = upstream_out.shutdown(Shutdown::Write);
    });
    let mut upstream_in = upstream;
    let _ = std::io::copy(&mut upstream_in, &mut client_out);
    let _ = client_out.shutdown(Shutdown::Both);
    let _ = up.join();
    let _ = upstream_in.read(&mut [0u8; 0]);
}
