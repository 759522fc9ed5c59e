//! Columns: renames, adds, drops and alters (type, default, nullability, identity, comment).

use autogen_schema::equality::{
    self, auto_increment_equivalent, defaults_equal, is_serial_default,
};
use autogen_schema::{Column, Schema, Table, Type};

use crate::casts::{self, Cast};
use crate::options::{DiffOptions, names};
use crate::plan::{Change, NoteKind};
use crate::{Ctx, Out, managed};

/// `RenameColumn`s from `renamed_from` and `opts.column_renames`, for tables on both sides
/// (after table renames): the old column exists, the new one does not, and the entity does not
/// also declare the old one.
pub fn renames(desired: &Schema, current: &Schema, opts: &DiffOptions) -> Vec<Change> {
    let mut out = Vec::new();
    let mut tables: Vec<&Table> = desired.tables.iter().collect();
    tables.sort_by(|a, b| (&a.schema, &a.name).cmp(&(&b.schema, &b.name)));
    for d in tables {
        let q = d.qualified_name();
        let Some(c) = current.table(&q.schema, &q.name) else {
            continue;
        };
        if opts.is_ignored(&q) {
            continue;
        }
        let mut taken: Vec<&str> = Vec::new();
        for col in &d.columns {
            if c.column(&col.name).is_some() {
                continue;
            }
            let from_option = opts
                .column_renames
                .iter()
                .find(|r| r.to == col.name && names(&r.table, &q))
                .map(|r| &r.from);
            let Some(old) = from_option.or(col.renamed_from.as_ref()) else {
                continue;
            };
            if c.column(old).is_some() && d.column(old).is_none() && !taken.contains(&old.as_str())
            {
                taken.push(old);
                out.push(Change::RenameColumn {
                    table: q.clone(),
                    from: old.clone(),
                    to: col.name.clone(),
                });
            }
        }
    }
    out
}

/// Adds, drops and alters for one table on both sides.
pub fn diff(ctx: &Ctx<'_>, d: &Table, c: &Table, out: &mut Out) {
    let q = c.qualified_name();
    for want in &d.columns {
        match c.column(&want.name) {
            Some(have) => alter(ctx, &q, want, have, out),
            None => {
                out.changes.push(Change::AddColumn {
                    table: q.clone(),
                    column: want.clone(),
                });
            }
        }
    }
    let dropped: Vec<&Column> = c
        .columns
        .iter()
        .filter(|col| ctx.column_dropped(&q, &col.name))
        .collect();
    for col in c.columns.iter().filter(|col| d.column(&col.name).is_none()) {
        if !ctx.column_dropped(&q, &col.name) {
            out.note(
                NoteKind::Review,
                format!("{q}.{}", col.name),
                format!(
                    "column {} is not declared by the entities but a foreign key of an excluded \
                     table references it; kept",
                    col.name
                ),
            );
        }
    }
    for col in &dropped {
        out.changes.push(Change::DropColumn {
            table: q.clone(),
            column: (*col).clone(),
        });
    }
    for old in &dropped {
        for new in d.columns.iter().filter(|n| c.column(&n.name).is_none()) {
            let same_definition = !new.type_source.is_unresolved()
                && equality::column_type_in_sync(new, &old.ty, ctx.opts.strict_types)
                && old.nullable == new.nullable
                && old.identity == new.identity
                && (new.default.is_none()
                    || same_default(old.default.as_deref(), new.default.as_deref()));
            if same_definition {
                out.note(
                    NoteKind::RenameHint,
                    format!("{q}.{}", old.name),
                    format!(
                        "column {} is dropped and {} added with the same definition; if it is a \
                         rename, write `#[sea_orm(renamed_from = \"{}\")]` on the field or add \
                         `\"{}.{}\" = \"{}\"` under [renames.columns] in autogen.toml",
                        old.name, new.name, old.name, q.name, old.name, new.name
                    ),
                );
            }
        }
    }
}

