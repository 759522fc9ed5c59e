//! Where entity files come from: the file system ([`load_fs`]) or memory ([`load_memory`]); both
//! run the same pipeline: module tree → entities per module → schema. When a field type is not
//! resolved by the loaded crates alone, the file system loader asks for the dependency crates
//! (once), reads what the unresolved paths need from them ([`dep_crates`]) and runs the pipeline
//! again.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use crate::ctx::Ctx;
use crate::dep_crates::{self, Crates};
use crate::diagnostics::{Diagnostic, Severity, Sink};
use crate::entity_def::EntityDef;
use crate::module_tree::{self, Entry, ModId};
use crate::parallel::{self, ReadOutcome};
use crate::resolve::{Resolver, Scope};
use crate::{LoadOptions, Loaded, formats, lower};

thread_local! {
    /// Whether the last load on this thread was done by the parallel loader (tests).
    static PARALLEL: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Whether the last load on this thread was done by the parallel loader, not the sequential
/// one it falls back to.
pub(crate) fn last_load_was_parallel() -> bool {
    PARALLEL.with(|p| p.get())
}

/// More `.rs` files than this under one root are not listed for the "not in the module tree" note.
const MAX_SCAN: usize = 200_000;

/// Pipeline runs at most: the loaded crates alone, then with what dependency crates add (a
/// newtype there wrapping a type from yet another module or crate may need one more).
const MAX_PASSES: usize = 3;

/// Dependency crates for [`run`].
struct Deps<'a> {
    /// Called at most once, when some type path is not resolved by the loaded crates.
    find: &'a mut dyn FnMut() -> Crates,
    /// Per entry: the (canonical) root file of the crate it belongs to.
    entry_crates: Vec<Option<PathBuf>>,
    read: &'a mut dyn FnMut(&Path) -> Option<String>,
}

/// `workers`: threads for the parallel loader (`crate::parallel`); 0 loads sequentially.
pub(crate) fn load_memory(
    files: &[(PathBuf, String)],
    opts: &LoadOptions,
    workers: usize,
) -> Loaded {
    let map: BTreeMap<PathBuf, &str> = files
        .iter()
        .map(|(p, t)| (module_tree::normalize(p), t.as_str()))
        .collect();
    let paths: Vec<PathBuf> = map.keys().cloned().collect();
    let entries = module_tree::entries_for_files(&paths);
    PARALLEL.with(|p| p.set(false));
    if workers > 0 {
        let par_read = |p: &Path| match map.get(p) {
            Some(t) => ReadOutcome::Text(t.to_string()),
            None => ReadOutcome::Missing,
        };
        let mut sink = Sink::default();
        let io_errors = RefCell::new(Vec::new());
        if let Some((tree, sk)) =
            parallel::tree::build(&entries, &par_read, &mut sink, &io_errors, workers)
        {
            // Unresolved paths are not looked for in dependency crates here.
            if let Some((loaded, _)) = run_parallel(&tree, &sk, &paths, sink, opts, &[], workers) {
                PARALLEL.with(|p| p.set(true));
                return loaded;
            }
        }
    }
    let mut read = |p: &Path| map.get(p).map(|t| t.to_string());
    let mut sink = Sink::default();
    let tree = module_tree::build(&entries, &mut read, &mut sink);
    run(tree, &paths, sink, opts, &[], None)
}

/// The parallel pipeline's single pass (`crate::parallel`); also returns whether some type
/// path was left unresolved (dependency crates would be asked for: the caller loads
/// sequentially then). `None`: a file did not parse as phase 1 read it (load sequentially).
#[allow(clippy::too_many_arguments)]
fn run_parallel(
    tree: &module_tree::Tree,
    sk: &parallel::tree::Skeleton,
    known: &[PathBuf],
    sink: Sink,
    opts: &LoadOptions,
    widened: &[Vec<PathBuf>],
    workers: usize,
) -> Option<(Loaded, bool)> {
    let read = parallel::entities::read(tree, sk, opts, workers);
    if read.mismatch {
        return None;
    }
    let (loaded, wants) = pass(
        tree,
        known,
        sink.items,
        opts,
        widened,
        Some((&sk.scopes, read, workers)),
    );
    Some((loaded, !wants.is_empty()))
}

