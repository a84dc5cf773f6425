//! Hub model ids that code loads: string literals passed to `from_pretrained`,
//! `hf_hub_download`, `pipeline(model=…)`, vLLM `LLM`, `SentenceTransformer`, in Python files
//! and notebook code cells; `FROM` in Ollama Modelfiles; llama.cpp `-hf` and hub CLI downloads
//! in shell scripts. A substring pass finds the call names; regexes only read the few hundred
//! bytes after each one.

use std::collections::HashSet;
use std::sync::OnceLock;

use aho_corasick::AhoCorasick;
use regex::{Captures, Match, Regex};
use serde_json::Value;

/// How the code names the model.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Loader {
    FromPretrained,
    /// `hf_hub_download`, `snapshot_download`, `huggingface-cli download`, `hf download`.
    HubDownload,
    Pipeline,
    Vllm,
    SentenceTransformer,
    OllamaFrom,
    LlamaCpp,
}

impl Loader {
    /// The call as users know it.
    pub fn as_str(self) -> &'static str {
        match self {
            Loader::FromPretrained => "from_pretrained",
            Loader::HubDownload => "hf_hub_download",
            Loader::Pipeline => "pipeline",
            Loader::Vllm => "vllm",
            Loader::SentenceTransformer => "SentenceTransformer",
            Loader::OllamaFrom => "Modelfile FROM",
            Loader::LlamaCpp => "llama.cpp -hf",
        }
    }
}

/// One model reference: the hub id as written, where it is (1-based line and column of the
/// id's first character in the file as stored on disk), and the call.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct CodeRef {
    pub id: String,
    pub line: usize,
    pub column: usize,
    pub loader: Loader,
}

/// Which kind of code file a name is, by name alone (None: not scanned).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CodeKind {
    Python,
    Notebook,
    Modelfile,
    Shell,
}

/// The kind of a file by its name (a path's last component is used). A known extension
/// wins over `Modelfile.*` (`Modelfile.py` is Python).
pub fn classify(file_name: &str) -> Option<CodeKind> {
    let name = file_name.rsplit(['/', '\\']).next().unwrap_or(file_name);
    let lower = name.to_ascii_lowercase();
    if lower == "modelfile" || lower.ends_with(".modelfile") {
        return Some(CodeKind::Modelfile);
    }
    match lower.rsplit_once('.').map(|(_, ext)| ext) {
        Some("py") => Some(CodeKind::Python),
        Some("ipynb") => Some(CodeKind::Notebook),
        Some("sh" | "bash") => Some(CodeKind::Shell),
        _ => lower
            .starts_with("modelfile.")
            .then_some(CodeKind::Modelfile),
    }
}

/// Model references in a file's text, sorted by (line, column), one per position.
pub fn scan(kind: CodeKind, text: &str) -> Vec<CodeRef> {
    match kind {
        CodeKind::Python => to_refs(text, python_hits(text)),
        CodeKind::Notebook => notebook_refs(text),
        CodeKind::Modelfile => to_refs(text, modelfile_hits(text)),
        CodeKind::Shell => to_refs(text, shell_hits(text)),
    }
}

/// `org/name` as the Hub accepts it: one `/`, each side `[A-Za-z0-9][A-Za-z0-9._-]*`, at
/// most 96 characters, no `--` or `..`.
pub fn is_hub_id(s: &str) -> bool {
    let parts = s.split_once('/');
    s.len() <= 96
        && !s.contains("--")
        && !s.contains("..")
        && parts.is_some_and(|(org, name)| is_name_part(org) && is_name_part(name))
}

/// `[A-Za-z0-9][A-Za-z0-9._-]*`
fn is_name_part(p: &str) -> bool {
    let mut bytes = p.bytes();
    bytes.next().is_some_and(|b| b.is_ascii_alphanumeric())
        && bytes.all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
}

/// A hit before positions are known: byte offset of the id, the id, the call.
type Hit = (usize, String, Loader);

