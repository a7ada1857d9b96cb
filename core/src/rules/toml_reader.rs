//! The TOML reader of rule files (what maintainers write): syntax errors with their line and
//! column, every unknown key at once (checked against the generated JSON Schema), then each table
//! deserialized on its own. Left out of builds without the `toml` feature (the browser package).

use serde::Deserialize;
use serde::de::IntoDeserializer;
use serde_json::Value as Json;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::RuleProblem;
use super::load::{
    LoadedFile, ParsedFile, SourceFile, SpanIndex, TableValue, make_diagnostic, problem_from_message, segment,
};
use crate::diagnostic::Diagnostic;

/// Parse the TOML file `src`, appending every problem found to `diags`. Returns the file's tables
/// that parsed, with the file's location data, or only the location data when the TOML itself is
/// broken.
pub(crate) fn parse_toml_file(
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
        file.take(key.get_ref(), value, &loaded, diags);
    }
    (loaded, Some(file))
}

impl TableValue for Spanned<DeValue<'_>> {
    fn parse_list<T: for<'de> Deserialize<'de>>(
        self,
        ptr: &str,
        file: &LoadedFile,
        diags: &mut Vec<Diagnostic>,
    ) -> Vec<(T, String)> {
        let span = self.span();
        match self.into_inner() {
            DeValue::Array(array) => array
                .iter()
                .enumerate()
                .filter_map(|(i, element)| element.clone().parse_one::<T>(&format!("{ptr}/{i}"), file, diags))
                .collect(),
            other => {
                let message = format!("expected an array of tables, found {}", other.type_str());
                diags.push(make_diagnostic(RuleProblem::InvalidValue { message }, file.location_at(span.start, ptr)));
                Vec::new()
            }
        }
    }

    fn parse_one<T: for<'de> Deserialize<'de>>(
        self,
        ptr: &str,
        file: &LoadedFile,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<(T, String)> {
        let start = self.span().start;
        match T::deserialize(self.into_deserializer()) {
            Ok(v) => Some((v, ptr.to_string())),
            Err(e) => {
                let offset = e.span().map(|s| s.start).unwrap_or(start);
                let message = e.message().trim().to_string();
                diags.push(make_diagnostic(problem_from_message(message), file.location_at(offset, ptr)));
                None
            }
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
