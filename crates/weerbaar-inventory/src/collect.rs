//! Inventories a live system (`/`) or a mounted root filesystem (a VM disk, an unpacked
//! container image) directly, without exporting anything first.
//!
//! # What is read
//!
//! | path under the root | read as |
//! |---|---|
//! | `etc/os-release`, else `usr/lib/os-release` | the asset's OS ([`crate::formats::os_release`]) |
//! | `etc/hostname` | the asset's name (first non-comment line) |
//! | `var/lib/dpkg/status` | Debian/Ubuntu packages ([`crate::formats::dpkg`]) |
//! | `lib/apk/db/installed`, else `usr/lib/apk/db/installed` | Alpine packages ([`crate::formats::apk`]) |
//! | `var/lib/rpm/`, else `usr/lib/sysimage/rpm/` holding `rpmdb.sqlite`, `Packages` or `Packages.db` | rpm packages, through `rpm` |
//!
//! Every package database found is read, and all packages go into **one** asset, so a file of
//! each kind on one host still gives one asset.
//!
//! # Decisions
//!
//! * **rpm.** The rpm database is binary (SQLite, Berkeley DB or ndb), so it is read by running
//!   `rpm --root ROOT --dbpath DIR -qa --qf <weerbaar's form>` (see [`crate::formats::rpm`])
//!   when an `rpm` executable is on `PATH`. Without one, or when it fails, that is an error if
//!   rpm is the only database present (the inventory would otherwise be empty); when dpkg or apk
//!   is the system's package manager, an rpm database is a by-product of the `rpm` tool being
//!   installed and is skipped rather than failing the whole collection.
//! * **Symlinks stay inside the root.** `etc/os-release` is usually a symlink, and in an image
//!   an absolute target (`/usr/lib/os-release`) must mean the image's file, not the host's.
//!   Paths are resolved component by component, re-anchoring absolute targets at the root and
//!   never letting `..` climb above it, as `chroot` would.
//! * No database at all is an error naming the paths looked for: collecting a directory that
//!   is not a root filesystem must not look like a host with nothing installed.
//! * Sources name the real path read (`/mnt/img/var/lib/dpkg/status`), or the `rpm` command.

use std::ffi::OsString;
use std::io;
use std::path::{Component as PathPart, Path, PathBuf};
use std::process::Command;

use crate::formats::{apk, dpkg, os_release, rpm, utf8};
use crate::model::{AssetKind, Component};
use crate::{
    DEFAULT_MAX_BYTES, Format, ImportError, ImportErrorKind, ImportedAsset, Inventory, read_limited,
};

/// Small files (os-release, hostname) larger than this are refused: they are a few hundred
/// bytes on every real system.
const SMALL_FILE_LIMIT: u64 = 1024 * 1024;

/// How many symlinks one path may go through, as Linux's `MAXSYMLINKS`.
const MAX_SYMLINKS: usize = 40;

const DPKG_STATUS: &str = "var/lib/dpkg/status";
const APK_INSTALLED: &[&str] = &["lib/apk/db/installed", "usr/lib/apk/db/installed"];
const RPM_DB_DIRS: &[&str] = &["var/lib/rpm", "usr/lib/sysimage/rpm"];
const RPM_DB_FILES: &[&str] = &["rpmdb.sqlite", "Packages", "Packages.db"];
const OS_RELEASE: &[&str] = &["etc/os-release", "usr/lib/os-release"];

