//! Phase 2: the entities of the modules, read on worker threads from the files parsed again
//! (from the text phase 1 read).

use std::cell::{Cell, OnceCell};
use std::collections::{HashMap, HashSet};
use std::ops::Range;

use syn::Item;

use crate::LoadOptions;
use crate::ctx::Ctx;
use crate::diagnostics::{Diagnostic, Sink};
use crate::entity_def::EntityDef;
use crate::findings::Finding;
use crate::formats;
use crate::module_tree::{ModId, Tree};
use crate::resolve::{self, ItemSource, Resolver};

use super::split;
use super::tree::{ModInfo, Skeleton};

/// Modules read with one resolver: the syntax trees alive at a time on a worker are these
/// modules' files and the shared files resolution pointed into.
const CHUNK: usize = 64;

/// What the sequential loop over `formats::read_module` gives, merged from the workers.
#[derive(Default)]
pub(crate) struct Read {
    /// A file did not parse, or not as phase 1 read it: load sequentially.
    pub mismatch: bool,
    pub entities: Vec<EntityDef>,
    pub diagnostics: Vec<Diagnostic>,
    pub findings: Vec<Finding>,
    pub wants: Vec<(ModId, Vec<String>)>,
}

/// One worker's share.
struct Part {
    read: Read,
    /// Per diagnostic: the value types being lowered when it was reported.
    under: Vec<Vec<(ModId, usize)>>,
    /// The value types it lowered (each reported once per thread).
    lowered: HashSet<(ModId, usize)>,
}

/// Reads the entities of every module of `tree` (which holds no items) on `workers` threads.
pub(crate) fn read(tree: &Tree, sk: &Skeleton, opts: &LoadOptions, workers: usize) -> Read {
    let infos = ModInfo::of(tree);
    let crate_names = &tree.crate_names;
    let n = infos.len();
    let workers = workers.clamp(1, n.max(1));
    let ranges: Vec<Range<ModId>> = (0..workers)
        .map(|w| (w * n / workers)..((w + 1) * n / workers))
        .collect();
    let parts: Vec<Part> = std::thread::scope(|s| {
        let handles: Vec<_> = ranges
            .into_iter()
            .map(|range| {
                let infos = &infos;
                s.spawn(move || worker(infos, crate_names, sk, opts, range))
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect()
    });
    // One thread reports a value type's problems once, where it is first used: drop what a
    // later worker reported again.
    let mut out = Read::default();
    let mut lowered: HashSet<(ModId, usize)> = HashSet::new();
    for part in parts {
        for (d, under) in part.read.diagnostics.into_iter().zip(part.under) {
            if !under.iter().any(|k| lowered.contains(k)) {
                out.diagnostics.push(d);
            }
        }
        lowered.extend(part.lowered);
        out.mismatch |= part.read.mismatch;
        out.entities.extend(part.read.entities);
        out.findings.extend(part.read.findings);
        out.wants.extend(part.read.wants);
    }
    out
}

fn worker(
    infos: &[ModInfo],
    crate_names: &HashMap<String, ModId>,
    sk: &Skeleton,
    opts: &LoadOptions,
    range: Range<ModId>,
) -> Part {
    let tree = Tree {
        modules: infos.iter().map(ModInfo::module).collect(),
        crate_names: crate_names.clone(),
        ..Tree::default()
    };
    let shared: Vec<OnceCell<Vec<Item>>> = (0..infos.len()).map(|_| OnceCell::new()).collect();
    let mut sink = Sink::default();
    let mut value_types = HashMap::new();
    let mut column_type_texts = HashMap::new();
    let mut expr_texts = HashMap::new();
    let mut entities = Vec::new();
    let mut wants = Vec::new();
    let mismatch = Cell::new(false);
    let mut start = range.start;
    while start < range.end && !mismatch.get() {
        let chunk = start..(start + CHUNK).min(range.end);
        start = chunk.end;
        let store = Store {
            own: (0..chunk.len()).map(|_| OnceCell::new()).collect(),
            start: chunk.start,
            shared: &shared,
            sk,
            mismatch: &mismatch,
        };
        let mut ctx = Ctx::new(Resolver::with_scopes(&tree, &sk.scopes, Some(&store)), opts);
        ctx.sink = std::mem::take(&mut sink);
        ctx.value_types = std::mem::take(&mut value_types);
        ctx.column_type_texts = std::mem::take(&mut column_type_texts);
        ctx.expr_texts = std::mem::take(&mut expr_texts);
        for m in chunk {
            entities.extend(formats::read_module(&mut ctx, m));
        }
        wants.extend(ctx.res.take_wants());
        sink = std::mem::take(&mut ctx.sink);
        value_types = std::mem::take(&mut ctx.value_types);
        column_type_texts = std::mem::take(&mut ctx.column_type_texts);
        expr_texts = std::mem::take(&mut ctx.expr_texts);
    }
    Part {
        read: Read {
            mismatch: mismatch.get(),
            entities,
            diagnostics: sink.items,
            findings: sink.findings,
            wants,
        },
        under: sink.under,
        lowered: value_types.into_keys().collect(),
    }
}

/// The items of the modules a worker reads: its current chunk's, and those of the other
/// modules resolution points into (kept for the rest of its range).
struct Store<'a> {
    own: Vec<OnceCell<Vec<Item>>>,
    start: ModId,
    shared: &'a [OnceCell<Vec<Item>>],
    sk: &'a Skeleton,
    mismatch: &'a Cell<bool>,
}

impl Store<'_> {
    fn cell(&self, m: ModId) -> &OnceCell<Vec<Item>> {
        match m.checked_sub(self.start) {
            Some(i) if i < self.own.len() => &self.own[i],
            _ => &self.shared[m],
        }
    }

    /// Parses the file module `m` was read from and fills the cells of its modules.
    fn load(&self, m: ModId) {
        if let Some(instance) = self.sk.instances.get(self.sk.instance_of[m]) {
            let parts = split::parts(&instance.text).filter(|p| p.len() == instance.modules.len());
            match parts {
                Some(parts) => {
                    for (part, &mm) in parts.into_iter().zip(&instance.modules) {
                        if part.children != self.sk.children[mm]
                            || resolve::scope(&part.items) != self.sk.scopes[mm]
                        {
                            self.mismatch.set(true);
                        }
                        let _ = self.cell(mm).set(part.items);
                    }
                }
                None => self.mismatch.set(true),
            }
        }
        let _ = self.cell(m).set(Vec::new());
    }
}

impl ItemSource for Store<'_> {
    fn items(&self, m: ModId) -> &[Item] {
        if m >= self.shared.len() {
            return &[];
        }
        if self.cell(m).get().is_none() {
            self.load(m);
        }
        self.cell(m).get().map(Vec::as_slice).unwrap_or(&[])
    }
}
