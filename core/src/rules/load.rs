//! Parsing one rule file: TOML syntax, unknown keys (checked against the generated JSON Schema,
//! so every unknown key in a file is reported at once), then each table deserialized on its own
//! so that one bad item does not hide the problems of the next.

use std::collections::HashMap;
use std::ops::Range;

use serde::Deserialize;
use serde::de::IntoDeserializer;
use serde_json::Value as Json;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::file::{
    AmendmentDef, BreakDef, CalendarSettingsDef, CalendarYearDef, DocumentDef, FamilyDef, FestivalRuleDef, ItemDef,
    LayerDef, ParameterDef, ScoringSchemeDef,
};
use super::problem::RuleProblem;
use crate::diagnostic::{Diagnostic, LineIndex, Location};

/// A rule file handed to the loader: its path relative to the rules directory, and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    /// Path shown in diagnostics (`layers/cq-policy-2018.toml`).
    pub path: String,
    /// The TOML text.
    pub text: String,
}

impl SourceFile {
    /// A file from its path and text.
    ///
    /// ```
    /// let f = cunwu_core::rules::SourceFile::new("layers/x.toml", "[layer]\n");
    /// assert_eq!(f.path, "layers/x.toml");
    /// ```
    pub fn new(path: impl Into<String>, text: impl Into<String>) -> Self {
        SourceFile { path: path.into(), text: text.into() }
    }
}

/// Where each key and array element of a file is, by JSON pointer.
#[derive(Debug, Clone, Default)]
pub(crate) struct SpanIndex {
    spans: HashMap<String, Range<usize>>,
}

impl SpanIndex {
    /// The span of the deepest known prefix of `pointer`.
    fn find(&self, pointer: &str) -> Option<Range<usize>> {
        let mut p = pointer;
        loop {
            if let Some(span) = self.spans.get(p) {
                return Some(span.clone());
            }
            match p.rfind('/') {
                Some(i) => p = p.get(..i).unwrap_or(""),
                None => return None,
            }
        }
    }
}

/// A parsed file with what is needed to point into it.
#[derive(Debug, Clone)]
pub(crate) struct LoadedFile {
    pub path: String,
    pub text: String,
    pub lines: LineIndex,
    pub spans: SpanIndex,
}

impl LoadedFile {
    fn new(src: &SourceFile) -> Self {
        LoadedFile {
            path: src.path.clone(),
            text: src.text.clone(),
            lines: LineIndex::new(&src.text),
            spans: SpanIndex::default(),
        }
    }

    /// The location of byte `offset`, with `pointer` for tools.
    pub fn location_at(&self, offset: usize, pointer: &str) -> Location {
        let (line, column) = self.lines.line_col(&self.text, offset);
        Location {
            file: Some(self.path.clone()),
            line: Some(line),
            column: Some(column),
            pointer: (!pointer.is_empty()).then(|| pointer.to_string()),
        }
    }

    /// The location of the key or element at `pointer` (or its nearest known parent).
    pub fn location(&self, pointer: &str) -> Location {
        match self.spans.find(pointer) {
            Some(span) => self.location_at(span.start, pointer),
            None => {
                Location { file: Some(self.path.clone()), pointer: Some(pointer.to_string()), ..Location::default() }
            }
        }
    }
}

/// Build a diagnostic for `problem` at `location`.
pub(crate) fn make_diagnostic(problem: RuleProblem, location: Location) -> Diagnostic {
    let (hint_zh, hint_en) = match problem.hint() {
        Some((zh, en)) => (Some(zh), Some(en)),
        None => (None, None),
    };
    Diagnostic {
        code: problem.code().to_string(),
        severity: problem.severity(),
        message_zh: problem.message_zh(),
        message_en: problem.message_en(),
        hint_zh,
        hint_en,
        location,
        related: Vec::new(),
    }
}

/// Escape one JSON-pointer segment.
pub(crate) fn segment(s: &str) -> String {
    s.replace('~', "~0").replace('/', "~1")
}

/// The rule-file schema, parsed once from the committed copy
/// ([`RULE_FILE_SCHEMA`](super::schema::RULE_FILE_SCHEMA)).
pub(crate) fn rule_file_schema() -> &'static Json {
    static SCHEMA: std::sync::OnceLock<Json> = std::sync::OnceLock::new();
    SCHEMA.get_or_init(|| serde_json::from_str(super::schema::RULE_FILE_SCHEMA).unwrap_or(Json::Null))
}

