//! The configuration file: defaults, validation, located errors.

use std::time::Duration;

use weerbaar_notify::{AlertKind, Config, Proxy, Security, TenantSelector};
use weerbaar_plan::Lang;

const FULL: &str = r#"
[smtp]
host = "smtp.provider.example"
username = "weerbaar@provider.example"
password_env = "WEERBAAR_SMTP_PASSWORD"
from = "weerbaar@provider.example"
from_name = "weerbaar (provider)"

[webhook]
timeout_seconds = 10
proxy = "http://proxy.provider.example:3128"
no_proxy = "intranet.example"

[[destination]]
name = "provider"
tenant = "*"
email = ["soc@provider.example"]
webhook = [{ url = "https://hooks.provider.example/weerbaar", secret_env = "WEERBAAR_HOOK_SECRET" }]

[[destination]]
name = "diest-it"
tenant = "diest"
lang = "nl-BE"
kinds = ["new_kev"]
email = ["it@diest.example"]
"#;

#[test]
fn a_full_file_with_defaults() {
    let c = Config::parse("notify.toml", FULL).expect("test setup works");
    let smtp = c.smtp.as_ref().expect("test setup works");
    assert_eq!(smtp.security, Security::Starttls);
    assert_eq!(smtp.port, 587);
    assert_eq!(smtp.timeout, Duration::from_secs(30));
    assert_eq!(smtp.password_env.as_deref(), Some("WEERBAAR_SMTP_PASSWORD"));
    assert_eq!(smtp.from_name, "weerbaar (provider)");
    assert_eq!(c.webhook.timeout, Duration::from_secs(10));
    assert_eq!(
        c.webhook.proxy,
        Proxy::Url("http://proxy.provider.example:3128".into())
    );
    assert_eq!(c.destinations.len(), 2);
    let provider = &c.destinations[0];
    assert_eq!(provider.tenant, TenantSelector::All);
    assert_eq!(provider.lang, Lang::En);
    assert_eq!(
        provider.kinds,
        [AlertKind::NewKev, AlertKind::NewAct].into()
    );
    assert_eq!(
        provider.webhooks[0].secret_env.as_deref(),
        Some("WEERBAAR_HOOK_SECRET")
    );
    let diest = &c.destinations[1];
    assert_eq!(diest.tenant, TenantSelector::Slug("diest".into()));
    assert_eq!(diest.lang, Lang::NlBe);
    assert_eq!(diest.kinds, [AlertKind::NewKev].into());
    let names: Vec<&str> = c
        .destinations_for("diest")
        .map(|d| d.name.as_str())
        .collect();
    assert_eq!(names, ["provider", "diest-it"]);
    let names: Vec<&str> = c
        .destinations_for("leuven")
        .map(|d| d.name.as_str())
        .collect();
    assert_eq!(names, ["provider"]);
}

#[test]
fn ports_follow_the_security_and_none_must_be_written() {
    let with = |security: &str| {
        let text = format!("[smtp]\nhost = \"relay.lan\"\nfrom = \"w@x.example\"\n{security}");
        Config::parse("n.toml", &text)
            .expect("test setup works")
            .smtp
            .expect("test setup works")
    };
    assert_eq!(with("").security, Security::Starttls);
    assert_eq!(with("security = \"tls\"").port, 465);
    let none = with("security = \"none\"");
    assert_eq!((none.security, none.port), (Security::None, 25));
    assert_eq!(with("security = \"none\"\nport = 2525").port, 2525);
}

fn error(text: &str) -> String {
    Config::parse("notify.toml", text)
        .expect_err("the test expects an error")
        .to_string()
}

