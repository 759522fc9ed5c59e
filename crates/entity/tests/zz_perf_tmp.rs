//! temporary
#[test]
fn perf() {
    for _ in 0..3 {
        let t = std::time::Instant::now();
        let l = autogen_entity::load(
            &[std::path::PathBuf::from("/tmp/gen5000/entity")],
            &Default::default(),
        );
        eprintln!("{} tables {:?}", l.schema.tables.len(), t.elapsed());
    }
}
