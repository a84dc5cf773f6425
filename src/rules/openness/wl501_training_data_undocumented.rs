//! WL501 training-data-undocumented: no training-data information for a model the tree
//! ships.

use crate::core::diagnostic::Diagnostic;
use crate::core::registry::WL501;
use crate::rules::{Checker, Run, Spec};

pub(crate) static SPEC: Spec = Spec {
    rule: &WL501,
    doc: include_str!("../docs/WL501.md"),
    fires: &["WL501-weights-no-data", "WL501-model-card-file-no-data"],
    quiet: &[
        "WL501-ok-datasets-named",
        "WL501-ok-model-card-file-datasets",
    ],
    run: Run::Check(check),
};

fn check(cx: &Checker, out: &mut Vec<Diagnostic>) {
    for (model, o) in super::shipped(cx) {
        if super::lacking(o, "training data") {
            out.push(
                Diagnostic::new(&WL501, cx.project.model_location(model), "no training-data information: no `datasets:`, data section or dataset card".to_string())
                    .with_help("Name the training datasets (card `datasets:`) or add a \"Training data\" section; the EU AI Act (Art. 53(1)(d)) also asks providers for a public training-content summary.")
                    .for_model(&model.path),
            );
        }
    }
}
