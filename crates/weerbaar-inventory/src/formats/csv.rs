//! CSV exports of asset-inventory tools (Lansweeper, Intune, PDQ, hand-made spreadsheets).
//!
//! # Reading the file
//!
//! * RFC 4180 via the `csv` crate: quoted fields may contain separators, quotes (`""`) and line
//!   breaks. Rows may be shorter than the header (Excel drops trailing empty cells); missing
//!   cells count as empty. Rows whose cells are all empty are skipped.
//! * **Separator**: `,`, `;` or tab, whichever occurs most often (outside quotes) in the header
//!   line; ties go to `,`, then `;`. Excel in Belgian and Dutch locales writes `;`. An Excel
//!   `sep=;` first line names the separator explicitly and is honoured.
//! * **Encoding**: UTF-8 with or without BOM; UTF-16 with a BOM (Excel's "Unicode text"); any
//!   other file that is not valid UTF-8 is read as Windows-1252, which is what Excel's plain
//!   "CSV" save writes on Western-European Windows (so `Société` survives).
//! * **Lines**: locations and errors use the file's 1-based line numbers; the header is line 1
//!   (line 2 after a `sep=` line). A record with a quoted line break is reported at its first line.
//!
//! # Which column is which: [`ColumnMap`]
//!
//! A map assigns weerbaar fields to header columns; header names match case-insensitively after
//! trimming. Fields:
//!
//! | field | meaning |
//! |---|---|
//! | `asset` | asset (host) name — required in every map |
//! | `name` | component (software) name; without it the CSV is an asset list only |
//! | `version`, `vendor`, `purl`, `cpe`, `ecosystem` | component attributes, as given |
//! | `kind` | asset kind: `host`, `server`, `workstation`, `vm`, `container`, `appliance`, `firewall`, `network`, `application`, `app`, `cloud-service`, `cloud`, `saas` |
//! | `os` | operating system, free text (`Windows 11 Pro`, `Ubuntu 22.04.3 LTS`) |
//! | `zone`, `owner` | free text |
//! | `criticality` | `low`, `normal`/`medium`, `high`, `critical` |
//! | `exposure` | `internal`/`no`/`false`, `internet-facing`/`internet`/`external`/`yes`/`true` |
//! | `tags` | several tags in one cell, separated by `\|`, `;` or `,` |
//!
//! Map syntax (`--map`): `field=Column,field=Column`, e.g.
//! `asset=Computer,name=Software,version=Version,vendor=Publisher`. `field=A|B` accepts
//! whichever of the columns `A` or `B` the header has (first wins); `field?=Column` makes the
//! mapping optional (ignored when the header lacks the column). A column whose name contains
//! `,`, `=` or `|` cannot be mapped. A mapped column that is missing from the header is an error
//! that lists the header's columns.
//!
//! # Presets (`--preset`)
//!
//! | preset | export | map |
//! |---|---|---|
//! | `lansweeper` | Lansweeper report "Software: List of software by computer" (or any report built on `tblSoftware`/`tblSoftwareUni`) | `asset=AssetName\|Asset Name,name=Software\|softwareName\|Software Name,version=Version\|softwareVersion\|Software Version,vendor?=Publisher\|SoftwarePublisher\|Software Publisher,os?=OS\|OSname` |
//! | `intune` | Intune "Apps › Monitor › Discovered apps › Export", raw data (`AppInvRawData`, one row per device and app) | `asset=DeviceName\|Device name,name=ApplicationName\|Application name,version=ApplicationVersion\|Application version,vendor?=ApplicationPublisher\|Application publisher,os?=OSDescription\|OS description` |
//! | `pdq` | PDQ Inventory report with columns from the Computer and Applications tables | `asset=Computer Name\|Computer,name=Application Name,version=Application Version,vendor?=Application Publisher\|Publisher,os?=OS Name\|Computer OS Name` |
//! | `weerbaar` | weerbaar's native columns, any subset in any order | `asset=asset,name?=name,version?=version,vendor?=vendor,purl?=purl,cpe?=cpe,ecosystem?=ecosystem,kind?=kind,os?=os,zone?=zone,owner?=owner,criticality?=criticality,exposure?=exposure,tags?=tags` |
//!
//! The Lansweeper names are the column aliases of Lansweeper's built-in software reports; the
//! Intune names are those of the Graph export API's `AppInvRawData` report (and the portal's
//! display names); the PDQ names follow PDQ's default "Table Column" report captions. There is
//! no GLPI preset: GLPI's search engine has no one-row-per-installation software export whose
//! column names could be verified, so map a GLPI export's columns with `--map`. Intune's
//! aggregate "Discovered apps" export has no device column and cannot be imported.
//!
//! Without a map, a header made only of native field names (and including `asset`) is read with
//! the `weerbaar` preset; any other header is an error naming the columns found.
//!
//! # Rows
//!
//! * One asset per distinct `asset` value, in first-seen order. Host names are case-insensitive,
//!   so `PC-01` and `pc-01` are one asset (named as first seen). Its components are its rows'
//!   components in file order.
//! * An empty `asset` cell is an error. An empty `name` cell makes the row describe only the
//!   asset (a machine without software rows), unless another component column is filled, which
//!   is an error.
//! * Asset attributes (`kind`, `os`, `zone`, `owner`, `criticality`, `exposure`) may repeat on
//!   every row of the asset; different values for one asset are an error naming both lines.
//!   `tags` from all rows are merged.
//! * `kind`, `criticality` and `exposure` must be one of the keywords above; `purl` must start
//!   with `pkg:` and `cpe` with `cpe:`. Errors name the line and the column.
//! * `os` is free text turned into an [`OperatingSystem`] by keyword: `id` from the product
//!   (`windows` — also Lansweeper's `Win 10` —, `ubuntu`, `debian`, `rhel`, `centos`,
//!   `almalinux`, `rocky`, `alpine`, `sles`, `opensuse-leap`, `fedora`, `ol`, `amzn`, `macos`,
//!   `freebsd`, `esxi`, else the first word), `version_id` from the first number (Ubuntu's cut
//!   to `YY.MM` as in its os-release), `codename` from Debian's and Ubuntu's parentheses, and the
//!   text itself as `name`.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;

