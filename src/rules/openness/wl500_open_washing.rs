//! WL500 open-washing: a card or the repository's README calls an open-weight or
//! restricted model open source.

use crate::config::Require;
use crate::core::diagnostic::{Diagnostic, Location, Severity};
use crate::core::registry::WL500;
use crate::core::text;
use crate::inventory::prose::{open_claim, restricted_family};
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
        let message = if let Some(f) = restricted_family(&c.claim.sentence) {
            let (name, license) = (f.display, f.license);
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

fn clip(line: &str) -> String {
    text::clip(
        line.trim().trim_start_matches(['#', '>', '-', '*', ' ']),
        100,
    )
}
