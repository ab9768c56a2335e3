//! No password or signing secret in Debug output, errors or delivery reports.

use weerbaar_notify::{Config, Notifier, SetupError};

use crate::common::{
    HOOK_SECRET, HttpReceiver, PASSWORD, SinkOptions, SmtpSink, base64_decode, env, new_alerts,
    now, panos, smtp_table,
};

fn assert_no_secret(shown: &str) {
    for secret in [PASSWORD, HOOK_SECRET] {
        assert!(!shown.contains(secret), "secret {secret:?} in {shown}");
    }
    // Nor the AUTH PLAIN token that carries the password.
    for word in shown.split(|c: char| !c.is_ascii_alphanumeric() && c != '+' && c != '/') {
        if word.len() >= 16 && word.len() % 4 == 0 {
            let decoded = String::from_utf8_lossy(&base64_decode_lenient(word)).into_owned();
            assert!(!decoded.contains(PASSWORD), "encoded password in {shown}");
        }
    }
}

fn base64_decode_lenient(s: &str) -> Vec<u8> {
    if s.bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'/' || b == b'=')
    {
        base64_decode(s)
    } else {
        Vec::new()
    }
}

#[test]
fn debug_of_config_notifier_and_failed_deliveries_shows_no_secret() {
    let sink = SmtpSink::start(SinkOptions {
        fail_auth: true,
        ..SinkOptions::default()
    });
    let hook = HttpReceiver::start(403, "bad signature");
    let text = format!(
        r#"{}
[webhook]
proxy = "none"
[[destination]]
name = "provider"
tenant = "*"
email = ["soc@provider.example"]
webhook = [{{ url = "{}", secret_env = "HOOK_SECRET" }}]
"#,
        smtp_table(sink.port),
        hook.url("/")
    );
    let config = Config::parse("notify.toml", &text).expect("test setup works");
    assert_no_secret(&format!("{config:?}"));
    let notifier = Notifier::new(config, env).expect("test setup works");
    let debug = format!("{notifier:?}");
    assert!(debug.contains("<redacted>"), "{debug}");
    assert_no_secret(&debug);

    let deliveries = notifier.send(&new_alerts(&[panos("diest", "fw")]), now());
    assert_eq!(deliveries.len(), 2);
    // The sink did receive the password: the test can tell it apart from nothing sent.
    let sent = sink.received.lock().expect("test setup works").clone();
    assert!(sent.is_empty(), "AUTH failed, so no message");
    for d in &deliveries {
        let shown = format!("{d} {d:?}");
        assert!(d.result.is_err(), "{shown}");
        assert_no_secret(&shown);
    }
    let smtp = deliveries[0].to_string();
    assert!(
        smtp.contains("answered AUTH PLAIN with 535 5.7.8 Authentication credentials invalid"),
        "{smtp}"
    );
    assert!(
        deliveries[1]
            .to_string()
            .contains("answered 403: bad signature")
    );
}

#[test]
fn a_missing_variable_is_named_at_setup() {
    let text = format!(
        "{}\n[[destination]]\nname = \"d\"\ntenant = \"*\"\nemail = [\"a@b.example\"]\n",
        smtp_table(25)
    );
    let config = Config::parse("notify.toml", &text).expect("test setup works");
    let e = Notifier::new(config, |_| None).expect_err("the test expects an error");
    assert!(matches!(e, SetupError::MissingSecret { .. }));
    assert_eq!(
        e.to_string(),
        "notify.toml: the environment variable SMTP_PW (the SMTP password) is not set"
    );

    let text = "[[destination]]\nname = \"hooks\"\ntenant = \"*\"\n\
                webhook = [{ url = \"https://h.example/\", secret_env = \"HOOK_KEY\" }]\n";
    let config = Config::parse("notify.toml", text).expect("test setup works");
    let e = Notifier::new(config, |_| Some(String::new())).expect_err("the test expects an error");
    assert_eq!(
        e.to_string(),
        "notify.toml: the environment variable HOOK_KEY (the webhook signing secret of \
         destination \"hooks\") is not set"
    );
}

#[test]
fn a_notifier_can_be_shared_with_a_blocking_thread() {
    fn shareable<T: Send + Sync + 'static>() {}
    shareable::<Notifier>();
    shareable::<weerbaar_notify::Delivery>();
}
