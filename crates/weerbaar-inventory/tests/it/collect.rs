//! Collecting a live system and a mounted root filesystem.

use std::path::{Path, PathBuf};
use std::process::Command;

use weerbaar_inventory::collect::collect;
use weerbaar_inventory::model::{AssetKind, Location};
use weerbaar_inventory::{Format, ImportErrorKind, ImportOptions, import_file};

struct TempDir(PathBuf);

impl TempDir {
    fn new(tag: &str) -> Self {
        let dir =
            std::env::temp_dir().join(format!("weerbaar-it-collect-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("temp dir");
        Self(dir)
    }

    fn write(&self, rel: &str, content: &str) {
        let path = self.0.join(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, content).expect("write");
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[test]
fn this_machine_collects_like_its_status_file_imports() {
    let status = Path::new("/var/lib/dpkg/status");
    if !status.exists() {
        eprintln!("skipped: this machine has no dpkg database");
        return;
    }
    // Another process may install packages meanwhile; retry when the two reads differ.
    for attempt in 0..3 {
        let collected = collect(Path::new("/")).expect("collect /");
        let imported = import_file(status, &ImportOptions::default()).expect("import");
        if collected.component_count() != imported.component_count() && attempt < 2 {
            std::thread::sleep(std::time::Duration::from_secs(2));
            continue;
        }
        assert_eq!(collected.format, Format::DpkgStatus);
        assert_eq!(collected.assets.len(), 1);
        assert_eq!(collected.component_count(), imported.component_count());
        let asset = &collected.assets[0];
        assert_eq!(asset.kind, Some(AssetKind::Host));
        assert_eq!(
            asset.components.first(),
            imported.assets[0].components.first()
        );
        if let Ok(hostname) = std::fs::read_to_string("/etc/hostname") {
            assert_eq!(asset.name.as_deref(), Some(hostname.trim()));
        }
        if Path::new("/etc/os-release").exists() {
            let os = import_file(Path::new("/etc/os-release"), &ImportOptions::default())
                .expect("os-release");
            assert_eq!(asset.os, os.assets[0].os);
        }
        eprintln!(
            "collect(/): {} packages, os {:?}, name {:?}",
            collected.component_count(),
            asset.os,
            asset.name
        );
        return;
    }
}

#[test]
fn alpine_root_with_symlinked_os_release() {
    let root = TempDir::new("alpine");
    root.write(
        "usr/lib/os-release",
        "NAME=\"Alpine Linux\"\nID=alpine\nVERSION_ID=3.19.1\nPRETTY_NAME=\"Alpine Linux v3.19\"\n",
    );
    root.write("etc/hostname", "# set by cloud-init\nfw-gateway\n");
    root.write(
        "lib/apk/db/installed",
        "C:Q1x=\nP:musl\nV:1.2.4_git20230717-r4\nA:x86_64\no:musl\n\n\
         C:Q1y=\nP:libcrypto3\nV:3.1.4-r2\nA:x86_64\no:openssl\n",
    );
    #[cfg(unix)]
    std::os::unix::fs::symlink("/usr/lib/os-release", root.0.join("etc/os-release"))
        .expect("symlink");

    let inv = collect(&root.0).expect("collect");
    assert_eq!(inv.format, Format::ApkInstalled);
    let asset = &inv.assets[0];
    assert_eq!(asset.name.as_deref(), Some("fw-gateway"));
    let os = asset.os.clone().expect("os");
    assert_eq!(os.id, "alpine");
    assert_eq!(os.version_id.as_deref(), Some("3.19.1"));
    assert_eq!(asset.components.len(), 2);
    let crypto = &asset.components[1];
    assert_eq!(crypto.name, "libcrypto3");
    assert_eq!(crypto.source_name.as_deref(), Some("openssl"));
    assert_eq!(crypto.source.location, Location::Line(8));
    assert_eq!(
        crypto.source.file,
        root.0.join("lib/apk/db/installed").display().to_string()
    );
}

#[test]
fn dpkg_and_apk_in_one_root_merge_into_one_asset() {
    let root = TempDir::new("both");
    root.write("etc/os-release", "ID=debian\nVERSION_ID=12\n");
    root.write(
        "var/lib/dpkg/status",
        "Package: bash\nStatus: install ok installed\nVersion: 5.2.15-2+b7\nSource: bash (5.2.15-2)\n",
    );
    root.write("lib/apk/db/installed", "P:apk-tools\nV:2.14.0-r5\n");
    let inv = collect(&root.0).expect("collect");
    assert_eq!(inv.format, Format::DpkgStatus);
    assert_eq!(inv.assets.len(), 1);
    assert_eq!(inv.component_count(), 2);
    assert_eq!(inv.assets[0].name, None, "no etc/hostname");
}

#[test]
fn parse_errors_name_the_file_under_the_root() {
    let root = TempDir::new("broken");
    root.write(
        "var/lib/dpkg/status",
        "Package: a\nStatus: install ok installed\ngarbage\n",
    );
    let e = collect(&root.0).expect_err("broken status");
    assert_eq!(e.location, Some(Location::Line(3)), "{e}");
    assert_eq!(
        e.file,
        root.0.join("var/lib/dpkg/status").display().to_string()
    );
}

#[test]
fn no_database_is_an_error() {
    let root = TempDir::new("empty");
    root.write("etc/os-release", "ID=debian\n");
    let e = collect(&root.0).expect_err("nothing installed");
    assert_eq!(e.kind, ImportErrorKind::UnknownFormat);
    assert!(e.reason.contains("var/lib/dpkg/status"), "{e}");
    let e = collect(&root.0.join("missing")).expect_err("no such root");
    assert_eq!(e.kind, ImportErrorKind::Io);
}

#[test]
fn unreadable_rpm_database_fails_only_when_it_is_the_only_one() {
    let root = TempDir::new("rpmjunk");
    root.write("etc/os-release", "ID=almalinux\nVERSION_ID=9.3\n");
    root.write("var/lib/rpm/rpmdb.sqlite", "this is not a database");
    // With rpm on PATH, rpm fails on the garbage; without it, reading is impossible: either way
    // an error, because rpm is the only database.
    let e = collect(&root.0).expect_err("unreadable rpm db");
    assert!(e.reason.contains("rpm"), "{e}");

    root.write(
        "var/lib/dpkg/status",
        "Package: rpm\nStatus: install ok installed\nVersion: 4.18.0+dfsg-1+deb12u1\n",
    );
    let inv = collect(&root.0).expect("dpkg is the package manager; rpm db skipped");
    assert_eq!(inv.format, Format::DpkgStatus);
    assert_eq!(inv.component_count(), 1);
}

fn on_path(program: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|p| std::env::split_paths(&p).any(|d| d.join(program).is_file()))
}

/// A real rpm database, made with rpm itself, read through `rpm --root`.
#[test]
fn rpm_root_is_read_through_rpm() {
    if !on_path("rpm") || !on_path("rpmbuild") {
        eprintln!("skipped: rpm and rpmbuild are not installed");
        return;
    }
    let dir = TempDir::new("rpmroot");
    let top = dir.0.join("top");
    let root = dir.0.join("root");
    std::fs::create_dir_all(top.join("SPECS")).expect("mkdir");
    std::fs::create_dir_all(root.join("etc")).expect("mkdir");
    std::fs::write(
        root.join("etc/os-release"),
        "NAME=\"AlmaLinux\"\nID=\"almalinux\"\nID_LIKE=\"rhel centos fedora\"\nVERSION_ID=\"9.3\"\n",
    )
    .expect("os-release");
    let spec = top.join("SPECS/lib.spec");
    std::fs::write(
        &spec,
        "Name: weerbaar-src\nEpoch: 1\nVersion: 3.0.7\nRelease: 25.el9_3\nSummary: t\nLicense: MIT\n\
         BuildArch: noarch\n%description\nt\n\
         %package -n weerbaar-libs\nSummary: t\n%description -n weerbaar-libs\nt\n\
         %files\n%files -n weerbaar-libs\n",
    )
    .expect("spec");
    let ok = |cmd: &mut Command| {
        let out = cmd.output().expect("run");
        assert!(out.status.success(), "{cmd:?}: {out:?}");
    };
    ok(Command::new("rpmbuild")
        .arg("--define")
        .arg(format!("_topdir {}", top.display()))
        .arg("-bb")
        .arg(&spec));
    let rpm = || {
        let mut cmd = Command::new("rpm");
        cmd.arg("--root")
            .arg(&root)
            .args(["--dbpath", "/var/lib/rpm"]);
        cmd
    };
    ok(rpm().arg("--initdb"));
    ok(rpm()
        .args(["-i", "--justdb", "--nodeps", "--noscripts"])
        .arg(top.join("RPMS/noarch/weerbaar-src-3.0.7-25.el9_3.noarch.rpm"))
        .arg(top.join("RPMS/noarch/weerbaar-libs-3.0.7-25.el9_3.noarch.rpm")));

    let inv = collect(&root).expect("collect");
    assert_eq!(inv.format, Format::RpmQa);
    let asset = &inv.assets[0];
    assert_eq!(asset.os.as_ref().map(|o| o.id.as_str()), Some("almalinux"));
    let mut got: Vec<(String, String, String, String)> = asset
        .components
        .iter()
        .map(|c| {
            (
                c.name.clone(),
                c.version.clone().unwrap_or_default(),
                c.source_name.clone().unwrap_or_default(),
                c.source_version.clone().unwrap_or_default(),
            )
        })
        .collect();
    got.sort();
    let evr = "1:3.0.7-25.el9_3".to_owned();
    assert_eq!(
        got,
        [
            (
                "weerbaar-libs".into(),
                evr.clone(),
                "weerbaar-src".into(),
                evr.clone()
            ),
            (
                "weerbaar-src".into(),
                evr.clone(),
                "weerbaar-src".into(),
                evr.clone()
            ),
        ]
    );
    assert!(asset.components[0].source.file.starts_with("rpm --root "));
}
