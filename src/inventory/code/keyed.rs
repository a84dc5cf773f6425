//! Training and serving configs (YAML, JSON, TOML), read by key: a hub-id value under a
//! model key (`base_model:`, `model_name_or_path:`, `pretrained_model_name_or_path:`,
//! `model:` …) names a model; under a dataset key, or as `path:`/`id:`/`name:`/`source:`
//! inside a `datasets:` block (axolotl, alignment-handbook, torchtune recipes), a dataset.
//! YAML and TOML comments are read as usage prose (`#   tune download org/model`).
//!
//! The scan is by line, not by a YAML parser: the parsers on crates.io keep no positions
//! (serde_yaml) and a recipe with a templated value must still be read. Indentation gives
//! the enclosing keys.

use std::sync::OnceLock;

use regex::Regex;

use super::{hub_urls, is_model_name, is_usable_id, shell, Hit, Kind, Loader};

/// The prefix of a builder reference: not a repository until the builder's default is found.
pub const COMPONENT: &str = "component:";

/// Keys that name a dataset when they sit inside a dataset block.
const DATASET_FIELDS: &[&str] = &["path", "id", "name", "source", "repo", "repo_id", "hf_path"];

struct Patterns {
    /// `key: value` (YAML) or `key = value` (TOML), after indentation and any `- `.
    entry: Regex,
    /// `"key": "value"` (JSON).
    json: Regex,
}

fn patterns() -> &'static Patterns {
    static P: OnceLock<Patterns> = OnceLock::new();
    P.get_or_init(|| {
        let re = |p: &str| Regex::new(p).unwrap_or_else(|e| panic!("config pattern {p}: {e}"));
        Patterns {
            entry: re(r#"^([A-Za-z_][A-Za-z0-9_.-]*)\s*[:=]\s*(.*)$"#),
            json: re(r#""([A-Za-z_][A-Za-z0-9_.-]*)"\s*:\s*"([^"\\\n]{3,160})""#),
        }
    })
}

/// The value of an entry without quotes or a trailing comment, and its offset in `rest`.
fn value(rest: &str) -> (usize, &str) {
    let cut = rest.find(" #").unwrap_or(rest.len());
    let raw = rest.get(..cut).unwrap_or(rest).trim_end();
    let unquoted = raw
        .strip_prefix(['"', '\''])
        .map(|v| v.trim_end_matches(['"', '\'']));
    match unquoted {
        Some(v) => (1, v),
        None => (0, raw),
    }
}

/// References in a YAML or TOML text.
pub(super) fn hits(text: &str) -> Vec<Hit> {
    let mut out = Vec::new();
    // Enclosing keys: (indent, key).
    let mut stack: Vec<(usize, String)> = Vec::new();
    // The TOML table the line is in.
    let mut table = String::new();
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        let at = start;
        start += line.len();
        let body = line.trim_end_matches(['\n', '\r']);
        let trimmed = body.trim_start();
        let mut indent = body.len() - trimmed.len();
        if let Some(comment) = trimmed.strip_prefix('#') {
            out.extend(shell::prose_hits(comment, at + indent + 1));
            continue;
        }
        if trimmed.is_empty() || trimmed.starts_with("---") {
            continue;
        }
        if trimmed.starts_with('[') && trimmed.ends_with(']') {
            // A TOML table: its name is the enclosing key.
            stack.clear();
            table = trimmed.trim_matches(['[', ']']).to_ascii_lowercase();
            continue;
        }
        let mut content = trimmed;
        let mut item = false;
        if let Some(rest) = content.strip_prefix("- ") {
            content = rest.trim_start();
            indent += trimmed.len() - content.len();
            item = true;
        }
        let content_at = at + body.len() - content.len();
        while stack.last().is_some_and(|(i, _)| *i >= indent) {
            stack.pop();
        }
        let in_datasets = table.contains("dataset")
            || stack
                .iter()
                .any(|(_, k)| k.to_ascii_lowercase().contains("dataset"));
        let Some(caps) = patterns().entry.captures(content) else {
            // A bare list item under a model or dataset key.
            if item {
                let (skip, v) = value(content);
                let parent = stack.last().map(|(_, k)| k.as_str()).unwrap_or("");
                if let Some(kind) = is_model_name(parent) {
                    if is_usable_id(v) {
                        out.push(hit(content_at + skip, v, kind));
                    }
                }
            }
            continue;
        };
        let (Some(key), Some(rest)) = (caps.get(1), caps.get(2)) else {
            continue;
        };
        let (skip, v) = value(rest.as_str());
        let v_at = content_at + rest.start() + skip;
        if v.is_empty() {
            stack.push((indent, key.as_str().to_string()));
            continue;
        }
        if v.contains("huggingface.co/") || v.contains("hf.co/") {
            out.extend(hub_urls(v, v_at, Loader::HubUrl));
            continue;
        }
        let key = key.as_str();
        // torchtune-style builders (`_component_: torchtune.datasets.alpaca_dataset`): the
        // builder's own default (its `source=`) is resolved against the Python sources.
        if key == "_component_" {
            let builder = v.rsplit('.').next().unwrap_or(v);
            let dotted = v.contains('.')
                && v.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.');
            if dotted && !builder.is_empty() {
                out.push(Hit::new(
                    v_at,
                    format!("{COMPONENT}{builder}"),
                    Loader::Key,
                    Kind::Either,
                ));
            }
            continue;
        }
        // litgpt's convention: `checkpoint_dir: checkpoints/org/name`.
        if let Some(id) = v.strip_prefix("checkpoints/") {
            if key.contains("checkpoint") && is_usable_id(id) {
                out.push(hit(v_at + "checkpoints/".len(), id, Kind::Model));
            }
            continue;
        }
        if !is_usable_id(v) {
            continue;
        }
        let kind = if in_datasets && DATASET_FIELDS.contains(&key) {
            Some(Kind::Dataset)
        } else {
            is_model_name(key)
        };
        if let Some(kind) = kind {
            out.push(hit(v_at, v, kind));
        }
    }
    out
}

