//! WL301 derivative-naming: a derivative's name must begin with the prefix its base
//! license requires.

use crate::core::diagnostic::{Diagnostic, Location};
use crate::core::registry::WL301;
use crate::license::kb::TermKind;
use crate::project::Model;
use crate::rules::{Checker, Run, Spec};

use super::normalise;

pub(crate) static SPEC: Spec = Spec {
    rule: &WL301,
    doc: include_str!("../docs/WL301.md"),
    fires: &["WL301-llama-finetune-misnamed"],
    quiet: &["WL301-ok-llama-prefix"],
    run: Run::Check(check),
};

fn check(cx: &Checker, out: &mut Vec<Diagnostic>) {
    let project = cx.project;
    for (model, entry) in super::shipped(project) {
        let quantized = model
            .relation
            .as_ref()
            .is_some_and(|(r, _)| r == "quantized");
        if !model.is_derivative() || quantized {
            continue;
        }
        for t in entry
            .terms
            .iter()
            .filter(|t| t.kind == TermKind::DerivativeNaming)
        {
            let Some(prefix) = t.prefix.as_deref() else {
                continue;
            };
            let want = normalise(prefix);
            let names = names(model);
            if names.iter().any(|n| normalise(n).starts_with(&want)) {
                continue;
            }
            let location = match (
                &model.card,
                model.card.as_ref().and_then(|c| c.field("model-index")),
            ) {
                (Some(card), Some(f)) => Location::at(&card.path, f.line, 1),
                _ => project.model_location(model),
            };
            out.push(
                Diagnostic::new(
                    &WL301,
                    location,
                    format!(
                        "`{}` derives from a model under {}, which requires a distributed derivative's name to begin with \"{prefix}\"",
                        names.first().map_or(model.name.as_str(), String::as_str),
                        entry.the_name()
                    ),
                )
                .with_help(format!("Rename it (\"{prefix}-…\"), in `model-index` and the repository name ({}).", t.clause))
                .for_model(&model.path),
            );
        }
    }
}

/// The names a model goes by: `model-index` name, `model_name`, its directory or card.
fn names(model: &Model) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(card) = &model.card {
        if let Some(crate::yaml::Value::List(items)) = card.field("model-index").map(|f| &f.value) {
            out.extend(items.iter().filter_map(|i| i.get("name")?.scalar_text()));
        }
        out.extend(card.str_field("model_name").map(str::to_string));
    }
    out.push(model.name.clone());
    out
}
