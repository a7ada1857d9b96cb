//! `cunwu`: the command line of cunwu for rule maintainers and operators.
//!
//! Exit codes: 0 success, 1 the rules or the request have errors, 2 wrong usage.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use cunwu_core::api::{self, Answer};
use cunwu_core::rules::SourceFile;
use cunwu_core::{Diagnostic, Error, RuleSet};

/// Write to standard output. A closed pipe (`cunwu calendar | head -1`) ends the program quietly
/// with status 0: the reader has what it asked for. Any other write error is reported on stderr
/// with status 1. Never a panic.
macro_rules! out {
    ($($arg:tt)*) => { emit(format_args!($($arg)*), false) };
}

/// [`out!`] with a line break.
macro_rules! outln {
    () => { emit(format_args!(""), true) };
    ($($arg:tt)*) => { emit(format_args!($($arg)*), true) };
}

fn emit(args: std::fmt::Arguments<'_>, newline: bool) {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    let written = stdout.write_fmt(args).and_then(|()| if newline { stdout.write_all(b"\n") } else { Ok(()) });
    if let Err(e) = written.and_then(|()| if newline { Ok(()) } else { stdout.flush() }) {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        let _ = writeln!(std::io::stderr(), "cunwu: cannot write the output: {e}");
        std::process::exit(1);
    }
}

#[derive(Parser)]
#[command(name = "cunwu", version, about = "村(居)务公开规则 — village and community affairs disclosure rules")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Work with the rule data: lint, show the effective catalogue, diff two dates.
    #[command(subcommand)]
    Rules(RulesCommand),
    /// The last day of a period counted by the law (民法典 arts. 201–203), with its explanation.
    Period {
        /// The trigger date (YYYY-MM-DD); it is not counted.
        start: String,
        /// The length: +5d (days), +1m (months), +10wd (working days).
        #[arg(allow_hyphen_values = true)]
        length: String,
        /// Do not move a last day that falls on a rest day.
        #[arg(long)]
        no_extension: bool,
        /// Estimate days beyond the official holiday data (weekends only) instead of failing.
        #[arg(long)]
        estimate: bool,
        /// The rule whose extension flag and basis apply (e.g. extension.filing).
        #[arg(long)]
        rule: Option<String>,
        #[arg(long, value_enum, default_value_t = LintFormat::Text)]
        format: LintFormat,
        #[command(flatten)]
        rules: RulesArgs,
    },
    /// A unit's disclosure schedule for a year: due dates, removal, filing and review deadlines.
    Schedule {
        /// The kind of unit: village, community or group.
        #[arg(long, value_enum)]
        kind: UnitKindArg,
        /// The year (obligations whose due day falls in it).
        #[arg(long)]
        year: i32,
        /// A district id or name, for its catalogue.
        #[arg(long)]
        district: Option<String>,
        /// "Today" (YYYY-MM-DD): also print the next date on which anything changes.
        #[arg(long)]
        today: Option<String>,
        /// Estimate days beyond the official holiday data (weekends only) instead of leaving them undated.
        #[arg(long)]
        estimate: bool,
        /// The unit's name, used in the calendar export.
        #[arg(long, default_value = "本单位")]
        unit_name: String,
        #[arg(long, value_enum, default_value_t = ScheduleFormat::Table)]
        format: ScheduleFormat,
        #[command(flatten)]
        rules: RulesArgs,
    },
    /// The obligation an event creates for an event-driven (随时) item.
    Event {
        /// The item id (e.g. finance.land-compensation).
        item: String,
        /// The event date (YYYY-MM-DD).
        date: String,
        /// The kind of unit: texts that do not govern it never reach it.
        #[arg(long, value_enum, default_value_t = UnitKindArg::Village)]
        kind: UnitKindArg,
        #[arg(long)]
        district: Option<String>,
        #[arg(long)]
        estimate: bool,
        #[command(flatten)]
        rules: RulesArgs,
    },
    /// The removal, filing and review deadlines that follow from posting an item on a day.
    Posted {
        /// The item id.
        item: String,
        /// The posting date (YYYY-MM-DD).
        date: String,
        /// The kind of unit: texts that do not govern it never reach it.
        #[arg(long, value_enum, default_value_t = UnitKindArg::Village)]
        kind: UnitKindArg,
        #[arg(long)]
        district: Option<String>,
        #[arg(long)]
        estimate: bool,
        #[command(flatten)]
        rules: RulesArgs,
    },
    /// The disclosure procedure: its diagram, a case log replayed, what a plan must include.
    #[command(subcommand)]
    Procedure(ProcedureCommand),
    /// Objections and their escalation: replay a log, see deadlines, print the public record.
    #[command(subcommand)]
    Objection(ObjectionCommand),
    /// Validate a submission (JSON) before it is accepted; exit 1 on errors.
    Validate {
        /// The submission file (JSON).
        file: Option<PathBuf>,
        /// Print the JSON Schema of a family's submissions instead:
        /// finance_statement, beneficiary_list, project, notice.
        #[arg(long)]
        schema: Option<String>,
        #[arg(long, value_enum, default_value_t = LintFormat::Text)]
        format: LintFormat,
        #[command(flatten)]
        rules: RulesArgs,
    },
    /// City-wide compliance (考评): evaluate every unit's records in DIR, score, rank and roll up.
    /// Exit 1 when some rows could not be used (they are listed; the rest is evaluated).
    Compliance {
        /// The folder of record files: units, postings, filings, reviews, republications,
        /// events, objections, replies, benefits (each .csv or .jsonl).
        dir: PathBuf,
        /// The year assessed (obligations due in it).
        #[arg(long)]
        year: i32,
        /// The assessment date (YYYY-MM-DD); records after it count as not yet made. Default:
        /// the year's last day, or the last day of the holiday data if earlier.
        #[arg(long)]
        as_of: Option<String>,
        #[arg(long, value_enum, default_value_t = ComplianceFormat::Table)]
        format: ComplianceFormat,
        /// How many of the worst units to list.
        #[arg(long, default_value_t = 10)]
        worst: usize,
        /// Write the report to this file instead of standard output.
        #[arg(long)]
        out: Option<PathBuf>,
        #[command(flatten)]
        rules: RulesArgs,
    },
    /// Write a synthetic city's records (for trying the compliance report), with the ground
    /// truth of the violations injected (`truth/violations.jsonl`, one JSON object per line).
    Synth {
        /// The folder to write (created if missing).
        dir: PathBuf,
        /// The seed.
        #[arg(long, default_value_t = 2026)]
        seed: u64,
        /// `small` (18 units) or a multiple of Chongqing (1 = 11,145 units).
        #[arg(long, default_value = "small")]
        scale: String,
        /// Record file format.
        #[arg(long, value_enum, default_value_t = RecordFormat::Csv)]
        format: RecordFormat,
        /// A violation rate in basis points (per 10,000 chances), e.g. `late=500`; repeatable.
        /// Kinds: missing, late, display_short, areas, too_few_boards, not_filed, filed_late, review_overdue,
        /// reply_overdue, not_republished, benefit_undisclosed, rectify, objection, escalate, event.
        #[arg(long = "rate", value_name = "KIND=BP")]
        rates: Vec<String>,
        #[command(flatten)]
        rules: RulesArgs,
    },
    /// The nightly job: what is due between FROM and UNTIL and overdue on UNTIL, over many units
    /// (their schedules) and open cases (their logs' steps), sorted; what could not be looked at
    /// is listed as a problem (exit 1), never skipped.
    Due {
        /// First day (YYYY-MM-DD).
        from: String,
        /// Last day (YYYY-MM-DD), at most 3,660 days after FROM.
        until: String,
        /// The units: a CSV file with a header (`id,kind` and optionally `district,name`; other
        /// columns, as in the compliance folder's units.csv, are ignored) or JSON Lines.
        #[arg(long)]
        units: Option<PathBuf>,
        /// Cases' logs (JSON Lines files), or folders of them (`*.jsonl`): open cases for their
        /// steps, any case for what its plan covers.
        cases: Vec<PathBuf>,
        /// Objections' logs (files or folders, repeatable): open ones for their reply and
        /// re-publication deadlines.
        #[arg(long = "objections", value_name = "PATH")]
        objections: Vec<PathBuf>,
        /// The heads stored beside the logs: one line per log, `PATH HEAD` (the path as the log
        /// is named here, or as found in a folder given here). With it, every log is read against
        /// its head, and a log without one is a problem.
        #[arg(long, value_name = "FILE")]
        heads: Option<PathBuf>,
        /// The chain key, as hex, in this file (for keyed logs).
        #[arg(long, value_name = "FILE")]
        key_file: Option<PathBuf>,
        #[arg(long)]
        estimate: bool,
        #[arg(long, value_enum, default_value_t = LintFormat::Text)]
        format: LintFormat,
        #[command(flatten)]
        rules: RulesArgs,
    },
    /// The official classification of days (working day, weekend, holiday, make-up working day).
    Calendar {
        /// First day (YYYY-MM-DD).
        from: String,
        /// Last day (YYYY-MM-DD); defaults to `from`.
        until: Option<String>,
        #[arg(long)]
        estimate: bool,
        #[arg(long, value_enum, default_value_t = LintFormat::Text)]
        format: LintFormat,
        #[command(flatten)]
        rules: RulesArgs,
    },
}

