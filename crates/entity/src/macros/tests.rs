//! Unit tests of the matcher and transcriber: each fragment kind, repetitions with and without
//! separators, nesting, several rules, no match, and arbitrary token streams (proptest).

use expect_test::{Expect, expect};
use proc_macro2::{Ident, Span, TokenStream};

use super::{MacroDef, expand};

/// Expands `input` with the `macro_rules!` item `def`; the tokens, or `error: …`.
fn run(def: &str, input: &str) -> String {
    let item: syn::ItemMacro = match syn::parse_str(def) {
        Ok(i) => i,
        Err(e) => return format!("bad test definition: {e}"),
    };
    let Some(def) = MacroDef::parse(&item) else {
        return "not a macro_rules! item".into();
    };
    let input: TokenStream = input.parse().expect("test input lexes");
    let krate = Ident::new("crate", Span::call_site());
    let mut budget = 100_000;
    match expand(&def, input, &krate, &mut budget) {
        Ok(ts) => ts.to_string(),
        Err(e) => format!("error: {e}"),
    }
}

fn check(def: &str, input: &str, expect: Expect) {
    expect.assert_eq(&run(def, input));
}

#[test]
fn ident_fragment() {
    let def = "macro_rules! m { ($n:ident) => { pub struct $n(pub Uuid); } }";
    check(def, "UserId", expect!["pub struct UserId (pub Uuid) ;"]);
    check(def, "r#type", expect!["pub struct r#type (pub Uuid) ;"]);
    check(
        def,
        "_",
        expect!["error: no rule of `m!` matches this invocation"],
    );
    check(
        def,
        "1",
        expect!["error: no rule of `m!` matches this invocation"],
    );
    check(
        def,
        "a b",
        expect!["error: no rule of `m!` matches this invocation"],
    );
}

#[test]
fn ty_fragment_ends_where_the_type_ends() {
    let def = "macro_rules! m { ($n:ident, $t:ty) => { pub struct $n(pub $t); } }";
    check(
        def,
        "Tags, Vec<Option<String>>",
        expect!["pub struct Tags (pub Vec < Option < String >>) ;"],
    );
    check(
        def,
        "Ref, &'static [u8; 4]",
        expect!["pub struct Ref (pub &'static [u8 ; 4]) ;"],
    );
    check(
        def,
        "X, 1 + 2",
        expect!["error: no rule of `m!` matches this invocation"],
    );
}

#[test]
fn expr_fragment_keeps_its_precedence() {
    let def = "macro_rules! m { ($e:expr) => { const X: i32 = $e * 2; } }";
    // The expression is passed on in an invisible group, as rustc does.
    check(def, "1 + 1", expect!["const X : i32 = 1 + 1 * 2 ;"]);
    let item: syn::ItemMacro = syn::parse_str(def).unwrap();
    let mac = MacroDef::parse(&item).unwrap();
    let krate = Ident::new("crate", Span::call_site());
    let out = expand(&mac, "1 + 1".parse().unwrap(), &krate, &mut 1000).unwrap();
    let parsed: syn::ItemConst = syn::parse2(out).expect("expansion parses");
    let syn::Expr::Binary(mul) = &*parsed.expr else {
        panic!("not a binary expression: {parsed:?}");
    };
    assert!(matches!(mul.op, syn::BinOp::Mul(_)));
    assert!(matches!(&*mul.left, syn::Expr::Group(_)));
    // Atoms (attribute values) are passed on as they are.
    let out = expand(&mac, "-1".parse().unwrap(), &krate, &mut 1000).unwrap();
    assert!(!out.to_string().contains('('));
    let parsed: syn::ItemConst = syn::parse2(out).expect("expansion parses");
    assert!(
        matches!(&*parsed.expr, syn::Expr::Binary(b) if matches!(&*b.left, syn::Expr::Unary(_)))
    );
    let def = "macro_rules! m { ($a:expr, $b:expr) => { [$b, $a] } }";
    check(def, "f(1, 2), x.y[3]", expect!["[x . y [3] , f (1 , 2)]"]);
}

