//! os-release import, checked against the shell's reading of this machine's file.

use std::process::Command;

use proptest::prelude::*;
use weerbaar_inventory::model::Location;
use weerbaar_inventory::{Format, ImportOptions, import_bytes, import_file};

fn forced() -> ImportOptions {
    ImportOptions {
        format: Some(Format::OsRelease),
        ..ImportOptions::default()
    }
}

/// The file is shell: `sh` sourcing it is the reference reading.
fn shell_reading(path: &str) -> Option<Vec<String>> {
    let script = format!(
        ". {path} && printf '%s\\n' \"${{ID:-linux}}\" \"$VERSION_ID\" \"${{VERSION_CODENAME:-$UBUNTU_CODENAME}}\" \"${{NAME:-$PRETTY_NAME}}\" \"$ID_LIKE\""
    );
    let out = Command::new("sh").args(["-c", &script]).output().ok()?;
    out.status.success().then(|| {
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(str::to_owned)
            .collect()
    })
}

#[test]
fn this_machines_os_release_reads_as_the_shell_reads_it() {
    for path in ["/etc/os-release", "/usr/lib/os-release"] {
        if !std::path::Path::new(path).exists() {
            eprintln!("skipped: {path} does not exist");
            continue;
        }
        let inv =
            import_file(std::path::Path::new(path), &ImportOptions::default()).expect("import");
        assert_eq!(
            inv.format,
            Format::OsRelease,
            "detected by name and content"
        );
        assert_eq!(inv.component_count(), 0);
        let os = inv.assets[0].os.clone().expect("os");
        let Some(shell) = shell_reading(path) else {
            eprintln!("skipped: sh could not source {path}");
            continue;
        };
        let opt = |s: &String| (!s.is_empty()).then(|| s.clone());
        assert_eq!(Some(&os.id), shell.first(), "{path}");
        assert_eq!(os.version_id, shell.get(1).and_then(opt), "{path}");
        assert_eq!(os.codename, shell.get(2).and_then(opt), "{path}");
        assert_eq!(os.name, shell.get(3).and_then(opt), "{path}");
        let id_like: Vec<String> = shell
            .get(4)
            .map(|s| s.split_whitespace().map(str::to_owned).collect())
            .unwrap_or_default();
        assert_eq!(os.id_like, id_like, "{path}");
        eprintln!("{path}: {os:?}");
    }
}

#[test]
fn well_known_distributions() {
    let cases: [(&str, &str, Option<&str>, Option<&str>); 4] = [
        (
            "PRETTY_NAME=\"Ubuntu 22.04.3 LTS\"\nNAME=\"Ubuntu\"\nVERSION_ID=\"22.04\"\nVERSION=\"22.04.3 LTS (Jammy Jellyfish)\"\nVERSION_CODENAME=jammy\nID=ubuntu\nID_LIKE=debian\nUBUNTU_CODENAME=jammy\n",
            "ubuntu",
            Some("22.04"),
            Some("jammy"),
        ),
        (
            "NAME=\"AlmaLinux\"\nVERSION=\"9.3 (Shamrock Pearl)\"\nID=\"almalinux\"\nID_LIKE=\"rhel centos fedora\"\nVERSION_ID=\"9.3\"\nPLATFORM_ID=\"platform:el9\"\nPRETTY_NAME=\"AlmaLinux 9.3 (Shamrock Pearl)\"\nCPE_NAME=\"cpe:/o:almalinux:almalinux:9::baseos\"\n",
            "almalinux",
            Some("9.3"),
            None,
        ),
        (
            "NAME=\"Alpine Linux\"\nID=alpine\nVERSION_ID=3.19.1\nPRETTY_NAME=\"Alpine Linux v3.19\"\nHOME_URL=\"https://alpinelinux.org/\"\n",
            "alpine",
            Some("3.19.1"),
            None,
        ),
        (
            "PRETTY_NAME=\"Debian GNU/Linux trixie/sid\"\nNAME=\"Debian GNU/Linux\"\nVERSION_CODENAME=trixie\nID=debian\n",
            "debian",
            None,
            Some("trixie"),
        ),
    ];
    for (text, id, version_id, codename) in cases {
        let inv =
            import_bytes("os-release", text.as_bytes(), &ImportOptions::default()).expect("import");
        let os = inv.assets[0].os.clone().expect("os");
        assert_eq!(os.id, id);
        assert_eq!(os.version_id.as_deref(), version_id);
        assert_eq!(os.codename.as_deref(), codename);
    }
}

#[test]
fn malformed_line_is_located() {
    let e = import_bytes(
        "os-release",
        b"ID=debian\nVERSION_ID=\"12\nNAME=x\n",
        &forced(),
    )
    .expect_err("unterminated quote");
    assert_eq!(e.location, Some(Location::Line(2)), "{e}");
}

proptest! {
    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let _ = import_bytes("os-release", &bytes, &forced());
    }

    #[test]
    fn assignment_like_text_never_panics(text in "([A-Z_ #;]{0,8}=?[\"' a-z0-9\\\\$`]{0,12}\r?\n){0,20}") {
        let _ = import_bytes("os-release", text.as_bytes(), &forced());
    }
}
