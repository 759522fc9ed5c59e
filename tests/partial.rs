//! Partial models that disagree (`fixtures/partial`): `check` loads them, reports each
//! disagreement as a finding naming both places, and is otherwise clean; a relation without
//! `on_delete` over `ON DELETE CASCADE` is in sync; hand-named indexes are one summary line.

use std::path::{Path, PathBuf};

use autogen_pgtemp::TestDb;
use expect_test::{Expect, expect};

use crate::support;

fn fixture() -> PathBuf {
    support::fixture("partial")
}

/// The fixture's database, and a project directory whose autogen.toml names its entities.
fn setup() -> (TestDb, tempfile::TempDir) {
    let db = support::fixture_db("partial");
    let dir = tempfile::tempdir().unwrap();
    let entities = fixture().join("entity/src");
    std::fs::write(
        dir.path().join("autogen.toml"),
        format!("entities = [{:?}]\n", entities.display().to_string()),
    )
    .unwrap();
    (db, dir)
}

/// `autogen ARGS --database-url URL` in `dir` as a transcript, paths made stable.
fn autogen(dir: &Path, db: &TestDb, args: &[&str]) -> String {
    support::transcript(dir, db, args, &[(&fixture(), "fixtures/partial")])
}

#[track_caller]
fn check(args: &[&str], expect: Expect) {
    let (db, dir) = setup();
    expect.assert_eq(&autogen(dir.path(), &db, args));
}

#[test]
fn disagreeing_partial_models_are_findings_and_the_check_is_clean() {
    check(
        &["check"],
        expect![[r#"
        exit 0
        --- stdout
        Nullability mismatches:
          public.users.first_name: the field at fixtures/partial/entity/src/user_card.rs:10:9 is not an Option but the one at fixtures/partial/entity/src/user_profile.rs:10:9 is, so the column is nullable: reading a NULL written through that entity fails at run time
          public.users.first_name: the field at fixtures/partial/entity/src/users.rs:11:9 is not an Option but the one at fixtures/partial/entity/src/user_profile.rs:10:9 is, so the column is nullable: reading a NULL written through that entity fails at run time

        Partial models that disagree:
          public.users.bio: fixtures/partial/entity/src/users.rs:14:9: type text here but character varying(200) at fixtures/partial/entity/src/user_card.rs:12:9; the database's is kept (not compared); a new column gets the first one

        in sync: the database matches the entities (2 table(s))
        --- stderr
        note: 3 indexes that entities do not declare are left alone; --verbose lists them
    "#]],
    );
}

#[test]
fn verbose_lists_the_objects_left_alone() {
    check(
        &["check", "--verbose"],
        expect![[r#"
        exit 0
        --- stdout
        Nullability mismatches:
          public.users.first_name: the field at fixtures/partial/entity/src/user_card.rs:10:9 is not an Option but the one at fixtures/partial/entity/src/user_profile.rs:10:9 is, so the column is nullable: reading a NULL written through that entity fails at run time
          public.users.first_name: the field at fixtures/partial/entity/src/users.rs:11:9 is not an Option but the one at fixtures/partial/entity/src/user_profile.rs:10:9 is, so the column is nullable: reading a NULL written through that entity fails at run time

        Partial models that disagree:
          public.users.bio: fixtures/partial/entity/src/users.rs:14:9: type text here but character varying(200) at fixtures/partial/entity/src/user_card.rs:12:9; the database's is kept (not compared); a new column gets the first one

        in sync: the database matches the entities (2 table(s))
        --- stderr
        note: public.users.users_email_lower: index users_email_lower is a kind of index entities cannot declare; kept
        note: public.users.users_first_last: index users_first_last is a kind of index entities cannot declare; kept
        note: public.users.users_last_name_idx: index users_last_name_idx is not named the way SeaORM names what entities declare; kept
    "#]],
    );
}

#[test]
fn json_and_github_carry_the_findings() {
    let (db, dir) = setup();
    let json = autogen(dir.path(), &db, &["check", "--format", "json"]);
    let body = json
        .split_once("--- stdout\n")
        .and_then(|(_, rest)| rest.split_once("--- stderr"))
        .map(|(stdout, _)| stdout)
        .unwrap_or_default();
    let value: serde_json::Value = serde_json::from_str(body).expect("check prints JSON");
    assert_eq!(value["in_sync"], true, "{json}");
    let kinds: Vec<&str> = value["findings"]
        .as_array()
        .map(|a| a.iter().filter_map(|f| f["kind"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(
        kinds,
        [
            "nullability_hazard",
            "nullability_hazard",
            "type_disagreement"
        ],
        "{json}"
    );
    // The JSON keeps the full list of objects left alone.
    let unmanaged = value["notes"]
        .as_array()
        .map(|a| a.iter().filter(|n| n["kind"] == "unmanaged").count())
        .unwrap_or_default();
    assert_eq!(unmanaged, 3, "{json}");
    check(
        &["check", "--format", "github"],
        expect![[r#"
        exit 0
        --- stdout
        ::warning file=fixtures/partial/entity/src/user_card.rs,line=10,col=9,title=autogen nullability hazard::public.users.first_name: the field is not an Option here but is one at fixtures/partial/entity/src/user_profile.rs:10:9, so the column is (or will be) nullable: reading a NULL written through that entity fails at run time here
        ::warning file=fixtures/partial/entity/src/users.rs,line=11,col=9,title=autogen nullability hazard::public.users.first_name: the field is not an Option here but is one at fixtures/partial/entity/src/user_profile.rs:10:9, so the column is (or will be) nullable: reading a NULL written through that entity fails at run time here
        ::warning file=fixtures/partial/entity/src/users.rs,line=14,col=9,title=autogen partial models disagree::public.users.bio: type text here but character varying(200) at fixtures/partial/entity/src/user_card.rs:12:9; the database's is kept (not compared); a new column gets the first one
        in sync: the database matches the entities
        --- stderr
        note: 3 indexes that entities do not declare are left alone; --verbose lists them
    "#]],
    );
}
