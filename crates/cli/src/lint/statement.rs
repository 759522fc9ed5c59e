//! One executed SQL statement recognised from its tokens (`autogen_schema::sql_lex`): what class
//! of command it is (transaction control, read, session setting, DML, DDL, the migrator's own
//! bookkeeping) and the few clauses the catalog cannot show afterwards — `CONCURRENTLY`,
//! `NOT VALID`, `VALIDATE CONSTRAINT`, `ADD … USING INDEX`, `TRUNCATE`'s and `CREATE TRIGGER`'s
//! tables, `RENAME`. What a DDL statement changed is read from the catalog before and after it,
//! never from its text.

use autogen_schema::QualifiedName;
use autogen_schema::sql_lex::{Kind, Token, tokenize};

/// What kind of command a statement is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Class {
    /// `BEGIN`, `COMMIT`, `SAVEPOINT`, …: not replayed (the replay runs each statement on its own).
    Transaction,
    /// A statement on the migrator's bookkeeping table (`seaql_migrations`): not replayed.
    Bookkeeping,
    /// `SELECT`, `SHOW`, `EXPLAIN`, …: replayed, not reported.
    Read,
    /// `SET`, `RESET`, …: replayed, not reported.
    Session,
    /// `INSERT`, `UPDATE`, `DELETE`, `MERGE`, `COPY`: replayed, reported (row locks only).
    Dml,
    /// Everything else (`CREATE`, `ALTER`, `DROP`, `COMMENT`, `TRUNCATE`, `DO`, …): replayed and
    /// classified by what it changed in the catalog.
    Ddl,
}

/// The facts about one statement its text gives.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Recognised {
    pub class: Class,
    /// The leading keywords, upper case: `CREATE INDEX`, `ALTER TABLE`, `DROP FUNCTION`.
    pub command: String,
    /// `CREATE [UNIQUE] INDEX CONCURRENTLY` / `DROP INDEX CONCURRENTLY`.
    pub concurrently: bool,
    /// `ADD CONSTRAINT … NOT VALID`.
    pub not_valid: bool,
    /// `ADD [CONSTRAINT c] {UNIQUE | PRIMARY KEY} USING INDEX i`.
    pub using_index: bool,
    /// The constraints named by `VALIDATE CONSTRAINT`.
    pub validates: Vec<String>,
    /// `ALTER TABLE`'s table, `TRUNCATE`'s tables, `CREATE TRIGGER … ON`'s table.
    pub tables: Vec<QualifiedName>,
    /// `ALTER TABLE t RENAME [COLUMN] a TO b`: `(a, b)`, so the catalog diff sees a rename,
    /// not a dropped and an added column.
    pub column_renames: Vec<(String, String)>,
    /// `ALTER TABLE t RENAME TO b`: `b`.
    pub table_rename: Option<String>,
}

/// Object kinds whose creation, change or removal locks no table (functions, types, views, …).
const NO_TABLE_LOCK: &[&str] = &[
    "FUNCTION",
    "PROCEDURE",
    "AGGREGATE",
    "TYPE",
    "DOMAIN",
    "EXTENSION",
    "SCHEMA",
    "SEQUENCE",
    "VIEW",
    "ROLE",
    "USER",
    "COLLATION",
    "OPERATOR",
    "CAST",
    "TEXT",
    "CONVERSION",
    "LANGUAGE",
    "PUBLICATION",
    "STATISTICS",
];

impl Recognised {
    /// A DDL statement on an object that no table depends on for its lock (a function, a type,
    /// a view, a sequence, a schema, …), per PostgreSQL's "Table-Level Locks".
    pub fn locks_no_table(&self) -> bool {
        let mut words = self.command.split(' ');
        let verb = words.next().unwrap_or("");
        let object = words.next().unwrap_or("");
        matches!(
            verb,
            "CREATE" | "DROP" | "ALTER" | "COMMENT" | "GRANT" | "REVOKE"
        ) && NO_TABLE_LOCK.contains(&object)
    }
}

/// The statements of one simple-query text (`execute_unprepared("A; B;")` sends several), split
/// at top-level `;`. Text the tokenizer rejects is kept whole.
pub fn split(sql: &str) -> Vec<String> {
    let Ok(tokens) = tokenize(sql) else {
        return vec![sql.trim().to_string()];
    };
    let mut out = Vec::new();
    let mut start = 0;
    for t in tokens.iter().filter(|t| t.is(";")) {
        push_statement(&mut out, &sql[start..t.at]);
        start = t.at + 1;
    }
    push_statement(&mut out, &sql[start..]);
    out
}

