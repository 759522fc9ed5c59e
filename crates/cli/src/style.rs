//! Colours and `--quiet`: how the human-readable output looks on a terminal.
//!
//! Colour is decided once per stream at start-up ([`init`]): `--color always` and `never` are
//! obeyed as given; `auto` (the default) colours a stream only when it is a terminal, `NO_COLOR`
//! is unset or empty and `TERM` is not `dumb`. Machine formats (`--format json`, `github`, SQL,
//! generated files) never go through here, so they never carry escapes.
//!
//! `--quiet` silences what is not an error: the `check` text report, notes, warnings and
//! progress lines ([`warnln!`]). Errors still reach stderr and the exit code is unchanged.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};

use anstyle::{AnsiColor, Style};

use crate::opt::ColorChoice;

static STDOUT: AtomicBool = AtomicBool::new(false);
static STDERR: AtomicBool = AtomicBool::new(false);
static QUIET: AtomicBool = AtomicBool::new(false);

/// What a piece of text is; each role has one look.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Error,
    Warning,
    Note,
    Help,
    /// A table's name heading its block in the drift report, section titles.
    Heading,
    /// `WARNING destructive:`.
    Destructive,
    /// The entities' side of a difference, added lines of a text diff.
    Desired,
    /// The database's side of a difference, removed lines of a text diff.
    Current,
    /// `in sync`.
    Ok,
    /// `drift`.
    Drift,
}

fn look(role: Role) -> Style {
    let fg = |c: AnsiColor| Style::new().fg_color(Some(c.into()));
    match role {
        Role::Error => fg(AnsiColor::Red).bold(),
        Role::Warning => fg(AnsiColor::Yellow).bold(),
        Role::Note => fg(AnsiColor::Cyan).bold(),
        Role::Help => fg(AnsiColor::Cyan),
        Role::Heading => Style::new().bold(),
        Role::Destructive => fg(AnsiColor::Red).bold(),
        Role::Desired => fg(AnsiColor::Green),
        Role::Current => fg(AnsiColor::Red),
        Role::Ok => fg(AnsiColor::Green).bold(),
        Role::Drift => fg(AnsiColor::Yellow).bold(),
    }
}

/// Decides colour for both streams and sets quietness; called once by `main`.
pub fn init(choice: ColorChoice, quiet: bool) {
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let dumb = std::env::var_os("TERM").is_some_and(|t| t == "dumb");
    let env_allows = !no_color && !dumb;
    STDOUT.store(
        wanted(choice, env_allows, std::io::stdout().is_terminal()),
        Ordering::Relaxed,
    );
    STDERR.store(
        wanted(choice, env_allows, std::io::stderr().is_terminal()),
        Ordering::Relaxed,
    );
    QUIET.store(quiet, Ordering::Relaxed);
}

/// Whether a stream is coloured: the flag wins over the environment (as no-color.org asks of
/// an explicit option); `auto` needs a terminal and an environment that allows colour.
pub fn wanted(choice: ColorChoice, env_allows: bool, terminal: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => env_allows && terminal,
    }
}

/// `--quiet` was given.
pub fn quiet() -> bool {
    QUIET.load(Ordering::Relaxed)
}

fn paint(on: bool, role: Role, text: &str) -> String {
    if !on || text.is_empty() {
        return text.to_string();
    }
    let s = look(role);
    format!("{}{text}{}", s.render(), s.render_reset())
}

/// `text` in `role`'s look when stdout is coloured.
pub fn out(role: Role, text: &str) -> String {
    paint(STDOUT.load(Ordering::Relaxed), role, text)
}

/// `text` in `role`'s look when stderr is coloured.
pub fn err(role: Role, text: &str) -> String {
    paint(STDERR.load(Ordering::Relaxed), role, text)
}

/// A stderr line with its severity coloured: a leading `error:` / `warning:` / `note:` /
/// `help:` (after indentation), or the one after a `file:line:col: ` location; the rest of the
/// line stays plain. Each line of a multi-line text is treated alike.
pub fn err_line(text: &str) -> String {
    if !STDERR.load(Ordering::Relaxed) {
        return text.to_string();
    }
    text.split('\n')
        .map(|line| match severity_at(line) {
            Some((at, word, role)) => format!(
                "{}{}{}",
                &line[..at],
                err(role, word),
                &line[at + word.len()..]
            ),
            None => line.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Where the severity word of a line is: its byte offset, the word with its colon, its role.
fn severity_at(line: &str) -> Option<(usize, &'static str, Role)> {
    const WORDS: [(&str, Role); 4] = [
        ("error:", Role::Error),
        ("warning:", Role::Warning),
        ("note:", Role::Note),
        ("help:", Role::Help),
    ];
    let indent = line.len() - line.trim_start().len();
    for (word, role) in WORDS {
        if line[indent..].starts_with(word) {
            return Some((indent, word, role));
        }
    }
    for (word, role) in WORDS {
        if let Some(i) = line.find(&format!(": {word} ")) {
            return Some((i + 2, word, role));
        }
    }
    None
}

/// Prints a line that is not an error to stderr: notes, warnings, loader diagnostics below
/// error level, progress. Its severity word is coloured; nothing is printed under `--quiet`.
pub fn warn(text: &str) {
    if !quiet() {
        eprintln!("{}", err_line(text));
    }
}

/// `eprintln!` for notes, warnings and progress: see [`warn`].
#[macro_export]
macro_rules! warnln {
    ($($arg:tt)*) => {
        $crate::style::warn(&format!($($arg)*))
    };
}

/// `outln!` for a report line on stdout that `--quiet` silences (what `revision` wrote, the
/// `check` text report); output asked for explicitly (JSON, SQL, `inspect`) uses `outln!`.
#[macro_export]
macro_rules! sayln {
    ($($arg:tt)*) => {
        if !$crate::style::quiet() {
            $crate::outln!($($arg)*)
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_flag_wins_and_auto_needs_a_terminal_and_the_environment() {
        use ColorChoice::*;
        assert!(wanted(Always, false, false));
        assert!(!wanted(Never, true, true));
        assert!(wanted(Auto, true, true));
        assert!(!wanted(Auto, false, true), "NO_COLOR or TERM=dumb");
        assert!(!wanted(Auto, true, false), "not a terminal");
    }

    #[test]
    fn the_severity_word_is_found_after_indentation_or_a_location() {
        assert_eq!(
            severity_at("warning: data-aware hazards not measured"),
            Some((0, "warning:", Role::Warning))
        );
        assert_eq!(
            severity_at("  help: add a `mod` item"),
            Some((2, "help:", Role::Help))
        );
        assert_eq!(
            severity_at("src/a.rs:3:5: error: syntax error: expected `;`"),
            Some((14, "error:", Role::Error))
        );
        assert_eq!(severity_at("public.users"), None);
    }

    #[test]
    fn painting_wraps_the_text_in_escapes_and_a_reset() {
        let s = paint(true, Role::Error, "error:");
        assert!(s.starts_with("\u{1b}["), "{s:?}");
        assert!(s.ends_with("\u{1b}[0m"), "{s:?}");
        assert!(s.contains("error:"));
        assert_eq!(paint(false, Role::Error, "error:"), "error:");
    }
}