#[derive(Subcommand)]
enum ProcedureCommand {
    /// The procedure as a Mermaid state diagram, generated from the transition table.
    Diagram {
        #[arg(long, value_enum, default_value_t = PipelineArg::General)]
        pipeline: PipelineArg,
    },
    /// Replay a case log (JSON Lines): verify the hash chain, rebuild the state, and with
    /// --today say what is overdue and what may happen next.
    Replay {
        /// The log file.
        log: PathBuf,
        /// "Today" (YYYY-MM-DD).
        #[arg(long)]
        today: Option<String>,
        #[command(flatten)]
        stored: StoredLogArgs,
        #[arg(long, value_enum, default_value_t = LintFormat::Text)]
        format: LintFormat,
        #[command(flatten)]
        rules: RulesArgs,
    },
    /// The items a plan for a period must include, with their legal basis.
    Requirements {
        #[arg(long, value_enum)]
        kind: UnitKindArg,
        /// The period: 2026-Q1, 2026-03, 2026-H1 or 2026.
        #[arg(long)]
        period: String,
        #[arg(long, value_enum, default_value_t = PipelineArg::General)]
        pipeline: PipelineArg,
        #[arg(long)]
        district: Option<String>,
        #[command(flatten)]
        rules: RulesArgs,
    },
}

#[derive(Subcommand)]
enum ObjectionCommand {
    /// Replay an objection log (JSON Lines): verify the chain, rebuild the state, and with
    /// --today show the deadlines; with --public print the record fit to post (互动空间).
    Replay {
        /// The log file.
        log: PathBuf,
        /// "Today" (YYYY-MM-DD).
        #[arg(long)]
        today: Option<String>,
        /// Print the public handling record (identity withheld, personal data masked).
        #[arg(long)]
        public: bool,
        #[command(flatten)]
        stored: StoredLogArgs,
        #[arg(long, value_enum, default_value_t = LintFormat::Text)]
        format: LintFormat,
        #[command(flatten)]
        rules: RulesArgs,
    },
}

