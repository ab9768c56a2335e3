//! Findings follow feed updates by themselves: `feeds import` rematches what the update
//! changed across every tenant (the incremental path), without `findings refresh`.

use std::path::PathBuf;
use std::process::Output;

use crate::text;

struct Dir(PathBuf);

impl Dir {
    fn new(name: &str) -> Self {
        let dir =
            std::env::temp_dir().join(format!("weerbaar-tracking-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("create dir");
        Self(dir)
    }

    fn ok(&self, args: &[&str]) -> Output {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_weerbaar"))
            .args(args)
            .env("WEERBAAR_DATA_DIR", self.0.join("data"))
            .env_remove("WEERBAAR_DATABASE_URL")
            .env("NO_COLOR", "1")
            .output()
            .expect("run weerbaar");
        assert!(out.status.success(), "{args:?}: {}", text(&out.stderr));
        out
    }

    fn file(&self, name: &str, content: &str) -> String {
        let path = self.0.join(name);
        std::fs::write(&path, content).expect("write file");
        path.display().to_string()
    }

    /// Imports `path` as a feed; returns its stderr.
    fn feed(&self, path: &str, extra: &[&str]) -> String {
        let mut args = vec!["feeds", "import", path];
        args.extend(extra);
        text(&self.ok(&args).stderr)
    }

    /// The tenant's findings as (id, state).
    fn findings(&self) -> Vec<(String, Option<String>)> {
        let out = self.ok(&["findings", "list", "-t", "diest", "--format", "json"]);
        text(&out.stdout)
            .lines()
            .map(|l| {
                let v: serde_json::Value = serde_json::from_str(l).expect("json line");
                (
                    v["vuln_id"].as_str().unwrap_or_default().to_owned(),
                    v["resolution"].as_str().map(str::to_owned),
                )
            })
            .collect()
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn record(id: &str, package: &str, modified: &str, withdrawn: bool) -> String {
    let withdrawn = if withdrawn {
        format!(",\"withdrawn\":\"{modified}\"")
    } else {
        String::new()
    };
    format!(
        "{{\"id\":\"RUSTSEC-{id}\",\"modified\":\"{modified}\"{withdrawn},\"aliases\":[\"CVE-{id}\"],\
         \"affected\":[{{\"package\":{{\"ecosystem\":\"crates.io\",\"name\":\"{package}\"}},\
         \"ranges\":[{{\"type\":\"SEMVER\",\"events\":[{{\"introduced\":\"0\"}},\
         {{\"fixed\":\"1.0.1\"}}]}}]}}]}}\n"
    )
}

const BOM: &str = r#"{"bomFormat":"CycloneDX","specVersion":"1.5","components":[
  {"type":"library","name":"demo-parser","version":"1.0.0","purl":"pkg:cargo/demo-parser@1.0.0"}]}"#;

#[test]
fn a_feed_update_opens_and_resolves_findings_incrementally() {
    let d = Dir::new("update");
    d.ok(&["tenant", "add", "diest"]);
    // The first feeds have no advisory for demo-parser: no findings, and the state is saved.
    let other = d.file(
        "other.json",
        &record("2099-0001", "other-crate", "2026-01-01T00:00:00Z", false),
    );
    let err = d.feed(&other, &[]);
    assert!(
        err.contains("findings: 0 new, 0 resolved across 1 tenants (full rematch)"),
        "{err}"
    );
    let bom = d.file("bom.json", BOM);
    d.ok(&["inventory", "import", "-t", "diest", "-a", "app", &bom]);
    assert!(d.findings().is_empty());

    // A feed file adds the advisory: the finding opens through the incremental path.
    let added = record("2099-0002", "demo-parser", "2026-02-01T00:00:00Z", false);
    let path = d.file("demo.json", &added);
    let err = d.feed(&path, &[]);
    assert!(
        err.contains("findings: 1 new, 0 resolved across 1 tenants (incremental)"),
        "{err}"
    );
    assert_eq!(d.findings(), [("RUSTSEC-2099-0002".to_owned(), None)]);
    // Exposure finds it by alias right away.
    let exposure = text(
        &d.ok(&["exposure", "CVE-2099-0002", "--format", "json"])
            .stdout,
    );
    assert!(exposure.contains("demo-parser"), "{exposure}");

    // Importing the same feeds again changes nothing.
    let err = d.feed(&path, &[]);
    assert!(!err.contains("findings:"), "{err}");

    // Withdrawn: resolved, not affected.
    let path = d.file(
        "demo.json",
        &record("2099-0002", "demo-parser", "2026-03-01T00:00:00Z", true),
    );
    let err = d.feed(&path, &[]);
    assert!(
        err.contains("findings: 0 new, 1 resolved across 1 tenants (incremental)"),
        "{err}"
    );
    assert_eq!(
        d.findings(),
        [(
            "RUSTSEC-2099-0002".to_owned(),
            Some("not-affected".to_owned())
        )]
    );

    // Published again, then gone from the feed altogether (the file now carries another
    // record): a new finding opens, then resolves.
    let path = d.file(
        "demo.json",
        &record("2099-0002", "demo-parser", "2026-04-01T00:00:00Z", false),
    );
    let err = d.feed(&path, &[]);
    assert!(err.contains("findings: 1 new, 0 resolved"), "{err}");
    let path = d.file(
        "demo.json",
        &record("2099-0003", "unrelated", "2026-05-01T00:00:00Z", false),
    );
    let err = d.feed(&path, &[]);
    assert!(
        err.contains("findings: 0 new, 1 resolved across 1 tenants (incremental)"),
        "{err}"
    );
    let states: Vec<Option<String>> = d.findings().into_iter().map(|f| f.1).collect();
    assert_eq!(
        states,
        [
            Some("not-affected".to_owned()),
            Some("not-affected".to_owned())
        ]
    );

    // --no-rematch leaves the findings as they are; the next update catches up with both.
    let path = d.file(
        "demo.json",
        &record("2099-0002", "demo-parser", "2026-06-01T00:00:00Z", false),
    );
    let err = d.feed(&path, &["--no-rematch"]);
    assert!(!err.contains("findings:"), "{err}");
    assert_eq!(d.findings().iter().filter(|f| f.1.is_none()).count(), 0);
    let err = d.feed(&other, &[]);
    assert!(err.contains("findings: 1 new, 0 resolved"), "{err}");
}
