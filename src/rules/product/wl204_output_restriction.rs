//! WL204 output-restriction: the product trains models on outputs a license restricts.

use crate::core::diagnostic::{Diagnostic, Severity};
use crate::core::registry::WL204;
use crate::license::kb::{Entry, TermKind};
use crate::rules::{Checker, Run, Spec};

use super::Cx;

pub(crate) static SPEC: Spec = Spec {
    rule: &WL204,
    doc: include_str!("../docs/WL204.md"),
    fires: &["WL204-llama2-outputs"],
    quiet: &["WL204-ok-llama31-outputs"],
    run: Run::Check(check),
};

fn check(checker: &Checker, out: &mut Vec<Diagnostic>) {
    super::each_entry(checker, |cx, entry| cx.outputs(entry, out));
}

impl Cx<'_> {
    /// WL204: training on outputs a license restricts.
    fn outputs(&self, entry: &Entry, out: &mut Vec<Diagnostic>) {
        let name = &entry.name;
        for t in entry
            .terms
            .iter()
            .filter(|t| t.kind == TermKind::OutputRestriction)
        {
            let (what, severity) = if t.has_scope("train-other-llms") {
                (
                    "may not be used to improve any other large language model",
                    WL204.default_severity,
                )
            } else if t.has_scope("train-other-models") {
                (
                    "may not be used to train or improve other AI models",
                    WL204.default_severity,
                )
            } else if t.has_scope("train-foundation-models") {
                (
                    "may not be used to create or improve a foundational generative AI model",
                    WL204.default_severity,
                )
            } else if t.has_scope("train-competing-models") {
                (
                    "may not be used to train, fine-tune or distill a model that competes with it",
                    Severity::Warning,
                )
            } else if t.has_scope("outputs-make-derivatives") {
                ("make a model trained on them (distillation, synthetic data) a derivative that carries this license's terms", Severity::Warning)
            } else {
                continue;
            };
            let location = self.at(entry, t.kind);
            match self.config.product.trains_on_outputs {
                Some(true) => self.emit(
                    out,
                    &WL204,
                    severity,
                    location,
                    format!("{name}: its outputs {what}, and the product trains models on outputs"),
                    format!("{} ({})", self.decided("trains_on_outputs"), t.clause),
                ),
                Some(false) => {}
                None => self.emit(
                    out,
                    &WL204,
                    Severity::Note,
                    location,
                    format!("{name}: its outputs {what}"),
                    format!("Set `product.trains_on_outputs` to decide ({}).", t.clause),
                ),
            }
        }
    }
}
