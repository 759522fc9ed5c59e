//! Phase 1: the module tree from file summaries made on worker threads.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, mpsc};

use crate::diagnostics::{Diagnostic, Pos, Severity, Sink};
use crate::module_tree::{self, Entry, ModId, Module, Tree, normalize};
use crate::resolve::Scope;

use super::ReadFn;
use super::split::{Child, ModSummary, Summary, summarize};

/// What the later phases need besides the [`Tree`] (whose modules hold no items).
#[derive(Default)]
pub(crate) struct Skeleton {
    /// Per module: its scope and its `mod` items, as phase 1 read them (phase 2 checks them
    /// against the files it parses).
    pub scopes: Vec<Scope>,
    pub children: Vec<Vec<Child>>,
    /// Each read of a file that made modules: its text, and the module of each of its parts
    /// (`split::split` order). A file named by two `#[path]`s is read twice.
    pub instances: Vec<Instance>,
    /// Per module: its instance (`usize::MAX`: the synthetic root of a plain directory).
    pub instance_of: Vec<usize>,
}

pub(crate) struct Instance {
    /// The file's text as phase 1 read it.
    pub text: Arc<str>,
    pub modules: Vec<ModId>,
}

/// A module without its items, for the worker threads.
#[derive(Clone)]
pub(crate) struct ModInfo {
    pub name: String,
    pub parent: Option<ModId>,
    pub krate: ModId,
    pub file: PathBuf,
    pub children: BTreeMap<String, ModId>,
}

impl ModInfo {
    pub fn of(tree: &Tree) -> Vec<ModInfo> {
        tree.modules
            .iter()
            .map(|m| ModInfo {
                name: m.name.clone(),
                parent: m.parent,
                krate: m.krate,
                file: m.file.clone(),
                children: m.children.clone(),
            })
            .collect()
    }

    pub fn module(&self) -> Module {
        Module {
            name: self.name.clone(),
            parent: self.parent,
            krate: self.krate,
            file: self.file.clone(),
            items: Vec::new(),
            children: self.children.clone(),
        }
    }
}

/// [`module_tree::build`] on `workers` threads: the same tree (without items), diagnostics and
/// `reached`; IO errors are added to `io_errors` in the order the sequential reader meets them.
/// `None`: a file has an item-position macro; load sequentially.
pub(crate) fn build(
    entries: &[Entry],
    read: ReadFn<'_>,
    sink: &mut Sink,
    io_errors: &RefCell<Vec<(PathBuf, String)>>,
    workers: usize,
) -> Option<(Tree, Skeleton)> {
    let cache = prefetch(entries, read, workers);
    let mut r = Replay {
        cache,
        read,
        tree: Tree::default(),
        sk: Skeleton::default(),
        sink,
        io_errors,
        stack: Vec::new(),
        macro_found: false,
    };
    for entry in entries {
        match entry {
            Entry::File(file) => {
                let file = normalize(file);
                let dir = file.parent().map(Path::to_path_buf).unwrap_or_default();
                let root = r.file_module("crate".into(), None, file.clone(), dir);
                if root.is_none() && !r.tree.reached.contains(&file) {
                    r.sink.push(Diagnostic::file(
                        Severity::Error,
                        &file,
                        "cannot read the crate root file",
                    ));
                }
                r.tree.roots.push(root);
            }
            Entry::Dir { dir, files } => {
                let root = r.push_module("crate".into(), None, dir.join("mod.rs"));
                r.tree.roots.push(Some(root));
                for f in files {
                    let f = normalize(f);
                    let Some(stem) = f.file_stem().and_then(|s| s.to_str()) else {
                        continue;
                    };
                    let child_dir = f.with_extension("");
                    if let Some(child) =
                        r.file_module(stem.to_string(), Some(root), f.clone(), child_dir)
                    {
                        r.tree.modules[root]
                            .children
                            .insert(stem.to_string(), child);
                    }
                }
            }
        }
    }
    if r.macro_found {
        return None;
    }
    Some((r.tree, r.sk))
}

