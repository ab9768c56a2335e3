//! The validating deserialisers behind the OSV model.
//!
//! Field-level rules (id, timestamps, event keys) run inside the field's deserialiser, so their
//! errors carry the field's JSON path; rules that span fields (a range's events, severity type
//! and score) run in `TryFrom` conversions from the raw shapes below, so their errors carry the
//! path of the object they belong to.

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Serializer};

use super::validate;
use super::{
    Advisory, Affected, Credit, Event, Package, Range, RangeType, Reference, Severity, SeverityType,
};

/// The top level as written; [`Advisory`] adds the rules that span fields.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawAdvisory {
    #[serde(default, deserialize_with = "some")]
    schema_version: Option<String>,
    #[serde(deserialize_with = "id")]
    id: String,
    #[serde(deserialize_with = "timestamp")]
    modified: String,
    #[serde(default, deserialize_with = "some_timestamp")]
    published: Option<String>,
    #[serde(default, deserialize_with = "some_timestamp")]
    withdrawn: Option<String>,
    #[serde(default, deserialize_with = "nullable_vec")]
    aliases: Vec<String>,
    #[serde(default)]
    related: Vec<String>,
    #[serde(default)]
    upstream: Vec<String>,
    #[serde(default, deserialize_with = "some")]
    summary: Option<String>,
    #[serde(default, deserialize_with = "some")]
    details: Option<String>,
    #[serde(default, deserialize_with = "nullable_vec")]
    severity: Vec<Severity>,
    #[serde(default, deserialize_with = "nullable_vec")]
    affected: Vec<Affected>,
    #[serde(default, deserialize_with = "nullable_vec")]
    references: Vec<Reference>,
    #[serde(default)]
    credits: Vec<Credit>,
    #[serde(default, deserialize_with = "database_severity")]
    database_specific: Option<String>,
}

impl TryFrom<RawAdvisory> for Advisory {
    type Error = String;

    fn try_from(raw: RawAdvisory) -> Result<Self, String> {
        if !raw.severity.is_empty()
            && let Some(i) = raw.affected.iter().position(|a| !a.severity.is_empty())
        {
            return Err(format!(
                "affected[{i}].severity is set although the record has a top-level severity \
                 (the schema allows one or the other)"
            ));
        }
        Ok(Advisory {
            schema_version: raw.schema_version,
            id: raw.id,
            modified: raw.modified,
            published: raw.published,
            withdrawn: raw.withdrawn,
            aliases: raw.aliases,
            related: raw.related,
            upstream: raw.upstream,
            summary: raw.summary,
            details: raw.details,
            severity: raw.severity,
            affected: raw.affected,
            references: raw.references,
            credits: raw.credits,
            database_severity: raw.database_specific,
        })
    }
}

#[derive(Deserialize)]
pub(super) struct RawSeverity {
    #[serde(rename = "type")]
    kind: SeverityType,
    score: String,
}

impl TryFrom<RawSeverity> for Severity {
    type Error = String;

    fn try_from(raw: RawSeverity) -> Result<Self, String> {
        validate::check_score(raw.kind, &raw.score)?;
        Ok(Severity {
            kind: raw.kind,
            score: raw.score,
        })
    }
}

#[derive(Deserialize)]
pub(super) struct RawAffected {
    #[serde(default, deserialize_with = "some")]
    package: Option<Package>,
    #[serde(default, deserialize_with = "nullable_vec")]
    severity: Vec<Severity>,
    #[serde(default)]
    ranges: Vec<Range>,
    #[serde(default)]
    versions: Vec<String>,
    #[serde(default, rename = "ecosystem_specific")]
    _ecosystem_specific: Option<Object>,
    #[serde(default, rename = "database_specific")]
    _database_specific: Option<Object>,
}

impl TryFrom<RawAffected> for Affected {
    type Error = String;

    fn try_from(raw: RawAffected) -> Result<Self, String> {
        Ok(Affected {
            package: raw.package,
            severity: raw.severity,
            ranges: raw.ranges,
            versions: raw.versions,
        })
    }
}

#[derive(Deserialize)]
pub(super) struct RawRange {
    #[serde(rename = "type")]
    kind: RangeType,
    #[serde(default, deserialize_with = "some")]
    repo: Option<String>,
    events: Vec<Event>,
    #[serde(default, rename = "database_specific")]
    _database_specific: Option<Object>,
}

impl TryFrom<RawRange> for Range {
    type Error = String;

    fn try_from(raw: RawRange) -> Result<Self, String> {
        validate::check_range(raw.kind, raw.repo.as_deref(), &raw.events)?;
        Ok(Range {
            kind: raw.kind,
            repo: raw.repo,
            events: raw.events,
        })
    }
}

/// A present value: `null` is rejected where the schema types a field as non-nullable
/// (`Option<T>` alone would take `null` as absent).
pub(super) fn some<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    T::deserialize(d).map(Some)
}

/// A list the schema types as `["array", "null"]`.
fn nullable_vec<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<Vec<T>>::deserialize(d).map(Option::unwrap_or_default)
}

fn id<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    let id = String::deserialize(d)?;
    validate::check_id(&id).map_err(de::Error::custom)?;
    Ok(id)
}

