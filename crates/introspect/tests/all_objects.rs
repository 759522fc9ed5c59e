//! The all-objects fixture (`fixtures/introspect/all_objects.sql`) introspected: every element
//! of the model asserted one by one, plus a snapshot of its `render::text` form.

mod common;

use autogen_introspect::{
    Options, introspect, introspect_client, introspect_matching, introspect_matching_shared,
};
use autogen_schema::{
    Column, FkAction, IdentityGeneration, Index, KeyPart, MatchType, Schema, SequenceOptions,
    Table, Type, render,
};
use expect_test::expect;

async fn fixture() -> Schema {
    let (db, client) = common::database_with(common::ALL_OBJECTS).await;
    let opts = Options {
        schemas: vec!["public".into(), "Other Schema".into()],
        ..Options::default()
    };
    let (schema, _) = introspect_client(&client, &opts)
        .await
        .expect("introspect the fixture");
    // Through a URL the result is the same.
    assert_eq!(
        introspect(db.url(), &opts)
            .await
            .expect("introspect by URL"),
        schema
    );
    shared_read_is_the_same(&db, &client, &opts, &schema).await;
    schema
}

/// Read over two connections in one exported snapshot, the model is the one connection's; a
/// helper that cannot join the snapshot (it is inside a transaction that already ran a query)
/// leaves the first connection to read alone, with the same result.
async fn shared_read_is_the_same(
    db: &autogen_pgtemp::TestDb,
    client: &tokio_postgres::Client,
    opts: &Options,
    alone: &Schema,
) {
    let one = introspect_matching(client, opts, &[]).await.expect("one");
    let helper = db.connect().await.expect("helper connection");
    let two = introspect_matching_shared(client, Some(&helper), opts, &[])
        .await
        .expect("shared read");
    assert_eq!(&two.schema, alone);
    // Joined: the snapshot's export and import, and the helper's ROLLBACK.
    assert_eq!(two.stats.queries, one.stats.queries + 3);
    // The helper is usable again afterwards (its transaction ended).
    helper.batch_execute("SELECT 1").await.expect("helper idle");

    helper
        .batch_execute("BEGIN; SELECT 1")
        .await
        .expect("busy helper");
    let fallback = introspect_matching_shared(client, Some(&helper), opts, &[])
        .await
        .expect("read without the helper");
    assert_eq!(&fallback.schema, alone);
    // The export and the failed import were tried; the helper then took no query.
    assert_eq!(fallback.stats.queries, one.stats.queries + 2);
    helper.batch_execute("SELECT 1").await.expect("helper idle");
}

#[track_caller]
fn table<'s>(s: &'s Schema, schema: &str, name: &str) -> &'s Table {
    s.table(schema, name)
        .unwrap_or_else(|| panic!("table {schema}.{name} missing"))
}

#[track_caller]
fn column<'t>(t: &'t Table, name: &str) -> &'t Column {
    t.column(name)
        .unwrap_or_else(|| panic!("column {}.{name} missing", t.name))
}

#[track_caller]
fn index<'t>(t: &'t Table, name: &str) -> &'t Index {
    t.index(name)
        .unwrap_or_else(|| panic!("index {name} missing on {}", t.name))
}

