//! Registering a new migration in a migration crate's `lib.rs`: a `mod` line after the last
//! migration module and a `Box::new(m…::Migration),` entry at the end of the `vec![…]` in
//! `fn migrations()`. A minimal text edit: every other byte, comment and marker stays (a
//! loco-style `// inject-above` marker inside the vec keeps its place and the entry goes above
//! it), unlike `sea-orm-cli migrate generate`, which rewrites the whole vec.

/// Why the registration edit could not be made.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum RegisterError {
    #[error("lib.rs has no `fn migrations()`: register {module} in the Migrator by hand")]
    NoMigrationsFn { module: String },
    #[error("`fn migrations()` in lib.rs has no `vec![...]`: register {module} by hand")]
    NoVec { module: String },
    #[error("the `vec![` in `fn migrations()` (lib.rs line {line}) is never closed")]
    Unclosed { line: usize },
    #[error("{module} is already registered in lib.rs (line {line})")]
    AlreadyRegistered { module: String, line: usize },
}

/// Comments that mark where generated entries go.
const MARKERS: &[&str] = &["inject-above"];

/// `lib_rs` with `mod {module};` and `Box::new({module}::Migration),` added.
pub fn register_migration(lib_rs: &str, module: &str) -> Result<String, RegisterError> {
    let code = code_mask(lib_rs);
    if let Some(pos) = find_mod_line(lib_rs, module)
        .or_else(|| find_code(lib_rs, &code, &format!("{module}::Migration"), 0))
    {
        return Err(RegisterError::AlreadyRegistered {
            module: module.to_string(),
            line: line_of(lib_rs, pos),
        });
    }
    // The vec entry first (it is later in the file), then the mod line, so offsets stay valid.
    let fn_pos = find_code(lib_rs, &code, "fn migrations", 0).ok_or_else(|| {
        RegisterError::NoMigrationsFn {
            module: module.to_string(),
        }
    })?;
    let vec_pos = find_code(lib_rs, &code, "vec!", fn_pos).ok_or_else(|| RegisterError::NoVec {
        module: module.to_string(),
    })?;
    let open = lib_rs[vec_pos..]
        .find(['[', '(', '{'])
        .map(|i| vec_pos + i)
        .ok_or_else(|| RegisterError::NoVec {
            module: module.to_string(),
        })?;
    let close = matching_close(lib_rs, &code, open).ok_or_else(|| RegisterError::Unclosed {
        line: line_of(lib_rs, open),
    })?;
    let entry = format!("Box::new({module}::Migration)");
    let mut edits = vec![mod_insertion(lib_rs, &code, module)];
    edits.extend(vec_insertions(lib_rs, &code, open, close, &entry));
    // Apply from the end so earlier offsets stay valid; at one offset, text order is kept.
    let mut order: Vec<usize> = (0..edits.len()).collect();
    order.sort_by_key(|&i| (edits[i].0, i));
    // Inserted lines end the way the file's lines do.
    let crlf = lib_rs.contains("\r\n");
    let mut out = lib_rs.to_string();
    for &i in order.iter().rev() {
        let text = &edits[i].1;
        if crlf {
            out.insert_str(edits[i].0, &text.replace('\n', "\r\n"));
        } else {
            out.insert_str(edits[i].0, text);
        }
    }
    Ok(out)
}

/// The insertions that add `entry` to the vec between `open` and `close` (bracket offsets).
fn vec_insertions(
    src: &str,
    code: &[bool],
    open: usize,
    close: usize,
    entry: &str,
) -> Vec<(usize, String)> {
    let b = src.as_bytes();
    let inner = &src[open + 1..close];
    let marker_line = MARKERS.iter().find_map(|m| {
        inner
            .find(m)
            .filter(|i| !code[open + 1 + i])
            .map(|i| line_start(src, open + 1 + i))
            .filter(|start| *start > open)
    });
    // A marker comment inside the vec: the entry goes on a new line just above it.
    if let Some(marker_start) = marker_line {
        let indent = indentation(src, marker_start);
        let mut edits = Vec::new();
        if let Some(last) = last_code_char(src, code, open + 1, marker_start)
            && b[last] != b','
        {
            edits.push((last + 1, ",".to_string()));
        }
        edits.push((marker_start, format!("{indent}{entry},\n")));
        return edits;
    }
    let Some(last) = last_code_char(src, code, open + 1, close) else {
        // An empty vec.
        return vec![if inner.contains('\n') {
            let indent = format!("{}    ", indentation(src, line_start(src, open)));
            (open + 1, format!("\n{indent}{entry},"))
        } else {
            (open + 1, entry.to_string())
        }];
    };
    let has_comma = b[last] == b',';
    let indent = indentation(src, line_start(src, last));
    match src[last..close].find('\n').map(|i| last + i) {
        // Multi-line: a new line after the last entry's line (after any comment on it).
        Some(end) => {
            // Before a `\r` of a CRLF line end.
            let end = if b[end - 1] == b'\r' { end - 1 } else { end };
            let mut edits = Vec::new();
            if !has_comma {
                edits.push((last + 1, ",".to_string()));
            }
            edits.push((end, format!("\n{indent}{entry},")));
            edits
        }
        // The closing bracket is on the last entry's line.
        None if inner.contains('\n') => {
            vec![(
                last + 1,
                format!("{}\n{indent}{entry}", if has_comma { "" } else { "," }),
            )]
        }
        None if has_comma => vec![(last + 1, format!(" {entry},"))],
        None => vec![(last + 1, format!(", {entry}"))],
    }
}

