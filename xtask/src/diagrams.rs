//! `cargo xtask render-diagrams`: proves the diagram output valid by rendering it with the real
//! renderers, which `cargo test` cannot use (CI stays lean and offline): Mermaid through
//! mermaid-cli (`mmdc`, headless Chromium) and DOT through Graphviz (`dot`).
//!
//! Inputs, written to the output directory first:
//! - every ```` ```mermaid ```` block of the report snapshots (`fixtures/report/*.md`: the blog
//!   example's `diff` and `check` reports, the plan with every change kind) and the `.mmd` /
//!   `.dot` snapshots there (`inspect` of the blog example);
//! - the blog example's entities, whole (`inspect --entities` form), as Mermaid and DOT;
//! - a synthetic 50-table schema (`gen`), as Mermaid and DOT, and the diagram of the PR report
//!   that creates it (bounded to 40 tables);
//! - a schema of hostile names (quotes, line breaks, Mermaid keywords, directives, HTML), as
//!   Mermaid and DOT.
//!
//! First a control: a diagram Mermaid rejects must make `mmdc` fail. Then each is rendered to
//! SVG and PNG (`x.mmd` → `x.mmd.svg`, `x.mmd.png`); a renderer's failure, or an SVG holding
//! Mermaid's "Syntax error" picture, fails the task. mermaid-cli is installed on first use with npm under
//! `target/mermaid-cli` (`PUPPETEER_SKIP_DOWNLOAD=1`: the browser is the system's Chromium,
//! `$CHROMIUM` or `/usr/bin/chromium`); `$MMDC` names an existing `mmdc` instead.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, bail};
use autogen_codegen::diagram;
use autogen_schema::{Column, ForeignKey, PrimaryKey, Schema, Table, Type};

pub struct Options {
    pub out: PathBuf,
}

