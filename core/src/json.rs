//! JSON text read strictly: a key given twice in one object is an error, not "the last one wins".
//!
//! `serde_json` keeps the last of duplicate keys when it builds a [`Value`], so a pasted
//! spreadsheet with two `closing_balance` columns would be judged on one of them without a word.
//! Every JSON text cunwu turns into a `Value` (submissions given as text, JSON rule files) is read
//! with [`parse_strict`]. Typed requests and log entries need nothing more: their fields refuse
//! duplicates already. Nesting is limited to 128 levels (serde_json's recursion limit), so deeply
//! nested input is an error, never a stack overflow.

use serde::Deserialize;
use serde::de::{Error as _, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

/// Parse `text` as JSON, refusing duplicate keys. The error carries serde_json's line and column.
///
/// ```
/// let v = cunwu_core::json::parse_strict(r#"{"a": [1, {"b": null}]}"#).unwrap();
/// assert_eq!(v["a"][1]["b"], serde_json::Value::Null);
/// let e = cunwu_core::json::parse_strict("{\n  \"a\": 1,\n  \"a\": 2\n}").unwrap_err();
/// assert_eq!((e.line(), e.to_string().contains("duplicate key `a`")), (3, true));
/// let deep = "[".repeat(200) + &"]".repeat(200);
/// assert!(cunwu_core::json::parse_strict(&deep).unwrap_err().to_string().contains("recursion limit"));
/// ```
pub fn parse_strict(text: &str) -> Result<Value, serde_json::Error> {
    serde_json::from_str::<Strict>(text).map(|s| s.0)
}

/// Read a typed value from JSON text: [`parse_strict`], then the type from the value.
///
/// Every typed read of JSON text in cunwu (requests, log lines) goes through a [`Value`], as the
/// rules and record rows do: one deserializer for every type keeps the browser package small
/// (each further deserializer would repeat every type's reading code). A syntax error carries its
/// line and column; a wrong field says what was expected.
///
/// ```
/// #[derive(serde::Deserialize)]
/// struct Request { year: u16 }
/// assert_eq!(cunwu_core::json::read::<Request>(r#"{"year": 2026}"#).unwrap().year, 2026);
/// let e = cunwu_core::json::read::<Request>(r#"{"year": "2026"}"#).err().unwrap();
/// assert_eq!(e.to_string(), "invalid type: string \"2026\", expected u16");
/// assert!(cunwu_core::json::read::<Request>(r#"{"year": 1, "year": 2}"#).is_err());
/// ```
pub fn read<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, serde_json::Error> {
    from_value(parse_strict(text)?)
}

mod de;

/// Read a typed value from a JSON value: as `serde_json::from_value`, except that a struct is
/// read from a JSON object only, never from an array (`json/de.rs` says why). Requests, log
/// lines, JSON rule tables and record rows given as JSON values are all read through here. (Record
/// files in JSON Lines are read line by line with serde_json's text reader, which gives a bad row's
/// column; the CLI's own small options and Python's pickles of cunwu's own answers too.)
///
/// ```
/// #[derive(serde::Deserialize, Debug)]
/// struct Request { as_of: String, district: Option<String> }
/// let value = serde_json::json!({"as_of": "2026-03-01"});
/// let request: Request = cunwu_core::json::from_value(value).unwrap();
/// assert_eq!((request.as_of.as_str(), request.district), ("2026-03-01", None));
/// let e = cunwu_core::json::from_value::<Request>(serde_json::json!({"as_of": 1})).unwrap_err();
/// assert_eq!(e.to_string(), "invalid type: integer `1`, expected a string");
/// let e = cunwu_core::json::from_value::<Request>(serde_json::json!({})).unwrap_err();
/// assert_eq!(e.to_string(), "missing field `as_of`");
/// // An array is not a struct.
/// assert!(cunwu_core::json::from_value::<Request>(serde_json::json!(["2026-03-01", null])).is_err());
/// ```
pub fn from_value<T: serde::de::DeserializeOwned>(value: Value) -> Result<T, serde_json::Error> {
    T::deserialize(de::ValueDeserializer(value))
}

struct Strict(Value);

impl<'de> Deserialize<'de> for Strict {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(StrictVisitor).map(Strict)
    }
}

