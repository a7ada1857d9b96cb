//! The commands that read many files or write many: the city's 考评, a synthetic city, the
//! nightly list of what is due.

use std::path::PathBuf;
use std::process::ExitCode;

use cunwu_core::{Diagnostic, api};

use crate::input::{
    LogFile, in_file, input_error, load_rules, log_index, log_paths, read_heads, read_key_file, read_logs, read_units,
};
use crate::output::{print_json, write_json_out, write_out};
use crate::{ComplianceFormat, Format, RecordFormat, RulesArgs, value_or_errors};

/// `cunwu compliance`: assess the records folder `dir` and write the report.
pub(crate) fn compliance(
    dir: &PathBuf,
    year: i32,
    as_of: Option<&str>,
    format: ComplianceFormat,
    worst: usize,
    out: Option<&PathBuf>,
    rules: &RulesArgs,
) -> Result<ExitCode, Vec<Diagnostic>> {
    use cunwu_core::compliance::{self, render};
    let set = load_rules(rules)?;
    let as_of = api::compliance_as_of(&set, year, as_of).map_err(|e| e.diagnostics())?;
    let data = cunwu_core::fs::read_records_dataset_with(dir, set.limits())?;
    let report = compliance::assess(&set, &data, year, as_of).map_err(|e| e.diagnostics())?;
    let text = match format {
        ComplianceFormat::Text => render::table(&report, worst),
        // Written as it is serialised: a city's JSON report is larger than its records, and
        // holding it as one string would double the run's peak memory.
        ComplianceFormat::Json => {
            write_json_out(out, &report)?;
            return compliance_status(&report);
        }
        ComplianceFormat::Csv => render::units_csv(&report),
        ComplianceFormat::FindingsCsv => render::findings_csv(&report),
        ComplianceFormat::Html => render::html(&report, worst),
    };
    write_out(out, &text)?;
    compliance_status(&report)
}

