//! Types from other crates: workspace members, path dependencies and registry or git
//! dependencies whose source is on disk ([`Crates`], found by the caller, e.g. with `cargo
//! metadata`). They are read lazily: only when a field type names such a crate and nothing else
//! resolves it, and then only the modules along the path (and the `use` re-exports reached from
//! them); the rest of the crate is never read or parsed. Entities in these crates are not tables.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::PathBuf;

use syn::{Item, Type};

use crate::diagnostics::Sink;
use crate::module_tree::{self, Lazy, ModId, Tree};
use crate::resolve::{Res, Resolver};

/// Rounds of "resolve what is wanted, read what that needs" (one module or crate deeper each).
const MAX_ROUNDS: usize = 32;

/// Crates never read: SeaORM and the crates whose types it maps know their types by spelling
/// (`types::builtin`), and their sources are large.
pub(crate) const KNOWN: &[&str] = &[
    "sea_orm",
    "sea_query",
    "sea_orm_migration",
    "chrono",
    "time",
    "uuid",
    "rust_decimal",
    "bigdecimal",
    "serde_json",
    "serde",
    "ipnetwork",
    "mac_address",
    "pgvector",
    "jiff",
    "std",
    "core",
    "alloc",
];

/// The crates that entity code may name besides the ones loaded as entities.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Crates {
    /// Crate root file (`…/src/lib.rs`, `…/src/main.rs`) → the crates its code may name, as Rust
    /// code spells them (renames applied, `-` → `_`) → their root files. Paths are canonical.
    pub deps: BTreeMap<PathBuf, BTreeMap<String, PathBuf>>,
}

/// What a path needs that is not read yet.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Need {
    /// A dependency crate, by root file.
    Crate(PathBuf),
    /// The `mod name;` of a module of a dependency crate.
    Child(ModId, String),
}

/// The dependency crates of a [`Tree`].
#[derive(Debug, Default)]
pub(crate) struct DepTree {
    /// Every module of a dependency crate → the directories of its `mod x;` files and of its
    /// `#[path]` files (where its children are found when they are read).
    pub lazy: HashMap<ModId, (PathBuf, PathBuf)>,
    /// Crate root module → the crates its code may name → their root files.
    pub names: HashMap<ModId, BTreeMap<String, PathBuf>>,
    /// Crates by root file: loaded entity crates and dependency crates read so far (`None`: the
    /// root file could not be read).
    pub roots: HashMap<PathBuf, Option<ModId>>,
    /// The map the crates' names came from, for the crates read later.
    pub crates: Crates,
}

impl DepTree {
    /// Whether module `m` belongs to a dependency crate (not loaded for its entities).
    pub fn is_dependency(&self, m: ModId) -> bool {
        self.lazy.contains_key(&m)
    }
}

/// Gives the loaded root module `root` the names of the dependencies of the crate it belongs to
/// (root file `file`, canonical); a crate root also stands for its crate, so that it is not
/// read a second time as a dependency of another loaded crate.
pub(crate) fn attach(tree: &mut Tree, root: ModId, file: PathBuf) {
    if let Some(names) = tree.deps.crates.deps.get(&file) {
        tree.deps.names.insert(root, names.clone());
    }
    let own = tree.modules[root].file.file_name() == file.file_name();
    if own {
        tree.deps.roots.entry(file).or_insert(Some(root));
    }
}

/// Reads what the type paths `wants` (module, segments) need from dependency crates, following
/// newtypes and aliases found there to the types they wrap. Returns whether anything was read.
pub(crate) fn load_wanted(
    tree: &mut Tree,
    wants: Vec<(ModId, Vec<String>)>,
    read: &mut dyn FnMut(&std::path::Path) -> Option<String>,
    sink: &mut Sink,
) -> bool {
    if tree.deps.crates.deps.is_empty() {
        return false;
    }
    let mut seen: HashSet<(ModId, Vec<String>)> = HashSet::new();
    let mut wants: Vec<(ModId, Vec<String>)> = wants
        .into_iter()
        .filter(|w| seen.insert(w.clone()))
        .collect();
    let mut tried: HashSet<Need> = HashSet::new();
    let mut loaded = false;
    for _ in 0..MAX_ROUNDS {
        let needs = {
            let r = Resolver::new(tree);
            let mut i = 0;
            while i < wants.len() {
                let (from, segs) = wants[i].clone();
                if let Res::Item { module, index, .. } = r.resolve(from, &segs)
                    && tree.deps.is_dependency(module)
                    && let Some(item) = r.item(module, index)
                {
                    for path in wrapped_paths(item) {
                        if seen.insert((module, path.clone())) {
                            wants.push((module, path));
                        }
                    }
                }
                i += 1;
            }
            r.take_needs()
        };
        let mut progress = false;
        for need in needs {
            if !tried.insert(need.clone()) {
                continue;
            }
            match need {
                Need::Crate(file) => {
                    if tree.deps.roots.contains_key(&file) {
                        continue;
                    }
                    let root = module_tree::load_lazy(tree, Lazy::Root(&file), read, sink);
                    tree.deps.roots.insert(file.clone(), root);
                    if let Some(root) = root {
                        if let Some(names) = tree.deps.crates.deps.get(&file) {
                            tree.deps.names.insert(root, names.clone());
                        }
                        progress = true;
                    }
                }
                Need::Child(parent, name) => {
                    if tree.modules[parent].children.contains_key(&name) {
                        continue;
                    }
                    let child = Lazy::Child {
                        parent,
                        name: &name,
                    };
                    progress |= module_tree::load_lazy(tree, child, read, sink).is_some();
                }
            }
        }
        loaded |= progress;
        if !progress {
            break;
        }
    }
    loaded
}

/// The type paths a dependency crate's item stands for: a newtype's field, an alias's body
/// (with their generic arguments), so that what they wrap is read too.
fn wrapped_paths(item: &Item) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    match item {
        Item::Struct(s) => {
            if let syn::Fields::Unnamed(f) = &s.fields
                && let Some(first) = f.unnamed.first()
            {
                type_paths(&first.ty, &mut out);
            }
        }
        Item::Type(t) => type_paths(&t.ty, &mut out),
        _ => {}
    }
    out
}

fn type_paths(ty: &Type, out: &mut Vec<Vec<String>>) {
    match ty {
        Type::Path(p) if p.qself.is_none() => {
            let mut segs = Vec::new();
            if p.path.leading_colon.is_some() {
                segs.push("::".to_string());
            }
            segs.extend(p.path.segments.iter().map(|s| s.ident.to_string()));
            out.push(segs);
            for seg in &p.path.segments {
                if let syn::PathArguments::AngleBracketed(a) = &seg.arguments {
                    for g in &a.args {
                        if let syn::GenericArgument::Type(t) = g {
                            type_paths(t, out);
                        }
                    }
                }
            }
        }
        Type::Reference(r) => type_paths(&r.elem, out),
        Type::Paren(p) => type_paths(&p.elem, out),
        Type::Group(g) => type_paths(&g.elem, out),
        _ => {}
    }
}
