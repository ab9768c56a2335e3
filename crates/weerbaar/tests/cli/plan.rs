//! Findings over time, the patch plan and exposure, end to end on real RustSec, NVD and KEV
//! data: import → findings open → plan → upgrade → findings resolve.

use std::path::PathBuf;
use std::process::Output;

use crate::text;

struct Dir(PathBuf);

impl Dir {
    fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("weerbaar-plan-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("create dir");
        Self(dir)
    }

    fn run(&self, args: &[&str]) -> Output {
        std::process::Command::new(env!("CARGO_BIN_EXE_weerbaar"))
            .args(args)
            .env("WEERBAAR_DATA_DIR", self.0.join("data"))
            .env_remove("WEERBAAR_DATABASE_URL")
            .env_remove("WEERBAAR_POLICY")
            .env("NO_COLOR", "1")
            .output()
            .expect("run weerbaar")
    }

    fn ok(&self, args: &[&str]) -> Output {
        let out = self.run(args);
        assert!(out.status.success(), "{args:?}: {}", text(&out.stderr));
        out
    }

    fn json(&self, args: &[&str]) -> serde_json::Value {
        serde_json::from_slice(&self.ok(args).stdout).expect("json")
    }

    fn lock(&self, version: &str) -> String {
        let path = self.0.join(format!("Cargo-{version}.lock"));
        std::fs::write(
            &path,
            format!(
                "version = 3\n\n[[package]]\nname = \"libwebp-sys\"\nversion = \"{version}\"\n\
                 source = \"registry+https://github.com/rust-lang/crates.io-index\"\n"
            ),
        )
        .expect("write lock");
        path.display().to_string()
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[test]
fn import_plan_upgrade_resolve() {
    let feeds: Option<Vec<String>> = [
        "osv/rustsec/rustsec-osv.jsonl",
        "nvd/osv.dev-nvdcve-2.0/CVE-2023-4863.json",
        "kev/known_exploited_vulnerabilities.json",
    ]
    .iter()
    .map(|p| weerbaar_fixtures::fixture(p).map(|p| p.display().to_string()))
    .collect();
    let Some(feeds) = feeds else { return };
    let d = Dir::new("flow");
    d.ok(&["tenant", "add", "diest"]);
    let mut import = vec!["feeds", "import"];
    import.extend(feeds.iter().map(String::as_str));
    d.ok(&import);

    // An internet-facing, critical portal with libwebp-sys 0.9.2 (CVE-2023-4863, in KEV).
    let old = d.lock("0.9.2");
    let out = d.ok(&[
        "inventory",
        "import",
        "-t",
        "diest",
        "-a",
        "portal",
        "--exposure",
        "internet-facing",
        "--criticality",
        "critical",
        &old,
    ]);
    assert!(
        text(&out.stderr).contains("findings: 1 new, 0 still open, 0 resolved"),
        "{}",
        text(&out.stderr)
    );

    let plan = d.json(&[
        "plan",
        "-t",
        "diest",
        "--format",
        "json",
        "--today",
        "2026-11-28",
    ]);
    let action = &plan["actions"][0];
    assert_eq!(plan["actions"].as_array().map(Vec::len), Some(1));
    assert_eq!(action["decision"], "act", "{action:#}");
    assert_eq!(action["package"], "libwebp-sys");
    assert_eq!(action["kind"]["target"], "0.9.3");
    assert_eq!(action["kev"], 1);

    let exposure = d.json(&["exposure", "cve-2023-4863", "--format", "json"]);
    assert_eq!(exposure.as_array().map(Vec::len), Some(1));
    assert_eq!(exposure[0]["tenant"], "diest");
    assert_eq!(exposure[0]["installed"], "0.9.2");
    assert_eq!(exposure[0]["fix"], "0.9.3");

    let csv = text(&d.ok(&["plan", "-t", "diest", "--format", "csv"]).stdout);
    assert_eq!(csv.lines().count(), 2, "{csv}");
    let html = text(
        &d.ok(&["plan", "-t", "diest", "--format", "html", "--lang", "nl-BE"])
            .stdout,
    );
    assert!(html.contains("lang=\"nl-BE\""), "{html}");
    assert!(html.contains("libwebp-sys"));

    // An accepted risk (by the CVE alias) sets the finding aside until it expires.
    let out = d.ok(&[
        "exception",
        "add",
        "-t",
        "diest",
        "--advisory",
        "CVE-2023-4863",
        "--accepted-until",
        "2027-01-31",
        "--reason",
        "portal replaced in January",
    ]);
    let id = text(&out.stdout)
        .split(':')
        .next()
        .unwrap_or_default()
        .to_owned();
    let during = d.json(&[
        "plan",
        "-t",
        "diest",
        "--format",
        "json",
        "--today",
        "2027-01-30",
    ]);
    assert_eq!(during["actions"].as_array().map(Vec::len), Some(0));
    assert_eq!(during["excepted"].as_array().map(Vec::len), Some(1));
    let after = d.json(&[
        "plan",
        "-t",
        "diest",
        "--format",
        "json",
        "--today",
        "2027-01-31",
    ]);
    assert_eq!(
        after["actions"].as_array().map(Vec::len),
        Some(1),
        "expired on its day: the finding is open again"
    );
    assert_eq!(
        after["actions"][0]["due"], "2027-01-31",
        "reopened: due from the expiry day"
    );

    // VEX out and back in; revoking removes it from the plan.
    let vex = d.0.join("diest.vex.json");
    d.ok(&[
        "exception",
        "export",
        "-t",
        "diest",
        "-o",
        &vex.display().to_string(),
    ]);
    let doc: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&vex).expect("vex written")).expect("json");
    assert_eq!(doc["bomFormat"], "CycloneDX");
    assert!(
        d.ok(&["exception", "revoke", "-t", "diest", &id])
            .status
            .success()
    );
    assert_eq!(
        d.run(&["exception", "revoke", "-t", "diest", &id])
            .status
            .code(),
        Some(1)
    );
    let back = d.ok(&[
        "exception",
        "import",
        "-t",
        "diest",
        &vex.display().to_string(),
    ]);
    assert!(
        text(&back.stdout).contains("1 exceptions imported"),
        "{}",
        text(&back.stdout)
    );
    let listed = text(
        &d.ok(&[
            "exception",
            "list",
            "-t",
            "diest",
            "--all",
            "--format",
            "csv",
        ])
        .stdout,
    );
    assert_eq!(
        listed.lines().count(),
        3,
        "header, the revoked one, the imported one: {listed}"
    );
    let broken = d.0.join("broken.vex.json");
    std::fs::write(
        &broken,
        r#"{"bomFormat":"CycloneDX","specVersion":"1.6","vulnerabilities":[{"id":"CVE-1","analysis":{"state":"not_affected","justification":"because"}}]}"#,
    )
    .expect("write");
    let out = d.run(&[
        "exception",
        "import",
        "-t",
        "diest",
        &broken.display().to_string(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("$.vulnerabilities[0]"),
        "{}",
        text(&out.stderr)
    );

    // The upgrade in the next import resolves the finding.
    let new = d.lock("0.9.3");
    let out = d.ok(&["inventory", "import", "-t", "diest", "-a", "portal", &new]);
    assert!(
        text(&out.stderr).contains("findings: 0 new, 0 still open, 1 resolved"),
        "{}",
        text(&out.stderr)
    );
    let listed: Vec<serde_json::Value> = text(
        &d.ok(&["findings", "list", "-t", "diest", "--format", "json"])
            .stdout,
    )
    .lines()
    .map(|l| serde_json::from_str(l).expect("json line"))
    .collect();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["resolution"], "upgraded");
    assert!(listed[0]["resolved_at"].is_i64());
    let open = text(
        &d.ok(&[
            "findings", "list", "-t", "diest", "--open", "--format", "csv",
        ])
        .stdout,
    );
    assert_eq!(open.lines().count(), 1, "header only: {open}");
    let plan = d.json(&["plan", "-t", "diest", "--format", "json"]);
    assert_eq!(plan["actions"].as_array().map(Vec::len), Some(0));
    assert_eq!(plan["resolved"], 1);
    assert_eq!(
        d.json(&["exposure", "CVE-2023-4863", "--format", "json"])
            .as_array()
            .map(Vec::len),
        Some(0),
        "resolved findings are no exposure"
    );

    // Resolved the day it was found, before its due date: in time, 0 days to remediate.
    let stats = d.json(&["findings", "stats", "-t", "diest", "--format", "json"]);
    assert_eq!(stats["open"], 0);
    assert_eq!(stats["remediation"]["resolved"], 1);
    assert_eq!(stats["remediation"]["median_days"], 0);
    assert_eq!(stats["remediation"]["late"], 0);
    let chart = text(&d.ok(&["findings", "stats", "-t", "diest"]).stdout);
    assert!(chart.contains("Overdue findings:"), "{chart}");

    // A refresh of the whole tenant changes nothing now.
    let refresh = d.json(&["findings", "refresh", "-t", "diest", "--format", "json"]);
    assert_eq!(refresh["new"], 0);
    assert_eq!(refresh["resolved"], 0);

    let policy = d.0.join("policy.toml");
    std::fs::write(&policy, "[default]\nkev_days = \"soon\"\n").expect("write policy");
    let out = d.run(&[
        "plan",
        "-t",
        "diest",
        "--policy",
        &policy.display().to_string(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("policy.toml:2"),
        "{}",
        text(&out.stderr)
    );
}
