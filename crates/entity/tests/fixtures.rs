//! The shared fixture entity sets (`fixtures/entities/*`, also used by the oracle test) load
//! without errors; their rendered models are snapshots.

mod common;

use std::path::PathBuf;

use autogen_entity::LoadOptions;

fn check_dir(name: &str, expect: expect_test::Expect) {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/entities")
        .join(name);
    let dir = dir.canonicalize().unwrap_or(dir);
    let loaded = autogen_entity::load(std::slice::from_ref(&dir), &LoadOptions::default());
    let text = common::render(&loaded).replace(&format!("{}/", dir.display()), "");
    expect.assert_eq(&text);
}

#[test]
fn blog() {
    check_dir(
        "blog",
        expect_test::expect![[r#"
        table public.comments @expanded/comments.rs:10:21
          id integer NOT NULL IDENTITY
          post_id bigint NOT NULL
          user_id integer NULL
          body text NOT NULL
          created_at timestamp with time zone NOT NULL DEFAULT CURRENT_TIMESTAMP
          pk comments_pkey (id)
          fk fk-comments-post_id (post_id) -> public.posts (id) on delete CASCADE on update NO ACTION
          fk fk-comments-user_id (user_id) -> public.users (id) on delete SET NULL on update NO ACTION
        table public.post_tags @post_tags.rs:8:12
          post_id bigint NOT NULL
          tag_id integer NOT NULL
          tagged_at timestamp with time zone NOT NULL DEFAULT CURRENT_TIMESTAMP
          pk pk-post_tags (post_id, tag_id)
          fk fk-post_tags-post_id (post_id) -> public.posts (id) on delete CASCADE on update NO ACTION
          fk fk-post_tags-tag_id (tag_id) -> public.tags (id) on delete CASCADE on update NO ACTION
        table public.posts @posts.rs:9:12
          id bigint NOT NULL IDENTITY
          author_id integer NOT NULL
          title character varying(200) NOT NULL
          body text NOT NULL
          published boolean NOT NULL DEFAULT false
          created_at timestamp without time zone NOT NULL DEFAULT CURRENT_TIMESTAMP
          updated_at timestamp without time zone NULL
          pk posts_pkey (id)
          index idx-posts-title ("title")
          fk fk-posts-author_id (author_id) -> public.users (id) on delete CASCADE on update NO ACTION
        table public.tags @tags.rs:8:12
          id integer NOT NULL IDENTITY
          name character varying(64) NOT NULL
          pk tags_pkey (id)
          unique constraint tags_name_key ("name")
        table public.users @users.rs:8:12
          comment "People who write posts"
          id integer NOT NULL IDENTITY
          name character varying NOT NULL
          email character varying NOT NULL
          bio text NULL
          created_at timestamp with time zone NOT NULL DEFAULT CURRENT_TIMESTAMP
          pk users_pkey (id)
          unique constraint users_email_key ("email")
        drafts.rs:1:1: note: 1 file(s) are not in the module tree and were ignored: drafts.rs
          help: add a `mod` item for a file that holds entities
    "#]],
    );
}

#[test]
fn all_types() {
    check_dir(
        "all_types",
        expect_test::expect![[r#"
        table public.a_table_with_a_deliberately_long_name_for_truncation @long_names.rs:8:12
          id integer NOT NULL IDENTITY
          some_rather_long_indexed_column character varying NOT NULL
          another_rather_long_unique_column_name character varying NOT NULL
          first_member integer NOT NULL
          second_member integer NOT NULL
          value_type_id character varying NULL
          pk a_table_with_a_deliberately_long_name_for_truncation_pkey (id)
          unique constraint a_table_with_a_deliberately_l_another_rather_long_unique_co_key ("another_rather_long_unique_column_name")
          unique index idx-a_table_with_a_deliberately_long_name_for_truncation-a_long ("first_member", "second_member")
          index idx-a_table_with_a_deliberately_long_name_for_truncation-some_r ("some_rather_long_indexed_column")
          fk fk-a_table_with_a_deliberately_long_name_for_truncation-value_t (value_type_id) -> public.value_types (code) on delete SET NULL on update CASCADE
        table public.camel_rows @camel_rows.rs:8:12
          rowId integer NOT NULL IDENTITY
          firstName character varying NOT NULL
          lastSeenAt timestamp without time zone NULL
          legacy_code character varying NOT NULL
          pk camel_rows_pkey (rowId)
        table public.nullables @nullables.rs:8:12
          id integer NOT NULL IDENTITY
          a_string character varying NULL
          an_i8 smallint NULL
          an_i16 smallint NULL
          an_i32 integer NULL
          an_i64 bigint NULL
          a_u8 smallint NULL
          a_u16 integer NULL
          a_u32 bigint NULL
          a_u64 bigint NULL
          an_f32 real NULL
          an_f64 double precision NULL
          a_bool boolean NULL
          bytes bytea NULL
          strings character varying[] NULL
          ints integer[] NULL
          a_decimal numeric NULL
          a_big_decimal numeric NULL
          a_date date NULL
          a_time time without time zone NULL
          a_date_time timestamp without time zone NULL
          a_date_time_utc timestamp with time zone NULL
          a_date_time_local timestamp with time zone NULL
          a_date_time_tz timestamp with time zone NULL
          a_uuid uuid NULL
          a_json json NULL
          an_ip inet NULL
          a_mac macaddr NULL
          declared_nullable character varying NULL
          pk nullables_pkey (id)
        table public.products @attributes.rs:10:12
          comment "Catalogue entries"
          id integer NOT NULL
          name character varying(255) NOT NULL
          grade character(1) NOT NULL
          flag character(1) NOT NULL
          price numeric(16,4) NOT NULL
          description text NOT NULL comment="Long description"
          attributes jsonb NOT NULL
          metadata jsonb NULL
          slug citext NOT NULL
          labels character varying(32)[] NOT NULL
          notes text[] NULL
          listed_at timestamp without time zone NOT NULL
          checked_at timestamp with time zone NOT NULL
          weight double precision NOT NULL
          stock_units bigint NOT NULL
          thumbnail bytea NOT NULL
          display_name character varying NOT NULL
          sku character varying NOT NULL
          region character varying NOT NULL
          ean_code character varying NULL
          category character varying NOT NULL
          barcode character varying NOT NULL
          state character varying NOT NULL DEFAULT 'draft'::character varying
          views integer NOT NULL DEFAULT 0
          visible boolean NOT NULL DEFAULT true
          ratio double precision NOT NULL DEFAULT 1.5
          min_order bigint NOT NULL DEFAULT 10
          created_at timestamp with time zone NOT NULL DEFAULT CURRENT_TIMESTAMP
          created_on date NOT NULL DEFAULT CURRENT_DATE
          public_id uuid NOT NULL DEFAULT gen_random_uuid()
          answer integer NOT NULL DEFAULT 42
          origin character varying NOT NULL DEFAULT 'n/a'::character varying
          expires_at timestamp with time zone NOT NULL DEFAULT now() + '1 day'::interval
          qty integer NOT NULL extra="CHECK (qty >= 0)"
          on_hand integer NOT NULL comment="Renamed column" renamed_from="quantity_on_hand"
          pk products_pkey (id)
          index idx-products-category ("category")
          unique index idx-products-ean ("ean_code")
          unique index idx-products-sku_region ("sku", "region")
          unique constraint products_barcode_key ("barcode")
          unique constraint products_name_key ("name")
          check products_qty_check (qty >= 0)
        table public.scalars @scalars.rs:8:12
          id bigint NOT NULL IDENTITY
          a_string character varying NOT NULL
          an_i8 smallint NOT NULL
          an_i16 smallint NOT NULL
          an_i32 integer NOT NULL
          an_i64 bigint NOT NULL
          a_u8 smallint NOT NULL
          a_u16 integer NOT NULL
          a_u32 bigint NOT NULL
          a_u64 bigint NOT NULL
          an_f32 real NOT NULL
          an_f64 double precision NOT NULL
          a_bool boolean NOT NULL
          bytes bytea NOT NULL
          strings character varying[] NOT NULL
          ints integer[] NOT NULL
          bigints bigint[] NOT NULL
          floats double precision[] NOT NULL
          bools boolean[] NOT NULL
          uuids uuid[] NOT NULL
          a_decimal numeric NOT NULL
          a_big_decimal numeric NOT NULL
          a_date date NOT NULL
          a_time time without time zone NOT NULL
          a_date_time timestamp without time zone NOT NULL
          a_date_time_utc timestamp with time zone NOT NULL
          a_date_time_local timestamp with time zone NOT NULL
          a_date_time_tz timestamp with time zone NOT NULL
          a_uuid uuid NOT NULL
          a_json json NOT NULL
          a_serde_json_value json NOT NULL
          an_ip inet NOT NULL
          a_mac macaddr NOT NULL
          pk scalars_pkey (id)
        table public.value_types @value_types.rs:9:12
          code character varying NOT NULL
          balance bigint NOT NULL
          owed bigint NULL
          contact character varying NOT NULL
          tags character varying[] NOT NULL
          pk value_types_pkey (code)
          unique constraint value_types_contact_key ("contact")
    "#]],
    );
}

#[test]
fn enums_keys() {
    check_dir(
        "enums_keys",
        expect_test::expect![[r#"
        enum public.audit_kind (record_created, record_updated, RECORD_DELETED)
        enum public.billing_status (unpaid, paid, refunded)
        enum public.priority_level (low, normal, HIGH, critical!)
        enum public.shipping_status (pending, shipped, delivered, returned)
        table other.audit_entries @audit_entries.rs:9:12
          id bigint NOT NULL IDENTITY
          kind public.audit_kind NOT NULL
          category_id integer NOT NULL
          scope character varying NOT NULL
          seq integer NOT NULL
          reference uuid NOT NULL
          pk audit_entries_pkey (id)
          unique constraint audit_entries_reference_key ("reference")
          index idx-audit_entries-category_id ("category_id")
          unique index idx-audit_entries-per_category ("scope", "seq")
          fk fk-audit_entries-category_id (category_id) -> public.categories (id) on delete CASCADE on update NO ACTION
        table public.categories @categories.rs:7:12
          id integer NOT NULL IDENTITY
          parent_id integer NULL
          name character varying NOT NULL
          pk categories_pkey (id)
          fk fk-categories-parent_id (parent_id) -> public.categories (id) on delete SET NULL on update NO ACTION
        table public.order_lines @order_lines.rs:9:12
          tenant_id integer NOT NULL
          order_no bigint NOT NULL
          line_no smallint NOT NULL
          quantity integer NOT NULL
          pk pk-order_lines (tenant_id, order_no, line_no)
          fk fk-order_lines-tenant_id-order_no (tenant_id, order_no) -> public.orders (tenant_id, order_no) on delete CASCADE on update NO ACTION
        table public.orders @orders.rs:12:12
          tenant_id integer NOT NULL
          order_no bigint NOT NULL
          billing public.billing_status NOT NULL
          shipping public.shipping_status NOT NULL
          previous_shipping public.shipping_status NULL
          priority public.priority_level NOT NULL DEFAULT 'normal'::priority_level
          escalations public.priority_level[] NOT NULL
          channel character varying(16) NOT NULL
          urgency smallint NOT NULL
          category_id integer NULL
          pk pk-orders (tenant_id, order_no)
          fk orders_category_fk (category_id) -> public.categories (id) on delete RESTRICT on update CASCADE
    "#]],
    );
}