fn push_statement(out: &mut Vec<String>, text: &str) {
    let only_comments = tokenize(text).is_ok_and(|ts| ts.iter().all(|t| t.kind == Kind::Comment));
    if !text.trim().is_empty() && !only_comments {
        out.push(text.trim().to_string());
    }
}

/// Recognises one statement. `bookkeeping` is the migrator's table (`seaql_migrations`);
/// unqualified names resolve to `default_schema`.
pub fn recognise(sql: &str, bookkeeping: &str, default_schema: &str) -> Recognised {
    let tokens: Vec<Token<'_>> = tokenize(sql)
        .map(|ts| ts.into_iter().filter(|t| t.kind != Kind::Comment).collect())
        .unwrap_or_default();
    let words: Vec<String> = tokens
        .iter()
        .take_while(|t| t.kind == Kind::Word)
        .map(|t| t.text.to_ascii_uppercase())
        .collect();
    let first = words.first().map(String::as_str).unwrap_or("");
    let mentions = |name: &str| {
        tokens
            .iter()
            .any(|t| matches!(t.kind, Kind::Word | Kind::QuotedIdent) && ident(t) == name)
    };
    let has_word = |w: &str| tokens.iter().any(|t| t.is_word(w));
    let class = match first {
        _ if mentions(bookkeeping) => Class::Bookkeeping,
        "BEGIN" | "START" | "COMMIT" | "END" | "ROLLBACK" | "ABORT" | "SAVEPOINT" | "RELEASE"
        | "PREPARE" => Class::Transaction,
        "SELECT" | "SHOW" | "EXPLAIN" | "VALUES" | "TABLE" | "FETCH" | "DECLARE" | "CLOSE" => {
            Class::Read
        }
        "WITH"
            if ["INSERT", "UPDATE", "DELETE", "MERGE"]
                .iter()
                .any(|w| has_word(w)) =>
        {
            Class::Dml
        }
        "WITH" => Class::Read,
        "SET" | "RESET" | "DISCARD" | "DEALLOCATE" | "LISTEN" | "NOTIFY" | "UNLISTEN" => {
            Class::Session
        }
        "INSERT" | "UPDATE" | "DELETE" | "MERGE" | "COPY" => Class::Dml,
        _ => Class::Ddl,
    };
    let command = command_words(&words);
    let pair = |a: &str, b: &str| {
        tokens
            .windows(2)
            .any(|w| w[0].is_word(a) && w[1].is_word(b))
    };
    let mut r = Recognised {
        class,
        concurrently: (command == "CREATE INDEX" || command == "DROP INDEX")
            && pair("INDEX", "CONCURRENTLY"),
        not_valid: command == "ALTER TABLE" && pair("NOT", "VALID"),
        using_index: command == "ALTER TABLE" && pair("USING", "INDEX"),
        validates: Vec::new(),
        tables: Vec::new(),
        column_renames: Vec::new(),
        table_rename: None,
        command,
    };
    if r.command == "ALTER TABLE" {
        let mut i = 2;
        skip_words(&tokens, &mut i, &["IF", "EXISTS", "ONLY"]);
        if let Some(q) = qualified(&tokens, &mut i, default_schema) {
            r.tables.push(q);
        }
        for (k, w) in tokens.windows(3).enumerate() {
            if w[0].is_word("VALIDATE") && w[1].is_word("CONSTRAINT") {
                r.validates.push(ident(&tokens[k + 2]));
            }
        }
        if tokens.get(i).is_some_and(|t| t.is_word("RENAME")) {
            let rest = &tokens[i + 1..];
            match rest {
                [to, name, ..] if to.is_word("TO") => r.table_rename = Some(ident(name)),
                [c, from, to, name, ..] if c.is_word("COLUMN") && to.is_word("TO") => {
                    r.column_renames.push((ident(from), ident(name)))
                }
                [from, to, name, ..] if to.is_word("TO") && !from.is_word("CONSTRAINT") => {
                    r.column_renames.push((ident(from), ident(name)))
                }
                _ => {}
            }
        }
    }
    if r.command == "CREATE TRIGGER"
        && let Some(on) = tokens.iter().position(|t| t.is_word("ON"))
    {
        let mut i = on + 1;
        if let Some(q) = qualified(&tokens, &mut i, default_schema) {
            r.tables.push(q);
        }
    }
    if first == "TRUNCATE" {
        let mut i = 1;
        skip_words(&tokens, &mut i, &["TABLE", "ONLY"]);
        while let Some(q) = qualified(&tokens, &mut i, default_schema) {
            r.tables.push(q);
            if tokens.get(i).is_some_and(|t| t.is("*")) {
                i += 1;
            }
            if !tokens.get(i).is_some_and(|t| t.is(",")) {
                break;
            }
            i += 1;
            skip_words(&tokens, &mut i, &["ONLY"]);
        }
    }
    r
}

