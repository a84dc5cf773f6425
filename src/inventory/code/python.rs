//! Python, parsed with tree-sitter: a literal is known as a call argument, a keyword, a
//! parameter default, an assignment or a docstring. String constants are followed within a
//! file to the loader calls that use them; comments and docstrings are read as shell text
//! (`# tune download org/model`, `usage: … --model org/model`), so commented-out code
//! (`# m = X.from_pretrained("org/x")`) names nothing.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, MatchKind};
use regex::Regex;
use tree_sitter::{Node, Parser};

use super::regions::Regions;
use super::{data_urls, hub_urls, is_model_name, is_usable_id, shell, Hit, Kind, Loader};

/// A Hub URL, a flag or download command a comment may hold, a model zoo call, or a file
/// URL in a GitHub repository: literals found in one pass, each checked where it stands.
fn prefilter(text: &str) -> impl Iterator<Item = usize> + '_ {
    static AC: OnceLock<AhoCorasick> = OnceLock::new();
    static FLAG: OnceLock<Regex> = OnceLock::new();
    static GITHUB_FILE: OnceLock<Regex> = OnceLock::new();
    let ac = AC.get_or_init(|| {
        AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostFirst)
            .build([
                "huggingface.co/",
                "hf.co/",
                "tts_models/",
                "hub.load",
                "FaceAnalysis",
                "raw.githubusercontent.com/",
                "--",
                "download",
                "github.com/",
            ])
            .unwrap_or_else(|e| panic!("python prefilter: {e}"))
    });
    let regex = |cell: &'static OnceLock<Regex>, pattern: &str| {
        cell.get_or_init(|| Regex::new(pattern).unwrap_or_else(|e| panic!("{pattern}: {e}")))
    };
    let flag = regex(&FLAG, r"\A--[A-Za-z_-]*(?:model|dataset|data_path)");
    let github_file = regex(
        &GITHUB_FILE,
        r#"\Agithub\.com/[^/"'\s]+/[^/"'\s]+/(?:raw|blob)/"#,
    );
    ac.find_iter(text).filter_map(move |m| {
        let (at, rest) = (m.start(), &text[m.start()..]);
        let ok = match rest.as_bytes()[0] {
            b'-' => flag.is_match(rest),
            b'd' => {
                // `huggingface-cli download `, `hf download `, `tune download `, …
                let before = text[..at].trim_end();
                let spaced = before.len() < at;
                let after = rest
                    .as_bytes()
                    .get(m.len())
                    .is_some_and(u8::is_ascii_whitespace);
                spaced
                    && after
                    && ["huggingface-cli", "hf", "tune", "modelscope"]
                        .iter()
                        .any(|c| before.ends_with(c))
            }
            b'g' => github_file.is_match(rest),
            _ => true,
        };
        ok.then_some(at)
    })
}

/// Where a text has a candidate worth parsing for: a quoted usable id (not `data/train`,
/// not `org/model`) or what `prefilter` finds. With any, the loader calls are wanted too, for
/// the names bound to ids that they load. Sorted.
fn candidates(text: &str) -> Vec<usize> {
    let mut wanted = quoted_ids(text);
    wanted.extend(prefilter(text));
    if !wanted.is_empty() {
        wanted.extend(loader_names().find_iter(text).map(|m| m.start()));
        wanted.sort_unstable();
    }
    wanted
}

/// The opening quotes of `"org/name"` and `'org/name'` that hold a usable id, found from
/// each `/` (rarer in code than quotes).
fn quoted_ids(text: &str) -> Vec<usize> {
    let bytes = text.as_bytes();
    let part = |b: &u8| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-');
    let quote = |b: Option<&u8>| matches!(b, Some(b'"' | b'\''));
    memchr::memchr_iter(b'/', bytes)
        .filter_map(|slash| {
            let org = bytes[..slash].iter().rev().take_while(|b| part(b)).count();
            let name = bytes[slash + 1..].iter().take_while(|b| part(b)).count();
            let (open, close) = (slash.checked_sub(org + 1)?, slash + 1 + name);
            let id = text.get(open + 1..close)?;
            (org > 0
                && name > 0
                && quote(bytes.get(open))
                && quote(bytes.get(close))
                && is_usable_id(id))
            .then_some(open)
        })
        .collect()
}