/// How far after `(` a call's arguments are read.
const WINDOW: usize = 512;

/// The Python call names the substring prefilter looks for, and their loader.
const CALLS: [(&str, Loader); 6] = [
    ("from_pretrained", Loader::FromPretrained),
    ("hf_hub_download", Loader::HubDownload),
    ("snapshot_download", Loader::HubDownload),
    ("pipeline", Loader::Pipeline),
    ("LLM", Loader::Vllm),
    ("SentenceTransformer", Loader::SentenceTransformer),
];

/// One automaton over every call name.
fn calls() -> &'static AhoCorasick {
    static AC: OnceLock<AhoCorasick> = OnceLock::new();
    AC.get_or_init(|| {
        AhoCorasick::new(CALLS.map(|(name, _)| name)).unwrap_or_else(|e| panic!("call names: {e}"))
    })
}

/// A plain string literal (no escapes, one line); group `d` or `s` is its text.
const LITERAL: &str = r#"[rRuU]?(?:"(?P<d>[^"\\\n]*)"|'(?P<s>[^'\\\n]*)')"#;

/// Every regex, compiled once.
struct Patterns {
    /// A literal first argument.
    positional: Regex,
    /// A literal after a plain name (`PeftModel.from_pretrained(base, "id")`).
    second: Regex,
    /// `name="literal"` for the keywords some loader takes.
    keyword: Regex,
    /// `repo_type="dataset"` or `"space"`: not a model.
    other_repo: Regex,
    /// llama.cpp `-hf`, `-hfr`, `--hf-repo` and the word after it.
    llama_cpp: Regex,
    /// `huggingface-cli download` / `hf download` and the word after it.
    hub_cli: Regex,
}

/// The regexes, compiled on first use.
fn patterns() -> &'static Patterns {
    static PATTERNS: OnceLock<Patterns> = OnceLock::new();
    PATTERNS.get_or_init(|| {
        let re = |p: &str| Regex::new(p).unwrap_or_else(|e| panic!("code pattern {p}: {e}"));
        let keywords = "pretrained_model_name_or_path|model_name_or_path|model_id|repo_id|model";
        let command = r"(?m)(?:^|[\s;&|(])";
        Patterns {
            positional: re(&format!(r"\A\s*{LITERAL}")),
            second: re(&format!(r"\A\s*[A-Za-z_][A-Za-z0-9_.]*\s*,\s*{LITERAL}")),
            keyword: re(&format!(r"\b(?:{keywords})\s*=\s*{LITERAL}")),
            other_repo: re(r#"\brepo_type\s*=\s*["'](?:dataset|space)s?["']"#),
            llama_cpp: re(&format!(r"{command}(?:-hfr?|--hf-repo)(?:=|[ \t]+)(\S+)")),
            hub_cli: re(&format!(
                r"{command}(?:huggingface-cli|hf)[ \t]+download[ \t]+(\S+)"
            )),
        }
    })
}

/// The literal in captures of a `LITERAL` pattern, and where the whole match ends.
fn literal<'t>(caps: &Captures<'t>) -> Option<(Match<'t>, usize)> {
    let lit = caps.name("d").or_else(|| caps.name("s"))?;
    Some((lit, caps.get(0)?.end()))
}

/// Walks call arguments tracking brackets, quotes and `#` comments, up to the bracket that
/// closes the call, and returns its position. `top`, when given, is set for each byte that is
/// outside strings and nested brackets.
fn brackets(s: &[u8], mut top: Option<&mut [bool]>) -> usize {
    let (mut depth, mut quote, mut i) = (0usize, None, 0);
    while let Some(&b) = s.get(i) {
        if let Some(slot) = top.as_deref_mut().and_then(|t| t.get_mut(i)) {
            *slot = depth == 0 && quote.is_none();
        }
        match quote {
            Some(_) if b == b'\\' => i += 1,
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None => match b {
                b'"' | b'\'' => quote = Some(b),
                b'#' => {
                    while s.get(i + 1).is_some_and(|&c| c != b'\n') {
                        i += 1;
                    }
                }
                b'(' | b'[' | b'{' => depth += 1,
                b')' | b']' | b'}' if depth == 0 => return i,
                b')' | b']' | b'}' => depth -= 1,
                _ => {}
            },
        }
        i += 1;
    }
    s.len()
}