pub fn run(repo: &Path, options: &Options) -> anyhow::Result<()> {
    let out = &options.out;
    std::fs::create_dir_all(out).with_context(|| format!("cannot create {}", out.display()))?;
    let mut mermaid = Vec::new();
    let mut dot = Vec::new();

    // The committed snapshots.
    let fixtures = repo.join("fixtures/report");
    let mut entries: Vec<PathBuf> = std::fs::read_dir(&fixtures)
        .with_context(|| format!("cannot read {}", fixtures.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for path in entries {
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let text = std::fs::read_to_string(&path)?;
        match path.extension().and_then(|e| e.to_str()) {
            Some("md") => {
                for (i, block) in mermaid_blocks(&text).into_iter().enumerate() {
                    mermaid.push(write(out, &format!("{stem}-{}.mmd", i + 1), &block)?);
                }
            }
            Some("mmd") => mermaid.push(write(out, &format!("{stem}.mmd"), &text)?),
            Some("dot") => dot.push(write(out, &format!("{stem}.dot"), &text)?),
            _ => {}
        }
    }

    // The blog example's entities, the 50-table schema, the hostile names.
    let blog = load_entities(&repo.join("examples/blog/entity/src"))?;
    let gen_dir = tempfile::tempdir()?;
    crate::generate::write_project(gen_dir.path(), &crate::generate::GenOptions { tables: 50 })?;
    let fifty = load_entities(&gen_dir.path().join("entity"))?;
    anyhow::ensure!(
        fifty.tables.len() == 50,
        "the generated schema has {} tables, not 50",
        fifty.tables.len()
    );
    // The PR report of creating the 50 tables: its diagram is the bounded one (40 tables).
    let plan = autogen_diff::diff(&fifty, &Schema::default(), &Default::default());
    let report = autogen_codegen::markdown::render(&autogen_codegen::markdown::Report {
        title: "autogen diff",
        plan: &plan,
        current: &Schema::default(),
        online: None,
        data: &[],
        sizes: &[],
        remarks: &[],
        max_bytes: autogen_codegen::markdown::DEFAULT_MAX_BYTES,
        sql_withheld: None,
    });
    write(out, "fifty_tables_report.md", &report)?;
    for (i, block) in mermaid_blocks(&report).into_iter().enumerate() {
        mermaid.push(write(
            out,
            &format!("fifty_tables_report-{}.mmd", i + 1),
            &block,
        )?);
    }
    for (name, schema) in [
        ("blog_entities", blog),
        ("fifty_tables", fifty),
        ("hostile_names", hostile()),
    ] {
        let d = diagram::of_schema(&schema, &diagram::Filter::default());
        mermaid.push(write(out, &format!("{name}.mmd"), &diagram::mermaid(&d))?);
        dot.push(write(out, &format!("{name}.dot"), &diagram::dot(&d))?);
    }

    let mmdc = mermaid_cli(repo)?;
    let config = out.join("puppeteer.json");
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    std::fs::write(
        &config,
        serde_json::json!({
            "executablePath": chromium,
            "headless": "shell",
            "args": ["--no-sandbox", "--headless", "--disable-gpu",
                     "--disable-background-networking", "--disable-component-update",
                     "--disable-sync"],
        })
        .to_string(),
    )?;
    // A control: a diagram Mermaid rejects (a column named like a key word) must fail, or the
    // check below proves nothing.
    let broken = write(
        out,
        "control_broken.mmd",
        "erDiagram\n    a {\n        integer pk PK\n    }\n",
    )?;
    let r = Command::new(&mmdc)
        .arg("-p")
        .arg(&config)
        .arg("-i")
        .arg(&broken)
        .arg("-o")
        .arg(rendered(&broken, "svg"))
        .arg("-q")
        .output()
        .with_context(|| format!("cannot run {}", mmdc.display()))?;
    if r.status.success() {
        bail!("mmdc accepted the broken control diagram: its exit status proves nothing");
    }
    let mut failures = Vec::new();
    for input in &mermaid {
        for ext in ["svg", "png"] {
            let output = rendered(input, ext);
            let r = Command::new(&mmdc)
                .arg("-p")
                .arg(&config)
                .arg("-i")
                .arg(input)
                .arg("-o")
                .arg(&output)
                .args(["-b", "white", "-q"])
                .output()
                .with_context(|| format!("cannot run {}", mmdc.display()))?;
            if !r.status.success() {
                failures.push(format!(
                    "mmdc {}: {}",
                    input.display(),
                    String::from_utf8_lossy(&r.stderr).trim()
                ));
            } else if ext == "svg" {
                let svg = std::fs::read_to_string(&output).unwrap_or_default();
                if svg.contains("Syntax error") || !svg.contains("<svg") {
                    failures.push(format!(
                        "mmdc {}: the SVG is an error picture",
                        input.display()
                    ));
                }
            }
        }
    }
    for input in &dot {
        for ext in ["svg", "png"] {
            let r = Command::new("dot")
                .arg(format!("-T{ext}"))
                .arg(input)
                .arg("-o")
                .arg(rendered(input, ext))
                .output()
                .context("cannot run Graphviz's dot (apt-get install graphviz)")?;
            let stderr = String::from_utf8_lossy(&r.stderr);
            if !r.status.success() || !stderr.trim().is_empty() {
                failures.push(format!("dot {}: {}", input.display(), stderr.trim()));
            }
        }
    }
    if !failures.is_empty() {
        for f in &failures {
            eprintln!("{f}");
        }
        bail!("{} rendering(s) failed", failures.len());
    }
    eprintln!(
        "rendered {} Mermaid and {} DOT diagram(s) to SVG and PNG in {}",
        mermaid.len(),
        dot.len(),
        out.display()
    );
    Ok(())
}

/// `x.mmd` → `x.mmd.svg`: a Mermaid and a DOT diagram of the same name do not collide.
fn rendered(input: &Path, ext: &str) -> PathBuf {
    let mut name = input.as_os_str().to_owned();
    name.push(format!(".{ext}"));
    PathBuf::from(name)
}

fn write(dir: &Path, name: &str, text: &str) -> anyhow::Result<PathBuf> {
    let path = dir.join(name);
    std::fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))?;
    Ok(path)
}

