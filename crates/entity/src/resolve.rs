//! Name resolution over the module tree: `use` items (renames, groups, globs), `crate::`,
//! `self::`, `super::` and child modules, as rustc resolves paths in the type namespace (a glob
//! import reaches another module's private items and imports only from inside it). Names
//! the tree does not define (`sea_orm::prelude::*`, `chrono::NaiveDate`) resolve to
//! [`Res::External`]; the caller maps those by their spelling.
//!
//! Dependency crates ([`crate::dep_crates`]) are resolved through as far as they have been
//! read; where a path needs a crate or a `mod` not read yet, the resolver records a [`Need`].

use std::cell::RefCell;
use std::collections::HashMap;

use syn::{Item, UseTree};

use crate::dep_crates::{self, Need};
use crate::module_tree::{ModId, Tree};

/// Use chains deeper than this are treated as cycles.
const MAX_DEPTH: usize = 24;

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Res {
    Module(ModId),
    /// An item written in module `module` (index into its items); `rest` are the path segments
    /// after it (an enum variant).
    Item {
        module: ModId,
        index: usize,
        rest: Vec<String>,
    },
    /// The module exists but does not write an item of that name: macro-generated (`Entity`,
    /// `Column`) or produced by `macro_rules!`.
    Missing {
        module: ModId,
        name: String,
        rest: Vec<String>,
    },
    /// Outside the tree: the full path as written after `use` expansion.
    External(Vec<String>),
}

/// What a module writes, each entry with whether it is `pub` (in any form: `pub(crate)` and
/// `pub(super)` count too). A private entry is seen only by its module and the modules inside
/// it, so another module's glob import (`pub use inner::*;` in a parent, a sibling's
/// `use super::x::*;`) does not reach it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Scope {
    pub items: HashMap<String, (usize, bool)>,
    pub uses: Vec<(String, Vec<String>, bool)>,
    pub globs: Vec<(Vec<String>, bool)>,
    /// `mod x;` and `mod x { .. }` items (children not read yet in a dependency crate).
    pub mods: Vec<(String, bool)>,
}

/// Where a [`Resolver`] finds the items of a module whose `Tree` entry holds none (the parallel
/// loader's workers parse the files they need: `sources::parallel`).
pub(crate) trait ItemSource {
    fn items(&self, m: ModId) -> &[Item];
}

enum Scopes<'t> {
    Owned(Vec<Scope>),
    Shared(&'t [Scope]),
}

/// A module's glob imports, resolved: the module each reaches, with whether the glob is `pub`.
type Globs = Vec<(ModId, bool)>;

pub(crate) struct Resolver<'t> {
    pub tree: &'t Tree,
    scopes: Scopes<'t>,
    /// `None`: the items are the tree's.
    source: Option<&'t (dyn ItemSource + 't)>,
    /// Lazily resolved glob imports per module, with whether each glob is `pub`.
    globs: RefCell<Vec<Option<Globs>>>,
    /// Names already looked up, per module.
    memo: RefCell<HashMap<(ModId, String), Option<Res>>>,
    /// Dependency crates and modules that resolution wanted but that are not read yet.
    needs: RefCell<Vec<Need>>,
    /// Type paths (module, segments as written) nothing resolved: see [`Resolver::want`].
    wants: RefCell<Vec<(ModId, Vec<String>)>>,
}

impl<'t> Resolver<'t> {
    pub fn new(tree: &'t Tree) -> Self {
        let scopes = tree.modules.iter().map(|m| scope(&m.items)).collect();
        Self::over(tree, Scopes::Owned(scopes), None)
    }

