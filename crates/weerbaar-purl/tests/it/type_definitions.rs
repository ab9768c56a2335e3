//! Checks the compiled type table (`weerbaar_purl::types`) against the purl-spec type
//! definition files, so a new snapshot that adds a type or changes a rule fails here instead of
//! drifting, and checks that every example in the definitions parses and round-trips.

use std::collections::BTreeSet;

use serde_json::Value;
use weerbaar_purl::PackageUrl;
use weerbaar_purl::types::{self, Case, Requirement, Special};

fn requirement(def: &Value) -> Requirement {
    match def["requirement"].as_str() {
        Some("required") => Requirement::Required,
        Some("prohibited") => Requirement::Prohibited,
        _ => Requirement::Optional,
    }
}

/// `case_sensitive` defaults to true in the schema.
fn case(def: &Value) -> Case {
    if def["case_sensitive"].as_bool() == Some(false) {
        Case::Lower
    } else {
        Case::Sensitive
    }
}

#[test]
fn the_type_table_matches_the_definition_files() {
    let Some(index) = weerbaar_fixtures::fixture("purl/purl-types-index.json") else {
        return;
    };
    let Some(files) = weerbaar_fixtures::fixtures_in("purl/types", "-definition.json") else {
        return;
    };
    let index: Vec<String> =
        serde_json::from_str(&std::fs::read_to_string(index).expect("readable")).expect("JSON");
    let table: Vec<&str> = types::registered().map(|r| r.ty).collect();
    assert_eq!(
        table, index,
        "registered types differ from purl-types-index.json"
    );

    let mut problems = Vec::new();
    let mut with_prose_rules = BTreeSet::new();
    let mut examples = 0;
    for path in &files {
        let def: Value = serde_json::from_str(&std::fs::read_to_string(path).expect("readable"))
            .expect("definition JSON");
        let ty = def["type"].as_str().expect("type");
        let Some(rules) = types::lookup(ty) else {
            problems.push(format!("{ty}: not in the table"));
            continue;
        };
        let ns = &def["namespace_definition"];
        let mut expect_ns_case = case(ns);
        if ty == "cpan" {
            // The cpan namespace note: "shall be uppercase".
            expect_ns_case = Case::Upper;
        }
        let checks = [
            (
                "namespace requirement",
                format!("{:?}", rules.namespace),
                format!("{:?}", requirement(ns)),
            ),
            (
                "namespace case",
                format!("{:?}", rules.namespace_case),
                format!("{expect_ns_case:?}"),
            ),
            (
                "name case",
                format!("{:?}", rules.name_case),
                format!("{:?}", case(&def["name_definition"])),
            ),
            (
                "version case",
                format!("{:?}", rules.version_case),
                format!("{:?}", case(&def["version_definition"])),
            ),
            (
                "subpath case",
                format!("{:?}", rules.subpath_case),
                format!("{:?}", case(&def["subpath_definition"])),
            ),
        ];
        for (what, ours, theirs) in checks {
            if ours != theirs {
                problems.push(format!(
                    "{ty}: {what} is {ours} here, {theirs} in the definition"
                ));
            }
        }
        let required: BTreeSet<&str> = def["qualifiers_definition"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|q| q["requirement"].as_str() == Some("required"))
            .filter_map(|q| q["key"].as_str())
            .collect();
        let ours: BTreeSet<&str> = rules.required_qualifiers.iter().copied().collect();
        if ours != required {
            problems.push(format!(
                "{ty}: required qualifiers {ours:?} here, {required:?} there"
            ));
        }
        for component in [
            "namespace_definition",
            "name_definition",
            "version_definition",
            "subpath_definition",
        ] {
            let c = &def[component];
            if c.get("permitted_characters").is_some() {
                let handled = matches!(
                    (ty, rules.special),
                    ("chrome-extension", Special::ChromeExtension) | ("pub", Special::Pub)
                );
                if !handled {
                    problems.push(format!(
                        "{ty}: {component}.permitted_characters not enforced"
                    ));
                }
            }
            if c.get("normalization_rules").is_some() {
                with_prose_rules.insert(ty.to_owned());
            }
        }
        for example in def["examples"].as_array().into_iter().flatten() {
            let Some(example) = example.as_str() else {
                continue;
            };
            examples += 1;
            match PackageUrl::parse(example) {
                Ok(p) => match PackageUrl::parse(&p.to_string()) {
                    Ok(back) if back == p => {}
                    other => {
                        problems.push(format!("{ty}: example {example} round-trips to {other:?}"))
                    }
                },
                Err(e) => problems.push(format!("{ty}: example fails: {e}")),
            }
        }
    }
    // Prose normalisation rules, reviewed one by one: alpm's namespace rule is its case flag and
    // its vercmp version rule is about comparison, not the purl; hackage's "kebab-case" is how
    // names already look (AC-HalfInteger stays, per its tests); pub and pypi are Special rules.
    // A type that gains a prose rule must be reviewed and added here.
    let reviewed: BTreeSet<String> = ["alpm", "hackage", "pub", "pypi"]
        .into_iter()
        .map(str::to_owned)
        .collect();
    if with_prose_rules != reviewed {
        problems.push(format!(
            "types with normalization_rules changed: {with_prose_rules:?}"
        ));
    }
    assert!(
        problems.is_empty(),
        "type table vs definitions:\n{}",
        problems.join("\n")
    );
    assert_eq!(files.len(), index.len());
    assert!(examples > 80, "only {examples} examples checked");
}
