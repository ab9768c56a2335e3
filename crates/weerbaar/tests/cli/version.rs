use crate::{text, weerbaar};

#[test]
fn compare_two_versions_prints_the_relation() {
    for (eco, a, b, want) in [
        ("Debian:12", "1:2.0~rc1-1", "1:2.0-1", "<"),
        ("debian", "2.0-1", "1:1.0-1", "<"),
        ("AlmaLinux:9", "3.0.7-25.el9", "3.0.7-24.el9_2", ">"),
        ("PyPI", "1.0", "1.0.0", "="),
        ("npm", "1.0.0-beta.11", "1.0.0-beta.2", ">"),
        ("Maven", "1.0-SNAPSHOT", "1.0", "<"),
    ] {
        let out = weerbaar(&["version", "compare", "--ecosystem", eco, a, b], "");
        assert!(out.status.success(), "{eco} {a} {b}: {}", text(&out.stderr));
        assert_eq!(text(&out.stdout), format!("{want}\n"), "{eco} {a} {b}");
    }
}

#[test]
fn compare_reads_tab_separated_pairs_from_stdin_and_keeps_going() {
    let input = "1.0\t1.1\n1.0\n2.0\t1.9\n1.0.0+a\t1.0.0+b\n";
    let out = weerbaar(&["version", "compare", "-e", "npm"], input);
    let stdout = text(&out.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 4, "{stdout}");
    assert_eq!(lines[0], "<");
    assert!(lines[1].starts_with("error: "), "{stdout}");
    assert_eq!(lines[2], ">");
    assert_eq!(lines[3], "=");
    assert_eq!(out.status.code(), Some(1), "one line failed, so exit 1");

    let out = weerbaar(&["version", "compare", "-e", "npm"], "1.0.0\t1.0.1\n");
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(text(&out.stdout), "<\n");
}

#[test]
fn an_unparseable_version_names_the_reason_and_fails() {
    let out = weerbaar(&["version", "compare", "-e", "npm", "1.0.0", "1.2.x"], "");
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    assert!(
        stdout.starts_with("error: invalid semver version \"1.2.x\""),
        "{stdout}"
    );
    assert!(stdout.contains("(at column 5)"), "{stdout}");
    assert!(
        text(&out.stderr).contains("1.2.x"),
        "the reason also goes to stderr"
    );
}

#[test]
fn an_unknown_ecosystem_is_a_usage_error_listing_the_supported_ones() {
    let out = weerbaar(&["version", "compare", "-e", "Gentoo", "1", "2"], "");
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("unknown ecosystem \"Gentoo\""), "{stderr}");
    assert!(
        stderr.contains("Debian") && stderr.contains("PyPI"),
        "{stderr}"
    );
}

#[test]
fn compare_formats_json_and_csv() {
    let out = weerbaar(
        &[
            "version", "compare", "-e", "Debian", "--format", "json", "1.0", "1.0-0",
        ],
        "",
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["result"], "=");
    assert_eq!(v["a"], "1.0");

    let out = weerbaar(
        &["version", "compare", "-e", "Debian", "--format", "csv"],
        "1\t2\n",
    );
    assert_eq!(text(&out.stdout), "line,a,b,result,error\r\n1,1,2,<,\r\n");
}

#[test]
fn sort_orders_versions_by_the_ecosystem_rules() {
    let out = weerbaar(
        &["version", "sort", "-e", "Debian"],
        "1.0\n1.0~rc1\n1:0.9\n0.9+b1\n",
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "0.9+b1\n1.0~rc1\n1.0\n1:0.9\n");

    let out = weerbaar(
        &["version", "sort", "-e", "PyPI", "-r"],
        "1.0\n1.0.post1\n1.0rc1\n",
    );
    assert_eq!(text(&out.stdout), "1.0.post1\n1.0\n1.0rc1\n");
}

#[test]
fn sort_refuses_to_print_a_partial_order() {
    let out = weerbaar(&["version", "sort", "-e", "npm"], "1.0.0\n1.x\n2.0.0\n");
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    assert!(
        text(&out.stderr).contains("line 2"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn ecosystems_lists_every_supported_name() {
    let out = weerbaar(&["version", "ecosystems", "--format", "json"], "");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let list = v.as_array().expect("array");
    assert!(
        list.iter()
            .any(|e| e["ecosystem"] == "Rocky Linux" && e["scheme"] == "rpm")
    );
    assert!(
        list.iter()
            .any(|e| e["ecosystem"] == "generic" && e["scheme"] == "generic")
    );
}

#[test]
fn every_command_has_help() {
    for args in [
        &["--help"][..],
        &["version", "--help"],
        &["version", "compare", "--help"],
        &["version", "sort", "--help"],
        &["version", "ecosystems", "--help"],
    ] {
        let out = weerbaar(args, "");
        assert!(out.status.success(), "{args:?}");
        assert!(text(&out.stdout).contains("Usage:"), "{args:?}");
    }
}
