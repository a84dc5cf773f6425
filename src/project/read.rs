//! Reading one candidate: capped, sniffed, parsed by kind (cards, license texts, GGUF
//! headers, code), in parallel, with a cache of identical texts.

use std::collections::HashMap;
use std::sync::Arc;

use xxhash_rust::xxh3::xxh3_128;

use crate::config::CodeScope;
use crate::core::source::{self, ReadProblem};
use crate::inventory::card::{self, Card, CardKind};
use crate::inventory::code::{self, CodeKind, CodeRef, Loader};
use crate::inventory::gguf::{self, GgufError, GgufMeta};
use crate::inventory::prose::{self, Generated};
use crate::walk::{Candidate, FileKind};
use crate::yaml::Value;

pub(super) enum Read {
    Card(Candidate, Card, Arc<str>),
    DatasetCard(Candidate, Card),
    Nothing,
    License(Candidate, Option<Arc<str>>),
    Weights(Candidate, Option<Result<GgufMeta, GgufError>>),
    /// Code with its references and the model license its header names, if any.
    /// A code file's references, the line that publishes what it trains, and the model
    /// license its header names. Its text is not kept: a finding's snippet re-reads it.
    Code(
        Candidate,
        Vec<CodeRef>,
        Option<usize>,
        Option<(usize, String)>,
    ),
    /// Read later, and only beside a model.
    Config(Candidate),
    /// A README that is not a card: read later, and only if an obligation needs the docs.
    PlainReadme(Candidate),
    Problem(Candidate, ReadProblem),
}

/// Code, configs and notebooks (which carry their outputs) are read this far; a larger
/// file is reported (WL902), not passed over.
pub(super) const CODE_CAP: u64 = 16 * 1024 * 1024;

/// Code in tests, docs and examples is not the product: a library that names hundreds of
/// hub models in its tests is not loading them.
fn is_test_or_docs(rel: &str) -> bool {
    let mut parts = rel.split('/');
    let name = parts.next_back().unwrap_or("");
    parts.any(|d| {
        matches!(
            d.to_ascii_lowercase().as_str(),
            "test" | "tests" | "testing" | "__tests__" | "doc" | "docs" | "examples" | "example"
        )
    }) || name.starts_with("test_")
        || name.ends_with("_test.py")
        || name == "conftest.py"
}

/// Scans already made in this run, by content (length and 128-bit XXH3) and kind:
/// monorepos vendor the same scripts and configs many times over.
pub(super) type ScanCache = std::sync::Mutex<HashMap<(usize, u128, CodeKind), Vec<CodeRef>>>;

fn read_code(c: Candidate, scope: &CodeScope, cache: &ScanCache) -> Read {
    if !scope.reads(&c.rel, is_test_or_docs(&c.rel)) {
        return Read::Nothing;
    }
    let Some(kind) = code::classify(file_name(&c.rel)) else {
        return Read::Nothing;
    };
    let text = match source::read_text_capped(&c.path, CODE_CAP) {
        Ok(text) => text,
        Err(p @ ReadProblem::TooLarge(..)) => return Read::Problem(c, p),
        // Code that is not text (a binary `.json`, a Latin-1 script) names no hub id.
        Err(_) => return Read::Nothing,
    };
    let key = (text.len(), xxh3_128(text.as_bytes()), kind);
    let known = cache.lock().ok().and_then(|m| m.get(&key).cloned());
    let mut refs = known.unwrap_or_else(|| {
        let refs = code::scan(kind, &text);
        if let Ok(mut m) = cache.lock() {
            m.insert(key, refs.clone());
        }
        refs
    });
    keep_named_in_recipes(&mut refs, &c.rel);
    let header = code::header::model_license(&text);
    if refs.is_empty() && header.is_none() {
        Read::Nothing
    } else {
        let publishes = code::publish_line(&text);
        Read::Code(c, refs, publishes, header)
    }
}

/// A README's code blocks and Hub links, when it is the product's (not under tests, docs
/// or examples unless `code.include` says so) and not a model card.
/// A README read for code: its display path, references, text, and what it says generated
/// its data.
pub(super) type ReadmeRead = (String, Vec<CodeRef>, Arc<str>, Option<Generated>);

pub(super) fn readme_refs(c: &Candidate, scope: &CodeScope) -> Option<ReadmeRead> {
    if !scope.reads(&c.rel, is_test_or_docs(&c.rel)) {
        return None;
    }
    let text = source::read_text_capped(&c.path, CODE_CAP).ok()?;
    if text
        .trim_start_matches('\u{feff}')
        .trim_start()
        .starts_with("---")
    {
        return None;
    }
    let mut refs = code::scan(CodeKind::Markdown, &text);
    keep_named_in_recipes(&mut refs, &c.rel);
    let generated = prose::generated(&text);
    // The top-level README is kept even without references: its tables may be the release.
    let top = c.rel.eq_ignore_ascii_case("readme.md");
    (top || !refs.is_empty() || generated.is_some())
        .then(|| (c.display.clone(), refs, Arc::from(text), generated))
}