    /// A resolver over a tree whose modules' scopes are already known (`scopes[m]`, from the
    /// items `source` gives, or from the tree's own items when it is `None`).
    pub fn with_scopes(
        tree: &'t Tree,
        scopes: &'t [Scope],
        source: Option<&'t (dyn ItemSource + 't)>,
    ) -> Self {
        Self::over(tree, Scopes::Shared(scopes), source)
    }

    fn over(tree: &'t Tree, scopes: Scopes<'t>, source: Option<&'t (dyn ItemSource + 't)>) -> Self {
        let globs = RefCell::new(vec![None; tree.modules.len()]);
        Resolver {
            tree,
            scopes,
            source,
            globs,
            memo: RefCell::new(HashMap::new()),
            needs: RefCell::new(Vec::new()),
            wants: RefCell::new(Vec::new()),
        }
    }

    /// Records a type path written in `from` that neither the tree nor the built-in types
    /// resolve: the loader then looks for it in dependency crates.
    pub fn want(&self, from: ModId, path: &syn::Path) {
        self.wants.borrow_mut().push((from, segments(path)));
    }

    pub fn take_wants(&self) -> Vec<(ModId, Vec<String>)> {
        std::mem::take(&mut self.wants.borrow_mut())
    }

    pub fn take_needs(&self) -> Vec<Need> {
        std::mem::take(&mut self.needs.borrow_mut())
    }

    /// The root of the crate `segs[0]` as code in module `from` spells it: a crate loaded
    /// together with it, else a dependency crate already read (one not read yet is a need).
    /// A path SeaORM maps by its spelling (`chrono::NaiveDate`) stays external: dependency
    /// crates only resolve what nothing else does.
    fn crate_root(&self, from: ModId, segs: &[String]) -> Option<ModId> {
        let name = segs.first()?.as_str();
        if let Some(&root) = self.tree.crate_names.get(name) {
            return Some(root);
        }
        let deps = &self.tree.deps;
        let file = deps.names.get(&self.tree.modules[from].krate)?.get(name)?;
        let by_spelling = |g| crate::types::builtin(segs, g).is_some();
        if dep_crates::KNOWN.contains(&name) || by_spelling(false) || by_spelling(true) {
            return None;
        }
        match deps.roots.get(file) {
            Some(root) => *root,
            None => {
                self.needs.borrow_mut().push(Need::Crate(file.clone()));
                None
            }
        }
    }

    /// Resolves `segs` as written in module `from`.
    pub fn resolve(&self, from: ModId, segs: &[String]) -> Res {
        self.resolve_at(from, segs, 0)
    }

    pub fn resolve_path(&self, from: ModId, path: &syn::Path) -> Res {
        self.resolve(from, &segments(path))
    }

    fn resolve_at(&self, from: ModId, segs: &[String], depth: usize) -> Res {
        let Some(first) = segs.first() else {
            return Res::Module(from);
        };
        if depth > MAX_DEPTH {
            return Res::External(segs.iter().filter(|s| *s != "::").cloned().collect());
        }
        if first == "::" {
            return match self.crate_root(from, &segs[1..]) {
                Some(root) => self.resolve_at(root, &segs[2..], depth + 1),
                None => Res::External(segs[1..].to_vec()),
            };
        }
        let modules = &self.tree.modules;
        let (mut cur, mut i) = match first.as_str() {
            "crate" => (modules[from].krate, 1),
            "self" => (from, 1),
            "super" => {
                let mut cur = from;
                let mut i = 0;
                while segs.get(i).is_some_and(|s| s == "super") {
                    match modules[cur].parent {
                        Some(p) => cur = p,
                        None => return Res::External(segs.to_vec()),
                    }
                    i += 1;
                }
                (cur, i)
            }
            _ => match self.lookup(from, first, depth) {
                Some(Res::Module(m)) => (m, 1),
                Some(other) => return extend(other, &segs[1..]),
                // Not written anywhere in scope: macro-generated here (`Entity`), from the
                // prelude (`String`), or a crate name (`use other as alias`).
                None if segs.len() == 1 => {
                    return match self.crate_root(from, segs) {
                        Some(root) => Res::Module(root),
                        None => Res::Missing {
                            module: from,
                            name: first.clone(),
                            rest: Vec::new(),
                        },
                    };
                }
                // Another crate that was loaded too (`--entities` naming both crates), a
                // dependency crate, else a crate outside (`chrono::NaiveDate`).
                None => match self.crate_root(from, segs) {
                    Some(root) => (root, 1),
                    None => return Res::External(segs.to_vec()),
                },
            },
        };
        while i < segs.len() {
            match self.lookup(cur, &segs[i], depth) {
                Some(Res::Module(m)) => cur = m,
                Some(other) => return extend(other, &segs[i + 1..]),
                None => {
                    return Res::Missing {
                        module: cur,
                        name: segs[i].clone(),
                        rest: segs[i + 1..].to_vec(),
                    };
                }
            }
            i += 1;
        }
        Res::Module(cur)
    }

    /// What `name` means inside module `m`: its own children, items and imports, else the
    /// nearest module its glob imports reach (breadth first, each module once).
    fn lookup(&self, m: ModId, name: &str, depth: usize) -> Option<Res> {
        if depth > MAX_DEPTH {
            return None;
        }
        let key = (m, name.to_string());
        if let Some(done) = self.memo.borrow().get(&key) {
            return done.clone();
        }
        // In progress: a cycle through imports resolves to nothing.
        self.memo.borrow_mut().insert(key.clone(), None);
        let r = self.lookup_uncached(m, name, depth);
        self.memo.borrow_mut().insert(key, r.clone());
        r
    }

    fn lookup_uncached(&self, m: ModId, name: &str, depth: usize) -> Option<Res> {
        if let Some(r) = self.lookup_direct(m, name, depth, None) {
            return Some(r);
        }
        let mut seen = vec![m];
        let mut queue: std::collections::VecDeque<ModId> =
            self.glob_targets(m).into_iter().map(|(g, _)| g).collect();
        while let Some(g) = queue.pop_front() {
            if seen.contains(&g) {
                continue;
            }
            seen.push(g);
            if let Some(r) = self.lookup_direct(g, name, depth + 1, Some(m)) {
                return Some(r);
            }
            let sees = self.sees_private(m, g);
            queue.extend(
                self.glob_targets(g)
                    .into_iter()
                    .filter(|&(_, public)| public || sees)
                    .map(|(t, _)| t),
            );
        }
        None
    }

    /// Whether code in module `from` sees the private entries of module `owner`: it is
    /// `owner` or lies inside it (within one crate).
    fn sees_private(&self, from: ModId, owner: ModId) -> bool {
        let mut cur = Some(from);
        while let Some(c) = cur {
            if c == owner {
                return true;
            }
            cur = self.tree.modules[c].parent;
        }
        false
    }

    /// The modules `m`'s glob imports name, resolved once. A glob's own path is resolved
    /// without consulting globs for its first segment (as written, glob paths start at `crate`,
    /// `self`, `super`, a child module, an import or an external crate); this also keeps two
    /// modules that glob-import each other from recursing.
    fn glob_targets(&self, m: ModId) -> Vec<(ModId, bool)> {
        if let Some(done) = &self.globs.borrow()[m] {
            return done.clone();
        }
        self.globs.borrow_mut()[m] = Some(Vec::new());
        let mut targets = Vec::new();
        for (glob, public) in &self.scope(m).globs {
            let res = match glob.first().map(String::as_str) {
                Some("crate" | "self" | "super" | "::") | None => self.resolve_at(m, glob, 1),
                Some(first) => match self.lookup_direct(m, first, 1, None) {
                    Some(Res::Module(start)) => self.resolve_at(start, &glob[1..], 1),
                    Some(_) => Res::External(glob.clone()),
                    None => match self.crate_root(m, glob) {
                        Some(root) => self.resolve_at(root, &glob[1..], 1),
                        None => Res::External(glob.clone()),
                    },
                },
            };
            if let Res::Module(g) = res {
                targets.push((g, *public));
            }
        }
        self.globs.borrow_mut()[m] = Some(targets.clone());
        targets
    }

    /// A name's meaning in `m` from its child modules, items and explicit imports only;
    /// `via`: the module whose glob import reached `m` (it sees only what `m` makes public,
    /// unless it lies inside `m`).
    fn lookup_direct(&self, m: ModId, name: &str, depth: usize, via: Option<ModId>) -> Option<Res> {
        if depth > MAX_DEPTH {
            return None;
        }
        let scope = self.scope(m);
        let sees = via.is_none_or(|from| self.sees_private(from, m));
        let visible = |public: bool| public || sees;
        let child_visible = || sees || scope.mods.iter().any(|(x, public)| x == name && *public);
        if let Some(child) = self.tree.modules[m].children.get(name)
            && child_visible()
        {
            return Some(Res::Module(*child));
        }
        if let Some(&(index, public)) = scope.items.get(name)
            && visible(public)
        {
            return Some(Res::Item {
                module: m,
                index,
                rest: Vec::new(),
            });
        }
        let found = scope
            .uses
            .iter()
            .find(|(b, _, public)| b == name && visible(*public));
        let Some((_, path, _)) = found else {
            let wanted = scope
                .mods
                .iter()
                .any(|(x, public)| x == name && visible(*public));
            if wanted && self.tree.deps.lazy.contains_key(&m) {
                self.needs
                    .borrow_mut()
                    .push(Need::Child(m, name.to_string()));
            }
            return None;
        };
        Some(self.resolve_at(m, path, depth + 1))
    }

    /// `m` and every module its glob imports reach, transitively (each once).
    pub fn glob_reach(&self, m: ModId) -> Vec<ModId> {
        let mut seen = vec![m];
        let mut i = 0;
        while i < seen.len() {
            for (g, _) in self.glob_targets(seen[i]) {
                if !seen.contains(&g) {
                    seen.push(g);
                }
            }
            i += 1;
        }
        seen
    }

    fn scope(&self, m: ModId) -> &Scope {
        match &self.scopes {
            Scopes::Owned(v) => &v[m],
            Scopes::Shared(v) => &v[m],
        }
    }

    /// The items module `m` writes (what the module tree kept of them).
    pub fn items(&self, m: ModId) -> &'t [Item] {
        match self.source {
            Some(source) => source.items(m),
            None => &self.tree.modules[m].items,
        }
    }

    /// The item a [`Res::Item`] points at.
    pub fn item(&self, module: ModId, index: usize) -> Option<&'t Item> {
        if module >= self.tree.modules.len() {
            return None;
        }
        self.items(module).get(index)
    }

    /// `crate::a::b` spelling of a module, for messages and `[types]` keys.
    pub fn module_path(&self, m: ModId) -> String {
        let mut names = Vec::new();
        let mut cur = Some(m);
        while let Some(c) = cur {
            let module = &self.tree.modules[c];
            if module.parent.is_none() {
                break;
            }
            names.push(module.name.clone());
            cur = module.parent;
        }
        names.push("crate".into());
        names.reverse();
        names.join("::")
    }
}

