//! `cunwu`: the command line of cunwu for rule maintainers and operators.
//!
//! Every command takes `--format`: `text` (the default, for people) or `json` (for programs),
//! and some more (`ics`, `csv`, `html`). With `--format json` the answer and every error are
//! JSON on standard output (errors as `{"ok": false, "errors": [...]}`, the bindings' shape);
//! with `text`, errors and warnings go to standard error, one line each, `error[CODE]` or
//! `warning[CODE]`.
//!
//! Exit codes: 0 success (also when the reader of a pipe closes it early: `cunwu calendar … |
//! head -1`), 1 the rules or the request have errors, 2 wrong usage.

#[macro_use]
mod output;
mod input;
mod jobs;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use cunwu_core::api::{self, Answer};
use cunwu_core::{Diagnostic, Error, RuleSet};

use input::{InputFile, in_file, input_error, load_rules, read_dir, read_input, read_key_file};
use output::{ErrorFormat, counts, print_json, report_failure, report_warnings, write_out};

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
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
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
        #[arg(long, value_enum, default_value_t = ScheduleFormat::Text)]
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
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
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
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
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
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
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
        #[arg(long, value_enum, default_value_t = ComplianceFormat::Text)]
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
        /// The record files' format.
        #[arg(long, value_enum, default_value_t = RecordFormat::Csv)]
        records: RecordFormat,
        /// A violation rate in basis points (per 10,000 chances), e.g. `late=500`; repeatable.
        /// Kinds: missing, late, display_short, areas, too_few_boards, not_filed, filed_late, review_overdue,
        /// reply_overdue, not_republished, benefit_undisclosed, rectify, objection, escalate, event.
        #[arg(long = "rate", value_name = "KIND=BP")]
        rates: Vec<String>,
        /// What is printed when done: `text` (a summary line) or `json` (the same as an object).
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
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
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
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
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
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
        /// `text`: the Mermaid source; `json`: `{"pipeline": …, "mermaid": …}`.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
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
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
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
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
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
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
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

#[derive(Clone, Copy, ValueEnum)]
enum PipelineArg {
    General,
    Party,
}

impl PipelineArg {
    /// Its name on the command line and in JSON.
    fn name(self) -> &'static str {
        match self {
            PipelineArg::General => "general",
            PipelineArg::Party => "party",
        }
    }
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

/// A schedule's output: `text` (a table), `json`, or `ics` (iCalendar).
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ScheduleFormat {
    #[value(alias = "table")]
    Text,
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
    /// Check rule files; prints `file:line:col: error[CODE]: message` (or `warning[CODE]`) per problem, exits 1 on errors.
    Lint {
        /// The rules directory (default: `rules`).
        #[arg(default_value = "rules")]
        dir: PathBuf,
        /// Lint DIR together with the bundled rules (for a directory holding only a district layer).
        #[arg(long)]
        with_bundled: bool,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
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
        /// The compiled rules are JSON either way; `json` makes errors JSON too.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
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
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
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
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
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
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        #[command(flatten)]
        rules: RulesArgs,
    },
    /// Print the JSON Schema of rule files (JSON in either format).
    Schema {
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
}

/// The output of a command: `text` for people (every command's default), `json` for programs.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    #[value(alias = "table")]
    Text,
    Json,
}

/// A compliance report's output.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ComplianceFormat {
    /// Tables for people.
    #[value(alias = "table")]
    Text,
    Json,
    /// One row per unit.
    Csv,
    /// One row per finding.
    FindingsCsv,
    Html,
}

/// The record files a synthetic city is written as.
#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum RecordFormat {
    Csv,
    Jsonl,
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return usage_error(&e),
    };
    let format = cli.command.error_format();
    match run(cli.command) {
        Ok(code) => code,
        Err(diags) => {
            report_failure(diags, format);
            ExitCode::from(1)
        }
    }
}

/// Wrong usage (status 2): clap's message, or with `--format json` among the arguments the JSON
/// answer with one `INPUT_INVALID_REQUEST` error carrying it. Help and version print as usual.
fn usage_error(e: &clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    if matches!(
        e.kind(),
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    ) {
        let _ = e.print();
        return ExitCode::SUCCESS;
    }
    let args: Vec<String> = std::env::args().collect();
    let json = args.iter().any(|a| a == "--format=json")
        || args.windows(2).any(|w| w.first().is_some_and(|a| a == "--format") && w.get(1).is_some_and(|v| v == "json"));
    if json {
        let message = e.render().to_string();
        let message = message.trim().trim_start_matches("error: ").to_string();
        report_failure(input_error("", message), ErrorFormat::Json);
    } else {
        let _ = e.print();
    }
    ExitCode::from(2)
}

