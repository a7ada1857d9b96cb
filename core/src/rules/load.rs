//! Parsing one rule file: its syntax (TOML, or JSON for compiled files), unknown keys, then each
//! table deserialized on its own so that one bad item does not hide the problems of the next.
//!
//! TOML files (what maintainers write) are read by `toml_reader`, with every unknown key
//! reported at its line and column. JSON files (`cunwu rules compile`, and the bundled rules in
//! the browser package) are read here: a JSON file is one whose path ends in `.json` or whose
//! text starts with `{` (no TOML document can), and its problems are located by JSON pointer.

use std::collections::HashMap;
use std::ops::Range;

use serde::Deserialize;
use serde_json::Value as Json;

use super::file::{
    AmendmentDef, BreakDef, CalendarSettingsDef, CalendarYearDef, ClauseDef, DocumentDef, FamilyDef, FestivalRuleDef,
    ItemDef, LayerDef, ParameterDef, ScoringSchemeDef, SourceTextDef,
};
use super::problem::RuleProblem;
use crate::diagnostic::{Diagnostic, LineIndex, Location};

/// A rule file handed to the loader: its path relative to the rules directory, and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    /// Path shown in diagnostics (`layers/cq-policy-2018.toml`).
    pub path: String,
    /// The text: TOML, or JSON for a compiled rule file (see [`SourceFile::is_json`]).
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

    /// Whether the file is a JSON (compiled) rule file: its path ends in `.json`, or its text
    /// starts with `{`, which no TOML document can.
    ///
    /// ```
    /// use cunwu_core::rules::SourceFile;
    /// assert!(SourceFile::new("layers/x.toml", " {\"layer\": {}}").is_json());
    /// assert!(!SourceFile::new("layers/x.toml", "[layer]").is_json());
    /// ```
    pub fn is_json(&self) -> bool {
        self.path.ends_with(".json") || self.text.trim_start().starts_with('{')
    }
}

