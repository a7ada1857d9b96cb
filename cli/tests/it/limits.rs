//! The command line's rows of `tests/limits.json` (rendered as `docs/limits.md`): every command is
//! listed, and for every limit listed, input just under it works and input just over it fails
//! with the code shown, naming the limit.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

use super::repo_root;

fn run(args: &[String]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cunwu")).args(args).current_dir(repo_root()).output().unwrap()
}

fn text(o: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

fn table() -> Value {
    let text = std::fs::read_to_string(repo_root().join("tests/limits.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn rows(surface: &str) -> Vec<Value> {
    table()["entry_points"].as_array().unwrap().iter().filter(|r| r["surface"] == surface).cloned().collect()
}

/// The subcommands `cunwu [parent] --help` lists, without `help`.
fn subcommands(parent: &[&str]) -> Vec<String> {
    let mut args: Vec<String> = parent.iter().map(|s| s.to_string()).collect();
    args.push("--help".into());
    let help = text(&run(&args));
    let section = help.split("Commands:").nth(1).unwrap_or("").split("\n\n").next().unwrap_or("");
    section.lines().filter_map(|l| l.split_whitespace().next()).filter(|c| *c != "help").map(String::from).collect()
}

#[test]
fn every_command_is_in_the_table() {
    let mut commands = BTreeSet::new();
    for c in subcommands(&[]) {
        let nested = subcommands(&[c.as_str()]);
        if nested.is_empty() {
            commands.insert(c);
        } else {
            commands.extend(nested.into_iter().map(|n| format!("{c} {n}")));
        }
    }
    assert!(commands.len() > 15, "{commands:?}");
    let listed: BTreeSet<String> = rows("cli").iter().map(|r| r["entry"].as_str().unwrap().to_string()).collect();
    assert_eq!(commands, listed, "tests/limits.json and `cunwu --help` disagree");
}

/// A fresh scratch folder.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("cunwu-limits-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// A copy of the bundled rules whose largest file is padded with a comment to 256 KiB, and the
/// size of all its rule files together: the rule-file probe's boundary (files are bounded each
/// and together).
fn padded_rules() -> (PathBuf, usize) {
    let dir = scratch("rules").join("rules");
    copy_dir(&repo_root().join("rules"), &dir);
    let file = dir.join("layers/cq-policy-2018.toml");
    let mut body = std::fs::read_to_string(&file).unwrap();
    body.push_str("\n# padding\n");
    while body.len() < 256 << 10 {
        body.push_str("# 填充 padding line for the limits test\n");
    }
    std::fs::write(&file, &body).unwrap();
    let total = cunwu_core::fs::read_rules_dir(&dir).unwrap().iter().map(|f| f.text.len()).sum();
    (dir, total)
}

fn s(v: &str) -> String {
    v.to_string()
}

/// The arguments of a command that succeeds on the repository's examples.
fn base_args(entry: &str, scratch_dir: &Path) -> Vec<String> {
    let a: Vec<&str> = match entry {
        "rules show" => vec!["rules", "show", "--as-of", "2026-01-01"],
        "rules diff" => vec!["rules", "diff", "--as-of", "2025-01-01", "--as-of", "2026-01-01"],
        "rules explain" => vec!["rules", "explain", "finance.income-expenditure", "--as-of", "2026-01-01"],
        "rules schema" => vec!["rules", "schema"],
        "rules lint" => vec!["rules", "lint", "rules"],
        "rules compile" => vec!["rules", "compile", "examples/districts"],
        "period" => vec!["period", "2026-01-05", "+5d"],
        "schedule" => vec!["schedule", "--kind", "village", "--year", "2026"],
        "event" => vec!["event", "finance.land-compensation", "2026-03-02"],
        "posted" => vec!["posted", "finance.income-expenditure", "2026-03-02"],
        "procedure diagram" => vec!["procedure", "diagram"],
        "procedure requirements" => vec!["procedure", "requirements", "--kind", "village", "--period", "2026-Q1"],
        "procedure replay" => vec!["procedure", "replay", "examples/procedure/village-2026-q1.jsonl"],
        "objection replay" => vec!["objection", "replay", "examples/objection/village-2026-q1-objection.jsonl"],
        "validate" => vec!["validate", "examples/submissions/finance-good.json"],
        "compliance" => vec!["compliance", "examples/compliance", "--year", "2026"],
        "calendar" => vec!["calendar", "2026-01-01"],
        "due" => vec![
            "due",
            "2026-04-01",
            "2026-04-30",
            "examples/procedure/village-2026-q1.jsonl",
            "--units",
            "examples/compliance/units.csv",
        ],
        "synth" => {
            return vec![s("synth"), scratch_dir.join("synth").display().to_string()];
        }
        other => panic!("no arguments for `{other}`: add them here"),
    };
    a.into_iter().map(String::from).collect()
}

/// `args` with the file or folder argument of the command replaced.
fn with_input(entry: &str, args: &[String], input: &Path) -> Vec<String> {
    let position = match entry {
        "procedure replay" | "objection replay" | "rules lint" | "rules compile" => 2,
        "validate" | "compliance" => 1,
        "due" => 3,
        other => panic!("`{other}` takes no input file"),
    };
    let mut args = args.to_vec();
    args[position] = input.display().to_string();
    args
}

fn plus(args: &[String], extra: &[String]) -> Vec<String> {
    args.iter().chain(extra).cloned().collect()
}

/// Just under: no error about this limit, and the command ends as it does without limit flags.
fn assert_under(args: &[String], baseline: &Output, marker: &str) {
    let out = run(args);
    let shown = text(&out);
    // The marker in the errors only: a compiled rule file carries its limits in its output.
    let errors = String::from_utf8_lossy(&out.stderr);
    assert!(!shown.contains("_TOO_LARGE") && !errors.contains(marker), "{args:?} just under the limit:\n{shown}");
    assert_eq!(out.status.code(), baseline.status.code(), "{args:?}:\n{shown}");
}

/// Just over: the code and the limit named, status 1.
fn assert_over(args: &[String], code: &str, marker: &str) {
    let out = run(args);
    let shown = text(&out);
    assert!(
        shown.contains(code) && shown.contains(marker),
        "{args:?} just over the limit, want {code} naming {marker}:\n{shown}"
    );
    assert_eq!(out.status.code(), Some(1), "{args:?}:\n{shown}");
}

/// The command with `flag` at `value` works as without it; at `value - 1` it fails with `code`
/// naming `marker`.
fn assert_boundary(args: &[String], baseline: &Output, flag: &str, value: usize, code: &str, marker: &str) {
    assert_under(&plus(args, &[s(flag), value.to_string()]), baseline, marker);
    assert_over(&plus(args, &[s(flag), (value - 1).to_string()]), code, marker);
}

fn nested(levels: usize) -> String {
    format!("{}{}", "[".repeat(levels), "]".repeat(levels))
}

#[test]
fn every_limit_of_every_command_holds_at_its_boundary() {
    let dir = scratch("probes");
    let (rules_dir, rule_bytes) = padded_rules();
    let mut probes = 0;
    for row in rows("cli") {
        let entry = row["entry"].as_str().unwrap();
        let args = base_args(entry, &dir);
        let baseline = run(&args);
        assert!(baseline.status.code().is_some_and(|c| c <= 1), "{entry}: {}", text(&baseline));
        for limit in row["limits"].as_array().unwrap() {
            let (id, code) = (limit["limit"].as_str().unwrap(), limit["code"].as_str().unwrap());
            probes += 1;
            match id {
                "rule_file_bytes" => {
                    let with_rules = if matches!(entry, "rules lint" | "rules compile") {
                        let a = with_input(entry, &args, &rules_dir);
                        if entry == "rules compile" { plus(&a, &[s("--without-bundled")]) } else { a }
                    } else {
                        plus(&args, &[s("--rules"), rules_dir.display().to_string()])
                    };
                    let base = run(&with_rules);
                    assert_boundary(&with_rules, &base, "--max-text-bytes", rule_bytes, code, "max_text_bytes");
                }
                "text_bytes" => {
                    let size =
                        input_paths(entry, &args).iter().map(|p| std::fs::metadata(p).unwrap().len()).max().unwrap();
                    let size = usize::try_from(size).unwrap();
                    assert_boundary(&args, &baseline, "--max-text-bytes", size, code, "max_text_bytes");
                }
                "file_lines" => {
                    let lines = input_paths(entry, &args)
                        .iter()
                        .map(|p| std::fs::read_to_string(p).unwrap().lines().count())
                        .max()
                        .unwrap();
                    assert_boundary(&args, &baseline, "--max-file-lines", lines, code, "max_file_lines");
                }
                "log_entries" => {
                    let log = if entry == "due" { &args[3] } else { &args[2] };
                    let entries = std::fs::read_to_string(repo_root().join(log)).unwrap().lines().count();
                    assert_boundary(&args, &baseline, "--max-log-entries", entries, code, "max_log_entries");
                }
                "json_nesting" => {
                    for (levels, over) in [(127, false), (128, true)] {
                        let file = dir.join(format!("nested-{levels}.json"));
                        let body = if entry == "validate" {
                            format!("{{\"family\": \"notice\", \"x\": {}}}", nested(levels - 1))
                        } else {
                            format!("{}\n", nested(levels))
                        };
                        std::fs::write(&file, body).unwrap();
                        let out = run(&with_input(entry, &args, &file));
                        let shown = text(&out);
                        assert_eq!(shown.contains("recursion limit"), over, "{entry}, {levels} levels:\n{shown}");
                        if over {
                            assert!(shown.contains(code), "{entry}, {levels} levels, want {code}:\n{shown}");
                        }
                    }
                }
                "period_length" => {
                    for (under, over, named) in [
                        ("+36600d", "+36601d", "36600"),
                        ("+1200m", "+1201m", "1200"),
                        ("+25000wd", "+25001wd", "25000"),
                    ] {
                        let mut a = vec![s("period"), s("2026-01-05"), s(under), s("--estimate")];
                        let out = run(&a);
                        assert!(out.status.success(), "{a:?}: {}", text(&out));
                        a[2] = s(over);
                        assert_over(&a, code, named);
                    }
                }
                "calendar_span" => {
                    let out = run(&[s(entry), s("2026-01-01"), s("2036-01-09"), s("--estimate")]);
                    assert!(out.status.success(), "{}", text(&out));
                    assert_over(&[s(entry), s("2026-01-01"), s("2036-01-10"), s("--estimate")], code, "3660");
                }
                other => panic!("{entry}: no probe for the limit `{other}`"),
            }
        }
    }
    assert!(probes >= 25, "only {probes} probes ran");
    let _ = std::fs::remove_dir_all(dir);
    let _ = std::fs::remove_dir_all(rules_dir.parent().unwrap());
}

/// The files a command's limits bound: the input file, or every record file of the folder.
fn input_paths(entry: &str, args: &[String]) -> Vec<PathBuf> {
    let path = repo_root().join(match entry {
        "validate" | "compliance" => &args[1],
        "due" => &args[3],
        _ => &args[2],
    });
    if path.is_dir() {
        std::fs::read_dir(&path).unwrap().flatten().map(|e| e.path()).filter(|p| p.is_file()).collect()
    } else {
        vec![path]
    }
}