/// The tables of one file that parsed, each with its JSON pointer in the file.
#[derive(Debug, Default)]
pub(crate) struct ParsedFile {
    pub documents: Vec<(DocumentDef, String)>,
    pub layer: Option<LayerDef>,
    pub items: Vec<(ItemDef, String)>,
    pub amendments: Vec<(AmendmentDef, String)>,
    pub parameters: Vec<(ParameterDef, String)>,
    pub calendar: Option<CalendarYearDef>,
    pub breaks: Vec<(BreakDef, String)>,
    pub festival_rules: Vec<(FestivalRuleDef, String)>,
    pub calendar_settings: Option<CalendarSettingsDef>,
    pub families: Vec<(FamilyDef, String)>,
    pub scoring: Vec<(ScoringSchemeDef, String)>,
}

/// Parse `src`, appending every problem found to `diags`. Returns the file's tables that parsed,
/// with the file's location data, or only the location data when the TOML itself is broken.
pub(crate) fn parse_file(
    src: &SourceFile,
    schema: &Json,
    diags: &mut Vec<Diagnostic>,
) -> (LoadedFile, Option<ParsedFile>) {
    let mut loaded = LoadedFile::new(src);
    let (root, errors) = DeTable::parse_recoverable(&src.text);
    if !errors.is_empty() {
        for e in errors {
            let offset = e.span().map(|s| s.start).unwrap_or(0);
            let message = e.message().trim().to_string();
            diags.push(make_diagnostic(RuleProblem::Syntax { message }, loaded.location_at(offset, "")));
        }
        return (loaded, None);
    }
    let span = root.span();
    let mut root: Spanned<DeValue<'_>> = Spanned::new(span, DeValue::Table(root.into_inner()));
    index_spans(&root, "", &mut loaded.spans);
    remove_unknown_keys(&mut root, schema, schema, "", &loaded, diags);

    let DeValue::Table(table) = root.into_inner() else {
        return (loaded, None);
    };
    let mut file = ParsedFile::default();
    for (key, value) in table {
        let key: &str = key.get_ref();
        let ptr = format!("/{}", segment(key));
        match key {
            "documents" => file.documents = parse_list::<DocumentDef>(value, &ptr, &loaded, diags),
            "items" => file.items = parse_list::<ItemDef>(value, &ptr, &loaded, diags),
            "amendments" => file.amendments = parse_list::<AmendmentDef>(value, &ptr, &loaded, diags),
            "parameters" => file.parameters = parse_list::<ParameterDef>(value, &ptr, &loaded, diags),
            "layer" => file.layer = parse_one::<LayerDef>(value, &ptr, &loaded, diags).map(|(layer, _)| layer),
            "calendar" => file.calendar = parse_one::<CalendarYearDef>(value, &ptr, &loaded, diags).map(|(c, _)| c),
            "breaks" => file.breaks = parse_list::<BreakDef>(value, &ptr, &loaded, diags),
            "festival_rules" => file.festival_rules = parse_list::<FestivalRuleDef>(value, &ptr, &loaded, diags),
            "families" => file.families = parse_list::<FamilyDef>(value, &ptr, &loaded, diags),
            "scoring" => file.scoring = parse_list::<ScoringSchemeDef>(value, &ptr, &loaded, diags),
            "calendar_settings" => {
                file.calendar_settings = parse_one::<CalendarSettingsDef>(value, &ptr, &loaded, diags).map(|(c, _)| c)
            }
            _ => {} // already reported as unknown and removed
        }
    }
    (loaded, Some(file))
}

fn parse_list<T: for<'de> Deserialize<'de>>(
    value: Spanned<DeValue<'_>>,
    ptr: &str,
    file: &LoadedFile,
    diags: &mut Vec<Diagnostic>,
) -> Vec<(T, String)> {
    let span = value.span();
    match value.into_inner() {
        DeValue::Array(array) => array
            .iter()
            .enumerate()
            .filter_map(|(i, element)| parse_one::<T>(element.clone(), &format!("{ptr}/{i}"), file, diags))
            .collect(),
        other => {
            let message = format!("expected an array of tables, found {}", other.type_str());
            diags.push(make_diagnostic(RuleProblem::InvalidValue { message }, file.location_at(span.start, ptr)));
            Vec::new()
        }
    }
}

