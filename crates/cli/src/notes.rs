//! The differ's notes on stderr: hints, review items and hazards one line each; database objects
//! the entities leave alone summarized in one line per kind unless `--verbose` asks for the list.

use std::collections::BTreeMap;

use autogen_diff::{Note, ObjectKind};

/// The `note: …` lines for `notes`, in order; unmanaged objects summarized per kind after the
/// others unless `verbose`.
pub fn lines(notes: &[&Note], verbose: bool) -> Vec<String> {
    let mut out = Vec::new();
    let mut unmanaged: BTreeMap<ObjectKind, usize> = BTreeMap::new();
    for n in notes {
        match n.object_kind {
            Some(kind) if !verbose => *unmanaged.entry(kind).or_default() += 1,
            _ => out.push(format!("note: {}: {}", n.object, n.message)),
        }
    }
    for (kind, count) in unmanaged {
        let (noun, verb) = if count == 1 {
            (kind.singular(), "is")
        } else {
            (kind.plural(), "are")
        };
        out.push(format!(
            "note: {count} {noun} that entities do not declare {verb} left alone; --verbose lists {}",
            if count == 1 { "it" } else { "them" }
        ));
    }
    out
}

/// Prints [`lines`] to stderr.
pub fn print(notes: &[&Note], verbose: bool) {
    for line in lines(notes, verbose) {
        crate::warnln!("{line}");
    }
}

#[cfg(test)]
mod tests {
    use autogen_diff::{Note, NoteKind, ObjectKind};
    use expect_test::expect;

    fn note(object: &str, message: &str, object_kind: Option<ObjectKind>) -> Note {
        Note {
            kind: if object_kind.is_some() {
                NoteKind::Unmanaged
            } else {
                NoteKind::RenameHint
            },
            object: object.into(),
            message: message.into(),
            change: None,
            object_kind,
        }
    }

    #[test]
    fn unmanaged_objects_are_one_line_per_kind_unless_verbose() {
        let notes = [
            note(
                "public.a.idx_a",
                "index idx_a is …; kept",
                Some(ObjectKind::Index),
            ),
            note(
                "public.b.idx_b",
                "index idx_b is …; kept",
                Some(ObjectKind::Index),
            ),
            note("public.a.old", "column old is dropped and …", None),
            note(
                "public.a.a_fk",
                "foreign key a_fk …; kept",
                Some(ObjectKind::ForeignKey),
            ),
        ];
        let refs: Vec<&Note> = notes.iter().collect();
        expect![[r#"
            note: public.a.old: column old is dropped and …
            note: 2 indexes that entities do not declare are left alone; --verbose lists them
            note: 1 foreign key that entities do not declare is left alone; --verbose lists it
        "#]]
        .assert_eq(&(super::lines(&refs, false).join("\n") + "\n"));
        expect![[r#"
            note: public.a.idx_a: index idx_a is …; kept
            note: public.b.idx_b: index idx_b is …; kept
            note: public.a.old: column old is dropped and …
            note: public.a.a_fk: foreign key a_fk …; kept
        "#]]
        .assert_eq(&(super::lines(&refs, true).join("\n") + "\n"));
    }
}
