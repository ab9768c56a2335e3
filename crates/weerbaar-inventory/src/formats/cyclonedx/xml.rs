//! CycloneDX XML, read with quick-xml's streaming namespace-aware reader (no serde, no tree).
//!
//! * **Namespaces.** The root must be `<bom>` in `http://cyclonedx.org/schema/bom/1.x`; the
//!   specification version is read from that namespace (XML BOMs carry no `specVersion`). Only
//!   elements in the root's namespace are interpreted, whatever prefix they use; elements of other
//!   namespaces (extensions such as the old `dependency-graph` or `vulnerability` schemas) are
//!   skipped with everything inside them.
//! * **Locations.** Each component is located by its element path with XPath's 1-based
//!   positions, `/bom/components/component[4]/components/component[1]`; the position is always
//!   written for `component`, and for other elements only when they repeat.
//! * **Safety.** A `DOCTYPE` is refused ([`ImportErrorKind::Refused`]) as soon as it is seen:
//!   internal entities can expand exponentially ("billion laughs") and external ones read files
//!   or URLs, and CycloneDX needs neither. Without a DTD only the five predefined entities and
//!   character references exist; anything else is an error. Elements nested deeper than
//!   [`MAX_DEPTH`] are refused too, which bounds the work per element.
//! * **Errors** name the line, computed from the reader's byte position; for a component, the
//!   message also gives its element path.
//! * **Text.** Entities (`&amp;` in purls) and CDATA are decoded; line ends are normalised as
//!   XML 1.0 requires. Only UTF-8 input is read (every known producer writes it).

use std::borrow::Cow;
use std::fmt::Write as _;

use quick_xml::NsReader;
use quick_xml::XmlVersion;
use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::{BytesStart, Event};
use quick_xml::name::{Namespace, ResolveResult};

use super::{Collector, Entry, PropKey, Props, Vendors, check_spec_version};
use crate::model::{Component, Location};
use crate::{Format, ImportError, ImportErrorKind, Inventory};

const NAMESPACE_PREFIX: &str = "http://cyclonedx.org/schema/bom/";

/// The deepest element nesting accepted; real BOMs stay below 20.
pub(super) const MAX_DEPTH: usize = 256;

pub(super) fn import(file: &str, bytes: &[u8]) -> Result<Inventory, ImportError> {
    let input = crate::formats::utf8(file, bytes)?;
    let mut parser = Parser::new(file, input);
    parser.run()?;
    let mut collector = parser.collector;
    collector.components.reserve(parser.slots.len());
    for component in parser.slots.into_iter().flatten() {
        collector.add(component);
    }
    Ok(collector.finish(Format::CycloneDxXml, parser.meta))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Name,
    Version,
    Description,
    Purl,
    Cpe,
    Publisher,
    /// `<author>` as a plain string (1.2–1.5).
    Author,
}

/// An organizational entity or contact whose `<name>` is wanted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Party {
    Supplier,
    /// 1.6.
    Manufacturer,
    /// 1.6 `<authors><author>`.
    Author,
}

/// What an open element means to the importer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Bom,
    Metadata,
    /// `<components>` whose `<component>`s are imported.
    List,
    Component {
        meta: bool,
    },
    Field(Field),
    Party(Party),
    PartyName(Party),
    Authors,
    Properties,
    Property(Option<PropKey>),
    /// Anything else, and everything inside it.
    Ignore,
}

impl Role {
    /// Whether the element's text is wanted.
    fn captures(self) -> bool {
        matches!(
            self,
            Role::Field(_) | Role::PartyName(_) | Role::Property(_)
        )
    }
}

#[derive(Debug)]
struct Frame {
    role: Role,
    /// The length of the element path before this element's step was appended.
    path_len: usize,
    /// Children seen so far, for XPath positions.
    metadata: u32,
    components: u32,
    component: u32,
}

/// A component whose end tag has not been read yet.
#[derive(Debug, Default)]
struct Builder<'a> {
    meta: bool,
    /// Index in `Parser::slots`, reserved at the start tag to keep document order.
    slot: usize,
    /// Byte position of the start tag.
    start: u64,
    path: String,
    kind: Option<Cow<'a, str>>,
    name: Option<Cow<'a, str>>,
    version: Option<Cow<'a, str>>,
    description: Option<Cow<'a, str>>,
    purl: Option<Cow<'a, str>>,
    cpe: Option<Cow<'a, str>>,
    vendors: Vendors<'a>,
    props: Props<'a>,
}

