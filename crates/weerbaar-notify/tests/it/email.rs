//! Digest e-mails delivered to the local SMTP sink.

use weerbaar_notify::{Channel, Config, DeliveryError, Notifier, SmtpError};

use crate::common::{PASSWORD, SinkOptions, SmtpSink, env, new_alerts, now, panos, smtp_table};

fn notifier(config: &str) -> Notifier {
    Notifier::new(
        Config::parse("notify.toml", config).expect("test setup works"),
        env,
    )
    .expect("test setup works")
}

#[test]
fn an_english_digest_reaches_the_recipients_with_rfc5322_headers() {
    let sink = SmtpSink::start(SinkOptions::default());
    let config = format!(
        r#"{}
[[destination]]
name = "diest-it"
tenant = "diest"
email = ["it@diest.example", "ciso@diest.example"]
"#,
        smtp_table(sink.port)
    );
    let alerts = new_alerts(&[panos("diest", "fw-diest-01"), panos("leuven", "fw-leuven")]);
    let deliveries = notifier(&config).send(&alerts, now());
    assert_eq!(deliveries.len(), 1, "{deliveries:?}");
    assert_eq!(deliveries[0].result, Ok(()));
    assert_eq!(deliveries[0].destination, "diest-it");
    assert_eq!(
        deliveries[0].channel,
        Channel::Email {
            recipients: vec!["it@diest.example".into(), "ciso@diest.example".into()]
        }
    );

    let got = sink.received();
    assert_eq!(got.len(), 1);
    let m = &got[0];
    assert_eq!(m.mail_from, "weerbaar@provider.example");
    assert_eq!(m.rcpt_to, ["it@diest.example", "ciso@diest.example"]);
    assert_eq!(m.ehlo, "[127.0.0.1]");
    // AUTH PLAIN carried the password from the environment, not from the file.
    assert_eq!(
        m.auth_plain.as_deref(),
        Some(format!("\0weerbaar\0{PASSWORD}").as_bytes())
    );

    assert_eq!(
        m.header("Subject").as_deref(),
        Some("[weerbaar] diest: 1 new KEV finding, 1 Act")
    );
    assert_eq!(
        m.header("From").as_deref(),
        Some("\"weerbaar\" <weerbaar@provider.example>")
    );
    assert_eq!(
        m.header("To").as_deref(),
        Some("it@diest.example, ciso@diest.example")
    );
    assert_eq!(
        m.header("Date").as_deref(),
        Some("Sat, 28 Nov 2026 01:22:18 +0000")
    );
    let id = m.header("Message-ID").expect("test setup works");
    assert!(
        id.starts_with('<') && id.ends_with(".weerbaar@provider.example>"),
        "{id}"
    );
    assert_eq!(m.header("MIME-Version").as_deref(), Some("1.0"));
    assert_eq!(
        m.header("Content-Type").as_deref(),
        Some("text/plain; charset=utf-8")
    );
    assert_eq!(
        m.header("Content-Transfer-Encoding").as_deref(),
        Some("quoted-printable")
    );
    // 7-bit and within SMTP's line limit.
    assert!(m.raw_data.is_ascii());
    assert!(
        m.raw_data.split("\r\n").all(|l| l.len() <= 78),
        "{}",
        m.raw_data
    );

    let body = m.body();
    for expected in [
        "weerbaar: new alerts for tenant diest (2026-11-28 01:22 UTC).",
        "New in CISA's catalog of Known Exploited Vulnerabilities (KEV) (1)",
        "Newly decided Act (act now, out of the normal patch cycle) (1)",
        "fw-diest-01 (internet-facing, criticality critical, zone dmz)",
        "  CVE-2024-3400 (also PAN-SA-2024-0004)",
        "    package: pan-os 10.2.9 (PAN-OS)",
        "    KEV: added 2024-04-12, due 2024-04-19, known ransomware use",
        "    CVSS: 10.0 CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H",
        "    fixed in: 10.2.9-h1, 11.0.4-h1",
        "Sent by weerbaar to destination \"diest-it\".",
    ] {
        assert!(body.contains(expected), "missing {expected:?} in\n{body}");
    }
    // Both alerts are about one finding: described under KEV, referred to under Act.
    assert_eq!(body.matches("    fixed in:").count(), 1, "{body}");
    for expected in [
        "(1)\n-----",
        "fw-diest-01 (internet-facing, criticality critical, zone dmz)\n  CVE-2024-3400 (see above)\n",
    ] {
        assert!(body.contains(expected), "missing {expected:?} in\n{body}");
    }
    // Only this tenant's findings.
    assert!(!body.contains("fw-leuven"), "{body}");
}