/// A dataset named by name is a use only in a training recipe (`training/README.md`,
/// `*_finetune.yaml`, `configs/sft/…`): elsewhere the name is a benchmark or a citation.
fn keep_named_in_recipes(refs: &mut Vec<CodeRef>, rel: &str) {
    let lower = rel.to_ascii_lowercase();
    let recipe = ["train", "finetun", "fine_tun", "fine-tun", "sft"]
        .iter()
        .any(|w| lower.contains(w));
    if !recipe {
        refs.retain(|r| r.loader != Loader::Named);
    }
}

/// Cards are read only this far to see whether they start with front matter at all: a BOM,
/// some blank lines and the fence fit.
const CARD_SNIFF: usize = 256;

pub(super) fn read_candidate(c: Candidate, scope: &CodeScope, cache: &ScanCache) -> Read {
    match c.kind {
        FileKind::Weights => {
            let header = c
                .rel
                .to_ascii_lowercase()
                .ends_with(".gguf")
                .then(|| gguf::read(&c.path));
            Read::Weights(c, header)
        }
        FileKind::Code => read_code(c, scope, cache),
        // Read with the top-level prose (its declarations and where its data comes from).
        FileKind::Datasheet => Read::Nothing,
        FileKind::ModelConfig => Read::Config(c),
        FileKind::Readme | FileKind::ModelCard => {
            // The cap is checked first: a huge README is reported even if it is not a card.
            if let Ok(meta) = std::fs::metadata(&c.path) {
                if meta.len() > source::TEXT_CAP {
                    return Read::Problem(c, ReadProblem::TooLarge(meta.len(), source::TEXT_CAP));
                }
            }
            if c.kind == FileKind::Readme && !starts_with_fence(&c.path) {
                return Read::PlainReadme(c);
            }
            match source::read_text(&c.path) {
                Ok(text) => {
                    let parsed = card::parse(&c.display, &text);
                    // A Jinja card template (`license: {{ license }}`) is not a card.
                    let head_end = text
                        .match_indices('\n')
                        .nth(parsed.body_line.saturating_sub(2))
                        .map_or(text.len(), |(i, _)| i);
                    if text[..head_end].contains("{{") || text[..head_end].contains("{%") {
                        return Read::Nothing;
                    }
                    // A card template with `license: {license}` placeholders is not a card either.
                    if parsed
                        .field("license")
                        .is_some_and(|f| is_placeholder(&f.value))
                    {
                        return Read::Nothing;
                    }
                    let keep = c.kind == FileKind::ModelCard
                        || match &parsed.problem {
                            // An empty or unclosed block was meant as metadata.
                            Some(_) if parsed.fields.is_empty() && !text.contains("{{") => true,
                            // A README whose YAML breaks is a card if it names a card key.
                            Some(_) => {
                                parsed.fields.iter().any(|f| {
                                    matches!(
                                        f.key.as_str(),
                                        "license"
                                            | "base_model"
                                            | "pipeline_tag"
                                            | "datasets"
                                            | "library_name"
                                    )
                                }) || text.lines().take(40).any(|l| l.starts_with("license:"))
                            }
                            None => parsed.kind() == CardKind::Model,
                        };
                    if keep {
                        Read::Card(c, parsed, Arc::from(text))
                    } else if parsed.problem.is_none() && parsed.kind() == CardKind::Dataset {
                        Read::DatasetCard(c, parsed)
                    } else {
                        Read::Nothing
                    }
                }
                Err(p) => Read::Problem(c, p),
            }
        }
        FileKind::License | FileKind::Notice | FileKind::UsePolicy => {
            match source::read_text(&c.path) {
                Ok(text) => Read::License(c, Some(Arc::from(text))),
                Err(p) => Read::Problem(c, p),
            }
        }
    }
}

/// `{license}` in YAML is a one-key mapping with no value: an unfilled placeholder.
fn is_placeholder(v: &Value) -> bool {
    matches!(v, Value::Map(entries) if entries.len() == 1 && entries[0].1 == Value::Null)
}

/// A README is worth reading only if it opens with `---`, after an optional BOM and any
/// whitespace (as huggingface_hub finds front matter).
fn starts_with_fence(path: &std::path::Path) -> bool {
    use std::io::Read as _;
    let mut head = [0u8; CARD_SNIFF];
    let Ok(mut f) = std::fs::File::open(path) else {
        // Let the full read report the problem.
        return true;
    };
    let mut n = 0;
    while n < head.len() {
        match f.read(&mut head[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(_) => return true,
        }
    }
    let head = &head[..n];
    let head = head.strip_prefix(b"\xef\xbb\xbf").unwrap_or(head);
    match head.iter().position(|b| !b.is_ascii_whitespace()) {
        // A fence cut off at the end of the sniff counts: the full read decides.
        Some(start) => {
            let rest = &head[start..];
            rest.starts_with(b"---") || (n == CARD_SNIFF && b"---".starts_with(rest))
        }
        // Only whitespace this far: let the full read decide.
        None => n == CARD_SNIFF,
    }
}

pub(super) fn for_code(file_name: &str) -> bool {
    let upper = file_name.to_ascii_uppercase();
    upper.contains("CODE") || upper.contains("SOFTWARE")
}

pub(super) fn parent_rel(rel: &str) -> Option<&str> {
    if rel.is_empty() {
        None
    } else {
        Some(rel.rsplit_once('/').map_or("", |(p, _)| p))
    }
}

pub(super) fn file_name(rel: &str) -> &str {
    rel.rsplit_once('/').map_or(rel, |(_, n)| n)
}
