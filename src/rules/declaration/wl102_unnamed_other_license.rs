//! WL102 unnamed-other-license: `license: other` without `license_name` or `license_link`.

use crate::core::diagnostic::Diagnostic;
use crate::core::registry::WL102;
use crate::license::expr::Problem;
use crate::rules::{Checker, Run, Spec};

pub(crate) static SPEC: Spec = Spec {
    rule: &WL102,
    doc: include_str!("../docs/WL102.md"),
    fires: &["WL102-unnamed-other"],
    quiet: &["WL102-ok-named-other"],
    run: Run::Check(check),
};

fn check(cx: &Checker, out: &mut Vec<Diagnostic>) {
    super::problems(&cx.project.models, out, |problem, at| {
        match problem {
        Problem::UnnamedOther => Some(
            Diagnostic::new(
                &WL102,
                at,
                "`license: other` names no license: `license_name` and `license_link` are both missing",
            )
            .with_help("add `license_name: <id>` and `license_link: <file or URL>`"),
        ),
        _ => None,
    }
    });
}
