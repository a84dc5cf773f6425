//! WL402 unresolved-base-model: a base model that is not in the repository, the local
//! cache or the catalogue.

use crate::core::diagnostic::Diagnostic;
use crate::core::registry::WL402;
use crate::rules::place::origin_location;
use crate::rules::{Checker, Run, Spec};

pub(crate) static SPEC: Spec = Spec {
    rule: &WL402,
    doc: include_str!("../docs/WL402.md"),
    fires: &["WL402-unknown-base"],
    quiet: &["WL402-ok-base-in-cache"],
    run: Run::Check(check),
};

fn check(cx: &Checker, out: &mut Vec<Diagnostic>) {
    let project = cx.project;
    for model in &project.models {
        for base in model.bases.iter().filter(|b| b.resolved.is_none()) {
            out.push(
                Diagnostic::new(
                    &WL402,
                    origin_location(project, model, &base.origin),
                    format!(
                        "base model `{}` is not in this repository, weightlint.lock, the local Hugging Face cache or weightlint's catalogue: the license it passes on cannot be checked",
                        base.id
                    ),
                )
                .with_help("Run `weightlint lock` to record its Hub card in weightlint.lock (read offline from then on), or check its license by hand and record an exception for WL402 with the answer.")
                .for_model(&model.path),
            );
        }
    }
}
