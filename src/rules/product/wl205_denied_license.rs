//! WL205 denied-license: a license the policy denies, or one not in its allow list.

use crate::core::diagnostic::Diagnostic;
use crate::core::registry::WL205;
use crate::rules::{Checker, Run, Spec};

pub(crate) static SPEC: Spec = Spec {
    rule: &WL205,
    doc: include_str!("../docs/WL205.md"),
    fires: &["WL205-denied-nc", "WL205-not-in-allow"],
    quiet: &["WL205-ok-allowed"],
    run: Run::Check(check),
};

fn check(checker: &Checker, out: &mut Vec<Diagnostic>) {
    let config = checker.config;
    if config.deny.is_empty() && config.allow.is_empty() {
        return;
    }
    let file = config.source.as_ref().map_or("", |s| s.display.as_str());
    super::each_license(checker, |cx, named| {
        let location = || cx.license_at(&named.id, None);
        if let Some(p) = config.deny.iter().find(|p| p.matches(named)) {
            cx.emit(
                out,
                &WL205,
                WL205.default_severity,
                location(),
                format!("{} ({}) is denied by the policy", named.name, named.id),
                format!("`policy.deny` entry `{}` ({file}:{}). Replace the model, or change the policy.", p.text, p.line),
            );
        } else if !config.allow.is_empty() && !config.allow.iter().any(|p| p.matches(named)) {
            let line = config.allow[0].line;
            cx.emit(
                out,
                &WL205,
                WL205.default_severity,
                location(),
                format!("{} ({}) is not in the policy's allow list", named.name, named.id),
                format!("`policy.allow` ({file}:{line}). Replace the model, or add the license to the list."),
            );
        }
    });
}
