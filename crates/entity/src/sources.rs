//! Where entity files come from: the file system ([`load_fs`]) or memory ([`load_memory`]); both
//! run the same pipeline: module tree → entities per module → schema.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::ctx::Ctx;
use crate::diagnostics::{Diagnostic, Severity, Sink};
use crate::module_tree::{self, Entry};
use crate::resolve::Resolver;
use crate::{LoadOptions, Loaded, formats, lower};

/// More `.rs` files than this under one root are not listed for the "not in the module tree" note.
const MAX_SCAN: usize = 200_000;

pub(crate) fn load_memory(files: &[(PathBuf, String)], opts: &LoadOptions) -> Loaded {
    let map: BTreeMap<PathBuf, &str> = files
        .iter()
        .map(|(p, t)| (module_tree::normalize(p), t.as_str()))
        .collect();
    let paths: Vec<PathBuf> = map.keys().cloned().collect();
    let entries = module_tree::entries_for_files(&paths);
    let mut read = |p: &Path| map.get(p).map(|t| t.to_string());
    run(&entries, &mut read, &paths, Sink::default(), opts)
}

pub(crate) fn load_fs(roots: &[PathBuf], opts: &LoadOptions) -> Loaded {
    let mut sink = Sink::default();
    let mut entries = Vec::new();
    let mut known = Vec::new();
    for root in roots {
        let root = module_tree::normalize(root);
        if root.is_file() {
            entries.push(Entry::File(root.clone()));
            if let Some(dir) = root.parent() {
                scan(dir, &mut known);
            }
            continue;
        }
        if !root.is_dir() {
            sink.push(Diagnostic::file(
                Severity::Error,
                &root,
                "entity path does not exist",
            ));
            continue;
        }
        let dir = if root.join("Cargo.toml").is_file() && root.join("src").is_dir() {
            root.join("src")
        } else {
            root.clone()
        };
        let root_file = ["lib.rs", "main.rs", "mod.rs"]
            .iter()
            .map(|f| dir.join(f))
            .find(|p| p.is_file());
        match root_file {
            Some(f) => entries.push(Entry::File(f)),
            None => {
                let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
                    .map(|rd| {
                        rd.filter_map(Result::ok)
                            .map(|e| e.path())
                            .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "rs"))
                            .collect()
                    })
                    .unwrap_or_default();
                files.sort();
                entries.push(Entry::Dir {
                    dir: dir.clone(),
                    files,
                });
            }
        }
        scan(&dir, &mut known);
    }
    let mut io_errors: Vec<(PathBuf, String)> = Vec::new();
    let mut read = |p: &Path| match std::fs::read_to_string(p) {
        Ok(t) => Some(t),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => {
            io_errors.push((p.to_path_buf(), e.to_string()));
            None
        }
    };
    let mut loaded = run(&entries, &mut read, &known, sink, opts);
    for (p, e) in io_errors {
        loaded.diagnostics.push(Diagnostic::file(
            Severity::Error,
            &p,
            format!("cannot read file: {e}"),
        ));
    }
    loaded
}

/// Every `.rs` file under `dir` (skipping `target` and hidden directories).
fn scan(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in rd.filter_map(Result::ok) {
            let p = e.path();
            let name = e.file_name().to_string_lossy().to_string();
            if p.is_dir() {
                if name != "target" && !name.starts_with('.') {
                    stack.push(p);
                }
            } else if name.ends_with(".rs") && out.len() < MAX_SCAN {
                out.push(module_tree::normalize(&p));
            }
        }
    }
}

fn run(
    entries: &[Entry],
    read: &mut dyn FnMut(&Path) -> Option<String>,
    known: &[PathBuf],
    mut sink: Sink,
    opts: &LoadOptions,
) -> Loaded {
    let tree = module_tree::build(entries, read, &mut sink);
    let unreached: BTreeSet<&PathBuf> = known
        .iter()
        .filter(|p| !tree.reached.contains(*p))
        .collect();
    if !unreached.is_empty() {
        let list: Vec<String> = unreached.iter().map(|p| p.display().to_string()).collect();
        let first = unreached
            .iter()
            .next()
            .map(|p| p.as_path())
            .unwrap_or(Path::new(""));
        sink.push(
            Diagnostic::file(
                Severity::Note,
                first,
                format!(
                    "{} file(s) are not in the module tree and were ignored: {}",
                    list.len(),
                    list.join(", ")
                ),
            )
            .with_help("add a `mod` item for a file that holds entities"),
        );
    }
    let mut ctx = Ctx::new(Resolver::new(&tree), opts);
    ctx.sink.items = std::mem::take(&mut sink.items);
    let mut entities = Vec::new();
    for m in 0..tree.modules.len() {
        entities.extend(formats::read_module(&mut ctx, m));
    }
    let schema = lower::lower(&mut ctx, &entities);
    Loaded {
        schema,
        diagnostics: ctx.sink.items,
    }
}
