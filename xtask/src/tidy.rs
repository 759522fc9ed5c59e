//! `cargo xtask tidy`: source hygiene checks over every `.rs` file under `crates/`, `src/`,
//! `xtask/` and `tests/`: each file starts with a `//!` doc comment, no line ends in whitespace,
//! and no test is switched off with an ignore or should-panic attribute.
//!
//! Also runs as a `#[test]` (`cargo test -p xtask`), so the rules hold without anyone
//! remembering to run the task.

use std::path::{Path, PathBuf};

/// The directories (relative to the repository root) whose `.rs` files are checked.
pub const CHECKED_DIRS: [&str; 4] = ["crates", "src", "xtask", "tests"];

/// One broken rule: `path:line: message`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    pub path: String,
    pub line: usize,
    pub message: String,
}

impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}: {}", self.path, self.line, self.message)
    }
}

/// Attributes that switch a test off or hide a failure. Spelled in two pieces so that this
/// file does not trip its own check.
fn banned_attributes() -> [(String, &'static str); 2] {
    [
        (
            format!("#[{}", "ignore"),
            "`#[ignore]` hides a test; fix or delete it",
        ),
        (
            format!("#[{}", "should_panic"),
            "`#[should_panic]`: return or match an error instead",
        ),
    ]
}

/// Checks one file's text; `path` is only used in the messages.
pub fn check_source(path: &str, text: &str) -> Vec<Violation> {
    let mut violations = Vec::new();
    let violation = |line: usize, message: &str| Violation {
        path: path.to_owned(),
        line,
        message: message.to_owned(),
    };
    if !text.starts_with("//!") {
        violations.push(violation(1, "file does not start with a `//!` doc comment"));
    }
    let banned = banned_attributes();
    for (index, line) in text.lines().enumerate() {
        let number = index + 1;
        if line.ends_with(' ') || line.ends_with('\t') {
            violations.push(violation(number, "trailing whitespace"));
        }
        let code = line.trim_start();
        for (attribute, message) in &banned {
            // `#[ignore]`, `#[ignore = "..."]`; not a longer name such as `#[ignored_by]`.
            if let Some(rest) = code.strip_prefix(attribute.as_str())
                && rest.starts_with([']', ' ', '=', '('])
            {
                violations.push(violation(number, message));
            }
        }
    }
    violations
}

/// Every `.rs` file under `dir`, skipping `target` directories, sorted.
fn rust_files(dir: &Path, files: &mut Vec<PathBuf>) -> std::io::Result<()> {
    if !dir.is_dir() {
        return Ok(());
    }
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            if path.file_name().is_some_and(|name| name == "target") {
                continue;
            }
            rust_files(&path, files)?;
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            files.push(path);
        }
    }
    Ok(())
}

/// What a repository check found.
#[derive(Clone, Debug)]
pub struct Report {
    /// Files checked.
    pub files: usize,
    /// Violations in path order.
    pub violations: Vec<Violation>,
}

/// Checks the repository at `root`.
pub fn check_repo(root: &Path) -> anyhow::Result<Report> {
    use anyhow::Context as _;
    let mut files = Vec::new();
    for dir in CHECKED_DIRS {
        rust_files(&root.join(dir), &mut files).with_context(|| format!("cannot list {dir}/"))?;
    }
    files.sort();
    let mut violations = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file)
            .with_context(|| format!("cannot read {}", file.display()))?;
        let shown = file
            .strip_prefix(root)
            .unwrap_or(file)
            .display()
            .to_string();
        violations.extend(check_source(&shown, &text));
    }
    Ok(Report {
        files: files.len(),
        violations,
    })
}

#[cfg(test)]
mod tests {
    use expect_test::{Expect, expect};

    use super::*;

    fn check(text: &str, expected: Expect) {
        let shown: Vec<String> = check_source("f.rs", text)
            .iter()
            .map(ToString::to_string)
            .collect();
        expected.assert_eq(&shown.join("\n"));
    }

    #[test]
    fn clean_file_passes() {
        check("//! Does things.\n\nfn main() {}\n", expect![[""]]);
    }

    #[test]
    fn missing_doc_comment() {
        check(
            "// Not a doc comment.\nfn main() {}\n",
            expect!["f.rs:1: file does not start with a `//!` doc comment"],
        );
    }

    #[test]
    fn trailing_whitespace() {
        check(
            "//! Doc.\nfn main() {} \n\t\nlet x = 1;\t\n",
            expect![[r#"
            f.rs:2: trailing whitespace
            f.rs:3: trailing whitespace
            f.rs:4: trailing whitespace"#]],
        );
    }

    #[test]
    fn banned_attributes_are_found() {
        let text = format!(
            "//! Doc.\n#[test]\n#[{i}]\nfn a() {{}}\n    #[{i} = \"slow\"]\n#[{s}(expected = \"x\")]\n#[{i}d_by]\n",
            i = "ignore",
            s = "should_panic"
        );
        check(
            &text,
            expect![[r#"
            f.rs:3: `#[ignore]` hides a test; fix or delete it
            f.rs:5: `#[ignore]` hides a test; fix or delete it
            f.rs:6: `#[should_panic]`: return or match an error instead"#]],
        );
    }

    /// The repository itself obeys the rules (run `cargo xtask tidy` for the list).
    #[test]
    fn repository_is_tidy() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .expect("xtask sits in the repository root");
        let report = check_repo(root).expect("the repository can be read");
        assert!(
            report.files > 0,
            "no .rs files found under {}",
            root.display()
        );
        let shown: Vec<String> = report.violations.iter().map(ToString::to_string).collect();
        assert!(shown.is_empty(), "tidy violations:\n{}", shown.join("\n"));
    }
}