#[test]
fn literal_lifetime_path_vis_meta_fragments() {
    check(
        "macro_rules! m { ($l:literal) => { x = $l; } }",
        "-12",
        expect!["x = - 12 ;"],
    );
    check(
        "macro_rules! m { ($l:literal) => { x = $l; } }",
        "\"text\"",
        expect![[r#"x = "text" ;"#]],
    );
    check(
        "macro_rules! m { ($l:literal) => { x = $l; } }",
        "ident",
        expect!["error: no rule of `m!` matches this invocation"],
    );
    check(
        "macro_rules! m { ($lt:lifetime) => { struct S<$lt>(&$lt str); } }",
        "'a",
        expect!["struct S <'a > (&'a str) ;"],
    );
    check(
        "macro_rules! m { ($p:path) => { type T = $p; } }",
        "crate::ids::UserId",
        expect!["type T = crate :: ids :: UserId ;"],
    );
    check(
        "macro_rules! m { ($v:vis struct $n:ident) => { $v struct $n; } }",
        "pub(crate) struct A",
        expect!["pub (crate) struct A ;"],
    );
    check(
        "macro_rules! m { ($v:vis struct $n:ident) => { $v struct $n; } }",
        "struct A",
        expect!["struct A ;"],
    );
    check(
        "macro_rules! m { ($(#[$m:meta])* $n:ident) => { $(#[$m])* struct $n; } }",
        "#[derive(Debug)] #[sea_orm(rs_type = \"String\")] A",
        expect![[r#"# [derive (Debug)] # [sea_orm (rs_type = "String")] struct A ;"#]],
    );
}

#[test]
fn item_block_tt_fragments() {
    check(
        "macro_rules! m { ($($i:item)*) => { mod inner { $($i)* } } }",
        "pub struct A; pub enum B { X }",
        expect!["mod inner { pub struct A ; pub enum B { X } }"],
    );
    check(
        "macro_rules! m { ($b:block) => { fn f() $b } }",
        "{ 1 + 2 }",
        expect!["fn f () { 1 + 2 }"],
    );
    // A lifetime and a multi-character operator are one token tree each.
    check(
        "macro_rules! m { ($a:tt $b:tt $c:tt) => { [$c] [$b] [$a] } }",
        "'a => (x y)",
        expect!["[(x y)] [=>] ['a]"],
    );
}

#[test]
fn repetitions_with_separators() {
    let def = "macro_rules! ids { ($($n:ident),* $(,)?) => { $(pub struct $n(pub Uuid);)* } }";
    check(
        def,
        "A, B, C",
        expect!["pub struct A (pub Uuid) ; pub struct B (pub Uuid) ; pub struct C (pub Uuid) ;"],
    );
    check(
        def,
        "A, B,",
        expect!["pub struct A (pub Uuid) ; pub struct B (pub Uuid) ;"],
    );
    check(def, "", expect![""]);
    check(
        def,
        "A B",
        expect!["error: no rule of `ids!` matches this invocation"],
    );
    let def = "macro_rules! m { ($($n:ident)+) => { [$($n);+] } }";
    check(def, "a b c", expect!["[a ; b ; c]"]);
    check(
        def,
        "",
        expect!["error: no rule of `m!` matches this invocation"],
    );
    let def = "macro_rules! m { ($($k:ident => $v:ty);*) => { $(type $k = $v;)* } }";
    check(
        def,
        "A => i64; B => String",
        expect!["type A = i64 ; type B = String ;"],
    );
    let def = "macro_rules! m { ($($n:ident)::+) => { use $($n)::+; } }";
    check(def, "a::b::C", expect!["use a :: b :: C ;"]);
    let def = "macro_rules! m { ($($n:ident)?) => { [$($n)?] } }";
    check(def, "", expect!["[]"]);
    check(def, "x", expect!["[x]"]);
}

#[test]
fn repetitions_give_back_iterations() {
    // Greedy repetitions back off when the rest of the rule needs the tokens.
    let def = "macro_rules! m { ($($a:ident)* ; $($b:tt)*) => { [$($a)*] [$($b)*] } }";
    check(def, "x y ; z", expect!["[x y] [z]"]);
    let def = "macro_rules! m { ($($a:ident +)* $b:ident) => { [$($a)*] $b } }";
    check(def, "x + y + z", expect!["[x y] z"]);
}

#[test]
fn nested_repetitions() {
    let def = "macro_rules! m { ($($e:ident { $($v:ident),* });*) => {
        $(pub enum $e { $($v),* })*
    } }";
    check(
        def,
        "Mood { Happy, Sad }; Size { S, M, L }",
        expect!["pub enum Mood { Happy , Sad } pub enum Size { S , M , L }"],
    );
    // A variable of the outer repetition is repeated inside the inner one.
    let def = "macro_rules! m { ($($e:ident: $($v:ident)*),*) => { $($(const $v: &str = stringify!($e);)*)* } }";
    check(
        def,
        "A: x y, B: z",
        expect![
            "const x : & str = stringify ! (A) ; const y : & str = stringify ! (A) ; const z : & str = stringify ! (B) ;"
        ],
    );
    // Used at the wrong depth.
    let def = "macro_rules! m { ($($n:ident),*) => { $n } }";
    check(
        def,
        "a, b",
        expect!["error: variable `$n` is still repeating at this depth"],
    );
    let def = "macro_rules! m { ($($a:ident),* ; $($b:ident),*) => { $(($a, $b))* } }";
    check(
        def,
        "x, y ; z",
        expect!["error: `$b` repeats 1 times but `$a` repeats 2 times"],
    );
}

#[test]
fn rules_are_tried_in_order() {
    let def = r#"macro_rules! id {
        ($n:ident) => { id!($n, Uuid); };
        ($n:ident, i64) => { pub struct $n(pub i64); };
        ($n:ident, $t:ty) => { pub struct $n(pub $t); };
    }"#;
    check(def, "UserId", expect!["id ! (UserId , Uuid) ;"]);
    check(def, "Seq, i64", expect!["pub struct Seq (pub i64) ;"]);
    check(
        def,
        "Name, String",
        expect!["pub struct Name (pub String) ;"],
    );
    check(
        def,
        "1",
        expect!["error: no rule of `id!` matches this invocation"],
    );
}

#[test]
fn literal_tokens_and_groups_in_patterns() {
    let def = "macro_rules! m { (enum $n:ident as $db:literal { $($v:ident),* }) => {
        #[sea_orm(enum_name = $db)] pub enum $n { $($v),* }
    } }";
    check(
        def,
        "enum Mood as \"mood\" { Happy, Sad }",
        expect![[r##"# [sea_orm (enum_name = "mood")] pub enum Mood { Happy , Sad }"##]],
    );
    check(
        def,
        "enum Mood as \"mood\" [ Happy ]",
        expect!["error: no rule of `m!` matches this invocation"],
    );
    check(
        def,
        "struct Mood as \"mood\" { Happy }",
        expect!["error: no rule of `m!` matches this invocation"],
    );
}

#[test]
fn crate_and_foreign_variables() {
    let def = "macro_rules! m { ($n:ident) => { pub struct $n(pub $crate::Id); macro_rules! inner { ($x:ident) => { $x } } } }";
    check(
        def,
        "A",
        expect![
            "pub struct A (pub crate :: Id) ; macro_rules ! inner { ($ x : ident) => { $ x } }"
        ],
    );
    let item: syn::ItemMacro = syn::parse_str(def).unwrap();
    let def = MacroDef::parse(&item).unwrap();
    let krate = Ident::new("common", Span::call_site());
    let out = expand(&def, "A".parse().unwrap(), &krate, &mut 1000).unwrap();
    assert!(
        out.to_string()
            .starts_with("pub struct A (pub common :: Id)")
    );
}

#[test]
fn unusable_definitions() {
    check(
        "macro_rules! m { ($x:foo) => {} }",
        "a",
        expect!["error: `m!` cannot be used: fragment `$x:foo` is not supported"],
    );
    check(
        "macro_rules! m { ($x) => {} }",
        "a",
        expect!["error: `m!` cannot be used: `$x` has no fragment specifier"],
    );
    check(
        "macro_rules! m { ($($x:ident)) => {} }",
        "a",
        expect![
            "error: `m!` cannot be used: a repetition `$( … )` must end with `*`, `+` or `?` (after an optional separator)"
        ],
    );
    check(
        "macro_rules! m { ($x:ident) {} }",
        "a",
        expect![
            "error: `m!` cannot be used: its rules are not of the form `(pattern) => { body }`"
        ],
    );
    check(
        "macro_rules! m { () => { $(x)* } }",
        "",
        expect!["error: a repetition in the rule body uses no variable that repeats at this depth"],
    );
}

#[test]
fn output_budget_is_enforced() {
    let item: syn::ItemMacro =
        syn::parse_str("macro_rules! m { ($($t:tt)*) => { $($t $t $t)* } }").unwrap();
    let def = MacroDef::parse(&item).unwrap();
    let krate = Ident::new("crate", Span::call_site());
    let input: TokenStream = "a ".repeat(100).parse().unwrap();
    let r = expand(&def, input, &krate, &mut 50);
    assert_eq!(r.unwrap_err(), "the expansion is too large");
}

mod prop {
    use proptest::prelude::*;

    use super::run;

    /// Token soup: identifiers, punctuation, literals, fragments and groups.
    fn token() -> impl Strategy<Value = String> {
        let leaf = prop_oneof![
            Just("a".to_string()),
            Just("_".to_string()),
            Just("'a".to_string()),
            Just("1".to_string()),
            Just("\"s\"".to_string()),
            Just("$".to_string()),
            Just("$x:ident".to_string()),
            Just("$t:ty".to_string()),
            Just("$e:expr".to_string()),
            Just("$tt:tt".to_string()),
            Just("$i:item".to_string()),
            Just("$v:vis".to_string()),
            Just("$crate".to_string()),
            Just(",".to_string()),
            Just(";".to_string()),
            Just("=>".to_string()),
            Just("::".to_string()),
            Just("*".to_string()),
            Just("+".to_string()),
            Just("?".to_string()),
            Just("<".to_string()),
            Just(">".to_string()),
            Just("-".to_string()),
            Just("#".to_string()),
            Just("pub".to_string()),
            Just("struct".to_string()),
        ];
        leaf.prop_recursive(4, 48, 6, |inner| {
            (prop::collection::vec(inner, 0..6), 0..5usize).prop_map(|(v, kind)| {
                let body = v.join(" ");
                match kind {
                    0 => format!("({body})"),
                    1 => format!("[{body}]"),
                    2 => format!("{{{body}}}"),
                    3 => format!("$({body})*"),
                    _ => format!("$({body}),+"),
                }
            })
        })
    }

    fn stream() -> impl Strategy<Value = String> {
        prop::collection::vec(token(), 0..10).prop_map(|v| v.join(" "))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]
        /// Arbitrary patterns, bodies and inputs never panic.
        #[test]
        fn arbitrary_tokens_never_panic(pattern in stream(), body in stream(), input in stream()) {
            let def = format!("macro_rules! m {{ ({pattern}) => {{ {body} }} }}");
            let _ = run(&def, &input);
        }

        /// An input built from the pattern's own tokens (the likely-matching case) never
        /// panics either.
        #[test]
        fn self_shaped_inputs_never_panic(pattern in stream(), body in stream()) {
            let def = format!("macro_rules! m {{ ({pattern}) => {{ {body} }} }}");
            let input = pattern.replace('$', "");
            let _ = run(&def, &input);
        }
    }
}
