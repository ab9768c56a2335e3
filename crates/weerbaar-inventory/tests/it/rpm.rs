//! `rpm -qa` output import: both forms, detection, and real rpm output where rpm is installed.

use std::path::{Path, PathBuf};
use std::process::Command;

use proptest::prelude::*;
use weerbaar_inventory::model::Location;
use weerbaar_inventory::{Format, ImportOptions, import_bytes};

fn forced() -> ImportOptions {
    ImportOptions {
        format: Some(Format::RpmQa),
        ..ImportOptions::default()
    }
}

/// Plain `rpm -qa` as printed on an AlmaLinux 9 host (abridged).
const PLAIN: &str = "\
libgcc-11.4.1-2.1.el9.alma.x86_64
crypto-policies-20230731-1.git94f0e2c.el9_3.1.noarch
tzdata-2023c-1.el9.noarch
openssl-libs-3.0.7-25.el9_3.x86_64
gpg-pubkey-b86b3716-61e69f29
kernel-core-5.14.0-362.8.1.el9_3.x86_64
python3-dnf-4.14.0-8.el9.alma.1.noarch
";

/// The same host through weerbaar's documented `--qf` form.
const QF: &str = "\
libgcc\t0\t11.4.1\t2.1.el9.alma\tx86_64\tgcc-11.4.1-2.1.el9.alma.src.rpm
crypto-policies\t0\t20230731\t1.git94f0e2c.el9_3.1\tnoarch\tcrypto-policies-20230731-1.git94f0e2c.el9_3.1.src.rpm
openssl-libs\t1\t3.0.7\t25.el9_3\tx86_64\topenssl-3.0.7-25.el9_3.src.rpm
gpg-pubkey\t0\tb86b3716\t61e69f29\t(none)\t(none)
bind-libs\t32\t9.16.23\t14.el9_3\tx86_64\tbind-9.16.23-14.el9_3.src.rpm
";

#[test]
fn plain_form_is_detected_and_split_from_the_right() {
    let inv =
        import_bytes("rpm-qa.txt", PLAIN.as_bytes(), &ImportOptions::default()).expect("import");
    assert_eq!(inv.format, Format::RpmQa);
    let c = &inv.assets[0].components;
    assert_eq!(c.len(), 6, "gpg-pubkey is skipped");
    assert_eq!(c[0].name, "libgcc");
    assert_eq!(c[0].version.as_deref(), Some("11.4.1-2.1.el9.alma"));
    assert_eq!(c[1].name, "crypto-policies");
    assert_eq!(
        c[1].version.as_deref(),
        Some("20230731-1.git94f0e2c.el9_3.1")
    );
    assert_eq!(c[4].name, "kernel-core");
    assert_eq!(c[4].source.location, Location::Line(6));
    assert!(c.iter().all(|c| c.ecosystem.is_none() && c.purl.is_none()));
}

#[test]
fn qf_form_gives_epoch_and_source_package() {
    let inv = import_bytes("rpm-qa.tsv", QF.as_bytes(), &ImportOptions::default()).expect("import");
    assert_eq!(inv.format, Format::RpmQa);
    let c = &inv.assets[0].components;
    assert_eq!(c.len(), 4);
    assert_eq!(c[0].source_name.as_deref(), Some("gcc"));
    assert_eq!(c[0].source_version.as_deref(), Some("11.4.1-2.1.el9.alma"));
    assert_eq!(c[2].name, "openssl-libs");
    assert_eq!(c[2].version.as_deref(), Some("1:3.0.7-25.el9_3"));
    assert_eq!(c[2].source_name.as_deref(), Some("openssl"));
    assert_eq!(c[2].source_version.as_deref(), Some("1:3.0.7-25.el9_3"));
    assert_eq!(c[3].version.as_deref(), Some("32:9.16.23-14.el9_3"));
    assert_eq!(c[3].source.location, Location::Line(5));
}

#[test]
fn an_error_line_in_the_output_is_named() {
    let text = format!("{PLAIN}error: rpmdb: BDB0113 Thread/process 1234 failed\n");
    let e = import_bytes("rpm-qa.txt", text.as_bytes(), &forced()).expect_err("error line");
    assert_eq!(e.location, Some(Location::Line(8)), "{e}");
    assert!(e.to_string().starts_with("rpm-qa.txt: line 8: "), "{e}");
}