/// `CREATE UNIQUE INDEX` → `CREATE INDEX`, `CREATE OR REPLACE FUNCTION` → `CREATE FUNCTION`,
/// `DROP MATERIALIZED VIEW` → `DROP MATERIALIZED`: the verb and the object kind.
fn command_words(words: &[String]) -> String {
    const MODIFIERS: &[&str] = &[
        "OR",
        "REPLACE",
        "UNIQUE",
        "TEMP",
        "TEMPORARY",
        "UNLOGGED",
        "GLOBAL",
        "LOCAL",
        "CONSTRAINT",
        "RECURSIVE",
        "TRUSTED",
        "PROCEDURAL",
        "DEFAULT",
    ];
    let Some(verb) = words.first() else {
        return String::new();
    };
    if !matches!(verb.as_str(), "CREATE" | "ALTER" | "DROP" | "COMMENT") {
        return verb.clone();
    }
    let object = words[1..]
        .iter()
        .find(|w| !MODIFIERS.contains(&w.as_str()) && w.as_str() != "ON");
    match object {
        Some(o) => format!("{verb} {o}"),
        None => verb.clone(),
    }
}

fn skip_words(tokens: &[Token<'_>], i: &mut usize, words: &[&str]) {
    while tokens
        .get(*i)
        .is_some_and(|t| words.iter().any(|w| t.is_word(w)))
    {
        *i += 1;
    }
}

/// An identifier token's name: a quoted one unquoted, a bare one folded to lower case.
fn ident(t: &Token<'_>) -> String {
    match t.kind {
        Kind::QuotedIdent => t.text[1..t.text.len().saturating_sub(1)].replace("\"\"", "\""),
        _ => t.text.to_ascii_lowercase(),
    }
}

/// `name` or `schema.name` at `tokens[*i]`, advancing past it.
fn qualified(tokens: &[Token<'_>], i: &mut usize, default_schema: &str) -> Option<QualifiedName> {
    let is_name =
        |t: Option<&Token<'_>>| t.is_some_and(|t| matches!(t.kind, Kind::Word | Kind::QuotedIdent));
    if !is_name(tokens.get(*i)) {
        return None;
    }
    let first = ident(&tokens[*i]);
    *i += 1;
    if tokens.get(*i).is_some_and(|t| t.is(".")) && is_name(tokens.get(*i + 1)) {
        let name = ident(&tokens[*i + 1]);
        *i += 2;
        return Some(QualifiedName::new(first, name));
    }
    Some(QualifiedName::new(default_schema, first))
}

/// `$1 = 'a', $2 = NULL` (Postgres's log of a prepared statement's parameters) → the literal
/// of each parameter by number; `None` when the text is not in that form.
pub fn parse_parameters(text: &str) -> Option<Vec<(usize, String)>> {
    let mut out = Vec::new();
    let mut rest = text.trim();
    while !rest.is_empty() {
        let after = rest.strip_prefix('$')?;
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        let n: usize = after[..digits].parse().ok()?;
        let after = after[digits..].strip_prefix(" = ")?;
        let (value, tail) = if let Some(t) = after.strip_prefix("NULL") {
            ("NULL".to_string(), t)
        } else {
            let body = after.strip_prefix('\'')?;
            let mut end = None;
            let b = body.as_bytes();
            let mut k = 0;
            while k < b.len() {
                if b[k] == b'\'' {
                    if b.get(k + 1) == Some(&b'\'') {
                        k += 2;
                        continue;
                    }
                    end = Some(k);
                    break;
                }
                k += 1;
            }
            let end = end?;
            (format!("'{}'", &body[..end]), &body[end + 1..])
        };
        out.push((n, value));
        rest = tail.trim_start();
        if let Some(t) = rest.strip_prefix(',') {
            rest = t.trim_start();
        } else if !rest.is_empty() {
            return None;
        }
    }
    Some(out)
}

/// The statement with each `$n` placeholder replaced by its literal (as logged), so it can be
/// run again on its own. Placeholders without a value are left as they are.
pub fn substitute(sql: &str, params: &[(usize, String)]) -> String {
    let Ok(tokens) = tokenize(sql) else {
        return sql.to_string();
    };
    let mut out = String::new();
    let mut last = 0;
    for t in tokens.iter().filter(|t| t.kind == Kind::Param) {
        let n: Option<usize> = t.text[1..].parse().ok();
        if let Some((_, v)) = params.iter().find(|(k, _)| Some(*k) == n) {
            out.push_str(&sql[last..t.at]);
            out.push_str(v);
            last = t.at + t.text.len();
        }
    }
    out.push_str(&sql[last..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(sql: &str) -> Recognised {
        recognise(sql, "seaql_migrations", "public")
    }

    #[test]
    fn classes_and_commands() {
        assert_eq!(r("BEGIN").class, Class::Transaction);
        assert_eq!(
            r(r#"INSERT INTO "seaql_migrations" ("version") VALUES ($1)"#).class,
            Class::Bookkeeping
        );
        assert_eq!(r("select 1").class, Class::Read);
        assert_eq!(r("SET lock_timeout = '2s'").class, Class::Session);
        assert_eq!(r("update t set a = 1").class, Class::Dml);
        assert_eq!(
            r("WITH x AS (DELETE FROM t RETURNING 1) SELECT 1").class,
            Class::Dml
        );
        let c = r("CREATE UNIQUE INDEX CONCURRENTLY i ON t (a)");
        assert_eq!(
            (c.class, c.command.as_str(), c.concurrently),
            (Class::Ddl, "CREATE INDEX", true)
        );
        assert!(!r("CREATE INDEX i ON t (concurrently)").concurrently);
        assert!(r("DROP INDEX CONCURRENTLY IF EXISTS i").concurrently);
        assert!(
            r("create or replace function f() returns int as $$ select 1; $$ language sql")
                .locks_no_table()
        );
        let trigger = r("CREATE TRIGGER t BEFORE INSERT ON s.x FOR EACH ROW EXECUTE FUNCTION f()");
        assert!(!trigger.locks_no_table());
        assert_eq!(trigger.tables, [QualifiedName::new("s", "x")]);
    }

    #[test]
    fn alter_table_clauses() {
        let a = r(
            r#"ALTER TABLE IF EXISTS ONLY "Shop"."Order" ADD CONSTRAINT fk FOREIGN KEY (a) REFERENCES b (id) NOT VALID"#,
        );
        assert_eq!(a.tables, [QualifiedName::new("Shop", "Order")]);
        assert!(a.not_valid && !a.using_index);
        let v = r("alter table orders validate constraint \"Fk\"");
        assert_eq!(v.tables, [QualifiedName::new("public", "orders")]);
        assert_eq!(v.validates, ["Fk"]);
        assert!(r("ALTER TABLE t ADD CONSTRAINT u UNIQUE USING INDEX i").using_index);
        assert_eq!(
            r("ALTER TABLE t RENAME COLUMN a TO \"B\"").column_renames,
            [("a".into(), "B".into())]
        );
        assert_eq!(
            r("ALTER TABLE t RENAME a TO b").column_renames,
            [("a".into(), "b".into())]
        );
        assert_eq!(
            r("ALTER TABLE s.t RENAME TO u").table_rename.as_deref(),
            Some("u")
        );
        assert!(
            r("ALTER TABLE t RENAME CONSTRAINT a TO b")
                .column_renames
                .is_empty()
        );
        let t = r("TRUNCATE TABLE a, ONLY s.b * CASCADE");
        assert_eq!(
            t.tables,
            [
                QualifiedName::new("public", "a"),
                QualifiedName::new("s", "b")
            ]
        );
    }

    #[test]
    fn splits_at_top_level_semicolons() {
        assert_eq!(
            split(
                "CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql; -- x\n SELECT ';';\n-- end\n"
            ),
            [
                "CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql",
                "-- x\n SELECT ';'"
            ]
        );
        assert_eq!(split("SELECT 'unterminated"), ["SELECT 'unterminated"]);
    }

    #[test]
    fn parameters_are_substituted_outside_strings() {
        let p = parse_parameters("$1 = 'it''s', $2 = NULL, $10 = '5'").unwrap();
        assert_eq!(
            p,
            [
                (1, "'it''s'".into()),
                (2, "NULL".into()),
                (10, "'5'".into())
            ]
        );
        assert_eq!(
            substitute("INSERT INTO t VALUES ($1, $2, '$1', $10)", &p),
            "INSERT INTO t VALUES ('it''s', NULL, '$1', '5')"
        );
        assert!(parse_parameters("$1 = unquoted").is_none());
    }
}
