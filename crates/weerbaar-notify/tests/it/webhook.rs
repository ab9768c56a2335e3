//! Webhooks posted to the local HTTP receiver.

use hmac::{Hmac, KeyInit, Mac};
use serde_json::Value;
use sha2::Sha256;
use weerbaar_notify::{Channel, Config, DeliveryError, Notifier, WebhookError};

use crate::common::{HOOK_SECRET, HttpReceiver, env, new_alerts, now, panos};

fn notifier(config: &str) -> Notifier {
    Notifier::new(
        Config::parse("notify.toml", config).expect("test setup works"),
        env,
    )
    .expect("test setup works")
}

fn hmac_hex(key: &[u8], body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("test setup works");
    mac.update(body);
    mac.finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[test]
fn the_json_body_is_posted_signed_with_event_and_delivery_headers() {
    let receiver = HttpReceiver::start(204, "");
    let config = format!(
        r#"[webhook]
proxy = "none"
timeout_seconds = 5

[[destination]]
name = "provider"
tenant = "*"
webhook = [{{ url = "{}", secret_env = "HOOK_SECRET" }}]
"#,
        receiver.url("/hooks/weerbaar")
    );
    let alerts = new_alerts(&[panos("diest", "fw-diest-01")]);
    let deliveries = notifier(&config).send(&alerts, now());
    assert_eq!(deliveries.len(), 1);
    assert_eq!(deliveries[0].result, Ok(()), "{}", deliveries[0]);
    assert_eq!(
        deliveries[0].channel,
        Channel::Webhook {
            url: receiver.url("/hooks/weerbaar")
        }
    );

    let requests = receiver.requests();
    assert_eq!(requests.len(), 1);
    let r = &requests[0];
    assert_eq!(r.method, "POST");
    assert_eq!(r.path, "/hooks/weerbaar");
    assert_eq!(r.headers["content-type"], "application/json");
    assert_eq!(r.headers["x-weerbaar-event"], "alerts");

    // The signature verifies with the secret, over exactly the bytes received.
    let signature = &r.headers["x-weerbaar-signature"];
    assert_eq!(
        signature,
        &format!("sha256={}", hmac_hex(HOOK_SECRET.as_bytes(), &r.body))
    );
    let mut tampered = r.body.clone();
    tampered[10] ^= 1;
    assert_ne!(
        signature,
        &format!("sha256={}", hmac_hex(HOOK_SECRET.as_bytes(), &tampered))
    );
    assert_ne!(
        signature,
        &format!("sha256={}", hmac_hex(b"another key", &r.body))
    );

    let body: Value = serde_json::from_slice(&r.body).expect("test setup works");
    assert_eq!(body["schema"], "weerbaar.alerts/1");
    assert_eq!(body["tenant"], "diest");
    assert_eq!(body["destination"], "provider");
    assert_eq!(body["generated_at"], "2026-11-28T01:22:18Z");
    assert_eq!(
        body["delivery_id"],
        r.headers["x-weerbaar-delivery"].as_str()
    );
    assert_eq!(
        body["delivery_id"]
            .as_str()
            .expect("test setup works")
            .len(),
        32
    );
    assert_eq!(body["counts"]["new_kev"], 1);
    assert_eq!(body["counts"]["new_act"], 1);
    let alerts = body["alerts"].as_array().expect("test setup works");
    assert_eq!(alerts.len(), 2);
    assert_eq!(alerts[0]["kind"], "new_kev");
    assert_eq!(alerts[1]["kind"], "new_act");
    let a = &alerts[0];
    assert_eq!(a["advisory_id"], "CVE-2024-3400");
    assert_eq!(a["aliases"], serde_json::json!(["PAN-SA-2024-0004"]));
    assert_eq!(
        a["asset"],
        serde_json::json!({"name": "fw-diest-01", "criticality": "critical",
            "exposure": "internet-facing", "zone": "dmz"})
    );
    assert_eq!(
        a["package"],
        serde_json::json!({"ecosystem": "PAN-OS", "name": "pan-os", "version": "10.2.9",
            "purl": null})
    );
    assert_eq!(
        a["fixed_versions"],
        serde_json::json!(["10.2.9-h1", "11.0.4-h1"])
    );
    assert_eq!(
        a["kev"],
        serde_json::json!({"date_added": "2024-04-12", "due_date": "2024-04-19",
            "ransomware": true})
    );
    assert_eq!(a["cvss"]["base_score"], 10.0);
    assert_eq!(a["epss"], Value::Null);
    assert_eq!(a["first_seen"], "2024-04-12");
}

#[test]
fn an_unsigned_hook_has_no_signature_header() {
    let receiver = HttpReceiver::start(200, "ok");
    let config = format!(
        "[webhook]\nproxy = \"none\"\n[[destination]]\nname = \"d\"\ntenant = \"diest\"\n\
         webhook = [{{ url = \"{}\" }}]\n",
        receiver.url("/")
    );
    let deliveries = notifier(&config).send(&new_alerts(&[panos("diest", "fw")]), now());
    assert_eq!(deliveries[0].result, Ok(()));
    assert!(
        !receiver.requests()[0]
            .headers
            .contains_key("x-weerbaar-signature")
    );
}

#[test]
fn a_receiver_answering_500_is_an_error_and_the_next_hook_still_gets_its_post() {
    let broken = HttpReceiver::start(500, "database down");
    let working = HttpReceiver::start(200, "");
    let config = format!(
        r#"[webhook]
proxy = "none"

[[destination]]
name = "diest-hooks"
tenant = "diest"
webhook = [{{ url = "{}" }}, {{ url = "{}" }}]
"#,
        broken.url("/in?token=abc123secret"),
        working.url("/in")
    );
    let deliveries = notifier(&config).send(&new_alerts(&[panos("diest", "fw")]), now());
    assert_eq!(deliveries.len(), 2);
    let Err(DeliveryError::Webhook(WebhookError::Status { status, body, url })) =
        &deliveries[0].result
    else {
        panic!("{:?}", deliveries[0]);
    };
    assert_eq!(*status, 500);
    assert_eq!(body, "database down");
    assert_eq!(url, &broken.url("/in?***"));
    let shown = deliveries[0].to_string();
    assert!(shown.contains("destination \"diest-hooks\""), "{shown}");
    assert!(shown.contains("answered 500: database down"), "{shown}");
    assert!(!shown.contains("abc123secret"), "{shown}");
    assert_eq!(broken.requests().len(), 1);
    assert_eq!(deliveries[1].result, Ok(()));
    assert_eq!(working.requests().len(), 1);
    // The same notification: same delivery id and body for both URLs.
    assert_eq!(broken.requests()[0].body, working.requests()[0].body);
}

#[test]
fn a_refused_connection_is_a_transport_error() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").expect("test setup works");
        l.local_addr().expect("test setup works").port()
    };
    let config = format!(
        "[webhook]\nproxy = \"none\"\n[[destination]]\nname = \"d\"\ntenant = \"diest\"\n\
         webhook = [{{ url = \"http://127.0.0.1:{port}/x\" }}]\n"
    );
    let deliveries = notifier(&config).send(&new_alerts(&[panos("diest", "fw")]), now());
    let Err(DeliveryError::Webhook(WebhookError::Transport { url, .. })) = &deliveries[0].result
    else {
        panic!("{:?}", deliveries[0]);
    };
    assert_eq!(url, &format!("http://127.0.0.1:{port}/x"));
}