use crate::model::{
    AssetKind, Component, Criticality, Exposure, Location, OperatingSystem, Source,
};
use crate::{Format, ImportError, ImportErrorKind, ImportedAsset, Inventory};

/// A weerbaar field a CSV column can hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Field {
    Asset,
    Name,
    Version,
    Vendor,
    Purl,
    Cpe,
    Ecosystem,
    Kind,
    Os,
    Zone,
    Owner,
    Criticality,
    Exposure,
    Tags,
}

impl Field {
    const ALL: [Field; 14] = [
        Field::Asset,
        Field::Name,
        Field::Version,
        Field::Vendor,
        Field::Purl,
        Field::Cpe,
        Field::Ecosystem,
        Field::Kind,
        Field::Os,
        Field::Zone,
        Field::Owner,
        Field::Criticality,
        Field::Exposure,
        Field::Tags,
    ];

    const fn name(self) -> &'static str {
        match self {
            Field::Asset => "asset",
            Field::Name => "name",
            Field::Version => "version",
            Field::Vendor => "vendor",
            Field::Purl => "purl",
            Field::Cpe => "cpe",
            Field::Ecosystem => "ecosystem",
            Field::Kind => "kind",
            Field::Os => "os",
            Field::Zone => "zone",
            Field::Owner => "owner",
            Field::Criticality => "criticality",
            Field::Exposure => "exposure",
            Field::Tags => "tags",
        }
    }

    fn from_name(name: &str) -> Option<Field> {
        Field::ALL
            .into_iter()
            .find(|f| f.name().eq_ignore_ascii_case(name))
    }
}

/// One field's column: the first of `headers` that the header line has.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Mapping {
    field: Field,
    headers: Vec<String>,
    optional: bool,
}

/// Which CSV column holds which inventory field.
///
/// Written `field=Column,field=Column` (e.g. `asset=Computer,name=Software,version=Version`);
/// `field=A|B` takes whichever column the header has, `field?=Column` is used only when the
/// column exists. Fields are [`ColumnMap::FIELDS`]; `asset` is required. Header names match
/// case-insensitively after trimming. [`ColumnMap::PRESETS`] lists the built-in maps for common
/// inventory tools; the CSV importer's module documentation (`src/formats/csv.rs`) gives each
/// preset's exact columns and how rows become assets and components.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnMap {
    mappings: Vec<Mapping>,
}

/// Preset name, description, map.
const PRESET_MAPS: [(&str, &str, &str); 4] = [
    (
        "lansweeper",
        "Lansweeper software-by-computer report: AssetName, Software, Version, Publisher, OS",
        "asset=AssetName|Asset Name,name=Software|softwareName|Software Name,\
         version=Version|softwareVersion|Software Version,\
         vendor?=Publisher|SoftwarePublisher|Software Publisher,os?=OS|OSname",
    ),
    (
        "intune",
        "Intune discovered apps, raw data export (AppInvRawData): DeviceName, ApplicationName, \
         ApplicationVersion, ApplicationPublisher, OSDescription",
        "asset=DeviceName|Device name,name=ApplicationName|Application name,\
         version=ApplicationVersion|Application version,\
         vendor?=ApplicationPublisher|Application publisher,os?=OSDescription|OS description",
    ),
    (
        "pdq",
        "PDQ Inventory report: Computer Name, Application Name, Application Version, \
         Application Publisher",
        "asset=Computer Name|Computer,name=Application Name,version=Application Version,\
         vendor?=Application Publisher|Publisher,os?=OS Name|Computer OS Name",
    ),
    (
        "weerbaar",
        "weerbaar's native columns: asset, name, version, vendor, purl, cpe, ecosystem, kind, os, \
         zone, owner, criticality, exposure, tags",
        "asset=asset,name?=name,version?=version,vendor?=vendor,purl?=purl,cpe?=cpe,\
         ecosystem?=ecosystem,kind?=kind,os?=os,zone?=zone,owner?=owner,\
         criticality?=criticality,exposure?=exposure,tags?=tags",
    ),
];

