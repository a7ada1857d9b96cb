//! Generated artifacts committed to the repository must match what the code generates.
//! Run with `CUNWU_UPDATE_GENERATED=1` to rewrite them.

use crate::repo_root;

pub fn check(relative: &str, generated: &str) {
    let path = repo_root().join(relative);
    if std::env::var_os("CUNWU_UPDATE_GENERATED").is_some() {
        std::fs::write(&path, generated).unwrap_or_else(|e| panic!("writing {relative}: {e}"));
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "{relative} is stale; run `CUNWU_UPDATE_GENERATED=1 cargo test -p cunwu-core --test it generated` and commit it"
    );
}

#[test]
fn rule_file_schema_is_current() {
    check("rules/schema/rule-file.schema.json", &cunwu_core::rules::schema::generate_rule_file_schema());
}

/// The page a lawyer reviews: every obligation of the bundled rules, its force, values and the
/// quoted text of each clause it rests on.
#[test]
fn legal_basis_page_is_current() {
    let rules = cunwu_core::RuleSet::bundled().unwrap_or_else(|e| panic!("{e:#?}"));
    let day = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap_or_default();
    check("docs/legal-basis.md", &cunwu_core::explain::legal_basis_markdown(&rules, day).unwrap());
}

#[test]
fn error_code_list_is_current() {
    let codes = cunwu_core::api::error_codes();
    let mut text = serde_json::to_string_pretty(&codes).unwrap_or_default();
    text.push('\n');
    check("tests/error-codes.json", &text);
}

#[test]
fn bundled_list_names_every_rule_file() {
    let on_disk = cunwu_core::fs::read_rules_dir_as(repo_root().join("rules"), "rules").unwrap_or_default();
    let mut disk: Vec<String> = on_disk.into_iter().map(|f| f.path).collect();
    let mut bundled: Vec<String> = cunwu_core::rules::bundled::FILES.iter().map(|(p, _)| p.to_string()).collect();
    disk.sort();
    bundled.sort();
    assert_eq!(disk, bundled, "rules/ and core/src/rules/bundled.rs disagree");
}

#[test]
fn error_codes_are_unique() {
    let codes = cunwu_core::api::error_codes();
    let mut seen = std::collections::BTreeSet::new();
    for c in &codes {
        assert!(seen.insert(c.code.clone()), "duplicate code {}", c.code);
    }
}

#[test]
fn procedure_diagram_is_current() {
    let mut text = String::from(
        "# The disclosure procedure\n\nGenerated from `core/src/procedure.rs` (`TRANSITIONS`) by `cargo test`; \
         also printed by `cunwu procedure diagram`. Each edge: event, step, who takes it, the deadline parameter.\n\n",
    );
    for (title, pipeline) in [
        ("General affairs (五个程序)", cunwu_core::procedure::Pipeline::General),
        ("Party affairs (党务公开)", cunwu_core::procedure::Pipeline::Party),
    ] {
        text.push_str(&format!("## {title}\n\n```mermaid\n{}```\n\n", cunwu_core::procedure::mermaid(pipeline)));
    }
    check("docs/procedure.md", &text);
}

#[test]
fn submission_schemas_are_current() {
    for (name, text) in cunwu_core::rules::schema::generate_submission_schemas() {
        check(&format!("rules/schema/{name}"), &text);
    }
}

/// `docs/limits.md`, the table of every entry point on every surface and the limits that apply
/// to it, rendered from `tests/limits.json` (which the CLI, Python and WASM tests walk).
#[test]
fn limits_page_is_current() {
    let text = std::fs::read_to_string(repo_root().join("tests/limits.json")).unwrap_or_default();
    let table: serde_json::Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("tests/limits.json: {e}"));
    check("docs/limits.md", &limits_markdown(&table));
}

