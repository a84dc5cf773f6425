//! The module graph of `src/` has no import cycle: imports go one way, down the layers.
//!
//! A module is a file (`src/a/b.rs` or `src/a/b/mod.rs` is `a::b`; `lib.rs` and `main.rs`
//! are the crate root). An edge is a `crate::…` or `super::…` path outside the file's
//! `#[cfg(test)] mod … {` block and outside `//` comments, pointing at the longest existing
//! module prefix of the path; `use crate::a::{b, c::D}` groups are expanded. A `mod child;`
//! declaration is not an edge, nor is a path to the module itself or to the crate root.
//! This is the notion of the shared `before-stop` hook's cycle checker, so the two agree;
//! the hook's regex does not look inside `{…}` groups, which this test does.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use regex::Regex;

/// A module path: `["inventory", "code"]`; the crate root is empty.
type Module = Vec<String>;

/// Where an edge comes from: the referring file and line, and the path as written.
#[derive(Debug, Clone)]
struct Evidence {
    file: String,
    line: usize,
    path: String,
}

/// Module → modules it refers to, each with the first reference found.
type Graph = BTreeMap<Module, BTreeMap<Module, Evidence>>;

fn name(m: &[String]) -> String {
    if m.is_empty() {
        "crate".to_string()
    } else {
        m.join("::")
    }
}

