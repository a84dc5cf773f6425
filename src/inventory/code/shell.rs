//! Shell text: scripts, notebook `!` lines, README code blocks, Dockerfiles, and the usage
//! lines of comments and docstrings. Words are split as a shell splits them (quotes,
//! `\`-newline continuations, `;`/`|`/`&` between commands) with their offsets, then read
//! for model flags (`--model_name_or_path org/x`), assignments (`MODEL=org/x`), hub
//! downloads (`huggingface-cli download`, `hf download`, `tune download`), llama.cpp `-hf`
//! and Hub URLs (`git clone https://huggingface.co/org/x`).
//!
//! No crate on crates.io splits shell words and keeps their offsets (shlex and shell-words
//! return owned strings), so this small splitter is ours.

use super::{cdn_urls, hub_urls, is_model_name, is_usable_id, Hit, Kind, Loader};

/// One word: where its text starts in the scanned text, and the text without quotes.
struct Word {
    at: usize,
    /// Where the word ends in the scanned text (quotes included).
    end: usize,
    text: String,
}

/// Commands of a shell text: each a list of words. `comments`: whether `#` at a word's start
/// begins a comment (a script) or is text (a comment being read as prose).
fn commands(text: &str, comments: bool) -> Vec<Vec<Word>> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut command: Vec<Word> = Vec::new();
    let mut word: Option<Word> = None;
    let mut quote: Option<u8> = None;
    let mut i = 0;
    let end_word = |word: &mut Option<Word>, command: &mut Vec<Word>, end: usize| {
        if let Some(mut w) = word.take() {
            w.end = end;
            command.push(w);
        }
    };
    while let Some(&b) = bytes.get(i) {
        // A quote left open at the end of a line (an apostrophe in prose) ends there.
        if b == b'\n' {
            quote = None;
        }
        match quote {
            Some(q) if b == q => quote = None,
            Some(_) => push(&mut word, text, i),
            None => match b {
                b'\\' if bytes.get(i + 1) == Some(&b'\n') => {
                    end_word(&mut word, &mut command, i);
                    i += 1;
                }
                b'\\' if bytes.get(i + 1) == Some(&b'\r') && bytes.get(i + 2) == Some(&b'\n') => {
                    end_word(&mut word, &mut command, i);
                    i += 2;
                }
                b'\'' | b'"' | b'`' => {
                    quote = Some(b);
                    if word.is_none() {
                        word = Some(Word {
                            at: i + 1,
                            end: i + 1,
                            text: String::new(),
                        });
                    }
                }
                b'#' if comments && word.is_none() => {
                    while bytes.get(i + 1).is_some_and(|&c| c != b'\n') {
                        i += 1;
                    }
                }
                b' ' | b'\t' | b'\r' => end_word(&mut word, &mut command, i),
                b'\n' | b';' | b'|' | b'&' | b'(' | b')' => {
                    end_word(&mut word, &mut command, i);
                    if !command.is_empty() {
                        out.push(std::mem::take(&mut command));
                    }
                }
                _ => push(&mut word, text, i),
            },
        }
        i += 1;
    }
    end_word(&mut word, &mut command, text.len());
    if !command.is_empty() {
        out.push(command);
    }
    out
}

/// Add the character starting at byte `i` to the word (starting one there if none).
fn push(word: &mut Option<Word>, text: &str, i: usize) {
    if !text.is_char_boundary(i) {
        return;
    }
    let c = text.get(i..).and_then(|s| s.chars().next()).unwrap_or(' ');
    word.get_or_insert(Word {
        at: i,
        end: i,
        text: String::new(),
    })
    .text
    .push(c);
}

/// References in a shell script (its comments skipped), offsets from `base`.
pub(super) fn hits(text: &str, base: usize) -> Vec<Hit> {
    scan(text, base, true)
}

/// References in prose that shows how to run something: a comment, a docstring, a
/// markdown paragraph.
pub(super) fn prose_hits(text: &str, base: usize) -> Vec<Hit> {
    scan(text, base, false)
}

