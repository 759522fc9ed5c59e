//! The crates entity code may name, found the way cargo finds them: `cargo metadata --offline`
//! from the entity crate's manifest (workspace members, path dependencies, and registry or git
//! dependencies whose source is already on disk; no network, no build). When that fails
//! (offline with sources missing, a stale lock file, no cargo), path dependencies and workspace
//! members are read from the Cargo.toml files instead, with a note saying so.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, anyhow, bail};
use autogen_entity::Crates;
use serde_json::Value;

/// The crates, and notes for stderr.
#[derive(Debug, Default)]
pub struct Found {
    pub crates: Crates,
    pub notes: Vec<String>,
}

/// The crates the entity roots' crates may name.
pub fn find(entities: &[PathBuf]) -> Found {
    let mut found = Found::default();
    for manifest in manifests(entities) {
        let covered = ["src/lib.rs", "src/main.rs"].iter().any(|f| {
            let root = manifest.parent().unwrap_or(Path::new("")).join(f);
            canonical(&root).is_some_and(|r| found.crates.deps.contains_key(&r))
        });
        if covered {
            continue;
        }
        match cargo_metadata(&manifest) {
            Ok(v) => from_metadata(&v, &mut found.crates),
            Err(e) => {
                found.notes.push(format!(
                    "`cargo metadata` failed for {} ({e:#}); types are looked up only in path dependencies and workspace members read from Cargo.toml",
                    manifest.display()
                ));
                from_manifests(&manifest, &mut found.crates);
            }
        }
    }
    found
}

/// The `Cargo.toml` of the crate each entity root lies in (the nearest ancestor that has one).
fn manifests(entities: &[PathBuf]) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = Vec::new();
    for root in entities {
        let Some(abs) = canonical(root) else { continue };
        let found = abs
            .ancestors()
            .map(|a| a.join("Cargo.toml"))
            .find(|m| m.is_file());
        if let Some(m) = found
            && !out.contains(&m)
        {
            out.push(m);
        }
    }
    out
}

fn canonical(p: &Path) -> Option<PathBuf> {
    std::fs::canonicalize(p).ok()
}

/// `cargo metadata --format-version 1 --offline`. Cargo writes a `Cargo.lock` when there is
/// none; a lock file this run created is removed again, so the project is left as it was.
fn cargo_metadata(manifest: &Path) -> Result<Value> {
    let locks_before: Vec<PathBuf> = manifest
        .ancestors()
        .skip(1)
        .map(|d| d.join("Cargo.lock"))
        .filter(|l| l.is_file())
        .collect();
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let host = host_triple();
    let run = |toolchain: Option<&str>| {
        let mut cmd = Command::new(&cargo);
        cmd.args(["metadata", "--format-version", "1", "--offline"])
            .arg("--manifest-path")
            .arg(manifest);
        // Offline, dependencies of other platforms (e.g. chrono's on Android) are usually not
        // downloaded, and cargo would fail on them without this filter.
        if let Some(host) = &host {
            cmd.args(["--filter-platform", host]);
        }
        if let Some(t) = toolchain {
            cmd.env("RUSTUP_TOOLCHAIN", t);
        }
        cmd.output().context("cannot run cargo")
    };
    let mut out = run(None)?;
    // A `rust-toolchain.toml` pinning a toolchain that is not installed (rustup cannot fetch it
    // offline): reading metadata needs no particular toolchain, so use the default one.
    if !out.status.success()
        && String::from_utf8_lossy(&out.stderr).contains("is not installed")
        && let Some(default) = default_toolchain()
    {
        out = run(Some(&default))?;
    }
    let v: Option<Value> = serde_json::from_slice(&out.stdout).ok();
    if let Some(root) = v.as_ref().and_then(|v| v["workspace_root"].as_str()) {
        let lock = Path::new(root).join("Cargo.lock");
        if !locks_before.contains(&lock) && lock.is_file() {
            let _ = std::fs::remove_file(&lock);
        }
    }
    if !out.status.success() {
        let stderr = String::from_utf8_lossy(&out.stderr);
        let why = stderr
            .lines()
            .find(|l| l.starts_with("error"))
            .unwrap_or_else(|| stderr.lines().next().unwrap_or("no output"));
        bail!("{}", why.trim());
    }
    v.ok_or_else(|| anyhow!("its output is not JSON"))
}

