//! `DeriveActiveEnum` → its column type, as sea-orm-macros 2.0.4 builds `db_type()`:
//! `db_type = "Enum"` → `ColumnType::Enum { name: enum_name, variants }` (labels from
//! `string_value`, `rename` or `rename_all`, in declaration order; the default name is the
//! UpperCamelCase identifier); any other `db_type` → that ColumnType.

use heck::ToUpperCamelCase;

use crate::attrs;
use crate::case;
use crate::column_type::ColType;
use crate::ctx::Ctx;
use crate::module_tree::ModId;

impl Ctx<'_> {
    pub fn active_enum(&mut self, m: ModId, e: &syn::ItemEnum) -> Option<ColType> {
        let file = self.file(m);
        let args = attrs::sea_orm_args(&e.attrs, file, &mut self.sink);
        attrs::check_keys(
            &args,
            attrs::ACTIVE_ENUM_KEYS,
            "a DeriveActiveEnum enum",
            file,
            &mut self.sink,
        );
        let Some(db_type) = attrs::find(&args, "db_type") else {
            self.sink.error_help(
                file,
                e.ident.span(),
                format!("ActiveEnum `{}` has no db_type", e.ident),
                "add #[sea_orm(db_type = \"Enum\", enum_name = \"...\")] or a column type such as db_type = \"String(StringLen::N(16))\"",
            );
            return None;
        };
        let is_native = db_type.str().is_some_and(|(t, _)| t == "Enum");
        if !is_native {
            return self.column_type_attr(m, db_type);
        }
        let name = attrs::find(&args, "enum_name")
            .and_then(|a| a.str())
            .map(|(s, _)| s)
            .unwrap_or_else(|| e.ident.to_string().to_upper_camel_case());
        let rename_all = match attrs::find(&args, "rename_all") {
            Some(a) => match a.str().and_then(|(s, _)| case::parse(&s)) {
                Some(style) => Some(style),
                None => {
                    self.sink.error_help(
                        file,
                        a.span,
                        "unknown rename_all case style",
                        case::VALID,
                    );
                    return None;
                }
            },
            None => None,
        };
        let mut labels = Vec::new();
        for v in &e.variants {
            let vargs = attrs::sea_orm_args(&v.attrs, file, &mut self.sink);
            attrs::check_keys(
                &vargs,
                attrs::VARIANT_KEYS,
                "an ActiveEnum variant",
                file,
                &mut self.sink,
            );
            let ident = v.ident.to_string();
            let label =
                if let Some((s, _)) = attrs::find(&vargs, "string_value").and_then(|a| a.str()) {
                    Some(s)
                } else if let Some(a) = attrs::find(&vargs, "rename") {
                    a.str()
                        .and_then(|(s, _)| case::parse(&s))
                        .map(|style| case::convert(&ident, style))
                } else {
                    rename_all.map(|style| case::convert(&ident, style))
                };
            match label {
                Some(l) => labels.push(l),
                None => {
                    self.sink.error_help(
                        file,
                        v.ident.span(),
                        format!("variant `{ident}` of native enum `{name}` has no string value"),
                        "add #[sea_orm(string_value = \"...\")] or rename_all on the enum",
                    );
                    return None;
                }
            }
        }
        Some(ColType::Enum {
            name,
            variants: labels,
        })
    }
}