/// The alters that take `have` to `want`, in an order Postgres accepts both ways: identity
/// drop, default drop, type, default set, nullability, identity add.
fn alter(
    ctx: &Ctx<'_>,
    q: &autogen_schema::QualifiedName,
    want: &Column,
    have: &Column,
    out: &mut Out,
) {
    let opts = ctx.opts;
    let name = &want.name;
    let equivalent_serial = !opts.strict_identity && auto_increment_equivalent(want, have);

    let identity_target = if equivalent_serial {
        have.identity.clone()
    } else {
        want.identity.clone()
    };
    let mut default_target: Option<String> = if equivalent_serial {
        have.default.clone()
    } else {
        match managed::desired_default(want, opts) {
            Some(target) => target.map(str::to_string),
            None => have.default.clone(),
        }
    };
    let identity_changes = identity_target != have.identity;

    // 1. An identity that goes away goes first (a default may follow).
    if identity_changes && identity_target.is_none() {
        out.changes.push(Change::AlterIdentity {
            table: q.clone(),
            column: name.clone(),
            from: have.identity.clone(),
            to: None,
        });
    }
    // 2–4. Type, with the default dropped around it when the cast needs USING (Postgres does
    // not apply USING to the default) or the old type is a user type (the default would keep
    // depending on it, and the type may be dropped later in the plan).
    let mut default_now = have.default.clone();
    if !equality::column_type_in_sync(want, &have.ty, opts.strict_types) {
        let cast = casts::cast(name, &have.ty, &want.ty);
        let back = casts::cast(name, &want.ty, &have.ty);
        if let Some(hint) = seaorm_spelling(&have.ty, &want.ty) {
            out.note(NoteKind::Review, format!("{q}.{name}"), hint);
        }
        if matches!(cast, Cast::Unknown(_)) || matches!(back, Cast::Unknown(_)) {
            out.note(
                NoteKind::Review,
                format!("{q}.{name}"),
                format!(
                    "no known cast between {} and {}; the USING expression is a guess",
                    have.ty, want.ty
                ),
            );
        }
        let user_type = |t: &Type| match t {
            Type::Array { element } => matches!(**element, Type::Named { .. }),
            t => matches!(t, Type::Named { .. }),
        };
        let forward_needs_reset = cast.using().is_some() || user_type(&have.ty);
        let needs_reset = forward_needs_reset || back.using().is_some() || user_type(&want.ty);
        // A database default the entity does not manage cannot follow such a change (it is an
        // expression of the old type): it goes, and the inverse restores it.
        let default_unmanaged =
            !equivalent_serial && managed::desired_default(want, opts).is_none();
        if forward_needs_reset && default_unmanaged && have.default.is_some() {
            default_target = None;
            out.note(
                NoteKind::Review,
                format!("{q}.{name}"),
                format!(
                    "the database default {} cannot follow the change from {} to {}; it is \
                     dropped (declare a default on the field to keep one)",
                    have.default.as_deref().unwrap_or_default(),
                    have.ty,
                    want.ty
                ),
            );
        }
        if needs_reset && default_now.is_some() {
            out.changes.push(Change::AlterDefault {
                table: q.clone(),
                column: name.clone(),
                from: default_now.take(),
                to: None,
            });
        }
        out.changes.push(Change::AlterColumnType {
            table: q.clone(),
            column: name.clone(),
            from: have.ty.clone(),
            to: want.ty.clone(),
            using: cast.using(),
            reverse_using: back.using(),
            collation: have.collation.clone(),
        });
    }
    if !same_default(default_now.as_deref(), default_target.as_deref()) {
        let to_serial = default_target.as_deref().is_some_and(is_serial_default);
        if to_serial && !have.default.as_deref().is_some_and(is_serial_default) {
            out.note(
                NoteKind::Review,
                format!("{q}.{name}"),
                "a serial default needs its sequence: create it (CREATE SEQUENCE … OWNED BY) \
                 before this step",
            );
        }
        if have.generated.is_some() && default_target.is_some() {
            // Postgres refuses a default on a generated column: say so, plan nothing. (An
            // entity cannot declare the generation, so only the database side says it.)
            out.note(
                NoteKind::Review,
                format!("{q}.{name}"),
                "the entity declares a default on a generated column; Postgres refuses SET \
                 DEFAULT on it (remove the default or the generation expression)",
            );
        } else {
            out.changes.push(Change::AlterDefault {
                table: q.clone(),
                column: name.clone(),
                from: default_now,
                to: default_target,
            });
        }
    }
    // 5. Nullability.
    if want.nullable != have.nullable {
        let (table, column) = (q.clone(), name.clone());
        out.changes.push(if want.nullable {
            Change::DropNotNull { table, column }
        } else {
            Change::SetNotNull { table, column }
        });
    }
    // 6. A new or changed identity goes last (it needs NOT NULL and no default).
    if identity_changes && identity_target.is_some() {
        out.changes.push(Change::AlterIdentity {
            table: q.clone(),
            column: name.clone(),
            from: have.identity.clone(),
            to: identity_target,
        });
    }
    // Comments are managed only where the entity declares one.
    if let Some(comment) = managed::desired_comment(&want.comment)
        && have.comment.as_deref() != Some(comment)
    {
        out.changes.push(Change::SetColumnComment {
            table: q.clone(),
            column: name.clone(),
            from: have.comment.clone(),
            to: Some(comment.to_string()),
        });
    }
}