impl ColumnMap {
    /// Every field name a map can use.
    pub const FIELDS: &'static [&'static str] = &[
        "asset",
        "name",
        "version",
        "vendor",
        "purl",
        "cpe",
        "ecosystem",
        "kind",
        "os",
        "zone",
        "owner",
        "criticality",
        "exposure",
        "tags",
    ];

    /// The presets, as (name, description).
    pub const PRESETS: &'static [(&'static str, &'static str)] = &[
        (PRESET_MAPS[0].0, PRESET_MAPS[0].1),
        (PRESET_MAPS[1].0, PRESET_MAPS[1].1),
        (PRESET_MAPS[2].0, PRESET_MAPS[2].1),
        (PRESET_MAPS[3].0, PRESET_MAPS[3].1),
    ];

    /// Parses `field=Column,field=Column`, as described on [`ColumnMap`].
    ///
    /// # Errors
    /// A message naming the bad pair: not `field=column`, an unknown field, an empty column, a
    /// field mapped twice, or no `asset` mapping.
    pub fn parse(map: &str) -> Result<ColumnMap, String> {
        let mut mappings: Vec<Mapping> = Vec::new();
        for pair in map.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let Some((field, columns)) = pair.split_once('=') else {
                return Err(format!("{pair:?} is not field=column"));
            };
            let field = field.trim();
            let (field, optional) = match field.strip_suffix('?') {
                Some(field) => (field.trim_end(), true),
                None => (field, false),
            };
            let Some(field) = Field::from_name(field) else {
                return Err(format!(
                    "unknown field {field:?} in {pair:?}; fields are: {}",
                    Self::FIELDS.join(", ")
                ));
            };
            let headers: Vec<String> = columns
                .split('|')
                .map(|c| c.trim().to_owned())
                .filter(|c| !c.is_empty())
                .collect();
            if headers.is_empty() {
                return Err(format!("{pair:?} names no column"));
            }
            if mappings.iter().any(|m| m.field == field) {
                return Err(format!("field {} is mapped twice", field.name()));
            }
            mappings.push(Mapping {
                field,
                headers,
                optional,
            });
        }
        match mappings.iter().find(|m| m.field == Field::Asset) {
            None => Err("the map needs asset=<column>: the column naming each asset".to_owned()),
            Some(m) if m.optional => Err("asset cannot be optional (asset?=)".to_owned()),
            Some(_) => Ok(ColumnMap { mappings }),
        }
    }

    /// The preset called `name` (case-insensitive), if there is one.
    #[must_use]
    pub fn preset(name: &str) -> Option<ColumnMap> {
        PRESET_MAPS
            .iter()
            .find(|(preset, _, _)| preset.eq_ignore_ascii_case(name.trim()))
            .and_then(|(_, _, map)| ColumnMap::parse(map).ok())
    }

    /// Finds each mapped column in the header: field → column index.
    fn resolve(
        &self,
        file: &str,
        line: usize,
        header: &[String],
    ) -> Result<HashMap<Field, (usize, String)>, ImportError> {
        let mut resolved = HashMap::new();
        for mapping in &self.mappings {
            let found = mapping.headers.iter().find_map(|wanted| {
                let wanted = wanted.to_lowercase();
                let hits: Vec<usize> = header
                    .iter()
                    .enumerate()
                    .filter(|(_, h)| h.to_lowercase() == wanted)
                    .map(|(i, _)| i)
                    .collect();
                (!hits.is_empty()).then_some(hits)
            });
            match found {
                Some(hits) if hits.len() > 1 => {
                    let positions: Vec<String> = hits.iter().map(|i| (i + 1).to_string()).collect();
                    return Err(ImportError::invalid(
                        file,
                        Location::Line(line),
                        format!(
                            "column {:?} ({}) appears more than once in the header (columns {})",
                            hits.first()
                                .and_then(|&i| header.get(i))
                                .map_or("", String::as_str),
                            mapping.field.name(),
                            positions.join(" and ")
                        ),
                    ));
                }
                Some(hits) => {
                    if let Some(&i) = hits.first() {
                        let name = header.get(i).cloned().unwrap_or_default();
                        resolved.insert(mapping.field, (i, name));
                    }
                }
                None if mapping.optional => {}
                None => {
                    let wanted: Vec<String> =
                        mapping.headers.iter().map(|h| format!("{h:?}")).collect();
                    return Err(ImportError::invalid(
                        file,
                        Location::Line(line),
                        format!(
                            "column {} ({}) is not in the header; the header has: {}",
                            wanted.join(" or "),
                            mapping.field.name(),
                            quoted_list(header)
                        ),
                    ));
                }
            }
        }
        Ok(resolved)
    }
}