/// A path's segments; `::` stands first for a leading `::`.
pub(crate) fn segments(path: &syn::Path) -> Vec<String> {
    let mut segs: Vec<String> = Vec::new();
    if path.leading_colon.is_some() {
        segs.push("::".into());
    }
    segs.extend(path.segments.iter().map(|s| s.ident.to_string()));
    segs
}

fn extend(res: Res, more: &[String]) -> Res {
    match res {
        Res::Item {
            module,
            index,
            mut rest,
        } => {
            rest.extend_from_slice(more);
            Res::Item {
                module,
                index,
                rest,
            }
        }
        Res::Missing {
            module,
            name,
            mut rest,
        } => {
            rest.extend_from_slice(more);
            Res::Missing { module, name, rest }
        }
        Res::External(mut p) => {
            p.extend_from_slice(more);
            Res::External(p)
        }
        Res::Module(m) => Res::Module(m),
    }
}

/// What a module's items make visible to name resolution.
pub(crate) fn scope(items: &[Item]) -> Scope {
    let mut s = Scope::default();
    for (index, item) in items.iter().enumerate() {
        let ident = match item {
            Item::Struct(i) => Some((&i.ident, &i.vis)),
            Item::Enum(i) => Some((&i.ident, &i.vis)),
            Item::Type(i) => Some((&i.ident, &i.vis)),
            Item::Union(i) => Some((&i.ident, &i.vis)),
            Item::Trait(i) => Some((&i.ident, &i.vis)),
            Item::Mod(m) => {
                s.mods.push((m.ident.to_string(), is_pub(&m.vis)));
                None
            }
            Item::Use(u) => {
                let mut prefix = Vec::new();
                if u.leading_colon.is_some() {
                    prefix.push("::".to_string());
                }
                flatten(&u.tree, prefix, is_pub(&u.vis), &mut s);
                None
            }
            _ => None,
        };
        if let Some((ident, vis)) = ident {
            s.items
                .entry(ident.to_string())
                .or_insert((index, is_pub(vis)));
        }
    }
    s
}