struct TempDir(PathBuf);

impl TempDir {
    fn new(tag: &str) -> Self {
        let dir =
            std::env::temp_dir().join(format!("weerbaar-it-rpm-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("temp dir");
        Self(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn on_path(program: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|p| std::env::split_paths(&p).any(|d| d.join(program).is_file()))
}

fn run(cmd: &mut Command) -> String {
    let out = cmd.output().expect("run");
    assert!(out.status.success(), "{cmd:?} failed: {out:?}");
    String::from_utf8(out.stdout).expect("utf-8")
}

/// Builds a real package with rpmbuild, installs it into a fresh database, and imports what
/// `rpm -qa` prints in both forms.
#[test]
fn real_rpm_output_in_both_forms() {
    if !on_path("rpm") || !on_path("rpmbuild") {
        eprintln!("skipped: rpm and rpmbuild are not installed");
        return;
    }
    let dir = TempDir::new("build");
    let top = dir.0.join("top");
    let root = dir.0.join("root");
    std::fs::create_dir_all(top.join("SPECS")).expect("mkdir");
    std::fs::create_dir_all(&root).expect("mkdir");
    let spec = top.join("SPECS/hello.spec");
    std::fs::write(
        &spec,
        "Name: weerbaar-hello\nEpoch: 2\nVersion: 1.0\nRelease: 3.test\nSummary: test\n\
         License: MIT\nBuildArch: noarch\n%description\ntest\n%files\n",
    )
    .expect("spec");
    run(Command::new("rpmbuild")
        .arg("--define")
        .arg(format!("_topdir {}", top.display()))
        .arg("-bb")
        .arg(&spec));
    let rpm_file = top.join("RPMS/noarch/weerbaar-hello-1.0-3.test.noarch.rpm");
    let rpm = |args: &[&str]| {
        let mut cmd = Command::new("rpm");
        cmd.arg("--root")
            .arg(&root)
            .args(["--dbpath", "/var/lib/rpm"])
            .args(args);
        cmd
    };
    run(&mut rpm(&["--initdb"]));
    run(rpm(&["-i", "--justdb", "--nodeps", "--noscripts"]).arg(&rpm_file));

    let plain = run(&mut rpm(&["-qa"]));
    let inv =
        import_bytes("rpm-qa.txt", plain.as_bytes(), &ImportOptions::default()).expect("plain");
    assert_eq!(inv.format, Format::RpmQa);
    let c = &inv.assets[0].components;
    assert_eq!(c.len(), 1, "{plain:?}");
    assert_eq!(c[0].name, "weerbaar-hello");
    assert_eq!(
        c[0].version.as_deref(),
        Some("1.0-3.test"),
        "plain form has no epoch"
    );

    let qf = run(&mut rpm(&[
        "-qa",
        "--qf",
        "%{NAME}\\t%{EPOCHNUM}\\t%{VERSION}\\t%{RELEASE}\\t%{ARCH}\\t%{SOURCERPM}\\n",
    ]));
    let inv = import_bytes("rpm-qa.tsv", qf.as_bytes(), &forced()).expect("qf");
    let c = &inv.assets[0].components;
    assert_eq!(c.len(), 1, "{qf:?}");
    assert_eq!(c[0].version.as_deref(), Some("2:1.0-3.test"));
    assert_eq!(c[0].source_name.as_deref(), Some("weerbaar-hello"));
    assert_eq!(c[0].source_version.as_deref(), Some("2:1.0-3.test"));
    assert!(Path::new(&root).join("var/lib/rpm").is_dir());
}

proptest! {
    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let _ = import_bytes("rpm", &bytes, &forced());
    }

    #[test]
    fn nevra_like_text_never_panics(
        text in "([0-9]{0,2}:?[a-z0-9_.-]{0,12}(-[0-9:.]{0,4}){0,3}(\\.(x86_64|noarch|src|el9))?\r?\n|([a-z0-9():._-]{0,6}\t){0,7}[a-z0-9().]{0,10}\n){0,20}"
    ) {
        if let Ok(inv) = import_bytes("rpm", text.as_bytes(), &forced()) {
            for c in &inv.assets[0].components {
                prop_assert!(!c.name.is_empty());
            }
        }
    }
}