struct StrictVisitor;

impl<'de> Visitor<'de> for StrictVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Value, E> {
        Number::from_f64(v).map(Value::Number).ok_or_else(|| E::custom("a number JSON cannot hold"))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(Strict(v)) = seq.next_element()? {
            items.push(v);
        }
        Ok(Value::Array(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut object = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            // One search of the object per key (this is the hot loop of reading a submission).
            match object.entry(key) {
                serde_json::map::Entry::Occupied(taken) => {
                    return Err(A::Error::custom(format!("duplicate key `{}`", taken.key())));
                }
                serde_json::map::Entry::Vacant(slot) => {
                    let Strict(value) = map.next_value()?;
                    slot.insert(value);
                }
            }
        }
        Ok(Value::Object(object))
    }
}

/// Declares an enum written as a JSON object with a tag field (serde's "internally tagged" form,
/// `{"type": "published", "boards": ["村委会"]}`), read without serde's buffered path for that
/// form.
///
/// serde reads an internally tagged enum by buffering the whole object in its private `Content`
/// type and reading each variant from the buffer: every field type is then read by a second
/// deserializer, whose code the browser package would carry twice (the event enums alone cost
/// 90 KB before compression). Here the tag is taken out of the JSON object and the variant is
/// read from `{"published": {...}}` by a private twin enum in serde's default (externally
/// tagged) form, from the same [`Value`] every other type is read from ([`read`]). Written JSON,
/// accepted JSON and error messages are serde's: a missing tag is "missing field `type`", an
/// unknown one "unknown variant `x`, expected one of ...", an unknown field "unknown field `x`".
///
/// Every variant is a struct variant (`Name { fields }`, `Name {}`); variant names are written in
/// snake case and unknown fields are refused.
macro_rules! internally_tagged {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident (tag = $tag:literal, twin = $twin:ident) {
            $(
                $(#[$variant_meta:meta])*
                $variant:ident { $( $(#[$field_meta:meta])* $field:ident : $ty:ty ),* $(,)? }
            ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(serde::Serialize)]
        #[serde(tag = $tag, rename_all = "snake_case")]
        $vis enum $name {
            $( $(#[$variant_meta])* $variant { $( $(#[$field_meta])* $field: $ty ),* } ),*
        }

        /// The externally tagged twin the enum is read through (see `json::internally_tagged!`).
        #[derive(serde::Deserialize)]
        #[serde(rename_all = "snake_case", deny_unknown_fields)]
        enum $twin {
            $( $variant { $( $(#[$field_meta])* $field: $ty ),* } ),*
        }

        impl From<$twin> for $name {
            fn from(twin: $twin) -> Self {
                match twin {
                    $( $twin::$variant { $($field),* } => $name::$variant { $($field),* } ),*
                }
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = serde_json::Value::deserialize(deserializer)?;
                $crate::json::untag::<$twin>(value, $tag).map(Self::from).map_err(serde::de::Error::custom)
            }
        }
    };
}
pub(crate) use internally_tagged;

/// Read `T`, an externally tagged enum, from an internally tagged JSON object: `{tag: "name",
/// fields...}` is read as `{"name": {fields...}}`.
pub(crate) fn untag<T: serde::de::DeserializeOwned>(value: Value, tag: &'static str) -> Result<T, serde_json::Error> {
    let mut object: Map<String, Value> = from_value(value)?;
    let variant: String = match object.remove(tag) {
        Some(name) => from_value(name)?,
        None => return Err(serde_json::Error::missing_field(tag)),
    };
    let mut external = Map::new();
    external.insert(variant, Value::Object(object));
    from_value(Value::Object(external))
}
