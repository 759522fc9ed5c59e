//! `--format markdown` of `diff` and `check`: gathers what the pull-request report says (the
//! plan, the introspected model, the data-aware counts and table sizes) and hands it to the pure
//! renderer, [`autogen_codegen::markdown`].

use autogen_codegen::markdown::{DEFAULT_MAX_BYTES, DataNote, Report, TableSize, render};
use autogen_entity::Finding;

use crate::project::Comparison;

/// The report's Markdown for `cmp`, headed `title`; `online` as `diff --online` plans.
pub fn report(title: &str, cmp: &Comparison, online: Option<&autogen_codegen::Online>) -> String {
    let plan = &cmp.plan;
    let data: Vec<DataNote> = cmp
        .data
        .as_ref()
        .map(crate::safety::data_facts)
        .unwrap_or_default()
        .into_iter()
        .map(|(change, text)| DataNote { change, text })
        .collect();
    let sizes: Vec<TableSize> = cmp
        .data
        .as_ref()
        .map(|d| {
            d.sizes
                .iter()
                .map(|s| TableSize {
                    table: s.table.clone(),
                    estimated_rows: s.estimated_rows,
                    bytes: s.bytes,
                })
                .collect()
        })
        .unwrap_or_default();
    let mut remarks: Vec<String> = cmp.findings.iter().map(finding_line).collect();
    remarks.extend(crate::project::columns_without_type_line(
        crate::project::columns_without_type(&cmp.desired, &cmp.current),
    ));
    let withheld = crate::project::ensure_types_spelled(plan)
        .err()
        .map(|e| format!("{e:#}"));
    render(&Report {
        title,
        plan,
        current: &cmp.current,
        online,
        data: &data,
        sizes: &sizes,
        remarks: &remarks,
        max_bytes: DEFAULT_MAX_BYTES,
        sql_withheld: withheld.as_deref(),
    })
}

fn finding_line(f: &Finding) -> String {
    format!("Partial models: {}: {}", f.object(), f.message)
}