/// How an element's namespace relates to the document's CycloneDX namespace.
enum Ns {
    CycloneDx,
    Foreign,
    /// The root element, with its namespace if bound.
    Root(Option<String>),
}

struct Parser<'a, 'f> {
    file: &'f str,
    input: &'a str,
    reader: NsReader<&'a [u8]>,
    /// The CycloneDX namespace declared by the root.
    namespace: Option<String>,
    stack: Vec<Frame>,
    path: String,
    builders: Vec<Builder<'a>>,
    collector: Collector<'f>,
    /// Components in document order (of their start tags); `None` until the end tag, and for
    /// types that are not software.
    slots: Vec<Option<Component>>,
    meta: Option<Entry<'a>>,
    meta_seen: bool,
    /// Text of the capturing element being read.
    text: Option<Cow<'a, str>>,
    root_done: bool,
}

impl<'a, 'f> Parser<'a, 'f> {
    fn new(file: &'f str, input: &'a str) -> Self {
        Self {
            file,
            input,
            reader: NsReader::from_str(input),
            namespace: None,
            stack: Vec::new(),
            path: String::with_capacity(128),
            builders: Vec::new(),
            collector: Collector::new(file),
            slots: Vec::new(),
            meta: None,
            meta_seen: false,
            text: None,
            root_done: false,
        }
    }

    fn run(&mut self) -> Result<(), ImportError> {
        loop {
            let start = self.reader.buffer_position();
            let (resolved, event) = match self.reader.read_resolved_event() {
                Ok(read) => read,
                Err(e) => {
                    let line = line_at(self.input, self.reader.error_position());
                    return Err(ImportError::syntax(
                        self.file,
                        Location::Line(line),
                        format!("malformed XML: {e}"),
                    ));
                }
            };
            let ns = match resolved {
                ResolveResult::Bound(Namespace(n)) if self.namespace.as_deref() == Some(n) => {
                    Ns::CycloneDx
                }
                ResolveResult::Bound(Namespace(n)) if self.stack.is_empty() => {
                    Ns::Root(Some(n.to_owned()))
                }
                _ if self.stack.is_empty() => Ns::Root(None),
                _ => Ns::Foreign,
            };
            match event {
                Event::Start(e) => self.start(&e, ns, start)?,
                Event::Empty(e) => {
                    self.start(&e, ns, start)?;
                    self.end()?;
                }
                Event::End(_) => self.end()?,
                Event::Text(t) => self.text(t.xml10_content(), start)?,
                Event::CData(c) => self.text(c.xml10_content(), start)?,
                Event::GeneralRef(r) => {
                    let piece = match r.resolve_char_ref() {
                        Ok(Some(c)) => Cow::Owned(c.to_string()),
                        Ok(None) => match resolve_predefined_entity(&r) {
                            Some(s) => Cow::Borrowed(s),
                            None => {
                                return Err(self.syntax_at(
                                    start,
                                    format!(
                                        "undefined entity &{};: only the XML predefined entities \
                                         are known, as DTDs are not read",
                                        &*r
                                    ),
                                ));
                            }
                        },
                        Err(e) => {
                            return Err(
                                self.syntax_at(start, format!("bad character reference: {e}"))
                            );
                        }
                    };
                    self.text(piece, start)?;
                }
                Event::DocType(_) => {
                    return Err(ImportError::new(
                        self.file,
                        ImportErrorKind::Refused,
                        "DOCTYPE declarations are refused: their entities can expand without \
                         bound (\"billion laughs\") or read external files, and CycloneDX needs \
                         none",
                    )
                    .at(Location::Line(line_at(self.input, start))));
                }
                Event::Decl(_) | Event::PI(_) | Event::Comment(_) => {}
                Event::Eof => break,
            }
        }
        if !self.stack.is_empty() {
            return Err(self.syntax_at(
                self.reader.buffer_position(),
                format!(
                    "the document ends inside {}: the file is truncated",
                    if self.path.is_empty() {
                        "an element"
                    } else {
                        &self.path
                    }
                ),
            ));
        }
        if !self.root_done {
            return Err(ImportError::new(
                self.file,
                ImportErrorKind::UnknownFormat,
                "not a CycloneDX BOM: the document has no <bom> element",
            ));
        }
        Ok(())
    }