/// `pub`, `pub(crate)`, `pub(super)`, `pub(in ..)`: seen outside the module (how far is not
/// tracked).
fn is_pub(vis: &syn::Visibility) -> bool {
    !matches!(vis, syn::Visibility::Inherited)
}

fn flatten(tree: &UseTree, mut prefix: Vec<String>, public: bool, s: &mut Scope) {
    match tree {
        UseTree::Path(p) => {
            prefix.push(p.ident.to_string());
            flatten(&p.tree, prefix, public, s);
        }
        UseTree::Name(n) => {
            let name = n.ident.to_string();
            if name == "self" {
                if let Some(last) = prefix.last().cloned() {
                    s.uses.push((last, prefix, public));
                }
            } else {
                prefix.push(name.clone());
                s.uses.push((name, prefix, public));
            }
        }
        UseTree::Rename(r) => {
            let binding = r.rename.to_string();
            if binding == "_" {
                return;
            }
            let name = r.ident.to_string();
            if name != "self" {
                prefix.push(name);
            }
            s.uses.push((binding, prefix, public));
        }
        UseTree::Glob(_) => s.globs.push((prefix, public)),
        UseTree::Group(g) => {
            for t in &g.items {
                flatten(t, prefix.clone(), public, s);
            }
        }
    }
}
