//! The first pass of validation: the whole submission read against its family's published JSON
//! Schema (`rules/schema/submission-*.schema.json`, walked without its prose:
//! [`submission_structure`]). A
//! value of the wrong type, a field the schema does not know, a missing required field: each is
//! an error at its JSON pointer naming what was expected, so that no later check is skipped
//! without a word because a value had the wrong shape.
//!
//! The walker understands exactly the keywords `schemars` writes for the validation types —
//! `type`, `properties`, `required`, `additionalProperties`, `items`, `$ref`, `anyOf`, `oneOf`
//! of constants, `const`, `format` (`date`, `uint32`), `minimum` — and a test fails if a schema
//! ever uses another. A value with a `pattern` (an amount, `Money`) is left to the money check,
//! which reads amounts as strings or whole numbers and reports every other shape with the
//! amount's own message (a float: "may lose cents").

use std::sync::OnceLock;

use serde_json::{Map, Value};

use super::{Family, iso_date};
use crate::rules::schema::submission_structure;

/// A shape problem: code, JSON pointer, Chinese and English message.
pub(super) struct ShapeError {
    pub code: &'static str,
    pub pointer: String,
    pub zh: String,
    pub en: String,
}

/// The keywords the walker reads; anything else in a schema is a bug the tests catch.
pub const KEYWORDS: &[&str] = &[
    "$schema",
    "$defs",
    "$ref",
    "title",
    "description",
    "default",
    "type",
    "properties",
    "required",
    "additionalProperties",
    "items",
    "anyOf",
    "oneOf",
    "const",
    "format",
    "minimum",
    "pattern",
];

/// The parsed schema of a family, parsed once per process.
pub(super) fn schema(family: Family) -> &'static Value {
    static FINANCE: OnceLock<Value> = OnceLock::new();
    static BENEFICIARIES: OnceLock<Value> = OnceLock::new();
    static PROJECT: OnceLock<Value> = OnceLock::new();
    static NOTICE: OnceLock<Value> = OnceLock::new();
    let cell = match family {
        Family::FinanceStatement => &FINANCE,
        Family::BeneficiaryList => &BENEFICIARIES,
        Family::Project => &PROJECT,
        Family::Notice => &NOTICE,
    };
    cell.get_or_init(|| crate::json::parse_strict(submission_structure(family)).unwrap_or(Value::Null))
}

/// Check `value` against the family's schema. With `payload: false` the payload is not walked
/// (its family is not known: the item is unknown), only the envelope.
pub(super) fn check(family: Family, value: &Value, payload: bool) -> Vec<ShapeError> {
    let root = schema(family);
    if !root.is_object() {
        // Never a pass on a schema that did not load (the build script wrote `null`).
        return vec![ShapeError {
            code: "VALIDATION_CHECK_SKIPPED",
            pointer: String::new(),
            zh: format!("{family} 的结构定义无法读取，未能检查提交内容的结构"),
            en: format!("the schema of {family} could not be read: the submission's shape was not checked"),
        }];
    }
    let defs = root.get("$defs").and_then(Value::as_object);
    let mut walker = Walker { defs, out: Vec::new(), skip_payload: !payload };
    let mut at = String::new();
    walker.walk(root, value, &mut at);
    walker.out
}

struct Walker<'s> {
    defs: Option<&'s Map<String, Value>>,
    out: Vec<ShapeError>,
    skip_payload: bool,
}

/// The JSON type of a value, as the schema names it.
fn type_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn type_zh(t: &str) -> &'static str {
    match t {
        "null" => "空值",
        "boolean" => "布尔值",
        "integer" => "整数",
        "number" => "数字",
        "string" => "字符串",
        "array" => "数组",
        _ => "对象",
    }
}

fn fits(t: &str, v: &Value) -> bool {
    let actual = type_of(v);
    t == actual || (t == "number" && actual == "integer")
}

/// A short rendering of a value for a message (never the whole of a long text).
fn shown(v: &Value) -> String {
    let text = v.to_string();
    match text.char_indices().nth(40) {
        Some((i, _)) => format!("{}…", &text[..i]),
        None => text,
    }
}

fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