#[tokio::test]
async fn every_fixture_object_is_read_correctly() {
    let s = fixture().await;

    // Tables: partitions, the bookkeeping table and extension members are not tables.
    let names: Vec<String> = s
        .tables
        .iter()
        .map(|t| t.qualified_name().to_string())
        .collect();
    assert_eq!(
        names,
        [
            "Other Schema.users",
            "public.Order",
            "public.categories",
            "public.events",
            "public.order_lines",
            "public.players",
            "public.shipments",
            "public.teams",
            "public.users",
        ]
    );
    let views: Vec<(String, bool)> = s
        .views
        .iter()
        .map(|v| (v.name.clone(), v.materialized))
        .collect();
    assert_eq!(
        views,
        [
            ("active_users".to_string(), false),
            ("order_totals".to_string(), true)
        ]
    );
    // The columns each view's query reads (WHERE included): Postgres refuses to retype them.
    let reads: Vec<Vec<String>> = s
        .views
        .iter()
        .map(|v| v.reads.iter().map(|(t, c)| format!("{t}.{c}")).collect())
        .collect();
    assert_eq!(
        reads,
        [
            vec![
                "public.users.deleted_at",
                "public.users.email",
                "public.users.id"
            ],
            vec!["public.Order.Total Amount", "public.Order.user"],
        ]
    );

    // Quoted, mixed-case, reserved identifiers and names with spaces; numeric(p,s); serial.
    let order = table(&s, "public", "Order");
    let cols: Vec<&str> = order.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(cols, ["Id", "select", "Total Amount", "user", "note"]);
    let total = column(order, "Total Amount");
    assert_eq!(
        total.ty,
        Type::Numeric {
            precision: Some(12),
            scale: Some(2)
        }
    );
    assert_eq!(total.ty.to_sql(), "numeric(12,2)");
    assert!(!total.nullable);
    assert_eq!(column(order, "note").ty, Type::Char { length: Some(3) });
    let id = column(order, "Id")
        .identity
        .as_ref()
        .expect("Order.Id is an identity");
    assert_eq!(id.generation, IdentityGeneration::Always);
    assert_eq!(
        id.options,
        SequenceOptions {
            start: Some(100),
            increment: Some(5),
            ..Default::default()
        }
    );
    let serial = column(order, "select");
    assert!(serial.identity.is_none());
    assert_eq!(
        serial.default.as_deref(),
        Some("nextval('\"Order_select_seq\"'::regclass)")
    );
    assert!(autogen_schema::equality::is_auto_increment(serial));

    // Built-in types, arrays, enums, enum arrays, a domain, an extension type, collation,
    // defaults, a generated column, comments.
    let users = table(&s, "public", "users");
    assert_eq!(users.comment.as_deref(), Some("People who sign in"));
    let uid = column(users, "id")
        .identity
        .as_ref()
        .expect("users.id is an identity");
    assert_eq!(uid.generation, IdentityGeneration::ByDefault);
    assert!(uid.options.is_default());
    let email = column(users, "email");
    assert_eq!(email.ty, Type::Varchar { length: Some(255) });
    assert!(!email.nullable);
    assert_eq!(email.comment.as_deref(), Some("Login e-mail, unique"));
    assert_eq!(column(users, "name").collation.as_deref(), Some("C"));
    assert_eq!(column(users, "email").collation, None);
    assert_eq!(column(users, "score").default.as_deref(), Some("0"));
    let created = column(users, "created_at");
    assert_eq!(
        created.ty,
        Type::Timestamp {
            precision: Some(3),
            with_time_zone: false
        }
    );
    assert_eq!(created.default.as_deref(), Some("now()"));
    assert_eq!(
        column(users, "seen_at").ty,
        Type::Timestamp {
            precision: None,
            with_time_zone: true
        }
    );
    let tags = column(users, "tags");
    assert_eq!(tags.ty, Type::array(Type::Text));
    assert_eq!(tags.default.as_deref(), Some("'{}'::text[]"));
    assert_eq!(
        column(users, "moods").ty,
        Type::array(Type::named("public", "mood"))
    );
    let mood = column(users, "current_mood");
    assert_eq!(mood.ty, Type::named("public", "mood"));
    assert_eq!(mood.default.as_deref(), Some("'ok'::mood"));
    assert_eq!(
        column(users, "priority").ty,
        Type::named("Other Schema", "Priority")
    );
    assert_eq!(
        column(users, "visits").ty,
        Type::named("public", "positive_int")
    );
    assert_eq!(column(users, "profile").ty, Type::Jsonb);
    assert_eq!(
        column(users, "nickname").ty,
        Type::Other {
            sql: "citext".into()
        }
    );
    let full = column(users, "full_name");
    assert_eq!(
        full.generated.as_deref(),
        Some("((first_name || ' '::text) || last_name)")
    );
    assert_eq!(full.default, None);

    // Primary key (its index is not listed), unique constraint vs unique index, expression,
    // partial, DESC NULLS FIRST, INCLUDE, non-btree and opclass indexes.
    let pk = users.primary_key.as_ref().expect("users has a primary key");
    assert_eq!(
        (pk.name.as_str(), pk.columns.as_slice()),
        ("users_pkey", &["id".to_string()][..])
    );
    assert!(users.index("users_pkey").is_none());
    let email_key = index(users, "users_email_key");
    assert!(email_key.unique && email_key.constraint);
    assert_eq!(email_key.column_names(), Some(vec!["email"]));
    let name_uidx = index(users, "users_name_uidx");
    assert!(name_uidx.unique && !name_uidx.constraint);
    assert_eq!(
        name_uidx.column_names(),
        Some(vec!["first_name", "last_name"])
    );
    let lower = index(users, "users_lower_email_idx");
    assert_eq!(
        lower.keys[0].part,
        KeyPart::Expression("lower((email)::text)".into())
    );
    assert!(!lower.unique);
    let active = index(users, "users_active_idx");
    assert_eq!(active.predicate.as_deref(), Some("(deleted_at IS NULL)"));
    assert_eq!(active.column_names(), Some(vec!["created_at"]));
    let desc = index(users, "users_created_desc_idx");
    assert_eq!(
        (desc.keys[0].descending, desc.keys[0].nulls_first),
        (true, true)
    );
    assert_eq!(
        (desc.keys[1].descending, desc.keys[1].nulls_first),
        (false, false)
    );
    let covering = index(users, "users_covering_idx");
    assert_eq!(covering.column_names(), Some(vec!["email"]));
    assert_eq!(covering.include, ["name", "score"]);
    let gin = index(users, "users_profile_gin");
    assert_eq!(gin.method, "gin");
    assert_eq!(gin.keys[0].opclass.as_deref(), Some("jsonb_path_ops"));
    assert_eq!(
        index(users, "users_name_pattern_idx").keys[0]
            .opclass
            .as_deref(),
        Some("text_pattern_ops")
    );
    assert_eq!(index(users, "users_covering_idx").keys[0].opclass, None);
    let email_c = index(users, "users_email_c_idx");
    assert_eq!(email_c.keys[0].collation.as_deref(), Some("C"));
    assert_eq!(
        (email_c.keys[0].descending, email_c.keys[0].nulls_first),
        (true, false)
    );
    assert_eq!(users.indexes.len(), 9);

    // CHECKs, with Postgres's parentheses and NO INHERIT.
    let checks: Vec<(&str, &str, bool)> = users
        .checks
        .iter()
        .map(|c| (c.name.as_str(), c.expression.as_str(), c.no_inherit))
        .collect();
    assert_eq!(
        checks,
        [
            ("users_name_check", "(length(name) < 100)", true),
            ("users_score_check", "(score >= (0)::numeric)", false)
        ]
    );

    // Composite primary key, composite FKs with actions, MATCH FULL, deferrable.
    let lines = table(&s, "public", "order_lines");
    assert_eq!(
        lines.primary_key.as_ref().map(|p| p.columns.clone()),
        Some(vec!["order_id".into(), "line_no".into()])
    );
    assert_eq!(lines.checks[0].expression, "(quantity > 0)");
    let to_order = lines
        .foreign_key("order_lines_order_fk")
        .expect("order_lines_order_fk");
    assert_eq!(
        (to_order.ref_schema.as_str(), to_order.ref_table.as_str()),
        ("public", "Order")
    );
    assert_eq!(to_order.ref_columns, ["Id"]);
    assert_eq!(
        (to_order.on_update, to_order.on_delete),
        (FkAction::Cascade, FkAction::Cascade)
    );
    assert!(to_order.deferrable && to_order.initially_deferred);
    let line_key = index(lines, "order_lines_line_key");
    assert!(line_key.constraint);
    assert_eq!(line_key.column_names(), Some(vec!["line_no", "order_id"]));
    let ship = table(&s, "public", "shipments")
        .foreign_key("shipments_line_fk")
        .expect("shipments_line_fk");
    assert_eq!(ship.columns, ["line_no", "order_id"]);
    assert_eq!(ship.ref_columns, ["line_no", "order_id"]);
    assert_eq!(ship.match_type, MatchType::Full);
    assert_eq!(
        (ship.on_update, ship.on_delete),
        (FkAction::Restrict, FkAction::SetDefault)
    );
    assert!(ship.deferrable && !ship.initially_deferred);
    let order_user = order
        .foreign_key("Order_user_fkey")
        .expect("Order_user_fkey");
    assert_eq!(
        (order_user.columns.as_slice(), order_user.on_delete),
        (&["user".to_string()][..], FkAction::SetNull)
    );

    // A self-referencing FK and an FK cycle.
    let categories = table(&s, "public", "categories");
    let parent = categories
        .foreign_key("categories_parent_id_fkey")
        .expect("self FK");
    assert_eq!(
        (parent.ref_table.as_str(), parent.columns[0].as_str()),
        ("categories", "parent_id")
    );
    let captain = table(&s, "public", "teams")
        .foreign_key("teams_captain_fk")
        .expect("teams_captain_fk");
    assert_eq!(captain.ref_table, "players");
    assert!(captain.deferrable && captain.initially_deferred);
    let team = table(&s, "public", "players")
        .foreign_key("players_team_id_fkey")
        .expect("players FK");
    assert_eq!(team.ref_table, "teams");

    // Two schemas with a table of the same name; a cross-schema FK; enum default in a quoted
    // schema; double precision, interval, bit varying.
    let other = table(&s, "Other Schema", "users");
    assert_eq!(column(other, "id").ty, Type::Uuid);
    let level = column(other, "level");
    assert_eq!(level.ty, Type::named("Other Schema", "Priority"));
    assert_eq!(
        level.default.as_deref(),
        Some("'low'::\"Other Schema\".\"Priority\"")
    );
    assert_eq!(column(other, "ratio").ty, Type::Double);
    assert_eq!(
        column(other, "span").ty,
        Type::Interval {
            fields: None,
            precision: None
        }
    );
    assert_eq!(
        column(other, "bits").ty,
        Type::Bit {
            length: Some(8),
            varying: true
        }
    );
    let cross = other
        .foreign_key("users_public_user_id_fkey")
        .expect("cross-schema FK");
    assert_eq!(
        (cross.ref_schema.as_str(), cross.ref_table.as_str()),
        ("public", "users")
    );
    assert_ne!(other.columns, users.columns);

    // The partitioned table: its key, primary key and index; partitions are not tables.
    let events = table(&s, "public", "events");
    assert_eq!(events.partition_key.as_deref(), Some("RANGE (happened_at)"));
    assert_eq!(
        events.primary_key.as_ref().map(|p| p.columns.len()),
        Some(2)
    );
    assert_eq!(
        events
            .indexes
            .iter()
            .map(|i| i.name.as_str())
            .collect::<Vec<_>>(),
        ["events_happened_idx"]
    );
    assert!(s.table("public", "events_2024").is_none());

    // Enums with ordered labels, in two schemas.
    let mood_type = s.enum_type("public", "mood").expect("public.mood");
    assert_eq!(mood_type.labels, ["sad", "ok", "happy"]);
    let priority = s
        .enum_type("Other Schema", "Priority")
        .expect("Other Schema.Priority");
    assert_eq!(priority.labels, ["low", "high", "Very High"]);

    // The domain.
    assert_eq!(s.domains.len(), 1);
    let domain = &s.domains[0];
    assert_eq!(
        (domain.name.as_str(), &domain.base, domain.not_null),
        ("positive_int", &Type::Integer, true)
    );
    assert_eq!(domain.default.as_deref(), Some("1"));
    assert_eq!(domain.checks[0].name, "positive_int_check");
    assert_eq!(domain.checks[0].expression, "(VALUE > 0)");

    // Sequences: the standalone one and the serial's; identity sequences are the columns'.
    let seqs: Vec<&str> = s.sequences.iter().map(|q| q.name.as_str()).collect();
    assert_eq!(seqs, ["Order_select_seq", "invoice_numbers"]);
    let invoice = &s.sequences[1];
    assert_eq!(invoice.ty, Type::BigInt);
    assert_eq!(
        invoice.options,
        SequenceOptions {
            start: Some(1000),
            increment: Some(10),
            cache: Some(5),
            ..Default::default()
        }
    );
    assert_eq!(invoice.owned_by, None);
    assert_eq!(
        s.sequences[0].owned_by,
        Some(("Order".to_string(), "select".to_string()))
    );
    assert!(s.sequences[0].options.is_default());
}

