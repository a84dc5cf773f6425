//! WL106 ambiguous-license-id: a deprecated or ambiguous license id.

use crate::core::diagnostic::Diagnostic;
use crate::core::registry::WL106;
use crate::license::expr::Problem;
use crate::rules::{Checker, Run, Spec};

pub(crate) static SPEC: Spec = Spec {
    rule: &WL106,
    doc: include_str!("../docs/WL106.md"),
    fires: &["WL106-bare-openrail", "WL106-deprecated-spdx"],
    quiet: &["WL106-ok-exact-rail"],
    run: Run::Check(check),
};

fn check(cx: &Checker, out: &mut Vec<Diagnostic>) {
    super::problems(&cx.project.models, out, |problem, at| match problem {
        Problem::Ambiguous { text, advice } => Some(Diagnostic::new(
            &WL106,
            at,
            format!("`{text}` does not say which license applies: {advice}"),
        )),
        _ => None,
    });
}
