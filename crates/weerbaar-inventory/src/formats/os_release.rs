//! `/etc/os-release` (or `/usr/lib/os-release`): which distribution and release a host runs.
//!
//! # Format
//!
//! freedesktop.org os-release(5): newline-separated `KEY=value` assignments in a subset of shell
//! syntax. Blank lines and lines starting with `#` are ignored. A value may be unquoted, or in
//! double quotes (where `\"`, `\\`, `` \` `` and `\$` are escapes) or single quotes (literal);
//! quoted and unquoted pieces may be juxtaposed as in shell (`"a"'b'c` is `abc`).
//!
//! # Decisions
//!
//! * The parser follows systemd's own reader (`parse_env_file`, what `hostnamectl` uses) where
//!   the specification leaves room, because that is what the distributions test their files
//!   against: whitespace around the key and after `=` is ignored, an unquoted value may contain
//!   inner spaces (`NAME=Foo Linux` is `Foo Linux`; the spec asks for quotes but some vendors
//!   forget them), trailing unquoted whitespace is dropped, `;` also starts a comment line, a
//!   backslash outside quotes escapes the next character, and the last assignment of a key wins.
//! * A line without `=`, a key that is not a shell variable name, an unterminated quote, or a
//!   trailing backslash (a continuation line, which os-release files never use) is an error
//!   naming the line.
//! * Fields: `ID` (default `linux`, as the spec says), `ID_LIKE`, `NAME` (falling back to
//!   `PRETTY_NAME`), `VERSION_ID`, and `VERSION_CODENAME` (falling back to `UBUNTU_CODENAME`,
//!   which older Ubuntu releases set instead). The result is an asset with an OS and no
//!   components; it is usually combined with a package list.

use crate::formats::dpkg::truncate;
use crate::formats::utf8;
use crate::model::{Location, OperatingSystem};
use crate::{Format, ImportError, ImportedAsset, Inventory};

/// Imports an os-release file as an asset with an operating system and no components.
///
/// # Errors
/// An [`ImportError`] naming the first malformed line.
pub fn import(file: &str, bytes: &[u8]) -> Result<Inventory, ImportError> {
    let text = utf8(file, bytes)?;
    let os = parse(file, text)?;
    Ok(Inventory::single(
        Format::OsRelease,
        ImportedAsset {
            os: Some(os),
            ..ImportedAsset::default()
        },
    ))
}

/// Parses os-release text into the operating system it describes.
pub(crate) fn parse(file: &str, text: &str) -> Result<OperatingSystem, ImportError> {
    let mut id = None;
    let mut id_like = None;
    let mut name = None;
    let mut pretty_name = None;
    let mut version_id = None;
    let mut codename = None;
    let mut ubuntu_codename = None;

    for (index, raw) in text.split('\n').enumerate() {
        let line_no = index + 1;
        let line = raw.strip_suffix('\r').unwrap_or(raw).trim_start();
        if line.is_empty() || line.starts_with(['#', ';']) {
            continue;
        }
        let (key, value) = assignment(line)
            .map_err(|reason| ImportError::syntax(file, Location::Line(line_no), reason))?;
        let slot = match key {
            "ID" => &mut id,
            "ID_LIKE" => &mut id_like,
            "NAME" => &mut name,
            "PRETTY_NAME" => &mut pretty_name,
            "VERSION_ID" => &mut version_id,
            "VERSION_CODENAME" => &mut codename,
            "UBUNTU_CODENAME" => &mut ubuntu_codename,
            _ => continue,
        };
        *slot = Some(value);
    }

    let non_empty = |v: Option<String>| v.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty());
    Ok(OperatingSystem {
        id: non_empty(id).unwrap_or_else(|| "linux".to_owned()),
        id_like: id_like
            .map(|v| v.split_whitespace().map(str::to_owned).collect())
            .unwrap_or_default(),
        name: non_empty(name).or_else(|| non_empty(pretty_name)),
        version_id: non_empty(version_id),
        codename: non_empty(codename).or_else(|| non_empty(ubuntu_codename)),
    })
}

/// Splits one `KEY=value` line and unquotes the value.
fn assignment(line: &str) -> Result<(&str, String), String> {
    let Some((key, value)) = line.split_once('=') else {
        return Err(format!("expected KEY=value, found {:?}", truncate(line)));
    };
    let key = key.trim();
    let valid_key = key
        .bytes()
        .next()
        .is_some_and(|b| b.is_ascii_alphabetic() || b == b'_')
        && key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
    if !valid_key {
        return Err(format!(
            "{:?} is not a valid variable name (letters, digits and _)",
            truncate(key)
        ));
    }
    Ok((key, unquote(value.trim_start())?))
}