/// One root given to [`load_fs`].
struct FsRoot {
    /// How to read the root on its own (its `lib.rs`/`mod.rs`, or a plain directory).
    own: Entry,
    /// The directory it covers: scanned for unreached files, and the filter when widened.
    scope: PathBuf,
    /// The enclosing crate's root file, when the root is a module inside a crate: the crate is
    /// read from there so that `crate::` paths resolve, and only entities under `scope` are kept.
    crate_root: Option<PathBuf>,
}

/// `workers`: threads for the parallel loader (`crate::parallel`); 0 loads sequentially, as
/// does a load the parallel loader leaves (an item-position macro, a file phase 2 reads
/// differently, dependency crates that may resolve a type path).
pub(crate) fn load_fs(
    roots: &[PathBuf],
    opts: &LoadOptions,
    find_crates: &mut dyn FnMut() -> Crates,
    workers: usize,
) -> Loaded {
    PARALLEL.with(|p| p.set(false));
    let mut found = None;
    if workers > 0
        && let Some(loaded) = load_fs_with(roots, opts, find_crates, workers, &mut found)
    {
        PARALLEL.with(|p| p.set(true));
        return loaded;
    }
    let loaded = match found {
        // `find_crates` is called at most once: the sequential loader gets what it gave.
        Some(crates) => {
            let mut crates = Some(crates);
            let mut again = || crates.take().unwrap_or_default();
            load_fs_with(roots, opts, &mut again, 0, &mut None)
        }
        None => load_fs_with(roots, opts, find_crates, 0, &mut None),
    };
    loaded.expect("the sequential loader always loads")
}

/// A file's text from the file system, from any thread.
fn read_fs(p: &Path) -> ReadOutcome {
    match std::fs::read_to_string(p) {
        Ok(t) => ReadOutcome::Text(t),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => ReadOutcome::Missing,
        Err(e) => ReadOutcome::Failed(e.to_string()),
    }
}

/// Builds the module tree of `entries`: sequentially (`workers` 0), else in parallel (`None`:
/// a file the parallel loader leaves to the sequential one).
fn build_tree(
    entries: &[Entry],
    read: &mut dyn FnMut(&Path) -> Option<String>,
    io_errors: &RefCell<Vec<(PathBuf, String)>>,
    sink: &mut Sink,
    workers: usize,
) -> Option<(module_tree::Tree, Option<parallel::tree::Skeleton>)> {
    if workers == 0 {
        return Some((module_tree::build(entries, read, sink), None));
    }
    let (tree, sk) = parallel::tree::build(entries, &read_fs, sink, io_errors, workers)?;
    Some((tree, Some(sk)))
}