/// When the database's type is the sibling of what SeaORM maps the field's Rust type to (a
/// `String` field over `text`, `Json` over `jsonb`, `DateTime` over `timestamptz`), the usual
/// cause is an entity without `column_type`, not a wish to change the column: say how to keep it.
fn seaorm_spelling(have: &Type, want: &Type) -> Option<&'static str> {
    let tz = |t: &Type| match t {
        Type::Timestamp { with_time_zone, .. } => Some(*with_time_zone),
        _ => None,
    };
    match (have, want) {
        (Type::Text, Type::Varchar { length: None }) => Some(
            "SeaORM maps a String field to varchar; to keep the text column, declare \
             #[sea_orm(column_type = \"Text\")] on the field",
        ),
        (Type::Array { element: h }, Type::Array { element: w })
            if **h == Type::Text && **w == Type::Varchar { length: None } =>
        {
            Some(
                "SeaORM maps Vec<String> to varchar[]; to keep the text[] column, declare \
                 #[sea_orm(column_type = \"Array(RcOrArc::new(ColumnType::Text))\")] on the field",
            )
        }
        (Type::Jsonb, Type::Json) => Some(
            "SeaORM maps Json to json; to keep the jsonb column, declare \
             #[sea_orm(column_type = \"JsonBinary\")] on the field",
        ),
        _ => match (tz(have), tz(want)) {
            (Some(true), Some(false)) => Some(
                "DateTime (NaiveDateTime) is timestamp without time zone; to keep the \
                 timestamptz column, make the field DateTimeWithTimeZone or DateTimeUtc",
            ),
            (Some(false), Some(true)) => Some(
                "DateTimeWithTimeZone and DateTimeUtc are timestamptz; to keep the timestamp \
                 column, make the field DateTime (NaiveDateTime)",
            ),
            _ => None,
        },
    }
}

fn same_default(a: Option<&str>, b: Option<&str>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(x), Some(y)) => defaults_equal(x, y),
        _ => false,
    }
}

#[cfg(test)]
mod generated_tests {
    use autogen_schema::{Column, Schema, Table, Type};

    use crate::{Change, DiffOptions, NoteKind};

    fn with(default: Option<&str>) -> Schema {
        let mut t = Table::new("public", "t");
        let mut c = Column::new("total", Type::Integer);
        c.generated = Some("(a * 2)".into());
        c.default = default.map(str::to_string);
        t.columns.push(c);
        Schema {
            tables: vec![t],
            ..Schema::default()
        }
    }

    #[test]
    fn a_default_on_a_generated_column_is_a_review_note_not_a_failing_step() {
        let plan = crate::diff(&with(Some("0")), &with(None), &DiffOptions::default());
        assert!(plan.changes.is_empty(), "{:?}", plan.changes);
        assert!(
            plan.notes
                .iter()
                .any(|n| n.kind == NoteKind::Review && n.message.contains("refuses SET DEFAULT"))
        );
        // An entity cannot state the generation expression: its column is plain.
        let mut entity = with(Some("0"));
        entity.tables[0].columns[0].generated = None;
        let plan = crate::diff(&entity, &with(None), &DiffOptions::default());
        assert!(plan.changes.is_empty(), "{:?}", plan.changes);
        assert!(
            plan.notes
                .iter()
                .any(|n| n.kind == NoteKind::Review && n.message.contains("refuses SET DEFAULT"))
        );
        // Replay refuses it too, as Postgres does.
        let mut current = with(None);
        let set = Change::AlterDefault {
            table: current.tables[0].qualified_name(),
            column: "total".into(),
            from: None,
            to: Some("0".into()),
        };
        assert!(crate::apply::apply(&mut current, &set).is_err());
    }
}