#[test]
fn a_dutch_digest_for_the_provider_covers_every_tenant_one_message_each() {
    let sink = SmtpSink::start(SinkOptions::default());
    let config = format!(
        r#"{}
[[destination]]
name = "provider"
tenant = "*"
lang = "nl-BE"
email = ["soc@provider.example"]
"#,
        smtp_table(sink.port)
    );
    let alerts = new_alerts(&[
        panos("diest", "fw-diest-01"),
        panos("diest", "fw-diest-02"),
        panos("leuven", "fw-leuven"),
    ]);
    let deliveries = notifier(&config).send(&alerts, now());
    let tenants: Vec<&str> = deliveries.iter().map(|d| d.tenant.as_str()).collect();
    assert_eq!(tenants, ["diest", "leuven"]);
    assert!(
        deliveries.iter().all(|d| d.result.is_ok()),
        "{deliveries:?}"
    );

    let got = sink.received();
    assert_eq!(got.len(), 2);
    let subjects: Vec<String> = got
        .iter()
        .map(|m| m.header("Subject").expect("test setup works"))
        .collect();
    assert!(subjects.contains(&"[weerbaar] diest: 2 nieuwe KEV-bevindingen, 2 Act".to_owned()));
    assert!(subjects.contains(&"[weerbaar] leuven: 1 nieuwe KEV-bevinding, 1 Act".to_owned()));
    let diest = got
        .iter()
        .find(|m| m.header("X-Weerbaar-Tenant").as_deref() == Some("diest"))
        .expect("test setup works");
    let body = diest.body();
    for expected in [
        "weerbaar: nieuwe meldingen voor tenant diest",
        "Nieuw in CISA's catalogus van actief misbruikte kwetsbaarheden (KEV) (2)",
        "Nieuw met beslissing Act (nu handelen, buiten de gewone patchronde) (2)",
        "fw-diest-02 (bereikbaar vanaf internet, kriticiteit kritiek, zone dmz)",
        "  CVE-2024-3400 (ook PAN-SA-2024-0004)",
        "    pakket: pan-os 10.2.9 (PAN-OS)",
        "    KEV: opgenomen 2024-04-12, uiterste datum 2024-04-19, gebruikt in ransomwarecampagnes",
        "    opgelost in: 10.2.9-h1, 11.0.4-h1",
        "Verzonden door weerbaar naar bestemming \"provider\".",
    ] {
        assert!(body.contains(expected), "missing {expected:?} in\n{body}");
    }
}

#[test]
fn kinds_limit_what_a_destination_is_told() {
    let sink = SmtpSink::start(SinkOptions::default());
    let config = format!(
        r#"{}
[[destination]]
name = "act-only"
tenant = "diest"
kinds = ["new_act"]
email = ["it@diest.example"]
"#,
        smtp_table(sink.port)
    );
    let alerts = new_alerts(&[panos("diest", "fw")]);
    let deliveries = notifier(&config).send(&alerts, now());
    assert_eq!(deliveries[0].alerts, 1);
    let got = sink.received();
    assert_eq!(
        got[0].header("Subject").as_deref(),
        Some("[weerbaar] diest: 1 Act")
    );
    assert!(!got[0].body().contains("(KEV) (1)"));
}

#[test]
fn a_line_starting_with_a_dot_is_dot_stuffed_and_arrives_intact() {
    let sink = SmtpSink::start(SinkOptions::default());
    let config = format!(
        r#"{}
[[destination]]
name = "d"
tenant = "diest"
email = ["it@diest.example"]
"#,
        smtp_table(sink.port)
    );
    let alerts = new_alerts(&[panos("diest", ".hidden-fw")]);
    let deliveries = notifier(&config).send(&alerts, now());
    assert_eq!(deliveries[0].result, Ok(()));
    let m = &sink.received()[0];
    assert!(
        m.raw_data.contains("\r\n..hidden-fw (internet-facing"),
        "{}",
        m.raw_data
    );
    assert!(m.body().contains("\n.hidden-fw (internet-facing"));

    // A line that is exactly "." would end DATA early without stuffing.
    let server = smtp_server(sink.port);
    let message = b"Subject: dots\r\n\r\nbefore\r\n.\r\nafter\r\n";
    weerbaar_notify::smtp::send(
        &server,
        "weerbaar@provider.example",
        &["x@example.org".into()],
        message,
    )
    .expect("test setup works");
    let m = &sink.received()[1];
    assert_eq!(m.message.as_bytes(), message);
    assert!(m.raw_data.contains("\r\n..\r\nafter"));
}

fn smtp_server(port: u16) -> weerbaar_notify::smtp::Server {
    let config = Config::parse(
        "t.toml",
        &format!(
            "{}\n[[destination]]\nname = \"d\"\ntenant = \"*\"\nemail = [\"x@example.org\"]\n",
            smtp_table(port)
        ),
    )
    .expect("test setup works");
    Notifier::new(config, env)
        .expect("test setup works")
        .smtp_server()
        .expect("test setup works")
        .clone()
}