fn compliance_status(report: &cunwu_core::compliance::ComplianceReport) -> Result<ExitCode, Vec<Diagnostic>> {
    if report.problems.iter().any(Diagnostic::is_error) {
        eprintln!(
            "warning: 部分记录行或文件未能使用，见报告的“记录问题” / some rows or files could not be used; they are listed (or counted) in the report's problems"
        );
    }
    Ok(if report.has_errors() { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

/// `cunwu synth`: write a synthetic city's records.
pub(crate) fn synth(
    dir: &PathBuf,
    seed: u64,
    scale: &str,
    records: RecordFormat,
    rates: &[String],
    format: Format,
    rules: &RulesArgs,
) -> Result<ExitCode, Vec<Diagnostic>> {
    use cunwu_core::compliance::{records, synth};
    let set = load_rules(rules)?;
    let mut config = match scale {
        "small" => synth::SynthConfig::small(seed),
        n => match n.trim_end_matches(['x', '×']).parse::<u32>() {
            Ok(f) if (1..=64).contains(&f) => synth::SynthConfig::scaled(seed, f),
            _ => return Err(input_error("/scale", format!("`{scale}` is not `small` or a factor 1–64"))),
        },
    };
    config.keep_rows = true;
    // Rates go through the config's JSON form, so every rate the config knows is settable.
    let mut json = serde_json::to_value(config.rates).map_err(|e| input_error("/rate", e.to_string()))?;
    for rate in rates {
        let parsed = rate.split_once('=').and_then(|(k, v)| Some((k.trim(), v.trim().parse::<u32>().ok()?)));
        match parsed.and_then(|(kind, bp)| Some((json.get_mut(kind)?, bp))) {
            Some((slot, bp)) if bp <= 10_000 => *slot = bp.into(),
            _ => {
                return Err(input_error(
                    "/rate",
                    format!("`{rate}` is not KIND=BP with a known kind and 0 ≤ BP ≤ 10000"),
                ));
            }
        }
    }
    config.rates = serde_json::from_value(json).map_err(|e| input_error("/rate", e.to_string()))?;
    let city = synth::generate(&set, &config).map_err(|e| e.diagnostics())?;
    std::fs::create_dir_all(dir).map_err(|e| input_error("/dir", format!("cannot create {}: {e}", dir.display())))?;
    let ext = match records {
        RecordFormat::Csv => "csv",
        RecordFormat::Jsonl => "jsonl",
    };
    let rows = city.rows.unwrap_or_default();
    let mut written = 0usize;
    for (name, text) in records::write_rows(&rows, ext) {
        written += text.lines().count().saturating_sub(usize::from(ext == "csv"));
        write_out(Some(&dir.join(name)), &text)?;
    }
    let truth: String = city.truth.iter().filter_map(|v| serde_json::to_string(v).ok()).map(|l| l + "\n").collect();
    let truth_dir = dir.join("truth");
    std::fs::create_dir_all(&truth_dir)
        .map_err(|e| input_error("/dir", format!("cannot create {}: {e}", truth_dir.display())))?;
    write_out(Some(&truth_dir.join("violations.jsonl")), &truth)?;
    let summary = serde_json::json!({
        "dir": dir.display().to_string(),
        "units": city.dataset.units.len(),
        "rows": written,
        "violations": city.truth.len(),
        "truth": "truth/violations.jsonl",
        "as_of": city.as_of.to_string(),
    });
    match format {
        Format::Json => print_json(&summary)?,
        Format::Text => outln!(
            "{}：{} 个单位，{written} 行记录，注入 {} 处违规（truth/violations.jsonl）；评估请用 --as-of {}",
            dir.display(),
            city.dataset.units.len(),
            city.truth.len(),
            city.as_of
        ),
    }
    Ok(ExitCode::SUCCESS)
}

/// The files `cunwu due` reads.
pub(crate) struct DueFiles {
    pub(crate) units: Option<PathBuf>,
    pub(crate) cases: Vec<PathBuf>,
    pub(crate) objections: Vec<PathBuf>,
    pub(crate) heads: Option<PathBuf>,
    pub(crate) key_file: Option<PathBuf>,
}

/// `cunwu due`: what is due between `from` and `until` over the units and logs of `files`.
pub(crate) fn due(
    from: String,
    until: String,
    files: &DueFiles,
    estimate: bool,
    format: Format,
    rules: &RulesArgs,
) -> Result<ExitCode, Vec<Diagnostic>> {
    let set = load_rules(rules)?;
    let units = match &files.units {
        Some(path) => read_units(path, &set)?,
        None => Vec::new(),
    };
    // A log that cannot be read (too large, say) is a problem of the answer, as in the
    // bindings: the other logs are still answered.
    let stored = match &files.heads {
        Some(path) => Some(read_heads(path, &set)?),
        None => None,
    };
    let case_logs = read_logs(&log_paths(&files.cases)?, &set, stored.as_ref());
    let objection_logs = read_logs(&log_paths(&files.objections)?, &set, stored.as_ref());
    let chain_key = read_key_file(files.key_file.as_deref())?;
    let heads_of = |logs: &[LogFile]| -> Vec<String> {
        if stored.is_some() { logs.iter().map(|l| l.head.clone()).collect() } else { Vec::new() }
    };
    let request = api::DueRequest {
        from,
        until,
        units,
        cases: case_logs.iter().map(|l| l.text.clone()).collect(),
        case_heads: heads_of(&case_logs),
        objections: objection_logs.iter().map(|l| l.text.clone()).collect(),
        objection_heads: heads_of(&objection_logs),
        chain_key,
        estimate,
    };
    let mut list = value_or_errors(api::due_between(&set, &request))?;
    // A problem of `/cases/<i>` or `/objections/<i>` is placed in its file; an unread
    // file's empty text answered nothing of its own, so its problem is the read error.
    let mut problems = Vec::new();
    for mut p in std::mem::take(&mut list.problems) {
        if let Some((logs, i)) = log_index(p.location.pointer.as_deref(), &case_logs, &objection_logs) {
            let Some(log) = logs.get(i) else { continue };
            if log.unread.is_some() {
                continue;
            }
            let rest = p.location.pointer.as_deref().unwrap_or("").splitn(4, '/').nth(3).unwrap_or("");
            p.location.pointer = if rest.is_empty() { None } else { Some(format!("/{rest}")) };
            p.location.file = Some(log.path.display().to_string());
        }
        problems.push(p);
    }
    // A head stored for a log not given: the log may have been deleted with its head kept.
    if let (Some(stored), Some(path)) = (&stored, &files.heads) {
        let given: std::collections::HashSet<String> =
            case_logs.iter().chain(&objection_logs).map(|l| l.path.display().to_string()).collect();
        let mut missing: Vec<&String> = stored.keys().filter(|k| !given.contains(*k)).collect();
        missing.sort();
        for log in missing {
            problems.extend(in_file(
                input_error("", format!("a head is stored for `{log}`, but the log was not given")),
                path,
            ));
        }
    }
    problems.extend(case_logs.into_iter().chain(objection_logs).filter_map(|l| l.unread).flatten());
    list.problems = problems;
    match format {
        Format::Json => print_json(&list)?,
        Format::Text => out!("{}", cunwu_core::render::due_text(&list)),
    }
    Ok(if list.problems.iter().any(Diagnostic::is_error) { ExitCode::from(1) } else { ExitCode::SUCCESS })
}