#[test]
fn email_and_webhook_of_one_destination_are_separate_deliveries() {
    let sink = crate::common::SmtpSink::start(crate::common::SinkOptions::default());
    let receiver = HttpReceiver::start(200, "");
    let config = format!(
        "{}\n[webhook]\nproxy = \"none\"\n[[destination]]\nname = \"d\"\ntenant = \"diest\"\n\
         email = [\"it@diest.example\"]\nwebhook = [{{ url = \"{}\" }}]\n",
        crate::common::smtp_table(sink.port),
        receiver.url("/")
    );
    let deliveries = notifier(&config).send(&new_alerts(&[panos("diest", "fw")]), now());
    assert_eq!(deliveries.len(), 2);
    assert!(matches!(deliveries[0].channel, Channel::Email { .. }));
    assert!(matches!(deliveries[1].channel, Channel::Webhook { .. }));
    assert!(deliveries.iter().all(|d| d.result.is_ok()));
    // The e-mail's Message-ID and the webhook's delivery id name the same notification.
    let id = serde_json::from_slice::<Value>(&receiver.requests()[0].body)
        .expect("test setup works")["delivery_id"]
        .as_str()
        .expect("test setup works")
        .to_owned();
    let message_id = sink.received()[0]
        .header("Message-ID")
        .expect("test setup works");
    assert!(
        message_id.starts_with(&format!("<{id}.")),
        "{message_id} {id}"
    );
}

#[test]
fn a_redirect_is_not_followed_with_the_signed_body() {
    let receiver = HttpReceiver::start(302, "");
    let config = format!(
        "[webhook]\nproxy = \"none\"\n[[destination]]\nname = \"d\"\ntenant = \"diest\"\n\
         webhook = [{{ url = \"{}\" }}]\n",
        receiver.url("/old")
    );
    let deliveries = notifier(&config).send(&new_alerts(&[panos("diest", "fw")]), now());
    let Err(DeliveryError::Webhook(WebhookError::Status { status, .. })) = &deliveries[0].result
    else {
        panic!("{:?}", deliveries[0]);
    };
    assert_eq!(*status, 302);
    assert_eq!(receiver.requests().len(), 1);
}