impl fmt::Display for ColumnMap {
    /// The map in `--map` syntax; parsing it gives the same map back.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, m) in self.mappings.iter().enumerate() {
            if i > 0 {
                f.write_str(",")?;
            }
            let optional = if m.optional { "?" } else { "" };
            write!(f, "{}{optional}={}", m.field.name(), m.headers.join("|"))?;
        }
        Ok(())
    }
}

impl FromStr for ColumnMap {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ColumnMap::parse(s)
    }
}

fn quoted_list(items: &[String]) -> String {
    let items: Vec<String> = items
        .iter()
        .filter(|h| !h.is_empty())
        .map(|h| format!("{h:?}"))
        .collect();
    if items.is_empty() {
        "no named columns".to_owned()
    } else {
        items.join(", ")
    }
}

/// Imports a CSV export; `columns` says which column is which (see [`ColumnMap`]).
///
/// # Errors
/// An empty file, no usable mapping, a mapped column missing from the header, bad CSV quoting,
/// or a row with an empty asset, a bad keyword, or conflicting asset attributes — each naming
/// the line and column.
pub fn import(
    file: &str,
    bytes: &[u8],
    columns: Option<&ColumnMap>,
) -> Result<Inventory, ImportError> {
    let text = decode(file, bytes)?;
    let (delimiter, body, skipped_lines) = split_sep_line(&text);
    let delimiter = delimiter.unwrap_or_else(|| detect_delimiter(body));
    let mut reader = ::csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(body.as_bytes());

    let mut records = reader.records();
    let mut lines = LineCounter::new(body, skipped_lines);
    let header = match records.next() {
        None => {
            return Err(ImportError::invalid(
                file,
                Location::Line(1 + skipped_lines),
                "empty CSV: there is no header line",
            ));
        }
        Some(Err(e)) => return Err(csv_error(file, &e, &mut lines)),
        Some(Ok(header)) => header,
    };
    let header_line = lines.line_of(header.position());
    let header: Vec<String> = header.iter().map(|h| h.trim().to_owned()).collect();

    let native;
    let map = match columns {
        Some(map) => map,
        None if is_native(&header) => {
            native = ColumnMap::preset("weerbaar").ok_or_else(|| {
                ImportError::new(
                    file,
                    ImportErrorKind::Invalid,
                    "the weerbaar preset is missing",
                )
            })?;
            &native
        }
        None => {
            return Err(ImportError::invalid(
                file,
                Location::Line(header_line),
                format!(
                    "CSV needs a column mapping: pass --map or --preset; found columns: {}",
                    quoted_list(&header)
                ),
            ));
        }
    };
    let columns = map.resolve(file, header_line, &header)?;

    let mut assets: Vec<AssetBuilder> = Vec::new();
    let mut by_name: HashMap<String, usize> = HashMap::new();
    for record in records {
        let record = record.map_err(|e| csv_error(file, &e, &mut lines))?;
        let line = lines.line_of(record.position());
        if record.iter().all(|cell| cell.trim().is_empty()) {
            continue;
        }
        let row = Row {
            file,
            line,
            record: &record,
            columns: &columns,
        };
        let Some(asset_name) = row.cell(Field::Asset) else {
            return Err(row.error(Field::Asset, "is empty: every row needs an asset name"));
        };
        let index = *by_name.entry(asset_name.to_lowercase()).or_insert_with(|| {
            assets.push(AssetBuilder::new(asset_name));
            assets.len() - 1
        });
        let Some(builder) = assets.get_mut(index) else {
            continue;
        };
        builder.add_row(&row)?;
    }

    Ok(Inventory {
        format: Format::Csv,
        assets: assets.into_iter().map(|b| b.asset).collect(),
        warnings: Vec::new(),
    })
}

/// A data row and where it is.
struct Row<'a> {
    file: &'a str,
    line: usize,
    record: &'a ::csv::StringRecord,
    columns: &'a HashMap<Field, (usize, String)>,
}

impl Row<'_> {
    /// The trimmed, non-empty value of `field`'s column on this row.
    fn cell(&self, field: Field) -> Option<&str> {
        let (index, _) = self.columns.get(&field)?;
        self.record
            .get(*index)
            .map(str::trim)
            .filter(|v| !v.is_empty())
    }

    /// `column "Header" (field) <reason>`; a reason starting with `:` follows without a space.
    fn error(&self, field: Field, reason: impl fmt::Display) -> ImportError {
        let column = self
            .columns
            .get(&field)
            .map_or("", |(_, name)| name.as_str());
        let reason = reason.to_string();
        let space = if reason.starts_with(':') { "" } else { " " };
        ImportError::invalid(
            self.file,
            Location::Line(self.line),
            format!("column {column:?} ({}){space}{reason}", field.name()),
        )
    }

    fn parsed<T: FromStr<Err = String>>(&self, field: Field) -> Result<Option<T>, ImportError> {
        self.cell(field)
            .map(|v| {
                v.parse::<T>()
                    .map_err(|e| self.error(field, format!(": {e}")))
            })
            .transpose()
    }
}

