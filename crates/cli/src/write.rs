//! Atomic file writes: a new migration file and the edited `lib.rs` are both written, or
//! neither is. Both are first written in full to temp files in their own directories, then
//! renamed into place; if the second rename fails, the first is undone.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result, bail};

/// Creates `new_file` (which must not exist) and replaces `edited` with `edited_text`.
pub fn create_and_replace(
    new_file: &Path,
    new_text: &str,
    edited: &Path,
    edited_text: &str,
) -> Result<()> {
    if new_file.exists() {
        bail!(
            "{} already exists; wait a second or choose another message",
            new_file.display()
        );
    }
    let new_tmp = temp_beside(new_file, new_text)?;
    let edited_tmp = temp_beside(edited, edited_text)?;
    if let Ok(meta) = std::fs::metadata(edited) {
        // Keep lib.rs's permissions.
        let _ = std::fs::set_permissions(edited_tmp.path(), meta.permissions());
    }
    new_tmp
        .persist_noclobber(new_file)
        .with_context(|| format!("cannot create {}", new_file.display()))?;
    if let Err(e) = edited_tmp.persist(edited) {
        let _ = std::fs::remove_file(new_file);
        return Err(e.error)
            .with_context(|| format!("cannot replace {} (nothing was changed)", edited.display()));
    }
    Ok(())
}

/// A temp file in `target`'s directory holding `text`, flushed to disk.
fn temp_beside(target: &Path, text: &str) -> Result<tempfile::NamedTempFile> {
    let dir = target
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut tmp = tempfile::Builder::new()
        .prefix(".autogen-")
        .tempfile_in(dir)
        .with_context(|| format!("cannot write in {}", dir.display()))?;
    tmp.write_all(text.as_bytes())
        .and_then(|_| tmp.as_file().sync_all())
        .with_context(|| format!("cannot write a temp file in {}", dir.display()))?;
    Ok(tmp)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_both() {
        let dir = tempfile::tempdir().unwrap();
        let lib = dir.path().join("lib.rs");
        std::fs::write(&lib, "old").unwrap();
        let new = dir.path().join("m1.rs");
        create_and_replace(&new, "mig", &lib, "new").unwrap();
        assert_eq!(std::fs::read_to_string(&new).unwrap(), "mig");
        assert_eq!(std::fs::read_to_string(&lib).unwrap(), "new");
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            2,
            "no temp files left"
        );
    }

    #[test]
    fn existing_target_changes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let lib = dir.path().join("lib.rs");
        std::fs::write(&lib, "old").unwrap();
        let new = dir.path().join("m1.rs");
        std::fs::write(&new, "keep").unwrap();
        assert!(create_and_replace(&new, "mig", &lib, "new").is_err());
        assert_eq!(std::fs::read_to_string(&lib).unwrap(), "old");
        assert_eq!(std::fs::read_to_string(&new).unwrap(), "keep");
    }

    #[test]
    fn failed_replace_undoes_the_new_file() {
        let dir = tempfile::tempdir().unwrap();
        // `edited` is a directory: the rename over it fails.
        let edited = dir.path().join("lib.rs");
        std::fs::create_dir(&edited).unwrap();
        std::fs::write(edited.join("x"), "").unwrap();
        let new = dir.path().join("m1.rs");
        assert!(create_and_replace(&new, "mig", &edited, "new").is_err());
        assert!(!new.exists());
        assert!(edited.is_dir());
    }
}