/// `None`: the parallel loader (`workers` > 0) leaves this load to the sequential one; `found`:
/// the dependency crates it already asked for.
fn load_fs_with(
    roots: &[PathBuf],
    opts: &LoadOptions,
    find_crates: &mut dyn FnMut() -> Crates,
    workers: usize,
    found: &mut Option<Crates>,
) -> Option<Loaded> {
    let mut sink = Sink::default();
    let mut fs_roots = Vec::new();
    for root in roots {
        match fs_root(&spelled_root(root)) {
            Some(r) => fs_roots.push(r),
            None => sink.push(Diagnostic::file(
                Severity::Error,
                root,
                "entity path does not exist",
            )),
        }
    }
    let mut known = Vec::new();
    for r in &fs_roots {
        scan(&r.scope, &mut known);
    }
    known.sort();
    known.dedup();
    let io_errors: RefCell<Vec<(PathBuf, String)>> = RefCell::new(Vec::new());
    let mut read = |p: &Path| match read_fs(p) {
        ReadOutcome::Text(t) => Some(t),
        ReadOutcome::Missing => None,
        ReadOutcome::Failed(e) => {
            io_errors.borrow_mut().push((p.to_path_buf(), e));
            None
        }
    };
    // Widen module roots to their crate where the crate's module tree reaches them.
    let mut crate_roots: Vec<Entry> = Vec::new();
    for root in fs_roots.iter().filter_map(|r| r.crate_root.as_ref()) {
        if !crate_roots
            .iter()
            .any(|e| matches!(e, Entry::File(f) if f == root))
        {
            crate_roots.push(Entry::File(root.clone()));
        }
    }
    let mut probe_sink = Sink::default();
    let (probe, probe_sk) = if crate_roots.is_empty() {
        (module_tree::Tree::default(), None)
    } else {
        build_tree(
            &crate_roots,
            &mut read,
            &io_errors,
            &mut probe_sink,
            workers,
        )?
    };
    let mut entries: Vec<Entry> = Vec::new();
    let mut widened: Vec<Vec<PathBuf>> = Vec::new();
    let mut entry_crates: Vec<Option<PathBuf>> = Vec::new();
    for r in &fs_roots {
        let reached =
            r.crate_root.is_some() && probe.reached.iter().any(|p| p.starts_with(&r.scope));
        match (&r.crate_root, reached) {
            (Some(root), true) => {
                // Several module roots of one crate share one read of the crate.
                let same = entries
                    .iter()
                    .position(|e| matches!(e, Entry::File(f) if f == root));
                match same {
                    Some(i) if !widened[i].is_empty() => widened[i].push(r.scope.clone()),
                    _ => {
                        entries.push(Entry::File(root.clone()));
                        widened.push(vec![r.scope.clone()]);
                        entry_crates.push(Some(root.clone()));
                    }
                }
            }
            _ => {
                entries.push(r.own.clone());
                widened.push(Vec::new());
                entry_crates.push(match &r.own {
                    Entry::File(f) if r.crate_root.is_none() => Some(f.clone()),
                    _ => r.crate_root.clone(),
                });
            }
        }
    }
    // When every root was widened, the probe already is the tree to load.
    let same = entries.len() == crate_roots.len()
        && entries.iter().zip(&crate_roots).all(|(a, b)| match (a, b) {
            (Entry::File(a), Entry::File(b)) => a == b,
            _ => false,
        });
    let (tree, sk) = if same {
        sink.items.append(&mut probe_sink.items);
        (probe, probe_sk)
    } else {
        drop(probe);
        build_tree(&entries, &mut read, &io_errors, &mut sink, workers)?
    };
    let mut tree = tree;
    tree.crate_names = crate_names(&tree);
    let entry_crates = entry_crates
        .into_iter()
        .map(|f| f.and_then(|f| std::fs::canonicalize(f).ok()))
        .collect();
    let mut loaded = match sk {
        Some(sk) => {
            let (loaded, unresolved) =
                run_parallel(&tree, &sk, &known, sink, opts, &widened, workers)?;
            if unresolved {
                // Dependency crates may resolve it: the sequential loader reads them. Without
                // any (`run` then keeps its first pass) this pass is the load.
                let crates = find_crates();
                if !crates.deps.is_empty() {
                    *found = Some(crates);
                    return None;
                }
            }
            loaded
        }
        None => {
            let deps = Deps {
                find: find_crates,
                entry_crates,
                read: &mut read,
            };
            run(tree, &known, sink, opts, &widened, Some(deps))
        }
    };
    for (p, e) in io_errors.into_inner() {
        loaded.diagnostics.push(Diagnostic::file(
            Severity::Error,
            &p,
            format!("cannot read file: {e}"),
        ));
    }
    Some(loaded)
}

fn fs_root(root: &Path) -> Option<FsRoot> {
    if root.is_file() {
        let scope = root.parent().map(Path::to_path_buf).unwrap_or_default();
        let is_crate_root = matches!(
            root.file_name().and_then(|n| n.to_str()),
            Some("lib.rs" | "main.rs")
        );
        let crate_root = if is_crate_root {
            None
        } else {
            enclosing_crate_root(&scope)
        };
        return Some(FsRoot {
            own: Entry::File(root.to_path_buf()),
            scope,
            crate_root,
        });
    }
    if !root.is_dir() {
        return None;
    }
    let dir = if root.join("Cargo.toml").is_file() && root.join("src").is_dir() {
        root.join("src")
    } else {
        root.to_path_buf()
    };
    if let Some(f) = ["lib.rs", "main.rs"]
        .iter()
        .map(|f| dir.join(f))
        .find(|p| p.is_file())
    {
        return Some(FsRoot {
            own: Entry::File(f),
            scope: dir,
            crate_root: None,
        });
    }
    let own = match dir.join("mod.rs") {
        m if m.is_file() => Entry::File(m),
        _ => {
            let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
                .map(|rd| {
                    rd.filter_map(Result::ok)
                        .map(|e| e.path())
                        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "rs"))
                        .collect()
                })
                .unwrap_or_default();
            files.sort();
            Entry::Dir {
                dir: dir.clone(),
                files,
            }
        }
    };
    let crate_root = enclosing_crate_root(&dir);
    Some(FsRoot {
        own,
        scope: dir,
        crate_root,
    })
}

