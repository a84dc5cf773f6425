//! WL303 use-restrictions-not-passed-on: a derivative ships its base license's text with
//! clauses missing, so the use restrictions may not reach recipients.

use crate::core::diagnostic::{Diagnostic, Location};
use crate::core::registry::WL303;
use crate::license::identify::Fit;
use crate::license::kb::TermKind;
use crate::rules::{Checker, Run, Spec};
use crate::walk::FileKind;

pub(crate) static SPEC: Spec = Spec {
    rule: &WL303,
    doc: include_str!("../docs/WL303.md"),
    fires: &["WL303-edited-rail-derivative"],
    quiet: &["WL303-ok-apache-base"],
    run: Run::Check(check),
};

fn check(cx: &Checker, out: &mut Vec<Diagnostic>) {
    let project = cx.project;
    for (model, entry) in super::shipped(project) {
        let restricted = entry.use_policy.is_some()
            || entry.has(TermKind::UseRestrictions)
            || entry.has(TermKind::AcceptableUsePolicy);
        if !model.is_derivative() || !restricted {
            continue;
        }
        for &i in &model.license_files {
            let f = &project.license_files[i];
            if f.kind != FileKind::License {
                continue;
            }
            let Some(id) = f.identification.as_ref().filter(|id| id.id == entry.id) else {
                continue;
            };
            if let Fit::Modified { detail } = &id.fit {
                out.push(
                    Diagnostic::new(
                        &WL303,
                        Location::at(&f.path, id.line.unwrap_or(1), 1),
                        format!("this copy of {} is edited ({detail}), so the use restrictions may not reach recipients of the derivative", entry.the_name()),
                    )
                    .with_help("Ship the license unedited: its use restrictions must bind everyone downstream.")
                    .for_model(&model.path),
                );
            }
        }
    }
}
