//! Notifications end to end: an import, or a feed update, that makes a finding KEV-listed posts
//! a signed webhook to a receiver on 127.0.0.1 (the receiver is this test: a real socket, no
//! mock of weerbaar's code).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::mpsc;

use crate::text;

/// Accepts HTTP requests, answers 200 to each, and sends each one's head and body.
fn receiver() -> (String, mpsc::Receiver<(String, String)>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!(
        "http://{}/hooks/weerbaar",
        listener.local_addr().expect("addr")
    );
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else {
                return;
            };
            serve(stream, &tx);
        }
    });
    (url, rx)
}

fn serve(stream: std::net::TcpStream, tx: &mpsc::Sender<(String, String)>) {
    let mut reader = BufReader::new(stream);
    let mut head = String::new();
    let mut length = 0usize;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
            break;
        }
        if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
            length = v.trim().parse().unwrap_or(0);
        }
        head.push_str(&line);
    }
    let mut body = vec![0; length];
    let _ = reader.read_exact(&mut body);
    let mut stream = reader.into_inner();
    let _ = stream.write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\nconnection: close\r\n\r\n");
    let _ = tx.send((head, String::from_utf8_lossy(&body).into_owned()));
}

#[test]
fn a_new_kev_finding_posts_a_signed_webhook() {
    let feeds: Option<Vec<String>> = [
        "osv/rustsec/rustsec-osv.jsonl",
        "kev/known_exploited_vulnerabilities.json",
    ]
    .iter()
    .map(|p| weerbaar_fixtures::fixture(p).map(|p| p.display().to_string()))
    .collect();
    let Some(feeds) = feeds else { return };
    run_scenario(&feeds, "import");
}

/// The feed update is the other way a finding becomes KEV-listed: the inventory is imported
/// against OSV data alone, then the KEV catalog arrives; the incremental rematch re-observes the
/// finding under its CVE, and the notification goes out.
#[test]
fn a_kev_catalog_update_notifies_existing_findings() {
    let feeds: Option<Vec<String>> = [
        "osv/rustsec/rustsec-osv.jsonl",
        "kev/known_exploited_vulnerabilities.json",
    ]
    .iter()
    .map(|p| weerbaar_fixtures::fixture(p).map(|p| p.display().to_string()))
    .collect();
    let Some(feeds) = feeds else { return };
    run_scenario(&feeds, "feed-update");
}

fn run_scenario(feeds: &[String], way: &str) {
    let dir =
        std::env::temp_dir().join(format!("weerbaar-notify-cli-{way}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("data")).expect("dir");
    let (url, received) = receiver();
    std::fs::write(
        dir.join("data/notify.toml"),
        format!(
            "[[destination]]\nname = \"provider\"\ntenant = \"*\"\n\
             webhook = [{{ url = \"{url}\", secret_env = \"WEERBAAR_TEST_HOOK_SECRET\" }}]\n"
        ),
    )
    .expect("write notify.toml");
    let lock = dir.join("Cargo.lock");
    std::fs::write(
        &lock,
        "version = 3\n\n[[package]]\nname = \"libwebp-sys\"\nversion = \"0.9.2\"\n\
         source = \"registry+https://github.com/rust-lang/crates.io-index\"\n",
    )
    .expect("write lock");
    let run = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_weerbaar"))
            .args(args)
            .env("WEERBAAR_DATA_DIR", dir.join("data"))
            .env_remove("WEERBAAR_DATABASE_URL")
            .env_remove("WEERBAAR_NOTIFY")
            .env_remove("WEERBAAR_POLICY")
            .env("WEERBAAR_TEST_HOOK_SECRET", "s3cret-for-the-test")
            .env("NO_PROXY", "127.0.0.1")
            .output()
            .expect("run weerbaar");
        assert!(out.status.success(), "{args:?}: {}", text(&out.stderr));
        out
    };
    run(&["tenant", "add", "diest"]);
    let mut import = vec!["feeds", "import"];
    import.extend(feeds.iter().map(String::as_str));
    run(&import);
    let out = run(&[
        "inventory",
        "import",
        "-t",
        "diest",
        "-a",
        "portal",
        "--exposure",
        "internet-facing",
        &lock.display().to_string(),
    ]);
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("notification: destination \"provider\""),
        "{stderr}"
    );
    assert!(stderr.contains("delivered"), "{stderr}");
    assert!(
        !stderr.contains("s3cret"),
        "the secret is never printed: {stderr}"
    );

    let (head, body) = received
        .recv_timeout(std::time::Duration::from_secs(10))
        .expect("the receiver got a request");
    assert!(head.starts_with("POST /hooks/weerbaar "), "{head}");
    assert!(
        head.to_ascii_lowercase()
            .contains("x-weerbaar-signature: sha256="),
        "{head}"
    );
    let json: serde_json::Value = serde_json::from_str(&body).expect("json body");
    assert_eq!(json["schema"], "weerbaar.alerts/1");
    assert!(body.contains("new_kev"), "{body}");
    assert_eq!(json["tenant"], "diest");
    assert!(body.contains("RUSTSEC-2023-0061"), "{body}");
    assert!(body.contains("CVE-2023-4863"), "{body}");
    let _ = std::fs::remove_dir_all(&dir);
}
