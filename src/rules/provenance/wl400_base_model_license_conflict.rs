//! WL400 base-model-license-conflict: a derivative declares a license its base model's
//! license does not allow.

use crate::core::diagnostic::Diagnostic;
use crate::core::registry::WL400;
use crate::license::kb::{Entry, TermKind};
use crate::rules::place::{declared, declared_location};
use crate::rules::{Checker, Run, Spec};

pub(crate) static SPEC: Spec = Spec {
    rule: &WL400,
    doc: include_str!("../docs/WL400.md"),
    fires: &[
        "WL400-gemma-adapter-relabelled",
        "WL400-llama-finetune-apache",
        "WL400-merge-of-two-bases",
        "WL400-qwen-size-catalogue",
    ],
    quiet: &["WL400-ok-qwen-7b-apache"],
    run: Run::Check(check),
};

fn check(cx: &Checker, out: &mut Vec<Diagnostic>) {
    let project = cx.project;
    for model in &project.models {
        let Some(own) = declared(model) else { continue };
        for base in &model.bases {
            let Some(resolved) = &base.resolved else {
                continue;
            };
            for named in &resolved.licenses {
                let Some(entry) = named.entry() else { continue };
                let carried = own.iter().any(|n| n.id == named.id);
                let verdict = if entry.has(TermKind::NoDerivatives) {
                    Some(format!(
                        "{}, which does not allow derivatives at all",
                        entry.the_name()
                    ))
                } else if entry.binds_derivatives() && !carried {
                    Some(format!(
                        "{}, which {}",
                        entry.the_name(),
                        carries_over(entry)
                    ))
                } else {
                    None
                };
                let Some(verdict) = verdict else { continue };
                let written: Vec<&str> = own.iter().map(|n| n.id.as_str()).collect();
                let suggestion = entry
                    .hf_ids
                    .first()
                    .map(|h| format!("`license: {h}`"))
                    .unwrap_or_else(|| {
                        format!("`license: other` with `license_name: {}`", entry.key)
                    });
                out.push(
                    Diagnostic::new(
                        &WL400,
                        declared_location(project, model),
                        format!(
                            "declares {}, but its base `{}` is under {verdict}",
                            written.join(" + "),
                            base.id
                        ),
                    )
                    .with_help(format!(
                        "A fine-tune, adapter, quantization or merge stays under its base model's license: declare {suggestion} and ship its text, or start from a base whose license allows relicensing. The base was resolved through {} from {}.",
                        resolved.via.describe(),
                        base.origin.describe()
                    ))
                    .for_model(&model.path),
                );
            }
        }
    }
}

/// Why a license binds derivatives, in a few words, citing its clause.
fn carries_over(entry: &Entry) -> String {
    let clause = |k: TermKind| {
        entry
            .terms
            .iter()
            .find(|t| t.kind == k)
            .map(|t| format!(" ({})", t.clause))
    };
    if let Some(c) = clause(TermKind::ShareAlike) {
        return format!("requires derivatives to use the same license{c}");
    }
    if let Some(c) = clause(TermKind::FlowDown) {
        return format!("passes its terms on to derivatives{c}");
    }
    if let Some(c) = clause(TermKind::NonCommercial).or(clause(TermKind::ResearchOnly)) {
        return format!("limits derivatives to non-commercial use{c}");
    }
    "keeps its terms on derivatives".to_string()
}