/// What a host stores beside a log, to replay it as stored (docs/host.md).
#[derive(clap::Args)]
struct StoredLogArgs {
    /// The head stored beside the log (`ENTRIES:HASH`): a log that does not end there is refused
    /// (LOG_TRUNCATED, LOG_UNEXPECTED_ENTRIES, LOG_REWRITTEN).
    #[arg(long, value_name = "HEAD")]
    expect_head: Option<String>,
    /// The chain key, as hex, in this file (for a keyed log); never written to the log.
    #[arg(long, value_name = "FILE")]
    key_file: Option<PathBuf>,
    /// Past the published calendar, estimate the deadlines (weekends only, marked estimated).
    #[arg(long)]
    estimate: bool,
}

impl StoredLogArgs {
    fn request(&self, jsonl: String, today: Option<String>) -> Result<api::ReplayRequest, Vec<Diagnostic>> {
        Ok(api::ReplayRequest {
            jsonl,
            today,
            expected_head: self.expect_head.clone(),
            chain_key: read_key_file(self.key_file.as_deref())?,
            estimate: self.estimate,
            public: false,
            records: false,
        })
    }
}

/// The chain key of `--key-file`: hex, surrounding whitespace ignored. A key file is small: more
/// than 4 KiB is refused unread.
fn read_key_file(path: Option<&std::path::Path>) -> Result<Option<String>, Vec<Diagnostic>> {
    let Some(path) = path else { return Ok(None) };
    let text = cunwu_core::fs::read_text_file(path, 4096)
        .map_err(|problem| in_file(input_error("", format!("cannot read the key file: {problem}")), path))?;
    let key = text.trim().to_string();
    // The key's form is checked where the bindings check it, with the same error.
    api::chain_key(Some(&key)).map_err(|e| in_file(e.diagnostics(), path))?;
    Ok(Some(key))
}

#[derive(Clone, Copy, ValueEnum)]
enum PipelineArg {
    General,
    Party,
}