    fn start(&mut self, e: &BytesStart<'_>, ns: Ns, pos: u64) -> Result<(), ImportError> {
        if self.stack.len() >= MAX_DEPTH {
            return Err(ImportError::new(
                self.file,
                ImportErrorKind::Refused,
                format!("elements are nested more than {MAX_DEPTH} deep"),
            )
            .at(Location::Line(line_at(self.input, pos))));
        }
        let local_name = e.local_name();
        let local = local_name.into_inner();
        let Some(parent) = self.stack.last_mut() else {
            return self.root(local, ns, pos);
        };
        let parent_role = parent.role;
        let role = match ns {
            Ns::CycloneDx => child_role(parent_role, local),
            Ns::Foreign | Ns::Root(_) => Role::Ignore,
        };
        let path_len = self.path.len();
        let step = match role {
            Role::Metadata => Some(("metadata", bump(&mut parent.metadata), false)),
            Role::List => Some(("components", bump(&mut parent.components), false)),
            // The metadata component is unique, so it goes without a position.
            Role::Component { meta } => Some(("component", bump(&mut parent.component), !meta)),
            _ => None,
        };
        if let Some((name, n, always)) = step {
            self.path.push('/');
            self.path.push_str(name);
            if always || n > 1 {
                let _ = write!(self.path, "[{n}]");
            }
        }
        let role = match role {
            Role::Component { meta } => {
                self.open_component(e, meta, pos)?;
                role
            }
            Role::Property(_) => Role::Property(
                self.attribute(e, "name", pos)?
                    .and_then(|n| PropKey::of(n.trim())),
            ),
            _ => role,
        };
        if role.captures() {
            self.text = None;
        }
        self.stack.push(Frame {
            role,
            path_len,
            metadata: 0,
            components: 0,
            component: 0,
        });
        Ok(())
    }

    fn root(&mut self, local: &str, ns: Ns, pos: u64) -> Result<(), ImportError> {
        let line = Location::Line(line_at(self.input, pos));
        if self.root_done {
            return Err(ImportError::syntax(
                self.file,
                line,
                format!("a second root element <{local}> after </bom>"),
            ));
        }
        let namespace = match ns {
            Ns::Root(Some(n)) if local == "bom" && n.starts_with(NAMESPACE_PREFIX) => n,
            Ns::Root(Some(n)) if local == "bom" => {
                return Err(ImportError::new(
                    self.file,
                    ImportErrorKind::UnknownFormat,
                    format!(
                        "not a CycloneDX BOM: <bom> is in namespace {n:?}, expected \
                         {NAMESPACE_PREFIX}1.x"
                    ),
                )
                .at(line));
            }
            _ if local == "bom" => {
                return Err(ImportError::new(
                    self.file,
                    ImportErrorKind::UnknownFormat,
                    format!(
                        "not a CycloneDX BOM: <bom> has no namespace, so its specification \
                         version is unknown (expected xmlns=\"{NAMESPACE_PREFIX}1.x\")"
                    ),
                )
                .at(line));
            }
            _ => {
                return Err(ImportError::new(
                    self.file,
                    ImportErrorKind::UnknownFormat,
                    format!("not a CycloneDX BOM: the root element is <{local}>, expected <bom>"),
                )
                .at(line));
            }
        };
        check_spec_version(
            self.file,
            namespace.get(NAMESPACE_PREFIX.len()..).unwrap_or_default(),
            line,
        )?;
        self.namespace = Some(namespace);
        self.path.push_str("/bom");
        self.stack.push(Frame {
            role: Role::Bom,
            path_len: 0,
            metadata: 0,
            components: 0,
            component: 0,
        });
        Ok(())
    }

    fn open_component(
        &mut self,
        e: &BytesStart<'_>,
        meta: bool,
        pos: u64,
    ) -> Result<(), ImportError> {
        if meta {
            if self.meta_seen {
                return Err(ImportError::invalid(
                    self.file,
                    Location::Line(line_at(self.input, pos)),
                    format!("{}: a second <component> in <metadata>", self.path),
                ));
            }
            self.meta_seen = true;
        }
        let kind = self.attribute(e, "type", pos)?.map(Cow::Owned);
        let slot = self.slots.len();
        if !meta {
            self.slots.push(None);
        }
        self.builders.push(Builder {
            meta,
            slot,
            start: pos,
            path: self.path.clone(),
            kind,
            ..Builder::default()
        });
        Ok(())
    }