/// The crates of the tree read from `…/src/lib.rs` or `…/src/main.rs` beside a `Cargo.toml`:
/// their names as Rust code spells them (`[lib] name`, else `[package] name` with `-` → `_`).
fn crate_names(tree: &module_tree::Tree) -> HashMap<String, ModId> {
    let mut out = HashMap::new();
    for &root in tree.roots.iter().flatten() {
        let file = &tree.modules[root].file;
        let Some(src) = file.parent() else { continue };
        let Some(manifest_dir) = src.parent() else {
            continue;
        };
        if src.file_name().and_then(|n| n.to_str()) != Some("src") {
            continue;
        }
        let Ok(manifest) = std::fs::read_to_string(manifest_dir.join("Cargo.toml")) else {
            continue;
        };
        if let Some(name) = manifest_crate_name(&manifest) {
            out.entry(name).or_insert(root);
        }
    }
    out
}

/// `[lib] name = ".."`, else `[package] name = ".."`, with `-` → `_`; a line-based read that
/// is enough for the two keys (no dependency on a TOML parser here).
fn manifest_crate_name(manifest: &str) -> Option<String> {
    let mut section = "";
    let mut package = None;
    let mut lib = None;
    for line in manifest.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            section = line.trim_matches(|c| c == '[' || c == ']').trim();
            continue;
        }
        let Some((key, value)) = line.split_once('=') else {
            continue;
        };
        if key.trim() != "name" {
            continue;
        }
        let value = value.split('#').next().unwrap_or_default();
        let value = value.trim().trim_matches('"').trim_matches('\'');
        match section {
            "package" => package = Some(value.to_string()),
            "lib" => lib = Some(value.to_string()),
            _ => {}
        }
    }
    lib.or(package).map(|n| n.replace('-', "_"))
}

/// How to spell a root given on the command line: as written (normalized) when it and its
/// crate lie under the working directory, else absolute. `.` normalizes to the empty path, and
/// `..` or a module directory below the working directory (`cd src/models && autogen
/// --entities .`) would otherwise lose sight of the crate root that `crate::` paths need.
fn spelled_root(root: &Path) -> PathBuf {
    let n = module_tree::normalize(root);
    if n.is_absolute() {
        return n;
    }
    let Ok(cwd) = std::env::current_dir() else {
        return n;
    };
    let abs = module_tree::normalize(&cwd.join(&n));
    let crate_outside = abs
        .ancestors()
        .take(12)
        .find(|a| a.join("Cargo.toml").is_file())
        .is_some_and(|manifest_dir| !manifest_dir.starts_with(&cwd));
    if n.as_os_str().is_empty() || n.starts_with("..") || crate_outside {
        abs
    } else {
        n
    }
}

/// `src/lib.rs` (else `src/main.rs`) of the nearest ancestor directory with a `Cargo.toml`.
fn enclosing_crate_root(dir: &Path) -> Option<PathBuf> {
    let start = if dir.is_absolute() {
        dir.to_path_buf()
    } else {
        std::env::current_dir().ok()?.join(dir)
    };
    let start = module_tree::normalize(&start);
    let manifest_dir = start
        .ancestors()
        .take(12)
        .find(|a| a.join("Cargo.toml").is_file())?;
    let root = ["src/lib.rs", "src/main.rs"]
        .iter()
        .map(|f| manifest_dir.join(f))
        .find(|p| p.is_file())?;
    // Keep the caller's spelling (relative paths stay relative).
    if dir.is_absolute() {
        return Some(root);
    }
    let cwd = std::env::current_dir().ok()?;
    let rel = root.strip_prefix(&cwd).ok()?.to_path_buf();
    Some(rel)
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
            // The directory entry's own type spares a `stat` per file; a symbolic link is
            // followed as before.
            let is_dir = match e.file_type() {
                Ok(t) if !t.is_symlink() => t.is_dir(),
                _ => p.is_dir(),
            };
            if is_dir {
                if name != "target" && !name.starts_with('.') {
                    stack.push(p);
                }
            } else if name.ends_with(".rs") && out.len() < MAX_SCAN {
                out.push(module_tree::normalize(&p));
            }
        }
    }
}

