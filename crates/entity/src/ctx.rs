//! The loading context shared by the format readers: name resolution, options, diagnostics and
//! caches of resolved value types.

use std::collections::HashMap;

use crate::LoadOptions;
use crate::column_type::ColType;
use crate::diagnostics::Sink;
use crate::module_tree::ModId;
use crate::resolve::Resolver;

pub(crate) struct Ctx<'t> {
    pub res: Resolver<'t>,
    pub opts: &'t LoadOptions,
    pub sink: Sink,
    /// ActiveEnum / DeriveValueType items already lowered (None: reported as an error once).
    pub value_types: HashMap<(ModId, usize), Option<ColType>>,
}

impl<'t> Ctx<'t> {
    pub fn new(res: Resolver<'t>, opts: &'t LoadOptions) -> Self {
        Ctx {
            res,
            opts,
            sink: Sink::default(),
            value_types: HashMap::new(),
        }
    }

    pub fn file(&self, m: ModId) -> &'t std::path::Path {
        &self.res.tree.modules[m].file
    }
}