/// An asset being assembled from its rows.
struct AssetBuilder {
    asset: ImportedAsset,
    /// The raw value and line of each attribute set so far, to report conflicts.
    seen: HashMap<Field, (String, usize)>,
}

impl AssetBuilder {
    fn new(name: &str) -> Self {
        Self {
            asset: ImportedAsset {
                name: Some(name.to_owned()),
                ..ImportedAsset::default()
            },
            seen: HashMap::new(),
        }
    }

    fn add_row(&mut self, row: &Row<'_>) -> Result<(), ImportError> {
        for field in [
            Field::Kind,
            Field::Os,
            Field::Zone,
            Field::Owner,
            Field::Criticality,
            Field::Exposure,
        ] {
            let Some(value) = row.cell(field) else {
                continue;
            };
            if let Some((earlier, line)) = self.seen.get(&field) {
                if earlier != value {
                    return Err(row.error(
                        field,
                        format!(
                            "is {value:?} here but {earlier:?} on line {line} for the same asset {:?}",
                            self.asset.name.as_deref().unwrap_or_default()
                        ),
                    ));
                }
                continue;
            }
            match field {
                Field::Kind => self.asset.kind = row.parsed::<AssetKind>(field)?,
                Field::Criticality => self.asset.criticality = row.parsed::<Criticality>(field)?,
                Field::Exposure => self.asset.exposure = row.parsed::<Exposure>(field)?,
                Field::Os => self.asset.os = Some(operating_system(value)),
                Field::Zone => self.asset.zone = Some(value.to_owned()),
                Field::Owner => self.asset.owner = Some(value.to_owned()),
                _ => {}
            }
            self.seen.insert(field, (value.to_owned(), row.line));
        }
        if let Some(tags) = row.cell(Field::Tags) {
            for tag in tags.split(['|', ';', ',']).map(str::trim) {
                if !tag.is_empty() && !self.asset.tags.iter().any(|t| t == tag) {
                    self.asset.tags.push(tag.to_owned());
                }
            }
        }
        self.add_component(row)
    }

    fn add_component(&mut self, row: &Row<'_>) -> Result<(), ImportError> {
        let attributes = [
            Field::Version,
            Field::Vendor,
            Field::Purl,
            Field::Cpe,
            Field::Ecosystem,
        ];
        let Some(name) = row.cell(Field::Name) else {
            if let Some(&field) = attributes.iter().find(|&&f| row.cell(f).is_some()) {
                if row.columns.contains_key(&Field::Name) {
                    return Err(row.error(
                        Field::Name,
                        format!("is empty but the row has a {}", field.name()),
                    ));
                }
                return Err(row.error(
                    field,
                    "is filled but the map has no name column for the component",
                ));
            }
            return Ok(());
        };
        let purl = row.cell(Field::Purl);
        if let Some(purl) = purl.filter(|p| !starts_with_ignore_case(p, "pkg:")) {
            return Err(row.error(Field::Purl, format!("{purl:?} is not a purl (pkg:…)")));
        }
        let cpe = row.cell(Field::Cpe);
        if let Some(cpe) = cpe.filter(|c| !starts_with_ignore_case(c, "cpe:")) {
            return Err(row.error(Field::Cpe, format!("{cpe:?} is not a CPE (cpe:…)")));
        }
        let owned = |v: Option<&str>| v.map(str::to_owned);
        self.asset.components.push(Component {
            ecosystem: owned(row.cell(Field::Ecosystem)),
            name: name.to_owned(),
            version: owned(row.cell(Field::Version)),
            purl: owned(purl),
            cpe: owned(cpe),
            vendor: owned(row.cell(Field::Vendor)),
            source_name: None,
            source_version: None,
            source: Source {
                file: row.file.to_owned(),
                location: Location::Line(row.line),
            },
        });
        Ok(())
    }
}

fn starts_with_ignore_case(s: &str, prefix: &str) -> bool {
    s.get(..prefix.len())
        .is_some_and(|p| p.eq_ignore_ascii_case(prefix))
}

/// A header of native field names only, including `asset`.
fn is_native(header: &[String]) -> bool {
    let named: Vec<&String> = header.iter().filter(|h| !h.is_empty()).collect();
    named.iter().any(|h| h.eq_ignore_ascii_case("asset"))
        && named.iter().all(|h| Field::from_name(h).is_some())
}

fn csv_error(file: &str, e: &::csv::Error, lines: &mut LineCounter<'_>) -> ImportError {
    let line = lines.line_of(e.position());
    ImportError::syntax(file, Location::Line(line), format!("bad CSV: {e}"))
}

/// Line numbers from record byte offsets. The `csv` crate's own line count is wrong for CRLF
/// files, and its byte offset for a record after a CRLF points at the `\n`, so the offset is
/// first moved past line ends — a record never starts with one, as empty lines are skipped.
struct LineCounter<'a> {
    text: &'a [u8],
    offset: usize,
    line: usize,
    skipped: usize,
}

