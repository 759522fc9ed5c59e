//! Reading the migration crate's `Migrator`: the migrations registered in `src/lib.rs` as
//! `Box::new(m…::Migration)` (or any `Box::new(module::Struct)`), in order, by the version name
//! sea-orm-migration records for each. Parsed with syn, so commented-out entries are not counted.
//!
//! The name is what `MigrationName::name` returns: a hand-written `impl MigrationName for S`
//! returning a string literal in the module's file (several migrations in one module), else
//! `DeriveMigrationName`'s, the module file's stem — the module's name.

use std::path::Path;

use anyhow::{Context, Result, anyhow};
use syn::visit::Visit;

/// The registered migrations' version names of the crate at `dir`, in registration order.
pub fn registered(dir: &Path) -> Result<Vec<String>> {
    let src = dir.join("src");
    let lib = src.join("lib.rs");
    let text = std::fs::read_to_string(&lib).with_context(|| {
        format!(
            "cannot read {}; set `migrations` in autogen.toml to the migration crate",
            lib.display()
        )
    })?;
    let entries = entries_in(&text).map_err(|e| anyhow!("{}:{e}", lib.display()))?;
    Ok(entries
        .into_iter()
        .map(|(module, name)| {
            hand_written_name(&src, &module, &name)
                .unwrap_or_else(|| module.last().cloned().unwrap_or(name))
        })
        .collect())
}

/// The registered modules (as written in lib.rs, without `crate::`), in order; an error is
/// `line:col: message`. A migration's version is its module's name unless the module names it
/// by hand ([`registered`]).
pub fn registered_in(text: &str) -> std::result::Result<Vec<String>, String> {
    Ok(entries_in(text)?
        .into_iter()
        .filter_map(|(module, _)| module.last().cloned())
        .collect())
}

/// `(module path, struct name)` of each `Box::new(module::Struct)`.
fn entries_in(text: &str) -> std::result::Result<Vec<(Vec<String>, String)>, String> {
    let file = syn::parse_file(text).map_err(|e| {
        let at = e.span().start();
        format!("{}:{}: {e}", at.line, at.column + 1)
    })?;
    let mut v = Finder(Vec::new());
    v.visit_file(&file);
    Ok(v.0)
}

/// The string literal `fn name` returns in `impl MigrationName for {name}` in the module's file
/// (`src/a/b.rs` or `src/a/b/mod.rs`), if there is one.
fn hand_written_name(src: &Path, module: &[String], name: &str) -> Option<String> {
    let rel: std::path::PathBuf = module.iter().collect();
    let text = [
        src.join(&rel).with_extension("rs"),
        src.join(&rel).join("mod.rs"),
    ]
    .iter()
    .find_map(|p| std::fs::read_to_string(p).ok())?;
    let file = syn::parse_file(&text).ok()?;
    file.items.iter().find_map(|item| {
        let syn::Item::Impl(imp) = item else {
            return None;
        };
        let (_, trait_path, _) = imp.trait_.as_ref()?;
        let syn::Type::Path(self_ty) = &*imp.self_ty else {
            return None;
        };
        if trait_path.segments.last()?.ident != "MigrationName"
            || self_ty.path.segments.last()?.ident != name
        {
            return None;
        }
        imp.items.iter().find_map(|i| match i {
            syn::ImplItem::Fn(f) if f.sig.ident == "name" => match f.block.stmts.as_slice() {
                [
                    syn::Stmt::Expr(
                        syn::Expr::Lit(syn::ExprLit {
                            lit: syn::Lit::Str(s),
                            ..
                        }),
                        None,
                    ),
                ] => Some(s.value()),
                _ => None,
            },
            _ => None,
        })
    })
}

struct Finder(Vec<(Vec<String>, String)>);

impl<'ast> Visit<'ast> for Finder {
    fn visit_expr_call(&mut self, call: &'ast syn::ExprCall) {
        if let (syn::Expr::Path(func), Some(syn::Expr::Path(arg))) =
            (&*call.func, call.args.first())
        {
            let f: Vec<_> = func
                .path
                .segments
                .iter()
                .map(|s| s.ident.to_string())
                .collect();
            let a: Vec<_> = arg
                .path
                .segments
                .iter()
                .map(|s| s.ident.to_string())
                .collect();
            if f.ends_with(&["Box".into(), "new".into()]) && a.len() >= 2 {
                let module: Vec<String> = a[..a.len() - 1]
                    .iter()
                    .filter(|s| *s != "crate" && *s != "self")
                    .cloned()
                    .collect();
                if !module.is_empty() {
                    self.0.push((module, a[a.len() - 1].clone()));
                }
            }
        }
        syn::visit::visit_expr_call(self, call);
    }

    /// `vec![…]` bodies are token streams to syn: parse them as expressions and look inside.
    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        use syn::punctuated::Punctuated;
        let parser = Punctuated::<syn::Expr, syn::Token![,]>::parse_terminated;
        if let Ok(exprs) = mac.parse_body_with(parser) {
            for e in &exprs {
                self.visit_expr(e);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn finds_entries_in_order_and_skips_comments() {
        let lib = r#"
pub use sea_orm_migration::prelude::*;
mod m20240101_000001_create_users;
mod m20240102_000001_posts;
pub struct Migrator;
#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20240101_000001_create_users::Migration),
            // Box::new(m_old::Migration),
            Box::new(crate::m20240102_000001_posts::Migration),
            // inject-above
        ]
    }
}
"#;
        assert_eq!(
            super::registered_in(lib).unwrap(),
            ["m20240101_000001_create_users", "m20240102_000001_posts"]
        );
        assert!(super::registered_in("fn (").unwrap_err().starts_with("1:"));
    }

    #[test]
    fn several_migrations_in_one_module_use_their_hand_written_names() {
        let d = tempfile::tempdir().unwrap();
        let src = d.path().join("src");
        std::fs::create_dir_all(&src).unwrap();
        std::fs::write(
            src.join("lib.rs"),
            "mod m1_users; mod m2_split;\nimpl MigratorTrait for Migrator { fn migrations() -> Vec<Box<dyn MigrationTrait>> { vec![\n\
             Box::new(m1_users::Migration), Box::new(m2_split::MoveUsers), Box::new(m2_split::MoveRoles)] } }",
        )
        .unwrap();
        std::fs::write(
            src.join("m1_users.rs"),
            "#[derive(DeriveMigrationName)] pub struct Migration;",
        )
        .unwrap();
        std::fs::write(
            src.join("m2_split.rs"),
            "pub struct MoveUsers;\nimpl MigrationName for MoveUsers { fn name(&self) -> &str { \"m2_move_users\" } }\n\
             pub struct MoveRoles;\nimpl MigrationName for MoveRoles { fn name(&self) -> &str { \"m2_move_roles\" } }",
        )
        .unwrap();
        assert_eq!(
            super::registered(d.path()).unwrap(),
            ["m1_users", "m2_move_users", "m2_move_roles"]
        );
    }
}