/// Summaries of the files the tree will read, made on worker threads: the entries' files
/// first, then the files their `mod` items name, as each summary arrives. A guess: the walk
/// that follows summarizes what was not foreseen itself.
fn prefetch(entries: &[Entry], read: ReadFn<'_>, workers: usize) -> HashMap<PathBuf, Summary> {
    // Files go out and summaries come back in batches: one message per file would cost a
    // thread wake-up each, more than summarizing a small file.
    type Done = Vec<(PathBuf, std::thread::Result<Summary>)>;
    let (job_tx, job_rx) = mpsc::channel::<Vec<PathBuf>>();
    let job_rx = Mutex::new(job_rx);
    let (res_tx, res_rx) = mpsc::channel::<Done>();
    let mut out: HashMap<PathBuf, Summary> = HashMap::new();
    let mut panicked = None;
    std::thread::scope(|s| {
        for _ in 0..workers {
            let res_tx = res_tx.clone();
            let job_rx = &job_rx;
            s.spawn(move || {
                loop {
                    let job = job_rx.lock().map(|rx| rx.recv());
                    let Ok(Ok(files)) = job else { break };
                    let done: Done = files
                        .into_iter()
                        .map(|path| {
                            let summary =
                                std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                                    summarize(&path, read)
                                }));
                            (path, summary)
                        })
                        .collect();
                    if res_tx.send(done).is_err() {
                        break;
                    }
                }
            });
        }
        drop(res_tx);
        // File → the directory of its `mod x;` children, as first asked for.
        let mut asked: HashMap<PathBuf, PathBuf> = HashMap::new();
        let mut pending: Vec<PathBuf> = Vec::new();
        let mut nested_of: HashMap<PathBuf, (PathBuf, PathBuf)> = HashMap::new();
        let ask = |asked: &mut HashMap<PathBuf, PathBuf>,
                   file: PathBuf,
                   child_dir: PathBuf,
                   pending: &mut Vec<PathBuf>| {
            if let std::collections::hash_map::Entry::Vacant(v) = asked.entry(file) {
                pending.push(v.key().clone());
                v.insert(child_dir);
            }
        };
        let mut sent = 0usize;
        let flush = |pending: &mut Vec<PathBuf>, sent: &mut usize| {
            let size = (pending.len() / (workers * 4)).clamp(1, 64);
            for batch in pending.chunks(size) {
                if job_tx.send(batch.to_vec()).is_ok() {
                    *sent += batch.len();
                }
            }
            pending.clear();
        };
        for entry in entries {
            match entry {
                Entry::File(file) => {
                    let file = normalize(file);
                    let dir = file.parent().map(Path::to_path_buf).unwrap_or_default();
                    ask(&mut asked, file, dir, &mut pending);
                }
                Entry::Dir { files, .. } => {
                    for f in files {
                        let f = normalize(f);
                        let child_dir = f.with_extension("");
                        ask(&mut asked, f, child_dir, &mut pending);
                    }
                }
            }
        }
        flush(&mut pending, &mut sent);
        let mut received = 0usize;
        'recv: while received < sent {
            let Ok(done) = res_rx.recv() else {
                break;
            };
            for (path, summary) in done {
                received += 1;
                let summary = match summary {
                    Ok(s) => s,
                    Err(payload) => {
                        panicked = Some(payload);
                        break 'recv;
                    }
                };
                match &summary {
                    Summary::Parsed(mods, _) => {
                        let dir = asked.get(&path).cloned().unwrap_or_default();
                        let file_dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
                        let mut found = Vec::new();
                        discover(mods, 0, &dir, &file_dir, &mut found);
                        for (file, child_dir, nested) in found {
                            if let Some(nested) = nested {
                                nested_of.insert(file.clone(), (nested, child_dir.clone()));
                            }
                            ask(&mut asked, file, child_dir, &mut pending);
                        }
                    }
                    // `x.rs` is not there: `x/mod.rs` is read next.
                    Summary::Missing => {
                        if let Some((nested, child_dir)) = nested_of.remove(&path) {
                            ask(&mut asked, nested, child_dir, &mut pending);
                        }
                    }
                    _ => {}
                }
                out.insert(path, summary);
            }
            flush(&mut pending, &mut sent);
        }
        drop(job_tx);
    });
    if let Some(payload) = panicked {
        std::panic::resume_unwind(payload);
    }
    out
}

/// The files (with their children's directory) that the `mod x;` items of a file's modules
/// name, each `x.rs` with the `x/mod.rs` to read if it is missing; `dir`: where its `mod x;`
/// files are, `path_attr_dir`: its own directory.
fn discover(
    mods: &[ModSummary],
    part: usize,
    dir: &Path,
    path_attr_dir: &Path,
    out: &mut Vec<(PathBuf, PathBuf, Option<PathBuf>)>,
) {
    for child in &mods[part].children {
        match child {
            Child::Inline {
                name,
                path_attr,
                part,
            } => {
                let child_dir = module_tree::inline_dir(name, path_attr.as_deref(), dir);
                discover(mods, *part, &child_dir, &child_dir, out);
            }
            Child::File {
                name, path_attr, ..
            } => {
                let mut files =
                    module_tree::child_files(name, path_attr.as_deref(), dir, path_attr_dir)
                        .into_iter();
                if let Some((file, child_dir)) = files.next() {
                    out.push((file, child_dir, files.next().map(|(f, _)| f)));
                }
            }
        }
    }
}

