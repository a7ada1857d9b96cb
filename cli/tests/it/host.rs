//! What a host stores beside a log, on the command line: `replay --expect-head` and
//! `--key-file`, and the nightly `due` over units and open cases (issue 19).

use std::path::PathBuf;

use super::{cunwu, repo_root, stdout};

const CASE: &str = "examples/procedure/village-2026-q1.jsonl";
/// The corpus's chain key (tests/cases/host.json), as hex.
const KEY: &str = "746865207365637265742074686520686f737420686f6c6473206f75747369646520746865207461626c65";

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("cunwu-host-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn head_of(path: &str, extra: &[&str]) -> String {
    let mut args = vec!["procedure", "replay", path, "--format", "json"];
    args.extend_from_slice(extra);
    let out = cunwu(&args);
    assert!(out.status.success(), "{}", stderr(&out));
    let view: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    view["head"].as_str().unwrap().to_string()
}

#[test]
fn replay_against_the_stored_head_refuses_a_truncated_or_extended_log() {
    let dir = scratch("head");
    let head = head_of(CASE, &[]);
    assert!(head.starts_with("11:"), "{head}");
    let ok = cunwu(&["procedure", "replay", CASE, "--expect-head", &head]);
    assert!(ok.status.success(), "{}", stderr(&ok));
    let text = std::fs::read_to_string(repo_root().join(CASE)).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    for k in 1..lines.len() {
        let cut = dir.join(format!("cut-{k}.jsonl"));
        std::fs::write(&cut, lines[..lines.len() - k].join("\n") + "\n").unwrap();
        let cut = cut.display().to_string();
        // Without the head a shorter log replays (it is a valid earlier state) ...
        assert!(cunwu(&["procedure", "replay", &cut]).status.success());
        // ... with it, it is refused.
        let out = cunwu(&["procedure", "replay", &cut, "--expect-head", &head]);
        assert_eq!(out.status.code(), Some(1), "k = {k}");
        assert!(stderr(&out).contains("LOG_TRUNCATED"), "k = {k}: {}", stderr(&out));
    }
    let short = head_of(&dir.join("cut-4.jsonl").display().to_string(), &[]);
    let out = cunwu(&["procedure", "replay", CASE, "--expect-head", &short]);
    assert!(stderr(&out).contains("LOG_UNEXPECTED_ENTRIES"), "{}", stderr(&out));
    for bad in ["11", "11:abc", "x:0000", ""] {
        let out = cunwu(&["procedure", "replay", CASE, "--expect-head", bad]);
        assert_eq!(out.status.code(), Some(1), "{bad}");
        assert!(stderr(&out).contains("LOG_BAD_HEAD"), "{bad}: {}", stderr(&out));
    }
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_keyed_log_needs_its_key_and_a_rechained_one_is_refused_with_it() {
    let dir = scratch("key");
    let key = dir.join("key.hex");
    std::fs::write(&key, format!("{KEY}\n")).unwrap();
    let key = key.display().to_string();
    let keyed = "tests/fixtures/logs/keyed.jsonl";
    let out = cunwu(&["procedure", "replay", keyed, "--key-file", &key]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("审查通过"), "{}", stdout(&out));
    let out = cunwu(&["procedure", "replay", keyed]);
    assert!(stderr(&out).contains("LOG_KEY_REQUIRED"), "{}", stderr(&out));
    for rewritten in ["tests/fixtures/logs/keyed-rechained.jsonl", "tests/fixtures/logs/keyed-rechained-marked.jsonl"] {
        let out = cunwu(&["procedure", "replay", rewritten, "--key-file", &key]);
        assert_eq!(out.status.code(), Some(1), "{rewritten}: {}", stdout(&out));
        assert!(stderr(&out).contains("LOG_"), "{rewritten}: {}", stderr(&out));
    }
    // The wrong key: the chain does not verify.
    let wrong = dir.join("wrong.hex");
    std::fs::write(&wrong, "00".repeat(32)).unwrap();
    let out = cunwu(&["procedure", "replay", keyed, "--key-file", wrong.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    // A key file that is not a key, or too large to be one, is refused unread.
    let bad = dir.join("bad.hex");
    std::fs::write(&bad, "not hex").unwrap();
    let out = cunwu(&["procedure", "replay", keyed, "--key-file", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("bad.hex"), "{}", stderr(&out));
    std::fs::write(&bad, "a".repeat(5000)).unwrap();
    let out = cunwu(&["procedure", "replay", keyed, "--key-file", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    // The key never appears in any output.
    let out = cunwu(&["procedure", "replay", keyed, "--key-file", &key, "--format", "json"]);
    assert!(!stdout(&out).contains(KEY) && !stderr(&out).contains(KEY));
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn due_lists_open_cases_steps_and_units_obligations_and_names_what_it_could_not_read() {
    let dir = scratch("due");
    let text = std::fs::read_to_string(repo_root().join(CASE)).unwrap();
    let open: Vec<&str> = text.lines().take(7).collect();
    let logs = dir.join("logs");
    std::fs::create_dir_all(&logs).unwrap();
    std::fs::write(logs.join("open.jsonl"), open.join("\n") + "\n").unwrap();
    // Another case, closed (a case's id is its first entry's hash: a copy of the same case would be
    // counted once, and said).
    let closed = std::fs::read_to_string(repo_root().join("tests/fixtures/logs/upgrade-before.jsonl")).unwrap();
    std::fs::write(logs.join("closed.jsonl"), closed).unwrap();
    std::fs::write(logs.join("broken.jsonl"), "{not json}\n").unwrap();
    std::fs::write(logs.join("ignored.txt"), "not a log").unwrap();
    let units = dir.join("units.csv");
    std::fs::write(&units, "id,name,kind,district\nv1,示例村,village,\nc1,示例社区,community,\n").unwrap();
    let logs_arg = logs.display().to_string();
    let units_arg = units.display().to_string();
    let args = ["due", "2026-04-01", "2026-05-31", &logs_arg, "--units", &units_arg];

    let out = cunwu(&args);
    let shown = stdout(&out);
    // The broken log is a problem in its file: exit 1, and everything else is answered.
    assert_eq!(out.status.code(), Some(1), "{shown}");
    assert!(shown.contains("broken.jsonl") && shown.contains("LOG_PARSE"), "{shown}");
    assert!(shown.contains("已逾期 13 日 cq-demo-001 2026-Q1 案件 2ffcac3ddc15 审查期限"), "{shown}");
    assert!(shown.contains(" v1 ") && shown.contains(" c1 "), "{shown}");
    assert!(!shown.contains("Review") && !shown.contains("filed"), "English in the text: {shown}");

    let mut json_args = args.to_vec();
    json_args.extend(["--format", "json"]);
    let out = cunwu(&json_args);
    let list: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let entries = list["entries"].as_array().unwrap();
    let dates: Vec<&str> = entries.iter().map(|e| e["date"].as_str().unwrap()).collect();
    assert!(dates.windows(2).all(|w| w[0] <= w[1]), "{dates:?}");
    let cases: Vec<&serde_json::Value> = entries.iter().filter(|e| e.get("case").is_some()).collect();
    assert_eq!(cases.len(), 1, "only the open case has a step due: {cases:?}");
    assert_eq!(cases[0]["state"], "overdue");
    let problems = list["problems"].as_array().unwrap();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(problems[0]["location"]["file"].as_str().unwrap().ends_with("broken.jsonl"));

    // Units as JSON Lines; a bad row is an error at its line.
    let jsonl = dir.join("units.jsonl");
    std::fs::write(&jsonl, "{\"id\": \"v1\", \"kind\": \"village\"}\n{\"id\": \"v2\", \"kind\": \"town\"}\n").unwrap();
    let out = cunwu(&["due", "2026-04-01", "2026-04-30", "--units", jsonl.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("units.jsonl:2"), "{}", stderr(&out));
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn due_reads_each_log_against_its_stored_head_and_lists_open_objections() {
    let dir = scratch("due-heads");
    let text = std::fs::read_to_string(repo_root().join(CASE)).unwrap();
    let open: Vec<&str> = text.lines().take(7).collect();
    let cut = dir.join("cut.jsonl");
    std::fs::write(&cut, open.join("\n") + "\n").unwrap();
    // Another case, whole (closed).
    let whole = dir.join("whole.jsonl");
    std::fs::write(
        &whole,
        std::fs::read_to_string(repo_root().join("tests/fixtures/logs/upgrade-before.jsonl")).unwrap(),
    )
    .unwrap();
    let objection = repo_root().join("tests/fixtures/logs/objection-filed.jsonl");
    let full_head = head_of(CASE, &[]);
    let cut_head = head_of(cut.to_str().unwrap(), &[]);
    let whole_head = head_of(whole.to_str().unwrap(), &[]);
    let heads = dir.join("heads.txt");
    // The cut file is stored with the whole log's head: it was cut after it was stored.
    std::fs::write(&heads, format!("# path head\n{} {full_head}\n{} {whole_head}\n", cut.display(), whole.display()))
        .unwrap();
    let (cut_arg, whole_arg, heads_arg) =
        (cut.display().to_string(), whole.display().to_string(), heads.display().to_string());
    let objection_arg = objection.display().to_string();
    let args = [
        "due",
        "2026-04-20",
        "2026-05-31",
        &cut_arg,
        &whole_arg,
        "--objections",
        &objection_arg,
        "--heads",
        &heads_arg,
    ];
    let out = cunwu(&args);
    let shown = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{shown}");
    assert!(shown.contains("cut.jsonl") && shown.contains("LOG_TRUNCATED"), "{shown}");
    // The objection has no head in the file: a problem, not read unchecked.
    assert!(shown.contains("objection-filed.jsonl") && shown.contains("no head for this log"), "{shown}");
    // With its own head, the cut log is the open case it is; the objection's reply is overdue.
    let objection_head = {
        let out = cunwu(&["objection", "replay", &objection_arg, "--format", "json"]);
        let view: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
        view["head"].as_str().unwrap().to_string()
    };
    std::fs::write(
        &heads,
        format!("{cut_arg} {cut_head}\n{whole_arg} {whole_head}\n{objection_arg} {objection_head}\n"),
    )
    .unwrap();
    let out = cunwu(&args);
    let shown = stdout(&out);
    assert!(out.status.success(), "{shown}{}", stderr(&out));
    assert!(shown.contains("审查期限") && shown.contains("异议 ") && shown.contains("答复期限"), "{shown}");
    // A head stored for a log that is not given: said, not ignored.
    std::fs::write(
        &heads,
        format!(
            "{cut_arg} {cut_head}\n{whole_arg} {whole_head}\n{objection_arg} {objection_head}\ngone.jsonl {cut_head}\n"
        ),
    )
    .unwrap();
    let out = cunwu(&args);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).contains("gone.jsonl"), "{}", stdout(&out));
    // A bad line in the heads file is an error at its line.
    std::fs::write(&heads, format!("{cut_arg} {cut_head}\n{whole_arg} 11:abc\n")).unwrap();
    let out = cunwu(&args);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("heads.txt:2"), "{}", stderr(&out));
    let _ = std::fs::remove_dir_all(dir);
}
