//! The bodies of cunwu's fuzz targets, shared by `cargo fuzz` (the binaries in `fuzz_targets/`)
//! and by `cargo test` on a stable toolchain, which replays the committed seed corpora and every
//! regression input (`regressions/<target>/`) through the same functions.
//!
//! Each body feeds arbitrary bytes to one entry point and checks, beyond "no panic", a law of that
//! entry point: the lint and the loader agree; a replayed log written back and replayed again
//! gives the same state; a period never ends before it starts; every answer serializes to JSON.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::OnceLock;

use cunwu_core::api::{self, ComplianceRequest, FileInput, PeriodRequest};
use cunwu_core::rules::{RuleSet, SourceFile, compile::compile};

/// The bundled rules, loaded once per process.
pub fn bundled() -> &'static RuleSet {
    static RULES: OnceLock<RuleSet> = OnceLock::new();
    RULES.get_or_init(|| RuleSet::bundled().expect("the bundled rules load"))
}

fn to_json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).expect("every answer serializes to JSON")
}

/// The rules loader and lint on one file, as TOML or as JSON (a text starting with `{`), alone or,
/// when the second byte is a multiple of 8, on top of the bundled rules (which costs a parse of
/// them per run, so it is the rarer path). Law: `load` succeeds exactly when the lint finds no
/// error, and a loaded set compiles to JSON that loads again with the same layers.
pub fn rules_loader(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let path = if text.trim_start().starts_with('{') { "layers/fuzz.json" } else { "layers/fuzz.toml" };
    let file = SourceFile::new(path, text);
    let with_bundled = data.get(1).is_some_and(|b| b % 8 == 0);
    let files = if with_bundled {
        cunwu_core::rules::merge_sources(cunwu_core::rules::bundled::toml_sources(), std::slice::from_ref(&file))
    } else {
        vec![file]
    };
    let diags = RuleSet::lint(&files);
    let loaded = RuleSet::load(&files);
    let has_errors = diags.iter().any(|d| d.is_error());
    assert_eq!(loaded.is_ok(), !has_errors, "load and lint disagree: {diags:?}");
    for d in &diags {
        assert!(!d.code.is_empty() && !d.message_zh.is_empty() && !d.message_en.is_empty());
    }
    if let Ok(set) = loaded {
        let compiled = compile(&files).expect("rules that load compile");
        let again = RuleSet::load(&compiled).expect("compiled rules load");
        assert_eq!(set.layers().len(), again.layers().len());
    }
}

/// Submission validation on arbitrary text. Laws: the answer serializes; a valid answer has no
/// error finding and no skipped check (ok ⇒ every check ran), and its submission reads as the
/// typed envelope and payload of some family (the schema's own types).
pub fn validator(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let answer = api::validate_text(bundled(), text);
    let json: serde_json::Value = serde_json::from_str(&to_json(&answer)).expect("answer JSON parses");
    if answer.ok {
        let findings = json["findings"].as_array().cloned().unwrap_or_default();
        assert!(findings.iter().all(|f| f["severity"] != "error"), "a valid answer with an error: {json}");
        // No silent pass: ok means every check ran, on a submission the typed reading accepts.
        assert!(findings.iter().all(|f| f["code"] != "VALIDATION_CHECK_SKIPPED"), "ok with a check skipped: {json}");
        let submission: serde_json::Value = serde_json::from_str(text).expect("an ok submission is JSON");
        assert!(
            cunwu_core::validation::Family::ALL
                .iter()
                .any(|f| cunwu_core::validation::read_typed(*f, &submission).is_ok()),
            "ok, but no family's typed reading accepts it: {text}"
        );
    }
}

/// Event-log import and replay (the disclosure procedure and the objection ladder). Law: a log
/// that replays, written back to JSON Lines, replays to the same state; its public view is the
/// public record only, with no personal number in it.
pub fn log_replay(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let rules = bundled();
    if let Ok(view) = api::try_case_replay(rules, text, Some("2026-06-30")) {
        let again = api::try_case_replay(rules, &cunwu_core::log::to_jsonl(&view.log), Some("2026-06-30"))
            .expect("a written-back log replays");
        assert_eq!(to_json(&view.state), to_json(&again.state));
    }
    if let Ok(view) = api::try_objection_replay(rules, text, Some("2026-06-30"), false) {
        let log = view.log.clone().unwrap_or_default();
        let again = api::try_objection_replay(rules, &cunwu_core::log::to_jsonl(&log), Some("2026-06-30"), false)
            .expect("a written-back log replays");
        assert_eq!(to_json(&view.state), to_json(&again.state));
        // The public view is the public record only, and it carries no personal number.
        let public = api::try_objection_replay(rules, text, None, true).expect("the public view of a replaying log");
        assert!(public.state.is_none() && public.log.is_none() && public.status.is_none());
        let record = public.public_record.expect("a public record");
        assert!(cunwu_core::privacy::find(&record.to_text()).is_empty(), "personal data in {}", record.to_text());
    }
}