impl<'a> LineCounter<'a> {
    fn new(text: &'a str, skipped: usize) -> Self {
        Self {
            text: text.as_bytes(),
            offset: 0,
            line: 1,
            skipped,
        }
    }

    fn line_of(&mut self, position: Option<&::csv::Position>) -> usize {
        let Some(mut target) = position.and_then(|p| usize::try_from(p.byte()).ok()) else {
            return self.line.saturating_add(self.skipped);
        };
        while self
            .text
            .get(target)
            .is_some_and(|b| matches!(b, b'\r' | b'\n'))
        {
            target += 1;
        }
        if target < self.offset {
            self.offset = 0;
            self.line = 1;
        }
        let end = target.min(self.text.len());
        self.line += self
            .text
            .get(self.offset..end)
            .map_or(0, |s| s.iter().filter(|&&b| b == b'\n').count());
        self.offset = end;
        self.line.saturating_add(self.skipped)
    }
}

/// UTF-8 (BOM optional), UTF-16 with BOM, else Windows-1252.
fn decode<'a>(file: &str, bytes: &'a [u8]) -> Result<Cow<'a, str>, ImportError> {
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        return utf16(file, rest, u16::from_le_bytes).map(Cow::Owned);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        return utf16(file, rest, u16::from_be_bytes).map(Cow::Owned);
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    Ok(match std::str::from_utf8(bytes) {
        Ok(text) => Cow::Borrowed(text),
        Err(_) => Cow::Owned(bytes.iter().map(|&b| windows_1252(b)).collect()),
    })
}

fn utf16(file: &str, bytes: &[u8], unit: fn([u8; 2]) -> u16) -> Result<String, ImportError> {
    let chunks = bytes.chunks_exact(2);
    if !chunks.remainder().is_empty() {
        let lines = bytes
            .chunks_exact(2)
            .filter(|c| to_unit(c, unit) == u16::from(b'\n'))
            .count();
        return Err(ImportError::syntax(
            file,
            Location::Line(lines + 1),
            "truncated UTF-16: odd number of bytes",
        ));
    }
    Ok(char::decode_utf16(chunks.map(|c| to_unit(c, unit)))
        .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
        .collect())
}

fn to_unit(chunk: &[u8], unit: fn([u8; 2]) -> u16) -> u16 {
    match chunk {
        [a, b] => unit([*a, *b]),
        _ => 0xFFFD,
    }
}

/// Windows-1252: Latin-1 except for 0x80–0x9F.
fn windows_1252(byte: u8) -> char {
    const HIGH: [u16; 32] = [
        0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
        0x2039, 0x0152, 0x008D, 0x017D, 0x008F, 0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
        0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
    ];
    match byte {
        0x80..=0x9F => HIGH
            .get(usize::from(byte - 0x80))
            .and_then(|&u| char::from_u32(u32::from(u)))
            .unwrap_or(char::REPLACEMENT_CHARACTER),
        _ => char::from(byte),
    }
}

/// An Excel `sep=X` first line: (separator, the rest of the text, lines skipped).
fn split_sep_line(text: &str) -> (Option<u8>, &str, usize) {
    let (first, rest) = text.split_once('\n').unwrap_or((text, ""));
    let first = first.strip_suffix('\r').unwrap_or(first);
    match first
        .strip_prefix("sep=")
        .or_else(|| first.strip_prefix("SEP="))
    {
        Some(sep) if sep.len() == 1 && sep.is_ascii() => (sep.bytes().next(), rest, 1),
        _ => (None, text, 0),
    }
}

/// The candidate separator occurring most often outside quotes on the header line.
fn detect_delimiter(text: &str) -> u8 {
    let mut counts = [(b',', 0usize), (b';', 0), (b'\t', 0)];
    let mut quoted = false;
    for byte in text.bytes() {
        match byte {
            b'"' => quoted = !quoted,
            b'\n' if !quoted => break,
            _ if !quoted => {
                if let Some(entry) = counts.iter_mut().find(|(sep, _)| *sep == byte) {
                    entry.1 += 1;
                }
            }
            _ => {}
        }
    }
    // `max_by_key` keeps the last maximum; iterate in reverse so ties go to the earlier entry.
    counts
        .iter()
        .rev()
        .max_by_key(|(_, n)| *n)
        .map_or(b',', |(sep, _)| *sep)
}

