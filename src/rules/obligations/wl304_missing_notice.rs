//! WL304 missing-notice: a fixed notice the license asks to ship, found nowhere.

use crate::core::diagnostic::Diagnostic;
use crate::core::registry::WL304;
use crate::license::kb::TermKind;
use crate::rules::{Checker, Run, Spec};

pub(crate) static SPEC: Spec = Spec {
    rule: &WL304,
    doc: include_str!("../docs/WL304.md"),
    fires: &["WL304-gemma-adapter-no-notice"],
    quiet: &["WL304-ok-notice-shipped"],
    run: Run::Check(check),
};

fn check(cx: &Checker, out: &mut Vec<Diagnostic>) {
    let project = cx.project;
    let docs = super::Docs::of(project);
    for (model, entry) in super::shipped(project) {
        let root = super::root_of(project, model);
        for t in entry
            .terms
            .iter()
            .filter(|t| t.kind == TermKind::Notice && t.has_scope("notice-text"))
        {
            let Some(text) = t.text.as_deref() else {
                continue;
            };
            // The first sentence carries it; copyright lines vary in symbols.
            let head = text.split(", Copyright").next().unwrap_or(text);
            if docs.contains(root, head) {
                continue;
            }
            out.push(
                Diagnostic::new(
                    &WL304,
                    project.model_location(model),
                    format!("{} asks for a notice to ship with the model, and no NOTICE, card or README here carries it", entry.the_name()),
                )
                .with_help(format!("Add a NOTICE file with: \"{text}\" ({}).", t.clause))
                .for_model(&model.path),
            );
        }
    }
}
