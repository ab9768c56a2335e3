//! CycloneDX VEX documents in and out.
//!
//! Reads CycloneDX 1.4–1.7 JSON (an older BOM, which cannot carry vulnerabilities, imports as
//! empty) (the `vulnerabilities[].analysis` object has had the same shape
//! since 1.4) and writes CycloneDX 1.6. Each vulnerability whose `analysis.state` is a decision
//! becomes one exception per `affects[].ref`:
//!
//! | `analysis.state` | exception |
//! |---|---|
//! | `not_affected` + `justification` | `not_affected` (OpenVEX justifications are accepted and mapped) |
//! | `false_positive` | `false_positive` |
//! | `exploitable` with weerbaar's `accepted_risk` properties | `accepted_risk` |
//! | `exploitable`, `in_triage`, `resolved`, `resolved_with_pedigree` | none: not a decision to set a finding aside (reported as skipped) |
//!
//! Decisions:
//!
//! * All or nothing: the first bad record fails the import, naming the file and the JSON path
//!   (`$.vulnerabilities[3].analysis.justification`), and nothing is returned. A half-imported
//!   VEX would leave findings silently open or silently hidden.
//! * `not_affected` without a justification is refused: an exception without a reason a reviewer
//!   can check is what VEX exists to prevent (OpenVEX requires one too).
//! * `affects[].ref` is resolved against the document's `bom-ref`s (`metadata.component` and
//!   `components`, nested): a component with a purl scopes the exception to that purl, one
//!   without to its name, `metadata.component` (the product itself) to no package. A ref that is
//!   a purl, or a BOM-Link (`urn:cdx:…#pkg:…`) whose fragment is a purl, is used as the purl. Any
//!   other ref is an error: it would scope the exception to nothing.
//! * CycloneDX has no accepted-risk state with an expiry. weerbaar writes it as `exploitable`
//!   with response `will_not_fix` and the properties `weerbaar:exception = accepted_risk` and
//!   `weerbaar:expires = YYYY-MM-DD`, and reads it back the same way; author and asset travel as
//!   `weerbaar:author` and `weerbaar:asset`, the decision day as `analysis.firstIssued`.
//!   Without those properties, the importing user (from [`ImportOptions`]) is the author, and the
//!   import day the date.

use std::collections::BTreeMap;
use std::fmt;

use jiff::civil::Date;
use serde_json::{Map, Value, json};

use crate::exception::{Exception, ExceptionKind, Justification, Scope};

/// What an import needs that a VEX document may not say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportOptions {
    /// The author of exceptions whose record names none (the importing user).
    pub author: String,
    /// The date of exceptions whose record has none (the import day).
    pub date: Date,
    /// The asset the document is about, when it is one asset's VEX.
    pub asset: Option<String>,
}

/// A vulnerability record that carried no exception.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// `$.vulnerabilities[4]`.
    pub path: String,
    pub id: String,
    /// The `analysis.state`, or `None` without an analysis.
    pub state: Option<String>,
}

/// The result of an import.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Imported {
    pub exceptions: Vec<Exception>,
    pub skipped: Vec<Skipped>,
}

/// A VEX document that cannot be imported.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct VexError {
    pub file: String,
    /// JSON path of the offending value (`$` for the document).
    pub path: String,
    pub message: String,
}

impl fmt::Display for VexError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}: {}", self.file, self.path, self.message)
    }
}

const STATES: [&str; 6] = [
    "resolved",
    "resolved_with_pedigree",
    "exploitable",
    "in_triage",
    "false_positive",
    "not_affected",
];