impl Command {
    /// How this command reports its errors: JSON when its output is JSON.
    fn error_format(&self) -> ErrorFormat {
        let json = |f: Format| if f == Format::Json { ErrorFormat::Json } else { ErrorFormat::Text };
        match self {
            Command::Period { format, .. }
            | Command::Event { format, .. }
            | Command::Posted { format, .. }
            | Command::Validate { format, .. }
            | Command::Synth { format, .. }
            | Command::Due { format, .. }
            | Command::Calendar { format, .. }
            | Command::Procedure(
                ProcedureCommand::Diagram { format, .. }
                | ProcedureCommand::Replay { format, .. }
                | ProcedureCommand::Requirements { format, .. },
            )
            | Command::Objection(ObjectionCommand::Replay { format, .. }) => json(*format),
            Command::Schedule { format, .. } => {
                json(if *format == ScheduleFormat::Json { Format::Json } else { Format::Text })
            }
            Command::Compliance { format, .. } => {
                json(if *format == ComplianceFormat::Json { Format::Json } else { Format::Text })
            }
            Command::Rules(
                RulesCommand::Lint { format, .. }
                | RulesCommand::Compile { format, .. }
                | RulesCommand::Show { format, .. }
                | RulesCommand::Diff { format, .. }
                | RulesCommand::Explain { format, .. }
                | RulesCommand::Schema { format },
            ) => json(*format),
        }
    }
}