/// Runs the pipeline; again with what dependency crates add when a type path is unresolved
/// and `deps` can tell where to look.
fn run(
    mut tree: module_tree::Tree,
    known: &[PathBuf],
    sink: Sink,
    opts: &LoadOptions,
    widened: &[Vec<PathBuf>],
    mut deps: Option<Deps<'_>>,
) -> Loaded {
    let mut diagnostics = sink.items;
    let mut found = false;
    let mut round = 0;
    loop {
        round += 1;
        let (loaded, wants) = pass(&tree, known, diagnostics.clone(), opts, widened, None);
        let Some(d) = deps.as_mut() else {
            return loaded;
        };
        if wants.is_empty() || round >= MAX_PASSES {
            return loaded;
        }
        if !found {
            found = true;
            tree.deps.crates = (d.find)();
            for i in 0..tree.roots.len() {
                if let (Some(root), Some(Some(file))) = (tree.roots[i], d.entry_crates.get(i)) {
                    dep_crates::attach(&mut tree, root, file.clone());
                }
            }
        }
        let mut sink = Sink::default();
        if !dep_crates::load_wanted(&mut tree, wants, d.read, &mut sink) {
            return loaded;
        }
        diagnostics.extend(sink.items);
    }
}

/// One run of the pipeline over `tree`; also returns the type paths nothing resolved.
/// `widened[i]` non-empty: entry `i` is a whole crate read for module roots; only files under
/// those directories contribute entities and diagnostics. `given`: the modules' scopes and
/// what reading their entities gave (the parallel loader: `tree` holds no items), else the
/// entities are read here.
fn pass(
    tree: &module_tree::Tree,
    known: &[PathBuf],
    diagnostics: Vec<Diagnostic>,
    opts: &LoadOptions,
    widened: &[Vec<PathBuf>],
    given: Option<(&[Scope], parallel::entities::Read, usize)>,
) -> (Loaded, Vec<(ModId, Vec<String>)>) {
    let mut sink = Sink {
        items: diagnostics,
        ..Sink::default()
    };
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
    let (res, given, lower_on) = match given {
        Some((scopes, read, workers)) => (
            Resolver::with_scopes(tree, scopes, None),
            Some(read),
            Some((scopes, workers)),
        ),
        None => (Resolver::new(tree), None, None),
    };
    let mut ctx = Ctx::new(res, opts);
    ctx.sink.items = std::mem::take(&mut sink.items);
    let mut entities = Vec::new();
    let mut read_wants = Vec::new();
    match given {
        Some(read) => {
            ctx.sink.items.extend(read.diagnostics);
            ctx.sink.findings.extend(read.findings);
            entities = read.entities;
            read_wants = read.wants;
        }
        None => {
            for m in 0..tree.modules.len() {
                // Dependency crates give types, not tables.
                if !tree.deps.is_dependency(m) {
                    entities.extend(formats::read_module(&mut ctx, m));
                }
            }
        }
    }
    // A widened crate contributes only what lies under its scope.
    let mut scope_of: HashMap<ModId, &[PathBuf]> = HashMap::new();
    for (root, scopes) in tree.roots.iter().zip(widened) {
        if let Some(root) = root
            && !scopes.is_empty()
        {
            scope_of.insert(*root, scopes);
        }
    }
    let mut outside: BTreeSet<&Path> = BTreeSet::new();
    let mut inside: BTreeSet<&Path> = BTreeSet::new();
    for m in &tree.modules {
        match scope_of.get(&m.krate) {
            Some(scopes) if !scopes.iter().any(|s| m.file.starts_with(s)) => {
                outside.insert(m.file.as_path())
            }
            _ => inside.insert(m.file.as_path()),
        };
    }
    let include = |e: &EntityDef| {
        let file = tree.modules[e.module].file.as_path();
        !outside.contains(file) || inside.contains(file)
    };
    let schema = match lower_on {
        Some((scopes, workers)) => {
            let included: Vec<bool> = entities.iter().map(&include).collect();
            parallel::lowering::lower(&mut ctx, &entities, &included, scopes, workers)
        }
        None => lower::lower(&mut ctx, &entities, &include),
    };
    let findings = std::mem::take(&mut ctx.sink.findings);
    read_wants.extend(ctx.res.take_wants());
    let wants = read_wants;
    let diagnostics = ctx
        .sink
        .items
        .into_iter()
        .filter(|d| !outside.contains(d.file.as_path()) || inside.contains(d.file.as_path()))
        .collect();
    let loaded = Loaded {
        schema,
        diagnostics,
        findings,
    };
    (loaded, wants)
}
