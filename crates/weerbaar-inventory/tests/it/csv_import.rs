//! CSV exports: generated exports in the shapes real tools write, CISA's KEV CSV as a large
//! real-world RFC 4180 file, located errors, and no-panic properties.

use proptest::prelude::*;
use weerbaar_fixtures::fixture;
use weerbaar_inventory::model::{AssetKind, Criticality, Exposure, Location};
use weerbaar_inventory::{
    ColumnMap, Format, ImportErrorKind, ImportOptions, Inventory, import_bytes, import_file,
};

fn options(columns: Option<ColumnMap>) -> ImportOptions {
    ImportOptions {
        columns,
        ..ImportOptions::default()
    }
}

fn import(name: &str, bytes: &[u8], columns: Option<ColumnMap>) -> Inventory {
    import_bytes(name, bytes, &options(columns)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn preset(name: &str) -> Option<ColumnMap> {
    Some(ColumnMap::preset(name).unwrap_or_else(|| panic!("preset {name}")))
}

/// A Belgian Excel export: UTF-8 BOM, `;` separators, CRLF, quoted fields holding `;`, `"` and
/// a line break, a trailing empty column, and three machines.
const EXCEL_LANSWEEPER: &str = "\u{feff}AssetName;Domain;Software;Version;Publisher;OS;\r\n\
    PC-LOKET-01;GEMEENTE;\"Microsoft 365 Apps for enterprise - nl-nl\";16.0.17328.20162;Microsoft Corporation;Win 11;\r\n\
    PC-LOKET-01;GEMEENTE;\"7-Zip 23.01 (x64)\";23.01;\"Igor Pavlov; 7-zip.org\";Win 11;\r\n\
    SRV-BURGERZAKEN;GEMEENTE;\"Notepad++ \"\"portable\"\"\";8.6.2;Notepad++ Team;Win 2019;\r\n\
    pc-loket-01;GEMEENTE;\"Adobe Acrobat\r\n(64-bit)\";23.008.20470;Adobe;Win 11;\r\n\
    SRV-BURGERZAKEN;GEMEENTE;Google Chrome;121.0.6167.161;Google LLC;Win 2019;\r\n\
    ;;;;;;\r\n\
    PC-ONTHAAL;GEMEENTE;;;;Win 10;\r\n";

#[test]
fn belgian_excel_lansweeper_export() {
    let inventory = import(
        "software.csv",
        EXCEL_LANSWEEPER.as_bytes(),
        preset("lansweeper"),
    );
    assert_eq!(inventory.format, Format::Csv, "detected from the .csv name");
    let names: Vec<&str> = inventory
        .assets
        .iter()
        .map(|a| a.name.as_deref().unwrap_or_default())
        .collect();
    assert_eq!(names, ["PC-LOKET-01", "SRV-BURGERZAKEN", "PC-ONTHAAL"]);
    let counts: Vec<usize> = inventory
        .assets
        .iter()
        .map(|a| a.components.len())
        .collect();
    assert_eq!(counts, [3, 2, 0]);

    let loket = &inventory.assets[0];
    let os = loket.os.as_ref().expect("os");
    assert_eq!(
        (os.id.as_str(), os.version_id.as_deref()),
        ("windows", Some("11"))
    );
    let zip = &loket.components[1];
    assert_eq!(zip.name, "7-Zip 23.01 (x64)");
    assert_eq!(zip.version.as_deref(), Some("23.01"));
    assert_eq!(zip.vendor.as_deref(), Some("Igor Pavlov; 7-zip.org"));
    assert_eq!(zip.ecosystem, None);
    assert_eq!(zip.source.file, "software.csv");
    assert_eq!(zip.source.location, Location::Line(3));
    let acrobat = &loket.components[2];
    assert_eq!(acrobat.name, "Adobe Acrobat\r\n(64-bit)");
    assert_eq!(acrobat.source.location, Location::Line(5));

    let server = &inventory.assets[1];
    assert_eq!(server.components[0].name, "Notepad++ \"portable\"");
    assert_eq!(server.components[1].source.location, Location::Line(7));
    assert_eq!(
        server.os.as_ref().map(|o| o.version_id.as_deref()),
        Some(Some("2019"))
    );
}

#[test]
fn intune_raw_data_export() {
    let csv = "ApplicationKey,ApplicationName,ApplicationPublisher,ApplicationShortVersion,ApplicationVersion,DeviceId,DeviceName,OSDescription,OSVersion,Platform,UserId,EmailAddress,UserName\n\
        k1,Mozilla Firefox (x64 nl),Mozilla,122.0,122.0.1,d1,LT-0042,Windows 11 Enterprise,10.0.22631.3155,Windows,u1,jan@gemeente.example,Jan\n\
        k2,Zoom Workplace,\"Zoom Video Communications, Inc.\",5.17,5.17.5.31030,d1,LT-0042,Windows 11 Enterprise,10.0.22631.3155,Windows,u1,jan@gemeente.example,Jan\n\
        k1,Mozilla Firefox (x64 nl),Mozilla,121.0,121.0.1,d2,LT-0043,Windows 10 Enterprise,10.0.19045.3996,Windows,u2,an@gemeente.example,An\n";
    let inventory = import("AppInvRawData.csv", csv.as_bytes(), preset("intune"));
    assert_eq!(inventory.assets.len(), 2);
    let a = &inventory.assets[0];
    assert_eq!(a.name.as_deref(), Some("LT-0042"));
    assert_eq!(a.components.len(), 2);
    assert_eq!(a.components[0].version.as_deref(), Some("122.0.1"));
    assert_eq!(
        a.components[1].vendor.as_deref(),
        Some("Zoom Video Communications, Inc.")
    );
    assert_eq!(
        inventory.assets[1].os.as_ref().map(|o| o.name.as_deref()),
        Some(Some("Windows 10 Enterprise"))
    );
}

#[test]
fn native_columns_with_asset_attributes() {
    let csv = "asset\tkind\tzone\towner\tcriticality\texposure\ttags\tname\tversion\tpurl\tcpe\tecosystem\n\
        fw01\tfirewall\tDMZ\tICT\tcritical\tinternet\tperimeter|vpn\tFortiOS\t7.2.6\t\tcpe:2.3:o:fortinet:fortios:7.2.6:*:*:*:*:*:*:*\t\n\
        web01\tserver\tDMZ\tICT\thigh\tyes\tweb\tnginx\t1.24.0-2\tpkg:deb/debian/nginx@1.24.0-2\t\tDebian:12\n\
        web01\tserver\tDMZ\tICT\thigh\tyes\tweb; prod\topenssl\t3.0.11-1\t\t\tDebian:12\n\
        m365\tsaas\tcloud\tICT\tnormal\tinternet-facing\t\t\t\t\t\t\n";
    let inventory = import("assets.tsv", csv.as_bytes(), None);
    assert_eq!(inventory.assets.len(), 3);
    let fw = &inventory.assets[0];
    assert_eq!(fw.kind, Some(AssetKind::Appliance));
    assert_eq!(fw.criticality, Some(Criticality::Critical));
    assert_eq!(fw.exposure, Some(Exposure::InternetFacing));
    assert_eq!(fw.zone.as_deref(), Some("DMZ"));
    assert_eq!(fw.tags, ["perimeter", "vpn"]);
    assert!(
        fw.components[0]
            .cpe
            .as_deref()
            .is_some_and(|c| c.starts_with("cpe:2.3:o:fortinet"))
    );
    let web = &inventory.assets[1];
    assert_eq!(web.kind, Some(AssetKind::Host));
    assert_eq!(web.tags, ["web", "prod"]);
    assert_eq!(web.components[1].ecosystem.as_deref(), Some("Debian:12"));
    assert_eq!(
        web.components[0].purl.as_deref(),
        Some("pkg:deb/debian/nginx@1.24.0-2")
    );
    let saas = &inventory.assets[2];
    assert_eq!(saas.kind, Some(AssetKind::CloudService));
    assert!(saas.components.is_empty());
}

#[test]
fn asset_list_without_name_column() {
    let map = ColumnMap::parse("asset=Hostname,zone=Locatie,owner=Eigenaar").expect("map");
    let csv = "Hostname;Locatie;Eigenaar;Opmerking\nsrv-dc01;Serverzaal;ICT;\"primaire DC; niet herstarten\"\nsrv-dc02;Serverzaal;ICT;\n";
    let inventory = import("inventaris.csv", csv.as_bytes(), Some(map));
    assert_eq!(inventory.assets.len(), 2);
    assert_eq!(inventory.component_count(), 0);
    assert_eq!(inventory.assets[1].owner.as_deref(), Some("ICT"));
}

#[test]
fn windows_1252_export_is_read() {
    let mut bytes = b"Computer;Software;Uitgever\r\nPC1;Lecteur PDF;Soci".to_vec();
    bytes.extend_from_slice(b"\xE9t\xE9 G\xE9n\xE9rale\r\n");
    let map = ColumnMap::parse("asset=Computer,name=Software,vendor=Uitgever").expect("map");
    let inventory = import("export.csv", &bytes, Some(map));
    assert_eq!(
        inventory.assets[0].components[0].vendor.as_deref(),
        Some("Société Générale")
    );
}

#[test]
fn missing_mapped_column_lists_the_header() {
    let csv = "Computer;Programma;Versie\nPC1;Firefox;122.0\n";
    let err = import_bytes("export.csv", csv.as_bytes(), &options(preset("lansweeper")))
        .expect_err("missing column");
    assert_eq!(err.kind, ImportErrorKind::Invalid);
    assert_eq!(err.location, Some(Location::Line(1)));
    assert_eq!(
        err.to_string(),
        "export.csv: line 1: column \"AssetName\" or \"Asset Name\" (asset) is not in the header; \
         the header has: \"Computer\", \"Programma\", \"Versie\""
    );
}

#[test]
fn no_mapping_names_the_columns() {
    let err = import_bytes(
        "export.csv",
        b"Computer,Software\nPC1,Firefox\n",
        &options(None),
    )
    .expect_err("no map");
    assert_eq!(
        err.to_string(),
        "export.csv: line 1: CSV needs a column mapping: pass --map or --preset; found columns: \
         \"Computer\", \"Software\""
    );
}

#[test]
fn bad_criticality_names_line_and_column() {
    let map = ColumnMap::parse("asset=Toestel,name=Software,criticality=Kriticiteit").expect("map");
    let csv = "Toestel;Software;Kriticiteit\nPC1;Firefox;hoog\n";
    let err = import_bytes("export.csv", csv.as_bytes(), &options(Some(map))).expect_err("bad");
    assert_eq!(err.location, Some(Location::Line(2)));
    assert!(
        err.to_string().starts_with(
            "export.csv: line 2: column \"Kriticiteit\" (criticality): unknown criticality \"hoog\"; expected one of: low, normal, high, critical"
        ),
        "{err}"
    );
}

#[test]
fn empty_asset_cell_names_line_and_column() {
    let csv = "asset,name\npc1,a\n\"\",b\n";
    let err = import_bytes("x.csv", csv.as_bytes(), &options(None)).expect_err("empty asset");
    assert_eq!(err.location, Some(Location::Line(3)));
    assert!(err.reason.contains("\"asset\""), "{err}");
}

/// CISA's KEV catalogue as CSV: 1404 rows of quoted text with commas and quotes. Read as
/// "vendor = asset, product = component" it must give one asset per vendor and every row.
#[test]
fn kev_csv_real_file() {
    let Some(path) = fixture("kev/known_exploited_vulnerabilities.csv") else {
        return;
    };
    let map = ColumnMap::parse("asset=vendorProject,name=product,version=cveID").expect("map");
    let inventory = import_file(&path, &options(Some(map))).expect("import KEV");
    assert_eq!(inventory.component_count(), 1404);
    assert_eq!(inventory.assets.len(), 230);
    let git = &inventory.assets[0];
    assert_eq!(git.name.as_deref(), Some("Git"));
    assert_eq!(git.components[0].version.as_deref(), Some("CVE-2025-48384"));
    assert_eq!(git.components[0].source.location, Location::Line(2));
    let microsoft = inventory
        .assets
        .iter()
        .find(|a| a.name.as_deref() == Some("Microsoft"))
        .expect("Microsoft");
    assert_eq!(microsoft.components.len(), 340);
    let office = microsoft
        .components
        .iter()
        .find(|c| c.version.as_deref() == Some("CVE-2007-0671"))
        .expect("CVE-2007-0671");
    assert_eq!(office.name, "Office");
    assert_eq!(office.source.location, Location::Line(10));
    let last = inventory
        .assets
        .iter()
        .flat_map(|a| &a.components)
        .map(|c| match c.source.location {
            Location::Line(n) => n,
            _ => 0,
        })
        .max();
    assert_eq!(last, Some(1405));

    // Without a map, the KEV header is not an inventory header.
    let err = import_file(&path, &options(None)).expect_err("needs a map");
    assert!(err.reason.contains("\"cveID\", \"vendorProject\""), "{err}");
}

fn never_panics(bytes: &[u8]) {
    let maps = [
        None,
        ColumnMap::preset("weerbaar"),
        ColumnMap::preset("lansweeper"),
        ColumnMap::parse(
            "asset=a,name=b,version=c,kind?=d,criticality?=e,exposure?=f,os?=g,tags?=h,purl?=i,cpe?=j",
        )
        .ok(),
    ];
    for columns in maps {
        let options = ImportOptions {
            format: Some(Format::Csv),
            columns,
            ..ImportOptions::default()
        };
        let _ = import_bytes("fuzz.csv", bytes, &options);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        never_panics(&bytes);
    }

    #[test]
    fn csv_like_text_never_panics(
        body in "([,;\t\"\r\n |]|[a-j]|asset|name|version|kind|os|tags|sep=|pkg:|cpe:|high|host|yes|\u{feff}|\u{e9}){0,150}"
    ) {
        let header = "a,b,c,d,e,f,g,h,i,j\n";
        never_panics(body.as_bytes());
        never_panics(format!("{header}{body}").as_bytes());
        never_panics(format!("asset;name;kind;os;tags\n{body}").as_bytes());
    }

    #[test]
    fn map_parsing_never_panics(map in "([a-z?=,| ]|asset|name|\u{e9}){0,60}") {
        if let Ok(parsed) = ColumnMap::parse(&map) {
            prop_assert_eq!(ColumnMap::parse(&parsed.to_string()), Ok(parsed));
        }
    }
}