/// The module a file under `src/` is: `a/b.rs` and `a/b/mod.rs` are `a::b`.
fn module_of(rel: &Path) -> Module {
    let mut parts: Module = rel
        .with_extension("")
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if matches!(
        parts.last().map(String::as_str),
        Some("mod" | "lib" | "main")
    ) {
        parts.pop();
    }
    parts
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("read {}: {e}", dir.display()))
        .map(|e| e.expect("directory entry").path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The text the graph is built from: up to the first `#[cfg(test)] mod … {`, with `//`
/// comments blanked (newlines kept, so offsets still give line numbers).
fn code_part(text: &str) -> String {
    let test_mod = Regex::new(r"#\[cfg\(test\)\]\s*mod\s+\w+\s*\{").expect("regex");
    let text = match test_mod.find(text) {
        Some(m) => &text[..m.start()],
        None => text,
    };
    let comment = Regex::new(r"//[^\n]*").expect("regex");
    comment.replace_all(text, "").into_owned()
}

/// The paths a reference starting right after `crate::` / `super::` names: the plain
/// path (as the hook reads it) and, for a `{…}` group, every path inside it.
fn paths_at(s: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    tree(s, Vec::new(), &mut out);
    out
}

/// Reads one use-tree (`a::b::C`, `a::{b, c::{d, E}}`, `a::*`) at the start of `s`.
fn tree(s: &str, mut prefix: Vec<String>, out: &mut Vec<Vec<String>>) {
    let mut rest = s;
    loop {
        let ident: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        if ident.is_empty() {
            break;
        }
        prefix.push(ident.clone());
        rest = &rest[ident.len()..];
        match rest.strip_prefix("::") {
            Some(r) => rest = r.trim_start(),
            None => break,
        }
    }
    if !prefix.is_empty() {
        out.push(prefix.clone());
    }
    if let Some(group) = rest.strip_prefix('{') {
        for item in split_group(group) {
            tree(item.trim(), prefix.clone(), out);
        }
    }
}

/// The comma-separated items of a `{…}` group (the text after `{`), up to its `}`.
fn split_group(s: &str) -> Vec<&str> {
    let mut items = Vec::new();
    let (mut depth, mut start) = (0usize, 0usize);
    for (i, c) in s.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => {
                items.push(&s[start..i]);
                return items;
            }
            '}' => depth -= 1,
            ',' if depth == 0 => {
                items.push(&s[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    items.push(&s[start..]);
    items
}

/// The longest prefix of `parts` that is a module, if any.
fn resolve(modules: &BTreeSet<Module>, parts: &[String]) -> Option<Module> {
    (1..=parts.len())
        .rev()
        .map(|i| parts[..i].to_vec())
        .find(|p| modules.contains(p))
}

/// The module graph of the given files (path shown in messages, module, source text).
fn graph(files: &[(String, Module, String)]) -> Graph {
    let modules: BTreeSet<Module> = files.iter().map(|(_, m, _)| m.clone()).collect();
    let reference = Regex::new(r"\b(crate|super)::").expect("regex");
    let mut g: Graph = modules
        .iter()
        .map(|m| (m.clone(), BTreeMap::new()))
        .collect();
    for (file, m, text) in files {
        let code = code_part(text);
        for r in reference.captures_iter(&code) {
            let whole = r.get(0).expect("match");
            let base: Vec<String> = if &r[1] == "crate" {
                Vec::new()
            } else {
                m[..m.len().saturating_sub(1)].to_vec()
            };
            for p in paths_at(&code[whole.end()..]) {
                let full: Vec<String> = base.iter().cloned().chain(p.iter().cloned()).collect();
                let Some(target) = resolve(&modules, &full) else {
                    continue;
                };
                if target.is_empty() || &target == m {
                    continue;
                }
                let line = code[..whole.start()].matches('\n').count() + 1;
                g.get_mut(m)
                    .expect("module")
                    .entry(target)
                    .or_insert_with(|| Evidence {
                        file: file.clone(),
                        line,
                        path: format!("{}::{}", &r[1], p.join("::")),
                    });
            }
        }
    }
    g
}

/// Every strongly connected component of more than one module (Tarjan), sorted.
fn cycles(g: &Graph) -> Vec<Vec<Module>> {
    struct T<'a> {
        g: &'a Graph,
        index: BTreeMap<&'a Module, usize>,
        low: BTreeMap<&'a Module, usize>,
        stack: Vec<&'a Module>,
        on: BTreeSet<&'a Module>,
        sccs: Vec<Vec<Module>>,
    }
    fn visit<'a>(t: &mut T<'a>, v: &'a Module) {
        let i = t.index.len();
        t.index.insert(v, i);
        t.low.insert(v, i);
        t.stack.push(v);
        t.on.insert(v);
        let g = t.g;
        for w in g.get(v).into_iter().flat_map(BTreeMap::keys) {
            let reached = if !t.index.contains_key(w) {
                visit(t, w);
                Some(t.low[w])
            } else if t.on.contains(w) {
                Some(t.index[w])
            } else {
                None
            };
            if let Some(r) = reached {
                let lv = t.low.get_mut(v).expect("visited");
                *lv = (*lv).min(r);
            }
        }
        if t.low[v] == t.index[v] {
            let mut scc = Vec::new();
            while let Some(w) = t.stack.pop() {
                t.on.remove(w);
                scc.push(w.clone());
                if w == v {
                    break;
                }
            }
            if scc.len() > 1 {
                scc.sort();
                t.sccs.push(scc);
            }
        }
    }
    let mut t = T {
        g,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on: BTreeSet::new(),
        sccs: Vec::new(),
    };
    for v in g.keys() {
        if !t.index.contains_key(v) {
            visit(&mut t, v);
        }
    }
    t.sccs.sort();
    t.sccs
}

/// The shortest cycle from the first member of `scc` back to it, for the report.
fn shortest_cycle(g: &Graph, scc: &[Module]) -> Vec<Module> {
    let start = &scc[0];
    let mut prev: BTreeMap<&Module, &Module> = BTreeMap::new();
    let mut queue = std::collections::VecDeque::from([start]);
    while let Some(v) = queue.pop_front() {
        for w in g[v].keys().filter(|w| scc.contains(w)) {
            if w == start {
                let mut walk = vec![start.clone(), v.clone()];
                let mut at = v;
                while at != start {
                    at = prev[at];
                    walk.push(at.clone());
                }
                walk.reverse();
                return walk;
            }
            if !prev.contains_key(w) {
                prev.insert(w, v);
                queue.push_back(w);
            }
        }
    }
    unreachable!("a strongly connected component has a cycle through each member")
}

fn report(g: &Graph, cycle: &[Module]) -> String {
    let mut s = String::new();
    for pair in cycle.windows(2) {
        let e = &g[&pair[0]][&pair[1]];
        s.push_str(&format!(
            "  {} -> {}   {}:{} ({})\n",
            name(&pair[0]),
            name(&pair[1]),
            e.file,
            e.line,
            e.path
        ));
    }
    s
}

#[test]
fn src_has_no_import_cycle() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut paths = Vec::new();
    rust_files(&src, &mut paths);
    let files: Vec<(String, Module, String)> = paths
        .iter()
        .map(|p| {
            let rel = p.strip_prefix(&src).expect("under src");
            let text = fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            (format!("src/{}", rel.display()), module_of(rel), text)
        })
        .collect();
    let g = graph(&files);
    let edges: usize = g.values().map(BTreeMap::len).sum();
    assert!(
        g.len() > 20 && edges > 50,
        "the graph looks empty ({} modules, {edges} edges): is the extraction broken?",
        g.len()
    );
    let found = cycles(&g);
    let mut msg = String::new();
    for scc in &found {
        let c = shortest_cycle(&g, scc);
        msg.push_str(&format!(
            "{} modules in a cycle: {}\n  e.g. {}\n",
            scc.len(),
            scc.iter().map(|m| name(m)).collect::<Vec<_>>().join(", "),
            c.iter().map(|m| name(m)).collect::<Vec<_>>().join(" -> ")
        ));
        msg.push_str(&report(&g, &c));
    }
    assert!(
        found.is_empty(),
        "imports must go one way (down the layers); found:\n{msg}"
    );
    println!(
        "{} files, {} modules, {edges} edges, no import cycle",
        files.len(),
        g.len()
    );
}

// --- the checker itself, on small synthetic crates ---------------------------------------

fn synthetic(files: &[(&str, &str)]) -> Graph {
    let files: Vec<(String, Module, String)> = files
        .iter()
        .map(|(p, t)| (p.to_string(), module_of(Path::new(p)), t.to_string()))
        .collect();
    graph(&files)
}

fn m(s: &str) -> Module {
    s.split("::").map(String::from).collect()
}

#[test]
fn a_three_module_cycle_is_found_and_printed() {
    let g = synthetic(&[
        ("lib.rs", "pub mod a;\npub mod b;\npub mod c;\npub mod d;\n"),
        ("a.rs", "use crate::b::Thing;\n"),
        (
            "b.rs",
            "// crate::d is only a comment\nfn f() { crate::c::helper(); }\n",
        ),
        ("c/mod.rs", "pub mod g;\nuse crate::{a, d::X};\n"),
        ("c/g.rs", "pub fn h() {}\n"),
        ("d.rs", "use crate::c::g;\n"),
    ]);
    assert_eq!(cycles(&g), vec![vec![m("a"), m("b"), m("c")]]);
    let walk = shortest_cycle(&g, &cycles(&g)[0]);
    assert_eq!(walk, vec![m("a"), m("b"), m("c"), m("a")]);
    let text = report(&g, &walk);
    assert!(text.contains("a -> b   a.rs:1 (crate::b::Thing)"), "{text}");
    assert!(
        text.contains("b -> c   b.rs:2 (crate::c::helper)"),
        "{text}"
    );
    assert!(text.contains("c -> a   c/mod.rs:2 (crate::a)"), "{text}");
    // the comment made no edge; `crate::c::g` points at the longest module prefix
    assert!(!g[&m("b")].contains_key(&m("d")));
    assert!(g[&m("d")].contains_key(&m("c::g")));
}

#[test]
fn a_child_using_its_parent_and_test_modules_are_not_cycles() {
    let g = synthetic(&[
        ("lib.rs", "pub mod rules;\n"),
        (
            "rules/mod.rs",
            "mod family;\npub static X: u8 = 0;\npub fn run() { family::check(); }\n\
             #[cfg(test)]\nmod tests {\n    use crate::rules::family::check;\n}\n",
        ),
        ("rules/family.rs", "use super::X;\npub fn check() {}\n"),
    ]);
    assert!(g[&m("rules::family")].contains_key(&m("rules")));
    assert!(g[&m("rules")].is_empty(), "{g:?}");
    assert!(cycles(&g).is_empty());

    // the same parent naming its child by a crate path closes a cycle
    let g = synthetic(&[
        ("lib.rs", "pub mod rules;\n"),
        (
            "rules/mod.rs",
            "mod family;\npub fn run() { crate::rules::family::check(); }\n",
        ),
        ("rules/family.rs", "use super::{X, Y};\n"),
    ]);
    assert_eq!(cycles(&g), vec![vec![m("rules"), m("rules::family")]]);
}

/// Openness is derived once per model, by the scan (`lib.rs`), and stored in the report;
/// rules and renderers read it. Only a repository root without a model is classified on
/// its own, by `lib::classify`.
#[test]
fn openness_is_classified_only_by_the_scan() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let callers: Vec<String> = files
        .iter()
        .filter(|f| !f.starts_with(src.join("openness")) && !f.ends_with("openness.rs"))
        .filter(|f| {
            let text = fs::read_to_string(f).unwrap_or_default();
            code_part(&text).contains("classify(project, &")
                || code_part(&text).contains("openness::classify(")
        })
        .map(|f| f.strip_prefix(&src).unwrap_or(f).display().to_string())
        .collect();
    assert_eq!(
        callers,
        vec!["lib.rs".to_string()],
        "openness::classify is called from {callers:?}"
    );
}
