//! What a README says in prose about the use its models, weights or data allow: "Alpaca is
//! intended and licensed for research use only", "本项目相关资源仅供学术研究之用，严禁用于商业用途".
//! People state a release's limits in prose far more often than in front matter.
//! pulldown-cmark splits the text, so code blocks, inline code and link targets are never
//! read as statements.

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

/// What a prose license declaration is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum About {
    Data,
    Weights,
}

/// A sentence that says what license the data or the weights are under: "Code and data
/// are licensed under the Apache 2.0 license", "This dataset is distributed under the
/// ODC-By license".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Declaration {
    /// 1-based line of the sentence's "under".
    pub line: usize,
    pub about: About,
    /// The knowledge-base key of the license named.
    pub license: String,
    pub sentence: String,
}

/// A sentence of a README that calls a model open source.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Claim {
    /// 1-based line of the claim.
    pub line: usize,
    pub sentence: String,
}

/// A sentence of a README that limits use.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Statement {
    /// 1-based line of the limiting phrase.
    pub line: usize,
    /// The sentence, trimmed to a readable length.
    pub quote: String,
    /// Research only, not only non-commercial.
    pub research_only: bool,
}

/// Phrases that limit use to research (true) or to non-commercial use (false), in lower case.
const LIMITS: &[(&str, bool)] = &[
    ("research use only", true),
    ("research purposes only", true),
    ("for research only", true),
    ("research-only", true),
    ("academic research purposes only", true),
    ("not be used outside of research", true),
    ("仅供学术研究", true),
    ("仅供研究", true),
    ("仅限学术研究", true),
    ("non-commercial", false),
    ("noncommercial", false),
    ("not for commercial use", false),
    ("prohibited for commercial use", false),
    ("no commercial use", false),
    ("严禁用于商业用途", false),
    ("禁止商用", false),
    ("不得用于商业用途", false),
];

/// What the limit must be about: the release, not the code.
const SUBJECTS: &[&str] = &[
    "model",
    "weight",
    "checkpoint",
    "dataset",
    "data ",
    "data,",
    "data.",
    "resources",
    "lora",
    "模型",
    "权重",
    "资源",
    "数据",
];

/// Wording that allows commercial use after all, or speaks of something else.
const ALLOWS: &[&str] = &[
    " and commercial",
    " or commercial",
    "commercial use is allowed",
    "commercial use is permitted",
    "free for commercial",
    "commercial use is also",
    "可商用",
    "允许商业",
];

/// The limiting statements of a Markdown text, in order.
pub fn statements(text: &str) -> Vec<Statement> {
    let mut out = Vec::new();
    blocks(text, |block, pieces| {
        if let Some(s) = limit(text, block, pieces) {
            out.push(s);
        }
    });
    out
}

/// The sentences of a Markdown text that call a model open source, in order.
pub fn open_claims(text: &str) -> Vec<Claim> {
    let mut out = Vec::new();
    blocks(text, |block, pieces| {
        for (start, sentence) in sentences(block) {
            if let Some(column) = open_claim(sentence) {
                let at = start
                    + sentence
                        .char_indices()
                        .nth(column - 1)
                        .map_or(0, |(i, _)| i);
                out.push(Claim {
                    line: line_of(text, pieces, at),
                    sentence: sentence.trim().to_string(),
                });
                break;
            }
        }
    });
    out
}

/// The license declarations about data or weights in a Markdown text, in order.
pub fn declarations(text: &str) -> Vec<Declaration> {
    let mut out = Vec::new();
    blocks(text, |block, pieces| {
        for (start, sentence) in sentences(block) {
            if let Some((at, about, license)) = declaration(sentence) {
                out.push(Declaration {
                    line: line_of(text, pieces, start + at),
                    about,
                    license,
                    sentence: crate::core::text::clip(sentence.trim(), 160),
                });
            }
        }
    });
    out
}