/// The names of `loader_of`, found as literals.
fn loader_names() -> &'static AhoCorasick {
    static AC: OnceLock<AhoCorasick> = OnceLock::new();
    AC.get_or_init(|| {
        AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostFirst)
            .build([
                "from_pretrained",
                "load_pretrained_model",
                "hf_hub_download",
                "snapshot_download",
                "pipeline",
                "LLM",
                "AsyncLLMEngine",
                "SentenceTransformer",
                "CrossEncoder",
                "load_dataset",
            ])
            .unwrap_or_else(|e| panic!("python loader names: {e}"))
    })
}

/// The call names that load a hub repository with their first argument, and how.
fn loader_of(name: &str) -> Option<Loader> {
    Some(match name {
        "from_pretrained" | "load_pretrained_model" => Loader::FromPretrained,
        "hf_hub_download" | "snapshot_download" => Loader::HubDownload,
        "pipeline" => Loader::Pipeline,
        "LLM" | "AsyncLLMEngine" => Loader::Vllm,
        "SentenceTransformer" | "CrossEncoder" => Loader::SentenceTransformer,
        "load_dataset" => Loader::LoadDataset,
        _ if name.ends_with("from_pretrained") => Loader::FromPretrained,
        _ => return None,
    })
}

/// Hub references in a Python text, with byte offsets: the logical lines that hold a
/// candidate are parsed, not the whole file.
pub(super) fn hits(text: &str) -> Vec<Hit> {
    let wanted = candidates(text);
    if wanted.is_empty() {
        return Vec::new();
    }
    let regions = Regions::around(text, &wanted);
    let mut hits = parsed_hits(&regions.text);
    for hit in &mut hits {
        hit.at = regions.original(hit.at);
    }
    hits
}

/// Hub references in a parsed Python text, with byte offsets.
fn parsed_hits(text: &str) -> Vec<Hit> {
    thread_local! {
        static PARSER: RefCell<Option<Parser>> = const { RefCell::new(None) };
    }
    let tree = PARSER.with(|cell| {
        let mut slot = cell.borrow_mut();
        if slot.is_none() {
            let mut parser = Parser::new();
            parser
                .set_language(&tree_sitter_python::LANGUAGE.into())
                .ok()?;
            *slot = Some(parser);
        }
        slot.as_mut()?.parse(text, None)
    });
    let Some(tree) = tree else {
        return Vec::new();
    };
    let mut scan = Scan {
        text,
        out: Vec::new(),
        bindings: HashMap::new(),
        uses: Vec::new(),
    };
    // Preorder with one cursor; a string's own tokens are not visited.
    let mut cursor = tree.walk();
    'walk: loop {
        let node = cursor.node();
        scan.node(node);
        if node.kind() != "string" && cursor.goto_first_child() {
            continue;
        }
        while !cursor.goto_next_sibling() {
            if !cursor.goto_parent() {
                break 'walk;
            }
        }
    }
    scan.follow();
    scan.out
}

struct Scan<'t> {
    text: &'t str,
    out: Vec<Hit>,
    /// Names bound to hub-id literals: the literal's offset and text.
    bindings: HashMap<&'t str, Vec<(usize, &'t str)>>,
    /// Names passed to loaders.
    uses: Vec<(&'t str, Loader, Kind)>,
}

