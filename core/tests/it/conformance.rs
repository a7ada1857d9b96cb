//! The conformance corpus under `tests/cases/`, run through the core API. The Python and WASM
//! runners read the same files and must reach the same verdicts.

use cunwu_core::api::{self, FileInput, RulesInput};
use cunwu_core::rules::merge_sources;
use serde_json::{Value, json};

use crate::repo_root;

/// Does `actual` match `expected` under the corpus rules (tests/README.md)?
pub fn matches(expected: &Value, actual: &Value, path: &str, failures: &mut Vec<String>) {
    match expected {
        Value::Object(exp) if exp.keys().any(|k| k.starts_with('$') && k != "$absent") => {
            let arr = actual.as_array();
            for (op, arg) in exp {
                match (op.as_str(), arr) {
                    ("$len", Some(a)) if Some(a.len() as u64) != arg.as_u64() => {
                        failures.push(format!("{path}: length {} != {arg}", a.len()))
                    }
                    ("$min_len", Some(a)) if (a.len() as u64) < arg.as_u64().unwrap_or(0) => {
                        failures.push(format!("{path}: length {} < {arg}", a.len()))
                    }
                    ("$contains", Some(a)) => {
                        for (i, want) in arg.as_array().into_iter().flatten().enumerate() {
                            if !a.iter().any(|got| ok(want, got)) {
                                failures.push(format!("{path}: no element matches $contains[{i}] = {want}"));
                            }
                        }
                    }
                    ("$excludes", Some(a)) => {
                        for (i, unwanted) in arg.as_array().into_iter().flatten().enumerate() {
                            if let Some(got) = a.iter().find(|got| ok(unwanted, got)) {
                                failures.push(format!("{path}: $excludes[{i}] matched {got}"));
                            }
                        }
                    }
                    ("$len" | "$min_len", Some(_)) => {}
                    (op, None) => failures.push(format!("{path}: {op} needs an array, found {actual}")),
                    (op, Some(_)) => failures.push(format!("{path}: unknown matcher {op}")),
                }
            }
        }
        Value::Object(exp) => match actual.as_object() {
            Some(act) => {
                for (k, v) in exp {
                    if k == "$absent" {
                        for name in v.as_array().into_iter().flatten().filter_map(Value::as_str) {
                            if act.contains_key(name) {
                                failures.push(format!("{path}/{name}: present, expected absent"));
                            }
                        }
                        continue;
                    }
                    match act.get(k) {
                        Some(a) => matches(v, a, &format!("{path}/{k}"), failures),
                        None => failures.push(format!("{path}/{k}: missing")),
                    }
                }
            }
            None => failures.push(format!("{path}: expected an object, found {actual}")),
        },
        Value::Array(exp) => match actual.as_array() {
            Some(act) if act.len() == exp.len() => {
                for (i, (e, a)) in exp.iter().zip(act).enumerate() {
                    matches(e, a, &format!("{path}/{i}"), failures);
                }
            }
            _ => failures.push(format!("{path}: expected {expected}, found {actual}")),
        },
        Value::Number(n) => {
            if actual.as_f64() != n.as_f64() {
                failures.push(format!("{path}: expected {expected}, found {actual}"));
            }
        }
        _ => {
            if expected != actual {
                failures.push(format!("{path}: expected {expected}, found {actual}"));
            }
        }
    }
}

fn ok(expected: &Value, actual: &Value) -> bool {
    let mut f = Vec::new();
    matches(expected, actual, "", &mut f);
    f.is_empty()
}

fn rules_input(spec: Option<&Value>) -> RulesInput {
    let bundled = spec.and_then(|s| s.get("bundled")).and_then(Value::as_bool).unwrap_or(true);
    let mut files = Vec::new();
    for dir in spec.and_then(|s| s.get("dirs")).and_then(Value::as_array).into_iter().flatten() {
        let dir = dir.as_str().unwrap_or_default();
        let read = cunwu_core::fs::read_rules_dir_as(repo_root().join(dir), dir).unwrap_or_default();
        files = merge_sources(files, &read);
    }
    let files = files.into_iter().map(|f| FileInput { path: f.path, text: f.text }).collect();
    RulesInput { files, bundled, limits: None }
}

