//! The real CISA KEV catalog (cisagov/kev-data, catalogVersion 2025.08.25) in both its JSON and
//! CSV forms, and its JSON schema. Counts were verified independently with python3.

use proptest::prelude::*;
use weerbaar_advisories::kev::{self, Catalog, Date};
use weerbaar_advisories::{FeedErrorKind, Record};
use weerbaar_fixtures::fixture;

const JSON: &str = "kev/known_exploited_vulnerabilities.json";
const CSV: &str = "kev/known_exploited_vulnerabilities.csv";
const SCHEMA: &str = "kev/known_exploited_vulnerabilities_schema.json";

fn read(relative: &str) -> Option<Vec<u8>> {
    let path = fixture(relative)?;
    Some(std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display())))
}

fn load(relative: &str) -> Option<Catalog> {
    let bytes = read(relative)?;
    Some(kev::parse(relative, &bytes).unwrap_or_else(|e| panic!("{e}")))
}

fn date(s: &str) -> Date {
    Date::parse(s).unwrap_or_else(|| panic!("{s}"))
}

#[test]
fn json_catalog() {
    let Some(cat) = load(JSON) else { return };
    assert_eq!(cat.version.as_deref(), Some("2025.08.25"));
    assert_eq!(cat.released.as_deref(), Some("2025-08-25T17:04:19.9796Z"));
    assert_eq!(cat.entries.len(), 1404);
    assert_eq!(cat.entries.iter().filter(|e| e.ransomware).count(), 293);
    assert_eq!(
        cat.entries.iter().filter(|e| e.cwes.is_empty()).count(),
        152
    );
    assert_eq!(
        cat.entries.iter().map(|e| e.cwes.len()).sum::<usize>(),
        1338
    );
    assert_eq!(
        cat.entries
            .iter()
            .filter(|e| e.vendor_project == "Microsoft")
            .count(),
        340
    );
    // Sorted by CVE id, numerically.
    assert_eq!(
        cat.entries.first().map(|e| e.cve_id.as_str()),
        Some("CVE-2002-0367")
    );
    assert_eq!(
        cat.entries.last().map(|e| e.cve_id.as_str()),
        Some("CVE-2025-54948")
    );
    let added = cat.entries.iter().map(|e| e.date_added);
    assert_eq!(added.clone().min(), Some(date("2021-11-03")));
    assert_eq!(added.max(), Some(date("2025-08-25")));
    // Back-filled entries are due before they were added; the parser does not object.
    let early = cat
        .entries
        .iter()
        .filter(|e| e.due_date < e.date_added)
        .count();
    assert_eq!(early, 15);
    assert!(
        cat.get("CVE-2021-34527")
            .is_some_and(|e| e.due_date < e.date_added)
    );

    let e = cat.get("CVE-2025-53770").expect("SharePoint ToolShell");
    assert_eq!(e.vendor_project, "Microsoft");
    assert_eq!(e.product, "SharePoint");
    assert_eq!(
        e.vulnerability_name,
        "Microsoft SharePoint Deserialization of Untrusted Data Vulnerability"
    );
    assert_eq!(e.date_added, date("2025-07-20"));
    assert_eq!(e.due_date, date("2025-07-21"));
    assert!(e.ransomware);
    assert_eq!(e.cwes, ["CWE-502"]);
    assert!(
        e.short_description
            .starts_with("Microsoft SharePoint Server on-premises")
    );
    assert!(
        e.notes
            .ends_with("https://nvd.nist.gov/vuln/detail/CVE-2025-53770")
    );

    let log4shell = cat.get("CVE-2021-44228").expect("log4shell");
    assert_eq!(log4shell.cwes, ["CWE-20", "CWE-400", "CWE-502"]);
    assert_eq!(log4shell.due_date, date("2021-12-24"));
    let git = cat.get("CVE-2025-48384").expect("git");
    assert!(!git.ransomware);
    assert_eq!(git.cwes, ["CWE-59", "CWE-436"]);
}