/// Inventories the system whose root filesystem is at `root` (`/` for this host).
///
/// # Errors
/// An [`ImportError`] when no package database is found, a file cannot be read or parsed, or
/// rpm is the only database and cannot be read (see the module docs).
pub fn collect(root: &Path) -> Result<Inventory, ImportError> {
    let root_name = root.display().to_string();
    let io_error = |e: io::Error| ImportError::new(&root_name, ImportErrorKind::Io, e.to_string());
    if !root.is_dir() {
        return Err(ImportError::new(
            &root_name,
            ImportErrorKind::Io,
            "not a directory; give the root of a file system, such as / or a mounted image",
        ));
    }

    let os = match first_existing(root, OS_RELEASE).map_err(io_error)? {
        Some((shown, real)) => {
            let bytes = read_limited(&real, SMALL_FILE_LIMIT).map_err(|e| renamed(e, &shown))?;
            Some(os_release::parse(&shown, utf8(&shown, &bytes)?)?)
        }
        None => None,
    };
    let name = hostname(root).map_err(io_error)?;

    let mut components: Vec<Component> = Vec::new();
    let mut format = None;

    if let Some((shown, real)) = first_existing(root, &[DPKG_STATUS]).map_err(io_error)? {
        let bytes = read_limited(&real, DEFAULT_MAX_BYTES).map_err(|e| renamed(e, &shown))?;
        components.extend(dpkg::parse(&shown, utf8(&shown, &bytes)?)?);
        format = Some(Format::DpkgStatus);
    }
    if let Some((shown, real)) = first_existing(root, APK_INSTALLED).map_err(io_error)? {
        let bytes = read_limited(&real, DEFAULT_MAX_BYTES).map_err(|e| renamed(e, &shown))?;
        components.extend(apk::parse(&shown, utf8(&shown, &bytes)?)?);
        format.get_or_insert(Format::ApkInstalled);
    }
    if let Some(db_dir) = rpm_db_dir(root).map_err(io_error)? {
        match run_rpm(root, db_dir) {
            Ok(packages) => {
                components.extend(packages);
                format.get_or_insert(Format::RpmQa);
            }
            // Secondary rpm database on a dpkg/apk system: see the module docs.
            Err(_) if format.is_some() => {}
            Err(e) => return Err(e),
        }
    }

    let Some(format) = format else {
        let mut looked = vec![DPKG_STATUS];
        looked.extend(APK_INSTALLED);
        looked.extend(RPM_DB_DIRS);
        return Err(ImportError::new(
            &root_name,
            ImportErrorKind::UnknownFormat,
            format!(
                "no package database found under this root (looked for {})",
                looked.join(", ")
            ),
        ));
    };
    Ok(Inventory::single(
        format,
        ImportedAsset {
            name,
            kind: Some(AssetKind::Host),
            os,
            components,
            ..ImportedAsset::default()
        },
    ))
}

/// Errors from [`read_limited`] name the resolved path; users should see the path they know.
fn renamed(mut e: ImportError, shown: &str) -> ImportError {
    shown.clone_into(&mut e.file);
    e
}

/// The first of `candidates` (relative to `root`) that exists as a file: its display path
/// (`root` joined with the candidate) and its resolved real path.
fn first_existing(root: &Path, candidates: &[&str]) -> io::Result<Option<(String, PathBuf)>> {
    for candidate in candidates {
        if let Some(real) = resolve_in_root(root, Path::new(candidate))?.filter(|p| p.is_file()) {
            return Ok(Some((root.join(candidate).display().to_string(), real)));
        }
    }
    Ok(None)
}

/// The first line of `etc/hostname` that is neither blank nor a comment.
fn hostname(root: &Path) -> io::Result<Option<String>> {
    let Some((_, real)) = first_existing(root, &["etc/hostname"])? else {
        return Ok(None);
    };
    let Ok(bytes) = read_limited(&real, SMALL_FILE_LIMIT) else {
        return Ok(None);
    };
    let text = String::from_utf8_lossy(&bytes);
    Ok(text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_owned))
}

/// The rpm database directory (as rpm's `--dbpath`, absolute inside the root), if any holds a
/// database file.
fn rpm_db_dir(root: &Path) -> io::Result<Option<&'static str>> {
    for dir in RPM_DB_DIRS {
        for db_file in RPM_DB_FILES {
            let candidate = Path::new(dir).join(db_file);
            if resolve_in_root(root, &candidate)?.is_some_and(|p| p.is_file()) {
                return Ok(Some(dir));
            }
        }
    }
    Ok(None)
}

/// Runs `rpm -qa` with weerbaar's query format against the root and parses its output.
fn run_rpm(root: &Path, db_dir: &str) -> Result<Vec<Component>, ImportError> {
    let shown = format!("rpm --root {} -qa", root.display());
    let db_shown = root.join(db_dir).display().to_string();
    let Some(rpm_path) = find_on_path("rpm") else {
        return Err(ImportError::new(
            &db_shown,
            ImportErrorKind::Io,
            format!(
                "this is an rpm database, which is binary and can only be read with rpm, and no \
                 `rpm` is on PATH; install rpm, or run `rpm -qa --qf '{}'` on the host and \
                 import that output",
                rpm::QUERY_FORMAT
            ),
        ));
    };
    let output = Command::new(rpm_path)
        .arg("--root")
        .arg(root)
        .arg("--dbpath")
        .arg(Path::new("/").join(db_dir))
        .args(["-qa", "--qf", rpm::QUERY_FORMAT])
        .env("LC_ALL", "C")
        .output()
        .map_err(|e| {
            ImportError::new(
                &shown,
                ImportErrorKind::Io,
                format!("could not run rpm: {e}"),
            )
        })?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        return Err(ImportError::new(
            &shown,
            ImportErrorKind::Io,
            format!(
                "rpm failed ({}): {}",
                output.status,
                dpkg::truncate(stderr.trim())
            ),
        ));
    }
    rpm::parse(&shown, utf8(&shown, &output.stdout)?)
}

fn find_on_path(program: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(program))
        .find(|candidate| candidate.is_file())
}

