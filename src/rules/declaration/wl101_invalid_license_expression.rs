//! WL101 invalid-license-expression: `license:` is not a valid SPDX expression, Hub id or
//! known id.

use crate::core::diagnostic::Diagnostic;
use crate::core::registry::WL101;
use crate::license::expr::Problem;
use crate::rules::{Checker, Run, Spec};

pub(crate) static SPEC: Spec = Spec {
    rule: &WL101,
    doc: include_str!("../docs/WL101.md"),
    fires: &["WL101-invalid-expression", "WL101-not-a-string"],
    quiet: &["WL101-ok-spdx-expression"],
    run: Run::Check(check),
};

fn check(cx: &Checker, out: &mut Vec<Diagnostic>) {
    super::problems(&cx.project.models, out, |problem, at| {
        match problem {
        Problem::Invalid { reason, .. } => Some(
            Diagnostic::new(&WL101, at, format!("invalid license: {reason}")).with_help(
                "use a Hub license id or an SPDX expression; `weightlint licenses` lists the known ids",
            ),
        ),
        _ => None,
    }
    });
}
