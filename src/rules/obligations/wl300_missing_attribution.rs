//! WL300 missing-attribution: "Built with Llama" and the like, in no card, README or
//! NOTICE. Where a license offers several strings ("Built with Qwen" or "Improved using
//! Qwen"), any one will do.

use crate::core::diagnostic::Diagnostic;
use crate::core::registry::WL300;
use crate::license::kb::TermKind;
use crate::rules::{Checker, Run, Spec};

pub(crate) static SPEC: Spec = Spec {
    rule: &WL300,
    doc: include_str!("../docs/WL300.md"),
    fires: &["WL300-no-built-with-llama"],
    quiet: &["WL300-ok-built-with-llama"],
    run: Run::Check(check),
};

fn check(cx: &Checker, out: &mut Vec<Diagnostic>) {
    let project = cx.project;
    let docs = super::Docs::of(project);
    for (model, entry) in super::shipped(project) {
        let wanted: Vec<(&str, &str)> = entry
            .terms
            .iter()
            .filter(|t| t.kind == TermKind::Attribution && t.has_scope("display-string"))
            .filter_map(|t| Some((t.text.as_deref()?, t.clause.as_str())))
            .collect();
        let Some(&(first, clause)) = wanted.first() else {
            continue;
        };
        let root = super::root_of(project, model);
        if wanted.iter().any(|(text, _)| docs.contains(root, text)) {
            continue;
        }
        let quoted: Vec<String> = wanted.iter().map(|(t, _)| format!("\"{t}\"")).collect();
        out.push(
            Diagnostic::new(
                &WL300,
                project.model_location(model),
                format!(
                    "{} asks for {} to be displayed, and no card, README or NOTICE here says it",
                    entry.the_name(),
                    quoted.join(" or ")
                ),
            )
            .with_help(format!("Display \"{first}\" prominently in the model card or the product's documentation ({clause})."))
            .for_model(&model.path),
        );
    }
}