#[tokio::test]
async fn exclusions_and_schema_filter() {
    let (_db, client) = common::database_with(common::ALL_OBJECTS).await;
    // Only public: the other schema's table and enum are not read.
    let (s, _) = introspect_client(&client, &Options::default())
        .await
        .unwrap();
    assert!(s.table("Other Schema", "users").is_none());
    assert!(s.enum_type("Other Schema", "Priority").is_none());
    assert!(s.table("public", "seaql_migrations").is_none());
    // Nothing excluded: the bookkeeping table appears; `schema.name` exclusions work.
    let opts = Options {
        exclude_tables: vec![],
        ..Options::default()
    };
    let (s, _) = introspect_client(&client, &opts).await.unwrap();
    assert!(s.table("public", "seaql_migrations").is_some());
    let opts = Options {
        exclude_tables: vec!["public.Order".into()],
        ..Options::default()
    };
    let (s, _) = introspect_client(&client, &opts).await.unwrap();
    assert!(s.table("public", "Order").is_none());
    assert!(
        s.sequences.iter().all(|q| q.name != "Order_select_seq"),
        "a sequence owned by an excluded table stays out"
    );
    // Extension members never appear.
    assert!(s.table("public", "ext_owned").is_none());
}

#[tokio::test]
async fn renders_the_fixture_like_psql() {
    let s = fixture().await;
    expect![[r#"
        Table "Other Schema.users"
         Column         | Type                      | Collation | Nullable | Default
        ----------------+---------------------------+-----------+----------+----------------------------------
         id             | uuid                      |           | not null |
         public_user_id | integer                   |           |          |
         level          | "Other Schema"."Priority" |           | not null | 'low'::"Other Schema"."Priority"
         ratio          | double precision          |           |          |
         span           | interval                  |           |          |
         bits           | bit varying(8)            |           |          |
        Indexes:
            "users_pkey" PRIMARY KEY, btree (id)
        Foreign-key constraints:
            "users_public_user_id_fkey" FOREIGN KEY (public_user_id) REFERENCES public.users(id)

        Table "public.Order"
         Column       | Type          | Collation | Nullable | Default
        --------------+---------------+-----------+----------+------------------------------------------------------
         Id           | bigint        |           | not null | generated always as identity (START 100 INCREMENT 5)
         select       | integer       |           | not null | nextval('"Order_select_seq"'::regclass)
         Total Amount | numeric(12,2) |           | not null |
         user         | integer       |           |          |
         note         | character(3)  |           |          |
        Indexes:
            "Order_pkey" PRIMARY KEY, btree ("Id")
            "Order_select_key" UNIQUE CONSTRAINT, btree ("select")
        Foreign-key constraints:
            "Order_user_fkey" FOREIGN KEY ("user") REFERENCES public.users(id) ON DELETE SET NULL

        Table "public.categories"
         Column    | Type    | Collation | Nullable | Default
        -----------+---------+-----------+----------+----------------------------------
         id        | integer |           | not null | generated by default as identity
         parent_id | integer |           |          |
        Indexes:
            "categories_pkey" PRIMARY KEY, btree (id)
        Foreign-key constraints:
            "categories_parent_id_fkey" FOREIGN KEY (parent_id) REFERENCES public.categories(id)

        Partitioned table "public.events"
         Column      | Type                     | Collation | Nullable | Default
        -------------+--------------------------+-----------+----------+---------
         id          | bigint                   |           | not null |
         happened_at | timestamp with time zone |           | not null |
         payload     | text                     |           |          |
        Indexes:
            "events_pkey" PRIMARY KEY, btree (id, happened_at)
            "events_happened_idx" btree (happened_at)
        Partition key: RANGE (happened_at)

        Table "public.order_lines"
         Column   | Type     | Collation | Nullable | Default
        ----------+----------+-----------+----------+---------
         order_id | bigint   |           | not null |
         line_no  | smallint |           | not null |
         quantity | integer  |           | not null |
        Indexes:
            "order_lines_pkey" PRIMARY KEY, btree (order_id, line_no)
            "order_lines_line_key" UNIQUE CONSTRAINT, btree (line_no, order_id)
        Check constraints:
            "order_lines_quantity_check" CHECK ((quantity > 0))
        Foreign-key constraints:
            "order_lines_order_fk" FOREIGN KEY (order_id) REFERENCES public."Order"("Id") ON UPDATE CASCADE ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED

        Table "public.players"
         Column  | Type    | Collation | Nullable | Default
        ---------+---------+-----------+----------+---------
         id      | integer |           | not null |
         team_id | integer |           | not null |
        Indexes:
            "players_pkey" PRIMARY KEY, btree (id)
        Foreign-key constraints:
            "players_team_id_fkey" FOREIGN KEY (team_id) REFERENCES public.teams(id)

        Table "public.shipments"
         Column   | Type     | Collation | Nullable | Default
        ----------+----------+-----------+----------+----------------------------------
         id       | integer  |           | not null | generated by default as identity
         order_id | bigint   |           |          |
         line_no  | smallint |           |          |
        Indexes:
            "shipments_pkey" PRIMARY KEY, btree (id)
        Foreign-key constraints:
            "shipments_line_fk" FOREIGN KEY (line_no, order_id) REFERENCES public.order_lines(line_no, order_id) MATCH FULL ON UPDATE RESTRICT ON DELETE SET DEFAULT DEFERRABLE

        Table "public.teams"
         Column     | Type    | Collation | Nullable | Default
        ------------+---------+-----------+----------+---------
         id         | integer |           | not null |
         captain_id | integer |           |          |
        Indexes:
            "teams_pkey" PRIMARY KEY, btree (id)
        Foreign-key constraints:
            "teams_captain_fk" FOREIGN KEY (captain_id) REFERENCES public.players(id) DEFERRABLE INITIALLY DEFERRED

        Table "public.users"
         Column       | Type                           | Collation | Nullable | Default                                                               | Description
        --------------+--------------------------------+-----------+----------+-----------------------------------------------------------------------+----------------------
         id           | integer                        |           | not null | generated by default as identity                                      |
         email        | character varying(255)         |           | not null |                                                                       | Login e-mail, unique
         name         | text                           | C         |          |                                                                       |
         score        | numeric(10,2)                  |           |          | 0                                                                     |
         created_at   | timestamp(3) without time zone |           | not null | now()                                                                 |
         seen_at      | timestamp with time zone       |           |          |                                                                       |
         tags         | text[]                         |           | not null | '{}'::text[]                                                          |
         moods        | public.mood[]                  |           |          |                                                                       |
         current_mood | public.mood                    |           |          | 'ok'::mood                                                            |
         priority     | "Other Schema"."Priority"      |           |          |                                                                       |
         visits       | public.positive_int            |           |          |                                                                       |
         profile      | jsonb                          |           |          |                                                                       |
         first_name   | text                           |           |          |                                                                       |
         last_name    | text                           |           |          |                                                                       |
         full_name    | text                           |           |          | generated always as (((first_name || ' '::text) || last_name)) stored |
         deleted_at   | timestamp with time zone       |           |          |                                                                       |
         nickname     | citext                         |           |          |                                                                       |
        Indexes:
            "users_pkey" PRIMARY KEY, btree (id)
            "users_email_key" UNIQUE CONSTRAINT, btree (email)
            "users_name_uidx" UNIQUE, btree (first_name, last_name)
            "users_active_idx" btree (created_at) WHERE (deleted_at IS NULL)
            "users_covering_idx" btree (email) INCLUDE (name, score)
            "users_created_desc_idx" btree (created_at DESC, id)
            "users_email_c_idx" btree (email COLLATE "C" DESC NULLS LAST)
            "users_lower_email_idx" btree (lower((email)::text))
            "users_name_pattern_idx" btree (name text_pattern_ops)
            "users_profile_gin" gin (profile jsonb_path_ops)
        Check constraints:
            "users_name_check" CHECK ((length(name) < 100)) NO INHERIT
            "users_score_check" CHECK ((score >= (0)::numeric))
        Comment: 'People who sign in'

        Enum types:
            "Other Schema.Priority" ('low', 'high', 'Very High')
            "public.mood" ('sad', 'ok', 'happy')

        Sequences:
            "public.Order_select_seq" integer OWNED BY "Order"."select"
            "public.invoice_numbers" bigint START 1000 INCREMENT 10 CACHE 5

        Views:
            "public.active_users"

        Materialized views:
            "public.order_totals"

        Domains:
            "public.positive_int" integer NOT NULL DEFAULT 1 CONSTRAINT "positive_int_check" CHECK ((VALUE > 0))

        Extensions:
            citext (schema public) version 1.6
    "#]].assert_eq(&render::text(&s));
}