fn scan(text: &str, base: usize, comments: bool) -> Vec<Hit> {
    let lower = text.to_ascii_lowercase();
    if !(lower.contains('/')) {
        return Vec::new();
    }
    let mut out = Vec::new();
    for command in commands(text, comments) {
        read_command(text, &command, base, &mut out);
    }
    out
}

/// The hub id in a value word, without a llama.cpp `:quant` tag.
fn id_of(word: &str) -> Option<&str> {
    let id = word.split(':').next().unwrap_or(word);
    is_usable_id(id).then_some(id)
}

fn read_command(src: &str, words: &[Word], base: usize, out: &mut Vec<Hit>) {
    let dataset_repo = words
        .windows(2)
        .any(|w| w[0].text == "--repo-type" && w[1].text.starts_with("dataset"))
        || words.iter().any(|w| w.text == "--repo-type=dataset");
    let space_repo = words
        .windows(2)
        .any(|w| w[0].text == "--repo-type" && w[1].text.starts_with("space"));
    let hit = |out: &mut Vec<Hit>, word: &Word, id: &str, how: Loader, kind: Kind| {
        out.push(Hit::new(base + word.at, id.to_string(), how, kind));
    };
    for (i, w) in words.iter().enumerate() {
        let next = words.get(i + 1);
        let text = w.text.as_str();
        if text.contains("huggingface.co/") || text.contains("hf.co/") {
            out.extend(hub_urls(text, base + w.at, Loader::HubUrl));
            continue;
        }
        if text.contains("models.mistralcdn.com/") {
            out.extend(cdn_urls(text, base + w.at));
            continue;
        }
        if let Some(flag) = text.strip_prefix("--").or_else(|| text.strip_prefix('-')) {
            let (name, inline) = match flag.split_once('=') {
                Some((n, v)) => (n, Some(v)),
                None => (flag, None),
            };
            // An inline value starts after `=` and any quote, in the text as written.
            let inline_at = || {
                let raw = src.get(w.at..w.end)?;
                let eq = raw.find('=')? + 1;
                let quoted = raw.get(eq..)?.starts_with(['"', '\'']);
                Some(w.at + eq + usize::from(quoted))
            };
            let value = match inline {
                Some(v) => inline_at().map(|at| (at, v)),
                None => next.map(|n| (n.at, n.text.as_str())),
            };
            let Some((at, value)) = value else { continue };
            let word = Word {
                at,
                end: at,
                text: String::new(),
            };
            if matches!(name, "hf" | "hfr" | "hf-repo") {
                if let Some(id) = id_of(value) {
                    hit(out, &word, id, Loader::LlamaCpp, Kind::Model);
                }
                continue;
            }
            let Some(kind) = is_model_name(&name.replace('-', "_")) else {
                continue;
            };
            if is_usable_id(value) {
                hit(out, &word, value, Loader::Flag, kind);
            }
            continue;
        }
        if text == "download" && i > 0 {
            let tool = words[i - 1].text.as_str();
            let tool = tool.rsplit('/').next().unwrap_or(tool);
            if matches!(tool, "huggingface-cli" | "hf" | "tune" | "modelscope") && !space_repo {
                let repo = words[i + 1..].iter().find(|n| !n.text.starts_with('-'));
                if let Some(repo) = repo {
                    if is_usable_id(&repo.text) {
                        let kind = if dataset_repo {
                            Kind::Dataset
                        } else {
                            Kind::Model
                        };
                        hit(out, repo, &repo.text, Loader::HubDownload, kind);
                    }
                }
            }
            continue;
        }
        // `MODEL=org/x`, `export BASE_MODEL=org/x`, Dockerfile `ENV MODEL_ID=org/x`.
        if let Some((name, value)) = text.split_once('=') {
            if !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
                if let Some(kind) = is_model_name(name) {
                    if is_usable_id(value) {
                        let word = Word {
                            at: w.at + name.len() + 1,
                            end: w.end,
                            text: String::new(),
                        };
                        hit(out, &word, value, Loader::Default, kind);
                    }
                }
            }
        }
    }
}

