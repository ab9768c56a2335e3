//! Alpine installed-database import.

use proptest::prelude::*;
use weerbaar_inventory::model::Location;
use weerbaar_inventory::{Format, ImportOptions, import_bytes};

fn forced() -> ImportOptions {
    ImportOptions {
        format: Some(Format::ApkInstalled),
        ..ImportOptions::default()
    }
}

/// `/lib/apk/db/installed` as apk-tools writes it in an alpine:3.19 container (abridged: file
/// lists shortened).
pub const INSTALLED: &str = "\
C:Q1Deb0jNytkrjPW4N/eKLZ43BwOlw=
P:musl
V:1.2.4_git20230717-r4
A:x86_64
S:407278
I:667648
T:the musl c library (libc) implementation
U:https://musl.libc.org/
L:MIT
o:musl
m:Natanael Copa <ncopa@alpinelinux.org>
t:1701106213
c:c2fb6a4a0d8f2ce0ba6d1c1a8e6ea2ab7ccec2d3
p:so:libc.musl-x86_64.so.1=1
F:lib
R:ld-musl-x86_64.so.1
a:0:0:755
Z:Q1ELkfNSqPd6chXzLd6uDSJzPdMVI=
R:libc.musl-x86_64.so.1
a:0:0:777
Z:Q17yJ3JFNypA4mxhJJr0ou6CzsJVI=

C:Q1n4yR8qJ9Hk0NfUXwQ1Hh3U8lq2E=
P:busybox
V:1.36.1-r15
A:x86_64
S:509287
I:924672
T:Size optimized toolbox of many common UNIX utilities
U:https://busybox.net/
L:GPL-2.0-only
o:busybox
m:Sören Tempel <soeren+alpine@soeren-tempel.net>
t:1700587463
c:b1b1e0fa84b8ab0a2d8b8a1d6b2e1c1c1f0f1a2b
D:so:libc.musl-x86_64.so.1
p:/bin/sh cmd:busybox=1.36.1-r15 cmd:sh=1.36.1-r15
F:bin
R:busybox
a:0:0:755
Z:Q1WUwBY0eOGgzhOxtT0kkCZPGw1Mw=

C:Q1kbw4lpDqcJ3DXUZ4j3bVlrZ8yOY=
P:libcrypto3
V:3.1.4-r2
A:x86_64
S:1730624
I:4292608
T:Crypto library from openssl
U:https://www.openssl.org/
L:Apache-2.0
o:openssl
m:Ariadne Conill <ariadne@dereferenced.org>
t:1701375339
c:d1e2e9a0d8aa1f0ed1c4bd74b0e9d2dbaa3b0b6f
D:so:libc.musl-x86_64.so.1
p:so:libcrypto.so.3=3
F:usr/lib
R:libcrypto.so.3
a:0:0:755
Z:Q1Hk6H0A2e3E5B0o8l0h1R3b1eN3Kk0=

C:Q1nwy9y7vBv2j2jY9ZbW1oZb8pLq4=
P:ssl_client
V:1.36.1-r15
A:x86_64
o:busybox
";

#[test]
fn installed_database_is_detected_and_read() {
    let inv =
        import_bytes("installed", INSTALLED.as_bytes(), &ImportOptions::default()).expect("import");
    assert_eq!(inv.format, Format::ApkInstalled);
    let c = &inv.assets[0].components;
    assert_eq!(c.len(), 4);
    let summary: Vec<(&str, &str, &str)> = c
        .iter()
        .map(|c| {
            (
                c.name.as_str(),
                c.version.as_deref().unwrap_or(""),
                c.source_name.as_deref().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("musl", "1.2.4_git20230717-r4", "musl"),
            ("busybox", "1.36.1-r15", "busybox"),
            ("libcrypto3", "3.1.4-r2", "openssl"),
            ("ssl_client", "1.36.1-r15", "busybox"),
        ]
    );
    assert_eq!(c[0].source.location, Location::Line(2));
    assert_eq!(c[2].source.location, Location::Line(44));
    assert_eq!(c[3].source.location, Location::Line(64));
    assert!(c.iter().all(|c| c.ecosystem.as_deref() == Some("Alpine")));
}

#[test]
fn truncated_database_is_an_error_at_the_package() {
    let cut = INSTALLED.find("V:3.1.4-r2").expect("sample");
    let e =
        import_bytes("installed", &INSTALLED.as_bytes()[..cut], &forced()).expect_err("truncated");
    assert_eq!(e.location, Some(Location::Line(44)), "{e}");
}

proptest! {
    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let _ = import_bytes("installed", &bytes, &forced());
    }

    #[test]
    fn apk_like_text_never_panics(text in "([PVoACTé ]?:?[a-z0-9.:_-]{0,10}\r?\n|\n){0,30}") {
        let _ = import_bytes("installed", text.as_bytes(), &forced());
    }
}
