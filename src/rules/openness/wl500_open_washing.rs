//! WL500 open-washing: a card or the repository's README calls an open-weight or
//! restricted model open source.

use crate::config::Require;
use crate::core::diagnostic::{Diagnostic, Location, Severity};
use crate::core::registry::WL500;
use crate::core::text;
use crate::inventory::prose::{open_claim, word_spans};
use crate::license::kb::kb;
use crate::openness::Verdict;
use crate::rules::{Checker, Run, Spec};

pub(crate) static SPEC: Spec = Spec {
    rule: &WL500,
    doc: include_str!("../docs/WL500.md"),
    fires: &[
        "WL500-llama-called-open-source",
        "WL500-readme-calls-llama-open-source",
        "WL500-readme-own-model-open-source",
    ],
    quiet: &[
        "WL500-ok-open-weight-wording",
        "WL500-ok-readme-honest-wording",
    ],
    run: Run::Check(check),
};

fn check(cx: &Checker, out: &mut Vec<Diagnostic>) {
    cards(cx, out);
    readmes(cx, out);
}

/// A claim in a model's own card.
fn cards(cx: &Checker, out: &mut Vec<Diagnostic>) {
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
            .with_help(HELP)
            .for_model(&model.path);
            if cx.config.require >= Require::Osi {
                d.severity = Severity::Error;
            }
            out.push(d);
            break;
        }
    }
}

const HELP: &str = "Say \"open-weight\" (or name the license) unless the weights, training code and data information are all released under OSI-approved terms (OSAID 1.0).";

/// Model families every release of which is under its maker's own terms, never an
/// OSI-approved license. Qwen, DeepSeek, Falcon and Mistral also release under Apache-2.0
/// or MIT, so their names alone say nothing.
const RESTRICTED_FAMILIES: &[(&str, &str, &str)] = &[
    ("llama", "Llama", "one of Meta's Llama licenses"),
    ("gemma", "Gemma", "the Gemma Terms of Use"),
];

/// A claim in a top-level README that is not a card: about a family named in the sentence
/// ("the strong open-sourced LLaMA 2 language model"), else about the repository's own
/// model (a model card file beside the README).
fn readmes(cx: &Checker, out: &mut Vec<Diagnostic>) {
    for c in &cx.project.claims {
        if cx
            .project
            .models
            .iter()
            .any(|m| m.card.as_ref().is_some_and(|card| card.path == c.path))
        {
            continue;
        }
        let quote = clip(&c.claim.sentence);
        let message = if let Some((name, license)) = family_named(&c.claim.sentence) {
            format!("the README calls {name} open source (\"{quote}\"), but {name} is under {license}, which is not OSI-approved: it is open-weight at most")
        } else {
            let mut own = cx.models_with_openness().filter(|(m, _)| {
                m.root == c.root
                    && m.rel_dir.is_empty()
                    && (m.card.is_some() || m.released_as.is_some())
            });
            let (Some((model, o)), None) = (own.next(), own.next()) else {
                continue;
            };
            if !matches!(o.verdict, Verdict::OpenWeight | Verdict::RestrictedWeight) {
                continue;
            }
            format!(
                "the README calls the repository's model ({}) open source (\"{quote}\"), but it is {}: {}",
                model.name,
                o.verdict.as_str(),
                o.summary
            )
        };
        let mut d = Diagnostic::new(&WL500, Location::at(&c.path, c.claim.line, 1), message)
            .with_help(HELP);
        if cx.config.require >= Require::Osi {
            d.severity = Severity::Error;
        }
        out.push(d);
    }
}

/// The restricted family a sentence names, with its license: the version's own entry
/// where the sentence gives one ("LLaMA 2", "Llama-3.1", "llama2"), else the family's.
fn family_named(sentence: &str) -> Option<(String, String)> {
    let lower = sentence.to_lowercase();
    let words = word_spans(&lower);
    let mut bare = None;
    for (i, &(_, w)) in words.iter().enumerate() {
        for &(family, display, license) in RESTRICTED_FAMILIES {
            let Some(rest) = w.strip_prefix(family) else {
                continue;
            };
            // `llama2` or `llama 2`, `llama 3 1` (from "3.1"): digits that follow.
            let mut version: Vec<&str> = Vec::new();
            if !rest.is_empty() {
                if !rest.bytes().all(|b| b.is_ascii_digit()) {
                    continue;
                }
                version.push(rest);
            }
            for k in 1..=2 {
                match words.get(i + k) {
                    Some(&(_, v)) if v.len() <= 2 && v.bytes().all(|b| b.is_ascii_digit()) => {
                        version.push(v);
                    }
                    _ => break,
                }
            }
            let version = version.join(".");
            if let Some(e) = kb().key(&format!("{family}-{version}")) {
                return Some((format!("{display} {version}"), e.the_name()));
            }
            bare.get_or_insert_with(|| (display.to_string(), license.to_string()));
        }
    }
    bare
}

fn clip(line: &str) -> String {
    text::clip(
        line.trim().trim_start_matches(['#', '>', '-', '*', ' ']),
        100,
    )
}