fn timestamp<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    let ts = String::deserialize(d)?;
    validate::check_timestamp(&ts).map_err(de::Error::custom)?;
    Ok(ts)
}

fn some_timestamp<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    timestamp(d).map(Some)
}

/// A free-form object the model does not keep: checked to be an object, then skipped without
/// allocating.
pub(super) struct Object;

impl<'de> Deserialize<'de> for Object {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Object;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Object, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(Object)
            }
        }
        d.deserialize_map(V)
    }
}

/// `database_specific`, of which only a string `severity` is kept: the object is free-form per
/// database, so any other shape of `severity` is skipped rather than rejected.
fn database_severity<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    struct V;
    impl<'de> Visitor<'de> for V {
        type Value = Option<String>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an object")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Option<String>, A::Error> {
            let mut severity = None;
            let mut seen = false;
            while let Some(is_severity) = map.next_key_seed(KeyIs("severity"))? {
                if !is_severity {
                    map.next_value::<IgnoredAny>()?;
                } else if seen {
                    return Err(de::Error::duplicate_field("severity"));
                } else {
                    seen = true;
                    severity = map.next_value::<StringOrSkip>()?.0;
                }
            }
            Ok(severity)
        }
    }
    d.deserialize_map(V)
}

pub(super) fn serialize_database_severity<S: Serializer>(
    severity: &Option<String>,
    s: S,
) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    let mut map = s.serialize_map(Some(usize::from(severity.is_some())))?;
    if let Some(severity) = severity {
        map.serialize_entry("severity", severity)?;
    }
    map.end()
}

/// A map key compared against one name, without allocating.
struct KeyIs(&'static str);

impl<'de> DeserializeSeed<'de> for KeyIs {
    type Value = bool;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
        d.deserialize_identifier(self)
    }
}

impl Visitor<'_> for KeyIs {
    type Value = bool;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a key")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<bool, E> {
        Ok(v == self.0)
    }
}

/// Any JSON value; kept when it is a string.
struct StringOrSkip(Option<String>);

impl<'de> Deserialize<'de> for StringOrSkip {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = StringOrSkip;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("any value")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<StringOrSkip, E> {
                Ok(StringOrSkip(Some(v.to_owned())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<StringOrSkip, E> {
                Ok(StringOrSkip(Some(v)))
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<StringOrSkip, E> {
                Ok(StringOrSkip(None))
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<StringOrSkip, E> {
                Ok(StringOrSkip(None))
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<StringOrSkip, E> {
                Ok(StringOrSkip(None))
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<StringOrSkip, E> {
                Ok(StringOrSkip(None))
            }
            fn visit_unit<E: de::Error>(self) -> Result<StringOrSkip, E> {
                Ok(StringOrSkip(None))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<StringOrSkip, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(StringOrSkip(None))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<StringOrSkip, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(StringOrSkip(None))
            }
        }
        d.deserialize_any(V)
    }
}

#[derive(Clone, Copy)]
enum EventKey {
    Introduced,
    Fixed,
    LastAffected,
    Limit,
}

impl EventKey {
    fn name(self) -> &'static str {
        match self {
            EventKey::Introduced => "introduced",
            EventKey::Fixed => "fixed",
            EventKey::LastAffected => "last_affected",
            EventKey::Limit => "limit",
        }
    }

    fn event(self, version: String) -> Event {
        match self {
            EventKey::Introduced => Event::Introduced(version),
            EventKey::Fixed => Event::Fixed(version),
            EventKey::LastAffected => Event::LastAffected(version),
            EventKey::Limit => Event::Limit(version),
        }
    }
}

impl<'de> Deserialize<'de> for EventKey {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = EventKey;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an event type")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<EventKey, E> {
                match v {
                    "introduced" => Ok(EventKey::Introduced),
                    "fixed" => Ok(EventKey::Fixed),
                    "last_affected" => Ok(EventKey::LastAffected),
                    "limit" => Ok(EventKey::Limit),
                    other => Err(E::custom(format_args!(
                        "unknown event type `{other}`, expected one of `introduced`, `fixed`, \
                         `last_affected`, `limit`"
                    ))),
                }
            }
        }
        d.deserialize_identifier(V)
    }
}

/// An event object: exactly one of the four keys (the schema's `oneOf`).
impl<'de> Deserialize<'de> for Event {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Event;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an event object such as {\"introduced\": \"1.0\"}")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Event, A::Error> {
                let mut event: Option<(EventKey, String)> = None;
                while let Some(key) = map.next_key::<EventKey>()? {
                    let version: String = map.next_value()?;
                    if let Some((first, _)) = event {
                        return Err(de::Error::custom(format_args!(
                            "event has both `{}` and `{}`; an event holds exactly one",
                            first.name(),
                            key.name()
                        )));
                    }
                    event = Some((key, version));
                }
                match event {
                    Some((key, version)) => Ok(key.event(version)),
                    None => Err(de::Error::custom(
                        "empty event, expected exactly one of `introduced`, `fixed`, \
                         `last_affected`, `limit`",
                    )),
                }
            }
        }
        d.deserialize_map(V)
    }
}
