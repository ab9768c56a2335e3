//! STARTTLS and implicit TLS against the sink, with a test CA given as `ca_file`.

use weerbaar_notify::{Config, Notifier};

use crate::common::{
    PASSWORD, SinkOptions, SmtpSink, ca_file, env, new_alerts, now, panos, tls_config,
};

fn config(port: u16, security: &str, ca: bool) -> String {
    let ca = if ca {
        format!("ca_file = \"{}\"\n", ca_file())
    } else {
        String::new()
    };
    format!(
        r#"[smtp]
host = "localhost"
port = {port}
security = "{security}"
username = "weerbaar"
password_env = "SMTP_PW"
from = "weerbaar@provider.example"
timeout_seconds = 5
{ca}
[[destination]]
name = "d"
tenant = "diest"
email = ["it@diest.example"]
"#
    )
}

fn send(text: &str) -> Vec<weerbaar_notify::Delivery> {
    let notifier = Notifier::new(
        Config::parse("notify.toml", text).expect("test setup works"),
        env,
    )
    .expect("test setup works");
    notifier.send(&new_alerts(&[panos("diest", "fw")]), now())
}

#[test]
fn starttls_upgrades_before_auth_and_the_message() {
    let sink = SmtpSink::start(SinkOptions {
        starttls: Some(tls_config()),
        ..SinkOptions::default()
    });
    let deliveries = send(&config(sink.port, "starttls", true));
    assert_eq!(deliveries[0].result, Ok(()), "{}", deliveries[0]);
    let got = sink.received();
    assert_eq!(got.len(), 1);
    assert!(got[0].tls, "the transaction ran in the clear");
    assert_eq!(
        got[0].auth_plain.as_deref(),
        Some(format!("\0weerbaar\0{PASSWORD}").as_bytes())
    );
    assert_eq!(got[0].rcpt_to, ["it@diest.example"]);
}

#[test]
fn implicit_tls_works_too() {
    let sink = SmtpSink::start(SinkOptions {
        implicit_tls: Some(tls_config()),
        ..SinkOptions::default()
    });
    let deliveries = send(&config(sink.port, "tls", true));
    assert_eq!(deliveries[0].result, Ok(()), "{}", deliveries[0]);
    assert!(sink.received()[0].tls);
}

#[test]
fn an_untrusted_certificate_stops_before_auth() {
    let sink = SmtpSink::start(SinkOptions {
        starttls: Some(tls_config()),
        ..SinkOptions::default()
    });
    let deliveries = send(&config(sink.port, "starttls", false));
    let e = deliveries[0]
        .result
        .as_ref()
        .expect_err("the test CA is not a web PKI root")
        .to_string();
    assert!(e.contains("TLS failed"), "{e}");
    assert!(e.contains("UnknownIssuer"), "{e}");
    assert!(sink.received().is_empty());
}