/// Run one case through the core API and return the answer as JSON.
pub fn run_case(case: &Value) -> Value {
    let rules = rules_input(case.get("rules"));
    let request = case.get("request").cloned().unwrap_or(json!({}));
    let to_json = |v: Result<Value, serde_json::Error>| v.unwrap_or_else(|e| json!({ "runner_error": e.to_string() }));
    let op = case.get("op").and_then(Value::as_str).unwrap_or_default();
    if op == "procedure" || op == "objection" || op == "replay_log" || op == "due_between" {
        return match rules.load() {
            Ok(set) if op == "objection" => run_objection(&set, &request),
            Ok(set) if op == "replay_log" => run_replay_log(&set, &request),
            Ok(set) if op == "due_between" => run_due_between(&set, &request),
            Ok(set) => run_procedure(&set, &request),
            Err(e) => to_json(serde_json::to_value(api::Answer::<()>::failure(e.diagnostics()))),
        };
    }
    if op == "validate" {
        let submission = match request.get("file").and_then(Value::as_str) {
            Some(path) => serde_json::from_str(&std::fs::read_to_string(repo_root().join(path)).unwrap_or_default())
                .unwrap_or(Value::Null),
            None => request.get("submission").cloned().unwrap_or(Value::Null),
        };
        return match rules.load() {
            Ok(set) => to_json(serde_json::to_value(cunwu_core::validation::validate(&set, &submission))),
            Err(e) => to_json(serde_json::to_value(api::Answer::<()>::failure(e.diagnostics()))),
        };
    }
    if op == "lint" {
        return to_json(serde_json::to_value(api::lint(&rules)));
    }
    if op == "labels" {
        return json!({ "ok": true, "value": cunwu_core::names::labels().tables });
    }
    if op == "mask" {
        let text = request.get("text").and_then(Value::as_str).unwrap_or_default();
        return json!({ "ok": true, "value": cunwu_core::privacy::mask(text) });
    }
    let set = match rules.load() {
        Ok(set) => set,
        Err(e) => {
            return to_json(serde_json::to_value(api::Answer::<()>::failure(e.diagnostics())));
        }
    };
    match op {
        "resolve_catalogue" => match serde_json::from_value(request) {
            Ok(req) => to_json(serde_json::to_value(api::resolve_catalogue(&set, &req))),
            Err(e) => json!({ "runner_error": e.to_string() }),
        },
        "explain_item" => match serde_json::from_value(request) {
            Ok(req) => to_json(serde_json::to_value(api::explain_item(&set, &req))),
            Err(e) => json!({ "runner_error": e.to_string() }),
        },
        "diff_catalogue" => match serde_json::from_value(request) {
            Ok(req) => to_json(serde_json::to_value(api::diff_catalogue(&set, &req))),
            Err(e) => json!({ "runner_error": e.to_string() }),
        },
        "period" => match serde_json::from_value(request) {
            Ok(req) => to_json(serde_json::to_value(api::period(&set, &req))),
            Err(e) => json!({ "runner_error": e.to_string() }),
        },
        "schedule" => match serde_json::from_value(request) {
            Ok(req) => to_json(serde_json::to_value(api::schedule(&set, &req))),
            Err(e) => json!({ "runner_error": e.to_string() }),
        },
        "event_obligation" => match serde_json::from_value(request) {
            Ok(req) => to_json(serde_json::to_value(api::event_obligation(&set, &req))),
            Err(e) => json!({ "runner_error": e.to_string() }),
        },
        "after_posting" => match serde_json::from_value(request) {
            Ok(req) => to_json(serde_json::to_value(api::after_posting(&set, &req))),
            Err(e) => json!({ "runner_error": e.to_string() }),
        },
        "calendar_days" => match serde_json::from_value(request) {
            Ok(req) => to_json(serde_json::to_value(api::calendar_days(&set, &req))),
            Err(e) => json!({ "runner_error": e.to_string() }),
        },
        "unit_compliance" => match serde_json::from_value(request) {
            Ok(req) => to_json(serde_json::to_value(api::unit_compliance(&set, &req))),
            Err(e) => json!({ "runner_error": e.to_string() }),
        },
        "compliance" => {
            let mut request = request;
            // A folder of record files, read as the CLI reads it, paths shown relative to it.
            if let Some(dir) = request.as_object_mut().and_then(|o| o.remove("dir")) {
                let dir = dir.as_str().unwrap_or_default().to_string();
                let (files, _) = cunwu_core::fs::read_records_dir(repo_root().join(&dir)).unwrap_or_default();
                let files: Vec<Value> = files
                    .into_iter()
                    .map(|f| {
                        let name = f.path.rsplit('/').next().unwrap_or_default().to_string();
                        json!({ "path": format!("{dir}/{name}"), "text": f.text })
                    })
                    .collect();
                request["files"] = Value::Array(files);
            }
            match serde_json::from_value(request) {
                Ok(req) => to_json(serde_json::to_value(api::compliance(&set, &req))),
                Err(e) => json!({ "runner_error": e.to_string() }),
            }
        }
        other => json!({ "runner_error": format!("unknown op {other}") }),
    }
}

