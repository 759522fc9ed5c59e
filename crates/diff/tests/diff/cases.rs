//! One case per change kind and per managed/unmanaged rule of the design brief: desired and
//! current models, and the plan the differ must produce (every plan is also proven by `check`).

use autogen_diff::{ColumnRename, DiffOptions, TableRename};
use autogen_schema::FkAction;
use expect_test::expect;

use crate::build::*;

fn lenient() -> DiffOptions {
    DiffOptions::default()
}

fn strict_names() -> DiffOptions {
    DiffOptions {
        strict_names: true,
        ..DiffOptions::default()
    }
}

fn blog() -> autogen_schema::Schema {
    schema(
        vec![
            table("users")
                .id()
                .req("email", "character varying")
                .unique_constraint("users_email_key", &["email"]),
            table("posts")
                .id()
                .req("title", "character varying")
                .req("status", "public.post_status")
                .req("author_id", "integer")
                .req("created_at", "timestamp with time zone")
                .default("CURRENT_TIMESTAMP")
                .index("idx-posts-title", &["title"])
                .fk("fk-posts-author_id", &["author_id"], "users", &["id"])
                .on_delete(FkAction::Cascade),
        ],
        vec![enum_type("post_status", &["draft", "published"])],
    )
}

#[test]
fn empty_database_to_blog() {
    check(
        &blog(),
        &schema(vec![], vec![]),
        &lenient(),
        expect![[r#"
          create enum public.post_status ('draft', 'published')
          create table public.users (2 columns)
          create table public.posts (5 columns)
          add foreign key fk-posts-author_id on public.posts (author_id) references public.users (id) on delete cascade
    "#]],
    );
}

#[test]
fn blog_to_empty_database() {
    check(
        &schema(vec![], vec![]),
        &blog(),
        &lenient(),
        expect![[r#"
            drop foreign key fk-posts-author_id on public.posts
            drop table public.posts  [destructive]
            drop table public.users  [destructive]
            drop enum public.post_status
        "#]],
    );
}

#[test]
fn in_sync_blog() {
    check(
        &blog(),
        &blog(),
        &strict_names(),
        expect![[r#"
        in sync
    "#]],
    );
}

#[test]
fn foreign_key_cycle() {
    let desired = schema(
        vec![
            table("a")
                .id()
                .col("b_id", "integer")
                .fk("fk-a-b_id", &["b_id"], "b", &["id"]),
            table("b")
                .id()
                .col("a_id", "integer")
                .fk("fk-b-a_id", &["a_id"], "a", &["id"]),
        ],
        vec![],
    );
    check(
        &desired,
        &schema(vec![], vec![]),
        &lenient(),
        expect![[r#"
          create table public.a (2 columns)
          create table public.b (2 columns)
          add foreign key fk-a-b_id on public.a (b_id) references public.b (id)
          add foreign key fk-b-a_id on public.b (a_id) references public.a (id)
    "#]],
    );
}

#[test]
fn add_and_drop_columns_with_rename_hint() {
    let desired = schema(
        vec![
            table("posts")
                .id()
                .col("body", "text")
                .col("headline", "character varying"),
        ],
        vec![],
    );
    let current = schema(
        vec![
            table("posts")
                .id()
                .col("body", "text")
                .col("title", "character varying"),
        ],
        vec![],
    );
    check(
        &desired,
        &current,
        &lenient(),
        expect![[r#"
            add column public.posts.headline (character varying)
            drop column public.posts.title  [destructive]
            note RenameHint public.posts.title: column title is dropped and headline added with the same definition; if it is a rename, write `#[sea_orm(renamed_from = "title")]` on the field or add `"posts.title" = "headline"` under [renames.columns] in autogen.toml
        "#]],
    );
}

#[test]
fn type_change_needing_using_with_a_default() {
    let desired = schema(
        vec![table("t").id().req("n", "integer").default("0")],
        vec![],
    );
    let current = schema(
        vec![
            table("t")
                .id()
                .req("n", "character varying")
                .default("'0'::character varying"),
        ],
        vec![],
    );
    check(
        &desired,
        &current,
        &lenient(),
        expect![[r#"
            drop default of public.t.n (was '0'::character varying)
            change type of public.t.n from character varying to integer using n::integer  [destructive]
            set default of public.t.n to 0
            note Hazard public.t.n: changing character varying to integer can lose data or fail on existing values
        "#]],
    );
}

#[test]
fn narrowing_is_destructive_widening_is_not() {
    let desired = schema(
        vec![
            table("t")
                .id()
                .col("name", "character varying(50)")
                .col("n", "bigint"),
        ],
        vec![],
    );
    let current = schema(
        vec![
            table("t")
                .id()
                .col("name", "character varying(255)")
                .col("n", "integer"),
        ],
        vec![],
    );
    check(
        &desired,
        &current,
        &lenient(),
        expect![[r#"
            change type of public.t.name from character varying(255) to character varying(50)  [destructive]
            change type of public.t.n from integer to bigint
            note Hazard public.t.name: changing character varying(255) to character varying(50) can lose data or fail on existing values
        "#]],
    );
}

#[test]
fn enum_value_added_at_its_position() {
    let desired = schema(
        vec![table("t").id().col("s", "public.mood")],
        vec![enum_type("mood", &["sad", "ok", "happy"])],
    );
    let current = schema(
        vec![table("t").id().col("s", "public.mood")],
        vec![enum_type("mood", &["sad", "happy"])],
    );
    check(
        &desired,
        &current,
        &lenient(),
        expect![[r#"
          add value 'ok' to enum public.mood after 'sad'
    "#]],
    );
}

#[test]
fn enum_value_removed_and_moved() {
    let desired = schema(
        vec![table("t").id().col("s", "public.mood")],
        vec![enum_type("mood", &["b", "a", "c"])],
    );
    let current = schema(
        vec![table("t").id().col("s", "public.mood")],
        vec![enum_type("mood", &["a", "b", "c", "d"])],
    );
    check(
        &desired,
        &current,
        &lenient(),
        expect![[r#"
            remove value 'a' from enum public.mood (recreates the type, converts 1 column)  [destructive]
            add value 'a' to enum public.mood after 'b'
            remove value 'd' from enum public.mood (recreates the type, converts 1 column)  [destructive]
        "#]],
    );
}

/// Postgres refuses to convert a column to the recreated type while an index predicate or a
/// CHECK compares it with a literal of the old type, or while a foreign key joins two columns
/// of it: they are dropped before the recreation and created again after it.
#[test]
fn enum_label_removed_around_what_is_in_the_way() {
    let tables = || {
        vec![
            table("t")
                .id()
                .req("s", "public.mood")
                .unique_constraint("t_s_key", &["s"])
                .partial_index("t_live", &["id"], "(s <> 'c'::mood)")
                .check("t_s_check", "(s <> 'b'::mood)"),
            table("u")
                .id()
                .col("s", "public.mood")
                .fk("u_s_fkey", &["s"], "t", &["s"]),
            table("plain").id().col("note", "text"),
        ]
    };
    let desired = schema(tables(), vec![enum_type("mood", &["a", "b", "c"])]);
    let current = schema(tables(), vec![enum_type("mood", &["a", "b", "c", "d"])]);
    check(
        &desired,
        &current,
        &lenient(),
        expect![[r#"
            remove value 'd' from enum public.mood (recreates the type, converts 2 columns; drops and restores foreign key u_s_fkey on public.u, check t_s_check on public.t, index t_live on public.t)  [destructive]
        "#]],
    );
}

/// A moved label: the objects go with the first removal and come back with the last re-add
/// (the restored predicate names the moved label, so the plan runs without a transaction).
#[test]
fn enum_label_moved_around_what_is_in_the_way() {
    let tables = || {
        vec![table("t").id().req("s", "public.mood").partial_index(
            "t_live",
            &["id"],
            "(s <> 'a'::mood)",
        )]
    };
    let desired = schema(tables(), vec![enum_type("mood", &["b", "a", "c"])]);
    let current = schema(tables(), vec![enum_type("mood", &["a", "b", "c"])]);
    check(
        &desired,
        &current,
        &lenient(),
        expect![[r#"
            remove value 'a' from enum public.mood (recreates the type, converts 1 column; drops index t_live on public.t until the label is back)  [destructive]
            add value 'a' to enum public.mood after 'b'; restores index t_live on public.t
            note Hazard public.mood: the moved label 'a' is named by an index or check the plan creates again once the label is back; Postgres refuses a new enum label inside the transaction that added it, so the migration runs without a transaction
        "#]],
    );
    let plan = autogen_diff::diff(&desired, &current, &lenient());
    let add = plan
        .changes
        .iter()
        .position(|c| matches!(c, autogen_diff::Change::AddEnumValue { .. }))
        .expect("an add");
    assert!(autogen_diff::hazards::label_used_before_commit(
        &plan.changes,
        add
    ));
}

/// What the plan cannot restore is a Review note, not a failing migration: an index naming
/// the removed label, a view reading a converted column.
#[test]
fn enum_label_removal_that_postgres_refuses_is_a_review_note() {
    let tables = || {
        vec![table("t").id().req("s", "public.mood").partial_index(
            "t_live",
            &["id"],
            "(s <> 'd'::mood)",
        )]
    };
    let desired = schema(tables(), vec![enum_type("mood", &["a", "b"])]);
    let current = schema(tables(), vec![enum_type("mood", &["a", "b", "d"])]);
    let plan = autogen_diff::diff(&desired, &current, &lenient());
    expect![[r#"
            remove value 'd' from enum public.mood (recreates the type, converts 1 column; drops and restores index t_live on public.t)  [destructive]
            note Review public.mood: `remove value 'd' from enum public.mood (recreates the type, converts 1 column; drops and restores index t_live on public.t)` may fail: enum public.mood: `add index t_live on public.t (id) where (s <> 'd'::mood)` names the removed label 'd': Postgres cannot create it again; change or drop it first
        "#]]
    .assert_eq(&render(&plan));
    let tables = || vec![table("t").id().req("s", "public.mood")];
    let desired = schema(tables(), vec![enum_type("mood", &["a", "b"])]);
    let mut current = schema(tables(), vec![enum_type("mood", &["a", "b", "d"])]);
    current.views.push(autogen_schema::View {
        schema: "public".into(),
        name: "live".into(),
        materialized: false,
        reads: vec![(
            autogen_schema::QualifiedName::new("public", "t"),
            "s".into(),
        )],
    });
    let plan = autogen_diff::diff(&desired, &current, &lenient());
    expect![[r#"
        remove value 'd' from enum public.mood (recreates the type, converts 1 column)  [destructive]
        note Review public.mood: `remove value 'd' from enum public.mood (recreates the type, converts 1 column)` may fail: column public.t.s: view public.live reads it, and Postgres cannot change the type of a column a view uses: drop the view before this migration and create it again after
    "#]]
    .assert_eq(&render(&plan));
}

#[test]
fn enum_column_to_text_and_unused_enum_dropped() {
    let desired = schema(vec![table("t").id().col("s", "text")], vec![]);
    let current = schema(
        vec![table("t").id().col("s", "public.mood")],
        vec![enum_type("mood", &["a"])],
    );
    check(
        &desired,
        &current,
        &lenient(),
        expect![[r#"
          change type of public.t.s from public.mood to text
          drop enum public.mood
    "#]],
    );
}

#[test]
fn enum_used_by_excluded_table_is_kept() {
    let desired = schema(vec![], vec![]);
    let current = schema(
        vec![table("legacy").id().col("s", "public.mood")],
        vec![enum_type("mood", &["a"])],
    );
    let opts = DiffOptions {
        exclude_tables: vec!["legacy".into()],
        ..DiffOptions::default()
    };
    check(
        &desired,
        &current,
        &opts,
        expect![[r#"
              note Unmanaged public.mood: enum public.mood is not declared by the entities but column public.legacy.s uses it; kept
        "#]],
    );
}

#[test]
fn renamed_from_renames_the_column() {
    let desired = schema(
        vec![
            table("posts")
                .id()
                .col("headline", "text")
                .renamed_from("title")
                .index("idx-posts-headline", &["headline"])
                .check("posts_headline_check", "(headline <> ''::text)"),
        ],
        vec![],
    );
    let current = schema(
        vec![
            table("posts")
                .id()
                .col("title", "text")
                .index("idx-posts-headline", &["title"])
                .check("posts_title_check", "(title <> ''::text)"),
        ],
        vec![],
    );
    check(
        &desired,
        &current,
        &lenient(),
        expect![[r#"
        rename column public.posts.title to headline
    "#]],
    );
}

#[test]
fn rename_options_for_tables_and_columns() {
    let desired = schema(
        vec![
            table("authors").id().col("full_name", "text"),
            table("posts").id().col("author_id", "integer").fk(
                "fk-posts-author_id",
                &["author_id"],
                "authors",
                &["id"],
            ),
        ],
        vec![],
    );
    let current = schema(
        vec![
            table("writers").id().col("name", "text"),
            table("posts").id().col("author_id", "integer").fk(
                "fk-posts-author_id",
                &["author_id"],
                "writers",
                &["id"],
            ),
        ],
        vec![],
    );
    let opts = DiffOptions {
        table_renames: vec![TableRename {
            from: "writers".into(),
            to: "authors".into(),
        }],
        column_renames: vec![ColumnRename {
            table: "authors".into(),
            from: "name".into(),
            to: "full_name".into(),
        }],
        ..DiffOptions::default()
    };
    check(
        &desired,
        &current,
        &opts,
        expect![[r#"
          rename table public.writers to authors
          rename column public.authors.name to full_name
    "#]],
    );
}

#[test]
fn table_renamed_from() {
    let desired = schema(
        vec![table("people").table_renamed_from("users").id()],
        vec![],
    );
    let current = schema(vec![table("users").id()], vec![]);
    check(
        &desired,
        &current,
        &lenient(),
        expect![[r#"
          rename table public.users to people
    "#]],
    );
}

#[test]
fn composite_unique_added() {
    let desired = schema(
        vec![
            table("post_tag")
                .id()
                .req("post_id", "integer")
                .req("tag_id", "integer")
                .unique_index("idx-post_tag-pair", &["post_id", "tag_id"]),
        ],
        vec![],
    );
    let current = schema(
        vec![
            table("post_tag")
                .id()
                .req("post_id", "integer")
                .req("tag_id", "integer"),
        ],
        vec![],
    );
    check(
        &desired,
        &current,
        &lenient(),
        expect![[r#"
            add unique index idx-post_tag-pair on public.post_tag (post_id, tag_id)
            note Hazard public.post_tag.idx-post_tag-pair: duplicate values make adding the unique index fail
        "#]],
    );
}

#[test]
fn partial_and_hand_named_composite_indexes_are_kept() {
    let desired = schema(
        vec![table("krate").id().col("name", "text").col("owner", "text")],
        vec![],
    );
    let current = schema(
        vec![
            table("krate")
                .id()
                .col("name", "text")
                .col("owner", "text")
                .index("idx_krate_name", &["name", "owner"])
                .partial_index("idx-krate-name", &["name"], "(owner IS NOT NULL)")
                .index("krate_owner_idx", &["owner"]),
        ],
        vec![],
    );
    check(
        &desired,
        &current,
        &lenient(),
        expect![[r#"
              note Unmanaged public.krate.idx-krate-name: index idx-krate-name is a kind of index entities cannot declare; kept
              note Unmanaged public.krate.idx_krate_name: index idx_krate_name is a kind of index entities cannot declare; kept
              note Unmanaged public.krate.krate_owner_idx: index krate_owner_idx is not named the way SeaORM names what entities declare; kept
        "#]],
    );
}

#[test]
fn undeclared_index_with_seaorm_name_is_dropped() {
    let desired = schema(vec![table("posts").id().col("title", "text")], vec![]);
    let current = schema(
        vec![
            table("posts")
                .id()
                .col("title", "text")
                .index("idx-posts-title", &["title"]),
        ],
        vec![],
    );
    check(
        &desired,
        &current,
        &lenient(),
        expect![[r#"
          drop index idx-posts-title on public.posts
    "#]],
    );
}

#[test]
fn unique_constraint_equals_unique_index() {
    let desired = schema(
        vec![
            table("users")
                .id()
                .col("email", "text")
                .unique_constraint("users_email_key", &["email"]),
        ],
        vec![],
    );
    let current = schema(
        vec![
            table("users")
                .id()
                .col("email", "text")
                .unique_index("users_email_key", &["email"]),
        ],
        vec![],
    );
    check(
        &desired,
        &current,
        &strict_names(),
        expect![[r#"
        in sync
    "#]],
    );
}

#[test]
fn name_only_index_difference_in_sync_by_default() {
    let desired = schema(
        vec![
            table("posts")
                .id()
                .col("title", "text")
                .index("idx-posts-title", &["title"]),
        ],
        vec![],
    );
    let current = schema(
        vec![
            table("posts")
                .id()
                .col("title", "text")
                .index("posts_title_idx", &["title"]),
        ],
        vec![],
    );
    check(
        &desired,
        &current,
        &lenient(),
        expect![[r#"
        in sync
    "#]],
    );
}

#[test]
fn name_only_index_difference_renamed_under_strict_names() {
    let desired = schema(
        vec![
            table("posts")
                .id()
                .col("title", "text")
                .index("idx-posts-title", &["title"]),
        ],
        vec![],
    );
    let current = schema(
        vec![
            table("posts")
                .id()
                .col("title", "text")
                .index("posts_title_idx", &["title"]),
        ],
        vec![],
    );
    check(
        &desired,
        &current,
        &strict_names(),
        expect![[r#"
          rename index posts_title_idx on public.posts to idx-posts-title
    "#]],
    );
}

#[test]
fn undeclared_database_default_is_kept_unless_strict() {
    let desired = schema(vec![table("t").id().req("n", "integer")], vec![]);
    let current = schema(
        vec![table("t").id().req("n", "integer").default("42")],
        vec![],
    );
    check(
        &desired,
        &current,
        &lenient(),
        expect![[r#"
        in sync
    "#]],
    );
    let strict = DiffOptions {
        strict_defaults: true,
        ..DiffOptions::default()
    };
    check(
        &desired,
        &current,
        &strict,
        expect![[r#"
          drop default of public.t.n (was 42)
    "#]],
    );
}

#[test]
fn declared_default_changes_and_equivalent_spellings() {
    let desired = schema(
        vec![
            table("t")
                .id()
                .req("n", "integer")
                .default("1")
                .req("at", "timestamp with time zone")
                .default("now()"),
        ],
        vec![],
    );
    let current = schema(
        vec![
            table("t")
                .id()
                .req("n", "integer")
                .default("0")
                .req("at", "timestamp with time zone")
                .default("CURRENT_TIMESTAMP"),
        ],
        vec![],
    );
    check(
        &desired,
        &current,
        &lenient(),
        expect![[r#"
          set default of public.t.n to 1 (was 0)
    "#]],
    );
}

#[test]
fn serial_equals_identity_unless_strict() {
    let desired = schema(vec![table("t").id()], vec![]);
    let current = schema(vec![table("t").serial_id()], vec![]);
    check(
        &desired,
        &current,
        &lenient(),
        expect![[r#"
        in sync
    "#]],
    );
    let strict = DiffOptions {
        strict_identity: true,
        ..DiffOptions::default()
    };
    check(
        &desired,
        &current,
        &strict,
        expect![[r#"
          drop default of public.t.id (was nextval('t_id_seq'::regclass))
          add identity to public.t.id (generated by default as identity)
    "#]],
    );
}

#[test]
fn identity_added_to_a_nullable_column() {
    let mut desired = schema(vec![table("t").id().req("n", "bigint")], vec![]);
    desired.tables[0].columns[1].identity = Some(identity());
    let current = schema(vec![table("t").id().col("n", "bigint")], vec![]);
    check(
        &desired,
        &current,
        &lenient(),
        expect![[r#"
            set not null on public.t.n  [destructive]
            add identity to public.t.n (generated by default as identity)
            note Hazard public.t.n: the entity field is not optional but the column is nullable: reading a NULL fails at run time, and SET NOT NULL fails while NULLs exist
        "#]],
    );
}

#[test]
fn nullability_both_ways() {
    let desired = schema(
        vec![table("t").id().req("a", "text").col("b", "text")],
        vec![],
    );
    let current = schema(
        vec![table("t").id().col("a", "text").req("b", "text")],
        vec![],
    );
    check(
        &desired,
        &current,
        &lenient(),
        expect![[r#"
            set not null on public.t.a  [destructive]
            drop not null on public.t.b
            note Hazard public.t.a: the entity field is not optional but the column is nullable: reading a NULL fails at run time, and SET NOT NULL fails while NULLs exist
        "#]],
    );
}

#[test]
fn belongs_to_without_database_foreign_key() {
    let desired = schema(
        vec![
            table("users").id(),
            table("posts").id().col("author_id", "integer").fk(
                "fk-posts-author_id",
                &["author_id"],
                "users",
                &["id"],
            ),
        ],
        vec![],
    );
    let current = schema(
        vec![
            table("users").id(),
            table("posts").id().col("author_id", "integer"),
        ],
        vec![],
    );
    check(
        &desired,
        &current,
        &lenient(),
        expect![[r#"
            add foreign key fk-posts-author_id on public.posts (author_id) references public.users (id)
            note Hazard public.posts.fk-posts-author_id: rows of public.posts without a matching row in public.users make adding the foreign key fail
        "#]],
    );
}

#[test]
fn a_stated_foreign_key_action_that_differs_is_one_changed_foreign_key() {
    let base = |action, fk_name: &str| {
        schema(
            vec![
                table("users").id(),
                table("posts")
                    .id()
                    .col("author_id", "integer")
                    .fk(fk_name, &["author_id"], "users", &["id"])
                    .on_delete(action),
            ],
            vec![],
        )
    };
    check(
        &base(FkAction::Cascade, "fk-posts-author_id"),
        &base(FkAction::NoAction, "posts_author_id_fkey"),
        &lenient(),
        expect![[r#"
            change foreign key posts_author_id_fkey on public.posts: ON DELETE NO ACTION → CASCADE
        "#]],
    );
    // With strict names the new definition gets the entity's name in the same change.
    check(
        &base(FkAction::Cascade, "fk-posts-author_id"),
        &base(FkAction::NoAction, "posts_author_id_fkey"),
        &strict_names(),
        expect![[r#"
            change foreign key posts_author_id_fkey on public.posts: ON DELETE NO ACTION → CASCADE (named fk-posts-author_id)
        "#]],
    );
    let plan = autogen_diff::diff(
        &base(FkAction::NoAction, "fk-posts-author_id"),
        &base(FkAction::Cascade, "fk-posts-author_id"),
        &lenient(),
    );
    expect![[r#"
        change foreign key fk-posts-author_id on public.posts: ON DELETE NO ACTION → CASCADE
    "#]]
    .assert_eq(&render(&plan.inverse()));
}

#[test]
fn a_foreign_key_action_the_relation_does_not_state_is_not_compared() {
    let desired = schema(
        vec![
            table("users").id(),
            table("posts")
                .id()
                .col("author_id", "integer")
                .fk("fk-posts-author_id", &["author_id"], "users", &["id"])
                .actions_unstated(),
        ],
        vec![],
    );
    let current = schema(
        vec![
            table("users").id(),
            table("posts")
                .id()
                .col("author_id", "integer")
                .fk("fk-posts-author_id", &["author_id"], "users", &["id"])
                .on_delete(FkAction::Cascade),
        ],
        vec![],
    );
    check(&desired, &current, &lenient(), expect![["in sync\n"]]);
    // strict_fk_actions: unstated means what SeaORM gives a new foreign key (NO ACTION).
    check(
        &desired,
        &current,
        &DiffOptions {
            strict_fk_actions: true,
            ..DiffOptions::default()
        },
        expect![[r#"
            change foreign key fk-posts-author_id on public.posts: ON DELETE CASCADE → NO ACTION
        "#]],
    );
}

#[test]
fn hand_named_foreign_key_is_unmanaged() {
    let desired = schema(
        vec![
            table("users").id(),
            table("posts").id().col("author_id", "integer"),
        ],
        vec![],
    );
    let current = schema(
        vec![
            table("users").id(),
            table("posts").id().col("author_id", "integer").fk(
                "posts_author_id_fkey",
                &["author_id"],
                "users",
                &["id"],
            ),
        ],
        vec![],
    );
    check(
        &desired,
        &current,
        &lenient(),
        expect![[r#"
              note Unmanaged public.posts.posts_author_id_fkey: foreign key posts_author_id_fkey is not declared by the entities and not named the way SeaORM names what they declare; kept
        "#]],
    );
    check(
        &desired,
        &current,
        &strict_names(),
        expect![[r#"
          drop foreign key posts_author_id_fkey on public.posts
    "#]],
    );
}

#[test]
fn primary_key_change() {
    let desired = schema(
        vec![
            table("t")
                .req("a", "integer")
                .req("b", "integer")
                .pk("pk-t", &["a", "b"]),
        ],
        vec![],
    );
    let current = schema(
        vec![
            table("t")
                .req("a", "integer")
                .req("b", "integer")
                .pk("t_pkey", &["a"]),
        ],
        vec![],
    );
    check(
        &desired,
        &current,
        &lenient(),
        expect![[r#"
            drop primary key t_pkey on public.t
            add primary key pk-t on public.t (a, b)
            note Hazard public.t.pk-t: duplicate or NULL values make adding the primary key fail
        "#]],
    );
}

#[test]
fn primary_key_column_order_is_not_compared() {
    let t = |cols: &[&str]| {
        schema(
            vec![
                table("t")
                    .req("a", "integer")
                    .req("b", "integer")
                    .req("c", "integer")
                    .pk("t_pkey", cols),
            ],
            vec![],
        )
    };
    check(
        &t(&["a", "c", "b"]),
        &t(&["a", "b", "c"]),
        &lenient(),
        expect![[r#"
        in sync
    "#]],
    );
    check(
        &t(&["a", "b"]),
        &t(&["a", "b", "c"]),
        &lenient(),
        expect![[r#"
            drop primary key t_pkey on public.t
            add primary key t_pkey on public.t (a, b)
            note Hazard public.t.t_pkey: duplicate or NULL values make adding the primary key fail
        "#]],
    );
}

#[test]
fn primary_key_change_rebuilds_foreign_keys_into_it() {
    let desired = schema(
        vec![
            table("users")
                .req("id", "integer")
                .req("tenant", "integer")
                .pk("pk-users", &["id", "tenant"])
                .unique_index("idx-users-id", &["id"]),
            table("posts").id().col("author_id", "integer").fk(
                "fk-posts-author_id",
                &["author_id"],
                "users",
                &["id"],
            ),
        ],
        vec![],
    );
    let current = schema(
        vec![
            table("users")
                .req("id", "integer")
                .req("tenant", "integer")
                .pk("users_pkey", &["id"]),
            table("posts").id().col("author_id", "integer").fk(
                "fk-posts-author_id",
                &["author_id"],
                "users",
                &["id"],
            ),
        ],
        vec![],
    );
    check(
        &desired,
        &current,
        &lenient(),
        expect![[r#"
            drop foreign key fk-posts-author_id on public.posts
            drop primary key users_pkey on public.users
            add primary key pk-users on public.users (id, tenant)
            add unique index idx-users-id on public.users (id)
            add foreign key fk-posts-author_id on public.posts (author_id) references public.users (id)
            note Hazard public.users.idx-users-id: duplicate values make adding the unique index fail
            note Hazard public.users.pk-users: duplicate or NULL values make adding the primary key fail
        "#]],
    );
}

#[test]
fn comments_only_where_declared() {
    let desired = schema(
        vec![
            table("t")
                .table_comment("things")
                .id()
                .col("a", "text")
                .comment("the a")
                .col("b", "text"),
        ],
        vec![],
    );
    let mut current = schema(
        vec![
            table("t")
                .id()
                .col("a", "text")
                .col("b", "text")
                .comment("kept"),
        ],
        vec![],
    );
    current.tables[0].comment = None;
    check(
        &desired,
        &current,
        &lenient(),
        expect![[r#"
          set comment on column public.t.a to 'the a'
          set comment on table public.t to 'things'
    "#]],
    );
}

#[test]
fn dropped_table_referenced_by_a_kept_table() {
    let desired = schema(
        vec![table("posts").id().col("author_id", "integer")],
        vec![],
    );
    let current = schema(
        vec![
            table("users").id(),
            table("posts").id().col("author_id", "integer").fk(
                "posts_author_id_fkey",
                &["author_id"],
                "users",
                &["id"],
            ),
        ],
        vec![],
    );
    check(
        &desired,
        &current,
        &lenient(),
        expect![[r#"
            drop foreign key posts_author_id_fkey on public.posts
            drop table public.users  [destructive]
        "#]],
    );
}

#[test]
fn excluded_tables_are_left_alone() {
    let desired = schema(vec![table("posts").id()], vec![]);
    let current = schema(
        vec![
            table("posts").id(),
            table("spatial_ref_sys").col("srid", "integer"),
            table("audit").id(),
        ],
        vec![],
    );
    let opts = DiffOptions {
        exclude_tables: vec!["public.spatial_ref_sys".into()],
        ..DiffOptions::default()
    };
    check(
        &desired,
        &current,
        &opts,
        expect![[r#"
            drop table public.audit  [destructive]
        "#]],
    );
}

#[test]
fn checks_from_extra_and_database_only_checks() {
    let desired = schema(
        vec![
            table("t")
                .id()
                .col("price", "integer")
                .check("t_price_check", "(price > 0)"),
        ],
        vec![],
    );
    let current = schema(
        vec![
            table("t")
                .id()
                .col("price", "integer")
                .check("price_positive", "(price >= 0)"),
        ],
        vec![],
    );
    check(
        &desired,
        &current,
        &lenient(),
        expect![[r#"
            add check t_price_check on public.t ((price > 0))
            note Unmanaged public.t.price_positive: check price_positive is not declared by the entities or the extras file; kept
        "#]],
    );
}

#[test]
fn dropping_a_column_drops_what_uses_it_first() {
    let desired = schema(vec![table("t").id().col("keep", "text")], vec![]);
    let current = schema(
        vec![
            table("t")
                .id()
                .col("keep", "text")
                .col("gone", "integer")
                .partial_index("t_gone_partial", &["keep"], "(gone > 0)")
                .check("gone_positive", "(gone > 0)"),
        ],
        vec![],
    );
    check(
        &desired,
        &current,
        &lenient(),
        expect![[r#"
            drop check gone_positive on public.t
            drop index t_gone_partial on public.t
            drop column public.t.gone  [destructive]
        "#]],
    );
}

#[test]
fn bookkeeping_table_is_never_dropped() {
    let desired = schema(vec![], vec![]);
    let current = schema(
        vec![
            table("seaql_migrations")
                .req("version", "character varying")
                .pk("seaql_migrations_pkey", &["version"]),
        ],
        vec![],
    );
    check(
        &desired,
        &current,
        &lenient(),
        expect![[r#"
        in sync
    "#]],
    );
}

#[test]
fn dropped_and_created_table_with_same_columns_hints_a_rename() {
    let desired = schema(vec![table("people").id().col("name", "text")], vec![]);
    let current = schema(vec![table("users").id().col("name", "text")], vec![]);
    check(
        &desired,
        &current,
        &lenient(),
        expect![[r#"
        create table public.people (2 columns)
        drop table public.users  [destructive]
        note RenameHint public.users: table public.users is dropped and public.people created with the same columns; if it is a rename, add `"users" = "people"` under [renames.tables] in autogen.toml
    "#]],
    );
}

#[test]
fn new_enum_label_used_by_a_default_in_the_same_plan() {
    let desired = schema(
        vec![
            table("posts")
                .id()
                .req("status", "public.post_status")
                .default("'archived'::public.post_status"),
        ],
        vec![enum_type("post_status", &["draft", "archived"])],
    );
    let current = schema(
        vec![
            table("posts")
                .id()
                .req("status", "public.post_status")
                .default("'draft'::public.post_status"),
        ],
        vec![enum_type("post_status", &["draft"])],
    );
    check(
        &desired,
        &current,
        &lenient(),
        expect![[r#"
            add value 'archived' to enum public.post_status after 'draft'
            set default of public.posts.status to 'archived'::public.post_status (was 'draft'::public.post_status)
            note Hazard public.post_status: the new label 'archived' is used by a default in the same migration; Postgres refuses a new enum label inside the transaction that added it: split the migration or run it without a transaction
        "#]],
    );
}

#[test]
fn undeclared_default_cannot_follow_a_type_change_needing_using() {
    let desired = schema(
        vec![
            table("t").id().col("n", "integer"),
            table("u").id().col("s", "text"),
        ],
        vec![],
    );
    let current = schema(
        vec![
            table("t")
                .id()
                .col("n", "character varying")
                .default("'1'::character varying"),
            table("u").id().col("s", "integer").default("0"),
        ],
        vec![],
    );
    check(
        &desired,
        &current,
        &lenient(),
        expect![[r#"
            drop default of public.t.n (was '1'::character varying)
            change type of public.t.n from character varying to integer using n::integer  [destructive]
            drop default of public.u.s (was 0)
            change type of public.u.s from integer to text
            set default of public.u.s to 0
            note Hazard public.t.n: changing character varying to integer can lose data or fail on existing values
            note Review public.t.n: the database default '1'::character varying cannot follow the change from character varying to integer; it is dropped (declare a default on the field to keep one)
        "#]],
    );
}

#[test]
fn undeclared_table_an_excluded_table_references_is_kept() {
    let desired = schema(vec![table("posts").id()], vec![]);
    let current = schema(
        vec![
            table("posts").id(),
            table("users").id().col("legacy_code", "text"),
            table("legacy").id().col("user_id", "integer").fk(
                "legacy_user_id_fkey",
                &["user_id"],
                "users",
                &["id"],
            ),
        ],
        vec![],
    );
    let opts = DiffOptions {
        exclude_tables: vec!["legacy".into()],
        ..DiffOptions::default()
    };
    check(
        &desired,
        &current,
        &opts,
        expect![[r#"
        note Review public.users: table public.users is not declared by the entities but an excluded table depends on it through foreign keys; kept (exclude it too, or declare it)
    "#]],
    );
}

#[test]
fn foreign_key_into_a_schema_that_is_not_compared() {
    let mut posts = table("posts").id().col("user_id", "uuid").fk(
        "fk-posts-user_id",
        &["user_id"],
        "users",
        &["id"],
    );
    posts.0.foreign_keys[0].ref_schema = "auth".into();
    let desired = schema(vec![posts], vec![]);
    let current = schema(vec![table("posts").id().col("user_id", "uuid")], vec![]);
    let opts = DiffOptions {
        schemas: vec!["public".into()],
        ..DiffOptions::default()
    };
    check(
        &desired,
        &current,
        &opts,
        expect![[r#"
        add foreign key fk-posts-user_id on public.posts (user_id) references auth.users (id)
        note Hazard public.posts.fk-posts-user_id: rows of public.posts without a matching row in auth.users make adding the foreign key fail
    "#]],
    );
}

#[test]
fn enum_column_with_a_default_to_text_then_enum_dropped() {
    let desired = schema(
        vec![
            table("t")
                .id()
                .req("a", "text")
                .default("'x'::text")
                .req("b", "text"),
        ],
        vec![],
    );
    let current = schema(
        vec![
            table("t")
                .id()
                .req("a", "public.mood")
                .default("'x'::public.mood")
                .req("b", "public.mood")
                .default("'x'::public.mood"),
        ],
        vec![enum_type("mood", &["x"])],
    );
    check(
        &desired,
        &current,
        &lenient(),
        expect![[r#"
        drop default of public.t.a (was 'x'::public.mood)
        change type of public.t.a from public.mood to text
        set default of public.t.a to 'x'::text
        drop default of public.t.b (was 'x'::public.mood)
        change type of public.t.b from public.mood to text
        drop enum public.mood
        note Review public.t.b: the database default 'x'::public.mood cannot follow the change from public.mood to text; it is dropped (declare a default on the field to keep one)
    "#]],
    );
}

#[test]
fn identity_to_serial_under_strict_identity_needs_review() {
    let desired = schema(vec![table("t").serial_id()], vec![]);
    let current = schema(vec![table("t").id()], vec![]);
    let strict = DiffOptions {
        strict_identity: true,
        ..DiffOptions::default()
    };
    check(
        &desired,
        &current,
        &strict,
        expect![[r#"
        drop identity from public.t.id
        set default of public.t.id to nextval('t_id_seq'::regclass)
        note Review public.t.id: a serial default needs its sequence: create it (CREATE SEQUENCE … OWNED BY) before this step
    "#]],
    );
}

#[test]
fn a_length_or_precision_the_entity_leaves_unstated_is_drift_only_under_strict_types() {
    // A hand-written entity: `String`, `Decimal`, `DateTimeWithTimeZone` without column_type,
    // over an old database's varchar(255), numeric(10,2) and timestamptz(3).
    let desired = schema(
        vec![
            table("t")
                .id()
                .req("email", "character varying")
                .req("price", "numeric")
                .req("at", "timestamp with time zone")
                .req("limited", "character varying(40)"),
        ],
        vec![],
    );
    let current = schema(
        vec![
            table("t")
                .id()
                .req("email", "character varying(255)")
                .req("price", "numeric(10,2)")
                .req("at", "timestamp(3) with time zone")
                .req("limited", "character varying"),
        ],
        vec![],
    );
    check(
        &desired,
        &current,
        &lenient(),
        expect![[r#"
            change type of public.t.limited from character varying to character varying(40)  [destructive]
            note Hazard public.t.limited: changing character varying to character varying(40) can lose data or fail on existing values
        "#]],
    );
    let strict = DiffOptions {
        strict_types: true,
        ..DiffOptions::default()
    };
    check(
        &desired,
        &current,
        &strict,
        expect![[r#"
            change type of public.t.email from character varying(255) to character varying
            change type of public.t.price from numeric(10,2) to numeric
            change type of public.t.at from timestamp(3) with time zone to timestamp with time zone
            change type of public.t.limited from character varying to character varying(40)  [destructive]
            note Hazard public.t.limited: changing character varying to character varying(40) can lose data or fail on existing values
        "#]],
    );
}

#[test]
fn a_rust_type_without_column_type_is_in_sync_with_its_family() {
    use autogen_schema::TypeFamily;
    // `String`, `Option<String>`, `Json`, `Decimal`, `Vec<String>` without column_type over the
    // types a hand-written migration chose; `title` is a `String` over an integer column.
    let desired = schema(
        vec![
            table("t")
                .id()
                .req("name", "character varying")
                .rust(TypeFamily::Text)
                .col("details", "character varying")
                .rust(TypeFamily::Text)
                .req("data", "json")
                .rust(TypeFamily::Json)
                .req("price", "numeric")
                .rust(TypeFamily::Numeric)
                .req("tags", "character varying[]")
                .rust(TypeFamily::Array(Box::new(TypeFamily::Text)))
                .req("title", "character varying")
                .rust(TypeFamily::Text),
        ],
        vec![],
    );
    let current = schema(
        vec![
            table("t")
                .id()
                .req("name", "character varying(40)")
                .col("details", "text")
                .req("data", "jsonb")
                .req("price", "numeric(12,4)")
                .req("tags", "text[]")
                .req("title", "integer"),
        ],
        vec![],
    );
    check(
        &desired,
        &current,
        &lenient(),
        expect![[r#"
            change type of public.t.title from integer to character varying
        "#]],
    );
    let strict = DiffOptions {
        strict_types: true,
        ..DiffOptions::default()
    };
    check(
        &desired,
        &current,
        &strict,
        expect![[r#"
            change type of public.t.name from character varying(40) to character varying
            change type of public.t.details from text to character varying
            change type of public.t.data from jsonb to json
            change type of public.t.price from numeric(12,4) to numeric
            change type of public.t.tags from text[] to character varying[]
            change type of public.t.title from integer to character varying
            note Review public.t.data: SeaORM maps Json to json; to keep the jsonb column, declare #[sea_orm(column_type = "JsonBinary")] on the field
            note Review public.t.details: SeaORM maps a String field to varchar; to keep the text column, declare #[sea_orm(column_type = "Text")] on the field
            note Review public.t.tags: SeaORM maps Vec<String> to varchar[]; to keep the text[] column, declare #[sea_orm(column_type = "Array(RcOrArc::new(ColumnType::Text))")] on the field
        "#]],
    );
}

#[test]
fn a_stated_column_type_is_compared_exactly() {
    // `column_type = "JsonBinary"` over json and `column_type = "Text"` over varchar(40).
    let desired = schema(
        vec![table("t").id().req("data", "jsonb").req("name", "text")],
        vec![],
    );
    let current = schema(
        vec![
            table("t")
                .id()
                .req("data", "json")
                .req("name", "character varying(40)"),
        ],
        vec![],
    );
    check(
        &desired,
        &current,
        &lenient(),
        expect![[r#"
        change type of public.t.data from json to jsonb
        change type of public.t.name from character varying(40) to text
    "#]],
    );
}

#[test]
fn an_unresolved_type_is_not_compared_but_the_rest_of_the_column_is() {
    let desired = schema(
        vec![
            table("t")
                .id()
                .req("owner", "integer")
                .unresolved("UserId")
                .col("amount", "integer")
                .unresolved("Money"),
        ],
        vec![],
    );
    let current = schema(
        vec![
            table("t")
                .id()
                .req("owner", "uuid")
                .req("amount", "numeric(12,2)"),
        ],
        vec![],
    );
    check(
        &desired,
        &current,
        &lenient(),
        expect![[r#"
        drop not null on public.t.amount
    "#]],
    );
}

#[test]
fn an_entity_over_a_view_is_not_compared_nor_created() {
    // A read-only entity over the view `published_posts`, and a belongs_to into it.
    let desired = schema(
        vec![
            table("published_posts").id().col("title", "text"),
            table("likes").id().req("post_id", "integer").fk(
                "fk-likes-post_id",
                &["post_id"],
                "published_posts",
                &["id"],
            ),
        ],
        vec![],
    );
    let mut current = schema(vec![table("likes").id().req("post_id", "integer")], vec![]);
    current.views.push(autogen_schema::View {
        schema: "public".into(),
        name: "published_posts".into(),
        materialized: false,
        reads: Vec::new(),
    });
    check(
        &desired,
        &current,
        &lenient(),
        expect![[r#"
            note Unmanaged public.published_posts: the entity for public.published_posts maps to a view in the database; autogen compares tables only, so it is not compared
        "#]],
    );
}

#[test]
fn identity_always_or_with_options_is_in_sync_with_seaorm_auto_increment_unless_strict() {
    let desired = schema(vec![table("t").id(), table("u").id()], vec![]);
    let mut current = schema(vec![table("t").id(), table("u").id()], vec![]);
    for t in &mut current.tables {
        let id = t
            .columns
            .iter_mut()
            .find(|c| c.name == "id")
            .expect("an id");
        let identity = id.identity.as_mut().expect("an identity");
        if t.name == "t" {
            identity.generation = autogen_schema::IdentityGeneration::Always;
        } else {
            identity.options.start = Some(1000);
        }
    }
    check(
        &desired,
        &current,
        &lenient(),
        expect![[r#"
            in sync
        "#]],
    );
    let strict = DiffOptions {
        strict_identity: true,
        ..DiffOptions::default()
    };
    check(
        &desired,
        &current,
        &strict,
        expect![[r#"
            change identity of public.t.id to generated by default as identity
            change identity of public.u.id to generated by default as identity
        "#]],
    );
}

#[test]
fn a_sibling_type_says_which_column_type_keeps_the_column() {
    // Hand-written entities without column_type over text, jsonb, timestamptz and text[].
    let desired = schema(
        vec![
            table("t")
                .id()
                .col("bio", "character varying")
                .col("settings", "json")
                .col("at", "timestamp without time zone")
                .col("tags", "character varying[]")
                .col("n", "bigint"),
        ],
        vec![],
    );
    let current = schema(
        vec![
            table("t")
                .id()
                .col("bio", "text")
                .col("settings", "jsonb")
                .col("at", "timestamp with time zone")
                .col("tags", "text[]")
                .col("n", "integer"),
        ],
        vec![],
    );
    check(
        &desired,
        &current,
        &lenient(),
        expect![[r#"
            change type of public.t.bio from text to character varying
            change type of public.t.settings from jsonb to json
            change type of public.t.at from timestamp with time zone to timestamp without time zone
            change type of public.t.tags from text[] to character varying[]
            change type of public.t.n from integer to bigint
            note Review public.t.at: DateTime (NaiveDateTime) is timestamp without time zone; to keep the timestamptz column, make the field DateTimeWithTimeZone or DateTimeUtc
            note Review public.t.bio: SeaORM maps a String field to varchar; to keep the text column, declare #[sea_orm(column_type = "Text")] on the field
            note Review public.t.settings: SeaORM maps Json to json; to keep the jsonb column, declare #[sea_orm(column_type = "JsonBinary")] on the field
            note Review public.t.tags: SeaORM maps Vec<String> to varchar[]; to keep the text[] column, declare #[sea_orm(column_type = "Array(RcOrArc::new(ColumnType::Text))")] on the field
        "#]],
    );
}

/// Found by the random round trips: both columns of a foreign key change type (an enum to
/// `text` on both sides). After the first change the two sides no longer match and Postgres
/// refuses it, so the foreign key is dropped first and added again after both.
#[test]
fn foreign_key_over_two_retyped_columns_is_rebuilt() {
    let base = |ty: &str| {
        schema(
            vec![
                table("codes").req("code", ty).pk("codes_pkey", &["code"]),
                table("uses")
                    .req("code", ty)
                    .fk("uses_code_fkey", &["code"], "codes", &["code"]),
            ],
            vec![enum_type("mood", &["a"])],
        )
    };
    let mut desired = base("text");
    desired.enums.clear();
    check(
        &desired,
        &base("public.mood"),
        &lenient(),
        expect![[r#"
            drop foreign key uses_code_fkey on public.uses
            change type of public.codes.code from public.mood to text
            change type of public.uses.code from public.mood to text
            add foreign key uses_code_fkey on public.uses (code) references public.codes (code)
            drop enum public.mood
        "#]],
    );
}
