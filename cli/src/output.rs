//! What the CLI writes: standard output that ends quietly on a closed pipe, files written whole
//! or not at all, and errors in the form the command's `--format` asks for.

use std::path::PathBuf;

use cunwu_core::Diagnostic;
use cunwu_core::api::Answer;

use crate::input::input_error;

/// Write to standard output. A closed pipe (`cunwu calendar | head -1`) ends the program quietly
/// with status 0: the reader has what it asked for. Any other write error is reported on stderr
/// with status 1. Never a panic.
macro_rules! out {
    ($($arg:tt)*) => { $crate::output::emit(format_args!($($arg)*), false) };
}

/// [`out!`] with a line break.
macro_rules! outln {
    () => { $crate::output::emit(format_args!(""), true) };
    ($($arg:tt)*) => { $crate::output::emit(format_args!($($arg)*), true) };
}

/// Write `args` to standard output (see [`out!`]).
pub(crate) fn emit(args: std::fmt::Arguments<'_>, newline: bool) {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    let written = stdout.write_fmt(args).and_then(|()| if newline { stdout.write_all(b"\n") } else { Ok(()) });
    if let Err(e) = written.and_then(|()| if newline { Ok(()) } else { stdout.flush() }) {
        closed_or_failed(&e);
    }
}

/// End the program after a failed write to standard output: quietly with status 0 on a closed
/// pipe (the reader has what it asked for), with a message and status 1 otherwise.
fn closed_or_failed(e: &std::io::Error) -> ! {
    use std::io::Write;
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        std::process::exit(0);
    }
    let _ = writeln!(std::io::stderr(), "error: 无法写出结果 / cannot write the output: {e}");
    std::process::exit(1);
}

/// How a command reports what went wrong: as text on standard error (`LOCATION: error[CODE]:
/// 中文 / English`, warnings as `warning[CODE]`), or, with `--format json`, as the answer the
/// bindings give (`{"ok": false, "errors": [...], "warnings": [...]}`) on standard output.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum ErrorFormat {
    Text,
    Json,
}

/// Report `diagnostics` (errors and warnings) of a command that failed.
pub(crate) fn report_failure(diagnostics: Vec<Diagnostic>, format: ErrorFormat) {
    match format {
        ErrorFormat::Text => {
            for d in &diagnostics {
                eprintln!("{}", d.one_line());
            }
        }
        ErrorFormat::Json => {
            // Written without `emit`: a reader that closes the pipe early does not turn the
            // failure into status 0.
            use std::io::Write as _;
            let answer = Answer::<()>::failure(diagnostics);
            match serde_json::to_string_pretty(&answer) {
                Ok(text) => {
                    let mut stdout = std::io::stdout().lock();
                    let _ = writeln!(stdout, "{text}").and_then(|()| stdout.flush());
                }
                Err(e) => eprintln!("error: {e}"),
            }
        }
    }
}

/// Report warnings of a command that succeeded: on standard error, one line each, whatever the
/// format (standard output holds the answer itself).
pub(crate) fn report_warnings(warnings: &[Diagnostic]) {
    for w in warnings {
        eprintln!("{}", w.one_line());
    }
}

/// A count of errors and warnings for the end of a text report, in both languages.
pub(crate) fn counts(errors: usize, warnings: usize) -> String {
    format!("错误 {errors} 个，警告 {warnings} 个 / {errors} error(s), {warnings} warning(s)")
}

/// `text` to the file `out` (whole or not at all) or to standard output.
pub(crate) fn write_out(out: Option<&PathBuf>, text: &str) -> Result<(), Vec<Diagnostic>> {
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
pub(crate) fn write_file(
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

/// `value` as pretty JSON, streamed to the file `out` (written beside it, then renamed over it,
/// so a failed write leaves no half file) or to standard output (a closed pipe ends quietly).
pub(crate) fn write_json_out<T: serde::Serialize>(out: Option<&PathBuf>, value: &T) -> Result<(), Vec<Diagnostic>> {
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
            Err(e) => closed_or_failed(&e),
        },
    }
}

/// `value` as pretty JSON on standard output.
pub(crate) fn print_json<T: serde::Serialize>(value: &T) -> Result<(), Vec<Diagnostic>> {
    match serde_json::to_string_pretty(value) {
        Ok(text) => {
            outln!("{text}");
            Ok(())
        }
        Err(e) => Err(input_error("", e.to_string())),
    }
}