/// Apply a tamper action (tests/README.md) to the lines of a JSON Lines log.
pub fn tamper(jsonl: &str, t: &Value) -> String {
    let mut entries: Vec<Value> = jsonl.lines().filter_map(|l| serde_json::from_str(l).ok()).collect();
    let index = t.get("index").and_then(Value::as_u64).unwrap_or(0) as usize;
    match t.get("action").and_then(Value::as_str).unwrap_or_default() {
        "change" => {
            let pointer = t.get("pointer").and_then(Value::as_str).unwrap_or_default();
            if let Some(slot) = entries.get_mut(index).and_then(|e| e.pointer_mut(pointer)) {
                *slot = t.get("value").cloned().unwrap_or(Value::Null);
            }
        }
        "remove" => {
            entries.remove(index);
        }
        "swap" => entries.swap(index, index + 1),
        "insert" => {
            let copy = entries[index].clone();
            entries.insert(index + 1, copy);
        }
        "truncate" => entries.truncate(index),
        other => panic!("unknown tamper action {other}"),
    }
    entries.iter().map(|e| format!("{e}\n")).collect()
}

/// The head of a log's first `k` entries, as every runner computes it for `expected_head_at`.
fn head_at(log: &[Value], k: usize) -> String {
    match k.checked_sub(1).and_then(|i| log.get(i)) {
        Some(e) => format!("{k}:{}", e["hash"].as_str().unwrap_or_default()),
        None => format!("{k}:{}", cunwu_core::log::GENESIS),
    }
}

/// An event or opening request as the corpus writes it, made into the API's: `expected_head_at`
/// (a number of entries of the log so far) becomes `expected_head`, and the case's `chain_key`
/// goes with every request.
fn with_log_fields(mut req: Value, request: &Value, log: &[Value]) -> Value {
    if let Some(obj) = req.as_object_mut() {
        if let Some(k) = obj.remove("expected_head_at") {
            obj.insert("expected_head".into(), json!(head_at(log, k.as_u64().unwrap_or(0) as usize)));
        }
        if let Some(key) = request.get("chain_key") {
            obj.insert("chain_key".into(), key.clone());
        }
    }
    req
}

/// The replay request: the log, `today`, and the case's `replay` options (`expected_head_at`,
/// `expected_head`, `chain_key`, which defaults to the case's, and `estimate`).
pub fn replay_request(request: &Value, jsonl: &str, log: &[Value]) -> Value {
    let mut req = json!({ "jsonl": jsonl });
    if let Some(t) = request.get("today") {
        req["today"] = t.clone();
    }
    if let Some(key) = request.get("chain_key") {
        req["chain_key"] = key.clone();
    }
    if let Some(Value::Object(options)) = request.get("replay") {
        for (k, v) in options {
            match k.as_str() {
                "expected_head_at" => req["expected_head"] = json!(head_at(log, v.as_u64().unwrap_or(0) as usize)),
                _ => req[k.as_str()] = v.clone(),
            }
        }
    }
    if req.get("chain_key").is_some_and(Value::is_null) {
        req.as_object_mut().map(|o| o.remove("chain_key"));
    }
    req
}