/// Period arithmetic with any trigger date and length, absurd ones included (±2·10⁹ days, years
/// outside 0001–9999). Text starting with `{` is read as a request; other bytes are decoded into
/// a day offset from 2026-01-01, a length, a unit and the flags. Law: a period never ends before
/// its trigger, and a refusal is an error answer.
pub fn period(data: &[u8]) {
    let request = if data.first() == Some(&b'{') {
        match std::str::from_utf8(data).ok().and_then(|t| serde_json::from_str::<PeriodRequest>(t).ok()) {
            Some(r) => r,
            None => return,
        }
    } else {
        let mut bytes = [0u8; 14];
        for (slot, b) in bytes.iter_mut().zip(data) {
            *slot = *b;
        }
        let [a, b, c, d, e, f, g, h, i, j, k, l, m, n] = bytes;
        let offset = i64::from(i32::from_le_bytes([a, b, c, d]));
        let length = i64::from_le_bytes([e, f, g, h, i, j, k, l]) >> (m % 64);
        let unit = ["d", "m", "wd", "y", ""][usize::from(n % 5)];
        let start = chrono::NaiveDate::from_ymd_opt(2026, 1, 1)
            .and_then(|d| d.checked_add_signed(chrono::TimeDelta::try_days(offset)?))
            .map(|d| d.to_string())
            .unwrap_or_else(|| format!("{offset}-01-01"));
        PeriodRequest {
            start,
            length: format!("{length:+}{unit}"),
            extension: Some(m & 1 == 1),
            rule: None,
            estimate: m & 2 == 2,
        }
    };
    let answer = api::period(bundled(), &request);
    let _ = to_json(&answer);
    if let (Some(deadline), Ok(start)) = (&answer.value, api::parse_date(&request.start, "/start")) {
        if !request.length.trim_start().starts_with('-') {
            assert!(deadline.date >= start, "{request:?} ended before it started: {}", deadline.date);
        }
    }
}

/// The compliance file reader: the text is split at NUL bytes into a units file and record files,
/// whose kinds and formats (CSV or JSON Lines) the first byte chooses. Law: the report
/// serializes, and every problem names a file.
pub fn compliance_reader(data: &[u8]) {
    const KINDS: [&str; 9] =
        ["units", "postings", "filings", "reviews", "republications", "events", "objections", "replies", "benefits"];
    let Some((&selector, rest)) = data.split_first() else { return };
    let Ok(text) = std::str::from_utf8(rest) else { return };
    let mut files = Vec::new();
    for (i, part) in text.split('\0').take(4).enumerate() {
        let kind = if i == 0 { "units" } else { KINDS[(usize::from(selector) + i) % KINDS.len()] };
        let ext = if (selector >> i) & 1 == 0 { "csv" } else { "jsonl" };
        files.push(FileInput { path: format!("{kind}.{ext}"), text: part.into() });
    }
    // The same kind twice is a reader error, not a crash: keep only the first of each name.
    let mut seen = std::collections::HashSet::new();
    files.retain(|f| seen.insert(f.path.clone()));
    let request =
        ComplianceRequest { year: 2026, as_of: Some("2026-06-30".into()), rows: serde_json::Value::Null, files };
    let answer = api::compliance(bundled(), &request);
    let json = to_json(&answer);
    if let Some(report) = &answer.value {
        for p in &report.problems {
            assert!(p.location.file.is_some() || p.location.pointer.is_some(), "a problem with no place: {json}");
        }
    }
}

#[cfg(test)]
mod tests {
    //! Replays the seed corpora and the regression inputs on any toolchain.
    use std::path::Path;

    fn replay(target: &str, body: fn(&[u8])) {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut count = 0;
        for dir in [root.join("corpus").join(target), root.join("regressions").join(target)] {
            let Ok(entries) = std::fs::read_dir(&dir) else { continue };
            let mut paths: Vec<_> = entries.flatten().map(|e| e.path()).filter(|p| p.is_file()).collect();
            paths.sort();
            for path in paths {
                // A fuzzer running beside the tests may replace corpus files as they are read.
                let Ok(data) = std::fs::read(&path) else { continue };
                body(&data);
                count += 1;
            }
        }
        assert!(count > 0, "no seed inputs for {target}");
    }

    #[test]
    fn rules_loader_seeds() {
        replay("rules_loader", super::rules_loader);
    }
    #[test]
    fn validator_seeds() {
        replay("validator", super::validator);
    }
    #[test]
    fn log_replay_seeds() {
        replay("log_replay", super::log_replay);
    }
    #[test]
    fn period_seeds() {
        replay("period", super::period);
    }
    #[test]
    fn compliance_reader_seeds() {
        replay("compliance_reader", super::compliance_reader);
    }
}
