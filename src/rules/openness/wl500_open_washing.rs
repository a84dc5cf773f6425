//! WL500 open-washing: a card calls an open-weight or restricted model open source.

use crate::config::Require;
use crate::core::diagnostic::{Diagnostic, Location, Severity};
use crate::core::registry::WL500;
use crate::core::text;
use crate::openness::Verdict;
use crate::rules::{Checker, Run, Spec};

pub(crate) static SPEC: Spec = Spec {
    rule: &WL500,
    doc: include_str!("../docs/WL500.md"),
    fires: &["WL500-llama-called-open-source"],
    quiet: &["WL500-ok-open-weight-wording"],
    run: Run::Check(check),
};

fn check(cx: &Checker, out: &mut Vec<Diagnostic>) {
    for (model, o) in cx.models_with_openness() {
        let Some(card) = &model.card else { continue };
        let Some(text) = cx.project.texts.get(&card.path) else {
            continue;
        };
        if !matches!(o.verdict, Verdict::OpenWeight | Verdict::RestrictedWeight) {
            continue;
        }
        let mut fenced = false;
        for (n, line) in text.lines().enumerate() {
            if line.trim_start().starts_with("```") {
                fenced = !fenced;
                continue;
            }
            if fenced || n + 1 < card.body_line {
                continue;
            }
            let Some(column) = open_claim(line) else {
                continue;
            };
            let mut d = Diagnostic::new(
                &WL500,
                Location::at(&card.path, n + 1, column),
                format!(
                    "the card calls the model open source (\"{}\"), but it is {}: {}",
                    clip(line),
                    o.verdict.as_str(),
                    o.summary
                ),
            )
            .with_help("Say \"open-weight\" (or name the license) unless the weights, training code and data information are all released under OSI-approved terms (OSAID 1.0).")
            .for_model(&model.path);
            if cx.config.require >= Require::Osi {
                d.severity = Severity::Error;
            }
            out.push(d);
            break;
        }
    }
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
];

/// Where a line claims the model is open source: the claim's 1-based column.
fn open_claim(line: &str) -> Option<usize> {
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
        // "not open source" is the honest wording.
        if i > 0 && matches!(words[i - 1].1, "not" | "never" | "nor" | "no" | "t") {
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
fn word_spans(text: &str) -> Vec<(usize, &str)> {
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

fn clip(line: &str) -> String {
    text::clip(
        line.trim().trim_start_matches(['#', '>', '-', '*', ' ']),
        100,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

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
    }
}
