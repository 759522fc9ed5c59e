//! The loading context shared by the format readers: name resolution, options, diagnostics and
//! caches of resolved value types.

use std::collections::HashMap;
use std::rc::Rc;

use crate::LoadOptions;
use crate::column_type::ColType;
use crate::diagnostics::Sink;
use crate::entity_def::{DefaultSpec, ParsedDefault};
use crate::module_tree::ModId;
use crate::resolve::Resolver;

pub(crate) struct Ctx<'t> {
    pub res: Resolver<'t>,
    pub opts: &'t LoadOptions,
    pub sink: Sink,
    /// ActiveEnum / DeriveValueType items already lowered (None: reported as an error once).
    pub value_types: HashMap<(ModId, usize), Option<ColType>>,
    /// Parsed `column_type` / `db_type` texts (generated entities repeat a few).
    pub column_type_texts: HashMap<String, Result<ColType, String>>,
    /// Parsed `default_expr` texts.
    pub expr_texts: HashMap<String, Result<syn::Expr, String>>,
    /// Column defaults parsed back from their token text (generated entities repeat a few).
    pub defaults: HashMap<DefaultSpec, Option<Rc<ParsedDefault>>>,
}

impl<'t> Ctx<'t> {
    pub fn new(res: Resolver<'t>, opts: &'t LoadOptions) -> Self {
        Ctx {
            res,
            opts,
            sink: Sink::default(),
            value_types: HashMap::new(),
            column_type_texts: HashMap::new(),
            expr_texts: HashMap::new(),
            defaults: HashMap::new(),
        }
    }

    /// [`column_type::parse_text`], cached by text.
    pub fn parse_column_type(&mut self, text: &str) -> Result<ColType, String> {
        if let Some(r) = self.column_type_texts.get(text) {
            return r.clone();
        }
        let r = crate::column_type::parse_text(text);
        self.column_type_texts.insert(text.to_string(), r.clone());
        r
    }

    /// A Rust expression from an attribute string, cached by text.
    pub fn parse_expr(&mut self, text: &str) -> Result<syn::Expr, String> {
        if let Some(r) = self.expr_texts.get(text) {
            return r.clone();
        }
        let r = syn::parse_str::<syn::Expr>(text).map_err(|e| e.to_string());
        self.expr_texts.insert(text.to_string(), r.clone());
        r
    }

    /// [`DefaultSpec::parse`], cached by spec.
    pub fn parse_default(&mut self, d: &DefaultSpec) -> Option<Rc<ParsedDefault>> {
        if let Some(p) = self.defaults.get(d) {
            return p.clone();
        }
        let p = d.parse().map(Rc::new);
        self.defaults.insert(d.clone(), p.clone());
        p
    }

    pub fn file(&self, m: ModId) -> &'t std::path::Path {
        &self.res.tree.modules[m].file
    }
}