impl<'t> Scan<'t> {
    fn src(&self, node: Node) -> &'t str {
        self.text.get(node.byte_range()).unwrap_or("")
    }

    fn node(&mut self, node: Node) {
        match node.kind() {
            "string" => self.string(node),
            "comment" => {
                let start = node.start_byte();
                let comment = self.src(node);
                self.out.extend(shell::prose_hits(comment, start));
            }
            "call" => {
                self.call_with_names(node);
                self.zoo_call(node);
            }
            _ => {}
        }
    }

    /// The text of a plain literal (no interpolation, no escapes, no bytes), and where its
    /// content starts.
    fn literal(&self, node: Node) -> Option<(usize, &'t str)> {
        let mut cursor = node.walk();
        let mut content = None;
        for child in node.children(&mut cursor) {
            match child.kind() {
                "string_start" => {
                    let prefix = self.src(child).to_ascii_lowercase();
                    if prefix.contains('f') || prefix.contains('b') {
                        return None;
                    }
                }
                "string_content" if content.is_none() => {
                    content = Some((child.start_byte(), self.src(child)));
                }
                "string_end" => {}
                _ => return None,
            }
        }
        content
    }

    fn string(&mut self, node: Node) {
        let Some((at, value)) = self.literal(node) else {
            return;
        };
        // Every reference holds a `/` (`org/name`, a URL, `tts_models/…`); `parent()` costs a
        // walk from the root, so nothing else is asked of other strings.
        if !value.contains('/') {
            return;
        }
        let Some(parent) = node.parent() else {
            return;
        };
        if parent.kind() == "expression_statement" {
            // A docstring or bare string: read as prose, like a comment.
            self.out.extend(shell::prose_hits(value, at));
            return;
        }
        // Coqui TTS model names (`tts_models/multilingual/multi-dataset/xtts_v2`).
        if (value.starts_with("tts_models/") || value.starts_with("vocoder_models/"))
            && value.split('/').count() == 4
            && !value.contains(char::is_whitespace)
        {
            self.out.push(Hit::new(
                at,
                format!("coqui:{value}"),
                Loader::Zoo,
                Kind::Model,
            ));
            return;
        }
        if !is_usable_id(value) {
            if value.contains("huggingface.co/") || value.contains("hf.co/") {
                self.out.extend(hub_urls(value, at, Loader::HubUrl));
            }
            if value.contains("github") {
                self.out.extend(data_urls(value, at));
            }
            return;
        }
        let value = value.trim();
        if let Some((how, kind)) = self.context(node, parent, at, value) {
            let owner = (how == Loader::Default).then(|| self.owner(node)).flatten();
            self.out.push(Hit {
                at,
                id: value.to_string(),
                how,
                kind,
                owner,
            });
        }
    }

    /// How a hub-id literal is used, judged by where it stands.
    fn context(
        &mut self,
        node: Node,
        parent: Node,
        at: usize,
        value: &'t str,
    ) -> Option<(Loader, Kind)> {
        match parent.kind() {
            "argument_list" => {
                let call = parent.parent()?;
                let (receiver, name) = self.callee(call)?;
                let loader = loader_of(name)?;
                let index = position(parent, node)?;
                let peft = receiver.starts_with("PeftModel") || name == "load_adapter";
                let ok = match loader {
                    Loader::Pipeline => false,
                    _ => index == 0 || (index == 1 && peft),
                };
                let other = self.other_repo(parent);
                if !ok || other == Some(true) {
                    return None;
                }
                let kind = match loader {
                    Loader::LoadDataset => Kind::Dataset,
                    Loader::HubDownload if other == Some(false) => Kind::Dataset,
                    _ => Kind::Model,
                };
                Some((loader, kind))
            }
            "keyword_argument" => {
                let keyword = self.src(parent.child_by_field_name("name")?);
                let args = parent.parent()?;
                let call = args.parent()?;
                let (_, name) = self.callee(call).unwrap_or(("", ""));
                if keyword == "default" {
                    // `add_argument("--model", default=…)`, `field(default=…)`.
                    let subject = if name == "add_argument" {
                        self.first_string(args)?
                    } else {
                        self.assigned_name(call)?
                    };
                    let kind = is_model_name(subject)?;
                    return Some((Loader::Default, kind));
                }
                if name == "load_dataset" && matches!(keyword, "path" | "name") {
                    return Some((Loader::LoadDataset, Kind::Dataset));
                }
                if keyword == "source" && self.about_datasets(call) {
                    return Some((Loader::Default, Kind::Dataset));
                }
                if keyword == "repo_id" {
                    return match self.other_repo(args) {
                        Some(true) => None,
                        Some(false) => Some((Loader::HubDownload, Kind::Dataset)),
                        None => Some((Loader::HubDownload, Kind::Either)),
                    };
                }
                let kind = is_model_name(keyword)?;
                let how = loader_of(name).unwrap_or(Loader::Default);
                Some((how, kind))
            }
            "default_parameter" | "typed_default_parameter" => {
                let param = self.src(parent.child_by_field_name("name")?);
                if param == "source" && self.about_datasets(parent) {
                    return Some((Loader::Default, Kind::Dataset));
                }
                Some((Loader::Default, is_model_name(param)?))
            }
            "assignment" => {
                let name = self.target_name(parent)?;
                self.bindings.entry(name).or_default().push((at, value));
                Some((Loader::Default, is_model_name(name)?))
            }
            "list" | "tuple" | "set" | "pair" | "expression_list" => {
                // A collection of ids: named by what holds it.
                let mut holder = parent;
                while matches!(
                    holder.kind(),
                    "list" | "tuple" | "set" | "pair" | "dictionary" | "expression_list"
                ) {
                    if holder.kind() == "pair" {
                        if let Some(key) = holder.child_by_field_name("key") {
                            let key = self.literal(key).map_or(self.src(key), |(_, k)| k);
                            if let Some(kind) = is_model_name(key) {
                                return Some((Loader::Default, kind));
                            }
                        }
                    }
                    holder = holder.parent()?;
                }
                let name = match holder.kind() {
                    "assignment" => self.target_name(holder)?,
                    "keyword_argument" => self.src(holder.child_by_field_name("name")?),
                    "default_parameter" | "typed_default_parameter" => {
                        self.src(holder.child_by_field_name("name")?)
                    }
                    _ => return None,
                };
                if holder.kind() == "assignment" {
                    self.bindings.entry(name).or_default().push((at, value));
                }
                Some((Loader::Default, is_model_name(name)?))
            }
            _ => None,
        }
    }

    /// What holds a default: the function whose parameter it is, or the name a call or
    /// constant holding it is assigned to (`alpaca_cleaned_dataset = partial(…)`).
    fn owner(&self, node: Node) -> Option<String> {
        let mut in_parameters = false;
        let mut n = node.parent();
        while let Some(here) = n {
            match here.kind() {
                "parameters" => in_parameters = true,
                "function_definition" if in_parameters => {
                    return Some(self.src(here.child_by_field_name("name")?).to_string());
                }
                "function_definition" | "class_definition" | "module" => return None,
                "assignment" => return self.target_name(here).map(str::to_string),
                _ => {}
            }
            n = here.parent();
        }
        None
    }

    /// `repo_type="dataset"` (Some(false)) or `"space"`/`"model"`… (Some(true) for a space)
    /// among a call's arguments; None when not given.
    fn other_repo(&self, args: Node) -> Option<bool> {
        let mut cursor = args.walk();
        for arg in args.named_children(&mut cursor) {
            if arg.kind() != "keyword_argument" {
                continue;
            }
            let key = arg.child_by_field_name("name").map(|n| self.src(n));
            let value = arg
                .child_by_field_name("value")
                .and_then(|v| self.literal(v));
            if key == Some("repo_type") {
                return match value.map(|(_, v)| v) {
                    Some("dataset" | "datasets") => Some(false),
                    Some("space" | "spaces") => Some(true),
                    _ => None,
                };
            }
        }
        None
    }

    /// The receiver and the last name of a call's function (`PeftModel`, `from_pretrained`).
    fn callee(&self, call: Node) -> Option<(&'t str, &'t str)> {
        let f = call.child_by_field_name("function")?;
        match f.kind() {
            "identifier" => Some(("", self.src(f))),
            "attribute" => {
                let object = f.child_by_field_name("object").map_or("", |o| self.src(o));
                let receiver = object.rsplit('.').next().unwrap_or(object);
                Some((receiver, self.src(f.child_by_field_name("attribute")?)))
            }
            _ => None,
        }
    }

    /// The first literal argument of a call (`"--model-path"`), without leading dashes.
    fn first_string(&self, args: Node) -> Option<&'t str> {
        let mut cursor = args.walk();
        let first = args.named_children(&mut cursor).next()?;
        let (_, flag) = self.literal(first)?;
        Some(flag.trim_start_matches('-'))
    }

    /// The name a call's value is assigned to (`model_name: str = field(…)`).
    fn assigned_name(&self, call: Node) -> Option<&'t str> {
        let parent = call.parent()?;
        (parent.kind() == "assignment").then(|| self.target_name(parent))?
    }

    /// The name on the left of an assignment: `x`, or `attr` of `self.attr`.
    fn target_name(&self, assignment: Node) -> Option<&'t str> {
        let left = assignment.child_by_field_name("left")?;
        match left.kind() {
            "identifier" => Some(self.src(left)),
            "attribute" => Some(self.src(left.child_by_field_name("attribute")?)),
            _ => None,
        }
    }

    /// Whether the function or call around a node is about datasets (`alpaca_dataset`,
    /// `partial(alpaca_dataset, source=…)`).
    fn about_datasets(&self, node: Node) -> bool {
        let mut n = Some(node);
        while let Some(here) = n {
            match here.kind() {
                "function_definition" | "call" => {
                    let head = here
                        .child_by_field_name("name")
                        .or_else(|| here.child_by_field_name("function"))
                        .map_or("", |h| self.src(h));
                    let args = here
                        .child_by_field_name("arguments")
                        .map_or("", |a| self.src(a));
                    let args = args
                        .get(..args.find(',').unwrap_or(args.len()))
                        .unwrap_or("");
                    return head.to_ascii_lowercase().contains("dataset")
                        || args.to_ascii_lowercase().contains("dataset");
                }
                _ => n = here.parent(),
            }
        }
        false
    }

    /// A loader called with a name (`from_pretrained(model_path)`): the name's hub-id
    /// bindings in this file are what it loads.
    fn call_with_names(&mut self, call: Node) {
        let Some((_, name)) = self.callee(call) else {
            return;
        };
        let Some(loader) = loader_of(name) else {
            return;
        };
        let Some(args) = call.child_by_field_name("arguments") else {
            return;
        };
        let kind = if loader == Loader::LoadDataset {
            Kind::Dataset
        } else {
            Kind::Model
        };
        let mut cursor = args.walk();
        for (i, arg) in args.named_children(&mut cursor).enumerate() {
            let value = match arg.kind() {
                "identifier" if i == 0 && loader != Loader::Pipeline => Some(arg),
                "keyword_argument" => arg.child_by_field_name("value").filter(|_| {
                    arg.child_by_field_name("name")
                        .is_some_and(|k| is_model_name(self.src(k)).is_some())
                }),
                _ => None,
            };
            let Some(value) = value else { continue };
            let name = match value.kind() {
                "identifier" => self.src(value),
                "attribute" => value
                    .child_by_field_name("attribute")
                    .map_or("", |a| self.src(a)),
                _ => continue,
            };
            self.uses.push((name, loader, kind));
        }
    }

    /// Model zoos outside the Hub: `torch.hub.load("owner/repo", …)` (a GitHub repository)
    /// and insightface's `FaceAnalysis(name=…)`, whose default pack is `buffalo_l`.
    fn zoo_call(&mut self, call: Node) {
        let Some((receiver, name)) = self.callee(call) else {
            return;
        };
        let Some(args) = call.child_by_field_name("arguments") else {
            return;
        };
        let mut cursor = args.walk();
        let children: Vec<Node> = args.named_children(&mut cursor).collect();
        let keyword = |key: &str| {
            children.iter().find_map(|c| {
                (c.kind() == "keyword_argument"
                    && c.child_by_field_name("name").map(|n| self.src(n)) == Some(key))
                .then(|| c.child_by_field_name("value"))
                .flatten()
            })
        };
        if name == "load" && receiver == "hub" {
            let local = keyword("source")
                .and_then(|v| self.literal(v))
                .is_some_and(|(_, v)| v == "local");
            let repo = keyword("repo_or_dir").or_else(|| children.first().copied());
            let Some((at, repo)) = repo.and_then(|r| self.literal(r)) else {
                return;
            };
            let repo = repo.split(':').next().unwrap_or(repo);
            if !local && is_usable_id(repo) {
                self.out.push(Hit::new(
                    at,
                    format!("github:{repo}"),
                    Loader::Zoo,
                    Kind::Model,
                ));
            }
        } else if name.starts_with("FaceAnalysis") {
            let (at, pack) = match keyword("name").and_then(|v| self.literal(v)) {
                Some((at, pack)) => (at, pack),
                None => (call.start_byte(), "buffalo_l"),
            };
            self.out.push(Hit::new(
                at,
                format!("insightface:{pack}"),
                Loader::Zoo,
                Kind::Model,
            ));
        }
    }

    /// Bound names that reach a loader become references at their literals.
    fn follow(&mut self) {
        for (name, loader, kind) in std::mem::take(&mut self.uses) {
            for &(at, id) in self.bindings.get(name).into_iter().flatten() {
                self.out.push(Hit::new(at, id.to_string(), loader, kind));
            }
        }
    }
}

