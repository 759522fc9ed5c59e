//! Loads each entity root given on the command line with the sequential loader and with the
//! parallel one (two workers) and says whether they agree and which one the parallel load used:
//! `cargo run --release -p autogen-entity --example compare_loaders -- DIR...`. Used on real
//! projects (docs/compatibility.md); dependency crates are not read here.

fn main() {
    let opts = autogen_entity::LoadOptions::default();
    for root in std::env::args().skip(1) {
        let roots = vec![std::path::PathBuf::from(&root)];
        let seq = autogen_entity::load_with_workers(&roots, &opts, 0);
        let par = autogen_entity::load_with_workers(&roots, &opts, 2);
        let used = autogen_entity::last_load_was_parallel();
        println!(
            "{root}: tables {} diags {} parallel {} equal {}",
            par.schema.tables.len(),
            par.diagnostics.len(),
            used,
            seq == par
        );
    }
}