/// Dockerfile lines: `ENV`/`ARG` defaults (`ENV MODEL_ID org/x` too) and `RUN` commands.
pub(super) fn dockerfile_hits(text: &str) -> Vec<Hit> {
    let mut out = Vec::new();
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        let body = line.trim_start();
        let lead = line.len() - body.len();
        let mut parts = body.splitn(2, [' ', '\t']);
        let keyword = parts.next().unwrap_or("").to_ascii_uppercase();
        let rest = parts.next().unwrap_or("");
        let rest_at = start + lead + body.len() - rest.len();
        if matches!(keyword.as_str(), "ENV" | "ARG") {
            let mut words = rest.split_whitespace();
            if let (Some(name), Some(value), None) = (words.next(), words.next(), words.next()) {
                let kind = is_model_name(name).filter(|_| !name.contains('='));
                if let Some(kind) = kind {
                    let value = value.trim_matches(['"', '\'']);
                    if is_usable_id(value) {
                        if let Some(off) = rest.find(value) {
                            out.push(Hit::new(
                                rest_at + off,
                                value.to_string(),
                                Loader::Default,
                                kind,
                            ));
                        }
                    }
                    start += line.len();
                    continue;
                }
            }
        }
        start += line.len();
    }
    out.extend(hits(text, 0));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(hits: Vec<Hit>) -> Vec<(usize, String, Loader)> {
        hits.into_iter().map(|h| (h.at, h.id, h.how)).collect()
    }

    #[test]
    fn words_keep_their_offsets_across_quotes_and_continuations() {
        let text =
            "python x.py \\\n  --base_model 'lab/a' --lora_model=\"lab/b\" # --model lab/c\n";
        let found = ids(hits(text, 0));
        let at = |id: &str| text.find(id).unwrap_or(0);
        assert_eq!(
            found,
            vec![
                (at("lab/a"), "lab/a".to_string(), Loader::Flag),
                (at("lab/b"), "lab/b".to_string(), Loader::Flag)
            ]
        );
    }

    #[test]
    fn downloads_assignments_and_urls() {
        let text =
            "MODEL=lab/m\nexport BASE_MODEL=lab/base\ntune download lab/t --output-dir /tmp/t\n\
            hf download lab/d --repo-type dataset\nhuggingface-cli download --resume lab/r\n\
            git clone https://huggingface.co/lab/u\nllama-server -hf lab/g:Q4_K_M\n\
            OUTPUT_DIR=lab/out\npython train.py --output_dir lab/o --model ./local/x\n";
        let found: Vec<(String, Kind)> =
            hits(text, 0).into_iter().map(|h| (h.id, h.kind)).collect();
        let want = [
            ("lab/m", Kind::Model),
            ("lab/base", Kind::Model),
            ("lab/t", Kind::Model),
            ("lab/d", Kind::Dataset),
            ("lab/r", Kind::Model),
            ("lab/u", Kind::Model),
            ("lab/g", Kind::Model),
        ];
        assert_eq!(
            found,
            want.iter()
                .map(|(i, k)| (i.to_string(), *k))
                .collect::<Vec<_>>()
        );
    }

    #[test]
    fn prose_reads_hash_as_text_and_scripts_skip_comments() {
        assert_eq!(hits("# tune download lab/x\n", 0).len(), 0);
        let found = ids(prose_hits(
            "#   tune download lab/x --output-dir /tmp/x",
            10,
        ));
        assert_eq!(found, vec![(28, "lab/x".to_string(), Loader::HubDownload)]);
        assert!(prose_hits("see --model for details, or lab/x", 0).is_empty());
    }

    #[test]
    fn dockerfile_env_and_run() {
        let text = "FROM python:3.11\nENV MODEL_ID lab/env\nARG BASE_MODEL=lab/arg\nRUN hf download lab/run\n";
        let found: Vec<String> = dockerfile_hits(text).into_iter().map(|h| h.id).collect();
        assert_eq!(found, vec!["lab/env", "lab/arg", "lab/run"]);
    }
}