/// Drive a journal the way every binding does: start it from `request[first]`, apply
/// `request["events"]` one by one (stopping at the first refusal, reported as `failed_at`),
/// optionally tamper with the resulting JSON Lines, and hand them to `replay` with the replay
/// request. With idempotency keys in the events, the answer also lists, per event, whether it
/// was appended.
fn run_journal<S, A, V, E>(
    request: &Value,
    first: &str,
    start: impl FnOnce(&S) -> api::Answer<V>,
    apply: impl Fn(&V, &A) -> api::Answer<V>,
    log: impl Fn(&V) -> &[cunwu_core::log::Entry<E>],
    appended: impl Fn(&V) -> Option<bool>,
    replay: impl FnOnce(&Value) -> Value,
) -> Value
where
    S: serde::de::DeserializeOwned,
    A: serde::de::DeserializeOwned,
    E: serde::Serialize,
{
    let failed =
        |at: Value, errors: Vec<cunwu_core::Diagnostic>| json!({ "ok": false, "failed_at": at, "errors": errors });
    let log_values = |v: &V| serde_json::to_value(log(v)).ok().and_then(|l| l.as_array().cloned()).unwrap_or_default();
    let opening: S = match serde_json::from_value(with_log_fields(request[first].clone(), request, &[])) {
        Ok(o) => o,
        Err(e) => return json!({ "runner_error": e.to_string() }),
    };
    let started = start(&opening);
    let Some(mut view) = started.value else { return failed(json!(first), started.errors) };
    let mut flags = Vec::new();
    for (i, event) in request["events"].as_array().into_iter().flatten().enumerate() {
        let req: A = match serde_json::from_value(with_log_fields(event.clone(), request, &log_values(&view))) {
            Ok(r) => r,
            Err(e) => return json!({ "runner_error": format!("event {i}: {e}") }),
        };
        let applied = apply(&view, &req);
        match applied.value {
            Some(v) => {
                flags.push(json!(appended(&v)));
                view = v
            }
            None => return failed(json!(i), applied.errors),
        }
    }
    let entries = log_values(&view);
    let mut jsonl = cunwu_core::log::to_jsonl(log(&view));
    if let Some(t) = request.get("tamper") {
        jsonl = tamper(&jsonl, t);
    }
    let mut answer = replay(&replay_request(request, &jsonl, &entries));
    let keyed = request["events"].as_array().into_iter().flatten().any(|e| e.get("idempotency_key").is_some());
    if keyed {
        answer["appended"] = Value::Array(flags);
    }
    answer
}

fn to_json<T: serde::Serialize>(value: &T) -> Value {
    serde_json::to_value(value).unwrap_or_else(|e| json!({ "runner_error": e.to_string() }))
}

fn replay_with<T: serde::Serialize>(req: &Value, f: impl FnOnce(&api::ReplayRequest) -> T) -> Value {
    match serde_json::from_value::<api::ReplayRequest>(req.clone()) {
        Ok(r) => to_json(&f(&r)),
        Err(e) => json!({ "runner_error": e.to_string() }),
    }
}

/// The rules a journal case is replayed under: `replay_rules` when given (an upgrade), else its
/// own.
fn replay_rules(set: &cunwu_core::RuleSet, request: &Value) -> Result<cunwu_core::RuleSet, Value> {
    match request.get("replay_rules") {
        None => Ok(set.clone()),
        Some(spec) => rules_input(Some(spec)).load().map_err(|e| to_json(&api::Answer::<()>::failure(e.diagnostics()))),
    }
}

fn run_procedure(set: &cunwu_core::RuleSet, request: &Value) -> Value {
    let later = match replay_rules(set, request) {
        Ok(s) => s,
        Err(e) => return e,
    };
    run_journal(
        request,
        "open",
        |open| api::case_open(set, open),
        |view: &api::CaseView, req| api::case_apply(set, view.log.clone(), req),
        |view| &view.log,
        |view| view.appended,
        |req| replay_with(req, |r| api::case_replay_request(&later, r)),
    )
}

fn run_objection(set: &cunwu_core::RuleSet, request: &Value) -> Value {
    let later = match replay_rules(set, request) {
        Ok(s) => s,
        Err(e) => return e,
    };
    let mut request = request.clone();
    if let Some(public) = request.get("public").cloned() {
        request["replay"]["public"] = public;
    }
    run_journal(
        &request,
        "file",
        |first| api::objection_file(set, first),
        |view: &api::ObjectionView, req| api::objection_apply(set, view.log.clone().unwrap_or_default(), req),
        |view| view.log.as_deref().unwrap_or(&[]),
        |view| view.appended,
        |req| replay_with(req, |r| api::objection_replay_request(&later, r)),
    )
}