/// Verbs that put something under a license.
const UNDER: &[&str] = &[
    "licensed under",
    "released under",
    "distributed under",
    "available under",
    "open-sourced under",
    "open sourced under",
    "provided under",
];

/// One sentence's declaration: the byte offset of its verb, what it is about, the license.
fn declaration(sentence: &str) -> Option<(usize, About, String)> {
    let lower = sentence.to_ascii_lowercase();
    let (at, verb) = UNDER
        .iter()
        .filter_map(|v| lower.find(v).map(|i| (i, *v)))
        .min_by_key(|(i, _)| *i)?;
    let before = &lower[..at];
    let words: Vec<&str> = word_spans(before).into_iter().map(|(_, w)| w).collect();
    let about = if words
        .iter()
        .any(|w| matches!(*w, "weights" | "checkpoint" | "checkpoints"))
    {
        About::Weights
    } else if words
        .iter()
        .any(|w| matches!(*w, "data" | "dataset" | "datasets"))
    {
        About::Data
    } else {
        return None;
    };
    // "... under the Apache 2.0 license", "under [the ODC-By license](…)", "under CC BY NC 4.0".
    let rest = &sentence[at + verb.len()..];
    let names: Vec<&str> = rest
        .split(|c: char| c.is_whitespace() || matches!(c, '[' | ']' | '(' | ')' | ',' | ';'))
        .filter(|w| !w.is_empty())
        .take(8)
        .collect();
    let names: Vec<&str> = match names.first() {
        Some(w) if w.eq_ignore_ascii_case("the") => names[1..].to_vec(),
        _ => names,
    };
    let kb = crate::license::kb::kb();
    for k in (1..=names.len().min(6)).rev() {
        let mut words: Vec<&str> = names[..k].to_vec();
        if words.len() > 1
            && words
                .last()
                .is_some_and(|w| w.eq_ignore_ascii_case("license"))
        {
            words.pop();
        }
        let name = words.join(" ").trim_end_matches(['.', ':']).to_string();
        if let Some(e) = kb.name(&name) {
            return Some((at, about, e.key.clone()));
        }
    }
    None
}

/// Call `f` with each block of prose (paragraph, list item, table cell, heading) and the
/// source offset of each of its pieces; code blocks, inline code and link targets are not
/// prose.
fn blocks(text: &str, mut f: impl FnMut(&str, &[(usize, usize)])) {
    // The text of the block being read, with the source offset of each piece.
    let mut block = String::new();
    let mut pieces: Vec<(usize, usize)> = Vec::new();
    let mut in_code = 0usize;
    for (event, range) in Parser::new(text).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(_)) => in_code += 1,
            Event::End(TagEnd::CodeBlock) => in_code = in_code.saturating_sub(1),
            Event::Text(t) if in_code == 0 => {
                pieces.push((block.len(), range.start));
                block.push_str(&t);
            }
            Event::SoftBreak | Event::HardBreak => block.push(' '),
            Event::End(
                TagEnd::Paragraph | TagEnd::Item | TagEnd::TableCell | TagEnd::Heading(_),
            ) => {
                f(&block, &pieces);
                block.clear();
                pieces.clear();
            }
            _ => {}
        }
    }
    f(&block, &pieces);
}

/// The 1-based source line of byte `in_block` of a block.
fn line_of(source: &str, pieces: &[(usize, usize)], in_block: usize) -> usize {
    let offset = pieces
        .iter()
        .take_while(|(b, _)| *b <= in_block)
        .last()
        .map_or(0, |(b, s)| s + (in_block - b));
    source[..offset.min(source.len())]
        .bytes()
        .filter(|&b| b == b'\n')
        .count()
        + 1
}