#[test]
fn csv_has_the_same_entries_as_json() {
    let (Some(json), Some(csv)) = (load(JSON), load(CSV)) else {
        return;
    };
    assert_eq!(csv.version, None);
    assert_eq!(csv.entries.len(), 1404);
    for (j, c) in json.entries.iter().zip(&csv.entries) {
        // Field by field, so a difference names the field rather than dumping two entries.
        assert_eq!(j.cve_id, c.cve_id);
        assert_eq!(j.vendor_project, c.vendor_project, "{}", j.cve_id);
        assert_eq!(j.product, c.product, "{}", j.cve_id);
        assert_eq!(j.vulnerability_name, c.vulnerability_name, "{}", j.cve_id);
        assert_eq!(j.date_added, c.date_added, "{}", j.cve_id);
        assert_eq!(j.short_description, c.short_description, "{}", j.cve_id);
        assert_eq!(j.required_action, c.required_action, "{}", j.cve_id);
        assert_eq!(j.due_date, c.due_date, "{}", j.cve_id);
        assert_eq!(j.ransomware, c.ransomware, "{}", j.cve_id);
        assert_eq!(j.notes, c.notes, "{}", j.cve_id);
        assert_eq!(j.cwes, c.cwes, "{}", j.cve_id);
    }
    assert_eq!(json.entries, csv.entries);
}

/// The schema's required fields are exactly the ones the parser requires: dropping each
/// property of a real entry fails the parse if and only if the schema lists it as required.
#[test]
fn schema_agrees_with_the_parser() {
    let (Some(schema), Some(json)) = (read(SCHEMA), read(JSON)) else {
        return;
    };
    let schema: serde_json::Value = serde_json::from_slice(&schema).expect("schema");
    let strings = |v: &serde_json::Value| -> Vec<String> {
        v.as_array()
            .expect("array")
            .iter()
            .map(|s| s.as_str().expect("string").to_owned())
            .collect()
    };
    let vulnerability = &schema["$defs"]["vulnerability"];
    let required = strings(&vulnerability["required"]);
    assert_eq!(
        required,
        [
            "cveID",
            "vendorProject",
            "product",
            "vulnerabilityName",
            "dateAdded",
            "shortDescription",
            "requiredAction",
            "dueDate"
        ]
    );
    assert_eq!(
        vulnerability["properties"]["cveID"]["pattern"],
        "^CVE-[0-9]{4}-[0-9]{4,19}$"
    );
    assert_eq!(
        vulnerability["properties"]["cwes"]["items"]["pattern"],
        "^CWE-([0-9])+$"
    );
    for field in ["dateAdded", "dueDate"] {
        assert_eq!(vulnerability["properties"][field]["format"], "date");
    }
    assert_eq!(schema["properties"]["dateReleased"]["format"], "date-time");

    let doc: serde_json::Value = serde_json::from_slice(&json).expect("catalog");
    let one_entry = |entry: serde_json::Value| {
        let mut doc = doc.clone();
        doc["vulnerabilities"] = serde_json::Value::Array(vec![entry]);
        doc["count"] = 1.into();
        serde_json::to_vec(&doc).expect("serialise")
    };
    let first = doc["vulnerabilities"][0].clone();
    let properties = vulnerability["properties"].as_object().expect("properties");
    assert_eq!(properties.len(), 11);
    for property in properties.keys() {
        let mut entry = first.clone();
        entry.as_object_mut().expect("object").remove(property);
        let result = kev::parse_json("kev.json", &one_entry(entry));
        if required.contains(property) {
            let err = result.expect_err(property);
            assert!(
                err.reason.contains(&format!("missing field `{property}`")),
                "{err}"
            );
            let path = Some("$.vulnerabilities[0]".to_owned());
            let expected = if property == "cveID" {
                Record::JsonPath("$.vulnerabilities[0]".into())
            } else {
                Record::Id {
                    id: "CVE-2025-48384".into(),
                    path,
                }
            };
            assert_eq!(err.record, Some(expected), "{err}");
        } else {
            assert!(result.is_ok(), "{property} is optional: {result:?}");
        }
    }
    let top_required = strings(&schema["required"]);
    for property in top_required {
        let mut doc = doc.clone();
        doc.as_object_mut().expect("object").remove(&property);
        let bytes = serde_json::to_vec(&doc).expect("serialise");
        let err = kev::parse_json("kev.json", &bytes).expect_err(&property);
        assert!(
            err.reason.contains(&format!("missing field `{property}`")),
            "{err}"
        );
    }
}