/// rustup's default toolchain (`rustup default` prints `NAME (default)`), asked outside the
/// project so that its toolchain file does not apply.
fn default_toolchain() -> Option<String> {
    let out = Command::new("rustup")
        .arg("default")
        .current_dir(std::env::temp_dir())
        .output()
        .ok()?;
    let text = String::from_utf8(out.stdout).ok()?;
    let name = text.split_whitespace().next()?;
    Some(name.to_string())
}

/// The host's target triple, as `rustc -vV` prints it (asked outside the project, whose toolchain
/// file may name a toolchain that is not installed; the host is the same).
fn host_triple() -> Option<String> {
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    let out = Command::new(rustc)
        .arg("-vV")
        .current_dir(std::env::temp_dir())
        .output()
        .ok()?;
    let text = String::from_utf8(out.stdout).ok()?;
    let host = text.lines().find_map(|l| l.strip_prefix("host: "))?;
    Some(host.trim().to_string())
}

/// A package's targets: the library's root file and name, and the other targets' root files.
#[derive(Default)]
struct Targets {
    lib: Option<(String, PathBuf)>,
    others: Vec<PathBuf>,
}

/// Adds every package's dependencies (normal ones, as the code spells them) to `crates`.
fn from_metadata(v: &Value, crates: &mut Crates) {
    let mut targets: HashMap<&str, Targets> = HashMap::new();
    for p in v["packages"].as_array().into_iter().flatten() {
        let Some(id) = p["id"].as_str() else { continue };
        let t = targets.entry(id).or_default();
        for target in p["targets"].as_array().into_iter().flatten() {
            let (Some(name), Some(src)) = (target["name"].as_str(), target["src_path"].as_str())
            else {
                continue;
            };
            let kinds: Vec<&str> = target["kind"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .collect();
            let src = canonical(Path::new(src)).unwrap_or_else(|| PathBuf::from(src));
            if kinds.iter().any(|k| matches!(*k, "lib" | "rlib" | "dylib")) {
                t.lib = Some((name.replace('-', "_"), src));
            } else if kinds.contains(&"bin") {
                t.others.push(src);
            }
        }
    }
    for node in v["resolve"]["nodes"].as_array().into_iter().flatten() {
        let Some(t) = node["id"].as_str().and_then(|id| targets.get(id)) else {
            continue;
        };
        let mut names: BTreeMap<String, PathBuf> = BTreeMap::new();
        for d in node["deps"].as_array().into_iter().flatten() {
            let normal = d["dep_kinds"]
                .as_array()
                .into_iter()
                .flatten()
                .any(|k| k["kind"].is_null());
            let lib = d["pkg"]
                .as_str()
                .and_then(|pkg| targets.get(pkg))
                .and_then(|t| t.lib.as_ref());
            if let (true, Some(name), Some((_, src))) = (normal, d["name"].as_str(), lib) {
                names.insert(name.to_string(), src.clone());
            }
        }
        if let Some((_, src)) = &t.lib {
            crates.deps.insert(src.clone(), names.clone());
        }
        // A binary also names its own package's library.
        let mut bin_names = names;
        if let Some((name, src)) = &t.lib {
            bin_names.insert(name.clone(), src.clone());
        }
        for src in &t.others {
            crates.deps.insert(src.clone(), bin_names.clone());
        }
    }
}

/// The fallback: path dependencies (also `workspace = true` ones) read from `Cargo.toml`,
/// transitively from the entity crate's manifest.
fn from_manifests(manifest: &Path, crates: &mut Crates) {
    let workspace = workspace_deps(manifest);
    let mut queue = vec![manifest.to_path_buf()];
    let mut seen: Vec<PathBuf> = Vec::new();
    while let Some(m) = queue.pop() {
        let Some(m) = canonical(&m) else { continue };
        if seen.contains(&m) {
            continue;
        }
        seen.push(m.clone());
        let Some(info) = read_manifest(&m) else {
            continue;
        };
        let dir = m.parent().unwrap_or(Path::new("")).to_path_buf();
        let mut names = BTreeMap::new();
        for (key, spec) in info.deps {
            let (path, base) = match &spec {
                toml::Value::Table(t)
                    if t.get("workspace").and_then(|w| w.as_bool()) == Some(true) =>
                {
                    match workspace.get(&key) {
                        Some((p, base)) => (Some(p.clone()), base.clone()),
                        None => (None, dir.clone()),
                    }
                }
                toml::Value::Table(t) => (
                    t.get("path").and_then(|p| p.as_str()).map(str::to_string),
                    dir.clone(),
                ),
                _ => (None, dir.clone()),
            };
            let Some(path) = path else { continue };
            let dep_manifest = base.join(path).join("Cargo.toml");
            let Some(dep) = canonical(&dep_manifest).and_then(|d| read_manifest(&d)) else {
                continue;
            };
            let renamed = matches!(&spec, toml::Value::Table(t) if t.contains_key("package"));
            let name = if renamed {
                key.replace('-', "_")
            } else {
                dep.lib_name.clone()
            };
            if let Some(root) = dep.root {
                names.insert(name, root);
            }
            queue.push(dep_manifest);
        }
        if let Some(root) = &info.root {
            crates.deps.entry(root.clone()).or_insert(names);
        }
    }
}

struct Manifest {
    lib_name: String,
    /// The library's root file, else the binary's (canonical).
    root: Option<PathBuf>,
    deps: Vec<(String, toml::Value)>,
}

fn read_manifest(manifest: &Path) -> Option<Manifest> {
    let text = std::fs::read_to_string(manifest).ok()?;
    let v: toml::Table = toml::from_str(&text).ok()?;
    let package = v.get("package")?;
    let lib = v.get("lib");
    let lib_name = lib
        .and_then(|l| l.get("name"))
        .or_else(|| package.get("name"))
        .and_then(|n| n.as_str())?
        .replace('-', "_");
    let dir = manifest.parent()?;
    let lib_path = lib.and_then(|l| l.get("path")).and_then(|p| p.as_str());
    let root = lib_path
        .map(|p| dir.join(p))
        .into_iter()
        .chain(["src/lib.rs", "src/main.rs"].map(|f| dir.join(f)))
        .find_map(|p| canonical(&p));
    let deps = v
        .get("dependencies")
        .and_then(|d| d.as_table())
        .map(|t| t.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
        .unwrap_or_default();
    Some(Manifest {
        lib_name,
        root,
        deps,
    })
}

/// `[workspace.dependencies]` path entries of the workspace `manifest` belongs to: key →
/// (path, the workspace root it is relative to).
fn workspace_deps(manifest: &Path) -> HashMap<String, (String, PathBuf)> {
    let mut out = HashMap::new();
    let Some(abs) = canonical(manifest) else {
        return out;
    };
    for dir in abs.ancestors().skip(1) {
        let Ok(text) = std::fs::read_to_string(dir.join("Cargo.toml")) else {
            continue;
        };
        let Ok(v) = toml::from_str::<toml::Table>(&text) else {
            continue;
        };
        let Some(ws) = v.get("workspace") else {
            continue;
        };
        for (k, spec) in ws
            .get("dependencies")
            .and_then(|d| d.as_table())
            .into_iter()
            .flatten()
        {
            if let Some(p) = spec.get("path").and_then(|p| p.as_str()) {
                out.insert(k.clone(), (p.to_string(), dir.to_path_buf()));
            }
        }
        break;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../fixtures/workspace_types")
            .canonicalize()
            .unwrap()
    }

    /// The fixture copied, so that cargo's lock file and parallel tests don't meet.
    fn copy() -> (tempfile::TempDir, PathBuf) {
        let tmp = tempfile::tempdir().unwrap();
        let to = tmp.path().canonicalize().unwrap().join("ws");
        copy_dir(&fixture(), &to);
        (tmp, to)
    }

    fn copy_dir(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).unwrap();
        for e in std::fs::read_dir(from).unwrap() {
            let e = e.unwrap();
            if e.file_type().unwrap().is_dir() {
                copy_dir(&e.path(), &to.join(e.file_name()));
            } else {
                std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
            }
        }
    }

    /// Each crate root and the names it may use, relative to the workspace.
    fn render(crates: &Crates, root: &Path) -> Vec<String> {
        let rel = |p: &Path| p.strip_prefix(root).unwrap_or(p).display().to_string();
        crates
            .deps
            .iter()
            .map(|(file, names)| {
                let names: Vec<String> = names
                    .iter()
                    .map(|(n, f)| format!("{n} = {}", rel(f)))
                    .collect();
                format!("{}: {}", rel(file), names.join(", "))
            })
            .collect()
    }

    const EXPECTED: [&str; 3] = [
        "entity/src/lib.rs: kinds = vendor/file-kinds/src/lib.rs, shared_types = shared/src/lib.rs",
        "shared/src/lib.rs: ",
        "vendor/file-kinds/src/lib.rs: ",
    ];

    #[test]
    fn cargo_metadata_finds_members_and_renamed_path_dependencies() {
        let (_tmp, ws) = copy();
        let found = find(&[ws.join("entity/src/entities")]);
        assert_eq!(found.notes, Vec::<String>::new());
        assert_eq!(render(&found.crates, &ws), EXPECTED);
        // The lock file cargo wrote is gone again.
        assert!(!ws.join("Cargo.lock").exists());
    }

    /// This repository: registry dependencies resolve to their sources on disk, offline, also
    /// when some platform-specific dependency (chrono's on Android) was never downloaded.
    #[test]
    fn registry_dependencies_resolve_to_their_sources_on_disk() {
        let found = find(&[PathBuf::from(env!("CARGO_MANIFEST_DIR"))]);
        assert_eq!(found.notes, Vec::<String>::new());
        let entity = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../entity/src/lib.rs")
            .canonicalize()
            .unwrap();
        let syn = &found.crates.deps[&entity]["syn"];
        assert!(syn.is_file(), "{}", syn.display());
        assert!(
            syn.display().to_string().contains("syn"),
            "{}",
            syn.display()
        );
    }

    #[test]
    fn without_cargo_metadata_path_dependencies_come_from_the_manifests() {
        let (_tmp, ws) = copy();
        let mut crates = Crates::default();
        from_manifests(&ws.join("entity/Cargo.toml"), &mut crates);
        assert_eq!(render(&crates, &ws), EXPECTED);
    }

    #[test]
    fn a_failing_cargo_metadata_falls_back_with_a_note() {
        let (_tmp, ws) = copy();
        // A dependency cargo cannot find offline.
        let manifest = ws.join("entity/Cargo.toml");
        let text = std::fs::read_to_string(&manifest).unwrap();
        std::fs::write(
            &manifest,
            format!("{text}no-such-crate-anywhere = \"1.0\"\n"),
        )
        .unwrap();
        let found = find(&[ws.join("entity")]);
        assert_eq!(found.notes.len(), 1, "{:?}", found.notes);
        assert!(
            found.notes[0].contains("`cargo metadata` failed"),
            "{:?}",
            found.notes
        );
        assert_eq!(render(&found.crates, &ws), EXPECTED);
    }
}