/// The first limit in one block of prose (a paragraph, list item, table cell), quoting
/// its sentence. What it limits may be named elsewhere in the block ("**License**: Alpaca
/// is for research use only. The dataset…").
fn limit(source: &str, block: &str, pieces: &[(usize, usize)]) -> Option<Statement> {
    let whole = block.to_lowercase();
    if !SUBJECTS.iter().any(|s| whole.contains(s)) {
        return None;
    }
    for (start, sentence) in sentences(block) {
        let lower = sentence.to_lowercase();
        let Some((at, research_only)) = LIMITS
            .iter()
            .filter_map(|(p, r)| lower.find(p).map(|i| (i, *r)))
            .min_by_key(|(i, _)| *i)
        else {
            continue;
        };
        // The sentence itself must be about the release or its license: "Alpaca is
        // licensed for research use only", not "we thank our non-commercial sponsors".
        let about = SUBJECTS.iter().any(|s| lower.contains(s))
            || ["licens", "intended", "许可", "协议"]
                .iter()
                .any(|w| lower.contains(w));
        if !about || ALLOWS.iter().any(|a| lower.contains(a)) {
            continue;
        }
        // `lower` may differ in length from `sentence` only for non-ASCII case changes; the
        // offset is used for a line number, so the nearest piece is close enough.
        return Some(Statement {
            line: line_of(source, pieces, start + at.min(sentence.len())),
            quote: crate::core::text::clip(sentence.trim(), 160),
            research_only,
        });
    }
    None
}

/// Words after "open source" that make the claim about code, not the model.
const CODE_WORDS: &[&str] = &[
    "code",
    "library",
    "libraries",
    "implementation",
    "toolkit",
    "framework",
    "software",
    "repository",
    "project",
    "community",
    "tool",
    "tools",
    "package",
    "inference",
    "training",
    "license",
    "licenses",
    "licence",
    "alternatives",
    "projects",
    "ecosystem",
];

/// Words near "open source" that make the claim about the model.
const MODEL_WORDS: &[&str] = &[
    "model",
    "models",
    "llm",
    "llms",
    "weights",
    "ai",
    "release",
    "checkpoint",
    "checkpoints",
    "transformer",
    "network",
    // Families whose name is the model: "open-sourced the Chinese LLaMA".
    "llama",
    "gemma",
    "vicuna",
    "alpaca",
];

/// Where a line claims the model is open source: the claim's 1-based column.
pub fn open_claim(line: &str) -> Option<usize> {
    let lower = line.to_ascii_lowercase();
    let words: Vec<(usize, &str)> = word_spans(&lower);
    for (i, &(start, w)) in words.iter().enumerate() {
        let next = |k: usize| words.get(i + k).map_or("", |x| x.1);
        let (span, is_fully) = match w {
            "opensource" | "opensourced" => (1, false),
            "open" if matches!(next(1), "source" | "sourced") => (2, false),
            "fully" if next(1) == "open" => (if next(2) == "source" { 3 } else { 2 }, true),
            _ => continue,
        };
        // "not open source", "have not been open-sourced" are the honest wording.
        let negation =
            |k: usize| i >= k && matches!(words[i - k].1, "not" | "never" | "nor" | "no" | "t");
        if negation(1) || (i >= 2 && matches!(words[i - 1].1, "been" | "be" | "yet") && negation(2))
        {
            continue;
        }
        let after: Vec<&str> = (span..span + 4).map(next).collect();
        if after.iter().take(2).any(|a| CODE_WORDS.contains(a)) {
            continue;
        }
        let before: Vec<&str> = (i.saturating_sub(4)..i).map(|k| words[k].1).collect();
        let about_model = after.iter().chain(&before).any(|a| MODEL_WORDS.contains(a));
        if is_fully || about_model {
            return Some(line[..start].chars().count() + 1);
        }
    }
    None
}