/// `due_between`: the city-wide call, its cases and objections given as log files
/// (`case_files`, `objection_files`).
fn run_due_between(set: &cunwu_core::RuleSet, request: &Value) -> Value {
    let mut req = request.clone();
    if let Some(o) = req.as_object_mut() {
        for (files, field) in [("case_files", "cases"), ("objection_files", "objections")] {
            let files = o.remove(files).and_then(|f| f.as_array().cloned()).unwrap_or_default();
            let texts: Vec<Value> = files
                .iter()
                .map(|f| {
                    json!(std::fs::read_to_string(repo_root().join(f.as_str().unwrap_or_default())).unwrap_or_default())
                })
                .collect();
            o.insert(field.into(), Value::Array(texts));
        }
    }
    match serde_json::from_value::<api::DueRequest>(req) {
        Ok(r) => to_json(&api::due_between(set, &r)),
        Err(e) => json!({ "runner_error": e.to_string() }),
    }
}

/// `replay_log`: a stored log read from a file (`file`, relative to the repository root) and
/// replayed as a case or an objection with the request's options.
fn run_replay_log(set: &cunwu_core::RuleSet, request: &Value) -> Value {
    let path = request.get("file").and_then(Value::as_str).unwrap_or_default();
    let jsonl = std::fs::read_to_string(repo_root().join(path)).unwrap_or_default();
    let mut req = request.clone();
    if let Some(o) = req.as_object_mut() {
        o.remove("file");
        o.remove("kind");
        o.insert("jsonl".into(), json!(jsonl));
    }
    match request.get("kind").and_then(Value::as_str) {
        Some("objection") => replay_with(&req, |r| api::objection_replay_request(set, r)),
        _ => replay_with(&req, |r| api::case_replay_request(set, r)),
    }
}

#[test]
fn conformance_corpus() {
    let dir = repo_root().join("tests/cases");
    let mut paths: Vec<_> = std::fs::read_dir(&dir).into_iter().flatten().flatten().map(|e| e.path()).collect();
    paths.retain(|p| p.extension().is_some_and(|e| e == "json"));
    paths.sort();
    assert!(!paths.is_empty(), "no case files in {}", dir.display());
    let mut failures = Vec::new();
    let mut count = 0;
    let mut parity = String::new();
    for path in paths {
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        let file: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let cases = file.get("cases").and_then(Value::as_array).cloned().unwrap_or_default();
        assert!(!cases.is_empty(), "{}: no cases", path.display());
        for case in cases {
            count += 1;
            let name = case.get("name").and_then(Value::as_str).unwrap_or("?").to_string();
            let answer = run_case(&case);
            let file_name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
            parity.push_str(&format!("{}\n", json!({ "case": format!("{file_name}: {name}"), "answer": answer })));
            let mut f = Vec::new();
            matches(case.get("expect").unwrap_or(&Value::Null), &answer, "", &mut f);
            if !f.is_empty() {
                failures.push(format!("{} :: {name}\n    {}", path.display(), f.join("\n    ")));
            }
        }
    }
    // Every runner writes its answers for tests/parity.py, which compares them byte for byte.
    if let Ok(dir) = std::env::var("CUNWU_PARITY_DIR") {
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(std::path::Path::new(&dir).join("rust.jsonl"), parity).unwrap();
    }
    assert!(failures.is_empty(), "{} of {count} conformance cases failed:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn matcher_rejects_what_it_should() {
    let actual = json!({ "a": [1, 2, 3], "b": { "c": "x" } });
    for (expected, should_match) in [
        (json!({ "a": { "$len": 3 } }), true),
        (json!({ "a": { "$len": 2 } }), false),
        (json!({ "a": { "$min_len": 4 } }), false),
        (json!({ "a": { "$contains": [2] } }), true),
        (json!({ "a": { "$contains": [4] } }), false),
        (json!({ "a": { "$excludes": [2] } }), false),
        (json!({ "a": [1, 2] }), false),
        (json!({ "b": { "c": "y" } }), false),
        (json!({ "b": { "d": "x" } }), false),
        (json!({ "b": {} }), true),
    ] {
        assert_eq!(ok(&expected, &actual), should_match, "{expected}");
    }
}
