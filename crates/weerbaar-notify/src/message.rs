//! The texts sent: one digest e-mail and one webhook body per destination and tenant.
//!
//! Decisions:
//!
//! * **7-bit clean mail.** The body is UTF-8 in quoted-printable, the subject and display name
//!   are RFC 2047 encoded words when not plain ASCII, addresses are ASCII. Such a message passes
//!   every relay unchanged, so the client needs neither `8BITMIME` nor `SMTPUTF8`, and no line
//!   can exceed SMTP's 998-byte limit whatever an asset is called.
//! * **No header injection.** Every value that reaches a header (tenant, subject, names) has its
//!   control characters (CR, LF, TAB, …) replaced by spaces before encoding, and addresses are
//!   validated when the configuration is read; a value cannot start a new header line.
//! * **The JSON contract is this crate's own types**, not `weerbaar_plan::Finding`: a field
//!   renamed in the plan must not silently change what receivers parse. The schema name carries
//!   a version (`weerbaar.alerts/1`); fields may be added within a version, never removed or
//!   changed.

use std::fmt::Write as _;

use jiff::Timestamp;
use serde::Serialize;
use weerbaar_inventory::model::{Criticality, Exposure};
use weerbaar_plan::alert::{Alert, AlertKind, FindingKey};
use weerbaar_plan::{Finding, Lang};

/// The value of the `schema` field of every webhook body.
pub const SCHEMA: &str = "weerbaar.alerts/1";

fn pick(lang: Lang, en: &'static str, nl: &'static str) -> &'static str {
    match lang {
        Lang::En => en,
        Lang::NlBe => nl,
    }
}

/// Control characters (CR, LF, TAB, NUL, …) become spaces: one value stays on one line.
#[must_use]
pub fn one_line(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// The number of distinct findings of each kind.
fn counts(alerts: &[Alert]) -> (usize, usize) {
    let kev = alerts
        .iter()
        .filter(|a| a.kind == AlertKind::NewKev)
        .count();
    (kev, alerts.len() - kev)
}

/// `[weerbaar] diest: 2 new KEV findings, 1 Act` (or in Dutch).
#[must_use]
pub fn subject(tenant: &str, alerts: &[Alert], lang: Lang) -> String {
    let (kev, act) = counts(alerts);
    let mut parts = Vec::new();
    if kev > 0 {
        parts.push(match (lang, kev) {
            (Lang::En, 1) => "1 new KEV finding".to_owned(),
            (Lang::En, n) => format!("{n} new KEV findings"),
            (Lang::NlBe, 1) => "1 nieuwe KEV-bevinding".to_owned(),
            (Lang::NlBe, n) => format!("{n} nieuwe KEV-bevindingen"),
        });
    }
    if act > 0 {
        parts.push(format!("{act} Act"));
    }
    format!("[weerbaar] {}: {}", one_line(tenant), parts.join(", "))
}

fn criticality(c: Criticality, lang: Lang) -> &'static str {
    match c {
        Criticality::Low => pick(lang, "low", "laag"),
        Criticality::Normal => pick(lang, "normal", "normaal"),
        Criticality::High => pick(lang, "high", "hoog"),
        Criticality::Critical => pick(lang, "critical", "kritiek"),
    }
}

fn exposure(e: Exposure, lang: Lang) -> &'static str {
    match e {
        Exposure::Internal => pick(lang, "internal", "intern"),
        Exposure::InternetFacing => pick(lang, "internet-facing", "bereikbaar vanaf internet"),
    }
}