/// Free-text OS name → [`OperatingSystem`], by keyword (see the module documentation).
fn operating_system(text: &str) -> OperatingSystem {
    const IDS: [(&str, &str); 22] = [
        ("windows", "windows"),
        ("ubuntu", "ubuntu"),
        ("debian", "debian"),
        ("red hat", "rhel"),
        ("rhel", "rhel"),
        ("centos", "centos"),
        ("almalinux", "almalinux"),
        ("alma linux", "almalinux"),
        ("rocky", "rocky"),
        ("alpine", "alpine"),
        ("suse linux enterprise", "sles"),
        ("sles", "sles"),
        ("opensuse", "opensuse-leap"),
        ("fedora", "fedora"),
        ("oracle linux", "ol"),
        ("amazon linux", "amzn"),
        ("macos", "macos"),
        ("mac os", "macos"),
        ("os x", "macos"),
        ("freebsd", "freebsd"),
        ("esxi", "esxi"),
        ("vmware", "esxi"),
    ];
    let lower = text.to_lowercase();
    let id = IDS
        .iter()
        .find(|(key, _)| lower.contains(key))
        .map(|(_, id)| (*id).to_owned())
        .or_else(|| {
            (lower.starts_with("win ") || lower.starts_with("win2")).then(|| "windows".into())
        })
        .unwrap_or_else(|| {
            let word: String = lower
                .split_whitespace()
                .next()
                .unwrap_or_default()
                .chars()
                .filter(|c| c.is_alphanumeric() || *c == '-')
                .collect();
            if word.is_empty() {
                "unknown".to_owned()
            } else {
                word
            }
        });
    let mut version_id = text
        .split_whitespace()
        .find(|w| w.starts_with(|c: char| c.is_ascii_digit()))
        .map(|w| {
            w.trim_end_matches(|c: char| !c.is_ascii_alphanumeric())
                .to_owned()
        });
    if id == "ubuntu" {
        version_id = version_id.map(|v| v.split('.').take(2).collect::<Vec<_>>().join("."));
    }
    let codename = matches!(id.as_str(), "debian" | "ubuntu")
        .then(|| {
            let open = text.find('(')?;
            let inner = text.get(open + 1..)?;
            let inner = inner.get(..inner.find(')')?)?;
            inner.split_whitespace().next().map(str::to_lowercase)
        })
        .flatten();
    OperatingSystem {
        id,
        id_like: Vec::new(),
        name: Some(text.to_owned()),
        version_id,
        codename,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(s: &str) -> ColumnMap {
        ColumnMap::parse(s).expect("map")
    }

    #[test]
    fn parse_and_display_round_trip() {
        let m = map(" asset = Computer , name=Software|Programma,vendor?=Publisher ,");
        assert_eq!(
            m.to_string(),
            "asset=Computer,name=Software|Programma,vendor?=Publisher"
        );
        assert_eq!(ColumnMap::parse(&m.to_string()), Ok(m));
        for (name, _) in ColumnMap::PRESETS {
            let preset = ColumnMap::preset(name).expect(name);
            assert_eq!(ColumnMap::parse(&preset.to_string()), Ok(preset));
        }
        assert!(ColumnMap::preset("LANSWEEPER").is_some());
        assert!(ColumnMap::preset("glpi").is_none());
    }

    #[test]
    fn parse_errors_name_the_pair() {
        let err = ColumnMap::parse("asset=A,colour=B").expect_err("unknown");
        assert!(
            err.contains("\"colour\"") && err.contains("colour=B"),
            "{err}"
        );
        assert!(err.contains("criticality"), "{err}");
        let err = ColumnMap::parse("asset=A,nameSoftware").expect_err("no =");
        assert!(err.contains("\"nameSoftware\""), "{err}");
        let err = ColumnMap::parse("asset=A,name=").expect_err("empty");
        assert!(err.contains("name="), "{err}");
        let err = ColumnMap::parse("asset=A,name=B,name=C").expect_err("twice");
        assert!(err.contains("twice"), "{err}");
        let err = ColumnMap::parse("name=B").expect_err("no asset");
        assert!(err.contains("asset="), "{err}");
        assert!(ColumnMap::parse("asset?=A").is_err());
        assert!(ColumnMap::parse("").is_err());
    }

    #[test]
    fn fields_constant_matches_the_enum() {
        let names: Vec<&str> = Field::ALL.iter().map(|f| f.name()).collect();
        assert_eq!(names, ColumnMap::FIELDS);
        assert_eq!(ColumnMap::PRESETS.len(), PRESET_MAPS.len());
    }

    #[test]
    fn delimiter_detection() {
        assert_eq!(detect_delimiter("a;b;c\n1,2;3"), b';');
        assert_eq!(detect_delimiter("a,b\n"), b',');
        assert_eq!(detect_delimiter("a\tb\tc"), b'\t');
        assert_eq!(detect_delimiter("\"a;b\",c\n"), b',');
        assert_eq!(detect_delimiter("single"), b',');
        assert_eq!(detect_delimiter("a,b;c"), b',');
    }

    #[test]
    fn decoding() {
        assert_eq!(decode("f", b"\xEF\xBB\xBFa").expect("utf8"), "a");
        assert_eq!(
            decode("f", b"Soci\xE9t\xE9 \x80").expect("1252"),
            "Société €"
        );
        assert_eq!(decode("f", b"\xFF\xFEa\0;\0b\0").expect("utf16le"), "a;b");
        assert_eq!(decode("f", b"\xFE\xFF\0a").expect("utf16be"), "a");
        let err = decode("f", b"\xFF\xFEa\0\n\0b").expect_err("odd");
        assert_eq!(err.location, Some(Location::Line(2)));
    }

    #[test]
    fn os_heuristics() {
        let os = operating_system("Ubuntu 22.04.3 LTS (Jammy Jellyfish)");
        assert_eq!(
            (
                os.id.as_str(),
                os.version_id.as_deref(),
                os.codename.as_deref()
            ),
            ("ubuntu", Some("22.04"), Some("jammy"))
        );
        let os = operating_system("Debian GNU/Linux 12 (bookworm)");
        assert_eq!(
            (
                os.id.as_str(),
                os.version_id.as_deref(),
                os.codename.as_deref()
            ),
            ("debian", Some("12"), Some("bookworm"))
        );
        let os = operating_system("Microsoft Windows Server 2019 Standard");
        assert_eq!(
            (os.id.as_str(), os.version_id.as_deref()),
            ("windows", Some("2019"))
        );
        assert_eq!(
            os.name.as_deref(),
            Some("Microsoft Windows Server 2019 Standard")
        );
        let os = operating_system("Win 10");
        assert_eq!(
            (os.id.as_str(), os.version_id.as_deref()),
            ("windows", Some("10"))
        );
        let os = operating_system("Red Hat Enterprise Linux 9.3 (Plow)");
        assert_eq!(
            (
                os.id.as_str(),
                os.version_id.as_deref(),
                os.codename.as_deref()
            ),
            ("rhel", Some("9.3"), None)
        );
        assert_eq!(operating_system("Haiku R1").id, "haiku");
        assert_eq!(operating_system("!!!").id, "unknown");
    }

    #[test]
    fn native_header_without_map() {
        let csv = "asset,name,version,criticality,tags\nweb01,nginx,1.24.0,high,dmz|web\nweb01,openssl,3.0.11,,prod\n";
        let inv = import("a.csv", csv.as_bytes(), None).expect("import");
        assert_eq!(inv.assets.len(), 1);
        let a = &inv.assets[0];
        assert_eq!(a.name.as_deref(), Some("web01"));
        assert_eq!(a.criticality, Some(Criticality::High));
        assert_eq!(a.tags, ["dmz", "web", "prod"]);
        assert_eq!(a.components.len(), 2);
        assert_eq!(a.components[1].source.location, Location::Line(3));
    }

    #[test]
    fn unknown_header_without_map_is_an_error() {
        let err = import("x.csv", b"Computer;Software\npc;app\n", None).expect_err("no map");
        assert_eq!(err.location, Some(Location::Line(1)));
        assert_eq!(err.file, "x.csv");
        assert!(
            err.reason.contains("--map") && err.reason.contains("\"Computer\", \"Software\""),
            "{err}"
        );
    }

    #[test]
    fn sep_line_shifts_line_numbers() {
        let csv = "sep=;\r\nasset;name\r\npc1;app\r\n;x\r\n";
        let err = import("x.csv", csv.as_bytes(), None).expect_err("empty asset");
        assert_eq!(err.location, Some(Location::Line(4)), "{err}");
    }

    #[test]
    fn empty_input() {
        let err = import("x.csv", b"", None).expect_err("empty");
        assert_eq!(err.location, Some(Location::Line(1)));
        let inv = import("x.csv", b"asset,name\n", None).expect("header only");
        assert!(inv.assets.is_empty());
    }

    #[test]
    fn conflicts_and_orphans() {
        let csv = "asset,zone,name,version\npc1,A,app,1\nPC1,B,app2,2\n";
        let err = import("x.csv", csv.as_bytes(), None).expect_err("conflict");
        assert_eq!(err.location, Some(Location::Line(3)));
        assert!(err.reason.contains("line 2"), "{err}");
        let csv = "asset,name,version\npc1,,1.0\n";
        let err = import("x.csv", csv.as_bytes(), None).expect_err("orphan version");
        assert!(err.reason.contains("\"name\""), "{err}");
        let m = map("asset=asset,version=version");
        let err = import("x.csv", csv.as_bytes(), Some(&m)).expect_err("no name column");
        assert!(err.reason.contains("no name column"), "{err}");
    }

    #[test]
    fn purl_and_cpe_are_checked() {
        let csv = "asset,name,purl\npc1,app,npm/x@1\n";
        let err = import("x.csv", csv.as_bytes(), None).expect_err("bad purl");
        assert!(err.reason.contains("not a purl"), "{err}");
        let csv = "asset,name,cpe\npc1,app,openssl\n";
        assert!(import("x.csv", csv.as_bytes(), None).is_err());
    }

    #[test]
    fn duplicate_header_is_an_error() {
        let m = map("asset=Name,name=Software");
        let err = import("x.csv", b"Name,Software,name\n", Some(&m)).expect_err("dup");
        assert!(err.reason.contains("columns 1 and 3"), "{err}");
    }
}
