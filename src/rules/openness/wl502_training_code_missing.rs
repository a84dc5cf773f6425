//! WL502 training-code-missing: no training code or recipe is released or referenced.

use crate::core::diagnostic::Diagnostic;
use crate::core::registry::WL502;
use crate::rules::{Checker, Run, Spec};

pub(crate) static SPEC: Spec = Spec {
    rule: &WL502,
    doc: include_str!("../docs/WL502.md"),
    fires: &["WL502-no-training-code", "WL502-model-card-file-no-code"],
    quiet: &["WL502-ok-train-script"],
    run: Run::Check(check),
};

fn check(cx: &Checker, out: &mut Vec<Diagnostic>) {
    for (model, o) in super::shipped(cx) {
        if super::lacking(o, "training code") {
            out.push(
                Diagnostic::new(&WL502, cx.project.model_location(model), "no training code or recipe is released or referenced".to_string())
                    .with_help("Link the training code and configuration (a `train.py`, or the repository and commit that produced the weights).")
                    .for_model(&model.path),
            );
        }
    }
}
