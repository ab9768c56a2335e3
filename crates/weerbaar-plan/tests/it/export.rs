//! CSV and HTML exports, checked against snapshot files in `tests/it/snapshots/`.
//!
//! `UPDATE_SNAPSHOTS=1 cargo test -p weerbaar-plan --test it export` rewrites them; review the
//! diff before committing.

use std::path::PathBuf;

use weerbaar_inventory::model::{Criticality, Exposure};
use weerbaar_plan::export::{csv, escape, html};
use weerbaar_plan::{
    Exception, ExceptionKind, Finding, Justification, Kev, Lang, Package, Plan, Policy, Scope,
    build,
};

use crate::common::{asset, cvss, d, finding};

const TENANT: &str = "gemeente-voorbeeld";

fn pkg(f: &mut Finding, eco: &str, name: &str, version: &str, fixed: &[&str]) {
    f.package = Package {
        ecosystem: eco.into(),
        name: name.into(),
        version: version.into(),
        purl: None,
    };
    f.fixed_versions = fixed.iter().map(|s| (*s).to_owned()).collect();
}

/// A small municipality, fully synthetic so the snapshots need no fixtures.
pub fn municipality() -> Plan {
    let fw = asset("fw-stadhuis", Criticality::High, Exposure::InternetFacing);
    let mut findings = Vec::new();

    let mut panos = finding(TENANT, fw.clone(), "CVE-2024-3400", "2024-04-12");
    pkg(&mut panos, "generic", "pan-os", "10.2.9", &["10.2.9-h1"]);
    panos.kev = Some(Kev {
        date_added: d("2024-04-12"),
        due_date: d("2024-04-19"),
        ransomware: true,
    });
    panos.cvss = Some(cvss("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H"));
    findings.push(panos);

    for (i, host) in ["app-01", "app-02", "db-01"].iter().enumerate() {
        let a = asset(
            host,
            if i == 2 {
                Criticality::Critical
            } else {
                Criticality::Normal
            },
            Exposure::Internal,
        );
        for (id, fixed, vector) in [
            (
                "ALSA-2024:0310",
                "1:3.0.7-25.el9_3",
                Some("CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:N/A:N"),
            ),
            (
                "ALSA-2023:3722",
                "1:3.0.7-16.el9_2",
                Some("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H"),
            ),
            ("ALSA-2023:2523", "1:3.0.7-6.el9_2", None),
        ] {
            let mut f = finding(TENANT, a.clone(), id, "2024-03-01");
            pkg(
                &mut f,
                "AlmaLinux:9",
                "openssl",
                "1:3.0.1-47.el9_1",
                &[fixed],
            );
            f.cvss = vector.map(cvss);
            findings.push(f);
        }
    }

    // Hostile text: must come out escaped in HTML and defused in CSV.
    let mut evil = finding(
        TENANT,
        asset(
            "<script>alert(1)</script>",
            Criticality::Low,
            Exposure::Internal,
        ),
        "GHSA-evil",
        "2024-04-01",
    );
    pkg(
        &mut evil,
        "npm",
        "=HYPERLINK(\"http://x.example\")",
        "1.0.0",
        &[],
    );
    findings.push(evil);

    let mut log4j = finding(
        TENANT,
        asset("zaaksysteem", Criticality::High, Exposure::Internal),
        "CVE-2021-44228",
        "2024-04-01",
    );
    pkg(
        &mut log4j,
        "Maven",
        "org.apache.logging.log4j:log4j-core",
        "2.14.1",
        &["2.15.0"],
    );
    findings.push(log4j);

    let exceptions = [Exception {
        scope: Scope {
            advisory: "CVE-2021-44228".into(),
            package: None,
            asset: Some("zaaksysteem".into()),
        },
        kind: ExceptionKind::NotAffected {
            justification: Justification::RequiresConfiguration,
        },
        author: "An Peeters".into(),
        reason:
            "JNDI-lookups uitgeschakeld (log4j2.formatMsgNoLookups=true) & <geen> externe input"
                .into(),
        date: d("2024-04-02"),
    }];
    build(
        TENANT,
        &findings,
        &exceptions,
        &Policy::default(),
        d("2024-04-15"),
    )
}

fn snapshot(name: &str, actual: &str) {
    let path: PathBuf = [env!("CARGO_MANIFEST_DIR"), "tests", "it", "snapshots", name]
        .iter()
        .collect();
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&path, actual).expect("test input is valid");
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e}; run with UPDATE_SNAPSHOTS=1 to create it",
            path.display()
        )
    });
    if expected != actual {
        let new = path.with_extension(format!(
            "{}.new",
            path.extension()
                .expect("test input is valid")
                .to_string_lossy()
        ));
        std::fs::write(&new, actual).expect("test input is valid");
        panic!(
            "{} differs from the snapshot; the new output is in {}",
            path.display(),
            new.display()
        );
    }
}

#[test]
fn csv_snapshots() {
    let plan = municipality();
    snapshot(
        "plan.en.csv",
        &csv(&plan, Lang::En).expect("test input is valid"),
    );
    snapshot(
        "plan.nl-BE.csv",
        &csv(&plan, Lang::NlBe).expect("test input is valid"),
    );
}

#[test]
fn html_snapshots() {
    let plan = municipality();
    snapshot("plan.en.html", &html(&plan, Lang::En));
    snapshot("plan.nl-BE.html", &html(&plan, Lang::NlBe));
}

#[test]
fn csv_rows_are_actions_and_formulas_are_defused() {
    let plan = municipality();
    let text = csv(&plan, Lang::En).expect("test input is valid");
    let mut reader = ::csv::Reader::from_reader(text.as_bytes());
    let rows: Vec<::csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), plan.actions.len());
    assert_eq!(&rows[0][1], "Act");
    assert_eq!(&rows[0][2], "2024-04-19");
    assert_eq!(&rows[0][3], "due soon");
    assert_eq!(&rows[1][3], "overdue");
    assert_eq!(
        &rows[0][4],
        "upgrade pan-os to 10.2.9-h1 on 1 host: fixes 1 advisory, 1 of them in KEV"
    );
    let evil = rows
        .iter()
        .find(|r| r[6].contains("HYPERLINK"))
        .expect("test input is valid");
    assert!(evil[6].starts_with("'="), "{:?}", &evil[6]);
    let header = reader.headers().expect("test input is valid").clone();
    assert_eq!(&header[0], "rank");
    let nl = csv(&plan, Lang::NlBe).expect("test input is valid");
    assert!(nl.starts_with("volgorde,beslissing,uiterlijk,status,actie"));
}

#[test]
fn html_is_self_contained_escaped_and_in_the_right_language() {
    let plan = municipality();
    for lang in [Lang::En, Lang::NlBe] {
        let page = html(&plan, lang);
        assert!(page.starts_with("<!DOCTYPE html>"));
        assert!(page.contains(&format!("<html lang=\"{}\">", lang.tag())));
        let lower = page.to_ascii_lowercase();
        for forbidden in [
            "<script", "<link", "<img", "@import", "url(", "src=", "href=",
        ] {
            assert!(!lower.contains(forbidden), "{lang}: {forbidden}");
        }
        assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(page.contains("@media print"));
        // The exception's reason, escaped.
        assert!(page.contains("&amp; &lt;geen&gt; externe input"));
    }
    assert!(html(&plan, Lang::NlBe).contains("openssl upgraden naar 1:3.0.7-25.el9_3 op 3 hosts"));
    assert_eq!(
        escape(r#"<a href="x">&'"#),
        "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
    );
}
