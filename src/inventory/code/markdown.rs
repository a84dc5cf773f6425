//! A README's own instructions: its fenced and indented code blocks, read by their language
//! (shell, Python, YAML, Dockerfile), and the Hub URLs of its links and text
//! (`[Download](https://huggingface.co/org/model)`). pulldown-cmark finds the blocks, so a
//! fence inside a list or a block quote is a block, and a URL in a code span is not a link.

use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag, TagEnd};

use super::{cdn_urls, hub_urls, keyed, named_dataset_uses, python, shell, Hit, Kind, Loader};

/// How a code block's text is read, by its info string.
enum Lang {
    Shell,
    Python,
    Yaml,
    Dockerfile,
    Other,
}

fn lang(info: &str) -> Lang {
    let word = info
        .split([' ', ',', '{'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    match word.as_str() {
        "" | "bash" | "sh" | "shell" | "console" | "zsh" | "shell-session" | "shellscript"
        | "cmd" | "powershell" | "text" => Lang::Shell,
        "python" | "py" | "python3" | "ipython" | "pycon" => Lang::Python,
        "yaml" | "yml" | "toml" => Lang::Yaml,
        "dockerfile" | "docker" => Lang::Dockerfile,
        _ => Lang::Other,
    }
}

/// References in a markdown text.
pub(super) fn hits(text: &str) -> Vec<Hit> {
    let mut out = Vec::new();
    let mut block: Option<Lang> = None;
    // Byte ranges of code blocks: their URLs are read by the block's own scanner.
    let mut blocks: Vec<(usize, usize)> = Vec::new();
    for (event, range) in Parser::new(text).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                block = Some(match kind {
                    CodeBlockKind::Fenced(info) => lang(&info),
                    CodeBlockKind::Indented => Lang::Shell,
                });
                blocks.push((range.start, range.end));
            }
            Event::End(TagEnd::CodeBlock) => block = None,
            Event::Text(_) => {
                let Some(lang) = &block else { continue };
                let Some(code) = text.get(range.clone()) else {
                    continue;
                };
                let base = range.start;
                let found = match lang {
                    Lang::Shell => shell::hits(code, 0),
                    Lang::Python => python::hits(code),
                    Lang::Yaml => keyed::hits(code),
                    Lang::Dockerfile => shell::dockerfile_hits(code),
                    Lang::Other => Vec::new(),
                };
                out.extend(found.into_iter().map(|h| Hit {
                    at: h.at + base,
                    ..h
                }));
            }
            _ => {}
        }
    }
    let outside = |at: usize| !blocks.iter().any(|&(a, b)| a <= at && at < b);
    out.extend(named_dataset_uses(text, |at| !outside(at)));
    if text.contains("models.mistralcdn.com/") {
        out.extend(cdn_urls(text, 0).into_iter().filter(|h| outside(h.at)));
    }
    if text.contains("huggingface.co/") || text.contains("hf.co/") {
        // In prose, a link to a repository's files or a download link is a use; a link
        // that only names a repository (a news item, a citation) is not.
        let downloads = |h: &Hit| {
            let tail = text.get(h.at + h.id.len()..).unwrap_or("");
            let line_start = text
                .get(..h.at)
                .and_then(|t| t.rfind('\n'))
                .map_or(0, |i| i + 1);
            let line_end = tail
                .find('\n')
                .map_or(text.len(), |i| h.at + h.id.len() + i);
            let line = text
                .get(line_start..line_end)
                .unwrap_or("")
                .to_ascii_lowercase();
            ["/tree/", "/resolve/", "/blob/"]
                .iter()
                .any(|p| tail.starts_with(p))
                || line.contains("download")
                || weights_label(&line)
        };
        out.extend(
            hub_urls(text, 0, Loader::HubUrl)
                .into_iter()
                .filter(|h| outside(h.at))
                .filter_map(|mut h| {
                    if downloads(&h) {
                        return Some(h);
                    }
                    (h.kind == Kind::Dataset).then(|| {
                        h.how = Loader::DatasetLink;
                        h
                    })
                }),
        );
    }
    out
}

/// A line that labels its link as the weights: "- Weights: https://huggingface.co/…",
/// "**Checkpoints**: …".
pub(crate) fn weights_label(lower_line: &str) -> bool {
    let label = lower_line.trim_start_matches(|c: char| {
        c.is_whitespace() || matches!(c, '-' | '*' | '+' | '>' | '|' | '_')
    });
    ["weights", "model weights", "checkpoint", "checkpoints"]
        .iter()
        .any(|w| {
            label
                .strip_prefix(w)
                .is_some_and(|rest| rest.trim_start_matches(['*', '_']).starts_with(':'))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_by_language_and_links() {
        let text = "# Demo\n\nSee [weights](https://huggingface.co/org-a/weights7b/tree/main) and [the announcement](https://huggingface.co/org-f/news).\n\n\
            ```bash\ntorchrun train.py \\\n    --model_name_or_path \"org-b/base\"\n```\n\n\
            ```python\nm = AutoModel.from_pretrained(\"org-c/m\")\n```\n\n\
            ```json\n{\"model\": \"org-d/not-read\"}\n```\n\n`hf download org-e/in-code-span`\n";
        let found: Vec<(String, usize)> = hits(text).into_iter().map(|h| (h.id, h.at)).collect();
        let ids: Vec<&str> = found.iter().map(|(i, _)| i.as_str()).collect();
        assert_eq!(ids, vec!["org-b/base", "org-c/m", "org-a/weights7b"]);
        for (id, at) in &found {
            assert_eq!(text.get(*at..*at + id.len()), Some(id.as_str()));
        }
    }
}