/// The value of a successful answer (its warnings reported), or its errors.
pub(crate) fn value_or_errors<T>(answer: Answer<T>) -> Result<T, Vec<Diagnostic>> {
    report_warnings(&answer.warnings);
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
                Format::Json => print_json(&deadline)?,
                Format::Text => {
                    outln!("{}", deadline.date);
                    outln!("{}", deadline.explanation.to_text_zh());
                    outln!("{}", deadline.explanation.to_text_en());
                }
            }
            return Ok(ExitCode::SUCCESS);
        }
        Command::Schedule { kind, year, district, today, estimate, unit_name, format, rules } => {
            let set = load_rules(&rules)?;
            let explain = !matches!(format, ScheduleFormat::Text);
            let request = api::ScheduleRequest { unit_kind: kind.into(), year, district, today, estimate, explain };
            let answer = value_or_errors(api::schedule(&set, &request))?;
            match format {
                ScheduleFormat::Json => print_json(&answer)?,
                ScheduleFormat::Ics => out!("{}", cunwu_core::render::schedule_ics(&set, &answer.schedule, &unit_name)),
                ScheduleFormat::Text => {
                    out!("{}", cunwu_core::render::schedule_table(&answer.schedule));
                    if let Some(w) = &answer.next_wake_up {
                        let name = |item: &str| -> String {
                            let found = answer.schedule.obligations.iter().find(|o| o.item == item);
                            found.map_or_else(|| item.to_string(), |o| o.name.clone())
                        };
                        let changes: Vec<String> = w
                            .events
                            .iter()
                            .map(|e| {
                                let change = cunwu_core::names::wake_change_zh(&e.change).unwrap_or(&e.change);
                                format!("{}（{}）{change}", name(&e.item), e.period)
                            })
                            .collect();
                        outln!("\n下一个状态变化日：{}（{}）", w.date, changes.join("；"));
                    }
                }
            }
            return Ok(ExitCode::SUCCESS);
        }
        Command::Event { item, date, kind, district, estimate, format, rules } => {
            let set = load_rules(&rules)?;
            let explain = format == Format::Json;
            let request = api::EventRequest { item, unit_kind: kind.into(), event: date, district, estimate, explain };
            let obligation = value_or_errors(api::event_obligation(&set, &request))?;
            match format {
                Format::Json => print_json(&obligation)?,
                Format::Text => out!("{}", cunwu_core::render::obligation_text(&set, &obligation)),
            }
            return Ok(ExitCode::SUCCESS);
        }
        Command::Posted { item, date, kind, district, estimate, format, rules } => {
            let set = load_rules(&rules)?;
            let request = api::PostingRequest { item, unit_kind: kind.into(), posted: date, district, estimate };
            let obligation = value_or_errors(api::after_posting(&set, &request))?;
            match format {
                Format::Json => print_json(&obligation)?,
                Format::Text => out!("{}", cunwu_core::render::obligation_text(&set, &obligation)),
            }
            return Ok(ExitCode::SUCCESS);
        }
        Command::Procedure(ProcedureCommand::Diagram { pipeline, format }) => {
            let mermaid = cunwu_core::procedure::mermaid(pipeline.into());
            match format {
                Format::Text => out!("{mermaid}"),
                Format::Json => print_json(&serde_json::json!({ "pipeline": pipeline.name(), "mermaid": mermaid }))?,
            }
            return Ok(ExitCode::SUCCESS);
        }
        Command::Procedure(ProcedureCommand::Replay { log, today, stored, format, rules }) => {
            let set = load_rules(&rules)?;
            let text = read_input(&log, &set, InputFile::Log)?;
            let request = stored.request(text, today)?;
            let answer = api::case_replay_request(&set, &request);
            let case = value_or_errors(answer).map_err(|e| in_file(e, &log))?;
            match format {
                Format::Json => print_json(&case)?,
                Format::Text => out!("{}", cunwu_core::render::case_text(&case)),
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
                (Format::Json, _) => print_json(&view)?,
                (Format::Text, Some(record)) => out!("{}", record.to_text()),
                (Format::Text, None) => out!("{}", cunwu_core::render::objection_text(&view)),
            }
            return Ok(ExitCode::SUCCESS);
        }
        Command::Due { from, until, units, cases, objections, heads, key_file, estimate, format, rules } => {
            let files = jobs::DueFiles { units, cases, objections, heads, key_file };
            return jobs::due(from, until, &files, estimate, format, &rules);
        }
        Command::Procedure(ProcedureCommand::Requirements { kind, period, pipeline, district, format, rules }) => {
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
            match format {
                Format::Json => print_json(&items)?,
                Format::Text => out!("{}", cunwu_core::render::requirements_text(&set, &items)),
            }
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
                Format::Json => print_json(&answer)?,
                Format::Text => {
                    for d in &answer.findings {
                        let hint = d.hint_zh.as_deref().map(|h| format!("（{h}）")).unwrap_or_default();
                        outln!("{}: {}[{}]: {}{}", d.location, d.severity.name(), d.code, d.message_zh, hint);
                    }
                    let errors = answer.findings.iter().filter(|d| d.is_error()).count();
                    eprintln!("{}: {}", file.display(), counts(errors, answer.findings.len() - errors));
                }
            }
            return Ok(if answer.ok { ExitCode::SUCCESS } else { ExitCode::from(1) });
        }
        Command::Compliance { dir, year, as_of, format, worst, out, rules } => {
            return jobs::compliance(&dir, year, as_of.as_deref(), format, worst, out.as_ref(), &rules);
        }
        Command::Synth { dir, seed, scale, records, rates, format, rules } => {
            return jobs::synth(&dir, seed, &scale, records, &rates, format, &rules);
        }
        Command::Calendar { from, until, estimate, format, rules } => {
            let set = load_rules(&rules)?;
            let until = until.unwrap_or_else(|| from.clone());
            let days = value_or_errors(api::calendar_days(&set, &api::DaysRequest { from, until, estimate }))?;
            match format {
                Format::Json => print_json(&days)?,
                Format::Text => {
                    for d in &days {
                        let holiday = d.holiday.as_deref().unwrap_or("");
                        let est = if d.estimated { "（估算）" } else { "" };
                        let line = format!("{} {} {holiday}{est}", d.date, d.kind.name_zh());
                        outln!("{}", line.trim_end());
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
                Format::Json => print_json(&diags)?,
                Format::Text => {
                    for d in &diags {
                        outln!("{}", d.one_line());
                    }
                    let errors = diags.iter().filter(|d| d.is_error()).count();
                    eprintln!(
                        "{}（{} 个文件 / {} file(s)）",
                        counts(errors, diags.len() - errors),
                        files.len(),
                        files.len()
                    );
                }
            }
            Ok(if diags.iter().any(Diagnostic::is_error) { ExitCode::from(1) } else { ExitCode::SUCCESS })
        }
        RulesCommand::Compile { dirs, without_bundled, out, format: _, limits } => {
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
                Format::Json => print_json(&cat)?,
                Format::Text => out!("{}", cunwu_core::render::catalogue_table(&cat)),
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
                Format::Json => print_json(&diff)?,
                Format::Text => out!("{}", diff.to_text()),
            }
            Ok(ExitCode::SUCCESS)
        }
        RulesCommand::Explain { item, as_of, kind, district, format, rules } => {
            let set = load_rules(&rules)?;
            let request =
                cunwu_core::explain::ExplainRequest { item, as_of, unit_kind: kind.map(Into::into), district };
            let page = value_or_errors(api::explain_item(&set, &request))?;
            match format {
                Format::Json => print_json(&page)?,
                Format::Text => out!("{}", page.to_markdown()),
            }
            Ok(ExitCode::SUCCESS)
        }
        RulesCommand::Schema { format: _ } => {
            out!("{}", cunwu_core::rules::schema::RULE_FILE_SCHEMA);
            Ok(ExitCode::SUCCESS)
        }
    }
}