/// The sequential builder's walk (`module_tree::Builder`), over summaries.
struct Replay<'a> {
    /// Taken as used: a file read a second time is summarized again.
    cache: HashMap<PathBuf, Summary>,
    read: ReadFn<'a>,
    tree: Tree,
    sk: Skeleton,
    sink: &'a mut Sink,
    io_errors: &'a RefCell<Vec<(PathBuf, String)>>,
    stack: Vec<PathBuf>,
    macro_found: bool,
}

impl Replay<'_> {
    fn push_module(&mut self, name: String, parent: Option<ModId>, file: PathBuf) -> ModId {
        let id = self.tree.modules.len();
        let krate = parent.map(|p| self.tree.modules[p].krate).unwrap_or(id);
        self.tree.modules.push(Module {
            name,
            parent,
            krate,
            file,
            items: Vec::new(),
            children: BTreeMap::new(),
        });
        self.sk.scopes.push(Scope::default());
        self.sk.children.push(Vec::new());
        self.sk.instance_of.push(usize::MAX);
        id
    }

    fn summary(&mut self, file: &Path) -> Summary {
        match self.cache.remove(file) {
            Some(s) => s,
            None => summarize(file, self.read),
        }
    }

    fn file_module(
        &mut self,
        name: String,
        parent: Option<ModId>,
        file: PathBuf,
        child_dir: PathBuf,
    ) -> Option<ModId> {
        if self.stack.len() >= module_tree::MAX_DEPTH || self.stack.contains(&file) {
            self.sink.push(Diagnostic::file(
                Severity::Error,
                &file,
                format!("module `{name}` includes its own file (a `mod`/`#[path]` cycle)"),
            ));
            return None;
        }
        let (mut mods, text) = match self.summary(&file) {
            Summary::Missing => return None,
            Summary::Failed(e) => {
                self.io_errors.borrow_mut().push((file, e));
                return None;
            }
            Summary::Syntax(d) => {
                self.tree.reached.insert(file);
                self.sink.push(d);
                return None;
            }
            Summary::Macro => {
                self.tree.reached.insert(file);
                self.macro_found = true;
                return None;
            }
            Summary::Parsed(mods, text) => (mods, text),
        };
        self.tree.reached.insert(file.clone());
        self.stack.push(file.clone());
        let id = self.push_module(name, parent, file.clone());
        let instance = self.sk.instances.len();
        self.sk.instances.push(Instance {
            text,
            modules: vec![usize::MAX; mods.len()],
        });
        self.sk.instances[instance].modules[0] = id;
        self.sk.instance_of[id] = instance;
        let file_dir = file.parent().map(Path::to_path_buf).unwrap_or_default();
        self.walk(&mut mods, 0, id, instance, &child_dir, &file_dir, &file);
        self.stack.pop();
        Some(id)
    }

    #[allow(clippy::too_many_arguments)]
    fn walk(
        &mut self,
        mods: &mut [ModSummary],
        part: usize,
        id: ModId,
        instance: usize,
        dir: &Path,
        path_attr_dir: &Path,
        file: &Path,
    ) {
        self.sk.scopes[id] = std::mem::take(&mut mods[part].scope);
        let children = std::mem::take(&mut mods[part].children);
        for child in &children {
            match child {
                Child::Inline {
                    name,
                    path_attr,
                    part,
                } => {
                    let c = self.push_module(name.clone(), Some(id), file.to_path_buf());
                    self.sk.instances[instance].modules[*part] = c;
                    self.sk.instance_of[c] = instance;
                    let child_dir = module_tree::inline_dir(name, path_attr.as_deref(), dir);
                    self.walk(mods, *part, c, instance, &child_dir, &child_dir, file);
                    self.tree.modules[id].children.insert(name.clone(), c);
                }
                Child::File {
                    name,
                    path_attr,
                    pos,
                } => {
                    let c =
                        self.file_child(id, name, path_attr.as_deref(), dir, path_attr_dir, *pos);
                    if let Some(c) = c {
                        self.tree.modules[id].children.insert(name.clone(), c);
                    }
                }
            }
        }
        self.sk.children[id] = children;
    }

    fn file_child(
        &mut self,
        parent: ModId,
        name: &str,
        path_attr: Option<&str>,
        dir: &Path,
        path_attr_dir: &Path,
        pos: Pos,
    ) -> Option<ModId> {
        let parent_file = self.tree.modules[parent].file.clone();
        let opened = module_tree::open_child(
            name,
            path_attr,
            dir,
            path_attr_dir,
            &mut |file, child_dir| {
                self.file_module(name.to_string(), Some(parent), file.clone(), child_dir)
                    .ok_or_else(|| self.tree.reached.contains(&file))
            },
        );
        opened.unwrap_or_else(|message| {
            self.sink.warning(&parent_file, pos, message);
            None
        })
    }
}
