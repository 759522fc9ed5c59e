//! The module tree, built as rustc builds it: from a crate root (`lib.rs`, `main.rs`, `mod.rs`, or
//! a synthetic root over a plain directory of `.rs` files) through `mod x;` (`x.rs`,
//! `x/mod.rs`, nested directories for non-`mod.rs` files), `#[path = "..."]` and inline
//! `mod x { ... }`. Files no `mod` reaches are not part of the tree. Item-position
//! `macro_rules!` invocations are expanded on the way (`macros`), so the items they generate
//! (modules too) are part of the tree as if written there.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Component, Path, PathBuf};

use crate::attrs;
use crate::diagnostics::{Diagnostic, Severity, Sink};
use crate::macros;

pub(crate) type ModId = usize;

/// Deeper nesting than this is treated as a cycle (a file that includes itself through `#[path]`).
pub(crate) const MAX_DEPTH: usize = 64;

#[derive(Debug)]
pub(crate) struct Module {
    pub name: String,
    pub parent: Option<ModId>,
    /// The crate root of this module.
    pub krate: ModId,
    /// The file the module's items are written in.
    pub file: PathBuf,
    pub items: Vec<syn::Item>,
    pub children: BTreeMap<String, ModId>,
}

/// Where a crate starts.
#[derive(Clone, Debug)]
pub(crate) enum Entry {
    /// `lib.rs`, `main.rs` or `mod.rs`: the root module's file.
    File(PathBuf),
    /// A plain directory without a root file: every file in it is a child of a synthetic root.
    Dir { dir: PathBuf, files: Vec<PathBuf> },
}

#[derive(Debug, Default)]
pub(crate) struct Tree {
    pub modules: Vec<Module>,
    /// Every file that is part of the tree.
    pub reached: BTreeSet<PathBuf>,
    /// The root module of each entry, in entry order (`None`: the root file was unusable).
    pub roots: Vec<Option<ModId>>,
    /// Crate name (as Rust code spells it, `-` → `_`) → root module, for the crates read from
    /// a directory with a `Cargo.toml`: one entity crate may name another's items.
    pub crate_names: std::collections::HashMap<String, ModId>,
    /// Item-position macro invocations that were not expanded (named in unresolved-type
    /// diagnostics only).
    pub unexpanded: Vec<macros::Unexpanded>,
    /// Dependency crates: see [`crate::dep_crates`].
    pub deps: crate::dep_crates::DepTree,
}

pub(crate) fn build(
    entries: &[Entry],
    read: &mut dyn FnMut(&Path) -> Option<String>,
    sink: &mut Sink,
) -> Tree {
    let mut b = Builder {
        tree: Tree::default(),
        read,
        sink,
        stack: Vec::new(),
        macros: macros::Expander::default(),
        lazy: false,
    };
    for entry in entries {
        b.macros.start_crate(b.tree.modules.len());
        match entry {
            Entry::File(file) => {
                let file = normalize(file);
                let dir = file.parent().map(Path::to_path_buf).unwrap_or_default();
                let root = b.file_module("crate".into(), None, file.clone(), dir);
                if root.is_none() && !b.tree.reached.contains(&file) {
                    b.sink.push(Diagnostic::file(
                        Severity::Error,
                        &file,
                        "cannot read the crate root file",
                    ));
                }
                b.tree.roots.push(root);
            }
            Entry::Dir { dir, files } => {
                let root = b.push_module("crate".into(), None, dir.join("mod.rs"), Vec::new());
                b.tree.roots.push(Some(root));
                for f in files {
                    let f = normalize(f);
                    let Some(stem) = f.file_stem().and_then(|s| s.to_str()) else {
                        continue;
                    };
                    let child_dir = f.with_extension("");
                    if let Some(child) =
                        b.file_module(stem.to_string(), Some(root), f.clone(), child_dir)
                    {
                        b.tree.modules[root]
                            .children
                            .insert(stem.to_string(), child);
                    }
                }
            }
        }
    }
    b.expand_deferred();
    b.tree.unexpanded = std::mem::take(&mut b.macros.unexpanded);
    b.tree
}

struct Builder<'a> {
    tree: Tree,
    read: &'a mut dyn FnMut(&Path) -> Option<String>,
    sink: &'a mut Sink,
    stack: Vec<PathBuf>,
    macros: macros::Expander,
    /// Reading a dependency crate: `mod x;` items are not followed (see [`load_lazy`]), and a
    /// file that does not parse is a warning (its types stay unresolved).
    lazy: bool,
}