/// Imports a CycloneDX VEX (or a BOM with vulnerabilities). `file` names it in errors.
///
/// # Errors
/// [`VexError`] for invalid JSON, a document that is not CycloneDX, and the first invalid
/// vulnerability record.
pub fn import(file: &str, bytes: &[u8], opts: &ImportOptions) -> Result<Imported, VexError> {
    let err = |path: &str, message: String| VexError {
        file: file.to_owned(),
        path: path.to_owned(),
        message,
    };
    let doc: Value = serde_json::from_slice(bytes).map_err(|e| {
        err(
            "$",
            format!("not JSON (line {}, column {}): {e}", e.line(), e.column()),
        )
    })?;
    let root = doc
        .as_object()
        .ok_or_else(|| err("$", "expected a JSON object".into()))?;
    match root.get("bomFormat").and_then(Value::as_str) {
        Some("CycloneDX") => {}
        _ => return Err(err("$.bomFormat", "not a CycloneDX document".into())),
    }
    // `vulnerabilities` arrived in CycloneDX 1.4; an older BOM can only say nothing.
    let has_vulnerabilities = root.contains_key("vulnerabilities");
    match root.get("specVersion").and_then(Value::as_str) {
        Some("1.4" | "1.5" | "1.6" | "1.7") => {}
        Some("1.0" | "1.1" | "1.2" | "1.3") if !has_vulnerabilities => {
            return Ok(Imported::default());
        }
        Some(v) => {
            return Err(err(
                "$.specVersion",
                format!("CycloneDX {v} has no vulnerabilities; expected 1.4 to 1.7"),
            ));
        }
        None => return Err(err("$.specVersion", "missing".into())),
    }

    let mut refs: BTreeMap<String, Option<String>> = BTreeMap::new();
    if let Some(product) = root
        .get("metadata")
        .and_then(|m| m.get("component"))
        .and_then(|c| c.get("bom-ref"))
        .and_then(Value::as_str)
    {
        refs.insert(product.to_owned(), None);
    }
    if let Some(components) = root.get("components") {
        collect_refs(components, &mut refs);
    }

    let mut out = Imported::default();
    let Some(vulns) = root.get("vulnerabilities") else {
        return Ok(out);
    };
    let vulns = vulns
        .as_array()
        .ok_or_else(|| err("$.vulnerabilities", "expected an array".into()))?;
    for (i, v) in vulns.iter().enumerate() {
        let at = format!("$.vulnerabilities[{i}]");
        let v = v
            .as_object()
            .ok_or_else(|| err(&at, "expected an object".into()))?;
        let id = str_field(v, "id", &at).map_err(|(p, m)| err(&p, m))?;
        let id = id.ok_or_else(|| err(&format!("{at}.id"), "missing".into()))?;
        let props = properties(v, &at).map_err(|(p, m)| err(&p, m))?;
        let Some(analysis) = v.get("analysis") else {
            out.skipped.push(Skipped {
                path: at,
                id: id.to_owned(),
                state: None,
            });
            continue;
        };
        let apath = format!("{at}.analysis");
        let analysis = analysis
            .as_object()
            .ok_or_else(|| err(&apath, "expected an object".into()))?;
        let state = str_field(analysis, "state", &apath)
            .map_err(|(p, m)| err(&p, m))?
            .ok_or_else(|| err(&format!("{apath}.state"), "missing".into()))?;
        if !STATES.contains(&state) {
            return Err(err(
                &format!("{apath}.state"),
                format!(
                    "unknown state {state:?}; expected one of: {}",
                    STATES.join(", ")
                ),
            ));
        }
        let justification =
            str_field(analysis, "justification", &apath).map_err(|(p, m)| err(&p, m))?;
        let jpath = format!("{apath}.justification");
        let kind = match state {
            "not_affected" => {
                let j = justification
                    .ok_or_else(|| err(&jpath, "not_affected needs a justification".into()))?;
                let justification: Justification = j.parse().map_err(|m| err(&jpath, m))?;
                Some(ExceptionKind::NotAffected { justification })
            }
            "false_positive" => Some(ExceptionKind::FalsePositive),
            "exploitable" if props.get("weerbaar:exception") == Some(&"accepted_risk") => {
                let expires = props.get("weerbaar:expires").ok_or_else(|| {
                    err(
                        &format!("{at}.properties"),
                        "accepted_risk needs a weerbaar:expires property".into(),
                    )
                })?;
                let expires = parse_date(expires).ok_or_else(|| {
                    err(
                        &format!("{at}.properties"),
                        format!("weerbaar:expires {expires:?} is not a YYYY-MM-DD date"),
                    )
                })?;
                Some(ExceptionKind::AcceptedRisk { expires })
            }
            _ => None,
        };
        let Some(kind) = kind else {
            out.skipped.push(Skipped {
                path: at,
                id: id.to_owned(),
                state: Some(state.to_owned()),
            });
            continue;
        };
        let detail = str_field(analysis, "detail", &apath).map_err(|(p, m)| err(&p, m))?;
        let mut date = opts.date;
        for key in ["firstIssued", "lastUpdated"] {
            if let Some(s) = str_field(analysis, key, &apath).map_err(|(p, m)| err(&p, m))? {
                date = s.get(..10).and_then(parse_date).ok_or_else(|| {
                    err(
                        &format!("{apath}.{key}"),
                        format!("{s:?} is not a date-time"),
                    )
                })?;
                break;
            }
        }
        let author = props
            .get("weerbaar:author")
            .map_or_else(|| opts.author.clone(), |a| (*a).to_owned());
        let asset = props
            .get("weerbaar:asset")
            .map(|a| (*a).to_owned())
            .or_else(|| opts.asset.clone());
        let reason = detail.map_or_else(|| format!("imported from {file}"), str::to_owned);

        let packages = affected(v, &at, &refs).map_err(|(p, m)| err(&p, m))?;
        for package in packages {
            out.exceptions.push(Exception {
                scope: Scope {
                    advisory: id.to_owned(),
                    package,
                    asset: asset.clone(),
                },
                kind,
                author: author.clone(),
                reason: reason.clone(),
                date,
            });
        }
    }
    Ok(out)
}