/// Where to put `mod {module};`: after the last `mod m…;` line, else after the last top-level
/// `use` item, else after the leading comments and inner attributes.
fn mod_insertion(src: &str, code: &[bool], module: &str) -> (usize, String) {
    let mut last_mod: Option<(usize, String)> = None;
    let mut last_use_end: Option<usize> = None;
    let mut offset = 0;
    for line in src.split_inclusive('\n') {
        let trimmed = line.trim_start();
        let at_code = code
            .get(offset + line.len() - trimmed.len())
            .copied()
            .unwrap_or(false);
        if at_code && is_migration_mod(trimmed) {
            let indent = &line[..line.len() - trimmed.len()];
            let vis = if trimmed.starts_with("pub ") {
                "pub "
            } else {
                ""
            };
            last_mod = Some((offset + line.len(), format!("{indent}{vis}mod {module};\n")));
        }
        if at_code
            && line.len() == trimmed.len()
            && (trimmed.starts_with("use ") || trimmed.starts_with("pub use "))
        {
            let start = offset;
            if let Some(semi) = find_code(src, code, ";", start) {
                last_use_end = Some(
                    src[semi..]
                        .find('\n')
                        .map(|i| semi + i + 1)
                        .unwrap_or(src.len()),
                );
            }
        }
        offset += line.len();
    }
    if let Some((at, text)) = last_mod {
        return (at, needs_newline_before(src, at, text));
    }
    if let Some(at) = last_use_end {
        return (
            at,
            needs_newline_before(src, at, format!("\nmod {module};\n")),
        );
    }
    // After leading `//!` comments and `#![…]` attributes.
    let mut at = 0;
    for line in src.split_inclusive('\n') {
        let t = line.trim_start();
        if t.starts_with("//!") || t.starts_with("#![") {
            at += line.len();
        } else {
            break;
        }
    }
    (
        at,
        needs_newline_before(src, at, format!("mod {module};\n")),
    )
}

fn needs_newline_before(src: &str, at: usize, text: String) -> String {
    if at > 0 && !src[..at].ends_with('\n') {
        format!("\n{text}")
    } else {
        text
    }
}

/// `mod m20240101_000001_x;` or `pub mod m…;`.
fn is_migration_mod(trimmed: &str) -> bool {
    let code = trimmed.split("//").next().unwrap_or(trimmed).trim_end();
    let rest = code.strip_prefix("pub ").unwrap_or(code);
    rest.strip_prefix("mod m").is_some_and(|r| {
        r.ends_with(';')
            && r.chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
    })
}

fn find_mod_line(src: &str, module: &str) -> Option<usize> {
    let mut offset = 0;
    for line in src.split_inclusive('\n') {
        let t = line.split("//").next().unwrap_or("").trim();
        let rest = t.strip_prefix("pub ").unwrap_or(t);
        if rest == format!("mod {module};") {
            return Some(offset);
        }
        offset += line.len();
    }
    None
}

/// For each byte: true when it is code (not inside a comment, string or char literal).
fn code_mask(src: &str) -> Vec<bool> {
    let b = src.as_bytes();
    let mut mask = vec![true; b.len()];
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'/' && b.get(i + 1) == Some(&b'/') {
            while i < b.len() && b[i] != b'\n' {
                mask[i] = false;
                i += 1;
            }
        } else if b[i] == b'/' && b.get(i + 1) == Some(&b'*') {
            let mut depth = 0;
            while i < b.len() {
                if b[i] == b'/' && b.get(i + 1) == Some(&b'*') {
                    depth += 1;
                    mask[i] = false;
                    mask[i + 1] = false;
                    i += 2;
                } else if b[i] == b'*' && b.get(i + 1) == Some(&b'/') {
                    depth -= 1;
                    mask[i] = false;
                    mask[i + 1] = false;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    mask[i] = false;
                    i += 1;
                }
            }
        } else if b[i] == b'"' {
            mask[i] = false;
            i += 1;
            while i < b.len() && b[i] != b'"' {
                if b[i] == b'\\' {
                    mask[i] = false;
                    i += 1;
                }
                if i < b.len() {
                    mask[i] = false;
                    i += 1;
                }
            }
            if i < b.len() {
                mask[i] = false;
                i += 1;
            }
        } else {
            i += 1;
        }
    }
    mask
}

/// The first occurrence of `needle` at or after `from` that starts in code.
fn find_code(src: &str, code: &[bool], needle: &str, from: usize) -> Option<usize> {
    let mut start = from;
    while let Some(i) = src.get(start..)?.find(needle) {
        let at = start + i;
        if code[at] {
            return Some(at);
        }
        start = at + needle.len().max(1);
    }
    None
}

fn matching_close(src: &str, code: &[bool], open: usize) -> Option<usize> {
    let b = src.as_bytes();
    let mut depth = 0i32;
    for (i, &c) in b.iter().enumerate().skip(open) {
        if !code[i] {
            continue;
        }
        match c {
            b'[' | b'(' | b'{' => depth += 1,
            b']' | b')' | b'}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

/// The offset of the last non-whitespace code byte in `from..to`.
fn last_code_char(src: &str, code: &[bool], from: usize, to: usize) -> Option<usize> {
    let b = src.as_bytes();
    (from..to)
        .rev()
        .find(|&i| code[i] && !b[i].is_ascii_whitespace())
}

fn line_start(src: &str, at: usize) -> usize {
    src[..at].rfind('\n').map(|i| i + 1).unwrap_or(0)
}

fn indentation(src: &str, line_start: usize) -> String {
    src[line_start..]
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .collect()
}

fn line_of(src: &str, at: usize) -> usize {
    src[..at].matches('\n').count() + 1
}