impl Builder<'_> {
    fn push_module(
        &mut self,
        name: String,
        parent: Option<ModId>,
        file: PathBuf,
        items: Vec<syn::Item>,
    ) -> ModId {
        let id = self.tree.modules.len();
        let krate = parent.map(|p| self.tree.modules[p].krate).unwrap_or(id);
        self.tree.modules.push(Module {
            name,
            parent,
            krate,
            file,
            items,
            children: BTreeMap::new(),
        });
        id
    }

    /// Reads and parses `file` as module `name`; `child_dir` is where its `mod x;` items live.
    fn file_module(
        &mut self,
        name: String,
        parent: Option<ModId>,
        file: PathBuf,
        child_dir: PathBuf,
    ) -> Option<ModId> {
        if self.stack.len() >= MAX_DEPTH || self.stack.contains(&file) {
            self.sink.push(Diagnostic::file(
                Severity::Error,
                &file,
                format!("module `{name}` includes its own file (a `mod`/`#[path]` cycle)"),
            ));
            return None;
        }
        let text = (self.read)(&file)?;
        self.tree.reached.insert(file.clone());
        let parsed = match syn::parse_file(&text) {
            Ok(f) => f,
            Err(e) => {
                let severity = if self.lazy {
                    Severity::Warning
                } else {
                    Severity::Error
                };
                self.sink.push(
                    Diagnostic::at(severity, &file, e.span(), format!("syntax error: {e}"))
                        .with_help("fix the syntax; the other files are still loaded"),
                );
                return None;
            }
        };
        self.stack.push(file.clone());
        let id = self.push_module(name, parent, file.clone(), Vec::new());
        let file_dir = file.parent().map(Path::to_path_buf).unwrap_or_default();
        if self.lazy {
            self.tree
                .deps
                .lazy
                .insert(id, (child_dir.clone(), file_dir.clone()));
        }
        // The parser's temporaries (the file's token trees and token buffer) are freed between
        // the nodes it keeps; a copy packs the nodes together and the parse is freed whole.
        // Over thousands of files that halves the peak memory and, with fewer pages touched,
        // makes loading faster, not slower (docs/performance.md).
        drop(text);
        let items = parsed.items.clone();
        drop(parsed);
        let items = self.walk(id, items, &child_dir, &file_dir, &file, 0);
        self.tree.modules[id].items = items;
        self.stack.pop();
        Some(id)
    }

    /// Creates child modules for the `mod` items of module `id` and expands its macro
    /// invocations (`depth`: of the expansion `items` come from); returns the items to keep.
    fn walk(
        &mut self,
        id: ModId,
        items: Vec<syn::Item>,
        dir: &Path,
        path_attr_dir: &Path,
        file: &Path,
        depth: usize,
    ) -> Vec<syn::Item> {
        let mut kept = Vec::with_capacity(items.len());
        let mut queue: std::collections::VecDeque<(syn::Item, usize)> =
            items.into_iter().map(|i| (i, depth)).collect();
        while let Some((item, depth)) = queue.pop_front() {
            let mut m = match item {
                syn::Item::Mod(m) => m,
                syn::Item::Macro(mac) => {
                    let krate = self.tree.modules[id].krate;
                    match self.macros.item(id, krate, mac, depth, file, self.sink) {
                        macros::Step::Keep(item) => kept.push(*item),
                        macros::Step::Expand(items, depth) => {
                            for item in items.into_iter().rev() {
                                queue.push_front((item, depth));
                            }
                        }
                        macros::Step::Later(mac) => self.macros.deferred.push(macros::Deferred {
                            module: id,
                            mac,
                            depth,
                            dir: dir.to_path_buf(),
                            path_attr_dir: path_attr_dir.to_path_buf(),
                            file: file.to_path_buf(),
                        }),
                    }
                    continue;
                }
                other => {
                    kept.push(other);
                    continue;
                }
            };
            if attrs::is_cfg_test(&m.attrs) {
                continue;
            }
            let mark = self.macros.mark();
            let name = m.ident.to_string();
            let name = name.trim_start_matches("r#").to_string();
            let path_attr = attrs::path_attr(&m.attrs);
            let child = if let Some((_, inner)) = m.content.take() {
                let child =
                    self.push_module(name.clone(), Some(id), file.to_path_buf(), Vec::new());
                let child_dir = inline_dir(&name, path_attr.as_deref(), dir);
                if self.lazy {
                    self.tree
                        .deps
                        .lazy
                        .insert(child, (child_dir.clone(), child_dir.clone()));
                }
                let kept_inner = self.walk(child, inner, &child_dir, &child_dir, file, depth);
                self.tree.modules[child].items = kept_inner;
                Some(child)
            } else if self.lazy {
                // Read on demand by `load_lazy`.
                None
            } else {
                self.file_child(id, &name, path_attr.as_deref(), dir, path_attr_dir, &m)
            };
            self.macros
                .leave(mark, m.attrs.iter().any(|a| a.path().is_ident("macro_use")));
            if let Some(child) = child {
                self.tree.modules[id].children.insert(name, child);
            }
            kept.push(syn::Item::Mod(m));
        }
        kept
    }

    /// Expands the invocations that were not in textual scope where they were written, now
    /// that every crate's macros are known; their items join the end of their module.
    fn expand_deferred(&mut self) {
        for d in std::mem::take(&mut self.macros.deferred) {
            self.macros.start_late();
            let item = syn::Item::Macro(d.mac);
            let kept = self.walk(
                d.module,
                vec![item],
                &d.dir,
                &d.path_attr_dir,
                &d.file,
                d.depth,
            );
            self.tree.modules[d.module].items.extend(kept);
        }
    }

    fn file_child(
        &mut self,
        parent: ModId,
        name: &str,
        path_attr: Option<&str>,
        dir: &Path,
        path_attr_dir: &Path,
        m: &syn::ItemMod,
    ) -> Option<ModId> {
        let parent_file = self.tree.modules[parent].file.clone();
        let opened = open_child(
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
            self.sink.warning(&parent_file, m.ident.span(), message);
            None
        })
    }
}