/// The arguments of a call whose `(` is just before `open`, cut at `WINDOW` bytes.
fn call_args(text: &str, open: usize) -> &str {
    let args = head(text.get(open..).unwrap_or(""), WINDOW);
    args.get(..brackets(args.as_bytes(), None)).unwrap_or(args)
}

/// At most the first `n` bytes of `s`, cut at a character boundary.
fn head(s: &str, n: usize) -> &str {
    let mut end = n.min(s.len());
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    s.get(..end).unwrap_or("")
}

/// Per line: where it starts, and where its comment starts (`usize::MAX`: none).
fn comment_table(text: &str, shell: bool) -> Vec<(usize, usize)> {
    let mut start = 0;
    let row = |line: &str| {
        let comment = comment_start(line.as_bytes(), shell).map_or(usize::MAX, |c| start + c);
        let row = (start, comment);
        start += line.len() + 1;
        row
    };
    text.split('\n').map(row).collect()
}

/// Whether a byte offset is inside a comment.
fn commented(table: &[(usize, usize)], offset: usize) -> bool {
    let line = table
        .partition_point(|&(s, _)| s <= offset)
        .saturating_sub(1);
    table.get(line).is_some_and(|&(_, c)| c < offset)
}

/// The first `#` outside quotes (in shell, only at the start of a word).
fn comment_start(line: &[u8], shell: bool) -> Option<usize> {
    let mut quote = None;
    let mut escaped = false;
    for (i, &b) in line.iter().enumerate() {
        match quote {
            _ if escaped => escaped = false,
            Some(_) if b == b'\\' => escaped = true,
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None if b == b'"' || b == b'\'' => quote = Some(b),
            None if b == b'#' && (!shell || i == 0 || line[i - 1].is_ascii_whitespace()) => {
                return Some(i)
            }
            None => {}
        }
    }
    None
}

/// Whether a literal ending at `end` is a whole argument (not concatenated or called on).
fn whole_argument(args: &str, end: usize) -> bool {
    let after = args.get(end..).unwrap_or("").trim_start();
    after.is_empty() || after.starts_with([',', ')', '#'])
}