fn parse_one<T: for<'de> Deserialize<'de>>(
    value: Spanned<DeValue<'_>>,
    ptr: &str,
    file: &LoadedFile,
    diags: &mut Vec<Diagnostic>,
) -> Option<(T, String)> {
    let start = value.span().start;
    match T::deserialize(value.into_deserializer()) {
        Ok(v) => Some((v, ptr.to_string())),
        Err(e) => {
            let offset = e.span().map(|s| s.start).unwrap_or(start);
            let message = e.message().trim().to_string();
            let problem = match message.strip_prefix("missing field `") {
                Some(rest) => RuleProblem::MissingKey { key: rest.split('`').next().unwrap_or(rest).to_string() },
                None => RuleProblem::InvalidValue { message },
            };
            diags.push(make_diagnostic(problem, file.location_at(offset, ptr)));
            None
        }
    }
}

fn index_spans(value: &Spanned<DeValue<'_>>, ptr: &str, index: &mut SpanIndex) {
    match value.get_ref() {
        DeValue::Table(table) => {
            for (key, child) in table.iter() {
                let child_ptr = format!("{ptr}/{}", segment(key.get_ref()));
                index.spans.insert(child_ptr.clone(), key.span());
                index_spans(child, &child_ptr, index);
            }
        }
        DeValue::Array(array) => {
            for (i, child) in array.iter().enumerate() {
                let child_ptr = format!("{ptr}/{i}");
                index.spans.insert(child_ptr.clone(), child.span());
                index_spans(child, &child_ptr, index);
            }
        }
        _ => {}
    }
}

fn deref<'a>(schema: &'a Json, root: &'a Json) -> &'a Json {
    match schema.get("$ref").and_then(Json::as_str).and_then(|r| r.strip_prefix("#/$defs/")) {
        Some(name) => root.get("$defs").and_then(|d| d.get(name)).unwrap_or(schema),
        None => schema,
    }
}

/// The object schema a table must follow, looking through `$ref` and `Option` wrappers.
fn object_schema<'a>(schema: &'a Json, root: &'a Json) -> Option<&'a Json> {
    let schema = deref(schema, root);
    if schema.get("properties").is_some() {
        return Some(schema);
    }
    let branches = schema.get("anyOf").or_else(|| schema.get("oneOf"))?.as_array()?;
    let mut objects = branches.iter().map(|b| deref(b, root)).filter(|b| b.get("properties").is_some());
    let first = objects.next()?;
    objects.next().is_none().then_some(first)
}

fn array_item_schema<'a>(schema: &'a Json, root: &'a Json) -> Option<&'a Json> {
    let schema = deref(schema, root);
    if let Some(items) = schema.get("items") {
        return Some(items);
    }
    let branches = schema.get("anyOf").or_else(|| schema.get("oneOf"))?.as_array()?;
    branches.iter().find_map(|b| deref(b, root).get("items"))
}

fn remove_unknown_keys(
    value: &mut Spanned<DeValue<'_>>,
    schema: &Json,
    root: &Json,
    ptr: &str,
    file: &LoadedFile,
    diags: &mut Vec<Diagnostic>,
) {
    match value.get_mut() {
        DeValue::Table(table) => {
            let Some(object) = object_schema(schema, root) else {
                return;
            };
            let Some(props) = object.get("properties").and_then(Json::as_object) else {
                return;
            };
            if object.get("additionalProperties") == Some(&Json::Bool(false)) {
                let expected: Vec<String> = props.keys().cloned().collect();
                for (key, _) in table.iter() {
                    let name: &str = key.get_ref();
                    if !props.contains_key(name) {
                        let problem = RuleProblem::UnknownKey { key: name.to_string(), expected: expected.clone() };
                        let key_ptr = format!("{ptr}/{}", segment(name));
                        diags.push(make_diagnostic(problem, file.location_at(key.span().start, &key_ptr)));
                    }
                }
                let old = std::mem::replace(table, DeTable::new());
                for (key, child) in old {
                    if props.contains_key(&**key.get_ref()) {
                        table.insert(key, child);
                    }
                }
            }
            for (key, child) in table.iter_mut() {
                let name: &str = key.get_ref();
                if let Some(child_schema) = props.get(name) {
                    let child_ptr = format!("{ptr}/{}", segment(name));
                    remove_unknown_keys(child, child_schema, root, &child_ptr, file, diags);
                }
            }
        }
        DeValue::Array(array) => {
            let Some(items) = array_item_schema(schema, root) else {
                return;
            };
            for (i, child) in array.iter_mut().enumerate() {
                remove_unknown_keys(child, items, root, &format!("{ptr}/{i}"), file, diags);
            }
        }
        _ => {}
    }
}