/// The files `mod name;` may be written in, in the order rustc tries them, each with the
/// directory of its own `mod x;` files: the `#[path]` file (relative to `path_attr_dir`, the
/// declaring file's directory), else `dir/name.rs`, then `dir/name/mod.rs`.
pub(crate) fn child_files(
    name: &str,
    path_attr: Option<&str>,
    dir: &Path,
    path_attr_dir: &Path,
) -> Vec<(PathBuf, PathBuf)> {
    match path_attr {
        Some(p) => {
            let file = normalize(&path_attr_dir.join(p));
            let child_dir = file.parent().map(Path::to_path_buf).unwrap_or_default();
            vec![(file, child_dir)]
        }
        None => vec![
            (normalize(&dir.join(format!("{name}.rs"))), dir.join(name)),
            (normalize(&dir.join(name).join("mod.rs")), dir.join(name)),
        ],
    }
}

/// Where the `mod x;` files of an inline `mod name { .. }` are.
pub(crate) fn inline_dir(name: &str, path_attr: Option<&str>, dir: &Path) -> PathBuf {
    match path_attr {
        Some(p) => dir.join(p),
        None => dir.join(name),
    }
}

/// Opens the module of `mod name;` from the first of its [`child_files`] that `open` reads:
/// `open` gives the module, else whether the file was read (it did not parse; its syntax error
/// is reported already, and the files after it are not tried). `Err`: the warning for a module
/// whose file exists nowhere.
pub(crate) fn open_child(
    name: &str,
    path_attr: Option<&str>,
    dir: &Path,
    path_attr_dir: &Path,
    open: &mut dyn FnMut(PathBuf, PathBuf) -> Result<ModId, bool>,
) -> Result<Option<ModId>, String> {
    let files = child_files(name, path_attr, dir, path_attr_dir);
    for (file, child_dir) in &files {
        match open(file.clone(), child_dir.clone()) {
            Ok(id) => return Ok(Some(id)),
            Err(true) => return Ok(None),
            Err(false) => {}
        }
    }
    Err(match files.as_slice() {
        [(file, _)] => format!("file `{}` for module `{name}` not found", file.display()),
        _ => format!(
            "file for module `{name}` not found (looked for {})",
            files
                .iter()
                .map(|(f, _)| f.display().to_string())
                .collect::<Vec<_>>()
                .join(" and ")
        ),
    })
}

