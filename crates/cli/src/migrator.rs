//! Reading the migration crate's `Migrator`: the modules registered in `src/lib.rs` as
//! `Box::new(m…::Migration)`, in order. Parsed with syn, so commented-out entries are not counted.

use std::path::Path;

use anyhow::{Context, Result, anyhow};
use syn::visit::Visit;

/// The registered migration modules of the crate at `dir`, in registration order.
pub fn registered(dir: &Path) -> Result<Vec<String>> {
    let lib = dir.join("src").join("lib.rs");
    let text = std::fs::read_to_string(&lib).with_context(|| {
        format!(
            "cannot read {}; set `migrations` in autogen.toml to the migration crate",
            lib.display()
        )
    })?;
    registered_in(&text).map_err(|e| anyhow!("{}:{e}", lib.display()))
}

/// Same, from lib.rs text; an error is `line:col: message`.
pub fn registered_in(text: &str) -> std::result::Result<Vec<String>, String> {
    let file = syn::parse_file(text).map_err(|e| {
        let at = e.span().start();
        format!("{}:{}: {e}", at.line, at.column + 1)
    })?;
    let mut v = Finder(Vec::new());
    v.visit_file(&file);
    Ok(v.0)
}

struct Finder(Vec<String>);

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
            if f.ends_with(&["Box".into(), "new".into()])
                && a.len() >= 2
                && a[a.len() - 1] == "Migration"
            {
                self.0.push(a[a.len() - 2].clone());
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
}