/// The plain-text body: alerts grouped by kind, then by asset, each finding with what an
/// administrator needs to act without opening weerbaar.
#[must_use]
pub fn body(
    tenant: &str,
    destination: &str,
    alerts: &[Alert],
    lang: Lang,
    generated_at: Timestamp,
) -> String {
    let mut out = String::new();
    let when = generated_at.strftime("%Y-%m-%d %H:%M UTC");
    let tenant = one_line(tenant);
    let _ = writeln!(
        out,
        "{}",
        match lang {
            Lang::En => format!("weerbaar: new alerts for tenant {tenant} ({when})."),
            Lang::NlBe => format!("weerbaar: nieuwe meldingen voor tenant {tenant} ({when})."),
        }
    );
    for kind in [AlertKind::NewKev, AlertKind::NewAct] {
        let of_kind: Vec<&Alert> = alerts.iter().filter(|a| a.kind == kind).collect();
        if of_kind.is_empty() {
            continue;
        }
        let heading = match kind {
            AlertKind::NewKev => pick(
                lang,
                "New in CISA's catalog of Known Exploited Vulnerabilities (KEV)",
                "Nieuw in CISA's catalogus van actief misbruikte kwetsbaarheden (KEV)",
            ),
            AlertKind::NewAct => pick(
                lang,
                "Newly decided Act (act now, out of the normal patch cycle)",
                "Nieuw met beslissing Act (nu handelen, buiten de gewone patchronde)",
            ),
        };
        let heading = format!("{heading} ({})", of_kind.len());
        // `-`, not `=`: quoted-printable would show `=` as `=3D` to anyone reading the source.
        let _ = writeln!(out, "\n{heading}\n{}", "-".repeat(heading.chars().count()));
        let mut last_asset: Option<&str> = None;
        for alert in of_kind {
            let f = &alert.finding;
            if last_asset != Some(f.asset.name.as_str()) {
                last_asset = Some(f.asset.name.as_str());
                asset_line(&mut out, f, lang);
            }
            // A finding that is both new in KEV and newly Act is described once, under KEV.
            let described = kind == AlertKind::NewAct
                && alerts.iter().any(|a| {
                    a.kind == AlertKind::NewKev && FindingKey::of(&a.finding) == FindingKey::of(f)
                });
            if described {
                let _ = writeln!(
                    out,
                    "  {} ({})",
                    one_line(&f.advisory_id),
                    pick(lang, "see above", "zie hierboven")
                );
            } else {
                finding_lines(&mut out, f, lang);
            }
        }
    }
    let _ = write!(
        out,
        "\n-- \n{}\n",
        match lang {
            Lang::En => format!(
                "Sent by weerbaar to destination \"{}\". The patch plan has the due dates and \
                 the upgrades that fix these findings.",
                one_line(destination)
            ),
            Lang::NlBe => format!(
                "Verzonden door weerbaar naar bestemming \"{}\". Het patchplan geeft de \
                 termijnen en de upgrades die deze bevindingen oplossen.",
                one_line(destination)
            ),
        }
    );
    out
}

/// The asset starts a line (at column 0, so an asset named `.x` exercises SMTP dot-stuffing).
fn asset_line(out: &mut String, f: &Finding, lang: Lang) {
    let _ = write!(
        out,
        "\n{} ({}, {} {}",
        one_line(&f.asset.name),
        exposure(f.asset.exposure, lang),
        pick(lang, "criticality", "kriticiteit"),
        criticality(f.asset.criticality, lang),
    );
    if let Some(zone) = &f.asset.zone {
        let _ = write!(out, ", zone {}", one_line(zone));
    }
    out.push_str(")\n");
}

fn finding_lines(out: &mut String, f: &Finding, lang: Lang) {
    let _ = write!(out, "  {}", one_line(&f.advisory_id));
    if !f.aliases.is_empty() {
        let aliases: Vec<String> = f.aliases.iter().map(|a| one_line(a)).collect();
        let _ = write!(
            out,
            " ({} {})",
            pick(lang, "also", "ook"),
            aliases.join(", ")
        );
    }
    out.push('\n');
    let _ = writeln!(
        out,
        "    {}: {} {} ({})",
        pick(lang, "package", "pakket"),
        one_line(&f.package.name),
        one_line(&f.package.version),
        one_line(&f.package.ecosystem),
    );
    if let Some(kev) = &f.kev {
        let _ = writeln!(
            out,
            "    KEV: {} {}, {} {}{}",
            pick(lang, "added", "opgenomen"),
            kev.date_added,
            pick(lang, "due", "uiterste datum"),
            kev.due_date,
            if kev.ransomware {
                pick(
                    lang,
                    ", known ransomware use",
                    ", gebruikt in ransomwarecampagnes",
                )
            } else {
                ""
            }
        );
    }
    if let Some(cvss) = &f.cvss {
        let _ = writeln!(
            out,
            "    CVSS: {:.1} {}",
            cvss.base_score,
            one_line(&cvss.vector)
        );
    }
    if let Some(epss) = &f.epss {
        let _ = writeln!(
            out,
            "    EPSS: {:.1}% ({} {:.1})",
            epss.score * 100.0,
            pick(lang, "percentile", "percentiel"),
            epss.percentile * 100.0
        );
    }
    if f.fixed_versions.is_empty() {
        let _ = writeln!(
            out,
            "    {}",
            pick(
                lang,
                "no fixed version known yet",
                "nog geen versie met een oplossing bekend"
            )
        );
    } else {
        let fixed: Vec<String> = f.fixed_versions.iter().map(|v| one_line(v)).collect();
        let _ = writeln!(
            out,
            "    {}: {}",
            pick(lang, "fixed in", "opgelost in"),
            fixed.join(", ")
        );
    }
}