fn hit(at: usize, id: &str, kind: Kind) -> Hit {
    Hit::new(at, id.to_string(), Loader::Key, kind)
}

/// References in a JSON text: a hub-id string under a model or dataset key.
pub(super) fn json_hits(text: &str) -> Vec<Hit> {
    let mut out = Vec::new();
    for caps in patterns().json.captures_iter(text) {
        let (Some(key), Some(v)) = (caps.get(1), caps.get(2)) else {
            continue;
        };
        if v.as_str().contains("huggingface.co/") {
            out.extend(hub_urls(v.as_str(), v.start(), Loader::HubUrl));
            continue;
        }
        if let Some(kind) = is_model_name(key.as_str()) {
            if is_usable_id(v.as_str()) {
                out.push(hit(v.start(), v.as_str(), kind));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(hits: Vec<Hit>) -> Vec<(String, Kind, usize)> {
        hits.into_iter().map(|h| (h.id, h.kind, h.at)).collect()
    }

    #[test]
    fn recipe_keys_and_dataset_blocks() {
        let text = "# Model arguments\nbase_model: NousResearch/Llama-3.2-1B\nhub_model_id: me/out\n\
            datasets:\n  - path: tatsu-lab/alpaca\n    type: alpaca\ndataset_mixer:\n  - id: HuggingFaceH4/ultrachat\n\
            output_dir: ./out\ncheckpoint_dir: checkpoints/google/gemma-2b\nmodel_name_or_path: \"google/gemma-7b\"  # the base\n\
            #   tune download meta-llama/Llama-3.3-70B-Instruct --output-dir /tmp/x\n";
        let got = found(hits(text));
        let ids: Vec<(&str, Kind)> = got.iter().map(|(i, k, _)| (i.as_str(), *k)).collect();
        assert_eq!(
            ids,
            vec![
                ("NousResearch/Llama-3.2-1B", Kind::Model),
                ("tatsu-lab/alpaca", Kind::Dataset),
                ("HuggingFaceH4/ultrachat", Kind::Dataset),
                ("google/gemma-2b", Kind::Model),
                ("google/gemma-7b", Kind::Model),
                ("meta-llama/Llama-3.3-70B-Instruct", Kind::Model),
            ]
        );
        for (id, _, at) in &got {
            assert_eq!(text.get(*at..*at + id.len()), Some(id.as_str()));
        }
    }

    #[test]
    fn toml_and_json_keys() {
        let toml = "[model]\nbase_model = \"org-a/m\"\n[datasets]\npath = 'org-b/d'\n";
        let ids: Vec<String> = hits(toml).into_iter().map(|h| h.id).collect();
        assert_eq!(ids, vec!["org-a/m", "org-b/d"]);
        let json = "{\"model_name_or_path\": \"org-c/m\", \"output_dir\": \"org-c/out\", \"url\": \"https://huggingface.co/org-d/x\"}";
        let ids: Vec<String> = json_hits(json).into_iter().map(|h| h.id).collect();
        assert_eq!(ids, vec!["org-c/m", "org-d/x"]);
    }
}