#[test]
fn line_breaks_in_tenant_and_asset_names_cannot_add_headers() {
    let sink = SmtpSink::start(SinkOptions::default());
    let config = format!(
        r#"{}
[[destination]]
name = "provider"
tenant = "*"
email = ["soc@provider.example"]
"#,
        smtp_table(sink.port)
    );
    let alerts = new_alerts(&[panos(
        "diest\r\nBcc: thief@evil.example\r\n",
        "fw\r\nX-Injected: yes",
    )]);
    let deliveries = notifier(&config).send(&alerts, now());
    assert_eq!(deliveries[0].result, Ok(()));
    let m = &sink.received()[0];
    assert_eq!(m.rcpt_to, ["soc@provider.example"]);
    for line in m.headers().split("\r\n") {
        assert!(
            !line.starts_with("Bcc") && !line.starts_with("X-Injected"),
            "injected header {line:?} in\n{}",
            m.headers()
        );
    }
    assert!(m.header("Bcc").is_none());
    assert!(
        m.header("Subject")
            .expect("test setup works")
            .starts_with("[weerbaar] diest  Bcc: thief@evil.example")
    );
    assert!(m.body().contains("fw  X-Injected: yes (internet-facing"));
}

#[test]
fn a_rejected_recipient_is_named_and_the_others_still_receive_the_digest() {
    let sink = SmtpSink::start(SinkOptions {
        reject: ["gone@diest.example".to_owned()].into(),
        ..SinkOptions::default()
    });
    let config = format!(
        r#"{}
[[destination]]
name = "diest-it"
tenant = "diest"
email = ["gone@diest.example", "it@diest.example"]

[[destination]]
name = "provider"
tenant = "*"
email = ["soc@provider.example"]
"#,
        smtp_table(sink.port)
    );
    let deliveries = notifier(&config).send(&new_alerts(&[panos("diest", "fw")]), now());
    assert_eq!(deliveries.len(), 2);
    let failed = &deliveries[0];
    assert_eq!(failed.destination, "diest-it");
    let Err(DeliveryError::Smtp(SmtpError::RecipientsRejected {
        rejected,
        delivered,
        ..
    })) = &failed.result
    else {
        panic!("{failed:?}");
    };
    assert_eq!(rejected.len(), 1);
    assert_eq!(rejected[0].0, "gone@diest.example");
    assert_eq!(rejected[0].1, 550);
    assert_eq!(delivered, &["it@diest.example"]);
    let shown = failed.to_string();
    assert!(shown.contains("destination \"diest-it\""), "{shown}");
    assert!(shown.contains("127.0.0.1:"), "{shown}");
    assert!(
        shown.contains("recipient <gone@diest.example> with 550 5.1.1 <gone@diest.example>: Recipient address rejected"),
        "{shown}"
    );
    assert!(shown.contains("delivered to it@diest.example"), "{shown}");
    assert_eq!(deliveries[1].result, Ok(()));

    let got = sink.received();
    assert_eq!(got.len(), 2);
    assert_eq!(got[0].rcpt_to, ["it@diest.example"]);
    assert_eq!(got[1].rcpt_to, ["soc@provider.example"]);
}

#[test]
fn when_every_recipient_is_rejected_nothing_is_sent() {
    let sink = SmtpSink::start(SinkOptions {
        reject: ["gone@diest.example".to_owned()].into(),
        ..SinkOptions::default()
    });
    let config = format!(
        "{}\n[[destination]]\nname = \"d\"\ntenant = \"diest\"\nemail = [\"gone@diest.example\"]\n",
        smtp_table(sink.port)
    );
    let deliveries = notifier(&config).send(&new_alerts(&[panos("diest", "fw")]), now());
    let e = deliveries[0]
        .result
        .as_ref()
        .expect_err("the test expects an error")
        .to_string();
    assert!(e.contains("nobody received the message"), "{e}");
    assert!(sink.received().is_empty());
}

#[test]
fn an_unreachable_server_is_an_error_for_that_delivery_only() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").expect("test setup works");
        l.local_addr().expect("test setup works").port()
    };
    let config = format!(
        "{}\n[[destination]]\nname = \"d\"\ntenant = \"diest\"\nemail = [\"it@diest.example\"]\n",
        smtp_table(port)
    );
    let deliveries = notifier(&config).send(&new_alerts(&[panos("diest", "fw")]), now());
    let e = deliveries[0]
        .result
        .as_ref()
        .expect_err("the test expects an error")
        .to_string();
    assert!(
        e.starts_with(&format!("cannot connect to 127.0.0.1:{port}")),
        "{e}"
    );
}

#[test]
fn starttls_is_required_when_configured() {
    let sink = SmtpSink::start(SinkOptions::default());
    let config = format!(
        r#"[smtp]
host = "127.0.0.1"
port = {}
from = "weerbaar@provider.example"

[[destination]]
name = "d"
tenant = "diest"
email = ["it@diest.example"]
"#,
        sink.port
    );
    let deliveries = notifier(&config).send(&new_alerts(&[panos("diest", "fw")]), now());
    let e = deliveries[0]
        .result
        .as_ref()
        .expect_err("the test expects an error")
        .to_string();
    assert!(e.contains("does not offer STARTTLS"), "{e}");
    assert!(sink.received().is_empty());
}

#[test]
fn kev_values_match_the_catalog() {
    let Some(real) = crate::common::real_kev_3400() else {
        return;
    };
    assert_eq!(
        (
            real.date_added.to_string(),
            real.due_date.to_string(),
            real.ransomware
        ),
        ("2024-04-12".to_owned(), "2024-04-19".to_owned(), true)
    );
}