/// What goes into the headers of one digest.
#[derive(Debug, Clone)]
pub struct Headers<'a> {
    pub from: &'a str,
    pub from_name: &'a str,
    pub to: &'a [String],
    pub subject: &'a str,
    pub date: Timestamp,
    /// Without angle brackets: `id@domain`.
    pub message_id: &'a str,
    /// For `X-Weerbaar-Tenant`, so mail rules can sort digests.
    pub tenant: &'a str,
}

/// The complete RFC 5322 message (CRLF line ends, 7-bit), ready for SMTP `DATA` (before
/// dot-stuffing, which is the transport's job).
#[must_use]
pub fn email(h: &Headers<'_>, body: &str) -> Vec<u8> {
    let mut out = String::new();
    // `+0000`, not jiff's RFC 2822 `-0000`, which means "local offset unknown" (RFC 5322 §3.3).
    let date = h
        .date
        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .strftime("%a, %d %b %Y %H:%M:%S %z");
    let _ = write!(out, "Date: {date}\r\n");
    let _ = write!(out, "From: {} <{}>\r\n", display_name(h.from_name), h.from);
    out.push_str("To: ");
    for (i, to) in h.to.iter().enumerate() {
        if i > 0 {
            out.push_str(",\r\n ");
        }
        out.push_str(to);
    }
    out.push_str("\r\n");
    let _ = write!(out, "Subject: {}\r\n", encode_unstructured(h.subject));
    let _ = write!(out, "Message-ID: <{}>\r\n", h.message_id);
    out.push_str("MIME-Version: 1.0\r\n");
    out.push_str("Content-Type: text/plain; charset=utf-8\r\n");
    out.push_str("Content-Transfer-Encoding: quoted-printable\r\n");
    // RFC 3834: no vacation replies to an automatic message.
    out.push_str("Auto-Submitted: auto-generated\r\n");
    let _ = write!(
        out,
        "X-Weerbaar-Tenant: {}\r\n",
        encode_unstructured(h.tenant)
    );
    out.push_str("\r\n");
    out.push_str(&quoted_printable(body));
    out.into_bytes()
}

/// A display name as a quoted string, or encoded words when it is not ASCII.
fn display_name(name: &str) -> String {
    let name = one_line(name);
    if name.is_ascii() {
        format!("\"{}\"", name.replace('\\', "\\\\").replace('"', "\\\""))
    } else {
        encoded_words(&name)
    }
}

/// An unstructured header value: as is when it is short printable ASCII, otherwise RFC 2047
/// encoded words (which also fold long values).
fn encode_unstructured(value: &str) -> String {
    let value = one_line(value);
    if value.len() <= 66
        && value.bytes().all(|b| (0x20..0x7f).contains(&b))
        && !value.contains("=?")
    {
        value
    } else {
        encoded_words(&value)
    }
}

/// `=?utf-8?B?…?=` words of at most 39 input bytes (64 characters each, under the limit of 75),
/// split on character boundaries and folded one per line.
fn encoded_words(value: &str) -> String {
    let mut words = Vec::new();
    let mut chunk = String::new();
    for c in value.chars() {
        if chunk.len() + c.len_utf8() > 39 {
            words.push(format!("=?utf-8?B?{}?=", base64(chunk.as_bytes())));
            chunk.clear();
        }
        chunk.push(c);
    }
    if !chunk.is_empty() || words.is_empty() {
        words.push(format!("=?utf-8?B?{}?=", base64(chunk.as_bytes())));
    }
    words.join("\r\n ")
}

