//! Why a change is destructive, for the migration header. The one-line descriptions and the
//! destructive rule itself are the differ's ([`Change::describe`], [`Change::is_destructive`]);
//! this adds the reason.

use autogen_diff::Change;

/// Why `change` can lose data or fail on existing rows, or `None` when it cannot.
pub fn destructive(change: &Change) -> Option<String> {
    if !change.is_destructive() {
        return None;
    }
    let why = match change {
        Change::DropTable { .. } => "the table and its rows are deleted",
        Change::DropColumn { .. } => "the column's values are deleted",
        Change::RemoveEnumValue { .. } => "fails while rows hold the value",
        Change::SetNotNull { .. } => "fails while the column holds NULLs",
        Change::AlterColumnType { .. } => "the new type may not hold every existing value",
        _ => "may lose data",
    };
    Some(format!("{}: {why}", change.describe()))
}