/// Literal ids passed to the loader calls of a Python text, with byte offsets.
fn python_hits(text: &str) -> Vec<Hit> {
    let mut out = Vec::new();
    let mut table = None;
    let mut top = Vec::new();
    let bytes = text.as_bytes();
    for m in calls().find_iter(text) {
        let (name, loader) = CALLS[m.pattern().as_usize()];
        let before = m.start().checked_sub(1).and_then(|i| bytes.get(i)).copied();
        if before.is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_')
            || text.get(m.start().saturating_sub(4)..m.start()) == Some("def ")
        {
            continue;
        }
        let rest = text.get(m.end()..).unwrap_or("");
        let Some(call) = rest.trim_start_matches([' ', '\t']).strip_prefix('(') else {
            continue;
        };
        let table = table.get_or_insert_with(|| comment_table(text, false));
        if commented(table, m.start()) {
            continue;
        }
        let open = text.len() - call.len();
        let args = call_args(text, open);
        if loader == Loader::HubDownload && patterns().other_repo.is_match(args) {
            continue;
        }
        let peft = name == "from_pretrained"
            && before == Some(b'.')
            && text.get(..m.start() - 1).is_some_and(|pre| {
                let mut receiver = pre.rsplit(|c: char| !(c.is_alphanumeric() || c == '_'));
                receiver.next().is_some_and(|r| r.starts_with("PeftModel"))
            });
        let p = patterns();
        let mut found = Vec::new();
        if loader != Loader::Pipeline {
            found.extend(p.positional.captures(args).as_ref().and_then(literal));
        }
        if peft {
            found.extend(p.second.captures(args).as_ref().and_then(literal));
        }
        if args.contains('=') {
            top.clear();
            top.resize(args.len(), false);
            brackets(args.as_bytes(), Some(&mut top));
            for k in p.keyword.find_iter(args) {
                let name = k
                    .as_str()
                    .split(['=', ' ', '\t', '\n'])
                    .next()
                    .unwrap_or("");
                let allowed = match (loader, name) {
                    (Loader::FromPretrained, "pretrained_model_name_or_path") => true,
                    (Loader::FromPretrained, "model_id") => peft,
                    (Loader::HubDownload, "repo_id") => true,
                    (Loader::Pipeline | Loader::Vllm, "model") => true,
                    (Loader::SentenceTransformer, "model_name_or_path") => true,
                    _ => false,
                };
                if allowed && top.get(k.start()) == Some(&true) {
                    let caps = p.keyword.captures_at(args, k.start());
                    found.extend(caps.as_ref().and_then(literal));
                    break;
                }
            }
        }
        for (lit, end) in found {
            let at = open + lit.start();
            if whole_argument(args, end) && is_hub_id(lit.as_str()) && !commented(table, at) {
                out.push((at, lit.as_str().to_string(), loader));
            }
        }
    }
    out
}

/// Offsets to 1-based (line, column in characters), in one pass; sorted and deduplicated.
fn to_refs(text: &str, mut hits: Vec<Hit>) -> Vec<CodeRef> {
    hits.sort_by_key(|a| (a.0, a.2));
    hits.dedup_by(|b, a| a.0 == b.0);
    let (mut at, mut line, mut column) = (0, 1, 1);
    let mut out = Vec::with_capacity(hits.len());
    for (offset, id, loader) in hits {
        let Some(between) = text.get(at..offset) else {
            continue;
        };
        for c in between.chars() {
            (line, column) = if c == '\n' {
                (line + 1, 1)
            } else {
                (line, column + 1)
            };
        }
        at = offset;
        out.push(CodeRef {
            id,
            line,
            column,
            loader,
        });
    }
    out
}

/// Code cells scanned as Python; each hit mapped back to the `.ipynb` text by finding the
/// JSON-encoded source lines there, in order.
fn notebook_refs(text: &str) -> Vec<CodeRef> {
    if !calls().is_match(text) {
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
        let mut cell_hits = python_hits(&parts.concat());
        cell_hits.sort_by_key(|h| h.0);
        // The part a hit is in, where that part starts in the source, and the last exact hit.
        let (mut k, mut start, mut prev) = (0, 0, None);
        for (offset, id, loader) in cell_hits {
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
                hits.push((at, id, loader));
            }
        }
    }
    to_refs(text, hits)
}

/// Model weight files named in `FROM` are local, not library models.
const WEIGHT_EXTENSIONS: &[&str] = &["gguf", "bin", "safetensors", "pt", "pth", "ggml", "onnx"];

/// A Modelfile `FROM` reference: where the id starts in the token, and the id.
fn modelfile_ref(token: &str) -> Option<(usize, String)> {
    let lower = token.to_ascii_lowercase();
    let scheme = ["https://", "http://"]
        .iter()
        .find(|s| lower.starts_with(*s))
        .map_or(0, |s| s.len());
    for host in ["hf.co/", "huggingface.co/"] {
        if lower.get(scheme..)?.starts_with(host) {
            let skip = scheme + host.len();
            let id = token.get(skip..)?.split(':').next()?;
            return is_hub_id(id).then(|| (skip, id.to_string()));
        }
    }
    let name = token.split(':').next()?;
    let extension = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    let ok = is_name_part(name)
        && name.bytes().any(|b| b.is_ascii_alphabetic())
        && !extension.is_some_and(|e| WEIGHT_EXTENSIONS.contains(&e.as_str()));
    ok.then(|| (0, format!("ollama:{name}")))
}