/// Shell-style unquoting of one value (see the module docs for the rules).
fn unquote(value: &str) -> Result<String, String> {
    let mut out = String::with_capacity(value.len());
    // Length of `out` up to the last character that trailing-whitespace trimming must keep.
    let mut keep = 0;
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(c) => out.push(c),
                        None => return Err("unterminated single quote".to_owned()),
                    }
                }
                keep = out.len();
            }
            '"' => {
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => match chars.next() {
                            Some(c @ ('"' | '\\' | '`' | '$')) => out.push(c),
                            Some(c) => {
                                out.push('\\');
                                out.push(c);
                            }
                            None => return Err("unterminated double quote".to_owned()),
                        },
                        Some(c) => out.push(c),
                        None => return Err("unterminated double quote".to_owned()),
                    }
                }
                keep = out.len();
            }
            '\\' => match chars.next() {
                Some(c) => {
                    out.push(c);
                    keep = out.len();
                }
                None => {
                    return Err(
                        "backslash at the end of the line (continuation lines are not supported)"
                            .to_owned(),
                    );
                }
            },
            c if c.is_whitespace() => out.push(c),
            c => {
                out.push(c);
                keep = out.len();
            }
        }
    }
    out.truncate(keep);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn os(text: &str) -> OperatingSystem {
        match parse("os-release", text) {
            Ok(os) => os,
            Err(e) => panic!("{e}"),
        }
    }

    fn err_line(text: &str) -> Option<Location> {
        parse("os-release", text).err().and_then(|e| e.location)
    }

    #[test]
    fn debian() {
        let got = os(r#"PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
NAME="Debian GNU/Linux"
VERSION_ID="12"
VERSION="12 (bookworm)"
VERSION_CODENAME=bookworm
ID=debian
HOME_URL="https://www.debian.org/"
"#);
        assert_eq!(
            got,
            OperatingSystem {
                id: "debian".into(),
                id_like: vec![],
                name: Some("Debian GNU/Linux".into()),
                version_id: Some("12".into()),
                codename: Some("bookworm".into()),
            }
        );
    }

    #[test]
    fn ubuntu_and_rhel_like() {
        let u = os(
            "NAME=\"Ubuntu\"\nVERSION_ID=\"22.04\"\nID=ubuntu\nID_LIKE=debian\nUBUNTU_CODENAME=jammy\n",
        );
        assert_eq!(u.codename.as_deref(), Some("jammy"));
        assert_eq!(u.id_like, ["debian"]);
        let a = os(
            "NAME='AlmaLinux'\nID=\"almalinux\"\nID_LIKE=\"rhel centos fedora\"\nVERSION_ID=\"9.3\"\n",
        );
        assert_eq!(a.id, "almalinux");
        assert_eq!(a.id_like, ["rhel", "centos", "fedora"]);
        assert_eq!(a.version_id.as_deref(), Some("9.3"));
    }

    #[test]
    fn quoting_and_escapes() {
        assert_eq!(
            unquote(r#""a \"b\" \\ \$x \n""#).ok().as_deref(),
            Some(r#"a "b" \ $x \n"#)
        );
        assert_eq!(unquote(r#"'it''s' "x"y"#).ok().as_deref(), Some("its xy"));
        assert_eq!(unquote("Foo Linux   ").ok().as_deref(), Some("Foo Linux"));
        assert_eq!(unquote("\"x  \"  ").ok().as_deref(), Some("x  "));
        assert_eq!(unquote(r"a\ b\\").ok().as_deref(), Some(r"a b\"));
        assert_eq!(unquote("").ok().as_deref(), Some(""));
    }

    #[test]
    fn comments_blank_lines_crlf_and_defaults() {
        let first = os(
            "# comment\r\n\r\n  ; also a comment\r\n  NAME = Foo Linux \r\nPRETTY_NAME=\"Foo\"\r\n",
        );
        assert_eq!(first.id, "linux");
        assert_eq!(first.name.as_deref(), Some("Foo Linux"));
        assert_eq!(first.version_id, None);
        let os2 = os("PRETTY_NAME=\"Only Pretty\"\nID=\nID=x\n");
        assert_eq!(os2.name.as_deref(), Some("Only Pretty"));
        assert_eq!(os2.id, "x", "last assignment wins");
    }

    #[test]
    fn malformed_lines_are_located() {
        assert_eq!(
            err_line("ID=debian\nthis is wrong\n"),
            Some(Location::Line(2))
        );
        assert_eq!(
            err_line("ID=debian\n\nNAME=\"open\n"),
            Some(Location::Line(3))
        );
        assert_eq!(err_line("NAME='open\n"), Some(Location::Line(1)));
        assert_eq!(err_line("1ID=x\n"), Some(Location::Line(1)));
        assert_eq!(err_line("MY-KEY=x\n"), Some(Location::Line(1)));
        assert_eq!(err_line("=x\n"), Some(Location::Line(1)));
        assert_eq!(err_line("A=b\\\n"), Some(Location::Line(1)));
        assert_eq!(err_line("A=\"b\\\n"), Some(Location::Line(1)));
    }

    #[test]
    fn import_gives_an_asset_with_os_only() {
        let inv = match import("os-release", b"ID=alpine\nVERSION_ID=3.19.1\n") {
            Ok(inv) => inv,
            Err(e) => panic!("{e}"),
        };
        assert_eq!(inv.format, Format::OsRelease);
        assert_eq!(inv.assets.len(), 1);
        assert_eq!(inv.component_count(), 0);
        assert_eq!(
            inv.assets[0].os.as_ref().map(|o| o.id.as_str()),
            Some("alpine")
        );
    }
}
