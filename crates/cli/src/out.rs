//! Standard output for reports: [`outln!`] / [`out!`] instead of `println!` / `print!`, which
//! panic when the reader has gone away (`autogen inspect | head -1`). A closed pipe ends the
//! output quietly, as ripgrep does: later writes are skipped and the command's own exit code
//! (0, 1 for drift) stands. Any other write error (a full disk under `> file`) is remembered and
//! turns the exit code into 2 with one line on stderr ([`finish`]).

use std::fmt;
use std::io::{ErrorKind, Write};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

static CLOSED: AtomicBool = AtomicBool::new(false);
static FAILED: Mutex<Option<String>> = Mutex::new(None);

/// Writes `args` (and a newline when `newline`) to stdout; see the module docs.
pub fn write(args: fmt::Arguments<'_>, newline: bool) {
    if CLOSED.load(Ordering::Relaxed) {
        return;
    }
    let mut stdout = std::io::stdout().lock();
    let result = stdout
        .write_fmt(args)
        .and_then(|()| {
            if newline {
                stdout.write_all(b"\n")
            } else {
                Ok(())
            }
        })
        .and_then(|()| stdout.flush());
    if let Err(e) = result {
        CLOSED.store(true, Ordering::Relaxed);
        if e.kind() != ErrorKind::BrokenPipe {
            let mut failed = FAILED.lock().unwrap_or_else(|p| p.into_inner());
            failed.get_or_insert_with(|| e.to_string());
        }
    }
}

/// The write error that is not a closed pipe, if any happened.
pub fn finish() -> Option<String> {
    FAILED.lock().unwrap_or_else(|p| p.into_inner()).take()
}

/// `println!` to stdout that survives a closed pipe.
#[macro_export]
macro_rules! outln {
    () => {
        $crate::out::write(format_args!(""), true)
    };
    ($($arg:tt)*) => {
        $crate::out::write(format_args!($($arg)*), true)
    };
}

/// `print!` to stdout that survives a closed pipe.
#[macro_export]
macro_rules! out {
    ($($arg:tt)*) => {
        $crate::out::write(format_args!($($arg)*), false)
    };
}
