//! The plan on paper: CSV for spreadsheets, and a self-contained printable HTML page.
//!
//! Decisions:
//!
//! * Both are pure functions of the plan and a language; the caller writes the bytes.
//! * CSV has one row per action, headers in the chosen language, lists joined with `; `. A cell
//!   that starts with `=`, `+`, `-`, `@`, tab or carriage return gets a leading `'`: the file is
//!   opened in Excel and LibreOffice, and advisory text or package names must never run as a
//!   formula (OWASP "CSV injection").
//! * The HTML page has no script, no external resource (fonts, images, styles are inline or
//!   system ones), a `lang` attribute, and every text escaped. `@media print` sets A4 landscape
//!   margins, repeats table headers on each page, keeps an action's row on one page, and drops
//!   the screen-only background colours for greyscale-friendly borders. Decisions are shown as
//!   words, never by colour alone.

use std::fmt::Write as _;

use crate::action::{Action, ActionKind};
use crate::lang::Lang;
use crate::plan::Plan;

/// A CSV export that could not be written (the CSV writer failed; in practice never for
/// in-memory output).
#[derive(Debug, thiserror::Error)]
#[error("cannot write the plan as CSV: {0}")]
pub struct CsvError(#[from] csv::Error);

/// The plan as CSV, one row per action.
///
/// # Errors
/// [`CsvError`] if the CSV writer fails.
pub fn csv(plan: &Plan, lang: Lang) -> Result<String, CsvError> {
    let headers: [&str; 15] = match lang {
        Lang::En => [
            "rank",
            "decision",
            "due",
            "status",
            "action",
            "ecosystem",
            "package",
            "installed",
            "target",
            "hosts",
            "assets",
            "advisories",
            "in KEV",
            "ransomware",
            "why",
        ],
        Lang::NlBe => [
            "volgorde",
            "beslissing",
            "uiterlijk",
            "status",
            "actie",
            "ecosysteem",
            "pakket",
            "geïnstalleerd",
            "doelversie",
            "hosts",
            "systemen",
            "kwetsbaarheden",
            "in KEV",
            "ransomware",
            "waarom",
        ],
    };
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(headers)?;
    for (i, a) in plan.actions.iter().enumerate() {
        let assets: Vec<&str> = a.assets.iter().map(|x| x.name.as_str()).collect();
        let row = [
            (i + 1).to_string(),
            a.decision.label().to_owned(),
            a.due.to_string(),
            a.sla().text(lang).to_owned(),
            a.title(lang),
            a.ecosystem.clone(),
            a.package.clone(),
            a.installed.join("; "),
            a.target().unwrap_or_default().to_owned(),
            a.assets.len().to_string(),
            assets.join("; "),
            a.advisories.join("; "),
            a.kev.to_string(),
            lang.pick(
                if a.ransomware { "yes" } else { "no" },
                if a.ransomware { "ja" } else { "nee" },
            )
            .to_owned(),
            why(a, lang),
        ];
        w.write_record(row.iter().map(|c| defuse(c)))?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| CsvError(e.into_error().into()))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// The reasons of the most urgent finding and the rule of the earliest due date, each with the
/// advisory it comes from.
fn why(a: &Action, lang: Lang) -> String {
    let Some(top) = a.findings.first() else {
        return String::new();
    };
    let mut out = format!(
        "{}: {}",
        top.finding.advisory_id,
        top.priority.explain(lang)
    );
    if let Some(first_due) = a.findings.iter().min_by_key(|f| f.due.date) {
        let _ = write!(
            out,
            ". {} {} ({}): {}",
            lang.pick("Due", "Uiterlijk"),
            first_due.due.date,
            first_due.finding.advisory_id,
            first_due.due.rule.text(lang)
        );
    }
    out
}

/// Neutralises spreadsheet formulas.
fn defuse(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell.to_owned()
    }
}

/// Escapes text for HTML element content and double-quoted attributes.
#[must_use]
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = "
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,'DejaVu Sans',sans-serif;font-size:11pt;color:#111;margin:1.5em}
h1{font-size:1.5em;margin:0 0 .2em}
h2{font-size:1.15em;margin:1.5em 0 .4em;border-bottom:1px solid #999}
p.meta{color:#444;margin:0 0 1em}
table{border-collapse:collapse;width:100%}
th,td{border:1px solid #bbb;padding:.3em .45em;text-align:left;vertical-align:top}
th{background:#eee}
td.n{text-align:right;white-space:nowrap}
td.d{white-space:nowrap}
.dec{font-weight:bold;white-space:nowrap}
.act{background:#fbd5d5}.attend{background:#fde8c8}.trackstar{background:#fff6c2}
ul.sum{list-style:none;padding:0;display:flex;gap:1.5em;margin:.5em 0}
ul.sum li{border:1px solid #bbb;padding:.3em .8em}
small{color:#444}
td ul{margin:0;padding-left:1.1em}
@page{size:A4 landscape;margin:12mm}
@media print{
 body{margin:0 2px;font-size:9pt}
 thead{display:table-header-group}
 tr{break-inside:avoid;page-break-inside:avoid}
 h2{break-after:avoid;page-break-after:avoid}
 .act,.attend,.trackstar{background:none}
 .dec{text-decoration:underline}
}
";

/// The plan as a printable, self-contained HTML page.
#[must_use]
pub fn html(plan: &Plan, lang: Lang) -> String {
    let t = |en: &'static str, nl: &'static str| lang.pick(en, nl);
    let mut h = String::new();
    let title = format!("{} {}", t("Patch plan", "Patchplan"), plan.tenant);
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        lang.tag(),
        escape(&title)
    );
    let _ = writeln!(h, "<h1>{}</h1>", escape(&title));
    let _ = writeln!(
        h,
        "<p class=\"meta\">{} {} · {} {} · {} {}</p>",
        t("Situation on", "Toestand op"),
        plan.today,
        plan.actions.len(),
        t("actions", "acties"),
        plan.overdue(),
        t("overdue findings", "achterstallige bevindingen"),
    );
    h.push_str("<ul class=\"sum\">");
    for (d, n) in plan.counts() {
        let _ = write!(h, "<li><span class=\"dec\">{}</span>: {n}</li>", d.label());
    }
    h.push_str("</ul>\n");

    let _ = writeln!(h, "<h2>{}</h2>", t("Actions", "Acties"));
    if plan.actions.is_empty() {
        let _ = writeln!(h, "<p>{}</p>", t("Nothing to do.", "Niets te doen."));
    } else {
        let heads = [
            "#",
            t("Decision", "Beslissing"),
            t("Due", "Uiterlijk"),
            t("Action", "Actie"),
            t("Hosts", "Hosts"),
            t("Advisories", "Kwetsbaarheden"),
            t("Why", "Waarom"),
        ];
        h.push_str("<table>\n<thead><tr>");
        for head in heads {
            let _ = write!(h, "<th>{}</th>", escape(head));
        }
        h.push_str("</tr></thead>\n<tbody>\n");
        for (i, a) in plan.actions.iter().enumerate() {
            action_row(&mut h, i + 1, a, lang);
        }
        h.push_str("</tbody>\n</table>\n");
    }

    if !plan.excepted.is_empty() {
        let _ = writeln!(
            h,
            "<h2>{}</h2>",
            t("Exceptions in force", "Geldende uitzonderingen")
        );
        let heads = [
            t("Advisory", "Kwetsbaarheid"),
            t("Asset", "Systeem"),
            t("Package", "Pakket"),
            t("Exception", "Uitzondering"),
            t("By", "Door"),
            t("On", "Op"),
            t("Reason", "Reden"),
        ];
        h.push_str("<table>\n<thead><tr>");
        for head in heads {
            let _ = write!(h, "<th>{}</th>", escape(head));
        }
        h.push_str("</tr></thead>\n<tbody>\n");
        for x in &plan.excepted {
            let f = &x.finding;
            let _ = writeln!(
                h,
                "<tr><td>{}</td><td>{}</td><td>{} {}</td><td>{}</td><td>{}</td><td class=\"d\">{}</td><td>{}</td></tr>",
                escape(&f.advisory_id),
                escape(&f.asset.name),
                escape(&f.package.name),
                escape(&f.package.version),
                escape(&x.exception.kind.text(lang)),
                escape(&x.exception.author),
                x.exception.date,
                escape(&x.exception.reason),
            );
        }
        h.push_str("</tbody>\n</table>\n");
    }
    let _ = writeln!(
        h,
        "<p class=\"meta\"><small>{}</small></p>\n</body>\n</html>",
        t(
            "Decisions follow CISA's SSVC (Act, Attend, Track*, Track). Due dates follow the tenant's policy.",
            "Beslissingen volgen CISA's SSVC (Act, Attend, Track*, Track). Termijnen volgen het beleid van de organisatie."
        )
    );
    h
}

fn action_row(h: &mut String, rank: usize, a: &Action, lang: Lang) {
    let class = match a.decision {
        crate::priority::Decision::Act => "act",
        crate::priority::Decision::Attend => "attend",
        crate::priority::Decision::TrackStar => "trackstar",
        crate::priority::Decision::Track => "track",
    };
    let assets: Vec<String> = a.assets.iter().map(|x| escape(&x.name)).collect();
    let mut advisories: Vec<String> = Vec::new();
    for id in &a.advisories {
        let kev = a
            .findings
            .iter()
            .filter(|f| &f.finding.advisory_id == id)
            .find_map(|f| f.finding.kev);
        match kev {
            Some(k) if k.ransomware => advisories.push(format!(
                "<b>{}</b> (KEV, {})",
                escape(id),
                lang.pick("ransomware", "ransomware")
            )),
            Some(_) => advisories.push(format!("<b>{}</b> (KEV)", escape(id))),
            None => advisories.push(escape(id)),
        }
    }
    let target_note = match &a.kind {
        ActionKind::Upgrade { .. } => format!(
            "<br><small>{} {}</small>",
            lang.pick("from", "van"),
            escape(&a.installed.join(", "))
        ),
        ActionKind::Mitigate => String::new(),
    };
    let _ = writeln!(
        h,
        "<tr class=\"{class}\"><td class=\"n\">{rank}</td><td class=\"dec\">{}</td><td class=\"d\">{}<br><small>{}</small></td><td>{}{target_note}<br><small>{}</small></td><td>{}</td><td>{}</td><td><small>{}</small></td></tr>",
        a.decision.label(),
        a.due,
        a.sla().text(lang),
        escape(&a.title(lang)),
        escape(&a.ecosystem),
        assets.join(", "),
        advisories.join(", "),
        escape(&why(a, lang)),
    );
}