/// A node's index among its parent's named children, comments left out.
fn position(parent: Node, node: Node) -> Option<usize> {
    let mut cursor = parent.walk();
    let found = parent
        .named_children(&mut cursor)
        .filter(|c| c.kind() != "comment")
        .position(|c| c.id() == node.id());
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The parse of the candidate regions names what the parse of the whole file names.
    #[test]
    fn regions_name_what_the_whole_file_names() {
        let file = r#"
"""Module docstring: run `huggingface-cli download lab/doc-model` first."""
import os

BASE = "lab/base"  # the base
MODELS = {
    "small": "lab/small",
    "large": "lab/large",
}


@auto_docstring(checkpoint="lab/doc")
class Model(PreTrainedModel):
    def __init__(self, config, tokenizer_name="lab/tok"):
        r"""
        Example:
        >>> model = Model.from_pretrained("lab/in-docstring")
        """
        super().__init__(config)
        if os.environ.get("X"):  # (
            self.m = AutoModel.from_pretrained(
                BASE,
                revision="main",
            )

    def load(self):
        # python train.py --model_name_or_path lab/in-comment
        return load_dataset('lab/data', split="train")


def alpaca_dataset(tokenizer, source: str = "lab/alpaca", **kw):
    return x[: len("lab/not-this")] \
        + pipeline("text-generation", model="lab/pipe")
"#;
        let whole: Vec<(usize, String, Loader)> = parsed_hits(file)
            .into_iter()
            .map(|h| (h.at, h.id, h.how))
            .collect();
        let mut parts: Vec<(usize, String, Loader)> = hits(file)
            .into_iter()
            .map(|h| (h.at, h.id, h.how))
            .collect();
        let mut whole = whole;
        whole.sort();
        parts.sort();
        assert!(
            whole.len() >= 9,
            "the test file names too little: {whole:?}"
        );
        assert_eq!(parts, whole);
    }
}