/// Where each key and array element of a file is, by JSON pointer.
#[derive(Debug, Clone, Default)]
pub(crate) struct SpanIndex {
    pub(crate) spans: HashMap<String, Range<usize>>,
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
    pub(crate) fn new(src: &SourceFile) -> Self {
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

/// The top-level tables of a rule file (the properties of the rule-file schema; a test keeps the
/// two the same).
pub const TOP_LEVEL_KEYS: &[&str] = &[
    "documents",
    "layer",
    "items",
    "amendments",
    "parameters",
    "calendar",
    "breaks",
    "festival_rules",
    "calendar_settings",
    "families",
    "scoring",
    "source_text",
    "clauses",
];

/// The rule-file schema, parsed once from the committed copy
/// ([`RULE_FILE_SCHEMA`](super::schema::RULE_FILE_SCHEMA)).
#[cfg(feature = "toml")]
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
    #[cfg_attr(not(feature = "toml"), allow(dead_code))]
    pub source_text: Option<SourceTextDef>,
    #[cfg_attr(not(feature = "toml"), allow(dead_code))]
    pub clauses: Vec<(ClauseDef, String)>,
}

impl ParsedFile {
    /// Put the top-level table `key` of a file in its place, each table deserialized on its own.
    /// Keys the format does not know were reported by the reader and are skipped here.
    pub(crate) fn take<V: TableValue>(&mut self, key: &str, value: V, file: &LoadedFile, diags: &mut Vec<Diagnostic>) {
        let ptr = format!("/{}", segment(key));
        match key {
            "documents" => self.documents = value.parse_list(&ptr, file, diags),
            "items" => self.items = value.parse_list(&ptr, file, diags),
            "amendments" => self.amendments = value.parse_list(&ptr, file, diags),
            "parameters" => self.parameters = value.parse_list(&ptr, file, diags),
            "layer" => self.layer = value.parse_one(&ptr, file, diags).map(|(layer, _)| layer),
            "calendar" => self.calendar = value.parse_one(&ptr, file, diags).map(|(c, _)| c),
            "breaks" => self.breaks = value.parse_list(&ptr, file, diags),
            "festival_rules" => self.festival_rules = value.parse_list(&ptr, file, diags),
            "families" => self.families = value.parse_list(&ptr, file, diags),
            "scoring" => self.scoring = value.parse_list(&ptr, file, diags),
            // Clause texts serve the lint and explanations, which the browser package has not.
            #[cfg(feature = "toml")]
            "source_text" => self.source_text = value.parse_one(&ptr, file, diags).map(|(t, _)| t),
            #[cfg(feature = "toml")]
            "clauses" => self.clauses = value.parse_list(&ptr, file, diags),
            "calendar_settings" => self.calendar_settings = value.parse_one(&ptr, file, diags).map(|(c, _)| c),
            _ => {}
        }
    }
}

/// A table of a rule file as its reader found it (a TOML value with spans, or a JSON value).
pub(crate) trait TableValue: Sized {
    /// Deserialize one table; on a problem, report it at the table's place and return `None`.
    fn parse_one<T: for<'de> Deserialize<'de>>(
        self,
        ptr: &str,
        file: &LoadedFile,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<(T, String)>;

    /// Deserialize an array of tables, each on its own, with its pointer (`/items/3`).
    fn parse_list<T: for<'de> Deserialize<'de>>(
        self,
        ptr: &str,
        file: &LoadedFile,
        diags: &mut Vec<Diagnostic>,
    ) -> Vec<(T, String)>;
}

/// The problem a deserializer's message describes (`missing field `x`` is a missing key).
pub(crate) fn problem_from_message(message: String) -> RuleProblem {
    match message.strip_prefix("missing field `") {
        Some(rest) => RuleProblem::MissingKey { key: rest.split('`').next().unwrap_or(rest).to_string() },
        None => RuleProblem::InvalidValue { message },
    }
}

/// Parse `src`, appending every problem found to `diags`. Returns the file's tables that parsed,
/// with the file's location data, or only the location data when the file's syntax is broken.
pub(crate) fn parse_file(src: &SourceFile, diags: &mut Vec<Diagnostic>) -> (LoadedFile, Option<ParsedFile>) {
    if src.is_json() {
        return parse_json_file(src, diags);
    }
    #[cfg(feature = "toml")]
    {
        super::toml_reader::parse_toml_file(src, rule_file_schema(), diags)
    }
    #[cfg(not(feature = "toml"))]
    {
        let loaded = LoadedFile::new(src);
        let location = Location { file: Some(loaded.path.clone()), ..Location::default() };
        diags.push(make_diagnostic(RuleProblem::TomlUnavailable, location));
        (loaded, None)
    }
}

/// Read a JSON (compiled) rule file. Unknown top-level keys are reported here; unknown keys inside
/// a table are refused by the table's own deserializer (every table denies unknown fields).
fn parse_json_file(src: &SourceFile, diags: &mut Vec<Diagnostic>) -> (LoadedFile, Option<ParsedFile>) {
    let loaded = LoadedFile::new(src);
    let at_file = || Location { file: Some(loaded.path.clone()), ..Location::default() };
    let root: Json = match crate::json::parse_strict(&src.text) {
        Ok(root) => root,
        Err(e) => {
            let text = e.to_string();
            let message = text.rfind(" at line ").and_then(|i| text.get(..i)).unwrap_or(&text).to_string();
            let location =
                Location { line: u32::try_from(e.line()).ok(), column: u32::try_from(e.column()).ok(), ..at_file() };
            diags.push(make_diagnostic(RuleProblem::JsonSyntax { message }, location));
            return (loaded, None);
        }
    };
    let table = match root {
        Json::Object(table) => table,
        // The build script stores a bundled file that it could not compile as the TOML
        // parser's message.
        Json::String(message) => {
            diags.push(make_diagnostic(RuleProblem::Syntax { message }, at_file()));
            return (loaded, None);
        }
        _ => {
            let message = "a rule file is an object of tables".to_string();
            diags.push(make_diagnostic(RuleProblem::JsonSyntax { message }, at_file()));
            return (loaded, None);
        }
    };
    let mut file = ParsedFile::default();
    for (key, value) in table {
        if !TOP_LEVEL_KEYS.contains(&key.as_str()) {
            let expected = TOP_LEVEL_KEYS.iter().map(|k| k.to_string()).collect();
            let ptr = format!("/{}", segment(&key));
            let location = Location { pointer: Some(ptr), ..at_file() };
            diags.push(make_diagnostic(RuleProblem::UnknownKey { key, expected }, location));
            continue;
        }
        file.take(&key, value, &loaded, diags);
    }
    (loaded, Some(file))
}

impl TableValue for Json {
    fn parse_one<T: for<'de> Deserialize<'de>>(
        self,
        ptr: &str,
        file: &LoadedFile,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<(T, String)> {
        match crate::json::from_value::<T>(self) {
            Ok(v) => Some((v, ptr.to_string())),
            Err(e) => {
                diags.push(make_diagnostic(problem_from_message(e.to_string()), file.location(ptr)));
                None
            }
        }
    }

    fn parse_list<T: for<'de> Deserialize<'de>>(
        self,
        ptr: &str,
        file: &LoadedFile,
        diags: &mut Vec<Diagnostic>,
    ) -> Vec<(T, String)> {
        match self {
            Json::Array(items) => items
                .into_iter()
                .enumerate()
                .filter_map(|(i, item)| item.parse_one(&format!("{ptr}/{i}"), file, diags))
                .collect(),
            other => {
                let found = match other {
                    Json::Object(_) => "a table",
                    Json::String(_) => "a string",
                    Json::Number(_) => "a number",
                    Json::Bool(_) => "a boolean",
                    _ => "null",
                };
                let message = format!("expected an array of tables, found {found}");
                diags.push(make_diagnostic(RuleProblem::InvalidValue { message }, file.location(ptr)));
                Vec::new()
            }
        }
    }
}