impl From<PipelineArg> for cunwu_core::procedure::Pipeline {
    fn from(p: PipelineArg) -> Self {
        match p {
            PipelineArg::General => cunwu_core::procedure::Pipeline::General,
            PipelineArg::Party => cunwu_core::procedure::Pipeline::Party,
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum UnitKindArg {
    Village,
    Community,
    Group,
}

impl From<UnitKindArg> for cunwu_core::UnitKind {
    fn from(k: UnitKindArg) -> Self {
        match k {
            UnitKindArg::Village => cunwu_core::UnitKind::Village,
            UnitKindArg::Community => cunwu_core::UnitKind::Community,
            UnitKindArg::Group => cunwu_core::UnitKind::Group,
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum ScheduleFormat {
    Table,
    Json,
    Ics,
}

/// Which rules a command uses.
#[derive(clap::Args)]
struct RulesArgs {
    /// Use the rules in this directory instead of the bundled ones.
    #[arg(long, value_name = "DIR")]
    rules: Option<PathBuf>,
    /// Add the rule files in this directory (a district's catalogue); repeatable.
    #[arg(long = "with", value_name = "DIR")]
    with: Vec<PathBuf>,
    #[command(flatten)]
    limits: LimitArgs,
}

/// Limits on what one command reads (`docs/limits.md`); the defaults are the library's.
#[derive(clap::Args)]
struct LimitArgs {
    /// Bytes of one file read: a rule file, a record file, a submission, a log (default 64 MiB).
    #[arg(long, value_name = "N")]
    max_text_bytes: Option<usize>,
    /// Entries of one case or objection log (default 100000).
    #[arg(long, value_name = "N")]
    max_log_entries: Option<usize>,
    /// Lines of one record file (default 10000000).
    #[arg(long, value_name = "N")]
    max_file_lines: Option<usize>,
}

impl LimitArgs {
    fn limits(&self) -> cunwu_core::limits::Limits {
        let d = cunwu_core::limits::Limits::default();
        cunwu_core::limits::Limits {
            max_text_bytes: self.max_text_bytes.unwrap_or(d.max_text_bytes),
            max_log_entries: self.max_log_entries.unwrap_or(d.max_log_entries),
            max_file_lines: self.max_file_lines.unwrap_or(d.max_file_lines),
        }
    }
}

#[derive(Subcommand)]
enum RulesCommand {
    /// Check rule files; prints `file:line:col: CODE: message` per problem, exits 1 on errors.
    Lint {
        /// The rules directory (default: `rules`).
        #[arg(default_value = "rules")]
        dir: PathBuf,
        /// Lint DIR together with the bundled rules (for a directory holding only a district layer).
        #[arg(long)]
        with_bundled: bool,
        #[arg(long, value_enum, default_value_t = LintFormat::Text)]
        format: LintFormat,
        #[command(flatten)]
        limits: LimitArgs,
    },
    /// Compile rule files to JSON for the browser package (which reads no TOML): prints
    /// `{"files": [{"path", "text"}], "bundled": true}`, the `rules` argument of every browser
    /// function. The rules are checked first; on any error nothing is written.
    Compile {
        /// The rules directories to compile (a district's layer, say).
        #[arg(required = true)]
        dirs: Vec<PathBuf>,
        /// The files stand alone: check and mark them without the bundled rules.
        #[arg(long)]
        without_bundled: bool,
        /// Write to this file instead of standard output.
        #[arg(long)]
        out: Option<PathBuf>,
        #[command(flatten)]
        limits: LimitArgs,
    },
    /// Show the effective catalogue on a date: obligations, then advisory items (建议公开).
    Show {
        /// The date (YYYY-MM-DD).
        #[arg(long)]
        as_of: String,
        /// A district id or name, for its catalogue.
        #[arg(long)]
        district: Option<String>,
        /// The kind of unit: only what the texts governing it say applies (default: every kind).
        #[arg(long, value_enum)]
        kind: Option<UnitKindArg>,
        #[arg(long, value_enum, default_value_t = ShowFormat::Table)]
        format: ShowFormat,
        #[command(flatten)]
        rules: RulesArgs,
    },
    /// What changed in force between two dates, with the source of each change.
    Diff {
        /// The two dates: `--as-of A --as-of B`.
        #[arg(long = "as-of", num_args = 1, required = true)]
        as_of: Vec<String>,
        /// A district id or name.
        #[arg(long)]
        district: Option<String>,
        #[arg(long, value_enum, default_value_t = LintFormat::Text)]
        format: LintFormat,
        #[command(flatten)]
        rules: RulesArgs,
    },
    /// One item for review: its legal force, each value with the layer that set it, and the
    /// quoted text of every clause it rests on (rules/sources/).
    Explain {
        /// The item id (e.g. service.cadre-relative-benefits).
        item: String,
        /// The date (YYYY-MM-DD) whose rules apply.
        #[arg(long)]
        as_of: String,
        /// The kind of unit: only what the texts governing it say applies (default: every kind).
        #[arg(long, value_enum)]
        kind: Option<UnitKindArg>,
        /// A district id or name, for its catalogue.
        #[arg(long)]
        district: Option<String>,
        #[arg(long, value_enum, default_value_t = LintFormat::Text)]
        format: LintFormat,
        #[command(flatten)]
        rules: RulesArgs,
    },
    /// Print the JSON Schema of rule files.
    Schema,
}

#[derive(Clone, Copy, ValueEnum)]
enum LintFormat {
    Text,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum ComplianceFormat {
    Table,
    Json,
    /// One row per unit.
    Csv,
    /// One row per finding.
    FindingsCsv,
    Html,
}

#[derive(Clone, Copy, ValueEnum)]
enum RecordFormat {
    Csv,
    Jsonl,
}

fn input_error(pointer: &str, message: String) -> Vec<Diagnostic> {
    Error::Input(cunwu_core::InputError::InvalidRequest { pointer: pointer.into(), message }).diagnostics()
}

fn write_out(out: Option<&PathBuf>, text: &str) -> Result<(), Vec<Diagnostic>> {
    use std::io::Write as _;
    match out {
        Some(path) => write_file(path, |f| f.write_all(text.as_bytes())),
        None => {
            out!("{text}");
            Ok(())
        }
    }
}

/// Write the file `path` whole or not at all: into a new file beside it, renamed over it once
/// written. So a failed write leaves no half file, and what stood at `path` — a link (never
/// followed: the link itself is replaced), a FIFO (never opened, so no hang) — is replaced, not
/// written through.
fn write_file(
    path: &std::path::Path,
    write: impl FnOnce(&mut std::fs::File) -> std::io::Result<()>,
) -> Result<(), Vec<Diagnostic>> {
    let failed = |e: std::io::Error| input_error("/out", format!("cannot write {}: {e}", path.display()));
    if std::fs::symlink_metadata(path).is_ok_and(|m| m.is_dir()) {
        return Err(failed(std::io::Error::other("it is a folder")));
    }
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let partial = path.with_file_name(format!(".{name}.{}.partial", std::process::id()));
    let written = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&partial)
        .and_then(|mut f| write(&mut f).and_then(|()| f.sync_all()));
    if let Err(e) = written.and_then(|()| std::fs::rename(&partial, path)) {
        let _ = std::fs::remove_file(&partial);
        return Err(failed(e));
    }
    Ok(())
}

fn compliance(
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
        ComplianceFormat::Table => render::table(&report, worst),
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
        eprintln!("some rows or files could not be used; they are listed (or counted) in the report's problems");
    }
    Ok(if report.has_errors() { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

/// `value` as pretty JSON, streamed to the file `out` (written beside it, then renamed over it,
/// so a failed write leaves no half file) or to standard output (a closed pipe ends quietly).
fn write_json_out<T: serde::Serialize>(out: Option<&PathBuf>, value: &T) -> Result<(), Vec<Diagnostic>> {
    use std::io::Write as _;
    fn stream<W: std::io::Write>(w: W, value: &impl serde::Serialize) -> std::io::Result<()> {
        let mut w = std::io::BufWriter::new(w);
        serde_json::to_writer_pretty(&mut w, value)?;
        w.write_all(b"\n")?;
        w.flush()
    }
    match out {
        Some(path) => write_file(path, |f| stream(f, value)),
        None => match stream(std::io::stdout().lock(), value) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => std::process::exit(0),
            Err(e) => Err(input_error("", format!("cannot write the output: {e}"))),
        },
    }
}

fn synth(
    dir: &PathBuf,
    seed: u64,
    scale: &str,
    format: RecordFormat,
    rates: &[String],
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
    let ext = match format {
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
    eprintln!(
        "{}: {} units, {written} rows, {} violations injected (truth/violations.jsonl); assess with --as-of {}",
        dir.display(),
        city.dataset.units.len(),
        city.truth.len(),
        city.as_of
    );
    Ok(ExitCode::SUCCESS)
}

#[derive(Clone, Copy, ValueEnum)]
enum ShowFormat {
    Table,
    Json,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli.command) {
        Ok(code) => code,
        Err(diags) => {
            for d in &diags {
                eprintln!("{}", d.one_line());
            }
            ExitCode::from(1)
        }
    }
}

/// The rule files of `dir`, each bounded by `limits`.
fn read_dir(dir: &PathBuf, limits: &cunwu_core::limits::Limits) -> Result<Vec<SourceFile>, Vec<Diagnostic>> {
    cunwu_core::fs::read_rules_dir_with(dir, &dir.to_string_lossy().replace('\\', "/"), limits)
}

fn load_rules(args: &RulesArgs) -> Result<RuleSet, Vec<Diagnostic>> {
    let limits = args.limits.limits();
    let mut files = match &args.rules {
        Some(dir) => read_dir(dir, &limits)?,
        None => cunwu_core::rules::bundled::sources(),
    };
    for dir in &args.with {
        files = cunwu_core::rules::merge_sources(files, &read_dir(dir, &limits)?);
    }
    Ok(RuleSet::load(&files)?.with_limits(limits))
}

/// What a file given on the command line holds, for the error when it is too large.
#[derive(Clone, Copy)]
enum InputFile {
    /// A submission: `INPUT_TOO_LARGE`.
    Submission,
    /// A case or objection log: `LOG_TOO_LARGE`, as the bindings answer for a log's text.
    Log,
}

/// The text of a file named on the command line, read with the bound of the rules' limits (a
/// FIFO or a device is refused, never read).
fn read_input(path: &std::path::Path, set: &RuleSet, kind: InputFile) -> Result<String, Vec<Diagnostic>> {
    use cunwu_core::fs::ReadError;
    let shown = path.display().to_string();
    match cunwu_core::fs::read_text_file(path, set.limits().max_text_bytes) {
        Ok(text) => Ok(text),
        Err(ReadError::TooLarge { limit, actual }) => {
            let error = match kind {
                InputFile::Submission => Error::Input(cunwu_core::InputError::TooLarge {
                    pointer: String::new(),
                    what: "bytes",
                    limit,
                    actual,
                }),
                InputFile::Log => Error::Log(cunwu_core::log::LogError::TooLarge { what: "bytes", limit, actual }),
            };
            let mut diagnostics = error.diagnostics();
            for d in &mut diagnostics {
                d.location.file = Some(shown.clone());
                d.location.pointer = None;
            }
            Err(diagnostics)
        }
        Err(problem) => Err(in_file(input_error("", format!("cannot read {shown}: {problem}")), path)),
    }
}

/// `diagnostics` placed in the file `path` where they name no file (a log's errors name entries).
fn in_file(mut diagnostics: Vec<Diagnostic>, path: &std::path::Path) -> Vec<Diagnostic> {
    for d in &mut diagnostics {
        if d.location.file.is_none() {
            d.location.file = Some(path.display().to_string());
            if d.location.pointer.as_deref() == Some("") {
                d.location.pointer = None;
            }
        }
    }
    diagnostics
}

/// A log named on the command line: its text and stored head, or why it could not be read.
struct LogFile {
    path: PathBuf,
    text: String,
    /// Its head from `--heads` (the empty log's head when it could not be read).
    head: String,
    unread: Option<Vec<Diagnostic>>,
}

/// The logs at `paths`, each read with the rules' bound; one that cannot be read, or that has no
/// head in `heads` when heads are given, is left unread with its reason.
fn read_logs(
    paths: &[PathBuf],
    set: &RuleSet,
    heads: Option<&std::collections::HashMap<String, String>>,
) -> Vec<LogFile> {
    let empty = cunwu_core::log::head_of::<cunwu_core::procedure::CaseEvent>(&[]).to_string();
    paths
        .iter()
        .map(|path| {
            let unread = |d| LogFile { path: path.clone(), text: String::new(), head: empty.clone(), unread: Some(d) };
            let head = match heads.map(|h| h.get(&path.display().to_string())) {
                None => empty.clone(),
                Some(Some(h)) => h.clone(),
                Some(None) => {
                    return unread(in_file(input_error("", "no head for this log in --heads".into()), path));
                }
            };
            match read_input(path, set, InputFile::Log) {
                Ok(text) => LogFile { path: path.clone(), text, head, unread: None },
                Err(d) => unread(d),
            }
        })
        .collect()
}

/// The heads file of `cunwu due --heads`: `PATH HEAD` per line (blank lines and `#` comments
/// skipped); a line that is not one is an error at its line.
fn read_heads(
    path: &std::path::Path,
    set: &RuleSet,
) -> Result<std::collections::HashMap<String, String>, Vec<Diagnostic>> {
    let text = read_input(path, set, InputFile::Submission)?;
    let mut heads = std::collections::HashMap::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let at = |message: String| {
            let mut d = in_file(input_error("", message), path);
            for x in &mut d {
                x.location.line = Some(u32::try_from(i + 1).unwrap_or(u32::MAX));
            }
            d
        };
        let Some((log, head)) = line.rsplit_once(char::is_whitespace) else {
            return Err(at("expected `PATH HEAD`".into()));
        };
        head.parse::<cunwu_core::log::Head>().map_err(|e| at(e.to_string()))?;
        if heads.insert(log.trim().to_string(), head.to_string()).is_some() {
            return Err(at(format!("a second head for `{}`", log.trim())));
        }
    }
    Ok(heads)
}

/// The logs and the index `i` a pointer `/cases/<i>…` or `/objections/<i>…` names.
fn log_index<'a>(
    pointer: Option<&str>,
    cases: &'a [LogFile],
    objections: &'a [LogFile],
) -> Option<(&'a [LogFile], usize)> {
    let pointer = pointer?;
    let (logs, rest) = match (pointer.strip_prefix("/cases/"), pointer.strip_prefix("/objections/")) {
        (Some(rest), _) => (cases, rest),
        (None, Some(rest)) => (objections, rest),
        (None, None) => return None,
    };
    Some((logs, rest.split('/').next()?.parse().ok()?))
}

/// The log files of `paths`: each file as given, each folder's `*.jsonl` files sorted by name.
fn log_paths(paths: &[PathBuf]) -> Result<Vec<PathBuf>, Vec<Diagnostic>> {
    let mut out = Vec::new();
    for path in paths {
        if !path.is_dir() {
            out.push(path.clone());
            continue;
        }
        let entries = std::fs::read_dir(path)
            .map_err(|e| in_file(input_error("", format!("cannot read the folder: {e}")), path))?;
        let mut found: Vec<PathBuf> = Vec::new();
        for entry in entries {
            let entry = entry.map_err(|e| in_file(input_error("", format!("cannot read the folder: {e}")), path))?;
            let p = entry.path();
            if p.is_dir() {
                // Said, not skipped quietly: folders are not read recursively.
                eprintln!("{}: warning: a folder inside a folder of logs is not read", p.display());
            } else if p.extension().is_some_and(|x| x.eq_ignore_ascii_case("jsonl")) {
                found.push(p);
            }
            if found.len() > 1_000_000 {
                return Err(in_file(input_error("", "more than 1,000,000 logs in one folder".into()), path));
            }
        }
        found.sort();
        out.extend(found);
    }
    Ok(out)
}

/// The units of `--units`: CSV with a header, or JSON Lines (by the file's extension).
fn read_units(path: &std::path::Path, set: &RuleSet) -> Result<Vec<cunwu_core::procedure::UnitRef>, Vec<Diagnostic>> {
    #[derive(serde::Deserialize)]
    struct Row {
        id: String,
        kind: cunwu_core::UnitKind,
        #[serde(default)]
        district: Option<String>,
        #[serde(default)]
        name: Option<String>,
    }
    let text = read_input(path, set, InputFile::Submission)?;
    let at = |line: u32, message: String| {
        let mut d = input_error("", message);
        for x in &mut d {
            x.location.file = Some(path.display().to_string());
            x.location.line = Some(line);
            x.location.pointer = None;
        }
        d
    };
    let mut rows = Vec::new();
    if path.extension().is_some_and(|x| x == "jsonl") {
        for (i, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let row: Row = serde_json::from_str(line)
                .map_err(|e| at(u32::try_from(i + 1).unwrap_or(u32::MAX), format!("not a unit: {e}")))?;
            rows.push(row);
        }
    } else {
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        for record in reader.deserialize::<Row>() {
            let row = record.map_err(|e| {
                let line = e.position().map_or(0, |p| u32::try_from(p.line()).unwrap_or(u32::MAX));
                at(line, format!("not a unit: {e}"))
            })?;
            rows.push(row);
        }
    }
    let blank = |v: Option<String>| v.filter(|s| !s.trim().is_empty());
    Ok(rows
        .into_iter()
        .map(|r| cunwu_core::procedure::UnitRef {
            id: r.id,
            kind: r.kind,
            district: blank(r.district),
            name: blank(r.name),
        })
        .collect())
}

fn print_json<T: serde::Serialize>(value: &T) -> Result<(), Vec<Diagnostic>> {
    match serde_json::to_string_pretty(value) {
        Ok(text) => {
            outln!("{text}");
            Ok(())
        }
        Err(e) => {
            Err(Error::Input(cunwu_core::InputError::InvalidRequest { pointer: String::new(), message: e.to_string() })
                .diagnostics())
        }
    }
}

fn value_or_errors<T>(answer: Answer<T>) -> Result<T, Vec<Diagnostic>> {
    for w in &answer.warnings {
        eprintln!("{}", w.one_line());
    }
    match answer.value {
        Some(v) if answer.ok => Ok(v),
        _ => Err(answer.errors),
    }
}

fn run(command: Command) -> Result<ExitCode, Vec<Diagnostic>> {
    let command = match command {
        Command::Rules(c) => c,
        Command::Period { start, length, no_extension, estimate, rule, format, rules } => {
            let set = load_rules(&rules)?;
            let extension = if no_extension { Some(false) } else { None };
            let request = api::PeriodRequest { start, length, extension, rule, estimate };
            let deadline = value_or_errors(api::period(&set, &request))?;
            match format {
                LintFormat::Json => print_json(&deadline)?,
                LintFormat::Text => {
                    outln!("{}", deadline.date);
                    outln!("{}", deadline.explanation.to_text_zh());
                    outln!("{}", deadline.explanation.to_text_en());
                }
            }
            return Ok(ExitCode::SUCCESS);
        }
        Command::Schedule { kind, year, district, today, estimate, unit_name, format, rules } => {
            let set = load_rules(&rules)?;
            let explain = !matches!(format, ScheduleFormat::Table);
            let request = api::ScheduleRequest { unit_kind: kind.into(), year, district, today, estimate, explain };
            let answer = value_or_errors(api::schedule(&set, &request))?;
            match format {
                ScheduleFormat::Json => print_json(&answer)?,
                ScheduleFormat::Ics => out!("{}", cunwu_core::render::schedule_ics(&answer.schedule, &unit_name)),
                ScheduleFormat::Table => {
                    out!("{}", cunwu_core::render::schedule_table(&answer.schedule));
                    if let Some(w) = &answer.next_wake_up {
                        let changes: Vec<String> =
                            w.events.iter().map(|e| format!("{} {} {}", e.item, e.period, e.change)).collect();
                        outln!("\n下一个状态变化日：{}（{}）", w.date, changes.join("；"));
                    }
                }
            }
            return Ok(ExitCode::SUCCESS);
        }
        Command::Event { item, date, kind, district, estimate, rules } => {
            let set = load_rules(&rules)?;
            let request =
                api::EventRequest { item, unit_kind: kind.into(), event: date, district, estimate, explain: true };
            print_json(&value_or_errors(api::event_obligation(&set, &request))?)?;
            return Ok(ExitCode::SUCCESS);
        }
        Command::Posted { item, date, kind, district, estimate, rules } => {
            let set = load_rules(&rules)?;
            let request = api::PostingRequest { item, unit_kind: kind.into(), posted: date, district, estimate };
            print_json(&value_or_errors(api::after_posting(&set, &request))?)?;
            return Ok(ExitCode::SUCCESS);
        }
        Command::Procedure(ProcedureCommand::Diagram { pipeline }) => {
            out!("{}", cunwu_core::procedure::mermaid(pipeline.into()));
            return Ok(ExitCode::SUCCESS);
        }
        Command::Procedure(ProcedureCommand::Replay { log, today, stored, format, rules }) => {
            let set = load_rules(&rules)?;
            let text = read_input(&log, &set, InputFile::Log)?;
            let request = stored.request(text, today)?;
            let answer = api::case_replay_request(&set, &request);
            let case = value_or_errors(answer).map_err(|e| in_file(e, &log))?;
            match format {
                LintFormat::Json => print_json(&case)?,
                LintFormat::Text => out!("{}", cunwu_core::render::case_text(&case)),
            }
            return Ok(ExitCode::SUCCESS);
        }
        Command::Objection(ObjectionCommand::Replay { log, today, public, stored, format, rules }) => {
            let set = load_rules(&rules)?;
            let text = read_input(&log, &set, InputFile::Log)?;
            let request = api::ReplayRequest { public, ..stored.request(text, today)? };
            // The core's answer: in the public view its errors are masked too.
            let answer = api::objection_replay_request(&set, &request);
            for w in &answer.warnings {
                eprintln!("{}", w.one_line());
            }
            let Some(view) = answer.value else { return Err(in_file(answer.errors, &log)) };
            match (format, &view.public_record) {
                (LintFormat::Json, _) => print_json(&view)?,
                (LintFormat::Text, Some(record)) => out!("{}", record.to_text()),
                (LintFormat::Text, None) => out!("{}", cunwu_core::render::objection_text(&view)),
            }
            return Ok(ExitCode::SUCCESS);
        }
        Command::Due { from, until, units, cases, objections, heads, key_file, estimate, format, rules } => {
            let set = load_rules(&rules)?;
            let units = match &units {
                Some(path) => read_units(path, &set)?,
                None => Vec::new(),
            };
            // A log that cannot be read (too large, say) is a problem of the answer, as in the
            // bindings: the other logs are still answered.
            let stored = match &heads {
                Some(path) => Some(read_heads(path, &set)?),
                None => None,
            };
            let case_logs = read_logs(&log_paths(&cases)?, &set, stored.as_ref());
            let objection_logs = read_logs(&log_paths(&objections)?, &set, stored.as_ref());
            let chain_key = read_key_file(key_file.as_deref())?;
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
            if let (Some(stored), Some(path)) = (&stored, &heads) {
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
                LintFormat::Json => print_json(&list)?,
                LintFormat::Text => out!("{}", cunwu_core::render::due_text(&list)),
            }
            return Ok(if list.problems.iter().any(Diagnostic::is_error) {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            });
        }
        Command::Procedure(ProcedureCommand::Requirements { kind, period, pipeline, district, rules }) => {
            let set = load_rules(&rules)?;
            let (_, until, _) =
                cunwu_core::procedure::parse_period(&period).map_err(|e| Error::Procedure(e).diagnostics())?;
            let date = until.succ_opt().unwrap_or(until);
            let items = cunwu_core::procedure::plan_requirements(
                &set,
                kind.into(),
                district.as_deref(),
                &period,
                pipeline.into(),
                date,
            )
            .map_err(|e| e.diagnostics())?;
            print_json(&items)?;
            return Ok(ExitCode::SUCCESS);
        }
        Command::Validate { file, schema, format, rules } => {
            if let Some(family) = schema {
                let family: cunwu_core::validation::Family =
                    serde_json::from_value(serde_json::Value::String(family.clone())).map_err(|_| {
                        let message =
                            format!("`{family}` is not a family: finance_statement, beneficiary_list, project, notice");
                        Error::Input(cunwu_core::InputError::InvalidRequest { pointer: "/schema".into(), message })
                            .diagnostics()
                    })?;
                out!("{}", cunwu_core::rules::schema::submission_schema(family));
                return Ok(ExitCode::SUCCESS);
            }
            let Some(file) = file else {
                let message = "give a submission file, or --schema FAMILY".to_string();
                return Err(Error::Input(cunwu_core::InputError::InvalidRequest { pointer: String::new(), message })
                    .diagnostics());
            };
            let set = load_rules(&rules)?;
            let text = read_input(&file, &set, InputFile::Submission)?;
            let answer = api::validate_text(&set, &text);
            match format {
                LintFormat::Json => print_json(&answer)?,
                LintFormat::Text => {
                    for d in &answer.findings {
                        let hint = d.hint_zh.as_deref().map(|h| format!("（{h}）")).unwrap_or_default();
                        outln!("{}: {}: {}{}", d.location, d.code, d.message_zh, hint);
                    }
                    let errors = answer.findings.iter().filter(|d| d.is_error()).count();
                    eprintln!("{}: {} error(s), {} warning(s)", file.display(), errors, answer.findings.len() - errors);
                }
            }
            return Ok(if answer.ok { ExitCode::SUCCESS } else { ExitCode::from(1) });
        }
        Command::Compliance { dir, year, as_of, format, worst, out, rules } => {
            return compliance(&dir, year, as_of.as_deref(), format, worst, out.as_ref(), &rules);
        }
        Command::Synth { dir, seed, scale, format, rates, rules } => {
            return synth(&dir, seed, &scale, format, &rates, &rules);
        }
        Command::Calendar { from, until, estimate, format, rules } => {
            let set = load_rules(&rules)?;
            let until = until.unwrap_or_else(|| from.clone());
            let days = value_or_errors(api::calendar_days(&set, &api::DaysRequest { from, until, estimate }))?;
            match format {
                LintFormat::Json => print_json(&days)?,
                LintFormat::Text => {
                    for d in &days {
                        let holiday = d.holiday.as_deref().unwrap_or("");
                        let est = if d.estimated { " (估算)" } else { "" };
                        outln!("{} {} {}{}", d.date, d.kind.name_zh(), holiday, est);
                    }
                }
            }
            return Ok(ExitCode::SUCCESS);
        }
    };
    match command {
        RulesCommand::Lint { dir, with_bundled, format, limits } => {
            let base = if with_bundled { cunwu_core::rules::bundled::sources() } else { Vec::new() };
            let files = cunwu_core::rules::merge_sources(base, &read_dir(&dir, &limits.limits())?);
            let diags = RuleSet::lint(&files);
            match format {
                LintFormat::Json => print_json(&diags)?,
                LintFormat::Text => {
                    for d in &diags {
                        outln!("{}", d.one_line());
                    }
                    let errors = diags.iter().filter(|d| d.is_error()).count();
                    eprintln!("{} error(s), {} warning(s) in {} file(s)", errors, diags.len() - errors, files.len());
                }
            }
            Ok(if diags.iter().any(Diagnostic::is_error) { ExitCode::from(1) } else { ExitCode::SUCCESS })
        }
        RulesCommand::Compile { dirs, without_bundled, out, limits } => {
            let limits = limits.limits();
            let mut files = Vec::new();
            for dir in &dirs {
                files = cunwu_core::rules::merge_sources(files, &read_dir(dir, &limits)?);
            }
            let files = files.into_iter().map(|f| api::FileInput { path: f.path, text: f.text }).collect();
            // Limits given on the command line travel with the compiled rules; the defaults do not.
            let limits = (limits != cunwu_core::limits::Limits::default()).then_some(limits);
            let input = api::RulesInput { files, bundled: !without_bundled, limits };
            let compiled = value_or_errors(api::compile_rules(&input))?;
            let text = serde_json::to_string_pretty(&compiled)
                .map_err(|e| input_error("/out", format!("cannot write JSON: {e}")))?;
            write_out(out.as_ref(), &format!("{text}\n"))?;
            Ok(ExitCode::SUCCESS)
        }
        RulesCommand::Show { as_of, district, kind, format, rules } => {
            let set = load_rules(&rules)?;
            let request = api::ResolveRequest { as_of, district, unit_kind: kind.map(Into::into) };
            let cat = value_or_errors(api::resolve_catalogue(&set, &request))?;
            match format {
                ShowFormat::Json => print_json(&cat)?,
                ShowFormat::Table => out!("{}", cunwu_core::render::catalogue_table(&cat)),
            }
            Ok(ExitCode::SUCCESS)
        }
        RulesCommand::Diff { as_of, district, format, rules } => {
            let [from, to] = <[String; 2]>::try_from(as_of).map_err(|given| {
                let message = format!("`--as-of` must be given exactly twice, not {} time(s)", given.len());
                Error::Input(cunwu_core::InputError::InvalidRequest { pointer: "/as_of".into(), message }).diagnostics()
            })?;
            let set = load_rules(&rules)?;
            let diff = value_or_errors(api::diff_catalogue(&set, &api::DiffRequest { from, to, district }))?;
            match format {
                LintFormat::Json => print_json(&diff)?,
                LintFormat::Text => out!("{}", diff.to_text()),
            }
            Ok(ExitCode::SUCCESS)
        }
        RulesCommand::Explain { item, as_of, kind, district, format, rules } => {
            let set = load_rules(&rules)?;
            let request =
                cunwu_core::explain::ExplainRequest { item, as_of, unit_kind: kind.map(Into::into), district };
            let page = value_or_errors(api::explain_item(&set, &request))?;
            match format {
                LintFormat::Json => print_json(&page)?,
                LintFormat::Text => out!("{}", page.to_markdown()),
            }
            Ok(ExitCode::SUCCESS)
        }
        RulesCommand::Schema => {
            out!("{}", cunwu_core::rules::schema::RULE_FILE_SCHEMA);
            Ok(ExitCode::SUCCESS)
        }
    }
}