    /// The decoded value of the unprefixed attribute `name`.
    fn attribute(
        &self,
        e: &BytesStart<'_>,
        name: &str,
        pos: u64,
    ) -> Result<Option<String>, ImportError> {
        for attribute in e.attributes() {
            let attribute = attribute
                .map_err(|err| self.syntax_at(pos, format!("malformed attribute: {err}")))?;
            if attribute.key.into_inner() == name {
                let value = attribute
                    .normalized_value(XmlVersion::Implicit1_0)
                    .map_err(|err| self.syntax_at(pos, format!("attribute {name}: {err}")))?;
                return Ok(Some(value.into_owned()));
            }
        }
        Ok(None)
    }

    fn text(&mut self, piece: Cow<'a, str>, pos: u64) -> Result<(), ImportError> {
        match self.stack.last() {
            Some(frame) if frame.role.captures() => match &mut self.text {
                None => self.text = Some(piece),
                Some(text) => text.to_mut().push_str(&piece),
            },
            Some(_) => {}
            None if piece.trim().is_empty() => {}
            None => {
                return Err(self.syntax_at(pos, "text outside the root element"));
            }
        }
        Ok(())
    }

    fn end(&mut self) -> Result<(), ImportError> {
        let Some(frame) = self.stack.pop() else {
            // quick-xml reports unmatched end tags itself; nothing to undo here.
            return Ok(());
        };
        self.path.truncate(frame.path_len);
        match frame.role {
            Role::Bom => self.root_done = true,
            Role::Component { .. } => self.close_component()?,
            Role::Field(field) => {
                let text = self.text.take().unwrap_or_default();
                let Some(b) = self.builders.last_mut() else {
                    return Ok(());
                };
                let (slot, unique) = match field {
                    Field::Name => (&mut b.name, true),
                    Field::Version => (&mut b.version, true),
                    Field::Purl => (&mut b.purl, true),
                    Field::Cpe => (&mut b.cpe, true),
                    Field::Description => (&mut b.description, false),
                    Field::Publisher => (&mut b.vendors.publisher, false),
                    Field::Author => (&mut b.vendors.author, false),
                };
                if slot.is_none() {
                    *slot = Some(text);
                } else if unique {
                    let (start, path) = (b.start, b.path.clone());
                    return Err(ImportError::invalid(
                        self.file,
                        Location::Line(line_at(self.input, start)),
                        format!(
                            "{path}: the component has more than one <{}>",
                            field_name(field)
                        ),
                    ));
                }
            }
            Role::PartyName(party) => {
                let text = self.text.take();
                if let Some(b) = self.builders.last_mut() {
                    let slot = match party {
                        Party::Supplier => &mut b.vendors.supplier,
                        Party::Manufacturer => &mut b.vendors.manufacturer,
                        Party::Author => &mut b.vendors.first_author,
                    };
                    if slot.is_none() {
                        *slot = text;
                    }
                }
            }
            Role::Property(key) => {
                let text = self.text.take().unwrap_or_default();
                if let (Some(key), Some(b)) = (key, self.builders.last_mut()) {
                    b.props.set(key, text);
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn close_component(&mut self) -> Result<(), ImportError> {
        let Some(b) = self.builders.pop() else {
            return Ok(());
        };
        let Some(name) = b.name else {
            return Err(ImportError::invalid(
                self.file,
                Location::Line(line_at(self.input, b.start)),
                format!("{}: the component has no <name>", b.path),
            ));
        };
        let entry = Entry {
            kind: b.kind,
            name,
            version: b.version,
            description: b.description,
            purl: b.purl,
            cpe: b.cpe,
            vendors: b.vendors,
            props: b.props,
            location: Location::Element(b.path),
        };
        if b.meta {
            self.meta = Some(entry);
        } else {
            let component = self.collector.convert(entry, b.slot);
            if let Some(slot) = self.slots.get_mut(b.slot) {
                *slot = component;
            }
        }
        Ok(())
    }

    fn syntax_at(&self, pos: u64, reason: impl Into<String>) -> ImportError {
        ImportError::syntax(self.file, Location::Line(line_at(self.input, pos)), reason)
    }
}

/// The meaning of a CycloneDX element `local` inside an element of role `parent`.
fn child_role(parent: Role, local: &str) -> Role {
    match (parent, local) {
        (Role::Bom, "metadata") => Role::Metadata,
        (Role::Bom, "components") | (Role::Component { .. }, "components") => Role::List,
        (Role::Metadata, "component") => Role::Component { meta: true },
        (Role::List, "component") => Role::Component { meta: false },
        (Role::Component { .. }, field) => match field {
            "name" => Role::Field(Field::Name),
            "version" => Role::Field(Field::Version),
            "description" => Role::Field(Field::Description),
            "purl" => Role::Field(Field::Purl),
            "cpe" => Role::Field(Field::Cpe),
            "publisher" => Role::Field(Field::Publisher),
            "author" => Role::Field(Field::Author),
            "supplier" => Role::Party(Party::Supplier),
            "manufacturer" => Role::Party(Party::Manufacturer),
            "authors" => Role::Authors,
            "properties" => Role::Properties,
            _ => Role::Ignore,
        },
        (Role::Party(party), "name") => Role::PartyName(party),
        (Role::Authors, "author") => Role::Party(Party::Author),
        (Role::Properties, "property") => Role::Property(None),
        _ => Role::Ignore,
    }
}

fn field_name(field: Field) -> &'static str {
    match field {
        Field::Name => "name",
        Field::Version => "version",
        Field::Description => "description",
        Field::Purl => "purl",
        Field::Cpe => "cpe",
        Field::Publisher => "publisher",
        Field::Author => "author",
    }
}

fn bump(count: &mut u32) -> u32 {
    *count = count.saturating_add(1);
    *count
}

/// The 1-based line of byte offset `pos`.
fn line_at(input: &str, pos: u64) -> usize {
    let end = usize::try_from(pos).unwrap_or(usize::MAX).min(input.len());
    let bytes = input.as_bytes();
    bytes
        .get(..end)
        .unwrap_or(bytes)
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::AssetKind;

    fn import_str(xml: &str) -> Result<Inventory, ImportError> {
        import("bom.xml", xml.as_bytes())
    }

    fn bom(version: &str, body: &str) -> String {
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<bom xmlns=\"http://cyclonedx.org/schema/bom/{version}\" version=\"1\">\n{body}\n</bom>\n"
        )
    }

    #[test]
    fn every_spec_version_namespace_is_read() {
        for version in ["1.0", "1.1", "1.2", "1.3", "1.4", "1.5", "1.6", "1.7"] {
            let xml = bom(
                version,
                "<components><component type=\"library\"><name>a</name><version>1</version></component></components>",
            );
            let inv = import_str(&xml).unwrap_or_else(|e| panic!("{version}: {e}"));
            assert_eq!(inv.component_count(), 1, "{version}");
        }
        let err = import_str(&bom("2.0", "")).expect_err("2.0");
        assert_eq!(err.kind, ImportErrorKind::UnknownFormat);
        assert_eq!(err.location, Some(Location::Line(2)));
    }

    #[test]
    fn nested_components_paths_and_entities() {
        let xml = bom(
            "1.5",
            r#"<metadata>
  <tools><components><component type="application"><name>syft</name></component></components></tools>
  <component type="device"><name>router</name><version>2</version>
    <components><component type="firmware"><name>fw</name></component></components>
  </component>
</metadata>
<components>
  <component type="library" bom-ref="a"><name>a</name><version>1</version>
    <purl>pkg:apk/alpine/a@1?arch=x86_64&amp;distro=alpine-3.17.2&#38;x=&#x31;</purl>
    <pedigree><ancestors><component type="library"><name>ancestor</name></component></ancestors></pedigree>
  </component>
  <component type="application"><name><![CDATA[b & <c>]]></name>
    <components>
      <component type="library"><name>c</name></component>
      <component type="library"><name>d</name>
        <components><component type="library"><name>e</name></component></components>
      </component>
    </components>
  </component>
</components>"#,
        );
        let inv = import_str(&xml).expect("import");
        let asset = &inv.assets[0];
        assert_eq!(asset.name.as_deref(), Some("router"));
        assert_eq!(asset.kind, Some(AssetKind::Appliance));
        let got: Vec<(&str, String)> = asset
            .components
            .iter()
            .map(|c| (c.name.as_str(), c.source.location.to_string()))
            .collect();
        assert_eq!(
            got,
            [
                (
                    "fw",
                    "/bom/metadata/component/components/component[1]".to_owned()
                ),
                ("a", "/bom/components/component[1]".to_owned()),
                ("b & <c>", "/bom/components/component[2]".to_owned()),
                (
                    "c",
                    "/bom/components/component[2]/components/component[1]".to_owned()
                ),
                (
                    "d",
                    "/bom/components/component[2]/components/component[2]".to_owned()
                ),
                (
                    "e",
                    "/bom/components/component[2]/components/component[2]/components/component[1]"
                        .to_owned()
                ),
            ]
        );
        assert_eq!(
            asset.components[1].purl.as_deref(),
            Some("pkg:apk/alpine/a@1?arch=x86_64&distro=alpine-3.17.2&x=1")
        );
    }

    #[test]
    fn prefixed_namespace_and_foreign_elements() {
        let xml = r#"<?xml version="1.0"?>
<cdx:bom xmlns:cdx="http://cyclonedx.org/schema/bom/1.3" xmlns:x="urn:other">
  <cdx:components>
    <x:component><cdx:name>foreign</cdx:name></x:component>
    <cdx:component type="library"><cdx:name>a</cdx:name><x:name>ignored</x:name>
      <cdx:supplier><cdx:name>Sup</cdx:name></cdx:supplier></cdx:component>
    <component type="library"><name>unbound, not CycloneDX</name></component>
    <cdx:component type="library"><cdx:name>b</cdx:name><cdx:author>Au</cdx:author></cdx:component>
  </cdx:components>
</cdx:bom>"#;
        let inv = import_str(xml).expect("import");
        let c = &inv.assets[0].components;
        assert_eq!(c.len(), 2, "{c:#?}");
        assert_eq!(c[0].name, "a");
        assert_eq!(c[0].vendor.as_deref(), Some("Sup"));
        assert_eq!(
            c[1].source.location,
            Location::Element("/bom/components/component[2]".into())
        );
        assert_eq!(c[1].vendor.as_deref(), Some("Au"));
    }

    #[test]
    fn properties_and_operating_system() {
        let xml = bom(
            "1.4",
            r#"<metadata><component type="container"><name>postgres:11</name></component></metadata>
<components>
  <component type="library"><name>libuuid1</name><version>2.29.2-1+deb9u1</version>
    <publisher>Debian</publisher>
    <properties>
      <property name="syft:metadata:source">util-linux</property>
      <property name="syft:metadata:sourceVersion">2.29.2-1+deb9u1</property>
    </properties>
  </component>
  <component type="operating-system"><name>debian</name><version>9</version>
    <description>Debian GNU/Linux 9 (stretch)</description>
    <properties>
      <property name="syft:distro:id">debian</property>
      <property name="syft:distro:idLike:0">x y</property>
      <property name="syft:distro:versionCodename">stretch</property>
    </properties>
  </component>
</components>"#,
        );
        let inv = import_str(&xml).expect("import");
        let asset = &inv.assets[0];
        assert_eq!(asset.kind, Some(AssetKind::Host));
        let os = asset.os.as_ref().expect("os");
        assert_eq!(os.id, "debian");
        assert_eq!(os.version_id.as_deref(), Some("9"));
        assert_eq!(os.codename.as_deref(), Some("stretch"));
        assert_eq!(os.name.as_deref(), Some("Debian GNU/Linux 9 (stretch)"));
        assert_eq!(os.id_like, ["x", "y"]);
        let lib = &asset.components[0];
        assert_eq!(lib.source_name.as_deref(), Some("util-linux"));
        assert_eq!(lib.source_version.as_deref(), Some("2.29.2-1+deb9u1"));
        assert_eq!(lib.vendor.as_deref(), Some("Debian"));
    }

    #[test]
    fn doctype_is_refused_with_its_line() {
        let xml = "<?xml version=\"1.0\"?>\n<!DOCTYPE bom [\n<!ENTITY a \"x\">\n]>\n<bom xmlns=\"http://cyclonedx.org/schema/bom/1.4\"/>";
        let err = import_str(xml).expect_err("doctype");
        assert_eq!(err.kind, ImportErrorKind::Refused);
        assert_eq!(err.location, Some(Location::Line(2)));
        assert!(err.reason.contains("DOCTYPE"), "{err}");
    }

    #[test]
    fn undefined_entities_are_errors() {
        let xml = bom(
            "1.4",
            "<components><component type=\"library\">\n<name>&bomb;</name></component></components>",
        );
        let err = import_str(&xml).expect_err("entity");
        assert_eq!(err.kind, ImportErrorKind::Syntax);
        assert_eq!(err.location, Some(Location::Line(4)), "{err}");
        assert!(err.reason.contains("&bomb;"), "{err}");
    }

    #[test]
    fn missing_name_names_line_and_path() {
        let xml = bom(
            "1.6",
            "<components>\n<component type=\"library\"><name>a</name></component>\n<component type=\"library\">\n<version>1</version>\n</component>\n</components>",
        );
        let err = import_str(&xml).expect_err("no name");
        assert_eq!(err.kind, ImportErrorKind::Invalid);
        assert_eq!(err.location, Some(Location::Line(5)), "{err}");
        assert!(
            err.reason.starts_with("/bom/components/component[2]: "),
            "{err}"
        );
    }

    #[test]
    fn duplicate_identity_fields_are_errors() {
        let xml = bom(
            "1.6",
            "<components><component type=\"library\"><name>a</name><purl>x</purl><purl>y</purl></component></components>",
        );
        let err = import_str(&xml).expect_err("two purls");
        assert!(err.reason.contains("more than one <purl>"), "{err}");
    }

    #[test]
    fn truncated_and_malformed_documents_name_the_line() {
        let xml = bom(
            "1.4",
            "<components>\n<component type=\"library\">\n<name>a</name>",
        );
        let truncated = &xml[..xml.len() - "\n</bom>\n".len()];
        let err = import_str(truncated).expect_err("truncated");
        assert_eq!(err.kind, ImportErrorKind::Syntax);
        assert!(err.reason.contains("truncated"), "{err}");
        assert_eq!(err.location, Some(Location::Line(5)), "{err}");

        let xml = bom(
            "1.4",
            "<components>\n<component type=\"library\">\n<name>a</nam></component></components>",
        );
        let err = import_str(&xml).expect_err("mismatched");
        assert_eq!(err.kind, ImportErrorKind::Syntax);
        assert_eq!(err.location, Some(Location::Line(5)), "{err}");

        let err = import_str("<bom xmlns=\"http://cyclonedx.org/schema/bom/1.4\"></bom>\n<bom/>")
            .expect_err("two roots");
        assert_eq!(err.location, Some(Location::Line(2)));

        let err = import_str("hello <bom/>").expect_err("text");
        assert_eq!(err.kind, ImportErrorKind::Syntax);

        let err = import_str("").expect_err("empty");
        assert_eq!(err.kind, ImportErrorKind::UnknownFormat);

        let err = import_str("<bom><components/></bom>").expect_err("no namespace");
        assert_eq!(err.kind, ImportErrorKind::UnknownFormat);
        assert!(err.reason.contains("no namespace"), "{err}");

        let err =
            import_str("<spdx xmlns=\"http://cyclonedx.org/schema/bom/1.4\"/>").expect_err("root");
        assert!(err.reason.contains("<spdx>"), "{err}");

        let err = import("x.xml", b"<bom>\n\xff</bom>").expect_err("utf8");
        assert_eq!(err.location, Some(Location::Line(2)));
    }

    #[test]
    fn deep_nesting_is_refused() {
        let mut xml = String::from("<bom xmlns=\"http://cyclonedx.org/schema/bom/1.4\">");
        for _ in 0..100_000 {
            xml.push_str("<x>");
        }
        let err = import_str(&xml).expect_err("deep");
        assert_eq!(err.kind, ImportErrorKind::Refused);
    }

    #[test]
    fn second_metadata_component_is_an_error() {
        let xml = bom(
            "1.4",
            "<metadata><component type=\"application\"><name>a</name></component><component type=\"application\"><name>b</name></component></metadata>",
        );
        let err = import_str(&xml).expect_err("two");
        assert!(err.reason.contains("second <component>"), "{err}");
    }
}