/// Standard base64 with padding (RFC 4648), for encoded words and `AUTH`.
#[must_use]
pub(crate) fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for group in bytes.chunks(3) {
        let b = [
            group.first().copied().unwrap_or(0),
            group.get(1).copied().unwrap_or(0),
            group.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= group.len() {
                let index = (n >> (18 - 6 * i)) & 0x3f;
                out.push(char::from(ALPHABET[index as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Quoted-printable (RFC 2045 §6.7) with CRLF line ends and soft breaks before 76 characters.
#[must_use]
pub fn quoted_printable(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    let lines: Vec<&str> = text.split('\n').collect();
    let last = lines.len().saturating_sub(1);
    for (n, line) in lines.iter().enumerate() {
        let line = line.strip_suffix('\r').unwrap_or(line);
        let bytes = line.as_bytes();
        let mut width = 0;
        for (i, &b) in bytes.iter().enumerate() {
            let at_end = i + 1 == bytes.len();
            let literal =
                (b == b' ' || b == b'\t') && !at_end || (33..=126).contains(&b) && b != b'=';
            let piece_len = if literal { 1 } else { 3 };
            // Keep room for the `=` of a soft break: at most 76 characters per line.
            if width + piece_len > 75 {
                out.push_str("=\r\n");
                width = 0;
            }
            if literal {
                out.push(char::from(b));
            } else {
                let _ = write!(out, "={b:02X}");
            }
            width += piece_len;
        }
        if n < last {
            out.push_str("\r\n");
        }
    }
    if !out.ends_with("\r\n") {
        out.push_str("\r\n");
    }
    out
}

/// The webhook body (`weerbaar.alerts/1`), documented in `docs/notifications.md`.
#[derive(Debug, Clone, Serialize)]
pub struct Payload<'a> {
    pub schema: &'static str,
    pub delivery_id: &'a str,
    pub tenant: &'a str,
    pub destination: &'a str,
    /// RFC 3339, UTC (`2026-11-28T01:22:18Z`).
    pub generated_at: String,
    pub counts: Counts,
    pub alerts: Vec<AlertJson<'a>>,
}

/// The number of alerts of each kind in the body.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Counts {
    pub new_kev: usize,
    pub new_act: usize,
}

/// One alert in the webhook body.
#[derive(Debug, Clone, Serialize)]
pub struct AlertJson<'a> {
    /// `new_kev` or `new_act`.
    pub kind: AlertKind,
    pub asset: AssetJson<'a>,
    pub advisory_id: &'a str,
    pub aliases: &'a [String],
    pub package: PackageJson<'a>,
    pub fixed_versions: &'a [String],
    pub kev: Option<KevJson>,
    pub cvss: Option<CvssJson<'a>>,
    pub epss: Option<EpssJson>,
    /// `YYYY-MM-DD`.
    pub first_seen: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct AssetJson<'a> {
    pub name: &'a str,
    /// `low`, `normal`, `high` or `critical`.
    pub criticality: Criticality,
    /// `internal` or `internet-facing`.
    pub exposure: Exposure,
    pub zone: Option<&'a str>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PackageJson<'a> {
    pub ecosystem: &'a str,
    pub name: &'a str,
    pub version: &'a str,
    pub purl: Option<&'a str>,
}

#[derive(Debug, Clone, Serialize)]
pub struct KevJson {
    pub date_added: String,
    pub due_date: String,
    pub ransomware: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct CvssJson<'a> {
    pub vector: &'a str,
    pub base_score: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct EpssJson {
    pub score: f64,
    pub percentile: f64,
}

impl<'a> AlertJson<'a> {
    #[must_use]
    pub fn of(alert: &'a Alert) -> Self {
        let f = &alert.finding;
        Self {
            kind: alert.kind,
            asset: AssetJson {
                name: &f.asset.name,
                criticality: f.asset.criticality,
                exposure: f.asset.exposure,
                zone: f.asset.zone.as_deref(),
            },
            advisory_id: &f.advisory_id,
            aliases: &f.aliases,
            package: PackageJson {
                ecosystem: &f.package.ecosystem,
                name: &f.package.name,
                version: &f.package.version,
                purl: f.package.purl.as_deref(),
            },
            fixed_versions: &f.fixed_versions,
            kev: f.kev.map(|k| KevJson {
                date_added: k.date_added.to_string(),
                due_date: k.due_date.to_string(),
                ransomware: k.ransomware,
            }),
            cvss: f.cvss.as_ref().map(|c| CvssJson {
                vector: &c.vector,
                base_score: c.base_score,
            }),
            epss: f.epss.map(|e| EpssJson {
                score: e.score,
                percentile: e.percentile,
            }),
            first_seen: f.first_seen.to_string(),
        }
    }
}

/// The serialized webhook body.
#[must_use]
pub fn webhook_body(
    tenant: &str,
    destination: &str,
    alerts: &[Alert],
    generated_at: Timestamp,
    delivery_id: &str,
) -> Vec<u8> {
    let (new_kev, new_act) = counts(alerts);
    let payload = Payload {
        schema: SCHEMA,
        delivery_id,
        tenant,
        destination,
        generated_at: generated_at.strftime("%Y-%m-%dT%H:%M:%SZ").to_string(),
        counts: Counts { new_kev, new_act },
        alerts: alerts.iter().map(AlertJson::of).collect(),
    };
    // Serializing plain structs of strings, numbers and bools cannot fail.
    serde_json::to_vec_pretty(&payload).unwrap_or_default()
}