/// What [`load_lazy`] reads.
pub(crate) enum Lazy<'a> {
    /// A dependency crate's root file; its module is a new crate root.
    Root(&'a Path),
    /// The `mod name;` of an already read dependency module.
    Child { parent: ModId, name: &'a str },
}

/// Reads one module of a dependency crate into `tree`, without following its `mod x;` items
/// (inline modules are kept, their file modules are read on demand too).
pub(crate) fn load_lazy(
    tree: &mut Tree,
    what: Lazy<'_>,
    read: &mut dyn FnMut(&Path) -> Option<String>,
    sink: &mut Sink,
) -> Option<ModId> {
    let mut b = Builder {
        tree: std::mem::take(tree),
        read,
        sink,
        stack: Vec::new(),
        macros: macros::Expander::default(),
        lazy: true,
    };
    let id = match what {
        Lazy::Root(file) => {
            let file = normalize(file);
            let dir = file.parent().map(Path::to_path_buf).unwrap_or_default();
            b.file_module("crate".into(), None, file, dir)
        }
        Lazy::Child { parent, name } => {
            let decl = b.tree.modules[parent].items.iter().find_map(|i| match i {
                syn::Item::Mod(m) if m.content.is_none() && m.ident == name => Some(m.clone()),
                _ => None,
            });
            let dirs = b.tree.deps.lazy.get(&parent).cloned();
            match (decl, dirs) {
                (Some(m), Some((dir, path_attr_dir))) if !attrs::is_cfg_test(&m.attrs) => {
                    let path_attr = attrs::path_attr(&m.attrs);
                    let child =
                        b.file_child(parent, name, path_attr.as_deref(), &dir, &path_attr_dir, &m);
                    if let Some(c) = child {
                        b.tree.modules[parent].children.insert(name.to_string(), c);
                    }
                    child
                }
                _ => None,
            }
        }
    };
    *tree = b.tree;
    id
}

/// Lexical normalization: drops `.` and resolves `..` against earlier components.
pub(crate) fn normalize(p: &Path) -> PathBuf {
    let mut out: Vec<Component<'_>> = Vec::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => match out.last() {
                Some(Component::Normal(_)) => {
                    out.pop();
                }
                _ => out.push(c),
            },
            other => out.push(other),
        }
    }
    out.iter().collect()
}

/// Crate entries for an in-memory file set: each `lib.rs` (else `main.rs`), else each top-most
/// `mod.rs`, else every top-most directory as a plain directory of files.
pub(crate) fn entries_for_files(files: &[PathBuf]) -> Vec<Entry> {
    let named = |n: &str| -> Vec<&PathBuf> {
        files
            .iter()
            .filter(|f| f.file_name().and_then(|s| s.to_str()) == Some(n))
            .collect()
    };
    let libs = named("lib.rs");
    let lib_dirs: BTreeSet<_> = libs.iter().filter_map(|f| f.parent()).collect();
    let mut roots: Vec<PathBuf> = libs.iter().map(|f| (*f).clone()).collect();
    roots.extend(
        named("main.rs")
            .into_iter()
            .filter(|f| !f.parent().is_some_and(|d| lib_dirs.contains(d)))
            .cloned(),
    );
    if roots.is_empty() {
        let mods = named("mod.rs");
        let dirs: Vec<&Path> = mods.iter().filter_map(|f| f.parent()).collect();
        roots = mods
            .iter()
            .filter(|f| {
                let d = f.parent().unwrap_or(Path::new(""));
                !dirs.iter().any(|o| *o != d && d.starts_with(o))
            })
            .map(|f| (*f).clone())
            .collect();
    }
    if !roots.is_empty() {
        roots.sort();
        return roots.into_iter().map(Entry::File).collect();
    }
    let mut by_dir: BTreeMap<PathBuf, Vec<PathBuf>> = BTreeMap::new();
    for f in files {
        by_dir
            .entry(f.parent().map(Path::to_path_buf).unwrap_or_default())
            .or_default()
            .push(f.clone());
    }
    let dirs: Vec<PathBuf> = by_dir.keys().cloned().collect();
    by_dir
        .into_iter()
        .filter(|(d, _)| !dirs.iter().any(|o| o != d && d.starts_with(o)))
        .map(|(dir, mut files)| {
            files.sort();
            Entry::Dir { dir, files }
        })
        .collect()
}
