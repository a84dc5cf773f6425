//! WL302 license-not-redistributed: a license that must travel with the weights, and no
//! copy of it in scope.

use crate::core::diagnostic::Diagnostic;
use crate::core::registry::WL302;
use crate::license::kb::TermKind;
use crate::rules::{Checker, Run, Spec};
use crate::walk::FileKind;

pub(crate) static SPEC: Spec = Spec {
    rule: &WL302,
    doc: include_str!("../docs/WL302.md"),
    fires: &["WL302-llama-weights-without-license"],
    quiet: &["WL302-ok-license-shipped"],
    run: Run::Check(check),
};

fn check(cx: &Checker, out: &mut Vec<Diagnostic>) {
    let project = cx.project;
    for (model, entry) in super::shipped(project) {
        let Some(term) = entry.terms.iter().find(|t| t.kind == TermKind::FlowDown) else {
            continue;
        };
        let files: Vec<_> = model
            .license_files
            .iter()
            .map(|&i| &project.license_files[i])
            .collect();
        let shipped = files.iter().any(|f| {
            f.kind == FileKind::License
                && f.identification
                    .as_ref()
                    .is_some_and(|id| id.id == entry.id || id.also.contains(&entry.id))
        });
        // A text weightlint cannot read or name gets the benefit of the doubt (WL900, WL104).
        let unknown = files
            .iter()
            .any(|f| f.kind == FileKind::License && (!f.readable || f.identification.is_none()));
        if shipped || unknown {
            continue;
        }
        out.push(
            Diagnostic::new(
                &WL302,
                project.model_location(model),
                format!("{} must travel with the model, and no copy of it is in scope", entry.the_name()),
            )
            .with_help(format!(
                "Add the license text as LICENSE beside the model ({}). It also carries the use restrictions and notices the license passes on.",
                term.clause
            ))
            .for_model(&model.path),
        );
    }
}