/// The bodies of the ```` ```mermaid ```` blocks of a Markdown text.
fn mermaid_blocks(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current: Option<String> = None;
    for line in text.lines() {
        match &mut current {
            None if line == "```mermaid" => current = Some(String::new()),
            None => {}
            Some(_) if line == "```" => out.extend(current.take()),
            Some(body) => {
                body.push_str(line);
                body.push('\n');
            }
        }
    }
    out
}

fn load_entities(dir: &Path) -> anyhow::Result<Schema> {
    let loaded = autogen_entity::load(&[dir.to_path_buf()], &Default::default());
    if loaded.has_errors() {
        bail!("cannot load the entities in {}", dir.display());
    }
    let mut schema = loaded.schema;
    schema.normalize();
    Ok(schema)
}

/// Names that would break Mermaid or DOT if written as they are, in a chain of foreign keys.
fn hostile() -> Schema {
    let names = [
        "order items",
        "a\"b",
        "x\n}\nerDiagram",
        "end",
        "style",
        "t_1",
        "pk",
        "1st",
        "direction TB",
        "%%{init: {\"theme\":\"dark\"}}%%",
        "```",
        "<script>alert(1)</script>",
        "#quot;",
        "a|b",
        "x] {",
        "naïve",
    ];
    let mut tables: Vec<Table> = Vec::new();
    for (i, n) in names.iter().enumerate() {
        let mut t = Table::new(if i % 3 == 0 { "public" } else { "other \"s\"" }, *n);
        t.columns = vec![
            Column::new("id", Type::Integer),
            Column::new(*n, Type::parse_pg("numeric(10,2)")),
            Column::new("parent", Type::Integer),
        ];
        t.primary_key = Some(PrimaryKey {
            name: format!("{n}_pkey"),
            columns: vec!["id".into()],
        });
        if let Some(prev) = tables.last() {
            t.foreign_keys = vec![ForeignKey {
                name: (*n).into(),
                columns: vec!["parent".into()],
                ref_schema: prev.schema.clone(),
                ref_table: prev.name.clone(),
                ref_columns: vec!["id".into()],
                on_delete: Default::default(),
                on_update: Default::default(),
                match_type: Default::default(),
                deferrable: false,
                initially_deferred: false,
                actions_stated: Default::default(),
                not_valid: false,
            }];
        }
        tables.push(t);
    }
    Schema {
        tables,
        ..Schema::default()
    }
}

/// `$MMDC`, or mermaid-cli under `target/mermaid-cli`, installed there with npm on first use.
fn mermaid_cli(repo: &Path) -> anyhow::Result<PathBuf> {
    if let Ok(path) = std::env::var("MMDC") {
        return Ok(PathBuf::from(path));
    }
    let prefix = repo.join("target/mermaid-cli");
    let mmdc = prefix.join("node_modules/.bin/mmdc");
    if mmdc.exists() {
        return Ok(mmdc);
    }
    std::fs::create_dir_all(&prefix)?;
    eprintln!(
        "installing @mermaid-js/mermaid-cli under {}",
        prefix.display()
    );
    let status = Command::new("npm")
        .args(["install", "--no-audit", "--no-fund", "--prefix"])
        .arg(&prefix)
        .arg("@mermaid-js/mermaid-cli")
        .env("PUPPETEER_SKIP_DOWNLOAD", "1")
        .status()
        .context("cannot run npm (install Node.js, or set MMDC to an mmdc binary)")?;
    if !status.success() || !mmdc.exists() {
        bail!(
            "npm could not install @mermaid-js/mermaid-cli under {}",
            prefix.display()
        );
    }
    Ok(mmdc)
}