type FieldError = (String, String);

fn str_field<'a>(
    obj: &'a Map<String, Value>,
    key: &str,
    at: &str,
) -> Result<Option<&'a str>, FieldError> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err((format!("{at}.{key}"), "expected a string".into())),
    }
}

fn properties<'a>(
    v: &'a Map<String, Value>,
    at: &str,
) -> Result<BTreeMap<&'a str, &'a str>, FieldError> {
    let mut out = BTreeMap::new();
    let Some(props) = v.get("properties") else {
        return Ok(out);
    };
    let props = props
        .as_array()
        .ok_or_else(|| (format!("{at}.properties"), "expected an array".to_owned()))?;
    for (j, p) in props.iter().enumerate() {
        let ppath = format!("{at}.properties[{j}]");
        let p = p
            .as_object()
            .ok_or_else(|| (ppath.clone(), "expected an object".to_owned()))?;
        if let (Some(name), Some(value)) = (
            str_field(p, "name", &ppath)?,
            str_field(p, "value", &ppath)?,
        ) {
            out.insert(name, value);
        }
    }
    Ok(out)
}

fn collect_refs(components: &Value, refs: &mut BTreeMap<String, Option<String>>) {
    for c in components.as_array().into_iter().flatten() {
        if let Some(r) = c.get("bom-ref").and_then(Value::as_str) {
            let purl = c.get("purl").and_then(Value::as_str);
            let name = c.get("name").and_then(Value::as_str);
            refs.insert(r.to_owned(), purl.or(name).map(str::to_owned));
        }
        if let Some(nested) = c.get("components") {
            collect_refs(nested, refs);
        }
    }
}