/// Lower-case words (letters and digits) with their byte offsets.
pub fn word_spans(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        match (c.is_alphanumeric(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push((s, &text[s..i]));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push((s, &text[s..]));
    }
    out
}

/// Sentences of a block with their byte offsets: split after `.`, `!`, `?` and `。`.
fn sentences(block: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut chars = block.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let end = i + c.len_utf8();
        let ends = match c {
            '。' | '！' | '？' => true,
            '.' | '!' | '?' => chars.peek().is_none_or(|(_, n)| n.is_whitespace()),
            _ => false,
        };
        if ends {
            out.push((start, &block[start..end]));
            start = end;
        }
    }
    if start < block.len() {
        out.push((start, &block[start..]));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn research_only_and_non_commercial_statements_are_found() {
        let text = "# Alpaca\n\nIntro.\n\n**Usage and License Notices**: Alpaca is intended and licensed for research use only. The dataset is CC BY NC 4.0 (allowing only non-commercial use) and models trained using the dataset should not be used outside of research purposes.\n";
        let found = statements(text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].line, 5);
        assert!(found[0].research_only);
        assert!(found[0]
            .quote
            .contains("Alpaca is intended and licensed for research use only"));
    }

    #[test]
    fn chinese_disclaimers_are_found() {
        let text = "## 免责声明\n\n**本项目相关资源仅供学术研究之用，严禁用于商业用途。** 使用涉及第三方代码的部分时，请严格遵循相应的开源协议。\n";
        let found = statements(text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].line, 3);
    }

    #[test]
    fn code_permissions_and_other_subjects_are_not_statements() {
        for text in [
            "```\n# weights for research use only\n```\n",
            "The code is free for research and commercial use of the models.\n",
            "We thank the non-commercial sponsors of this work.\n",
            "Run `--research-only` to skip the model download.\n",
            "The checkpoints are Apache-2.0. We thank our non-commercial sponsors.\n",
        ] {
            assert!(
                statements(text).is_empty(),
                "{text:?}: {:?}",
                statements(text)
            );
        }
    }

    #[test]
    fn claims_about_the_model_not_the_code() {
        assert!(open_claim("Llama 3 is an open source model by Meta.").is_some());
        assert!(open_claim("The most capable openly available, fully open LLM.").is_some());
        assert_eq!(open_claim("We open-sourced the model weights."), Some(4));
        assert!(open_claim("Our open source models lead the field.").is_some());
        assert!(open_claim("An open-weight model under the Llama license.").is_none());
        assert!(open_claim("Built with open source code and tools.").is_none());
        assert!(open_claim("Uses the open-source library vLLM for inference.").is_none());
        assert!(open_claim("We thank the open source community.").is_none());
        assert!(open_claim("open weights, not open source").is_none());
        assert!(open_claim("We release open source weights.").is_some());
        assert!(
            open_claim("Open-sourced the Chinese LLaMA (general purpose) and Alpaca").is_some()
        );
        assert!(open_claim("the official model weights have not been open-sourced").is_none());
    }

    #[test]
    fn open_claims_have_their_line_and_skip_code() {
        let text = "# Chat\n\n```\nopen-source model\n```\n\n- Extended vocabulary.\n- Open-sourced the\n  Chinese LLaMA model.\n";
        let found = open_claims(text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].line, 8);
        assert_eq!(found[0].sentence, "Open-sourced the Chinese LLaMA model.");
    }

    #[test]
    fn declarations_of_data_and_weights_licenses() {
        let text = "**License**\nCode and data are licensed under the Apache 2.0 license.\n\nThis dataset is distributed under [the ODC-By license](https://opendatacommons.org/licenses/by/1-0/).\n\nThe model weights are released under CC BY NC 4.0.\n\nThe code is licensed under MIT.\n";
        let found = declarations(text);
        let got: Vec<(usize, About, &str)> = found
            .iter()
            .map(|d| (d.line, d.about, d.license.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                (2, About::Data, "apache-2.0"),
                (4, About::Data, "odc-by"),
                (6, About::Weights, "cc-by-nc-4.0")
            ]
        );
    }
}