/// `FROM` lines of a Modelfile that name a hub or Ollama library model.
fn modelfile_hits(text: &str) -> Vec<Hit> {
    let mut out = Vec::new();
    let mut start = 0;
    for line in text.split('\n') {
        let body = line.trim_start();
        let keyword = body
            .get(..4)
            .is_some_and(|k| k.eq_ignore_ascii_case("from"));
        let rest = body.get(4..).unwrap_or("");
        if keyword && rest.starts_with([' ', '\t']) {
            let token = rest.trim_start();
            let at = start + line.len() - token.len();
            let token = token.split_whitespace().next().unwrap_or("");
            if let Some((rel, id)) = modelfile_ref(token) {
                out.push((at + rel, id, Loader::OllamaFrom));
            }
        }
        start += line.len() + 1;
    }
    out
}

/// A shell word without quotes or a trailing `;`/`)`: offset into the word, and the text.
fn unquote(word: &str) -> (usize, &str) {
    let inner = word.strip_prefix(['"', '\'']);
    let plain = inner
        .unwrap_or(word)
        .trim_end_matches(['"', '\'', ';', ')']);
    (usize::from(inner.is_some()), plain)
}

/// llama.cpp `-hf` repos and hub CLI downloads in a shell script.
fn shell_hits(text: &str) -> Vec<Hit> {
    if !(text.contains("-hf") || text.contains("download")) {
        return Vec::new();
    }
    let table = &comment_table(text, true);
    let mut out = Vec::new();
    let p = patterns();
    for (re, loader) in [
        (&p.llama_cpp, Loader::LlamaCpp),
        (&p.hub_cli, Loader::HubDownload),
    ] {
        for word in re.captures_iter(text).filter_map(|c| c.get(1)) {
            let (skip, plain) = unquote(word.as_str());
            let id = plain.split(':').next().unwrap_or("");
            let other_repo = loader == Loader::HubDownload && {
                let rest = head(text.get(word.end()..).unwrap_or(""), WINDOW);
                let line = rest.lines().next().unwrap_or("");
                line.contains("--repo-type") && (line.contains("dataset") || line.contains("space"))
            };
            let at = word.start() + skip;
            if is_hub_id(id) && !other_repo && !commented(table, at) {
                out.push((at, id.to_string(), loader));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use CodeKind::*;
    use Loader::*;

    fn found(kind: CodeKind, text: &str) -> Vec<(String, usize, usize, Loader)> {
        scan(kind, text)
            .into_iter()
            .map(|r| (r.id, r.line, r.column, r.loader))
            .collect()
    }

    fn hit(id: &str, line: usize, column: usize, loader: Loader) -> (String, usize, usize, Loader) {
        (id.to_string(), line, column, loader)
    }

    #[test]
    fn python_loader_forms() {
        let text = "from transformers import AutoModel\n\
            m = AutoModel.from_pretrained(\"Qwen/Qwen2.5-7B-Instruct\")\n\
            p = hf_hub_download('org/repo', filename='x.bin')\n\
            s = snapshot_download(local_dir='x', repo_id=\"org/snap\")\n\
            pipe = pipeline(\"text-generation\", model=\"meta-llama/Llama-3.1-8B\")\n\
            llm = vllm.LLM(model=\"mistralai/Mistral-7B-v0.1\"); c = ChatLLM(\"no/pe\")\n\
            e = SentenceTransformer(\"sentence-transformers/all-MiniLM-L6-v2\")\n\
            a = PeftModel.from_pretrained(base, \"org/adapter\")\n\
            d = hf_hub_download(repo_id=\"org/data\", repo_type=\"dataset\")\n";
        assert_eq!(
            found(Python, text),
            vec![
                hit("Qwen/Qwen2.5-7B-Instruct", 2, 32, FromPretrained),
                hit("org/repo", 3, 22, HubDownload),
                hit("org/snap", 4, 47, HubDownload),
                hit("meta-llama/Llama-3.1-8B", 5, 43, Pipeline),
                hit("mistralai/Mistral-7B-v0.1", 6, 23, Vllm),
                hit(
                    "sentence-transformers/all-MiniLM-L6-v2",
                    7,
                    26,
                    SentenceTransformer
                ),
                hit("org/adapter", 8, 38, FromPretrained),
            ]
        );
    }

    #[test]
    fn multi_line_call_and_keyword_forms() {
        let text = "model = AutoModelForCausalLM.from_pretrained(\n    \"google/gemma-2b\",\n    torch_dtype=dtype,\n)\n\
            pipe = DiffusionPipeline.from_pretrained(torch_dtype=t, pretrained_model_name_or_path='stabilityai/sdxl-turbo')\n\
            x = LLM('Qwen/Qwen2-0.5B'); y = pipeline(task=\"fill-mask\", tokenizer=tok.from_pretrained(\"a/tok\"), model=\"b/m\")\n";
        assert_eq!(
            found(Python, text),
            vec![
                hit("google/gemma-2b", 2, 6, FromPretrained),
                hit("stabilityai/sdxl-turbo", 5, 88, FromPretrained),
                hit("Qwen/Qwen2-0.5B", 6, 10, Vllm),
                hit("a/tok", 6, 91, FromPretrained),
                hit("b/m", 6, 107, Pipeline),
            ]
        );
    }

    #[test]
    fn non_literals_paths_and_comments_are_not_reported() {
        let text = "m = AutoModel.from_pretrained(model_id)\n\
            m = AutoModel.from_pretrained(f\"{org}/x\")\n\
            m = AutoModel.from_pretrained(\"./checkpoints/x\")\n\
            m = AutoModel.from_pretrained(\"org/\" + name)\n\
            p = pipeline(\"text-generation\")\n\
            # m = AutoModel.from_pretrained(\"meta-llama/Llama-2-7b\")\n\
            x = 1  # from_pretrained(\"meta-llama/Llama-2-7b\")\n\
            def from_pretrained(cls, pretrained_model_name_or_path=\"a/b\"): pass\n";
        assert_eq!(found(Python, text), vec![]);
        let hash_in_string = "tok = T.from_pretrained(\"org/t\", sep=\"#\")  # note\n";
        assert_eq!(
            found(Python, hash_in_string),
            vec![hit("org/t", 1, 26, FromPretrained)]
        );
    }

    #[test]
    fn notebook_code_cells_map_to_ipynb_lines() {
        let text = r##"{
 "cells": [
  {
   "cell_type": "markdown",
   "metadata": {},
   "source": [
    "Uses `AutoModel.from_pretrained(\"org/in-markdown\")`\n"
   ]
  },
  {
   "cell_type": "code",
   "execution_count": null,
   "metadata": {},
   "outputs": [],
   "source": [
    "import transformers\n",
    "tok = AutoTokenizer.from_pretrained(\"org/in-markdown\")\n",
    "m = AutoModel.from_pretrained(\n",
    "    'org/model')"
   ]
  },
  {
   "cell_type": "code",
   "source": ["# org/two, below\n", "a = LLM(\"org/two\"); b = LLM(\"org/two\")"]
  }
 ],
 "metadata": {},
 "nbformat": 4,
 "nbformat_minor": 5
}
"##;
        assert_eq!(
            found(Notebook, text),
            vec![
                hit("org/in-markdown", 17, 44, FromPretrained),
                hit("org/model", 19, 11, FromPretrained),
                hit("org/two", 24, 48, Vllm),
                hit("org/two", 24, 70, Vllm),
            ]
        );
        let one_string = "{\"cells\": [{\"cell_type\": \"code\", \"source\": \"x = 1\\nm = LLM(\\\"a/b\\\")\"}]}";
        assert_eq!(found(Notebook, one_string), vec![hit("a/b", 1, 62, Vllm)]);
    }

    #[test]
    fn modelfile_from_lines() {
        let text = "FROM hf.co/bartowski/Llama-3.2-3B-Instruct-GGUF:Q4_K_M\nfrom llama3.1:8b\n\
            FROM ./model.gguf\nFROM model.gguf\nFROM /abs/m\n# FROM gemma2\nPARAMETER temperature 1\n  FROM https://huggingface.co/org/x\n";
        assert_eq!(
            found(Modelfile, text),
            vec![
                hit("bartowski/Llama-3.2-3B-Instruct-GGUF", 1, 12, OllamaFrom),
                hit("ollama:llama3.1", 2, 6, OllamaFrom),
                hit("org/x", 8, 31, OllamaFrom),
            ]
        );
    }

    #[test]
    fn shell_commands() {
        let text = "llama-server -hf ggml-org/gemma-3-1b-it-GGUF:Q4_K_M --port 8080\n\
            llama-cli --hf-repo=\"org/a\" -hff x.gguf\n\
            # llama-cli -hf org/commented\n\
            huggingface-cli download org/b --local-dir m\n\
            hf download org/c --repo-type dataset\n\
            llama-cli -hf $MODEL\n";
        assert_eq!(
            found(Shell, text),
            vec![
                hit("ggml-org/gemma-3-1b-it-GGUF", 1, 18, LlamaCpp),
                hit("org/a", 2, 22, LlamaCpp),
                hit("org/b", 4, 26, HubDownload),
            ]
        );
    }

    #[test]
    fn hub_ids_and_file_kinds() {
        assert!(is_hub_id("Qwen/Qwen2.5-7B-Instruct"));
        for bad in "a/b/c ./a/b /abs ~/x http://x/y a/ ab a--b/c".split(' ') {
            assert!(!is_hub_id(bad), "{bad}");
        }
        assert!(!is_hub_id("a b/c") && !is_hub_id(""));
        assert!(!is_hub_id(&format!("org/{}", "x".repeat(93))));
        let names =
            "src/train.py demo.ipynb run.sh run.bash Modelfile llama.Modelfile Modelfile.qwen";
        let kinds = [
            Python, Notebook, Shell, Shell, Modelfile, Modelfile, Modelfile,
        ];
        for (name, kind) in names.split(' ').zip(kinds) {
            assert_eq!(classify(name), Some(kind), "{name}");
        }
        assert_eq!(classify("x/Modelfile.py"), Some(Python));
        assert_eq!(classify("README.md"), None);
        assert_eq!(LlamaCpp.as_str(), "llama.cpp -hf");
    }

    #[test]
    fn hostile_input_is_fast_and_safe() {
        let started = std::time::Instant::now();
        let line = "from_pretrained(".repeat(65_536);
        assert!(scan(Python, &line).is_empty());
        let literals = "x.from_pretrained(\"a/b\"); ".repeat(40_000);
        assert_eq!(scan(Python, &literals).len(), 40_000);
        assert!(scan(Notebook, &format!("{{\"cells\": [{line}")).is_empty());
        assert!(scan(Notebook, "{\"cells\": 3, \"from_pretrained\": 1}").is_empty());
        assert!(scan(Shell, &"-hf ".repeat(250_000)).is_empty());
        assert!(scan(Modelfile, &"FROM é\u{301}:".repeat(100_000)).is_empty());
        for cut in ["x.from_pretrained(\"é", "LLM(", "pipeline(model='", "#"] {
            let _ = scan(Python, cut);
        }
        assert!(started.elapsed().as_secs() < 10, "{:?}", started.elapsed());
    }
}