/// Resolves `relative` inside `root` as if `root` were `/`: symlinks are followed, absolute
/// targets restart at `root`, and `..` stops at `root`. `None` when a component is missing.
///
/// # Errors
/// I/O errors other than "not found", and symlink loops.
pub(crate) fn resolve_in_root(root: &Path, relative: &Path) -> io::Result<Option<PathBuf>> {
    // Components still to walk, in reverse so the next one is popped from the end.
    let mut pending: Vec<OsString> = Vec::new();
    push_parts(&mut pending, relative);
    let mut resolved: Vec<OsString> = Vec::new();
    let mut symlinks = 0;

    while let Some(part) = pending.pop() {
        if part == ".." {
            resolved.pop();
            continue;
        }
        if part == "." || part.is_empty() {
            continue;
        }
        let mut candidate = root.to_path_buf();
        candidate.extend(&resolved);
        candidate.push(&part);
        let metadata = match std::fs::symlink_metadata(&candidate) {
            Ok(m) => m,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(e) if e.kind() == io::ErrorKind::NotADirectory => return Ok(None),
            Err(e) => return Err(e),
        };
        if metadata.file_type().is_symlink() {
            symlinks += 1;
            if symlinks > MAX_SYMLINKS {
                return Err(io::Error::other(format!(
                    "too many levels of symbolic links at {}",
                    candidate.display()
                )));
            }
            let target = std::fs::read_link(&candidate)?;
            if target.has_root() {
                resolved.clear();
            }
            push_parts(&mut pending, &target);
        } else {
            resolved.push(part);
        }
    }
    let mut real = root.to_path_buf();
    real.extend(&resolved);
    Ok(Some(real))
}

/// Pushes the parts of `path` onto `pending` so that its first part is popped first.
fn push_parts(pending: &mut Vec<OsString>, path: &Path) {
    let parts: Vec<OsString> = path
        .components()
        .filter_map(|c| match c {
            PathPart::Normal(p) => Some(p.to_os_string()),
            PathPart::ParentDir => Some(OsString::from("..")),
            PathPart::CurDir | PathPart::RootDir | PathPart::Prefix(_) => None,
        })
        .collect();
    pending.extend(parts.into_iter().rev());
}

#[cfg(test)]
mod tests {
    use super::*;

    struct TempDir(PathBuf);

    impl TempDir {
        fn new(tag: &str) -> Self {
            let dir = std::env::temp_dir().join(format!(
                "weerbaar-collect-{tag}-{}-{:?}",
                std::process::id(),
                std::thread::current().id()
            ));
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
            Self(dir)
        }

        fn write(&self, rel: &str, content: &str) {
            let path = self.0.join(rel);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).unwrap_or_else(|e| panic!("{e}"));
            }
            std::fs::write(path, content).unwrap_or_else(|e| panic!("{e}"));
        }
    }

    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    #[cfg(unix)]
    #[test]
    fn absolute_symlinks_stay_inside_the_root() {
        let root = TempDir::new("symlink");
        root.write("usr/lib/os-release", "ID=alpine\nVERSION_ID=3.19.1\n");
        std::fs::create_dir_all(root.0.join("etc")).unwrap_or_else(|e| panic!("{e}"));
        std::os::unix::fs::symlink("/usr/lib/os-release", root.0.join("etc/os-release"))
            .unwrap_or_else(|e| panic!("{e}"));
        std::os::unix::fs::symlink("../../../../../..", root.0.join("etc/up"))
            .unwrap_or_else(|e| panic!("{e}"));
        std::os::unix::fs::symlink("loop", root.0.join("etc/loop"))
            .unwrap_or_else(|e| panic!("{e}"));

        let real = resolve_in_root(&root.0, Path::new("etc/os-release"))
            .ok()
            .flatten();
        assert_eq!(real, Some(root.0.join("usr/lib/os-release")));
        let up = resolve_in_root(&root.0, Path::new("etc/up/usr/lib/os-release"))
            .ok()
            .flatten();
        assert_eq!(up, Some(root.0.join("usr/lib/os-release")));
        assert!(resolve_in_root(&root.0, Path::new("etc/loop")).is_err());
        assert_eq!(
            resolve_in_root(&root.0, Path::new("etc/missing")).ok(),
            Some(None)
        );
        assert_eq!(
            resolve_in_root(&root.0, Path::new("usr/lib/os-release/x")).ok(),
            Some(None)
        );
    }

    #[test]
    fn empty_root_is_an_error() {
        let root = TempDir::new("empty");
        root.write("etc/os-release", "ID=debian\n");
        let e = collect(&root.0).err();
        assert!(
            e.as_ref()
                .is_some_and(|e| e.reason.contains("no package database")),
            "{e:?}"
        );
    }
}