#[test]
fn errors_name_file_line_and_column() {
    let e = error("[smtp]\nhost = \"h\"\nfrom = \"w@x.example\"\nsecurity = \"ssl\"\n");
    assert!(
        e.starts_with("notify.toml:4:12: unknown variant `ssl`"),
        "{e}"
    );

    let e = error("[smtp]\nhost = \"h\"\nfrom = \"w@x.example\"\npasword_env = \"X\"\n");
    assert!(
        e.starts_with("notify.toml:4:1: unknown field `pasword_env`"),
        "{e}"
    );

    let e = error(
        "[[destination]]\nname = \"d\"\ntenant = \"diest\"\nemail = [\"ok@x.example\", \"not an address\"]\n",
    );
    assert_eq!(
        e,
        "notify.toml:4:26: \"not an address\" is not an e-mail address (local@domain, ASCII)"
    );

    let e =
        error("[[destination]]\nname = \"d\"\ntenant = \"diest\"\nemail = [\"ok@x.example\"]\n");
    assert!(
        e.starts_with(
            "notify.toml:1:1: destination \"d\" has email recipients but there is no [smtp] table"
        ),
        "{e}"
    );

    let e = error(
        "[[destination]]\nname = \"d\"\ntenant = \"Diest\"\nwebhook = [{ url = \"https://h.example/\" }]\n",
    );
    assert!(
        e.starts_with("notify.toml:3:10: tenant \"Diest\" is neither"),
        "{e}"
    );

    let e = error(
        "[[destination]]\nname = \"d\"\ntenant = \"*\"\nwebhook = [{ url = \"https://h.example/\" }]\n\
         [[destination]]\nname = \"d\"\ntenant = \"*\"\nwebhook = [{ url = \"https://h.example/\" }]\n",
    );
    assert_eq!(e, "notify.toml:6:8: destination \"d\" is defined twice");

    let e = error("[[destination]]\nname = \"d\"\ntenant = \"*\"\n");
    assert!(
        e.contains("has neither email recipients nor a webhook"),
        "{e}"
    );

    let e = error(
        "[[destination]]\nname = \"d\"\ntenant = \"*\"\nkinds = []\nwebhook = [{ url = \"https://h.example/\" }]\n",
    );
    assert!(e.starts_with("notify.toml:4:9: kinds is empty"), "{e}");

    let e = error(
        "[[destination]]\nname = \"d\"\ntenant = \"*\"\nwebhook = [{ url = \"ftp://h.example/\" }]\n",
    );
    assert!(
        e.starts_with("notify.toml:4:20: \"ftp://h.example/\" is not an http(s) URL"),
        "{e}"
    );

    let e = error("[smtp]\nhost = \"h\"\nfrom = \"w@x.example\"\nusername = \"u\"\n");
    assert!(e.contains("username and password_env go together"), "{e}");

    let e = error("[smtp]\nhost = \"h\"\nfrom = \"w@x.example\"\ntimeout_seconds = 0\n");
    assert!(
        e.starts_with("notify.toml:4:19: timeout_seconds must be between 1 and 3600"),
        "{e}"
    );
}

#[test]
fn a_secret_pasted_instead_of_a_variable_name_is_refused_without_echo() {
    let text = "[smtp]\nhost = \"h\"\nfrom = \"w@x.example\"\nusername = \"u\"\n\
                password_env = \"hunter2-Secret!\"\n";
    let e = Config::parse("notify.toml", text).expect_err("the test expects an error");
    let shown = format!("{e} {e:?}");
    assert!(shown.contains("notify.toml:5:16"), "{shown}");
    assert!(!shown.contains("hunter2"), "{shown}");
}

#[test]
fn debug_output_hides_credentials_in_urls() {
    let text = r#"
[webhook]
proxy = "http://user:proxy-pass@proxy.example:3128"
[[destination]]
name = "d"
tenant = "*"
webhook = [{ url = "https://hooks.example/in?token=tok-123" }]
"#;
    let c = Config::parse("notify.toml", text).expect("test setup works");
    let shown = format!("{c:?}");
    assert!(!shown.contains("proxy-pass"), "{shown}");
    assert!(!shown.contains("tok-123"), "{shown}");
    assert!(shown.contains("***@proxy.example:3128"), "{shown}");
    assert!(shown.contains("https://hooks.example/in?***"), "{shown}");
}
