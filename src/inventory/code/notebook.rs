//! Jupyter notebooks: code cells read as Python, IPython `!` lines as shell, and each
//! reference mapped back to its line in the `.ipynb` JSON.

use std::collections::HashSet;

use serde_json::Value;

use super::{python, shell, to_refs, CodeRef, Hit};

/// A notebook cell: Python, with IPython `!` and `%` lines read as shell (blanked for the
/// parser, so offsets stay those of the cell).
fn cell_hits(source: &str) -> Vec<Hit> {
    let mut python = String::with_capacity(source.len());
    let mut out = Vec::new();
    let mut start = 0;
    let mut continued = false;
    for line in source.split_inclusive('\n') {
        let body = line.trim_start();
        let magic = continued || body.starts_with('!') || body.starts_with('%');
        if magic {
            let lead = line.len() - body.len();
            let cmd = body.trim_start_matches(['!', '%']);
            let skip = lead + body.len() - cmd.len();
            out.extend(shell::hits(cmd, start + skip));
            // One byte for one byte, so offsets in the blanked text are the cell's.
            python.extend(line.bytes().map(|b| if b == b'\n' { '\n' } else { ' ' }));
            continued = line.trim_end().ends_with('\\');
        } else {
            python.push_str(line);
        }
        start += line.len();
    }
    out.extend(python::hits(&python));
    out
}

/// At most the first `n` bytes of `s`, cut at a character boundary.
fn head(s: &str, n: usize) -> &str {
    let mut end = n.min(s.len());
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    s.get(..end).unwrap_or("")
}

/// How far past a cell's start its source lines are looked for in the notebook text.
const WINDOW: usize = 512;

/// Code cells scanned as Python; each hit mapped back to the `.ipynb` text by finding the
/// JSON-encoded source lines there, in order.
pub(super) fn refs(text: &str) -> Vec<CodeRef> {
    if !text.contains('/') {
        return Vec::new();
    }
    let Ok(doc) = serde_json::from_str::<Value>(text) else {
        return Vec::new();
    };
    let Some(cells) = doc.get("cells").and_then(Value::as_array) else {
        return Vec::new();
    };
    let encode = |s: &str| serde_json::to_string(s).unwrap_or_default();
    let (mut cursor, mut anchored, mut last) = (0, true, 0);
    let mut hits = Vec::new();
    // Ids not found in the text after `last`: they will not be found later either.
    let mut missing = HashSet::new();
    for cell in cells {
        let parts: Vec<&str> = match cell.get("source") {
            Some(Value::String(s)) => vec![s.as_str()],
            Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).collect(),
            _ => continue,
        };
        if anchored {
            match text.get(cursor..).and_then(|t| t.find("\"source\"")) {
                Some(p) => cursor += p + "\"source\"".len(),
                None => anchored = false,
            }
        }
        last = last.max(cursor);
        // Raw offset of each part's content (after its opening quote), when found close by.
        let mut raw = Vec::with_capacity(parts.len());
        for part in &parts {
            let needle = encode(part);
            let near = head(text.get(cursor..).unwrap_or(""), needle.len() + WINDOW);
            let found = (!part.is_empty()).then(|| near.find(&needle)).flatten();
            raw.push(found.map(|p| cursor + p + 1));
            cursor += found.map_or(0, |p| p + needle.len());
        }
        if cell.get("cell_type").and_then(Value::as_str) != Some("code") {
            continue;
        }
        let mut cell_hits = cell_hits(&parts.concat());
        cell_hits.sort_by_key(|h| h.at);
        // The part a hit is in, where that part starts in the source, and the last exact hit.
        let (mut k, mut start, mut prev) = (0, 0, None);
        for Hit {
            at: offset,
            id,
            how,
            kind,
            owner,
        } in cell_hits
        {
            let len = |k: usize| parts.get(k).map_or(0, |p| p.len());
            while k + 1 < parts.len() && start + len(k) <= offset {
                start += len(k);
                k += 1;
            }
            let within = offset - start;
            let exact = raw.get(k).copied().flatten().and_then(|r| {
                let (from, base) = match prev {
                    Some((pk, pw, pr)) if pk == k && pw <= within => (pw, pr),
                    _ => (0, r),
                };
                let at = base
                    + encode(parts.get(k)?.get(from..within)?)
                        .len()
                        .checked_sub(2)?;
                text.get(at..)?.starts_with(&id).then_some(at)
            });
            prev = exact.map(|at| (k, within, at)).or(prev);
            let at = exact.or_else(|| {
                let found = (!missing.contains(&id))
                    .then(|| Some(last + text.get(last..)?.find(&id)?))
                    .flatten();
                if found.is_none() {
                    missing.insert(id.clone());
                }
                found
            });
            if let Some(at) = at {
                last = last.max(at + 1);
                hits.push(Hit {
                    at,
                    id,
                    how,
                    kind,
                    owner,
                });
            }
        }
    }
    to_refs(text, hits)
}