/// The package scopes of a vulnerability's `affects` (one `None` for "no package").
fn affected(
    v: &Map<String, Value>,
    at: &str,
    refs: &BTreeMap<String, Option<String>>,
) -> Result<Vec<Option<String>>, FieldError> {
    let Some(affects) = v.get("affects") else {
        return Ok(vec![None]);
    };
    let affects = affects
        .as_array()
        .ok_or_else(|| (format!("{at}.affects"), "expected an array".to_owned()))?;
    if affects.is_empty() {
        return Ok(vec![None]);
    }
    let mut out = Vec::new();
    for (j, a) in affects.iter().enumerate() {
        let apath = format!("{at}.affects[{j}]");
        let a = a
            .as_object()
            .ok_or_else(|| (apath.clone(), "expected an object".to_owned()))?;
        let r = str_field(a, "ref", &apath)?
            .ok_or_else(|| (format!("{apath}.ref"), "missing".to_owned()))?;
        let package = if let Some(p) = refs.get(r) {
            p.clone()
        } else if r.starts_with("pkg:") {
            Some(r.to_owned())
        } else if let Some(purl) = r
            .strip_prefix("urn:cdx:")
            .and_then(|rest| rest.split_once('#'))
            .map(|(_, frag)| frag)
            .filter(|frag| frag.starts_with("pkg:"))
        {
            Some(purl.to_owned())
        } else {
            return Err((
                format!("{apath}.ref"),
                format!("{r:?} is neither a bom-ref of this document nor a purl"),
            ));
        };
        if !out.contains(&package) {
            out.push(package);
        }
    }
    Ok(out)
}

fn parse_date(s: &str) -> Option<Date> {
    if s.len() != 10 {
        return None;
    }
    s.parse().ok()
}

/// The bom-ref of the document's subject, for exceptions that name no package.
const SUBJECT_REF: &str = "weerbaar-subject";

/// Writes exceptions as a CycloneDX 1.6 VEX document, dated `timestamp`.
#[must_use]
pub fn export(exceptions: &[Exception], timestamp: Date) -> Value {
    let mut components: BTreeMap<String, Value> = BTreeMap::new();
    let mut vulnerabilities = Vec::new();
    for e in exceptions {
        let reference = match &e.scope.package {
            None => SUBJECT_REF.to_owned(),
            Some(p) => {
                let component = if p.starts_with("pkg:") {
                    json!({"type": "library", "bom-ref": p, "name": purl_name(p), "purl": p})
                } else {
                    json!({"type": "library", "bom-ref": format!("name:{p}"), "name": p})
                };
                let r = component
                    .get("bom-ref")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned();
                components.insert(r.clone(), component);
                r
            }
        };
        let mut analysis = Map::new();
        let mut props = vec![
            json!({"name": "weerbaar:exception", "value": e.kind.as_str()}),
            json!({"name": "weerbaar:author", "value": e.author}),
        ];
        match e.kind {
            ExceptionKind::NotAffected { justification } => {
                analysis.insert("state".into(), json!("not_affected"));
                analysis.insert("justification".into(), json!(justification.as_str()));
            }
            ExceptionKind::FalsePositive => {
                analysis.insert("state".into(), json!("false_positive"));
            }
            ExceptionKind::AcceptedRisk { expires } => {
                analysis.insert("state".into(), json!("exploitable"));
                analysis.insert("response".into(), json!(["will_not_fix"]));
                props.push(json!({"name": "weerbaar:expires", "value": expires.to_string()}));
            }
        }
        analysis.insert("detail".into(), json!(e.reason));
        analysis.insert("firstIssued".into(), json!(format!("{}T00:00:00Z", e.date)));
        if let Some(asset) = &e.scope.asset {
            props.push(json!({"name": "weerbaar:asset", "value": asset}));
        }
        vulnerabilities.push(json!({
            "id": e.scope.advisory,
            "analysis": analysis,
            "affects": [{"ref": reference}],
            "properties": props,
        }));
    }
    json!({
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "version": 1,
        "metadata": {
            "timestamp": format!("{timestamp}T00:00:00Z"),
            "tools": {"components": [{"type": "application", "name": "weerbaar"}]},
            "component": {"type": "application", "name": "weerbaar exceptions", "bom-ref": SUBJECT_REF},
        },
        "components": components.into_values().collect::<Vec<_>>(),
        "vulnerabilities": vulnerabilities,
    })
}

/// The name segment of a purl (`pkg:deb/debian/openssl@3.0.11-1` → `openssl`).
fn purl_name(purl: &str) -> &str {
    let core = purl.split(['?', '#']).next().unwrap_or(purl);
    let core = core.split('@').next().unwrap_or(core);
    core.rsplit('/').next().unwrap_or(core)
}