fn limits_markdown(table: &serde_json::Value) -> String {
    use std::fmt::Write as _;
    let s = |v: &serde_json::Value, k: &str| v.get(k).and_then(|x| x.as_str()).unwrap_or("").to_string();
    let mut out = String::from(
        "# Limits of every entry point\n\n\
         <!-- Generated from tests/limits.json by `CUNWU_UPDATE_GENERATED=1 cargo test -p cunwu-core --test it generated`; edit that file. -->\n\n\
         Every call of cunwu is bounded: hostile or mistaken input (a pasted file of gigabytes, a log of\n\
         millions of lines, JSON nested a thousand deep) gets a clear error in bounded time and memory,\n\
         and nothing is half-applied. The configurable limits travel with the rules: `Limits` and\n\
         `RuleSet::with_limits` in Rust, `Catalogue.with_limits(...)` in Python, `rules.limits` in the\n\
         browser and Node packages, `--max-text-bytes`, `--max-log-entries`, `--max-file-lines` on the\n\
         command line. Their defaults are local defaults (no regulation sets them), sized so that a whole\n\
         city's records pass. A message over a limit names it (`… the limit max_text_bytes`).\n\n\
         The tests `cli/tests/it/limits.rs`, `bindings-python/tests/test_limits.py` and\n\
         `bindings-wasm/tests/limits.test.mjs` walk this table: each checks that every entry point of its\n\
         surface is listed, and for each limit listed, that input just under it works and input just\n\
         over it gives the code shown, naming the limit.\n\n## The limits\n\n\
         | Limit | What it bounds | Setting | Value |\n|---|---|---|---|\n",
    );
    let empty = serde_json::Map::new();
    let limits = table.get("limits").and_then(|l| l.as_object()).unwrap_or(&empty);
    for (id, l) in limits {
        let _ = writeln!(
            out,
            "| `{id}` | {}（{}） | `{}` | {} |",
            s(l, "what"),
            s(l, "zh"),
            s(l, "setting"),
            s(l, "default")
        );
    }
    let rows: Vec<&serde_json::Value> =
        table.get("entry_points").and_then(|e| e.as_array()).map(|a| a.iter().collect()).unwrap_or_default();
    for (surface, title) in [
        ("cli", "Command line (`cunwu …`)"),
        ("python", "Python (`cunwu`)"),
        ("wasm", "WebAssembly (browser and Node packages)"),
    ] {
        let _ = write!(out, "\n## {title}\n\n| Entry point | Reads | Limits (code over the limit) |\n|---|---|---|\n");
        for r in rows.iter().filter(|r| s(r, "surface") == surface) {
            let bounds: Vec<String> = r
                .get("limits")
                .and_then(|l| l.as_array())
                .map(|a| a.iter().map(|l| format!("`{}` ({})", s(l, "limit"), s(l, "code"))).collect())
                .unwrap_or_default();
            let bounds = if bounds.is_empty() { format!("none: {}", s(r, "note")) } else { bounds.join(", ") };
            let only =
                if r.get("node_only").and_then(|v| v.as_bool()) == Some(true) { " (Node package only)" } else { "" };
            let _ = writeln!(out, "| `{}`{only} | {} | {} |", s(r, "entry"), s(r, "reads"), bounds);
        }
    }
    out.push_str(
        "\n## Memory\n\n\
         Record and rule folders are read one file at a time, each with a byte bound (never more than\n\
         the limit plus one byte), regular files only: a FIFO, a device or a socket is reported and never\n\
         opened, and a folder reached twice through links is walked once; the JSON report is streamed\n\
         to its file. The peak memory of `cunwu compliance` against the size of its input is measured\n\
         by `scripts/bench-surfaces` (`bench/memory.py`, its `memory` lines) at 1× and 4× the synthetic\n\
         city. Measured 2026-12-02: 140 MB for 121 MB of record files at 1× (1.16×), 533 MB for\n\
         485 MB at 4× (1.10×).\n",
    );
    out
}
