//! What the format readers produce: one SeaORM entity as SeaORM's own traits describe it
//! (`EntityName`, `ColumnTrait::def`, `PrimaryKeyTrait`, `RelationTrait`), before lowering to
//! the schema model.

use autogen_schema::FkAction;

use crate::column_type::ColType;
use crate::diagnostics::Pos;
use crate::module_tree::ModId;

#[derive(Debug)]
pub(crate) struct EntityDef {
    pub module: ModId,
    pub span: Pos,
    pub table: String,
    pub schema: Option<String>,
    pub comment: Option<String>,
    /// In `Column` iteration order.
    pub columns: Vec<ColumnDef>,
    /// `PrimaryKey` variants, in order.
    pub primary_key: Vec<String>,
    pub auto_increment: bool,
    /// `auto_increment = true` is written on the key (not SeaORM's default).
    pub auto_increment_stated: bool,
    pub relations: Vec<RelationDef>,
}

impl EntityDef {
    pub fn column_by_variant(&self, variant: &str) -> Option<&ColumnDef> {
        self.columns.iter().find(|c| c.variant == variant)
    }
}

#[derive(Debug)]
pub(crate) struct ColumnDef {
    /// The `Column` enum variant.
    pub variant: String,
    pub name: String,
    /// `None` when the type could not be resolved (already reported).
    pub ty: Option<ColType>,
    /// The type comes from the Rust field type alone (no `column_type`): SeaORM's default
    /// mapping, compared by its family.
    pub rust_only: bool,
    pub nullable: bool,
    pub unique: bool,
    pub indexed: bool,
    pub unique_key: Option<String>,
    pub default: Option<DefaultSpec>,
    pub comment: Option<String>,
    pub extra: Option<String>,
    pub renamed_from: Option<String>,
    pub span: Pos,
}

impl ColumnDef {
    pub fn new(variant: String, name: String, span: impl Into<Pos>) -> Self {
        ColumnDef {
            variant,
            name,
            ty: None,
            rust_only: false,
            nullable: false,
            unique: false,
            indexed: false,
            unique_key: None,
            default: None,
            comment: None,
            extra: None,
            renamed_from: None,
            span: span.into(),
        }
    }
}

/// `default_value = <lit>` (`ColumnDef::default_value`) or an expression given to
/// `ColumnDef::default` (`default_expr = "..."`, expanded `.default(..)`), as token text: entity
/// definitions are made on the parallel loader's worker threads, where syn's nodes must stay
/// (`DefaultSpec::parse` makes them again where the default is lowered).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum DefaultSpec {
    Value(String),
    Expr(String),
}

/// A [`DefaultSpec`] parsed back.
pub(crate) enum ParsedDefault {
    Value(syn::Lit),
    Expr(Box<syn::Expr>),
}

impl DefaultSpec {
    pub fn value(lit: &syn::Lit) -> Self {
        DefaultSpec::Value(quote::ToTokens::to_token_stream(lit).to_string())
    }

    pub fn expr(e: &syn::Expr) -> Self {
        DefaultSpec::Expr(quote::ToTokens::to_token_stream(e).to_string())
    }

    /// `None` only if the text no longer parses (it was printed from a parsed node).
    pub fn parse(&self) -> Option<ParsedDefault> {
        match self {
            DefaultSpec::Value(t) => syn::parse_str(t).ok().map(ParsedDefault::Value),
            DefaultSpec::Expr(t) => syn::parse_str(t)
                .ok()
                .map(|e| ParsedDefault::Expr(Box::new(e))),
        }
    }
}

/// A `belongs_to` relation (the only kind that makes a foreign key).
#[derive(Debug)]
pub(crate) struct RelationDef {
    /// The related `Entity` as written in the entity's module (`super::cake::Entity`, `Entity`):
    /// its segments (`resolve::segments`) and its spelling for messages.
    pub target: Vec<String>,
    pub target_written: String,
    /// `Column` variants of this entity.
    pub from: Vec<String>,
    /// `Column` variants of the related entity.
    pub to: Vec<String>,
    pub on_delete: Option<FkAction>,
    pub on_update: Option<FkAction>,
    pub fk_name: Option<String>,
    pub skip_fk: bool,
    pub span: Pos,
}

impl RelationDef {
    /// `target` and `target_written` of `path`.
    pub fn target_of(path: &syn::Path) -> (Vec<String>, String) {
        let written = quote::ToTokens::to_token_stream(path)
            .to_string()
            .replace(' ', "");
        (crate::resolve::segments(path), written)
    }
}

/// `ForeignKeyAction` variant names.
pub(crate) fn fk_action(name: &str) -> Option<FkAction> {
    Some(match name.rsplit("::").next().unwrap_or(name) {
        "Cascade" => FkAction::Cascade,
        "Restrict" => FkAction::Restrict,
        "SetNull" => FkAction::SetNull,
        "NoAction" => FkAction::NoAction,
        "SetDefault" => FkAction::SetDefault,
        _ => return None,
    })
}

/// `Column::CakeId`, `super::cake::Column::Id`, `cake_id`, `(Column::A, Column::B)` → `Column`
/// variant names (`cake_id` → `CakeId`, as sea-orm-macros' `RelationColumns` does).
pub(crate) fn column_variants(text: &str) -> Option<Vec<String>> {
    let text = text.trim();
    let parts: Vec<&str> = match text.strip_prefix('(').and_then(|t| t.strip_suffix(')')) {
        Some(inner) => inner
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect(),
        None => vec![text],
    };
    let out: Vec<String> = parts
        .iter()
        .map(|p| {
            let last = p
                .rsplit("::")
                .next()
                .unwrap_or(p)
                .trim()
                .trim_start_matches("r#");
            crate::case::upper_camel(last)
        })
        .collect();
    if out.is_empty()
        || out
            .iter()
            .any(|s| s.is_empty() || !s.chars().all(|c| c.is_alphanumeric() || c == '_'))
    {
        return None;
    }
    Some(out)
}