#[test]
fn damaged_real_files_are_rejected() {
    let (Some(json), Some(csv)) = (read(JSON), read(CSV)) else {
        return;
    };
    // Cut mid-file: a syntax error with a line.
    let err = kev::parse(JSON, &json[..json.len() / 2]).expect_err("truncated JSON");
    assert_eq!(err.kind, FeedErrorKind::Syntax, "{err}");

    // One entry fewer than `count` says: a spliced download.
    let mut doc: serde_json::Value = serde_json::from_slice(&json).expect("catalog");
    doc["vulnerabilities"].as_array_mut().expect("array").pop();
    let err = kev::parse(JSON, &serde_json::to_vec(&doc).expect("json")).expect_err("count");
    assert!(
        err.reason
            .contains("count is 1404 but the catalog has 1403"),
        "{err}"
    );

    // A bad value deep in the file names the entry and the path.
    let text = String::from_utf8(json).expect("utf-8");
    let bad = text.replacen(
        "\"knownRansomwareCampaignUse\": \"Known\"",
        "\"knownRansomwareCampaignUse\": \"Suspected\"",
        1,
    );
    let err = kev::parse(JSON, bad.as_bytes()).expect_err("bad enum");
    let Some(Record::Id {
        id,
        path: Some(path),
    }) = &err.record
    else {
        panic!("{err}")
    };
    assert!(id.starts_with("CVE-"), "{err}");
    assert!(path.ends_with(".knownRansomwareCampaignUse"), "{err}");

    // CSV: a bad date names the line and the CVE.
    let text = String::from_utf8(csv).expect("utf-8");
    let bad = text.replacen(",2025-09-15,", ",2025-09-31,", 1);
    let err = kev::parse(CSV, bad.as_bytes()).expect_err("bad date");
    assert_eq!(err.record, Some(Record::Line(2)), "{err}");
    assert!(err.reason.starts_with("CVE-2025-48384: dueDate:"), "{err}");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_input_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let _ = kev::parse("x", &bytes);
        let _ = kev::parse_json("x", &bytes);
        let _ = kev::parse_csv("x", &bytes);
    }

    #[test]
    fn mutated_entries_never_panic(
        cve in "CVE-[0-9]{1,5}-[0-9]{0,21}|[^\"]{0,12}",
        day in "[0-9]{4}-[0-9]{2}-[0-9]{2}|[^\"]{0,12}",
        use_ in "Known|Unknown|[^\"]{0,6}",
        cwe in "CWE-[0-9]{0,4}|[^\"]{0,8}",
        count in 0u64..3,
    ) {
        let json = format!(
            r#"{{"catalogVersion":"1","dateReleased":"2025-01-01T00:00:00Z","count":{count},"vulnerabilities":[{{"cveID":"{cve}","vendorProject":"v","product":"p","vulnerabilityName":"n","dateAdded":"{day}","shortDescription":"s","requiredAction":"a","dueDate":"2025-01-01","knownRansomwareCampaignUse":"{use_}","notes":"","cwes":["{cwe}"]}}]}}"#
        );
        let _ = kev::parse("x", json.as_bytes());
        let csv = format!(
            "cveID,vendorProject,product,vulnerabilityName,dateAdded,shortDescription,requiredAction,dueDate,knownRansomwareCampaignUse,notes,cwes\n{cve},v,p,n,{day},s,a,2025-01-01,{use_},,{cwe}\n"
        );
        let _ = kev::parse_csv("x", csv.as_bytes());
    }
}