impl<'s> Walker<'s> {
    fn resolve(&self, schema: &'s Value) -> &'s Value {
        let mut s = schema;
        // A `$ref` to a `$ref` is followed a few times at most (no cycles in these schemas).
        for _ in 0..8 {
            match s.get("$ref").and_then(Value::as_str).and_then(|r| r.strip_prefix("#/$defs/")) {
                Some(name) => match self.defs.and_then(|d| d.get(name)) {
                    Some(next) => s = next,
                    None => break,
                },
                None => break,
            }
        }
        s
    }

    fn push(&mut self, code: &'static str, at: &str, zh: String, en: String) {
        self.out.push(ShapeError { code, pointer: at.to_string(), zh, en });
    }

    /// Whether `v` fits `schema` without reporting (for `anyOf` branches).
    fn accepts(&self, schema: &'s Value, v: &Value) -> bool {
        let mut probe = Walker { defs: self.defs, out: Vec::new(), skip_payload: self.skip_payload };
        let mut at = String::new();
        probe.walk(schema, v, &mut at);
        probe.out.is_empty()
    }

    fn walk(&mut self, schema: &'s Value, v: &Value, at: &mut String) {
        let schema = self.resolve(schema);
        // An amount (`Money`, the only pattern): the money check reads strings and whole
        // numbers and reports every other shape with the amount's own message.
        if schema.get("pattern").is_some() {
            return;
        }
        if let Some(branches) = schema.get("anyOf").and_then(Value::as_array) {
            if branches.iter().any(|b| self.accepts(b, v)) {
                return;
            }
            // Report against the branch that is not `null` (an optional value of the wrong shape).
            let best = branches.iter().find(|b| self.resolve(b).get("type") != Some(&Value::from("null")));
            if let Some(b) = best.or_else(|| branches.first()) {
                self.walk(b, v, at);
            }
            return;
        }
        if let Some(branches) = schema.get("oneOf").and_then(Value::as_array) {
            let allowed: Vec<&Value> = branches.iter().filter_map(|b| self.resolve(b).get("const")).collect();
            if !allowed.contains(&v) {
                let list: Vec<String> = allowed.iter().map(|a| a.to_string()).collect();
                self.expected(
                    at,
                    format!("以下取值之一：{}", list.join("、")),
                    format!("one of {}", list.join(", ")),
                    v,
                );
            }
            return;
        }
        if let Some(c) = schema.get("const") {
            if c != v {
                self.expected(at, c.to_string(), c.to_string(), v);
            }
            return;
        }
        let types: Vec<&str> = match schema.get("type") {
            Some(Value::String(t)) => vec![t.as_str()],
            Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        };
        if !types.is_empty() && !types.iter().any(|t| fits(t, v)) {
            let zh: Vec<&str> = types.iter().map(|t| type_zh(t)).collect();
            self.expected(at, zh.join("或"), types.join(" or "), v);
            return;
        }
        match v {
            Value::Object(obj) => self.object(schema, obj, at),
            Value::Array(items) => {
                if let Some(item_schema) = schema.get("items") {
                    for (i, item) in items.iter().enumerate() {
                        let len = at.len();
                        at.push('/');
                        at.push_str(&i.to_string());
                        self.walk(item_schema, item, at);
                        at.truncate(len);
                    }
                }
            }
            Value::String(s)
                if schema.get("format").and_then(Value::as_str) == Some("date") && iso_date(s).is_none() =>
            {
                self.expected(at, "日期（如 2026-01-15）".into(), "a date like 2026-01-15".into(), v);
            }
            Value::Number(n) => {
                // `uint32` (a household size): a whole number from 0 to 2³²−1.
                let unsigned = schema.get("format").and_then(Value::as_str) == Some("uint32");
                if unsigned && n.as_u64().is_none_or(|x| x > u64::from(u32::MAX)) {
                    self.expected(at, "0 至 4294967295 的整数".into(), "a whole number from 0 to 4294967295".into(), v);
                }
            }
            _ => {}
        }
    }

    /// A value that is not what the schema expects at `at`.
    fn expected(&mut self, at: &str, zh: String, en: String, v: &Value) {
        let found = shown(v);
        self.push(
            "VALIDATION_TYPE",
            at,
            format!("应为{zh}，实际为{}：{found}", type_zh(type_of(v))),
            format!("expected {en}, found {} {found}", type_of(v)),
        );
    }

    fn object(&mut self, schema: &'s Value, obj: &Map<String, Value>, at: &mut String) {
        let props = schema.get("properties").and_then(Value::as_object);
        for key in schema.get("required").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str) {
            if obj.get(key).is_none() {
                let pointer = format!("{at}/{}", escape(key));
                self.push(
                    "VALIDATION_REQUIRED",
                    &pointer,
                    format!("缺少必填项 `{key}`"),
                    format!("`{key}` is required"),
                );
            }
        }
        let closed = schema.get("additionalProperties") == Some(&Value::Bool(false));
        for (key, value) in obj {
            let len = at.len();
            at.push('/');
            at.push_str(&escape(key));
            match props.and_then(|p| p.get(key)) {
                Some(_) if self.skip_payload && at == "/payload" => {}
                Some(s) => self.walk(s, value, at),
                None if closed => {
                    let known: Vec<&str> = props.map(|p| p.keys().map(String::as_str).collect()).unwrap_or_default();
                    let pointer = at.clone();
                    self.push(
                        "VALIDATION_UNKNOWN_FIELD",
                        &pointer,
                        format!("不认识的字段 `{key}`（其内容未被检查）；可用的字段：{}", known.join("、")),
                        format!(
                            "unknown field `{key}` (its content is not checked); expected one of {}",
                            known.join(", ")
                        ),
                    );
                }
                None => {}
            }
            at.truncate(len);
        }
    }
}
